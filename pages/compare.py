"""Compare page: two lines side by side, their difference, the front over time, drawing a line.

Permalinks: ``?a=LINE&b=LINE&date=YYYY-MM-DD&claim=CLAIM_ID`` restore the view.
Map centre and zoom are kept in ``st.session_state`` across reruns.

Test hook: the Draw map's result is read from the ``st_folium`` return value
and, failing that, from ``st.session_state["compare_draw_map"]`` (where
``st_folium`` itself stores the last value it received); an AppTest sets that
key to ``{"last_active_drawing": <GeoJSON Feature>}`` to feed a drawing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import schema as S
from geo.analysis import compare as C
from geo.analysis import history as H
from geo.commands.compare_cmd import compare_by_id
from geo.errors import GeoError
from geo.html import md_escape
from geo.io.drawn import (
    DrawnLine,
    all_lines,
    claim_record,
    drawing_from_result,
    drawn_file,
    geometry_from_drawing,
    geometry_from_text,
    load_drawn,
    save_drawn,
)
from geo.maps import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    STYLE_A,
    STYLE_B,
    STYLE_IN_FORCE,
    choice_or_default,
    compare_map,
    draw_map,
    fmt_km2,
    line_geometry,
    reference_line_ids,
    reported_view,
    snap_date,
    unknown_values,
    value_preview,
)
from geo.maps.draw_assets import INSTALL_HINT, draw_assets_present, install_draw_assets
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from pages import _identity, _state
from pages import _theatre_claims as TC

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DRAW_KEY = "compare_draw_map"
VIEW_KEYS = ("compare_center", "compare_zoom")


# ---------------------------------------------------------------- data (cached)
@st.cache_data(show_spinner=False)
def _drawn(path: str, mtime: float):
    return load_drawn(path)


def _lines():
    path = drawn_file()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return all_lines(reference_lines(), _drawn(str(path), mtime))


@st.cache_data(show_spinner="Comparing lines…")
def _compare(id_a: str, id_b: str, drawn_path: str, mtime: float) -> C.Comparison:
    lines = all_lines(reference_lines(), _drawn(drawn_path, mtime))
    return compare_by_id(id_a, id_b, lines, front_oblasts(), C.load_settlements())


@st.cache_data(show_spinner=False)
def _history():
    sources = H.load_sources()
    series = H.beyond_agreed_series(reference_lines(), front_oblasts(), sources=sources)
    return series, H.source_links(series, sources)


def _run_compare(id_a: str, id_b: str) -> C.Comparison:
    path = drawn_file()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _compare(id_a, id_b, str(path), mtime)


# ---------------------------------------------------------------- view state
def _keep_view(key: str, result) -> None:
    """Adopt the centre and zoom a map reports, if it moved since it last reported.

    Every map of the page shows the shared view; only a map whose own report
    changed (the one the user moved) updates it, so maps stay in step.
    """
    if not isinstance(result, dict):
        return
    seen = (repr(result.get("center")), repr(result.get("zoom")))
    if st.session_state.get(f"_compare_seen_{key}") == seen:
        return
    first = f"_compare_seen_{key}" not in st.session_state
    st.session_state[f"_compare_seen_{key}"] = seen
    if first:
        return  # a map's first report is the view it was given
    center, zoom = reported_view(result)
    if center is not None:
        st.session_state["compare_center"] = center
    if zoom is not None:
        st.session_state["compare_zoom"] = zoom


def _view() -> dict:
    return {
        "center": st.session_state.get("compare_center", DEFAULT_CENTER),
        "zoom": st.session_state.get("compare_zoom", DEFAULT_ZOOM),
    }


def _map(m, key: str, height: int = 520):
    """Show a map at the shared view. Maps are built at a fixed view (so that
    st_folium does not remount them on every pan); the view is passed here."""
    view = _view()
    result = st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        center=view["center"],
        zoom=view["zoom"],
        returned_objects=["center", "zoom"],
    )
    _keep_view(key, result)


# ---------------------------------------------------------------- page
if not TC.has_layers():  # another theatre: its own lines under their side rules
    TC.compare_page()
    st.stop()

theatre = _state.theatre()
# The analysis measures gains on the side its contested areas give the theatre's first party (the other loses).
GAINER_ID = theatre.parties[0].id
GAINER, LOSER = _state.party_label(GAINER_ID), _state.party_label(theatre.parties[1].id)
st.title("Compare lines")
st.caption(
    md_escape(
        f"Ground gained and lost going from line A to line B, measured geodesically inside the "
        f"{theatre.region_word_plural} of {theatre.name}. 'Gained' is from the point of view of {GAINER}: "
        f"ground on the {LOSER} side of A that is on the {GAINER} side of B. Lines at settlement-level precision."
    )
)

try:
    lines = _lines()
except GeoError as exc:
    st.error(f"Cannot read the lines: {md_escape(exc)}")
    st.stop()
ids = list(lines[S.LINE_ID])
names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
qp = st.query_params

# Apply a pending selection (set after saving a drawing) before the widgets exist.
if "_compare_pending_b" in st.session_state:
    st.session_state["compare_b"] = st.session_state.pop("_compare_pending_b")
if "_compare_pending_a" in st.session_state:
    st.session_state["compare_a"] = st.session_state.pop("_compare_pending_a")
# First run of a session: restore the selection from the URL.
if "compare_a" not in st.session_state:
    st.session_state["compare_a"] = choice_or_default(qp.get("a"), ids, S.AGREED_LINE)
if "compare_b" not in st.session_state:
    st.session_state["compare_b"] = choice_or_default(qp.get("b"), ids, S.LINE_CONTACT_2015_02)
for k in ("compare_a", "compare_b"):
    if st.session_state[k] not in ids:
        st.session_state[k] = ids[0]
bad = unknown_values(qp, ("a", "b"), ids)
if bad:
    st.warning(f"Unknown line in the link ({md_escape(', '.join(bad))}); showing the default instead.")

col_a, col_b, col_view = st.columns([2, 2, 1])
with col_a:
    id_a = st.selectbox("Line A (before)", ids, format_func=lambda i: names.get(i, i), key="compare_a")
with col_b:
    id_b = st.selectbox("Line B (after)", ids, format_func=lambda i: names.get(i, i), key="compare_b")
with col_view:
    view = st.radio("View", ["Overlay", "Side by side"], key="compare_view", horizontal=True)
qp["a"], qp["b"] = id_a, id_b

result = None
try:
    result = _run_compare(id_a, id_b)
except GeoError as exc:
    st.error(f"Cannot compare these lines: {md_escape(exc)}")

if result is not None:
    oblasts = front_oblasts()
    geom_a, geom_b = line_geometry(lines, id_a), line_geometry(lines, id_b)
    label_a, label_b = f"A: {names[id_a]}", f"B: {names[id_b]}"
    diff = result[C.DIFFERENCE]
    if view == "Overlay":
        _map(
            compare_map(oblasts, [(geom_a, label_a, STYLE_A), (geom_b, label_b, STYLE_B)], diff),
            key="compare_overlay_map",
        )
    else:
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{md_escape(label_a)}**")
            _map(compare_map(oblasts, [(geom_a, label_a, STYLE_A)], diff), key="compare_map_left", height=460)
        with right:
            st.markdown(f"**{md_escape(label_b)}**")
            _map(compare_map(oblasts, [(geom_b, label_b, STYLE_B)], diff), key="compare_map_right", height=460)
        st.caption("Both maps follow the last one you moved.")
    st.caption(
        md_escape(
            f"Black dashed: line A · purple: line B · orange: ground gained by {GAINER} · blue: ground gained by {LOSER}."
        )
    )

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(md_escape(f"Gained by {GAINER}"), fmt_km2(result[C.GAINED]) or "0 km²")
    m2.metric(md_escape(f"Gained by {LOSER}"), fmt_km2(result[C.LOST]) or "0 km²")
    m3.metric(
        "Max displacement",
        f"{result[C.MAX_DISP]:.1f} km",
        help="Largest distance from either line to the other (geodesic, Hausdorff).",
    )
    m4.metric(
        "Mean displacement",
        f"{result[C.MEAN_DISP]:.1f} km",
        help="Mean distance from line B to line A (geodesic, along B).",
    )

    table = C.per_party_table(result)
    st.subheader("km² gained and lost per party")
    st.dataframe(
        table.assign(party=table["party"].map(_state.party_label))
        .rename(columns={C.GAINED: "gained km²", C.LOST: "lost km²", S.C_OBLAST: theatre.region_word})
        .round(1),
        hide_index=True,
        key="compare_party_table",
    )
    chart = table[table[S.C_OBLAST] != "Total"].copy()
    if not chart.empty:
        chart["who"] = chart["party"].map(_state.party_label) + " · " + chart[S.C_OBLAST]
        st.bar_chart(
            chart.set_index("who")[[C.GAINED, C.LOST]],
            stack=False,
            color=["#E69F00", "#56B4E9"],
            x_label=f"party · {md_escape(theatre.region_word)}",
            y_label="km²",
        )

    st.subheader("Settlements that changed side")
    changed = pd.DataFrame(result[C.SETTLEMENTS_CHANGED])
    if changed.empty:
        st.info("No settlement of the gazetteer changed side.")
    else:
        st.dataframe(changed, hide_index=True, key="compare_settlements_table")

    # A claim about area, held against the measured figure.
    claims = _state.claims_table()
    area_claims = claims[claims[S.CLAIM_VALUE_KM2].notna()]
    claim_ids = [""] + list(area_claims[S.CLAIM_ID])
    labels = dict(zip(area_claims[S.CLAIM_ID], area_claims[S.CLAIM_QUOTE].astype(str).str[:90], strict=True))
    if "compare_claim" not in st.session_state:
        st.session_state["compare_claim"] = choice_or_default(qp.get("claim", ""), claim_ids, "")
    cid = st.selectbox(
        "Hold a claim against this comparison",
        claim_ids,
        format_func=lambda c: f"{c}: {labels[c]}" if c in labels else "—",
        key="compare_claim",
    )
    if cid:
        qp["claim"] = cid
        row = area_claims.set_index(S.CLAIM_ID).loc[cid]
        st.markdown(
            f"Claimed: **{md_escape(row[S.CLAIM_QUALIFIER] or '')} {md_escape(fmt_km2(row[S.CLAIM_VALUE_KM2]))}** "
            f"(by {md_escape(row[S.CLAIM_ACTOR])}, side {md_escape(row[S.CLAIM_SIDE] or 'n/a')}) · measured gain by "
            f"{md_escape(GAINER)} A→B: **{md_escape(fmt_km2(result[C.GAINED]) or '0 km²')}**"
        )
        st.caption(f"Source: {md_escape(row[S.SOURCE_URL])}")
    elif "claim" in qp:
        del qp["claim"]

# ---------------------------------------------------------------- history
st.header("History")
try:
    series, links = _history()
except GeoError as exc:
    st.error(f"Cannot build the history: {md_escape(exc)}")
    series = None
if series is not None and not series.empty:
    dates = [d.isoformat() for d in H.version_dates(reference_lines())]
    if "compare_date" not in st.session_state:
        d0 = qp.get("date", "")
        st.session_state["compare_date"], refused = snap_date(d0, dates)
        if refused:
            st.warning(f"Ignoring the date in the link: {md_escape(value_preview(d0))} is not YYYY-MM-DD.")
    date = st.select_slider("Date", options=dates, key="compare_date")
    qp["date"] = date
    row = H.line_at(reference_lines(), date)
    if row is None:
        st.info("No line is in force on this date.")
    else:
        agreed = line_geometry(lines, S.AGREED_LINE)
        st.markdown(f"Line in force on {md_escape(date)}: **{md_escape(row[S.LINE_NAME])}**")
        _map(
            compare_map(
                front_oblasts(),
                [
                    (agreed, "Minsk Memorandum line (19 Sep 2014)", STYLE_A),
                    (row.geometry, row[S.LINE_NAME], STYLE_IN_FORCE),
                ],
            ),
            key="compare_history_map",
            height=420,
        )
    party_names = {p.id: p.short for p in theatre.parties}
    st.vega_lite_chart(H.history_chart_spec(series, party_names), width="stretch", key="compare_history_chart")
    st.caption("km² held beyond the 19 Sep 2014 Memorandum line by each party, per dated line.")
    st.dataframe(
        links,
        hide_index=True,
        column_config={S.SOURCE_URL: st.column_config.LinkColumn("source")},
        key="compare_history_sources",
    )

# ---------------------------------------------------------------- draw
st.header("Draw a line or an area")
has_draw = bool(install_draw_assets(STATIC_DIR)) or draw_assets_present(STATIC_DIR)
agreed_ids = reference_line_ids(lines)
ref_id = st.selectbox("Compare with", agreed_ids, format_func=lambda i: names.get(i, i), key="compare_draw_ref")
ref_geom = line_geometry(lines, ref_id)
drawing = None
if has_draw:
    st.caption(
        "Draw a polyline (a line from north-east to south, or the stretch a statement describes) or a polygon (ground said to be held by one party)."
    )
    draw_result = st_folium(
        draw_map(front_oblasts(), ref_geom, names.get(ref_id, ref_id), with_draw=True),
        key=DRAW_KEY,
        height=480,
        center=_view()["center"],
        zoom=_view()["zoom"],
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    drawing = drawing_from_result(draw_result)
else:
    st.info(f"The drawing tool's files are not installed ({INSTALL_HINT}); paste coordinates instead.")
drawing = drawing or drawing_from_result(st.session_state.get(DRAW_KEY))
pasted = st.text_area(
    "…or paste WKT or 'lon, lat' pairs (one per line)",
    key="compare_draw_text",
    placeholder="38.20, 48.50\n38.35, 48.40\n38.45, 48.30",
)
with st.form("compare_draw_form"):
    name = st.text_input("Name", key="compare_draw_name", max_chars=120)
    url = st.text_input("Source URL (http/https)", key="compare_draw_url")
    quote = st.text_area("Quote from the source", key="compare_draw_quote", max_chars=2000)
    when = st.date_input("Date of the statement", value=dt.date.today(), key="compare_draw_date")
    register = st.checkbox(
        "Also add it to the claims registry as a claimed geometry",
        key="compare_draw_register",
        help="Needs the source URL, the quote and who makes the claim.",
    )
    actor = st.text_input("Who makes the claim (actor)", key="compare_draw_actor")
    source_kind = st.selectbox("Kind of source", list(S.SOURCE_KINDS), key="compare_draw_source_kind")
    submitted = st.form_submit_button("Save and compare", key="compare_draw_save", disabled=_state.read_only())
if _state.read_only():
    st.caption("Read-only: drawn lines cannot be saved here.")
if submitted:
    try:
        geom = geometry_from_text(pasted) if pasted.strip() else None
        if geom is None:
            if drawing is None:
                raise GeoError("draw a line or polygon on the map, or paste coordinates")
            geom = geometry_from_drawing(drawing)
        rec = DrawnLine(name=name, geometry=geom, source_url=url, quote=quote, date=when.isoformat()).validate()
        claim = None
        if register:
            claim = claim_record(rec, actor=actor, source_kind=source_kind, reference_line=ref_id, side=GAINER_ID)
        rec = save_drawn(rec, user=_identity.user())
        _drawn.clear()
        st.session_state["compare_last_saved"] = rec.line_id
        st.session_state["_compare_pending_a"] = ref_id
        st.session_state["_compare_pending_b"] = rec.line_id
        st.session_state["compare_saved_ref"] = ref_id
        st.session_state.pop("compare_last_claim", None)
        st.session_state.pop("compare_claim_error", None)
        if claim is not None:
            try:
                st.session_state["compare_last_claim"] = _state.store().add_claims([claim], _identity.user())[0]
            except GeoError as exc:
                st.session_state["compare_claim_error"] = str(exc)
    except GeoError as exc:
        st.error(f"Not saved: {md_escape(exc)}")
saved = st.session_state.get("compare_last_saved")
if saved:
    try:
        res = _run_compare(st.session_state.get("compare_saved_ref", ref_id), saved)
        if st.session_state.get("compare_last_claim"):
            st.info(f"Added to the claims registry as claim {md_escape(st.session_state['compare_last_claim'])}.")
        saved_ref = st.session_state.get("compare_saved_ref", ref_id)
        st.success(
            f"Saved '{md_escape(saved)}'. Against {md_escape(names.get(saved_ref, saved_ref))}: gained by {md_escape(GAINER)} "
            f"{md_escape(fmt_km2(res[C.GAINED]) or '0 km²')}, by {md_escape(LOSER)} {md_escape(fmt_km2(res[C.LOST]) or '0 km²')}, "
            f"max displacement {res[C.MAX_DISP]:.1f} km. It is now line B above."
        )
    except GeoError as exc:
        st.error(f"Saved, but cannot compare: {md_escape(exc)}")
    if st.session_state.get("compare_claim_error"):
        st.error(
            f"Saved as a drawn line, but not added to the registry: {md_escape(st.session_state['compare_claim_error'])}"
        )
    if st.session_state.get("_compare_pending_b"):
        st.rerun()
