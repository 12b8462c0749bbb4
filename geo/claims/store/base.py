"""The claims store interface (:class:`Store`) and the helpers that turn stored rows into records.

Design
------
* :class:`Store` is the interface pages, commands and scripts use; open one
  with :func:`geo.claims.store.open_store`. The backend-independent logic
  (validation before any write, source resolution, audit records, "as known
  on" reconstruction, filters) lives in :class:`geo.claims.store.sql.SQLStore`,
  written against DB-API cursors with ``?`` placeholders and portable SQL. A
  backend (:mod:`~geo.claims.store.sqlite`, :mod:`~geo.claims.store.postgis`)
  supplies the connection, the write transaction, the read snapshot and its
  migrations, and registers itself for a URL scheme in
  :mod:`geo.claims.store.registry`.
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

Examples
--------
>>> claim = claim_from_record({"claim_id": "c1", "quote": "q", "value": None, "version": 2})
>>> claim.claim_id, claim.value, claim.unit, claim.version, claim.deleted
('c1', None, '', 2, False)
>>> check_user("  ana ")
'ana'
>>> AuditAction.parse("Restore")
<AuditAction.RESTORE: 'restore'>
"""

from __future__ import annotations

import abc
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import pandas as pd

from geo import schema as S
from geo.auth import Principal, check_identity
from geo.claims.model import DELETED, EMBEDDED_SOURCE_COLUMNS, RECORD_TIME, VERSION, Claim, Source
from geo.claims.theatre_rules import LEGACY_THEATRE
from geo.errors import StoreError
from geo.vocab import Vocabulary

#: The user the seed rows of a new store are recorded as.
SEED_USER = "seed"

#: Source columns joined onto each claim by :meth:`Store.list_claims`.
JOINED_SOURCE_COLUMNS = list(EMBEDDED_SOURCE_COLUMNS)
#: Columns of the frame :meth:`Store.list_claims` returns, in order.
LIST_COLUMNS = [*S.CLAIM_COLUMNS, S.CLAIM_THEATRE, *JOINED_SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]
#: Columns of the frame :meth:`Store.list_sources` returns, in order.
SOURCE_LIST_COLUMNS = [*S.SOURCE_COLUMNS, RECORD_TIME, VERSION, DELETED]
#: Columns of the frame :meth:`Store.audit_log` returns, in order.
AUDIT_LOG_COLUMNS = ["audit_id", "at", "user", "action", "entity", "entity_id", "version", "before", "after"]
#: Claim columns holding numbers (``None`` when absent); every other column is text.
FLOAT_COLUMNS = (S.CLAIM_VALUE, S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM, S.CLAIM_VALUE_MIN, S.CLAIM_VALUE_MAX)


class AuditEntity(Vocabulary):
    """What an audit record is about (the ``entity`` column of ``audit_log``)."""

    CLAIM = "claim"
    SOURCE = "source"
    ROLE = "role"  # a role granted, changed or revoked (entity_id: the identity)
    TOKEN = "token"  # a command-line token issued or revoked (entity_id: the start of its hash)


