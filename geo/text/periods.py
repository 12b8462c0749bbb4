"""The period over which a stated change happened, resolved against the publication date.

A claim such as "Russia captured 3,600 sq km in 2024" or "ЗСУ звільнили 40 кв. км за
минулу добу" states not only how much but over when. :func:`find_period` reads the
expressions below in English, Ukrainian and Russian and gives ``(start, end)``; a
month, day or weekday without a year is the latest one on or before publication, and
a period never ends after publication (a year still running ends on the publication day).

=====================================================  ==========================================
Expression                                             Period (publication date ``P``)
=====================================================  ==========================================
"between 1 and 31 March", "з 1 по 31 березня"          those days
"since 1 January", "since January 1", "з 1 січня"      that day to ``P``
"this year", "since the start of the year",            1 January of ``P``'s year to ``P``
"з початку року", "с начала 2025 года", "цього року"
"this month", "цього місяця", "в этом месяце"          the first of ``P``'s month to ``P``
"this week", "цього тижня", "на этой неделе"           Monday of ``P``'s week to ``P``
"за 2025 рік", "за 2024 год"                           that calendar year
"over the past week", "in the last 24 hours",          that many days (months, years) before
"за минулу добу", "за последние 3 дня"                 ``P``, to ``P``
"last week", "минулого тижня", "на прошлой неделе"     Monday to Sunday of the week before
"last month", "минулого місяця", "в прошлом месяце"    the month before ``P``'s month
"last year", "минулого року", "торік"                  the year before ``P``'s year
"since January", "since 2022", "з 2022 року"           its start to ``P``
"in November", "у листопаді", "в ноябре"               that month
"in 2024", "у 2024 році", "в 2024 году"                that year
=====================================================  ==========================================

The rows are tried in this order and the first that resolves wins; the month
names and their case forms are the authored tables of :mod:`geo.text.dates`.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from geo.text.dates import MONTHS_EN, MONTHS_UK_RU_RE, latest_on_or_before, month_number, safe_date

__all__ = ["PERIOD_KINDS", "find_period"]

_MONTH_ANY = rf"(?:{MONTHS_EN}|{MONTHS_UK_RU_RE})"
_ORD = r"(?:st|nd|rd|th|-?го)?"
_YEAR_WORD = r"(?:\s*(?:рік|році|року|год|году|г\.))?"
_I = re.IGNORECASE

# Ukrainian/Russian time units after "за" ("over"): stem -> English unit
_SLAVIC_UNITS = (
    ("day", r"доб[уиі]|сутки|суток|дн[яіе]\w*|дн(?:ей|ів)|день"),
    ("week", r"тижн?\w*|недел\w*"),
    ("month", r"місяц\w*|месяц\w*"),
    ("year", r"рік|роки|років|год(?:а)?|лет"),
)
_SLAVIC_UNIT_RE = "|".join(f"(?P<{name}>{rx})" for name, rx in _SLAVIC_UNITS)
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "два": 2,
    "дві": 2,
    "две": 2,
    "три": 3,
    "чотири": 4,
    "четыре": 4,
    "п'ять": 5,
    "п’ять": 5,
    "пять": 5,
    "сім": 7,
    "семь": 7,
}
_NUMBER_RE = r"\d{1,3}|" + "|".join(re.escape(w) for w in sorted(_NUMBER_WORDS, key=len, reverse=True))

_PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "days_range",
        re.compile(
            rf"\b(?:between|from|з|с|від|от)\s+(\d{{1,2}}){_ORD}\s+(?:and|to|until|till|-|–|по|до)\s+"
            rf"(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH_ANY})\b(?:,?\s+(\d{{4}}))?",
            _I,
        ),
    ),
    (
        "since_day",
        re.compile(
            rf"\b(?:since|from|з|с|від|от)\s+(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH_ANY})\b(?:,?\s+(\d{{4}}))?", _I
        ),
    ),
    (
        "since_month_day",
        re.compile(rf"\b(?:since|from)\s+({MONTHS_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", _I),
    ),
    (
        "start_of_year",
        re.compile(
            r"\b(?:(?:so\s+far\s+)?this\s+year|since\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?year|"
            r"з\s+початку\s+(?:(\d{4})\s+)?року|с\s+начала\s+(?:этого\s+|(\d{4})\s+)?года|"
            r"цього\s+року|у\s+цьому\s+році|в\s+этом\s+году)",
            _I,
        ),
    ),
    (
        "this_month",
        re.compile(
            r"\b(?:this\s+month|since\s+the\s+(?:start|beginning)\s+of\s+the\s+month|цього\s+місяця|"
            r"з\s+початку\s+місяця|в\s+этом\s+месяце|с\s+начала\s+месяца)\b",
            _I,
        ),
    ),
    (
        "this_week",
        re.compile(
            r"\b(?:this\s+week|цього\s+тижня|на\s+цьому\s+тижні|з\s+початку\s+тижня|на\s+этой\s+неделе|"
            r"с\s+начала\s+недели)\b",
            _I,
        ),
    ),
    (
        "past",
        re.compile(
            rf"\b(?:over|in|during|within|for)\s+the\s+(?:past|last|previous)\s+(?:({_NUMBER_RE}|24)\s+)?"
            r"(hour|day|week|month|year)s?\b",
            _I,
        ),
    ),
    ("for_year", re.compile(rf"(?<!\w)за\s+(\d{{4}}){_YEAR_WORD}(?!\w)", _I)),
    (
        "past_slavic",
        re.compile(
            r"(?<!\w)(?:за|протягом|в\s+течение|на\s+протяжении)\s+"
            r"(?:(?:минул|останн|последн|прошедш|прошл)\w*\s+)?"
            rf"(?:(?P<n>{_NUMBER_RE})\s+)?(?:{_SLAVIC_UNIT_RE})(?!\w)",
            _I,
        ),
    ),
    (
        "last_week",
        re.compile(r"\b(?:last\s+week|(?:на\s+)?минулого\s+тижня|на\s+минулому\s+тижні|на\s+прошлой\s+неделе)\b", _I),
    ),
    (
        "last_month",
        re.compile(r"\b(?:last\s+month|минулого\s+місяця|у\s+минулому\s+місяці|в\s+прошлом\s+месяце)\b", _I),
    ),
    (
        "last_year",
        re.compile(r"\b(?:last\s+year|минулого\s+року|у\s+минулому\s+році|торік|в\s+прошлом\s+году)\b", _I),
    ),
    (
        "since_month",
        re.compile(rf"\b(?:since|з|с)\s+(?:early\s+|late\s+|mid-?)?({_MONTH_ANY})\b(?:\s+(\d{{4}}))?", _I),
    ),
    ("since_year", re.compile(r"\b(?:since|з|с)\s+(\d{4})\b", _I)),
    (
        "in_month",
        re.compile(
            rf"\b(?:in|during|у|в)\s+({_MONTH_ANY})\b(?:\s+(\d{{4}})|"
            r"\s+(минулого\s+року|прошлого\s+года|(?:of\s+)?last\s+year))?",
            _I,
        ),
    ),
    ("in_year", re.compile(rf"\b(?:in|during|throughout|у|в)\s+(\d{{4}}){_YEAR_WORD}(?!\w)", _I)),
]
#: The kinds of period expression, in the order they are tried.
PERIOD_KINDS = tuple(kind for kind, _ in _PERIOD_PATTERNS)


def find_period(text: str, published: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The period over which a stated change happened, resolved against ``published``.

    Parameters
    ----------
    text : str
        One sentence.
    published : datetime.date
        Publication date.

    Returns
    -------
    (start, end)
        Dates (the table of the module docstring), or ``(None, None)`` when the
        sentence states no period.

    Examples
    --------
    >>> find_period("Russia captured 3,600 sq km in 2024", dt.date(2025, 1, 5))
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> find_period("ЗСУ звільнили 40 кв. км за минулу добу", dt.date(2024, 8, 14))
    (datetime.date(2024, 8, 13), datetime.date(2024, 8, 14))
    """
    # the expression stated first wins ("у січні 2026 року ..., минулого року ..." is January 2026);
    # at the same place, the kind tried first
    best: tuple[int, tuple[dt.date, dt.date]] | None = None
    for kind, rx in _PERIOD_PATTERNS:
        for m in rx.finditer(text):
            if best is not None and m.start() >= best[0]:
                break
            try:
                span = _resolve(kind, m, published)
            except (ValueError, OverflowError):
                span = None
            if span is not None and span[0] <= span[1] <= published:
                best = (m.start(), span)
                break
    return best[1] if best else (None, None)


