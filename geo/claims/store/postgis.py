"""PostgreSQL/PostGIS backend of the claims store, for a team sharing one registry.

Chosen by a ``postgresql://`` URL (``CONTESTED_DB_URL`` or ``--db``); the
tables are created in the first schema of the connection's ``search_path``
(``?options=-csearch_path%3Dmyschema,public`` picks another than ``public``).
The shared logic (validation, audit records, "as known on") is
:class:`geo.claims.store.sql.SQLStore`; this module supplies connections, transactions
and the migrations in PostgreSQL's dialect.

Concurrency
-----------
* **Writers are serialised**, as in the embedded store: every write
  transaction (``READ COMMITTED``) first takes a transaction-scoped advisory
  lock for the store's schema and ``LOCK TABLE audit_log IN SHARE ROW
  EXCLUSIVE MODE`` (a mode that conflicts with itself but not with readers),
  *before* it reads anything. Each statement after the lock sees every
  earlier commit, so no writer builds on stale state, and the audit times
  taken inside the lock are strictly increasing across processes. Readers
  never wait for writers.
* **Optimistic concurrency for editors**: each claim carries a ``version``;
  an edit or delete made on an older version is refused with
  :class:`geo.errors.ConflictError` naming who changed the claim and when,
  and the earlier edit stays.
* **Reads** run in ``REPEATABLE READ READ ONLY`` transactions: one snapshot
  for all the queries of an operation.
* **Threads**: a store object keeps a small pool of connections, one per
  operation in progress, so Streamlit sessions sharing one cached store read
  in parallel.

Spatial
-------
``claims.geom`` is a PostGIS ``geometry(Geometry, 4326)`` column kept equal to
``geometry_wkt`` by a trigger (any writer, any client) and indexed with GiST,
so a GIS client can query the registry directly, e.g.
``SELECT claim_id FROM claims WHERE ST_Intersects(geom, ST_MakeEnvelope(37, 47, 39, 49, 4326))``.
The audit log is append-only (triggers refuse UPDATE, DELETE and TRUNCATE).

Backing up: ``pg_dump``, or :meth:`PostgisStore.backup` which writes an
embedded SQLite copy of the whole registry including the audit log.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo import schema as S
from geo.claims.store import registry
from geo.claims.store.migrate import copy_store
from geo.claims.store.sql import SQLStore
from geo.claims.store.sql_base import Migration
from geo.errors import StoreError

# libpq transaction states (psycopg.pq.TransactionStatus): no transaction open, one open and healthy
_IDLE = 0
_IN_TRANSACTION = 2

#: First key of the advisory lock that serialises writers (the second is the schema).
_LOCK_CLASS = 0x436C  # "Cl"
_POOL_SIZE = 4
#: A pooled connection idle for longer than this many seconds is checked before use
#: (the server may have restarted or closed it meanwhile).
_PING_AFTER = 10.0
_TEXT = "TEXT NOT NULL DEFAULT ''"


def _migration_1() -> list[str]:
    # Columns are spelled out so this migration stays the same when later ones add columns.
    sources = f"""
    CREATE TABLE sources (
        {S.SOURCE_ID} TEXT PRIMARY KEY,
        {S.SOURCE_PUBLISHER} TEXT NOT NULL,
        {S.SOURCE_TITLE} {_TEXT},
        {S.SOURCE_URL} {_TEXT},
        {S.SOURCE_PUBLISHED} {_TEXT},
        {S.SOURCE_LANGUAGE} {_TEXT},
        {S.SOURCE_KIND} {_TEXT},
        record_time TEXT COLLATE "C" NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        deleted SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    )"""
    claims = f"""
    CREATE TABLE claims (
        {S.CLAIM_ID} TEXT PRIMARY KEY,
        {S.CLAIM_QUOTE} TEXT NOT NULL CHECK ({S.CLAIM_QUOTE} <> ''),
        {S.CLAIM_ACTOR} {_TEXT},
        {S.CLAIM_PARTY} {_TEXT},
        {S.CLAIM_STANCE} TEXT NOT NULL,
        {S.CLAIM_KIND} {_TEXT},
        {S.CLAIM_VALUE} DOUBLE PRECISION CHECK ({S.CLAIM_VALUE} IS NULL OR {S.CLAIM_VALUE} >= 0),
        {S.CLAIM_UNIT} {_TEXT},
        {S.CLAIM_QUALIFIER} {_TEXT},
        {S.CLAIM_VALUE_KM2} DOUBLE PRECISION CHECK ({S.CLAIM_VALUE_KM2} IS NULL OR {S.CLAIM_VALUE_KM2} >= 0),
        {S.CLAIM_VALUE_KM} DOUBLE PRECISION CHECK ({S.CLAIM_VALUE_KM} IS NULL OR {S.CLAIM_VALUE_KM} >= 0),
        {S.CLAIM_REFERENCE_LINE} {_TEXT},
        {S.CLAIM_SIDE} {_TEXT},
        {S.CLAIM_EVENT_DATE} {_TEXT},
        {S.CLAIM_VALID_FROM} {_TEXT},
        {S.CLAIM_VALID_TO} {_TEXT},
        {S.CLAIM_SOURCE_ID} TEXT NOT NULL REFERENCES sources ({S.SOURCE_ID}),
        {S.CLAIM_REL_SOURCE} {_TEXT},
        {S.CLAIM_REL_INFO} {_TEXT},
        {S.CLAIM_NOTES} {_TEXT},
        {S.CLAIM_TAGS} {_TEXT},
        {S.CLAIM_GEOMETRY} {_TEXT},
        record_time TEXT COLLATE "C" NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        deleted SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    )"""
    # audit times are compared as text: byte order ("C"), whatever the database locale
    audit = """
    CREATE TABLE audit_log (
        audit_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
        entity TEXT NOT NULL CHECK (entity IN ('claim', 'source')),
        entity_id TEXT NOT NULL,
        version INTEGER,
        before_json TEXT,
        after_json TEXT
    )"""
    refuse = """
    CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only';
    END $$"""
    triggers = [
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()",
    ]
    return [sources, claims, audit, refuse, *triggers]


def _migration_2() -> list[str]:
    return [
        "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, audit_id)",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        f"CREATE INDEX claims_line ON claims ({S.CLAIM_REFERENCE_LINE})",
        f"CREATE INDEX claims_event_date ON claims ({S.CLAIM_EVENT_DATE})",
        f"CREATE INDEX claims_source ON claims ({S.CLAIM_SOURCE_ID})",
    ]


def _migration_3() -> list[str]:
    sync = f"""
    CREATE FUNCTION claims_sync_geom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.{S.CLAIM_GEOMETRY} IS NULL OR btrim(NEW.{S.CLAIM_GEOMETRY}) = '' THEN
            NEW.geom := NULL;
        ELSE
            NEW.geom := ST_GeomFromText(NEW.{S.CLAIM_GEOMETRY}, 4326);
        END IF;
        RETURN NEW;
    END $$"""
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "ALTER TABLE claims ADD COLUMN geom geometry(Geometry, 4326)",
        sync,
        "CREATE TRIGGER claims_geom BEFORE INSERT OR UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_sync_geom()",
        f"UPDATE claims SET {S.CLAIM_GEOMETRY} = {S.CLAIM_GEOMETRY}",  # fill geom for rows already there
        "CREATE INDEX claims_geom_gist ON claims USING GIST (geom)",
        f"CREATE INDEX claims_actor ON claims ({S.CLAIM_ACTOR})",
        f"CREATE INDEX claims_party ON claims ({S.CLAIM_PARTY})",
        f"CREATE INDEX claims_stance ON claims ({S.CLAIM_STANCE})",
        f"CREATE INDEX claims_reliability ON claims ({S.CLAIM_REL_SOURCE}, {S.CLAIM_REL_INFO})",
        "CREATE INDEX claims_live ON claims (deleted)",
    ]


#: Same versions and meaning as the embedded store's 1 and 2; 3 adds what only PostGIS has.
MIGRATIONS: list[Migration] = [
    (1, "sources, claims and the append-only audit log", _migration_1()),
    (2, "indexes for lookups by line, date, source and audit entity", _migration_2()),
    (3, "PostGIS geometry column kept in sync with geometry_wkt, GiST and filter indexes", _migration_3()),
]


_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^\s/]*@")


def redact_url(url: str) -> str:
    """Return ``url`` (or any text quoting one) with passwords replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def _driver() -> Any:
    """The psycopg 3 module, imported on first use.

    Only a ``postgresql://`` store needs the driver, so it is the one import
    made inside a function in this package: importing ``geo.claims.store``
    stays fast, and works where psycopg is not installed.

    Raises
    ------
    StoreError
        If psycopg is not installed.
    """
    try:
        import psycopg  # optional driver, imported only when a PostgreSQL store is opened
        import psycopg.errors  # noqa: F401 - makes psycopg.errors available
    except ModuleNotFoundError:
        raise StoreError(
            "a postgresql:// store needs psycopg 3 (the PostgreSQL driver): pip install 'psycopg[binary]'"
        ) from None
    return psycopg


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return redact_url(text.splitlines()[0]) if text else type(exc).__name__


