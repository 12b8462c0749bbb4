"""Build a claims store as an older release of the app left it: tables of the first migrations, rows.

The app of today always writes every column it knows, so an older store cannot be
made by running today's app with fewer migrations. This writes one directly: the
SQL of the first ``upto`` migrations (released migrations never change), their
``schema_version`` rows, and sources, claims and audit records holding only the
columns those migrations created.
"""

from __future__ import annotations

import json
from typing import Any

from geo import schema as S

STAMP = "2025-01-02T03:04:05.000006Z"
META = ["record_time", "version", "deleted"]


def old_claim(i: int, **over: Any) -> dict[str, Any]:
    """A claim row with only the columns stores had before the interval migration."""
    row = {c: "" for c in S.CLAIM_FILE_COLUMNS}
    row.update(
        {
            S.CLAIM_ID: f"old{i}",
            S.CLAIM_QUOTE: f"Forces took {10 * i + 5} sq km near the line, old row {i}.",
            S.CLAIM_ACTOR: "ministry",
            S.CLAIM_STANCE: "asserts",
            S.CLAIM_KIND: "area",
            S.CLAIM_VALUE: 10.0 * i + 5,
            S.CLAIM_UNIT: "sq km",
            S.CLAIM_VALUE_KM2: 10.0 * i + 5,
            S.CLAIM_VALUE_KM: None,
            S.CLAIM_EVENT_DATE: "2024-03-01",
            S.CLAIM_SOURCE_ID: "srcold",
            S.CLAIM_NOTES: f"note {i}",
        }
    )
    row.update(over)
    return row


def build_old_store(cur: Any, migrations: list, upto: int, claims: list[dict[str, Any]], mark: str = "?") -> None:
    """Write the tables of ``migrations[:upto]`` and ``claims`` (with one source) through ``cur``."""
    cur.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for version, description, statements in migrations[:upto]:
        for statement in statements:
            cur.execute(statement)
        cur.execute(f"INSERT INTO schema_version VALUES ({mark}, {mark}, {mark})", (version, description, STAMP))
    source = {c: "" for c in S.SOURCE_COLUMNS}
    source.update({S.SOURCE_ID: "srcold", S.SOURCE_PUBLISHER: "Old Wire", S.SOURCE_PUBLISHED: "2024-03-02"})
    _insert(cur, "sources", {**source, "record_time": STAMP, "version": 1, "deleted": 0}, mark)
    for row in claims:
        _insert(cur, "claims", {**row, "record_time": STAMP, "version": 1, "deleted": 0}, mark)
        after = {**row, "record_time": STAMP, "version": 1, "deleted": False}
        cur.execute(
            "INSERT INTO audit_log (at, who, action, entity, entity_id, version, before_json, after_json) "
            f"VALUES ({', '.join([mark] * 8)})",
            (STAMP, "ana", "insert", "claim", row[S.CLAIM_ID], 1, None, json.dumps(after)),
        )


def _insert(cur: Any, table: str, row: dict[str, Any], mark: str) -> None:
    cols = list(row)
    cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})",
        tuple(row[c] for c in cols),
    )
