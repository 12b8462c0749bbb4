"""Data access shared by the pages: the registry store, cached layers, sidebar state.

Pages never load data themselves; they call these functions. Cached values
are keyed by the registry revision (the number of audit records), so an
edit made on any page shows everywhere on the next rerun.
"""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.errors import GeoError
from geo.layers import build_layers
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
def _layers(loc: str, rev: int, as_of_date: dt.date | None):
    return build_layers(_claims(loc, rev, as_of_date))


def layers():
    return _layers(location(), revision(), as_of())


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def _folium_map(loc: str, rev: int, as_of_date, basemap: str, to_lines: tuple, optional: tuple):
    from geo.mapview import build_map

    m = build_map(
        _layers(loc, rev, as_of_date),
        _claims(loc, rev, as_of_date),
        sources=_store(loc).list_sources(),
        basemap=basemap,
        to_lines=list(to_lines),
        optional_layers=optional,
    )
    return m, threading.Lock()


def folium_map(basemap: str, to_lines, optional_layers=()):
    """The map page's folium map and a lock to hold while rendering it.

    Built once per (registry, revision, as-of date, basemap, lines, extra
    layers) and shared: a rerun that changes none of these (a table sort, a
    tab) neither rebuilds nor re-simplifies anything, and the map keeps its
    element ids, so the browser does not redraw it. Rendering mutates the
    folium objects, hence the lock.
    """
    return _folium_map(location(), revision(), as_of(), basemap, tuple(to_lines), tuple(optional_layers))


def sources_table() -> pd.DataFrame:
    return store().list_sources()


def show_error(exc: Exception) -> None:
    """A user-facing message for an expected failure (never a traceback)."""
    if isinstance(exc, GeoError | ValueError):
        st.error(str(exc))
    else:
        st.error(f"Unexpected {type(exc).__name__}: {exc}")


def line_names() -> dict[str, str]:
    lines = layers()["lines"]
    return dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))


def sidebar() -> None:
    """Sidebar widgets shared by every page: who is editing, and "as known on"."""
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
