"""Claim writes of the SQL store: add (with inline sources), edit, delete and restore claims.

Every write validates all its input first, then runs in one write
transaction and records one audit record per claim (and per source it adds).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from geo import schema as S
from geo.auth import Action, Principal
from geo.cells import is_missing
from geo.claims.model import (
    DELETED,
    EMBEDDED_SOURCE_COLUMNS,
    RECORD_TIME,
    VERSION,
    Claim,
    Source,
    embedded_source,
    validate_claim,
    validate_source,
)
from geo.claims.store.base import AuditAction, AuditEntity, new_id, stamped_source
from geo.claims.store.sql_base import SQLBase, source_insert_audit
from geo.claims.theatre_rules import ClaimRules, check_theatre_id
from geo.errors import ConflictError, StoreError, ValidationError
from geo.vocab import SourceKind


class _Prepared(NamedTuple):
    """A claim row validated on its own, waiting for the transaction."""

    claim: Claim
    inline: Source | None  # the source fields the row carries, validated
    given: frozenset[str]  # which source fields the row actually gave
    has_source_id: bool
    incomplete: ValidationError | None  # why ``inline`` cannot make a new source


class ClaimWrites(SQLBase):
    """Adding, editing, deleting and restoring claims (mixed into :class:`geo.claims.store.sql.SQLStore`)."""

    def add_claims(
        self,
        records: Sequence[Mapping[str, Any]],
        user: Principal | str,
        *,
        keep_ids: bool = False,
        theatre: str | None = None,
    ) -> list[str]:
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
        user : Principal or str
            Who writes (see :mod:`geo.auth`); its identity is recorded in the audit log.
        keep_ids : bool, default False
            Keep the given ``claim_id`` (for seeding and migrations); by default
            every claim gets a new id.
        theatre : str, optional
            The theatre of rows that name none (a ``theatre`` column); default
            :attr:`default_theatre`. A row naming another theatre is refused. Each
            claim's reference line and side are checked against its theatre's
            lines and parties.

        Returns
        -------
        list of str
            The ids of the new claims, in input order.

        Raises
        ------
        ValidationError
            Naming the row and field of the first invalid row; nothing is written.
        """
        user = self._authorize(user, Action.ADD)
        records = list(records)
        if not records:
            return []
        # Everything that does not depend on the stored data is checked before
        # the transaction starts, so a bad file never waits for the write lock.
        prepared = self._prepare_claims(records, keep_ids=keep_ids, theatre=theatre)
        with self._lock, self._write_cursor() as cur:
            return self._add_claims_tx(
                cur,
                records,
                user,
                self._now(cur),
                keep_ids=keep_ids,
                validated=prepared,
            )

    def _row_theatre(self, record: Mapping[str, Any], theatre: str | None, row: int) -> str:
        """The theatre of one row: its own ``theatre`` cell, else ``theatre``, else the seed theatre."""
        given = None if is_missing(record.get(S.CLAIM_THEATRE)) else check_theatre_id(record[S.CLAIM_THEATRE], row)
        wanted = check_theatre_id(theatre, row) if theatre else None
        if given and wanted and given != wanted:
            raise ValidationError(
                f"the row is a claim of theatre '{given}', not '{wanted}'; drop the column or choose that theatre",
                field=S.CLAIM_THEATRE,
                row=row,
            )
        return given or wanted or self.default_theatre

    def _prepare_claims(
        self, records: Sequence[Mapping[str, Any]], *, keep_ids: bool, theatre: str | None = None
    ) -> list[_Prepared]:
        """Validate each row on its own (against its theatre's lines and parties), before any transaction."""
        prepared = []
        rules: dict[str, ClaimRules] = {}
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
            has_id = not is_missing(rec.get(S.CLAIM_SOURCE_ID))
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
                        S.SOURCE_KIND: SourceKind.NEWS,
                    }
                    if not (has_id and exc.field in required and exc.field not in inline):
                        raise
                    incomplete = exc
                    filled = {**required, **inline, S.SOURCE_ID: sid}
                    source = validate_source(filled, row=i)
                if not has_id:
                    rec[S.CLAIM_SOURCE_ID] = "pending"
            if keep_ids:
                if is_missing(rec.get(S.CLAIM_ID)):
                    raise ValidationError("is required when ids are kept", field=S.CLAIM_ID, row=i)
            else:
                rec[S.CLAIM_ID] = ""
            tid = self._row_theatre(rec, theatre, i)
            if tid not in rules:
                try:
                    rules[tid] = self._rules(tid)
                except ValidationError as exc:
                    message = str(exc).removeprefix(f"field '{exc.field}': ")
                    raise ValidationError(message, field=exc.field, row=i) from None
            rec[S.CLAIM_THEATRE] = tid
            claim = validate_claim(rec, row=i, known_lines=rules[tid].lines, known_sides=rules[tid].sides)
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
        theatre: str | None = None,
    ) -> list[str]:
        if validated is None:
            validated = self._prepare_claims(records, keep_ids=keep_ids, theatre=theatre)
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
                source = stamped_source(Source(**{**inline.to_dict(), S.SOURCE_ID: sid}), now, 1)
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
            source_insert_audit(new_sources, now, user)
            + [(now, user, AuditAction.INSERT, AuditEntity.CLAIM, c.claim_id, 1, None, c.to_dict()) for c in claims],
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
        user: Principal | str,
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
        user : Principal or str
            Who writes (see :mod:`geo.auth`); its identity is recorded in the audit log.
        expected_version : int
            The ``version`` the editor saw; if the claim has changed since,
            :class:`ConflictError` is raised and nothing is written.

        Returns
        -------
        Claim
            The stored new state (the same claim if nothing changed).
        """
        user = self._authorize(user, Action.EDIT)
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
                last = self._last_audit(cur, AuditEntity.CLAIM, claim_id)
                raise ConflictError(
                    f"claim {claim_id!r} was changed by {last.get('who', '?')} at "
                    f"{last.get('at', '?')} (now version {current.version}, you edited "
                    f"version {expected_version}); reload it and apply your change again"
                )
            merged = {c: getattr(current, c) for c in S.CLAIM_COLUMNS}
            merged.update({k: v for k, v in changes.items() if k != S.CLAIM_ID})
            merged[S.CLAIM_THEATRE] = current.theatre
            rules = self._rules(current.theatre)
            touched = set(changes)
            if touched & {S.CLAIM_VALUE, S.CLAIM_UNIT, S.CLAIM_KIND}:
                for derived in (S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM):
                    if derived not in touched:
                        merged[derived] = None
            sources = {k: v for k, v in self._sources_by_id(cur).items() if not v.deleted or k == current.source_id}
            claim = validate_claim(
                merged,
                known_lines=rules.lines,
                known_sources=sources,
                allow_source_fields=False,
                known_sides=rules.sides,
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
            self._audit_change(cur, user, AuditAction.UPDATE, AuditEntity.CLAIM, current, new)
            return new

    def _set_deleted(self, claim_id: str, user: str, deleted: bool, expected_version: int | None) -> Claim:
        user = self._authorize(user, Action.DELETE if deleted else Action.RESTORE)
        action = AuditAction.DELETE if deleted else AuditAction.RESTORE
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
            self._audit_change(cur, user, action, AuditEntity.CLAIM, current, new)
            return new

    def delete_claim(self, claim_id: str, user: Principal | str, *, expected_version: int | None = None) -> Claim:
        """Soft-delete a claim (it stays in the store and can be restored).

        Parameters
        ----------
        claim_id : str
        user : Principal or str
            Who writes (see :mod:`geo.auth`); its identity is recorded in the audit log.
        expected_version : int, optional
            If given, refuse with :class:`ConflictError` when the claim changed.

        Returns
        -------
        Claim
            The deleted state (``deleted=True``).
        """
        return self._set_deleted(claim_id, user, True, expected_version)

    def undo_delete(self, claim_id: str, user: Principal | str) -> Claim:
        """Restore a soft-deleted claim; the restore is itself audited.

        Returns
        -------
        Claim
            The restored state (``deleted=False``, version increased).
        """
        return self._set_deleted(claim_id, user, False, None)


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


__all__ = ["ClaimWrites"]
