"""Geometry helpers shared by the analysis modules: polygonal parts and repair.

Set operations on polygons (difference, intersection) can leave slivers as
lines or points; :func:`polygonal` keeps only the areas, :func:`valid_polygonal`
also repairs an invalid geometry first.

Examples
--------
>>> from shapely.geometry import GeometryCollection, LineString, Polygon, box
>>> polygonal(GeometryCollection([box(0, 0, 1, 1), LineString([(2, 2), (3, 3)])])).area
1.0
>>> polygonal(None).is_empty
True
>>> bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
>>> bowtie.is_valid, valid_polygonal(bowtie).is_valid
(False, True)
"""

from __future__ import annotations

import shapely

__all__ = ["POLYGON_TYPES", "polygonal", "valid_polygonal"]

#: Geometry types that are areas.
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def polygonal(geom) -> shapely.Geometry:
    """The polygonal parts of ``geom`` as one geometry (lines and points dropped).

    Parameters
    ----------
    geom : shapely.Geometry or None
        Any geometry.

    Returns
    -------
    shapely.Geometry
        The union of the polygon parts; an empty MultiPolygon when there are none.
    """
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGON_TYPES]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def valid_polygonal(geom) -> shapely.Geometry:
    """``geom`` repaired with ``make_valid`` when invalid, then :func:`polygonal`."""
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return polygonal(geom)
