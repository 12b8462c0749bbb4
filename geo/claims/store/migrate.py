"""Copy a claims registry from one store to another, history included.

Used to move an analyst's embedded SQLite file into a team's PostGIS database
(``python -m geo migrate --to postgresql://...``), to come back, and by
:meth:`geo.claims.store.postgis.PostgisStore.backup`.

What is copied, unchanged: every source and claim (deleted ones too) with its
id, version, record time and deleted flag, and the whole audit log with its
ids, times, users and before/after states, so "as known on" and each claim's
history read the same in the copy. The source is read in one snapshot (other
users may keep writing meanwhile); the target must be empty and is written in
one transaction, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo import schema as S
from geo.auth import Action, Principal, authorize
from geo.claims.store.base import Store
from geo.claims.store.sql_base import CLAIM_TABLE_COLUMNS, SOURCE_TABLE_COLUMNS, SQLBase
from geo.errors import StoreError

AUDIT_COLUMNS = [
    "audit_id",
    "at",
    "who",
    "action",
    "entity",
    "entity_id",
    "version",
    "before_json",
    "after_json",
    "row_hash",
]
ROLE_COLUMNS = ["identity", "role", "granted_by", "granted_at"]
TOKEN_COLUMNS = ["token_hash", "identity", "role", "issued_by", "issued_at"]
_TABLES = (
    ("sources", SOURCE_TABLE_COLUMNS, S.SOURCE_ID),
    ("claims", CLAIM_TABLE_COLUMNS, S.CLAIM_ID),
    ("audit_log", AUDIT_COLUMNS, "audit_id"),
    ("roles", ROLE_COLUMNS, "identity"),
    ("tokens", TOKEN_COLUMNS, "token_hash"),  # hashes only: a copy gives nobody a usable token
)
_BATCH = 500


@dataclass(frozen=True)
class MigrationReport:
    """What :func:`copy_store` copied."""

    sources: int
    claims: int
    audit_records: int
    source_location: str
    target_location: str

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"copied {self.sources} sources, {self.claims} claims and {self.audit_records} "
            f"audit records from {self.source_location} to {self.target_location}"
        )


def _sql_store(store: Store, role: str) -> SQLBase:
    if not isinstance(store, SQLBase):
        raise StoreError(f"the {role} store ({type(store).__name__}) cannot be copied table by table")
    return store


def copy_store(
    source: Store,
    target: Store,
    *,
    user: Principal | str | None = None,
    action: Action = Action.MIGRATE,
) -> MigrationReport:
    """Copy every source, claim and audit record of ``source`` into the empty ``target``.

    Parameters
    ----------
    source, target : Store
        Open stores (any backends; both at their latest schema, which
        :func:`geo.claims.store.open_store` ensures). ``target`` must hold no source,
        claim or audit record (open a new one with ``seed=False``).
    user : Principal or str, optional
        Who copies (an admin; default the embedded mode's local user). Refused in read-only mode.
    action : Action, default MIGRATE
        What the copy is checked as (a backup into a new file is an export).

    Returns
    -------
    MigrationReport
        The numbers copied.

    Raises
    ------
    StoreError
        If the target is not empty or either store fails; the target is then
        unchanged.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geo.claims.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with open_store(folder / "a.sqlite") as a, open_store(folder / "b.sqlite", seed=False) as b:
    ...     report = copy_store(a, b)
    ...     len(b.list_claims()) == len(a.list_claims()) == report.claims > 0
    True

    The same with a ``postgresql://`` URL for ``b`` moves the registry to PostGIS.
    """
    authorize(user, action)
    src = _sql_store(source, "source")
    dst = _sql_store(target, "target")
    if src is dst or (src.location == dst.location and type(src) is type(dst)):
        raise StoreError(f"source and target are the same store ({src.location})")
    data: dict[str, list[tuple[Any, ...]]] = {}
    with src._read_cursor() as cur:  # one snapshot: a consistent copy while others write
        for table, columns, key in _TABLES:
            cur.execute(src._sql(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}"))
            data[table] = [tuple(row) for row in cur.fetchall()]
    with dst._write_cursor() as cur:
        for table, _, _ in _TABLES:
            cur.execute(dst._sql(f"SELECT COUNT(*) FROM {table}"))
            (count,) = cur.fetchone()
            if count:
                raise StoreError(
                    f"{dst.location} is not empty ({count} rows in {table}); migrate into a new "
                    "database, schema or file"
                )
        for table, columns, _ in _TABLES:
            rows = data[table]
            marks = ", ".join("?" for _ in columns)
            query = dst._sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})")
            for start in range(0, len(rows), _BATCH):
                cur.executemany(query, rows[start : start + _BATCH])
        dst._after_bulk_load(cur)
    return MigrationReport(
        sources=len(data["sources"]),
        claims=len(data["claims"]),
        audit_records=len(data["audit_log"]),
        source_location=src.location,
        target_location=dst.location,
    )


__all__ = ["MigrationReport", "copy_store"]
