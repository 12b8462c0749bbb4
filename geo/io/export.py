"""Exporting layers to files that any GIS opens: GeoJSON, GeoPackage, CSV and KML.

The formats come from :data:`geo.io.formats.FORMATS` (their encoders are in
:mod:`geo.io.write`). Every format is written from the same normalised
features (:mod:`geo.io.normalise`: WGS84 rounded to ``precision``, cut at the
antimeridian, right-hand rule, ``area_method`` beside ``area_km2``), so the
files of one layer carry the same geometries, properties and content hash.
The app version and that hash travel inside each file; a CSV gets them in a
JSON sidecar ``<file>.meta.json`` (:func:`sidecar_path`).

Examples
--------
>>> from geo.analysis.layers import get_layer  # doctest: +SKIP
>>> export_layer(get_layer("contested"), "contested.gpkg")  # doctest: +SKIP
>>> import geopandas as gpd, shapely
>>> gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(37.5, 48.0)], crs="EPSG:4326")
>>> data, mime, name = export_bytes(gdf, "kml", name="points")
>>> mime, name, data.startswith(b"<?xml")
('application/vnd.google-earth.kml+xml', 'points.kml', True)
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from geo.atomic import write_atomic
from geo.errors import UnsupportedFormatError
from geo.io.formats import FORMATS, check_export_format, format_from_path
from geo.io.normalise import metadata, prepare
from geo.io.write import csv_types, geojson_bytes


def to_geojson_dict(gdf: gpd.GeoDataFrame, precision: int = 6, *, extra: dict | None = None) -> dict:
    """A FeatureCollection dict of ``gdf`` (reprojected to EPSG:4326 if needed).

    The collection carries ``generator``, ``app_version`` and
    ``content_sha256`` as foreign members; ``extra`` adds more.
    """
    _, features = prepare(gdf, precision)
    fc = {"type": "FeatureCollection"}
    fc.update(metadata(features, precision))
    fc["features"] = features
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
    if path.suffix.lower() not in FORMATS["geojson"].write_suffixes:
        names = " or ".join(FORMATS["geojson"].write_suffixes)
        raise UnsupportedFormatError(f"{path.name}: GeoJSON output needs a {names} name")
    data = to_geojson_dict(gdf, precision, extra=extra)
    write_atomic(path, geojson_bytes(data))
    return path


def _encode(gdf, fmt: str, precision: int, layer: str) -> tuple[bytes, dict]:
    frame, features = prepare(gdf, precision)
    meta = metadata(features, precision)
    return FORMATS[check_export_format(fmt)].writer(frame, features, meta, layer), meta


def export_bytes(
    gdf: gpd.GeoDataFrame, fmt: str = "geojson", precision: int = 6, *, name: str = "layer"
) -> tuple[bytes, str, str]:
    """Encode ``gdf`` in memory, e.g. for a download button.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any CRS; reprojected to EPSG:4326.
    fmt : str
        One of :data:`geo.io.formats.EXPORT_FORMATS` (``geojson``, ``gpkg``, ``csv``, ``kml``).
    precision : int, default 6
        Coordinate decimals.
    name : str
        Layer name, used for the file name and the GeoPackage/KML layer.

    Returns
    -------
    (bytes, mime, filename)
        For CSV the metadata (hash, version) is not inside the bytes: call
        :func:`export_metadata` to offer it as a sidecar.

    Raises
    ------
    UnsupportedFormatError, InvalidGeometryError, DataFileError
    """
    fmt = check_export_format(fmt)
    data, _ = _encode(gdf, fmt, precision, name)
    return data, FORMATS[fmt].mime, f"{name}{FORMATS[fmt].extension}"


def sidecar_path(path: str | Path) -> Path:
    """Where :func:`export_layer` puts the metadata of a CSV file."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def export_layer(
    gdf: gpd.GeoDataFrame,
    path: str | Path,
    fmt: str | None = None,
    precision: int = 6,
    *,
    name: str | None = None,
) -> Path:
    """Write ``gdf`` to ``path`` as GeoJSON, GeoPackage, CSV (WKT) or KML.

    Parameters
    ----------
    gdf : GeoDataFrame
    path : str or Path
        Output file, replaced atomically.
    fmt : str, optional
        ``geojson``, ``gpkg``, ``csv`` or ``kml``; by default from the extension.
    precision : int, default 6
        Coordinate decimals.
    name : str, optional
        Layer name inside the file (default: the file stem).

    Returns
    -------
    Path
        The file written. CSV also gets ``<path>.meta.json`` with the metadata.
    """
    path = Path(path)
    fmt = check_export_format(fmt) if fmt else format_from_path(path)
    data, meta = _encode(gdf, fmt, precision, name or path.stem or "layer")
    write_atomic(path, data)
    if fmt == "csv":
        meta = {**meta, "column_types": csv_types(gdf)}
        write_atomic(sidecar_path(path), json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return path
