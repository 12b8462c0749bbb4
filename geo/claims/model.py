"""Claims and sources: the data model of the registry and its validation.

A *source* is a publication (article, statement, monitor report, post); a
*claim* is a statement by an actor, reported by a source, about territory
relative to a reference line: a figure (area or distance with unit and
qualifier) and/or a geometry, with the date it was made (``event_date``), the
period it describes (``valid_from``/``valid_to``, the valid time) and an
Admiralty reliability grade (source A-F, information 1-6).

Everything that enters the registry goes through :func:`validate_source` and
:func:`validate_claim`. They accept loosely typed mappings (CSV rows of
strings, JSON objects, pandas rows with ``NaN``), normalise them (strip
strings, upper-case grades, compute ``value_km2``/``value_km`` from a known
unit) and raise :class:`geo.errors.ValidationError` naming the field and the
row for anything they refuse. They never raise anything else.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

import shapely  # local import: validation of figures does not need GEOS

from geo import schema as S
from geo.cells import is_missing
from geo.claims.interval import check_dimension_and_period, interval
from geo.claims.theatre_rules import check_theatre_id, default_sides, known_line_ids
from geo.errors import ValidationError
from geo.units import AREA, LENGTH, spellings, unit_of

#: Columns that describe how a record is stored, not what it says.
RECORD_TIME = "record_time"
DELETED = "deleted"
VERSION = "version"
META_COLUMNS = (RECORD_TIME, DELETED, VERSION)

#: Source columns that a claim row may carry inline (as ``claims list`` prints them).
EMBEDDED_SOURCE_COLUMNS = tuple(c for c in S.SOURCE_COLUMNS if c != S.SOURCE_ID)

MAX_SHORT = 200  # actor, party, publisher, unit, ...
MAX_TEXT = 5_000  # quote, title, notes
MAX_URL = 2_000
MAX_TAGS = 1_000
MAX_WKT = 1_000_000
ADMIRALTY_SOURCE = ("A", "B", "C", "D", "E", "F")
ADMIRALTY_INFO = ("1", "2", "3", "4", "5", "6")

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Characters no text field may hold: control characters (Unicode category Cc), lone surrogates (Cs),
#: and U+2028/U+2029, which break JSON inside JavaScript. Multi-line fields may hold newlines and tabs.
_BAD_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_BAD_CHAR_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Source:
    """A publication that reports claims; fields follow ``schema.SOURCE_COLUMNS``."""

    source_id: str
    publisher: str
    title: str = ""
    url: str = ""
    published: str = ""
    language: str = ""
    source_kind: str = ""
    record_time: str = ""
    deleted: bool = False
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict (schema columns plus meta columns).

        Every field holds an immutable scalar, so a shallow copy equals
        ``dataclasses.asdict`` (without its per-field deep copies).
        """
        return dict(self.__dict__)


