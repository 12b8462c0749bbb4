"""Missing cells: the one test for "no value here" across CSV, pandas and JSON input.

A cell is missing when it is ``None``, a float NaN, a pandas ``NA``/``NaT``, or a
string of only whitespace. Every module that reads table cells asks here, so a
blank cell means the same thing in every reader.

Examples
--------
>>> is_missing(None), is_missing(float("nan")), is_missing("  "), is_missing(0)
(True, True, True, False)
>>> cell_text(float("nan")), cell_text(" x "), cell_text(12)
('', ' x ', '12')
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["cell_text", "is_missing"]


def is_missing(value: Any) -> bool:
    """True when ``value`` holds no value (None, NaN, pandas NA/NaT, blank text)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:  # numpy floating scalars and other NaN-like numbers
        return bool(value != value)  # noqa: PLR0124 - NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False


def cell_text(value: Any) -> str:
    """``value`` as text, ``""`` for a missing cell other than blank text (kept as written).

    Unlike :func:`is_missing`, blank text is returned unchanged: callers that need
    a stripped value strip it themselves.
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    return str(value)
