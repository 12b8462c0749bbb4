"""Resolve the date of an event from the words of a sentence and its publication date.

Rules (all relative to the publication date ``P``):

- "today", "tonight", "this morning", "сьогодні", "сегодня" -> ``P``;
- "yesterday", "вчора", "вчера" -> ``P - 1 day``;
- a weekday ("on Tuesday") -> the most recent such weekday strictly before ``P``;
  when the weekday is the publication weekday itself ("said on Wednesday" in a
  Wednesday paper) it is ``P`` (news style; a week earlier would be "last Wednesday");
- "last week" -> the Monday of the week before ``P``'s week;
- "last month" -> the first day of the month before ``P``'s month;
- "since/in/from September" (a month name without a day) -> the first day of the
  latest such month on or before ``P`` (so "since September" in Jan 2015 -> 2014-09-01);
- explicit dates ("Jan. 20", "20 January 2015", "September 19", "2015-01-20",
  "20.01.2015", "19 вересня") -> that date; without a year, the latest such date
  on or before ``P``.

Explicit English dates are read with :func:`dateutil.parser.parse`; weekday
arithmetic uses :mod:`dateutil.relativedelta`. Spotting the expressions in prose
and the Ukrainian/Russian month names are written by hand.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as du_parser
from dateutil.relativedelta import relativedelta

_MONTHS_EN = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTHS_UK_RU = {
    # Ukrainian genitive / nominative stems, then Russian
    "січ": 1,
    "лют": 2,
    "берез": 3,
    "квіт": 4,
    "трав": 5,
    "черв": 6,
    "лип": 7,
    "серп": 8,
    "верес": 9,
    "жовт": 10,
    "листопад": 11,
    "груд": 12,
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма[йя]": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_UKRU_RE = "|".join(f"{k}\\w*" for k in _MONTHS_UK_RU)
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "понеділ": 0,
    "вівтор": 1,
    "серед": 2,
    "четвер": 3,
    "п'ятниц": 4,
    "п’ятниц": 4,
    "субот": 5,
    "неділ": 6,
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "пятниц": 4,
    "воскресень": 6,
}
_WEEKDAY_RE = "|".join(f"{k}\\w*" for k in _WEEKDAYS)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("dotted", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")),
    (
        "day_month",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS_EN})\b\.?(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b({_MONTHS_EN})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "ukru_day_month",
        re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_UKRU_RE})(?:\s+(\d{{4}}))?", re.IGNORECASE),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|tonight|this (?:morning|afternoon|evening)|сьогодні|сегодня)\b",
            re.IGNORECASE,
        ),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|вчора|учора|вчера)\b", re.IGNORECASE)),
    (
        "last_week",
        re.compile(r"\b(?:last week|минулого тижня|на прошлой неделе)\b", re.IGNORECASE),
    ),
    (
        "last_month",
        re.compile(r"\b(?:last month|минулого місяця|в прошлом месяце)\b", re.IGNORECASE),
    ),
    ("weekday", re.compile(rf"\b({_WEEKDAY_RE})", re.IGNORECASE)),
    (
        "month_only",
        re.compile(
            r"\b(?:since|in|from|by|until|during|з|с|в|у)\s+"
            r"(?:the\s+(?:start|beginning|end|middle)\s+of\s+|early\s+|late\s+|mid-?|the\s+)?"
            rf"({_MONTHS_EN}|{_MONTH_UKRU_RE})\b(?:\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
]


def _month_number(word: str) -> int | None:
    w = word.lower().rstrip(".")
    try:
        return du_parser.parse(f"1 {w} 2000").month
    except (ValueError, OverflowError):
        pass
    for stem, num in _MONTHS_UK_RU.items():
        if re.match(stem, w):
            return num
    return None


def _weekday_number(word: str) -> int | None:
    w = word.lower()
    for stem, num in _WEEKDAYS.items():
        if w.startswith(stem.replace("\\w*", "")):
            return num
    return None


def _latest_on_or_before(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if cand <= published:
            return cand
    return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def to_date(value: dt.date | dt.datetime | str) -> dt.date:
    """Read a publication date given as a date or an ISO ``YYYY-MM-DD`` string.

    Raises
    ------
    ValueError
        If the string is not a valid ISO date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"published date {value!r} is not a valid YYYY-MM-DD date") from None


