"""Reference lines: agreed separation lines and dated lines of contact.

A reference line is an ordered list of vertices (lon, lat) with its date,
kind, who drew or agreed it, its sources and the method used. Lines are read
from ``data/lines.csv`` (one row per line) and ``data/line_vertices.csv``
(one row per vertex).

Which party holds which side of a line is not read from its direction or
compass bearing: each line carries an explicit side rule (a point on the
party's side, or left/right of the line's direction), applied by
:mod:`geo.analysis.sides`.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from geo import schema as S
from geo.config import LINES_FILE, VERTICES_FILE
from geo.errors import DataFileError
from geo.measure import geodesic_length_km
from geo.reference.tables import read_table
from geo.vocab import LineKind


def lines_from_frames(meta: pd.DataFrame, vertices: pd.DataFrame, *, origin: str = "lines") -> gpd.GeoDataFrame:
    """Build a GeoDataFrame of LineStrings from line metadata and vertex rows.

    Raises
    ------
    DataFileError
        naming the line and row when a vertex is not a finite WGS84 coordinate,
        a line has fewer than two vertices, its vertices are not in ``seq`` order
        without gaps, or it crosses itself.
    """
    v = vertices.copy()
    try:
        v[S.V_LON] = pd.to_numeric(v[S.V_LON])
        v[S.V_LAT] = pd.to_numeric(v[S.V_LAT])
        v[S.V_SEQ] = pd.to_numeric(v[S.V_SEQ]).astype(int)
    except (ValueError, TypeError) as exc:
        raise DataFileError(f"{origin}: non-numeric lon/lat/seq: {exc}") from exc
    bad = ~(
        np.isfinite(v[S.V_LON]) & np.isfinite(v[S.V_LAT]) & v[S.V_LON].between(-180, 180) & v[S.V_LAT].between(-90, 90)
    )
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(f"{origin}: row {i + 2}: field 'lon'/'lat' is not a WGS84 coordinate")
    geoms, lengths = [], []
    meta = meta.copy()
    # The vertices of every line found in one pass (a scan per line would cost lines x vertices).
    rows_of = v.groupby(S.V_LINE_ID, sort=False).indices
    none = np.empty(0, dtype=np.intp)
    lonlat = v[[S.V_LON, S.V_LAT]].to_numpy(dtype=float)
    seq = v[S.V_SEQ].to_numpy()
    for line_id in meta[S.LINE_ID]:
        rows = rows_of.get(line_id, none)
        if len(rows) < 2:
            raise DataFileError(f"{origin}: line '{line_id}' has {len(rows)} vertices, needs at least 2")
        rows = rows[np.argsort(seq[rows], kind="stable")]
        if (np.diff(seq[rows]) == 0).any():
            raise DataFileError(f"{origin}: line '{line_id}' repeats a seq number")
        geom = LineString(lonlat[rows])
        if not geom.is_simple:
            raise DataFileError(f"{origin}: line '{line_id}' crosses itself")
        geoms.append(geom)
        lengths.append(geodesic_length_km(geom))
    unknown = sorted(set(v[S.V_LINE_ID]) - set(meta[S.LINE_ID]))
    if unknown:
        raise DataFileError(f"{origin}: vertices for unknown line ids {unknown}")
    meta["length_km"] = lengths
    meta[S.LINE_PRECISION_KM] = pd.to_numeric(meta[S.LINE_PRECISION_KM], errors="coerce")
    return gpd.GeoDataFrame(meta, geometry=geoms, crs=S.CRS)


def load_lines(
    lines_path: str | Path | None = None,
    vertices_path: str | Path | None = None,
    *,
    ignore_orphan_vertices: bool = False,
) -> gpd.GeoDataFrame:
    """Read the reference lines shipped in ``data/`` (or the given files).

    With ``ignore_orphan_vertices``, vertices of line ids the line file does
    not list are dropped instead of refused (what an interrupted write of the
    imported lines leaves behind, see :func:`geo.reference.user_lines.write_user_tables`).
    """
    lp = Path(lines_path) if lines_path else LINES_FILE
    vp = Path(vertices_path) if vertices_path else VERTICES_FILE
    meta = read_table(lp, S.LINE_COLUMNS)
    vertices = read_table(vp, S.VERTEX_COLUMNS)
    if ignore_orphan_vertices:
        vertices = vertices[vertices[S.V_LINE_ID].isin(set(meta[S.LINE_ID]))].reset_index(drop=True)
    if meta[S.LINE_ID].duplicated().any():
        raise DataFileError(f"{lp}: duplicate line_id")
    for i, d in enumerate(meta[S.LINE_DATE]):
        try:
            dt.date.fromisoformat(d)
        except ValueError as exc:
            raise DataFileError(f"{lp}: row {i + 2}: field 'date': {d!r} is not YYYY-MM-DD") from exc
    return lines_from_frames(meta, vertices, origin=str(vp)).sort_values(S.LINE_DATE).reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def reference_lines() -> gpd.GeoDataFrame:
    """The shipped lines, loaded once per process (treat as read-only)."""
    return load_lines()


def line_vertices(vertices_path: str | Path | None = None) -> pd.DataFrame:
    """The vertex table (with settlement names) of the shipped lines."""
    vp = Path(vertices_path) if vertices_path else VERTICES_FILE
    return read_table(vp, S.VERTEX_COLUMNS)


def line_in_force(
    lines: gpd.GeoDataFrame, date: dt.date | str, *, kinds=(LineKind.AGREED, LineKind.CONTACT), fallback: bool = False
) -> str | None:
    """The id of the latest line of the given kinds dated on or before ``date``.

    With ``fallback`` the earliest such line after ``date`` is used when none
    is earlier; otherwise ``None``.
    """
    date = dt.date.fromisoformat(str(date)[:10])
    cand = lines[lines[S.LINE_KIND].isin(kinds)].sort_values(S.LINE_DATE)
    if cand.empty:
        return None
    dates = cand[S.LINE_DATE].map(dt.date.fromisoformat)
    before = cand[dates <= date]
    if len(before):
        return str(before.iloc[-1][S.LINE_ID])
    return str(cand.iloc[0][S.LINE_ID]) if fallback else None


def simple_lines(lines) -> bool:
    """True if every line in the array is simple (no self-intersection)."""
    return bool(np.all(shapely.is_simple(np.asarray(lines))))
