"""What a theatre is: its manifest ``theatre.json`` read into frozen dataclasses, and checked.

A theatre (a dispute) is a directory holding ``theatre.json`` and optional tables
(:data:`TABLES`). :func:`parse_manifest` turns the decoded JSON into a :class:`Theatre`,
refusing a bad manifest with a :class:`geo.errors.TheatreError` whose message names the file
and the field (``parties[1].colour``); :func:`manifest_dict` is its inverse, so
``parse_manifest(manifest_dict(t), ...) == t`` for a theatre read from the same place.

Examples
--------
>>> t = parse_manifest({
...     "format": FORMAT, "id": "demo", "name": "Demo", "countries": ["GE"],
...     "parties": [{"id": "a", "name": "Side A"}, {"id": "b", "name": "Side B", "colour": "#112233"}],
... }, "demo/theatre.json")
>>> t.id, t.countries, [p.id for p in t.parties], t.region_word_plural
('demo', ('GE',), ['a', 'b'], 'regions')
>>> t.parties[1].colour, t.parties[0].short
('#112233', 'Side A')
>>> parse_manifest({"format": FORMAT, "id": "demo", "name": "Demo", "countries": ["GE"],
...                 "parties": [{"id": "a", "name": "A", "colour": "red"}, {"id": "b", "name": "B"}]},
...                "demo/theatre.json")
Traceback (most recent call last):
...
geo.errors.TheatreError: demo/theatre.json: field 'parties[0].colour': 'red' is not a colour '#rrggbb'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import TheatreError
from geo.theatres.agreements import SIDE_EACH as SIDE_EACH  # re-exported: the manifest's vocabulary
from geo.theatres.agreements import Agreement, agreement_dicts, parse_agreements
from geo.theatres.agreements import Zone as Zone

#: The value of ``format`` this module reads and writes.
FORMAT = "contested-lines-theatre/1"
#: The manifest's file name inside a theatre directory.
MANIFEST = "theatre.json"
#: The tables a theatre may hold beside its manifest (all optional).
TABLES = (
    "lines.csv",
    "line_vertices.csv",
    "claims.csv",
    "sources.csv",
    "aliases.csv",
    "actors.csv",
    "settlements.csv",
    "boundaries.geojson",
)
#: File names (no directories) a theatre directory or archive may hold.
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.(json|csv|geojson)$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
PARTY_ID_RE = re.compile(r"^[a-z0-9_]+$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
ADMIN1_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
#: Colours given, in turn, to parties whose manifest names none (ColorBrewer RdBu/Dark2 hues).
PALETTE = ("#b2182b", "#2166ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


@dataclass(frozen=True)
class Party:
    """One party to a dispute: ``id`` (``^[a-z0-9_]+$``), full and short name, map colour.

    ``phrase`` is how a sentence names it ("held by separatists"; default: ``short``).

    >>> Party("a", "Side A", "A", "#000000").in_sentence, Party("r", "Rebels", "Rebels", "#000000", "rebels").in_sentence
    ('A', 'rebels')
    """

    id: str
    name: str
    short: str
    colour: str
    phrase: str = ""

    @property
    def in_sentence(self) -> str:
        """The party as written inside a sentence: ``phrase``, else ``short``."""
        return self.phrase or self.short


@dataclass(frozen=True)
class OfficialArea:
    """A published area of one admin-1 unit (checked against the boundaries within 3%)."""

    iso_3166_2: str
    km2: float
    source_url: str


@dataclass(frozen=True)
class Theatre:
    """A theatre as read from its directory (see ``data/README.md``, "theatre.json").

    ``path`` is the directory, ``shipped`` whether it comes with the app (read-only).
    """

    id: str
    name: str
    description: str = ""
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    region_word: str = "region"
    region_word_plural: str = "regions"
    parties: tuple[Party, ...] = ()
    reference_line: str = ""
    agreements: tuple[Agreement, ...] = ()
    official_areas: tuple[OfficialArea, ...] = ()
    path: Path = field(default=Path("."), compare=False)
    shipped: bool = field(default=False, compare=False)
    default: bool = False

    def table_path(self, name: str) -> Path:
        """Path of one of the theatre's files (``"lines.csv"``); it may not exist.

        >>> Theatre("demo", "Demo", path=Path("/t/demo")).table_path("lines.csv").as_posix()
        '/t/demo/lines.csv'
        """
        if not FILE_NAME_RE.match(name):
            raise TheatreError(f"{name!r} is not a theatre file name")
        return self.path / name

    def has_table(self, name: str) -> bool:
        """Whether the theatre directory holds the file ``name``."""
        return self.table_path(name).is_file()

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties' ids, in manifest order."""
        return tuple(p.id for p in self.parties)

    def party(self, party_id: str) -> Party:
        """The party with id ``party_id``; :class:`TheatreError` naming the known ids if none."""
        for p in self.parties:
            if p.id == party_id:
                return p
        raise TheatreError(f"theatre '{self.id}' has no party '{party_id}' (parties: {', '.join(self.party_ids)})")


