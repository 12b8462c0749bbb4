"""Extract page: paste or upload text, get proposed claims, tick and save them with their source."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.claims import proposals as P
from geo.html import md_escape
from geo.text import DIMENSIONS, QUALIFIER_DETAILS, extract
from geo.text.actors import THEATRE_ACTORS, actor_table
from pages import _identity, _state
from pages import _theatre_claims as TC

PROPOSALS_KEY = "ex_proposals"
ROWS_KEY = "ex_rows"
EDITOR_KEY = "ex_editor"
RESULT_KEY = "ex_saved"

st.title("Extract claims from text")
theatre = TC.theatre()
TC.caption()
st.caption(
    "Paste an article or statement (or upload a UTF-8 .txt). Each figure that states a claim is "
    "marked in its sentence and proposed as a numbered row: tick it to accept, edit its cells to "
    "correct it, leave it unticked to reject it; then save the ticked rows with the source."
)
names = TC.line_names()
read_only = TC.read_only()

left, right = st.columns([3, 2])
with left:
    text_in = st.text_area(
        "Text",
        key="ex_text",
        height=220,
        max_chars=P.MAX_TEXT_CHARS,
        placeholder="The ministry said on Tuesday that more than 500 sq km…",
    )
    upload = st.file_uploader(
        "…or upload a .txt file (UTF-8)",
        type=["txt"],
        key="ex_upload",
        max_upload_size=max(1, P.MAX_TEXT_BYTES // (1024 * 1024)),
    )
with right:
    published = st.date_input(
        "Published", key="ex_published", value=dt.date.today(), min_value=dt.date(1990, 1, 1), max_value=dt.date.today()
    )
    publisher = st.text_input("Publisher", key="ex_publisher", placeholder="The Moscow Times")
    title = st.text_input("Title", key="ex_title")
    url = st.text_input("URL (http/https)", key="ex_url")
    c1, c2 = st.columns(2)
    language = c1.text_input("Language", key="ex_language", placeholder="en")
    source_kind = c2.selectbox("Source kind", list(S.SOURCE_KINDS), key="ex_source_kind")

if st.button("Propose claims", key="ex_propose", type="primary"):
    text = text_in
    try:
        if upload is not None:
            text = P.check_text_size(P.decode_text(upload.getvalue(), upload.name), upload.name)
        else:
            text = P.check_text_size(text or "")
        if not (text or "").strip():
            st.warning("Paste some text or upload a .txt file first.")
        else:
            # the theatre's own actors.csv (a user theatre's too) beside the shipped actors
            actors = actor_table([theatre.path / THEATRE_ACTORS])
            found = extract(text, published, actors=actors)
            st.session_state[PROPOSALS_KEY] = found
            table = pd.DataFrame([P.proposal_row(p, actors) for p in found], columns=list(P.ROW_COLUMNS))
            # rows numbered from 1, as the list above and the error messages number them
            table.index = pd.RangeIndex(1, len(table) + 1, name="row")
            st.session_state[ROWS_KEY] = table
            st.session_state.pop(EDITOR_KEY, None)  # new proposals: forget edits of the old ones
            st.session_state.pop(RESULT_KEY, None)
    except P.DataFileError as exc:  # too long, not UTF-8: shown, nothing proposed
        st.session_state.pop(PROPOSALS_KEY, None)
        _state.show_error(exc)
    except Exception as exc:  # noqa: BLE001 - shown to the user
        _state.show_error(exc)

found = st.session_state.get(PROPOSALS_KEY)
if found is not None:
    st.subheader(f"Proposed claims ({len(found)})")
    if not found:
        st.info("No sentence in this text states ground gained, lost, held or withdrawn with a figure.")
    else:
        for i, p in enumerate(found, start=1):
            with st.container(border=True):
                st.markdown(
                    f"<b>{i:d}.</b> {P.highlight_html(p.sentence, p.span)}",
                    unsafe_allow_html=True,
                )
                for w in p.warnings:
                    st.text(f"⚠ {w}")
        rows = st.session_state[ROWS_KEY].copy()
        parties, sides = list(dict.fromkeys([*theatre.party_ids, *P.PARTIES])), TC.side_options()
        # a proposed side or line this theatre does not have is left for the analyst to choose
        rows[S.CLAIM_SIDE] = rows[S.CLAIM_SIDE].where(rows[S.CLAIM_SIDE].isin(sides), "")
        rows[S.CLAIM_REFERENCE_LINE] = rows[S.CLAIM_REFERENCE_LINE].where(
            rows[S.CLAIM_REFERENCE_LINE].isin(list(names)), ""
        )
        for col in (S.CLAIM_EVENT_DATE, P.PERIOD_START, P.PERIOD_END):
            rows[col] = pd.to_datetime(rows[col])
        line_ids = [""] + list(names)
        edited = st.data_editor(
            rows,
            key=EDITOR_KEY,
            hide_index=False,
            num_rows="fixed",
            width="stretch",
            column_config={
                P.SAVE: st.column_config.CheckboxColumn("save", help="Tick to save this row"),
                P.SENTENCE: st.column_config.TextColumn("sentence", disabled=True, width="large"),
                S.CLAIM_KIND: st.column_config.SelectboxColumn("kind", options=list(S.CLAIM_KINDS)),
                S.CLAIM_VALUE: st.column_config.NumberColumn("value"),
                P.VALUE_MAX: st.column_config.NumberColumn(
                    "up to (range)", help="Upper bound of the figure, in its unit; the figure itself when not a range"
                ),
                S.CLAIM_UNIT: st.column_config.TextColumn("unit"),
                S.CLAIM_VALUE_KM2: st.column_config.NumberColumn("km² (proposed)", disabled=True),
                S.CLAIM_VALUE_KM: st.column_config.NumberColumn("km (proposed)", disabled=True),
                S.CLAIM_QUALIFIER: st.column_config.SelectboxColumn("qualifier", options=list(S.QUALIFIERS)),
                P.QUALIFIER_DETAIL: st.column_config.SelectboxColumn(
                    "qualifier as read", options=list(QUALIFIER_DETAILS), help="Kept in the claim's notes"
                ),
                P.DIMENSION: st.column_config.SelectboxColumn(
                    "dimension", options=list(DIMENSIONS), help="What a length measures (none for an area)"
                ),
                P.PERIOD_START: st.column_config.DateColumn("period from", format="YYYY-MM-DD"),
                P.PERIOD_END: st.column_config.DateColumn("period to", format="YYYY-MM-DD"),
                P.REFERENCE: st.column_config.TextColumn("reference phrase", disabled=True),
                S.CLAIM_REFERENCE_LINE: st.column_config.SelectboxColumn(
                    "reference line", options=line_ids, help=md_escape("; ".join(f"{k}: {v}" for k, v in names.items()))
                ),
                S.CLAIM_ACTOR: st.column_config.TextColumn("actor (asserts)"),
                P.TARGET: st.column_config.TextColumn("target"),
                S.CLAIM_PARTY: st.column_config.SelectboxColumn("party", options=parties),
                S.CLAIM_SIDE: st.column_config.SelectboxColumn("held beyond line by", options=sides),
                S.CLAIM_STANCE: st.column_config.SelectboxColumn("stance", options=list(S.STANCES)),
                S.CLAIM_EVENT_DATE: st.column_config.DateColumn("event date", format="YYYY-MM-DD"),
                P.WARNINGS: st.column_config.TextColumn("warnings", disabled=True),
            },
        )
        ticked = int(edited[P.SAVE].fillna(False).astype(bool).sum())
        if read_only:
            st.info(md_escape(TC.read_only_reason()))
        if st.button(f"Save selected to registry ({ticked:d})", key="ex_save", disabled=read_only or ticked == 0):
            source = P.source_record(
                publisher=publisher,
                title=title,
                url=url,
                published=published,
                language=language,
                source_kind=source_kind,
            )
            try:
                ids = P.save_rows(
                    _state.store(),
                    edited.to_dict("records"),
                    source,
                    _identity.user(),
                    st.session_state[PROPOSALS_KEY],
                    theatre=theatre.id,
                )
                st.session_state[RESULT_KEY] = ids
            except Exception as exc:  # noqa: BLE001 - shown to the user, nothing stored
                _state.show_error(exc)

saved = st.session_state.get(RESULT_KEY)
if saved:
    st.success(
        f"Saved {len(saved)} claim(s) to the registry ({md_escape(theatre.name)}): {md_escape(', '.join(saved))}"
    )
