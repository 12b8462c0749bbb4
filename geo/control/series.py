"""Reading a control series: dated polygons of one or more parties from a file, a directory or a zip.

The files are read by :func:`geo.io.read_vector` (its limits and checks);
this module only tells each polygon's date (:mod:`geo.control.dates`,
:mod:`geo.control.kml_time`) and party, and merges the polygons of one party
on one date into one snapshot. A bad file is refused by name with the reason
and the rest of the series is still read.

Examples
--------
>>> import json, shapely
>>> ring = [[37, 48], [38, 48], [38, 49], [37, 49], [37, 48]]
>>> fc = {"type": "FeatureCollection", "features": [
...     {"type": "Feature", "properties": {"date": d}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
...     for d in ("2024-07-08", "2024-07-09")]}
>>> got = read_series_bytes(json.dumps(fc).encode(), "held.geojson", party="ru")
>>> [(s.date.isoformat(), s.party) for s in got.snapshots], got.refused
([('2024-07-08', 'ru'), ('2024-07-09', 'ru')], [])
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import shapely

from geo.cells import is_missing
from geo.control.dates import date_column, date_from_name, date_from_value
from geo.control.kml_time import kmz_document, placemark_dates
from geo.errors import GeoError, ValidationError
from geo.io import AS_CLAIMS, FORMATS, MB, Limits, read_vector
from geo.io.archive import open_zip, read_member, safe_members
from geo.io.common import DEFAULT_LIMITS

#: Called after each file with (files done, files in all, name of the file just read).
SeriesProgress = Callable[[int, int, str], Any] | None

#: Suffixes of the files a directory or zip series is read from.
SERIES_SUFFIXES = tuple(s for f in FORMATS.values() for s in f.suffixes if s != ".txt")
#: Limits of a zip holding a whole series (each member is then read with the per-file limits).
SERIES_ZIP_LIMITS = replace(DEFAULT_LIMITS, max_bytes=500 * MB, max_zip_members=20_000)
MAX_PARTY = 80


@dataclass(frozen=True)
class Snapshot:
    """The area one party holds on one date, as read from a file.

    Attributes
    ----------
    date : datetime.date
    party : str
    geometry : shapely geometry
        A (multi)polygon in EPSG:4326: the union of the party's polygons on that date.
    source : str
        The file (and member) it came from.
    """

    date: dt.date
    party: str
    geometry: Any
    source: str


@dataclass(frozen=True)
class Refusal:
    """A file (or features of it) not imported, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        """``name: reason``."""
        return f"{self.name}: {self.reason}"


@dataclass
class SeriesRead:
    """Everything read from a series: the snapshots, the refusals and remarks, the number of files."""

    snapshots: list[Snapshot] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0


@dataclass(frozen=True)
class PartyRule:
    """How a polygon gets its party: one party for all (``party``) or the value of a property (``field``).

    With both, only the polygons whose ``field`` equals ``party`` are read.
    """

    party: str | None = None
    field: str | None = None

    def check(self) -> PartyRule:
        """Refuse a rule with neither a party nor a field, or an unusable party name."""
        if not self.party and not self.field:
            raise ValidationError("name the party (--party NAME) or the property holding it (--party-field FIELD)")
        if self.party is not None and not (0 < len(self.party.strip()) <= MAX_PARTY):
            raise ValidationError(f"party name must be 1 to {MAX_PARTY} characters")
        return PartyRule(self.party.strip() if self.party else None, self.field)


