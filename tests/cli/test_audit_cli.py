"""``python -m geo audit ...``, the CLI's principal, version checks on delete, and read-only mode for every CLI write."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geo import schema as S
from geo.auth import ENV_READ_ONLY, Principal, Role, token_digest
from geo.claims.store import open_store
from geo.commands.identity import ENV_TOKEN, cli_principal
from geo.control import ControlStore
from geo.errors import PermissionDenied
from geo.io import read_vector, save_import
from tests.support.claims_helpers import LINE_FEATURES, SEED_SOURCE, claim_row, run_cli, seeded_db


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "home"))
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)
    monkeypatch.delenv("CONTESTED_AUTH_MODE", raising=False)
    monkeypatch.setenv("CONTESTED_USER", "tester")
    monkeypatch.delenv("CONTESTED_TOKEN", raising=False)


@pytest.fixture
def db(tmp_path):
    return seeded_db(tmp_path, "setup", claims=[claim_row(1)])


def test_verify_reports_an_intact_chain_then_the_first_forged_record(capsys, db):
    code, out, err = run_cli(capsys, "audit", "verify", "--db", db, "--json")
    report = json.loads(out)
    assert code == 0, err
    assert report["ok"] and report["first_tampered"] is None and report["records"] == report["sealed"] > 0
    with open_store(db) as store:
        ids = list(store.audit_log()["audit_id"])
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute(
        "UPDATE audit_log SET after_json = replace(after_json, 'Kiev', 'Moscow') WHERE audit_id = ?", (ids[1],)
    )
    conn.commit()
    conn.close()
    code, out, _ = run_cli(capsys, "audit", "verify", "--db", db, "--json")
    report = json.loads(out)
    assert code == 1 and not report["ok"] and report["first_tampered"]["audit_id"] == ids[1]
    code, out, _ = run_cli(capsys, "audit", "verify", "--db", db)
    assert code == 1 and out.startswith(f"TAMPERED: audit record {ids[1]}")


def test_delete_needs_the_version_and_refuses_a_stale_one(capsys, db):
    code, _, err = run_cli(capsys, "claims", "delete", "seed-lavrov", "--db", db)
    assert code == 2 and "--version" in err
    code, _, err = run_cli(capsys, "claims", "delete", "seed-lavrov", "--db", db, "--version", "7")
    assert code == 1 and "version 1" in err and err.count("\n") == 1
    code, _, err = run_cli(capsys, "claims", "delete", "seed-lavrov", "--db", db, "--version", "1")
    assert code == 0, err
    with open_store(db) as store:
        assert store.get_claim("seed-lavrov").deleted
        assert store.history("seed-lavrov")[-1]["user"] == "tester"  # the CLI's principal


def test_cli_principal_embedded_is_a_local_admin_team_is_the_login_user_with_its_stored_role(db, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst")
    with open_store(db) as store:
        assert cli_principal(store).identity == "tester" and cli_principal(store).role is Role.ADMIN
        assert cli_principal(store, "bo").identity == "bo"
        monkeypatch.setenv("CONTESTED_AUTH_MODE", "team")
        me = cli_principal(store)
        assert (me.identity, me.role) == ("analyst", Role.VIEWER)
        with pytest.raises(PermissionDenied, match="--user"):
            cli_principal(store, "someone-else")
        store.set_role("analyst", "editor", "setup")
        assert cli_principal(store).role is Role.EDITOR


def test_grant_and_revoke_roles_from_the_cli(capsys, db, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst")
    assert run_cli(capsys, "audit", "grant", "ana@desk.example", "editor", "--db", db)[0] == 0
    code, out, _ = run_cli(capsys, "audit", "roles", "--db", db)
    assert code == 0 and out == "ana@desk.example\teditor\n"
    monkeypatch.setenv("CONTESTED_AUTH_MODE", "team")  # now the login user is a mere viewer
    code, _, err = run_cli(capsys, "audit", "grant", "analyst", "admin", "--db", db)
    assert code == 1 and "may not manage roles" in err
    monkeypatch.delenv("CONTESTED_AUTH_MODE")
    assert run_cli(capsys, "audit", "revoke", "ana@desk.example", "--db", db)[0] == 0
    assert run_cli(capsys, "audit", "roles", "--db", db)[1] == ""


def test_a_token_an_admin_issued_is_the_cli_principal_and_only_its_hash_is_stored(capsys, db, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst")
    code, token, err = run_cli(capsys, "audit", "issue-token", "bot@desk.example", "editor", "--db", db)
    token = token.strip()
    assert code == 0 and token.startswith("ctl_") and len(token) > 40 and "shown only now" in err
    with open_store(db) as store:
        (listed,) = store.tokens()
        assert (listed["identity"], listed["role"], listed["issued_by"]) == ("bot@desk.example", "editor", "tester")
    conn = sqlite3.connect(db)
    stored = [row for row in conn.execute("SELECT * FROM tokens")]
    conn.close()
    assert len(stored) == 1 and token not in repr(stored) and token_digest(token) in repr(stored)
    code, out, _ = run_cli(capsys, "audit", "tokens", "--db", db)
    assert out.split("\t")[:3] == [listed["token_id"], "bot@desk.example", "editor"] and token not in out

    monkeypatch.setenv("CONTESTED_AUTH_MODE", "team")  # the login user is a viewer; the token an editor
    monkeypatch.setenv(ENV_TOKEN, token)
    with open_store(db) as store:
        assert cli_principal(store) == Principal("bot@desk.example", Role.EDITOR, "token")
        with pytest.raises(PermissionDenied, match="--user"):
            cli_principal(store, "someone-else")
    claims_file = Path(db).with_name("one.json")
    claims_file.write_text(json.dumps([claim_row(5)]))
    code, out, err = run_cli(capsys, "claims", "add", str(claims_file), "--db", db)
    assert code == 0, err
    with open_store(db) as store:
        added = next(c for c in store.list_claims()[S.CLAIM_ID] if store.history(c)[-1]["user"] == "bot@desk.example")
    code, _, err = run_cli(capsys, "claims", "delete", added, "--db", db, "--version", "1")
    assert code == 1 and "bot@desk.example (editor) may not delete" in err  # deleting needs an admin
    code, _, err = run_cli(capsys, "audit", "issue-token", "bot@desk.example", "admin", "--db", db)
    assert code == 1 and "may not manage roles" in err  # an editor's token cannot raise itself

    monkeypatch.setenv(ENV_TOKEN, token[:-1] + ("A" if token[-1] != "A" else "B"))  # one character off
    code, _, err = run_cli(capsys, "claims", "add", str(claims_file), "--db", db)
    assert code == 1 and "CONTESTED_TOKEN is not a token this registry issued" in err and err.count("\n") == 1

    monkeypatch.delenv(ENV_TOKEN)
    monkeypatch.delenv("CONTESTED_AUTH_MODE")
    code, out, _ = run_cli(capsys, "audit", "revoke-token", "bot@desk.example", "--db", db)
    assert code == 0 and "1 token(s) revoked" in out
    monkeypatch.setenv(ENV_TOKEN, token)
    code, _, err = run_cli(capsys, "claims", "add", str(claims_file), "--db", db)
    assert code == 1 and "revoked" in err
    with open_store(db) as store:
        assert store.tokens() == [] and store.token_principal(token) is None


def test_lowering_or_revoking_a_role_revokes_the_tokens_above_it(db):
    with open_store(db) as store:
        admin_token = store.issue_token("ana@desk.example", "admin", "setup")
        editor_token = store.issue_token("ana@desk.example", "editor", "setup")
        store.set_role("ana@desk.example", "editor", "setup")
        assert store.token_principal(admin_token) is None
        assert store.token_principal(editor_token).role is Role.EDITOR
        store.set_role("ana@desk.example", None, "setup")
        assert store.token_principal(editor_token) is None and store.tokens() == []
        with pytest.raises(PermissionDenied):
            store.issue_token("x", "viewer", Principal("ed", Role.EDITOR, "oidc"))


def test_a_migrated_or_backed_up_registry_keeps_its_tokens(capsys, db, tmp_path):
    with open_store(db) as store:
        token = store.issue_token("bot@desk.example", "editor", "setup")
    copy = tmp_path / "copy.sqlite"
    code, _, err = run_cli(capsys, "migrate", "--from", db, "--to", str(copy))
    assert code == 0, err
    with open_store(copy) as store:
        assert store.token_principal(token) == Principal("bot@desk.example", Role.EDITOR, "token")


def test_lock_app_needs_a_database(capsys, db):
    code, _, err = run_cli(capsys, "audit", "lock-app", "contested_app", "--db", db)
    assert code == 1 and "postgresql://" in err


#: Commands that change nothing stored (export and backup write a file elsewhere).
CLI_READS = {
    "layers", "export", "extract", "compare", "area", "claims list", "claims history", "claims backup",
    "sources list", "lines list", "lines history", "theatre list", "theatre show", "theatre export",
    "control dates", "control area", "control change", "control series", "control check", "control compare",
    "control compare-states", "audit verify", "audit roles", "audit tokens",
}  # fmt: skip


def _cli_commands() -> set[str]:
    """Every ``COMMAND [ACTION]`` the ``python -m geo`` parser knows."""
    import argparse

    from geo.__main__ import build_parser

    def subs(parser):
        found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return found[0].choices if found else {}

    out = set()
    for name, sub in subs(build_parser()).items():
        out |= {f"{name} {action}" for action in subs(sub)} or {name}
    return out


def test_read_only_mode_refuses_every_cli_write(capsys, db, tmp_path, monkeypatch):
    from tests.support.synthetic_control import write_series

    lines = tmp_path / "lines"
    fc = LINE_FEATURES
    (line_id,) = save_import(read_vector(json.dumps(fc).encode(), "a.geojson"), {}, lines)
    line_file = tmp_path / "line.geojson"
    line_file.write_text(json.dumps(fc))
    claims_file = tmp_path / "claims.json"
    claims_file.write_text(json.dumps([claim_row(9)]))
    (control_file, *_) = write_series(tmp_path / "series", 1)
    props = {k: v for k, v in claim_row(8).items() if k != S.CLAIM_GEOMETRY}
    point = {"type": "Point", "coordinates": [37.6, 48.1]}
    claims_geojson = tmp_path / "claims.geojson"
    claims_geojson.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props, "geometry": point}]}
        )
    )
    archive = tmp_path / "donbas.zip"
    assert run_cli(capsys, "theatre", "export", "donbas-2014-15", str(archive), "--db", db)[0] == 0
    with open_store(db) as store:
        before = store.revision()
    monkeypatch.setenv(ENV_READ_ONLY, "1")
    writes = {
        "claims add": ["claims", "add", str(claims_file), "--db", db],
        "claims seed": ["claims", "seed", "--theatre", "korea-1953", "--db", db],
        "claims delete": ["claims", "delete", "seed-lavrov", "--db", db, "--version", "1"],
        "claims restore": ["claims", "restore", "seed-lavrov", "--db", db],
        "sources edit": ["sources", "edit", SEED_SOURCE[S.SOURCE_ID], "--db", db, "--set", "title=x", "--version", "1"],
        "sources delete": ["sources", "delete", SEED_SOURCE[S.SOURCE_ID], "--db", db, "--version", "1"],
        "sources restore": ["sources", "restore", SEED_SOURCE[S.SOURCE_ID], "--db", db],
        "lines rename": ["lines", "rename", line_id, "Beta", "--data-dir", str(lines)],
        "lines delete": ["lines", "delete", line_id, "--data-dir", str(lines), "--db", db],
        "lines restore": ["lines", "restore", line_id, "--data-dir", str(lines)],
        "import": ["import", str(line_file), "--as", "line", "--data-dir", str(lines)],
        "import claims": ["import", str(claims_geojson), "--as", "claims", "--store", db],
        "import control": ["import", str(control_file), "--as", "control", "--theatre", "donbas-2014-15",
                           "--party", "separatists", "--control-store", str(tmp_path / "control.sqlite"), "--quiet"],
        "theatre create": ["theatre", "create", "t-ro", "--name", "RO", "--countries", "GE", "--party", "a",
                           "--party", "b"],
        "theatre import": ["theatre", "import", str(archive), "--id", "donbas-ro"],
        "migrate": ["migrate", "--from", db, "--to", str(tmp_path / "copy.sqlite")],
        "audit lock-app": ["audit", "lock-app", "contested_app", "--db", db],
        "audit grant": ["audit", "grant", "bo", "admin", "--db", db],
        "audit revoke": ["audit", "revoke", "bo", "--db", db],
        "audit issue-token": ["audit", "issue-token", "bo", "editor", "--db", db],
        "audit revoke-token": ["audit", "revoke-token", "bo", "--db", db],
    }  # fmt: skip
    tried = {key if key in _cli_commands() else key.split()[0] for key in writes}
    assert _cli_commands() - CLI_READS == tried, "a CLI command is neither a listed read nor tried as a write"
    writes = list(writes.values())
    for argv in writes:
        code, out, err = run_cli(capsys, *argv)
        assert code != 0 and "read-only" in err, (argv, out, err)
        assert err.count("\n") == 1, err  # one line, never a traceback
    with open_store(db) as store:
        assert store.revision() == before and store.roles() == {}
    assert not (tmp_path / "control.sqlite").exists() or not ControlStore(tmp_path / "control.sqlite").counts().get(
        "snapshots"
    )
    code, out, _ = run_cli(capsys, "claims", "list", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)  # reading still works
