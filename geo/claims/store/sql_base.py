"""What a SQL backend supplies, and the small SQL helpers every store operation uses.

:class:`SQLBase` is the root of the shared SQL implementation: the backend
hooks (connection, transactions, migrations) and row-level helpers (read rows,
insert and update one claim or source, write audit records). The operations
are mixed in on top of it by :mod:`~geo.claims.store.sql_claims`,
:mod:`~geo.claims.store.sql_sources` and :mod:`~geo.claims.store.sql`.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as _dt
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo import schema as S
from geo.auth import Action, Principal, as_principal, require
from geo.claims.model import DELETED, RECORD_TIME, VERSION, Claim, Source
from geo.claims.store.audit_chain import chain_hash
from geo.claims.store.base import (
    AuditAction,
    AuditEntity,
    Store,
    check_user,
    claim_from_record,
    row_params,
    source_from_record,
)
from geo.claims.store.query import parse_stamp, utc_stamp
from geo.claims.theatre_rules import (
    DEFAULT_THEATRE,
    ClaimRules,
    default_sides,
    known_line_ids,
    repo_data_dir,
    rules_for,
)
from geo.errors import StoreError, ValidationError

#: One migration: ``(version, description, [SQL statements])``.
Migration = tuple[int, str, list[str]]
#: One audit record to write: ``(at, who, action, entity, entity_id, version, before, after)``.
AuditRow = tuple[str, str, str, str, str, int | None, dict | None, dict | None]

#: Columns of the ``claims`` and ``sources`` tables.
CLAIM_TABLE_COLUMNS = [*S.CLAIM_COLUMNS, S.CLAIM_THEATRE, RECORD_TIME, VERSION, DELETED]
SOURCE_TABLE_COLUMNS = [*S.SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]


class SQLBase(Store):
    """Backend hooks and row helpers of :class:`geo.claims.store.sql.SQLStore`.

    A backend implements the abstract hooks below (see ``SQLStore`` for the
    whole contract); everything else is written once here, with ``?``
    placeholders that :meth:`_sql` adapts to the driver.
    """

    #: Reference line ids claims may name (``data/lines.csv`` of the seed
    #: directory, else the built-in three); assign a new set to widen it.
    known_lines: frozenset[str]
    #: The theatre of the claims seeded from the seed directory, and of claims added without one:
    #: the seed directory's name when it is a theatre (holds ``theatre.json``), else the default theatre.
    default_theatre: str

    def __init__(self, *, seed_dir: str | os.PathLike[str] | None, seed: bool) -> None:
        self._lock = threading.RLock()
        self._seed_dir = Path(seed_dir) if seed_dir is not None else repo_data_dir()
        self._seed = seed
        #: Whether a new store is seeded with every shipped theatre (the default seed directory).
        self._seed_all = seed_dir is None
        self.known_lines = known_line_ids(self._seed_dir if seed_dir is not None else None)
        #: Claim rows of the shipped theatres left out when this store was seeded (file, row, field).
        self.seed_problems: list[str] = []
        self.default_theatre = self._seed_dir.name if (self._seed_dir / "theatre.json").is_file() else DEFAULT_THEATRE

    def _rules(self, theatre_id: str) -> ClaimRules:
        """The lines and sides a claim of ``theatre_id`` may name (ValidationError for an unknown theatre).

        The seed theatre's lines are :attr:`known_lines` (which a caller may widen); another
        theatre's are read from its ``lines.csv`` and its sides from its parties.
        """
        if theatre_id == self.default_theatre:
            try:
                sides = rules_for(theatre_id).sides
            except ValidationError:  # a seed directory that is not a theatre
                sides = default_sides()
            return ClaimRules(theatre_id, self.known_lines, sides)
        return rules_for(theatre_id)

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

    def _after_bulk_load(self, cur: Any) -> None:
        """Called by :func:`geo.claims.store.migrate.copy_store` after rows were copied in with their ids."""

    # ---- who writes --------------------------------------------------------
    def _authorize(self, user: Principal | str, action: Action) -> str:
        """Check that ``user`` may do ``action`` (raises PermissionDenied); return the identity to audit."""
        principal = require(as_principal(user, accept_names=self.accept_names), action)
        return check_user(principal.identity)

    # ---- reading rows ----------------------------------------------------
    def _rows(self, cur: Any, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur.execute(self._sql(query), tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _load_claim(self, cur: Any, claim_id: str) -> Claim:
        rows = self._rows(cur, "SELECT * FROM claims WHERE claim_id = ?", (claim_id,))
        if not rows:
            raise StoreError(f"no claim with id {claim_id!r}")
        return claim_from_record(rows[0])

    def _load_source(self, cur: Any, source_id: str) -> Source:
        rows = self._rows(cur, "SELECT * FROM sources WHERE source_id = ?", (source_id,))
        if not rows:
            raise StoreError(f"no source with id {source_id!r}")
        return source_from_record(rows[0])

    def _sources_by_id(self, cur: Any) -> dict[str, Source]:
        return {r[S.SOURCE_ID]: source_from_record(r) for r in self._rows(cur, "SELECT * FROM sources")}

    def _claims_citing(self, cur: Any, source_id: str) -> list[str]:
        rows = self._rows(
            cur,
            "SELECT claim_id FROM claims WHERE source_id = ? AND deleted = 0 ORDER BY claim_id",
            (source_id,),
        )
        return [r[S.CLAIM_ID] for r in rows]

    def _last_audit(self, cur: Any, entity: AuditEntity, entity_id: str) -> dict[str, Any]:
        """``{"at": ..., "who": ...}`` of the latest audit record of one claim or source (``{}`` if none)."""
        rows = self._rows(
            cur,
            "SELECT at, who FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY audit_id DESC LIMIT 1",
            (str(entity), entity_id),
        )
        return rows[0] if rows else {}

    # ---- writing rows ----------------------------------------------------
    def _now(self, cur: Any) -> str:
        """A UTC stamp later than every audit record already written."""
        now = _dt.datetime.now(_dt.UTC)
        cur.execute(self._sql("SELECT MAX(at) FROM audit_log"))
        (last,) = cur.fetchone()
        if last:
            floor = parse_stamp(last) + _dt.timedelta(microseconds=1)
            now = max(now, floor)
        return utc_stamp(now)

    def _audit(self, cur: Any, rows: list[AuditRow]) -> None:
        """Append audit records, each sealed with the hash chain (:mod:`~geo.claims.store.audit_chain`)."""
        cur.execute(self._sql("SELECT row_hash FROM audit_log ORDER BY audit_id DESC LIMIT 1"))
        last = cur.fetchone()
        previous = (last[0] if last else None) or ""
        params = []
        for at, who, action, entity, entity_id, version, before, after in rows:
            record = {
                "at": at,
                "who": who,
                "action": str(action),
                "entity": str(entity),
                "entity_id": entity_id,
                "version": version,
                "before_json": None if before is None else json.dumps(before, ensure_ascii=False),
                "after_json": None if after is None else json.dumps(after, ensure_ascii=False),
            }
            previous = chain_hash(previous, record)
            params.append((*record.values(), previous))
        cur.executemany(
            self._sql(
                "INSERT INTO audit_log (at, who, action, entity, entity_id, version, "
                "before_json, after_json, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params,
        )

    def _audit_change(
        self,
        cur: Any,
        user: str,
        action: AuditAction,
        entity: AuditEntity,
        before: Claim | Source,
        after: Claim | Source,
    ) -> None:
        """Audit one edit, delete or restore of a stored claim or source (``after`` is the new state)."""
        entity_id = after.claim_id if isinstance(after, Claim) else after.source_id
        row = (after.record_time, user, action, entity, entity_id, after.version, before.to_dict(), after.to_dict())
        self._audit(cur, [row])

    def _insert_rows(self, cur: Any, table: str, columns: list[str], records: Sequence[Claim | Source]) -> None:
        marks = ", ".join("?" for _ in columns)
        cur.executemany(
            self._sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"),
            [row_params(r, columns) for r in records],
        )

    def _update_row(self, cur: Any, table: str, columns: list[str], key: str, record: Claim | Source) -> None:
        changed = [c for c in columns if c != key]
        sets = ", ".join(f"{c} = ?" for c in changed)
        cur.execute(
            self._sql(f"UPDATE {table} SET {sets} WHERE {key} = ?"),
            (*row_params(record, changed), getattr(record, key)),
        )

    def _insert_claims(self, cur: Any, claims: list[Claim]) -> None:
        self._insert_rows(cur, "claims", CLAIM_TABLE_COLUMNS, claims)

    def _insert_sources(self, cur: Any, sources: list[Source]) -> None:
        self._insert_rows(cur, "sources", SOURCE_TABLE_COLUMNS, sources)

    def _write_claim(self, cur: Any, claim: Claim) -> None:
        self._update_row(cur, "claims", CLAIM_TABLE_COLUMNS, S.CLAIM_ID, claim)

    def _write_source(self, cur: Any, source: Source) -> None:
        self._update_row(cur, "sources", SOURCE_TABLE_COLUMNS, S.SOURCE_ID, source)


def source_insert_audit(sources: Sequence[Source], now: str, user: str) -> list[AuditRow]:
    """Audit rows for newly inserted sources (version 1, nothing before)."""
    return [(now, user, AuditAction.INSERT, AuditEntity.SOURCE, s.source_id, 1, None, s.to_dict()) for s in sources]


__all__ = ["CLAIM_TABLE_COLUMNS", "SOURCE_TABLE_COLUMNS", "AuditRow", "Migration", "SQLBase", "source_insert_audit"]
