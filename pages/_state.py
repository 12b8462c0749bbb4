"""Data access shared by the pages: the registry store, cached layers, sidebar state.

Pages never load data themselves; they call these functions. Cached values
are keyed by the registry revision (the number of audit records), so an
edit made on any page shows everywhere on the next rerun, and by the two
sidebar dates:

* "As reported by" (valid time, :func:`as_of`, URL ``as_of``): only the claims
  that had been published by that date
  (:func:`geo.store.filter_claims` ``reported_by``). The registry stays
  editable: an analyst working on what was known in February 2015 still
  corrects and adds claims.
* "As recorded in this registry by" (record time, :func:`recorded_by`, URL
  ``recorded``): the audit view, the registry as it was stored at the end of
  that day (``Store.list_claims(as_of=...)``). Read-only (:func:`read_only`).
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.errors import GeoError
from geo.layers import build_layers, user_lines_signature
from geo.permalink import parse_date
from geo.store import default_store_location, filter_claims, open_store

USER_KEY = "user_name"
AS_OF_KEY = "as_known_on"  # "As reported by" (valid time); URL as_of
RECORDED_KEY = "recorded_by"  # "As recorded in this registry by" (record time); URL recorded
FIRST_DAY = dt.date(2014, 1, 1)


@st.cache_resource(show_spinner="Opening the claims registry…")
def _store(location: str):
    return open_store(location)


def location() -> str:
    """Where the registry lives (CONTESTED_DB_URL, CONTESTED_DATA_DIR or the default file)."""
    return default_store_location()


def store():
    """The registry store at :func:`location` (one per location, shared by sessions)."""
    return _store(location())


def revision() -> int:
    """A number that changes whenever the registry changes."""
    return int(store().revision())


def user() -> str:
    return (st.session_state.get(USER_KEY) or "").strip() or "analyst"


def as_of() -> dt.date | None:
    """The sidebar's "As reported by" date (valid time), or None for everything."""
    return st.session_state.get(AS_OF_KEY) or None


def recorded_by() -> dt.date | None:
    """The sidebar's "As recorded in this registry by" date (record time, audit view), or None."""
    return st.session_state.get(RECORDED_KEY) or None


def read_only() -> bool:
    """True in the record-time audit view: the past registry cannot be edited."""
    return recorded_by() is not None


def view_dates() -> tuple[dt.date | None, dt.date | None]:
    """``(as reported by, as recorded by)``: the part of every cache key the sidebar sets."""
    return as_of(), recorded_by()


@st.cache_data(show_spinner="Loading claims…", max_entries=16)
def _claims(loc: str, rev: int, as_of_date: dt.date | None, recorded: dt.date | None = None) -> pd.DataFrame:
    frame = _store(loc).list_claims(as_of=recorded)
    return filter_claims(frame, reported_by=as_of_date) if as_of_date else frame


def claims_table() -> pd.DataFrame:
    """Claims (as reported by / as recorded by the sidebar dates), joined with their sources."""
    return _claims(location(), revision(), *view_dates())


@st.cache_data(show_spinner="Building layers…", max_entries=16)
def _layers(loc: str, rev: int, as_of_date: dt.date | None, user_lines_sig: tuple, recorded: dt.date | None = None):
    return build_layers(_claims(loc, rev, as_of_date, recorded))


def layers():
    """All layers; rebuilt when the registry, the sidebar dates or the imported/drawn lines change."""
    return _layers(location(), revision(), as_of(), user_lines_signature(), recorded_by())


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def _folium_map(
    loc: str,
    rev: int,
    as_of_date,
    basemap: str,
    to_lines: tuple,
    optional: tuple,
    user_lines_sig: tuple,
    recorded=None,
):
    from geo.mapview import build_map

    m = build_map(
        _layers(loc, rev, as_of_date, user_lines_sig, recorded),
        _claims(loc, rev, as_of_date, recorded),
        sources=_store(loc).list_sources(as_of=recorded),
        basemap=basemap,
        to_lines=list(to_lines),
        optional_layers=optional,
    )
    # The whole figure (header, CSS/JS links) is rendered once here; copies are then
    # passed to st_folium with render=False, which only renders the map's script.
    m.get_root().render()
    return m


