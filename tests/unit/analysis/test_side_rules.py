"""Side rules (geo.analysis.sides): which party holds which side of a line, and every refusal."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Polygon, box

from geo import schema as S
from geo.analysis.contested import contested_areas
from geo.analysis.sides import SideRule, control_from_line, gained, parties_at, rule_for, rule_from_row
from geo.errors import SideRuleError, ValidationError
from geo.reference.lines import load_lines
from geo.theatres.catalogue import get_theatre
from geo.theatres.create import write_new_theatre
from geo.theatres.model import Party, Theatre
from geo.theatres.regions import theatre_regions

REGION = box(0, 0, 10, 10)
#: A line heading north through the middle of REGION, ending beyond it on both sides.
NORTH = LineString([(5, -1), (5, 11)])


def _areas(control):
    return {party: round(geom.area, 9) for party, geom in control.items()}


# --- kinds of rule -------------------------------------------------------------


def test_left_and_right_follow_the_line_direction():
    # Heading north, the left is the west.
    assert _areas(control_from_line(NORTH, REGION, SideRule("left", "a", "b"))) == {"a": 50.0, "b": 50.0}
    west = control_from_line(NORTH, REGION, SideRule("left", "a", "b"))["a"]
    assert west.contains(shapely.Point(2, 5)) and not west.intersects(shapely.Point(8, 5))
    east = control_from_line(NORTH, REGION, SideRule("right", "a", "b"))["a"]
    assert east.contains(shapely.Point(8, 5))
    # Reversing the line swaps left and right.
    back = control_from_line(LineString(NORTH.coords[::-1]), REGION, SideRule("left", "a", "b"))["a"]
    assert back.equals(east)


def test_point_rule_gives_the_side_containing_the_point():
    line = LineString([(-1, 3), (4, 3), (4, 7), (11, 7)])  # a step across the box
    north = control_from_line(line, REGION, SideRule("point", "n", "s", 1.0, 9.0))
    assert north["n"].area == pytest.approx(4 * 7 + 6 * 3)
    assert north["s"].area == pytest.approx(100 - north["n"].area)
    assert north["n"].contains(shapely.Point(1, 9)) and north["s"].contains(shapely.Point(9, 1))
    south = control_from_line(line, REGION, SideRule("point", "n", "s", 9.0, 1.0))
    assert south["n"].equals(north["s"])


def test_both_sides_cover_the_region_without_overlap():
    line = LineString([(-1, 2), (3, 4), (6, 1), (8, 8), (7, 11)])
    c = control_from_line(line, REGION, SideRule("point", "a", "b", 9.5, 0.5))
    assert shapely.union(c["a"], c["b"]).area == pytest.approx(100.0)
    assert shapely.intersection(c["a"], c["b"]).area == pytest.approx(0.0, abs=1e-12)


def test_a_line_ending_at_the_border_or_in_the_sea_is_fine():
    coast = Polygon([(0, 0), (10, 0), (10, 6), (6, 8), (0, 6)])  # a "sea" above the coast
    on_border = LineString([(5, 0), (5, 9)])  # ends on the border (5, 0) and beyond the coast
    c = control_from_line(on_border, coast, SideRule("left", "w", "e"))
    assert c["w"].area + c["e"].area == pytest.approx(coast.area)
    assert c["w"].centroid.x < 5 < c["e"].centroid.x


def test_a_region_of_several_parts_and_an_island():
    region = shapely.MultiPolygon([box(0, 0, 4, 4), box(4, 0, 8, 4), box(9, 1, 9.5, 1.5)])  # the island off the east
    c = control_from_line(LineString([(4, -1), (4, 5)]), region, SideRule("right", "east", "west"))
    # The island lies nearest to the east part, so it goes with it.
    assert c["east"].area == pytest.approx(16 + 0.25)
    assert parties_at(c, [1, 6, 9.2, 20], [1, 1, 1.2, 20]).tolist() == ["west", "east", "east", ""]


def test_closed_line_inside_and_outside_rules():
    ring = LineString([(2, 2), (4, 2), (4, 5), (2, 5), (2, 2)])
    inside = control_from_line(ring, REGION, SideRule("inside", "enclave", "state"))
    assert _areas(inside) == {"enclave": 6.0, "state": 94.0}
    outside = control_from_line(ring, REGION, SideRule("outside", "state", "enclave"))
    assert outside["enclave"].equals(inside["enclave"])
    # A point rule works on a closed line too, and the ring's direction decides left/right.
    assert control_from_line(ring, REGION, SideRule("point", "enclave", "state", 3, 3))[
        "enclave"
    ].area == pytest.approx(6)
    assert control_from_line(ring, REGION, SideRule("left", "enclave", "state"))["enclave"].area == pytest.approx(6)
    assert control_from_line(ring, REGION, SideRule("right", "enclave", "state"))["enclave"].area == pytest.approx(94)


def test_buffer_zone_across_the_border_is_clipped():
    ring = LineString([(8, 4), (12, 4), (12, 6), (8, 6), (8, 4)])  # half of it outside the region
    c = control_from_line(ring, REGION, SideRule("inside", "un", "state"))
    assert _areas(c) == {"un": 4.0, "state": 96.0}


def test_touching_parts_of_a_multiline_are_joined():
    line = MultiLineString([[(5, -1), (5, 5)], [(5, 5), (5, 11)]])
    assert _areas(control_from_line(line, REGION, SideRule("left", "a", "b"))) == {"a": 50.0, "b": 50.0}


def test_gained_is_what_each_party_holds_after_and_not_before():
    before = control_from_line(NORTH, REGION, SideRule("left", "w", "e"))
    after = control_from_line(LineString([(6, -1), (6, 11)]), REGION, SideRule("left", "w", "e"))
    g = gained(before, after)
    assert g["w"].area == pytest.approx(10.0) and g["e"].is_empty
    assert gained(after, before)["e"].area == pytest.approx(10.0)


# --- refusals ------------------------------------------------------------------


def test_a_line_ending_inside_the_region_is_refused_with_where_and_how_far():
    # 0.108° of latitude from the southern edge of a one-degree box: 12 km.
    line = LineString([(37.5, 46.9), (37.5, 47.108)])
    with pytest.raises(
        SideRuleError, match=r"line front ends 12 km inside the region at \(37\.5000, 47\.1080\)"
    ) as exc:
        control_from_line(line, box(37.0, 47.0, 38.0, 48.0), SideRule("left", "a", "b"), line_id="front")
    assert "extend it to the border" in str(exc.value) and "close it" in str(exc.value)


def test_a_line_with_a_gap_is_refused_with_where():
    line = MultiLineString([[(37.5, 46.9), (37.5, 47.4)], [(37.5, 47.5), (37.5, 48.1)]])
    with pytest.raises(
        SideRuleError, match=r"gap of 11 km between \(37\.5000, 47\.4000\) and \(37\.5000, 47\.5000\)"
    ) as exc:
        control_from_line(line, box(37.0, 47.0, 38.0, 48.0), SideRule("left", "a", "b"), line_id="g")
    assert "join the parts" in str(exc.value)


def test_an_inside_rule_on_an_open_line_is_refused():
    with pytest.raises(SideRuleError, match="open, so it has no inside.*use point, left or right"):
        control_from_line(NORTH, REGION, SideRule("inside", "a", "b"))


def test_a_side_point_outside_the_region_or_on_the_line_is_refused():
    with pytest.raises(SideRuleError, match=r"lies outside the region; choose a point inside"):
        control_from_line(NORTH, REGION, SideRule("point", "a", "b", 20.0, 5.0))
    with pytest.raises(SideRuleError, match=r"lies on the line .*move it off the line"):
        control_from_line(NORTH, REGION, SideRule("point", "a", "b", 5.0, 5.0))


def test_a_line_that_does_not_touch_or_divide_the_region_is_refused():
    with pytest.raises(SideRuleError, match="does not touch the region; check its coordinates"):
        control_from_line(LineString([(20, -1), (20, 11)]), REGION, SideRule("left", "a", "b"))
    along = LineString([(10, -1), (10, 11)])  # runs along the region's edge, outside it
    with pytest.raises(SideRuleError, match="does not divide the region; it must cross it"):
        control_from_line(along, REGION, SideRule("left", "a", "b"))
    ring = LineString([(20, 20), (21, 20), (21, 21), (20, 20)])
    with pytest.raises(SideRuleError, match="encloses no ground of the region"):
        control_from_line(ring, REGION, SideRule("inside", "a", "b"))
    around = LineString([(-1, -1), (11, -1), (11, 11), (-1, 11), (-1, -1)])
    with pytest.raises(SideRuleError, match="encloses the whole region"):
        control_from_line(around, REGION, SideRule("inside", "a", "b"))


def test_a_line_without_a_rule_or_an_empty_line_is_refused():
    with pytest.raises(SideRuleError, match="has no side rule"):
        control_from_line(NORTH, REGION, None)
    with pytest.raises(SideRuleError, match="is empty"):
        control_from_line(LineString(), REGION, SideRule("left", "a", "b"))
    lines = pd.DataFrame({S.LINE_ID: ["x"], S.LINE_SIDE_RULE: [""]})
    with pytest.raises(SideRuleError, match="line x has no side rule; set side_rule"):
        rule_for(lines, "x")
    assert rule_for(lines, "x", fallback=SideRule("left", "a", "b")).kind == "left"


def test_side_rule_errors_are_validation_errors_naming_the_field():
    assert issubclass(SideRuleError, ValidationError)
    with pytest.raises(SideRuleError) as exc:
        SideRule("east", "a", "b")
    assert exc.value.field == S.LINE_SIDE_RULE


@pytest.mark.parametrize(
    "cells, match",
    [
        ({"side_rule": "east", "side_party": "a", "other_party": "b"}, "'east' is not a side rule; use one of"),
        ({"side_rule": "left", "side_party": "", "other_party": "b"}, "name the party that holds"),
        ({"side_rule": "left", "side_party": "a", "other_party": ""}, "name the party that holds the side opposite"),
        ({"side_rule": "left", "side_party": "a", "other_party": "a"}, "both sides go to 'a'"),
        ({"side_rule": "point", "side_party": "a", "other_party": "b"}, "a point rule needs a WGS84 point"),
        (
            {"side_rule": "point", "side_party": "a", "other_party": "b", "side_lon": "x", "side_lat": "1"},
            "is not a number",
        ),
        ({"side_rule": "left", "side_party": "a", "other_party": "b", "side_lon": "1", "side_lat": "1"}, "clear them"),
        (
            {"side_rule": "left", "side_party": "a", "other_party": "c"},
            "'c' is not a party of the theatre; use one of a, b",
        ),
    ],
)
def test_bad_side_columns_are_refused_naming_line_and_field(cells, match):
    with pytest.raises(SideRuleError, match=match) as exc:
        rule_from_row({"line_id": "l7", **cells}, parties=("a", "b"))
    assert "line l7" in str(exc.value) and exc.value.field in S.LINE_SIDE_COLUMNS


def test_rule_from_row_reads_a_point_rule():
    row = {
        "line_id": "l",
        "side_rule": " Point ",
        "side_party": "a",
        "other_party": "b",
        "side_lon": "37.8",
        "side_lat": "48",
    }
    assert rule_from_row(row) == SideRule("point", "a", "b", 37.8, 48.0)
    assert rule_from_row(pd.Series({"line_id": "l", "side_rule": float("nan")})) is None


# --- a theatre no shipped one uses: Georgia ------------------------------------

GEOD = Geod(ellps="WGS84")
# Two admin-1 units drawn as boxes (synthetic, not real boundaries).
WEST = box(43.0, 42.0, 44.0, 42.5)
EAST = box(44.0, 42.0, 45.0, 42.5)
LINE_A = [(44.0, 42.6), (44.0, 41.9)]
# B bulges west (ground taken by the party holding the east) and, further south, east.
LINE_B = [
    (44.0, 42.6), (44.0, 42.4), (43.6, 42.4), (43.6, 42.2), (44.0, 42.2),
    (44.0, 42.15), (44.3, 42.15), (44.3, 42.05), (44.0, 42.05), (44.0, 41.9),
]  # fmt: skip


def _write_georgia(data_dir):
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "iso_3166_2": code},
                "geometry": shapely.geometry.mapping(g),
            }
            for name, code, g in (("West unit", "GE-IM", WEST), ("East unit", "GE-SK", EAST))
        ],
    }
    side = [S.LINE_SIDE_RULE, S.LINE_SIDE_PARTY, S.LINE_SIDE_OTHER, S.LINE_SIDE_LON, S.LINE_SIDE_LAT]
    lines = pd.DataFrame(
        [
            ["line_a", "Line A", "2008-08-01", "contact", "test", "", "1", "", "synthetic", "point", "east_side", "west_side", "44.5", "42.25"],
            ["line_b", "Line B", "2008-09-01", "contact", "test", "", "1", "", "synthetic", "right", "west_side", "east_side", "", ""],
        ],
        columns=S.LINE_COLUMNS + side,
    )  # fmt: skip
    verts = pd.DataFrame(
        [[lid, i, x, y, "", "authored", "synthetic"] for lid, pts in (("line_a", LINE_A), ("line_b", LINE_B)) for i, (x, y) in enumerate(pts)],
        columns=S.VERTEX_COLUMNS,
    )  # fmt: skip
    theatre = Theatre(
        "georgia-test",
        "Georgia (synthetic)",
        countries=("GE",),
        admin1=("GE-IM", "GE-SK"),
        parties=(
            Party("west_side", "West side", "West", "#2166ac"),
            Party("east_side", "East side", "East", "#b2182b"),
        ),
        reference_line="line_a",
    )
    files = {
        "boundaries.geojson": json.dumps(boundaries).encode(),
        "lines.csv": lines.to_csv(index=False).encode(),
        "line_vertices.csv": verts.to_csv(index=False).encode(),
    }
    write_new_theatre(theatre, files, data_dir=data_dir)
    return get_theatre("georgia-test", data_dir)


def _geod_km2(poly) -> float:
    xy = list(poly.exterior.coords)
    area, _ = GEOD.polygon_area_perimeter([p[0] for p in xy], [p[1] for p in xy])
    return abs(area) / 1e6


def test_a_georgian_theatre_with_two_ruled_lines_matches_an_independent_geodesic_computation(tmp_path):
    theatre = _write_georgia(tmp_path)
    regions = theatre_regions(theatre)
    lines = load_lines(theatre.table_path("lines.csv"), theatre.table_path("line_vertices.csv"))
    parties = theatre.party_ids
    assert [rule_from_row(r, parties=parties).kind for _, r in lines.iterrows()] == ["point", "right"]
    got = contested_areas(lines, regions, reference=theatre.reference_line).set_index(S.C_HELD_BY)
    # By hand: the west bulge is taken by the east side, the east bulge by the west side.
    expected = {
        "east_side": (_geod_km2(box(43.6, 42.2, 44.0, 42.4)), {"West unit"}),
        "west_side": (_geod_km2(box(44.0, 42.05, 44.3, 42.15)), {"East unit"}),
    }
    assert set(got.index) == set(expected)
    for party, (km2, units) in expected.items():
        assert got.loc[party, S.AREA_KM2] == pytest.approx(km2, rel=1e-3)
        assert set(json.loads(got.loc[party, "per_oblast"])) == units
        assert got.loc[party, S.C_TO_LINE] == "line_b"
    assert 600 < expected["east_side"][0] < 800  # 0.4° x 0.2° at 42° N: about 730 km²


def test_contested_areas_refuse_a_reference_line_its_rule_does_not_fit(tmp_path):
    lines = gpd.GeoDataFrame(
        {S.LINE_ID: ["a"], S.LINE_NAME: ["A"], S.LINE_DATE: ["2020-01-01"], S.LINE_SIDE_RULE: ["inside"],
         S.LINE_SIDE_PARTY: ["x"], S.LINE_SIDE_OTHER: ["y"]},
        geometry=[LineString(LINE_A)],
        crs=S.CRS,
    )  # fmt: skip
    regions = gpd.GeoDataFrame({S.B_NAME: ["W", "E"]}, geometry=[WEST, EAST], crs=S.CRS)
    with pytest.raises(SideRuleError, match="line a is open"):
        contested_areas(lines, regions, reference="a")


@settings(max_examples=25, deadline=None)
@given(xs=st.lists(st.floats(0.5, 9.5), min_size=1, max_size=6))
def test_random_lines_split_the_region_and_reversing_swaps_left_and_right(xs):
    # A line climbing from below the box to above it, through random x positions.
    ys = [10.0 * (i + 1) / (len(xs) + 1) for i in range(len(xs))]
    line = LineString([(xs[0], -1.0), *zip(xs, ys), (xs[-1], 11.0)])
    left = control_from_line(line, REGION, SideRule("left", "a", "b"))
    assert left["a"].area + left["b"].area == pytest.approx(100.0)
    assert shapely.intersection(left["a"], left["b"]).area == pytest.approx(0.0, abs=1e-9)
    # Heading north overall, the west edge of the box is on the left.
    assert left["a"].intersects(shapely.Point(0.0, 5.0)) and left["b"].intersects(shapely.Point(10.0, 5.0))
    back = control_from_line(LineString(line.coords[::-1]), REGION, SideRule("right", "a", "b"))
    assert back["a"].area == pytest.approx(left["a"].area)
