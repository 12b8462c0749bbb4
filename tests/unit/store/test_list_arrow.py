"""The claims listing builds its frame in Arrow (rows -> one struct array -> sorted, joined columns).

``frame_from_rows`` with ``sources`` first converts the rows in one Arrow call; when a value does not
fit its column's type it takes the per-column path instead. These tests check that the two paths give
the same frame for any rows, that a store's whole listing takes the Arrow path, and that a column of
mixed values falls back.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.claims.store.query as query
from geo import schema as S
from geo.claims.model import DELETED, VERSION
from geo.claims.store import open_store
from geo.claims.store.base import FLOAT_COLUMNS, JOINED_SOURCE_COLUMNS
from geo.claims.store.query import frame_from_rows
from geo.claims.store.sql_base import CLAIM_TABLE_COLUMNS
from tests.support.claims_helpers import claim_row, write_seed

NAMES = CLAIM_TABLE_COLUMNS


@contextlib.contextmanager
def _per_column_path(monkeypatch):
    """``frame_from_rows`` without its Arrow path (the path it falls back to)."""
    with monkeypatch.context() as m:
        m.setattr(query, "_frame_from_rows_in_arrow", lambda names, rows, sources: None)
        yield


@contextlib.contextmanager
def _arrow_path_only(monkeypatch):
    """Fail the test if ``frame_from_rows`` leaves the Arrow path."""
    real = query._frame_from_rows_in_arrow

    def checked(names, rows, sources):
        frame = real(names, rows, sources)
        assert frame is not None, "the rows left the Arrow path"
        return frame

    with monkeypatch.context() as m:
        m.setattr(query, "_frame_from_rows_in_arrow", checked)
        yield


TEXT = st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["", "2015-01-20", "2015-01-20", "ё\n\"'", "s1"]))
FIGURE = st.one_of(st.none(), st.integers(0, 10**12), st.floats(0, 1e12, allow_nan=False))
SOURCE_IDS = st.one_of(st.none(), st.sampled_from(["s1", "s2", "gone", ""]))


def _row(draw_text, figures, version, deleted, source):
    row = dict(draw_text)
    row.update(figures)
    row.update({VERSION: version, DELETED: deleted, S.CLAIM_SOURCE_ID: source})
    return tuple(row[c] for c in NAMES)


ROWS = st.lists(
    st.builds(
        _row,
        st.fixed_dictionaries({c: TEXT for c in NAMES if c not in (*FLOAT_COLUMNS, VERSION, DELETED)}),
        st.fixed_dictionaries({c: FIGURE for c in FLOAT_COLUMNS}),
        st.one_of(st.none(), st.integers(1, 99)),
        st.one_of(st.none(), st.sampled_from([0, 1])),
        SOURCE_IDS,
    ),
    min_size=1,
    max_size=25,
)
SOURCES = {
    "s1": {S.SOURCE_ID: "s1", **{c: f"{c} of s1" for c in JOINED_SOURCE_COLUMNS}},
    "s2": {S.SOURCE_ID: "s2", **{c: None for c in JOINED_SOURCE_COLUMNS}},
    "": {S.SOURCE_ID: "", "publisher": "the empty id"},
}


@settings(max_examples=150, deadline=None)
@given(rows=ROWS)
def test_any_rows_give_the_same_frame_in_arrow_as_column_by_column(rows):
    with pytest.MonkeyPatch.context() as m:
        fast = frame_from_rows(NAMES, rows, sources=SOURCES)
        m.setattr(query, "_frame_from_rows_in_arrow", lambda names, rows, sources: None)
        slow = frame_from_rows(NAMES, rows, sources=SOURCES)
    assert query._frame_from_rows_in_arrow(NAMES, rows, SOURCES) is not None  # these rows fit their types
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize(
    ("column", "value"),
    [(S.CLAIM_VALUE_KM2, "n/a"), (S.CLAIM_VALUE, "500"), (S.CLAIM_ACTOR, 7), (S.CLAIM_QUOTE, 1.5), (VERSION, "2")],
)
def test_a_value_that_does_not_fit_its_column_takes_the_per_column_path(monkeypatch, column, value):
    base = {c: None for c in NAMES}
    rows = []
    for i in range(4):
        row = {**base, S.CLAIM_ID: f"c{i}", S.CLAIM_QUOTE: f"quote {i}", S.CLAIM_EVENT_DATE: f"2015-01-2{i}",
               S.CLAIM_VALUE_KM2: 10.0 * i, S.CLAIM_SOURCE_ID: "s1", VERSION: 1, DELETED: 0}  # fmt: skip
        if i == 2:
            row[column] = value
        rows.append(tuple(row[c] for c in NAMES))
    assert query._frame_from_rows_in_arrow(NAMES, rows, SOURCES) is None
    got = frame_from_rows(NAMES, rows, sources=SOURCES)
    with _per_column_path(monkeypatch):
        want = frame_from_rows(NAMES, rows, sources=SOURCES)
    pd.testing.assert_frame_equal(got, want)
    assert got[S.CLAIM_ID].tolist() == ["c0", "c1", "c2", "c3"]


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    """A store of 1,162 claims: areas, then distances with a quote over two lines."""
    root = tmp_path_factory.mktemp("arrow")
    s = open_store(str(root / "claims.sqlite"), seed_dir=write_seed(root / "seed"))
    rows = [claim_row(n, actor=("Kiev", "DPR", "Ärzte ohne Grenzen")[n % 3], event_date=f"2015-01-{1 + n % 28:02d}")
            for n in range(1_100)]  # fmt: skip
    rows += [
        claim_row(n, kind="distance", unit="km", value=n + 0.5, quote=f"advanced {n} km\nnear it") for n in range(60)
    ]
    ids = s.add_claims(rows, user="ana")
    s.delete_claim(ids[7], "ana")
    yield s
    s.close()


@pytest.mark.parametrize(
    "filters", [{}, {"include_deleted": True}, {"actor": ["DPR", "Kiev"], "kind": "area"}, {"text": "NEAR IT"}]
)
def test_a_stores_listing_is_built_in_arrow_and_equals_the_per_column_frame(big_store, monkeypatch, filters):
    with _arrow_path_only(monkeypatch):
        fast = big_store.list_claims(**filters)
    with _per_column_path(monkeypatch):
        slow = big_store.list_claims(**filters)
    pd.testing.assert_frame_equal(fast, slow)
    assert len(fast) > 0
    if not filters:
        assert len(fast) == 1_100 + 60 + 2 - 1  # the 2 seed claims, one deleted
        assert fast[S.CLAIM_VALUE_KM].notna().sum() == 60
        assert (fast[S.CLAIM_EVENT_DATE] + fast[S.CLAIM_ID]).is_monotonic_increasing


def test_a_store_holding_text_in_a_figure_column_lists_it_as_before(tmp_path, monkeypatch):
    s = open_store(str(tmp_path / "claims.sqlite"), seed_dir=write_seed(tmp_path / "seed"))
    try:
        (cid,) = s.add_claims([claim_row(3)], user="ana")
        with contextlib.closing(sqlite3.connect(s.path)) as raw, raw:
            raw.execute("UPDATE claims SET value = 'n/a' WHERE claim_id = ?", (cid,))  # as an old file may hold
        got = s.list_claims()
        with _per_column_path(monkeypatch):
            want = s.list_claims()
        pd.testing.assert_frame_equal(got, want)
        assert pd.isna(got.set_index(S.CLAIM_ID).loc[cid, S.CLAIM_VALUE])
    finally:
        s.close()
