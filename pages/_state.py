"""Cached data access shared by the pages (the only place pages load data)."""

from __future__ import annotations

import streamlit as st

from geo.layers import build_layers
from geo.sources import load_seed_claims


@st.cache_data(show_spinner="Loading claims…")
def claims_table():
    return load_seed_claims()


@st.cache_data(show_spinner="Building layers…")
def layers():
    return build_layers(claims_table())


def sources_table():
    cols = ["source_id", "publisher", "title", "url", "published", "language", "source_kind"]
    return claims_table()[cols].drop_duplicates("source_id")