def _shared_geojson(m) -> dict:
    """A deepcopy memo that shares every GeoJSON payload (rendering only reads them)."""
    memo, stack = {}, [m]
    while stack:
        element = stack.pop()
        data = getattr(element, "data", None)
        if isinstance(data, dict):
            memo[id(data)] = data
        stack.extend(getattr(element, "_children", {}).values())
    return memo


def folium_map(basemap: str, to_lines, optional_layers=()):
    """A private copy of the map page's folium map.

    The map is built once per (registry, revision, both sidebar dates, basemap,
    lines, extra layers) and cached: a rerun that changes none of these (a
    table sort, a tab) neither rebuilds nor re-simplifies anything, and every
    copy keeps the same element ids, so st_folium sends the same script and
    the browser does not redraw the map. Rendering the script mutates folium
    objects (st_folium renames ids), so each run gets its own deep copy (a
    few ms; the GeoJSON payloads are shared, not copied). The figure around
    it is already rendered: call ``st_folium(..., render=False)``.
    """
    cached = _folium_map(
        location(),
        revision(),
        as_of(),
        basemap,
        tuple(to_lines),
        tuple(optional_layers),
        user_lines_signature(),
        recorded_by(),
    )
    return copy.deepcopy(cached, _shared_geojson(cached))


def sources_table() -> pd.DataFrame:
    return store().list_sources()


@st.cache_data(show_spinner=False, max_entries=16)
def _settlements_by_area(data_key: tuple) -> pd.DataFrame:
    # data_key identifies what layers() returns.
    from geo.settlements import settlements_by_area

    return settlements_by_area(layers()["contested"])


def settlements_by_area_table() -> pd.DataFrame:
    """Settlements inside each contested area, computed once per registry revision."""
    return _settlements_by_area((location(), revision(), *view_dates(), user_lines_signature()))


@st.cache_data(show_spinner=False, max_entries=16)
def _contested_export(data_key: tuple) -> tuple[bytes, str, str]:
    from geo.io import export_bytes

    return export_bytes(layers()["contested"], "geojson", name="contested")


@st.cache_data(show_spinner=False, max_entries=16)
def _claim_tables(
    loc: str, rev: int, as_of_date: dt.date | None, recorded: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from geo.mapview import claims_view
    from geo.verdict import verdict_table

    claims = _claims(loc, rev, as_of_date, recorded)
    return verdict_table(claims), claims_view(claims)


def verdict_view() -> pd.DataFrame:
    """Claimed vs measured for every figure claim, computed once per revision and as-of date."""
    return _claim_tables(location(), revision(), *view_dates())[0]


def claims_display() -> pd.DataFrame:
    """The claims as a display table (:func:`geo.mapview.claims_view`), once per revision."""
    return _claim_tables(location(), revision(), *view_dates())[1]


def contested_geojson() -> tuple[bytes, str, str]:
    """The contested areas as RFC 7946 GeoJSON ``(data, mime, file name)``, once per revision."""
    return _contested_export((location(), revision(), *view_dates(), user_lines_signature()))


def page_failed(exc: Exception) -> None:
    """Last line of defence: a failing page shows a message, never a traceback.

    The traceback goes to the server log. Developers set ``CONTESTED_DEBUG=1``
    to let the exception through (Streamlit then shows it, and AppTest sees it).
    """
    if os.environ.get("CONTESTED_DEBUG", "").strip() not in ("", "0"):
        raise exc
    logging.getLogger("contested_lines").exception("page failed")
    st.error(
        f"This page could not be shown ({type(exc).__name__}: {str(exc)[:300]}). "
        "Nothing stored was changed; the details are in the server log."
    )


def show_error(exc: Exception) -> None:
    """A user-facing message for an expected failure (never a traceback)."""
    if isinstance(exc, GeoError | ValueError):
        st.error(str(exc))
    else:
        st.error(f"Unexpected {type(exc).__name__}: {exc}")


def line_names() -> dict[str, str]:
    lines = layers()["lines"]
    return dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))


