"""A theatre's own tables as frames: its reference lines and claims, and adding a line to a user theatre.

The registry store (:mod:`geo.claims.store`) is seeded from one shipped theatre
(``geo.config.SEED_THEATRE_DIR``); :func:`in_registry` tells whether a theatre is that one.
The other theatres' lines and claims are read here from their directories.

A line added with :func:`add_line` carries its side rule in the columns :data:`SIDE_COLUMNS`
(the same as the shipped ``lines.csv`` files): ``side_rule`` is ``point`` (``side_party``
holds the side of the line containing ``side_lon``/``side_lat``), ``left`` or ``right``
(``side_party`` holds that side of the line's direction, first vertex to last) or empty
(no rule: the line is drawn, never split into sides); ``other_party`` holds the other side.

Examples
--------
>>> from geo.theatres.catalogue import get_theatre
>>> lines = theatre_lines(get_theatre("korea-1953"))
>>> list(lines["line_id"]), lines.crs.to_epsg()
(['mdl_1953_07_27'], 4326)
>>> claims = theatre_claims(get_theatre("korea-1953"))
>>> len(claims) >= 5, set(claims["reference_line"]) <= {"", "mdl_1953_07_27"}
(True, True)
>>> in_registry(get_theatre("donbas-2014-15")), in_registry(get_theatre("korea-1953"))
(True, False)
>>> check_side_rule("point", "unc", "kpa_cpv", 127.0, 37.7, ["unc", "kpa_cpv"])
('point', 'unc', 'kpa_cpv', '127.0', '37.7')
>>> check_side_rule("east", "unc", "kpa_cpv", None, None, ["unc", "kpa_cpv"])
Traceback (most recent call last):
...
geo.errors.TheatreError: side rule 'east' is not one of point, left, right (or empty for none)
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import config
from geo import schema as S
from geo.atomic import write_atomic
from geo.auth import Action, Principal, authorize
from geo.errors import DataFileError, TheatreError
from geo.reference.lines import lines_from_frames
from geo.reference.seed import load_seed_claims
from geo.reference.tables import read_table
from geo.theatres.catalogue import get_theatre
from geo.theatres.model import ID_RE, Theatre

LINES_TABLE = "lines.csv"
VERTICES_TABLE = "line_vertices.csv"
CLAIMS_TABLE = "claims.csv"
SOURCES_TABLE = "sources.csv"
#: Side-rule columns of a theatre's ``lines.csv``.
SIDE_RULE, SIDE_PARTY, OTHER_PARTY, SIDE_LON, SIDE_LAT = (
    "side_rule",
    "side_party",
    "other_party",
    "side_lon",
    "side_lat",
)
SIDE_COLUMNS = [SIDE_RULE, SIDE_PARTY, OTHER_PARTY, SIDE_LON, SIDE_LAT]
#: Side rules a line added here may carry ("" for none).
SIDE_RULES = ("point", "left", "right")
#: Line kinds a line added here may carry.
LINE_KINDS = ("agreed", "contact", "claimed", "drawn")


def in_registry(theatre: Theatre) -> bool:
    """Whether ``theatre`` is the one the claims registry is seeded from (its claims live in the store)."""
    return theatre.shipped and Path(theatre.path).resolve() == Path(config.SEED_THEATRE_DIR).resolve()


def empty_lines() -> gpd.GeoDataFrame:
    """A lines frame without rows (the columns of :func:`theatre_lines`)."""
    return gpd.GeoDataFrame({c: pd.Series(dtype=str) for c in S.LINE_COLUMNS}, geometry=[], crs=S.CRS)


def theatre_lines(theatre: Theatre) -> gpd.GeoDataFrame:
    """The theatre's reference lines (EPSG:4326), by date; an empty frame when it has none.

    Vertices of a line id the line table does not list (left by an interrupted
    :func:`add_line`) are ignored.

    Raises
    ------
    geo.errors.DataFileError
        Naming the file and row when a table cannot be read or a line cannot be built.
    """
    if not (theatre.has_table(LINES_TABLE) and theatre.has_table(VERTICES_TABLE)):
        return empty_lines()
    meta = read_table(theatre.table_path(LINES_TABLE), S.LINE_COLUMNS)
    vertices = read_table(theatre.table_path(VERTICES_TABLE), [S.V_LINE_ID, S.V_SEQ, S.V_LON, S.V_LAT])
    if meta.empty:
        return empty_lines()
    vertices = vertices[vertices[S.V_LINE_ID].isin(set(meta[S.LINE_ID]))]
    gdf = lines_from_frames(meta, vertices, origin=str(theatre.table_path(VERTICES_TABLE)))
    return gdf.sort_values(S.LINE_DATE, kind="stable").reset_index(drop=True)


def theatre_claims(theatre: Theatre) -> pd.DataFrame:
    """The theatre's claims joined with their sources (as :func:`geo.reference.seed.load_seed_claims`).

    An empty frame with the claim and source columns when the theatre has no ``claims.csv``.
    """
    if not theatre.has_table(CLAIMS_TABLE):
        return pd.DataFrame({c: pd.Series(dtype=str) for c in dict.fromkeys(S.CLAIM_COLUMNS + S.SOURCE_COLUMNS)})
    if not theatre.has_table(SOURCES_TABLE):
        raise DataFileError(f"{theatre.table_path(SOURCES_TABLE)}: file not found (the claims cite sources)")
    return load_seed_claims(theatre.table_path(CLAIMS_TABLE), theatre.table_path(SOURCES_TABLE))


def _number(value, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TheatreError(f"side point {what} {value!r} is not a number") from None
    if not math.isfinite(x):
        raise TheatreError(f"side point {what} {value!r} is not a finite number")
    return x


def check_side_rule(
    rule: str, party: str, other: str, lon, lat, party_ids: Sequence[str]
) -> tuple[str, str, str, str, str]:
    """The side-rule cells ``(side_rule, side_party, other_party, side_lon, side_lat)``, checked.

    Raises
    ------
    geo.errors.TheatreError
        For an unknown rule, a party that is not one of ``party_ids``, the same party on both
        sides, or a ``point`` rule without a WGS84 point.
    """
    rule = (rule or "").strip()
    if not rule:
        return "", "", "", "", ""
    if rule not in SIDE_RULES:
        raise TheatreError(f"side rule {rule!r} is not one of {', '.join(SIDE_RULES)} (or empty for none)")
    for who, pid in (("party holding the side", party), ("other party", other)):
        if pid not in party_ids:
            raise TheatreError(f"{who} {pid!r} is not a party of the theatre ({', '.join(party_ids)})")
    if party == other:
        raise TheatreError(f"the same party {party!r} cannot hold both sides; choose another 'other party'")
    if rule != "point":
        return rule, party, other, "", ""
    x, y = _number(lon, "longitude"), _number(lat, "latitude")
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise TheatreError(f"side point ({x}, {y}) is not a WGS84 longitude/latitude")
    return rule, party, other, repr(x), repr(y)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def add_line(
    theatre_id: str,
    line_id: str,
    name: str,
    coords: Iterable[tuple[float, float]],
    *,
    date: str,
    kind: str = "drawn",
    side: tuple = ("", "", "", None, None),
    precision_km: float | None = None,
    method: str = "",
    data_dir: str | Path | None = None,
    user: Principal | str | None = None,
) -> gpd.GeoDataFrame:
    """Add a reference line with its side rule to a user theatre; return the theatre's lines.

    ``user`` must be an admin (:func:`geo.auth.authorize`; None: the embedded mode's
    local admin); read-only mode refuses.

    Parameters
    ----------
    theatre_id, line_id, name : str
        The user theatre, a new line id (``^[a-z0-9][a-z0-9_-]{1,62}$``) and a display name.
    coords : iterable of (lon, lat)
        The line's vertices (EPSG:4326), in the order that gives its direction.
    date : str
        ``YYYY-MM-DD``: when the line was drawn or agreed.
    side : tuple
        ``(rule, party, other party, lon, lat)`` as :func:`check_side_rule` takes them.

    Raises
    ------
    geo.errors.TheatreError
        A shipped theatre (read-only), a bad id, name, date, kind or side rule, a taken line id;
        nothing is written.
    geo.errors.DataFileError
        When the line cannot be built (fewer than two vertices, crossing itself...).
    """
    authorize(user, Action.MANAGE_THEATRES)
    theatre = get_theatre(theatre_id, data_dir)
    if theatre.shipped:
        raise TheatreError(f"theatre '{theatre.id}' is shipped with the app and read-only; create or import a copy")
    line_id = (line_id or "").strip()
    if not ID_RE.match(line_id):
        raise TheatreError(f"{line_id!r} is not a line id: use 2-63 of a-z, 0-9, '_' and '-'")
    if not (name or "").strip():
        raise TheatreError("a line needs a name")
    try:
        dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        raise TheatreError(f"line date {date!r} is not a date YYYY-MM-DD") from None
    if kind not in LINE_KINDS:
        raise TheatreError(f"line kind {kind!r} is not one of {', '.join(LINE_KINDS)}")
    side_cells = check_side_rule(*side, theatre.party_ids)
    old_meta = (
        read_table(theatre.table_path(LINES_TABLE), S.LINE_COLUMNS)
        if theatre.has_table(LINES_TABLE)
        else pd.DataFrame(columns=S.LINE_COLUMNS)
    )
    old_vert = (
        read_table(theatre.table_path(VERTICES_TABLE), S.VERTEX_COLUMNS)
        if theatre.has_table(VERTICES_TABLE)
        else pd.DataFrame(columns=S.VERTEX_COLUMNS)
    )
    if line_id in set(old_meta[S.LINE_ID]):
        raise TheatreError(f"theatre '{theatre.id}' already has a line '{line_id}'; choose another id")
    row = {
        S.LINE_ID: line_id,
        S.LINE_NAME: name.strip(),
        S.LINE_DATE: date,
        S.LINE_KIND: kind,
        S.LINE_DRAWN_BY: "",
        S.LINE_AGREED_BY: "",
        S.LINE_PRECISION_KM: "" if precision_km is None else repr(float(precision_km)),
        S.LINE_SOURCES: "",
        S.LINE_METHOD: method.strip(),
        **dict(zip(SIDE_COLUMNS, side_cells)),
    }
    pts = [(float(x), float(y)) for x, y in coords]
    vert = pd.DataFrame(
        {
            S.V_LINE_ID: line_id,
            S.V_SEQ: [str(i) for i in range(len(pts))],
            S.V_LON: [repr(round(x, 6)) for x, _ in pts],
            S.V_LAT: [repr(round(y, 6)) for _, y in pts],
        }
    ).reindex(columns=S.VERTEX_COLUMNS, fill_value="")
    meta = pd.concat([old_meta, pd.DataFrame([row])], ignore_index=True).fillna("")
    meta = meta.reindex(columns=list(dict.fromkeys(list(old_meta.columns) + S.LINE_COLUMNS + SIDE_COLUMNS)))
    vertices = pd.concat([old_vert, vert], ignore_index=True).fillna("")
    lines_from_frames(meta.iloc[[-1]], vert, origin=f"line '{line_id}'")  # refuses a bad line before writing
    # Vertices first: a crash in between leaves orphan vertices, which theatre_lines ignores.
    write_atomic(theatre.table_path(VERTICES_TABLE), _csv_bytes(vertices))
    write_atomic(theatre.table_path(LINES_TABLE), _csv_bytes(meta.fillna("")))
    return theatre_lines(get_theatre(theatre_id, data_dir))
