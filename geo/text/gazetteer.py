"""Reference phrases and places: the alias table and the settlements gazetteer, as text sees them.

``data/aliases.csv`` maps a reference phrase ("agreed separation lines") to a
line id for the dates it is in force (:func:`load_aliases`,
:func:`find_reference`). ``data/settlements.csv`` gives the place names matched
in a sentence (:class:`Gazetteer`).

The gazetteer reads the settlements file with :mod:`csv` on purpose, not with
:func:`geo.reference.settlements.load_settlements`: ``geo.reference`` and
``geo.text`` are sibling layers, the extractor needs only names and points (no
GeoDataFrame, no geopandas), and a missing or unreadable file means "no places",
never an error, so that :func:`geo.text.extract.extract` never raises on text.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import schema
from geo.cells import cell_text, is_missing
from geo.config import ALIASES_FILE, SETTLEMENTS_FILE
from geo.errors import DataFileError
from geo.text.dates import to_date

__all__ = [
    "ALIASES_PATH",
    "SETTLEMENTS_PATH",
    "Alias",
    "Gazetteer",
    "alias_patterns",
    "as_aliases",
    "as_gazetteer",
    "find_reference",
    "load_aliases",
]

ALIASES_PATH = ALIASES_FILE
SETTLEMENTS_PATH = SETTLEMENTS_FILE


# --- aliases ----------------------------------------------------------------------
@dataclass(frozen=True)
class Alias:
    """One row of ``data/aliases.csv``."""

    phrase: str
    line_id: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str = ""


def load_aliases(path: str | Path = ALIASES_PATH) -> list[Alias]:
    """Read the alias table (columns ``phrase, line_id, valid_from, valid_to, note``).

    Raises
    ------
    geo.errors.DataFileError
        If the file lacks a column, names an unknown line id or has a bad date.
    """
    known = {
        schema.LINE_MINSK_2014,
        schema.LINE_CONTACT_2015_01,
        schema.LINE_CONTACT_2015_02,
        "",
    }
    out: list[Alias] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"phrase", "line_id"} - set(reader.fieldnames or ())
        if missing:
            raise DataFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row_no, row in enumerate(reader, start=2):
            phrase = cell_text(row.get("phrase")).strip()
            line_id = cell_text(row.get("line_id")).strip()
            if not phrase:
                continue
            if line_id not in known:
                raise DataFileError(f"{path}: row {row_no}, field 'line_id': unknown line {line_id!r}")
            dates = []
            for col in ("valid_from", "valid_to"):
                val = cell_text(row.get(col)).strip()
                try:
                    dates.append(dt.date.fromisoformat(val) if val else None)
                except ValueError:
                    raise DataFileError(f"{path}: row {row_no}, field '{col}': bad date {val!r}") from None
            out.append(Alias(phrase, line_id, dates[0], dates[1], cell_text(row.get("note")).strip()))
    return out


@functools.lru_cache(maxsize=1)
def _default_aliases() -> tuple[Alias, ...]:
    return tuple(load_aliases(ALIASES_PATH)) if ALIASES_PATH.exists() else ()


def find_reference(
    sentence: str,
    when: dt.date | None,
    aliases: Iterable[Alias],
    patterns: list[tuple[str, re.Pattern[str]]] | None = None,
) -> tuple[str, str, tuple[int, int] | None]:
    """The reference phrase in ``sentence`` and the line id it maps to at ``when``.

    The longest alias phrase found (case-insensitive, whole words) wins; among
    rows with that phrase, the one whose ``valid_from``/``valid_to`` contain
    ``when`` (or the first when ``when`` is None). When no row is in force at
    ``when`` (a "front line" in 2024) the phrase is returned with line id ``""``.

    Returns
    -------
    (phrase as written, line id or "", span or None)

    ``patterns`` (from :func:`alias_patterns` of the same rows) saves
    compiling them again for every sentence.

    Examples
    --------
    >>> rows = [Alias("old line", "minsk_2014_09_19", None, dt.date(2015, 2, 1))]
    >>> find_reference("beyond the old  line", dt.date(2015, 1, 20), rows)
    ('old  line', 'minsk_2014_09_19', (11, 20))
    >>> find_reference("beyond the old line", dt.date(2016, 1, 1), rows)[1]
    ''
    """
    rows = tuple(aliases)
    patterns = patterns if patterns is not None else alias_patterns(rows)
    if not _any_alias(patterns).search(sentence):
        return "", "", None  # one scan rules out every phrase: most sentences name no line
    for phrase, rx in patterns:
        m = rx.search(sentence)
        if not m:
            continue
        same = [a for a in rows if a.phrase.lower() == phrase]
        for a in same:
            if when is None or not ((a.valid_from and when < a.valid_from) or (a.valid_to and when > a.valid_to)):
                return m.group(0), a.line_id, m.span()
        # the phrase names a line, but none of its rows is in force at that date
        return m.group(0), "", m.span()
    return "", "", None


#: one alternation of every phrase of a pattern list, by the list's id (the list is kept alive with it)
_ANY_ALIAS: dict[int, tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]] = {}


def _any_alias(patterns: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    """A pattern that matches wherever any of ``patterns`` does (a prefilter, not the choice)."""
    hit = _ANY_ALIAS.get(id(patterns))
    if hit is not None and hit[0] is patterns:
        return hit[1]
    rx = re.compile("|".join(f"(?:{p.pattern})" for _, p in patterns) or r"(?!)", re.IGNORECASE)
    if len(_ANY_ALIAS) > 16:
        _ANY_ALIAS.clear()
    _ANY_ALIAS[id(patterns)] = (patterns, rx)
    return rx


@functools.lru_cache(maxsize=8)
def alias_patterns(rows: tuple[Alias, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Each distinct phrase (lower case), longest first, with its whole-word pattern; compiled once."""
    out: list[tuple[str, re.Pattern[str]]] = []
    seen: set[str] = set()
    for alias in sorted(rows, key=lambda a: -len(a.phrase)):
        key = alias.phrase.lower()
        if key in seen:
            continue
        seen.add(key)
        rx = re.compile(r"(?<!\w)" + re.escape(alias.phrase).replace(r"\ ", r"\s+") + r"(?!\w)", re.IGNORECASE)
        out.append((key, rx))
    return out


