"""The tables every SQL backend creates (its migrations 1 and 2), written once for both dialects.

A released migration never changes: the columns are spelled out here one by
one (not generated from ``schema.*_COLUMNS``), so a later migration that adds
a column does not change what migration 1 creates. A backend passes the
:class:`ColumnTypes` of its dialect and adds what only it has (triggers that
keep the audit log append-only, PostGIS columns).

Examples
--------
>>> types = ColumnTypes(key="TEXT PRIMARY KEY", time="TEXT", real="REAL", flag="INTEGER", audit_id="INTEGER PRIMARY KEY")
>>> [statement.split("(")[0].split()[-1] for statement in tables_v1(types)]
['sources', 'claims', 'audit_log']
"""

from __future__ import annotations

from dataclasses import dataclass

from geo import schema as S
from geo.claims.theatre_rules import LEGACY_THEATRE

_TEXT = "TEXT NOT NULL DEFAULT ''"


@dataclass(frozen=True)
class ColumnTypes:
    """How a dialect spells the column types of the store's tables."""

    #: A text primary key (``claim_id``, ``source_id``).
    key: str
    #: A UTC time stamp, compared as text (``record_time``, ``at``).
    time: str
    #: A floating-point number (``value``, ``value_km2``, ``value_km``).
    real: str
    #: A 0/1 flag (``deleted``).
    flag: str
    #: The audit log's increasing id.
    audit_id: str


def tables_v1(types: ColumnTypes) -> list[str]:
    """``CREATE TABLE`` statements of ``sources``, ``claims`` and ``audit_log`` (migration 1)."""
    sources = f"""
    CREATE TABLE sources (
        {S.SOURCE_ID} {types.key},
        {S.SOURCE_PUBLISHER} TEXT NOT NULL,
        {S.SOURCE_TITLE} {_TEXT},
        {S.SOURCE_URL} {_TEXT},
        {S.SOURCE_PUBLISHED} {_TEXT},
        {S.SOURCE_LANGUAGE} {_TEXT},
        {S.SOURCE_KIND} {_TEXT},
        record_time {types.time} NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        deleted {types.flag} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    )"""
    claims = f"""
    CREATE TABLE claims (
        {S.CLAIM_ID} {types.key},
        {S.CLAIM_QUOTE} TEXT NOT NULL CHECK ({S.CLAIM_QUOTE} <> ''),
        {S.CLAIM_ACTOR} {_TEXT},
        {S.CLAIM_PARTY} {_TEXT},
        {S.CLAIM_STANCE} TEXT NOT NULL,
        {S.CLAIM_KIND} {_TEXT},
        {S.CLAIM_VALUE} {types.real} CHECK ({S.CLAIM_VALUE} IS NULL OR {S.CLAIM_VALUE} >= 0),
        {S.CLAIM_UNIT} {_TEXT},
        {S.CLAIM_QUALIFIER} {_TEXT},
        {S.CLAIM_VALUE_KM2} {types.real} CHECK ({S.CLAIM_VALUE_KM2} IS NULL OR {S.CLAIM_VALUE_KM2} >= 0),
        {S.CLAIM_VALUE_KM} {types.real} CHECK ({S.CLAIM_VALUE_KM} IS NULL OR {S.CLAIM_VALUE_KM} >= 0),
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
        record_time {types.time} NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        deleted {types.flag} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    )"""
    audit = f"""
    CREATE TABLE audit_log (
        audit_id {types.audit_id},
        at {types.time} NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
        entity TEXT NOT NULL CHECK (entity IN ('claim', 'source')),
        entity_id TEXT NOT NULL,
        version INTEGER,
        before_json TEXT,
        after_json TEXT
    )"""
    return [sources, claims, audit]


def indexes_v2() -> list[str]:
    """``CREATE INDEX`` statements for lookups by line, date, source and audit entity (migration 2)."""
    return [
        "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, audit_id)",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        f"CREATE INDEX claims_line ON claims ({S.CLAIM_REFERENCE_LINE})",
        f"CREATE INDEX claims_event_date ON claims ({S.CLAIM_EVENT_DATE})",
        f"CREATE INDEX claims_source ON claims ({S.CLAIM_SOURCE_ID})",
    ]


