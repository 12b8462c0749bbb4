"""Tests of geo/store.py and geo/store_sqlite.py: the persistent claims registry."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geo import schema as S
from geo.claims.store import LIST_COLUMNS, backend_for, default_store_location, open_store, registry
from geo.claims.store.sqlite import MIGRATIONS
from geo.errors import ConflictError, DataFileError, StoreError, ValidationError
from tests.support.claims_helpers import (
    SEED_CLAIMS,
    SEED_SOURCE,
    RawSQLError,
    claim_row,
    content_digest,
    execute_raw,
    write_seed,
)
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[3]
N_SEED = len(SEED_CLAIMS)


@pytest.fixture
def seed_dir(tmp_path):
    return write_seed(tmp_path / "seed")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store" / "claims.sqlite"


@pytest.fixture(params=["sqlite", "postgis"])
def backend(request):
    """Tests taking ``store`` or ``target`` run against both backends."""
    return request.param


@pytest.fixture
def target(backend, db_path, request):
    """Where the store of the test lives: a SQLite file, or an empty PostGIS schema."""
    return str(db_path) if backend == "sqlite" else request.getfixturevalue("pg_store_url")


@pytest.fixture
def store(target, seed_dir):
    s = open_store(target, seed_dir=seed_dir)
    yield s
    s.close()


# ---------------------------------------------------------------- creation
def test_new_store_is_created_seeded_and_in_wal_mode(store, db_path, backend):
    frame = store.list_claims()
    assert list(frame.columns) == LIST_COLUMNS
    assert sorted(frame[S.CLAIM_ID]) == sorted(c[S.CLAIM_ID] for c in SEED_CLAIMS)
    kiev = frame.set_index(S.CLAIM_ID).loc["seed-kiev-500"]
    assert kiev[S.CLAIM_VALUE_KM2] == 500.0
    assert kiev[S.SOURCE_PUBLISHER] == SEED_SOURCE[S.SOURCE_PUBLISHER]
    assert kiev["version"] == 1 and not kiev["deleted"]
    assert store.schema_version() == store._migrations()[-1][0] == len(store._migrations())
    if backend == "sqlite":
        assert db_path.is_file()
        conn = sqlite3.connect(str(db_path))
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
    # the seed is audited like any insert
    assert [h["action"] for h in store.history("seed-kiev-500")] == ["insert"]
    assert store.history("seed-kiev-500")[0]["user"] == "seed"


def test_reopening_does_not_seed_again(target, seed_dir):
    with open_store(target, seed_dir=seed_dir) as s:
        s.add_claims([claim_row(1)], user="ana")
    with open_store(target, seed_dir=seed_dir) as s:
        assert len(s.list_claims()) == N_SEED + 1
        assert s.schema_version() == len(s._migrations())


def test_empty_store_without_seed_files(tmp_path):
    with open_store(tmp_path / "x.sqlite", seed_dir=tmp_path / "nothing") as s:
        assert s.list_claims().empty
        assert list(s.list_claims().columns) == LIST_COLUMNS


def test_invalid_seed_file_is_reported_with_file_and_row(tmp_path, seed_dir):
    (seed_dir / "claims.csv").write_text(
        ",".join(S.CLAIM_COLUMNS) + "\n" + "c1," + "," * (len(S.CLAIM_COLUMNS) - 2) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        open_store(tmp_path / "bad.sqlite", seed_dir=seed_dir)
    assert "claims.csv" in str(info.value) and "row 1" in str(info.value)
    assert "quote" in str(info.value)


def test_default_location_follows_environment(tmp_path, monkeypatch, seed_dir):
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "moved"))
    assert default_store_location() == str(tmp_path / "moved" / "claims.sqlite")
    with open_store(seed_dir=seed_dir) as s:
        assert Path(s.location) == tmp_path / "moved" / "claims.sqlite"
    assert (tmp_path / "moved" / "claims.sqlite").is_file()
    monkeypatch.delenv("CONTESTED_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_location() == str(tmp_path / "xdg" / "contested-lines" / "claims.sqlite")


def test_postgres_url_without_driver_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(StoreError, match="PostgreSQL") as info:
        open_store("postgresql://localhost/claims")
    assert "pip install 'psycopg[binary]'" in str(info.value)


def test_postgres_url_without_backend_is_a_clear_error(monkeypatch):
    monkeypatch.delitem(registry._BACKENDS, "postgresql")  # as if the backend were not shipped
    with pytest.raises(StoreError, match="postgresql://"):
        open_store("postgresql://localhost/claims")


def test_backend_registry_picks_the_backend_by_scheme(tmp_path):
    from geo.claims.store.postgis import PostgisStore
    from geo.claims.store.sqlite import SQLiteStore

    assert backend_for(tmp_path / "claims.sqlite") is SQLiteStore
    assert backend_for("relative/claims.sqlite") is SQLiteStore
    for url in ("postgresql://db/claims", "postgres://db/claims", "PostgreSQL+psycopg://u@db:5432/claims"):
        assert backend_for(url) is PostgisStore, url
    assert {"file", "postgres", "postgresql"} <= set(registry.schemes())


@pytest.mark.parametrize("url", ["mysql://db.example.org/claims", "sqlite+pysqlite://x", "http://example.org/db"])
def test_unknown_scheme_is_a_clear_store_error(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scheme = url.split("://")[0].split("+")[0]
    with pytest.raises(StoreError, match=rf"no claims store backend for {scheme}:// URLs.*postgresql://"):
        backend_for(url)
    with pytest.raises(StoreError, match=f"{scheme}://"):
        open_store(url)
    assert list(tmp_path.iterdir()) == []  # not taken for a file path


def test_newer_schema_is_refused(target, seed_dir, store):
    store.close()
    execute_raw(store, "INSERT INTO schema_version VALUES (99, 'future', '2030-01-01T00:00:00.000000Z')")
    with pytest.raises(StoreError, match="newer"):
        open_store(target, seed_dir=seed_dir)


def test_not_a_database_is_a_store_error(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable claims store"):
        open_store(bad)


def test_audit_log_is_append_only(store):
    with pytest.raises(RawSQLError, match="append-only"):
        execute_raw(store, "DELETE FROM audit_log")
    with pytest.raises(RawSQLError, match="append-only"):
        execute_raw(store, "UPDATE audit_log SET who = 'mallory'")
    assert set(store.audit_log()["user"]) == {"seed"}


# ------------------------------------------------------------------ writes
def test_add_claims_returns_new_ids_and_records_user(store):
    ids = store.add_claims([claim_row(1), claim_row(2, claim_id="ignored")], user="ana")
    assert len(ids) == 2 and "ignored" not in ids and len(set(ids)) == 2
    claim = store.get_claim(ids[0])
    assert claim.version == 1 and claim.record_time.endswith("Z")
    assert store.history(ids[1])[0]["user"] == "ana"
    assert store.history(ids[1])[0]["after"][S.CLAIM_QUOTE] == claim_row(2)[S.CLAIM_QUOTE]


def test_inline_source_is_matched_or_added(store):
    inline = {
        S.SOURCE_PUBLISHER: "OSCE SMM",
        S.SOURCE_TITLE: "Daily report",
        S.SOURCE_URL: "https://www.osce.org/report/1",
        S.SOURCE_KIND: "monitor",
    }
    row = claim_row(5, **inline)
    del row[S.CLAIM_SOURCE_ID]
    first, second = store.add_claims([row, dict(row)], user="ana")
    sources = store.list_sources()
    assert len(sources) == 2  # seed source + one new, not two
    assert store.get_claim(first).source_id == store.get_claim(second).source_id
    # same URL later: matched to the stored source
    (third,) = store.add_claims([row], user="ana")
    assert store.get_claim(third).source_id == store.get_claim(first).source_id
    assert len(store.list_sources()) == 2


def test_inline_source_contradicting_stored_one_is_refused(store):
    before = content_digest(store)
    with pytest.raises(ValidationError) as info:
        store.add_claims([claim_row(1, publisher="Somebody else")], user="ana")
    assert info.value.field == S.SOURCE_PUBLISHER
    assert content_digest(store) == before


def test_unknown_source_id_is_refused(store):
    before = content_digest(store)
    with pytest.raises(ValidationError) as info:
        store.add_claims([claim_row(1, source_id="nope")], user="ana")
    assert info.value.field == S.CLAIM_SOURCE_ID and "unknown source" in str(info.value)
    assert content_digest(store) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({S.CLAIM_QUOTE: ""}, S.CLAIM_QUOTE),
        ({S.CLAIM_EVENT_DATE: "2015-13-45"}, S.CLAIM_EVENT_DATE),
        ({S.CLAIM_REFERENCE_LINE: "no_such_line"}, S.CLAIM_REFERENCE_LINE),
        ({S.CLAIM_VALUE: "-500"}, S.CLAIM_VALUE),
        ({S.CLAIM_VALUE_KM2: "-500"}, S.CLAIM_VALUE_KM2),
        (
            {S.SOURCE_URL: "javascript:alert(document.cookie)", S.CLAIM_SOURCE_ID: ""},
            S.SOURCE_URL,
        ),
    ],
)
def test_invalid_row_leaves_store_content_unchanged(store, changes, field):
    store.add_claims([claim_row(1)], user="ana")
    before = content_digest(store)
    good = [claim_row(n) for n in range(2, 6)]
    bad = claim_row(99, **changes)
    if field == S.SOURCE_URL:
        bad.update({S.SOURCE_PUBLISHER: "Evil", S.SOURCE_KIND: "social"})
    with pytest.raises(ValidationError) as info:
        store.add_claims([*good, bad], user="ana")
    assert info.value.field == field
    assert info.value.row == 5
    assert f"field '{field}'" in str(info.value)
    assert content_digest(store) == before
    assert len(store.list_claims()) == N_SEED + 1


def test_failure_inside_the_transaction_rolls_back(store, monkeypatch):
    before = content_digest(store)
    from geo.claims.store import SQLStore

    def broken_audit(self, cur, rows):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(SQLStore, "_audit", broken_audit)
    with pytest.raises(RuntimeError):
        store.add_claims([claim_row(n) for n in range(10)], user="ana")
    monkeypatch.undo()
    assert content_digest(store) == before
    assert len(store.add_claims([claim_row(1)], user="ana")) == 1  # store still usable


def test_edit_is_audited_with_before_and_after(store):
    (cid,) = store.add_claims([claim_row(500)], user="ana")
    new = store.update_claim(
        cid,
        {S.CLAIM_VALUE: "194", S.CLAIM_UNIT: "sq mi"},
        user="bo",
        expected_version=1,
    )
    assert new.version == 2
    assert new.value_km2 == pytest.approx(194 * 2.589988110336)  # recomputed, not stale
    last = store.history(cid)[-1]
    assert last["action"] == "update" and last["user"] == "bo" and last["version"] == 2
    assert last["before"][S.CLAIM_VALUE] == 500.0 and last["before"][S.CLAIM_UNIT] == "sq km"
    assert last["after"][S.CLAIM_VALUE] == 194.0 and last["after"][S.CLAIM_UNIT] == "sq mi"
    # a no-op edit writes nothing
    same = store.update_claim(cid, {S.CLAIM_VALUE: 194}, user="bo", expected_version=2)
    assert same.version == 2 and len(store.history(cid)) == 2


def test_invalid_edit_changes_nothing(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    before = content_digest(store)
    with pytest.raises(ValidationError) as info:
        store.update_claim(cid, {S.CLAIM_EVENT_DATE: "yesterday"}, user="bo", expected_version=1)
    assert info.value.field == S.CLAIM_EVENT_DATE
    with pytest.raises(ValidationError):
        store.update_claim(cid, {"version": 7}, user="bo", expected_version=1)
    assert content_digest(store) == before


def test_stale_edit_is_refused_and_first_edit_stays(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    seen_by_ana = store.get_claim(cid).version
    seen_by_bo = store.get_claim(cid).version
    store.update_claim(cid, {S.CLAIM_NOTES: "ana's note"}, user="ana", expected_version=seen_by_ana)
    with pytest.raises(ConflictError) as info:
        store.update_claim(cid, {S.CLAIM_NOTES: "bo's note"}, user="bo", expected_version=seen_by_bo)
    assert "ana" in str(info.value) and "reload" in str(info.value)
    assert store.get_claim(cid).notes == "ana's note"
    assert [h["action"] for h in store.history(cid)] == ["insert", "update"]


def test_delete_and_undo(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    deleted = store.delete_claim(cid, "bo")
    assert deleted.deleted and deleted.version == 2
    assert cid not in set(store.list_claims()[S.CLAIM_ID])
    assert cid in set(store.list_claims(include_deleted=True)[S.CLAIM_ID])
    with pytest.raises(StoreError, match="deleted"):
        store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user="bo", expected_version=2)
    with pytest.raises(StoreError, match="deleted already"):
        store.delete_claim(cid, "bo")
    restored = store.undo_delete(cid, "cy")
    assert not restored.deleted and restored.version == 3
    assert restored.quote == claim_row(1)[S.CLAIM_QUOTE]
    assert cid in set(store.list_claims()[S.CLAIM_ID])
    history = store.history(cid)
    assert [h["action"] for h in history] == ["insert", "delete", "restore"]
    assert history[-1]["user"] == "cy" and history[-1]["before"]["deleted"] is True
    with pytest.raises(StoreError, match="not deleted"):
        store.undo_delete(cid, "cy")


def test_delete_with_stale_version_is_refused(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    store.update_claim(cid, {S.CLAIM_NOTES: "n"}, user="ana", expected_version=1)
    with pytest.raises(ConflictError):
        store.delete_claim(cid, "bo", expected_version=1)
    assert not store.get_claim(cid).deleted


def test_unknown_claim_id(store):
    for call in (
        lambda: store.get_claim("nope"),
        lambda: store.history("nope"),
        lambda: store.delete_claim("nope", "ana"),
        lambda: store.update_claim("nope", {}, user="ana", expected_version=1),
    ):
        with pytest.raises(StoreError, match="no claim"):
            call()


def test_revision_grows_with_every_write_only(store):
    first = store.revision()
    assert first == len(store.audit_log()) > 0
    store.list_claims()
    assert store.revision() == first
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    second = store.revision()
    assert second > first
    with pytest.raises(ValidationError):
        store.add_claims([claim_row(2, quote="")], user="ana")
    assert store.revision() == second
    store.delete_claim(cid, "ana")
    assert store.revision() > second


def test_user_is_required(store):
    with pytest.raises(ValidationError) as info:
        store.add_claims([claim_row(1)], user=" ")
    assert info.value.field == "user"


# ------------------------------------------------------------------- as of
def test_as_of_returns_the_registry_as_recorded_then(store):
    (kept,) = store.add_claims([claim_row(100)], user="ana")
    (gone,) = store.add_claims([claim_row(200)], user="ana")
    moment = dt.datetime.now(dt.UTC)
    time.sleep(0.002)
    store.update_claim(kept, {S.CLAIM_VALUE: "150"}, user="bo", expected_version=1)
    store.delete_claim(gone, "bo")
    (later,) = store.add_claims([claim_row(300)], user="bo")
    store.add_sources([dict(SEED_SOURCE, source_id="late-source")], user="bo")

    now = store.list_claims().set_index(S.CLAIM_ID)
    assert now.loc[kept, S.CLAIM_VALUE] == 150.0
    assert gone not in now.index and later in now.index

    then = store.list_claims(as_of=moment).set_index(S.CLAIM_ID)
    assert then.loc[kept, S.CLAIM_VALUE] == 100.0 and then.loc[kept, "version"] == 1
    assert gone in then.index and later not in then.index
    assert then.loc[kept, S.SOURCE_PUBLISHER] == SEED_SOURCE[S.SOURCE_PUBLISHER]
    assert set(then.index) == {*(c[S.CLAIM_ID] for c in SEED_CLAIMS), kept, gone}
    assert "late-source" not in set(store.list_sources(as_of=moment)[S.SOURCE_ID])
    assert "late-source" in set(store.list_sources()[S.SOURCE_ID])
    # before the store existed nothing was known; a date means the end of that day
    assert store.list_claims(as_of=dt.date(2000, 1, 1)).empty
    assert len(store.list_claims(as_of=dt.datetime.now(dt.UTC).date())) == len(now)
    assert len(store.list_claims(as_of=moment.isoformat())) == len(then)
    with pytest.raises(ValidationError):
        store.list_claims(as_of="last tuesday")


def test_filters(store):
    store.add_claims(
        [
            claim_row(
                1,
                actor="DNR",
                stance="denies",
                event_date="2015-02-10",
                notes="Debaltseve",
            ),
            claim_row(2, reference_line=S.LINE_CONTACT_2015_02, reliability_source="A"),
        ],
        user="ana",
    )
    assert set(store.list_claims(actor="DNR")[S.CLAIM_ACTOR]) == {"DNR"}
    assert len(store.list_claims(stance=["denies", "acknowledges"])) == 2
    assert len(store.list_claims(reference_line=S.LINE_CONTACT_2015_02)) == 1
    assert len(store.list_claims(date_from="2015-02-01")) == 1
    assert len(store.list_claims(date_to="2015-01-20")) == 2
    assert len(store.list_claims(text="debaltSEVE")) == 1
    assert len(store.list_claims(text="moscow times")) == N_SEED + 2  # publisher is searched
    assert len(store.list_claims(reliability_source=["A", "B"])) == N_SEED + 1
    with pytest.raises(ValidationError):
        store.list_claims(colour="red")


def test_backup_is_a_consistent_copy(store, tmp_path):
    store.add_claims([claim_row(1)], user="ana")
    dest = store.backup(tmp_path / "backups" / "copy.sqlite")
    with open_store(dest) as copy:
        assert len(copy.list_claims()) == N_SEED + 1
        assert len(copy.audit_log()) == len(store.audit_log())
    with pytest.raises(StoreError, match="exists"):
        store.backup(dest)


# ------------------------------------------------------ processes and crashes
_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from geo.claims.store import open_store
    from tests.support.claims_helpers import claim_row
    db, seed, tag, n, batch = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    store = open_store(db, seed_dir=seed)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        rows = [claim_row(i, notes=f"{tag}-{i}") for i in range(start, min(n, start + batch))]
        store.add_claims(rows, user=tag)
    print(f"done {time.perf_counter() - t0:.3f}", flush=True)
    """
)


