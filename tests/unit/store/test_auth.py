"""Principals, roles and read-only mode enforced by the library (geo/auth.py and every store write)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from geo import schema as S
from geo.auth import (
    ENV_READ_ONLY,
    ENV_TRUSTED_PROXIES,
    Action,
    Principal,
    Role,
    identity_from_headers,
    local_principal,
    require,
    role_for,
)
from geo.claims.store import copy_store, open_store
from geo.errors import ConflictError, PermissionDenied, ValidationError
from geo.io import line_registry as R
from geo.io import read_vector, save_import
from tests.support.claims_helpers import LINE_FEATURES, SEED_SOURCE, claim_row, write_seed

VIEWER = Principal("vi@desk.example", Role.VIEWER, "oidc")
EDITOR = Principal("ed@desk.example", Role.EDITOR, "oidc")
ADMIN = Principal("ad@desk.example", Role.ADMIN, "header")


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "claims.sqlite", seed_dir=write_seed(tmp_path / "seed"))
    yield s
    s.close()


def _line_file(d):
    fc = LINE_FEATURES
    return read_vector(json.dumps(fc).encode(), "a.geojson")


def _claims_file():
    props = {k: v for k, v in claim_row(7).items() if k != S.CLAIM_GEOMETRY}
    feature = {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [37.6, 48.1]}}
    fc = {"type": "FeatureCollection", "features": [feature]}
    return read_vector(json.dumps(fc).encode(), "claims.geojson", as_="claims")


# ----------------------------------------------------------------- the role ladder
@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        (VIEWER, {Action.READ, Action.EXPORT}),
        (EDITOR, {Action.READ, Action.EXPORT, Action.ADD, Action.EDIT, Action.IMPORT}),
        (ADMIN, set(Action)),
    ],
)
def test_each_role_may_do_exactly_its_actions(principal, allowed):
    for action in Action:
        assert principal.may(action) == (action in allowed), (principal.role, action)
        if action not in allowed:
            with pytest.raises(PermissionDenied, match=principal.identity):
                require(principal, action)


def test_no_principal_and_bad_identities_are_refused():
    with pytest.raises(PermissionDenied, match="sign in"):
        require(None, Action.ADD)
    for bad in ("", "   ", "a\x00b", "x" * 101):
        with pytest.raises(ValidationError):
            Principal(bad, Role.ADMIN, "oidc")
    with pytest.raises(ValidationError, match="role"):
        Principal("ana", "owner", "oidc")


def test_viewer_may_read_but_every_store_write_is_refused_and_nothing_changes(store):
    before = store.revision()
    claims = store.list_claims()
    cid = claims[S.CLAIM_ID].iloc[0]
    writes = [
        lambda: store.add_claims([claim_row(1)], VIEWER),
        lambda: store.add_sources([{**SEED_SOURCE, S.SOURCE_ID: "s-new", S.SOURCE_URL: ""}], VIEWER),
        lambda: store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user=VIEWER, expected_version=1),
        lambda: store.delete_claim(cid, VIEWER, expected_version=1),
        lambda: store.undo_delete(cid, VIEWER),
        lambda: store.update_source(SEED_SOURCE[S.SOURCE_ID], {S.SOURCE_TITLE: "t"}, user=VIEWER, expected_version=1),
        lambda: store.set_role("bo", "admin", VIEWER),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied, match="vi@desk.example"):
            write()
    assert store.revision() == before and store.roles() == {}


def test_editor_adds_and_edits_any_claim_with_the_version_check_but_may_not_delete(store):
    (cid,) = store.add_claims([claim_row(1)], ADMIN)
    new = store.update_claim(cid, {S.CLAIM_NOTES: "checked"}, user=EDITOR, expected_version=1)
    assert new.version == 2
    with pytest.raises(ConflictError):
        store.update_claim(cid, {S.CLAIM_NOTES: "stale"}, user=EDITOR, expected_version=1)
    with pytest.raises(PermissionDenied, match="admin"):
        store.delete_claim(cid, EDITOR, expected_version=2)
    with pytest.raises(PermissionDenied):
        store.delete_source(SEED_SOURCE[S.SOURCE_ID], EDITOR, expected_version=1)
    store.delete_claim(cid, ADMIN, expected_version=2)
    store.undo_delete(cid, ADMIN)
    assert [(r["user"], r["action"]) for r in store.history(cid)] == [
        ("ad@desk.example", "insert"),
        ("ed@desk.example", "update"),
        ("ad@desk.example", "delete"),
        ("ad@desk.example", "restore"),
    ]


def test_a_store_taking_principals_only_refuses_typed_names(store):
    store.accept_names = False
    with pytest.raises(PermissionDenied, match="typed name"):
        store.add_claims([claim_row(1)], "ana")
    assert store.add_claims([claim_row(1)], EDITOR)


def test_roles_table_is_managed_by_admins_and_wins_over_the_mapping(store, monkeypatch):
    store.set_role("bo@desk.example", "editor", ADMIN)
    assert store.roles() == {"bo@desk.example": "editor"}
    monkeypatch.setenv("CONTESTED_ROLES", "bo@desk.example=admin, cy@desk.example=admin")
    assert role_for("bo@desk.example", store.roles()) is Role.EDITOR
    assert role_for("cy@desk.example", store.roles()) is Role.ADMIN
    assert role_for("nobody@desk.example", store.roles()) is Role.VIEWER
    with pytest.raises(PermissionDenied):
        store.set_role("bo@desk.example", "admin", EDITOR)
    store.set_role("bo@desk.example", None, ADMIN)
    assert store.roles() == {}


# ----------------------------------------------------------------- read-only mode
def test_read_only_mode_refuses_every_library_write_even_for_an_admin(store, tmp_path, monkeypatch):
    lines_dir = tmp_path / "lines"
    (line_id,) = save_import(_line_file(lines_dir), {}, lines_dir, user=ADMIN)
    claims = store.list_claims()
    cid = claims[S.CLAIM_ID].iloc[0]
    before, log_before = store.revision(), R.line_history(None, lines_dir)
    monkeypatch.setenv(ENV_READ_ONLY, "1")
    target = open_store(tmp_path / "copy.sqlite", seed=False)
    writes = {
        "add claims": lambda: store.add_claims([claim_row(1)], ADMIN),
        "add claims by name": lambda: store.add_claims([claim_row(1)], "ana"),
        "add sources": lambda: store.add_sources([{**SEED_SOURCE, S.SOURCE_ID: "s2", S.SOURCE_URL: ""}], ADMIN),
        "edit claim": lambda: store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user=ADMIN, expected_version=1),
        "delete claim": lambda: store.delete_claim(cid, ADMIN, expected_version=1),
        "restore claim": lambda: store.undo_delete(cid, ADMIN),
        "edit source": lambda: store.update_source(
            SEED_SOURCE[S.SOURCE_ID], {"title": "t"}, user=ADMIN, expected_version=1
        ),
        "delete source": lambda: store.delete_source(SEED_SOURCE[S.SOURCE_ID], ADMIN, expected_version=1),
        "restore source": lambda: store.restore_source(SEED_SOURCE[S.SOURCE_ID], ADMIN),
        "grant role": lambda: store.set_role("bo", "editor", ADMIN),
        "import claims": lambda: save_import(_claims_file(), {}, store, user=ADMIN),
        "import lines": lambda: save_import(_line_file(lines_dir), {}, lines_dir, user=ADMIN),
        "rename line": lambda: R.rename_line(line_id, "Beta", user=ADMIN, data_dir=lines_dir),
        "delete line": lambda: R.delete_line(line_id, user=ADMIN, data_dir=lines_dir),
        "restore line": lambda: R.restore_line(line_id, user=ADMIN, data_dir=lines_dir),
        "migrate": lambda: copy_store(store, target, user=ADMIN),
    }
    for name, write in writes.items():
        with pytest.raises(PermissionDenied, match="read-only"):
            write()
            pytest.fail(f"{name} was allowed in read-only mode")
    target.close()
    assert store.revision() == before and R.line_history(None, lines_dir) == log_before
    assert len(store.list_claims()) == len(claims)  # reading still works


def test_local_principal_is_an_admin_named_after_the_os_user(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst")
    assert local_principal() == Principal("analyst", Role.ADMIN, "os")


# ----------------------------------------------------------------- trusted header
def test_identity_header_is_believed_only_from_an_allow_listed_proxy(monkeypatch):
    headers = {"x-auth-request-email": "ana@desk.example"}
    assert identity_from_headers(headers, "127.0.0.1") is None  # nothing trusted by default
    monkeypatch.setenv(ENV_TRUSTED_PROXIES, "127.0.0.1, 10.1.0.0/16")
    assert identity_from_headers(headers, "127.0.0.1") == "ana@desk.example"
    assert identity_from_headers(headers, "10.1.2.3") == "ana@desk.example"
    assert identity_from_headers(headers, "10.2.0.1") is None
    assert identity_from_headers(headers, None) is None
    assert identity_from_headers({}, "127.0.0.1") is None
    assert identity_from_headers({"X-Forwarded-User": "bad\x01name"}, "127.0.0.1") is None
    with pytest.raises(ValidationError, match=ENV_TRUSTED_PROXIES):
        identity_from_headers(headers, "127.0.0.1", trusted="not-an-address")


# ----------------------------------------------------------------- the hash chain (SQLite)
def test_verify_finds_the_first_changed_removed_or_forged_record(store, tmp_path):
    (cid,) = store.add_claims([claim_row(1)], EDITOR)
    store.update_claim(cid, {S.CLAIM_NOTES: "one"}, user=EDITOR, expected_version=1)
    store.update_claim(cid, {S.CLAIM_NOTES: "two"}, user=EDITOR, expected_version=2)
    report = store.verify_audit()
    assert report["ok"] and report["sealed"] == report["records"] and report["first_tampered"] is None
    ids = list(store.audit_log()["audit_id"])
    conn = sqlite3.connect(store.location)
    # whoever owns the file can drop the append-only trigger; the chain still tells
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET who = 'mallory' WHERE audit_id = ?", (ids[-2],))
    conn.commit()
    bad = store.verify_audit()
    assert not bad["ok"] and bad["first_tampered"]["audit_id"] == ids[-2]
    conn.execute("UPDATE audit_log SET who = 'ed@desk.example' WHERE audit_id = ?", (ids[-2],))
    conn.commit()
    assert store.verify_audit()["ok"]  # put back exactly: intact again
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE audit_id = ?", (ids[3],))
    conn.commit()
    conn.close()
    gone = store.verify_audit()
    assert not gone["ok"] and gone["first_tampered"]["audit_id"] == ids[4]
