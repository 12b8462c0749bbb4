"""The claims and lines of the theatre chosen in the sidebar, as the Claims, Extract, Import and Compare pages use them.

Every theatre's claims live in the registry (each claim names its theatre); these helpers
read and write the chosen theatre's. The analysis layers (contested areas, implied bands,
verdicts of ``geo.analysis.layers``) are built for the registry's default theatre only: for
another theatre the pages show its own reference lines and no contested areas.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import schema as S
from geo.analysis.contested import contested_areas
from geo.analysis.layers import layer_names
from geo.auth import Action
from geo.errors import GeoError
from geo.html import md_escape
from geo.maps.theatreview import claim_geometries
from geo.theatres import Theatre, get_theatre, theatre_regions
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


def read_only_reason() -> str:
    """Why :func:`read_only` is on, in one sentence (the audit view, or read-only mode or the role)."""
    if _state.recorded_by() is not None:
        return "The sidebar shows the registry as recorded on a past date (audit view): clear it to save."
    return "Read-only: you may read and export the registry, not change it."


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


#: The column of :func:`geo.analysis.contested.contested_areas` with km² per region (JSON).
PER_REGION = "per_oblast"


@st.cache_data(show_spinner="Measuring…", max_entries=32)
def _contested(theatre_id: str, stamp: tuple, line_a: str, line_b: str) -> pd.DataFrame:
    t = get_theatre(theatre_id)
    lines = _state.chosen_theatre_lines()
    pair = lines[lines[S.LINE_ID].isin([line_a, line_b])]
    areas = contested_areas(pair, theatre_regions(t), reference=line_a, party_names={p.id: p.short for p in t.parties})
    return pd.DataFrame(areas.drop(columns="geometry"))


def contested_rows(areas: pd.DataFrame, t: Theatre) -> pd.DataFrame:
    """One row per party and region: the ground beyond line A that line B gives the party (geodesic km²)."""
    party = party_labeller(t)
    rows = [
        {"party": party(r[S.C_HELD_BY]), t.region_word: name, "km²": round(float(km2), 1)}
        for _, r in areas.iterrows()
        for name, km2 in json.loads(r[PER_REGION]).items()
    ]
    return pd.DataFrame(rows, columns=["party", t.region_word, "km²"])


def compare_page() -> None:
    """Compare two of the chosen theatre's lines: the ground beyond line A each party holds under line B."""
    t = theatre()
    st.title("Compare lines")
    st.caption(
        md_escape(
            f"{t.name}: the ground beyond line A (the reference) that line B gives each party, measured "
            f"geodesically inside the {t.region_word_plural}; each line is cut into sides by its side rule."
        )
    )
    lines = _state.chosen_theatre_lines()
    if len(lines) < 2:
        st.info("This theatre has fewer than two reference lines: add one on the Theatres page.")
        return
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    ids = list(names)
    c1, c2 = st.columns(2)
    line_a = c1.selectbox("Line A (reference)", ids, format_func=names.get, key="compare_a")
    line_b = c2.selectbox("Line B", ids, index=1, format_func=names.get, key="compare_b")
    if line_a == line_b:
        st.info("Choose two different lines.")
        return
    try:
        areas = _contested(t.id, _state.table_stamp(t), line_a, line_b)
    except GeoError as exc:
        _state.show_error(exc)
        return
    if areas.empty:
        st.info("The two lines give no party ground beyond line A.")
        return
    party = party_labeller(t)
    for _, r in areas.iterrows():
        st.metric(f"{md_escape(party(r[S.C_HELD_BY]))}: beyond line A under line B", f"{float(r[S.AREA_KM2]):,.1f} km²")
    st.dataframe(contested_rows(areas, t), hide_index=True, width="stretch", key="compare_theatre_table")


def side_options() -> list[str]:
    """What ``side`` (who holds the ground beyond the line) may be for the chosen theatre: its party ids, or none."""
    return [*theatre().party_ids, ""]


def caption() -> None:
    """Say which theatre the page works on."""
    t = theatre()
    st.caption(md_escape(f"Theatre: {t.name}. The claims listed and saved here are this theatre's."))
