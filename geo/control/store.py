"""The control-snapshot store: one SQLite file, ``$CONTESTED_DATA_DIR/control.sqlite``.

Tables
------
``geometries(hash, wkb, vertices)``
    Each distinct geometry once, as zlib-compressed WKB (EPSG:4326), keyed by
    the SHA-256 of its normalised WKB: a day identical to another is stored once.
``snapshots(theatre, series, party, date, hash, source, imported_at)``
    One row per (theatre, series, party, date), pointing at its geometry.
``measures(hash, regions_key, total_km2, outside_km2, per_region)``
    The area of a geometry in a set of regions, computed once
    (:mod:`geo.control.measure`): adding a day measures that day only.

Every import is one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction, so a
failed import leaves the file as it was; WAL journal and ``synchronous=FULL``
as in the claims store.

Examples
--------
>>> import shapely
>>> g = shapely.box(37, 48, 38, 49)
>>> geometry_hash(g) == geometry_hash(shapely.Polygon(list(g.exterior.coords)[::-1]))
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

import shapely

from geo.auth import Action, Principal, authorize
from geo.config import data_dir
from geo.errors import StoreError, ValidationError

#: The store's file name inside the user data directory.
STORE_FILE = "control.sqlite"
#: Series name used when none is given.
DEFAULT_SERIES = "default"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS geometries (
        hash TEXT PRIMARY KEY NOT NULL, wkb BLOB NOT NULL, vertices INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        theatre TEXT NOT NULL, series TEXT NOT NULL, party TEXT NOT NULL, date TEXT NOT NULL,
        hash TEXT NOT NULL REFERENCES geometries(hash), source TEXT, imported_at TEXT NOT NULL,
        PRIMARY KEY (theatre, series, party, date))""",
    """CREATE TABLE IF NOT EXISTS measures (
        hash TEXT NOT NULL, regions_key TEXT NOT NULL, total_km2 REAL NOT NULL,
        outside_km2 REAL NOT NULL, per_region TEXT NOT NULL, PRIMARY KEY (hash, regions_key))""",
    "CREATE INDEX IF NOT EXISTS snapshots_hash ON snapshots(hash)",
)


def canonical(geom):
    """``geom`` in normal form (ring order and orientation fixed), 2D: equal shapes give equal WKB."""
    return shapely.normalize(shapely.force_2d(geom))


def canonical_wkb(geom) -> bytes:
    """The WKB (little-endian) of ``geom`` in :func:`canonical` form: what is stored and hashed."""
    return shapely.to_wkb(canonical(geom), byte_order=1)


def geometry_hash(geom) -> str:
    """SHA-256 (hex) of the canonical WKB of ``geom``: the same shape on two days gives the same hash."""
    return hashlib.sha256(canonical_wkb(geom)).hexdigest()


def store_path(path: str | os.PathLike | None = None) -> Path:
    """The store file: ``path`` if given, else ``control.sqlite`` in :func:`geo.config.data_dir`."""
    return Path(path) if path else data_dir() / STORE_FILE


