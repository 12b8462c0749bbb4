"""An audit the app cannot forge (PostGIS): an owner role migrates, the app role may only append to the log.

Each test creates an owner and an app login role with unique names and drops them afterwards.
That needs a user who may create roles: ``$CONTESTED_TEST_PG_URL``'s if it may, else the
superuser of a private cluster started for this module with ``.ci/postgres.sh`` (its own
directory and port, stopped at the end).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
import uuid
from pathlib import Path

import pytest

from geo import schema as S
from geo.__main__ import main
from geo.auth import Principal, Role
from geo.claims.store import open_store
from geo.claims.store.postgis import MIGRATIONS as PG_MIGRATIONS
from geo.errors import PermissionDenied
from tests.support.claims_helpers import claim_row, write_seed
from tests.support.pg_server import ENV_URL, unavailable, with_search_path
from tests.unit.store.test_auth_write_paths import registry_state, store_writes

if os.environ.get("CI", "").lower() == "true":
    import psycopg
else:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")

EDITOR = Principal("ed@desk.example", Role.EDITOR, "oidc")
VIEWER = Principal("vi@desk.example", Role.VIEWER, "header")
ADMIN = Principal("ad@desk.example", Role.ADMIN, "oidc")
ADMIN_ONLY = {"delete_claim", "undo_delete", "delete_source", "restore_source", "set_role", "issue_token"}
ADMIN_ONLY |= {"revoke_tokens"}


SCRIPT = Path(__file__).resolve().parents[3] / ".ci" / "postgres.sh"


def _may_create_roles(url: str) -> bool:
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


@pytest.fixture(scope="module")
def pg_admin_url():
    """A PostGIS database URL whose user may create roles (see the module docstring)."""
    url = os.environ.get(ENV_URL, "").strip()
    if url and _may_create_roles(url):
        yield url
        return
    if not SCRIPT.is_file() or shutil.which("bash") is None:
        unavailable(f"{SCRIPT} is missing and ${ENV_URL} may not create roles")
    directory = tempfile.mkdtemp(prefix="contested-pg-roles-", dir="/tmp")
    os.chmod(directory, 0o755)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", directory, str(port)], capture_output=True, text=True, timeout=180
    )
    try:
        if started.returncode != 0:
            unavailable(f"no server whose user may create roles: {started.stderr.strip()[-300:]}")
        yield f"postgresql://postgres@127.0.0.1:{port}/contested"  # the private cluster's superuser
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", directory], capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)


def _as(url: str, user: str, password: str) -> str:
    """``url`` logging in as ``user``."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


@pytest.fixture
def desk(pg_admin_url, tmp_path):
    """``(owner_url, app_url, app_role)`` on a fresh schema owned by a fresh owner role."""
    tag = uuid.uuid4().hex[:10]
    owner, app, schema, password = f"t_owner_{tag}", f"t_app_{tag}", f"t_desk_{tag}", uuid.uuid4().hex
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}'")
        conn.execute(f"CREATE ROLE {app} LOGIN PASSWORD '{password}'")
        conn.execute(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}")
    owner_url = with_search_path(_as(pg_admin_url, owner, password), schema)
    app_url = with_search_path(_as(pg_admin_url, app, password), schema)
    try:
        with open_store(owner_url, seed_dir=write_seed(tmp_path / "seed")) as store:  # the owner migrates
            store.grant_app_role(app)
        yield owner_url, app_url, app
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            for role in (app, owner):
                conn.execute(f"DROP OWNED BY {role}")
                conn.execute(f"DROP ROLE IF EXISTS {role}")