class AuditAction(Vocabulary):
    """What a write did (the ``action`` column of ``audit_log``)."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


# --------------------------------------------------------------------------
# the interface
# --------------------------------------------------------------------------
class Store(abc.ABC):
    """The claims registry. Open one with :func:`geo.claims.store.open_store`.

    A store is safe to share between threads (one operation at a time) and
    between processes (writers wait for each other).
    """

    location: str
    #: Whether a write may name its user with a plain string (taken as an admin
    #: caller, see :func:`geo.auth.as_principal`); the app in team mode
    #: sets it to False so only authenticated principals write.
    accept_names: bool = True

    @abc.abstractmethod
    def add_sources(
        self, records: Sequence[Mapping[str, Any]], user: Principal | str, *, keep_ids: bool = True
    ) -> list[str]:
        """Add sources, all or none; return their ids."""

    @abc.abstractmethod
    def add_claims(
        self,
        records: Sequence[Mapping[str, Any]],
        user: Principal | str,
        *,
        keep_ids: bool = False,
        theatre: str | None = None,
    ) -> list[str]:
        """Add claims (to ``theatre``, default the seed theatre), all or none; return their new ids in input order."""

    @abc.abstractmethod
    def update_claim(
        self,
        claim_id: str,
        changes: Mapping[str, Any],
        *,
        user: Principal | str,
        expected_version: int,
    ) -> Claim:
        """Change fields of a claim; refuse with ConflictError if the version is stale."""

    @abc.abstractmethod
    def delete_claim(self, claim_id: str, user: Principal | str, *, expected_version: int | None = None) -> Claim:
        """Soft-delete a claim."""

    @abc.abstractmethod
    def undo_delete(self, claim_id: str, user: Principal | str) -> Claim:
        """Restore a soft-deleted claim."""

    @abc.abstractmethod
    def get_claim(self, claim_id: str) -> Claim:
        """Return the current state of one claim (deleted or not)."""

    @abc.abstractmethod
    def list_claims(
        self, *, as_of: Any = None, include_deleted: bool = False, theatre: str | None = None, **filters: Any
    ) -> pd.DataFrame:
        """Return claims joined with their sources as a DataFrame (one theatre's with ``theatre``)."""

    @abc.abstractmethod
    def claim_counts(self) -> dict[str, int]:
        """The number of claims (not deleted) of each theatre, ``{theatre id: count}``."""

    @abc.abstractmethod
    def seed_theatre(self, theatre_id: str, user: Principal | str) -> Any:
        """Add a theatre's own ``claims.csv`` and ``sources.csv``; return a :class:`~geo.claims.store.seed.SeedReport`."""

    @abc.abstractmethod
    def list_sources(self, *, as_of: Any = None, include_deleted: bool = False) -> pd.DataFrame:
        """Return sources as a DataFrame (deleted ones only with ``include_deleted``)."""

    @abc.abstractmethod
    def get_source(self, source_id: str) -> Source:
        """Return the current state of one source (deleted or not)."""

    @abc.abstractmethod
    def update_source(
        self, source_id: str, changes: Mapping[str, Any], *, user: Principal | str, expected_version: int
    ) -> Source:
        """Change fields of a source, refusing edits made on a stale version."""

    @abc.abstractmethod
    def delete_source(self, source_id: str, user: Principal | str, *, expected_version: int | None = None) -> Source:
        """Soft-delete a source that no claim cites."""

    @abc.abstractmethod
    def restore_source(self, source_id: str, user: Principal | str) -> Source:
        """Restore a soft-deleted source."""

    @abc.abstractmethod
    def history(self, claim_id: str) -> list[dict[str, Any]]:
        """Return the audit records of one claim, oldest first."""

    @abc.abstractmethod
    def audit_log(self, *, entity: str | None = None, since: Any = None) -> pd.DataFrame:
        """Return audit records as a DataFrame."""

    @abc.abstractmethod
    def roles(self) -> dict[str, str]:
        """Return the roles granted in the store, identity -> role name."""

    @abc.abstractmethod
    def set_role(self, identity: str, role: str | None, user: Principal | str) -> None:
        """Grant ``role`` to ``identity`` (None revokes it); needs an admin."""

    @abc.abstractmethod
    def issue_token(self, identity: str, role: str, user: Principal | str) -> str:
        """Issue a command-line token for ``identity`` with ``role``; return it (only its hash is kept); needs an admin."""

    @abc.abstractmethod
    def revoke_tokens(self, identity: str, user: Principal | str) -> int:
        """Revoke every token of ``identity``; return how many; needs an admin."""

    @abc.abstractmethod
    def tokens(self) -> list[dict[str, str]]:
        """The tokens issued: ``token_id`` (the start of the hash), ``identity``, ``role``, ``issued_by``, ``issued_at``."""

    @abc.abstractmethod
    def token_principal(self, token: str) -> Principal | None:
        """The principal a token stands for, or None if this store never issued it (or revoked it)."""

    @abc.abstractmethod
    def verify_audit(self) -> dict[str, Any]:
        """Recompute the audit log's hash chain; see :func:`geo.claims.store.audit_chain.verify_rows`."""

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
# records: stored rows and audit JSON <-> Claim / Source
# --------------------------------------------------------------------------
def new_id(prefix: str) -> str:
    """Return a new random record id: ``prefix`` and 12 hex digits.

    >>> len(new_id("c")), new_id("s")[0]
    (13, 's')
    """
    return prefix + uuid.uuid4().hex[:12]


def claim_from_record(record: Mapping[str, Any]) -> Claim:
    """Build a :class:`Claim` from a stored row or audit JSON.

    Parameters
    ----------
    record : mapping
        Column name to value; missing text columns become ``""``, missing
        numbers stay ``None``. A record without a ``theatre`` key (audit JSON
        written before claims carried a theatre) is the legacy theatre's.

    Returns
    -------
    Claim
    """
    values = {c: record.get(c) for c in S.CLAIM_COLUMNS}
    for col in S.CLAIM_COLUMNS:
        if col not in FLOAT_COLUMNS and values[col] is None:
            values[col] = ""
    return Claim(
        **values,
        theatre=record[S.CLAIM_THEATRE] if S.CLAIM_THEATRE in record else LEGACY_THEATRE,
        record_time=record.get(RECORD_TIME) or "",
        deleted=bool(record.get(DELETED)),
        version=int(record.get(VERSION) or 0),
    )


def source_from_record(record: Mapping[str, Any]) -> Source:
    """Build a :class:`Source` from a stored row or audit JSON.

    Parameters
    ----------
    record : mapping
        Column name to value; missing or empty columns become ``""``.

    Returns
    -------
    Source
    """
    values = {c: record.get(c) or "" for c in S.SOURCE_COLUMNS}
    return Source(
        **values,
        record_time=record.get(RECORD_TIME) or "",
        deleted=bool(record.get(DELETED)),
        version=int(record.get(VERSION) or 0),
    )


def stamped_source(source: Source, now: str, version: int) -> Source:
    """``source`` as stored at ``now`` with ``version``, not deleted."""
    return Source(**{**source.to_dict(), RECORD_TIME: now, VERSION: version, DELETED: False})


def row_params(record: Claim | Source, columns: Sequence[str]) -> tuple[Any, ...]:
    """The values of ``columns`` of ``record`` as SQL parameters (booleans as 0/1)."""
    values = (getattr(record, column) for column in columns)
    return tuple(int(v) if isinstance(v, bool) else v for v in values)


def audit_record(row: Mapping[str, Any], *, generic: bool = False) -> dict[str, Any]:
    """An ``audit_log`` row as the dict :meth:`Store.history` returns.

    With ``generic`` the record names its ``entity`` and ``entity_id`` (as in
    :meth:`Store.audit_log`); otherwise the id is under ``claim_id``.
    """
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


def check_user(user: Any) -> str:
    """The user name for the audit log, stripped (:func:`geo.auth.check_identity`).

    Raises
    ------
    ValidationError
        If it is empty, longer than 100 characters or holds control characters.
    """
    return check_identity(user)


__all__ = [
    "AUDIT_LOG_COLUMNS",
    "FLOAT_COLUMNS",
    "JOINED_SOURCE_COLUMNS",
    "LIST_COLUMNS",
    "SEED_USER",
    "SOURCE_LIST_COLUMNS",
    "AuditAction",
    "AuditEntity",
    "Store",
    "audit_record",
    "check_user",
    "claim_from_record",
    "new_id",
    "row_params",
    "source_from_record",
    "stamped_source",
]
