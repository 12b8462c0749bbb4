"""A claim's value interval, dimension and period in both stores: round trip, checks, migration, export."""

# ruff: noqa: F811 - pytest fixtures imported from tests/support/pg_server.py are used as arguments
from __future__ import annotations

import json
import sqlite3

import pytest

from geo import schema as S
from geo.claims.model import validate_claim
from geo.claims.store import LIST_COLUMNS, open_store
from geo.claims.store import postgis as pg_backend
from geo.claims.store import sqlite as sqlite_backend
from geo.commands.claims_cmd import frame_to_records
from geo.errors import ValidationError
from tests.support.claims_helpers import claim_row, write_seed
from tests.support.old_store import build_old_store, old_claim
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

INTERVAL = {
    S.CLAIM_KIND: "distance",
    S.CLAIM_VALUE: 10,
    S.CLAIM_UNIT: "km",
    S.CLAIM_VALUE_MIN: 10,
    S.CLAIM_VALUE_MAX: 15,
    S.CLAIM_QUALIFIER: "",
    S.CLAIM_DIMENSION: "depth",
    S.CLAIM_PERIOD_START: "2024-03-01",
    S.CLAIM_PERIOD_END: "2024-03-31",
}


@pytest.fixture
def seed_dir(tmp_path):
    return write_seed(tmp_path / "seed")


@pytest.fixture(params=["sqlite", "postgis"])
def store(request, tmp_path, seed_dir):
    target = str(tmp_path / "claims.sqlite") if request.param == "sqlite" else request.getfixturevalue("pg_store_url")
    s = open_store(target, seed_dir=seed_dir)
    yield s
    s.close()


def test_interval_dimension_and_period_round_trip(store):
    (cid,) = store.add_claims([claim_row(1, **INTERVAL)], user="ana")
    got = store.get_claim(cid)
    assert (got.value_min, got.value_max, got.unit, got.dimension) == (10.0, 15.0, "km", "depth")
    assert (got.period_start, got.period_end) == ("2024-03-01", "2024-03-31")
    assert got.value_km == 10.0
    row = store.list_claims().set_index(S.CLAIM_ID).loc[cid]
    assert (row[S.CLAIM_VALUE_MIN], row[S.CLAIM_VALUE_MAX], row[S.CLAIM_DIMENSION]) == (10.0, 15.0, "depth")
    # an edit of the interval is a new version, and history shows the change
    store.update_claim(cid, {S.CLAIM_VALUE_MAX: 20, S.CLAIM_DIMENSION: "width"}, user="bo", expected_version=1)
    again = store.get_claim(cid)
    assert (again.value_max, again.dimension, again.version) == (20.0, "width", 2)
    last = store.history(cid)[-1]
    assert (last["before"][S.CLAIM_VALUE_MAX], last["after"][S.CLAIM_VALUE_MAX]) == (15.0, 20.0)


def test_a_figure_without_bounds_is_its_own_interval(store):
    (cid,) = store.add_claims([claim_row(7)], user="ana")
    got = store.get_claim(cid)
    assert (got.value_min, got.value_max, got.dimension, got.period_start) == (7.0, 7.0, "", "")


def test_export_carries_the_new_fields(store):
    (cid,) = store.add_claims([claim_row(1, **INTERVAL)], user="ana")
    frame = store.list_claims()
    assert list(frame.columns) == LIST_COLUMNS
    for col in S.CLAIM_INTERVAL_COLUMNS:
        assert col in LIST_COLUMNS
    (record,) = [r for r in frame_to_records(frame) if r[S.CLAIM_ID] == cid]
    json.dumps(record)  # JSON-ready
    assert (record[S.CLAIM_VALUE_MIN], record[S.CLAIM_VALUE_MAX], record[S.CLAIM_PERIOD_END]) == (
        10.0,
        15.0,
        "2024-03-31",
    )


@pytest.mark.parametrize(
    "changes, field",
    [
        ({S.CLAIM_VALUE_MIN: 20, S.CLAIM_VALUE_MAX: 15}, S.CLAIM_VALUE_MAX),
        ({S.CLAIM_VALUE_MIN: -1}, S.CLAIM_VALUE_MIN),
        ({S.CLAIM_DIMENSION: "height"}, S.CLAIM_DIMENSION),
        ({S.CLAIM_KIND: "area", S.CLAIM_UNIT: "sq km"}, S.CLAIM_DIMENSION),
        ({S.CLAIM_PERIOD_START: "2024-04-01"}, S.CLAIM_PERIOD_END),
        ({S.CLAIM_PERIOD_END: "31.03.2024"}, S.CLAIM_PERIOD_END),
    ],
)
def test_bad_interval_fields_are_refused_by_name(changes, field):
    with pytest.raises(ValidationError) as info:
        validate_claim(claim_row(1, **{**INTERVAL, **changes}), row=3)
    assert info.value.field == field
    assert "3" in str(info.value)


def test_a_refused_row_stores_nothing(store):
    before = len(store.list_claims())
    with pytest.raises(ValidationError):
        store.add_claims([claim_row(1, **INTERVAL), claim_row(2, **{**INTERVAL, S.CLAIM_VALUE_MAX: 1})], user="ana")
    assert len(store.list_claims()) == before


def _check_migrated(store, n_versions):
    assert store.schema_version() == n_versions
    frame = store.list_claims().set_index(S.CLAIM_ID)
    assert sorted(frame.index) == ["old1", "old2", "old3"]  # every row kept, none seeded
    for i in (1, 2, 3):
        old = old_claim(i)
        got = store.get_claim(f"old{i}")
        for col in S.CLAIM_FILE_COLUMNS:
            assert getattr(got, col) == old[col], col
        assert (got.value_min, got.value_max) == (old[S.CLAIM_VALUE], old[S.CLAIM_VALUE])  # filled from the figure
        assert (got.dimension, got.period_start, got.period_end, got.version) == ("", "", "", 1)
        assert [e["action"] for e in store.history(f"old{i}")] == ["insert"]  # the audit log kept too
    # the migrated store takes new claims with the new fields
    (cid,) = store.add_claims([claim_row(9, **{**INTERVAL, S.CLAIM_SOURCE_ID: "srcold"})], user="cy")
    assert store.get_claim(cid).value_max == 15.0


def test_sqlite_store_of_the_previous_release_is_migrated_and_keeps_its_rows(tmp_path, seed_dir):
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(str(db), isolation_level=None)
    build_old_store(conn.cursor(), sqlite_backend.MIGRATIONS, 2, [old_claim(i) for i in (1, 2, 3)])
    conn.close()
    with open_store(db, seed_dir=seed_dir) as store:
        _check_migrated(store, len(sqlite_backend.MIGRATIONS))
    with open_store(db, seed_dir=seed_dir) as store:  # opening again applies nothing twice
        assert store.schema_version() == len(sqlite_backend.MIGRATIONS)


def test_postgis_store_of_the_previous_release_is_migrated_and_keeps_its_rows(pg_store_url, seed_dir):
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_store_url, autocommit=True) as conn:
        build_old_store(conn.cursor(), pg_backend.MIGRATIONS, 3, [old_claim(i) for i in (1, 2, 3)], mark="%s")
    with open_store(pg_store_url, seed_dir=seed_dir) as store:
        _check_migrated(store, len(pg_backend.MIGRATIONS))