def test_two_processes_adding_500_each_lose_nothing(tmp_path, seed_dir):
    db = tmp_path / "shared.sqlite"  # not created yet: both processes race to create and seed it
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER,
                str(REPO),
                str(db),
                str(seed_dir),
                tag,
                "500",
                "1",  # one claim per transaction: 1,000 interleaved commits
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("w1", "w2")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    t0 = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=120) for p in procs]
    wall = time.perf_counter() - t0
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert out.startswith("done")
    with open_store(db, seed_dir=seed_dir) as s:
        writers = [u for u in s.audit_log(entity="claim")["user"] if u != "seed"]
        switches = sum(1 for a, b in zip(writers, writers[1:], strict=False) if a != b)
        print(
            f"\n2 x 500 concurrent one-claim transactions: {wall:.2f} s wall, "
            f"{switches} writer switches in the audit log"
        )
        frame = s.list_claims()
        assert len(frame) == N_SEED + 1000
        notes = set(frame[S.CLAIM_NOTES])
        assert {f"w{w}-{i}" for w in (1, 2) for i in range(500)} <= notes
        assert len(s.audit_log(entity="claim")) == N_SEED + 1000
        assert s.integrity_check() == "ok"


_CRASHER = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from geo.claims.store import SQLStore, open_store
    from tests.support.claims_helpers import claim_row
    db, seed, hang_at = sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = open_store(db, seed_dir=seed)
    calls = {"n": 0}
    original = SQLStore._insert_claims

    def insert_then_maybe_hang(self, cur, claims):
        original(self, cur, claims)
        calls["n"] += 1
        if calls["n"] == hang_at:  # rows written, transaction still open
            print("MID", flush=True)
            time.sleep(60)

    SQLStore._insert_claims = insert_then_maybe_hang
    batch = 0
    while True:
        ids = store.add_claims([claim_row(batch * 50 + i) for i in range(50)], user="crash")
        print(json.dumps(ids), flush=True)
        batch += 1
    """
)


@pytest.mark.parametrize("hang_at", [4, 0], ids=["mid-transaction", "random-moment"])
def test_writer_killed_with_sigkill_leaves_a_sound_store(tmp_path, seed_dir, hang_at):
    db = tmp_path / "crash.sqlite"
    open_store(db, seed_dir=seed_dir).close()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _CRASHER,
            str(REPO),
            str(db),
            str(seed_dir),
            str(hang_at),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: list[str] = []
    try:
        while True:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            if line.strip() == "MID":
                break
            committed.extend(json.loads(line))
            if hang_at == 0 and len(committed) >= 150:
                time.sleep(0.005)  # somewhere inside a later batch
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(str(db))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_store(db, seed_dir=seed_dir) as s:
        ids = set(s.list_claims()[S.CLAIM_ID])
        assert set(committed) <= ids
        added = len(ids) - N_SEED
        assert added % 50 == 0  # whole batches only
        if hang_at:
            assert added == len(committed) == 150  # the batch in flight left no trace
        assert len(s.audit_log(entity="claim")) == len(ids)
        assert s.integrity_check() == "ok"
        s.add_claims([claim_row(1)], user="after-crash")  # still writable


_SEED_CRASHER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from geo.claims.store import SQLStore, open_store
    original = SQLStore._insert_claims

    def hang(self, cur, claims):
        original(self, cur, claims)
        print("MID", flush=True)
        time.sleep(60)

    SQLStore._insert_claims = hang
    open_store(sys.argv[2], seed_dir=sys.argv[3])
    """
)


