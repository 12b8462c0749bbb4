"""Control maps page: import a dated control series, see the area on a date, its change, two monitors,
and any two control states compared (a line's side, a snapshot, an uploaded polygon file).

Everything shown comes from :mod:`geo.control` (the store, measures, the
view of two dates) and :func:`geo.maps.controlmap.control_map`. Caches are
keyed by the store's content (:func:`geo.control.view.content_key`), so a
slider step only computes the change between the two snapshots shown, once.

Test hook: none needed; an AppTest uploads files with ``file_uploader(key="control_upload")``
(a polygon file for state A or B with ``states_a_file``/``states_b_file``).
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

from geo.auth import Action
from geo.control import PERIODS, ControlStore, area_series, import_series, regions_for, store_path
from geo.control.claims_check import check_claims_on, figure_claims
from geo.control.states import FILE, LINE, SERIES, state_lines, theatre_lines_for_states
from geo.control.view import (
    STATE_KIND_LABELS,
    Pick,
    StateChoice,
    check_series_name,
    compare_choices,
    content_key,
    control_view,
    disagreement_rows,
    line_choices,
    lines_key,
    picks,
    read_uploads,
    region_rows,
    series_choices,
    settlements_for,
    state_kinds,
    state_parties,
    states_rows,
    step,
)
from geo.errors import GeoError
from geo.html import md_escape
from geo.io import DEFAULT_MAX_BYTES, MB
from geo.maps import fmt_km2
from geo.maps.controlcharts import area_frame, area_spec, change_frame, change_spec
from geo.maps.controlmap import control_map, part_labels, states_labels, states_map
from pages import _identity, _state

REPORT_KEY = "control_report"
PENDING_KEY = "_control_pending_date"
PLAY_KEY = "control_play"
STOP_KEY = "_control_stop_play"
#: The theatre the "Compare two control states" widgets were set for.
STATES_THEATRE_KEY = "_control_states_theatre"
#: Seconds each date is shown while playing.
PLAY_STEP_S = 1.0
NONE = "(none)"
MAX_UPLOAD_MB = DEFAULT_MAX_BYTES // MB
#: Column headings of the tables (the data keeps its field names).
KM2_COLUMNS = {
    "held_km2": "held km²",
    "gained_km2": "gained km²",
    "lost_km2": "lost km²",
    "net_km2": "net km²",
    "a_only_km2": "only in the first, km²",
    "b_only_km2": "only in the second, km²",
    "only_a_km2": "only in A, km²",
    "only_b_km2": "only in B, km²",
    "both_km2": "in both, km²",
    "km2": "km² held",
    "total_km2": "km² held",
}
#: Columns of the claims check table, in order.
CHECK_COLUMNS = ["claim_id", "verdict", "claimed_km2", "measured_km2", "from", "to", "quote", "actor", "explanation"]


# ---------------------------------------------------------------- data (cached by store content)
@st.cache_data(show_spinner="Measuring the series…", max_entries=16)
def _series(path: str, key: str, theatre: str, series: str, party: str) -> list[dict]:
    with ControlStore(path) as store:
        return area_series(store, theatre, party, regions_for(theatre), series)


@st.cache_data(show_spinner=False, max_entries=32)
def _per_period(path: str, key: str, theatre: str, series: str, party: str, period: str):
    return change_frame(_series(path, key, theatre, series, party), period)


@st.cache_data(show_spinner=False, max_entries=8)
def _settlements(theatre: str):
    return settlements_for(theatre)


@st.cache_data(show_spinner="Comparing the two dates…", max_entries=64)
def _view(path: str, key: str, theatre: str, pick: Pick, d_from: dt.date, d_to: dt.date, other: Pick | None):
    with ControlStore(path) as store:
        return control_view(store, theatre, pick, d_from, d_to, regions_for(theatre), _settlements(theatre), other)


@st.cache_resource(show_spinner="Drawing the map…", max_entries=64)
def _map(path: str, key: str, theatre: str, pick: Pick, d_from, d_to, other: Pick | None, colour: str):
    """The map's component arguments (built and rendered once per view: a step back to a date seen is free)."""
    v = _view(path, key, theatre, pick, d_from, d_to, other)
    labels = part_labels(v, pick.label, other.label if other is not None else None)
    m = control_map(
        regions_for(theatre),
        v["state"],
        gained=v["gained"],
        lost=v["lost"],
        other=v.get("other"),
        labels=labels,
        colour=colour,
    )
    return _state.folium_args(m, key="control_map", height=560, use_container_width=True, returned_objects=[])


