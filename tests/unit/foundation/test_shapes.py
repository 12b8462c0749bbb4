"""geo.shapes: polygonal parts of geometries and their repair."""

from __future__ import annotations

import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

from geo.shapes import POLYGON_TYPES, polygonal, valid_polygonal


def test_polygonal_drops_lines_and_points():
    mixed = GeometryCollection([box(0, 0, 1, 1), LineString([(2, 2), (3, 3)]), Point(5, 5), box(2, 0, 3, 1)])
    out = polygonal(mixed)
    assert out.geom_type in POLYGON_TYPES
    assert out.area == 2.0


def test_polygonal_of_nothing_is_an_empty_multipolygon():
    for geom in (None, Polygon(), LineString([(0, 0), (1, 1)]), Point(1, 1)):
        out = polygonal(geom)
        assert isinstance(out, MultiPolygon) and out.is_empty


def test_polygonal_merges_overlapping_parts():
    out = polygonal(GeometryCollection([box(0, 0, 2, 2), box(1, 1, 3, 3)]))
    assert out.area == 7.0


def test_sliver_of_a_difference_is_dropped():
    # Two boxes sharing an edge: their intersection is a line, no area.
    touching = shapely.intersection(box(0, 0, 1, 1), box(1, 0, 2, 1))
    assert polygonal(touching).is_empty


def test_valid_polygonal_repairs_a_bowtie():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    assert not bowtie.is_valid
    out = valid_polygonal(bowtie)
    assert out.is_valid and out.area == 2.0


def test_valid_polygonal_keeps_a_valid_polygon():
    square = box(0, 0, 1, 1)
    assert valid_polygonal(square).equals(square)
    assert valid_polygonal(None).is_empty
