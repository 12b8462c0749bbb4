"""Confirmation for destructive actions, and the message that says what was done.

Every page that deletes, reverts or overwrites something goes through
:func:`confirm`: the button opens a dialog naming exactly what will happen;
only its "Yes" button runs the action. The action returns a sentence saying
what was done; it is shown once on the next run (:func:`show_done`), with an
undo button when the action can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import streamlit as st

DONE_KEY = "_dialogs_done"


class Done(NamedTuple):
    """What an action did, and how to undo it (``undo`` returns what the undo did)."""

    message: str
    undo_label: str | None = None
    undo: Callable[[], str] | None = None


OPEN_KEY = "_dialogs_open"  # key of the confirm() whose dialog is open


def _run(action: Callable[[], Done | str]) -> None:
    from pages import _state

    st.session_state.pop(OPEN_KEY, None)
    try:
        result = action()
    except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
        st.session_state.pop(DONE_KEY, None)
        _state.show_error(exc)
        return
    st.session_state[DONE_KEY] = result if isinstance(result, Done) else Done(str(result))
    st.rerun()


def act(action: Callable[[], Done | str]) -> None:
    """Run ``action`` now (no question asked, e.g. a form's save) and show what it did on the next run.

    An error is shown with ``st.error`` and nothing is rerun.
    """
    _run(action)


def _closed() -> None:
    st.session_state.pop(OPEN_KEY, None)


@st.dialog("Please confirm", on_dismiss=_closed)
def _dialog(message: str, yes_label: str, action: Callable[[], Done | str], key: str) -> None:
    st.markdown(message)
    c1, c2 = st.columns(2)
    if c1.button(yes_label, type="primary", key=f"{key}__yes"):
        _run(action)
    if c2.button("Cancel", key=f"{key}__no"):
        _closed()
        st.rerun()


def confirm(
    label: str,
    *,
    key: str,
    message: str,
    action: Callable[[], Done | str],
    yes_label: str | None = None,
    disabled: bool = False,
    help: str | None = None,
) -> None:
    """A button that asks before running a destructive ``action``.

    ``message`` is markdown written by the caller (escape data in it with
    ``geo.html.md_escape`` where available); ``action`` returns a
    :class:`Done` or a plain sentence. Which dialog is open is kept in the
    session, so the dialog stays open over full reruns (and AppTest, which
    reruns the whole script, sees its buttons) until it is answered,
    cancelled or dismissed. Give ``key`` everything that identifies the
    target (e.g. claim id and version): a dialog opened for one target is
    never answered for another.
    """
    if st.button(label, key=key, type="secondary", disabled=disabled, help=help):
        st.session_state[OPEN_KEY] = key
    if st.session_state.get(OPEN_KEY) == key and not disabled:
        _dialog(message, yes_label or label, action, key)


def show_done() -> None:
    """Show what the last confirmed action did, with its undo button.

    A message without undo is shown once; one with undo stays until the undo
    is used or another action replaces it (:func:`clear_done` drops it).
    """
    done: Done | None = st.session_state.get(DONE_KEY)
    if not done:
        return
    c1, c2 = st.columns([5, 1])
    c1.success(done.message)
    if done.undo is None:
        st.session_state.pop(DONE_KEY, None)  # shown once
    elif c2.button(done.undo_label or "Undo", key="_dialogs_undo"):
        st.session_state.pop(DONE_KEY, None)
        _run(done.undo)


def clear_done() -> None:
    """Forget the last action's message and undo (e.g. when the user moves on)."""
    st.session_state.pop(DONE_KEY, None)