def _polygonal(geom) -> Any:
    """The polygonal part of ``geom`` (None when it has none)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def merge(polygons: list) -> Any:
    """One valid (multi)polygon from several (their union; a single valid one is kept as it is)."""
    if len(polygons) == 1 and polygons[0].is_valid:
        return polygons[0]
    return shapely.make_valid(shapely.union_all([shapely.make_valid(p) for p in polygons]))


def _kml_dates(data: bytes, name: str, fmt: str, rows: int) -> list | None:
    if fmt not in ("kml", "kmz"):
        return None
    doc = kmz_document(data, name) if fmt == "kmz" else data
    dates = placemark_dates(doc, name) if doc else []
    return dates if len(dates) == rows and any(d is not None for d in dates) else None


def _party_of(value: Any) -> str | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    return text[:MAX_PARTY] or None


def read_file_snapshots(
    data: bytes, name: str, rule: PartyRule, *, date_field: str | None = None, limits: Limits | None = None
) -> tuple[list[Snapshot], list[str]]:
    """The snapshots in one file, and remarks about what was left out.

    The date of a polygon is, in order: its ``date_field`` (or a guessed date
    property), its KML time or dated folder, the date in the file name.

    Raises
    ------
    GeoError
        The file cannot be read, holds no polygon of the party, or has no date.
    """
    result = read_vector(data, name, as_=AS_CLAIMS, limits=limits)
    gdf = result.gdf
    notes: list[str] = []
    col = date_column(list(result.fields), date_field)
    if date_field and col is None:
        raise ValidationError(f"no property {date_field!r} (properties: {', '.join(result.fields) or 'none'})")
    kml = None if col else _kml_dates(data, name, result.source_format, len(gdf))
    fallback = date_from_name(name)
    groups: dict[tuple[dt.date, str], list] = {}
    no_date = no_party = not_area = 0
    for i, geom in enumerate(gdf.geometry.values):
        poly = _polygonal(geom)
        if poly is None:
            not_area += 1
            continue
        if rule.field:
            party = _party_of(gdf[rule.field].iloc[i]) if rule.field in gdf.columns else None
            if party is None or (rule.party and party != rule.party):
                no_party += 1
                continue
        else:
            party = rule.party
        when = date_from_value(gdf[col].iloc[i]) if col else (kml[i] if kml else None)
        when = when or (None if col else fallback)
        if when is None:
            no_date += 1
            continue
        groups.setdefault((when, party), []).append(poly)
    if rule.field and rule.field not in gdf.columns:
        raise ValidationError(f"no property {rule.field!r} to read the party from")
    if not_area:
        notes.append(f"{not_area} feature(s) without a polygon left out")
    if no_party:
        notes.append(f"{no_party} polygon(s) of another or no party left out")
    if no_date:
        where = f"property {col!r}" if col else "name, properties or KML time"
        notes.append(f"{no_date} polygon(s) without a readable date ({where}) left out")
    if not groups:
        if no_date and not col and fallback is None:
            raise ValidationError("no date in the file name (..._YYYYMMDD..., YYYY-MM-DD), properties or KML time")
        raise ValidationError("no polygon to import" + (f" ({'; '.join(notes)})" if notes else ""))
    snaps = [Snapshot(d, p, merge(polys), name) for (d, p), polys in sorted(groups.items())]
    return snaps, notes


def _read_into(out: SeriesRead, data: bytes, name: str, rule: PartyRule, date_field, limits) -> None:
    try:
        snaps, notes = read_file_snapshots(data, name, rule, date_field=date_field, limits=limits)
    except GeoError as exc:
        reason = str(exc).strip().splitlines()[0]
        prefix = f"{PurePosixPath(name).name}: "
        out.refused.append(Refusal(name, reason[len(prefix) :] if reason.startswith(prefix) else reason))
        return
    out.snapshots.extend(snaps)
    out.warnings.extend(f"{name}: {n}" for n in notes)


def _is_series_member(name: str) -> bool:
    base = PurePosixPath(name).name
    return not base.startswith(".") and base.lower().endswith(SERIES_SUFFIXES) and not base.endswith(".meta.json")


def read_series_bytes(
    data: bytes,
    name: str,
    *,
    party: str | None = None,
    party_field: str | None = None,
    date_field: str | None = None,
    limits: Limits | None = None,
    progress: SeriesProgress = None,
) -> SeriesRead:
    """Read a series from the content of one file: a GIS file, or a zip of dated GIS files.

    A zip holding a ``.shp`` is one zipped Shapefile; any other zip is a
    series, one snapshot file per member. See :func:`read_series`.
    """
    rule = PartyRule(party, party_field).check()
    out = SeriesRead()
    if name.lower().endswith(".zip"):
        with open_zip(data, name) as zf:
            members = safe_members(zf, name, SERIES_ZIP_LIMITS)
            if not any(m.filename.lower().endswith(".shp") for m in members):
                chosen = sorted((m for m in members if _is_series_member(m.filename)), key=lambda m: m.filename)
                for k, info in enumerate(chosen):
                    try:
                        member = read_member(zf, info, name)
                    except GeoError as exc:
                        out.refused.append(Refusal(info.filename, str(exc)))
                    else:
                        _read_into(out, member, info.filename, rule, date_field, limits)
                    out.files += 1
                    if progress is not None:
                        progress(k + 1, len(chosen), info.filename)
                if not chosen:
                    out.refused.append(Refusal(name, "the archive holds no GIS files"))
                return out
    _read_into(out, data, name, rule, date_field, limits)
    out.files = 1
    if progress is not None:
        progress(1, 1, name)
    return out


def read_series(
    path: str | os.PathLike,
    *,
    party: str | None = None,
    party_field: str | None = None,
    date_field: str | None = None,
    limits: Limits | None = None,
    progress: SeriesProgress = None,
    jobs: int = 1,
) -> SeriesRead:
    """Read a control series from a file, a directory or a zip.

    Parameters
    ----------
    path : path
        One file (dates per feature, per KML placemark or folder, or in its
        name), a directory of files dated by name, or a zip of such files.
    party, party_field : str, optional
        The party of every polygon, or the property holding each polygon's
        party (both: only that party's polygons).
    date_field : str, optional
        The property holding each feature's date (default: guessed).
    limits : Limits, optional
        Per-file limits (default :data:`geo.io.DEFAULT_LIMITS`).
    progress : callable, optional
        ``progress(done, total, name)`` after each file.
    jobs : int, optional
        Processes that parse the files of a directory (default 1: in this
        process). Parsing is CPU-bound, so ``2`` on a 2-core machine halves the
        wall time of a long series; the result is the same, in the same order.

    Returns
    -------
    SeriesRead
        Snapshots in the order read; refused files with their reasons.

    Raises
    ------
    DataFileError
        The path does not exist, or a directory holds no GIS files.
    """
    path = Path(path)
    rule = PartyRule(party, party_field).check()
    limits = limits or DEFAULT_LIMITS
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and _is_series_member(p.name))
        if not files:
            raise ValidationError(f"{path.name}: no GIS files in the directory (use {', '.join(SERIES_SUFFIXES)})")
        out = SeriesRead()
        tasks = [(file, rule, date_field, limits) for file in files]
        for k, part in enumerate(_map_files(tasks, jobs)):
            out.snapshots.extend(part.snapshots)
            out.refused.extend(part.refused)
            out.warnings.extend(part.warnings)
            out.files += 1
            if progress is not None:
                progress(k + 1, len(files), files[k].name)
        return out
    max_bytes = SERIES_ZIP_LIMITS.max_bytes if path.suffix.lower() == ".zip" else limits.max_bytes
    data = _read_bytes(path, max_bytes)
    return read_series_bytes(
        data,
        path.name,
        party=rule.party,
        party_field=rule.field,
        date_field=date_field,
        limits=limits,
        progress=progress,
    )


def _read_path(task: tuple) -> SeriesRead:
    """One file of a directory read into its own :class:`SeriesRead` (runs in a worker process too)."""
    file, rule, date_field, limits = task
    out = SeriesRead()
    try:
        data = _read_bytes(file, limits.max_bytes)
    except GeoError as exc:
        out.refused.append(Refusal(file.name, str(exc)))
    else:
        _read_into(out, data, file.name, rule, date_field, limits)
    return out


def _map_files(tasks: list[tuple], jobs: int) -> Iterator[SeriesRead]:
    """:func:`_read_path` of every task, in order; over a pool of ``jobs`` processes when it is above 1."""
    if jobs <= 1 or len(tasks) < 2 * jobs:
        yield from map(_read_path, tasks)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_read_path, tasks, chunksize=max(1, min(16, len(tasks) // (4 * jobs))))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValidationError(f"{path.name}: {size / MB:.1f} MB is over the {max_bytes / MB:.0f} MB limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path.name}: file not found") from None
    except IsADirectoryError:
        raise ValidationError(f"{path.name}: not a regular file") from None
    except OSError as exc:
        raise ValidationError(f"{path.name}: cannot read: {exc.strerror}") from None
