"""Every library write path checks the principal and read-only mode, found by enumeration so none slips by.

* Every public method of the store is either listed here as a read or called here as a
  write; a new method that is neither fails the test.
* Every public function of ``geo`` taking a ``user`` (the convention for a write outside the
  store: theatres, lines, control maps, imports, migrations) is called here too.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
from pathlib import Path

import pytest
import shapely

from geo import schema as S
from geo.auth import ENV_READ_ONLY, Principal, Role
from geo.claims import proposals as P
from geo.claims.store import copy_store, open_store
from geo.claims.store.postgis import PostgisStore
from geo.claims.store.sqlite import SQLiteStore
from geo.control import ControlStore, import_series
from geo.control.series import SeriesRead, Snapshot
from geo.errors import PermissionDenied
from geo.io import line_registry as R
from geo.io import read_vector, save_import
from geo.io.drawn import DrawnLine, save_drawn
from geo.theatres import create_theatre, export_theatre, import_theatre, user_root
from geo.theatres.forms import create_from_form
from geo.theatres.tables import add_line
from tests.support.claims_helpers import LINE_FEATURES, SEED_SOURCE, claim_row, write_seed

REPO = Path(__file__).resolve().parents[3]
VIEWER = Principal("vi@desk.example", Role.VIEWER, "oidc")
EDITOR = Principal("ed@desk.example", Role.EDITOR, "oidc")
ADMIN = Principal("ad@desk.example", Role.ADMIN, "header")

#: Public store methods that change nothing stored (``backup`` writes a copy elsewhere).
STORE_READS = {
    "audit_log",
    "backup",
    "claim_counts",
    "claims_citing",
    "close",
    "get_claim",
    "get_source",
    "history",
    "integrity_check",
    "list_claims",
    "list_sources",
    "revision",
    "roles",
    "schema_version",
    "token_principal",
    "tokens",
    "verify_audit",
}
#: Public functions of ``geo`` with a ``user`` parameter that are helpers, not writes.
USER_HELPERS = {"as_principal", "authorize", "check_user", "source_insert_audit"}
LINE = [(32.8, 35.2), (33.4, 35.17), (34.0, 35.1)]


def _public_methods(cls) -> set[str]:
    return {n for n, v in inspect.getmembers(cls) if not n.startswith("_") and callable(v)}


def _functions_taking_user() -> set[str]:
    found = set()
    for path in sorted((REPO / "geo").rglob("*.py")):
        if "commands" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                if "user" in [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]:
                    found.add(node.name)
    return found - USER_HELPERS


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "claims.sqlite", seed_dir=write_seed(tmp_path / "seed"))
    yield s
    s.close()


def store_writes(store) -> dict:
    """One call of every store write method, as the principal ``who``."""
    cid = store.list_claims()[S.CLAIM_ID].iloc[0]
    sid = SEED_SOURCE[S.SOURCE_ID]
    return {
        "add_claims": lambda who: store.add_claims([claim_row(1)], who),
        "add_sources": lambda who: store.add_sources([{**SEED_SOURCE, S.SOURCE_ID: "s-new", S.SOURCE_URL: ""}], who),
        "update_claim": lambda who: store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user=who, expected_version=1),
        "delete_claim": lambda who: store.delete_claim(cid, who, expected_version=1),
        "undo_delete": lambda who: store.undo_delete(cid, who),
        "update_source": lambda who: store.update_source(sid, {S.SOURCE_TITLE: "t"}, user=who, expected_version=1),
        "delete_source": lambda who: store.delete_source(sid, who, expected_version=1),
        "restore_source": lambda who: store.restore_source(sid, who),
        "seed_theatre": lambda who: store.seed_theatre("korea-1953", who),
        "set_role": lambda who: store.set_role("bo", "editor", who),
        "issue_token": lambda who: store.issue_token("bo", "editor", who),
        "revoke_tokens": lambda who: store.revoke_tokens("bo", who),
    }


def registry_state(store) -> tuple:
    return store.revision(), store.roles(), store.tokens(), len(store.list_claims(include_deleted=True))


def test_every_store_method_is_a_read_or_a_write_refused_in_read_only_mode(store, tmp_path, monkeypatch):
    writes = store_writes(store)
    methods = _public_methods(SQLiteStore)
    assert methods - STORE_READS == set(writes), "a store method is neither a listed read nor tried as a write"
    assert _public_methods(PostgisStore) - methods == {"grant_app_role"}  # tried below and in test_auth_postgis
    before = registry_state(store)
    monkeypatch.setenv(ENV_READ_ONLY, "1")
    for name, write in writes.items():
        for who in (ADMIN, "a-typed-name"):
            with pytest.raises(PermissionDenied, match="read-only"):
                write(who)
                pytest.fail(f"{name} was allowed in read-only mode")
    with pytest.raises(PermissionDenied, match="read-only"):
        PostgisStore.grant_app_role(store, "contested_app")  # refused before it touches any database
    assert registry_state(store) == before
    cid = store.list_claims()[S.CLAIM_ID].iloc[0]  # reading still works
    assert store.get_claim(cid).version == 1 and store.history(cid) and store.verify_audit()["ok"]
    assert store.backup(tmp_path / "copy.sqlite").is_file()


def test_a_viewer_is_refused_every_store_write_and_an_editor_every_admin_one(store, tmp_path):
    writes = store_writes(store)
    before = registry_state(store)
    admin_only = {"delete_claim", "undo_delete", "delete_source", "restore_source", "set_role"}
    admin_only |= {"issue_token", "revoke_tokens"}
    for name, write in writes.items():
        with pytest.raises(PermissionDenied, match="vi@desk.example"):
            write(VIEWER)
            pytest.fail(f"a viewer was allowed {name}")
        if name in admin_only:
            with pytest.raises(PermissionDenied, match="the admin role is needed"):
                write(EDITOR)
                pytest.fail(f"an editor was allowed {name}")
    assert registry_state(store) == before


# ----------------------------------------------------------------- writes outside the store
def _series(theatre: str) -> SeriesRead:
    shape = shapely.Polygon([(37.6, 48.0), (37.9, 48.0), (37.9, 48.2), (37.6, 48.2)])
    return SeriesRead(snapshots=[Snapshot("ru", dt.date(2024, 1, 5), shape, "a.geojson")], files=1)


def _user_files() -> dict[str, bytes]:
    root = user_root()
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_write_outside_the_store_checks_the_principal_and_read_only_mode(store, tmp_path, monkeypatch):
    lines_dir = tmp_path / "lines"
    (line_id,) = save_import(read_vector(json.dumps(LINE_FEATURES).encode(), "a.geojson"), {}, lines_dir, user=ADMIN)
    create_theatre("ro-mine", "Mine", ["CY"], parties=["North", "South"], user=ADMIN)
    archive = export_theatre("ro-mine", tmp_path / "mine.zip")
    control = ControlStore(tmp_path / "control.sqlite")
    target = open_store(tmp_path / "target.sqlite", seed=False)
    drawn = DrawnLine(name="Drawn", geometry=shapely.LineString(LINE), source_url="https://example.org/d")
    props = {k: v for k, v in claim_row(7).items() if k != S.CLAIM_GEOMETRY}
    feature = {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [37.6, 48.1]}}
    claims_file = read_vector(
        json.dumps({"type": "FeatureCollection", "features": [feature]}).encode(), "claims.geojson", as_="claims"
    )
    source = {**SEED_SOURCE, S.SOURCE_ID: "s-extract", S.SOURCE_URL: ""}
    # (least role, call) for every public function of geo that takes a user
    calls = {
        "save_import": (Role.EDITOR, lambda who: save_import(claims_file, {}, store, user=who)),
        "save_rows": (Role.EDITOR, lambda who: P.save_rows(store, [{**claim_row(3), P.SAVE: True}], source, who)),
        "save_drawn": (Role.EDITOR, lambda who: save_drawn(drawn, tmp_path / "drawn.geojson", user=who)),
        "rename_line": (Role.EDITOR, lambda who: R.rename_line(line_id, "Beta", user=who, data_dir=lines_dir)),
        "delete_line": (Role.ADMIN, lambda who: R.delete_line(line_id, user=who, data_dir=lines_dir)),
        "restore_line": (Role.ADMIN, lambda who: R.restore_line(line_id, user=who, data_dir=lines_dir)),
        "import_series": (
            Role.EDITOR,
            lambda who: import_series(control, _series("donbas-2014-15"), "donbas-2014-15", "A", user=who),
        ),
        "create_theatre": (
            Role.ADMIN,
            lambda who: create_theatre("ro-new", "New", ["CY"], parties=["North", "South"], user=who),
        ),
        "create_from_form": (
            Role.ADMIN,
            lambda who: create_from_form("ro-form", "Form", ["CY"], parties="North\nSouth", user=who),
        ),
        "add_line": (Role.ADMIN, lambda who: add_line("ro-mine", "green", "Green", LINE, date="1974-08-16", user=who)),
        "import_theatre": (Role.ADMIN, lambda who: import_theatre(archive, new_id="ro-copy", user=who)),
        "copy_store": (Role.ADMIN, lambda who: copy_store(store, target, user=who)),
    }
    assert _functions_taking_user() == set(calls), "a function taking a user is not tried here"
    before = (
        registry_state(store),
        R.line_history(None, lines_dir),
        _user_files(),
        control.counts(),
        target.revision(),
    )
    for name, (least, call) in calls.items():
        for who in (VIEWER, EDITOR):
            if who.role.rank < least.rank:
                with pytest.raises(PermissionDenied, match=f"the {least} role is needed"):
                    call(who)
                    pytest.fail(f"{who.role} was allowed {name}")
    monkeypatch.setenv(ENV_READ_ONLY, "1")
    for name, (_, call) in calls.items():
        for who in (ADMIN, None if name not in ("save_rows",) else "ana"):
            with pytest.raises(PermissionDenied, match="read-only"):
                call(who)
                pytest.fail(f"{name} was allowed in read-only mode")
    after = (registry_state(store), R.line_history(None, lines_dir), _user_files(), control.counts(), target.revision())
    control.close()
    target.close()
    assert after == before
    assert not (tmp_path / "drawn.geojson").exists()
