"""Tests of geo/store_postgis.py, geo/migrate.py and ``python -m geo migrate``.

The backend-independent behaviour runs against PostGIS in tests/test_store.py
(parametrised); this module covers what only a shared server has: many writer
processes, two editors on one claim, locks, PostGIS geometry, and copying the
registry between the two backends. The server comes from tests/pg_server.py.
"""

# ruff: noqa: F811 - pytest fixtures imported from tests/pg_server.py are used as arguments
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from geo import schema as S
from geo.claims.store import open_store, parse_stamp
from geo.claims.store.migrate import copy_store
from geo.errors import ConflictError, StoreError
from tests.support.claims_helpers import SEED_CLAIMS, claim_row, content_digest, write_seed
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

if os.environ.get("CI", "").lower() == "true":
    import psycopg  # CI must run these tests
else:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")

REPO = Path(__file__).resolve().parents[3]
N_SEED = len(SEED_CLAIMS)


@pytest.fixture
def seed_dir(tmp_path):
    return write_seed(tmp_path / "seed")


@pytest.fixture
def store(pg_store_url, seed_dir):
    s = open_store(pg_store_url, seed_dir=seed_dir)
    yield s
    s.close()


def _sql(store, query, params=()):
    with psycopg.connect(store.url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


# ------------------------------------------------------------- many writers
_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from geo.claims.store import open_store
    from tests.support.claims_helpers import claim_row
    url, seed, tag, n = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    store = open_store(url, seed_dir=seed)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    t0 = time.perf_counter()
    for i in range(n):  # one claim per transaction: the most interleaving
        store.add_claims([claim_row(i, notes=f"{tag}-{i}")], user=tag)
    print(f"done {time.perf_counter() - t0:.3f}", flush=True)
    """
)


def test_eight_writer_processes_200_claims_each_lose_nothing(pg_store_url, seed_dir):
    """Acceptance: 8 processes x 200 claims, racing to create and seed the store too."""
    writers, per_writer = 8, 200
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(REPO), pg_store_url, str(seed_dir), f"w{w}", str(per_writer)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        t0 = time.perf_counter()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        outputs = [p.communicate(timeout=120) for p in procs]
        wall = time.perf_counter() - t0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert out.startswith("done"), out
    with open_store(pg_store_url, seed_dir=seed_dir) as s:
        frame = s.list_claims()
        audit = s.audit_log(entity="claim")
        users = [u for u in audit["user"] if u != "seed"]
        switches = sum(1 for a, b in zip(users, users[1:], strict=False) if a != b)
        print(
            f"\n{writers} x {per_writer} concurrent one-claim transactions on PostGIS: "
            f"{wall:.2f} s wall, {writers * per_writer / wall:.0f} commits/s, {switches} writer switches"
        )
        assert len(frame) == N_SEED + writers * per_writer == N_SEED + 1600
        expected = {f"w{w}-{i}" for w in range(writers) for i in range(per_writer)}
        assert set(frame[S.CLAIM_NOTES]) - {""} == expected
        assert len(audit) == N_SEED + 1600
        assert switches > writers  # they really interleaved
        times = list(s.audit_log()["at"])
        assert times == sorted(times)  # serialised writers: audit times never go back
        assert len(s.list_sources()) == 1  # seeded once, not by each process


# --------------------------------------------------------------- two editors
def test_second_editor_gets_a_conflict_and_the_first_edit_stays(pg_store_url, seed_dir):
    """Acceptance: two app processes (two store objects) edit the same claim."""
    with open_store(pg_store_url, seed_dir=seed_dir) as ana, open_store(pg_store_url, seed_dir=seed_dir) as bo:
        (cid,) = ana.add_claims([claim_row(1)], user="ana")
        seen_by_ana = ana.get_claim(cid).version
        seen_by_bo = bo.get_claim(cid).version
        ana.update_claim(cid, {S.CLAIM_NOTES: "ana's reading"}, user="ana", expected_version=seen_by_ana)
        with pytest.raises(ConflictError) as info:
            bo.update_claim(cid, {S.CLAIM_NOTES: "bo's reading"}, user="bo", expected_version=seen_by_bo)
        message = str(info.value)
        assert "ana" in message and "version 2" in message and "reload" in message
        assert bo.get_claim(cid).notes == "ana's reading"
        assert [h["user"] for h in bo.history(cid)] == ["ana", "ana"]
        with pytest.raises(ConflictError):
            bo.delete_claim(cid, "bo", expected_version=seen_by_bo)
        assert not ana.get_claim(cid).deleted


def test_simultaneous_edits_of_one_version_exactly_one_wins(pg_store_url, seed_dir):
    with open_store(pg_store_url, seed_dir=seed_dir) as setup:
        (cid,) = setup.add_claims([claim_row(1)], user="ana")
    editors = [open_store(pg_store_url, seed_dir=seed_dir) for _ in range(6)]
    barrier = threading.Barrier(len(editors))
    results: list[str] = []

    def edit(n: int) -> None:
        barrier.wait()
        try:
            editors[n].update_claim(cid, {S.CLAIM_NOTES: f"editor {n}"}, user=f"e{n}", expected_version=1)
            results.append(f"ok {n}")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(len(editors))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    wins = [r for r in results if r.startswith("ok")]
    assert len(results) == len(editors) and len(wins) == 1
    winner = int(wins[0].split()[1])
    final = editors[0].get_claim(cid)
    assert final.version == 2 and final.notes == f"editor {winner}"
    assert [h["action"] for h in editors[0].history(cid)] == ["insert", "update"]
    for e in editors:
        e.close()


# ------------------------------------------------------------------- locks
def test_writer_waits_for_the_lock_then_gives_up_with_a_clear_error(pg_store_url, seed_dir):
    with open_store(pg_store_url, seed_dir=seed_dir, timeout=1) as s:
        before = content_digest(s)
        with psycopg.connect(s.url) as other:  # another writer holding the write lock
            other.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
            t0 = time.perf_counter()
            with pytest.raises(StoreError, match="another writer kept the store locked"):
                s.add_claims([claim_row(1)], user="ana")
            waited = time.perf_counter() - t0
            t0 = time.perf_counter()
            assert len(s.list_claims()) == N_SEED  # readers are not blocked by a writer
            read_time = time.perf_counter() - t0
        assert 0.9 <= waited < 10 and read_time < 1.0
        assert content_digest(s) == before
        assert len(s.add_claims([claim_row(2)], user="ana")) == 1  # free again


_HANGER = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from geo.claims.store import SQLStore, open_store
    from tests.support.claims_helpers import claim_row
    store = open_store(sys.argv[2], seed_dir=sys.argv[3])
    print(json.dumps(store.add_claims([claim_row(i) for i in range(50)], user="crash")), flush=True)
    original = SQLStore._insert_claims

    def insert_then_hang(self, cur, claims):
        original(self, cur, claims)
        print("MID", flush=True)  # rows written, transaction open, write lock held
        time.sleep(60)

    SQLStore._insert_claims = insert_then_hang
    store.add_claims([claim_row(i) for i in range(50)], user="crash")
    """
)


