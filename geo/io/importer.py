"""Reading and validating user GIS files: GeoJSON, GeoPackage, KML/KMZ, zipped
Shapefile and CSV (a WKT column or lon/lat columns).

:func:`read_vector` turns bytes or a file into an :class:`ImportResult`: a
GeoDataFrame in EPSG:4326 with per-feature notes (reprojected, Z dropped,
repaired by ``make_valid``) and warnings, or raises one of the
:mod:`geo.errors` types with a one-line reason naming the file and the feature.
:func:`save_import` then stores all features or none.

Defences against hostile or broken files
----------------------------------------
* size: the raw file is refused above ``max_bytes`` (50 MB by default) before
  it is read;
* zip archives (KMZ, zipped Shapefile): member count, declared uncompressed
  total (``max_bytes`` x 4) and compression ratio (100:1) are checked before
  anything is decompressed; members with absolute paths, ``..``, symlinks or
  encryption are refused; decompression stops at the declared size; only the
  needed members are written, under flat names, into a private temporary
  directory that is removed afterwards (KMZ is read in memory);
* XML (KML): parsed with expat directly; any DOCTYPE, entity declaration or
  external entity reference is refused, element nesting is bounded;
* text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is
  refused with the offset of the first bad byte;
* geometry: NaN/inf coordinates, coordinates outside WGS84 without a CRS,
  more than ``max_vertices`` vertices in a feature (200,000) or in the file
  (2,000,000) and more than ``max_features`` features are refused before any
  costly geometry work; JSON nesting is bounded by the parser.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from xml.parsers import expat

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo import config
from geo import schema as S
from geo.errors import (
    DataFileError,
    GeoError,
    InvalidGeometryError,
    UnsupportedFormatError,
    ValidationError,
)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB
MAX_ZIP_MEMBERS = 1_000
MAX_ZIP_RATIO = 100
MAX_FEATURE_VERTICES = 200_000
MAX_TOTAL_VERTICES = 2_000_000
MAX_FEATURES = 100_000
MAX_XML_DEPTH = 100
#: Longest line name accepted (imported lines, renames; drawn lines have geo.io.drawn.MAX_NAME).
MAX_LINE_NAME = 200

AS_LINE = "line"
AS_CLAIM_GEOMETRY = "claim-geometry"
AS_CLAIMS = "claims"
IMPORT_TARGETS = (AS_LINE, AS_CLAIM_GEOMETRY, AS_CLAIMS)

#: Fields the user maps before saving, and the column names guessed for each.
MAP_FIELDS = ("name", "date", "party", "source")
_GUESSES = {
    "name": ("name", "title", "label", "line_name", "quote"),
    "date": ("date", "event_date", "valid_from", "published", "timestamp", "begin"),
    "party": ("party", "held_by", "drawn_by", "side", "actor"),
    "source": ("source", "sources", "source_id", "url", "link"),
}
_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "geometry_wkt", "shape")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")
_LINE_KEY_NAMES = ("line_id", "line", "id", "name")
_ALLOWED = {
    AS_LINE: {"LineString", "MultiLineString"},
    AS_CLAIM_GEOMETRY: {"Polygon", "MultiPolygon"},
    AS_CLAIMS: None,  # any, or none
}
USER_LINES_FILE = "user_lines.csv"
USER_VERTICES_FILE = "user_line_vertices.csv"

Progress = Callable[[float], Any] | None


@dataclass
class ImportResult:
    """What :func:`read_vector` found in a file.

    Attributes
    ----------
    gdf : GeoDataFrame
        The features in EPSG:4326, geometries repaired, 2D.
    filename : str
    source_format : str
        ``geojson``, ``gpkg``, ``kml``, ``kmz``, ``shapefile`` or ``csv``.
    as_ : str
        What the features are meant to become (``line``, ``claim-geometry``,
        ``claims``).
    source_crs : str or None
        The CRS the file declared (``None``: none, read as WGS84).
    fields : list of str
        Property columns the user can map.
    mapping : dict
        Guessed mapping of :data:`MAP_FIELDS` to columns (``None`` if no guess).
    notes : dict
        ``{feature index (0-based): [note, ...]}``: repairs, Z dropped,
        reprojection.
    warnings : list of str
        File-level remarks (other layers skipped, mixed geometry types ...).
    """

    gdf: gpd.GeoDataFrame
    filename: str
    source_format: str
    as_: str
    source_crs: str | None = None
    fields: list[str] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)
    notes: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def label(self, i: int) -> str:
        """A feature's label for messages: ``feature 3 ('Avdiivka')``."""
        return _label(self.gdf, i, self.mapping.get("name"))

    def note_lines(self) -> list[str]:
        """Every note as one line, in feature order."""
        return [f"{self.label(i)}: {note}" for i in sorted(self.notes) for note in self.notes[i]]

    def summary(self) -> str:
        """One line: how many features of which types, from where."""
        kinds = self.gdf.geometry.geom_type.fillna("no geometry").value_counts()
        parts = ", ".join(f"{n} {k}" for k, n in kinds.items())
        crs = f", reprojected from {self.source_crs}" if self._reprojected() else ""
        return f"{self.filename}: {len(self.gdf)} features ({parts}) read as {self.source_format}{crs}"

    def _reprojected(self) -> bool:
        return bool(self.source_crs) and not CRS.from_user_input(self.source_crs).equals(S.CRS)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _plain(exc: BaseException) -> str:
    """``_first_line`` without a leading Python/GEOS class name (``ParseException: ...``)."""
    return re.sub(r"^\s*[A-Za-z_.]*(Exception|Error)\s*:\s*", "", _first_line(exc))


def _coordinate_problem(exc: BaseException) -> str:
    """What is wrong with GeoJSON coordinates that shapely refused, in plain words."""
    if "linearring" in str(exc).lower():
        return "a polygon ring needs at least 4 positions, the last the same as the first"
    return "every position must be a list of 2 or 3 numbers: [lon, lat] or [lon, lat, height]"


def _label(gdf: pd.DataFrame, i: int, name_col: str | None = None) -> str:
    name = None
    if name_col and name_col in gdf.columns:
        name = gdf[name_col].iloc[i]
    elif "name" in gdf.columns:
        name = gdf["name"].iloc[i]
    if isinstance(name, str) and name.strip():
        return f"feature {i + 1} ({name.strip()[:60]!r})"
    return f"feature {i + 1}"


def _tick(progress: Progress, fraction: float) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, float(fraction))))


def _decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (BOM optional) or UTF-16 with BOM; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{filename}: broken UTF-16 text: {exc.reason}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{filename}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise DataFileError(f"{filename}: contains NUL characters; not a text file")
    return text


