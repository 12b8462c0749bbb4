"""The embedded store's file on disk: empty files, read-only files, export onto a live store (items 17, 18)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo import schema as S
from geo.claims.store import open_store
from geo.claims.store import sqlite as store_sqlite
from geo.errors import StoreError
from tests.support.claims_helpers import claim_row, write_seed

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def seed_dir(tmp_path):
    return write_seed(tmp_path / "seed")


def test_a_zero_byte_store_is_an_error_not_a_silent_reseed(tmp_path, seed_dir):
    db = tmp_path / "claims.sqlite"
    db.write_bytes(b"")
    with pytest.raises(StoreError, match=r"the registry file is empty \(0 bytes\): .*claims.sqlite"):
        open_store(db, seed_dir=seed_dir)
    assert db.stat().st_size == 0  # nothing written over it


def test_a_new_store_is_never_seen_half_made(tmp_path, seed_dir):
    db = tmp_path / "new" / "claims.sqlite"
    with open_store(db, seed_dir=seed_dir) as s:
        n = len(s.list_claims())
    assert db.stat().st_size > 0 and n > 0
    assert [p.name for p in db.parent.iterdir() if ".new-" in p.name] == []


def _make_read_only(db: Path, monkeypatch) -> None:
    os.chmod(db, 0o444)
    if os.geteuid() == 0:  # root may write to any file: make the store see it as read-only
        monkeypatch.setattr(store_sqlite, "_writable", lambda p: False, raising=False)


def test_a_read_only_store_is_read_and_writes_say_why(tmp_path, seed_dir, monkeypatch):
    db = tmp_path / "claims.sqlite"
    with open_store(db, seed_dir=seed_dir) as s:
        (cid,) = s.add_claims([claim_row(1)], user="ana")
    before = db.read_bytes()
    _make_read_only(db, monkeypatch)
    with open_store(db, seed_dir=seed_dir) as s:
        assert s.read_only
        assert cid in set(s.list_claims()[S.CLAIM_ID])
        with pytest.raises(StoreError, match="read-only"):
            s.add_claims([claim_row(2)], user="ana")
        with pytest.raises(StoreError, match="read-only"):
            s.delete_claim(cid, "ana")
    assert db.read_bytes() == before


def _cli(*args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, env=env, cwd=REPO)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_configured_store_is_refused(tmp_path, seed_dir, suffix):
    db = tmp_path / "claims.sqlite"
    with open_store(db, seed_dir=seed_dir) as s:
        s.add_claims([claim_row(1)], user="ana")
    before = db.read_bytes()
    out = f"{db}{suffix}"
    r = _cli("export", "--layer", "claims", "--db", str(db), "-o", out, "--format", "geojson")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "claims store" in (r.stderr + r.stdout)
    assert db.read_bytes() == before
    with open_store(db, seed_dir=seed_dir) as s:
        assert len(s.audit_log()) > 0


def test_export_onto_another_claims_store_file_is_refused(tmp_path, seed_dir):
    other = tmp_path / "elsewhere" / "old.sqlite"
    with open_store(other, seed_dir=seed_dir):
        pass
    before = other.read_bytes()
    r = _cli("export", "--layer", "lines", "--seed-only", "-o", str(other), "--format", "gpkg")
    assert r.returncode != 0 and "Traceback" not in r.stderr and "claims store" in r.stderr
    assert other.read_bytes() == before
    # an ordinary file, and an ordinary SQLite file (a GeoPackage), may be overwritten
    plain = tmp_path / "plain.gpkg"
    sqlite3.connect(plain).close()
    assert _cli("export", "--layer", "lines", "--seed-only", "-o", str(plain)).returncode == 0
