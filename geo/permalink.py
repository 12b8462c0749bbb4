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
from collections.abc import Iterable, Sequence

MAX_ITEMS = 50


def parse_choices(value: str | None, allowed: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split a comma-separated value into (known choices in order, unknown items)."""
    if not value:
        return [], []
    items = [v.strip() for v in str(value).split(",") if v.strip()][:MAX_ITEMS]
    known = [v for v in dict.fromkeys(items) if v in allowed]
    unknown = [v for v in items if v not in allowed]
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
