"""The shared SQL store: one class for every SQL backend, and its reads.

:class:`SQLStore` puts together the row helpers (:mod:`~geo.claims.store.sql_base`),
the claim writes (:mod:`~geo.claims.store.sql_claims`) and the source writes
(:mod:`~geo.claims.store.sql_sources`), and adds here the migrations, the
seeding of a new store and the reads: current state, "as known on" a past
moment (rebuilt from the audit log), a claim's history and the audit log.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import pandas as pd

from geo import schema as S
from geo.auth import Action, Principal
from geo.claims.model import DELETED, VERSION, Claim, validate_source
from geo.claims.store.audit_chain import verify_rows
from geo.claims.store.base import (
    AUDIT_LOG_COLUMNS,
    JOINED_SOURCE_COLUMNS,
    SEED_USER,
    SOURCE_LIST_COLUMNS,
    AuditEntity,
    audit_record,
    claim_from_record,
    source_from_record,
)
from geo.claims.store.query import (
    FILTER_NAMES,
    as_of_bound,
    claims_frame,
    filter_claims,
    frame_from_rows,
    sql_filters,
    utc_stamp,
)
from geo.claims.store.seed import SeedReport, read_seed_tables
from geo.claims.store.sql_base import CLAIM_TABLE_COLUMNS
from geo.claims.store.sql_claims import ClaimWrites
from geo.claims.store.sql_sources import SourceWrites
from geo.claims.store.sql_tokens import TokenWrites
from geo.claims.theatre_rules import check_theatre_id, rules_for
from geo.errors import DataFileError, StoreError, ValidationError
from geo.theatres import get_theatre, list_theatres

#: The date an undated seed row is checked with (its other fields only; it is never stored).
_CHECK_DATE = "2000-01-01"


def _at_row(exc: ValidationError, row: int | None) -> ValidationError:
    """``exc`` with its row number replaced by ``row`` (a file's row rather than a batch's)."""
    message = str(exc).split(": ", 1)[-1] if exc.row is not None or exc.field else str(exc)
    return ValidationError(message, field=exc.field, row=row)


class SQLStore(ClaimWrites, SourceWrites, TokenWrites):
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
      the driver's style (``%s`` for psycopg), :meth:`_after_bulk_load` (after
      :func:`geo.claims.store.migrate.copy_store` copied rows in with their
      ids), and ``close``/``backup``;
    * and registers itself for its URL scheme with
      :func:`geo.claims.store.registry.register`.
    """

    #: A ``COLLATE`` clause making text comparisons follow code points, as Python's do
    #: (SQLite's default already does; PostgreSQL's default collation follows the locale).
    _COLLATE_CODEPOINTS = ""

    # ---- migrations and seeding -------------------------------------------
    def _migrate(self) -> None:
        migrations = self._migrations()
        latest = migrations[-1][0] if migrations else 0
        if latest and self._applied_version() == latest:
            return  # nothing to do: needs no write (a PostGIS app role may not create tables)
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
            if self._seed and current < latest:
                self._seed_from_files(cur, new=current == 0)

    def _applied_version(self) -> int | None:
        """The schema version, or None while the store has no ``schema_version`` table."""
        try:
            return self.schema_version()
        except Exception:  # noqa: BLE001 - a new store: no table yet (the error type is the driver's)
            return None

    def _seed_from_files(self, cur: Any, *, new: bool) -> None:
        """Seed a new store, or an upgraded one with the shipped theatres it holds no claims of.

        With the default seed directory every shipped theatre is seeded (an upgraded store
        only gets the theatres none of whose claims it holds, deleted ones included); with a
        seed directory given, that directory only, and only into a new store. Claim rows
        without an event date are left out and named in :attr:`seed_problems`
        (``python -m geo theatre list`` and ``claims seed`` print them).
        """
        self.seed_problems = []
        if not self._seed_all:
            if new:
                self.seed_problems = self._seed_tables(cur, self._seed_dir, self.default_theatre, SEED_USER).skipped
            return
        held = set() if new else set(self._claim_counts(cur, include_deleted=True))
        for theatre in list_theatres():
            if theatre.shipped and theatre.id not in held:
                report = self._seed_tables(cur, theatre.path, theatre.id, SEED_USER)
                self.seed_problems.extend(report.skipped)

    def _seed_tables(self, cur: Any, directory: Any, theatre: str, user: str) -> SeedReport:
        """Add a theatre's sources (those not stored yet) and claims, keeping their ids."""
        tables = read_seed_tables(directory)
        for number, row in tables.undated:  # left out for their date only: any other fault refuses the seed
            try:
                self._prepare_claims([{**row, S.CLAIM_EVENT_DATE: _CHECK_DATE}], keep_ids=True, theatre=theatre)
            except ValidationError as exc:
                raise DataFileError(f"{tables.claims_path}: {_at_row(exc, number)}") from exc
        now = self._now(cur)
        stored = set(self._sources_by_id(cur))
        try:
            checked = [validate_source(r, row=i) for i, r in enumerate(tables.sources, start=1)]
            new = [s for s in checked if s.source_id not in stored]
            if new:
                self._add_sources_tx(cur, [s.to_dict() for s in new], user, now, keep_ids=True, validated=new)
        except ValidationError as exc:
            raise DataFileError(f"{tables.sources_path}: {exc}") from exc
        try:
            claim_ids = self._add_claims_tx(
                cur, tables.claims, user, now, keep_ids=True, validated=None, theatre=theatre
            )
        except ValidationError as exc:
            raise DataFileError(f"{tables.claims_path}: {_at_row(exc, tables.file_row(exc.row))}") from exc
        return SeedReport(theatre, claim_ids, [s.source_id for s in new], tables.skipped)

    def seed_theatre(self, theatre_id: str, user: Principal | str) -> SeedReport:
        """Add a theatre's ``claims.csv`` (and the sources of its ``sources.csv`` not stored yet) to the registry.

        Parameters
        ----------
        theatre_id : str
            A shipped or user theatre none of whose claims the registry holds.
        user : Principal or str
            Who adds them (recorded in the audit log).

        Returns
        -------
        SeedReport
            The ids added and the rows left out (no event date), each named by file, row and field.

        Raises
        ------
        ValidationError
            Unknown theatre, or the registry holds claims of it already; nothing is written.
        DataFileError
            A seed row is invalid (file, row and field named); nothing is written.
        """
        who = self._authorize(user, Action.ADD)
        rules = rules_for(theatre_id)
        theatre = get_theatre(rules.theatre)
        with self._lock, self._write_cursor() as cur:
            held = self._claim_counts(cur, include_deleted=True).get(rules.theatre, 0)
            if held:
                raise ValidationError(
                    f"the registry holds {held} claims of theatre '{rules.theatre}' already; add new ones with "
                    "'claims add --theatre', nothing was seeded",
                    field=S.CLAIM_THEATRE,
                )
            return self._seed_tables(cur, theatre.path, rules.theatre, who)

    def _claim_counts(self, cur: Any, *, include_deleted: bool = False) -> dict[str, int]:
        where = "" if include_deleted else " WHERE deleted = 0"
        cur.execute(self._sql(f"SELECT {S.CLAIM_THEATRE}, COUNT(*) FROM claims{where} GROUP BY {S.CLAIM_THEATRE}"))
        return {str(t): int(n) for t, n in cur.fetchall()}

    def claim_counts(self) -> dict[str, int]:
        """The number of claims (not deleted) of each theatre the registry holds claims of."""
        with self._lock, self._read_cursor() as cur:
            return self._claim_counts(cur)

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
            (str(entity), bound),
        )
        state: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["after_json"] is not None:
                state[row["entity_id"]] = json.loads(row["after_json"])
        return state

    def list_claims(
        self, *, as_of: Any = None, include_deleted: bool = False, theatre: str | None = None, **filters: Any
    ) -> pd.DataFrame:
        """Return claims joined with their sources.

        Parameters
        ----------
        as_of : date, datetime or ISO str, optional
            Show the registry as it was recorded at that moment (a date means
            the end of that day, UTC): later additions, edits and deletes are
            invisible.
        include_deleted : bool, default False
            Also return soft-deleted claims (``deleted`` column True).
        theatre : str, optional
            Only the claims of this theatre (selected in SQL); all theatres' by default.
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
        wanted = None if theatre is None else check_theatre_id(theatre)
        unknown = set(filters) - FILTER_NAMES
        if unknown:
            raise ValidationError(f"unknown filter {min(unknown)!r}", field="filters")
        with self._lock, self._read_cursor() as cur:
            if as_of is None:
                # Selected, joined and filtered in SQL; the frame is built from the rows kept (no Claim objects).
                clauses, params, rest = sql_filters(filters, collate=self._COLLATE_CODEPOINTS)
                clauses = (
                    ([] if include_deleted else ["c.deleted = 0"])
                    + ([] if wanted is None else ["c.theatre = ?"])
                    + clauses
                )
                params = ([] if wanted is None else [wanted]) + params
                where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
                # Claims only; each source's columns are looked up once per source, not fetched
                # again with each of its claims.
                names = ", ".join(f"c.{c}" for c in CLAIM_TABLE_COLUMNS)
                cur.execute(self._sql(f"SELECT {names} FROM claims c" + where), tuple(params))
                rows = cur.fetchall()
                sources = {
                    r[S.SOURCE_ID]: r
                    for r in self._rows(cur, f"SELECT {', '.join([S.SOURCE_ID, *JOINED_SOURCE_COLUMNS])} FROM sources")
                }
                frame = frame_from_rows(CLAIM_TABLE_COLUMNS, rows, sources=sources)
                return filter_claims(frame, **rest) if rest else frame
            else:
                bound = as_of_bound(as_of)
                claims = [claim_from_record(r) for r in self._state_as_of(cur, AuditEntity.CLAIM, bound).values()]
                if not include_deleted:
                    claims = [c for c in claims if not c.deleted]
                if wanted is not None:
                    claims = [c for c in claims if c.theatre == wanted]
                sources = {
                    k: source_from_record(v) for k, v in self._state_as_of(cur, AuditEntity.SOURCE, bound).items()
                }
        frame = claims_frame(claims, sources)
        return filter_claims(frame, **filters) if filters else frame

    def list_sources(self, *, as_of: Any = None, include_deleted: bool = False) -> pd.DataFrame:
        """Return sources (columns :data:`SOURCE_LIST_COLUMNS`), optionally as of a moment.

        Deleted sources (see :meth:`delete_source`) are left out unless ``include_deleted``.
        """
        with self._lock, self._read_cursor() as cur:
            if as_of is None:
                sources = list(self._sources_by_id(cur).values())
            else:
                state = self._state_as_of(cur, AuditEntity.SOURCE, as_of_bound(as_of))
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
                (str(AuditEntity.CLAIM), claim_id),
            )
        if not rows:
            raise StoreError(f"no claim with id {claim_id!r}")
        return [audit_record(r) for r in rows]

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
        return pd.DataFrame([audit_record(r, generic=True) for r in rows], columns=AUDIT_LOG_COLUMNS)

    def revision(self) -> int:
        """Return the id of the latest audit record: it grows with every write.

        Cheap (one indexed lookup), so a page can key its caches on it rather
        than on ``len(audit_log())``.
        """
        with self._lock, self._read_cursor() as cur:
            cur.execute(self._sql("SELECT MAX(audit_id) FROM audit_log"))
            (last,) = cur.fetchone()
        return int(last or 0)

    # ---- the audit chain ------------------------------------------------------
    def verify_audit(self) -> dict[str, Any]:
        """Recompute the audit log's hash chain (:func:`~geo.claims.store.audit_chain.verify_rows`).

        Returns
        -------
        dict
            ``ok``, ``records``, ``sealed``, ``unsealed``, ``head``,
            ``first_tampered`` (None or ``{"audit_id", "reason"}``) and ``store``.
        """
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, "SELECT * FROM audit_log ORDER BY audit_id")
        return {**verify_rows(rows), "store": self.location}

    def schema_version(self) -> int:
        """Return the highest applied migration."""
        with self._lock, self._read_cursor() as cur:
            cur.execute(self._sql("SELECT MAX(version) FROM schema_version"))
            (version,) = cur.fetchone()
        return int(version or 0)


__all__ = ["SQLStore"]
