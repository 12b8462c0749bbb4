"""What a claim may name in its theatre: the theatre's reference lines and its parties.

Every claim of the registry belongs to one theatre (``schema.CLAIM_THEATRE``). Its
``reference_line`` must be one of that theatre's lines and its ``side`` (who holds the ground
beyond the line) one of that theatre's parties; :func:`rules_for` gives both for a theatre id.

Examples
--------
>>> r = rules_for("korea-1953")
>>> r.theatre, sorted(r.lines), r.sides
('korea-1953', ['mdl_1953_07_27'], ('unc', 'kpa_cpv', ''))
>>> rules_for("atlantis")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
geo.errors.ValidationError: field 'theatre': no theatre 'atlantis' (known: ...)
>>> check_theatre_id(" Korea-1953 ")
'korea-1953'
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from geo import schema as S
from geo.config import SEED_THEATRE_DIR
from geo.errors import GeoError, UnknownTheatreError, ValidationError
from geo.theatres import get_theatre, line_ids
from geo.theatres.model import read_manifest

#: The theatre every claim of a registry made before claims carried a theatre was seeded from.
#: A released migration fills it in; it never changes.
LEGACY_THEATRE = "donbas-2014-15"
#: The theatre a claim belongs to when none is named: the seed theatre of ``geo.config``.
DEFAULT_THEATRE = SEED_THEATRE_DIR.name

_THEATRE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")


@dataclass(frozen=True)
class ClaimRules:
    """The lines and sides a claim of ``theatre`` may name (``""`` is always a valid side)."""

    theatre: str
    lines: frozenset[str]
    sides: tuple[str, ...]


@functools.cache
def default_sides() -> tuple[str, ...]:
    """The sides a claim of the seed theatre may name: its parties' ids (``theatre.json``) and ``""``.

    >>> default_sides()
    ('separatists', 'ukraine', '')
    """
    return (*read_manifest(SEED_THEATRE_DIR).party_ids, "")


def repo_data_dir() -> Path:
    """Return the directory of the seed theatre's tables shipped next to the ``geo`` package."""
    return SEED_THEATRE_DIR


def known_line_ids(data_dir: str | Path | None = None) -> frozenset[str]:
    """Return the reference line ids a claim may refer to.

    Parameters
    ----------
    data_dir : str or Path, optional
        Directory holding ``lines.csv``; the seed theatre's directory by default.

    Returns
    -------
    frozenset of str
        The ``line_id`` column of ``lines.csv`` when the file exists and is
        readable, else the three line ids defined in :mod:`geo.schema`.
    """
    path = Path(data_dir) if data_dir is not None else repo_data_dir()
    path = path / "lines.csv"
    builtin = frozenset({S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02})
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            ids = {(row.get(S.LINE_ID) or "").strip() for row in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return builtin
    ids.discard("")
    return frozenset(ids) if ids else builtin


def check_theatre_id(value: object, row: int | None = None) -> str:
    """A theatre id as stored (stripped, lower case), or ValidationError naming the field."""
    text = str(value if value is not None else "").strip().lower()
    if not _THEATRE_ID.match(text):
        raise ValidationError(
            f"{text[:40]!r} is not a theatre id (2-63 of a-z, 0-9, '_', '-')", field=S.CLAIM_THEATRE, row=row
        )
    return text


def rules_for(theatre_id: str, *, data_dir: str | Path | None = None) -> ClaimRules:
    """The lines (``lines.csv``) and parties (``theatre.json``) of a shipped or user theatre.

    Raises
    ------
    ValidationError
        Field ``theatre``: no such theatre, or its tables cannot be read.
    """
    tid = check_theatre_id(theatre_id)
    try:
        theatre = get_theatre(tid, data_dir)
        lines = frozenset(line_ids(theatre))
    except UnknownTheatreError as exc:
        raise ValidationError(str(exc), field=S.CLAIM_THEATRE) from None
    except GeoError as exc:
        raise ValidationError(f"theatre '{tid}': {exc}", field=S.CLAIM_THEATRE) from None
    return ClaimRules(tid, lines, (*theatre.party_ids, ""))


__all__ = [
    "DEFAULT_THEATRE",
    "LEGACY_THEATRE",
    "ClaimRules",
    "check_theatre_id",
    "known_line_ids",
    "repo_data_dir",
    "rules_for",
]