def _resolve(kind: str, m: re.Match[str], published: dt.date) -> dt.date | None:
    g = m.groups()
    if kind == "iso":
        return _safe_date(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dotted":
        return _safe_date(int(g[2]), int(g[1]), int(g[0]))
    if kind in ("day_month", "month_day", "ukru_day_month"):
        if kind == "month_day":
            month, day = _month_number(g[0]), int(g[1])
        else:
            day, month = int(g[0]), _month_number(g[1])
        if month is None:
            return None
        if g[2]:
            return _safe_date(int(g[2]), month, day)
        return _latest_on_or_before(month, day, published)
    if kind == "today":
        return published
    if kind == "yesterday":
        return published - dt.timedelta(days=1)
    if kind == "last_week":
        return published - dt.timedelta(days=published.weekday() + 7)
    if kind == "last_month":
        return (published.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if kind == "weekday":
        wd = _weekday_number(g[0])
        if wd is None:
            return None
        if wd == published.weekday():
            return published
        return _prev_weekday(published, wd)
    if kind == "month_only":
        month = _month_number(g[0])
        if month is None:
            return None
        if g[1]:
            return _safe_date(int(g[1]), month, 1)
        return _latest_on_or_before(month, 1, published)
    return None  # pragma: no cover


def _prev_weekday(published: dt.date, weekday: int) -> dt.date:
    from dateutil.relativedelta import weekday as rd_weekday

    return published - dt.timedelta(days=1) + relativedelta(weekday=rd_weekday(weekday)(-1))


_AGREEMENT_AFTER = re.compile(
    r"\s*(?:,?\s*\d{4}\s*)?(?:'s\s+)?(?:\w+\s+)?"
    r"(?:lines?|memorandum|agreements?|accords?|deal|protocol|ceasefire|truce|positions?|border)\b",
    re.IGNORECASE,
)


#: dates further back than this before publication are background, not the event
MAX_AGE_DAYS = 366


def find_event_date(
    text: str,
    published: dt.date,
    exclude: list[tuple[int, int]] | None = None,
    anchor: int | None = None,
) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The event date stated in ``text``, resolved against ``published``.

    Parameters
    ----------
    text : str
        One sentence.
    published : datetime.date
        Publication date of the text.
    exclude : list of (start, end), optional
        Spans to ignore (e.g. the reference phrase "19 September line"). Dates
        followed by "line", "memorandum", "agreement", "ceasefire"... name a
        reference, not the event, and are ignored too, and so are dates after
        publication or more than :data:`MAX_AGE_DAYS` before it (background such
        as "since the invasion in February 2022").
    anchor : int, optional
        Position of the claimed figure: when given, the date expression nearest
        to it wins ("up to December 30 ..., 610 sq km in October" -> October);
        otherwise the first in order of preference.

    Returns
    -------
    (date or None, span or None)
        The first date expression in order of preference (explicit dates, then
        today/yesterday, last week/month, weekdays, month names) and its span.

    Examples
    --------
    >>> find_event_date("Kiev said on Tuesday", dt.date(2015, 1, 21))[0]
    datetime.date(2015, 1, 20)
    """
    best: tuple[int, int, dt.date, tuple[int, int]] | None = None
    for rank, (kind, pattern) in enumerate(_PATTERNS):
        for m in pattern.finditer(text):
            try:
                d = _resolve(kind, m, published)
            except (ValueError, OverflowError):
                d = None
            if d is None or d > published or (published - d).days > MAX_AGE_DAYS:
                continue
            if any(m.start() < b and a < m.end() for a, b in exclude or ()):
                continue
            if _AGREEMENT_AFTER.match(text, m.end()):
                continue
            if anchor is None:
                return d, m.span()
            dist = min(abs(m.start() - anchor), abs(m.end() - anchor))
            if best is None or (dist, rank) < (best[0], best[1]):
                best = (dist, rank, d, m.span())
    if best is None:
        return None, None
    return best[2], best[3]
