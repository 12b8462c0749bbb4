"""Seeding the registry from a theatre's tables: ``sources.csv`` and ``claims.csv``.

A theatre directory (shipped in ``data/theatres/`` or the user's) carries its claims and the
sources they cite. :func:`read_seed_tables` reads both; a claim row without an ``event_date``
cannot be stored (the registry needs the date a claim was made), so it is left out and
reported with its file, row and field, never dropped silently. Any other invalid row refuses
the whole theatre (:meth:`geo.claims.store.sql.SQLStore.seed_theatre`).

Examples
--------
>>> from geo.theatres import get_theatre
>>> tables = read_seed_tables(get_theatre("korea-1953").path)
>>> len(tables.claims) > 0, len(tables.sources) > 0
(True, True)
>>> all("field 'event_date'" in p for p in tables.skipped)
True
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo import schema as S
from geo.cells import is_missing
from geo.errors import DataFileError

SOURCES_TABLE = "sources.csv"
CLAIMS_TABLE = "claims.csv"


@dataclass(frozen=True)
class SeedTables:
    """The rows of a theatre's seed tables, and the claim rows left out (one message each)."""

    sources: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    skipped: list[str]
    #: the rows left out, as ``(file row number, row)``: still checked for every other field
    undated: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    #: the claims and sources files (named in messages)
    claims_path: Path | None = None
    sources_path: Path | None = None
    #: the file's row number (data rows from 1) of each row of ``claims``
    claim_rows: list[int] = field(default_factory=list)

    def file_row(self, row: int | None) -> int | None:
        """The file's row number of ``claims[row - 1]`` (None stays None)."""
        return self.claim_rows[row - 1] if row is not None and 0 < row <= len(self.claim_rows) else row


@dataclass(frozen=True)
class SeedReport:
    """What seeding one theatre did: the claim and source ids added, the rows left out and why."""

    theatre: str
    claims: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command line."""
        tail = f"; {len(self.skipped)} rows left out" if self.skipped else ""
        return f"seeded theatre '{self.theatre}': {len(self.claims)} claims, {len(self.sources)} new sources{tail}"


def _rows(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return [
                row for row in csv.DictReader(fh) if any((v or "").strip() for v in row.values() if isinstance(v, str))
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(f"{path}: cannot read seed file: {exc}") from exc


def read_seed_tables(directory: str | os.PathLike[str]) -> SeedTables:
    """The source and claim rows of ``directory`` (missing files give no rows).

    Claim rows without an ``event_date`` are left out of ``claims``, named in ``skipped``
    (``"<file>: row N, field 'event_date': ..."``, N counting data rows from 1) and kept in
    ``undated`` so that their other fields are still checked.

    Raises
    ------
    DataFileError
        Naming the file when a table cannot be read.
    """
    folder = Path(directory)
    sources_path, claims_path = folder / SOURCES_TABLE, folder / CLAIMS_TABLE
    sources = _rows(sources_path) if sources_path.is_file() else []
    claims, skipped, numbers, undated = [], [], [], []
    for i, row in enumerate(_rows(claims_path) if claims_path.is_file() else [], start=1):
        if is_missing((row.get(S.CLAIM_EVENT_DATE) or "").strip()):
            cid = (row.get(S.CLAIM_ID) or "").strip()
            skipped.append(
                f"{claims_path}: row {i}, field '{S.CLAIM_EVENT_DATE}': claim {cid!r} has no event date "
                "(the date the claim was made); it was not added to the registry. Give the date and seed again"
            )
            undated.append((i, row))
            continue
        claims.append(row)
        numbers.append(i)
    return SeedTables(sources, claims, skipped, undated, claims_path, sources_path, numbers)


def _csv_bytes(frame, columns: list[str]) -> bytes:
    buf = io.StringIO()
    frame.reindex(columns=columns).astype(object).fillna("").to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def registry_tables(store: Any, theatre_id: str, directory: str | os.PathLike[str] | None = None) -> dict[str, bytes]:
    """A theatre's claims as the registry holds them now, as its two seed tables (file name: bytes).

    For an export that carries what analysts added or changed (``claims.csv``, ``sources.csv``).

    Rows of the theatre's own ``claims.csv`` in ``directory`` that the registry never took (no
    event date, see :func:`read_seed_tables`) are kept after the registry's, so an export loses
    nothing; a claim deleted in the registry is not written. Sources: every source a written
    claim cites, the registry's version first. An empty dict when the registry holds no claim of
    the theatre and never did (then the theatre's own files are exported as they are).
    """
    held = store.list_claims(theatre=theatre_id, include_deleted=True)
    if not len(held):
        return {}
    deleted = held[S.CLAIM_ID][held["deleted"].astype(bool)] if "deleted" in held else held[S.CLAIM_ID].iloc[0:0]
    claims = held[~held[S.CLAIM_ID].isin(set(deleted))]
    own = read_seed_tables(directory) if directory is not None else None
    kept = [row for _, row in (own.undated if own else []) if row.get(S.CLAIM_ID) not in set(held[S.CLAIM_ID])]
    columns = S.CLAIM_COLUMNS
    frame = pd.concat([claims.reindex(columns=columns), pd.DataFrame(kept).reindex(columns=columns)], ignore_index=True)
    cited = set(frame[S.CLAIM_SOURCE_ID].dropna().astype(str)) - {""}
    sources = store.list_sources()
    sources = sources[sources[S.SOURCE_ID].isin(cited)].reindex(columns=S.SOURCE_COLUMNS)
    if own:  # a source only the file's kept rows cite
        extra = [r for r in own.sources if r.get(S.SOURCE_ID) in cited - set(sources[S.SOURCE_ID])]
        sources = pd.concat([sources, pd.DataFrame(extra).reindex(columns=S.SOURCE_COLUMNS)], ignore_index=True)
    return {CLAIMS_TABLE: _csv_bytes(frame, columns), SOURCES_TABLE: _csv_bytes(sources, S.SOURCE_COLUMNS)}


__all__ = ["CLAIMS_TABLE", "SOURCES_TABLE", "SeedReport", "SeedTables", "read_seed_tables", "registry_tables"]
