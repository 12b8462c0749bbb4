"""How a figure is qualified: the words just before it ("more than", "up to", "понад", "не менее").

:func:`find_qualifier` gives the registry's vocabulary (:class:`geo.vocab.Qualifier`);
:func:`qualifier_detail` the extractor's finer one (:data:`QUALIFIER_DETAILS`). Split out of
:mod:`geo.text.figures`, which re-exports both.
"""

from __future__ import annotations

import re

from geo.vocab import Qualifier

__all__ = ["QUALIFIER_DETAILS", "find_qualifier", "qualifier_detail"]

#: Qualifiers of a figure as the extractor reads them (the stored ``qualifier``
#: keeps the registry's vocabulary, :class:`geo.vocab.Qualifier`).
QUALIFIER_DETAILS = ("about", "more_than", "at_least", "up_to", "at_most", "range", "exact", "")


# --- qualifiers -----------------------------------------------------------------
_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (
        r"no\s+more\s+than|not\s+more\s+than|at\s+most|no\s+(?:greater|further)\s+than|a\s+maximum\s+of|"
        r"не\s+більше(?:\s+ніж)?|не\s+більш\s+ніж|не\s+более(?:\s+чем)?|не\s+больше",
        Qualifier.UP_TO,
    ),
    (
        r"at\s+least|no\s+(?:less|fewer)\s+than|not\s+less\s+than|a\s+minimum\s+of|minimum\s+of|"
        r"щонайменше|не\s+менше(?:\s+ніж)?|не\s+менее|как\s+минимум|по\s+меньшей\s+мере|минимум|"
        r"no\s+(?:closer|nearer)\s+than|not\s+(?:closer|nearer)\s+than|не\s+ближч\w*(?:\s+(?:ніж|за))?|не\s+ближе(?:\s+чем)?",
        Qualifier.AT_LEAST,
    ),
    (
        (
            r"more\s+than|over|above|in\s+excess\s+of|upwards\s+of|exceeding|beyond|"
            r"понад|більше(?:\s+(?:ніж|як))?|більш\s+(?:ніж|як)|свыше|более(?:\s+чем)?|больше(?:\s+чем)?"
        ),
        Qualifier.MORE_THAN,
    ),
    (
        (
            r"about|some|around|approximately|roughly|circa|ca\.|an\s+estimated|estimated|"
            r"~|approx\.?|близько|приблизно|приблизительно|орієнтовно|ориентировочно|майже\s+близько|около|примерно|порядка|почти\s+около|"
            r"(?:примерно|приблизно)\s+до"
        ),
        Qualifier.ABOUT,
    ),
    (
        (
            r"nearly|almost|up\s+to|as\s+much\s+as|as\s+many\s+as|close\s+to|as\s+far\s+as|as\s+(?:deep|wide)\s+as|"
            r"майже|до|почти|вплоть\s+до"
        ),
        Qualifier.UP_TO,
    ),
    (
        (
            r"less\s+than|under|fewer\s+than|below|no\s+more\s+than|not\s+more\s+than|"
            r"менше(?:\s+ніж)?|менее|меньше"
        ),
        Qualifier.LESS_THAN,
    ),
    (r"exactly|precisely|рівно|ровно", Qualifier.EXACTLY),
]
_QUALIFIER_RES = [
    (re.compile(r"(?:^|[\s(,«“„\"‘])(?:" + p + r")\s*(?:the\s+|of\s+)?$", re.IGNORECASE), q) for p, q in _QUALIFIERS
]


_AT_MOST_RE = re.compile(
    # after a space, a bracket or an opening quotation mark ("“Майже 6 тисяч", "«понад 500»")
    r"(?:^|[\s(,«“„\"‘])(?:no\s+more\s+than|not\s+more\s+than|at\s+most|no\s+(?:greater|further)\s+than|"
    r"a\s+maximum\s+of|не\s+більше(?:\s+ніж)?|не\s+більш\s+ніж|не\s+более(?:\s+чем)?|не\s+больше)\s*$",
    re.IGNORECASE,
)
_DETAIL_OF: dict[str, str] = {
    Qualifier.MORE_THAN: "more_than",
    Qualifier.AT_LEAST: "at_least",
    Qualifier.ABOUT: "about",
    Qualifier.UP_TO: "up_to",
    Qualifier.LESS_THAN: "at_most",
    Qualifier.EXACTLY: "exact",
    Qualifier.NONE: "",
}


def qualifier_detail(before: str, stored: str, is_range: bool) -> str:
    """The qualifier in the extractor's vocabulary (:data:`QUALIFIER_DETAILS`).

    ``range`` for an interval ("300-400 sq km"); ``at_most`` for "no more than",
    "at most", "less than"; ``exact`` for "exactly"; else the stored qualifier.

    Examples
    --------
    >>> qualifier_detail("no more than ", "up_to", False)
    'at_most'
    """
    if is_range:
        return "range"
    tail = before[-40:]
    if stored == Qualifier.UP_TO and (_AT_MOST_RE.search(tail) or _AT_MOST_RE.search(_PREPOSITION_END.sub(" ", tail))):
        return "at_most"
    return _DETAIL_OF.get(stored, "")


def find_qualifier(before: str) -> str:
    """The qualifier of a figure from the words just before it.

    Parameters
    ----------
    before : str
        Text immediately before the figure.

    Returns
    -------
    str
        One of :class:`geo.vocab.Qualifier`; ``""`` when none.
        "nearly", "almost" and "up to" all give ``up_to`` (the figure is a
        ceiling that is approached, not passed).

    Examples
    --------
    >>> find_qualifier("seizing more than ")
    'more_than'
    """
    tail = before[-40:]
    if _NOT_QUALIFIER_BEFORE.search(tail):
        return Qualifier.NONE.value
    # "більше ніж на 278", "приблизно про 80": a preposition between the qualifier and the figure;
    # "advanced up to a radius of 30 km": the measure named between them
    for text in (tail, _PREPOSITION_END.sub(" ", tail), _MEASURE_NAMED_END.sub(" ", tail)):
        for rx, q in _QUALIFIER_RES:
            if rx.search(text):
                return q.value
    return Qualifier.NONE.value


# "control over 2 sq km" (a preposition, not "more than"); "grew to 45 km²" (a result, not a ceiling)
_NOT_QUALIFIER_BEFORE = re.compile(
    r"\b(?:control|authority|sovereignty)\s+over\s*$|"
    r"\b(?:above|over|below|under|beyond|than)\s+the\s*$|"
    r"(?:розрісся|розрослася|розрослося|зріс|зросла|зросло|вырос|выросла|выросло)\s+до\s*$",
    re.IGNORECASE,
)
_PREPOSITION_END = re.compile(r"(?<=[^\W\d_])\s+(?:на|про|об|о)\s*$", re.IGNORECASE)
_MEASURE_NAMED_END = re.compile(r"\s+an?\s+(?:distance|depth|radius)\s+of\s*$", re.IGNORECASE)
