"""Writing layers to files that any GIS opens: GeoJSON, GeoPackage, CSV and KML.

Every format is written from the same normalised features, so the files of
one layer carry the same geometries, properties and content hash:

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
>>> from geo.analysis.layers import get_layer  # doctest: +SKIP
>>> export_layer(get_layer("contested"), "contested.gpkg")  # doctest: +SKIP
>>> data, mime, name = export_bytes(get_layer("lines"), "kml")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io as _io
import json
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box, mapping

import geo
from geo import schema as S
from geo.claims.provenance import SOURCE_FIELDS, SOURCES_COLUMN, parse_sources
from geo.errors import DataFileError, InvalidGeometryError, UnsupportedFormatError

#: Property added next to ``area_km2`` saying how the area was computed.
AREA_METHOD = "area_method"
AREA_METHOD_TEXT = "geodesic WGS84 (pyproj.Geod)"
#: Metadata keys carried by every exported file.
META_APP_VERSION = "app_version"
META_CONTENT_HASH = "content_sha256"
META_GENERATOR = "generator"
GENERATOR = "Contested Lines"
#: Column holding the geometry as WKT in CSV files (GDAL's CSV driver reads it).
CSV_WKT_COLUMN = "WKT"
#: GeoPackage table of the sources of every feature (see :mod:`geo.claims.provenance`), keyed by ``feature_fid``.
GPKG_SOURCES_TABLE = "claim_sources"
KML_NS = "http://www.opengis.net/kml/2.2"

FORMATS = {
    # fmt: (extension, MIME type)
    "geojson": (".geojson", "application/geo+json"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "csv": (".csv", "text/csv"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
}
_SUFFIX_TO_FORMAT = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
_SUFFIX_TO_FORMAT.update({".csv": "csv", ".kml": "kml"})


#: First characters that make a spreadsheet read a CSV cell as a formula (or hide its start).
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: RFC 4180 line ends: with them the csv writer quotes every cell holding a CR or LF (with a bare
#: "\n" it leaves a CR unquoted, and a reader would start a new row there).
CSV_LINE_END = "\r\n"


def csv_safe_cell(value):
    """``value`` safe for a CSV cell opened in a spreadsheet (formula injection).

    Text starting with ``= + - @``, a tab or a carriage return gets a leading
    apostrophe, which spreadsheets show as text and do not evaluate; so does
    text that is already apostrophes followed by one of those, so that
    :func:`csv_unsafe_cell` restores every value exactly. Numbers and other
    values are returned unchanged (``-3.5`` stays a number).

    >>> csv_safe_cell("=1+1"), csv_safe_cell("'=1+1"), csv_safe_cell("plain"), csv_safe_cell(-3.5)
    ("'=1+1", "''=1+1", 'plain', -3.5)
    """
    if isinstance(value, str) and value.lstrip("'").startswith(CSV_TRIGGERS):
        return "'" + value
    return value


def csv_unsafe_cell(value):
    """The value :func:`csv_safe_cell` was given (one added apostrophe removed)."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(CSV_TRIGGERS):
        return value[1:]
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`csv_safe_cell` applied to every text cell."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_safe_cell)
    return out


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


def _property(name: str, value):
    """A GeoJSON property: :func:`_plain`, except that a ``sources`` list (JSON text) becomes an array."""
    if name == SOURCES_COLUMN:
        items = parse_sources(value)
        if items is not None:
            return items
    return _plain(value)


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
def _check_precision(precision: int) -> int:
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


def _prepare(gdf: gpd.GeoDataFrame, precision: int):
    """(frame with normalised geometries and area_method, feature dicts)."""
    precision = _check_precision(precision)
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
    _, features = _prepare(gdf, precision)
    return _metadata(features, precision)


def _metadata(features: list[dict], precision: int) -> dict:
    return {
        META_GENERATOR: GENERATOR,
        META_APP_VERSION: geo.__version__,
        META_CONTENT_HASH: content_hash(features),
        "feature_count": len(features),
        "coordinate_reference_system": S.CRS,  # not "crs": RFC 7946 removed that member
        "coordinate_precision": precision,
    }


def to_geojson_dict(gdf: gpd.GeoDataFrame, precision: int = 6, *, extra: dict | None = None) -> dict:
    """A FeatureCollection dict of ``gdf`` (reprojected to EPSG:4326 if needed).

    The collection carries ``generator``, ``app_version`` and
    ``content_sha256`` as foreign members; ``extra`` adds more.
    """
    _, features = _prepare(gdf, precision)
    fc = {"type": "FeatureCollection"}
    fc.update(_metadata(features, precision))
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
    if path.suffix.lower() not in (".geojson", ".json"):
        raise UnsupportedFormatError(f"{path.name}: GeoJSON output needs a .geojson or .json name")
    data = to_geojson_dict(gdf, precision, extra=extra)
    _atomic_write(path, _geojson_bytes(data))
    return path


