"""Theatres page: list the disputes, create one without code, add lines with side rules, export and import."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.auth import Action
from geo.claims.store.seed import registry_tables
from geo.errors import GeoError
from geo.html import md_escape
from geo.io import read_vector
from geo.theatres import catalogue_problems, export_theatre, get_theatre, import_theatre, summary
from geo.theatres.forms import country_names, create_from_form
from geo.theatres.tables import LINE_KINDS, SIDE_RULES, add_line
from pages import _identity, _state

DONE_KEY = "theatres_done"  # a message about the last action, shown once after the rerun
RULE_LABELS = {
    "": "No side rule (drawn only)",
    "point": "The side containing a point",
    "left": "Left of the line's direction",
    "right": "Right of the line's direction",
}


@st.cache_data(show_spinner=False, max_entries=8)
def _export(theatre_id: str, stamp: tuple, loc: str, rev: int) -> bytes:
    # The claims as the registry holds them now (keyed by its revision), not as first shipped.
    tables = registry_tables(_state.store(), theatre_id, get_theatre(theatre_id).path)
    with tempfile.TemporaryDirectory() as tmp:
        return export_theatre(theatre_id, Path(tmp) / f"{theatre_id}.zip", tables=tables).read_bytes()


st.title("Theatres")
st.caption(
    "A theatre is one dispute: its countries (and optionally admin-1 units), parties, reference lines and "
    "claims. Shipped theatres are read-only; the ones you create or import are kept in your data directory."
)
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(md_escape(done))
for problem in catalogue_problems():
    st.warning(f"A theatre could not be loaded: {md_escape(problem)}")

theatres = _state.theatres()
counts = _state.store().claim_counts()  # claims are counted in the registry, as `theatre list` does
rows = []
for t in theatres:
    try:
        s = summary(t)
    except GeoError as exc:
        st.warning(f"{md_escape(t.id)}: {md_escape(exc)}")
        continue
    rows.append(
        {
            "theatre": s["name"],
            "id": s["id"],
            "countries": ", ".join(s["countries"]),
            "parties": ", ".join(p["short"] for p in s["parties"]),
            "lines": len(s["lines"]),
            "claims": counts.get(t.id, 0),
            "kind": "shipped" if s["shipped"] else "yours",
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="theatres_table")

# ---- create ------------------------------------------------------------------
manage = _state.may(Action.MANAGE_THEATRES)  # the library checks it too (geo.auth.authorize)
if not manage:
    st.caption("Creating theatres, adding lines and importing theatres needs the admin role: the buttons are off.")
names = country_names()
with st.expander("Create a theatre", expanded=False):
    with st.form("theatre_create"):
        c1, c2 = st.columns(2)
        new_id = c1.text_input("Id", key="tc_id", placeholder="cyprus-1974", help="2-63 of a-z, 0-9, '_' and '-'.")
        new_name = c2.text_input("Name", key="tc_name", placeholder="Cyprus 1974 (green line)")
        countries = st.multiselect(
            "Countries",
            list(names),
            format_func=lambda c: f"{names.get(c, c)} ({c})",
            key="tc_countries",
            accept_new_options=True,
            help="ISO 3166-1 alpha-2 codes; type a code to add one that is not listed. A country outside the "
            "shipped extract needs `python data/build_world.py --countries XX` first.",
        )
        c3, c4 = st.columns(2)
        admin1 = c3.text_input(
            "Admin-1 units (optional)",
            key="tc_admin1",
            placeholder="CY-01, CY-04",
            help="ISO 3166-2 codes narrowing the region; empty: every unit of the countries.",
        )
        word = c4.text_input("What the admin-1 units are called", key="tc_word", placeholder="district")
        parties = st.text_area(
            "Parties (at least two), one a line: name | short name | colour",
            key="tc_parties",
            placeholder="Republic of Cyprus | Cyprus | #0072b2\nTurkish Cypriot administration | TC | #d55e00",
            help="Short name and colour (#rrggbb) are optional: the name and the next colour of the palette.",
        )
        description = st.text_area("Description (optional)", key="tc_description")
        if st.form_submit_button("Create theatre", type="primary", key="tc_submit", disabled=not manage):
            try:
                t = create_from_form(
                    new_id,
                    new_name,
                    countries,
                    admin1,
                    parties,
                    region_word=word,
                    description=description,
                    user=_identity.user(),
                )
            except (GeoError, ValueError) as exc:
                _state.show_error(exc)
            else:
                st.session_state[DONE_KEY] = f"Created theatre '{t.id}' ({t.name}; {', '.join(t.countries)})."
                st.rerun()


def _pick_theatre(label: str, by_id: dict, *, key: str) -> str:
    """A selectbox of the theatres in ``by_id``, starting at the sidebar's theatre when it is one of them."""
    chosen = _state.theatre().id
    return st.selectbox(
        label,
        list(by_id),
        index=list(by_id).index(chosen) if chosen in by_id else 0,
        format_func=lambda tid: by_id[tid].name,
        key=key,
    )


