"""AppTest of the Sources and lines page (pages/registry.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.claims.store import open_store
from geo.html import md_escape
from geo.io import line_registry as R
from geo.io import load_user_lines, read_vector, save_import

REPO = Path(__file__).resolve().parents[2]
NEW = {S.SOURCE_ID: "wire-1", S.SOURCE_PUBLISHER: "Wire", S.SOURCE_KIND: "news", S.SOURCE_URL: "https://example.org/w"}


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


def _app() -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / "registry.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _add_source():
    with open_store(None) as s:
        s.add_sources([NEW], user="setup")


def test_edit_a_source_through_its_form(monkeypatch):
    monkeypatch.setenv("CONTESTED_USER", "analyst")  # the embedded mode's local user
    _add_source()
    at = _app()
    at.selectbox(key="reg_src_pick").set_value("wire-1").run()
    at.text_input(key="reg_src_title_wire-1_1").input("Better title")
    _ok(at.button(key="reg_src_save_wire-1_1").click().run())
    assert any("version 2" in s.value for s in at.success)
    with open_store(None) as s:
        src = s.get_source("wire-1")
        log = s.audit_log(entity="source")
    assert src.title == "Better title" and src.version == 2
    assert log.iloc[-1]["action"] == "update" and log.iloc[-1]["user"] == "analyst"


def test_a_stale_source_form_is_refused_and_says_why():
    _add_source()
    at = _app()
    at.selectbox(key="reg_src_pick").set_value("wire-1").run()
    with open_store(None) as s:  # someone else edits meanwhile
        s.update_source("wire-1", {S.SOURCE_TITLE: "theirs"}, user="other", expected_version=1)
    at.text_input(key="reg_src_title_wire-1_1").input("mine")
    at.button(key="reg_src_save_wire-1_1").click().run()
    assert not at.exception
    assert any("changed by other" in e.value for e in at.error)
    with open_store(None) as s:
        assert s.get_source("wire-1").title == "theirs"


def test_delete_a_source_asks_first():
    _add_source()
    at = _app()
    at.selectbox(key="reg_src_pick").set_value("wire-1").run()
    at.button(key="reg_src_delete_wire-1_1").click().run()
    with open_store(None) as s:
        assert not s.get_source("wire-1").deleted  # only asked so far
    want = f"Delete source **{md_escape('wire-1')}** ({md_escape('Wire')})?"
    assert any(m.value.startswith(want) for m in at.markdown), [m.value for m in at.markdown]
    assert at.button(key="reg_src_delete_wire-1_1__yes") and at.button(key="reg_src_delete_wire-1_1__no")
    # "Yes" runs inside the dialog's fragment, which AppTest does not rerun: see test_browser_registry.py


def test_a_cited_source_cannot_be_deleted_and_lists_its_claims():
    at = _app()
    with open_store(None) as s:
        claims = s.list_claims()
    sid = claims[S.CLAIM_SOURCE_ID].iloc[0]
    at.selectbox(key="reg_src_pick").set_value(sid).run()
    delete = next(b for b in at.button if b.key.startswith(f"reg_src_delete_{sid}_"))
    assert delete.disabled
    citing = sorted(claims.loc[claims[S.CLAIM_SOURCE_ID] == sid, S.CLAIM_ID])
    assert any(citing[0] in c.value and "cannot be deleted" in c.value for c in at.caption)


def _import_line(name="Alpha"):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "date": "2015-01-20"},
                "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]},
            }
        ],
    }
    return save_import(read_vector(json.dumps(fc).encode(), "a.geojson"))[0]


def test_rename_a_line_and_delete_asks_first():
    line_id = _import_line()
    at = _app()
    at.selectbox(key="reg_line_pick").set_value(line_id).run()
    name_box = next(t for t in at.text_input if t.key.startswith("reg_line_name_"))
    name_box.input("<b>Alpha</b> (OSCE)")
    _ok(next(b for b in at.button if b.key.startswith("reg_line_rename_")).click().run())
    assert list(load_user_lines()["name"]) == ["<b>Alpha</b> (OSCE)"]
    at.selectbox(key="reg_line_pick").set_value(line_id).run()
    delete = next(b for b in at.button if b.key.startswith("reg_line_delete_") and not b.key.endswith("__yes"))
    delete.click().run()
    want = f"**{md_escape('<b>Alpha</b> (OSCE)')}**"
    assert any(want in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert all("<b>" not in m.value for m in at.markdown)  # the name is never live HTML
    assert at.button(key=f"{delete.key}__yes")
    assert list(load_user_lines()["line_id"]) == [line_id]  # only asked so far
    assert [h["action"] for h in R.line_history(line_id)] == ["rename"]


def test_a_too_long_line_name_is_refused_on_the_page():
    line_id = _import_line()
    at = _app()
    at.selectbox(key="reg_line_pick").set_value(line_id).run()
    next(t for t in at.text_input if t.key.startswith("reg_line_name_")).input("N" * 5000)
    next(b for b in at.button if b.key.startswith("reg_line_rename_")).click().run()
    assert not at.exception and any("at most 200 characters" in e.value for e in at.error)
    assert list(load_user_lines()["name"]) == ["Alpha"]
