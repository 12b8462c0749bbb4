"""The one table of units of area and length: spellings, canonical unit, dimension, factor.

Every reader of a figure asks here: the quantity finder of :mod:`geo.text` (units
written after a figure in prose), the extractor, and the claim validator of
:mod:`geo.claims.model` (the ``unit`` field of a stored claim). A unit has a
canonical spelling, a dimension (:data:`AREA` or :data:`LENGTH`) and a factor to
the base unit of its dimension (km² for areas, km for lengths). The factors are
exact by definition (international mile).

Two views of the same table:

- :data:`UNIT_PATTERNS`: the spellings met after a figure in English, Ukrainian
  and Russian prose ("sq. km", "km²", "кв. км", "30-km"), as regular
  expressions, most specific first;
- :data:`FIELD_SPELLINGS`: the spellings a claim's ``unit`` field is documented
  to accept, listed in validation messages.

:func:`unit_of` reads any spelling of either view.

Examples
--------
>>> unit_of("square miles").name, unit_of("кв. км").name, unit_of("m").name
('sq mi', 'sq km', 'm')
>>> to_base(500, "hectares")
5.0
>>> round(convert(1, "sq mi", "sq km"), 6)
2.589988
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import ValidationError

__all__ = [
    "ACRE",
    "AREA",
    "FIELD_SPELLINGS",
    "HECTARE",
    "KM",
    "KM2_PER_ACRE",
    "KM2_PER_HECTARE",
    "KM2_PER_SQ_MI",
    "KM_PER_MILE",
    "LENGTH",
    "METRE",
    "MILE",
    "SQ_KM",
    "SQ_MI",
    "UNITS",
    "UNIT_PATTERNS",
    "UNIT_RE",
    "UNIT_SEPARATOR",
    "UnitDef",
    "base_unit",
    "convert",
    "spellings",
    "to_base",
    "unit_of",
    "unit_matched",
]

# --- conversion factors (exact by definition) -------------------------------
KM2_PER_SQ_MI = 1.609344**2  # international mile
KM2_PER_HECTARE = 0.01
KM2_PER_ACRE = 0.0040468564224
KM_PER_MILE = 1.609344

AREA = "area"
LENGTH = "length"


@dataclass(frozen=True)
class UnitDef:
    """One unit: canonical spelling, dimension and factor to km² (area) or km (length).

    Examples
    --------
    >>> SQ_MI.dimension, round(SQ_MI.factor, 4)
    ('area', 2.59)
    """

    name: str
    dimension: str  # AREA | LENGTH
    factor: float


SQ_KM = UnitDef("sq km", AREA, 1.0)
SQ_MI = UnitDef("sq mi", AREA, KM2_PER_SQ_MI)
HECTARE = UnitDef("ha", AREA, KM2_PER_HECTARE)
ACRE = UnitDef("acres", AREA, KM2_PER_ACRE)
KM = UnitDef("km", LENGTH, 1.0)
MILE = UnitDef("miles", LENGTH, KM_PER_MILE)
METRE = UnitDef("m", LENGTH, 0.001)

#: Every unit, by canonical name.
UNITS: dict[str, UnitDef] = {u.name: u for u in (SQ_KM, SQ_MI, HECTARE, ACRE, KM, MILE, METRE)}

#: Blank or hyphen between a figure and its unit, or inside a unit ("30-km", "500-square-km").
UNIT_SEPARATOR = r"[\s\u00a0\u202f]*-?[\s\u00a0\u202f]*"
_SEP = UNIT_SEPARATOR

#: Spellings of the units in prose (regular expressions), most specific first.
#: Each is matched right after a number.
UNIT_PATTERNS: list[tuple[str, UnitDef]] = [
    # area, English
    (r"sq(?:uare)?\.?" + _SEP + r"(?:km|kilomet(?:er|re)s?)\b\.?", SQ_KM),
    (r"(?:km|kilomet(?:er|re)s?)" + _SEP + r"(?:sq(?:uare)?d?\b\.?|2(?!\d)|²)", SQ_KM),
    (r"kilomet(?:er|re)s?\s+squared\b", SQ_KM),
    (r"sq(?:uare)?\.?" + _SEP + r"(?:mi\b\.?|miles?\b)", SQ_MI),
    (r"(?:mi|miles?)" + _SEP + r"(?:2(?!\d)|²)", SQ_MI),
    (r"hectares?\b|ha\b", HECTARE),
    (r"acres?\b", ACRE),
    # area, Ukrainian and Russian
    (r"кв\.?\s*(?:км|кілометр\w*|километр\w*)", SQ_KM),
    (r"квадратн\w+\s+(?:км|кілометр\w*|километр\w*)", SQ_KM),
    (r"км\s*(?:2(?!\d)|²)|км\s+кв\b\.?", SQ_KM),
    (r"гектар\w*|га\b", HECTARE),
    # length
    (r"(?:kms|km|kilomet(?:er|re)s?)\b\.?", KM),
    (r"miles?\b|mi\b(?![-\d])\.?", MILE),
    (r"met(?:er|re)s?\b", METRE),
    (r"км\b|кілометр\w*|километр\w*", KM),
    (r"метр\w*|м\b(?!\.\s*(?-i:[А-ЯІЇЄҐ]))", METRE),  # "250 м", not "5 м. Київ" (місто),
]
#: All of :data:`UNIT_PATTERNS` as one pattern; group ``u<i>`` is pattern ``i``.
UNIT_RE = re.compile("|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(UNIT_PATTERNS)), re.IGNORECASE)

#: Abbreviations read only as a written unit field ("m", "mi"), never after a figure
#: in prose, where "5 m" is as often millions as metres.
_FIELD_ONLY = {
    "m": METRE,
    "mi": MILE,
    "mi2": SQ_MI,
    "mi²": SQ_MI,
    # as a labelled or imported field: "м" (metres), "км кв." (a Ukrainian "5 км кв.", square kilometres)
    "м": METRE,
    "км кв.": SQ_KM,
    "км кв": SQ_KM,
    "квадратов": SQ_KM,
    "кілометрів квадратних": SQ_KM,  # the unit after the noun, as written in a Ukrainian report  # Russian military slang for square kilometres, as a labelled field only
}

#: The spellings a claim's ``unit`` field is documented to accept (lower case).
FIELD_SPELLINGS: dict[str, UnitDef] = {
    "km2": SQ_KM,
    "km²": SQ_KM,
    "sq km": SQ_KM,
    "sq. km": SQ_KM,
    "square km": SQ_KM,
    "square kilometres": SQ_KM,
    "square kilometers": SQ_KM,
    "sq mi": SQ_MI,
    "sq. mi": SQ_MI,
    "mi2": SQ_MI,
    "square miles": SQ_MI,
    "ha": HECTARE,
    "hectares": HECTARE,
    "km": KM,
    "kilometres": KM,
    "kilometers": KM,
    "m": METRE,
    "metres": METRE,
    "meters": METRE,
    "mi": MILE,
    "miles": MILE,
}


def unit_matched(match: re.Match[str]) -> UnitDef:
    """The unit of a match of :data:`UNIT_RE` (the one named group that matched)."""
    for name, val in match.groupdict().items():
        if val is not None:
            return UNIT_PATTERNS[int(name[1:])][1]
    raise ValueError("not a match of UNIT_RE")  # pragma: no cover - a match always has one group


def unit_of(written: str) -> UnitDef | None:
    """The unit a spelling names ("sq km", "square kilometres", "км", "miles"), or ``None``.

    Parameters
    ----------
    written : str
        A unit as written, in any case, with surrounding blanks.

    Returns
    -------
    UnitDef or None

    Examples
    --------
    >>> unit_of("square miles").factor == KM2_PER_SQ_MI
    True
    >>> unit_of("parsec") is None
    True
    """
    text = (written or "").strip()
    if text.lower() in _FIELD_ONLY:
        return _FIELD_ONLY[text.lower()]
    m = UNIT_RE.fullmatch(text) or UNIT_RE.fullmatch(text + ".")
    return unit_matched(m) if m else None


def spellings(dimension: str) -> list[str]:
    """The :data:`FIELD_SPELLINGS` of one dimension, sorted (for messages).

    Examples
    --------
    >>> spellings(LENGTH)[:3]
    ['kilometers', 'kilometres', 'km']
    """
    return sorted(k for k, u in FIELD_SPELLINGS.items() if u.dimension == dimension)


def base_unit(dimension: str) -> str:
    """The canonical name of the base unit of a dimension (``"sq km"`` or ``"km"``).

    >>> base_unit(AREA)
    'sq km'
    """
    return SQ_KM.name if dimension == AREA else KM.name


def _known(written: str, dimension: str | None = None) -> UnitDef:
    unit = unit_of(written)
    if unit is None:
        raise ValidationError(f"unknown unit {written!r}", field="unit")
    if dimension is not None and unit.dimension != dimension:
        raise ValidationError(f"{written!r} is not a unit of {dimension}", field="unit")
    return unit


def to_base(value: float, written: str, dimension: str | None = None) -> float:
    """``value`` in ``written`` units converted to km² (area) or km (length).

    Parameters
    ----------
    value : float
        The figure.
    written : str
        Its unit, any spelling :func:`unit_of` reads.
    dimension : str, optional
        :data:`AREA` or :data:`LENGTH` when the unit must be of that dimension.

    Raises
    ------
    geo.errors.ValidationError
        For an unknown unit, or one of the other dimension.

    Examples
    --------
    >>> to_base(2, "miles")
    3.218688
    >>> to_base(2, "miles", AREA)
    Traceback (most recent call last):
    ...
    geo.errors.ValidationError: field 'unit': 'miles' is not a unit of area
    """
    return value * _known(written, dimension).factor


def convert(value: float, source: str, target: str) -> float:
    """``value`` converted from unit ``source`` to unit ``target`` (same dimension).

    Raises
    ------
    geo.errors.ValidationError
        For an unknown unit or units of different dimensions.

    Examples
    --------
    >>> convert(1500, "m", "km")
    1.5
    """
    a = _known(source)
    b = _known(target, a.dimension)
    return value * a.factor / b.factor
