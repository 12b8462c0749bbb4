"""The sidebar every page shares: the theatre, who is working, and the two view dates.

A run first calls :func:`restore` (the theatre and the dates from a shared
link, before any page reads them), then draws the widgets with :func:`draw`
into a container it reserved at the top of the sidebar.

A session's first run of the Map page in a browser draws them later
(:func:`defer_for_map`, then :func:`draw_deferred` once the map is sent): each
kind of widget makes the browser fetch and compile its own script chunk, and
those requests, sent together with the map, held up the map's frame by
0.3-0.5 s. The widgets show the same values either way, since their state was
restored first; every later run draws them at once. Streamlit names a keyed
widget by its key *and* the script that draws it, so the deferred widgets are
drawn as the main script's (:func:`_as_main_script`): drawn by the Map page,
they would be other widgets to the next run, which would reset them (the
Theatre picker fell back to the first theatre after any click on the map page).

The view dates:

* "As reported by" (valid time, URL ``as_of``): only the claims published by then;
* "As recorded in this registry by" (record time, URL ``recorded``, in the
  "Audit view" expander): the registry as stored at the end of that day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.html import md_escape
from geo.maps import parse_date, value_preview
from pages import _state
from pages._identity import identity_caption

#: Seconds the first map run waits after sending the map before it draws the sidebar.
AFTER_MAP_S = 0.6
#: Session-state key holding the reserved sidebar container while its widgets wait for the map.
DEFERRED_KEY = "_sidebar_deferred"
_DATES = ((_state.AS_OF_KEY, "as_of"), (_state.RECORDED_KEY, "recorded"))

# The two view dates: valid time (what had been published) and record time (the audit view).
_DATE_WIDGETS = {
    _state.AS_OF_KEY: (
        "As reported by",
        "Only the claims that had been published by the end of this date (a claim without a "
        "publication date counts from its event date). Empty: every claim.",
    ),
    _state.RECORDED_KEY: (
        "As recorded in this registry by",
        "The registry as it was stored here at the end of this date, from the audit log "
        "(when analysts entered or changed claims, not when they were published). "
        "Read-only. Empty: the registry now.",
    ),
}


def _view_date(key: str) -> None:
    label, help_text = _DATE_WIDGETS[key]
    st.date_input(label, value=None, key=key, min_value=_state.FIRST_DAY, max_value=dt.date.today(), help=help_text)


def _date_from_link(param: str) -> dt.date | None:
    d = parse_date(st.query_params.get(param))
    return d if d and _state.FIRST_DAY <= d <= dt.date.today() else None


def _theatre_changed() -> None:
    ss = st.session_state
    ss[_state.CHOSEN_THEATRE_KEY] = ss[_state.THEATRE_KEY]
    ss[_state.SWITCHES_KEY] = ss.get(_state.SWITCHES_KEY, 0) + 1
    for key in _state.THEATRE_SCOPED_KEYS:
        ss.pop(key, None)
    for param in _state.THEATRE_SCOPED_PARAMS:
        st.query_params.pop(param, None)


def restore() -> None:
    """Put the theatre and the two dates of a shared link into the session (first run), and check them.

    An unknown theatre id in a link is named in a warning and the default theatre shown.
    """
    ss = st.session_state
    for key, param in _DATES:
        if key not in ss:
            ss[key] = _date_from_link(param)
    known = {t.id for t in _state.theatres()}
    default = _state.default_theatre().id
    if _state.CHOSEN_THEATRE_KEY not in ss:
        wanted = st.query_params.get("theatre")
        ss[_state.CHOSEN_THEATRE_KEY] = wanted if wanted in known else default
        if wanted and wanted not in known:
            st.warning(f"Ignored unknown theatre in the link: {md_escape(value_preview(wanted))}")
    if ss[_state.CHOSEN_THEATRE_KEY] not in known:  # e.g. a user theatre removed meanwhile
        ss[_state.CHOSEN_THEATRE_KEY] = default
    if ss.get(_state.THEATRE_KEY) != ss[_state.CHOSEN_THEATRE_KEY]:
        ss[_state.THEATRE_KEY] = ss[_state.CHOSEN_THEATRE_KEY]


def _keep_in_link() -> None:
    ss = st.session_state
    if ss[_state.CHOSEN_THEATRE_KEY] == _state.default_theatre().id:
        st.query_params.pop("theatre", None)
    else:
        st.query_params["theatre"] = ss[_state.CHOSEN_THEATRE_KEY]
    for key, param in _DATES:
        if ss.get(key):
            st.query_params[param] = ss[key].isoformat()
        else:
            st.query_params.pop(param, None)


def draw(container) -> None:
    """The shared widgets, drawn into ``container`` (a container of the sidebar).

    Also darkens captions: Streamlit draws them at 60% opacity, below WCAG AA
    contrast (3.9:1); #5c5b5a on white is 6.6:1.
    """
    known = {t.id: t for t in _state.theatres()}
    with container:
        st.html("<style>[data-testid='stCaptionContainer']{opacity:1;color:#5c5b5a}</style>")
        st.selectbox(
            "Theatre",
            list(known),
            format_func=lambda tid: known[tid].name,
            key=_state.THEATRE_KEY,
            on_change=_theatre_changed,
            help="The dispute the pages show: its lines, claims, parties and regions.",
        )
        identity_caption()
        _view_date(_state.AS_OF_KEY)
        with st.expander("Audit view", expanded=bool(st.session_state.get(_state.RECORDED_KEY))):
            _view_date(_state.RECORDED_KEY)
    _keep_in_link()


def defer_for_map(page_is_map: bool, headers=None) -> bool:
    """Whether this run draws the shared widgets after the map: a browser session's first Map run only.

    ``headers`` defaults to ``st.context.headers`` (none in AppTest, which draws at once).
    """
    if not page_is_map or st.session_state.get("_sidebar_map_seen"):
        return False
    st.session_state["_sidebar_map_seen"] = True
    headers = st.context.headers if headers is None else headers
    return bool(headers)


def sidebar(page_is_map: bool = False, headers=None) -> None:
    """Restore the shared state, reserve the top of the sidebar, and draw the widgets now or after the map."""
    restore()
    slot = st.sidebar.container()
    if defer_for_map(page_is_map, headers):
        st.session_state[DEFERRED_KEY] = slot
    else:
        draw(slot)


def _as_main_script():
    """A context in which widgets get the ids they get when ``dashboard.py`` draws them (not a page)."""
    ctx = get_script_run_ctx()
    if ctx is None:  # bare mode: no ids to keep
        return contextlib.nullcontext()
    return ctx.run_with_active_hash(ctx.pages_manager.main_script_hash)


def draw_deferred(after_s: float = 0.0) -> float:
    """Draw the shared widgets if this run deferred them, first waiting ``after_s`` seconds (so the
    browser starts on the map); returns the seconds waited (0 when nothing was deferred)."""
    slot = st.session_state.pop(DEFERRED_KEY, None)
    if slot is None:
        return 0.0
    if after_s > 0:
        time.sleep(after_s)
    with _as_main_script():
        draw(slot)
    return after_s