def test_killed_while_creating_and_seeding_the_store(tmp_path, seed_dir):
    db = tmp_path / "new.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SEED_CRASHER, str(REPO), str(db), str(seed_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "MID", proc.stderr.read()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    with open_store(db, seed_dir=seed_dir) as s:  # the half-made store is made again, once
        assert s.integrity_check() == "ok"
        assert s.schema_version() == len(MIGRATIONS)
        assert sorted(s.list_claims()[S.CLAIM_ID]) == sorted(c[S.CLAIM_ID] for c in SEED_CLAIMS)
        assert len(s.audit_log()) == N_SEED + 1  # claims and the one source, not twice


# ------------------------------------------------------- migrations, as-of detail
def test_older_store_is_migrated_in_order(tmp_path, seed_dir, monkeypatch):
    from geo.claims.store.sqlite import SQLiteStore
    from tests.support.old_store import build_old_store, old_claim

    assert SQLiteStore  # the backend whose MIGRATIONS these are
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(str(db), isolation_level=None)
    build_old_store(conn.cursor(), MIGRATIONS, 1, [old_claim(1)])  # as release 1 left it
    conn.close()
    with open_store(db, seed_dir=seed_dir) as new:
        assert new.schema_version() == len(MIGRATIONS)
        assert new.get_claim("old1").quote == old_claim(1)[S.CLAIM_QUOTE]
        assert len(new.list_claims()) == 1  # an existing store is not seeded
    conn = sqlite3.connect(str(db))
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    conn.close()
    assert "audit_log_entity" in indexes
    assert versions == [m[0] for m in MIGRATIONS]


