"""An independent geodesic area for tests: pyproj.Geod on each ring, its edges cut short first.

The code measures polygons whose edges are straight in lon/lat (cut to 0.01°
before a geodesic area, :data:`geo.control.measure.MAX_EDGE_DEG`); this does the
same with ``pyproj.Geod`` directly, ring by ring, without :mod:`geo`.
"""

from __future__ import annotations

import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
#: Edges are taken as straight in lon/lat, cut to this length (degrees) before a geodesic area.
EDGE_DEG = 0.01


def geod_km2(geom, edge_deg: float = EDGE_DEG) -> float:
    """Geodesic area (km²) of the polygons of ``geom`` (holes subtracted; points and lines count zero)."""
    total = 0.0
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            continue
        for k, ring in enumerate((poly.exterior, *poly.interiors)):
            lon, lat = shapely.segmentize(ring, edge_deg).xy
            area = abs(GEOD.polygon_area_perimeter(lon, lat)[0])
            total += -area if k else area
    return total / 1e6