def _key(path: str, theatre: str) -> str:
    with ControlStore(path) as store:
        return content_key(store, theatre)


def _picks(path: str, theatre: str) -> list[Pick]:
    with ControlStore(path) as store:
        return picks(store, theatre)


# ---------------------------------------------------------------- import
def _import_section(path: str, theatre, held: bool) -> None:
    with st.expander("Import a control series", expanded=not held):
        st.caption(
            "GeoJSON files with the date in their name (``..._YYYYMMDD...`` or ``YYYY-MM-DD``), a zip of "
            "them, or one file with a date property per feature (GeoPackage, KML/KMZ with dated "
            f"folders or TimeStamp). Up to {MAX_UPLOAD_MB} MB per file. A day already held "
            "with the same shape is skipped as a duplicate; a bad file is refused by name and the rest imported."
        )
        uploads = st.file_uploader(
            "Files",
            type=["geojson", "json", "zip", "gpkg", "kml", "kmz"],
            accept_multiple_files=True,
            key="control_upload",
        )
        c1, c2 = st.columns(2)
        series = c1.text_input("Series name", key="control_series_name", placeholder="e.g. DeepState")
        mode = c2.radio(
            "Party", ["one party for the whole series", "from a property"], key="control_party_mode", horizontal=True
        )
        parties = {p.id: p.name for p in theatre.parties}
        if mode == "from a property":
            party, field = None, st.text_input("Property holding each polygon's party", key="control_party_field")
        else:
            party = st.selectbox(
                "Party holding every polygon",
                list(parties),
                format_func=lambda p: parties.get(p, p),
                key="control_import_party",
            )
            field = None
        if st.button("Import", key="control_import", type="primary", disabled=not uploads):
            _run_import(path, theatre.id, uploads, series, party, field)
        report = st.session_state.get(REPORT_KEY)
        if report:
            _show_report(report)


def _run_import(path: str, theatre_id: str, uploads, series: str, party, field) -> None:
    bar = st.progress(0.0, text="Reading the files…")

    def progress(share: float, name: str) -> None:
        bar.progress(min(share, 1.0), text=f"Read {name}")

    try:
        name = check_series_name(series)
        read = read_uploads(
            [(u.name, u.getvalue()) for u in uploads], party=party, party_field=(field or None), progress=progress
        )
        bar.progress(1.0, text="Storing the snapshots…")
        with ControlStore(path) as store:
            report = import_series(store, read, theatre_id, name, user=_identity.user())
    except GeoError as exc:
        bar.empty()
        st.session_state.pop(REPORT_KEY, None)
        st.error(f"Nothing was imported: {md_escape(exc)}")
        return
    bar.empty()
    st.session_state[REPORT_KEY] = {
        "series": name,
        "summary": report.summary(),
        **report.as_dict(),
        "duplicate_rows": [
            {"file": src, "party": p, "date": d.isoformat(), "same as": same.isoformat()}
            for p, d, same, src in report.duplicates
        ],
    }
    if report.imported:
        st.session_state["control_pick"] = f"{name} · {report.imported[0][0]}"
        st.session_state.pop("control_date", None)
        st.session_state.pop("control_from", None)


