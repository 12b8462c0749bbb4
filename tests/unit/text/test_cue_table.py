"""The cue rules written as table rows (:class:`geo.text.measures.CueRule`), each beside a near miss.

Synthetic sentences; the first of each pair fires, the second must not.
"""

from __future__ import annotations

import re

import pytest

from geo.text import figures as fg
from geo.text import measures as ms
from geo.text.measures import CueRule
from geo.text.quantities import find_quantities


def _first(rule: CueRule, sentence: str) -> bool:
    return rule(sentence, find_quantities(sentence)[0])


ROWS = {
    "front_breadth": (
        ms.front_breadth,
        "The frontline is 8.5 kilometres wide, he added.",
        "The river is 8.5 kilometres wide, he added.",
    ),
    "measured_advance": (
        ms.measured_advance,
        "The breakthrough was 15 km deep, officials said.",
        "The river there is 15 km deep, officials said.",
    ),
    "measured_advance not ground": (
        ms.measured_advance,
        "The offensive was 15 km wide at its base.",
        "The offensive hit along a 15 km wide front.",
    ),
    "zone_length after": (
        ms.zone_length,
        "The security zone, 180 km long, is patrolled by the UN.",
        "The security zone, 18 km wide, is patrolled by the UN.",
    ),
    "zone_length before": (
        ms.zone_length,
        "Зона протяжністю 100 км охороняється.",
        "Зона шириною 10 км охороняється.",
    ),
    "locates_or_reaches reach": (
        ms.locates_or_reaches,
        "Missiles with a range of 40 km were moved.",
        "Missiles were moved 40 km back.",
    ),
    "locates_or_reaches place": (
        ms.locates_or_reaches,
        "Отвод войск начался в Золотом, в 60 км от Луганска.",
        "Отвод войск на 60 км от линии начался.",
    ),
    "places_covered": (
        ms.places_covered,
        "Evacuations continued in villages up to 10 km from the border.",
        "Troops pulled back up to 10 km from the border.",
    ),
    "_border_tail": (
        fg._border_tail,
        "Troops took a hill 5 km from the Israeli border.",
        "Troops took a hill 5 km from the town.",
    ),
    "_captured_from_border": (
        fg._captured_from_border,
        "Troops captured a hill about 5 km from the Israeli border.",
        "A shell hit a hill about 5 km from the Israeli border.",
    ),
    "_deep_from_border": (
        fg._deep_from_border,
        "Units had driven deep into the country, hitting troops 30 km from the border.",
        "Units had driven deep into the country, near villages which are 30 km from the border.",
    ),
    "_moved_from_line": (
        fg._moved_from_line,
        "Both sides will move border posts 3 kilometers from the disputed area.",
        "Both sides will move border posts 3 kilometers to the east.",
    ),
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_cue_rule_fires_and_its_near_miss_does_not(name):
    rule, hit, miss = ROWS[name]
    assert _first(rule, hit), hit
    assert not _first(rule, miss), miss


def test_cue_rule_any_of_two_patterns_and_vetoes():
    before, after = re.compile(r"back\s+$"), re.compile(r"\s*from\b")
    s_both, s_before, s_none = "pulled back 5 km from X.", "pulled back 5 km to X.", "moved 5 km to X."
    assert _first(CueRule(before=before, after=after), s_both)
    assert not _first(CueRule(before=before, after=after), s_before)
    assert _first(CueRule(before=before, after=after, both=False), s_before)
    assert not _first(CueRule(before=before, after=after, both=False), s_none)
    assert not _first(CueRule(before=before, not_after=re.compile(r"\s*to\b")), s_before)
    assert not _first(CueRule(after=after, not_before=re.compile(r"pulled")), s_both)
    assert _first(CueRule(after=after, not_before=re.compile(r"pulled"), not_span=3), s_both)