def test_as_of_each_audit_time_shows_the_state_after_that_change(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    store.update_claim(cid, {S.CLAIM_NOTES: "first"}, user="bo", expected_version=1)
    store.update_claim(cid, {S.CLAIM_NOTES: "second"}, user="bo", expected_version=2)
    store.delete_claim(cid, "bo")
    store.undo_delete(cid, "cy")
    from geo.claims.store import parse_stamp

    for entry in store.history(cid):
        frame = store.list_claims(as_of=parse_stamp(entry["at"]), include_deleted=True)
        row = frame.set_index(S.CLAIM_ID).loc[cid]
        assert row["version"] == entry["version"]
        assert row[S.CLAIM_NOTES] == entry["after"][S.CLAIM_NOTES]
        assert bool(row["deleted"]) == entry["after"]["deleted"]
    times = list(store.audit_log()["at"])
    assert times == sorted(times)  # one instant per transaction, increasing
    mine = [e["at"] for e in store.history(cid)]
    assert len(set(mine)) == len(mine) == 5


def test_edit_needs_an_integer_version_numpy_is_fine(store):
    import numpy as np

    (cid,) = store.add_claims([claim_row(1)], user="ana")
    with pytest.raises(ValidationError) as info:
        store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user="bo", expected_version=None)
    assert info.value.field == "expected_version"
    version = store.list_claims(claim_ids=[cid])["version"].iloc[0]
    assert isinstance(version, np.integer)
    assert store.update_claim(cid, {S.CLAIM_NOTES: "x"}, user="bo", expected_version=version).version == 2


