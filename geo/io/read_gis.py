"""Readers of GeoJSON, GeoPackage and zipped Shapefile (the last two through GDAL/pyogrio).

Every reader takes the raw bytes and a :class:`geo.io.common.ReadRequest` and
returns a :class:`geo.io.common.Parsed`; vertex and feature counts are checked
against the request's limits before any costly geometry work.

Examples
--------
>>> from geo.io.formats import Limits
>>> data = b'{"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]}'
>>> parsed = read_geojson(data, ReadRequest("a.geojson", Limits()))
>>> parsed.geoms[0].wkt, parsed.crs
('LINESTRING (37.5 48, 37.8 48.2)', None)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pyogrio
import shapely

from geo.errors import DataFileError, GeoError, InvalidGeometryError, UnsupportedFormatError
from geo.io.archive import open_zip, read_member, safe_members
from geo.io.common import (
    Parsed,
    ReadRequest,
    coordinate_problem,
    decode_text,
    json_safe,
    parse_crs,
    tick,
)


def read_geojson(data: bytes, req: ReadRequest) -> Parsed:
    """Read a GeoJSON FeatureCollection, Feature or bare geometry (RFC 7946; a pre-RFC named CRS is honoured)."""
    filename, progress, limits = req.filename, req.progress, req.limits
    text = decode_text(data, filename)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{filename}: invalid or truncated JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise DataFileError(f"{filename}: JSON nested too deeply") from None
    tick(progress, 0.3)
    if not isinstance(obj, dict):
        raise DataFileError(f"{filename}: GeoJSON must be an object, got {type(obj).__name__}")
    kind = obj.get("type")
    crs = None
    if isinstance(obj.get("crs"), dict):  # pre-RFC 7946 named CRS
        props = obj["crs"].get("properties")
        crs = parse_crs(props.get("name") if isinstance(props, dict) else None, filename)
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise DataFileError(f"{filename}: FeatureCollection without a 'features' list")
    elif kind == "Feature":
        features = [obj]
    elif kind in _GEOJSON_GEOMETRIES:
        features = [{"type": "Feature", "properties": {}, "geometry": obj}]
    else:
        raise DataFileError(
            f"{filename}: not GeoJSON (type {str(kind)[:40]!r}; expected FeatureCollection, Feature or a geometry)"
        )
    if len(features) > limits.max_features:
        raise DataFileError(f"{filename}: {len(features)} features (limit {limits.max_features})")
    records, geoms = [], []
    vertices = 0
    for i, feat in enumerate(features):
        where = f"{filename}: feature {i + 1}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise DataFileError(f"{where}: not a GeoJSON Feature object")
        props = feat.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise DataFileError(f"{where}: 'properties' must be an object or null")
        record = {str(k): json_safe(v) for k, v in props.items()}
        if "geometry" in record:
            record["geometry_property"] = record.pop("geometry")
        records.append(record)
        geom_obj = feat.get("geometry")
        if geom_obj is None:
            geoms.append(None)
            continue
        vertices += _count_json_coords(geom_obj, where, limits.max_feature_vertices)
        if vertices > limits.max_total_vertices:
            raise InvalidGeometryError(
                f"{filename}: more than {limits.max_total_vertices:,} vertices in the file; simplify the data first"
            )
        geoms.append(_geojson_geometry(geom_obj, where))
        if progress is not None and i % 1000 == 0:
            tick(progress, 0.3 + 0.3 * i / max(len(features), 1))
    props_df = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    props_df = props_df.reindex(range(len(geoms)))
    return Parsed(props_df, geoms, crs, [])


_GEOJSON_GEOMETRIES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _count_json_coords(obj: Any, where: str, max_vertices: int) -> int:
    """Number of positions in a GeoJSON geometry, refusing huge ones early."""
    if not isinstance(obj, dict):
        raise InvalidGeometryError(f"{where}: 'geometry' must be an object or null")
    if obj.get("type") == "GeometryCollection":
        parts = obj.get("geometries")
        if not isinstance(parts, list):
            raise InvalidGeometryError(f"{where}: GeometryCollection without 'geometries'")
        return sum(_count_json_coords(p, where, max_vertices) for p in parts)
    stack, n = [obj.get("coordinates")], 0
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            n += 1
        elif isinstance(item, list):
            stack.extend(item)
        if n > max_vertices:
            raise InvalidGeometryError(f"{where}: more than {max_vertices:,} vertices (limit); simplify it first")
    return n


def _geojson_geometry(obj: dict, where: str):
    kind = obj.get("type")
    if kind not in _GEOJSON_GEOMETRIES:
        raise InvalidGeometryError(f"{where}: unknown geometry type {str(kind)[:40]!r}")
    try:
        geom = shapely.geometry.shape(obj)
    except Exception as exc:  # noqa: BLE001 - shapely/GEOS raise many types
        raise InvalidGeometryError(f"{where}: malformed {kind} coordinates ({coordinate_problem(exc)})") from None
    return geom


def _read_ogr(path: Path, req: ReadRequest, layer: str | None) -> Parsed:
    filename, progress, limits = req.filename, req.progress, req.limits

    warnings = []
    try:
        layers = pyogrio.list_layers(path)
    except Exception:  # noqa: BLE001 - GDAL errors come in several types
        raise DataFileError(
            f"{filename}: cannot be opened as a GIS file (damaged, truncated, or not the format its name says)"
        ) from None
    names = [str(row[0]) for row in layers]
    if not names:
        raise DataFileError(f"{filename}: no layers (empty file)")
    if layer is None:
        layer = names[0]
        if len(names) > 1:
            warnings.append(
                f"file has layers {', '.join(names)}; imported '{layer}' (choose another with the layer option)"
            )
    elif layer not in names:
        raise DataFileError(f"{filename}: no layer '{layer}'; layers: {', '.join(names)}")
    try:
        info = pyogrio.read_info(path, layer=layer)
        count = int(info.get("features") or 0)
        if count > limits.max_features:
            raise DataFileError(f"{filename}: {count} features (limit {limits.max_features})")
        tick(progress, 0.2)
        gdf = pyogrio.read_dataframe(path, layer=layer, on_invalid="warn")
    except GeoError:
        raise
    except Exception:  # noqa: BLE001
        raise DataFileError(f"{filename}: cannot read layer '{layer}' (the file is damaged or truncated)") from None
    crs = None
    if gdf.crs is not None:
        epsg = gdf.crs.to_epsg()
        crs = f"EPSG:{epsg}" if epsg else gdf.crs.to_wkt()
    geoms = list(gdf.geometry.values) if gdf.geometry is not None else [None] * len(gdf)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    return Parsed(frame, geoms, crs, warnings)


def read_gpkg(data: bytes, req: ReadRequest) -> Parsed:
    """Read one layer (``req.layer``, default the first) of a GeoPackage."""
    with tempfile.TemporaryDirectory(prefix="contested-import-") as tmp:
        p = Path(tmp) / "upload.gpkg"
        p.write_bytes(data)
        return _read_ogr(p, req, req.layer)


def read_shapefile_zip(data: bytes, req: ReadRequest) -> Parsed:
    """Read a zipped Shapefile (``.shp`` + ``.shx`` + ``.dbf``, ``.prj`` optional); ``req.layer`` picks one of several."""
    filename, layer = req.filename, req.layer
    zf = open_zip(data, filename)
    with zf, tempfile.TemporaryDirectory(prefix="contested-import-") as tmp:
        members = safe_members(zf, filename, req.limits)
        shps = [m for m in members if m.filename.lower().endswith(".shp")]
        if not shps:
            kinds = [m.filename for m in members][:5]
            raise UnsupportedFormatError(
                f"{filename}: zip without a .shp file (contains {kinds}); a zipped "
                "Shapefile needs .shp, .shx, .dbf and .prj"
            )
        chosen = shps[0]
        if layer is not None:
            chosen = next((m for m in shps if PurePosixPath(m.filename).stem == layer), None)
            if chosen is None:
                raise DataFileError(f"{filename}: no shapefile named '{layer}'")
        stem = chosen.filename[:-4]
        parts = [
            m
            for m in members
            if m.filename[: len(stem)] == stem
            and m.filename[len(stem) :].lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg")
        ]
        exts = {m.filename[len(stem) :].lower() for m in parts}
        missing = {".shp", ".shx", ".dbf"} - exts
        if missing:
            raise DataFileError(
                f"{filename}: shapefile '{PurePosixPath(stem).name}' lacks {', '.join(sorted(missing))}"
            )
        for m in parts:  # flat, fixed names inside our private directory
            target = Path(tmp) / ("layer" + m.filename[len(stem) :].lower())
            target.write_bytes(read_member(zf, m, filename))
        frame, geoms, crs, warnings = _read_ogr(Path(tmp) / "layer.shp", req, None)
        if ".prj" not in exts:
            warnings.append("no .prj file: coordinates read as WGS84 lon/lat")
        if len(shps) > 1:
            warnings.append(f"archive has {len(shps)} shapefiles; imported '{PurePosixPath(stem).name}'")
        return Parsed(frame, geoms, crs, warnings)