class _Reader:
    """Field access on the decoded manifest that names file and field in every error."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, name: str, message: str):
        raise TheatreError(f"{self.where}: field '{name}': {message}")

    def get(self, obj: dict, key: str, prefix: str, kind: type | tuple, default: Any = ..., required=False):
        name = f"{prefix}{key}"
        if key not in obj or obj[key] is None:
            if required or default is ...:
                self.fail(name, "missing")
            return default
        value = obj[key]
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(name, f"{value!r} is not a number")
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            want = {str: "a string", bool: "true or false", list: "a list", dict: "an object"}.get(kind, str(kind))
            self.fail(name, f"{_short(value)} is not {want}")
        if isinstance(value, str):
            value = value.strip()
            if required and not value:
                self.fail(name, "is empty")
        return value

    def strings(self, obj: dict, key: str, prefix: str = "", pattern: re.Pattern | None = None, what: str = ""):
        items = self.get(obj, key, prefix, list, default=[])
        out = []
        for i, item in enumerate(items):
            name = f"{prefix}{key}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.fail(name, f"{_short(item)} is not a non-empty string")
            item = item.strip()
            if pattern is not None and not pattern.match(item):
                self.fail(name, f"{item!r} is not {what}")
            out.append(item)
        if len(set(out)) != len(out):
            self.fail(f"{prefix}{key}", "lists a value twice")
        return tuple(out)

    def objects(self, obj: dict, key: str, prefix: str = "") -> list[tuple[str, dict]]:
        items = self.get(obj, key, prefix, list, default=[])
        out = []
        for i, item in enumerate(items):
            name = f"{prefix}{key}[{i}]"
            if not isinstance(item, dict):
                self.fail(name, f"{_short(item)} is not an object")
            out.append((f"{name}.", item))
        return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _parties(r: _Reader, raw: dict) -> tuple[Party, ...]:
    parties = []
    for i, (prefix, obj) in enumerate(r.objects(raw, "parties")):
        pid = r.get(obj, "id", prefix, str, required=True)
        if not PARTY_ID_RE.match(pid):
            r.fail(prefix + "id", f"{pid!r} is not a party id (lower-case letters, digits, '_')")
        name = r.get(obj, "name", prefix, str, required=True)
        short = r.get(obj, "short", prefix, str, default="") or name
        colour = r.get(obj, "colour", prefix, str, default="") or PALETTE[i % len(PALETTE)]
        if not COLOUR_RE.match(colour):
            r.fail(prefix + "colour", f"{colour!r} is not a colour '#rrggbb'")
        phrase = r.get(obj, "phrase", prefix, str, default="")
        parties.append(Party(pid, name, short, colour.lower(), phrase))
    if len(parties) < 2:
        r.fail("parties", f"a theatre needs at least two parties, found {len(parties)}")
    ids = [p.id for p in parties]
    dup = sorted({x for x in ids if ids.count(x) > 1})
    if dup:
        r.fail("parties", f"party id {dup[0]!r} is used twice")
    return tuple(parties)


def _official_areas(r: _Reader, raw: dict) -> tuple[OfficialArea, ...]:
    out = []
    for prefix, obj in r.objects(raw, "official_areas"):
        code = r.get(obj, "iso_3166_2", prefix, str, required=True)
        if not ADMIN1_RE.match(code):
            r.fail(prefix + "iso_3166_2", f"{code!r} is not an ISO 3166-2 code")
        km2 = r.get(obj, "km2", prefix, float)
        if not km2 > 0:
            r.fail(prefix + "km2", f"{km2} is not an area above 0")
        url = r.get(obj, "source_url", prefix, str, required=True)
        if not url.startswith(("https://", "http://")):
            r.fail(prefix + "source_url", f"{url!r} is not a web address")
        out.append(OfficialArea(code, km2, url))
    return tuple(out)


def parse_manifest(raw: Any, where: str | Path, *, path: Path | None = None, shipped: bool = False) -> Theatre:
    """Check a decoded ``theatre.json`` and return its :class:`Theatre`.

    Parameters
    ----------
    raw : object
        The decoded JSON.
    where : str or Path
        The manifest's name for messages (a path, or ``archive.zip:theatre.json``).
    path : Path, optional
        The theatre directory (default: the parent of ``where``).
    shipped : bool
        Whether the theatre is shipped with the app.

    Raises
    ------
    geo.errors.TheatreError
        ``"<where>: field '<field>': <problem>"`` for the first problem found.
    """
    r = _Reader(str(where))
    if not isinstance(raw, dict):
        raise TheatreError(f"{where}: a theatre manifest is a JSON object, found {type(raw).__name__}")
    fmt = r.get(raw, "format", "", str, required=True)
    if fmt != FORMAT:
        r.fail("format", f"{fmt!r} is not a known theatre format (expected {FORMAT!r})")
    tid = r.get(raw, "id", "", str, required=True)
    if not ID_RE.match(tid):
        r.fail("id", f"{tid!r} is not a theatre id (2-63 of a-z, 0-9, '_', '-', starting with a letter or digit)")
    countries = r.strings(raw, "countries", pattern=COUNTRY_RE, what="an ISO 3166-1 alpha-2 code ('UA')")
    if not countries:
        r.fail("countries", "a theatre needs at least one country (ISO 3166-1 alpha-2)")
    admin1 = r.strings(raw, "admin1", pattern=ADMIN1_RE, what="an ISO 3166-2 code ('UA-14')")
    for i, code in enumerate(admin1):
        if code[:2] not in countries:
            r.fail(f"admin1[{i}]", f"{code!r} is not in the theatre's countries ({', '.join(countries)})")
    parties = _parties(r, raw)
    word = r.get(raw, "region_word", "", str, default="") or "region"
    plural = r.get(raw, "region_word_plural", "", str, default="") or (word + "s")
    return Theatre(
        id=tid,
        name=r.get(raw, "name", "", str, required=True),
        description=r.get(raw, "description", "", str, default=""),
        countries=countries,
        admin1=admin1,
        region_word=word,
        region_word_plural=plural,
        parties=parties,
        reference_line=r.get(raw, "reference_line", "", str, default=""),
        agreements=parse_agreements(r, raw, tuple(p.id for p in parties)),
        official_areas=_official_areas(r, raw),
        path=Path(path) if path is not None else Path(where).parent,
        shipped=shipped,
        default=r.get(raw, "default", "", bool, default=False),
    )


def read_manifest(directory: str | Path, *, shipped: bool = False) -> Theatre:
    """Read and check ``<directory>/theatre.json``; the directory's name must be the theatre's id.

    Raises
    ------
    geo.errors.TheatreError
        When the file is missing, is not JSON, or fails :func:`parse_manifest`.
    """
    directory = Path(directory)
    where = directory / MANIFEST
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TheatreError(f"{where}: theatre manifest not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TheatreError(f"{where}: cannot read: {exc}") from None
    theatre = parse_json(text, where, path=directory, shipped=shipped)
    if theatre.id != directory.name:
        raise TheatreError(f"{where}: field 'id': {theatre.id!r} differs from the directory name {directory.name!r}")
    return theatre


def parse_json(text: str, where: str | Path, *, path: Path | None = None, shipped: bool = False) -> Theatre:
    """:func:`parse_manifest` of JSON text; a JSON syntax error names its line and column."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TheatreError(f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return parse_manifest(raw, where, path=path, shipped=shipped)