def _year_span(year: int, published: dt.date) -> tuple[dt.date, dt.date] | None:
    if not 1900 < year <= published.year:
        return None
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), published)


def _month_span(month: int, year: int | None, published: dt.date) -> tuple[dt.date, dt.date] | None:
    if year is None:
        year = published.year if month <= published.month else published.year - 1
    start = safe_date(year, month, 1)
    if start is None or start > published:
        return None
    end = start + relativedelta(months=1) - dt.timedelta(days=1)
    return start, min(end, published)


def _back(published: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date]:
    if unit == "hour":
        return published - dt.timedelta(days=max(1, round(n / 24))), published
    if unit == "month":
        return published - relativedelta(months=n), published
    if unit == "year":
        return published - relativedelta(years=n), published
    return published - dt.timedelta(days=n * (7 if unit == "week" else 1)), published


def _count(word: str | None) -> int:
    if not word:
        return 1
    w = word.lower()
    return int(w) if w.isdigit() else _NUMBER_WORDS.get(w, 1)


def _resolve(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date, dt.date] | None:
    g = m.groups()
    if kind == "days_range":
        month = month_number(g[2])
        ms = _month_span(month, int(g[3]) if g[3] else None, published) if month else None
        if ms is None:
            return None
        a, b = safe_date(ms[0].year, month, int(g[0])), safe_date(ms[0].year, month, int(g[1]))
        return (a, min(b, published)) if a and b else None
    if kind in ("since_day", "since_month_day"):
        day, word, year = (g[0], g[1], g[2]) if kind == "since_day" else (g[1], g[0], g[2])
        month = month_number(word)
        if month is None:
            return None
        start = safe_date(int(year), month, int(day)) if year else latest_on_or_before(month, int(day), published)
        return (start, published) if start else None
    if kind == "start_of_year":
        year = next((int(x) for x in g if x), published.year)
        return _year_span(year, published)
    if kind == "this_month":
        return published.replace(day=1), published
    if kind == "this_week":
        return published - dt.timedelta(days=published.weekday()), published
    if kind == "past":
        return _back(published, _count(g[0]), g[1].lower())
    if kind == "past_slavic":
        unit = next(name for name, _ in _SLAVIC_UNITS if m.group(name))
        return _back(published, _count(m.group("n")), unit)
    if kind == "last_week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday, monday + dt.timedelta(days=6)
    if kind == "last_month":
        end = published.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if kind == "last_year":
        return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    if kind == "for_year":
        return _year_span(int(g[0]), published)
    if kind == "since_month":
        month = month_number(g[0])
        ms = _month_span(month, int(g[1]) if g[1] else None, published) if month else None
        return (ms[0], published) if ms else None
    if kind == "since_year":
        year = int(g[0])
        return (dt.date(year, 1, 1), published) if 1900 < year <= published.year else None
    if kind == "in_month":
        month = month_number(g[0])
        year = int(g[1]) if g[1] else (published.year - 1 if g[2] else None)
        return _month_span(month, year, published) if month else None
    if kind == "in_year":
        return _year_span(int(g[0]), published)
    return None  # pragma: no cover - every kind is handled above
