"""A figure whose verb is left out because an earlier clause gave it ("retreated by 500 m, and the others by 1.5 km").

In "The troops retreated by 500 meters from the line, and the militia's detachments by 1500-1600 meters" the
second figure has no verb of its own: "by" takes the verb of the first clause. :func:`elided_kind` gives
that kind when a clause joined by "and" (or "while", "і", "а", "и") names a new subject and then only "by"
before its figure.
"""

from __future__ import annotations

import re

from geo.text.quantities import Quantity

__all__ = ["elided_kind"]

_PULLBACK = (
    r"retreat\w*|withdr[ae]w\w*|pull(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){0,2}back|mov(?:e|es|ed|ing)\s+back|"
    r"f[ae]ll(?:s|en|ing)?\s+back|відійш\w*|відступи\w*|відвел\w*|отошл\w*|отступи\w*|отвел\w*"
)
_ADVANCE = r"advanc\w*|push(?:es|ed|ing)?\s+(?:forward|on)|просунул\w*|продвинул\w*"
# a verb, its clause, then "and" + up to six words of a new subject, then "by" (or "на") right before the figure
# the new subject opens with an article, a possessive, a capital or a quotation mark
_TAIL = (
    r"\b[^.;!?]{0,120}?(?:,\s*|\s)(?:and|while|whereas|і|й|а|и)\s+"
    r"(?=(?:the|its|their|his|her|our)\b|(?-i:[«“\"'‘A-ZА-ЯІЇЄҐ]))(?:[^\s.;!?,]+\s+){1,6}(?:by|на|to)\s+$"
)
_PULLBACK_ELIDED = re.compile(r"\b(?:" + _PULLBACK + r")" + _TAIL, re.IGNORECASE)
_ADVANCE_ELIDED = re.compile(r"\b(?:" + _ADVANCE + r")" + _TAIL, re.IGNORECASE)
# a verb of the new clause itself: then it is not elided
_OWN_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|said|says|reported|rose|fell|grew|went|came|made|"
    r"got|took|ran|\w+ed|\w+ла|\w+ли|\w+лися|\w+лись)\s+(?:[^\s.;!?,]+\s+){0,3}(?:by|на)\s+$",
    re.IGNORECASE,
)


def elided_kind(sentence: str, q: Quantity, pullback: str, advance: str) -> str:
    """``pullback`` or ``advance`` when the figure takes the verb of an earlier clause, else ``""``.

    >>> from geo.text.quantities import find_quantities
    >>> s = "Troops retreated by 500 meters, and the militia's detachments by 1500 meters."
    >>> elided_kind(s, find_quantities(s)[1], "withdrawal_distance", "distance")
    'withdrawal_distance'
    >>> s = "Troops retreated by 500 meters, and prices rose by 15 metres."
    >>> elided_kind(s, find_quantities(s)[1], "withdrawal_distance", "distance")
    ''
    """
    before = sentence[max(0, q.start - 200) : q.start]
    if _OWN_VERB.search(before[-60:]):
        return ""
    if _PULLBACK_ELIDED.search(before):
        return pullback
    if _ADVANCE_ELIDED.search(before):
        return advance
    return ""