def _json_safe(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _parse_crs(value: Any, filename: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        crs = CRS.from_user_input(value)
    except (CRSError, TypeError, ValueError):
        raise UnsupportedFormatError(
            f"{filename}: unknown CRS {str(value)[:80]!r} (not a coordinate reference system PROJ knows); "
            "declare a known one such as EPSG:4326 for lon/lat, or remove the declaration"
        ) from None
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


# ---------------------------------------------------------------------------
# zip archives (KMZ, zipped Shapefile)
# ---------------------------------------------------------------------------
def _safe_members(zf: zipfile.ZipFile, filename: str, max_uncompressed: int) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise DataFileError(f"{filename}: archive has {len(infos)} members (limit {MAX_ZIP_MEMBERS})")
    total = 0
    for info in infos:
        name = info.filename
        posix, win = PurePosixPath(name), PureWindowsPath(name)
        if (
            posix.is_absolute()
            or win.is_absolute()
            or win.drive
            or name.startswith(("/", "\\"))
            or ".." in posix.parts
            or ".." in win.parts
        ):
            raise DataFileError(
                f"{filename}: archive member {name[:80]!r} has an unsafe path (absolute or with '..'); refused"
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise DataFileError(f"{filename}: archive member {name[:80]!r} is a symbolic link; refused")
        if info.flag_bits & 0x1:
            raise DataFileError(f"{filename}: archive member {name[:80]!r} is encrypted; refused")
        total += info.file_size
        if total > max_uncompressed:
            raise DataFileError(
                f"{filename}: archive unpacks to more than {max_uncompressed // MB} MB; refused (possible zip bomb)"
            )
        if info.file_size > MB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise DataFileError(
                f"{filename}: archive member {name[:80]!r} is compressed "
                f"{info.file_size // max(info.compress_size, 1)}:1 "
                f"(limit {MAX_ZIP_RATIO}:1); refused (possible zip bomb)"
            )
    return [i for i in infos if not i.is_dir()]


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> bytes:
    """Decompress one member, never more than its declared size."""
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out += chunk
                if len(out) > info.file_size:
                    raise DataFileError(f"{filename}: member {info.filename[:80]!r} is larger than declared; refused")
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        raise DataFileError(f"{filename}: cannot unpack {info.filename[:80]!r}: {_first_line(exc)}") from None
    except NotImplementedError as exc:
        raise UnsupportedFormatError(
            f"{filename}: unsupported compression in {info.filename[:80]!r}: {_first_line(exc)}"
        ) from None
    return bytes(out)


def _open_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataFileError(f"{filename}: not a readable zip archive (truncated?): {_first_line(exc)}") from None


# ---------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------
def _read_geojson(data: bytes, filename: str, progress: Progress):
    text = _decode_text(data, filename)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{filename}: invalid or truncated JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise DataFileError(f"{filename}: JSON nested too deeply") from None
    _tick(progress, 0.3)
    if not isinstance(obj, dict):
        raise DataFileError(f"{filename}: GeoJSON must be an object, got {type(obj).__name__}")
    kind = obj.get("type")
    crs = None
    if isinstance(obj.get("crs"), dict):  # pre-RFC 7946 named CRS
        props = obj["crs"].get("properties")
        crs = _parse_crs(props.get("name") if isinstance(props, dict) else None, filename)
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
    if len(features) > MAX_FEATURES:
        raise DataFileError(f"{filename}: {len(features)} features (limit {MAX_FEATURES})")
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
        record = {str(k): _json_safe(v) for k, v in props.items()}
        if "geometry" in record:
            record["geometry_property"] = record.pop("geometry")
        records.append(record)
        geom_obj = feat.get("geometry")
        if geom_obj is None:
            geoms.append(None)
            continue
        vertices += _count_json_coords(geom_obj, where)
        if vertices > MAX_TOTAL_VERTICES:
            raise InvalidGeometryError(
                f"{filename}: more than {MAX_TOTAL_VERTICES:,} vertices in the file; simplify the data first"
            )
        geoms.append(_geojson_geometry(geom_obj, where))
        if progress is not None and i % 1000 == 0:
            _tick(progress, 0.3 + 0.3 * i / max(len(features), 1))
    props_df = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    props_df = props_df.reindex(range(len(geoms)))
    return props_df, geoms, crs, []


_GEOJSON_GEOMETRIES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _count_json_coords(obj: Any, where: str) -> int:
    """Number of positions in a GeoJSON geometry, refusing huge ones early."""
    if not isinstance(obj, dict):
        raise InvalidGeometryError(f"{where}: 'geometry' must be an object or null")
    if obj.get("type") == "GeometryCollection":
        parts = obj.get("geometries")
        if not isinstance(parts, list):
            raise InvalidGeometryError(f"{where}: GeometryCollection without 'geometries'")
        return sum(_count_json_coords(p, where) for p in parts)
    stack, n = [obj.get("coordinates")], 0
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            n += 1
        elif isinstance(item, list):
            stack.extend(item)
        if n > MAX_FEATURE_VERTICES:
            raise InvalidGeometryError(
                f"{where}: more than {MAX_FEATURE_VERTICES:,} vertices (limit); simplify it first"
            )
    return n


def _geojson_geometry(obj: dict, where: str):
    kind = obj.get("type")
    if kind not in _GEOJSON_GEOMETRIES:
        raise InvalidGeometryError(f"{where}: unknown geometry type {str(kind)[:40]!r}")
    try:
        geom = shapely.geometry.shape(obj)
    except Exception as exc:  # noqa: BLE001 - shapely/GEOS raise many types
        raise InvalidGeometryError(f"{where}: malformed {kind} coordinates ({_coordinate_problem(exc)})") from None
    return geom


# ---------------------------------------------------------------------------
# KML / KMZ
# ---------------------------------------------------------------------------
class _XMLRefused(Exception):
    pass


class _Node:
    __slots__ = ("tag", "attrs", "children", "text")

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children, self.text = tag, attrs, [], []

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: str):
        stack = [self]
        while stack:
            node = stack.pop()
            if node.tag == tag:
                yield node
            stack.extend(reversed(node.children))

    def value(self) -> str:
        return "".join(self.text).strip()


def parse_xml_safely(data: bytes, filename: str) -> _Node:
    """Parse XML with expat, refusing DTDs, entity declarations and external entities.

    Namespaces are dropped from tag names. Raises :class:`UnsupportedFormatError`
    for refused constructs and :class:`DataFileError` for malformed XML.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = _Node("#root", {})
    stack = [root]

    def refuse_dtd(*_args):
        raise _XMLRefused("a DOCTYPE/DTD")

    def refuse_entity(*_args):
        raise _XMLRefused("an entity declaration")

    def refuse_external(*_args):
        raise _XMLRefused("an external entity reference")

    def start(tag, attrs):
        if len(stack) > MAX_XML_DEPTH:
            raise _XMLRefused(f"elements nested deeper than {MAX_XML_DEPTH}")
        node = _Node(tag.rsplit("}", 1)[-1], {k.rsplit("}", 1)[-1]: v for k, v in attrs.items()})
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag):
        stack.pop()

    def chars(text):
        stack[-1].text.append(text)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except _XMLRefused as exc:
        raise UnsupportedFormatError(
            f"{filename}: XML with {exc} is refused (entities can read files or exhaust memory); remove it and retry"
        ) from None
    except expat.ExpatError as exc:
        raise DataFileError(
            f"{filename}: malformed or truncated XML at line {exc.lineno} column "
            f"{exc.offset}: {expat.ErrorString(exc.code)}"
        ) from None
    except (ValueError, LookupError) as exc:  # unknown encodings
        raise DataFileError(f"{filename}: cannot read XML: {_first_line(exc)}") from None
    if not root.children:
        raise DataFileError(f"{filename}: empty XML document")
    return root.children[0]


def _kml_coords(node: _Node | None, where: str, counter: list[int]) -> list[tuple]:
    if node is None:
        raise InvalidGeometryError(f"{where}: geometry without <coordinates>")
    out = []
    for token in node.value().split():
        parts = token.split(",")
        if len(parts) not in (2, 3):
            raise InvalidGeometryError(f"{where}: coordinate {token[:40]!r} is not 'lon,lat[,alt]'")
        try:
            out.append(tuple(float(p) for p in parts))
        except ValueError:
            raise InvalidGeometryError(f"{where}: coordinate {token[:40]!r} is not numeric") from None
        counter[0] += 1
        if counter[0] > MAX_FEATURE_VERTICES:
            raise InvalidGeometryError(
                f"{where}: more than {MAX_FEATURE_VERTICES:,} vertices (limit); simplify it first"
            )
    return out


def _kml_geometry(node: _Node, where: str, counter: list[int]):
    tag = node.tag
    try:
        if tag == "Point":
            (pt,) = _kml_coords(node.find("coordinates"), where, counter)[:1] or [None]
            if pt is None:
                raise InvalidGeometryError(f"{where}: empty Point")
            return shapely.Point(pt)
        if tag in ("LineString", "LinearRing"):
            return shapely.LineString(_kml_coords(node.find("coordinates"), where, counter))
        if tag == "Polygon":
            outer = node.find("outerBoundaryIs")
            ring = outer.find("LinearRing") if outer is not None else None
            if ring is None:
                raise InvalidGeometryError(f"{where}: Polygon without outer boundary")
            shell = _kml_coords(ring.find("coordinates"), where, counter)
            holes = []
            for inner in node.findall("innerBoundaryIs"):
                for r in inner.findall("LinearRing"):
                    holes.append(_kml_coords(r.find("coordinates"), where, counter))
            return shapely.Polygon(shell, holes)
        if tag == "MultiGeometry":
            parts = [_kml_geometry(c, where, counter) for c in node.children if c.tag in _KML_GEOMETRIES]
            parts = [p for p in parts if p is not None]
            kinds = {p.geom_type for p in parts}
            if kinds == {"Polygon"}:
                return shapely.MultiPolygon(parts)
            if kinds == {"LineString"}:
                return shapely.MultiLineString(parts)
            if kinds == {"Point"}:
                return shapely.MultiPoint(parts)
            return shapely.GeometryCollection(parts)
    except GeoError:
        raise
    except Exception as exc:  # noqa: BLE001 - shapely raises several types
        raise InvalidGeometryError(f"{where}: malformed {tag}: {_first_line(exc)[:120]}") from None
    raise InvalidGeometryError(f"{where}: unsupported KML geometry <{tag}>")


_KML_GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry")


def _kml_typed(text: str, kind: str):
    kind = kind.lower()
    try:
        if kind == "bool":
            return text.strip().lower() in ("1", "true")
        if kind in ("int", "uint", "short", "ushort"):
            return int(text)
        if kind in ("double", "float"):
            return float(text)
    except ValueError:
        return text
    return text


def _read_kml(data: bytes, filename: str, progress: Progress):
    root = parse_xml_safely(data, filename)
    _tick(progress, 0.3)
    if root.tag != "kml":
        raise DataFileError(f"{filename}: not KML (root element <{root.tag[:40]}>)")
    types = {}
    for schema in root.iter("Schema"):
        for f in schema.findall("SimpleField"):
            if "name" in f.attrs:
                types[f.attrs["name"]] = f.attrs.get("type", "string")
    records, geoms, warnings = [], [], []
    placemarks = list(root.iter("Placemark"))
    if len(placemarks) > MAX_FEATURES:
        raise DataFileError(f"{filename}: {len(placemarks)} placemarks (limit {MAX_FEATURES})")
    counter = [0]
    for i, pm in enumerate(placemarks):
        where = f"{filename}: feature {i + 1}"
        record: dict[str, Any] = {}
        for tag in ("name", "description"):
            el = pm.find(tag)
            if el is not None:
                record[tag] = el.value()
        ext = pm.find("ExtendedData")
        if ext is not None:
            for d in ext.findall("Data"):
                v = d.find("value")
                if "name" in d.attrs:
                    record[d.attrs["name"]] = v.value() if v is not None else ""
            for sd in ext.findall("SchemaData"):
                for s in sd.findall("SimpleData"):
                    if "name" in s.attrs:
                        name = s.attrs["name"]
                        record[name] = _kml_typed(s.value(), types.get(name, "string"))
        geom_nodes = [c for c in pm.children if c.tag in _KML_GEOMETRIES]
        per_feature = [0]
        geom = _kml_geometry(geom_nodes[0], where, per_feature) if geom_nodes else None
        counter[0] += per_feature[0]
        if counter[0] > MAX_TOTAL_VERTICES:
            raise InvalidGeometryError(f"{filename}: more than {MAX_TOTAL_VERTICES:,} vertices in the file")
        if not geom_nodes and any(c.tag in ("Model", "Track", "MultiTrack") for c in pm.children):
            warnings.append(f"feature {i + 1}: unsupported KML geometry skipped")
        records.append(record)
        geoms.append(geom)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.reindex(range(len(geoms)))
    for name, kind in types.items():  # a missing double is NaN, not None
        if name in frame.columns and kind.lower() in ("double", "float"):
            values = frame[name].dropna()
            if all(isinstance(v, float) for v in values):
                frame[name] = frame[name].astype("float64")
    return frame, geoms, "EPSG:4326", warnings


def _read_kmz(data: bytes, filename: str, max_bytes: int, progress: Progress):
    zf = _open_zip(data, filename)
    with zf:
        members = _safe_members(zf, filename, 4 * max_bytes)
        kmls = [m for m in members if m.filename.lower().endswith(".kml")]
        if not kmls:
            raise DataFileError(f"{filename}: KMZ without a .kml document")
        doc = next((m for m in kmls if m.filename.lower() == "doc.kml"), kmls[0])
        inner = _read_member(zf, doc, filename)
    return _read_kml(inner, filename, progress)


# ---------------------------------------------------------------------------
# GeoPackage and Shapefile (GDAL via pyogrio)
# ---------------------------------------------------------------------------
def _read_ogr(path: Path, filename: str, layer: str | None, progress: Progress):
    import pyogrio

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
        if count > MAX_FEATURES:
            raise DataFileError(f"{filename}: {count} features (limit {MAX_FEATURES})")
        _tick(progress, 0.2)
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
    return frame, geoms, crs, warnings


def _read_shapefile_zip(data: bytes, filename: str, max_bytes: int, layer, progress):
    zf = _open_zip(data, filename)
    with zf, tempfile.TemporaryDirectory(prefix="contested-import-") as tmp:
        members = _safe_members(zf, filename, 4 * max_bytes)
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
            target.write_bytes(_read_member(zf, m, filename))
        frame, geoms, crs, warnings = _read_ogr(Path(tmp) / "layer.shp", filename, None, progress)
        if ".prj" not in exts:
            warnings.append("no .prj file: coordinates read as WGS84 lon/lat")
        if len(shps) > 1:
            warnings.append(f"archive has {len(shps)} shapefiles; imported '{PurePosixPath(stem).name}'")
        return frame, geoms, crs, warnings


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {c.lower().strip(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def _read_csv(
    data: bytes,
    filename: str,
    as_: str,
    wkt_column: str | None,
    lonlat: tuple[str, str] | None,
    progress: Progress,
):
    text = _decode_text(data, filename)
    if not text.strip():
        raise DataFileError(f"{filename}: empty file")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise DataFileError(f"{filename}: cannot read CSV: {_first_line(exc)}") from None
    _tick(progress, 0.3)
    cols = [str(c) for c in table.columns]
    if len(set(cols)) != len(cols):
        raise DataFileError(f"{filename}: repeated column names")
    if len(table) > MAX_FEATURES:
        raise DataFileError(f"{filename}: {len(table)} rows (limit {MAX_FEATURES})")
    if wkt_column is not None and wkt_column not in cols:
        raise DataFileError(f"{filename}: no column '{wkt_column}'; columns: {cols}")
    if lonlat is not None:
        missing = [c for c in lonlat if c not in cols]
        if missing:
            raise DataFileError(f"{filename}: no column(s) {missing}; columns: {cols}")
    if wkt_column is None and lonlat is None:
        wkt_column = _pick(cols, _WKT_NAMES)
        if wkt_column is None:
            lon, lat = _pick(cols, _LON_NAMES), _pick(cols, _LAT_NAMES)
            if lon is None or lat is None:
                raise DataFileError(
                    f"{filename}: no geometry columns found (looked for a WKT column "
                    f"named {'/'.join(_WKT_NAMES)} or lon/lat columns); name them "
                    "or choose them explicitly"
                )
            lonlat = (lon, lat)
    if wkt_column is not None:
        geoms, vertices = [], 0
        for i, value in enumerate(table[wkt_column]):
            value = value.strip()
            if not value:
                geoms.append(None)
                continue
            if len(value) > 40 * MAX_FEATURE_VERTICES:
                raise InvalidGeometryError(
                    f"{filename}: row {i + 2}: WKT too long (vertex limit {MAX_FEATURE_VERTICES:,})"
                )
            try:
                geom = shapely.from_wkt(value)
            except Exception as exc:  # noqa: BLE001 - GEOS errors
                raise InvalidGeometryError(
                    f"{filename}: row {i + 2}: field '{wkt_column}' is not valid WKT ({_plain(exc)[:100]})"
                ) from None
            vertices += int(shapely.get_num_coordinates(geom))
            if vertices > MAX_TOTAL_VERTICES:
                raise InvalidGeometryError(f"{filename}: more than {MAX_TOTAL_VERTICES:,} vertices in the file")
            geoms.append(geom)
        frame = table.drop(columns=[wkt_column])
        return frame, geoms, None, []
    lon, lat = lonlat
    xy = {}
    for col in (lon, lat):
        raw = table[col].str.strip()
        if sep != ",":
            raw = raw.str.replace(",", ".", regex=False)  # decimal comma
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() & ~raw.str.lower().isin(("nan", "inf", "-inf", "+inf"))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InvalidGeometryError(
                f"{filename}: row {i + 2}: field '{col}': {table[col].iloc[i][:40]!r} is not a number"
            )
        xy[col] = num.to_numpy(dtype=float)
    frame = table.drop(columns=[lon, lat])
    points = np.column_stack([xy[lon], xy[lat]])
    if as_ != AS_LINE:
        return frame, list(shapely.points(points)), None, []
    key = _pick(list(frame.columns), _LINE_KEY_NAMES)
    seq = _pick(list(frame.columns), ("seq", "order", "vertex", "index"))
    groups = (
        [np.arange(len(frame))]
        if key is None
        else [np.asarray(ix) for ix in frame.groupby(key, sort=False).indices.values()]
    )
    rows, geoms = [], []
    for ix in groups:
        if seq is not None:
            order = pd.to_numeric(frame[seq].iloc[ix], errors="coerce").to_numpy()
            if np.isnan(order).any():
                raise DataFileError(f"{filename}: column '{seq}' must be numeric")
            ix = ix[np.argsort(order, kind="stable")]
        if len(ix) < 2:
            what = f"line {frame[key].iloc[ix[0]]!r}" if key else "the line"
            raise InvalidGeometryError(f"{filename}: {what} has {len(ix)} vertex, needs at least 2")
        rows.append(ix[0])
        geoms.append(shapely.LineString(points[ix]))
    keep = [c for c in frame.columns if c != seq]
    frame = frame.iloc[rows][keep].reset_index(drop=True)
    return frame, geoms, None, [f"built {len(geoms)} line(s) from {len(table)} vertex rows"]


def _apply_csv_types(frame: pd.DataFrame, sidecar: Path, filename: str) -> pd.DataFrame:
    """Restore column types from the ``.meta.json`` that :func:`geo.io.export.export_layer` writes."""
    try:
        if sidecar.stat().st_size > MB:
            return frame
        types = json.loads(sidecar.read_text(encoding="utf-8")).get("column_types", {})
    except (OSError, ValueError, AttributeError):
        return frame
    if not isinstance(types, dict):
        return frame
    frame = frame.copy()
    for col, kind in types.items():
        if col not in frame.columns:
            continue
        text = frame[col].astype(str)
        try:
            if kind == "real":
                frame[col] = pd.to_numeric(text.replace("", np.nan)).astype("float64")
            elif kind == "integer" and (text != "").all():
                frame[col] = text.astype("int64")
            elif kind == "boolean" and text.isin(("True", "False")).all():
                frame[col] = text == "True"
        except (ValueError, TypeError):
            continue  # keep the text: the sidecar does not match this file
    return frame


# ---------------------------------------------------------------------------
# format detection and the common validation
# ---------------------------------------------------------------------------
def _detect(data: bytes, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    by_ext = {
        ".geojson": "geojson",
        ".json": "geojson",
        ".gpkg": "gpkg",
        ".kml": "kml",
        ".kmz": "kmz",
        ".zip": "shapefile",
        ".csv": "csv",
        ".tsv": "csv",
        ".txt": "csv",
        ".wkt": "csv",
    }
    if suffix == ".shp":
        raise UnsupportedFormatError(
            f"{filename}: a Shapefile needs its .shx, .dbf and .prj: upload them together as one .zip"
        )
    if suffix not in by_ext:
        raise UnsupportedFormatError(
            f"{filename}: unsupported file type '{suffix or 'no extension'}'; use "
            "GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile or CSV"
        )
    fmt = by_ext[suffix]
    is_zip = data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"
    is_sqlite = data[:16] == b"SQLite format 3\x00"
    if fmt in ("kmz", "shapefile") and not is_zip:
        raise DataFileError(f"{filename}: not a zip archive (truncated or renamed?)")
    if fmt == "gpkg" and not is_sqlite:
        raise DataFileError(f"{filename}: not a GeoPackage (no SQLite header)")
    if fmt in ("geojson", "kml", "csv") and (is_zip or is_sqlite):
        raise DataFileError(f"{filename}: binary content in a {suffix} file")
    return fmt


def _refuse_degrees_in_projected(src: CRS, crs: str, arr: np.ndarray, present: np.ndarray, filename: str) -> None:
    """Refuse coordinates that are plainly lon/lat degrees in a file that declares a projected CRS.

    Every coordinate within +-180 / +-90 in a CRS measured in metres (or feet)
    means features a few hundred metres from the CRS's origin, near 0 deg, 0 deg,
    far more likely a file whose CRS was declared wrongly.
    """
    if not src.is_projected or not present.any():
        return
    xy = shapely.get_coordinates(arr[present])
    if len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        name = crs if crs.startswith("EPSG:") else src.name
        raise InvalidGeometryError(
            f"{filename}: declares {name}, a projected CRS in "
            f"{src.axis_info[0].unit_name if src.axis_info else 'metres'}s, but every coordinate lies within "
            "+-180 / +-90, so they look like lon/lat degrees; nothing was imported. Declare EPSG:4326 "
            "(or remove the CRS declaration) and import again"
        )


def _finalise(
    frame: pd.DataFrame,
    geoms: list,
    crs: str | None,
    *,
    filename: str,
    fmt: str,
    as_: str,
    warnings: list[str],
    default_crs: str | None,
    progress: Progress,
) -> ImportResult:
    n = len(geoms)
    if n == 0:
        raise DataFileError(f"{filename}: no features (empty layer)")
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    if "geometry" in frame.columns:
        frame = frame.rename(columns={"geometry": "geometry_property"})
    name_col = _pick(list(frame.columns), _GUESSES["name"])
    notes: dict[int, list[str]] = {}

    def label(i: int) -> str:
        return f"{filename}: {_label(frame, i, name_col)}"

    arr = np.empty(n, dtype=object)
    arr[:] = geoms
    present = ~shapely.is_missing(arr)
    empty = present & shapely.is_empty(arr)
    arr[empty] = None
    present &= ~empty
    # vertex limits (cheap, before any costly geometry work)
    counts = shapely.get_num_coordinates(arr)
    over = np.flatnonzero(counts > MAX_FEATURE_VERTICES)
    if over.size:
        i = int(over[0])
        raise InvalidGeometryError(
            f"{label(i)}: {int(counts[i]):,} vertices (limit {MAX_FEATURE_VERTICES:,}); simplify it first"
        )
    if counts.sum() > MAX_TOTAL_VERTICES:
        raise InvalidGeometryError(
            f"{filename}: {int(counts.sum()):,} vertices in total (limit "
            f"{MAX_TOTAL_VERTICES:,}); simplify the data first"
        )
    # finite coordinates
    xy, owner = shapely.get_coordinates(arr, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1)
    zmask = shapely.has_z(arr)
    if zmask.any():
        xyz, zowner = shapely.get_coordinates(arr[zmask], include_z=True, return_index=True)
        zbad = ~np.isfinite(xyz[:, 2])
        if zbad.any():
            first = int(np.flatnonzero(zmask)[zowner[zbad][0]])
            if not bad.any() or first < int(owner[bad][0]):
                raise InvalidGeometryError(f"{label(first)}: NaN or infinite coordinate (height)")
    if bad.any():
        raise InvalidGeometryError(f"{label(int(owner[bad][0]))}: NaN or infinite coordinate")
    _tick(progress, 0.65)
    # Z
    has_z = present.copy()
    has_z[present] = shapely.has_z(arr[present])
    for i in np.flatnonzero(has_z):
        arr[i] = shapely.force_2d(arr[i])
        notes.setdefault(int(i), []).append("Z (height) values dropped")
    # CRS
    if crs is None and default_crs:
        crs = _parse_crs(default_crs, filename)
    if crs is not None and not CRS.from_user_input(crs).equals(S.CRS):
        src = CRS.from_user_input(crs)
        _refuse_degrees_in_projected(src, crs, arr, present, filename)
        try:
            series = gpd.GeoSeries(arr, crs=src).to_crs(S.CRS)
        except Exception:  # noqa: BLE001 - pyproj errors
            raise InvalidGeometryError(f"{filename}: cannot reproject from {crs} to WGS84 lon/lat") from None
        arr = np.asarray(series.values, dtype=object)
        crs_name = crs if crs.startswith("EPSG:") else src.name
        xy, owner = shapely.get_coordinates(arr, return_index=True)
        bad = ~np.isfinite(xy).all(axis=1)
        if bad.any():
            raise InvalidGeometryError(
                f"{label(int(owner[bad][0]))}: cannot be reprojected from {crs_name} (outside the area of that CRS?)"
            )
        for i in np.flatnonzero(present):
            notes.setdefault(int(i), []).append(f"reprojected from {crs_name}")
    xy, owner = shapely.get_coordinates(arr, return_index=True)
    bad = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        i, (x, y) = int(owner[k]), xy[k]
        why = (
            "and the file declares no CRS (projected data needs its .prj / CRS)"
            if crs is None
            else f"after conversion from {crs}"
        )
        raise InvalidGeometryError(
            f"{label(i)}: coordinate ({x:.6g}, {y:.6g}) is outside WGS84 (lon -180..180, lat -90..90) {why}"
        )
    _tick(progress, 0.8)
    # validity
    invalid = present.copy()
    invalid[present] = ~shapely.is_valid(arr[present])
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(arr[i])
        original = arr[i].geom_type
        fixed = shapely.make_valid(arr[i])
        if original in ("Polygon", "MultiPolygon"):
            polys = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
            fixed = shapely.union_all(polys) if polys else shapely.Polygon()
        elif original in ("LineString", "MultiLineString"):
            lines = [p for p in shapely.get_parts(fixed) if "LineString" in p.geom_type]
            fixed = shapely.line_merge(shapely.union_all(lines)) if lines else shapely.LineString()
        if fixed.is_empty:
            raise InvalidGeometryError(f"{label(i)}: invalid {original} ({reason}) that cannot be repaired")
        arr[i] = fixed
        notes.setdefault(int(i), []).append(f"repaired by make_valid ({reason}); now {fixed.geom_type}")
    # types
    allowed = _ALLOWED[as_]
    kinds = pd.Series([g.geom_type if g is not None else None for g in arr])
    if allowed is not None:
        for i in range(n):
            if arr[i] is None:
                raise InvalidGeometryError(f"{label(i)}: has no geometry")
            if kinds[i] not in allowed:
                want = " or ".join(sorted(allowed))
                raise InvalidGeometryError(f"{label(i)}: is a {kinds[i]}; importing as {as_} needs {want}")
    mixed = kinds.dropna().value_counts()
    if len(mixed) > 1:
        warnings.append("mixed geometry types: " + ", ".join(f"{k} ({v})" for k, v in mixed.items()))
    if (~present).any() and allowed is None:
        warnings.append(f"{int((~present).sum())} feature(s) without geometry")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(arr, crs=S.CRS), crs=S.CRS)
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    mapping = {k: _pick(fields, _GUESSES[k]) for k in MAP_FIELDS}
    _tick(progress, 1.0)
    return ImportResult(
        gdf=gdf,
        filename=filename,
        source_format=fmt,
        as_=as_,
        source_crs=crs,
        fields=fields,
        mapping=mapping,
        notes=notes,
        warnings=warnings,
    )


def read_vector(
    path_or_bytes: str | os.PathLike | bytes,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    as_: str = AS_LINE,
    progress: Progress = None,
    layer: str | None = None,
    crs: str | None = None,
    wkt_column: str | None = None,
    lonlat_columns: tuple[str, str] | None = None,
) -> ImportResult:
    """Read a user GIS file, validate it and bring it to EPSG:4326.

    Parameters
    ----------
    path_or_bytes : path or bytes
        The file, or its content (e.g. a Streamlit upload's ``getvalue()``).
    filename : str, optional
        Name used to tell the format (by extension) and in messages; required
        with bytes, defaults to the path's name.
    max_bytes : int, default 50 MB
        Larger files are refused before they are read.
    as_ : {"line", "claim-geometry", "claims"}
        ``line`` needs LineStrings, ``claim-geometry`` Polygons, ``claims``
        accepts any geometry or none.
    progress : callable, optional
        Called with the fraction done (0..1) as the work advances.
    layer : str, optional
        Layer of a GeoPackage (or shapefile of a zip); default the first.
    crs : str, optional
        CRS of coordinates when the file declares none (CSV, GeoJSON, a
        Shapefile without .prj); default WGS84 lon/lat.
    wkt_column, lonlat_columns : optional
        CSV geometry columns, overriding detection by header names.

    Returns
    -------
    ImportResult

    Raises
    ------
    DataFileError
        File too large, unreadable, truncated, wrong encoding, empty layer,
        unsafe archive.
    UnsupportedFormatError
        Unknown file type, DTD/entities in XML, unknown CRS.
    InvalidGeometryError
        A feature with NaN/inf or non-WGS84 coordinates, too many vertices,
        an unrepairable or wrong-typed geometry (the message names it).
    """
    if as_ not in IMPORT_TARGETS:
        raise UnsupportedFormatError(f"unknown import target '{as_}'; choose one of: {', '.join(IMPORT_TARGETS)}")
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError("max_bytes must be a positive integer")
    _tick(progress, 0.0)
    sidecar = None
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        if not filename:
            raise ValueError("filename is needed with bytes (it tells the format)")
        data = bytes(path_or_bytes)
        if len(data) > max_bytes:
            raise DataFileError(f"{filename}: {len(data) / MB:.1f} MB is over the {max_bytes / MB:.0f} MB limit")
    else:
        path = Path(path_or_bytes)
        filename = filename or path.name
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise DataFileError(f"{filename}: not a regular file")
            if size > max_bytes:
                raise DataFileError(f"{filename}: {size / MB:.1f} MB is over the {max_bytes / MB:.0f} MB limit")
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise DataFileError(f"{filename}: file not found") from None
        except OSError as exc:
            raise DataFileError(f"{filename}: cannot read: {exc.strerror}") from None
        if len(data) > max_bytes:
            raise DataFileError(f"{filename}: over the {max_bytes / MB:.0f} MB limit")
        sidecar = path.with_name(path.name + ".meta.json")
        sidecar = sidecar if sidecar.is_file() else None
    filename = Path(str(filename)).name or "upload"
    if not data.strip():
        raise DataFileError(f"{filename}: empty file")
    fmt = _detect(data, filename)
    with warnings.catch_warnings():  # GDAL/shapely warnings become notes or errors
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            if fmt == "geojson":
                frame, geoms, fcrs, warns = _read_geojson(data, filename, progress)
            elif fmt == "kml":
                frame, geoms, fcrs, warns = _read_kml(data, filename, progress)
            elif fmt == "kmz":
                frame, geoms, fcrs, warns = _read_kmz(data, filename, max_bytes, progress)
            elif fmt == "shapefile":
                frame, geoms, fcrs, warns = _read_shapefile_zip(data, filename, max_bytes, layer, progress)
            elif fmt == "csv":
                frame, geoms, fcrs, warns = _read_csv(data, filename, as_, wkt_column, lonlat_columns, progress)
                if sidecar is not None:
                    frame = _apply_csv_types(frame, sidecar, filename)
            else:  # gpkg
                with tempfile.TemporaryDirectory(prefix="contested-import-") as tmp:
                    p = Path(tmp) / "upload.gpkg"
                    p.write_bytes(data)
                    frame, geoms, fcrs, warns = _read_ogr(p, filename, layer, progress)
            return _finalise(
                frame,
                geoms,
                fcrs,
                filename=filename,
                fmt=fmt,
                as_=as_,
                warnings=list(warns),
                default_crs=crs,
                progress=progress,
            )
        except GeoError:
            raise
        except MemoryError:
            raise DataFileError(f"{filename}: too large to process in memory") from None
        except RecursionError:
            raise DataFileError(f"{filename}: nested too deeply") from None
        except Exception:  # noqa: BLE001 - last line of defence for user files
            raise DataFileError(
                f"{filename}: cannot import: the file could not be read (damaged, or laid out in a way this "
                "importer does not understand); nothing was stored"
            ) from None


# ---------------------------------------------------------------------------
# saving: all features or none
# ---------------------------------------------------------------------------
def user_lines_paths(data_dir: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """``(lines.csv, vertices.csv)`` of imported lines, in the format of ``data/``.

    They live in ``data_dir``, else ``$CONTESTED_DATA_DIR``, else the store's
    default data directory; :func:`geo.reference.lines.load_lines` reads them.
    """
    if data_dir is None:
        data_dir = config.data_dir()
    d = Path(data_dir)
    return d / USER_LINES_FILE, d / USER_VERTICES_FILE


def load_user_lines(data_dir: str | os.PathLike | None = None) -> gpd.GeoDataFrame | None:
    """The imported lines as :func:`geo.reference.lines.load_lines` builds them, or None."""
    from geo.reference.lines import load_lines

    lp, vp = user_lines_paths(data_dir)
    if not lp.exists():
        return None
    return load_lines(lp, vp, ignore_orphan_vertices=True)


def _value(gdf: pd.DataFrame, col: str | None, i: int) -> str:
    if not col:
        return ""
    if col not in gdf.columns:
        raise ValidationError(f"mapped column '{col}' is not in the file; columns: {list(gdf.columns)[:20]}")
    v = gdf[col].iloc[i]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v).strip()


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (s or "line")[:40]


def _line_tables(result: ImportResult, mapping: Mapping[str, str | None], taken: set[str]):
    gdf = result.gdf
    m = {**result.mapping, **{k: v for k, v in mapping.items()}}
    metas, verts = [], []
    for i in range(len(gdf)):
        where = f"{result.filename}: {result.label(i)}"
        geom = gdf.geometry.values[i]
        if geom.geom_type == "MultiLineString":
            merged = shapely.line_merge(geom)
            if merged.geom_type != "LineString":
                raise ValidationError(
                    f"{where}: has {len(merged.geoms)} separate parts; a reference line must be one connected line"
                )
            geom = merged
        name = _value(gdf, m.get("name"), i) or f"{Path(result.filename).stem} {i + 1}"
        if len(name) > MAX_LINE_NAME:
            exc = ValidationError(
                f"{where}: field 'name' has {len(name):,} characters; a line name has at most "
                f"{MAX_LINE_NAME} characters (nothing saved)"
            )
            exc.field = "name"
            raise exc
        date = _value(gdf, m.get("date"), i)[:10]
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            exc = ValidationError(f"{where}: field 'date': {date!r} is not YYYY-MM-DD (map a date field)")
            exc.field = "date"
            raise exc from None
        kind = _value(gdf, m.get("kind"), i) or "drawn"
        if kind not in ("agreed", "contact", "claimed", "drawn"):
            exc = ValidationError(f"{where}: field 'kind': {kind!r} is not agreed/contact/claimed/drawn")
            exc.field = "kind"
            raise exc
        base = f"user_{_slug(name)}_{date.replace('-', '')}"
        line_id, k = base, 2
        while line_id in taken:
            line_id, k = f"{base}_{k}", k + 1
        taken.add(line_id)
        metas.append(
            {
                S.LINE_ID: line_id,
                S.LINE_NAME: name,
                S.LINE_DATE: date,
                S.LINE_KIND: kind,
                S.LINE_DRAWN_BY: _value(gdf, m.get("party"), i),
                S.LINE_AGREED_BY: "",
                S.LINE_PRECISION_KM: "",
                S.LINE_SOURCES: _value(gdf, m.get("source"), i),
                S.LINE_METHOD: f"imported from {result.filename}",
            }
        )
        for seq, (x, y) in enumerate(np.asarray(geom.coords)[:, :2].tolist()):
            verts.append(
                {
                    S.V_LINE_ID: line_id,
                    S.V_SEQ: str(seq),
                    S.V_LON: repr(round(x, 7)),
                    S.V_LAT: repr(round(y, 7)),
                    S.V_SETTLEMENT: "",
                    S.V_GAZETTEER: "",
                    S.V_NOTE: "",
                }
            )
    return (
        pd.DataFrame(metas, columns=S.LINE_COLUMNS),
        pd.DataFrame(verts, columns=S.VERTEX_COLUMNS),
    )


def _csv_writer(frame: pd.DataFrame):
    return lambda fh: frame.to_csv(fh, index=False, lineterminator="\n")


def read_user_tables(data_dir: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(lines, vertices)`` tables of the imported lines, as stored (text columns).

    Vertices of line ids that ``user_lines.csv`` does not list are left out:
    they are what a write interrupted before its commit point leaves behind
    (see :func:`write_user_tables`). No files: two empty tables.

    Raises
    ------
    DataFileError
        when ``user_lines.csv`` exists without its vertex file, or a file
        cannot be read as CSV.
    """
    lp, vp = user_lines_paths(data_dir)
    if not lp.exists():
        return pd.DataFrame(columns=S.LINE_COLUMNS), pd.DataFrame(columns=S.VERTEX_COLUMNS)
    if not vp.exists():
        raise DataFileError(f"{vp}: missing (its lines are listed in {lp}); restore it or remove both files")
    try:
        meta = pd.read_csv(lp, dtype=str, keep_default_na=False)
        vert = pd.read_csv(vp, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{lp.parent}: cannot read the imported lines: {_first_line(exc)}") from None
    for path, frame, cols in ((lp, meta, S.LINE_COLUMNS), (vp, vert, S.VERTEX_COLUMNS)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise DataFileError(f"{path}: missing columns {missing}")
    if S.V_LINE_ID in vert.columns:
        vert = vert[vert[S.V_LINE_ID].isin(set(meta[S.LINE_ID]))].reset_index(drop=True)
    return meta, vert


def write_user_tables(data_dir: str | os.PathLike | None, meta: pd.DataFrame, vert: pd.DataFrame) -> None:
    """Replace the imported-lines tables with ``meta`` and ``vert``, crash-safe.

    Call inside :func:`geo.atomic.locked` on the data directory. The one
    commit point is the atomic replacement of ``user_lines.csv``: the vertex
    file is first written with the vertices of the old and new lines (so every
    listed line has its vertices before and after the commit), then the line
    file, then, if lines went away, the vertex file again without theirs. A
    crash at any step leaves the old or the new set of lines, readable.
    """
    from geo.atomic import crash_point, write_atomic

    lp, vp = user_lines_paths(data_dir)
    old_vert = pd.read_csv(vp, dtype=str, keep_default_na=False) if vp.exists() else None
    new_ids = set(meta[S.LINE_ID])
    if old_vert is not None and len(old_vert):
        kept_old = old_vert[~old_vert[S.V_LINE_ID].isin(new_ids)]
        union = pd.concat([kept_old[S.VERTEX_COLUMNS], vert[S.VERTEX_COLUMNS]], ignore_index=True)
    else:
        union = vert
    if old_vert is None or not union.equals(old_vert):
        write_atomic(vp, _csv_writer(union))
    crash_point("user-lines-between-writes")
    write_atomic(lp, _csv_writer(meta))
    if len(union) != len(vert):
        crash_point("user-lines-before-cleanup")
        write_atomic(vp, _csv_writer(vert))


def _save_lines(result: ImportResult, mapping, data_dir) -> list[str]:
    from geo.atomic import locked
    from geo.reference.lines import lines_from_frames, reference_lines

    lp, vp = user_lines_paths(data_dir)
    with locked(lp.parent):
        old_meta, old_vert = read_user_tables(data_dir)
        if len(old_meta):
            lines_from_frames(old_meta, old_vert, origin=str(vp))  # already broken: say where
        taken = set(old_meta[S.LINE_ID]) | set(reference_lines()[S.LINE_ID])
        meta, vert = _line_tables(result, mapping, taken)
        all_meta = pd.concat([old_meta[S.LINE_COLUMNS], meta], ignore_index=True)
        all_vert = pd.concat([old_vert[S.VERTEX_COLUMNS], vert], ignore_index=True)
        try:  # the same checks geo.reference.lines applies when it reads the files
            lines_from_frames(all_meta, all_vert, origin=result.filename)
        except DataFileError as exc:
            message = str(exc)
            for i, line_id in enumerate(meta[S.LINE_ID]):
                message = message.replace(f"line '{line_id}'", f"{result.label(i)} (line '{line_id}')")
            raise ValidationError(f"{message}; nothing saved") from None
        write_user_tables(lp.parent, all_meta, all_vert)
    return list(meta[S.LINE_ID])


_CLAIM_ALIASES = {
    "date": S.CLAIM_EVENT_DATE,
    "party": S.CLAIM_PARTY,
    "source": S.CLAIM_SOURCE_ID,
    "name": S.CLAIM_QUOTE,
}


def claim_records(result: ImportResult, mapping: Mapping[str, str | None]) -> list[dict]:
    """Claim rows (``schema.CLAIM_COLUMNS`` + inline source columns) from features.

    Columns named like a claim or source column map to themselves; ``mapping``
    adds or overrides ``{claim column or name/date/party/source: file column}``.
    The geometry becomes ``geometry_wkt``.
    """
    from geo.claims.model import EMBEDDED_SOURCE_COLUMNS

    gdf = result.gdf
    targets = [c for c in (*S.CLAIM_COLUMNS, *EMBEDDED_SOURCE_COLUMNS) if c != S.CLAIM_GEOMETRY]
    m = {c: c for c in targets if c in gdf.columns}
    for key, col in mapping.items():
        if col:
            m[_CLAIM_ALIASES.get(key, key)] = col
    records = []
    for i in range(len(gdf)):
        rec = {t: _value(gdf, col, i) for t, col in m.items()}
        rec = {k: v for k, v in rec.items() if v != ""}
        geom = gdf.geometry.values[i]
        if geom is not None and not geom.is_empty:
            rec[S.CLAIM_GEOMETRY] = shapely.to_wkt(geom, rounding_precision=7)
        records.append(rec)
    return records


def save_import(
    result: ImportResult,
    mapping: Mapping[str, str | None] | None = None,
    target: Any = None,
    *,
    user: str = "import",
) -> list[str]:
    """Store every feature of ``result`` or none.

    Parameters
    ----------
    result : ImportResult
        From :func:`read_vector`.
    mapping : dict, optional
        ``{"name"|"date"|"party"|"source"|"kind": column}`` (lines) or
        ``{claim column or alias: column}`` (claims); overrides the guess in
        ``result.mapping``.
    target :
        ``line``: the data directory for ``user_lines.csv`` and
        ``user_line_vertices.csv`` (default ``$CONTESTED_DATA_DIR`` or the
        store's directory). ``claims``: a :class:`geo.claims.store.Store` or a store
        path/URL (default :func:`geo.claims.store.open_store`'s location).
        ``claim-geometry``: ignored, nothing is stored.
    user : str
        Recorded in the claims audit log.

    Returns
    -------
    list of str
        New line ids, new claim ids, or (claim-geometry) the WKT of each feature.

    Raises
    ------
    ValidationError, DataFileError, StoreError
        Before anything is written; the target is then unchanged.
    """
    mapping = dict(mapping or {})
    if result.as_ == AS_LINE:
        return _save_lines(result, mapping, target)
    if result.as_ == AS_CLAIM_GEOMETRY:
        return [shapely.to_wkt(g, rounding_precision=7) for g in result.gdf.geometry.values]
    records = claim_records(result, mapping)
    try:
        from geo.claims.store import Store, open_store
    except ImportError:  # pragma: no cover - the store ships with the app
        raise UnsupportedFormatError("the claims store is not available") from None
    store = target if isinstance(target, Store) else open_store(target)
    try:
        return store.add_claims(records, user)
    finally:
        if store is not target:
            store.close()