def test_directory_path_opens_claims_sqlite_inside(tmp_path, seed_dir):
    with open_store(tmp_path, seed_dir=seed_dir) as s:
        assert Path(s.location) == tmp_path / "claims.sqlite"


def test_pandas_missing_values_are_empty(store):
    import pandas as pd

    row = claim_row(1, notes=pd.NA, valid_from=pd.NaT, value_km=float("nan"))
    (cid,) = store.add_claims([row], user="ana")
    claim = store.get_claim(cid)
    assert claim.notes == "" and claim.valid_from == "" and claim.value_km is None


def test_one_store_shared_by_threads(store):
    """Streamlit shares one cached store between sessions (threads)."""
    from concurrent.futures import ThreadPoolExecutor

    def work(n: int) -> int:
        ids = store.add_claims([claim_row(n * 100 + i) for i in range(5)], user=f"t{n}")
        store.update_claim(ids[0], {S.CLAIM_NOTES: f"t{n}"}, user=f"t{n}", expected_version=1)
        return len(store.list_claims())

    with ThreadPoolExecutor(max_workers=4) as pool:
        sizes = list(pool.map(work, range(20)))
    assert all(N_SEED + 5 <= size <= N_SEED + 100 for size in sizes)
    frame = store.list_claims()
    assert len(frame) == N_SEED + 100
    assert sorted(frame[S.CLAIM_NOTES].loc[lambda s: s != ""]) == sorted(f"t{n}" for n in range(20))


