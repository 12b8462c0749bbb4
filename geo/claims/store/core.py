"""The claims registry store: interface, shared SQL logic and ``open_store``.

Design
------
* :class:`Store` is the interface pages, commands and scripts use. Its
  backend-independent logic (validation before any write, source resolution,
  audit records, "as known on" reconstruction, filters) lives in
  :class:`SQLStore`, written against DB-API cursors with ``?`` placeholders and
  portable SQL. A backend supplies the connection, the write transaction,
  the read snapshot and its migrations. :mod:`geo.claims.store.sqlite` is the
  embedded backend; a PostgreSQL/PostGIS backend (issue 10) subclasses
  :class:`SQLStore` the same way and is chosen by a ``postgresql://`` URL.
* Every write is one transaction. All input is validated before the first
  statement; anything refused raises and rolls back, so nothing already stored
  is lost or changed.
* Every insert, edit, delete and restore writes an audit record (who, when in
  UTC, action, entity, id, version, before and after as JSON). Deletes are
  soft and can be undone. Each claim has a ``version``; an edit naming a stale
  version raises :class:`geo.errors.ConflictError`.
* ``list_claims(as_of=...)`` rebuilds the registry as it was recorded at a
  past instant from the audit log: the last audited state of each record at
  that time. Audit times are strictly increasing across writers (each write
  takes ``max(now, last + 1 microsecond)`` inside its transaction), so "as of"
  is exact even if the clock steps back.

Where the store lives
---------------------
``open_store()`` with no argument uses ``$CONTESTED_DB_URL`` if set, else
``$CONTESTED_DATA_DIR/claims.sqlite``, else
``$XDG_DATA_HOME/contested-lines/claims.sqlite`` (by default
``~/.local/share/contested-lines/claims.sqlite``). A new store is created and
seeded from the repository's ``data/sources.csv`` and ``data/claims.csv``.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as _dt
import json
import math
import numbers
import os
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Self

import pandas as pd

from geo import schema as S
from geo.claims.model import (
    DELETED,
    EMBEDDED_SOURCE_COLUMNS,
    META_COLUMNS,
    RECORD_TIME,
    VERSION,
    Claim,
    Source,
    embedded_source,
    known_line_ids,
    repo_data_dir,
    validate_claim,
    validate_source,
)
from geo.errors import ConflictError, DataFileError, StoreError, ValidationError

ENV_DATA_DIR = "CONTESTED_DATA_DIR"
ENV_DB_URL = "CONTESTED_DB_URL"
STORE_FILENAME = "claims.sqlite"
APP_DIRNAME = "contested-lines"
SEED_USER = "seed"

ENTITY_CLAIM = "claim"
ENTITY_SOURCE = "source"
ACTION_INSERT = "insert"
ACTION_UPDATE = "update"
ACTION_DELETE = "delete"
ACTION_RESTORE = "restore"

#: Source columns joined onto each claim by :meth:`Store.list_claims`.
JOINED_SOURCE_COLUMNS = list(EMBEDDED_SOURCE_COLUMNS)
#: Columns of the frame :meth:`Store.list_claims` returns, in order.
LIST_COLUMNS = [*S.CLAIM_COLUMNS, *JOINED_SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]
#: Columns of the frame :meth:`Store.list_sources` returns, in order.
SOURCE_LIST_COLUMNS = [*S.SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]
_FLOAT_COLUMNS = (S.CLAIM_VALUE, S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM)
_TEXT_SEARCH_COLUMNS = (
    S.CLAIM_QUOTE,
    S.CLAIM_ACTOR,
    S.CLAIM_PARTY,
    S.CLAIM_NOTES,
    S.CLAIM_TAGS,
    S.SOURCE_PUBLISHER,
    S.SOURCE_TITLE,
)


# --------------------------------------------------------------------------
# locations and opening
# --------------------------------------------------------------------------
def default_data_dir() -> Path:
    """Return the directory of the embedded store.

    ``$CONTESTED_DATA_DIR`` if set, else ``$XDG_DATA_HOME/contested-lines``,
    else ``~/.local/share/contested-lines``.
    """
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_DIRNAME


def default_store_location() -> str:
    """Return what :func:`open_store` opens when given nothing: a URL or a file path."""
    url = os.environ.get(ENV_DB_URL, "").strip()
    if url:
        return url
    return str(default_data_dir() / STORE_FILENAME)


def is_database_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a database server rather than a file."""
    return str(target).lower().startswith(("postgresql://", "postgres://", "postgresql+"))


def open_store(
    path_or_url: str | os.PathLike[str] | None = None,
    *,
    seed_dir: str | os.PathLike[str] | None = None,
    seed: bool = True,
    timeout: float = 60.0,
) -> Store:
    """Open (creating and seeding if new) the claims registry.

    Parameters
    ----------
    path_or_url : str or PathLike, optional
        A SQLite file path (a directory means ``<dir>/claims.sqlite``) or a
        ``postgresql://`` URL. Default: :func:`default_store_location`.
    seed_dir : str or PathLike, optional
        Directory with ``sources.csv`` and ``claims.csv`` used to seed a new
        store; the repository's ``data/`` by default. Missing files are skipped.
    seed : bool, default True
        Set False to create an empty store.
    timeout : float, default 60
        Seconds a writer waits for another writer before giving up.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        If the store cannot be opened or is newer than this code.
    DataFileError
        If a new store cannot be seeded because a seed file is invalid.

    Examples
    --------
    >>> store = open_store("/tmp/example-claims.sqlite")  # doctest: +SKIP
    >>> store.list_claims(reference_line="minsk_2014_09_19")  # doctest: +SKIP
    """
    target = path_or_url if path_or_url not in (None, "") else default_store_location()
    if is_database_url(target):
        try:
            from geo.claims.store.postgis import PostgisStore  # type: ignore[import-not-found]
        except ModuleNotFoundError:
            raise StoreError("the PostgreSQL/PostGIS backend is not available in this version") from None
        return PostgisStore(str(target), seed_dir=seed_dir, seed=seed, timeout=timeout)
    from geo.claims.store.sqlite import SQLiteStore

    path = Path(target).expanduser()
    if path.is_dir():
        path = path / STORE_FILENAME
    return SQLiteStore(path, seed_dir=seed_dir, seed=seed, timeout=timeout)


_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def store_files(location: str | os.PathLike[str] | None = None) -> list[Path]:
    """The files of the embedded store at ``location`` (default: the configured one) and its side files.

    ``[]`` for a database URL.
    """
    target = location if location not in (None, "") else default_store_location()
    if is_database_url(target):
        return []
    path = Path(target).expanduser()
    if path.is_dir():
        path = path / STORE_FILENAME
    return [path, *(Path(f"{path}{suffix}") for suffix in _SQLITE_SIDE_FILES)]


