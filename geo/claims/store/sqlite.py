"""Embedded backend of the claims store: one plain SQLite file.

Why plain SQLite with WKT text, not GeoPackage or SpatiaLite
-------------------------------------------------------------
* Only Python's standard ``sqlite3`` is needed. SpatiaLite is a loadable
  extension (Debian ``libsqlite3-mod-spatialite``, a separate install on
  every OS, and ``enable_load_extension`` is missing from some Python builds);
  a registry that fails to open because a system library is absent would be
  worse than having no spatial SQL.
* A GeoPackage stores geometry as binary blobs with a GeoPackage header and
  keeps its R-tree in step through triggers that call ``ST_*`` functions,
  which plain ``sqlite3`` does not provide; we would have to hand-write the
  binary format and register those functions for no gain.
* The registry is small (hundreds to thousands of claims). Spatial work
  (grouping claims about the same ground, zoom to a claim) is done with
  shapely/geopandas after loading, with an STRtree where needed. WKT stays
  readable in the ``sqlite3`` shell and in the audit log's JSON.
* For QGIS and other GIS tools, export a GeoPackage with :mod:`geo.io.export`.

Durability and concurrency
--------------------------
WAL journal, ``synchronous=FULL`` (a committed claim survives a crash of the
process and of the machine), ``busy_timeout`` so concurrent writers wait for
each other rather than fail, every write in ``BEGIN IMMEDIATE`` ... ``COMMIT``
(the write lock is taken before anything is read, so two writers never build
on the same stale state), foreign keys on, and triggers that make the audit
log append-only.

Backing up
----------
``python -m geo claims backup DEST`` (or :meth:`SQLiteStore.backup`, or
``sqlite3 claims.sqlite ".backup DEST"``) writes a consistent copy while the
app runs. Copying the file alone is not enough while it is open: the
``-wal`` file next to it holds recent commits.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.claims.store.registry import FILE, register
from geo.claims.store.sql import SQLStore
from geo.claims.store.sql_base import Migration
from geo.claims.store.sql_tables import (
    ColumnTypes,
    audit_chain_and_roles,
    audit_log_table,
    indexes_v2,
    interval_columns,
    tables_v1,
    theatre_column,
    tokens_table,
)
from geo.errors import StoreError

#: SQLite's column types for the shared tables.
_TYPES = ColumnTypes(
    key="TEXT PRIMARY KEY NOT NULL",
    time="TEXT",
    real="REAL",
    flag="INTEGER",
    audit_id="INTEGER PRIMARY KEY AUTOINCREMENT",
)


def _append_only() -> list[str]:
    return [
        f"""CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
        for op in ("UPDATE", "DELETE")
    ]


def _migration_1() -> list[str]:
    return [*tables_v1(_TYPES), *_append_only()]


def _audited_grants() -> list[str]:
    """Rebuild the audit log with ``entity`` widened to roles and tokens (SQLite cannot alter a CHECK).

    Every record is copied with its id, columns and hash, in one transaction
    with the rest of the migration; the table's indexes and append-only
    triggers are made again on the new table (``DROP TABLE`` fires no trigger).
    """
    columns = "audit_id, at, who, action, entity, entity_id, version, before_json, after_json, row_hash"
    audit_indexes = [statement for statement in indexes_v2() if " ON audit_log " in statement]
    return [
        audit_log_table(_TYPES, "audit_log_rebuilt"),
        f"INSERT INTO audit_log_rebuilt ({columns}) SELECT {columns} FROM audit_log ORDER BY audit_id",
        "DROP TABLE audit_log",
        "ALTER TABLE audit_log_rebuilt RENAME TO audit_log",
        *audit_indexes,
        *_append_only(),
    ]


def _writable(path: Path) -> bool:
    """Whether this process may write ``path`` (and so the store can be opened for writing)."""
    return os.access(path, os.W_OK)