def interval_columns(types: ColumnTypes) -> list[str]:
    """``ALTER TABLE`` statements adding a claim's interval, dimension and period (issue 18).

    Existing rows keep every value; their interval is filled from the figure
    (``value_min = value_max = value``), as a new claim without a range gets it.
    The audit log is not rewritten: it records what was stored at the time.
    """
    real = f"{types.real} CHECK ({{c}} IS NULL OR {{c}} >= 0)"
    return [
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_VALUE_MIN} {real.format(c=S.CLAIM_VALUE_MIN)}",
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_VALUE_MAX} {real.format(c=S.CLAIM_VALUE_MAX)}",
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_DIMENSION} {_TEXT}",
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_PERIOD_START} {_TEXT}",
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_PERIOD_END} {_TEXT}",
        f"UPDATE claims SET {S.CLAIM_VALUE_MIN} = {S.CLAIM_VALUE}, {S.CLAIM_VALUE_MAX} = {S.CLAIM_VALUE} "
        f"WHERE {S.CLAIM_VALUE} IS NOT NULL",
    ]


def audit_chain_and_roles() -> list[str]:
    """The audit log's ``row_hash`` column (the hash chain) and the ``roles`` table an admin manages."""
    return [
        "ALTER TABLE audit_log ADD COLUMN row_hash TEXT",
        """CREATE TABLE roles (
            identity TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
            granted_by TEXT NOT NULL,
            granted_at TEXT NOT NULL
        )""",
    ]


def tokens_table() -> list[str]:
    """The ``tokens`` table: command-line tokens an admin issued, stored as their SHA-256 only."""
    return [
        """CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY NOT NULL,
            identity TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
            issued_by TEXT NOT NULL,
            issued_at TEXT NOT NULL
        )""",
        "CREATE INDEX tokens_identity ON tokens (identity)",
    ]


#: What an audit record may be about once grants and tokens are audited (migration "audited grants").
AUDIT_ENTITIES = ("claim", "source", "role", "token")


def _entity_check() -> str:
    names = ", ".join(f"'{e}'" for e in AUDIT_ENTITIES)
    return f"CHECK (entity IN ({names}))"


def audit_log_table(types: ColumnTypes, table: str = "audit_log") -> str:
    """``CREATE TABLE`` of the audit log as it stands after the audited-grants migration.

    The same columns as migration 1's table plus ``row_hash``, with ``entity``
    widened to roles and tokens. The embedded store, which cannot alter a
    ``CHECK``, rebuilds its log into this table (rows and hashes copied as
    they are, so the chain still verifies).
    """
    return f"""
    CREATE TABLE {table} (
        audit_id {types.audit_id},
        at {types.time} NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
        entity TEXT NOT NULL {_entity_check()},
        entity_id TEXT NOT NULL,
        version INTEGER,
        before_json TEXT,
        after_json TEXT,
        row_hash TEXT
    )"""


def audit_entity_check_postgres() -> list[str]:
    """PostgreSQL: widen the audit log's ``entity`` check to roles and tokens (rows untouched)."""
    return [
        "ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check",
        f"ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check {_entity_check()}",
    ]


def theatre_column() -> list[str]:
    """``ALTER TABLE`` adding the theatre a claim belongs to, and its index (issue 16).

    Every claim stored before is the legacy theatre's (the only one a store was seeded
    from); adding the column with that default fills those rows without an ``UPDATE``, so
    no row changes version and the audit log, which records what was stored then, stays as
    it is (an audit record without a theatre is read as the legacy theatre's).
    """
    return [
        f"ALTER TABLE claims ADD COLUMN {S.CLAIM_THEATRE} TEXT NOT NULL DEFAULT '{LEGACY_THEATRE}'",
        f"CREATE INDEX claims_theatre ON claims ({S.CLAIM_THEATRE}, {S.CLAIM_EVENT_DATE})",
    ]


__all__ = [
    "AUDIT_ENTITIES",
    "ColumnTypes",
    "audit_chain_and_roles",
    "audit_entity_check_postgres",
    "audit_log_table",
    "indexes_v2",
    "interval_columns",
    "tables_v1",
    "theatre_column",
    "tokens_table",
]