def is_claims_store_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a SQLite file holding a claims registry (or a side file of one).

    Read with the file's header and ``sqlite_master`` only; never changes the file.
    """
    import sqlite3

    p = Path(path).expanduser()
    for suffix in _SQLITE_SIDE_FILES:
        if p.name.endswith(suffix) and is_claims_store_file(p.with_name(p.name[: -len(suffix)])):
            return True
    try:
        with p.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
    except OSError:
        return False
    uri = "file:" + _quote_path(p) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # a SQLite file we cannot read: do not risk overwriting a registry
    return {"claims", "sources", "audit_log", "schema_version"} <= names


def _quote_path(p: Path) -> str:
    from urllib.parse import quote

    return quote(str(p.resolve()))


def refuse_live_store_output(output: str | os.PathLike[str], store_location: str | None = None) -> None:
    """Raise :class:`StoreError` if writing to ``output`` would replace a claims store.

    Refused: the configured store (``store_location``, else the default) and
    its ``-wal``/``-shm``/``-journal`` files, and any file that is a claims
    store or a side file of one.
    """
    out = Path(output).expanduser()
    resolved = out.resolve()
    for live in store_files(store_location) + (store_files(None) if store_location else []):
        if live.resolve() == resolved:
            raise StoreError(
                f"{out} is the claims store in use (or one of its files); write the export to another file "
                "(a copy of the registry is made with: python -m geo claims backup FILE)"
            )
    if is_claims_store_file(out):
        raise StoreError(f"{out} is a claims store; write the export to another file, the store was not touched")


# --------------------------------------------------------------------------
# helpers shared by every backend
# --------------------------------------------------------------------------
def utc_stamp(moment: _dt.datetime) -> str:
    """Format an aware or naive-UTC datetime as the store's sortable UTC text."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> _dt.datetime:
    """Parse :func:`utc_stamp` text back into an aware UTC datetime."""
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_dt.UTC)


def as_of_bound(as_of: _dt.datetime | _dt.date | str) -> str:
    """Return the exclusive upper bound (UTC text) for an "as known on" moment.

    A date means the end of that day (UTC); a naive datetime is taken as UTC;
    a string is parsed as an ISO date or datetime.
    """
    if isinstance(as_of, str):
        text = as_of.strip()
        try:
            if len(text) == 10:
                as_of = _dt.date.fromisoformat(text)
            else:
                as_of = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{text!r} is not an ISO date or date-time", field="as_of") from None
    if isinstance(as_of, _dt.datetime):
        return utc_stamp(as_of + _dt.timedelta(microseconds=1))
    if isinstance(as_of, _dt.date):
        return utc_stamp(_dt.datetime.combine(as_of + _dt.timedelta(days=1), _dt.time()))
    raise ValidationError("must be a date, a datetime or an ISO string", field="as_of")


def new_id(prefix: str) -> str:
    """Return a new random record id such as ``c3f9a1b2c4d5e``."""
    return prefix + uuid.uuid4().hex[:12]


def claim_from_record(record: Mapping[str, Any]) -> Claim:
    """Build a :class:`Claim` from a stored row or audit JSON."""
    values = {c: record.get(c) for c in S.CLAIM_COLUMNS}
    for col in S.CLAIM_COLUMNS:
        if col not in _FLOAT_COLUMNS and values[col] is None:
            values[col] = ""
    return Claim(
        **values,
        record_time=record.get(RECORD_TIME) or "",
        deleted=bool(record.get(DELETED)),
        version=int(record.get(VERSION) or 0),
    )


def source_from_record(record: Mapping[str, Any]) -> Source:
    """Build a :class:`Source` from a stored row or audit JSON."""
    values = {c: record.get(c) or "" for c in S.SOURCE_COLUMNS}
    return Source(
        **values,
        record_time=record.get(RECORD_TIME) or "",
        deleted=bool(record.get(DELETED)),
        version=int(record.get(VERSION) or 0),
    )


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value}


def filter_claims(
    frame: pd.DataFrame,
    *,
    actor: str | Iterable[str] | None = None,
    party: str | Iterable[str] | None = None,
    stance: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    reference_line: str | Iterable[str] | None = None,
    source_id: str | Iterable[str] | None = None,
    reliability_source: str | Iterable[str] | None = None,
    reliability_info: str | Iterable[str] | None = None,
    claim_ids: Iterable[str] | None = None,
    date_from: _dt.date | str | None = None,
    date_to: _dt.date | str | None = None,
    text: str | None = None,
    reported_by: _dt.date | str | None = None,
) -> pd.DataFrame:
    """Filter a claims frame as returned by :meth:`Store.list_claims`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Claims with the columns :data:`LIST_COLUMNS`.
    actor, party, stance, kind, reference_line, source_id, reliability_source, reliability_info
        A value or a collection of accepted values (exact match).
    claim_ids : iterable of str, optional
        Keep only these claims.
    date_from, date_to : date or ISO str, optional
        Inclusive bounds on ``event_date``.
    text : str, optional
        Case-insensitive substring searched in quote, actor, party, notes,
        tags, publisher and title.
    reported_by : date or ISO str, optional
        Valid time, "as reported by this date": keep the claims that had
        been published on or before it. The rule: a claim counts from its
        source's ``published`` date; a claim whose source has no publication
        date counts from its ``event_date`` (it cannot have been reported
        before the event); a claim with neither date is left out, since
        nothing says it was known by then. This is not the record time
        (when the claim entered this registry): for that audit view use
        ``Store.list_claims(as_of=...)``.

    Returns
    -------
    pandas.DataFrame
        The matching rows, index reset.
    """
    mask = pd.Series(True, index=frame.index)
    for column, wanted in (
        (S.CLAIM_ACTOR, actor),
        (S.CLAIM_PARTY, party),
        (S.CLAIM_STANCE, stance),
        (S.CLAIM_KIND, kind),
        (S.CLAIM_REFERENCE_LINE, reference_line),
        (S.CLAIM_SOURCE_ID, source_id),
        (S.CLAIM_REL_SOURCE, reliability_source),
        (S.CLAIM_REL_INFO, reliability_info),
        (S.CLAIM_ID, claim_ids),
    ):
        values = _as_set(wanted)
        if values is not None:
            mask &= frame[column].isin(values)
    if date_from:
        mask &= frame[S.CLAIM_EVENT_DATE] >= str(date_from)
    if date_to:
        mask &= frame[S.CLAIM_EVENT_DATE] <= str(date_to)
    if text and text.strip():
        needle = text.strip().casefold()
        hit = pd.Series(False, index=frame.index)
        for column in _TEXT_SEARCH_COLUMNS:
            hit |= frame[column].fillna("").astype(str).str.casefold().str.contains(needle, regex=False)
        mask &= hit
    if reported_by is not None and str(reported_by).strip():
        mask &= _reported_by_mask(frame, reported_by)
    return frame[mask].reset_index(drop=True)