def _geojson_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n").encode()


# ---------------------------------------------------------------------------
# the other formats
# ---------------------------------------------------------------------------
def _gpkg_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if out[col].dtype == object:
            values = [_plain(v) for v in out[col]]
            if all(v is None or isinstance(v, str) for v in values):
                out[col] = pd.Series(values, index=out.index, dtype=object)
            else:
                out[col] = pd.Series(
                    [None if v is None else str(v) for v in values],
                    index=out.index,
                    dtype=object,
                )
    return out


def _gpkg_bytes(frame, meta: dict, layer: str) -> bytes:
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="contested-export-") as tmp:
        path = Path(tmp) / "out.gpkg"
        kinds = {g.geom_type for g in frame.geometry.values if g is not None}
        singles = {k.removeprefix("Multi") for k in kinds}
        if len(singles) == 1 and "GeometryCollection" not in kinds:
            single = singles.pop()
            geometry_type = single if kinds == {single} else "Multi" + single
        else:
            geometry_type = "Unknown"
        try:
            pyogrio.write_dataframe(
                _gpkg_frame(frame),
                path,
                layer=layer,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=geometry_type.startswith("Multi"),
                dataset_options={"VERSION": "1.2"},
                dataset_metadata={k: str(v) for k, v in meta.items()},
            )
            related = sources_table(frame, layer)
            if related is not None:
                pyogrio.write_dataframe(related, path, layer=GPKG_SOURCES_TABLE, driver="GPKG", append=True)
        except Exception as exc:  # noqa: BLE001 - GDAL raises several types
            raise DataFileError(f"cannot write GeoPackage: {str(exc).splitlines()[0]}") from exc
        return path.read_bytes()


def sources_table(frame: pd.DataFrame, layer: str) -> pd.DataFrame | None:
    """The GeoPackage related table of ``frame``'s ``sources`` column, or None without one.

    One row per (feature, claim source): ``feature_fid`` (the feature's GeoPackage fid,
    1-based in write order), ``layer`` and the keys of :data:`geo.claims.provenance.SOURCE_FIELDS`.
    """
    if SOURCES_COLUMN not in frame.columns:
        return None
    parsed = [parse_sources(v) for v in frame[SOURCES_COLUMN]]
    if any(p is None for p in parsed):
        return None  # not a claim-sources column (e.g. the lines' ';'-joined source ids)
    rows = [
        {"feature_fid": fid, "layer": layer, **{k: str(item.get(k, "")) for k in SOURCE_FIELDS}}
        for fid, items in enumerate(parsed, start=1)
        for item in items
    ]
    return pd.DataFrame(rows, columns=["feature_fid", "layer", *SOURCE_FIELDS]).astype(
        {"feature_fid": "int64", **{k: object for k in ["layer", *SOURCE_FIELDS]}}
    )


def _csv_bytes(frame: gpd.GeoDataFrame) -> bytes:
    geom_col = frame.geometry.name
    table = pd.DataFrame({str(c): [_plain(v) for v in frame[c]] for c in frame.columns if c != geom_col})
    table[CSV_WKT_COLUMN] = [
        "" if g is None else shapely.to_wkt(g, rounding_precision=-1) for g in frame.geometry.values
    ]
    buf = _io.StringIO()
    csv_safe_frame(table).to_csv(buf, index=False, lineterminator=CSV_LINE_END)
    return buf.getvalue().encode("utf-8")


def _csv_types(gdf: gpd.GeoDataFrame) -> dict[str, str]:
    """Column types for the CSV sidecar, so a re-import restores them."""
    frame = with_area_method(gdf)
    names = {"bool": "boolean", "int": "integer", "double": "real", "string": "string"}
    return {str(c): names[_kml_type(frame[c])] for c in frame.columns if c != frame.geometry.name}


def _kml_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "double"
    return "string"


