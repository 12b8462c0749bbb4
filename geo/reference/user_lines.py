"""The analyst's own line files: where they are, reading them and writing them.

Two kinds of user lines sit in the user data directory
(:func:`geo.config.data_dir`, i.e. ``$CONTESTED_DATA_DIR``):

* imported lines: ``user_lines.csv`` + ``user_line_vertices.csv``, in the
  format of the shipped ``data/lines.csv`` + ``data/line_vertices.csv``;
* drawn lines: ``drawn_lines.geojson``, a FeatureCollection.

This module is storage only: paths, load and save, and the geometry checks a
stored line must pass when it is read back. Parsing GIS files lives in
:mod:`geo.io`, validating new drawings in :mod:`geo.io.drawn`, renaming and
deleting in :mod:`geo.io.line_registry`. Every writer holds
:func:`geo.atomic.locked` on the directory and replaces files with
:func:`geo.atomic.write_atomic`.

Examples
--------
>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> [p.name for p in user_lines_paths(d)], drawn_file(d).name
(['user_lines.csv', 'user_line_vertices.csv'], 'drawn_lines.geojson')
>>> load_user_lines(d) is None, len(load_drawn(drawn_file(d)))
(True, 0)
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon, shape
from shapely.ops import substring

from geo import config
from geo import schema as S
from geo.atomic import crash_point, write_atomic
from geo.errors import DataFileError, InvalidGeometryError
from geo.reference.lines import load_lines
from geo.vocab import LineKind

__all__ = [
    "DRAWN_COLUMNS",
    "DRAWN_CREATED",
    "DRAWN_FILENAME",
    "DRAWN_PREFIX",
    "DRAWN_QUOTE",
    "MAX_VERTICES",
    "USER_LINES_FILE",
    "USER_VERTICES_FILE",
    "comparable_line",
    "drawn_file",
    "load_drawn",
    "load_user_lines",
    "read_drawn_features",
    "read_user_tables",
    "user_lines_paths",
    "validate_geometry",
    "write_drawn_features",
    "write_user_tables",
]

USER_LINES_FILE = "user_lines.csv"
USER_VERTICES_FILE = "user_line_vertices.csv"
DRAWN_FILENAME = "drawn_lines.geojson"
DRAWN_PREFIX = "drawn_"
DRAWN_QUOTE = "quote"
DRAWN_CREATED = "created"
DRAWN_COLUMNS = [
    S.LINE_ID,
    S.LINE_NAME,
    S.LINE_DATE,
    S.LINE_KIND,
    S.LINE_DRAWN_BY,
    S.LINE_SOURCES,
    S.SOURCE_URL,
    DRAWN_QUOTE,
    DRAWN_CREATED,
]
#: Most vertices a drawn line or area may have.
MAX_VERTICES = 5000

PathLike = str | os.PathLike[str]


# ---------------------------------------------------------------------------
# where
# ---------------------------------------------------------------------------
def user_lines_paths(data_dir: PathLike | None = None) -> tuple[Path, Path]:
    """``(lines.csv, vertices.csv)`` of the imported lines.

    Parameters
    ----------
    data_dir : path, optional
        The directory; default :func:`geo.config.data_dir`.

    Returns
    -------
    tuple of Path
        ``user_lines.csv`` and ``user_line_vertices.csv`` in that directory.
    """
    d = Path(data_dir) if data_dir is not None else config.data_dir()
    return d / USER_LINES_FILE, d / USER_VERTICES_FILE


def drawn_file(data_dir: PathLike | None = None) -> Path:
    """The file of drawn lines, ``drawn_lines.geojson`` in ``data_dir`` (default the user data directory)."""
    return (Path(data_dir) if data_dir is not None else config.data_dir()) / DRAWN_FILENAME


# ---------------------------------------------------------------------------
# imported lines
# ---------------------------------------------------------------------------
def load_user_lines(data_dir: PathLike | None = None) -> gpd.GeoDataFrame | None:
    """The imported lines as :func:`geo.reference.lines.load_lines` builds them, or None without a file."""
    lp, vp = user_lines_paths(data_dir)
    if not lp.exists():
        return None
    return load_lines(lp, vp, ignore_orphan_vertices=True)


def read_user_tables(data_dir: PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(lines, vertices)`` tables of the imported lines, as stored (text columns).

    Vertices of line ids that ``user_lines.csv`` does not list are left out:
    they are what a write interrupted before its commit point leaves behind
    (see :func:`write_user_tables`). No files: two empty tables.

    Raises
    ------
    DataFileError
        When ``user_lines.csv`` exists without its vertex file, or a file
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
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise DataFileError(f"{lp.parent}: cannot read the imported lines: {first}") from None
    for path, frame, cols in ((lp, meta, S.LINE_COLUMNS), (vp, vert, S.VERTEX_COLUMNS)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise DataFileError(f"{path}: missing columns {missing}")
    if S.V_LINE_ID in vert.columns:
        vert = vert[vert[S.V_LINE_ID].isin(set(meta[S.LINE_ID]))].reset_index(drop=True)
    return meta, vert


def _csv_writer(frame: pd.DataFrame):
    return lambda fh: frame.to_csv(fh, index=False, lineterminator="\n")


def write_user_tables(data_dir: PathLike | None, meta: pd.DataFrame, vert: pd.DataFrame) -> None:
    """Replace the imported-lines tables with ``meta`` and ``vert``, crash-safe.

    Call inside :func:`geo.atomic.locked` on the data directory. The one
    commit point is the atomic replacement of ``user_lines.csv``: the vertex
    file is first written with the vertices of the old and new lines (so every
    listed line has its vertices before and after the commit), then the line
    file, then, if lines went away, the vertex file again without theirs. A
    crash at any step leaves the old or the new set of lines, readable.
    """
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


# ---------------------------------------------------------------------------
# drawn lines
# ---------------------------------------------------------------------------
def read_drawn_features(path: PathLike | None = None) -> list[dict]:
    """The raw GeoJSON features of the drawn-lines file (``[]`` when there is none).

    Raises
    ------
    DataFileError
        When the file is not a readable GeoJSON FeatureCollection.
    """
    p = Path(path) if path else drawn_file()
    if not p.exists():
        return []
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{p}: cannot read GeoJSON: {exc}") from exc
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(feats, list):
        raise DataFileError(f"{p}: not a GeoJSON FeatureCollection")
    return feats


def write_drawn_features(path: PathLike, feats: list[dict]) -> None:
    """Replace the drawn-lines file with ``feats`` (atomic; call under :func:`geo.atomic.locked`)."""
    write_atomic(path, json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False))


def _check_coords(coords, what: str) -> None:
    if len(coords) > MAX_VERTICES:
        raise InvalidGeometryError(f"{what} has {len(coords)} vertices; at most {MAX_VERTICES} are accepted")
    for i, c in enumerate(coords):
        if len(c) < 2:
            raise InvalidGeometryError(f"{what}: vertex {i + 1} has no lon/lat")
        lon, lat = float(c[0]), float(c[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InvalidGeometryError(f"{what}: vertex {i + 1} is not a number")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidGeometryError(f"{what}: vertex {i + 1} ({lon}, {lat}) is not a WGS84 lon/lat")


def validate_geometry(geom, what: str = "drawing"):
    """A usable LineString or (Multi)Polygon in EPSG:4326, repaired if needed.

    Parameters
    ----------
    geom : shapely geometry or None
    what : str
        How messages name the geometry.

    Returns
    -------
    LineString or Polygon or MultiPolygon
        Repeated points dropped, polygons repaired by ``make_valid``.

    Raises
    ------
    InvalidGeometryError
        For other types, too few or too many vertices, coordinates outside
        WGS84, a line crossing itself, or a polygon with no area.

    Examples
    --------
    >>> validate_geometry(LineString([(38, 48), (38, 48), (38.1, 48.1)])).wkt
    'LINESTRING (38 48, 38.1 48.1)'
    """
    if geom is None or geom.is_empty:
        raise InvalidGeometryError(f"{what} is empty")
    if geom.geom_type == "LineString":
        coords = list(geom.coords)
        _check_coords(coords, what)
        dedup = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        if len(dedup) < 2:
            raise InvalidGeometryError(f"{what}: a line needs at least two distinct points")
        line = LineString(dedup)
        if not line.is_simple:
            raise InvalidGeometryError(f"{what}: the line crosses itself")
        return line
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        for part in shapely.get_parts(geom):
            _check_coords(list(part.exterior.coords), what)
        fixed = shapely.make_valid(geom)
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type == "Polygon"]
        poly = shapely.union_all(parts) if parts else Polygon()
        if poly.is_empty or poly.area == 0:
            raise InvalidGeometryError(f"{what}: the polygon has no area")
        return poly
    raise InvalidGeometryError(f"{what}: a {geom.geom_type} cannot be used; draw a line or a polygon")


def load_drawn(path: PathLike | None = None) -> gpd.GeoDataFrame:
    """The saved drawings as a GeoDataFrame (``line_id``, ``name``, ``date``, ``kind`` = drawn ...).

    ``sources`` holds the source URL, so that drawn lines can sit next to the
    shipped ones.

    Raises
    ------
    DataFileError
        For an entry that cannot be read, naming the file and the feature.
    """
    p = Path(path) if path else drawn_file()
    rows, geoms = [], []
    for i, feat in enumerate(read_drawn_features(p)):
        props = feat.get("properties") or {}
        try:
            geom = validate_geometry(shape(feat.get("geometry") or {}))
        except Exception as exc:
            raise DataFileError(f"{p}: feature {i + 1}: {exc}") from exc
        lid = str(props.get(S.LINE_ID) or "")
        if not lid.startswith(DRAWN_PREFIX):
            raise DataFileError(f"{p}: feature {i + 1}: field 'line_id' must start with '{DRAWN_PREFIX}'")
        url = str(props.get(S.SOURCE_URL) or "")
        rows.append(
            {
                S.LINE_ID: lid,
                S.LINE_NAME: str(props.get(S.LINE_NAME) or lid),
                S.LINE_DATE: str(props.get(S.LINE_DATE) or ""),
                S.LINE_KIND: LineKind.DRAWN.value,
                S.LINE_DRAWN_BY: str(props.get(S.LINE_DRAWN_BY) or ""),
                S.LINE_SOURCES: url,
                S.SOURCE_URL: url,
                DRAWN_QUOTE: str(props.get(DRAWN_QUOTE) or ""),
                DRAWN_CREATED: str(props.get(DRAWN_CREATED) or ""),
            }
        )
        geoms.append(geom)
    return gpd.GeoDataFrame(rows, columns=DRAWN_COLUMNS, geometry=geoms, crs=S.CRS)


def comparable_line(geom, base: LineString):
    """``geom`` made comparable with lines like ``base``.

    A polygon is returned unchanged (see :func:`geo.analysis.compare.compare_lines`).
    A line is oriented like ``base`` (its end nearer ``base``'s start comes
    first) and, unless it already runs from ``base``'s start region to its
    end region, spliced into ``base``: base up to the point nearest the
    sketch's start, the sketch, then base on from the point nearest its end.

    Examples
    --------
    >>> base = LineString([(0, 0), (10, 0)])
    >>> comparable_line(LineString([(6, 1), (4, 1)]), base).wkt
    'LINESTRING (0 0, 4 0, 4 1, 6 1, 6 0, 10 0)'
    """
    if geom.geom_type != "LineString":
        return geom
    start, end = shapely.Point(geom.coords[0]), shapely.Point(geom.coords[-1])
    s = base.line_locate_point(start)
    e = base.line_locate_point(end)
    if s > e:
        geom = LineString(list(geom.coords)[::-1])
        s, e = e, s
    if s <= 0 and e >= base.length:
        return geom
    head = substring(base, 0, s) if s > 0 else None
    tail = substring(base, e, base.length) if e < base.length else None
    coords = []
    if head is not None and not head.is_empty and head.geom_type == "LineString":
        coords += list(head.coords)
    coords += list(geom.coords)
    if tail is not None and not tail.is_empty and tail.geom_type == "LineString":
        coords += list(tail.coords)
    dedup = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    return LineString(dedup)
