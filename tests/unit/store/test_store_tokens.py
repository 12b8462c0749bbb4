"""Command-line tokens in the registry (geo.claims.store.sql_tokens): issued by admins, kept as hashes,
resolved to their principal, revoked with the identity's role; on both backends."""

from __future__ import annotations

import sqlite3

import pytest

from geo.auth import PermissionDenied, Principal, Role, token_digest
from geo.claims.store import open_store
from geo.claims.store.sql_tokens import TOKEN_ID_DIGITS
from geo.errors import ValidationError
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
