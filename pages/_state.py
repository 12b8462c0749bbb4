"""Data access shared by the pages: the registry store, cached layers, sidebar state.

Pages never load data themselves; they call these functions. Cached values
are keyed by the registry revision (the number of audit records), so an
edit made on any page shows everywhere on the next rerun.
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
from geo.html import md_escape
from geo.layers import build_layers, user_lines_signature
from geo.permalink import parse_date
from geo.store import default_store_location, open_store

USER_KEY = "user_name"
AS_OF_KEY = "as_known_on"


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
    return st.session_state.get(AS_OF_KEY) or None


@st.cache_data(show_spinner="Loading claims…", max_entries=16)
def _claims(loc: str, rev: int, as_of_date: dt.date | None) -> pd.DataFrame:
    return _store(loc).list_claims(as_of=as_of_date)


def claims_table() -> pd.DataFrame:
    """Current claims (or as known on the sidebar date), joined with their sources."""
    return _claims(location(), revision(), as_of())


@st.cache_data(show_spinner="Building layers…", max_entries=16)
def _layers(loc: str, rev: int, as_of_date: dt.date | None, user_lines_sig: tuple):
    return build_layers(_claims(loc, rev, as_of_date))


def layers():
    """All layers; rebuilt when the registry or the imported/drawn lines change."""
    return _layers(location(), revision(), as_of(), user_lines_signature())


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def _folium_map(loc: str, rev: int, as_of_date, basemap: str, to_lines: tuple, optional: tuple, user_lines_sig: tuple):
    from geo.mapview import build_map

    m = build_map(
        _layers(loc, rev, as_of_date, user_lines_sig),
        _claims(loc, rev, as_of_date),
        sources=_store(loc).list_sources(),
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

    The map is built once per (registry, revision, as-of date, basemap,
    lines, extra layers) and cached: a rerun that changes none of these (a
    table sort, a tab) neither rebuilds nor re-simplifies anything, and every
    copy keeps the same element ids, so st_folium sends the same script and
    the browser does not redraw the map. Rendering the script mutates folium
    objects (st_folium renames ids), so each run gets its own deep copy (a
    few ms; the GeoJSON payloads are shared, not copied). The figure around
    it is already rendered: call ``st_folium(..., render=False)``.
    """
    cached = _folium_map(
        location(), revision(), as_of(), basemap, tuple(to_lines), tuple(optional_layers), user_lines_signature()
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
    return _settlements_by_area((location(), revision(), as_of(), user_lines_signature()))


@st.cache_data(show_spinner=False, max_entries=16)
def _contested_export(data_key: tuple) -> tuple[bytes, str, str]:
    from geo.io import export_bytes

    return export_bytes(layers()["contested"], "geojson", name="contested")


@st.cache_data(show_spinner=False, max_entries=16)
def _claim_tables(loc: str, rev: int, as_of_date: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from geo.mapview import claims_view
    from geo.verdict import verdict_table

    claims = _claims(loc, rev, as_of_date)
    return verdict_table(claims), claims_view(claims)


def verdict_view() -> pd.DataFrame:
    """Claimed vs measured for every figure claim, computed once per revision and as-of date."""
    return _claim_tables(location(), revision(), as_of())[0]


def claims_display() -> pd.DataFrame:
    """The claims as a display table (:func:`geo.mapview.claims_view`), once per revision."""
    return _claim_tables(location(), revision(), as_of())[1]


def contested_geojson() -> tuple[bytes, str, str]:
    """The contested areas as RFC 7946 GeoJSON ``(data, mime, file name)``, once per revision."""
    return _contested_export((location(), revision(), as_of(), user_lines_signature()))


def page_failed(exc: Exception) -> None:
    """Last line of defence: a failing page shows a message, never a traceback.

    The traceback goes to the server log. Developers set ``CONTESTED_DEBUG=1``
    to let the exception through (Streamlit then shows it, and AppTest sees it).
    """
    if os.environ.get("CONTESTED_DEBUG", "").strip() not in ("", "0"):
        raise exc
    logging.getLogger("contested_lines").exception("page failed")
    st.error(
        f"This page could not be shown ({type(exc).__name__}: {md_escape(exc, max_len=300)}). "
        "Nothing stored was changed; the details are in the server log."
    )


def show_error(exc: Exception) -> None:
    """A user-facing message for an expected failure (never a traceback)."""
    if isinstance(exc, GeoError | ValueError):
        st.error(md_escape(exc))
    else:
        st.error(f"Unexpected {type(exc).__name__}: {md_escape(exc)}")


def line_names() -> dict[str, str]:
    lines = layers()["lines"]
    return dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))


def sidebar() -> None:
    """Sidebar widgets shared by every page: who is editing, and "as known on".

    Also darkens captions: Streamlit draws them at 60% opacity, below WCAG AA
    contrast (3.9:1); #5c5b5a on white is 6.6:1.
    """
    st.html("<style>[data-testid='stCaptionContainer']{opacity:1;color:#5c5b5a}</style>")
    if AS_OF_KEY not in st.session_state:  # restore "as known on" from a shared link
        d = parse_date(st.query_params.get("as_of"))
        st.session_state[AS_OF_KEY] = d if d and dt.date(2014, 1, 1) <= d <= dt.date.today() else None
    with st.sidebar:
        st.text_input("Your name (for the audit log)", key=USER_KEY, placeholder="analyst")
        st.date_input(
            "As known on",
            value=None,
            key=AS_OF_KEY,
            min_value=dt.date(2014, 1, 1),
            max_value=dt.date.today(),
            help="Show the registry and the map as they were recorded on this date. Empty: now.",
        )
    if st.session_state.get(AS_OF_KEY):
        st.query_params["as_of"] = st.session_state[AS_OF_KEY].isoformat()
    else:
        st.query_params.pop("as_of", None)


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