def check_date(value: str | dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` text (or date) as a date; ValidationError naming the value otherwise.

    >>> check_date("2024-07-08")
    datetime.date(2024, 7, 8)
    """
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"not a date: {str(value)[:40]!r}; write YYYY-MM-DD") from None


class ControlStore:
    """Dated control snapshots of theatres, series and parties in one SQLite file.

    Parameters
    ----------
    path : path, optional
        The database file (default :func:`store_path`); created with its directory.
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = store_path(path)
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            with self.transaction() as conn:
                for statement in _SCHEMA:
                    conn.execute(statement)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the control store {self.path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot create the control store {self.path}: {exc.strerror}") from None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> ControlStore:
        """Use as a context manager: closed on exit."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the connection."""
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception rolls everything back and is re-raised."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def put_geometry(conn: sqlite3.Connection, geom) -> str:
        """Store ``geom`` once (inside a transaction); its hash."""
        canon = canonical(geom)
        return ControlStore.put_canonical(
            conn, shapely.to_wkb(canon, byte_order=1), int(shapely.get_num_coordinates(canon))
        )

    @staticmethod
    def put_canonical(conn: sqlite3.Connection, wkb: bytes, vertices: int) -> str:
        """Store a geometry given as its :func:`canonical_wkb` (and vertex count) once, inside a transaction; its hash."""
        key = hashlib.sha256(wkb).hexdigest()
        if conn.execute("SELECT 1 FROM geometries WHERE hash=?", (key,)).fetchone() is None:
            conn.execute(
                "INSERT INTO geometries(hash, wkb, vertices) VALUES (?, ?, ?)",
                (key, zlib.compress(wkb, 6), vertices),
            )
        return key

    @staticmethod
    def put_snapshot(conn, theatre: str, series: str, party: str, date: dt.date, key: str, source: str) -> None:
        """Record the snapshot of (theatre, series, party, date) as geometry ``key`` (inside a transaction)."""
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO snapshots(theatre, series, party, date, hash, source, imported_at) VALUES (?,?,?,?,?,?,?)",
            (theatre, series, party, date.isoformat(), key, source, stamp),
        )

    def delete(
        self,
        theatre: str,
        series: str,
        party: str,
        date: dt.date | None = None,
        *,
        user: Principal | str | None = None,
    ) -> int:
        """Delete a party's snapshots (one date, or all); geometries no longer used go too. Rows deleted.

        ``user`` must be an admin (:func:`geo.auth.authorize`; None: the embedded mode's
        local user); read-only mode refuses it, and nothing is deleted.
        """
        authorize(user, Action.DELETE)
        where, args = "theatre=? AND series=? AND party=?", [theatre, series, party]
        if date is not None:
            where, args = where + " AND date=?", [*args, check_date(date).isoformat()]
        with self.transaction() as conn:
            n = conn.execute(f"DELETE FROM snapshots WHERE {where}", args).rowcount  # noqa: S608 - fixed text
            conn.execute("DELETE FROM geometries WHERE hash NOT IN (SELECT hash FROM snapshots)")
            conn.execute("DELETE FROM measures WHERE hash NOT IN (SELECT hash FROM snapshots)")
        return n

    # -- reading -------------------------------------------------------------------------------
    def held(self, theatre: str, series: str, party: str) -> list[tuple[dt.date, str]]:
        """``[(date, hash), ...]`` of a party's snapshots, by date."""
        rows = self._conn.execute(
            "SELECT date, hash FROM snapshots WHERE theatre=? AND series=? AND party=? ORDER BY date",
            (theatre, series, party),
        ).fetchall()
        return [(dt.date.fromisoformat(d), h) for d, h in rows]

    def dates(self, theatre: str, series: str, party: str) -> list[dt.date]:
        """The dates held for a party, in order."""
        return [d for d, _ in self.held(theatre, series, party)]

    def parties(self, theatre: str, series: str | None = None) -> list[tuple[str, str]]:
        """``[(series, party), ...]`` held for a theatre."""
        sql = "SELECT DISTINCT series, party FROM snapshots WHERE theatre=?"
        args: list = [theatre]
        if series is not None:
            sql, args = sql + " AND series=?", [*args, series]
        return [tuple(r) for r in self._conn.execute(sql + " ORDER BY series, party", args)]

    def on_or_before(self, theatre: str, series: str, party: str, date: str | dt.date) -> tuple[dt.date, str]:
        """The latest snapshot on or before ``date``: ``(its date, its hash)``.

        Raises
        ------
        ValidationError
            When no snapshot is held on or before the date (the message gives the first date held).
        """
        day = check_date(date).isoformat()
        row = self._conn.execute(
            "SELECT date, hash FROM snapshots WHERE theatre=? AND series=? AND party=? AND date<=? "
            "ORDER BY date DESC LIMIT 1",
            (theatre, series, party, day),
        ).fetchone()
        if row is None:
            held = self.dates(theatre, series, party)
            if not held:
                raise ValidationError(
                    f"no control snapshots of party {party!r} (series {series!r}) in theatre {theatre!r}; import some first"
                )
            raise ValidationError(f"no snapshot of {party!r} on or before {day}; the first is {held[0].isoformat()}")
        return dt.date.fromisoformat(row[0]), row[1]

    def geometry(self, key: str):
        """The geometry stored under ``key``."""
        row = self._conn.execute("SELECT wkb FROM geometries WHERE hash=?", (key,)).fetchone()
        if row is None:
            raise StoreError(f"the control store has no geometry {key[:12]}; the file is damaged")
        return shapely.from_wkb(zlib.decompress(row[0]))

    def measure(self, key: str, regions_key: str) -> dict | None:
        """The cached measure of geometry ``key`` in regions ``regions_key`` (None: not measured yet)."""
        row = self._conn.execute(
            "SELECT total_km2, outside_km2, per_region FROM measures WHERE hash=? AND regions_key=?",
            (key, regions_key),
        ).fetchone()
        if row is None:
            return None
        return {"total_km2": row[0], "per_region": json.loads(row[2]), "outside_km2": row[1]}

    def measures(self, keys: list[str], regions_key: str) -> dict[str, dict]:
        """The cached measures of several geometries (those measured), by hash."""
        out = {}
        rows = self._conn.execute(
            "SELECT hash, total_km2, outside_km2, per_region FROM measures WHERE regions_key=?", (regions_key,)
        )
        wanted = set(keys)
        for key, total, outside, per in rows:
            if key in wanted:
                out[key] = {"total_km2": total, "per_region": json.loads(per), "outside_km2": outside}
        return out

    def put_measures(self, regions_key: str, values: dict[str, dict]) -> None:
        """Cache measures (``{hash: {"total_km2", "per_region", "outside_km2"}}``) in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO measures(hash, regions_key, total_km2, outside_km2, per_region) "
                "VALUES (?,?,?,?,?)",
                [
                    (k, regions_key, v["total_km2"], v["outside_km2"], json.dumps(v["per_region"], sort_keys=True))
                    for k, v in values.items()
                ],
            )

    def counts(self) -> dict[str, int]:
        """Rows per table (for reports and tests)."""
        return {
            t: self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
            for t in ("geometries", "snapshots", "measures")
        }