def _refused(url: str, statement: str, params=()) -> str:
    """Run ``statement`` (in one transaction) and return the error it raises."""
    with psycopg.connect(url, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as info:
            with conn.transaction():
                conn.execute(statement, params)
    return str(info.value)


def test_the_app_role_works_through_the_library_and_cannot_touch_the_log(desk):
    owner_url, app_url, _ = desk
    with open_store(app_url) as store:
        (cid,) = store.add_claims([claim_row(1)], EDITOR)
        store.update_claim(cid, {S.CLAIM_NOTES: "checked"}, user=EDITOR, expected_version=1)
        with pytest.raises(PermissionDenied):
            store.delete_claim(cid, VIEWER, expected_version=2)
        assert store.verify_audit()["ok"]
        audited = store.revision()
    assert "permission denied" in _refused(app_url, "UPDATE audit_log SET who = 'mallory'")
    assert "permission denied" in _refused(app_url, "DELETE FROM audit_log")
    assert "permission denied" in _refused(app_url, "TRUNCATE audit_log")
    for trigger in ("audit_log_no_change", "claims_audited"):
        table = "audit_log" if trigger.startswith("audit") else "claims"
        assert "must be owner" in _refused(app_url, f"DROP TRIGGER {trigger} ON {table}")
        assert "must be owner" in _refused(app_url, f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    assert "must be owner" in _refused(app_url, "DROP FUNCTION audit_log_refuse() CASCADE")
    # a claim changed (with or without a new version), or added, without its audit record is refused at commit
    error = _refused(
        app_url, f"UPDATE claims SET {S.CLAIM_NOTES} = 'silent', version = version + 1 WHERE claim_id = %s", (cid,)
    )
    assert "without its audit record" in error
    error = _refused(app_url, f"UPDATE claims SET {S.CLAIM_NOTES} = 'silent' WHERE claim_id = %s", (cid,))
    assert "without its audit record" in error  # same version: its record was written by another transaction
    row = claim_row(2)
    columns = [S.CLAIM_ID, S.CLAIM_QUOTE, S.CLAIM_STANCE, S.CLAIM_SOURCE_ID, "record_time", "version"]
    error = _refused(
        app_url,
        f"INSERT INTO claims ({', '.join(columns)}) VALUES (%s, %s, %s, %s, %s, 1)",
        ("c-silent", row[S.CLAIM_QUOTE], row[S.CLAIM_STANCE], "mt-2015-01-21", "2026-01-01T00:00:00Z"),
    )
    assert "without its audit record" in error
    with open_store(app_url) as store:
        assert store.revision() == audited and store.get_claim(cid).version == 2
        assert "c-silent" not in set(store.list_claims(include_deleted=True)[S.CLAIM_ID])


def test_the_app_role_cannot_migrate_and_a_forged_record_is_found(desk, capsys):
    owner_url, app_url, _ = desk
    with open_store(app_url) as store:  # opening a current store needs no DDL
        assert store.schema_version() == len(PG_MIGRATIONS)
    assert "permission denied" in _refused(app_url, "CREATE TABLE sneaky (x int)")
    assert "must be owner" in _refused(app_url, "ALTER TABLE claims DROP CONSTRAINT claims_pkey")
    with psycopg.connect(owner_url, autocommit=True) as conn:  # the owner, or anyone who becomes it, forges
        (first,) = conn.execute("SELECT MIN(audit_id) FROM audit_log").fetchone()
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        conn.execute("UPDATE audit_log SET who = 'mallory' WHERE audit_id = %s", (first + 2,))
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    code = main(["audit", "verify", "--db", app_url, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["first_tampered"]["audit_id"] == first + 2
    assert "password" not in report["store"]


def test_each_role_s_allowed_and_refused_writes_through_the_app_role(desk, capsys, monkeypatch):
    _, app_url, app = desk
    with open_store(app_url) as store:
        store.accept_names = False  # as the app in team mode: principals only
        before = registry_state(store)
        for name, write in store_writes(store).items():
            with pytest.raises(PermissionDenied, match="vi@desk.example"):
                write(VIEWER)
            with pytest.raises(PermissionDenied, match="typed name"):
                write("someone")
            if name in ADMIN_ONLY:
                with pytest.raises(PermissionDenied, match="the admin role is needed"):
                    write(EDITOR)
        monkeypatch.setenv("CONTESTED_READ_ONLY", "1")
        for _name, write in store_writes(store).items():
            with pytest.raises(PermissionDenied, match="read-only"):
                write(ADMIN)
        code = main(["audit", "lock-app", app, "--db", app_url])
        assert code == 1 and "read-only" in capsys.readouterr().err
        monkeypatch.delenv("CONTESTED_READ_ONLY")
        assert registry_state(store) == before
        # what each role may do, as the app role
        (cid,) = store.add_claims([claim_row(1)], EDITOR)
        store.update_claim(cid, {S.CLAIM_NOTES: "checked"}, user=EDITOR, expected_version=1)
        store.delete_claim(cid, ADMIN, expected_version=2)
        store.undo_delete(cid, ADMIN)
        store.set_role("bo@desk.example", "editor", ADMIN)
        token = store.issue_token("bot@desk.example", "editor", ADMIN)
        assert store.token_principal(token) == Principal("bot@desk.example", Role.EDITOR, "token")
        assert store.revoke_tokens("bot@desk.example", ADMIN) == 1 and store.token_principal(token) is None
        assert [(r["user"], r["action"]) for r in store.history(cid)] == [
            ("ed@desk.example", "insert"),
            ("ed@desk.example", "update"),
            ("ad@desk.example", "delete"),
            ("ad@desk.example", "restore"),
        ]
        assert store.roles() == {"bo@desk.example": "editor"} and store.verify_audit()["ok"]
    assert "permission denied" in _refused(app_url, "UPDATE tokens SET role = 'admin'")  # insert and delete only
