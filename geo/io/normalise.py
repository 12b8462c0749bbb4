"""The normalised features every export writes, and the metadata that travels with them.

Every format (:mod:`geo.io.write`) is written from the same normalised
features, so the files of one layer carry the same geometries, properties and
content hash:

* coordinates in WGS84 (lon, lat), rounded to ``precision`` decimals
  (default 6, about 0.1 m);
* geometries crossing the antimeridian (an edge jumping more than 180° of
  longitude) cut at ±180° into multi-geometries (RFC 7946, 3.1.9);
* exterior rings counter-clockwise and holes clockwise (right-hand rule);
* where a layer has ``area_km2`` each feature also says how it was computed
  (``area_method``: geodesic on the WGS84 ellipsoid with ``pyproj.Geod``);
* the app version and a SHA-256 of the normalised features
  (:func:`content_hash`) travel with the file: as foreign members of the
  GeoJSON FeatureCollection, as GeoPackage dataset metadata (the
  ``gpkg_metadata`` table, shown by ``ogrinfo``), as the KML Document's
  description and ExtendedData, and for CSV in a JSON sidecar
  ``<file>.meta.json`` (CSV has no place for it).

Examples
--------
>>> import shapely
>>> g = shapely.LineString([(179.5, 10), (-179.5, 10)])
>>> crosses_antimeridian(g), normalise_geometry(g).geom_type
(True, 'MultiLineString')
>>> json_value(float("nan")), json_value(3)
(None, 3)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box, mapping

import geo
from geo import schema as S
from geo.cells import is_missing
from geo.claims.provenance import SOURCES_COLUMN, parse_sources
from geo.errors import InvalidGeometryError

#: Property added next to ``area_km2`` saying how the area was computed.
AREA_METHOD = "area_method"
AREA_METHOD_TEXT = "geodesic WGS84 (pyproj.Geod)"
#: Metadata keys carried by every exported file.
META_APP_VERSION = "app_version"
META_CONTENT_HASH = "content_sha256"
META_GENERATOR = "generator"
GENERATOR = "Contested Lines"


def json_value(value):
    """A JSON-safe Python value (numpy scalars unwrapped, NaN/inf/NA -> None, dates as ISO text)."""
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
    if is_missing(value):  # pandas NA and other NaN-like values
        return None
    return str(value)


def _property(name: str, value):
    """A GeoJSON property: :func:`json_value`, except that a ``sources`` list (JSON text) becomes an array."""
    if name == SOURCES_COLUMN:
        items = parse_sources(value)
        if items is not None:
            return items
    return json_value(value)


# ---------------------------------------------------------------------------
# geometry normalisation
# ---------------------------------------------------------------------------
def _linear_coords(geom) -> list[np.ndarray]:
    """Coordinate arrays of every line and ring of ``geom``."""
    out = []
    for part in shapely.get_parts(geom):
        kind = part.geom_type
        if kind == "Polygon":
            out.extend(np.asarray(r.coords) for r in shapely.get_rings(part))
        elif kind in ("LineString", "LinearRing"):
            out.append(np.asarray(part.coords))
        elif kind == "GeometryCollection" or kind.startswith("Multi"):
            out.extend(_linear_coords(part))
    return out


def crosses_antimeridian(geom) -> bool:
    """Whether a line or ring of ``geom`` jumps more than 180° in longitude.

    Such an edge is read as the short way across ±180° (RFC 7946, 3.1.9),
    not as a line around the world.
    """
    if geom is None or geom.is_empty:
        return False
    return any(len(xy) > 1 and bool((np.abs(np.diff(xy[:, 0])) > 180).any()) for xy in _linear_coords(geom))


def _unwrap(xy: np.ndarray) -> np.ndarray:
    x = xy[:, 0]
    d = np.diff(x)
    step = np.where(d > 180, -360.0, np.where(d < -180, 360.0, 0.0))
    shift = np.concatenate([[0.0], np.cumsum(step)])
    return np.column_stack([x + shift, xy[:, 1]])


def _unwrap_part(part):
    kind = part.geom_type
    if kind == "LineString":
        return shapely.LineString(_unwrap(np.asarray(part.coords)))
    if kind == "Polygon":
        ext = _unwrap(np.asarray(part.exterior.coords))
        centre = ext[:, 0].mean()
        holes = []
        for ring in part.interiors:
            xy = _unwrap(np.asarray(ring.coords))
            xy[:, 0] += 360.0 * round((centre - xy[:, 0].mean()) / 360.0)
            holes.append(xy)
        return shapely.Polygon(ext, holes)
    return part


def cut_antimeridian(geom):
    """Cut a geometry that crosses ±180° into parts on either side (RFC 7946).

    Geometries that do not cross are returned unchanged. Lines become
    MultiLineStrings and polygons MultiPolygons whose parts meet at ±180°.
    """
    if not crosses_antimeridian(geom):
        return geom
    pieces = []
    for part in shapely.get_parts(geom):
        if part.geom_type in ("Point",):
            pieces.append(part)
            continue
        if part.geom_type == "GeometryCollection" or part.geom_type.startswith("Multi"):
            pieces.extend(shapely.get_parts(cut_antimeridian(part)))
            continue
        unwrapped = shapely.make_valid(_unwrap_part(part))
        for k in (-1, 0, 1):
            window = box(-180 + 360 * k, -90, 180 + 360 * k, 90)
            piece = shapely.intersection(unwrapped, window)
            if piece.is_empty:
                continue
            piece = shapely.transform(piece, lambda xy, k=k: xy - [360.0 * k, 0.0])
            keep = "Polygon" if "Polygon" in part.geom_type else "LineString"
            pieces.extend(p for p in shapely.get_parts(piece) if p.geom_type == keep)
    kinds = {p.geom_type for p in pieces}
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(pieces)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(pieces)
    return shapely.GeometryCollection(pieces)


def _round_coords(geom, precision: int):
    return shapely.transform(geom, lambda xy: np.round(xy, precision))


def normalise_geometry(geom, precision: int | None = 6):
    """Cut at the antimeridian, round to ``precision`` and orient (right-hand rule).

    Returns ``None`` for a missing or empty geometry (or one that collapses
    when rounded).
    """
    if geom is None or geom.is_empty:
        return None
    geom = cut_antimeridian(geom)
    if precision is not None:
        geom = shapely.set_precision(geom, 10.0**-precision)
        if geom.is_empty:
            return None
        geom = _round_coords(geom, precision)
    return shapely.orient_polygons(geom, exterior_cw=False)


def rfc7946_geometry(geom, precision: int = 6):
    """A geometry rounded and oriented for RFC 7946, as a GeoJSON mapping (or None)."""
    geom = normalise_geometry(geom, precision)
    if geom is None:
        return None
    return json.loads(json.dumps(mapping(geom)))  # tuples -> lists


# ---------------------------------------------------------------------------
# normalised features, hash and metadata
# ---------------------------------------------------------------------------
def check_precision(precision: int) -> int:
    """``precision`` as an int in 0..15; ValueError otherwise."""
    if isinstance(precision, bool) or not isinstance(precision, (int, np.integer)):
        raise ValueError(f"precision must be an integer, got {precision!r}")
    if not 0 <= int(precision) <= 15:
        raise ValueError(f"precision must be between 0 and 15, got {precision}")
    return int(precision)


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError("expected a GeoDataFrame")
    if gdf.crs is not None and not gdf.crs.equals(S.CRS):
        gdf = gdf.to_crs(S.CRS)
    if len(gdf):
        coords = shapely.get_coordinates(gdf.geometry.values)
        if len(coords) and not (
            np.isfinite(coords).all() and (np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()
        ):
            raise InvalidGeometryError("coordinates outside WGS84 range: cannot write RFC 7946 GeoJSON")
    return gdf


def with_area_method(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` with an ``area_method`` column where it has ``area_km2`` (copy)."""
    if S.AREA_KM2 not in gdf.columns or AREA_METHOD in gdf.columns:
        return gdf
    out = gdf.copy()
    has_area = out[S.AREA_KM2].notna().to_numpy()
    out[AREA_METHOD] = pd.Series([AREA_METHOD_TEXT if h else None for h in has_area], index=out.index, dtype=object)
    return out