def _party_dict(p: Party) -> dict:
    out = {"id": p.id, "name": p.name, "short": p.short, "colour": p.colour}
    if p.phrase:
        out["phrase"] = p.phrase
    return out


def parties_by_id(theatres: list[Theatre]) -> dict[str, Party]:
    """Every party of ``theatres`` by id, the first theatre naming an id winning.

    >>> a = Theatre("a", "A", parties=(Party("x", "X", "X", "#000000"),))
    >>> b = Theatre("b", "B", parties=(Party("x", "X2", "X2", "#111111"), Party("y", "Y", "Y", "#222222")))
    >>> {k: p.name for k, p in parties_by_id([a, b]).items()}
    {'x': 'X', 'y': 'Y'}
    """
    out: dict[str, Party] = {}
    for t in theatres:
        for p in t.parties:
            out.setdefault(p.id, p)
    return out


def manifest_dict(theatre: Theatre) -> dict:
    """The ``theatre.json`` object of ``theatre`` (empty optional fields left out).

    >>> t = Theatre("demo", "Demo", countries=("GE",),
    ...             parties=(Party("a", "A", "A", "#000000"), Party("b", "B", "B", "#ffffff")))
    >>> d = manifest_dict(t)
    >>> d["format"], d["countries"], d["parties"][1]["colour"], "agreements" in d
    ('contested-lines-theatre/1', ['GE'], '#ffffff', False)
    >>> parse_manifest(d, "demo/theatre.json") == t
    True
    """
    out: dict[str, Any] = {
        "format": FORMAT,
        "id": theatre.id,
        "name": theatre.name,
        "description": theatre.description,
        "countries": list(theatre.countries),
        "admin1": list(theatre.admin1),
        "region_word": theatre.region_word,
        "region_word_plural": theatre.region_word_plural,
        "parties": [_party_dict(p) for p in theatre.parties],
        "reference_line": theatre.reference_line,
        "default": theatre.default,
    }
    if theatre.agreements:
        out["agreements"] = agreement_dicts(theatre.agreements)
    if theatre.official_areas:
        out["official_areas"] = [
            {"iso_3166_2": o.iso_3166_2, "km2": o.km2, "source_url": o.source_url} for o in theatre.official_areas
        ]
    return out


def manifest_text(theatre: Theatre) -> str:
    """``theatre.json`` as written: indented UTF-8 JSON ending in a newline."""
    return json.dumps(manifest_dict(theatre), ensure_ascii=False, indent=2) + "\n"


def party_table(root: str | Path) -> dict[str, Party]:
    """The parties of every theatre under ``root`` by id (the ``default`` theatre's first, then by id).

    What the maps colour and name a stored party id with, read from the theatres' manifests.
    """
    dirs = sorted(d for d in Path(root).iterdir() if (d / MANIFEST).is_file())
    theatres = sorted((read_manifest(d, shipped=True) for d in dirs), key=lambda t: not t.default)
    return parties_by_id(theatres)
