"""Roles and command-line tokens in the registry (geo.claims.store.sql_tokens): tokens issued by admins,
kept as hashes, resolved to their principal, revoked with the identity's role; every grant and token
audited in the hash chain (issue 19, item 4); on both backends. An embedded store of schema 6 is rebuilt
to the widened audit log without losing a record."""

from __future__ import annotations

import json
import sqlite3

import pytest

from geo.auth import PermissionDenied, Principal, Role, token_digest
from geo.claims.store import open_store
from geo.claims.store.audit_chain import chain_hash
from geo.claims.store.sql_tokens import TOKEN_ID_DIGITS
from geo.claims.store.sqlite import MIGRATIONS
from geo.errors import ValidationError
from tests.support.claims_helpers import RawSQLError, execute_raw
from tests.support.old_store import build_old_store, old_claim
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

ADMIN = Principal("ad@desk.example", Role.ADMIN, "oidc")
EDITOR = Principal("ed@desk.example", Role.EDITOR, "oidc")


@pytest.fixture(params=["sqlite", "postgis"])
def store(request, tmp_path):
    target = str(tmp_path / "claims.sqlite") if request.param == "sqlite" else request.getfixturevalue("pg_store_url")
    s = open_store(target, seed=False)
    yield s
    s.close()


def test_a_token_resolves_to_its_identity_and_role_and_only_its_hash_is_kept(store, tmp_path):
    token = store.issue_token("bot@desk.example", "editor", ADMIN)
    who = store.token_principal(token)
    assert (who.identity, str(who.role), who.source) == ("bot@desk.example", "editor", "token")
    listed = store.tokens()
    assert [(t["identity"], t["role"], t["issued_by"]) for t in listed] == [
        ("bot@desk.example", "editor", "ad@desk.example")
    ]
    assert listed[0]["token_id"] == token_digest(token)[:TOKEN_ID_DIGITS]
    assert token not in repr(listed)
    if str(getattr(store, "path", "")).endswith(".sqlite"):
        with sqlite3.connect(store.path) as db:
            rows = db.execute("SELECT token_hash FROM tokens").fetchall()
        assert rows == [(token_digest(token),)]


def test_unknown_blank_and_revoked_tokens_resolve_to_nobody(store):
    token = store.issue_token("bot@desk.example", "viewer", ADMIN)
    assert store.token_principal("ctl_not-a-token") is None
    assert store.token_principal("  ") is None
    assert store.revoke_tokens("bot@desk.example", ADMIN) == 1
    assert store.token_principal(token) is None and store.tokens() == []


def test_lowering_a_role_revokes_the_tokens_above_it(store):
    high = store.issue_token("ana@desk.example", "admin", ADMIN)
    low = store.issue_token("ana@desk.example", "viewer", ADMIN)
    store.set_role("ana@desk.example", "editor", ADMIN)
    assert store.token_principal(high) is None
    assert str(store.token_principal(low).role) == "viewer"


def test_only_admins_issue_or_revoke_and_bad_roles_are_named(store):
    with pytest.raises(PermissionDenied):
        store.issue_token("bot@desk.example", "editor", EDITOR)
    with pytest.raises(PermissionDenied):
        store.revoke_tokens("bot@desk.example", EDITOR)
    with pytest.raises(ValidationError, match="role"):
        store.issue_token("bot@desk.example", "owner", ADMIN)
    assert store.tokens() == []


def _records(store, entity):
    log = store.audit_log(entity=entity)
    return [(r.action, r.entity_id, r.user, r.before, r.after) for r in log.itertuples()]


def test_grant_change_and_revoke_of_a_role_each_write_one_audit_record(store):
    store.set_role("ana@desk.example", "viewer", ADMIN)
    store.set_role("ana@desk.example", "viewer", ADMIN)  # no change: nothing written
    store.set_role("ana@desk.example", "editor", ADMIN)
    store.set_role("ana@desk.example", None, ADMIN)
    store.set_role("nobody@desk.example", None, ADMIN)  # nothing to revoke: nothing written
    records = _records(store, "role")
    assert [(a, e, u) for a, e, u, _, _ in records] == [
        ("insert", "ana@desk.example", "ad@desk.example"),
        ("update", "ana@desk.example", "ad@desk.example"),
        ("delete", "ana@desk.example", "ad@desk.example"),
    ]
    (_, _, _, b0, a0), (_, _, _, b1, a1), (_, _, _, b2, a2) = records
    assert b0 is None and a0["role"] == "viewer" and a0["granted_by"] == "ad@desk.example"
    assert b1 == a0 and a1["role"] == "editor"
    assert b2 == a1 and a2 is None
    assert store.roles() == {}
    report = store.verify_audit()
    assert report["ok"] and report["sealed"] == report["records"] == 3


