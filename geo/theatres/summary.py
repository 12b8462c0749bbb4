"""What a theatre holds, in a few words: its line ids and its number of claims (for listings).

Examples
--------
>>> from geo.theatres.catalogue import get_theatre
>>> t = get_theatre("donbas-2014-15")
>>> line_ids(t)[0], claim_count(t) > 0
('minsk_2014_09_19', True)
>>> s = summary(t)
>>> s["id"], s["countries"], [p["id"] for p in s["parties"]], s["shipped"]
('donbas-2014-15', ['UA'], ['separatists', 'ukraine'], True)
"""

from __future__ import annotations

from geo import schema as S
from geo.reference.tables import read_table
from geo.theatres.model import Theatre

LINES_TABLE = "lines.csv"
CLAIMS_TABLE = "claims.csv"


def line_ids(theatre: Theatre) -> list[str]:
    """Ids of the theatre's reference lines (``lines.csv``), in file order; ``[]`` when it has none.

    Raises
    ------
    geo.errors.DataFileError
        Naming the file when ``lines.csv`` exists but cannot be read or has no ``line_id``.
    """
    if not theatre.has_table(LINES_TABLE):
        return []
    frame = read_table(theatre.table_path(LINES_TABLE), [S.LINE_ID])
    return [x for x in frame[S.LINE_ID].str.strip() if x]


def claim_count(theatre: Theatre) -> int:
    """Number of rows of the theatre's ``claims.csv`` (0 when it has none)."""
    if not theatre.has_table(CLAIMS_TABLE):
        return 0
    return len(read_table(theatre.table_path(CLAIMS_TABLE), []))


def summary(theatre: Theatre) -> dict:
    """One theatre as a JSON-ready object (what ``python -m geo theatre list --json`` prints per theatre)."""
    return {
        "id": theatre.id,
        "name": theatre.name,
        "description": theatre.description,
        "countries": list(theatre.countries),
        "admin1": list(theatre.admin1),
        "region_word": theatre.region_word,
        "region_word_plural": theatre.region_word_plural,
        "parties": [{"id": p.id, "name": p.name, "short": p.short, "colour": p.colour} for p in theatre.parties],
        "reference_line": theatre.reference_line,
        "lines": line_ids(theatre),
        "claims": claim_count(theatre),
        "agreements": [a.id for a in theatre.agreements],
        "shipped": theatre.shipped,
        "default": theatre.default,
        "path": str(theatre.path),
    }
