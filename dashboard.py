"""Contested Lines: the Streamlit entry point (router only, no logic)."""

import streamlit as st

from pages import _identity, _sidebar, _state

_identity.apply_command_line()  # `streamlit run dashboard.py -- --read-only`: the public view
_state.ensure_navigation()  # a deep link or a fresh server: let st.navigation route it
st.set_page_config(page_title="Contested Lines", page_icon="🗺️", layout="wide")

map_page = st.Page("pages/map.py", title="Map", icon=":material/map:", default=True)  # served at /
pages = [
    map_page,
    st.Page("pages/claims.py", title="Claims", icon=":material/fact_check:", url_path="claims"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/extract.py", title="Extract", icon=":material/edit_note:", url_path="extract"),
    st.Page("pages/import_export.py", title="Import / export", icon=":material/swap_vert:", url_path="import-export"),
    st.Page("pages/control.py", title="Control maps", icon=":material/timeline:", url_path="control"),
    st.Page("pages/registry.py", title="Sources and lines", icon=":material/edit_document:", url_path="sources-lines"),
    st.Page("pages/theatres.py", title="Theatres", icon=":material/public:", url_path="theatres"),
]
nav = st.navigation(pages)
if not _identity.signed_in_or_public():  # team mode without an identity: the sign-in page only
    st.stop()
# The shared sidebar; a browser session's first Map run draws it once the map is sent (pages/_sidebar.py).
_sidebar.sidebar(page_is_map=nav.url_path == map_page.url_path)
try:
    nav.run()
except Exception as exc:  # noqa: BLE001 - no traceback for users; see _state.page_failed
    _state.page_failed(exc)
_sidebar.draw_deferred()  # the page failed before it drew the deferred sidebar