def _reported_by_mask(frame: pd.DataFrame, reported_by: _dt.date | str) -> pd.Series:
    """Rows first reported on or before ``reported_by`` (see :func:`filter_claims`)."""
    if isinstance(reported_by, _dt.datetime):
        day = reported_by.date()
    elif isinstance(reported_by, _dt.date):
        day = reported_by
    else:
        try:
            day = _dt.date.fromisoformat(str(reported_by).strip()[:10])
        except ValueError:
            raise ValidationError(f"{str(reported_by)[:40]!r} is not an ISO date", field="reported_by") from None
    empty = pd.Series("", index=frame.index)
    published = frame[S.SOURCE_PUBLISHED] if S.SOURCE_PUBLISHED in frame else empty
    event = frame[S.CLAIM_EVENT_DATE] if S.CLAIM_EVENT_DATE in frame else empty
    published = published.fillna("").astype(str).str.strip().str[:10]
    event = event.fillna("").astype(str).str.strip().str[:10]
    when = published.where(published != "", event)
    return (when != "") & (when <= day.isoformat())


def _claims_frame(claims: Iterable[Claim], sources: Mapping[str, Source]) -> pd.DataFrame:
    rows = []
    for claim in claims:
        row = claim.to_dict()
        source = sources.get(claim.source_id)
        for column in JOINED_SOURCE_COLUMNS:
            row[column] = getattr(source, column) if source is not None else ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=LIST_COLUMNS)
    for column in _FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame[VERSION] = frame[VERSION].astype("int64")
    frame[DELETED] = frame[DELETED].astype(bool)
    return frame.sort_values([S.CLAIM_EVENT_DATE, S.CLAIM_ID], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------
# the interface
# --------------------------------------------------------------------------
class Store(abc.ABC):
    """The claims registry. Open one with :func:`open_store`.

    A store is safe to share between threads (one operation at a time) and
    between processes (writers wait for each other).
    """

    location: str

    @abc.abstractmethod
    def add_sources(self, records: Sequence[Mapping[str, Any]], user: str, *, keep_ids: bool = True) -> list[str]:
        """Add sources, all or none; return their ids."""

    @abc.abstractmethod
    def add_claims(self, records: Sequence[Mapping[str, Any]], user: str, *, keep_ids: bool = False) -> list[str]:
        """Add claims, all or none; return their new ids in input order."""

    @abc.abstractmethod
    def update_claim(
        self,
        claim_id: str,
        changes: Mapping[str, Any],
        *,
        user: str,
        expected_version: int,
    ) -> Claim:
        """Change fields of a claim; refuse with ConflictError if the version is stale."""

    @abc.abstractmethod
    def delete_claim(self, claim_id: str, user: str, *, expected_version: int | None = None) -> Claim:
        """Soft-delete a claim."""

    @abc.abstractmethod
    def undo_delete(self, claim_id: str, user: str) -> Claim:
        """Restore a soft-deleted claim."""

    @abc.abstractmethod
    def get_claim(self, claim_id: str) -> Claim:
        """Return the current state of one claim (deleted or not)."""

    @abc.abstractmethod
    def list_claims(self, *, as_of: Any = None, include_deleted: bool = False, **filters: Any) -> pd.DataFrame:
        """Return claims joined with their sources as a DataFrame."""

    @abc.abstractmethod
    def list_sources(self, *, as_of: Any = None, include_deleted: bool = False) -> pd.DataFrame:
        """Return sources as a DataFrame (deleted ones only with ``include_deleted``)."""

    @abc.abstractmethod
    def get_source(self, source_id: str) -> Source:
        """Return the current state of one source (deleted or not)."""

    @abc.abstractmethod
    def update_source(self, source_id: str, changes: Mapping[str, Any], *, user: str, expected_version: int) -> Source:
        """Change fields of a source, refusing edits made on a stale version."""

    @abc.abstractmethod
    def delete_source(self, source_id: str, user: str, *, expected_version: int | None = None) -> Source:
        """Soft-delete a source that no claim cites."""

    @abc.abstractmethod
    def restore_source(self, source_id: str, user: str) -> Source:
        """Restore a soft-deleted source."""

    @abc.abstractmethod
    def history(self, claim_id: str) -> list[dict[str, Any]]:
        """Return the audit records of one claim, oldest first."""

    @abc.abstractmethod
    def audit_log(self, *, entity: str | None = None, since: Any = None) -> pd.DataFrame:
        """Return audit records as a DataFrame."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """Return the schema version of the store."""

    @abc.abstractmethod
    def revision(self) -> int:
        """Return a number that grows with every write (cheap; use it as a cache key)."""

    def backup(self, destination: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write a consistent copy of the store to ``destination``."""
        raise StoreError(f"backup is not supported by {type(self).__name__}")

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------
# shared SQL implementation
# --------------------------------------------------------------------------
Migration = tuple[int, str, list[str]]  # (version, description, statements)


class _Prepared(NamedTuple):
    """A claim row validated on its own, waiting for the transaction."""

    claim: Claim
    inline: Source | None  # the source fields the row carries, validated
    given: frozenset[str]  # which source fields the row actually gave
    has_source_id: bool
    incomplete: ValidationError | None  # why ``inline`` cannot make a new source


class SQLStore(Store):
    """:class:`Store` implemented with portable SQL over a DB-API connection.

    A backend subclass provides:

    * ``__init__``: connect, set ``self.location``, call
      ``super().__init__(seed_dir=..., seed=...)`` and then ``self._migrate()``
      (which applies pending migrations and seeds a new store in one write
      transaction, so two processes creating the same store seed it once);
    * :meth:`_write_cursor`: a context manager yielding a cursor inside a
      transaction that serialises writers (SQLite: ``BEGIN IMMEDIATE``; for
      PostgreSQL e.g. ``LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE``
      first, which also keeps audit times increasing), committing on success
      and rolling back on any exception;
    * :meth:`_read_cursor`: a cursor on one consistent snapshot;
    * :meth:`_migrations`: ``[(version, description, [statements])]`` with the
      tables ``sources``, ``claims`` (columns of ``schema`` plus
      ``record_time``, ``version``, ``deleted``) and ``audit_log`` (``audit_id``
      increasing, ``at``, ``who``, ``action``, ``entity``, ``entity_id``,
      ``version``, ``before_json``, ``after_json``);
    * optionally :meth:`_sql` to turn the ``?`` placeholders used here into
      the driver's style (``%s`` for psycopg), and ``close``/``backup``.
    """

    #: Reference line ids claims may name (``data/lines.csv`` of the seed
    #: directory, else the built-in three); assign a new set to widen it.
    known_lines: frozenset[str]

    def __init__(self, *, seed_dir: str | os.PathLike[str] | None, seed: bool) -> None:
        self._lock = threading.RLock()
        self._seed_dir = Path(seed_dir) if seed_dir is not None else repo_data_dir()
        self._seed = seed
        self.known_lines = known_line_ids(self._seed_dir if seed_dir is not None else None)

    # ---- backend hooks ---------------------------------------------------
    @abc.abstractmethod
    def _write_cursor(self) -> contextlib.AbstractContextManager[Any]:
        """Context manager: an exclusive write transaction, committed on success."""

    @abc.abstractmethod
    def _read_cursor(self) -> contextlib.AbstractContextManager[Any]:
        """Context manager: a consistent read snapshot."""

    @abc.abstractmethod
    def _migrations(self) -> list[Migration]:
        """Ordered migrations; version numbers start at 1 and increase by 1."""

    def _sql(self, query: str) -> str:
        """Adapt a query written with ``?`` placeholders to the driver."""
        return query

    # ---- small SQL helpers -----------------------------------------------
    def _rows(self, cur: Any, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur.execute(self._sql(query), tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _now(self, cur: Any) -> str:
        """A UTC stamp later than every audit record already written."""
        now = _dt.datetime.now(_dt.UTC)
        cur.execute(self._sql("SELECT MAX(at) FROM audit_log"))
        (last,) = cur.fetchone()
        if last:
            floor = parse_stamp(last) + _dt.timedelta(microseconds=1)
            now = max(now, floor)
        return utc_stamp(now)

    def _audit(
        self,
        cur: Any,
        rows: list[tuple[str, str, str, str, str, int, dict | None, dict | None]],
    ) -> None:
        params = [
            (
                at,
                who,
                action,
                entity,
                entity_id,
                version,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            )
            for at, who, action, entity, entity_id, version, before, after in rows
        ]
        cur.executemany(
            self._sql(
                "INSERT INTO audit_log (at, who, action, entity, entity_id, version, "
                "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params,
        )

    def _insert_claims(self, cur: Any, claims: list[Claim]) -> None:
        columns = [*S.CLAIM_COLUMNS, RECORD_TIME, VERSION, DELETED]
        marks = ", ".join("?" for _ in columns)
        cur.executemany(
            self._sql(f"INSERT INTO claims ({', '.join(columns)}) VALUES ({marks})"),
            [_claim_params(c, columns) for c in claims],
        )

    def _write_claim(self, cur: Any, claim: Claim) -> None:
        columns = [c for c in S.CLAIM_COLUMNS if c != S.CLAIM_ID] + [
            RECORD_TIME,
            VERSION,
            DELETED,
        ]
        sets = ", ".join(f"{c} = ?" for c in columns)
        cur.execute(
            self._sql(f"UPDATE claims SET {sets} WHERE claim_id = ?"),
            (*_claim_params(claim, columns), claim.claim_id),
        )

    def _insert_sources(self, cur: Any, sources: list[Source]) -> None:
        columns = [*S.SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]
        marks = ", ".join("?" for _ in columns)
        cur.executemany(
            self._sql(f"INSERT INTO sources ({', '.join(columns)}) VALUES ({marks})"),
            [tuple(int(v) if isinstance(v, bool) else v for v in (getattr(s, c) for c in columns)) for s in sources],
        )

    def _load_claim(self, cur: Any, claim_id: str) -> Claim:
        rows = self._rows(cur, "SELECT * FROM claims WHERE claim_id = ?", (claim_id,))
        if not rows:
            raise StoreError(f"no claim with id {claim_id!r}")
        return claim_from_record(rows[0])

    def _sources_by_id(self, cur: Any) -> dict[str, Source]:
        return {r[S.SOURCE_ID]: source_from_record(r) for r in self._rows(cur, "SELECT * FROM sources")}

    # ---- migrations and seeding -------------------------------------------
    def _migrate(self) -> None:
        migrations = self._migrations()
        latest = migrations[-1][0] if migrations else 0
        with self._lock, self._write_cursor() as cur:
            cur.execute(
                self._sql(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            )
            cur.execute(self._sql("SELECT MAX(version) FROM schema_version"))
            (current,) = cur.fetchone()
            current = int(current or 0)
            if current > latest:
                raise StoreError(
                    f"store {self.location} has schema version {current}, newer than this "
                    f"app supports ({latest}); update the app"
                )
            applied = utc_stamp(_dt.datetime.now(_dt.UTC))
            for version, description, statements in migrations:
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(self._sql(statement))
                cur.execute(
                    self._sql("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"),
                    (version, description, applied),
                )
            if current == 0 and self._seed:
                self._seed_from_files(cur)

    def _seed_from_files(self, cur: Any) -> None:
        import csv

        now = self._now(cur)
        for name, adder in (
            ("sources.csv", self._add_sources_tx),
            ("claims.csv", self._add_claims_tx),
        ):
            path = self._seed_dir / name
            if not path.is_file():
                continue
            try:
                with path.open(newline="", encoding="utf-8-sig") as fh:
                    records = [
                        row
                        for row in csv.DictReader(fh)
                        if any((v or "").strip() for v in row.values() if isinstance(v, str))
                    ]
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                raise DataFileError(f"{path}: cannot read seed file: {exc}") from exc
            try:
                adder(cur, records, SEED_USER, now, keep_ids=True, validated=None)
            except ValidationError as exc:
                raise DataFileError(f"{path}: {exc}") from exc

    # ---- writes -------------------------------------------------------------
    def add_sources(self, records: Sequence[Mapping[str, Any]], user: str, *, keep_ids: bool = True) -> list[str]:
        """Add sources in one transaction, all or none.

        Parameters
        ----------
        records : sequence of mapping
            Source rows (``schema.SOURCE_COLUMNS``). Without ``source_id`` (or
            with ``keep_ids=False``) an id is generated.
        user : str
            Name recorded in the audit log.
        keep_ids : bool, default True
            Keep the given ``source_id``; an id that exists already is refused.

        Returns
        -------
        list of str
            The ids of the new sources, in input order.

        Raises
        ------
        ValidationError
            For the first invalid row; nothing is written.
        """
        user = _check_user(user)
        records = list(records)
        validated = []
        for i, record in enumerate(records, start=1):
            rec = dict(record) if isinstance(record, Mapping) else record
            if isinstance(rec, dict) and (not keep_ids or _blank(rec.get(S.SOURCE_ID))):
                rec[S.SOURCE_ID] = new_id("s")
            validated.append(validate_source(rec, row=i))
        if not validated:
            return []
        with self._lock, self._write_cursor() as cur:
            return self._add_sources_tx(cur, records, user, self._now(cur), keep_ids=True, validated=validated)

    def _add_sources_tx(
        self,
        cur: Any,
        records: Sequence[Mapping[str, Any]],
        user: str,
        now: str,
        *,
        keep_ids: bool,
        validated: list[Source] | None,
    ) -> list[str]:
        if validated is None:
            validated = [validate_source(r, row=i) for i, r in enumerate(records, start=1)]
        existing = self._sources_by_id(cur)
        seen: set[str] = set()
        for i, source in enumerate(validated, start=1):
            if source.source_id in existing or source.source_id in seen:
                raise ValidationError(
                    f"source {source.source_id!r} exists already",
                    field=S.SOURCE_ID,
                    row=i,
                )
            seen.add(source.source_id)
        stored = [_stamp(s, now, 1) for s in validated]
        self._insert_sources(cur, stored)
        self._audit(cur, _source_insert_audit(stored, now, user))
        return [s.source_id for s in stored]

    def add_claims(self, records: Sequence[Mapping[str, Any]], user: str, *, keep_ids: bool = False) -> list[str]:
        """Add claims in one transaction, all or none.

        Parameters
        ----------
        records : sequence of mapping
            Claim rows (``schema.CLAIM_COLUMNS``). A row either references an
            existing ``source_id`` or carries the source inline (``publisher``,
            ``title``, ``url``, ``published``, ``language``, ``source_kind``):
            an inline source is matched to a stored one by URL (or publisher,
            title and date) or added. Meta columns (``record_time``,
            ``version``, ``deleted``) are ignored, so the output of
            :meth:`list_claims` can be added back.
        user : str
            Name recorded in the audit log.
        keep_ids : bool, default False
            Keep the given ``claim_id`` (for seeding and migrations); by default
            every claim gets a new id.

        Returns
        -------
        list of str
            The ids of the new claims, in input order.

        Raises
        ------
        ValidationError
            Naming the row and field of the first invalid row; nothing is written.
        """
        user = _check_user(user)
        records = list(records)
        if not records:
            return []
        # Everything that does not depend on the stored data is checked before
        # the transaction starts, so a bad file never waits for the write lock.
        prepared = self._prepare_claims(records, keep_ids=keep_ids)
        with self._lock, self._write_cursor() as cur:
            return self._add_claims_tx(
                cur,
                records,
                user,
                self._now(cur),
                keep_ids=keep_ids,
                validated=prepared,
            )

    def _prepare_claims(self, records: Sequence[Mapping[str, Any]], *, keep_ids: bool) -> list[_Prepared]:
        """Validate each row on its own, before any transaction."""
        prepared = []
        for i, record in enumerate(records, start=1):
            if not isinstance(record, Mapping):
                raise ValidationError(f"a claim must be an object, got {type(record).__name__}", row=i)
            rec = dict(record)
            if str(rec.get(DELETED, "")).strip().lower() in ("true", "1"):
                raise ValidationError(
                    "the row is a deleted claim; drop it or set deleted to false",
                    field=DELETED,
                    row=i,
                )
            inline = embedded_source(rec)
            has_id = not _blank(rec.get(S.CLAIM_SOURCE_ID))
            source, incomplete = None, None
            if inline:
                sid = rec.get(S.CLAIM_SOURCE_ID) if has_id else "pending"
                try:
                    source = validate_source({S.SOURCE_ID: sid, **inline}, row=i)
                except ValidationError as exc:
                    # A row naming a stored source may repeat only some of its
                    # fields: check the format of those, compare them later.
                    required = {
                        S.SOURCE_PUBLISHER: "-",
                        S.SOURCE_KIND: S.SOURCE_KINDS[0],
                    }
                    if not (has_id and exc.field in required and exc.field not in inline):
                        raise
                    incomplete = exc
                    filled = {**required, **inline, S.SOURCE_ID: sid}
                    source = validate_source(filled, row=i)
                if not has_id:
                    rec[S.CLAIM_SOURCE_ID] = "pending"
            if keep_ids:
                if _blank(rec.get(S.CLAIM_ID)):
                    raise ValidationError("is required when ids are kept", field=S.CLAIM_ID, row=i)
            else:
                rec[S.CLAIM_ID] = ""
            claim = validate_claim(rec, row=i, known_lines=self.known_lines)
            prepared.append(_Prepared(claim, source, frozenset(inline), has_id, incomplete))
        return prepared

    def _add_claims_tx(
        self,
        cur: Any,
        records: Sequence[Mapping[str, Any]],
        user: str,
        now: str,
        *,
        keep_ids: bool,
        validated: list[_Prepared] | None,
    ) -> list[str]:
        if validated is None:
            validated = self._prepare_claims(records, keep_ids=keep_ids)
        sources = self._sources_by_id(cur)
        by_url = {s.url: s for s in sources.values() if s.url and not s.deleted}
        by_key = {_source_key(s): s for s in sources.values() if not s.deleted}
        new_sources: list[Source] = []
        claims: list[Claim] = []
        seen_ids: set[str] = set()
        if keep_ids:
            wanted = [p.claim.claim_id for p in validated]
            existing = self._existing_claim_ids(cur, wanted)
        for i, (claim, inline, given, has_id, incomplete) in enumerate(validated, start=1):
            if has_id:
                source = sources.get(claim.source_id)
                if source is None and inline is None:
                    raise ValidationError(
                        f"unknown source {claim.source_id!r}; add the source first or give "
                        "its fields (publisher, source_kind, ...) in the row",
                        field=S.CLAIM_SOURCE_ID,
                        row=i,
                    )
                if source is not None and source.deleted:
                    raise ValidationError(
                        f"source {claim.source_id!r} is deleted; restore it first or cite another source",
                        field=S.CLAIM_SOURCE_ID,
                        row=i,
                    )
                if source is not None and inline is not None:
                    _check_same_source(source, inline, given, i)
                if source is None and incomplete is not None:
                    raise incomplete
            else:
                assert inline is not None
                source = by_url.get(inline.url) if inline.url else by_key.get(_source_key(inline))
            if source is None:
                sid = claim.source_id if has_id else new_id("s")
                source = _stamp(Source(**{**inline.to_dict(), S.SOURCE_ID: sid}), now, 1)
                sources[sid] = source
                if source.url:
                    by_url[source.url] = source
                by_key[_source_key(source)] = source
                new_sources.append(source)
            claim_id = claim.claim_id if keep_ids else new_id("c")
            if keep_ids and (claim_id in existing or claim_id in seen_ids):
                raise ValidationError(f"claim {claim_id!r} exists already", field=S.CLAIM_ID, row=i)
            seen_ids.add(claim_id)
            claims.append(
                Claim(
                    **{
                        **claim.to_dict(),
                        S.CLAIM_ID: claim_id,
                        S.CLAIM_SOURCE_ID: source.source_id,
                        RECORD_TIME: now,
                        VERSION: 1,
                        DELETED: False,
                    }
                )
            )
        if new_sources:
            self._insert_sources(cur, new_sources)
        self._insert_claims(cur, claims)
        self._audit(
            cur,
            _source_insert_audit(new_sources, now, user)
            + [
                (
                    now,
                    user,
                    ACTION_INSERT,
                    ENTITY_CLAIM,
                    c.claim_id,
                    1,
                    None,
                    c.to_dict(),
                )
                for c in claims
            ],
        )
        return [c.claim_id for c in claims]

    def _existing_claim_ids(self, cur: Any, wanted: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            cur.execute(
                self._sql(f"SELECT claim_id FROM claims WHERE claim_id IN ({marks})"),
                chunk,
            )
            found.update(r[0] for r in cur.fetchall())
        return found

    def update_claim(
        self,
        claim_id: str,
        changes: Mapping[str, Any],
        *,
        user: str,
        expected_version: int,
    ) -> Claim:
        """Change fields of a claim, refusing edits made on a stale version.

        Parameters
        ----------
        claim_id : str
            The claim to edit.
        changes : mapping
            Schema fields to change (not ``claim_id``). Changing ``value``,
            ``unit`` or ``kind`` without giving ``value_km2``/``value_km``
            recomputes them from the unit.
        user : str
            Name recorded in the audit log.
        expected_version : int
            The ``version`` the editor saw; if the claim has changed since,
            :class:`ConflictError` is raised and nothing is written.

        Returns
        -------
        Claim
            The stored new state (the same claim if nothing changed).
        """
        user = _check_user(user)
        if isinstance(expected_version, bool) or not isinstance(expected_version, numbers.Integral):
            raise ValidationError(
                "the version the edit was made on is required (an integer)",
                field="expected_version",
            )
        if not isinstance(changes, Mapping):
            raise ValidationError("changes must be a mapping of field to value")
        allowed = set(S.CLAIM_COLUMNS) - {S.CLAIM_ID}
        for key in changes:
            if key == S.CLAIM_ID and changes[key] == claim_id:
                continue
            if key not in allowed:
                raise ValidationError("cannot be changed by an edit", field=str(key)[:40])
        with self._lock, self._write_cursor() as cur:
            current = self._load_claim(cur, claim_id)
            if current.deleted:
                raise StoreError(f"claim {claim_id!r} is deleted; undo the delete before editing")
            if int(expected_version) != current.version:
                last = self._last_audit(cur, claim_id)
                raise ConflictError(
                    f"claim {claim_id!r} was changed by {last.get('who', '?')} at "
                    f"{last.get('at', '?')} (now version {current.version}, you edited "
                    f"version {expected_version}); reload it and apply your change again"
                )
            merged = {c: getattr(current, c) for c in S.CLAIM_COLUMNS}
            merged.update({k: v for k, v in changes.items() if k != S.CLAIM_ID})
            touched = set(changes)
            if touched & {S.CLAIM_VALUE, S.CLAIM_UNIT, S.CLAIM_KIND}:
                for derived in (S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM):
                    if derived not in touched:
                        merged[derived] = None
            sources = {k: v for k, v in self._sources_by_id(cur).items() if not v.deleted or k == current.source_id}
            claim = validate_claim(
                merged,
                known_lines=self.known_lines,
                known_sources=sources,
                allow_source_fields=False,
            )
            if all(getattr(claim, c) == getattr(current, c) for c in S.CLAIM_COLUMNS):
                return current
            now = self._now(cur)
            new = Claim(
                **{
                    **claim.to_dict(),
                    S.CLAIM_ID: claim_id,
                    RECORD_TIME: now,
                    VERSION: current.version + 1,
                    DELETED: False,
                }
            )
            self._write_claim(cur, new)
            self._audit(
                cur,
                [
                    (
                        now,
                        user,
                        ACTION_UPDATE,
                        ENTITY_CLAIM,
                        claim_id,
                        new.version,
                        current.to_dict(),
                        new.to_dict(),
                    )
                ],
            )
            return new

    def _last_audit(self, cur: Any, claim_id: str) -> dict[str, Any]:
        rows = self._rows(
            cur,
            "SELECT at, who FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY audit_id DESC LIMIT 1",
            (ENTITY_CLAIM, claim_id),
        )
        return rows[0] if rows else {}

    def _set_deleted(self, claim_id: str, user: str, deleted: bool, expected_version: int | None) -> Claim:
        user = _check_user(user)
        action = ACTION_DELETE if deleted else ACTION_RESTORE
        with self._lock, self._write_cursor() as cur:
            current = self._load_claim(cur, claim_id)
            if current.deleted == deleted:
                state = "deleted already" if deleted else "not deleted"
                raise StoreError(f"claim {claim_id!r} is {state}")
            if expected_version is not None and int(expected_version) != current.version:
                raise ConflictError(
                    f"claim {claim_id!r} is at version {current.version}, not "
                    f"{expected_version}; reload it before deleting"
                )
            now = self._now(cur)
            new = Claim(
                **{
                    **current.to_dict(),
                    RECORD_TIME: now,
                    VERSION: current.version + 1,
                    DELETED: deleted,
                }
            )
            self._write_claim(cur, new)
            self._audit(
                cur,
                [
                    (
                        now,
                        user,
                        action,
                        ENTITY_CLAIM,
                        claim_id,
                        new.version,
                        current.to_dict(),
                        new.to_dict(),
                    )
                ],
            )
            return new

    def delete_claim(self, claim_id: str, user: str, *, expected_version: int | None = None) -> Claim:
        """Soft-delete a claim (it stays in the store and can be restored).

        Parameters
        ----------
        claim_id : str
        user : str
            Name recorded in the audit log.
        expected_version : int, optional
            If given, refuse with :class:`ConflictError` when the claim changed.

        Returns
        -------
        Claim
            The deleted state (``deleted=True``).
        """
        return self._set_deleted(claim_id, user, True, expected_version)

    def undo_delete(self, claim_id: str, user: str) -> Claim:
        """Restore a soft-deleted claim; the restore is itself audited.

        Returns
        -------
        Claim
            The restored state (``deleted=False``, version increased).
        """
        return self._set_deleted(claim_id, user, False, None)

    # ---- sources: edit, delete, restore -----------------------------------
    def _load_source(self, cur: Any, source_id: str) -> Source:
        rows = self._rows(cur, "SELECT * FROM sources WHERE source_id = ?", (source_id,))
        if not rows:
            raise StoreError(f"no source with id {source_id!r}")
        return source_from_record(rows[0])

    def _write_source(self, cur: Any, source: Source) -> None:
        columns = [c for c in S.SOURCE_COLUMNS if c != S.SOURCE_ID] + [RECORD_TIME, VERSION, DELETED]
        sets = ", ".join(f"{c} = ?" for c in columns)
        values = tuple(int(v) if isinstance(v, bool) else v for v in (getattr(source, c) for c in columns))
        cur.execute(self._sql(f"UPDATE sources SET {sets} WHERE source_id = ?"), (*values, source.source_id))

    def _last_source_audit(self, cur: Any, source_id: str) -> dict[str, Any]:
        rows = self._rows(
            cur,
            "SELECT at, who FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY audit_id DESC LIMIT 1",
            (ENTITY_SOURCE, source_id),
        )
        return rows[0] if rows else {}

    def _claims_citing(self, cur: Any, source_id: str) -> list[str]:
        rows = self._rows(
            cur,
            "SELECT claim_id FROM claims WHERE source_id = ? AND deleted = 0 ORDER BY claim_id",
            (source_id,),
        )
        return [r[S.CLAIM_ID] for r in rows]

    def get_source(self, source_id: str) -> Source:
        """Return the current state of one source, deleted or not.

        Raises
        ------
        StoreError
            If there is no source with this id.
        """
        with self._lock, self._read_cursor() as cur:
            return self._load_source(cur, source_id)

    def claims_citing(self, source_id: str) -> list[str]:
        """Ids of the claims (not deleted) that cite ``source_id``, sorted."""
        with self._lock, self._read_cursor() as cur:
            return self._claims_citing(cur, source_id)

    def update_source(self, source_id: str, changes: Mapping[str, Any], *, user: str, expected_version: int) -> Source:
        """Change fields of a source (audited), refusing edits made on a stale version.

        Parameters
        ----------
        source_id : str
        changes : mapping
            Fields of ``schema.SOURCE_COLUMNS`` to change (not ``source_id``).
        user : str
            Name recorded in the audit log.
        expected_version : int
            The ``version`` the editor saw; if the source changed since,
            :class:`ConflictError` is raised and nothing is written.

        Returns
        -------
        Source
            The stored new state (the same source if nothing changed).

        Raises
        ------
        ValidationError, ConflictError, StoreError
            Nothing is written then.
        """
        user = _check_user(user)
        if isinstance(expected_version, bool) or not isinstance(expected_version, numbers.Integral):
            raise ValidationError("the version the edit was made on is required (an integer)", field="expected_version")
        if not isinstance(changes, Mapping):
            raise ValidationError("changes must be a mapping of field to value")
        for key in changes:
            if key == S.SOURCE_ID and changes[key] != source_id:
                raise ValidationError("a source's id cannot be changed", field=S.SOURCE_ID)
            if key not in S.SOURCE_COLUMNS:
                raise ValidationError("cannot be changed by an edit", field=str(key)[:40])
        with self._lock, self._write_cursor() as cur:
            current = self._load_source(cur, source_id)
            if current.deleted:
                raise StoreError(f"source {source_id!r} is deleted; restore it before editing")
            if int(expected_version) != current.version:
                last = self._last_source_audit(cur, source_id)
                raise ConflictError(
                    f"source {source_id!r} was changed by {last.get('who', '?')} at {last.get('at', '?')} "
                    f"(now version {current.version}, you edited version {expected_version}); "
                    "reload it and apply your change again"
                )
            merged = {c: getattr(current, c) for c in S.SOURCE_COLUMNS}
            merged.update({k: v for k, v in changes.items() if k != S.SOURCE_ID})
            source = validate_source(merged)
            if all(getattr(source, c) == getattr(current, c) for c in S.SOURCE_COLUMNS):
                return current
            now = self._now(cur)
            new = _stamp(source, now, current.version + 1)
            self._write_source(cur, new)
            self._audit(
                cur,
                [(now, user, ACTION_UPDATE, ENTITY_SOURCE, source_id, new.version, current.to_dict(), new.to_dict())],
            )
            return new

    def _set_source_deleted(self, source_id: str, user: str, deleted: bool, expected_version: int | None) -> Source:
        user = _check_user(user)
        with self._lock, self._write_cursor() as cur:
            current = self._load_source(cur, source_id)
            if current.deleted == deleted:
                raise StoreError(f"source {source_id!r} is {'deleted already' if deleted else 'not deleted'}")
            if expected_version is not None and int(expected_version) != current.version:
                raise ConflictError(
                    f"source {source_id!r} is at version {current.version}, not {expected_version}; "
                    "reload it before deleting"
                )
            if deleted:
                citing = self._claims_citing(cur, source_id)
                if citing:
                    shown = ", ".join(citing[:20]) + (f" and {len(citing) - 20} more" if len(citing) > 20 else "")
                    raise StoreError(
                        f"source {source_id!r} is cited by {len(citing)} claim(s): {shown}; "
                        "delete those claims or point them to another source first; nothing was changed"
                    )
            now = self._now(cur)
            new = Source(**{**current.to_dict(), RECORD_TIME: now, VERSION: current.version + 1, DELETED: deleted})
            self._write_source(cur, new)
            action = ACTION_DELETE if deleted else ACTION_RESTORE
            self._audit(
                cur, [(now, user, action, ENTITY_SOURCE, source_id, new.version, current.to_dict(), new.to_dict())]
            )
            return new

    def delete_source(self, source_id: str, user: str, *, expected_version: int | None = None) -> Source:
        """Soft-delete a source (audited; :meth:`restore_source` undoes it).

        A source that claims still cite (claims not deleted) is refused with
        the list of those claims: deleting never cascades to claims.

        Raises
        ------
        StoreError
            Unknown source, deleted already, or cited by claims.
        ConflictError
            ``expected_version`` given and the source changed since.
        """
        return self._set_source_deleted(source_id, user, True, expected_version)

    def restore_source(self, source_id: str, user: str) -> Source:
        """Restore a soft-deleted source; the restore is itself audited."""
        return self._set_source_deleted(source_id, user, False, None)

    # ---- reads --------------------------------------------------------------
    def get_claim(self, claim_id: str) -> Claim:
        """Return the current state of one claim, deleted or not.

        Raises
        ------
        StoreError
            If there is no claim with this id.
        """
        with self._lock, self._read_cursor() as cur:
            return self._load_claim(cur, claim_id)

    def _state_as_of(self, cur: Any, entity: str, bound: str) -> dict[str, dict[str, Any]]:
        rows = self._rows(
            cur,
            "SELECT entity_id, after_json FROM audit_log WHERE entity = ? AND at < ? ORDER BY audit_id",
            (entity, bound),
        )
        state: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["after_json"] is not None:
                state[row["entity_id"]] = json.loads(row["after_json"])
        return state

    def list_claims(self, *, as_of: Any = None, include_deleted: bool = False, **filters: Any) -> pd.DataFrame:
        """Return claims joined with their sources.

        Parameters
        ----------
        as_of : date, datetime or ISO str, optional
            Show the registry as it was recorded at that moment (a date means
            the end of that day, UTC): later additions, edits and deletes are
            invisible.
        include_deleted : bool, default False
            Also return soft-deleted claims (``deleted`` column True).
        **filters
            Passed to :func:`filter_claims` (``actor``, ``party``, ``stance``,
            ``kind``, ``reference_line``, ``source_id``, ``reliability_source``,
            ``reliability_info``, ``claim_ids``, ``date_from``, ``date_to``,
            ``text``).

        Returns
        -------
        pandas.DataFrame
            Columns :data:`LIST_COLUMNS`: ``schema.CLAIM_COLUMNS``, the source's
            ``publisher``, ``title``, ``url``, ``published``, ``language``,
            ``source_kind``, then ``record_time``, ``version``, ``deleted``.
            Sorted by event date and id.
        """
        with self._lock, self._read_cursor() as cur:
            if as_of is None:
                where = "" if include_deleted else " WHERE deleted = 0"
                claims = [claim_from_record(r) for r in self._rows(cur, "SELECT * FROM claims" + where)]
                sources = self._sources_by_id(cur)
            else:
                bound = as_of_bound(as_of)
                claims = [claim_from_record(r) for r in self._state_as_of(cur, ENTITY_CLAIM, bound).values()]
                if not include_deleted:
                    claims = [c for c in claims if not c.deleted]
                sources = {k: source_from_record(v) for k, v in self._state_as_of(cur, ENTITY_SOURCE, bound).items()}
        frame = _claims_frame(claims, sources)
        unknown = set(filters) - _FILTER_NAMES
        if unknown:
            raise ValidationError(f"unknown filter {min(unknown)!r}", field="filters")
        return filter_claims(frame, **filters) if filters else frame

    def list_sources(self, *, as_of: Any = None, include_deleted: bool = False) -> pd.DataFrame:
        """Return sources (columns :data:`SOURCE_LIST_COLUMNS`), optionally as of a moment.

        Deleted sources (see :meth:`delete_source`) are left out unless ``include_deleted``.
        """
        with self._lock, self._read_cursor() as cur:
            if as_of is None:
                sources = list(self._sources_by_id(cur).values())
            else:
                state = self._state_as_of(cur, ENTITY_SOURCE, as_of_bound(as_of))
                sources = [source_from_record(v) for v in state.values()]
        if not include_deleted:
            sources = [src for src in sources if not src.deleted]
        frame = pd.DataFrame([s.to_dict() for s in sources], columns=SOURCE_LIST_COLUMNS)
        frame[VERSION] = frame[VERSION].astype("int64")
        frame[DELETED] = frame[DELETED].astype(bool)
        return frame.sort_values(S.SOURCE_ID).reset_index(drop=True)

    def history(self, claim_id: str) -> list[dict[str, Any]]:
        """Return the audit records of one claim, oldest first.

        Returns
        -------
        list of dict
            Keys ``audit_id``, ``at`` (UTC), ``user``, ``action`` (insert,
            update, delete, restore), ``claim_id``, ``version``, ``before``
            and ``after`` (dicts, or None).

        Raises
        ------
        StoreError
            If the claim has never existed.
        """
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(
                cur,
                "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY audit_id",
                (ENTITY_CLAIM, claim_id),
            )
        if not rows:
            raise StoreError(f"no claim with id {claim_id!r}")
        return [_audit_record(r) for r in rows]

    def audit_log(self, *, entity: str | None = None, since: Any = None) -> pd.DataFrame:
        """Return audit records (oldest first) as a DataFrame.

        Parameters
        ----------
        entity : {"claim", "source"}, optional
        since : date, datetime or ISO str, optional
            Only records after this moment.
        """
        query = "SELECT * FROM audit_log"
        clauses, params = [], []
        if entity:
            clauses.append("entity = ?")
            params.append(entity)
        if since is not None:
            clauses.append("at >= ?")
            params.append(as_of_bound(since))
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, query + " ORDER BY audit_id", params)
        columns = [
            "audit_id",
            "at",
            "user",
            "action",
            "entity",
            "entity_id",
            "version",
            "before",
            "after",
        ]
        return pd.DataFrame([_audit_record(r, generic=True) for r in rows], columns=columns)

    def revision(self) -> int:
        """Return the id of the latest audit record: it grows with every write.

        Cheap (one indexed lookup), so a page can key its caches on it rather
        than on ``len(audit_log())``.
        """
        with self._lock, self._read_cursor() as cur:
            cur.execute(self._sql("SELECT MAX(audit_id) FROM audit_log"))
            (last,) = cur.fetchone()
        return int(last or 0)

    def schema_version(self) -> int:
        """Return the highest applied migration."""
        with self._lock, self._read_cursor() as cur:
            cur.execute(self._sql("SELECT MAX(version) FROM schema_version"))
            (version,) = cur.fetchone()
        return int(version or 0)


_FILTER_NAMES = frozenset(
    {
        "actor",
        "party",
        "stance",
        "kind",
        "reference_line",
        "source_id",
        "reliability_source",
        "reliability_info",
        "claim_ids",
        "date_from",
        "date_to",
        "text",
    }
)


def _source_insert_audit(sources: Sequence[Source], now: str, user: str) -> list[tuple]:
    """Audit rows for newly inserted sources (version 1, nothing before)."""
    return [(now, user, ACTION_INSERT, ENTITY_SOURCE, s.source_id, 1, None, s.to_dict()) for s in sources]


def _audit_record(row: Mapping[str, Any], *, generic: bool = False) -> dict[str, Any]:
    out = {
        "audit_id": int(row["audit_id"]),
        "at": row["at"],
        "user": row["who"],
        "action": row["action"],
    }
    if generic:
        out["entity"] = row["entity"]
        out["entity_id"] = row["entity_id"]
    else:
        out[S.CLAIM_ID] = row["entity_id"]
    out["version"] = row["version"]
    out["before"] = json.loads(row["before_json"]) if row["before_json"] else None
    out["after"] = json.loads(row["after_json"]) if row["after_json"] else None
    return out


def _claim_params(claim: Claim, columns: Sequence[str]) -> tuple[Any, ...]:
    values = []
    for column in columns:
        value = getattr(claim, column)
        values.append(int(value) if isinstance(value, bool) else value)
    return tuple(values)


def _stamp(source: Source, now: str, version: int) -> Source:
    return Source(**{**source.to_dict(), RECORD_TIME: now, VERSION: version, DELETED: False})


def _source_key(source: Source) -> tuple[str, str, str]:
    return (source.publisher.casefold(), source.title.casefold(), source.published)


def _check_same_source(stored: Source, inline: Source, given: frozenset[str], row: int) -> None:
    for column in EMBEDDED_SOURCE_COLUMNS:
        value = getattr(inline, column)
        if column in given and value != getattr(stored, column):
            raise ValidationError(
                f"source {stored.source_id!r} is stored with {column} "
                f"{getattr(stored, column)!r}, the row says {value!r}; drop the source_id to "
                "add a new source, or leave the source fields out",
                field=column,
                row=row,
            )


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _check_user(user: Any) -> str:
    if not isinstance(user, str) or not user.strip():
        raise ValidationError("a user name is required for the audit log", field="user")
    user = user.strip()
    if len(user) > 100 or any(ord(ch) < 32 or ord(ch) == 127 for ch in user):
        raise ValidationError("must be at most 100 printable characters", field="user")
    return user


__all__ = [
    "LIST_COLUMNS",
    "META_COLUMNS",
    "SOURCE_LIST_COLUMNS",
    "SQLStore",
    "Store",
    "as_of_bound",
    "default_data_dir",
    "default_store_location",
    "filter_claims",
    "open_store",
]