def test_closed_store_says_so(store):
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.list_claims()


# ------------------------------------------------- model-based: any sequence of edits
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule  # noqa: E402


class RegistryMachine(RuleBasedStateMachine):
    """Random adds, edits (fresh and stale), deletes and undos against a plain model.

    After every step the store must equal the model, and "as of" any earlier
    write must equal the model as it was then.
    """

    def __init__(self):
        super().__init__()
        import tempfile

        self._tmp = tempfile.TemporaryDirectory()
        root = Path(self._tmp.name)
        self.store = open_store(root / "m.sqlite", seed_dir=write_seed(root / "seed"))
        seed = self.store.list_claims()
        self.model = {r[S.CLAIM_ID]: (r[S.CLAIM_NOTES], False, 1) for _, r in seed.iterrows()}
        self.snapshots = [(self._last_write(), dict(self.model))]

    def _last_write(self):
        from geo.claims.store import parse_stamp

        return parse_stamp(self.store.audit_log()["at"].iloc[-1])

    def _snap(self):
        self.snapshots.append((self._last_write(), dict(self.model)))

    @rule(n=st.integers(1, 3), note=st.text(alphabet="xyz ", max_size=8).map(str.strip))
    def add(self, n, note):
        ids = self.store.add_claims([claim_row(i, notes=note) for i in range(n)], user="m")
        for cid in ids:
            self.model[cid] = (note, False, 1)
        self._snap()

    @precondition(lambda self: any(not d for _, d, _ in self.model.values()))
    @rule(data=st.data(), note=st.text(alphabet="abc", min_size=1, max_size=5), stale=st.booleans())
    def edit(self, data, note, stale):
        live = sorted(k for k, (_, d, _) in self.model.items() if not d)
        cid = data.draw(st.sampled_from(live))
        old_note, _, version = self.model[cid]
        if stale:
            with pytest.raises(ConflictError):
                self.store.update_claim(cid, {S.CLAIM_NOTES: note}, user="m", expected_version=version - 1)
            return
        claim = self.store.update_claim(cid, {S.CLAIM_NOTES: note}, user="m", expected_version=version)
        if note != old_note:
            self.model[cid] = (note, False, version + 1)
            self._snap()
        assert claim.version == self.model[cid][2]

    @precondition(lambda self: any(not d for _, d, _ in self.model.values()))
    @rule(data=st.data())
    def delete(self, data):
        cid = data.draw(st.sampled_from(sorted(k for k, (_, d, _) in self.model.items() if not d)))
        note, _, version = self.model[cid]
        self.store.delete_claim(cid, "m", expected_version=version)
        self.model[cid] = (note, True, version + 1)
        self._snap()

    @precondition(lambda self: any(d for _, d, _ in self.model.values()))
    @rule(data=st.data())
    def undo(self, data):
        cid = data.draw(st.sampled_from(sorted(k for k, (_, d, _) in self.model.items() if d)))
        note, _, version = self.model[cid]
        self.store.undo_delete(cid, "m")
        self.model[cid] = (note, False, version + 1)
        self._snap()

    @staticmethod
    def _view(frame):
        return {r[S.CLAIM_ID]: (r[S.CLAIM_NOTES], bool(r["deleted"]), int(r["version"])) for _, r in frame.iterrows()}

    @invariant()
    def store_matches_model_now_and_then(self):
        assert self._view(self.store.list_claims(include_deleted=True)) == self.model
        live = {k for k, (_, d, _) in self.model.items() if not d}
        assert set(self.store.list_claims()[S.CLAIM_ID]) == live
        moment, then = self.snapshots[len(self.snapshots) // 2]
        assert self._view(self.store.list_claims(as_of=moment, include_deleted=True)) == then

    def teardown(self):
        self.store.close()
        self._tmp.cleanup()


RegistryMachine.TestCase.settings = settings(
    max_examples=10, stateful_step_count=10, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_registry_state_machine = RegistryMachine.TestCase


# ------------------------------------------------------- sources: edit, delete, restore
NEW_SOURCE = {
    S.SOURCE_ID: "wire-1",
    S.SOURCE_PUBLISHER: "Wire",
    S.SOURCE_TITLE: "A report",
    S.SOURCE_URL: "https://example.org/r",
    S.SOURCE_PUBLISHED: "2015-02-01",
    S.SOURCE_KIND: "news",
}


def test_source_edit_is_audited_and_versioned(store):
    store.add_sources([NEW_SOURCE], user="ana")
    edited = store.update_source("wire-1", {S.SOURCE_TITLE: "A better title"}, user="bo", expected_version=1)
    assert edited.title == "A better title" and edited.version == 2
    row = store.list_sources().set_index(S.SOURCE_ID).loc["wire-1"]
    assert row[S.SOURCE_TITLE] == "A better title" and row["version"] == 2
    log = store.audit_log(entity="source")
    last = log[log["entity_id"] == "wire-1"].iloc[-1]
    assert (last["action"], last["user"], last["before"][S.SOURCE_TITLE], last["after"][S.SOURCE_TITLE]) == (
        "update",
        "bo",
        "A report",
        "A better title",
    )


def test_stale_or_invalid_source_edit_changes_nothing(store):
    store.add_sources([NEW_SOURCE], user="ana")
    store.update_source("wire-1", {S.SOURCE_TITLE: "first"}, user="ana", expected_version=1)
    with pytest.raises(ConflictError, match="version"):
        store.update_source("wire-1", {S.SOURCE_TITLE: "second"}, user="bo", expected_version=1)
    with pytest.raises(ValidationError, match="url"):
        store.update_source("wire-1", {S.SOURCE_URL: "javascript:alert(1)"}, user="bo", expected_version=2)
    with pytest.raises(ValidationError, match="source_id"):
        store.update_source("wire-1", {S.SOURCE_ID: "other"}, user="bo", expected_version=2)
    with pytest.raises(StoreError, match="no source"):
        store.update_source("nope", {S.SOURCE_TITLE: "x"}, user="bo", expected_version=1)
    assert store.get_source("wire-1").title == "first"


def test_source_cited_by_claims_cannot_be_deleted(store):
    with pytest.raises(StoreError) as info:
        store.delete_source(SEED_SOURCE[S.SOURCE_ID], "ana")
    assert all(c[S.CLAIM_ID] in str(info.value) for c in SEED_CLAIMS)
    assert not store.get_source(SEED_SOURCE[S.SOURCE_ID]).deleted


def test_source_delete_and_restore(store):
    store.add_sources([NEW_SOURCE], user="ana")
    gone = store.delete_source("wire-1", "bo", expected_version=1)
    assert gone.deleted and gone.version == 2
    assert "wire-1" not in set(store.list_sources()[S.SOURCE_ID])
    assert "wire-1" in set(store.list_sources(include_deleted=True)[S.SOURCE_ID])
    with pytest.raises(ValidationError, match="source"):
        store.add_claims([{**claim_row(1), S.CLAIM_SOURCE_ID: "wire-1"}], user="bo")
    with pytest.raises(StoreError, match="deleted already"):
        store.delete_source("wire-1", "bo")
    back = store.restore_source("wire-1", "cy")
    assert not back.deleted and back.version == 3
    assert "wire-1" in set(store.list_sources()[S.SOURCE_ID])
    actions = [a for a, e in zip(store.audit_log()["action"], store.audit_log()["entity_id"]) if e == "wire-1"]
    assert actions == ["insert", "delete", "restore"]
    with pytest.raises(StoreError, match="not deleted"):
        store.restore_source("wire-1", "cy")
