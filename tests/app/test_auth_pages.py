"""AppTest: sign-in in team mode (mocked trusted header and OIDC), roles in the pages, the read-only public view."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.claims.store import open_store
from pages import _identity

REPO = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"
READ_ST_USER = _identity.oidc_identity  # the real reader of st.user (the fixture below stubs it)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    for name in ("CONTESTED_READ_ONLY", "CONTESTED_ROLES", "CONTESTED_DEFAULT_ROLE", "CONTESTED_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_identity, "request_headers", lambda: {})
    monkeypatch.setattr(_identity, "request_ip", lambda: None)
    monkeypatch.setattr(_identity, "oidc_identity", lambda: None)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def team(monkeypatch):
    """Team mode on the embedded store, with a proxy at PROXY trusted."""
    monkeypatch.setenv("CONTESTED_AUTH_MODE", "team")
    monkeypatch.setenv("CONTESTED_TRUSTED_PROXIES", PROXY)
    monkeypatch.setenv("CONTESTED_ROLES", "ed@desk.example=editor, ad@desk.example=admin")


def _via_proxy(monkeypatch, identity: str, ip: str = PROXY) -> None:
    monkeypatch.setattr(_identity, "request_headers", lambda: {"X-Forwarded-User": identity})
    monkeypatch.setattr(_identity, "request_ip", lambda: ip)


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / f"{name}.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.title])


def _buttons(at) -> set[str]:
    return {b.label for b in at.button}


def select_first_claim(at) -> str:
    """Select the first row of the registry table, as a click does; return its claim id."""
    grid = next(d for d in at.dataframe if d.key and d.key.startswith("claims_table"))
    at.session_state[grid.key] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return str(grid.value["claim"].iloc[0])


def test_team_mode_without_identity_shows_only_the_sign_in_page(team):
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Sign in to Contested Lines" in _texts(at)
    assert not at.text_input and not at.text_area and not at.dataframe  # no form, no data
    with pytest.raises(Exception, match="sign in"):
        _identity.user()


def test_a_header_from_an_untrusted_address_is_no_identity(team, monkeypatch):
    _via_proxy(monkeypatch, "ad@desk.example", ip="192.0.2.9")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert "Sign in to Contested Lines" in _texts(at)


def test_an_editor_behind_the_proxy_adds_under_their_identity_but_sees_no_delete(team, monkeypatch):
    _via_proxy(monkeypatch, "ed@desk.example")
    at = _page("claims")
    assert "Add a claim" in {e.label for e in at.expander}
    cid = select_first_claim(at)
    labels = _buttons(at)
    assert "Delete claim" not in labels and "Restore" not in labels
    assert any("Save changes" == b.label for b in at.button)
    next(e for e in at.text_area if e.label == "Notes").input("checked by the editor")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with open_store(None) as store:
        last = store.history(cid)[-1]
    assert (last["user"], last["action"]) == ("ed@desk.example", "update")


def test_an_oidc_admin_sees_delete_and_the_sidebar_names_them(team, monkeypatch):
    monkeypatch.setattr(_identity, "oidc_identity", lambda: "ad@desk.example")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Working as **ad@" in _texts(at) and "(admin; signed in)" in _texts(at)
    at = _page("claims")
    select_first_claim(at)
    assert "Delete claim" in _buttons(at)


def test_oidc_through_st_user_signs_in_and_signed_out_sees_the_sign_in_button(team, monkeypatch):
    monkeypatch.setattr(_identity, "oidc_identity", READ_ST_USER)  # AppTest's own st.user, no stub
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Sign in to Contested Lines" in _texts(at) and "Sign in" in _buttons(at)  # st.login configured
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.user = {"is_logged_in": True, "email": "ad@desk.example", "sub": "1234"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Working as **ad@" in _texts(at) and "(admin; signed in)" in _texts(at) and "Sign out" in _buttons(at)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.user = {"is_logged_in": True, "sub": "only-a-subject"}  # no e-mail: the subject is the identity
    at.run()
    assert "Working as **only-a-subject** (viewer; signed in)" in _texts(at)


def test_a_viewer_gets_no_form(team, monkeypatch):
    _via_proxy(monkeypatch, "someone@desk.example")  # no role granted: viewer
    at = _page("claims")
    assert "Add a claim" not in {e.label for e in at.expander}
    assert "Read-only" in _texts(at)


def test_read_only_public_view_has_no_write_path_on_any_page(monkeypatch):
    monkeypatch.setenv("CONTESTED_READ_ONLY", "1")
    monkeypatch.setenv("CONTESTED_AUTH_MODE", "team")  # even on a desk: no sign-in, no writes
    with open_store(None) as store:
        before = store.revision()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert "Sign in to Contested Lines" not in _texts(at) and "Public view" in _texts(at)
    claims = _page("claims")
    select_first_claim(claims)
    assert "Add a claim" not in {e.label for e in claims.expander}
    assert not {"Save changes", "Delete claim", "Restore"} & _buttons(claims)
    registry = _page("registry")
    registry.selectbox(key="reg_src_pick").set_value(registry.selectbox(key="reg_src_pick").options[0]).run()
    assert not {"Save source", "Delete source", "Restore source"} & _buttons(registry)
    compare = _page("compare")
    assert all(b.disabled for b in compare.button if b.label == "Save and compare")
    with open_store(None) as store:
        assert store.revision() == before


def test_dashboard_read_only_flag_sets_the_mode(monkeypatch):
    # setenv first, so that monkeypatch records the variable as absent and removes it at the end
    # (a delenv of an absent variable records nothing, and the flag would leak into later tests)
    monkeypatch.setenv("CONTESTED_READ_ONLY", "")
    monkeypatch.delenv("CONTESTED_READ_ONLY")
    _identity.apply_command_line(["--read-only"])
    import os

    assert os.environ.get("CONTESTED_READ_ONLY") == "1"
    monkeypatch.delenv("CONTESTED_READ_ONLY")
    _identity.apply_command_line([])
    assert "CONTESTED_READ_ONLY" not in os.environ


# ----------------------------------------------------------------- read-only: every other page with a write
#: The pages that call a library write, and the test below that shows each has none in read-only mode.
READ_ONLY_TESTED_PAGES = {"claims", "registry", "compare", "theatres", "control", "extract", "import_export"}
#: Library writes a page may call (store methods and geo functions taking a user; see test_auth_write_paths).
WRITE_CALLS = (
    "add_claims(", "add_sources(", "update_claim(", "delete_claim(", "undo_delete(", "update_source(",
    "delete_source(", "restore_source(", "seed_theatre(", "set_role(", "issue_token(", "revoke_tokens(",
    "save_import(", "save_rows(", "save_drawn(", "rename_line(", "delete_line(", "restore_line(",
    "import_series(", "create_theatre(", "create_from_form(", "add_line(", "import_theatre(", "copy_store(",
)  # fmt: skip


def test_every_page_that_writes_is_tried_in_read_only_mode():
    writing = {
        p.stem
        for p in (REPO / "pages").glob("*.py")
        if not p.stem.startswith("_") and any(call in p.read_text(encoding="utf-8") for call in WRITE_CALLS)
    }
    assert writing == READ_ONLY_TESTED_PAGES


def _switch(page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_read_only_theatres_control_extract_import_and_lines_offer_no_write(monkeypatch):
    import json

    from geo.io import line_registry as R
    from geo.io import read_vector, save_import
    from tests.support.claims_helpers import LINE_FEATURES

    (line_id,) = save_import(read_vector(json.dumps(LINE_FEATURES).encode(), "a.geojson"), {}, None)
    with open_store(None) as store:
        before = store.revision()
    lines_before = R.line_history(None)
    monkeypatch.setenv("CONTESTED_READ_ONLY", "1")

    theatres = _switch("theatres")
    assert theatres.button(key="tc_submit").disabled and theatres.button(key="ti_import").disabled
    assert "needs the admin role" in _texts(theatres)
    control = AppTest.from_file(str(REPO / "pages" / "control.py"), default_timeout=180).run()
    assert not control.exception, [e.value for e in control.exception]
    assert not control.file_uploader and not any(b.key == "control_import" for b in control.button)

    extract = _switch("extract")
    extract.text_area(key="ex_text").input("Kiev said the rebels seized more than 500 sq km on 20 January 2015.")
    extract.text_input(key="ex_url").input("https://example.org/ro")
    extract.button(key="ex_propose").click().run()
    extract.session_state["ex_editor"] = {"edited_rows": {0: {"save": True}}, "added_rows": [], "deleted_rows": []}
    extract.run()
    assert "(1)" in extract.button(key="ex_save").label  # one row ticked, and still no way to save it
    assert extract.button(key="ex_save").disabled  # (AppTest, like a browser, cannot click it)
    assert "Read-only: you may read and export" in _texts(extract) and "audit view" not in _texts(extract)

    imports = _switch("import_export")
    imports.radio(key="ie_as").set_value("line")
    imports.file_uploader(key="ie_upload").set_value(("l.geojson", json.dumps(LINE_FEATURES).encode(), "x")).run()
    assert imports.button(key="ie_save").disabled

    registry = _switch("registry")
    registry.selectbox(key="reg_line_pick").set_value(line_id).run()
    assert not {"Rename line", "Delete line", "Restore line"} & _buttons(registry)

    with open_store(None) as store:
        assert store.revision() == before
    assert R.line_history(None) == lines_before
