"""Fixtures shared by the claims registry tests: seed CSVs, sample rows, a content digest."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

from geo import schema as S
from tests.support.parties import PARTY_SEPARATISTS

SEED_SOURCE = {
    S.SOURCE_ID: "mt-2015-01-21",
    S.SOURCE_PUBLISHER: "The Moscow Times",
    S.SOURCE_TITLE: "Kiev accuses rebels of seizing land beyond the Minsk lines",
    S.SOURCE_URL: "https://www.themoscowtimes.com/2015/01/21/example",
    S.SOURCE_PUBLISHED: "2015-01-21",
    S.SOURCE_LANGUAGE: "en",
    S.SOURCE_KIND: "news",
}
SEED_CLAIMS = [
    {
        S.CLAIM_ID: "seed-kiev-500",
        S.CLAIM_QUOTE: "seized more than 500 sq km beyond the agreed separation lines",
        S.CLAIM_ACTOR: "Kiev",
        S.CLAIM_PARTY: PARTY_SEPARATISTS,
        S.CLAIM_STANCE: "asserts",
        S.CLAIM_KIND: "area",
        S.CLAIM_VALUE: "500",
        S.CLAIM_UNIT: "sq km",
        S.CLAIM_QUALIFIER: "more_than",
        S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
        S.CLAIM_SIDE: PARTY_SEPARATISTS,
        S.CLAIM_EVENT_DATE: "2015-01-20",
        S.CLAIM_SOURCE_ID: "mt-2015-01-21",
        S.CLAIM_REL_SOURCE: "B",
        S.CLAIM_REL_INFO: "2",
        S.CLAIM_TAGS: "seed;minsk",
    },
    {
        S.CLAIM_ID: "seed-lavrov",
        S.CLAIM_QUOTE: "the separatists held more than the Minsk lines gave them",
        S.CLAIM_ACTOR: "Sergei Lavrov",
        S.CLAIM_PARTY: PARTY_SEPARATISTS,
        S.CLAIM_STANCE: "acknowledges",
        S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
        S.CLAIM_EVENT_DATE: "2015-01-21",
        S.CLAIM_SOURCE_ID: "mt-2015-01-21",
        S.CLAIM_REL_SOURCE: "B",
        S.CLAIM_REL_INFO: "3",
        S.CLAIM_GEOMETRY: "POINT (37.8 48.0)",
    },
]


def write_seed(directory: Path) -> Path:
    """Write sources.csv and claims.csv (schema columns) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "sources.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=S.SOURCE_COLUMNS)
        writer.writeheader()
        writer.writerow(SEED_SOURCE)
    with (directory / "claims.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=S.CLAIM_COLUMNS)
        writer.writeheader()
        for row in SEED_CLAIMS:
            writer.writerow({c: row.get(c, "") for c in S.CLAIM_COLUMNS})
    return directory


def seeded_db(tmp_path: Path, user: str, *, claims=(), sources=()) -> str:
    """A registry file under ``tmp_path`` seeded from :func:`write_seed`, plus ``sources`` and ``claims`` added by ``user``."""
    from geo.claims.store import open_store

    path = tmp_path / "claims.sqlite"
    with open_store(path, seed_dir=write_seed(tmp_path / "seed")) as store:
        if sources:
            store.add_sources(list(sources), user=user)
        if claims:
            store.add_claims(list(claims), user=user)
    return str(path)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``python -m geo`` in-process: the exit code, stdout and stderr."""
    from geo.__main__ import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def claim_row(n: int = 0, **changes: object) -> dict[str, object]:
    """A valid claim row referencing the seed source."""
    row: dict[str, object] = {
        S.CLAIM_QUOTE: f"claim number {n}: more than {n} sq km",
        S.CLAIM_ACTOR: "Kiev",
        S.CLAIM_PARTY: PARTY_SEPARATISTS,
        S.CLAIM_STANCE: "asserts",
        S.CLAIM_KIND: "area",
        S.CLAIM_VALUE: n,
        S.CLAIM_UNIT: "sq km",
        S.CLAIM_QUALIFIER: "more_than",
        S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
        S.CLAIM_EVENT_DATE: "2015-01-20",
        S.CLAIM_SOURCE_ID: SEED_SOURCE[S.SOURCE_ID],
        S.CLAIM_REL_SOURCE: "C",
        S.CLAIM_REL_INFO: "3",
    }
    row.update(changes)
    return row


class RawSQLError(Exception):
    """A statement run by :func:`execute_raw` was refused by the database."""


def execute_raw(store: object, statement: str) -> None:
    """Run one SQL statement on a store's database behind its back (either backend)."""
    url = getattr(store, "url", None)
    if url:
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(statement)
        except psycopg.Error as exc:
            raise RawSQLError(str(exc)) from exc
        return
    conn = sqlite3.connect(str(getattr(store, "location", store)))
    try:
        conn.execute(statement)
        conn.commit()
    except sqlite3.DatabaseError as exc:
        raise RawSQLError(str(exc)) from exc
    finally:
        conn.close()


def content_digest(path: object) -> str:
    """SHA-256 of the SQL dump of every table (content, not file bytes).

    ``path`` is a SQLite file or an open store of either backend.
    """
    url = getattr(path, "url", None)
    if url:
        return _postgres_digest(url)
    conn = sqlite3.connect(str(getattr(path, "location", path)))
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()
    finally:
        conn.close()


def _postgres_digest(url: str) -> str:
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("schema_version", "sources", "claims", "audit_log"):
            rows = conn.execute(f"SELECT t::text FROM {table} t ORDER BY 1").fetchall()
            digest.update(f"{table} {len(rows)}\n".encode())
            for (row,) in rows:
                digest.update(row.encode("utf-8"))
                digest.update(b"\n")
    return digest.hexdigest()


def legacy_audit(self, cur, rows):
    """How a store before the hash chain wrote audit records (no ``row_hash``); patch it over ``_audit``."""
    cur.executemany(
        self._sql(
            "INSERT INTO audit_log (at, who, action, entity, entity_id, version, before_json, after_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ),
        [
            (at, who, str(a), str(e), i, v, None if b is None else json.dumps(b), None if f is None else json.dumps(f))
            for at, who, a, e, i, v, b, f in rows
        ],
    )


#: One imported line (a GeoJSON FeatureCollection) for the tests that need a line to rename, delete, restore.
LINE_FEATURES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Alpha", "date": "2015-01-20"},
            "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]},
        }
    ],
}