def _show_report(report: dict) -> None:
    (st.success if report["imported"] else st.warning)(
        f"Series {md_escape(report['series'])}: {md_escape(report['summary'])}."
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Imported", report["imported"])
    c2.metric("Duplicates", report["duplicates"])
    c3.metric("Refused", len(report["refused"]))
    if report["refused"]:
        st.markdown("**Refused**")
        st.dataframe(pd.DataFrame(report["refused"]), hide_index=True, key="control_refused_table")
    if report["duplicate_rows"]:
        st.markdown("**Skipped as duplicates**")
        st.dataframe(pd.DataFrame(report["duplicate_rows"]), hide_index=True, key="control_duplicates_table")
    for line in report["warnings"]:
        st.caption(md_escape(line))


# ---------------------------------------------------------------- charts and tables
def _km2_columns() -> dict:
    return {k: st.column_config.NumberColumn(label, format="%.1f") for k, label in KM2_COLUMNS.items()}


def _area_chart(rows: list[dict], shown: str) -> None:
    frame = area_frame(rows)
    st.vega_lite_chart(frame, area_spec(shown, points=len(frame) <= 60), use_container_width=True)
    with st.expander("Area over time: data"):
        st.dataframe(
            frame.assign(date=frame["date"].dt.date),
            hide_index=True,
            key="control_area_table",
            column_config=_km2_columns(),
        )


def _change_chart(path: str, key: str, theatre: str, pick: Pick) -> None:
    period = st.radio("Net change per", PERIODS, index=0, horizontal=True, key="control_period")
    per = _per_period(path, key, theatre, pick.series, pick.party, period)
    st.vega_lite_chart(per, change_spec(period), use_container_width=True)
    with st.expander("Net change per period: data"):
        st.dataframe(
            per.assign(end=per["end"].dt.date),
            hide_index=True,
            key="control_period_table",
            column_config=_km2_columns(),
        )


# ---------------------------------------------------------------- any two control states compared
@st.cache_data(show_spinner=False, max_entries=8)
def _state_lines(theatre_id: str, lkey: str):
    return theatre_lines_for_states(theatre_id)


@st.cache_data(show_spinner="Comparing the two states…", max_entries=32)
def _states_diff(path: str, key: str, lkey: str, theatre_id: str, party: str, a: StateChoice, b: StateChoice):
    with ControlStore(path) as store:
        return compare_choices(
            a, b, party, regions_for(theatre_id), theatre=theatre_id, store=store, lines=_state_lines(theatre_id, lkey)
        )


@st.cache_resource(show_spinner="Drawing the map…", max_entries=32)
def _states_map(path: str, key: str, lkey: str, theatre_id: str, party: str, a: StateChoice, b: StateChoice):
    d = _states_diff(path, key, lkey, theatre_id, party, a, b)
    m = states_map(
        regions_for(theatre_id), only_a=d["only_a"], only_b=d["only_b"], both=d["both"], labels=states_labels(d)
    )
    return _state.folium_args(m, key="states_map", height=480, use_container_width=True, returned_objects=[])


def _keep(key: str, options: list, default) -> None:
    """Reset a widget's value to ``default`` when its options no longer hold it (a party or theatre changed)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def _pick_state(col, side: str, kinds: list[str], lines: dict, series: dict, default_line: int) -> StateChoice | None:
    """The widgets of state ``side`` ("A" or "B"); None while its polygon file is not uploaded."""
    k = f"states_{side.lower()}"
    _keep(f"{k}_kind", kinds, kinds[0])
    kind = col.radio(f"State {md_escape(side)}", kinds, format_func=STATE_KIND_LABELS.get, key=f"{k}_kind")
    if kind == LINE:
        ids = list(lines)
        _keep(f"{k}_line", ids, ids[min(default_line, len(ids) - 1)])
        return StateChoice(LINE, col.selectbox(f"Line ({side})", ids, format_func=lines.get, key=f"{k}_line"))
    if kind == SERIES:
        names = list(series)
        _keep(f"{k}_series", names, names[0])
        name = col.selectbox(f"Series ({side})", names, key=f"{k}_series")
        days = series[name]
        _keep(f"{k}_date", days, days[-1])
        day = col.selectbox(f"Snapshot on ({side})", days, format_func=lambda d: d.isoformat(), key=f"{k}_date")
        return StateChoice(SERIES, name, day.isoformat())
    upload = col.file_uploader(
        f"Polygon file ({side})", type=["geojson", "json", "zip", "gpkg", "kml", "kmz"], key=f"{k}_file"
    )
    if upload is None:
        col.caption(f"Upload a file of polygons: the party's ground under state {md_escape(side)}.")
        return None
    return StateChoice(FILE, upload.name, data=upload.getvalue())


def _states_section(path: str, theatre) -> None:
    st.subheader("Compare two control states")
    st.caption(
        "Any two states of one party's ground: a line's side (under its side rule), a series snapshot on a "
        f"date, or an uploaded polygon file (up to {MAX_UPLOAD_MB} MB). Both are clipped to the theatre's "
        "regions; km² are geodesic, on the full geometry."
    )
    if st.session_state.get(STATES_THEATRE_KEY) != theatre.id:  # another theatre: start from its defaults
        for k in [k for k in st.session_state if str(k).startswith("states_")]:
            del st.session_state[k]
        st.session_state[STATES_THEATRE_KEY] = theatre.id
    with ControlStore(path) as store:
        key = content_key(store, theatre.id)
        names = {p.id: p.name for p in theatre.parties}
        parties = state_parties(list(names), store, theatre.id)
        _keep("states_party", parties, parties[0])
        party = st.selectbox(
            "Party whose ground is compared", parties, format_func=lambda p: names.get(p, p), key="states_party"
        )
        series = series_choices(store, theatre.id, party)
    frame = theatre_lines_for_states(theatre.id)  # read each run: a line imported or drawn since changes the key
    lkey, lines = lines_key(frame), line_choices(state_lines(frame))
    kinds = state_kinds(bool(lines), bool(series))
    c1, c2 = st.columns(2)
    a = _pick_state(c1, "A", kinds, lines, series, 0)
    b = _pick_state(c2, "B", kinds, lines, series, len(lines) - 1)
    if a is None or b is None:
        return
    try:
        diff = _states_diff(path, key, lkey, theatre.id, party, a, b)
        map_args = _states_map(path, key, lkey, theatre.id, party, a, b)
    except GeoError as exc:
        _state.show_error(exc)
        return
    for side, state in (("A", diff["a"]), ("B", diff["b"])):
        note = f" ({state['note']})" if state["note"] else ""
        st.markdown(
            f"**{md_escape(side)}**: {md_escape(state['label'])}, {md_escape(fmt_km2(state['km2']) or '0 km²')}{md_escape(note)}"
        )
    o1, o2, o3 = st.columns(3)
    o1.metric("Only in A", fmt_km2(diff["only_a_km2"]) or "0 km²")
    o2.metric("Only in B", fmt_km2(diff["only_b_km2"]) or "0 km²")
    o3.metric("In both", fmt_km2(diff["both_km2"]) or "0 km²")
    st.dataframe(
        pd.DataFrame(states_rows(diff), columns=["region", "only_a_km2", "only_b_km2", "both_km2"]).round(1),
        hide_index=True,
        key="states_table",
        column_config=_km2_columns(),
    )
    _state.show_folium_args(map_args)
    st.caption(
        "Orange, dashed outline: held under A only · purple, dotted outline: held under B only · "
        "grey, solid outline: held under both."
    )


# ---------------------------------------------------------------- page
st.title("Control maps")
st.caption(
    "Dated control areas of a party, imported from a monitor's maps (e.g. DeepState's daily GeoJSON, "
    "which you download yourself: it is not openly licensed). Areas are geodesic, on the full geometry; "
    "the map shows a simplified copy."
)

theatre = _state.theatre()  # the sidebar's theatre (and the link's), as on every page
theatre_id = theatre.id
path = str(store_path())
try:
    regions_for(theatre_id)
except GeoError as exc:
    st.info(f"Control series cannot be measured in this theatre yet: {md_escape(exc)}")
    st.stop()

held = _picks(path, theatre_id)
if _state.may(Action.IMPORT):  # the library checks it too (geo.auth.authorize)
    _import_section(path, theatre, bool(held))
held = _picks(path, theatre_id)
if not held:
    st.info("No control series is held for this theatre yet: import one above.")
    _states_section(path, theatre)
    st.stop()
key = _key(path, theatre_id)
by_label = {p.label: p for p in held}
if st.session_state.get("control_pick") not in by_label:
    st.session_state["control_pick"] = held[0].label
c1, c2 = st.columns(2)
pick = by_label[c1.selectbox("Series and party", list(by_label), key="control_pick")]
others = [NONE] + [label for label in by_label if label != pick.label]
if st.session_state.get("control_other") not in others:
    st.session_state["control_other"] = NONE
other_label = c2.selectbox("Compare with a second monitor", others, key="control_other")
other = by_label.get(other_label)

rows = _series(path, key, theatre_id, pick.series, pick.party)
dates = [dt.date.fromisoformat(r["date"]) for r in rows]
if PENDING_KEY in st.session_state:  # the play button's next date, set before the slider exists
    st.session_state["control_date"] = st.session_state.pop(PENDING_KEY)
if st.session_state.pop(STOP_KEY, False):  # played to the last date
    st.session_state[PLAY_KEY] = False
if st.session_state.get("control_date") not in dates:
    st.session_state["control_date"] = dates[-1]
if st.session_state.get("control_from") not in dates:
    st.session_state["control_from"] = dates[0]

s1, s2, s3 = st.columns([5, 2, 1])
d_to = s1.select_slider("Date", dates, format_func=lambda d: d.isoformat(), key="control_date")
d_from = s2.selectbox("Gained and lost since", dates, format_func=lambda d: d.isoformat(), key="control_from")
playing = s3.toggle("▶ Play", key=PLAY_KEY, help="Step through the dates held, one a second.")

party_colour = next((p.colour for p in theatre.parties if p.id == pick.party), None)
try:
    view = _view(path, key, theatre_id, pick, d_from, d_to, other)
    map_args = _map(path, key, theatre_id, pick, d_from, d_to, other, party_colour or "")
except GeoError as exc:
    _state.show_error(exc)
    st.stop()

st.markdown(
    f"**{md_escape(pick.label)}** on **{md_escape(view['date'])}**: {md_escape(fmt_km2(view['state_km2']))} held; "
    f"since {md_escape(view['from'])}: gained {md_escape(fmt_km2(view['gained_km2']) or '0 km²')}, "
    f"lost {md_escape(fmt_km2(view['lost_km2']) or '0 km²')}."
)
_state.show_folium_args(map_args)
st.caption(
    "Fill in the party's colour: held on the date · green, dashed outline: gained since the 'since' date · "
    "blue, dotted outline: lost · black dashed outline: the second monitor on the same date."
)

m1, m2, m3, m4 = st.columns(4)
m1.metric(f"Held on {md_escape(view['date'])}", fmt_km2(view["state_km2"]) or "0 km²")
m2.metric("Gained", fmt_km2(view["gained_km2"]) or "0 km²")
m3.metric("Lost", fmt_km2(view["lost_km2"]) or "0 km²")
m4.metric("Net", f"{view['net_km2']:+,.1f} km²")

st.subheader("Area over time")
_area_chart(rows, view["date"])
_change_chart(path, key, theatre_id, pick)

st.subheader(f"Per {md_escape(theatre.region_word)}, {md_escape(view['from'])} → {md_escape(view['date'])}")
row_to = next(r for r in rows if r["date"] == view["date"])
st.dataframe(
    pd.DataFrame(region_rows(row_to, view)).round(1),
    hide_index=True,
    key="control_region_table",
    column_config=_km2_columns(),
)

st.subheader("Settlements that changed hands")
if view["settlements"]:
    st.dataframe(pd.DataFrame(view["settlements"]), hide_index=True, key="control_settlements_table")
else:
    st.info(
        f"No settlement of the theatre's gazetteer changed hands between {md_escape(view['from'])} and {md_escape(view['date'])}."
    )

if "other_missing" in view:
    st.warning(f"No comparison on this date: {md_escape(view['other_missing'])}")
elif other is not None:
    diff = view["disagreement"]
    st.subheader(
        f"Two monitors on {md_escape(view['date'])}: {md_escape(pick.label)} vs {md_escape(other.label)} ({md_escape(view['other_date'])})"
    )
    o1, o2, o3 = st.columns(3)
    o1.metric(f"Only in {md_escape(pick.label)}", fmt_km2(diff["a_only_km2"]) or "0 km²")
    o2.metric(f"Only in {md_escape(other.label)}", fmt_km2(diff["b_only_km2"]) or "0 km²")
    o3.metric("In both", fmt_km2(diff["both_km2"]) or "0 km²")
    st.dataframe(
        pd.DataFrame(disagreement_rows(diff), columns=["region", "a_only_km2", "b_only_km2"]).round(1),
        hide_index=True,
        key="control_disagreement_table",
        column_config=_km2_columns(),
    )

st.subheader("Published figures checked against this series")
# the claims registry's claims of this theatre (shipped ones and those added in the app), as of the sidebar dates
checked = check_claims_on(figure_claims(_state.registry_claims(theatre_id), pick.party), rows, pick.party, pick.series)
if checked:
    st.dataframe(
        pd.DataFrame(checked, columns=CHECK_COLUMNS).round(1),
        hide_index=True,
        key="control_claims_check",
        column_config={"claimed_km2": "claimed km²", "measured_km2": "measured km²"},
    )
else:
    st.info(f"The claims registry holds no claim about {md_escape(pick.label)} with an area figure in this theatre.")

_states_section(path, theatre)

if playing:
    nxt = step(dates, d_to)
    time.sleep(PLAY_STEP_S)
    if nxt is None:
        st.session_state[STOP_KEY] = True
    else:
        st.session_state[PENDING_KEY] = nxt
    st.rerun()