def test_tokens_issued_and_revoked_are_audited_by_the_start_of_their_hash_never_the_token(store):
    token = store.issue_token("bot@desk.example", "editor", ADMIN)
    other = store.issue_token("bot@desk.example", "admin", ADMIN)
    store.set_role("bot@desk.example", "editor", ADMIN)  # lowers: the admin token goes, audited
    assert store.revoke_tokens("bot@desk.example", ADMIN) == 1
    assert store.revoke_tokens("bot@desk.example", ADMIN) == 0  # none left: nothing written
    tid, oid = token_digest(token)[:TOKEN_ID_DIGITS], token_digest(other)[:TOKEN_ID_DIGITS]
    records = _records(store, "token")
    assert [(a, e) for a, e, _, _, _ in records] == [("insert", tid), ("insert", oid), ("delete", oid), ("delete", tid)]
    assert records[0][4] == {
        "token_id": tid,
        "identity": "bot@desk.example",
        "role": "editor",
        "issued_by": "ad@desk.example",
        "issued_at": records[0][4]["issued_at"],
    }
    dumped = json.dumps([r[3:] for r in records])
    assert token not in dumped and other not in dumped and token_digest(token) not in dumped
    assert [(a, e) for a, e, _, _, _ in _records(store, "role")] == [("insert", "bot@desk.example")]
    assert store.verify_audit()["ok"]


def test_a_forged_grant_record_is_found_by_the_chain(store):
    store.set_role("ana@desk.example", "viewer", ADMIN)
    store.set_role("bo@desk.example", "editor", ADMIN)
    forged_id = int(store.audit_log(entity="role").audit_id.iloc[0])
    disable, enable = (
        (
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
            "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change",
        )
        if getattr(store, "url", None)
        else ("DROP TRIGGER audit_log_no_update", "SELECT 1")
    )
    execute_raw(store, disable)  # an owner (or a file's holder) rewrites the log behind the app's back
    execute_raw(
        store, f"UPDATE audit_log SET after_json = replace(after_json, 'viewer', 'admin') WHERE audit_id = {forged_id}"
    )
    execute_raw(store, enable)
    report = store.verify_audit()
    assert not report["ok"] and report["first_tampered"]["audit_id"] == forged_id


def test_an_embedded_store_of_schema_6_keeps_every_record_hash_and_id_and_stays_append_only(tmp_path):
    assert [m[0] for m in MIGRATIONS][-1] == 7
    db = tmp_path / "six.sqlite"
    conn = sqlite3.connect(str(db), isolation_level=None)
    build_old_store(conn.cursor(), MIGRATIONS, 6, [old_claim(1)])  # one unsealed claim record
    row = {"at": "2026-03-01T00:00:00.000000Z", "who": "ana", "action": "update", "entity": "claim",
           "entity_id": "old1", "version": 1, "before_json": None, "after_json": "{}"}  # fmt: skip
    conn.execute(
        "INSERT INTO audit_log (at, who, action, entity, entity_id, version, before_json, after_json, row_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*row.values(), chain_hash("", row)),
    )
    before = conn.execute("SELECT * FROM audit_log ORDER BY audit_id").fetchall()
    conn.close()
    with open_store(db, seed=False) as s:
        assert s.schema_version() == 7
        assert s.verify_audit()["ok"] and s.verify_audit()["sealed"] == 1
        s.set_role("ana@desk.example", "editor", ADMIN)
        report = s.verify_audit()
        assert report["ok"] and report["sealed"] == 2 and report["unsealed"] == 1
    conn = sqlite3.connect(str(db))
    after = conn.execute("SELECT * FROM audit_log ORDER BY audit_id").fetchall()
    assert after[: len(before)] == before
    assert after[-1][0] > before[-1][0] and after[-1][4] == "role"
    indexes = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'")
    }
    assert {"audit_log_entity", "audit_log_at"} <= indexes
    for statement in ("UPDATE audit_log SET who = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO audit_log (at, who, action, entity, entity_id) VALUES ('x', 'y', 'insert', 'planet', 'z')"
        )
    conn.close()


def test_the_postgis_log_still_refuses_an_unknown_entity(pg_store_url):  # noqa: F811
    with open_store(pg_store_url, seed=False) as s:
        assert s.schema_version() == 8
        with pytest.raises(RawSQLError, match="audit_log_entity_check"):
            execute_raw(
                s,
                "INSERT INTO audit_log (at, who, action, entity, entity_id) VALUES ('x', 'y', 'insert', 'planet', 'z')",
            )
