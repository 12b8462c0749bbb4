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
- "позавчора", "позавчера", "the day before yesterday" -> ``P - 2 days``;
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
from dateutil.relativedelta import weekday as rd_weekday

#: English month names and their abbreviations, as one regular-expression alternation.
MONTHS_EN = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: Ukrainian and Russian month names, every case form, as whole-word patterns: the
#: stems alone would also read "травми" (injuries), "червоний" (red), "жовтий"
#: (yellow), "груди" (chest) or "майже" (almost) as months.
_MONTHS_UK_RU: dict[str, int] = {
    "січ(?:ень|н[яіе]|нем)": 1,
    "лют(?:ий|ого|ому|ім)": 2,
    "берез(?:ень|н[яіе]|нем)": 3,
    "квіт(?:ень|н[яіе]|нем)": 4,
    "трав(?:ень|н[яіе]|нем)": 5,
    "черв(?:ень|н[яіе]|нем)": 6,
    "лип(?:ень|н[яіе]|нем)": 7,
    "серп(?:ень|н[яіе]|нем)": 8,
    "верес(?:ень|н[яіе]|нем)": 9,
    "жовт(?:ень|н[яіе]|нем)": 10,
    "листопад(?:а|і|ом|у)?": 11,
    "груд(?:ень|н[яіе]|нем)": 12,
    "январ[ьяюе]|январем": 1,
    "феврал[ьяюе]|февралем": 2,
    "март(?:а|е|у|ом)?": 3,
    "апрел[ьяюе]|апрелем": 4,
    "ма[йяею]|маем": 5,
    "июн[ьяюе]|июнем": 6,
    "июл[ьяюе]|июлем": 7,
    "август(?:а|е|у|ом)?": 8,
    "сентябр[ьяюе]|сентябрем": 9,
    "октябр[ьяюе]|октябрем": 10,
    "ноябр[ьяюе]|ноябрем": 11,
    "декабр[ьяюе]|декабрем": 12,
}
MONTHS_UK_RU_RE = "(?:" + "|".join(_MONTHS_UK_RU) + r")(?!\w)"
#: Weekdays in English, Ukrainian and Russian (every case form after "on", "у"/"в", "минулої"...).
#: Whole words: "серед" (among), "среди" (among) and "средства" (means) are no Wednesday.
_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "понеділ(?:ок|ка|ку)": 0,
    "вівтор(?:ок|ка|ку)": 1,
    "серед(?:а|у|и|ою)": 2,
    "четвер(?:га|гу)?": 3,
    "п['’]ятниц(?:я|ю|і)": 4,
    "субот(?:а|у|и|і)": 5,
    "неділ(?:я|ю|і)": 6,
    "понедельник(?:а|у)?": 0,
    "вторник(?:а|у)?": 1,
    "сред(?:а|у|ы)": 2,
    "четверг(?:а|у)?": 3,
    "пятниц(?:а|у|ы)": 4,
    "суббот(?:а|у|ы)": 5,
    "воскресень(?:е|я|ю)": 6,
}
_WEEKDAY_RE = "(?:" + "|".join(_WEEKDAYS) + r")(?!\w)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("dotted", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")),
    (
        "day_month",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS_EN})\b\.?(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b({MONTHS_EN})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "ukru_day_month",
        re.compile(rf"\b(\d{{1,2}})(?:-?го|-?е)?\s+({MONTHS_UK_RU_RE})(?:\s+(\d{{4}}))?", re.IGNORECASE),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|tonight|this (?:morning|afternoon|evening)|сьогодні|сегодня)\b",
            re.IGNORECASE,
        ),
    ),
    ("day_before", re.compile(r"\b(?:the\s+day\s+before\s+yesterday|позавчора|позавчера)\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?:yesterday|вчора|учора|вчера)\b", re.IGNORECASE)),
    (
        "last_week",
        re.compile(
            r"\b(?:last week|(?:на\s+)?минулого\s+тижня|на\s+минулому\s+тижні|на\s+прошлой\s+неделе)\b", re.IGNORECASE
        ),
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
            rf"({MONTHS_EN}|{MONTHS_UK_RU_RE})\b(?:\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
]


def month_number(word: str) -> int | None:
    """The month (1-12) an English, Ukrainian or Russian month word names, in any case form.

    >>> month_number("Sept."), month_number("березня"), month_number("мае"), month_number("майже")
    (9, 3, 5, None)
    """
    w = word.lower().rstrip(".")
    try:
        return du_parser.parse(f"1 {w} 2000").month
    except (ValueError, OverflowError):
        pass
    for pattern, num in _MONTHS_UK_RU.items():
        if re.fullmatch(pattern, w):
            return num
    return None


def _weekday_number(word: str) -> int | None:
    w = word.lower()
    for pattern, num in _WEEKDAYS.items():
        if re.fullmatch(pattern, w):
            return num
    return None


def latest_on_or_before(month: int, day: int, published: dt.date) -> dt.date | None:
    """The latest ``day`` of ``month`` on or before ``published`` (this year's or last year's).

    >>> latest_on_or_before(12, 1, dt.date(2025, 3, 20))
    datetime.date(2024, 12, 1)
    """
    for year in (published.year, published.year - 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if cand <= published:
            return cand
    return None


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """The date, or ``None`` when it does not exist (31 February)."""
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
        return safe_date(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dotted":
        return safe_date(int(g[2]), int(g[1]), int(g[0]))
    if kind in ("day_month", "month_day", "ukru_day_month"):
        if kind == "month_day":
            month, day = month_number(g[0]), int(g[1])
        else:
            day, month = int(g[0]), month_number(g[1])
        if month is None:
            return None
        if g[2]:
            return safe_date(int(g[2]), month, day)
        return latest_on_or_before(month, day, published)
    if kind == "today":
        return published
    if kind == "yesterday":
        return published - dt.timedelta(days=1)
    if kind == "day_before":
        return published - dt.timedelta(days=2)
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
        month = month_number(g[0])
        if month is None:
            return None
        if g[1]:
            return safe_date(int(g[1]), month, 1)
        return latest_on_or_before(month, 1, published)
    return None  # pragma: no cover


def _prev_weekday(published: dt.date, weekday: int) -> dt.date:
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
    cands = date_candidates(text, published, exclude)
    if anchor is None:
        return (cands[0][2], cands[0][1]) if cands else (None, None)
    return nearest_date(cands, anchor)


def date_candidates(
    text: str, published: dt.date, exclude: list[tuple[int, int]] | None = None
) -> list[tuple[int, tuple[int, int], dt.date]]:
    """Every admissible event-date expression of ``text`` as (rank, span, date), in order of preference.

    The filters are those of :func:`find_event_date`; computing them once lets a
    sentence with several figures pick the nearest date for each (:func:`nearest_date`).
    """
    out: list[tuple[int, tuple[int, int], dt.date]] = []
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
            out.append((rank, m.span(), d))
    return out


def nearest_date(
    cands: list[tuple[int, tuple[int, int], dt.date]], anchor: int
) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The candidate nearest to position ``anchor`` (ties: the preferred kind)."""
    best = None
    for rank, (a, b), d in cands:
        key = (min(abs(a - anchor), abs(b - anchor)), rank)
        if best is None or key < best[0]:
            best = (key, d, (a, b))
    return (best[1], best[2]) if best else (None, None)
