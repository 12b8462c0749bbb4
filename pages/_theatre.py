"""What the pages show for a theatre other than the one the analysis layers are built for.

The contested areas, implied bands and verdicts of ``geo.analysis.layers`` are built for the
registry's default theatre; every other theatre is shown from its tables (regions, lines) and its
claims in the registry (each claim names its theatre): its map, its lines and its claims.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.analysis.security_zones import theatre_zones
from geo.errors import GeoError
from geo.html import md_escape
from geo.maps import BASEMAPS, claim_figure, legend_html
from geo.maps.theatreview import claim_geometries, theatre_map
from geo.theatres import get_theatre, theatre_regions
from pages import _state

MAP_KEY = "theatre_map"


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
@st.cache_data(show_spinner=False, max_entries=16)
def _regions(theatre_id: str, stamp: tuple):
    try:
        return theatre_regions(get_theatre(theatre_id))
    except GeoError:  # no regions known for it yet: the map shows its lines and claims only
        return None


def _zones(theatre, lines, regions):
    """The bands of the theatre's agreements, or None when it has no regions or its zones cannot be drawn."""
    if regions is None or not theatre.agreements:
        return None
    try:
        return theatre_zones(theatre, lines, regions)
    except GeoError as exc:
        st.warning(f"The zones of {md_escape(theatre.name)}'s agreements are not drawn: {md_escape(str(exc))}")
        return None


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def _map(theatre_id: str, stamp: tuple, basemap: str):
    """The theatre map's component arguments (rendered once, replayed on every run) and its legend."""
    t = get_theatre(theatre_id)
    lines, regions = _state.chosen_theatre_lines(), _regions(t.id, stamp)
    m = theatre_map(
        t,
        lines,
        _state.chosen_theatre_claims(),
        regions=regions,
        zones=_zones(t, lines, regions),
        basemap=basemap,
    )
    options = {"height": 640, "use_container_width": True, "returned_objects": []}
    return _state.recorded_map_args(m, key=MAP_KEY, **options), tuple(m.legend)


def notice() -> None:
    """Say where this theatre's lines and claims come from."""
    t = _state.theatre()
    st.info(
        f"{md_escape(t.name)}: its lines are read from the theatre's own files "
        f"({'shipped with the app' if t.shipped else 'a user theatre'}); its claims are the registry's "
        "(add and edit them on the Claims page)."
    )


def lines_table(lines) -> pd.DataFrame:
    """The theatre's lines as people read them."""
    rule = lines["side_rule"] if "side_rule" in lines else pd.Series("", index=lines.index)
    party = lines["side_party"] if "side_party" in lines else pd.Series("", index=lines.index)
    return pd.DataFrame(
        {
            "line": lines[S.LINE_NAME],
            "date": lines[S.LINE_DATE],
            "kind": lines[S.LINE_KIND],
            "length (geodesic km)": lines["length_km"].round(1),
            "precision (km)": lines[S.LINE_PRECISION_KM],
            "side rule": [f"{r}: {_state.party_label(p)}" if r else "" for r, p in zip(rule, party)],
        }
    )


def claims_display(claims: pd.DataFrame, line_names: dict) -> pd.DataFrame:
    """The theatre's claims as people read them (party by the theatre's short name)."""
    return pd.DataFrame(
        {
            "claim": claims[S.CLAIM_ID],
            "actor": claims[S.CLAIM_ACTOR],
            "party concerned": claims[S.CLAIM_PARTY].map(_state.party_label),
            "quote": claims[S.CLAIM_QUOTE],
            "figure": [claim_figure(r) for _, r in claims.iterrows()],
            "reference line": claims[S.CLAIM_REFERENCE_LINE].map(lambda v: line_names.get(v, v)),
            "event date": claims[S.CLAIM_EVENT_DATE],
            "source": claims[S.SOURCE_PUBLISHER],
            "source link": claims[S.SOURCE_URL],
        }
    )


