"""Telling the date of a control snapshot: from a file name, a feature property, or KML time elements.

Monitors publish one file per day (``deepstatemap_data_20240708.geojson``),
one file with a date per feature, or KML with ``<TimeStamp>``/``<TimeSpan>``
or folders named after dates. Every reader here returns a
:class:`datetime.date` or ``None`` (no date found); none raises on odd text.

Examples
--------
>>> date_from_name("deepstatemap_data_20240708.geojson")
datetime.date(2024, 7, 8)
>>> date_from_name("isw_2025-01-31_control.kmz"), date_from_name("map_2025_02_28.gpkg")
(datetime.date(2025, 1, 31), datetime.date(2025, 2, 28))
>>> date_from_name("front_99999999.geojson") is None
True
>>> date_from_value("2024-07-08T21:00:00Z"), date_from_value("08.07.2024")
(datetime.date(2024, 7, 8), datetime.date(2024, 7, 8))
>>> date_from_value(1720472400)
datetime.date(2024, 7, 8)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

#: Property names read as a feature's date, in order of preference (compared case-insensitively).
DATE_PROPERTIES = (
    "date",
    "snapshot_date",
    "as_of",
    "timestamp",
    "datetime",
    "time",
    "valid_from",
    "day",
    "begin",
    "when",
)

# Separated forms first, so "2024-07-08" is not read as part of a longer number.
_NAME_PATTERNS = (
    re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})_(\d{2})_(\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})\.(\d{2})\.(\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})(?:$|\s)")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
#: Epoch numbers above this are milliseconds, not seconds.
_MS_THRESHOLD = 1e11


def _make(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        d = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return d if 1900 <= d.year <= 2200 else None


def date_from_name(name: str) -> dt.date | None:
    """The date written in a file name (``YYYYMMDD``, ``YYYY-MM-DD``, ``YYYY_MM_DD``, ``YYYY.MM.DD``).

    Parameters
    ----------
    name : str
        A file name or path; only its last component is read.

    Returns
    -------
    datetime.date or None
        The last valid date in the name (``None`` when there is none).
    """
    base = re.split(r"[/\\]", str(name))[-1]
    for pattern in _NAME_PATTERNS:
        found = [_make(*m.groups()) for m in pattern.finditer(base)]
        found = [d for d in found if d is not None]
        if found:
            return found[-1]
    return None


def date_from_value(value: Any) -> dt.date | None:
    """A date read from a property value: a date/datetime, ISO or ``DD.MM.YYYY`` text, or epoch seconds/ms.

    Returns
    -------
    datetime.date or None
        ``None`` for a missing or unreadable value. Datetimes with a time
        zone are taken in UTC.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime) or hasattr(value, "to_pydatetime"):
        try:
            stamp = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        except (ValueError, OverflowError):
            return None
        if stamp != stamp:  # NaT
            return None
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.UTC)
        return stamp.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value <= 0:
            return None
        seconds = value / 1000.0 if value > _MS_THRESHOLD else float(value)
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in (_ISO, _COMPACT):
        m = pattern.match(text)
        if m:
            return _make(*m.groups())
    m = _DMY.match(text)
    if m:
        return _make(m.group(3), m.group(2), m.group(1))
    return None


def date_column(columns: list[str], wanted: str | None = None) -> str | None:
    """The property column holding feature dates: ``wanted`` if given, else the first of :data:`DATE_PROPERTIES`.

    >>> date_column(["name", "Date"]), date_column(["a", "b"]), date_column(["a", "b"], "b")
    ('Date', None, 'b')
    """
    if wanted:
        return wanted if wanted in columns else None
    lower = {str(c).strip().lower(): c for c in columns}
    return next((lower[n] for n in DATE_PROPERTIES if n in lower), None)


def date_from_kml_time(when: str | None, begin: str | None = None, end: str | None = None) -> dt.date | None:
    """The date of a KML ``<TimeStamp><when>`` or ``<TimeSpan>``: the stamp, else the span's end, else its begin.

    A span says the state held from ``begin`` to ``end``; the snapshot is
    dated by the end (the day the map was drawn), or the begin of an open span.

    >>> date_from_kml_time(None, "2024-01-01", "2024-01-31")
    datetime.date(2024, 1, 31)
    >>> date_from_kml_time("2024-03") is None
    True
    """
    for text in (when, end, begin):
        if text and not _YEAR_MONTH.match(text):
            found = date_from_value(text)
            if found is not None:
                return found
    return None
