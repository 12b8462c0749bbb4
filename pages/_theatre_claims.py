"""The claims of the theatre chosen in the sidebar, as the Claims, Extract and Import pages use them.

Every theatre's claims live in the registry (each claim names its theatre); these helpers
read and write the chosen theatre's. The analysis layers (contested areas, implied bands,
verdicts of ``geo.analysis.layers``) are built for the registry's default theatre only: for
another theatre the pages show its own reference lines and no contested areas.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import schema as S
from geo.analysis.layers import layer_names
from geo.auth import Action
from geo.html import md_escape
from geo.maps.theatreview import claim_geometries
from geo.theatres import Theatre
from pages import _state


def theatre() -> Theatre:
    """The theatre chosen in the sidebar."""
    return _state.theatre()


def has_layers() -> bool:
    """Whether the analysis layers (contested areas, verdicts) are built for the chosen theatre."""
    return _state.theatre_in_registry()


def claims() -> pd.DataFrame:
    """The registry's claims of the chosen theatre (as reported by / as recorded by the sidebar dates)."""
    return _state.registry_claims(theatre().id)


def deleted_claims() -> pd.DataFrame:
    """The chosen theatre's soft-deleted claims (to restore them)."""
    frame = _state.store().list_claims(include_deleted=True, theatre=theatre().id)
    return frame[frame["deleted"].astype(bool)]


def read_only() -> bool:
    """True when the pages show no forms: the audit view, read-only mode, or a role that may not add."""
    return _state.recorded_by() is not None or not _state.may(Action.ADD)


def lines() -> gpd.GeoDataFrame:
    """The chosen theatre's reference lines: the layers' lines (imported and drawn ones too) or its own tables."""
    return _state.layers()["lines"] if has_layers() else _state.chosen_theatre_lines()


def line_names() -> dict[str, str]:
    """Line id -> name of the chosen theatre's reference lines."""
    frame = lines()
    return dict(zip(frame[S.LINE_ID], frame[S.LINE_NAME]))


def contested() -> gpd.GeoDataFrame:
    """The contested areas of the chosen theatre's lines (none when its layers are not built)."""
    if has_layers():
        return _state.layers()["contested"]
    return gpd.GeoDataFrame({S.LINE_NAME: pd.Series(dtype=str)}, geometry=[], crs=S.CRS)


def export_layers() -> dict[str, gpd.GeoDataFrame]:
    """What the Export tab offers: every analysis layer, or the theatre's lines and its claims that carry a geometry."""
    if has_layers():
        layers = _state.layers()
        return {name: layers[name] for name in layer_names()}
    return {"lines": lines(), "claims": claim_geometries(claims())}


def party_labeller(t: Theatre):
    """A function giving ``t``'s short name of a party id ("" for none, the id itself for another party).

    Bound to the theatre the page drew (not read from the session when a widget formats its
    options later).
    """
    names = {p.id: p.short for p in t.parties}
    return lambda party_id: names.get(party_id, str(party_id)) if party_id else ""


def side_options() -> list[str]:
    """What ``side`` (who holds the ground beyond the line) may be for the chosen theatre: its party ids, or none."""
    return [*theatre().party_ids, ""]


def caption() -> None:
    """Say which theatre the page works on."""
    t = theatre()
    st.caption(md_escape(f"Theatre: {t.name}. The claims listed and saved here are this theatre's."))
