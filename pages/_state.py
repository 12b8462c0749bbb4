"""Data access shared by the pages: the registry store, cached layers, sidebar state.

Pages never load data themselves; they call these functions. Cached values
are keyed by the registry revision (the number of audit records), so an
edit made on any page shows everywhere on the next rerun.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.errors import GeoError
from geo.layers import build_layers
from geo.store import open_store

USER_KEY = "user_name"
AS_OF_KEY = "as_known_on"


@st.cache_resource(show_spinner="Opening the claims registry…")
def store():
    """The registry store (CONTESTED_DB_URL, CONTESTED_DATA_DIR or the default file)."""
    return open_store()


def revision() -> int:
    """A number that changes whenever the registry changes."""
    return int(store().revision())


def user() -> str:
    return (st.session_state.get(USER_KEY) or "").strip() or "analyst"


def as_of() -> dt.date | None:
    return st.session_state.get(AS_OF_KEY) or None


@st.cache_data(show_spinner="Loading claims…", max_entries=16)
def _claims(rev: int, as_of_date: dt.date | None) -> pd.DataFrame:
    return store().list_claims(as_of=as_of_date)


def claims_table() -> pd.DataFrame:
    """Current claims (or as known on the sidebar date), joined with their sources."""
    return _claims(revision(), as_of())


@st.cache_data(show_spinner="Building layers…", max_entries=16)
def _layers(rev: int, as_of_date: dt.date | None):
    return build_layers(_claims(rev, as_of_date))


def layers():
    return _layers(revision(), as_of())


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
