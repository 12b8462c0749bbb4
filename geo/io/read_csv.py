r"""Reader of CSV (and TSV/TXT) tables with a WKT column or lon/lat columns.

The delimiter is sniffed (``, ; tab |``); geometry columns are found by header
name unless given. Point rows become points, or, when importing lines, one
line per value of a ``line_id``/``line``/``id``/``name`` column (vertices in
``seq`` order). A ``<file>.meta.json`` sidecar written by
:func:`geo.io.export.export_layer` restores column types.

Examples
--------
>>> from geo.io.formats import Limits
>>> data = b"name,lon,lat\nA,37.5,48.0\nA,37.8,48.2\n"
>>> parsed = read_csv(data, ReadRequest("a.csv", Limits()))
>>> parsed.geoms[0].wkt, parsed.warnings
('LINESTRING (37.5 48, 37.8 48.2)', ['built 1 line(s) from 2 vertex rows'])
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.errors import DataFileError, InvalidGeometryError
from geo.io.common import AS_LINE, MB, Parsed, ReadRequest, decode_text, first_line, pick, plain_error, tick

WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "geometry_wkt", "shape")
LON_NAMES = ("lon", "lng", "long", "longitude", "x")
LAT_NAMES = ("lat", "latitude", "y")
LINE_KEY_NAMES = ("line_id", "line", "id", "name")
SEQ_NAMES = ("seq", "order", "vertex", "index")


def read_csv(data: bytes, req: ReadRequest) -> Parsed:
    """Read a CSV table; its sidecar (``req.sidecar``), if any, restores column types."""
    parsed = _read_table(data, req)
    if req.sidecar is None:
        return parsed
    return parsed._replace(frame=_apply_csv_types(parsed.frame, req.sidecar))


def _read_table(data: bytes, req: ReadRequest) -> Parsed:
    filename, progress, limits, as_ = req.filename, req.progress, req.limits, req.as_
    wkt_column, lonlat = req.wkt_column, req.lonlat_columns
    text = decode_text(data, filename)
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
        raise DataFileError(f"{filename}: cannot read CSV: {first_line(exc)}") from None
    tick(progress, 0.3)
    cols = [str(c) for c in table.columns]
    if len(set(cols)) != len(cols):
        raise DataFileError(f"{filename}: repeated column names")
    if len(table) > limits.max_features:
        raise DataFileError(f"{filename}: {len(table)} rows (limit {limits.max_features})")
    if wkt_column is not None and wkt_column not in cols:
        raise DataFileError(f"{filename}: no column '{wkt_column}'; columns: {cols}")
    if lonlat is not None:
        missing = [c for c in lonlat if c not in cols]
        if missing:
            raise DataFileError(f"{filename}: no column(s) {missing}; columns: {cols}")
    if wkt_column is None and lonlat is None:
        wkt_column = pick(cols, WKT_NAMES)
        if wkt_column is None:
            lon, lat = pick(cols, LON_NAMES), pick(cols, LAT_NAMES)
            if lon is None or lat is None:
                raise DataFileError(
                    f"{filename}: no geometry columns found (looked for a WKT column "
                    f"named {'/'.join(WKT_NAMES)} or lon/lat columns); name them "
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
            if len(value) > 40 * limits.max_feature_vertices:
                raise InvalidGeometryError(
                    f"{filename}: row {i + 2}: WKT too long (vertex limit {limits.max_feature_vertices:,})"
                )
            try:
                geom = shapely.from_wkt(value)
            except Exception as exc:  # noqa: BLE001 - GEOS errors
                raise InvalidGeometryError(
                    f"{filename}: row {i + 2}: field '{wkt_column}' is not valid WKT ({plain_error(exc)[:100]})"
                ) from None
            vertices += int(shapely.get_num_coordinates(geom))
            if vertices > limits.max_total_vertices:
                raise InvalidGeometryError(f"{filename}: more than {limits.max_total_vertices:,} vertices in the file")
            geoms.append(geom)
        frame = table.drop(columns=[wkt_column])
        return Parsed(frame, geoms, None, [])
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
        return Parsed(frame, list(shapely.points(points)), None, [])
    key = pick(list(frame.columns), LINE_KEY_NAMES)
    seq = pick(list(frame.columns), SEQ_NAMES)
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
    return Parsed(frame, geoms, None, [f"built {len(geoms)} line(s) from {len(table)} vertex rows"])


def _apply_csv_types(frame: pd.DataFrame, sidecar: Path) -> pd.DataFrame:
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
