"""Source writes and reads of the SQL store: add, edit, delete and restore sources.

A source is deleted only when no claim (not deleted) cites it: deleting never
cascades to claims. Every change is audited like a claim's.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from geo import schema as S
from geo.auth import Action, Principal
from geo.cells import is_missing
from geo.claims.model import DELETED, RECORD_TIME, VERSION, Source, validate_source
from geo.claims.store.base import AuditAction, AuditEntity, new_id, stamped_source
from geo.claims.store.sql_base import SQLBase, source_insert_audit
from geo.errors import ConflictError, StoreError, ValidationError


class SourceWrites(SQLBase):
    """Adding, editing, deleting and restoring sources (mixed into :class:`geo.claims.store.sql.SQLStore`)."""

    def add_sources(
        self, records: Sequence[Mapping[str, Any]], user: Principal | str, *, keep_ids: bool = True
    ) -> list[str]:
        """Add sources in one transaction, all or none.

        Parameters
        ----------
        records : sequence of mapping
            Source rows (``schema.SOURCE_COLUMNS``). Without ``source_id`` (or
            with ``keep_ids=False``) an id is generated.
        user : Principal or str
            Who writes (see :mod:`geo.auth`); its identity is recorded in the audit log.
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
        user = self._authorize(user, Action.ADD)
        records = list(records)
        validated = []
        for i, record in enumerate(records, start=1):
            rec = dict(record) if isinstance(record, Mapping) else record
            if isinstance(rec, dict) and (not keep_ids or is_missing(rec.get(S.SOURCE_ID))):
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
        stored = [stamped_source(s, now, 1) for s in validated]
        self._insert_sources(cur, stored)
        self._audit(cur, source_insert_audit(stored, now, user))
        return [s.source_id for s in stored]

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

    def update_source(
        self, source_id: str, changes: Mapping[str, Any], *, user: Principal | str, expected_version: int
    ) -> Source:
        """Change fields of a source (audited), refusing edits made on a stale version.

        Parameters
        ----------
        source_id : str
        changes : mapping
            Fields of ``schema.SOURCE_COLUMNS`` to change (not ``source_id``).
        user : Principal or str
            Who writes (see :mod:`geo.auth`); its identity is recorded in the audit log.
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
        user = self._authorize(user, Action.EDIT)
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
                last = self._last_audit(cur, AuditEntity.SOURCE, source_id)
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
            new = stamped_source(source, now, current.version + 1)
            self._write_source(cur, new)
            self._audit_change(cur, user, AuditAction.UPDATE, AuditEntity.SOURCE, current, new)
            return new

    def _set_source_deleted(self, source_id: str, user: str, deleted: bool, expected_version: int | None) -> Source:
        user = self._authorize(user, Action.DELETE if deleted else Action.RESTORE)
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
            action = AuditAction.DELETE if deleted else AuditAction.RESTORE
            self._audit_change(cur, user, action, AuditEntity.SOURCE, current, new)
            return new

    def delete_source(self, source_id: str, user: Principal | str, *, expected_version: int | None = None) -> Source:
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

    def restore_source(self, source_id: str, user: Principal | str) -> Source:
        """Restore a soft-deleted source; the restore is itself audited."""
        return self._set_source_deleted(source_id, user, False, None)


__all__ = ["SourceWrites"]
