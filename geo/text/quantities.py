"""Find figures with units of area or length in text and convert them.

Hand-written on purpose: quantity-parsing libraries (quantulum3, pint) either
need a trained classifier or do not know the forms analysts meet in the press
("500 sq. km", "a 30-km buffer zone", "1.2 thousand", "1,2 тис. кв. км",
"500-600 square kilometres"). The units, their spellings and factors are the one
table of :mod:`geo.units`.

The public entry point is :func:`find_quantities`, which returns every
:class:`Quantity` in a string with its character span, so that the extractor
can decide which one is the claim and highlight it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.units import AREA, LENGTH, SQ_KM, UNIT_RE, UNIT_SEPARATOR, UnitDef, unit_matched, unit_of

__all__ = ["AREA", "LENGTH", "Quantity", "UnitDef", "find_quantities", "parse_number", "unit_of"]

_THOUSAND_WORDS = {
    "thousand": 1e3,
    "million": 1e6,
    "тис": 1e3,
    "тисяч": 1e3,
    "тисячі": 1e3,
    "тысяч": 1e3,
    "тысячи": 1e3,
    "тыс": 1e3,
}
#: Number words the reader takes as figures ("two kilometres", "a dozen"); Ukrainian and Russian forms are added below.
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
    "one hundred": 100,
    "a thousand": 1000,
    "one thousand": 1000,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a kilometre": 1,
    "half a": 0.5,
    "half an": 0.5,
    "one and a half": 1.5,
    "one-and-a-half": 1.5,
    "two and a half": 2.5,
    "two-and-a-half": 2.5,
    "three and a half": 3.5,
    "three-and-a-half": 3.5,
    "півтора": 1.5,
    "півтори": 1.5,
    "полтора": 1.5,
    "полторы": 1.5,
    "тисячі": 1000,
    "тисячу": 1000,
    "тысячи": 1000,
    "тысячу": 1000,
}
# Ukrainian and Russian small numbers in the case forms that stand before a unit
# ("на два километра", "в шести километрах", "п'ять кілометрів")
_SLAVIC_NUMBERS = {
    1: "один одна одного одному одним одной одніє однієї",
    2: "два две двух двум двома двумя дві двох",
    3: "три трех трёх трем трём тремя трьох трьом",
    4: "четыре четырех четырёх четырем четырёх четырьмя чотири чотирьох",
    5: "пять пяти пятью п'ять п'яти п’ять п’яти",
    6: "шесть шести шестью шість шести",
    7: "семь семи семью сім семи",
    8: "восемь восьми восемью вісім восьми",
    9: "девять девяти дев'ять дев'яти дев’ять дев’яти",
    10: "десять десяти десятью десяти",
}
for _n, _forms in _SLAVIC_NUMBERS.items():
    for _w in _forms.split():
        WORD_NUMBERS.setdefault(_w, _n)
#: "a kilometre", "an acre", "another square kilometre": the figure 1 only right before a unit word
_ARTICLE_ONE = (
    r"(?:an?|another)(?=[\s\u00a0]+(?:kilomet|km\b|kms\b|mile|square\s+(?:kilomet|mile)|sq\b|sq\.|hectare|acre))"
    # "на кілометр", "на километр": the singular after "на" is one kilometre
    r"|на(?=[\s\u00a0]+(?:кілометр|километр|квадратний[\s\u00a0]+кілометр|квадратный[\s\u00a0]+километр)(?!\w))"
)
_WORD_RE = (
    _ARTICLE_ONE
    + "|"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORD_NUMBERS, key=len, reverse=True) if w != "a kilometre"
    )
)
# a number: grouped thousands (comma, space, narrow space) or plain digits with
# an optional decimal part (point, or comma followed by one or two digits), or
# a number word ("eight", "a thousand", "півтора")
_NUM = (
    r"(?:(?<![\d.,])(?:\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?"
    r"|\d+(?:\.\d+)?(?:,\d{1,2}(?!\d))?"
    r"|\d+)"
    r"|(?<!\w)(?:" + _WORD_RE + r")(?!\w))"
)
_MULT = r"(?:[\s\u00a0]*(?P<MULT>thousand|million|тис(?:яч[іи]?)?\.?|тыс(?:яч[иа]?)?\.?))?"
_RANGE = r"(?:[\s\u00a0]*(?:-?[\s\u00a0]*to|-|–|—|\u2212|до|or)[\s\u00a0]*(?P<HI>" + _NUM + r"))?"
_QUANTITY_RE = re.compile(
    r"(?:(?P<BETWEEN>between|від|от|from)\s+)?(?P<LO>"
    + _NUM
    + r")"
    + r"(?:(?(BETWEEN)\s+(?:and|і|и|до|to)\s+(?P<HI2>"
    + _NUM
    + r")|"
    + _RANGE
    + r"))"
    + _MULT,
    re.IGNORECASE,
)


@dataclass
class Quantity:
    """A figure with a unit found in text.

    Attributes
    ----------
    value : float
        The figure as written (lower bound of a range), multiplier applied.
    value_max : float or None
        Upper bound of a range ("500-600 sq km"), else ``None``.
    unit : str
        The unit as written in the text ("sq km", "square kilometres", "km²").
    canonical : UnitDef
        The recognised unit.
    start, end : int
        Character span of the number and unit in the searched string.
    """

    value: float
    value_max: float | None
    unit: str
    canonical: UnitDef
    start: int
    end: int
    number_text: str = ""

    @property
    def rounding(self) -> float:
        """Half a unit of the last written digit, in km² or km ("500" -> 50, "1.5" -> 0.05).

        Used to judge whether a rounded conversion agrees with the figure.
        """
        t = (self.number_text or "").replace(",", "").replace(" ", "").replace("\u00a0", "")
        if not re.fullmatch(r"\d+(?:\.\d+)?", t):
            return 0.0
        if "." in t:
            half = 0.5 * 10 ** -len(t.split(".")[1])
        else:
            zeros = len(t) - len(t.rstrip("0")) if t.strip("0") else 0
            half = 0.5 * 10**zeros
        mult = self.value / float(t) if float(t) else 1.0
        return half * mult * self.canonical.factor

    @property
    def dimension(self) -> str:
        """``"area"`` or ``"length"``."""
        return self.canonical.dimension

    @property
    def in_base(self) -> float:
        """The value in km² (area) or km (length)."""
        return self.value * self.canonical.factor


def parse_number(text: str) -> float:
    """Parse a number as written in English, Ukrainian or Russian prose.

    Commas followed by groups of three digits are thousands separators
    ("1,200" is 1200); a comma followed by one or two digits is a decimal comma
    ("1,2" is 1.2); spaces between digit groups are thousands separators, and
    so are dots when there are two or more groups ("1.000.000"). One dot group
    ("1.000") is a decimal point here; :func:`find_quantities` reads it as
    thousands before a Ukrainian or Russian unit, where decimals take a comma.

    Parameters
    ----------
    text : str
        The digits, e.g. ``"1,200.5"``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``text`` holds no number.

    Examples
    --------
    >>> parse_number("1,200")
    1200.0
    >>> parse_number("1,2")
    1.2
    """
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    word = re.sub(r"\s+", " ", t.lower())
    if word in ("a", "an", "another", "на"):
        return 1.0
    if word in WORD_NUMBERS:
        return float(WORD_NUMBERS[word])
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", t):  # "1.000.000": dots group thousands
        return float(t.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", t):
        return float(t.replace(" ", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:\.\d+)?(?:,\d{1,2})?", t):
        if "," in t and "." not in t:
            return float(t.replace(",", "."))
        return float(t.replace(",", ""))
    raise ValueError(f"not a number: {text!r}")


# "3 тисячі звільнених квадратних кілометрів": one participle between the figure and the unit
_CYR_ADJ_RE = re.compile(r"[а-яіїєґё]+(?:них|ных|их|ых|ої|ой)\s+(?=кв|квадрат|км|кілометр|километр|гектар)", re.I)
_SEP_RE = re.compile(UNIT_SEPARATOR)
# "700 square kms": the plural of the abbreviation, which the unit table reads only for lengths
_SQ_KMS_RE = re.compile(r"sq(?:uare)?\.?" + UNIT_SEPARATOR + r"kms\b", re.IGNORECASE)


def _unit_at(text: str, pos: int) -> tuple[UnitDef, str, int] | None:
    """The unit starting at ``pos`` (after optional blank or hyphen), if any."""
    m = _SEP_RE.match(text, pos)
    start = m.end() if m else pos
    um = UNIT_RE.match(text, start)
    if not um:
        kms = _SQ_KMS_RE.match(text, start)
        if kms:
            return SQ_KM, kms.group(0), kms.end()
        adj = _CYR_ADJ_RE.match(text, start)
        um = UNIT_RE.match(text, adj.end()) if adj else None
    if not um:
        return None
    val = um.group(0)
    written = val.rstrip(".").strip() if val.lower() != "sq. km." else val
    return unit_matched(um), written.rstrip("."), um.end() - (1 if val.endswith(".") else 0)


def find_quantities(text: str) -> list[Quantity]:
    """Find every figure followed by a unit of area or length.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of Quantity
        In order of appearance; figures without a recognised unit are skipped
        (casualties, money, calibres in mm, percentages).

    Examples
    --------
    >>> q = find_quantities("more than 500 sq km (194 sq mi) of territory")
    >>> [(x.value, x.unit) for x in q]
    [(500.0, 'sq km'), (194.0, 'sq mi')]
    """
    found: list[Quantity] = []
    pos = 0
    while True:
        m = _QUANTITY_RE.search(text, pos)
        if not m:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        try:
            lo = parse_number(m.group("LO"))
            hi_txt = m.group("HI") or m.group("HI2")
            hi = parse_number(hi_txt) if hi_txt else None
        except ValueError:
            continue
        mult = 1.0
        if m.group("MULT"):
            key = m.group("MULT").lower().rstrip(".")
            mult = _THOUSAND_WORDS.get(key, 1e3)
        unit = _unit_at(text, m.end())
        if unit is None and hi is not None:
            # "500 to 600" may belong to a range whose unit is after the first number
            continue
        if unit is None:
            continue
        udef, written, uend = unit
        if _NAMED_PLACE_RE.match(text, uend) and written[:1].isupper() and text[m.end() : m.end() + 1] == "-":
            continue  # "the 14-Mile Area": a place's name, not a figure
        if _CYRILLIC_RE.search(written):
            # Ukrainian and Russian write decimals with a comma: "1.000 кв. км" is a thousand
            hi_txt = m.group("HI") or m.group("HI2")
            if _DOT_THOUSANDS_RE.fullmatch(m.group("LO")):
                lo = float(m.group("LO").replace(".", ""))
            if hi is not None and hi_txt and _DOT_THOUSANDS_RE.fullmatch(hi_txt):
                hi = float(hi_txt.replace(".", ""))
        if hi is not None and hi < lo:
            hi = None  # "2014-15" style or a typo: keep the first figure
        found.append(
            Quantity(
                value=lo * mult,
                value_max=hi * mult if hi is not None else None,
                unit=written,
                canonical=udef,
                start=m.start("LO") if not m.group("BETWEEN") else m.start(),
                end=uend,
                number_text=m.group("LO"),
            )
        )
        pos = uend
    return _merge_unit_ranges(text, found)


# after a capitalised unit: a capitalised noun ("14-Mile Area", "the 38-Kilometre Zone" of a treaty's name)
_NAMED_PLACE_RE = re.compile(r"\s+(?-i:[A-Z])[a-z]+")
_DOT_THOUSANDS_RE = re.compile(r"\d{1,3}\.\d{3}")
_CYRILLIC_RE = re.compile(r"[а-яіїєґё]", re.IGNORECASE)
_RANGE_JOIN_RE = re.compile(r"[\s\u00a0]*(?:-|–|—|to|до)[\s\u00a0]*")
_AND_JOIN_RE = re.compile(r"[\s\u00a0]+(?:and|і|и)[\s\u00a0]+")
_BETWEEN_BEFORE_RE = re.compile(r"\b(?:between|від|между|від)\s+$", re.IGNORECASE)


_OPEN_BRACKET_RE = re.compile(r"[\s\u00a0]*[(\[]")
_CLOSE_BRACKET_RE = re.compile(r"[\s\u00a0]*[)\]]")


def _converted_bound(text: str, out: list[Quantity], q: Quantity) -> bool:
    """``out`` ends with a bound and its bracketed conversion, and ``q`` is the range's upper bound after it.

    "from 147,181 sq km (56,827 sq mi) to 147,516 sq km": the conversion sits between the two bounds.
    """
    if len(out) < 2:
        return False
    low, conv = out[-2], out[-1]
    close = _CLOSE_BRACKET_RE.match(text, conv.end)
    return bool(
        low.value_max is None
        and q.value_max is None
        and low.canonical == q.canonical
        and q.value > low.value
        and _OPEN_BRACKET_RE.fullmatch(text, low.end, conv.start)
        and close
        and _RANGE_JOIN_RE.fullmatch(text, close.end(), q.start)
    )


def _merge_unit_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Join "600 metres to 1,000 metres" (a unit after each bound) into one range.

    A conversion in brackets after the lower bound is dropped with it ("147,181 sq km (56,827 sq mi) to 147,516 sq km").
    """
    out: list[Quantity] = []
    for q in found:
        if _converted_bound(text, out, q):
            low = out[-2]
            out[-2:] = [Quantity(low.value, q.value, low.unit, low.canonical, low.start, q.end, low.number_text)]
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.value_max is None
            and q.value_max is None
            and prev.canonical.dimension == q.canonical.dimension
            and q.in_base > prev.in_base
            and (
                _RANGE_JOIN_RE.fullmatch(text, prev.end, q.start)
                or (_AND_JOIN_RE.fullmatch(text, prev.end, q.start) and _BETWEEN_BEFORE_RE.search(text, 0, prev.start))
            )
        ):
            hi = q.value * q.canonical.factor / prev.canonical.factor  # "800 metres to 1 km": the bound in metres
            out[-1] = Quantity(prev.value, hi, prev.unit, prev.canonical, prev.start, q.end, prev.number_text)
            continue
        out.append(q)
    return out
