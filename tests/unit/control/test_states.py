"""Two control states compared: km² only under A, only under B, under both, against pyproj.Geod."""

import json

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from geo.control import regions_for
from geo.control.measure import densified
from geo.control.states import USER_LINE, disagreement, file_state, parse_spec, polygon_state, state_lines
from geo.errors import GeoError, ValidationError
from tests.support import synthetic_control as SC
from tests.support.geodesic import geod_km2 as ring_geod_km2

GEOD = Geod(ellps="WGS84")


def geod_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def dense(geom):
    return shapely.segmentize(geom, 0.005)


@pytest.fixture
def regions():
    return gpd.GeoDataFrame(
        {"name": ["West", "East"]},
        geometry=[dense(shapely.box(37.0, 48.0, 38.0, 49.0)), dense(shapely.box(38.0, 48.0, 39.0, 49.0))],
        crs="EPSG:4326",
    )


def test_parts_add_up_and_match_an_independent_geodesic_area(regions):
    a_geom = dense(shapely.box(37.2, 48.1, 38.4, 48.7))
    b_geom = dense(shapely.Polygon([(37.8, 48.3), (38.9, 48.2), (38.6, 48.9), (37.9, 48.8)]))
    a = polygon_state(a_geom, "ru", regions, label="A")
    b = polygon_state(b_geom, "ru", regions, label="B")
    d = disagreement(a, b, regions)
    assert d["only_a_km2"] == pytest.approx(geod_km2(a_geom.difference(b_geom)), rel=1e-6)
    assert d["only_b_km2"] == pytest.approx(geod_km2(b_geom.difference(a_geom)), rel=1e-6)
    assert d["both_km2"] == pytest.approx(geod_km2(a_geom.intersection(b_geom)), rel=1e-6)
    assert d["only_a_km2"] + d["both_km2"] == pytest.approx(geod_km2(a_geom), rel=1e-6)
    assert d["only_b_km2"] + d["both_km2"] == pytest.approx(geod_km2(b_geom), rel=1e-6)
    for key in ("only_a_km2", "only_b_km2", "both_km2"):
        assert sum(r[key] for r in d["per_region"].values()) == pytest.approx(d[key], rel=1e-6)
    west_only_a = a_geom.difference(b_geom).intersection(regions.geometry[0])
    assert d["per_region"]["West"]["only_a_km2"] == pytest.approx(geod_km2(west_only_a), rel=1e-6)


def test_a_state_is_clipped_to_the_regions(regions):
    spill = dense(shapely.box(38.5, 48.0, 40.0, 49.0))  # half of it east of every region
    s = polygon_state(spill, "ru", regions, label="spill")
    assert s.km2 == pytest.approx(geod_km2(dense(shapely.box(38.5, 48.0, 39.0, 49.0))), rel=1e-6)
    with pytest.raises(GeoError, match="no ground inside"):
        polygon_state(dense(shapely.box(50, 10, 51, 11)), "ru", regions, label="far away")


def test_a_polygon_file_is_a_state_and_a_file_without_one_is_refused(regions, tmp_path):
    geom = dense(shapely.box(37.5, 48.2, 38.5, 48.8))
    path = tmp_path / "held.geojson"
    gpd.GeoDataFrame({"name": ["held"]}, geometry=[geom], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    s = file_state(str(path), "ru", regions)
    assert s.km2 == pytest.approx(geod_km2(geom), rel=1e-6)
    json.dumps(s.as_json())  # what the CLI prints is JSON
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"name": ["p"]}, geometry=[shapely.Point(37.5, 48.5)], crs="EPSG:4326").to_file(
        points, driver="GeoJSON"
    )
    with pytest.raises(GeoError, match="no polygon"):
        file_state(str(points), "ru", regions)


@pytest.mark.parametrize("spec", ["kml:held.kml", "series:DeepState", "series:DeepState@2025-13-40", "line:", ""])
def test_bad_specs_say_what_to_write(spec):
    with pytest.raises(ValidationError):
        parse_spec(spec)


def test_parts_add_up_when_the_states_and_regions_have_long_edges():
    # Undensified boxes: every edge 1-2 degrees long (the lines and regions of a theatre have such edges).
    regions = gpd.GeoDataFrame(
        {"name": ["West", "East"]}, geometry=[shapely.box(36, 47, 38, 50), shapely.box(38, 47, 40, 50)], crs="EPSG:4326"
    )
    a = polygon_state(
        shapely.Polygon([(36.2, 47.2), (39.5, 47.6), (39.0, 49.8), (36.4, 49.1)]), "ru", regions, label="A"
    )
    b = polygon_state(shapely.Polygon([(37.0, 47.1), (39.9, 48.3), (37.6, 49.9)]), "ru", regions, label="B")
    d = disagreement(a, b, regions)
    assert d["only_a_km2"] + d["both_km2"] == pytest.approx(a.km2, rel=1e-9)
    assert d["only_b_km2"] + d["both_km2"] == pytest.approx(b.km2, rel=1e-9)
    for key in ("only_a_km2", "only_b_km2", "both_km2"):
        assert sum(r[key] for r in d["per_region"].values()) == pytest.approx(d[key], rel=1e-9)


def test_densified_keeps_every_part_of_a_polygon_that_touches_itself():

    union = shapely.union_all(list(regions_for("donbas-2014-15").geometry.values))
    day = shapely.geometry.shape(SC.day_geometry(2)).intersection(union)
    cut = dense(shapely.Polygon([(37.2, 47.6), (40.6, 48.0), (40.4, 49.2), (38.0, 49.0)])).intersection(union)
    geom = day.difference(cut)
    for edge in (0.01, 0.001):
        out = densified(geom, edge)
        assert out.is_valid
        assert out.area == pytest.approx(geom.area, rel=1e-9)
        assert ring_geod_km2(out) == pytest.approx(ring_geod_km2(geom), rel=1e-5)


def test_state_lines_are_those_a_state_can_come_from():
    line = shapely.LineString([(37, 47), (38, 49)])
    lines = gpd.GeoDataFrame(
        {
            "line_id": ["ruled", "bare", "area", "imported"],
            "kind": ["contact", "agreed", "drawn", "imported"],
            "side_rule": ["left", "", "", ""],
            "side_party": ["ru", "", "", ""],
            "other_party": ["ua", "", "", ""],
            USER_LINE: [False, False, True, True],
        },
        geometry=[line, line, shapely.box(37, 47, 38, 48), line],
        crs="EPSG:4326",
    )
    assert list(state_lines(lines)["line_id"]) == ["ruled", "area", "imported"]
    # without a ruled line, an imported line has no rule to take; a drawn area still is a state
    assert list(state_lines(lines.iloc[1:])["line_id"]) == ["area"]
