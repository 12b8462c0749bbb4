"""A length that ends inside the other side: "10 km into Syrian territory", "2.2 kilometers into the South's waters".

A figure followed by "into", "inside" or "within" and the other side's territory, waters or name is how deep a
force, a boat or a post got across the line, whether or not a verb of advance stands before it ("Qatana, which
is 10 km into Syrian territory", "a village 4.5 kilometers within the Indian territory", "struck 20 miles inside
Georgia"). :func:`across_line` finds it. A zone measured that way ("demilitarisation another 2 kilometers into
Syria") is a zone's width, not a depth, and is left to the zone rules.
"""

from __future__ import annotations

import re

from geo.text.measures import CueRule
from geo.text.quantities import Quantity

__all__ = ["across_line"]

# right after the figure (past a conversion in brackets): into / inside / within the other side
_ACROSS_AFTER = re.compile(
    r"\s*(?:deep\s+)?(?:into|inside|within)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}"
    r"(?:territory|territories|waters|land|soil|airspace|side|zone)\b|"
    r"\s*on\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}side\s+of\b|"
    r"\s*(?:deep\s+)?(?:into|inside)\s+(?-i:[A-Z][\w'’-]+)(?!\s+(?-i:[A-Z])[\w'’-]*\s+(?:said|says|told))",
    re.IGNORECASE,
)
# a zone, a pull-back or a demilitarisation measured that way: not a gain
_ZONE_OR_PULLBACK_BEFORE = re.compile(
    r"\b(?:demilitari[sz]\w*|buffer|zone|withdr[ae]w\w*|pull\w*\s+back|retreat\w*|redeploy\w*|exclave|enclave|"
    # where a place lies, and what a strike or a weapon reaches: not how far a force got
    r"lies|lie|lying|located|situated|sits|struck|strikes?|hit|shot\s+down|drones?|missiles?|radius|range)\b",
    re.IGNORECASE,
)
_across = CueRule(after=_ACROSS_AFTER, not_before=_ZONE_OR_PULLBACK_BEFORE, not_span=120)


def across_line(sentence: str, q: Quantity) -> bool:
    """Whether a length is how far something got into the other side's territory, waters or name.

    >>> from geo.text.quantities import find_quantities
    >>> s = "Israeli troops reached Qatana, which is 10 km (six miles) into Syrian territory."
    >>> across_line(s, find_quantities(s)[0])
    True
    >>> s = "It includes full demilitarization another 2 kilometers into Syria."
    >>> across_line(s, find_quantities(s)[0])
    False
    >>> s = "The village lies 10 km from Syrian territory."
    >>> across_line(s, find_quantities(s)[0])
    False
    """
    return _across(sentence, q)
