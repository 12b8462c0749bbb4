"""Sources and lines page: edit, delete and restore sources; rename, delete and restore imported and drawn lines."""

from __future__ import annotations

import hashlib

import streamlit as st

from geo import schema as S
from geo.auth import Action
from geo.html import md_escape
from geo.io import line_registry as R
from pages import _dialogs, _identity, _state

EDITABLE = [c for c in S.SOURCE_COLUMNS if c != S.SOURCE_ID]
SOURCE_TABLE = [S.SOURCE_ID, *EDITABLE, "version"]
SEEN_KEY = "reg_src_seen_versions"
LINE_TABLE = [S.LINE_ID, S.LINE_NAME, S.LINE_DATE, S.LINE_KIND, S.LINE_SOURCES]

st.title("Sources and lines")
_dialogs.show_done()
store = _state.store()
if _state.as_of():
    st.info("This page edits the registry as it is now; the sidebar's 'As known on' date does not apply here.")
tab_sources, tab_lines = st.tabs(["Sources", "Imported and drawn lines"])


# ---- sources ----------------------------------------------------------------
def _delete_source(sid: str, version: int, user: str) -> _dialogs.Done:
    gone = store.delete_source(sid, user, expected_version=version)

    def undo() -> str:
        back = store.restore_source(sid, user)
        return f"Restored source {md_escape(back.source_id)}."

    return _dialogs.Done(f"Deleted source {md_escape(gone.source_id)} (it can be restored).", "Undo delete", undo)


with tab_sources:
    show_deleted = st.toggle("Show deleted sources", key="reg_src_show_deleted")
    sources = store.list_sources(include_deleted=show_deleted)
    st.dataframe(
        sources[SOURCE_TABLE + (["deleted"] if show_deleted else [])],
        hide_index=True,
        width="stretch",
        key="reg_src_table",
    )
    ids = list(sources[S.SOURCE_ID])
    by_id = sources.set_index(S.SOURCE_ID)
    sid = st.selectbox(
        "Source to edit",
        ids,
        index=None,
        key="reg_src_pick",
        placeholder="choose a source",
        format_func=lambda i: f"{i}: {by_id.loc[i, S.SOURCE_PUBLISHER]}"[:120],
    )
    if sid is not None:
        src = by_id.loc[sid]
        seen = st.session_state.setdefault(SEEN_KEY, {})
        current = int(src["version"])
        version = seen.setdefault(sid, current)  # the version the form was opened on
        if version != current:
            st.warning(
                f"Source {md_escape(sid)} was changed by someone else since you opened it (now version {current:d}); "
                "saving your form will be refused. Reload to see the new version."
            )
            if st.button("Reload source", key=f"reg_src_reload_{sid}_{current}"):
                seen[sid] = current
                st.rerun()
        if bool(src["deleted"]):
            st.caption(f"Source {md_escape(sid)} is deleted.")
            if _state.may(Action.RESTORE) and st.button("Restore source", key=f"reg_src_restore_{sid}"):
                try:
                    back = store.restore_source(sid, _identity.user())
                    st.session_state[_dialogs.DONE_KEY] = _dialogs.Done(f"Restored source {md_escape(back.source_id)}.")
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown, nothing stored
                    _state.show_error(exc)
        elif _state.may(Action.EDIT):
            with st.form(key=f"reg_src_form_{sid}_{version}"):
                values = {
                    field: st.text_input(field, value=str(src[field]), key=f"reg_src_{field}_{sid}_{version}")
                    for field in EDITABLE
                }
                saved = st.form_submit_button("Save source", key=f"reg_src_save_{sid}_{version}")
            if saved:
                try:
                    new = store.update_source(sid, values, user=_identity.user(), expected_version=version)
                    seen[sid] = new.version
                    st.session_state[_dialogs.DONE_KEY] = _dialogs.Done(
                        f"Saved source {md_escape(new.source_id)} (version {new.version:d})."
                    )
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown, nothing stored
                    _state.show_error(exc)
            citing = store.claims_citing(sid)
            if citing:
                shown = ", ".join(citing[:10]) + (" …" if len(citing) > 10 else "")
                st.caption(f"Cited by {len(citing):d} claim(s): {md_escape(shown)}. A cited source cannot be deleted.")
            if _state.may(Action.DELETE):
                _dialogs.confirm(
                    "Delete source",
                    key=f"reg_src_delete_{sid}_{version}",
                    message=(
                        f"Delete source **{md_escape(sid)}** ({md_escape(src[S.SOURCE_PUBLISHER])})? "
                        "It stays in the audit log and can be restored."
                    ),
                    action=lambda: _delete_source(sid, version, _identity.user()),
                    disabled=bool(citing),
                    help="Delete or re-source the claims that cite it first" if citing else None,
                )


