import json

import pytest
from shapely.geometry import LineString, box

from geo import schema as S
from geo.analysis.contested import ContestedPair, contested_between, per_oblast_km2
from geo.analysis.layers import build_layers
from geo.analysis.sides import SideRule, control_from_line
from geo.measure import geodesic_area_km2
from geo.reference.boundaries import front_oblasts
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

# The rule used by the synthetic tests below: the separatists hold the side containing (9, 5).
RULE = SideRule("point", PARTY_SEPARATISTS, PARTY_UKRAINE, 9.0, 5.0)


def test_the_side_is_the_one_the_rule_names_not_the_east():
    region = box(0, 0, 10, 10)
    line = LineString([(6, 11), (6, 5), (4, 5), (4, -1)])
    east = control_from_line(line, region, RULE)[PARTY_SEPARATISTS]
    assert east.contains(box(7, 1, 9, 9).centroid)
    assert not east.contains(box(1, 1, 3, 3).centroid)
    assert east.area == pytest.approx(6 * 5 + 5 * 4)
    # The same line with the point in the west gives the west to the separatists.
    west = SideRule("point", PARTY_SEPARATISTS, PARTY_UKRAINE, 1.0, 5.0)
    assert control_from_line(line, region, west)[PARTY_SEPARATISTS].area == pytest.approx(100 - 50)


def test_contested_between_swaps_when_lines_swap():
    region = box(0, 0, 10, 10)
    a = LineString([(6, 11), (6, -1)])
    b = LineString([(6, 11), (6, 6), (3, 6), (3, 4), (6, 4), (6, -1)])
    ab = contested_between(a, b, region, RULE)
    ba = contested_between(b, a, region, RULE)
    assert ab[PARTY_SEPARATISTS].area == pytest.approx(6.0)
    assert ab[PARTY_UKRAINE].is_empty
    assert ba[PARTY_UKRAINE].area == pytest.approx(6.0)
    assert contested_between(a, a, region, RULE)[PARTY_SEPARATISTS].is_empty


def test_contested_pair_is_a_mapping_by_party():
    region = box(0, 0, 10, 10)
    pair = contested_between(LineString([(6, 11), (6, -1)]), LineString([(4, 11), (4, -1)]), region, RULE)
    assert isinstance(pair, ContestedPair)
    assert list(pair) == [PARTY_SEPARATISTS, PARTY_UKRAINE]
    assert pair.separatists is pair[PARTY_SEPARATISTS]
    assert pair.separatists.area == pytest.approx(20.0) and pair.ukraine.is_empty
    assert dict(pair.items()).keys() == {PARTY_SEPARATISTS, PARTY_UKRAINE}
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
    jan = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (c[S.C_HELD_BY] == PARTY_SEPARATISTS)]
    feb = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_02) & (c[S.C_HELD_BY] == PARTY_SEPARATISTS)]
    assert len(jan) == 1 and len(feb) == 1
    assert 10 < jan[S.AREA_KM2].iloc[0] < feb[S.AREA_KM2].iloc[0]


def test_donbas_contested_figures_are_the_compass_figures_of_before():
    # Before side rules the east (compass) side gave these km²; the point rule must give the same.
    c = build_layers()["contested"].set_index([S.C_TO_LINE, S.C_HELD_BY])[S.AREA_KM2]
    assert c[(S.LINE_CONTACT_2015_01, PARTY_SEPARATISTS)] == pytest.approx(150.516, rel=1e-4)
    assert c[(S.LINE_CONTACT_2015_01, PARTY_UKRAINE)] == pytest.approx(3.8126, rel=1e-4)
    assert c[(S.LINE_CONTACT_2015_02, PARTY_SEPARATISTS)] == pytest.approx(751.852, rel=1e-4)
    assert c[(S.LINE_CONTACT_2015_02, PARTY_UKRAINE)] == pytest.approx(151.390, rel=1e-4)