# ---- lines -------------------------------------------------------------------
yours = [t for t in theatres if not t.shipped]
st.subheader("Add a reference line to one of your theatres")
if not yours:
    st.caption("Create or import a theatre first: shipped theatres are read-only.")
else:
    by_id = {t.id: t for t in yours}
    target_id = _pick_theatre("Theatre", by_id, key="tl_theatre")
    target = by_id[target_id]
    upload = st.file_uploader("Line file (GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile, CSV with WKT)", key="tl_file")
    c1, c2, c3, c4 = st.columns(4)
    line_id = c1.text_input("Line id", key="tl_id", placeholder="green_line_1974")
    line_name = c2.text_input("Line name", key="tl_name")
    line_date = c3.date_input("Date", value=None, key="tl_date", min_value=pd.Timestamp("1900-01-01").date())
    kind = c4.selectbox("Kind", list(LINE_KINDS), key="tl_kind")
    rule = st.radio("Side rule", ["", *SIDE_RULES], format_func=RULE_LABELS.get, key="tl_rule", horizontal=True)
    parties = list(target.party_ids)
    labels = {p.id: p.short for p in target.parties}
    p1, p2, p3, p4 = st.columns(4)
    side_party = p1.selectbox("Party holding that side", parties, format_func=labels.get, key="tl_party")
    other_party = p2.selectbox(
        "Party holding the other side", parties, index=min(1, len(parties) - 1), format_func=labels.get, key="tl_other"
    )
    lon = p3.number_input("Point longitude", value=None, min_value=-180.0, max_value=180.0, format="%.5f", key="tl_lon")
    lat = p4.number_input("Point latitude", value=None, min_value=-90.0, max_value=90.0, format="%.5f", key="tl_lat")
    if st.button("Import line", key="tl_import", disabled=upload is None or not manage):
        try:
            result = read_vector(upload.getvalue(), upload.name, as_="line")
            if len(result.gdf) != 1:
                raise GeoError(f"{upload.name}: holds {len(result.gdf)} lines; keep the one to import in the file")
            geom = result.gdf.geometry.iloc[0]
            lines = add_line(
                target.id,
                line_id,
                line_name,
                list(geom.coords),
                date=line_date.isoformat() if line_date else "",
                kind=kind,
                side=(rule, side_party, other_party, lon, lat),
                method=f"Imported from {upload.name}",
                user=_identity.user(),
            )
        except (GeoError, ValueError) as exc:
            _state.show_error(exc)
        else:
            st.session_state[DONE_KEY] = f"Added line '{line_id}' to '{target.id}' ({len(lines)} lines now)."
            st.rerun()

# ---- export / import ---------------------------------------------------------
st.subheader("Share a theatre")
e1, e2 = st.columns(2)
with e1:
    export_id = _pick_theatre("Theatre to export", {t.id: t for t in theatres}, key="te_theatre")
    try:
        data = _export(export_id, _state.table_stamp(get_theatre(export_id)), _state.location(), _state.revision())
    except GeoError as exc:
        _state.show_error(exc)
    else:
        st.download_button(
            "Download theatre (zip)",
            data,
            file_name=f"{export_id}.zip",
            mime="application/zip",
            key="te_download",
            help="theatre.json, its tables and lines.geojson: import it on another Contested Lines.",
            on_click="ignore",
        )
with e2:
    archive = st.file_uploader("Theatre file to import (zip)", type=["zip"], key="ti_file")
    new_id = st.text_input("Import under another id (optional)", key="ti_id")
    replace = st.checkbox("Replace one of my theatres with the same id", key="ti_replace")
    if st.button("Import theatre", key="ti_import", disabled=archive is None or not manage):
        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "theatre.zip"
                path.write_bytes(archive.getvalue())
                t = import_theatre(path, replace=replace, new_id=new_id.strip() or None, user=_identity.user())
        except (GeoError, ValueError) as exc:
            _state.show_error(exc)
        else:
            st.session_state[DONE_KEY] = f"Imported theatre '{t.id}' ({t.name})."
            st.rerun()