# ---- lines ------------------------------------------------------------------
def _delete_line(line_id: str, user: str) -> _dialogs.Done:
    cited = R.claims_citing_line(store.list_claims(), line_id)
    R.delete_line(line_id, user=user, cited_by=cited)

    def undo() -> str:
        R.restore_line(line_id, user=user)
        return f"Restored line {line_id}."

    return _dialogs.Done(f"Deleted line {md_escape(line_id)} (it can be restored).", "Undo delete", undo)


with tab_lines:
    try:
        lines = R.list_lines()
        gone = R.deleted_lines()
    except Exception as exc:  # noqa: BLE001 - a damaged user file: say which
        _state.show_error(exc)
        st.stop()
    if lines.empty:
        st.caption("No imported or drawn lines yet (import them on the Import / export page, draw them on Compare).")
    else:
        st.dataframe(lines[LINE_TABLE], hide_index=True, width="stretch", key="reg_lines_table")
        names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
        line_id = st.selectbox(
            "Line",
            list(names),
            index=None,
            key="reg_line_pick",
            placeholder="choose a line",
            format_func=lambda i: f"{names[i]} ({i})"[:140],
        )
        if line_id is not None and _state.may(Action.EDIT):
            tag = hashlib.sha1(f"{line_id}\0{names[line_id]}".encode()).hexdigest()[:8]
            with st.form(key=f"reg_line_form_{tag}"):
                new_name = st.text_input("Name", value=names[line_id], key=f"reg_line_name_{tag}")
                renamed = st.form_submit_button("Rename line", key=f"reg_line_rename_{tag}")
            if renamed:
                try:
                    R.rename_line(line_id, new_name, user=_identity.user())
                    st.session_state[_dialogs.DONE_KEY] = _dialogs.Done(f"Renamed line {md_escape(line_id)}.")
                    st.rerun()
                except Exception as exc:  # noqa: BLE001 - shown, nothing stored
                    _state.show_error(exc)
            cited = R.claims_citing_line(store.list_claims(), line_id)
            if cited:
                shown = ", ".join(cited[:10]) + (" …" if len(cited) > 10 else "")
                st.caption(f"Reference line of {len(cited):d} claim(s): {md_escape(shown)}. It cannot be deleted.")
            if _state.may(Action.DELETE):
                _dialogs.confirm(
                    "Delete line",
                    key=f"reg_line_delete_{tag}",
                    message=f"Delete line **{md_escape(names[line_id])}** ({md_escape(line_id)})? It can be restored.",
                    action=lambda: _delete_line(line_id, _identity.user()),
                    disabled=bool(cited),
                )
    if not gone.empty and _state.may(Action.RESTORE):
        st.markdown("**Deleted lines**")
        st.dataframe(gone, hide_index=True, width="stretch", key="reg_lines_deleted")
        pick = st.selectbox("Deleted line", list(gone[S.LINE_ID]), index=None, key="reg_line_restore_pick")
        if pick is not None and st.button("Restore line", key="reg_line_restore"):
            try:
                R.restore_line(pick, user=_identity.user())
                st.session_state[_dialogs.DONE_KEY] = _dialogs.Done(f"Restored line {md_escape(pick)}.")
                st.rerun()
            except Exception as exc:  # noqa: BLE001 - shown, nothing stored
                _state.show_error(exc)
