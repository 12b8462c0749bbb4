"""``list_claims`` selects, joins and filters in SQL: the same frame as the row-by-row path, filter by filter."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from geo import schema as S
from geo.claims.store import open_store
from geo.claims.store.base import JOINED_SOURCE_COLUMNS, claim_from_record
from geo.claims.store.query import MAX_SQL_VALUES, claims_frame, filter_claims, frame_from_rows, sql_filters
from geo.claims.store.sql_base import CLAIM_TABLE_COLUMNS
from tests.support.claims_helpers import SEED_SOURCE, claim_row, write_seed
from tests.support.parties import PARTY_SEPARATISTS
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

ACTORS = ("Kiev", "DPR", "OSCE SMM", "Ärzte ohne Grenzen", "")
DATES = ("2014-09-20", "2015-01-20", "2015-01-21", "2015-02-12", "2015-06-30")


@pytest.fixture(params=["sqlite", "postgis"])
def store(request, tmp_path):
    target = str(tmp_path / "claims.sqlite") if request.param == "sqlite" else request.getfixturevalue("pg_store_url")
    s = open_store(target, seed_dir=write_seed(tmp_path / "seed"))
    rows = []
    for n, (actor, date) in enumerate(itertools.product(ACTORS, DATES)):
        rows.append(
            claim_row(
                n,
                actor=actor or "Unnamed",
                party="" if n % 3 == 0 else PARTY_SEPARATISTS,
                event_date=date,
                stance=("asserts", "denies")[n % 2],
                reliability_source="ABC"[n % 3],
                quote=f"claim {n}: {'Straße' if n % 4 == 0 else 'road'} more than {n} sq km",
                tags="ceasefire" if n % 5 == 0 else "",
            )
        )
    ids = s.add_claims(rows, user="ana")
    s.delete_claim(ids[3], "ana")
    yield s
    s.close()


def _row_by_row(store, *, include_deleted=False):
    """The frame as list_claims built it before: a Claim per stored row, then claims_frame."""
    with store._read_cursor() as cur:
        claims = [claim_from_record(r) for r in store._rows(cur, "SELECT * FROM claims")]
        sources = store._sources_by_id(cur)
    if not include_deleted:
        claims = [c for c in claims if not c.deleted]
    return claims_frame(claims, sources)


@pytest.mark.parametrize("include_deleted", [False, True])
def test_the_whole_listing_equals_the_row_by_row_frame(store, include_deleted):
    got = store.list_claims(include_deleted=include_deleted)
    want = _row_by_row(store, include_deleted=include_deleted)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == (len(ACTORS) * len(DATES) + 2 - (not include_deleted))  # 2 seed claims, 1 deleted


FILTERS = [
    {"actor": "DPR"},
    {"actor": ["DPR", "Kiev"], "stance": "denies"},
    {"party": ""},
    {"party": ["", PARTY_SEPARATISTS]},
    {"actor": []},
    {"reliability_source": {"A", "C"}, "kind": "area"},
    {"reference_line": S.LINE_MINSK_2014, "source_id": SEED_SOURCE[S.SOURCE_ID]},
    {"date_from": "2015-01-21"},
    {"date_to": "2015-01-20"},
    {"date_from": "2015-01", "date_to": "2015-02-12"},
    {"date_from": "", "date_to": None},
    {"text": "STRASSE"},
    {"text": "ceasefire", "actor": "OSCE SMM"},
    {"stance": "denies", "date_from": "2015-01-01", "text": "road"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_each_filter_selects_what_the_python_filter_selects(store, filters):
    got = store.list_claims(**filters)
    want = filter_claims(_row_by_row(store), **filters)
    pd.testing.assert_frame_equal(got, want, check_dtype=not want.empty)  # no rows: text columns may be object
    assert len(got) == len(want)


def test_claim_ids_filter_in_sql_and_beyond_the_parameter_limit(store):
    everything = store.list_claims()
    some = list(everything[S.CLAIM_ID].iloc[::3])
    pd.testing.assert_frame_equal(store.list_claims(claim_ids=some), filter_claims(everything, claim_ids=some))
    many = some + [f"c_missing_{i}" for i in range(MAX_SQL_VALUES + 1)]
    pd.testing.assert_frame_equal(store.list_claims(claim_ids=many), filter_claims(everything, claim_ids=many))


def test_sql_filters_leave_to_python_what_sql_cannot_say_the_same_way():
    clauses, params, rest = sql_filters(
        {"actor": ["b", "a", ""], "date_to": "2015-02-01", "text": "km", "reported_by": "2015-01-01"},
        collate=' COLLATE "C"',
    )
    assert clauses == ["(c.actor IN (?, ?, ?) OR c.actor IS NULL)", 'c.event_date COLLATE "C" <= ?']
    assert params == ["", "a", "b", "2015-02-01"]
    assert rest == {"text": "km", "reported_by": "2015-01-01"}
    big = [str(i) for i in range(MAX_SQL_VALUES + 1)]
    assert sql_filters({"claim_ids": big}) == ([], [], {"claim_ids": big})
    assert sql_filters({"stance": []}) == (["1 = 0"], [], {})


def _rows_and_sources():
    """Claim rows as a store returns them (table columns, NULLs as None), and their sources."""
    names = CLAIM_TABLE_COLUMNS
    base = {c: None for c in names}
    rows = []
    for i, (date, value, source) in enumerate(
        [("2015-02-01", 500.0, "s1"), (None, None, "s2"), ("2015-01-20", 12.5, "gone"), ("2015-01-20", 1.0, "s1")]
    ):
        row = {**base, S.CLAIM_ID: f"c{3 - i}", S.CLAIM_QUOTE: f"quote {i}", S.CLAIM_EVENT_DATE: date,
               S.CLAIM_VALUE_KM2: value, S.CLAIM_SOURCE_ID: source, S.CLAIM_STANCE: "asserts",
               S.CLAIM_THEATRE: "donbas-2014-15", "record_time": "2026-01-01", "version": 1, "deleted": 0}  # fmt: skip
        rows.append(tuple(row[c] for c in names))
    sources = {
        "s1": {"source_id": "s1", **{c: f"{c} one" for c in JOINED_SOURCE_COLUMNS}},
        "s2": {"source_id": "s2", **{c: None for c in JOINED_SOURCE_COLUMNS}},
    }
    return names, rows, sources


def test_rows_to_frame_through_arrow_equals_pandas_own_conversion():
    names, rows, sources = _rows_and_sources()
    fast = frame_from_rows(names, rows, sources=sources)
    joined_names = [*names, *JOINED_SOURCE_COLUMNS]
    joined = [row + tuple((sources.get(row[names.index(S.CLAIM_SOURCE_ID)]) or {}).get(c) for c in JOINED_SOURCE_COLUMNS)
              for row in rows]  # fmt: skip
    slow = frame_from_rows(joined_names, list(reversed(joined)))
    pd.testing.assert_frame_equal(fast, slow)
    assert list(fast[S.CLAIM_ID]) == ["c2", "c0", "c1", "c3"]  # no date first, then by date and id
    assert list(fast["publisher"]) == ["", "publisher one", "", "publisher one"]  # unknown source and NULLs: ""
    assert fast[S.CLAIM_VALUE_KM2].isna().tolist() == [True, False, False, False]
    assert fast["version"].dtype == "int64" and fast["deleted"].dtype == bool
    assert fast[S.CLAIM_QUOTE].dtype == pd.Series(["x"]).dtype


def test_text_in_a_figure_column_is_read_as_pandas_reads_it():
    names, rows, sources = _rows_and_sources()
    at = names.index(S.CLAIM_VALUE_KM2)
    rows = [row[:at] + (text,) + row[at + 1 :] for row, text in zip(rows, ["500", "n/a", None, 7.0], strict=True)]
    frame = frame_from_rows(names, rows, sources=sources).set_index(S.CLAIM_ID)
    assert frame[S.CLAIM_VALUE_KM2].to_dict() == pytest.approx(
        {"c3": 500.0, "c1": float("nan"), "c0": 7.0, "c2": float("nan")}, nan_ok=True
    )