def _kml_value(value, kind: str) -> str | None:
    value = _plain(value)
    if value is None:
        return None
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    return xml_text(str(value))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry (replaced by U+FFFD)."""
    return _XML_BAD.sub("\ufffd", text)


def _kml_coords(xy) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in np.asarray(xy)[:, :2].tolist())


def _kml_geometry(parent: ET.Element, geom) -> None:
    kind = geom.geom_type
    if kind == "Point":
        el = ET.SubElement(parent, "Point")
        ET.SubElement(el, "coordinates").text = _kml_coords(geom.coords)
    elif kind in ("LineString", "LinearRing"):
        el = ET.SubElement(parent, kind)
        ET.SubElement(el, "coordinates").text = _kml_coords(geom.coords)
    elif kind == "Polygon":
        el = ET.SubElement(parent, "Polygon")
        outer = ET.SubElement(ET.SubElement(el, "outerBoundaryIs"), "LinearRing")
        ET.SubElement(outer, "coordinates").text = _kml_coords(geom.exterior.coords)
        for ring in geom.interiors:
            inner = ET.SubElement(ET.SubElement(el, "innerBoundaryIs"), "LinearRing")
            ET.SubElement(inner, "coordinates").text = _kml_coords(ring.coords)
    else:  # Multi* and collections
        el = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(geom):
            _kml_geometry(el, part)


def _kml_bytes(frame: gpd.GeoDataFrame, meta: dict, layer: str) -> bytes:
    geom_col = frame.geometry.name
    cols = [c for c in frame.columns if c != geom_col]
    name_col = S.LINE_NAME if S.LINE_NAME in cols else None
    fields = [(str(c), _kml_type(frame[c])) for c in cols if c != name_col]
    schema_id = "schema_" + "".join(ch if ch.isalnum() else "_" for ch in layer)
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document", id="root_doc")
    ET.SubElement(doc, "name").text = xml_text(layer)
    ET.SubElement(doc, "description").text = (
        f"Exported by {GENERATOR} {meta[META_APP_VERSION]}; "
        f"{META_CONTENT_HASH}={meta[META_CONTENT_HASH]}; "
        f"{meta['feature_count']} features; WGS84 with "
        f"{meta['coordinate_precision']} decimals"
    )
    ext = ET.SubElement(doc, "ExtendedData")
    for key in (META_GENERATOR, META_APP_VERSION, META_CONTENT_HASH):
        data = ET.SubElement(ext, "Data", name=key)
        ET.SubElement(data, "value").text = str(meta[key])
    schema = ET.SubElement(doc, "Schema", name=layer, id=schema_id)
    for name, kind in fields:
        ET.SubElement(schema, "SimpleField", name=xml_text(name), type=kind)
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = layer
    for i in range(len(frame)):
        pm = ET.SubElement(folder, "Placemark")
        if name_col is not None:
            value = _plain(frame[name_col].iloc[i])
            if value is not None:
                ET.SubElement(pm, "name").text = xml_text(str(value))
        ed = ET.SubElement(ET.SubElement(pm, "ExtendedData"), "SchemaData")
        ed.set("schemaUrl", "#" + schema_id)
        for name, kind in fields:
            text = _kml_value(frame[name].iloc[i], kind)
            if text is not None:
                ET.SubElement(ed, "SimpleData", name=xml_text(name)).text = text
        geom = frame.geometry.values[i]
        if geom is not None:
            _kml_geometry(pm, geom)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def format_from_path(path: str | Path) -> str:
    """The export format implied by a file name's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIX_TO_FORMAT:
        raise UnsupportedFormatError(
            f"{Path(path).name}: cannot tell the format from '{suffix or 'no extension'}'; "
            f"use one of {', '.join(sorted(_SUFFIX_TO_FORMAT))} or give the format"
        )
    return _SUFFIX_TO_FORMAT[suffix]


def _check_format(fmt: str) -> str:
    fmt = str(fmt).lower().lstrip(".")
    if fmt == "json":
        fmt = "geojson"
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    return fmt


def _encode(gdf, fmt: str, precision: int, layer: str) -> tuple[bytes, dict]:
    fmt = _check_format(fmt)
    frame, features = _prepare(gdf, precision)
    meta = _metadata(features, precision)
    if fmt == "geojson":
        fc = {"type": "FeatureCollection", **meta, "features": features}
        return _geojson_bytes(fc), meta
    if fmt == "gpkg":
        return _gpkg_bytes(frame, meta, layer), meta
    if fmt == "csv":
        return _csv_bytes(frame), meta
    return _kml_bytes(frame, meta, layer), meta


def export_bytes(
    gdf: gpd.GeoDataFrame, fmt: str = "geojson", precision: int = 6, *, name: str = "layer"
) -> tuple[bytes, str, str]:
    """Encode ``gdf`` in memory, e.g. for a download button.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any CRS; reprojected to EPSG:4326.
    fmt : {"geojson", "gpkg", "csv", "kml"}
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
    fmt = _check_format(fmt)
    data, _ = _encode(gdf, fmt, precision, name)
    ext, mime = FORMATS[fmt]
    return data, mime, f"{name}{ext}"


def sidecar_path(path: str | Path) -> Path:
    """Where :func:`export_layer` puts the metadata of a CSV file."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    fmt = _check_format(fmt) if fmt else format_from_path(path)
    data, meta = _encode(gdf, fmt, precision, name or path.stem or "layer")
    _atomic_write(path, data)
    if fmt == "csv":
        meta = {**meta, "column_types": _csv_types(gdf)}
        _atomic_write(
            sidecar_path(path),
            (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode(),
        )
    return path
