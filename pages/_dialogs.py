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


def _run(action: Callable[[], Done | str]) -> None:
    from pages import _state

    try:
        result = action()
    except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
        _state.show_error(exc)
        return
    st.session_state[DONE_KEY] = result if isinstance(result, Done) else Done(str(result))
    st.rerun()


@st.dialog("Please confirm")
def _dialog(message: str, yes_label: str, action: Callable[[], Done | str], key: str) -> None:
    st.markdown(message)
    c1, c2 = st.columns(2)
    if c1.button(yes_label, type="primary", key=f"{key}__yes"):
        _run(action)
    if c2.button("Cancel", key=f"{key}__no"):
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
    :class:`Done` or a plain sentence.
    """
    if st.button(label, key=key, type="secondary", disabled=disabled, help=help):
        _dialog(message, yes_label or label, action, key)


def show_done() -> None:
    """Show what the last confirmed action did, once, with its undo button."""
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