def _check_not_empty(path: Path) -> None:
    """Refuse a store file of 0 bytes: a damaged or truncated registry, never re-seeded silently."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return
    if empty and not Path(f"{path}-wal").exists():
        raise StoreError(
            f"the registry file is empty (0 bytes): {path}. Nothing was changed. Restore it from a backup "
            "(python -m geo claims backup makes one), or delete it to start a new registry from the shipped claims"
        )


MIGRATIONS: list[Migration] = [
    (1, "sources, claims and the append-only audit log", _migration_1()),
    (2, "indexes for lookups by line, date, source and audit entity", indexes_v2()),
    (3, "claim value interval, dimension and period of the change", interval_columns(_TYPES)),
    (4, "audit hash chain and the roles table", audit_chain_and_roles()),
    (5, "the theatre of each claim (existing claims: the legacy seed theatre)", theatre_column()),
    (6, "command-line tokens, stored hashed", tokens_table()),
    (7, "role grants and tokens audited (the log's entity check widened)", _audited_grants()),
]


class SQLiteStore(SQLStore):
    """The claims store in one SQLite file. Use :func:`geo.claims.store.open_store`.

    Parameters
    ----------
    path : str or Path
        The database file; created (with its directory) if missing.
    seed_dir : str or Path, optional
        Where ``sources.csv``/``claims.csv`` for a new store are read.
    seed : bool, default True
        Seed a new store.
    timeout : float, default 60
        Seconds to wait for another writer.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        seed_dir: str | os.PathLike[str] | None = None,
        seed: bool = True,
        timeout: float = 60.0,
        _creating: bool = False,
    ) -> None:
        super().__init__(seed_dir=seed_dir, seed=seed)
        self._conn: sqlite3.Connection | None = None
        self.path = Path(path)
        self.location = str(self.path)
        self._timeout = float(timeout)
        self.read_only = False
        try:
            # analysts' notes can be sensitive: a new directory is private
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the directory of {self.path}: {exc}") from exc
        if not _creating and not self.path.exists():
            self._create()
        _check_not_empty(self.path)
        self.read_only = not _creating and not _writable(self.path)
        try:
            if self.read_only:
                uri = "file:" + urllib.parse.quote(str(self.path.resolve())) + "?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, timeout=self._timeout, isolation_level=None, check_same_thread=False
                )
            else:
                self._conn = sqlite3.connect(
                    str(self.path),
                    timeout=self._timeout,
                    isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                    check_same_thread=False,  # guarded by self._lock
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            if self.read_only:
                self._check_current_read_only()
                return
            mode = self._set_wal()
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"{self.path}: the file system does not support SQLite's WAL mode "
                    f"(got {mode!r}); put the store on a local disk"
                )
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path} is not a usable claims store: {exc}") from exc
        except BaseException:
            self.close()
            raise

    def _create(self) -> None:
        """Make a new store beside the target and link it into place in one step.

        So no process ever sees a half-made store file (a 0-byte file at the
        store's path is then always a damaged store, see :func:`_check_not_empty`);
        when several processes create the same store at once, one file wins and
        the others open it.
        """
        tmp = self.path.with_name(f".{self.path.name}.new-{os.getpid()}-{threading.get_ident()}")
        for leftover in (tmp, *(tmp.with_name(tmp.name + x) for x in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        seed_dir = None if self._seed_all else self._seed_dir
        new = SQLiteStore(tmp, seed_dir=seed_dir, seed=self._seed, timeout=self._timeout, _creating=True)
        self.seed_problems = list(new.seed_problems)
        try:
            with new._lock:
                new._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            new.close()
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            pass  # another process made it first: open theirs
        except OSError:  # no hard links on this file system: rename (the last creator wins)
            os.replace(tmp, self.path)
        finally:
            for leftover in (tmp, *(tmp.with_name(tmp.name + x) for x in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)

    def _check_current_read_only(self) -> None:
        latest = MIGRATIONS[-1][0]
        try:
            (current,) = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path} is read-only and not a usable claims store: {exc}") from exc
        if int(current or 0) != latest:
            self.close()
            raise StoreError(
                f"{self.path} is read-only and has schema version {current}, this app needs {latest}; "
                "make the file writable once so it can be upgraded"
            )

    def _set_wal(self) -> str:
        """Switch to WAL, retrying while another process creates the same file.

        Changing the journal mode needs an exclusive lock and SQLite may answer
        "database is locked" at once instead of waiting for busy_timeout, when
        several processes open a new store at the same moment.
        """
        deadline = time.monotonic() + self._timeout
        delay = 0.01
        while True:
            try:
                return self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    def _migrations(self) -> list[Migration]:
        return MIGRATIONS

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the store {self.path} is closed")
        return self._conn

    @contextlib.contextmanager
    def _write_cursor(self) -> Iterator[sqlite3.Cursor]:
        if self.read_only:
            raise StoreError(
                f"{self.path} is read-only (the file is not writable), so it was opened for reading only; "
                "nothing was changed. Make it writable to edit the registry"
            )
        cur = self._connection().cursor()
        try:
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(
                    f"{self.path}: another writer kept the store locked for more than "
                    f"{self._timeout:g} s ({exc}); nothing was changed"
                ) from exc
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        cur.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"{self.path}: {exc}; nothing was changed") from exc
                raise
        finally:
            cur.close()

    @contextlib.contextmanager
    def _read_cursor(self) -> Iterator[sqlite3.Cursor]:
        cur = self._connection().cursor()
        try:
            cur.execute("BEGIN")  # one snapshot for all reads of the operation
            try:
                yield cur
            finally:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        finally:
            cur.close()

    def backup(self, destination: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write a consistent copy of the store (safe while others write).

        Parameters
        ----------
        destination : str or Path
            The copy to write; refused if it exists unless ``overwrite``.
        overwrite : bool, default False

        Returns
        -------
        Path
            The destination.
        """
        dest = Path(destination).expanduser()
        if dest.resolve() == self.path.resolve():
            raise StoreError("the backup must go to another file than the store")
        if dest.exists() and not overwrite:
            raise StoreError(f"{dest} exists; choose a new file name")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                dest.unlink()
            target = sqlite3.connect(str(dest))
            try:
                with self._lock:
                    self._connection().backup(target)
            finally:
                target.close()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"backup to {dest} failed: {exc}") from exc
        return dest

    def integrity_check(self) -> str:
        """Return SQLite's ``PRAGMA integrity_check`` result (``"ok"`` when sound)."""
        with self._lock:
            rows = self._connection().execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            conn: Any = getattr(self, "_conn", None)
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
                self._conn = None


register(FILE, SQLiteStore)

__all__ = ["MIGRATIONS", "SQLiteStore"]
