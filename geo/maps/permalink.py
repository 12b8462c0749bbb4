"""Shareable view state: parsing and writing the values kept in a page's URL.

Values are plain strings (Streamlit's ``st.query_params``); lists are
comma-separated. Anything unknown is reported, never trusted.

Examples
--------
>>> parse_choices("contact_2015_01_20,nope", ["contact_2015_01_20", "contact_2015_02_20"])
(['contact_2015_01_20'], ['nope'])
>>> encode_choices(["a", "b"])
'a,b'
>>> parse_date("2015-01-21"), parse_date("21/01/2015")
(datetime.date(2015, 1, 21), None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

MAX_ITEMS = 50
# Longest query value read at all: ids and dates are short, and a link with a longer
# value is refused (named in a warning by its first characters), never parsed or echoed.
MAX_VALUE_LEN = 2000
MAX_UNKNOWN = 10  # unknown items named in a warning; the rest are counted


def parse_choices(value: str | None, allowed: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split a comma-separated value into (known choices in order, unknown items).

    Unknown items come back shortened with :func:`value_preview`, at most
    ``MAX_UNKNOWN`` of them plus a count of the rest. A value over
    ``MAX_VALUE_LEN`` characters is refused whole: no choice, one short item.

    >>> parse_choices("a," + "x" * 5000, ["a"])
    ([], ['a,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (5002 characters)'])
    """
    if not value:
        return [], []
    if len(str(value)) > MAX_VALUE_LEN:
        return [], [value_preview(value)]
    items = [v.strip() for v in str(value).split(",") if v.strip()][:MAX_ITEMS]
    known = [v for v in dict.fromkeys(items) if v in allowed]
    unknown = [value_preview(v) for v in items if v not in allowed]
    if len(unknown) > MAX_UNKNOWN:
        unknown = unknown[:MAX_UNKNOWN] + [f"and {len(unknown) - MAX_UNKNOWN} more"]
    return known, unknown


def encode_choices(values: Iterable[str]) -> str:
    """The comma-separated form of ``values``."""
    return ",".join(str(v) for v in values)


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) or None for anything else."""
    try:
        return dt.date.fromisoformat(str(value)) if value and len(str(value)) == 10 else None
    except ValueError:
        return None


PREVIEW_LEN = 40


def value_preview(value, n: int = PREVIEW_LEN) -> str:
    """``value`` itself if short, else its first ``n`` characters and its length.

    >>> value_preview("x" * 1000)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (1000 characters)'
    """
    text = "" if value is None else str(value)
    return text if len(text) <= n else f"{text[:n]}… ({len(text)} characters)"


def choice_or_default(value: str | None, allowed: Sequence[str], default: str) -> str:
    """``value`` if it is one of ``allowed``, else ``default``.

    >>> choice_or_default("b", ["a", "b"], "a"), choice_or_default("zz", ["a", "b"], "a")
    ('b', 'a')
    """
    return value if value in allowed else default


def unknown_values(params: Mapping[str, str], keys: Iterable[str], allowed: Sequence[str]) -> list[str]:
    """``key=value`` (value shortened) for each of ``keys`` set in ``params`` to a value not in ``allowed``.

    >>> unknown_values({"a": "x", "b": "l1"}, ("a", "b"), ["l1"])
    ['a=x']
    """
    return [f"{k}={value_preview(params.get(k))}" for k in keys if params.get(k) and params.get(k) not in allowed]


def snap_date(value: str | None, dates: Sequence[str]) -> tuple[str, bool]:
    """The version date in force on ``value`` (ISO dates, ascending), and whether ``value`` was refused.

    An empty value means the latest date; a value that is not YYYY-MM-DD is
    refused (the latest date, ``True``); a date before the first version
    gives the first.

    >>> dates = ["2014-09-19", "2015-02-20"]
    >>> snap_date("2015-01-01", dates), snap_date("", dates), snap_date("bad", dates)
    (('2014-09-19', False), ('2015-02-20', False), ('2015-02-20', True))
    >>> snap_date("2000-01-01", dates)
    ('2014-09-19', False)
    """
    refused = False
    try:
        wanted = dt.date.fromisoformat(value).isoformat() if value else dates[-1]
    except (TypeError, ValueError):
        wanted, refused = dates[-1], True
    in_force = [d for d in dates if d <= wanted]
    return (in_force[-1] if in_force else dates[0]), refused


def reported_view(result) -> tuple[tuple[float, float] | None, int | None]:
    """The ``(center, zoom)`` a map component reports (``st_folium``'s return value); None where absent.

    >>> reported_view({"center": {"lat": 48.0, "lng": 38.5}, "zoom": 9})
    ((48.0, 38.5), 9)
    >>> reported_view({"center": "x"}), reported_view(None)
    ((None, None), (None, None))
    """
    if not isinstance(result, dict):
        return None, None
    center, zoom = result.get("center"), result.get("zoom")
    where = (
        (float(center["lat"]), float(center["lng"]))
        if isinstance(center, dict) and "lat" in center and "lng" in center
        else None
    )
    return where, (int(zoom) if isinstance(zoom, (int, float)) else None)
