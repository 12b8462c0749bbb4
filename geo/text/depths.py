"""Lengths that name a depth or breadth by a noun rather than a verb.

"The fighting is taking place at a depth of about 20 kilometers from the border" and "forces carved out a
10-mile-deep pocket" give the depth of an advance without a verb of advance right before the figure;
:func:`depth_named` finds them. A zone measured the same way ("a buffer zone to a depth of 15 km") is the extent
of a zone, not a gain; :func:`zone_measured` finds a zone given its measure in a clause of its own ("a zone inside
the border that was 30 km deep").
"""

from __future__ import annotations

import re

from geo.text.measures import CueRule
from geo.text.quantities import Quantity

__all__ = ["depth_named", "dug_work", "zone_measured"]

# before the figure, Ukrainian and Russian: "прорив ... вглиб близько 10 кілометрів", "вклинились вглубь на 3 км"
_INWARD_BEFORE_UKRU = re.compile(
    r"(?:вглиб|углиб|вглубь)\s+(?:(?:на|до|ще|еще|ещё|близько|приблизно|около|примерно|почти|майже|понад|более|свыше)\s+)*$",
    re.IGNORECASE,
)
_inward = CueRule(before=_INWARD_BEFORE_UKRU, span=50)
# a corridor given by its breadth in brackets or right after it: "Лачинский коридор (шириной 5 км)"
_CORRIDOR_WIDTH_BEFORE = re.compile(
    r"(?:коридор\w*|corridor)\s*\(?\s*(?:шириной|шириною|завширшки|width\s+of)\s+(?:(?:около|близько|до|about)\s+)?$",
    re.IGNORECASE,
)
_corridor = CueRule(before=_CORRIDOR_WIDTH_BEFORE, span=50)

# before the figure: "at a depth of (about) ...", "на глубине ..." with fighting, an advance or a strike in the clause
_AT_DEPTH_BEFORE = re.compile(
    r"\b(?:at|to|reached|reaching|reach)\s+a\s+depth\s+of\s+"
    r"(?:(?:about|some|around|roughly|nearly|almost|up\s+to|more\s+than|over|approximately)\s+)?$",
    re.IGNORECASE,
)
# a zone, strip or belt named in the clause before: its own extent, not an advance's depth
_ZONE_BEFORE = re.compile(r"\b(?:zones?|strip|belt|buffer|corridor|perimeter|зон\w*|смуг\w*|полос\w*)\b", re.IGNORECASE)
_at_depth = CueRule(before=_AT_DEPTH_BEFORE, span=80, not_before=_ZONE_BEFORE, not_span=120)

# after the figure: "10-mile-deep pocket", "a 5 km deep salient": a gain named by its depth
_DEEP_GAIN_AFTER = re.compile(
    r"\s*(?:-|\s)?deep\s+(?:[\w-]+\s+)?(?:pocket|salient|bulge|wedge|bridgehead|foothold|breach|breakthrough|"
    r"incursion|penetration|thrust|push|advance|gains?)\b",
    re.IGNORECASE,
)
_deep_gain = CueRule(after=_DEEP_GAIN_AFTER)


def depth_named(sentence: str, q: Quantity) -> bool:
    """Whether a length gives the depth of a gain named by a noun ("at a depth of", "a 10-mile-deep pocket").

    >>> from geo.text.quantities import find_quantities
    >>> s = "The fighting is taking place at a depth of about 20 kilometers from the border."
    >>> depth_named(s, find_quantities(s)[0])
    True
    >>> s = "They agreed a buffer zone to a depth of 15 km."
    >>> depth_named(s, find_quantities(s)[0])
    False
    >>> s = "Russian forces have carved out a 10-mile-deep pocket around the town."
    >>> depth_named(s, find_quantities(s)[0])
    True
    """
    return _at_depth(sentence, q) or _deep_gain(sentence, q) or _inward(sentence, q) or _corridor(sentence, q)


# before the figure: a zone, then "that/which is/was/will be/would be" ("a zone inside the borders that was")
_ZONE_CLAUSE_BEFORE = re.compile(
    r"\b(?:zone|buffer|strip)\b[^.;]{0,50}?\b(?:that|which)\s+(?:is|was|will\s+be|would\s+be|must\s+be|should\s+be)\s+"
    r"(?:(?:about|some|around|roughly|at\s+least|up\s+to|more\s+than)\s+)?$",
    re.IGNORECASE,
)
_DEEP_OR_WIDE_AFTER = re.compile(r"\s*(?:-|\s)?(?:deep|wide|in\s+depth|in\s+width)\b", re.IGNORECASE)
_zone_clause = CueRule(before=_ZONE_CLAUSE_BEFORE, span=90, after=_DEEP_OR_WIDE_AFTER)


def zone_measured(sentence: str, q: Quantity) -> bool:
    """Whether a length is a zone's depth or width given in a clause of its own.

    >>> from geo.text.quantities import find_quantities
    >>> s = "The aim is a zone inside the borders that was 30km (19 miles) deep."
    >>> zone_measured(s, find_quantities(s)[0])
    True
    >>> s = "The aim is a zone inside the borders that was 30km (19 miles) away."
    >>> zone_measured(s, find_quantities(s)[0])
    False
    """
    return _zone_clause(sentence, q)


# before the figure: a ditch, a trench or a moat measured ("рів шириною 3,5 метра і глибиною від 2-3 метрів")
_WORK_BEFORE = re.compile(
    r"\b(?:ров|рів|окоп\w*|траншея|траншеи|траншею|траншей|ditch\w*|trench\w*|moat\w*|anti-tank\s+ditch\w*)\b"
    r"[^.;]{0,40}?(?:глибиною|глубиной|шириною|шириной|deep|wide|depth\s+of|width\s+of)\s+(?:(?:від|от|до|about|up\s+to)\s+)?$",
    re.IGNORECASE,
)
_dug = CueRule(before=_WORK_BEFORE, span=70)


def dug_work(sentence: str, q: Quantity) -> bool:
    """Whether a length measures a ditch, a trench or a moat: no ground.

    >>> from geo.text.quantities import find_quantities
    >>> s = "На рубежі вириють рів шириною 3,5 метра і глибиною від 2-3 метрів."
    >>> [dug_work(s, q) for q in find_quantities(s)]
    [True, True]
    """
    return _dug(sentence, q)