def map_page() -> None:
    """The Map page of a theatre outside the registry."""
    t = _state.theatre()
    st.title(md_escape(t.name))
    if t.description:
        st.caption(md_escape(t.description))
    notice()
    try:
        lines, claims = _state.chosen_theatre_lines(), _state.chosen_theatre_claims()
    except GeoError as exc:
        _state.show_error(exc)
        return
    if "map_basemap" not in st.session_state:
        st.session_state["map_basemap"] = "blank"
    with st.sidebar:
        basemap = basemap_picker()
    st.query_params["basemap"] = basemap
    # A new container and key after every theatre switch: the map is mounted afresh, never drawn
    # into the frame that showed another theatre's map.
    key = f"{MAP_KEY}_{t.id}_{_state.theatre_switches()}"
    cached, legend = _map(t.id, _state.table_stamp(t), basemap)
    args = {**cached, "key": key}
    with st.sidebar:
        st.subheader("Legend")
        st.markdown(legend_html(list(legend)), unsafe_allow_html=True)
    with st.container(key=f"{key}_box"):
        _state.show_recorded_map(args)
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    t_lines, t_claims = st.tabs(["Reference lines", "Claims"])
    with t_lines:
        if len(lines):
            st.dataframe(lines_table(lines), hide_index=True, width="stretch", key="theatre_lines_table")
        else:
            st.info("This theatre has no reference lines yet: import one on the Theatres page.")
    with t_claims:
        drawn = len(claim_geometries(claims))
        st.caption(md_escape(f"{len(claims)} claims, {drawn} of them with a geometry drawn on the map."))
        show_claims(claims, names, key="theatre_claims_table")


def claims_page() -> None:
    """The Claims page of a theatre outside the registry: the claims, filterable, read-only."""
    t = _state.theatre()
    st.title(f"Claims: {md_escape(t.name)}")
    notice()
    try:
        lines, claims = _state.chosen_theatre_lines(), _state.chosen_theatre_claims()
    except GeoError as exc:
        _state.show_error(exc)
        return
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    c1, c2 = st.columns(2)
    text = c1.text_input("Free text", key="cf_text", placeholder="quote, actor, notes, source…")
    party = c2.multiselect("Party concerned", list(t.party_ids), format_func=_state.party_label, key="cf_party")
    shown = claims
    if party:
        shown = shown[shown[S.CLAIM_PARTY].isin(party)]
    if text.strip():
        needle = text.strip().lower()
        cols = [S.CLAIM_QUOTE, S.CLAIM_ACTOR, S.CLAIM_NOTES, S.SOURCE_PUBLISHER, S.SOURCE_TITLE]
        hay = shown[cols].astype(str).agg(" ".join, axis=1).str.lower()
        shown = shown[hay.str.contains(needle, regex=False)]
    st.caption(md_escape(f"{len(shown)} of {len(claims)} claims."))
    show_claims(shown, names, key="theatre_claims_view")


def elsewhere(what: str) -> None:
    """For a page that works on the registry only: say so, and what to do instead."""
    t = _state.theatre()
    st.info(
        f"{md_escape(what)} works on the registry's theatre. {md_escape(t.name)} is read from its own "
        "files: see its lines and claims on the Map and Claims pages, and export or import it on the "
        "Theatres page."
    )


def show_claims(claims, names: dict, *, key: str) -> None:
    """A theatre's claims as a table, with each source a link."""
    st.dataframe(
        claims_display(claims, names),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={"source link": st.column_config.LinkColumn("source link")},
    )


def basemap_picker() -> str:
    """The basemap selectbox (call it inside ``st.sidebar``), shared by the map pages."""
    return st.selectbox(
        "Basemap",
        list(BASEMAPS),
        format_func=lambda k: BASEMAPS[k][0],
        key="map_basemap",
        help="Blank needs no network; the others load tiles from the internet in your browser.",
    )