class PostgisStore(SQLStore):
    """The claims store in a PostgreSQL database with PostGIS. Use :func:`geo.claims.store.open_store`.

    Parameters
    ----------
    url : str
        A libpq URL, ``postgresql://user:password@host:port/database``; libpq
        environment variables (``PGPASSWORD``, ``PGSSLMODE``...) and
        ``~/.pgpass`` apply as usual.
    seed_dir : str or Path, optional
        Where ``sources.csv``/``claims.csv`` for a new store are read.
    seed : bool, default True
        Seed a new store.
    timeout : float, default 60
        Seconds to wait for another writer (and to connect).
    """

    def __init__(
        self,
        url: str,
        *,
        seed_dir: str | os.PathLike[str] | None = None,
        seed: bool = True,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(seed_dir=seed_dir, seed=seed)
        self._pg = _driver()
        # SQLStore serialises operations with one lock; here each operation
        # has its own connection and the server does the locking.
        self._lock = contextlib.nullcontext()
        self.url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url.strip())
        self.location = redact_url(self.url)
        self._timeout = float(timeout)
        self._idle: list[tuple[Any, float]] = []  # (connection, when it was returned)
        self._ping_after = _PING_AFTER
        self._pool_lock = threading.Lock()
        self._closed = False
        self._schema = ""
        try:
            with self._connection() as conn:
                row = conn.execute("SELECT current_schema()").fetchone()
            if not row or not row[0]:
                raise StoreError(f"{self.location}: the search_path names no existing schema to hold the store")
            self._schema = str(row[0])
            self._migrate()
        except BaseException:
            self.close()
            raise

    # ---- connections -------------------------------------------------------
    def _connect(self) -> Any:
        try:
            conn = self._pg.connect(
                self.url,
                autocommit=True,  # transactions are begun explicitly below
                connect_timeout=max(1, int(min(self._timeout, 30))),
                application_name="contested-lines",
            )
        except self._pg.Error as exc:
            raise StoreError(f"cannot connect to {self.location}: {_first_line(exc)}") from None
        except (ValueError, UnicodeError) as exc:  # a malformed URL
            raise StoreError(f"{self.location} is not a usable database URL: {_first_line(exc)}") from None
        return conn

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        """Lend a pooled connection to one operation."""
        with self._pool_lock:
            if self._closed:
                raise StoreError(f"the store {self.location} is closed")
            conn, since = self._idle.pop() if self._idle else (None, 0.0)
        if conn is not None and not conn.closed and time.monotonic() - since > self._ping_after:
            try:
                conn.execute("SELECT 1")
            except self._pg.Error:
                with contextlib.suppress(Exception):
                    conn.close()
        if conn is None or conn.closed:
            conn = self._connect()
        try:
            yield conn
        finally:
            healthy = not conn.closed and not conn.broken and conn.info.transaction_status == _IDLE
            with self._pool_lock:
                keep = healthy and not self._closed and len(self._idle) < _POOL_SIZE
                if keep:
                    self._idle.append((conn, time.monotonic()))
            if not keep:
                with contextlib.suppress(Exception):
                    conn.close()

    def _sql(self, query: str) -> str:
        # The shared SQL uses "?" placeholders and no literal "%" or "?".
        return query.replace("?", "%s")

    # ---- transactions ------------------------------------------------------
    @contextlib.contextmanager
    def _write_cursor(self) -> Iterator[Any]:
        with self._connection() as conn:
            cur = conn.cursor()
            try:
                try:
                    cur.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                    cur.execute(f"SET LOCAL lock_timeout = '{max(1, int(self._timeout * 1000))}ms'")
                    # serialises writers of this store, even while the tables do not exist yet
                    cur.execute(f"SELECT pg_advisory_xact_lock({_LOCK_CLASS}, hashtext(current_schema()))")
                    cur.execute("SELECT to_regclass('audit_log') IS NOT NULL")
                    if cur.fetchone()[0]:
                        # also excludes writers that do not use this code; readers are not blocked
                        cur.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                except self._pg.errors.LockNotAvailable as exc:
                    raise StoreError(
                        f"{self.location}: another writer kept the store locked for more than "
                        f"{self._timeout:g} s ({_first_line(exc)}); nothing was changed"
                    ) from None
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                if not conn.closed and conn.info.transaction_status != _IDLE:
                    with contextlib.suppress(Exception):
                        cur.execute("ROLLBACK")
                if isinstance(exc, self._pg.errors.InsufficientPrivilege):
                    raise StoreError(
                        f"{self.location}: {_first_line(exc)}; the database user needs to create tables "
                        "(and an administrator to run CREATE EXTENSION postgis once); nothing was changed"
                    ) from None
                if isinstance(exc, self._pg.Error):
                    raise StoreError(f"{self.location}: {_first_line(exc)}; nothing was changed") from None
                raise
            finally:
                cur.close()

    @contextlib.contextmanager
    def _read_cursor(self) -> Iterator[Any]:
        with self._connection() as conn:
            cur = conn.cursor()
            try:
                cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try:
                    yield cur
                finally:
                    if not conn.closed:
                        with contextlib.suppress(Exception):
                            cur.execute("COMMIT" if conn.info.transaction_status == _IN_TRANSACTION else "ROLLBACK")
            except self._pg.Error as exc:
                raise StoreError(f"{self.location}: {_first_line(exc)}") from None
            finally:
                cur.close()

    def _migrations(self) -> list[Migration]:
        return MIGRATIONS

    # ---- used by geo.claims.store.migrate ---------------------------------
    def _after_bulk_load(self, cur: Any) -> None:
        """Move the audit id sequence past ids copied in from another store."""
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('audit_log', 'audit_id'), "
            "GREATEST((SELECT MAX(audit_id) FROM audit_log), 1), "
            "(SELECT MAX(audit_id) FROM audit_log) IS NOT NULL)"
        )

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding the store's tables."""
        return self._schema

    def backup(self, destination: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the whole registry, audit log included, to an embedded SQLite file.

        Parameters
        ----------
        destination : str or Path
            The SQLite file to write; refused if it exists unless ``overwrite``.
        overwrite : bool, default False

        Returns
        -------
        Path
            The destination.
        """
        dest = Path(destination).expanduser()
        if dest.exists() and not overwrite:
            raise StoreError(f"{dest} exists; choose a new file name")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dest}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"backup to {dest} failed: {exc}") from exc
        with registry.backend(registry.FILE)(dest, seed=False, timeout=self._timeout) as target:
            copy_store(self, target)
        return dest

    def close(self) -> None:
        """Close every pooled connection (idempotent); later operations raise StoreError."""
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            with contextlib.suppress(Exception):
                conn.close()


registry.register("postgresql", PostgisStore)
registry.register("postgres", PostgisStore)

__all__ = ["MIGRATIONS", "PostgisStore", "redact_url"]
