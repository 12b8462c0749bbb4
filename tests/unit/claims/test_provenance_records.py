"""``source_records`` builds the same source objects column-wise as a row-by-row reading does."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import schema as S
from geo.cells import cell_text
from geo.claims.provenance import (
    SOURCE_FIELDS,
    SOURCES_COLUMN,
    attach_sources,
    encoded_sources,
    source_records,
    sources_json,
)


def claims(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            S.CLAIM_ID: [f"c{i}" for i in range(n)],
            S.CLAIM_SOURCE_ID: [f"s{i % 4}" for i in range(n)],
            S.CLAIM_QUOTE: [f"quote «{i}»" if i % 5 else None for i in range(n)],
            S.SOURCE_PUBLISHER: ["Wire"] * n,
            S.SOURCE_URL: [f"https://example.org/{i}" if i % 3 else np.nan for i in range(n)],
            S.SOURCE_PUBLISHED: ["2015-01-21"] * n,
            S.CLAIM_REL_SOURCE: rng.choice(["A", "B", ""], n),
            S.CLAIM_REL_INFO: rng.choice(["1", "2", ""], n),
        }
    )  # no title column: its cells are ""


def row_by_row(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    out = {}
    for row in frame.to_dict(orient="records"):
        rec = {k: cell_text(row.get(k)) for k in SOURCE_FIELDS if k != "grade"}
        rec["grade"] = rec[S.CLAIM_REL_SOURCE] + rec[S.CLAIM_REL_INFO]
        out[rec[S.CLAIM_ID]] = {k: rec[k] for k in SOURCE_FIELDS}
    return out


def test_records_equal_the_row_by_row_records_keys_in_order():
    frame = claims()
    got, want = source_records(frame), row_by_row(frame)
    assert got == want
    assert all(list(r) == list(SOURCE_FIELDS) for r in got.values())
    assert sources_json(["c7", "c1"], got) == sources_json(["c7", "c1"], want)


def test_only_keeps_the_cited_claims():
    frame = claims()
    assert source_records(frame, only={"c3", "c9", "nope"}) == {k: row_by_row(frame)[k] for k in ("c3", "c9")}
    assert source_records(frame.iloc[:0]) == {}


def test_attach_sources_lists_each_features_claims():
    frame = claims()
    layer = gpd.GeoDataFrame({S.C_CLAIM_IDS: ["c1;c2", "", "c5;c1;c5"]}, geometry=[shapely.Point(0, 0)] * 3, crs=S.CRS)
    out = attach_sources(layer, frame)
    want = row_by_row(frame)
    assert [json.loads(v) for v in out[SOURCES_COLUMN]] == [[want["c1"], want["c2"]], [], [want["c5"], want["c1"]]]


def test_encoded_sources_are_the_json_of_each_record():
    frame = claims()
    frame.loc[3, S.CLAIM_QUOTE] = 'He said "500 km²"\n\t\\ \u2028 ‹x›'
    encoded, records = encoded_sources(frame), source_records(frame)
    assert list(encoded) == list(records)
    assert all(encoded[k] == json.dumps(records[k], ensure_ascii=False) for k in records)
    assert encoded_sources(frame, only={"c3", "nope"}) == {"c3": encoded["c3"]}
    assert encoded_sources(frame.iloc[:0]) == {}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=30), st.sampled_from(["A", "", "F"])), max_size=8))
def test_encoded_sources_round_trip_any_text(rows):
    frame = pd.DataFrame(
        {
            S.CLAIM_ID: [f"c{i}" for i in range(len(rows))],
            S.CLAIM_QUOTE: [q for q, _, _ in rows],
            S.SOURCE_TITLE: [t for _, t, _ in rows],
            S.CLAIM_REL_SOURCE: [g for _, _, g in rows],
        }
    )
    encoded, records = encoded_sources(frame), source_records(frame)
    assert {k: json.loads(v) for k, v in encoded.items()} == records
    assert all(encoded[k] == json.dumps(records[k], ensure_ascii=False) for k in records)


def test_attach_sources_from_encoded_equals_from_claims():
    frame = claims()
    layer = gpd.GeoDataFrame(
        {S.C_CLAIM_IDS: ["c1;c2", "", "c5;c1;c5", "gone;c9"]}, geometry=[shapely.Point(0, 0)] * 4, crs=S.CRS
    )
    by_claims = attach_sources(layer, frame)
    by_encoded = attach_sources(layer, encoded=encoded_sources(frame))
    assert by_claims[SOURCES_COLUMN].tolist() == by_encoded[SOURCES_COLUMN].tolist()
    want = row_by_row(frame)
    assert by_encoded[SOURCES_COLUMN].tolist() == [sources_json(i.split(";"), want) for i in layer[S.C_CLAIM_IDS]]
