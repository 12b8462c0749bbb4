"""Map page: oblasts, reference lines, contested areas and the claims about them."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import schema as S
from geo.html import esc
from geo.mapview import BASEMAPS, build_map, claims_view, fmt_km2, legend_items
from pages import _state

st.title("Contested Lines")
st.caption(
    "Ground held beyond the Minsk Memorandum line of 19 Sep 2014, measured geodesically, "
    "with every claim about it and its source. Lines at settlement-level precision."
)

layers = _state.layers()
claims = _state.claims_table()
lines = layers["lines"]
contested = layers["contested"]

with st.sidebar:
    basemap = st.selectbox(
        "Basemap",
        list(BASEMAPS),
        format_func=lambda k: BASEMAPS[k][0],
        key="map_basemap",
        help="Blank needs no network; the others load tiles from the internet in your browser.",
    )
    later = [lid for lid in lines[S.LINE_ID] if lid != S.AGREED_LINE]
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    shown = st.multiselect("Contested areas against", later, default=later, format_func=names.get, key="map_to_lines")

m = build_map(layers, claims, sources=_state.sources_table(), basemap=basemap, to_lines=shown)
st_folium(m, key="main_map", height=640, use_container_width=True, returned_objects=[])
with st.sidebar:
    st.subheader("Legend")
    swatches = []
    for item in legend_items(lines):
        if item.kind == "area":
            sw = f'<span style="display:inline-block;width:14px;height:14px;background:{esc(item.colour)};opacity:.7;border:1px solid {esc(item.colour)}"></span>'
        else:
            style = "dashed" if item.kind == "dashed" else "solid"
            sw = f'<span style="display:inline-block;width:22px;border-top:3px {style} {esc(item.colour)};vertical-align:middle"></span>'
        swatches.append(f"<div>{sw} {esc(item.label)}</div>")
    st.markdown("".join(swatches), unsafe_allow_html=True)

st.subheader("Contested areas")
table = contested[contested[S.C_TO_LINE].isin(shown)].drop(columns="geometry").copy()
table["area"] = table[S.AREA_KM2].map(fmt_km2)
st.dataframe(
    table[[S.LINE_NAME, S.C_HELD_BY, "area", "per_oblast", S.C_CLAIM_IDS]],
    hide_index=True,
    width="stretch",
    key="map_contested_table",
)

st.subheader("Claims")
st.dataframe(
    claims_view(claims),
    hide_index=True,
    width="stretch",
    key="map_claims_table",
    column_config={"source link": st.column_config.LinkColumn("source link")},
)