def _date_from_link(param: str) -> dt.date | None:
    d = parse_date(st.query_params.get(param))
    return d if d and FIRST_DAY <= d <= dt.date.today() else None


def sidebar() -> None:
    """Sidebar widgets shared by every page: who is editing, and the two view dates.

    "As reported by" (valid time, the default meaning of a date; URL
    ``as_of``) and, in the "Audit view" expander, "As recorded in this
    registry by" (record time; URL ``recorded``). See the module docstring.

    Also darkens captions: Streamlit draws them at 60% opacity, below WCAG AA
    contrast (3.9:1); #5c5b5a on white is 6.6:1.
    """
    st.html("<style>[data-testid='stCaptionContainer']{opacity:1;color:#5c5b5a}</style>")
    for key, param in ((AS_OF_KEY, "as_of"), (RECORDED_KEY, "recorded")):
        if key not in st.session_state:  # restore the dates from a shared link
            st.session_state[key] = _date_from_link(param)
    with st.sidebar:
        st.text_input("Your name (for the audit log)", key=USER_KEY, placeholder="analyst")
        st.date_input(
            "As reported by",
            value=None,
            key=AS_OF_KEY,
            min_value=FIRST_DAY,
            max_value=dt.date.today(),
            help=(
                "Only the claims that had been published by the end of this date (a claim without a "
                "publication date counts from its event date). Empty: every claim."
            ),
        )
        with st.expander("Audit view", expanded=bool(st.session_state.get(RECORDED_KEY))):
            st.date_input(
                "As recorded in this registry by",
                value=None,
                key=RECORDED_KEY,
                min_value=FIRST_DAY,
                max_value=dt.date.today(),
                help=(
                    "The registry as it was stored here at the end of this date, from the audit log "
                    "(when analysts entered or changed claims, not when they were published). "
                    "Read-only. Empty: the registry now."
                ),
            )
    for key, param in ((AS_OF_KEY, "as_of"), (RECORDED_KEY, "recorded")):
        if st.session_state.get(key):
            st.query_params[param] = st.session_state[key].isoformat()
        else:
            st.query_params.pop(param, None)


def view_notice() -> None:
    """One line above a page's content saying which view the sidebar dates select, if any."""
    reported, recorded = view_dates()
    parts = []
    if reported:
        parts.append(f"as reported by {reported:%d %b %Y} (claims published by then)")
    if recorded:
        parts.append(f"as recorded in this registry by {recorded:%d %b %Y} (audit view, read-only)")
    if parts:
        st.info("Showing the registry " + " and ".join(parts) + ".")


def ensure_navigation() -> None:
    """Make a deep link (``/claims``) run ``dashboard.py`` first, as st.navigation intends.

    Streamlit 1.67 treats an app with a ``pages/`` folder next to its main
    script as a "v1" multipage app until some run calls ``st.navigation``; the
    first request of a fresh server to ``/claims`` would then run
    ``pages/claims.py`` alone (no shared sidebar, no error boundary). We turn
    that mode off and rerun, so the entry point runs and routes the page.
    Uses Streamlit's internal ``PagesManager`` flag (pinned version).
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the flag needs nothing
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def _static_assets(static_dir: str) -> int:
    """Leaflet and jQuery copied into ``static/vendor`` once per server process."""
    from geo.assets import install_static_assets

    return len(install_static_assets(static_dir))


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ensure_navigation()
_static_assets(str(STATIC_DIR))
