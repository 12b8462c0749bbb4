"""A figure's conversion in brackets or after "or" ("500 sq km (194 sq mi)", "10 km or 6 miles"), checked.

:func:`conversion_warning` finds the conversion right after a figure and says when the two disagree by more than
:data:`CONVERSION_TOLERANCE` (after the rounding the figures were written with).
"""

from __future__ import annotations

import re

from geo.text.measures import OR_GAP
from geo.text.quantities import Quantity
from geo.units import AREA

__all__ = ["CONVERSION_TOLERANCE", "conversion_warning"]

#: Relative tolerance when checking a parenthesised conversion ("500 sq km (194 sq mi)").
CONVERSION_TOLERANCE = 0.03


def conversion_warning(sentence: str, q: Quantity, others: list[Quantity]) -> tuple[str | None, Quantity | None]:
    """Check a conversion right after ``q``: in brackets ("500 sq km (194 sq mi)") or after "or" ("10 km or 6 miles").

    Returns ``(warning, conversion)``: the warning is ``None`` when the two agree.

    >>> from geo.text.quantities import find_quantities
    >>> s = "500 sq km (194 sq mi)"
    >>> q, o = find_quantities(s)
    >>> conversion_warning(s, q, [o])[0] is None
    True
    >>> s = "600 square km (502 square miles)"
    >>> q, o = find_quantities(s)
    >>> conversion_warning(s, q, [o])[0]
    'conversion mismatch: 600 square km = 600.0 km² but 502 square miles = 1300.2 km²'
    """
    for o in others:
        if o.start <= q.end:
            continue
        gap = sentence[q.end : o.start]
        spelled = bool(OR_GAP.fullmatch(gap))  # another unit: a conversion only if it agrees
        if not spelled and not re.fullmatch(r"\s*[(\[]\s*(?:[\w-]+\s+){0,3}", gap):
            return None, None
        if spelled and (o.dimension != q.dimension or o.canonical.name == q.canonical.name):
            return None, None
        if o.dimension != q.dimension:
            what = "an area" if q.dimension == AREA else "a length"
            return f"bracketed figure {sentence[o.start : o.end]!r} is not {what}", o
        a, b = q.in_base, o.in_base
        if a <= 0 or b <= 0:
            return None, o
        a_hi = (q.value_max * q.canonical.factor) if q.value_max else a
        lo_a, hi_a = (
            (a - q.rounding) * (1 - CONVERSION_TOLERANCE),
            (a_hi + q.rounding) * (1 + CONVERSION_TOLERANCE),
        )
        lo_b, hi_b = (
            b - o.rounding,
            (o.value_max * o.canonical.factor if o.value_max else b) + o.rounding,
        )
        if hi_b < lo_a or lo_b > hi_a:
            if spelled:
                return None, None  # "10 km or 20 miles": two figures, not one converted
            unit = "km²" if q.dimension == AREA else "km"
            message = (
                f"conversion mismatch: {sentence[q.start : q.end]} = {a:.1f} {unit} but "
                f"{sentence[o.start : o.end]} = {b:.1f} {unit}"
            )
            return message, o
        return None, o
    return None, None
