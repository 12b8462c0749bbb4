"""Claims page: filter, inspect, add, edit, delete and restore claims; see disagreements."""

from __future__ import annotations

import datetime as dt

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import schema as S
from geo.claims import ADMIRALTY_INFO, ADMIRALTY_SOURCE
from geo.conflicts import conflicting_groups
from geo.html import md_escape
from geo.mapview import build_map, claim_figure, claims_view
from geo.store import filter_claims
from pages import _state

st.title("Claims registry")
store = _state.store()
claims = _state.claims_table()
layers = _state.layers()
names = _state.line_names()
if _state.as_of():
    st.info(f"Showing the registry as known on {_state.as_of():%d %b %Y}. Clear the sidebar date to edit.")

# ---- filters ---------------------------------------------------------------
with st.expander("Filter", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    text = c1.text_input("Free text", key="cf_text", placeholder="quote, actor, notes, source…")
    actor = c2.multiselect("Actor", sorted(claims[S.CLAIM_ACTOR].unique()), key="cf_actor")
    party = c3.multiselect("Party concerned", sorted(p for p in claims[S.CLAIM_PARTY].unique() if p), key="cf_party")
    stance = c4.multiselect("Stance", list(S.STANCES), key="cf_stance")
    c5, c6, c7, c8 = st.columns(4)
    ref = c5.multiselect("Reference line", list(names), format_func=names.get, key="cf_ref")
    source = c6.multiselect(
        "Source",
        sorted(claims[S.CLAIM_SOURCE_ID].unique()),
        format_func=lambda sid: f"{sid}: {claims.loc[claims[S.CLAIM_SOURCE_ID] == sid, S.SOURCE_PUBLISHER].iloc[0]}",
        key="cf_source",
    )
    rel = c7.multiselect("Source reliability (A-F)", list(ADMIRALTY_SOURCE), key="cf_rel")
    dates = c8.date_input("Event date between", value=(), key="cf_dates", min_value=dt.date(2014, 1, 1))

date_from, date_to = (dates[0], dates[-1]) if len(dates) else (None, None)
shown = filter_claims(
    claims,
    actor=actor or None,
    party=party or None,
    stance=stance or None,
    reference_line=ref or None,
    source_id=source or None,
    reliability_source=rel or None,
    date_from=date_from,
    date_to=date_to,
    text=text or None,
)
st.caption(f"{len(shown)} of {len(claims)} claims")
event = st.dataframe(
    claims_view(shown),
    hide_index=True,
    width="stretch",
    key="claims_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"source link": st.column_config.LinkColumn("source link")},
)
rows = event.selection.rows if event and hasattr(event, "selection") else []
selected = shown.iloc[rows[0]] if rows else None

# ---- the selected claim ----------------------------------------------------
if selected is not None:
    cid = selected[S.CLAIM_ID]
    st.subheader(f"Claim {md_escape(cid)}")
    left, right = st.columns([1, 1])
    with left:
        st.text(f"“{selected[S.CLAIM_QUOTE]}”")
        details = {
            "actor": selected[S.CLAIM_ACTOR],
            "stance": selected[S.CLAIM_STANCE],
            "figure": claim_figure(selected) or "none",
            "reference line": names.get(selected[S.CLAIM_REFERENCE_LINE], selected[S.CLAIM_REFERENCE_LINE]),
            "event date": selected[S.CLAIM_EVENT_DATE],
            "source": f"{selected[S.SOURCE_PUBLISHER]}: {selected[S.SOURCE_TITLE]} ({selected[S.SOURCE_PUBLISHED]})",
            "reliability": f"{selected[S.CLAIM_REL_SOURCE]}{selected[S.CLAIM_REL_INFO]}",
            "recorded": selected["record_time"],
            "version": int(selected["version"]),
        }
        st.dataframe(
            pd.DataFrame({"field": list(details), "value": [str(v) for v in details.values()]}),
            hide_index=True,
            width="stretch",
            key="claim_details",
        )
    with right:
        feat = layers["claims"][layers["claims"][S.CLAIM_ID] == cid]
        if len(feat) and feat.geometry.iloc[0] is not None and not feat.geometry.iloc[0].is_empty:
            x0, y0, x1, y1 = feat.total_bounds
            m = build_map(layers, claims, basemap=st.session_state.get("map_basemap", "blank"), fit_front=False)
            folium.GeoJson(
                feat.geometry.iloc[0].__geo_interface__,
                name="Selected claim",
                style_function=lambda f: {"color": "#000000", "weight": 4, "fillOpacity": 0.1, "dashArray": "4 4"},
            ).add_to(m)
            m.fit_bounds([[y0, x0], [y1, x1]])
            st_folium(m, key="claim_map", height=380, use_container_width=True, returned_objects=[])
        else:
            st.caption("This claim has no geometry and is not joined to a contested area.")

    with st.expander("History (audit log)"):
        st.dataframe(pd.DataFrame(store.history(cid)), hide_index=True, width="stretch", key="claim_history")

    if not _state.as_of():
        with st.form("edit_claim"):
            st.markdown("**Edit**")
            e_quote = st.text_area("Quote", value=selected[S.CLAIM_QUOTE], key="edit_quote")
            e_actor = st.text_input("Actor", value=selected[S.CLAIM_ACTOR], key="edit_actor")
            e_notes = st.text_area("Notes", value=selected[S.CLAIM_NOTES], key="edit_notes")
            e_rel = st.selectbox(
                "Source reliability",
                [""] + list(ADMIRALTY_SOURCE),
                key="edit_rel",
                index=([""] + list(ADMIRALTY_SOURCE)).index(selected[S.CLAIM_REL_SOURCE] or ""),
            )
            e_info = st.selectbox(
                "Information credibility",
                [""] + list(ADMIRALTY_INFO),
                key="edit_info",
                index=([""] + list(ADMIRALTY_INFO)).index(selected[S.CLAIM_REL_INFO] or ""),
            )
            if st.form_submit_button("Save changes"):
                try:
                    store.update_claim(
                        cid,
                        {
                            S.CLAIM_QUOTE: e_quote,
                            S.CLAIM_ACTOR: e_actor,
                            S.CLAIM_NOTES: e_notes,
                            S.CLAIM_REL_SOURCE: e_rel,
                            S.CLAIM_REL_INFO: e_info,
                        },
                        user=_state.user(),
                        expected_version=int(selected["version"]),
                    )
                    st.success(f"Saved claim {md_escape(cid)}.")
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
                    _state.show_error(exc)
        if st.button(f"Delete claim {md_escape(cid)}", key="delete_claim", type="secondary"):
            try:
                store.delete_claim(cid, _state.user(), expected_version=int(selected["version"]))
                st.success(f"Deleted claim {md_escape(cid)}; it can be restored below.")
                st.rerun()
            except Exception as exc:  # noqa: BLE001
                _state.show_error(exc)

# ---- add --------------------------------------------------------------------
if not _state.as_of():
    with st.expander("Add a claim", expanded=selected is None):
        with st.form("add_claim", clear_on_submit=False):
            a1, a2 = st.columns(2)
            quote = a1.text_area("Quote (verbatim)", key="add_quote")
            actor_in = a2.text_input("Actor (who asserts)", key="add_actor")
            party_in = a2.selectbox("Party concerned", ["separatists", "ukraine", "russia", ""], key="add_party")
            stance_in = a2.selectbox("Stance", list(S.STANCES), key="add_stance")
            b1, b2, b3, b4 = st.columns(4)
            kind_in = b1.selectbox("Figure kind", ["", "area", "distance", "withdrawal_distance"], key="add_kind")
            value_in = b2.text_input("Value", key="add_value", placeholder="500")
            unit_in = b3.text_input("Unit as written", key="add_unit", placeholder="sq km")
            qual_in = b4.selectbox("Qualifier", list(S.QUALIFIERS), key="add_qualifier")
            c1, c2, c3 = st.columns(3)
            ref_in = c1.selectbox(
                "Reference line", [""] + list(names), format_func=lambda k: names.get(k, "none"), key="add_ref"
            )
            side_in = c2.selectbox("Ground held beyond it by", list(S.SIDES), key="add_side")
            date_in = c3.text_input("Event date (YYYY-MM-DD)", key="add_event_date")
            st.markdown("**Source**")
            d1, d2, d3 = st.columns(3)
            pub_in = d1.text_input("Publisher", key="add_publisher")
            title_in = d2.text_input("Title", key="add_title")
            url_in = d3.text_input("URL (http/https)", key="add_url")
            e1, e2, e3, e4 = st.columns(4)
            published_in = e1.text_input("Published (YYYY-MM-DD)", key="add_published")
            skind_in = e2.selectbox("Source kind", list(S.SOURCE_KINDS), key="add_source_kind")
            rel_in = e3.selectbox("Source reliability", [""] + list(ADMIRALTY_SOURCE), key="add_rel")
            info_in = e4.selectbox("Information credibility", [""] + list(ADMIRALTY_INFO), key="add_info")
            notes_in = st.text_input("Notes", key="add_notes")
            if st.form_submit_button("Add claim"):
                record = {
                    S.CLAIM_QUOTE: quote,
                    S.CLAIM_ACTOR: actor_in,
                    S.CLAIM_PARTY: party_in,
                    S.CLAIM_STANCE: stance_in,
                    S.CLAIM_KIND: kind_in,
                    S.CLAIM_VALUE: value_in,
                    S.CLAIM_UNIT: unit_in,
                    S.CLAIM_QUALIFIER: qual_in,
                    S.CLAIM_REFERENCE_LINE: ref_in,
                    S.CLAIM_SIDE: side_in,
                    S.CLAIM_EVENT_DATE: date_in,
                    S.CLAIM_REL_SOURCE: rel_in,
                    S.CLAIM_REL_INFO: info_in,
                    S.CLAIM_NOTES: notes_in,
                    S.SOURCE_PUBLISHER: pub_in,
                    S.SOURCE_TITLE: title_in,
                    S.SOURCE_URL: url_in,
                    S.SOURCE_PUBLISHED: published_in,
                    S.SOURCE_KIND: skind_in,
                }
                try:
                    new = store.add_claims([record], _state.user())
                    st.success(f"Added claim {md_escape(new[0])}.")
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
                    _state.show_error(exc)

    deleted = store.list_claims(include_deleted=True)
    deleted = deleted[deleted["deleted"].astype(bool)]
    if len(deleted):
        with st.expander(f"Deleted claims ({len(deleted)})"):
            for _, d in deleted.iterrows():
                cols = st.columns([5, 1])
                cols[0].text(f"{d[S.CLAIM_ID]} · {d[S.CLAIM_ACTOR]} · {d[S.CLAIM_QUOTE][:120]}")
                if cols[1].button("Undo delete", key=f"undo_{d[S.CLAIM_ID]}"):
                    try:
                        store.undo_delete(d[S.CLAIM_ID], _state.user())
                        st.rerun()
                    except Exception as exc:  # noqa: BLE001
                        _state.show_error(exc)

# ---- disagreements -----------------------------------------------------------
st.subheader("Claims that disagree")
groups = conflicting_groups(claims, layers["contested"], layers["lines"])
if groups.empty:
    st.caption("No disagreeing claims about the same ground.")
for _, g in groups.groupby("group"):
    with st.container(border=True):
        st.markdown(f"**{md_escape(g['about'].iloc[0])}**")
        st.caption(md_escape(g["reason"].iloc[0]))
        cols = st.columns(min(len(g), 4))
        for i, (_, c) in enumerate(g.iterrows()):
            with cols[i % len(cols)]:
                st.text(f"{c[S.CLAIM_ACTOR]} ({c[S.CLAIM_STANCE]}), {c[S.CLAIM_EVENT_DATE]}")
                fig = claim_figure(c)
                if fig:
                    st.metric("figure", fig, label_visibility="collapsed")
                st.caption(
                    f"“{md_escape(c[S.CLAIM_QUOTE], max_len=240)}” — {md_escape(c[S.SOURCE_PUBLISHER])}, "
                    f"{md_escape(c[S.SOURCE_PUBLISHED])}"
                )
