import math

import pytest
from pyproj import Geod
from shapely.geometry import LineString, Polygon, box

from geo.measure import from_local, geodesic_area_km2, geodesic_length_km, local_aeqd, rel_diff, to_local


def test_area_matches_geographiclib_reference_for_a_degree_box():
    ref = abs(Geod(ellps="WGS84").geometry_area_perimeter(box(37, 48, 38, 49))[0]) / 1e6
    assert geodesic_area_km2(box(37, 48, 38, 49)) == pytest.approx(ref, rel=1e-9)
    # and it is not the planar degree area nor Web Mercator
    assert geodesic_area_km2(box(37, 48, 38, 49)) > 8000


def test_area_independent_of_ring_orientation_and_holes_subtracted():
    outer = [(37, 48), (38, 48), (38, 49), (37, 49)]
    hole = [(37.4, 48.4), (37.6, 48.4), (37.6, 48.6), (37.4, 48.6)]
    cw = Polygon(outer[::-1])
    ccw = Polygon(outer)
    assert geodesic_area_km2(cw) == pytest.approx(geodesic_area_km2(ccw))
    with_hole = Polygon(outer, [hole])
    assert geodesic_area_km2(with_hole) == pytest.approx(
        geodesic_area_km2(ccw) - geodesic_area_km2(Polygon(hole)), rel=1e-9
    )


def test_length_of_one_degree_of_latitude():
    assert geodesic_length_km(LineString([(38, 48), (38, 49)])) == pytest.approx(111.2, abs=0.2)


def test_local_projection_round_trip():
    crs = local_aeqd(38.0, 48.0)
    g = box(37.5, 47.5, 38.5, 48.5)
    back = from_local(to_local(g, crs), crs)
    assert back.equals_exact(g, tolerance=1e-9)


def test_rel_diff():
    assert rel_diff(101, 100) == pytest.approx(0.01)
    assert rel_diff(0, 0) == 0 and math.isinf(rel_diff(1, 0))
