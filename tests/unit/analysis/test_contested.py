import json

import pytest
from shapely.geometry import LineString, box

from geo import schema as S
from geo.analysis.contested import ContestedPair, contested_between, held_side, per_oblast_km2
from geo.analysis.layers import build_layers
from geo.measure import geodesic_area_km2
from geo.reference.boundaries import front_oblasts


def test_held_side_is_the_east_side():
    region = box(0, 0, 10, 10)
    side = held_side(LineString([(6, 11), (6, 5), (4, 5), (4, -1)]), region)
    assert side.contains(box(7, 1, 9, 9).centroid)
    assert not side.contains(box(1, 1, 3, 3).centroid)
    assert side.area == pytest.approx(6 * 5 + 5 * 4)


def test_contested_between_swaps_when_lines_swap():
    region = box(0, 0, 10, 10)
    a = LineString([(6, 11), (6, -1)])
    b = LineString([(6, 11), (6, 6), (3, 6), (3, 4), (6, 4), (6, -1)])
    ab = contested_between(a, b, region)
    ba = contested_between(b, a, region)
    assert ab[S.PARTY_SEPARATISTS].area == pytest.approx(6.0)
    assert ab[S.PARTY_UKRAINE].is_empty
    assert ba[S.PARTY_UKRAINE].area == pytest.approx(6.0)
    assert contested_between(a, a, region)[S.PARTY_SEPARATISTS].is_empty


def test_contested_pair_is_a_mapping_by_party():
    region = box(0, 0, 10, 10)
    pair = contested_between(LineString([(6, 11), (6, -1)]), LineString([(4, 11), (4, -1)]), region)
    assert isinstance(pair, ContestedPair)
    assert list(pair) == [S.PARTY_SEPARATISTS, S.PARTY_UKRAINE]
    assert pair.separatists is pair[S.PARTY_SEPARATISTS]
    assert pair.separatists.area == pytest.approx(20.0) and pair.ukraine.is_empty
    assert dict(pair.items()).keys() == {S.PARTY_SEPARATISTS, S.PARTY_UKRAINE}
    with pytest.raises(KeyError):
        pair["nobody"]


def test_each_contested_area_equals_sum_of_its_oblast_parts():
    contested = build_layers()["contested"]
    assert len(contested) >= 2
    oblasts = front_oblasts()
    for _, row in contested.iterrows():
        parts = json.loads(row["per_oblast"])
        assert parts, row[S.LINE_NAME]
        assert sum(parts.values()) == pytest.approx(row[S.AREA_KM2], rel=1e-3)
        # recomputed independently from the geometry
        assert sum(per_oblast_km2(row.geometry, oblasts).values()) == pytest.approx(row[S.AREA_KM2], rel=1e-3)
        assert geodesic_area_km2(row.geometry) == pytest.approx(row[S.AREA_KM2], rel=1e-9)


def test_contested_areas_lie_inside_the_front_oblasts():
    contested = build_layers()["contested"]
    region = front_oblasts().union_all().buffer(1e-6)
    assert all(region.contains(g) for g in contested.geometry)


def test_separatists_gained_ground_beyond_the_memorandum_line_by_january_2015():
    c = build_layers()["contested"]
    jan = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (c[S.C_HELD_BY] == S.PARTY_SEPARATISTS)]
    feb = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_02) & (c[S.C_HELD_BY] == S.PARTY_SEPARATISTS)]
    assert len(jan) == 1 and len(feb) == 1
    assert 10 < jan[S.AREA_KM2].iloc[0] < feb[S.AREA_KM2].iloc[0]
