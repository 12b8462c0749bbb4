"""Claims page: filter, inspect, add, edit, delete and restore claims; see disagreements."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import config
from geo import schema as S
from geo.analysis.conflicts import conflicting_groups, group_preview
from geo.auth import Action
from geo.claims.history import ACTION_LABELS, history_table, revert_changes, revertible_versions
from geo.claims.model import ADMIRALTY_INFO, ADMIRALTY_SOURCE
from geo.claims.store import filter_claims
from geo.html import md_escape
from geo.labels import label, label_claims_view
from geo.maps import claim_figure, claim_map, claims_view
from pages import _dialogs, _identity, _state
from pages import _theatre_claims as TC
from pages._dialogs import Done

SELECTED_KEY = "claims_selected_id"  # the claim on screen, by id
TABLE_KEY = "claims_table_shown"  # (key, a row selected) of the table the last run showed

theatre = TC.theatre()
st.title(f"Claims registry: {md_escape(theatre.name)}")
store = _state.store()
claims = TC.claims()
layers = _state.layers() if TC.has_layers() else None
names = TC.line_names()
read_only = TC.read_only()
party_label = TC.party_labeller(theatre)
TC.caption()
_state.view_notice()
if read_only and _state.recorded_by() is not None:
    st.caption("The audit view is read-only: clear the sidebar's “As recorded in this registry by” date to edit.")
elif read_only:
    st.caption("Read-only: you may read and export the registry, not change it.")
_dialogs.show_done()


def _excerpt(quote: str, n: int = 60) -> str:
    quote = " ".join(str(quote or "").split())
    return quote if len(quote) <= n else quote[: n - 1].rstrip() + "…"


def _source_label(sid: str) -> str:
    row = claims.loc[claims[S.CLAIM_SOURCE_ID] == sid].iloc[0]
    return f"{row[S.SOURCE_PUBLISHER]}: {_excerpt(row[S.SOURCE_TITLE], 50)} ({row[S.SOURCE_PUBLISHED] or 'undated'})"


# ---- filters ---------------------------------------------------------------
with st.expander("Filter", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    text = c1.text_input("Free text", key="cf_text", placeholder="quote, actor, notes, source…")
    actor = c2.multiselect("Actor", sorted(claims[S.CLAIM_ACTOR].unique()), key="cf_actor")
    party = c3.multiselect(
        "Party concerned",
        list(dict.fromkeys([*theatre.party_ids, *sorted(p for p in claims[S.CLAIM_PARTY].unique() if p)])),
        format_func=party_label,
        key="cf_party",
    )
    stance = c4.multiselect("Stance", list(S.STANCES), format_func=lambda v: label("stance", v), key="cf_stance")
    c5, c6, c7, c8 = st.columns(4)
    ref = c5.multiselect("Reference line", list(names), format_func=names.get, key="cf_ref")
    source = c6.multiselect(
        "Source", sorted(claims[S.CLAIM_SOURCE_ID].unique()), format_func=_source_label, key="cf_source"
    )
    rel = c7.multiselect(
        "Source reliability (A-F)",
        list(ADMIRALTY_SOURCE),
        format_func=lambda v: label("reliability_source", v),
        key="cf_rel",
    )
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
st.caption(f"{len(shown)} of {len(claims)} claims. Select a row to see, edit or delete a claim.")
# The table's key names the claims it lists, so a row position always means the same claim:
# when the list changes (a filter, a delete, another analyst's edit) the table starts with no
# selection instead of pointing the old position at another claim.
shown_ids = list(shown[S.CLAIM_ID])
table_key = "claims_table_" + hashlib.sha1("\n".join(shown_ids).encode()).hexdigest()[:12]
event = st.dataframe(
    label_claims_view(claims_view(shown), names),
    hide_index=True,
    width="stretch",
    key=table_key,
    on_select="rerun",
    selection_mode="single-row",
    column_config={"source link": st.column_config.LinkColumn("source link")},
)
rows = list(event.selection.rows) if event and hasattr(event, "selection") else []
if rows and 0 <= rows[0] < len(shown_ids):
    selected_id = shown_ids[rows[0]]
elif st.session_state.get(TABLE_KEY) == (table_key, True):
    selected_id = None  # the user deselected the row
else:
    # The list changed (another analyst's write, a filter), so the table starts with no row
    # selected: the claim on screen stays if it is still listed, and a form being filled in is
    # not lost. A deleted claim is not listed, so it is not shown again.
    previous = st.session_state.get(SELECTED_KEY)
    selected_id = previous if previous in shown_ids else None
st.session_state[TABLE_KEY], st.session_state[SELECTED_KEY] = (table_key, bool(rows)), selected_id
selected = shown[shown[S.CLAIM_ID] == selected_id].iloc[0] if selected_id else None


def _revert(cid: str, to_version: int, expected_version: int) -> Done:
    """Edit claim ``cid`` back to ``to_version``; the undo reverts to the version it replaced."""
    current = store.get_claim(cid)
    changes = revert_changes(store.history(cid), to_version, current.to_dict())
    new = store.update_claim(cid, changes, user=_identity.user(), expected_version=expected_version)
    return Done(
        f"Reverted claim {md_escape(cid)} to version {to_version:d} (now version {new.version:d}).",
        "Undo",
        lambda: _revert(cid, current.version, new.version)._replace(undo=None, undo_label=None),
    )


def _delete(cid: str, version: int, excerpt: str) -> Done:
    store.delete_claim(cid, _identity.user(), expected_version=version)
    return Done(f"Deleted claim {md_escape(cid)} ({md_escape(excerpt)}).", "Undo", lambda: _restore(cid, excerpt))


def _restore(cid: str, excerpt: str) -> str:
    store.undo_delete(cid, _identity.user())
    return f"Restored claim {md_escape(cid)} ({md_escape(excerpt)})."


def _save(cid: str, version: int, changes: dict) -> Done:
    new = store.update_claim(cid, changes, user=_identity.user(), expected_version=version)
    if new.version == version:
        return Done(f"Nothing changed in claim {md_escape(cid)}.")
    return Done(
        f"Saved claim {md_escape(cid)} (version {new.version:d}).",
        "Undo",
        lambda: _revert(cid, version, new.version)._replace(undo=None, undo_label=None),
    )


# ---- the selected claim ----------------------------------------------------
if selected is not None:
    cid = selected[S.CLAIM_ID]
    version = int(selected["version"])
    tag = f"{cid}_{version}"  # every widget below is fresh for another claim or a saved edit
    st.subheader(
        f"Claim by {md_escape(selected[S.CLAIM_ACTOR], 120)}, {md_escape(selected[S.CLAIM_EVENT_DATE] or 'undated')}"
    )
    st.caption(f"Claim id (for the command line and links): {md_escape(cid)} · version {version:d}")
    left, right = st.columns([1, 1])
    with left:
        st.text(f"“{selected[S.CLAIM_QUOTE]}”")
        stated = " ".join(
            str(v)
            for v in (label("qualifier", selected[S.CLAIM_QUALIFIER]), selected[S.CLAIM_VALUE], selected[S.CLAIM_UNIT])
            if str(v or "").strip() and str(v) != "nan"
        )
        details = {
            "who asserts": selected[S.CLAIM_ACTOR],
            "stance": label("stance", selected[S.CLAIM_STANCE]),
            "party concerned": party_label(selected[S.CLAIM_PARTY]) or "none",
            "figure": claim_figure(selected) or "none",
            "figure as stated": stated or "none",
            "figure kind": label("kind", selected[S.CLAIM_KIND]) or "none",
            "reference line": names.get(selected[S.CLAIM_REFERENCE_LINE], selected[S.CLAIM_REFERENCE_LINE]) or "none",
            "ground held beyond it by": party_label(selected[S.CLAIM_SIDE]) or "not said",
            "event date": selected[S.CLAIM_EVENT_DATE],
            "source": f"{selected[S.SOURCE_PUBLISHER]}: {selected[S.SOURCE_TITLE]} ({selected[S.SOURCE_PUBLISHED]})",
            "source kind": label("source_kind", selected[S.SOURCE_KIND]),
            "source reliability": label("reliability_source", selected[S.CLAIM_REL_SOURCE]) or "not graded",
            "information credibility": label("reliability_info", selected[S.CLAIM_REL_INFO]) or "not graded",
            "recorded in this registry": str(selected["record_time"])[:19].replace("T", " ") + " UTC",
        }
        st.dataframe(
            pd.DataFrame({"field": list(details), "value": [str(v) for v in details.values()]}),
            hide_index=True,
            width="stretch",
            key=f"claim_details_{tag}",
        )
    with right:
        m = None
        if layers is not None:
            m = claim_map(layers, claims, cid, basemap=st.session_state.get("map_basemap", "blank"))
        if m is not None:
            st_folium(m, key="claim_map", height=380, use_container_width=True, returned_objects=[])
        elif layers is None:
            st.caption("This theatre's lines and claim geometries are drawn on the Map page.")
        else:
            st.caption("This claim has no geometry and is not joined to a contested area.")

    with st.expander("History (audit log)"):
        records = store.history(cid)
        st.dataframe(history_table(records), hide_index=True, width="stretch", key=f"claim_history_{tag}")
        versions = revertible_versions(records, version)
        if versions and not read_only:
            by_version = {int(r["version"]): r for r in records}
            h1, h2 = st.columns([3, 1], vertical_alignment="bottom")
            to_version = h1.selectbox(
                "Revert to this version",
                versions,
                index=len(versions) - 1,
                format_func=lambda v: (
                    f"version {v}: {ACTION_LABELS.get(by_version[v]['action'], by_version[v]['action'])} by "
                    f"{by_version[v]['user']}, {str(by_version[v]['at'])[:16].replace('T', ' ')} UTC"
                ),
                key=f"revert_pick_{tag}",
            )
            with h2:
                _dialogs.confirm(
                    f"Revert to version {to_version:d}",
                    key=f"revert_{tag}_{to_version}",
                    message=(
                        f"Revert claim {md_escape(cid)} ({md_escape(_excerpt(selected[S.CLAIM_QUOTE]))}) to version "
                        f"{to_version:d}? This is saved as a new version; the history keeps every version."
                    ),
                    yes_label="Yes, revert",
                    action=lambda: _revert(cid, to_version, version),
                )

    if not read_only:
        with st.form(f"edit_claim_{tag}"):
            st.markdown("**Edit**")
            e_quote = st.text_area("Quote", value=selected[S.CLAIM_QUOTE], key=f"edit_quote_{tag}")
            e_actor = st.text_input("Actor", value=selected[S.CLAIM_ACTOR], key=f"edit_actor_{tag}")
            e_notes = st.text_area("Notes", value=selected[S.CLAIM_NOTES], key=f"edit_notes_{tag}")
            rel_options = [""] + list(ADMIRALTY_SOURCE)
            info_options = [""] + list(ADMIRALTY_INFO)
            e_rel = st.selectbox(
                "Source reliability",
                rel_options,
                key=f"edit_rel_{tag}",
                index=rel_options.index(selected[S.CLAIM_REL_SOURCE] or ""),
                format_func=lambda v: label("reliability_source", v) or "not graded",
            )
            e_info = st.selectbox(
                "Information credibility",
                info_options,
                key=f"edit_info_{tag}",
                index=info_options.index(selected[S.CLAIM_REL_INFO] or ""),
                format_func=lambda v: label("reliability_info", v) or "not graded",
            )
            if st.form_submit_button("Save changes"):
                changes = {
                    S.CLAIM_QUOTE: e_quote,
                    S.CLAIM_ACTOR: e_actor,
                    S.CLAIM_NOTES: e_notes,
                    S.CLAIM_REL_SOURCE: e_rel,
                    S.CLAIM_REL_INFO: e_info,
                }
                _dialogs.act(lambda: _save(cid, version, changes))
        excerpt = _excerpt(selected[S.CLAIM_QUOTE])
        if _state.may(Action.DELETE):
            _dialogs.confirm(
                "Delete claim",
                key=f"delete_{tag}",
                message=(
                    f"Delete claim {md_escape(cid)} ({md_escape(excerpt)})? It leaves the table and the map; "
                    "Undo, or “Deleted claims” below, brings it back."
                ),
                yes_label="Yes, delete",
                action=lambda: _delete(cid, version, excerpt),
            )

# ---- add --------------------------------------------------------------------
if not read_only:
    with st.expander("Add a claim", expanded=selected is None):
        with st.form("add_claim", clear_on_submit=False):
            a1, a2 = st.columns(2)
            quote = a1.text_area("Quote (verbatim)", key="add_quote")
            actor_in = a2.text_input("Actor (who asserts)", key="add_actor")
            party_in = a2.selectbox(
                "Party concerned",
                [*theatre.party_ids, ""],
                format_func=lambda v: party_label(v) or "none",
                key="add_party",
            )
            stance_in = a2.selectbox(
                "Stance", list(S.STANCES), format_func=lambda v: label("stance", v), key="add_stance"
            )
            b1, b2, b3, b4 = st.columns(4)
            kind_in = b1.selectbox(
                "Figure kind",
                ["", "area", "distance", "withdrawal_distance"],
                format_func=lambda v: label("kind", v) or "no figure",
                key="add_kind",
            )
            value_in = b2.text_input("Value", key="add_value", placeholder="500")
            unit_in = b3.text_input("Unit as written", key="add_unit", placeholder="sq km")
            qual_in = b4.selectbox(
                "Qualifier",
                list(S.QUALIFIERS),
                format_func=lambda v: label("qualifier", v) or "none",
                key="add_qualifier",
            )
            c1, c2, c3 = st.columns(3)
            ref_in = c1.selectbox(
                "Reference line", [""] + list(names), format_func=lambda k: names.get(k, "none"), key="add_ref"
            )
            side_in = c2.selectbox(
                "Ground held beyond it by",
                TC.side_options(),
                format_func=lambda v: party_label(v) or "not said",
                key="add_side",
            )
            date_in = c3.text_input("Event date (YYYY-MM-DD)", key="add_event_date")
            st.markdown("**Source**")
            d1, d2, d3 = st.columns(3)
            pub_in = d1.text_input("Publisher", key="add_publisher")
            title_in = d2.text_input("Title", key="add_title")
            url_in = d3.text_input("URL (http/https)", key="add_url")
            e1, e2, e3, e4 = st.columns(4)
            published_in = e1.text_input("Published (YYYY-MM-DD)", key="add_published")
            skind_in = e2.selectbox(
                "Source kind",
                list(S.SOURCE_KINDS),
                format_func=lambda v: label("source_kind", v),
                key="add_source_kind",
            )
            rel_in = e3.selectbox(
                "Source reliability",
                [""] + list(ADMIRALTY_SOURCE),
                format_func=lambda v: label("reliability_source", v) or "not graded",
                key="add_rel",
            )
            info_in = e4.selectbox(
                "Information credibility",
                [""] + list(ADMIRALTY_INFO),
                format_func=lambda v: label("reliability_info", v) or "not graded",
                key="add_info",
            )
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
                    new = store.add_claims([record], _identity.user(), theatre=theatre.id)
                    st.success(f"Added claim {md_escape(new[0])}.")
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
                    _state.show_error(exc)

    deleted = TC.deleted_claims()
    if len(deleted) and _state.may(Action.RESTORE):
        with st.expander(f"Deleted claims ({len(deleted)})"):
            for _, d in deleted.iterrows():
                cols = st.columns([5, 1])
                cols[0].text(f"{d[S.CLAIM_ACTOR]} · {_excerpt(d[S.CLAIM_QUOTE], 120)} (claim {d[S.CLAIM_ID]})")
                if cols[1].button("Restore", key=f"undo_{d[S.CLAIM_ID]}"):
                    _dialogs.act(lambda d=d: _restore(d[S.CLAIM_ID], _excerpt(d[S.CLAIM_QUOTE])))

# ---- disagreements -----------------------------------------------------------
st.subheader("Claims that disagree")
groups = conflicting_groups(claims, TC.contested(), TC.lines())
if groups.empty:
    st.caption("No disagreeing claims about the same ground.")
for _, g in groups.groupby("group"):
    preview = group_preview(g, config.group_claims())  # a large registry puts thousands in a group
    with st.container(border=True):
        st.markdown(f"**{md_escape(g['about'].iloc[0])}**")
        st.caption(md_escape(g["reason"].iloc[0]))
        cols = st.columns(min(len(preview), 4))
        for i, (_, c) in enumerate(preview.iterrows()):
            with cols[i % len(cols)]:
                st.text(f"{c[S.CLAIM_ACTOR]} ({label('stance', c[S.CLAIM_STANCE])}), {c[S.CLAIM_EVENT_DATE]}")
                fig = claim_figure(c)
                if fig:
                    st.metric("figure", fig, label_visibility="collapsed")
                st.caption(
                    f"“{md_escape(c[S.CLAIM_QUOTE], 240)}” — {md_escape(c[S.SOURCE_PUBLISHER])}, "
                    f"{md_escape(c[S.SOURCE_PUBLISHED])}"
                )
        if len(g) > len(preview):
            st.caption(
                f"… and {len(g) - len(preview):,} more claims about this ground. Shown: the lowest and the "
                "highest figure, then the earliest; filter the table above to list them all."
            )
