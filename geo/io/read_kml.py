"""Readers of KML and KMZ, on an XML parser that refuses what could attack the reader.

:func:`parse_xml_safely` runs expat directly: any DOCTYPE, entity declaration
or external entity reference is refused and element nesting is bounded, so a
file can neither read local files nor exhaust memory ("billion laughs").
KMZ is a zip (checked by :mod:`geo.io.archive`) read in memory.

Examples
--------
>>> root = parse_xml_safely(b"<kml xmlns='http://www.opengis.net/kml/2.2'><Document/></kml>", "a.kml")
>>> root.tag, [c.tag for c in root.children]
('kml', ['Document'])
>>> parse_xml_safely(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "a.kml")
Traceback (most recent call last):
...
geo.errors.UnsupportedFormatError: a.kml: XML with a DOCTYPE/DTD is refused (entities can read files or exhaust memory); remove it and retry
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

import pandas as pd
import shapely

from geo.errors import DataFileError, GeoError, InvalidGeometryError, UnsupportedFormatError
from geo.io.archive import open_zip, read_member, safe_members
from geo.io.common import DEFAULT_LIMITS, Parsed, ReadRequest, first_line, tick


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


def parse_xml_safely(data: bytes, filename: str, max_depth: int = DEFAULT_LIMITS.max_xml_depth) -> _Node:
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
        if len(stack) > max_depth:
            raise _XMLRefused(f"elements nested deeper than {max_depth}")
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
        raise DataFileError(f"{filename}: cannot read XML: {first_line(exc)}") from None
    if not root.children:
        raise DataFileError(f"{filename}: empty XML document")
    return root.children[0]


def _kml_coords(node: _Node | None, where: str, counter: list[int], max_vertices: int) -> list[tuple]:
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
        if counter[0] > max_vertices:
            raise InvalidGeometryError(f"{where}: more than {max_vertices:,} vertices (limit); simplify it first")
    return out


def _kml_geometry(node: _Node, where: str, counter: list[int], max_vertices: int):
    tag = node.tag
    try:
        if tag == "Point":
            (pt,) = _kml_coords(node.find("coordinates"), where, counter, max_vertices)[:1] or [None]
            if pt is None:
                raise InvalidGeometryError(f"{where}: empty Point")
            return shapely.Point(pt)
        if tag in ("LineString", "LinearRing"):
            return shapely.LineString(_kml_coords(node.find("coordinates"), where, counter, max_vertices))
        if tag == "Polygon":
            outer = node.find("outerBoundaryIs")
            ring = outer.find("LinearRing") if outer is not None else None
            if ring is None:
                raise InvalidGeometryError(f"{where}: Polygon without outer boundary")
            shell = _kml_coords(ring.find("coordinates"), where, counter, max_vertices)
            holes = []
            for inner in node.findall("innerBoundaryIs"):
                for r in inner.findall("LinearRing"):
                    holes.append(_kml_coords(r.find("coordinates"), where, counter, max_vertices))
            return shapely.Polygon(shell, holes)
        if tag == "MultiGeometry":
            parts = [_kml_geometry(c, where, counter, max_vertices) for c in node.children if c.tag in _KML_GEOMETRIES]
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
        raise InvalidGeometryError(f"{where}: malformed {tag}: {first_line(exc)[:120]}") from None
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


def read_kml(data: bytes, req: ReadRequest) -> Parsed:
    """Read the Placemarks of a KML document (name, description, ExtendedData typed by its Schema)."""
    filename, progress, limits = req.filename, req.progress, req.limits
    root = parse_xml_safely(data, filename, limits.max_xml_depth)
    tick(progress, 0.3)
    if root.tag != "kml":
        raise DataFileError(f"{filename}: not KML (root element <{root.tag[:40]}>)")
    types = {}
    for schema in root.iter("Schema"):
        for f in schema.findall("SimpleField"):
            if "name" in f.attrs:
                types[f.attrs["name"]] = f.attrs.get("type", "string")
    records, geoms, warnings = [], [], []
    placemarks = list(root.iter("Placemark"))
    if len(placemarks) > limits.max_features:
        raise DataFileError(f"{filename}: {len(placemarks)} placemarks (limit {limits.max_features})")
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
        geom = _kml_geometry(geom_nodes[0], where, per_feature, limits.max_feature_vertices) if geom_nodes else None
        counter[0] += per_feature[0]
        if counter[0] > limits.max_total_vertices:
            raise InvalidGeometryError(f"{filename}: more than {limits.max_total_vertices:,} vertices in the file")
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
    return Parsed(frame, geoms, "EPSG:4326", warnings)


def read_kmz(data: bytes, req: ReadRequest) -> Parsed:
    """Read the KML document of a KMZ archive (``doc.kml``, else the first ``.kml``)."""
    filename = req.filename
    zf = open_zip(data, filename)
    with zf:
        members = safe_members(zf, filename, req.limits)
        kmls = [m for m in members if m.filename.lower().endswith(".kml")]
        if not kmls:
            raise DataFileError(f"{filename}: KMZ without a .kml document")
        doc = next((m for m in kmls if m.filename.lower() == "doc.kml"), kmls[0])
        inner = read_member(zf, doc, filename)
    return read_kml(inner, req)
