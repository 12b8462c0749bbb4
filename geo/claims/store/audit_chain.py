"""The audit log's hash chain: each record seals the one before it.

Every audit record stores ``row_hash = sha256(previous row_hash + canonical
record)``, where the canonical record is the JSON array of its columns
``at, who, action, entity, entity_id, version, before_json, after_json`` (the
first record's previous hash is the empty string). Changing, inserting or
removing any record breaks every hash from that record on, so
:func:`verify_rows` names the first record that no longer fits.

Records written before the chain existed (``row_hash`` NULL) may only come
first; they are counted as ``unsealed``. The hash of the last record
(``head``) is worth writing down elsewhere: whoever can rewrite the whole log
can also recompute the chain, and only an outside copy of the head shows that.

Examples
--------
>>> rows, prev = [], ""
>>> for i in range(3):
...     row = {"audit_id": i + 1, "at": f"2026-01-0{i + 1}", "who": "ana", "action": "insert",
...            "entity": "claim", "entity_id": f"c{i}", "version": 1, "before_json": None, "after_json": "{}"}
...     prev = row["row_hash"] = chain_hash(prev, row)
...     rows.append(row)
>>> verify_rows(rows)["ok"]
True
>>> rows[1]["who"] = "mallory"
>>> report = verify_rows(rows)
>>> report["ok"], report["first_tampered"]["audit_id"]
(False, 2)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

#: The audit columns a record's hash covers, in order.
HASHED_COLUMNS = ("at", "who", "action", "entity", "entity_id", "version", "before_json", "after_json")


def canonical(row: Mapping[str, Any]) -> str:
    """The text of one audit record that its hash covers (stable across backends)."""
    values = []
    for column in HASHED_COLUMNS:
        value = row.get(column)
        if column == "version" and value is not None:
            value = int(value)
        values.append(value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def chain_hash(previous: str | None, row: Mapping[str, Any]) -> str:
    """``sha256(previous + canonical(row))`` as 64 hex digits."""
    return hashlib.sha256(((previous or "") + canonical(row)).encode("utf-8")).hexdigest()


def verify_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Recompute the chain over audit records in ``audit_id`` order.

    Returns
    -------
    dict
        ``ok`` (bool), ``records`` (how many), ``sealed`` and ``unsealed``
        (with and without a hash), ``head`` (the last hash, or None) and
        ``first_tampered``: None, or ``{"audit_id", "reason"}`` of the first
        record whose stored hash is not the recomputed one.
    """
    previous: str | None = None
    records = sealed = unsealed = 0
    first: dict[str, Any] | None = None
    for row in rows:
        records += 1
        stored = row.get("row_hash")
        if first is not None:
            continue
        if not stored:
            if sealed:
                first = {"audit_id": int(row["audit_id"]), "reason": "the record has no hash after sealed records"}
            else:
                unsealed += 1
            continue
        expected = chain_hash(previous, row)
        if stored != expected:
            reason = (
                "the record was changed, or one before it was removed or inserted"
                if sealed
                else "the first sealed record does not match its hash"
            )
            first = {"audit_id": int(row["audit_id"]), "reason": reason}
            continue
        sealed += 1
        previous = stored
    return {
        "ok": first is None,
        "records": records,
        "sealed": sealed,
        "unsealed": unsealed,
        "head": previous,
        "first_tampered": first,
    }


__all__ = ["HASHED_COLUMNS", "canonical", "chain_hash", "verify_rows"]