@dataclass(frozen=True)
class Claim:
    """A statement about territory; fields follow ``schema.CLAIM_COLUMNS``.

    ``value``, ``value_km2``, ``value_km``, ``value_min`` and ``value_max`` are
    ``None`` when absent; every other schema field is a string (``""`` when
    absent). See :mod:`geo.claims.interval` for the interval, dimension, period.
    """

    claim_id: str
    quote: str
    actor: str
    party: str
    stance: str
    kind: str
    value: float | None
    unit: str
    qualifier: str
    value_km2: float | None
    value_km: float | None
    reference_line: str
    side: str
    event_date: str
    valid_from: str
    valid_to: str
    source_id: str
    reliability_source: str
    reliability_info: str
    notes: str
    tags: str
    geometry_wkt: str
    value_min: float | None = None
    value_max: float | None = None
    dimension: str = ""
    period_start: str = ""
    period_end: str = ""
    theatre: str = ""
    record_time: str = ""
    deleted: bool = False
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict (schema columns plus meta columns).

        Every field holds an immutable scalar, so a shallow copy equals
        ``dataclasses.asdict`` (without its per-field deep copies).
        """
        return dict(self.__dict__)


assert [f.name for f in fields(Claim)][: len(S.CLAIM_COLUMNS)] == S.CLAIM_COLUMNS
assert [f.name for f in fields(Source)][: len(S.SOURCE_COLUMNS)] == S.SOURCE_COLUMNS


# --------------------------------------------------------------------------
# field parsers: each returns a normalised value or raises ValidationError
# --------------------------------------------------------------------------
_is_missing = is_missing


def _text(
    record: Mapping[str, Any],
    name: str,
    row: int | None,
    *,
    required: bool = False,
    max_len: int = MAX_SHORT,
    multiline: bool = False,
) -> str:
    value = record.get(name)
    if _is_missing(value):
        if required:
            raise ValidationError("is required and missing or empty", field=name, row=row)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Real)):
        raise ValidationError(f"must be text, got {type(value).__name__}", field=name, row=row)
    try:
        text = str(value).replace("\r\n", "\n").strip()
    except ValueError:  # an integer too long to print
        raise ValidationError("is too long", field=name, row=row) from None
    if len(text) > max_len:
        raise ValidationError(
            f"is {len(text)} characters long; at most {max_len} allowed",
            field=name,
            row=row,
        )
    bad = (_BAD_CHAR_MULTILINE if multiline else _BAD_CHAR).search(text)
    if bad:
        raise ValidationError(
            f"contains a control or invalid character (U+{ord(bad.group()):04X})",
            field=name,
            row=row,
        )
    return text


def _choice(
    record: Mapping[str, Any],
    name: str,
    row: int | None,
    allowed: Iterable[str],
    *,
    required: bool = False,
    upper: bool = False,
) -> str:
    allowed = tuple(allowed)
    text = _text(record, name, row, required=required, max_len=MAX_SHORT)
    if isinstance(record.get(name), float) and text.endswith(".0"):
        text = text[:-2]  # 3.0 from a spreadsheet means grade 3
    text = text.upper() if upper else text.lower()
    if text not in allowed:
        shown = ", ".join(repr(a) for a in allowed if a) + (" or empty" if "" in allowed else "")
        raise ValidationError(f"{text!r} is not one of {shown}", field=name, row=row)
    return text


def _date(
    record: Mapping[str, Any],
    name: str,
    row: int | None,
    *,
    required: bool = False,
    not_future: bool = True,
) -> str:
    value = record.get(name)
    if _is_missing(value):
        value = None
    elif isinstance(value, _dt.datetime):
        value = value.date().isoformat()
    elif isinstance(value, _dt.date):
        value = value.isoformat()
    text = _text({name: value}, name, row, required=required)
    if not text:
        return ""
    if not _DATE_RE.match(text):
        raise ValidationError(f"{text!r} is not a date in the form YYYY-MM-DD", field=name, row=row)
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a valid calendar date", field=name, row=row) from None
    if not_future and day > _dt.datetime.now(_dt.UTC).date() + _dt.timedelta(days=1):
        raise ValidationError(f"{text} is in the future", field=name, row=row)
    if day.year < 1800:
        raise ValidationError(f"{text} is before 1800", field=name, row=row)
    return text


def _number(record: Mapping[str, Any], name: str, row: int | None) -> float | None:
    value = record.get(name)
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValidationError("must be a number, got a boolean", field=name, row=row)
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            raise ValidationError("is too large", field=name, row=row) from None
    elif isinstance(value, str):
        text = value.strip()
        if not _NUMBER_RE.match(text):
            raise ValidationError(
                f"{text[:40]!r} is not a number (use digits and '.', no thousands separators)",
                field=name,
                row=row,
            )
        try:
            number = float(text)
        except (OverflowError, ValueError):
            raise ValidationError("is too large", field=name, row=row) from None
    else:
        raise ValidationError(f"must be a number, got {type(value).__name__}", field=name, row=row)
    if not math.isfinite(number):
        raise ValidationError("must be a finite number", field=name, row=row)
    if number < 0:
        raise ValidationError(f"{number:g} is negative; figures must be >= 0", field=name, row=row)
    return number


def _identifier(record: Mapping[str, Any], name: str, row: int | None, *, required: bool = False) -> str:
    text = _text(record, name, row, required=required, max_len=64)
    if text and not _ID_RE.match(text):
        raise ValidationError(
            f"{text!r} is not a valid id (letters, digits, '_', '.', ':', '-'; up to 64)",
            field=name,
            row=row,
        )
    return text


def _url(record: Mapping[str, Any], name: str, row: int | None) -> str:
    text = _text(record, name, row, max_len=MAX_URL)
    if not text:
        return ""
    if any(ch.isspace() for ch in text):
        raise ValidationError("must not contain spaces", field=name, row=row)
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ValidationError(f"{text[:60]!r} is not a valid URL", field=name, row=row) from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "(none)"
        raise ValidationError(
            f"URL scheme {scheme!r} is not allowed; use an http:// or https:// link",
            field=name,
            row=row,
        )
    if not parts.netloc or not parts.hostname:
        raise ValidationError(f"{text[:60]!r} has no host name", field=name, row=row)
    return text


def _tags(record: Mapping[str, Any], row: int | None) -> str:
    value = record.get(S.CLAIM_TAGS)
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise ValidationError("must be a list of strings", field=S.CLAIM_TAGS, row=row)
        value = ";".join(value)
    text = _text({S.CLAIM_TAGS: value}, S.CLAIM_TAGS, row, max_len=MAX_TAGS)
    tags = [t.strip() for t in text.split(";")]
    return ";".join(dict.fromkeys(t for t in tags if t))


def _geometry(record: Mapping[str, Any], row: int | None) -> str:
    name = S.CLAIM_GEOMETRY
    text = _text(record, name, row, max_len=MAX_WKT, multiline=True)
    if not text:
        return ""

    try:
        geom = shapely.from_wkt(text)
    except Exception as exc:  # noqa: BLE001 - GEOS raises several types
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValidationError(f"is not valid WKT ({msg[:120]})", field=name, row=row) from None
    if geom is None or geom.is_empty:
        raise ValidationError("is an empty geometry", field=name, row=row)
    if shapely.has_z(geom):
        raise ValidationError("must be 2D (lon lat), without Z", field=name, row=row)
    coords = shapely.get_coordinates(geom)
    if not (coords.size and (abs(coords) < float("inf")).all()):
        raise ValidationError("has non-finite coordinates", field=name, row=row)
    lon, lat = coords[:, 0], coords[:, 1]
    if (lon < -180).any() or (lon > 180).any() or (lat < -90).any() or (lat > 90).any():
        raise ValidationError(
            "coordinates are outside WGS84 (lon -180..180, lat -90..90); give EPSG:4326 as 'lon lat'",
            field=name,
            row=row,
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ValidationError(f"is not a valid geometry ({reason})", field=name, row=row)
    return text


def _check_keys(record: Any, allowed: Iterable[str], row: int | None) -> None:
    if not isinstance(record, Mapping):
        raise ValidationError(f"a record must be an object/mapping, got {type(record).__name__}", row=row)
    allowed = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
    if record.keys() <= allowed:  # the usual case, in one set operation
        return
    for key in record:
        if not isinstance(key, str) or key not in allowed:
            shown = str(key)[:40]
            raise ValidationError("unknown field (check the spelling)", field=shown, row=row)


# --------------------------------------------------------------------------
# public validators
# --------------------------------------------------------------------------
def validate_source(record: Mapping[str, Any], row: int | None = None) -> Source:
    """Validate and normalise a source record.

    Parameters
    ----------
    record : mapping
        Keys from ``schema.SOURCE_COLUMNS`` (plus optional meta columns
        ``record_time``/``deleted``/``version``, which are ignored).
    row : int, optional
        Row number used in error messages.

    Returns
    -------
    Source

    Raises
    ------
    ValidationError
        Naming the field (and row) that is missing or wrong.

    Examples
    --------
    >>> validate_source({"source_id": "mt", "publisher": "The Moscow Times",
    ...                  "url": "https://www.themoscowtimes.com/", "source_kind": "news"}).publisher
    'The Moscow Times'
    """
    _check_keys(record, [*S.SOURCE_COLUMNS, *META_COLUMNS], row)
    return Source(
        source_id=_identifier(record, S.SOURCE_ID, row, required=True),
        publisher=_text(record, S.SOURCE_PUBLISHER, row, required=True),
        title=_text(record, S.SOURCE_TITLE, row, max_len=MAX_TEXT),
        url=_url(record, S.SOURCE_URL, row),
        published=_date(record, S.SOURCE_PUBLISHED, row),
        language=_language(record, row),
        source_kind=_choice(record, S.SOURCE_KIND, row, S.SOURCE_KINDS, required=True),
    )


def _language(record: Mapping[str, Any], row: int | None) -> str:
    text = _text(record, S.SOURCE_LANGUAGE, row, max_len=35)
    if text and not _LANG_RE.match(text):
        raise ValidationError(
            f"{text!r} is not a language code such as 'en', 'uk', 'ru'",
            field=S.SOURCE_LANGUAGE,
            row=row,
        )
    return text.lower() if "-" not in text else text


def _in_base(value: float, unit: str, dimension: str, row: int | None) -> float:
    """``value`` in ``unit`` as km² or km, by the one unit table :mod:`geo.units`.

    Every spelling the extractor reads is accepted ("sq km", "кв. км", "square kilometre").
    """
    udef = unit_of(unit)
    if udef is None or udef.dimension != dimension:
        what, given = ("area", "value_km2") if dimension == AREA else ("distance", "value_km")
        raise ValidationError(
            f"unknown {what} unit {unit!r}; give {given} or one of {', '.join(spellings(dimension))}",
            field=S.CLAIM_UNIT,
            row=row,
        )
    return value * udef.factor


#: The keys a claim record may have (with or without the source fields ``claims list`` prints).
_CLAIM_KEYS = frozenset([*S.CLAIM_COLUMNS, S.CLAIM_THEATRE, *META_COLUMNS])
_CLAIM_KEYS_WITH_SOURCE = _CLAIM_KEYS | frozenset(EMBEDDED_SOURCE_COLUMNS)


def validate_claim(
    record: Mapping[str, Any],
    row: int | None = None,
    known_lines: Iterable[str] | None = None,
    known_sources: Iterable[str] | None = None,
    *,
    allow_source_fields: bool = True,
    known_sides: Iterable[str] | None = None,
) -> Claim:
    """Validate and normalise a claim record.

    Parameters
    ----------
    record : mapping
        Keys from ``schema.CLAIM_COLUMNS``. Meta columns (``record_time``,
        ``deleted``, ``version``) and the embedded source columns that
        ``claims list`` prints (``publisher``, ``title``, ...) are accepted
        and ignored here; any other key is refused as a likely typo.
    row : int, optional
        Row number used in error messages.
    known_lines : iterable of str, optional
        Reference line ids a claim may name; :func:`known_line_ids` by default.
    known_sources : iterable of str, optional
        Source ids that exist; when given, ``source_id`` must be one of them.
    allow_source_fields : bool, default True
        Whether embedded source columns are tolerated.
    known_sides : iterable of str, optional
        The values ``side`` may take (the theatre's party ids and ``""``);
        the seed theatre's by default (:func:`geo.claims.theatre_rules.default_sides`).

    Returns
    -------
    Claim
        With ``value_km2``/``value_km`` filled from ``value`` and a known
        ``unit`` when they were not given.

    Raises
    ------
    ValidationError
        Naming the field (and row) that is missing or wrong.
    """
    _check_keys(record, _CLAIM_KEYS_WITH_SOURCE if allow_source_fields else _CLAIM_KEYS, row)
    lines = frozenset(known_lines) if known_lines is not None else known_line_ids()

    claim_id = _identifier(record, S.CLAIM_ID, row)
    quote = _text(record, S.CLAIM_QUOTE, row, required=True, max_len=MAX_TEXT, multiline=True)
    actor = _text(record, S.CLAIM_ACTOR, row, required=True)
    party = _text(record, S.CLAIM_PARTY, row)
    stance = _choice(record, S.CLAIM_STANCE, row, S.STANCES, required=True)
    kind = _choice(record, S.CLAIM_KIND, row, S.CLAIM_KINDS)
    value = _number(record, S.CLAIM_VALUE, row)
    unit = _text(record, S.CLAIM_UNIT, row, max_len=40)
    qualifier = _choice(record, S.CLAIM_QUALIFIER, row, S.QUALIFIERS)
    value_km2 = _number(record, S.CLAIM_VALUE_KM2, row)
    value_km = _number(record, S.CLAIM_VALUE_KM, row)
    reference_line = _text(record, S.CLAIM_REFERENCE_LINE, row, max_len=64)
    if reference_line and reference_line not in lines:
        raise ValidationError(
            f"unknown reference line {reference_line!r}; known: {', '.join(sorted(lines))}",
            field=S.CLAIM_REFERENCE_LINE,
            row=row,
        )
    side = _choice(record, S.CLAIM_SIDE, row, (*known_sides, "") if known_sides is not None else default_sides())
    theatre = "" if _is_missing(record.get(S.CLAIM_THEATRE)) else check_theatre_id(record[S.CLAIM_THEATRE], row)
    event_date = _date(record, S.CLAIM_EVENT_DATE, row, required=True)
    valid_from = _date(record, S.CLAIM_VALID_FROM, row, not_future=False)
    valid_to = _date(record, S.CLAIM_VALID_TO, row, not_future=False)
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError(
            f"{valid_to} is before valid_from {valid_from}",
            field=S.CLAIM_VALID_TO,
            row=row,
        )
    source_id = _identifier(record, S.CLAIM_SOURCE_ID, row, required=True)
    if known_sources is not None and source_id not in set(known_sources):
        raise ValidationError(
            f"unknown source {source_id!r}; add the source first or give its fields inline",
            field=S.CLAIM_SOURCE_ID,
            row=row,
        )
    rel_source = _choice(record, S.CLAIM_REL_SOURCE, row, (*ADMIRALTY_SOURCE, ""), upper=True)
    rel_info = _choice(record, S.CLAIM_REL_INFO, row, (*ADMIRALTY_INFO, ""))
    notes = _text(record, S.CLAIM_NOTES, row, max_len=MAX_TEXT, multiline=True)
    tags = _tags(record, row)
    geometry = _geometry(record, row)

    if kind and value is None and value_km2 is None and value_km is None:
        raise ValidationError(f"kind {kind!r} needs a figure", field=S.CLAIM_VALUE, row=row)
    if value is not None and not unit and kind:
        raise ValidationError("a figure needs its unit (e.g. 'sq km', 'km')", field=S.CLAIM_UNIT, row=row)
    if kind == "area" and value_km2 is None and value is not None:
        value_km2 = _in_base(value, unit, AREA, row)
    if kind in ("distance", "withdrawal_distance") and value_km is None and value is not None:
        value_km = _in_base(value, unit, LENGTH, row)
    value_min, value_max = interval(
        value, _number(record, S.CLAIM_VALUE_MIN, row), _number(record, S.CLAIM_VALUE_MAX, row), row
    )
    dimension = _choice(record, S.CLAIM_DIMENSION, row, S.CLAIM_DIMENSIONS)
    period_start = _date(record, S.CLAIM_PERIOD_START, row, not_future=False)
    period_end = _date(record, S.CLAIM_PERIOD_END, row, not_future=False)
    check_dimension_and_period(kind, dimension, period_start, period_end, row)
    if value_km2 is not None and not math.isfinite(value_km2):
        raise ValidationError("must be a finite number", field=S.CLAIM_VALUE_KM2, row=row)
    if value_km is not None and not math.isfinite(value_km):
        raise ValidationError("must be a finite number", field=S.CLAIM_VALUE_KM, row=row)

    return Claim(
        claim_id=claim_id,
        quote=quote,
        actor=actor,
        party=party,
        stance=stance,
        kind=kind,
        value=value,
        unit=unit,
        qualifier=qualifier,
        value_km2=value_km2,
        value_km=value_km,
        reference_line=reference_line,
        side=side,
        event_date=event_date,
        valid_from=valid_from,
        valid_to=valid_to,
        source_id=source_id,
        reliability_source=rel_source,
        reliability_info=rel_info,
        notes=notes,
        tags=tags,
        geometry_wkt=geometry,
        value_min=value_min,
        value_max=value_max,
        dimension=dimension,
        period_start=period_start,
        period_end=period_end,
        theatre=theatre,
    )


def embedded_source(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the source columns a claim row carries inline (non-empty ones only).

    Parameters
    ----------
    record : mapping
        A claim row, possibly with ``publisher``, ``title``, ``url``, ...

    Returns
    -------
    dict
        ``{column: value}`` for the embedded source columns that are present
        and not empty; ``{}`` when the row only references a ``source_id``.
    """
    if not isinstance(record, Mapping):
        return {}
    return {c: record[c] for c in EMBEDDED_SOURCE_COLUMNS if c in record and not _is_missing(record[c])}
