"""One claim's audit history for people, and the edit that reverts it to an earlier version.

:meth:`geo.claims.store.Store.history` returns raw audit records (``before`` and
``after`` as dicts). :func:`history_table` turns them into what an analyst
reads (when, who, what was done, which fields changed); :func:`revert_changes`
gives the ``changes`` for :meth:`geo.claims.store.Store.update_claim` that bring a
claim back to the state it had at an earlier version. A revert is an
ordinary, audited edit: nothing in the log is rewritten, and it can itself
be reverted.

Examples
--------
>>> records = [
...     {"at": "2026-01-02T10:00:00Z", "user": "ana", "action": "insert", "version": 1,
...      "before": None, "after": {"claim_id": "c1", "quote": "old", "notes": ""}},
...     {"at": "2026-01-03T10:00:00Z", "user": "bo", "action": "update", "version": 2,
...      "before": {"claim_id": "c1", "quote": "old", "notes": ""},
...      "after": {"claim_id": "c1", "quote": "new", "notes": ""}},
... ]
>>> history_table(records)["changed"].tolist()
['', 'quote']
>>> revert_changes(records, 1, {"claim_id": "c1", "quote": "new", "notes": ""})
{'quote': 'old'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from geo import schema as S

ACTION_LABELS = {
    "insert": "added",
    "update": "edited",
    "delete": "deleted",
    "restore": "restored",
}
FIELD_LABELS = {
    S.CLAIM_QUOTE: "quote",
    S.CLAIM_ACTOR: "actor",
    S.CLAIM_PARTY: "party concerned",
    S.CLAIM_STANCE: "stance",
    S.CLAIM_KIND: "figure kind",
    S.CLAIM_VALUE: "value",
    S.CLAIM_UNIT: "unit",
    S.CLAIM_QUALIFIER: "qualifier",
    S.CLAIM_VALUE_KM2: "km²",
    S.CLAIM_VALUE_KM: "km",
    S.CLAIM_REFERENCE_LINE: "reference line",
    S.CLAIM_SIDE: "held beyond it by",
    S.CLAIM_EVENT_DATE: "event date",
    S.CLAIM_SOURCE_ID: "source",
    S.CLAIM_REL_SOURCE: "source reliability",
    S.CLAIM_REL_INFO: "information credibility",
    S.CLAIM_NOTES: "notes",
}
HISTORY_COLUMNS = ["version", "when (UTC)", "who", "what", "changed"]


def _same(a: Any, b: Any) -> bool:
    blank_a = a is None or a == "" or (isinstance(a, float) and pd.isna(a))
    blank_b = b is None or b == "" or (isinstance(b, float) and pd.isna(b))
    if blank_a or blank_b:
        return blank_a and blank_b
    return a == b


def _changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    if not before or not after:
        return []
    fields = [c for c in S.CLAIM_COLUMNS if c != S.CLAIM_ID and not _same(before.get(c), after.get(c))]
    return [FIELD_LABELS.get(c, c.replace("_", " ")) for c in fields]


def history_table(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The audit records of one claim as a table a person reads, oldest first.

    Columns :data:`HISTORY_COLUMNS`: the version each change produced, when
    (UTC, to the second), who, what was done ("added", "edited", "deleted",
    "restored") and, for edits, the fields that changed.
    """
    rows = []
    for r in records:
        at = str(r.get("at") or "")
        rows.append(
            {
                "version": int(r.get("version") or 0),
                "when (UTC)": at[:19].replace("T", " "),
                "who": r.get("user") or r.get("who") or "",
                "what": ACTION_LABELS.get(str(r.get("action")), str(r.get("action") or "")),
                "changed": ", ".join(_changed_fields(r.get("before"), r.get("after"))),
            }
        )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def revertible_versions(records: Sequence[Mapping[str, Any]], current_version: int) -> list[int]:
    """Versions a claim can be reverted to: every stored, not deleted state but the current one."""
    out = []
    for r in records:
        after = r.get("after")
        version = int(r.get("version") or 0)
        if after and not after.get("deleted") and version != int(current_version) and version not in out:
            out.append(version)
    return out


def revert_changes(records: Sequence[Mapping[str, Any]], version: int, current: Mapping[str, Any]) -> dict[str, Any]:
    """The ``changes`` that make ``current`` equal to the claim as it was at ``version``.

    Parameters
    ----------
    records : sequence of dict
        The claim's audit records (:meth:`geo.claims.store.Store.history`).
    version : int
        The version to go back to (the ``after`` state of that record).
    current : mapping
        The claim's current fields (``Claim.to_dict()`` or a table row).

    Raises
    ------
    ValueError
        If no record stored that version (or it was a delete).
    """
    state = next(
        (r.get("after") for r in records if int(r.get("version") or 0) == int(version) and r.get("after")),
        None,
    )
    if not state or state.get("deleted"):
        raise ValueError(f"version {version} of this claim is not in its history")
    return {
        c: state.get(c)
        for c in S.CLAIM_COLUMNS
        if c != S.CLAIM_ID and c in state and not _same(state.get(c), current.get(c))
    }
