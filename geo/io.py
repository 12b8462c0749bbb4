"""Writing layers to files that any GIS opens.

GeoJSON output follows RFC 7946: coordinates in WGS84 (lon, lat), exterior
rings counter-clockwise and holes clockwise (right-hand rule), no ``crs``
member, coordinates rounded to ``precision`` decimals (default 6, ~0.1 m).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from geo import schema as S
from geo.errors import InvalidGeometryError, UnsupportedFormatError


def _plain(value):
    """A JSON-safe Python value (numpy scalars unwrapped, NaN/inf -> None)."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return value
    try:
        if value != value:  # pandas NA/NaT
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def rfc7946_geometry(geom, precision: int = 6):
    """A geometry rounded and oriented for RFC 7946, as a GeoJSON mapping (or None)."""
    if geom is None or geom.is_empty:
        return None
    geom = (
        shapely.set_precision(geom, 10.0**-precision) if precision is not None else geom
    )
    if geom.is_empty:
        return None
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    out = mapping(geom)
    return json.loads(json.dumps(out))  # tuples -> lists


def to_geojson_dict(
    gdf: gpd.GeoDataFrame, precision: int = 6, *, extra: dict | None = None
) -> dict:
    """A FeatureCollection dict of ``gdf`` (reprojected to EPSG:4326 if needed)."""
    if gdf.crs is not None and not gdf.crs.equals(S.CRS):
        gdf = gdf.to_crs(S.CRS)
    xmin, ymin, xmax, ymax = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
    if len(gdf) and not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise InvalidGeometryError(
            "coordinates outside WGS84 range: cannot write RFC 7946 GeoJSON"
        )
    geom_col = gdf.geometry.name
    props_cols = [c for c in gdf.columns if c != geom_col]
    features = []
    for geom, row in zip(
        gdf.geometry.values, gdf[props_cols].itertuples(index=False, name=None)
    ):
        features.append(
            {
                "type": "Feature",
                "properties": {k: _plain(v) for k, v in zip(props_cols, row)},
                "geometry": rfc7946_geometry(geom, precision),
            }
        )
    fc = {"type": "FeatureCollection", "features": features}
    if extra:
        fc.update(extra)
    return fc


def write_geojson(
    gdf: gpd.GeoDataFrame,
    path: str | Path,
    precision: int = 6,
    *,
    extra: dict | None = None,
) -> Path:
    """Write ``gdf`` as RFC 7946 GeoJSON to ``path`` (UTF-8)."""
    path = Path(path)
    if path.suffix.lower() not in (".geojson", ".json"):
        raise UnsupportedFormatError(
            f"{path.name}: GeoJSON output needs a .geojson or .json name"
        )
    data = to_geojson_dict(gdf, precision, extra=extra)
    path.write_text(
        json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )
    return path
