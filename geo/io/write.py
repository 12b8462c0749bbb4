r"""Encoders: normalised features (:func:`geo.io.normalise.prepare`) to the bytes of one file format.

Each writer has the signature ``(frame, features, meta, layer) -> bytes`` that
:data:`geo.io.formats.FORMATS` expects: ``frame`` holds the normalised
geometries, ``features`` the same as GeoJSON dicts, ``meta`` the export
metadata (:func:`geo.io.normalise.metadata`) and ``layer`` the layer name.
CSV cells that a spreadsheet would run as a formula are neutralised
(:func:`csv_safe_cell`); XML text loses the control characters XML 1.0 cannot
carry (:func:`xml_text`).

Examples
--------
>>> csv_unsafe_cell(csv_safe_cell("=SUM(A1)"))
'=SUM(A1)'
>>> xml_text("a\x00b") == "a\ufffdb"
True
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo import schema as S
from geo.claims.provenance import SOURCE_FIELDS, SOURCES_COLUMN, parse_sources
from geo.errors import DataFileError
from geo.io.normalise import (
    GENERATOR,
    META_APP_VERSION,
    META_CONTENT_HASH,
    META_GENERATOR,
    json_value,
    with_area_method,
)

#: Column holding the geometry as WKT in CSV files (GDAL's CSV driver reads it).
CSV_WKT_COLUMN = "WKT"
#: GeoPackage table of the sources of every feature (see :mod:`geo.claims.provenance`), keyed by ``feature_fid``.
GPKG_SOURCES_TABLE = "claim_sources"
KML_NS = "http://www.opengis.net/kml/2.2"

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


def write_geojson_bytes(frame: gpd.GeoDataFrame, features: list[dict], meta: dict, layer: str) -> bytes:
    """RFC 7946 GeoJSON (UTF-8): a FeatureCollection with the metadata as foreign members."""
    return geojson_bytes({"type": "FeatureCollection", **meta, "features": features})


def geojson_bytes(data: dict) -> bytes:
    """``data`` as UTF-8 JSON text with a final newline (NaN refused)."""
    return (json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n").encode()


def _gpkg_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if out[col].dtype == object:
            values = [json_value(v) for v in out[col]]
            if all(v is None or isinstance(v, str) for v in values):
                out[col] = pd.Series(values, index=out.index, dtype=object)
            else:
                out[col] = pd.Series(
                    [None if v is None else str(v) for v in values],
                    index=out.index,
                    dtype=object,
                )
    return out


def write_gpkg(frame: gpd.GeoDataFrame, features: list[dict], meta: dict, layer: str) -> bytes:
    """A GeoPackage 1.2 with the layer, its metadata and the claim sources table (if any)."""
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


def write_csv(frame: gpd.GeoDataFrame, features: list[dict], meta: dict, layer: str) -> bytes:
    """CSV (RFC 4180 line ends) with the geometry as WKT; the metadata goes to a sidecar (:func:`csv_types`)."""
    geom_col = frame.geometry.name
    table = pd.DataFrame({str(c): [json_value(v) for v in frame[c]] for c in frame.columns if c != geom_col})
    table[CSV_WKT_COLUMN] = [
        "" if g is None else shapely.to_wkt(g, rounding_precision=-1) for g in frame.geometry.values
    ]
    buf = io.StringIO()
    csv_safe_frame(table).to_csv(buf, index=False, lineterminator=CSV_LINE_END)
    return buf.getvalue().encode("utf-8")


def csv_types(gdf: gpd.GeoDataFrame) -> dict[str, str]:
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
    value = json_value(value)
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


def write_kml(frame: gpd.GeoDataFrame, features: list[dict], meta: dict, layer: str) -> bytes:
    """KML 2.2: one Folder of Placemarks with typed SchemaData; the metadata in the Document."""
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
            value = json_value(frame[name_col].iloc[i])
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