def test_writer_killed_mid_transaction_leaves_committed_claims_and_frees_the_lock(pg_store_url, seed_dir):
    proc = subprocess.Popen(
        [sys.executable, "-c", _HANGER, str(REPO), pg_store_url, str(seed_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        committed = json.loads(proc.stdout.readline() or "null")
        assert committed, proc.stderr.read()
        assert proc.stdout.readline().strip() == "MID", proc.stderr.read()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    with open_store(pg_store_url, seed_dir=seed_dir, timeout=30) as s:
        t0 = time.perf_counter()
        (after,) = s.add_claims([claim_row(1)], user="after-crash")  # the server noticed and rolled back
        assert time.perf_counter() - t0 < 20
        ids = set(s.list_claims()[S.CLAIM_ID])
        assert set(committed) | {after} <= ids
        assert len(ids) == N_SEED + 51  # the batch in flight left no trace
        assert len(s.audit_log(entity="claim")) == N_SEED + 51


def test_store_reconnects_after_the_server_dropped_its_connections(store):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    store._ping_after = 0.0  # check pooled connections at once instead of after 10 s idle
    pids = _sql(store, "SELECT pid FROM pg_stat_activity WHERE application_name = 'contested-lines'")
    assert pids
    for (pid,) in pids:
        _sql(store, "SELECT pg_terminate_backend(%s)", (pid,))
    assert store.get_claim(cid).version == 1
    assert len(store.add_claims([claim_row(2)], user="ana")) == 1


# ----------------------------------------------------------------- PostGIS
def test_geometry_column_follows_wkt_and_is_spatially_indexed(store):
    (cid,) = store.add_claims([claim_row(1, geometry_wkt="POINT (37.8 48.0)")], user="ana")
    (plain,) = store.add_claims([claim_row(2)], user="ana")
    rows = dict(_sql(store, "SELECT claim_id, ST_AsText(geom) FROM claims WHERE claim_id IN (%s, %s)", (cid, plain)))
    assert rows == {cid: "POINT(37.8 48)", plain: None}
    store.update_claim(
        cid,
        {S.CLAIM_GEOMETRY: "POLYGON ((37 47, 39 47, 39 49, 37 49, 37 47))"},
        user="bo",
        expected_version=1,
    )
    ((srid, kind),) = _sql(store, "SELECT ST_SRID(geom), GeometryType(geom) FROM claims WHERE claim_id = %s", (cid,))
    assert (srid, kind) == (4326, "POLYGON")
    hits = _sql(
        store,
        "SELECT claim_id FROM claims WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(38.5, 48.5), 4326))",
    )
    assert hits == [(cid,)]
    indexes = dict(_sql(store, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'claims'"))
    assert "USING gist (geom)" in indexes["claims_geom_gist"]
    for name in ("claims_line", "claims_event_date", "claims_source", "claims_actor", "claims_stance"):
        assert name in indexes


def test_older_store_is_migrated_in_order_and_geometry_backfilled(pg_store_url, seed_dir, monkeypatch):
    from geo.claims.store.postgis import MIGRATIONS, PostgisStore
    from tests.support.old_store import build_old_store, old_claim

    assert PostgisStore  # the backend whose MIGRATIONS these are
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    with psycopg.connect(pg_store_url, autocommit=True) as conn:  # as release 1 left it
        build_old_store(conn.cursor(), MIGRATIONS, 1, [old_claim(1, geometry_wkt="POINT (38 48)")], mark="%s")
    cid = "old1"
    with open_store(pg_store_url, seed_dir=seed_dir) as new:
        assert new.schema_version() == len(MIGRATIONS) == 8
        assert len(new.list_claims()) == 1  # an existing store is not seeded
        assert _sql(new, "SELECT ST_AsText(geom) FROM claims WHERE claim_id = %s", (cid,)) == [("POINT(38 48)",)]
        versions = [r[0] for r in _sql(new, "SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, 9))


def test_password_never_appears_in_location_or_errors(pg_server_url):
    from geo.claims.store.postgis import redact_url

    assert redact_url("postgresql://desk:s3cr:et@db.example.org:5432/claims") == (
        "postgresql://desk:***@db.example.org:5432/claims"
    )
    with pytest.raises(StoreError) as info:
        open_store("postgresql://desk:hunter2@127.0.0.1:1/claims", timeout=2)
    assert "hunter2" not in str(info.value) and "desk:***@" in str(info.value)


def test_missing_schema_is_a_clear_error(pg_server_url):
    from tests.support.pg_server import with_search_path

    with pytest.raises(StoreError, match="search_path"):
        open_store(with_search_path(pg_server_url, "no_such_schema").replace(",public", ""))


# ---------------------------------------------------------------- migrate
def _comparable(store):
    claims = store.list_claims(include_deleted=True)
    sources = store.list_sources()
    audit = store.audit_log()
    return claims, sources, audit


def test_shipped_store_to_postgis_and_back_is_the_same(tmp_path, pg_store_url):
    """Acceptance: the shipped (seeded from data/) SQLite store -> PostGIS -> SQLite."""
    first = open_store(tmp_path / "shipped.sqlite")  # seeded from the repository's data/
    assert len(first.list_claims()) > 0
    sid = first.list_sources()[S.SOURCE_ID].iloc[0]
    rows = [claim_row(1, source_id=sid, geometry_wkt="POINT (37.8 48.0)"), claim_row(2, source_id=sid)]
    ids = first.add_claims(rows, user="ana")
    first.update_claim(ids[0], {S.CLAIM_NOTES: "checked"}, user="bo", expected_version=1)
    first.delete_claim(ids[1], "bo")
    moment = parse_stamp(first.audit_log()["at"].iloc[-2])
    with open_store(pg_store_url, seed=False) as pg:
        t0 = time.perf_counter()
        report = copy_store(first, pg)
        there = time.perf_counter() - t0
        assert report.claims == len(first.list_claims(include_deleted=True))
        assert report.audit_records == len(first.audit_log())
        with open_store(tmp_path / "back.sqlite", seed=False) as back:
            copy_store(pg, back)
            for a, b, c in zip(_comparable(first), _comparable(pg), _comparable(back), strict=True):
                pd.testing.assert_frame_equal(a, b)
                pd.testing.assert_frame_equal(a, c)
            pd.testing.assert_frame_equal(first.list_claims(as_of=moment), pg.list_claims(as_of=moment))
            assert pg.history(ids[0]) == first.history(ids[0]) == back.history(ids[0])
            assert pg.revision() == first.revision() == back.revision()
            # the copy goes on: new audit ids continue after the copied ones
            (new,) = pg.add_claims([claim_row(3, source_id=sid)], user="cy")
            assert pg.history(new)[0]["audit_id"] == first.revision() + 1
            assert parse_stamp(pg.history(new)[0]["at"]) > parse_stamp(first.audit_log()["at"].iloc[-1])
        assert _sql(pg, "SELECT ST_AsText(geom) FROM claims WHERE claim_id = %s", (ids[0],)) == [("POINT(37.8 48)",)]
    first.close()
    print(f"\nshipped store ({report.claims} claims, {report.audit_records} audit records) copied in {there:.2f} s")


def test_migrating_into_a_store_that_is_not_empty_is_refused(tmp_path, store):
    before = content_digest(store)
    with open_store(tmp_path / "a.sqlite") as src, pytest.raises(StoreError, match="not empty"):
        copy_store(src, store)
    assert content_digest(store) == before


def test_backup_of_postgis_is_an_embedded_copy(store, tmp_path):
    (cid,) = store.add_claims([claim_row(1)], user="ana")
    dest = store.backup(tmp_path / "copy.sqlite")
    with open_store(dest) as copy:
        assert copy.history(cid) == store.history(cid)
        assert copy.integrity_check() == "ok"


def _cli(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    env.pop("CONTESTED_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "geo", "migrate", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_migrates_the_embedded_file_and_reports_bad_urls_in_one_line(tmp_path, pg_store_url):
    data_dir = tmp_path / "data"
    env = {"CONTESTED_DATA_DIR": str(data_dir)}
    done = _cli("--to", pg_store_url, env_extra=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("copied ") and "claims" in done.stdout
    with open_store(data_dir / "claims.sqlite") as src, open_store(pg_store_url) as dst:
        pd.testing.assert_frame_equal(src.audit_log(), dst.audit_log())
        n_claims = len(src.list_claims())
    assert f"{n_claims} claims" in done.stdout

    again = _cli("--to", pg_store_url, env_extra=env)
    assert again.returncode == 1 and "not empty" in again.stderr
    for bad, words in (
        ("postgresql://desk:hunter2@127.0.0.1:1/claims", "cannot connect"),
        ("mysql://db/claims", "postgresql://"),
        ("db.example.org/claims", "postgresql://"),
    ):
        out = _cli("--to", bad, env_extra=env)
        assert out.returncode == 1, (bad, out.stderr)
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], out.stderr
        assert "Traceback" not in out.stderr and "hunter2" not in out.stderr
    missing = _cli("--from", str(tmp_path / "nope.sqlite"), "--to", pg_store_url, env_extra=env)
    assert missing.returncode == 1 and "no such store" in missing.stderr


def test_claims_page_runs_on_postgis(pg_store_url, monkeypatch):
    """The unchanged app, pointed at PostGIS by CONTESTED_DB_URL, shows what another process adds."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CONTESTED_DB_URL", pg_store_url)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/claims.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    with open_store(pg_store_url) as other:  # seeded by the app from data/
        n_seed = len(other.list_claims(theatre=other.default_theatre))  # the page shows the default theatre's
        sid = other.list_sources()[S.SOURCE_ID].iloc[0]
        other.add_claims([claim_row(7, source_id=sid, quote="added by another app process")], user="desk-2")

    def quotes():
        table = next(t.value for t in at.dataframe if "quote" in t.value.columns)
        return list(table["quote"])

    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(quotes()) == n_seed + 1 and "added by another app process" in quotes()


# ------------------------------------------- the model-based test of test_store.py, on PostGIS
def test_registry_state_machine_on_postgis(pg_server_url):
    """Random adds, stale and fresh edits, deletes and undos; now and "as of" equal a plain model."""
    import tempfile

    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from tests.support.pg_server import fresh_schema
    from tests.unit.store.test_store import RegistryMachine

    class PostgisRegistryMachine(RegistryMachine):
        def __init__(self):
            super(RegistryMachine, self).__init__()  # RuleBasedStateMachine's, not the SQLite setup
            self._tmp = tempfile.TemporaryDirectory()
            self._schema = fresh_schema(pg_server_url)
            url = self._schema.__enter__()
            self.store = open_store(url, seed_dir=write_seed(Path(self._tmp.name) / "seed"))
            seed = self.store.list_claims()
            self.model = {r[S.CLAIM_ID]: (r[S.CLAIM_NOTES], False, 1) for _, r in seed.iterrows()}
            self.snapshots = [(self._last_write(), dict(self.model))]

        def teardown(self):
            try:
                super().teardown()
            finally:
                self._schema.__exit__(None, None, None)

    run_state_machine_as_test(
        PostgisRegistryMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
