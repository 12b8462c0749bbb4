"""Checks on the default data shipped in ``data/``.

The files are authored facts or registry extracts; these tests guard their
shape (columns from ``geo.schema``), their cross-references and the geometric
conventions the rest of the code relies on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import LineString

from geo import schema as S
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE, SIDES

DATA = Path(__file__).resolve().parents[3] / "data" / "theatres" / "donbas-2014-15"
DONBAS_BBOX = (36.5, 46.9, 40.3, 50.1)  # lon_min, lat_min, lon_max, lat_max
LINE_IDS = {S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return _read("lines.csv")


@pytest.fixture(scope="module")
def vertices() -> pd.DataFrame:
    df = _read("line_vertices.csv")
    df[S.V_SEQ] = df[S.V_SEQ].astype(int)
    df[S.V_LON] = df[S.V_LON].astype(float)
    df[S.V_LAT] = df[S.V_LAT].astype(float)
    return df


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return _read("sources.csv")


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return _read("claims.csv")


@pytest.fixture(scope="module")
def settlements() -> pd.DataFrame:
    return _read("settlements.csv")


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("lines.csv", S.LINE_COLUMNS + S.LINE_SIDE_COLUMNS),
        ("line_vertices.csv", S.VERTEX_COLUMNS),
        ("sources.csv", S.SOURCE_COLUMNS),
        ("claims.csv", S.CLAIM_FILE_COLUMNS),  # shipped before the interval columns; the seed fills them
        (
            "settlements.csv",
            [S.S_NAME, S.S_NAME_ALT, S.S_LON, S.S_LAT, S.S_POPULATION, S.S_OBLAST] + [S.S_GEONAMEID, S.S_SOURCE],
        ),
    ],
)
def test_columns_match_schema(name: str, columns: list[str]) -> None:
    assert list(_read(name).columns) == columns


def test_ids_are_unique(lines, sources, claims, vertices) -> None:
    assert lines[S.LINE_ID].is_unique
    assert sources[S.SOURCE_ID].is_unique
    assert claims[S.CLAIM_ID].is_unique
    assert not vertices.duplicated([S.V_LINE_ID, S.V_SEQ]).any()


def test_lines_are_the_schema_lines(lines, vertices) -> None:
    assert set(lines[S.LINE_ID]) == LINE_IDS
    assert set(vertices[S.V_LINE_ID]) == LINE_IDS
    assert set(lines[S.LINE_KIND]) <= {"agreed", "contact", "claimed", "drawn"}
    assert lines.loc[lines[S.LINE_ID] == S.AGREED_LINE, S.LINE_KIND].item() == "agreed"
    assert (lines[S.LINE_PRECISION_KM].astype(float) > 0).all()


def test_line_sources_exist(lines, sources) -> None:
    known = set(sources[S.SOURCE_ID])
    for _, row in lines.iterrows():
        cited = [s for s in row[S.LINE_SOURCES].split(";") if s]
        assert cited, row[S.LINE_ID]
        assert set(cited) <= known, row[S.LINE_ID]


def test_claim_references_exist(claims, sources, lines) -> None:
    assert set(claims[S.CLAIM_SOURCE_ID]) <= set(sources[S.SOURCE_ID])
    refs = set(claims[S.CLAIM_REFERENCE_LINE]) - {""}
    assert refs <= set(lines[S.LINE_ID])


def test_claim_vocabularies(claims, sources) -> None:
    assert set(claims[S.CLAIM_STANCE]) <= set(S.STANCES)
    assert set(claims[S.CLAIM_KIND]) <= set(S.CLAIM_KINDS)
    assert set(claims[S.CLAIM_QUALIFIER]) <= set(S.QUALIFIERS)
    assert set(claims[S.CLAIM_SIDE]) <= set(SIDES)
    assert set(claims[S.CLAIM_REL_SOURCE]) <= set("ABCDEF")
    assert set(claims[S.CLAIM_REL_INFO]) <= set("123456")
    assert set(sources[S.SOURCE_KIND]) <= set(S.SOURCE_KINDS)
    assert (claims[S.CLAIM_QUOTE].str.len() > 10).all()


def test_figures_are_consistent(claims) -> None:
    area = claims[claims[S.CLAIM_KIND] == "area"]
    dist = claims[claims[S.CLAIM_KIND].isin(["distance", "withdrawal_distance"])]
    assert (area[S.CLAIM_VALUE_KM2].astype(float) > 0).all()
    assert (dist[S.CLAIM_VALUE_KM].astype(float) > 0).all()
    nofig = claims[claims[S.CLAIM_KIND] == ""]
    assert (nofig[S.CLAIM_VALUE] == "").all()


def test_dates_parse(lines, sources, claims) -> None:
    pd.to_datetime(lines[S.LINE_DATE], format="%Y-%m-%d")
    pd.to_datetime(sources[S.SOURCE_PUBLISHED], format="%Y-%m-%d")
    pd.to_datetime(claims[S.CLAIM_EVENT_DATE], format="%Y-%m-%d")
    for col in (S.CLAIM_VALID_FROM, S.CLAIM_VALID_TO):
        filled = claims.loc[claims[col] != "", col]
        pd.to_datetime(filled, format="%Y-%m-%d")


def test_urls_are_http(sources) -> None:
    assert sources[S.SOURCE_URL].str.match(r"^https?://\S+$").all()


def test_seed_claim_present(claims) -> None:
    seed = claims[
        (claims[S.CLAIM_VALUE_KM2] != "")
        & (claims[S.CLAIM_QUALIFIER] == "more_than")
        & (claims[S.CLAIM_EVENT_DATE] == "2015-01-20")
        & (claims[S.CLAIM_REFERENCE_LINE] == S.LINE_MINSK_2014)
        & (claims[S.CLAIM_SIDE] == PARTY_SEPARATISTS)
    ]
    assert (seed[S.CLAIM_VALUE_KM2].astype(float) == 500).any()
    stances = set(claims[S.CLAIM_STANCE])
    assert {"asserts", "acknowledges", "denies"} <= stances


def test_vertex_order_and_ends(vertices) -> None:
    for line_id, group in vertices.groupby(S.V_LINE_ID):
        seqs = group[S.V_SEQ].tolist()
        assert seqs == list(range(len(seqs))), line_id
        assert len(group) >= 10, line_id
        ordered = group.sort_values(S.V_SEQ)
        first, last = ordered.iloc[0], ordered.iloc[-1]
        # first vertex: in Russia just east of Luhansk oblast
        assert first[S.V_LON] > 39.5 and 48.0 < first[S.V_LAT] < 49.0, line_id
        # last vertex: offshore in the Sea of Azov
        assert last[S.V_LAT] < 47.2 and last[S.V_LON] < 38.3, line_id


def test_vertex_gazetteer_refs(vertices, settlements) -> None:
    ids = set(settlements[S.S_GEONAMEID]) - {""}
    names = set(settlements[S.S_NAME])
    for _, row in vertices.iterrows():
        gz = row[S.V_GAZETTEER]
        assert gz == "authored" or gz.startswith("geonames:"), gz
        if gz.startswith("geonames:"):
            assert gz.split(":", 1)[1] in ids, gz
        if row[S.V_SETTLEMENT]:
            assert row[S.V_SETTLEMENT] in names, row[S.V_SETTLEMENT]
        assert row[S.V_NOTE], (row[S.V_LINE_ID], row[S.V_SEQ])


def _line(vertices: pd.DataFrame, line_id: str) -> LineString:
    group = vertices[vertices[S.V_LINE_ID] == line_id].sort_values(S.V_SEQ)
    return LineString(list(zip(group[S.V_LON], group[S.V_LAT], strict=True)))


def test_lines_are_simple_and_differ(vertices) -> None:
    geoms = {line_id: _line(vertices, line_id) for line_id in LINE_IDS}
    for line_id, geom in geoms.items():
        assert geom.is_simple, line_id
    assert not geoms[S.LINE_MINSK_2014].equals(geoms[S.LINE_CONTACT_2015_01])
    assert not geoms[S.LINE_CONTACT_2015_01].equals(geoms[S.LINE_CONTACT_2015_02])
    assert not geoms[S.LINE_MINSK_2014].equals(geoms[S.LINE_CONTACT_2015_02])


def test_settlements_have_key_places(settlements) -> None:
    lon_min, lat_min, lon_max, lat_max = DONBAS_BBOX
    for name in ("Debaltseve", "Pisky", "Horlivka"):
        rows = settlements[settlements[S.S_NAME] == name]
        lon = rows[S.S_LON].astype(float)
        lat = rows[S.S_LAT].astype(float)
        inside = lon.between(lon_min, lon_max) & lat.between(lat_min, lat_max)
        assert inside.any(), name
    assert set(settlements[S.S_OBLAST]) == set(S.FRONT_OBLASTS)
    assert settlements[S.S_SOURCE].str.len().gt(0).all()
    gids = settlements.loc[settlements[S.S_GEONAMEID] != "", S.S_GEONAMEID]
    assert gids.is_unique


def test_settlements_have_no_city_districts_or_near_duplicates():
    import math

    s = pd.read_csv(DATA / "settlements.csv", dtype={"geonameid": str}, keep_default_na=False)
    assert "Pravyi Bereh" not in set(s["name"])  # a district of Mariupol, not a town
    for name, group in s.groupby("name"):
        pts = group[["lon", "lat"]].astype(float).to_numpy()
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                dx = (pts[i][0] - pts[j][0]) * 111.32 * math.cos(math.radians(pts[i][1]))
                dy = (pts[i][1] - pts[j][1]) * 110.57
                assert math.hypot(dx, dy) >= 2.0, f"{name} listed twice within 2 km"


def test_every_donbas_line_has_a_point_side_rule_on_donetsk() -> None:
    for _, row in _read("lines.csv").iterrows():
        assert row[S.LINE_SIDE_RULE] == "point", row[S.LINE_ID]
        assert (row[S.LINE_SIDE_PARTY], row[S.LINE_SIDE_OTHER]) == (PARTY_SEPARATISTS, PARTY_UKRAINE)
        assert (float(row[S.LINE_SIDE_LON]), float(row[S.LINE_SIDE_LAT])) == (37.8028, 48.0159)
