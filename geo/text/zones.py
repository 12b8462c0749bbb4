"""What a zone's figure measures: its breadth, or a pull-back out of it.

"A 30 km buffer zone" gives a zone's breadth; "withdraw heavy weapons from the 20-kilometer exclusion zone around
Sarajevo" and "move heavy weapons beyond the 20-kilometer zone" give how far the weapons go back. :func:`zone_named_after`
says a zone is named right after the figure (so "entered the 25-kilometer wide Temporary Security Zone" is the zone's
width, not an advance), :func:`zone_dimension` which of the two a zone's figure is.
"""

from __future__ import annotations

import re

from geo.text.measures import ZONE_AFTER, after_brackets
from geo.text.quantities import Quantity

__all__ = ["zone_dimension", "zone_named_after"]

_ZONE_NAMED_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:wide|deep)?\s*(?:(?!(?:beyond|from|of|to|into|inside|outside|near|past|off)\b)[\w-]+\s+){0,2}"
    r"(?:buffer|security|demilitari[sz]ed|exclusion|safe|safety)\s+zone\b",
    re.I,
)
# before a zone given by its width: moving out of it is a pull-back ("move heavy weapons beyond the 20-kilometer zone")
_OUT_OF_ZONE_BEFORE = re.compile(r"\b(?:beyond|outside|out\s+of|from)\s+(?:the|a|an)\s+$", re.I)
_ZONE_AROUND_AFTER = re.compile(r"\s*(?:[\[(][^\])]{1,25}[\])]\s*)?(?:[\w-]+\s+){0,2}zones?\s+around\b", re.I)
# "зону безопасности ... глубиной около 30 километров": the depth of a zone is its breadth
_ZONE_DEPTH_BEFORE = re.compile(r"(?:глубиной|глибиною|завглибшки)\s+(?:[\w-]+\s+){0,2}$", re.I)


def zone_named_after(sentence: str, q: Quantity) -> bool:
    """Whether a buffer, security, demilitarised, exclusion or safe zone is named right after the figure.

    >>> from geo.text.quantities import find_quantities
    >>> s = "It had entered the 25-kilometer (15-mile) wide Temporary Security Zone."
    >>> zone_named_after(s, find_quantities(s)[0])
    True
    """
    return bool(_ZONE_NAMED_AFTER.match(after_brackets(sentence, q)))


def zone_dimension(sentence: str, q: Quantity) -> str:
    """``"withdrawal"`` for a pull-back out of a zone, ``"width"`` for a zone's depth in Ukrainian or Russian, else ``""``.

    >>> from geo.text.quantities import find_quantities
    >>> s = "They agreed to move heavy weapons beyond the 20-kilometer exclusion zone."
    >>> zone_dimension(s, find_quantities(s)[0])
    'withdrawal'
    >>> s = "They agreed a 20-kilometer exclusion zone."
    >>> zone_dimension(s, find_quantities(s)[0])
    ''
    """
    tail = after_brackets(sentence, q)[:40]
    if _ZONE_AROUND_AFTER.match(tail) or (
        _OUT_OF_ZONE_BEFORE.search(sentence[max(0, q.start - 20) : q.start]) and ZONE_AFTER.match(tail)
    ):
        return "withdrawal"
    if _ZONE_DEPTH_BEFORE.search(sentence[max(0, q.start - 40) : q.start]) and "зон" in sentence[: q.start].lower():
        return "width"
    return ""