_REGION_AFTER = re.compile(
    r"\s+(?:People['’]?s|region|oblast|province|Oblast|Region|and\s+\w+\s+(?:People['’]?s|regions|oblasts))",
)


# --- gazetteer ----------------------------------------------------------------------
@dataclass
class Gazetteer:
    """Settlement names with coordinates, matched as whole words."""

    entries: dict[str, tuple[str, float, float]]  # lowercase name -> (name, lon, lat)
    pattern: re.Pattern[str] | None

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Gazetteer:
        """Build from rows with ``name``, ``name_alt`` (``;`` or ``,`` separated), ``lon``, ``lat``.

        When a name recurs, the row in a front-line oblast (Donetsk, Luhansk),
        then the most populous, wins.
        """
        ranked: dict[str, tuple[tuple[int, float], tuple[str, float, float]]] = {}
        for rec in records:
            try:
                name = cell_text(rec.get(schema.S_NAME)).strip()
                lon = float(rec.get(schema.S_LON))  # type: ignore[arg-type]
                lat = float(rec.get(schema.S_LAT))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            if not name:
                continue
            pop_cell = rec.get(schema.S_POPULATION)
            try:
                pop = 0.0 if is_missing(pop_cell) else float(pop_cell)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                pop = 0.0
            front = 1 if cell_text(rec.get(schema.S_OBLAST)) in schema.FRONT_OBLASTS else 0
            alts = re.split(r"[;,|]", cell_text(rec.get(schema.S_NAME_ALT)))
            for n in [name, *alts]:
                n = n.strip()
                if len(n) < 3 or not n[0].isupper():
                    continue
                rank = (front, pop)
                key = n.lower()
                if key not in ranked or rank > ranked[key][0]:
                    ranked[key] = (rank, (name, lon, lat))
        entries = {k: v[1] for k, v in ranked.items()}
        names = sorted((k for k in entries), key=len, reverse=True)
        # a name counts only when capitalised in the text: checking the first
        # letter (case-sensitively) before the long alternation keeps it fast
        initials = "".join(sorted({entries[k][0][:1] for k in entries} | {k[:1].upper() for k in entries}))
        pattern = (
            re.compile(
                r"(?<!\w)(?-i:(?=["
                + re.escape(initials)
                + r"]))("
                + "|".join(re.escape(n) for n in names)
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if names
            else None
        )
        return cls(entries, pattern)

    def find(self, sentence: str) -> list[dict[str, Any]]:
        """Places named in ``sentence`` (capitalised there), each once, in order.

        Examples
        --------
        >>> g = Gazetteer.from_records([{"name": "Debaltseve", "name_alt": "Debal'tsevo", "lon": 38.4, "lat": 48.3}])
        >>> g.find("Rebels took Debaltseve; debaltseve again, Debaltseve region.")
        [{'name': 'Debaltseve', 'lon': 38.4, 'lat': 48.3}]
        """
        if self.pattern is None:
            return []
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        for m in self.pattern.finditer(sentence):
            if not m.group(0)[:1].isupper():
                continue
            if _REGION_AFTER.match(sentence, m.end()):
                continue  # "Donetsk People's Republic", "Kharkiv region": not the town
            name, lon, lat = self.entries[m.group(0).lower()]
            if name in seen:
                continue
            seen.add(name)
            out.append({"name": name, "lon": lon, "lat": lat})
        return out


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    if not SETTLEMENTS_PATH.exists():
        return Gazetteer({}, None)
    try:
        with open(SETTLEMENTS_PATH, newline="", encoding="utf-8") as fh:
            return Gazetteer.from_records(list(csv.DictReader(fh)))
    except (OSError, csv.Error, UnicodeDecodeError):
        return Gazetteer({}, None)


def as_gazetteer(gazetteer: Any) -> Gazetteer:
    """The gazetteer to use: the default for ``None``, else built from a DataFrame or records."""
    if gazetteer is None:
        return _default_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if hasattr(gazetteer, "to_dict"):  # a pandas DataFrame
        return Gazetteer.from_records(gazetteer.to_dict("records"))
    return Gazetteer.from_records(gazetteer)


def as_aliases(aliases: Any) -> list[Alias]:
    """The alias rows to use: the default table for ``None``, a file path, or Alias rows / dicts."""
    if aliases is None:
        return list(_default_aliases())
    if isinstance(aliases, (str, Path)):
        return load_aliases(aliases)
    out = []
    for a in aliases:
        if isinstance(a, Alias):
            out.append(a)
        else:
            vf, vt = (None if is_missing(a.get(col)) else a.get(col) for col in ("valid_from", "valid_to"))
            out.append(
                Alias(
                    str(a["phrase"]),
                    cell_text(a.get("line_id")),
                    to_date(vf) if vf else None,
                    to_date(vt) if vt else None,
                    cell_text(a.get("note")),
                )
            )
    return out