def prepare(gdf: gpd.GeoDataFrame, precision: int) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """``(frame, features)``: ``gdf`` with normalised geometries and ``area_method``, and its GeoJSON features."""
    precision = check_precision(precision)
    gdf = with_area_method(_to_wgs84(gdf))
    geom_col = gdf.geometry.name
    props_cols = [c for c in gdf.columns if c != geom_col]
    geoms = [normalise_geometry(g, precision) for g in gdf.geometry.values]
    features = []
    for geom, row in zip(geoms, gdf[props_cols].itertuples(index=False, name=None)):
        features.append(
            {
                "type": "Feature",
                "properties": {str(k): _property(str(k), v) for k, v in zip(props_cols, row)},
                "geometry": None if geom is None else json.loads(json.dumps(mapping(geom))),
            }
        )
    frame = gpd.GeoDataFrame(
        gdf[props_cols].reset_index(drop=True),
        geometry=gpd.GeoSeries(geoms, crs=S.CRS),
        crs=S.CRS,
    )
    return frame, features


def content_hash(features: list[dict]) -> str:
    """SHA-256 (hex) of features as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(features, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export_metadata(gdf: gpd.GeoDataFrame, precision: int = 6) -> dict:
    """The metadata every export of ``gdf`` carries (version, hash, counts)."""
    _, features = prepare(gdf, precision)
    return metadata(features, precision)


def metadata(features: list[dict], precision: int) -> dict:
    """The metadata of already normalised ``features`` (see :func:`export_metadata`)."""
    return {
        META_GENERATOR: GENERATOR,
        META_APP_VERSION: geo.__version__,
        META_CONTENT_HASH: content_hash(features),
        "feature_count": len(features),
        "coordinate_reference_system": S.CRS,  # not "crs": RFC 7946 removed that member
        "coordinate_precision": precision,
    }
