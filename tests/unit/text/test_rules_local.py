"""The rules that read the words right around a length: the verb governing it, a corridor, a
figure between two things, breadth along the front, a pull-back per side of a line.

Each rule has a sentence that fires and a near miss that must not (synthetic sentences).
"""

from __future__ import annotations

import pytest

from geo.text import figures as fg
from geo.text.extract import extract
from geo.text.quantities import find_quantities
from tests.unit.text.common import kind_dim


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a retreat governs the figure even with a compass word after it
        ("The militia agreed to retreat 25 kilometres north of the river.", ("withdrawal_distance", "withdrawal")),
        ("Both units fell back about 3 km overnight.", ("withdrawal_distance", "withdrawal")),
        # an advance governs the figure even in a sentence about a pull-back
        (
            "The brigade pulled back its tanks after it had advanced its lines by 600 metres.",
            ("distance", "depth"),
        ),
        ("Войска продвинулись ещё на 4 км за сутки.", ("distance", "depth")),
    ],
)
def test_local_verb_decides_the_kind(sentence, expected):
    assert kind_dim(sentence) == expected


def test_local_verb_near_miss_keeps_a_location():
    # no verb governs the figure: the compass word still makes it a location
    assert kind_dim("Troops pulled back; the town lies 25 km north of the river.") == ("", "")


def test_redeployment_is_a_pull_back_cue():
    s = "Гаубиці передислоковано на відстань не менше 20 км від лінії."
    q = find_quantities(s)[0]
    assert fg.classify(s, q) == "withdrawal_distance"
    near = "Гаубиці стоять на відстані 20 км від Харкова."
    assert fg.classify(near, find_quantities(near)[0]) == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "The seven-kilometre-wide Zangezur corridor is guarded by border troops.",
        "Peacekeepers patrol a 6 km corridor along the road.",
    ],
)
def test_a_corridor_breadth_is_a_width(sentence):
    assert kind_dim(sentence) == ("distance", "width")


def test_corridor_near_miss_a_place_named_strip():
    # "Strip" as part of a name (case-sensitive) is no corridor
    assert kind_dim("The 40 km Gaza Strip was shelled again.") == ("", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Both armies will withdraw posts placed less than 2 km from each other.",
        "Both armies will withdraw posts standing 900 meters apart.",
        "They plan to withdraw ten posts within a 1 km radius of the line.",
    ],
)
def test_a_figure_between_things_is_no_claim(sentence):
    assert kind_dim(sentence) == ("", "")


def test_between_things_near_miss_a_plain_pull_back():
    assert kind_dim("Both armies will withdraw their posts by 2 km.") == ("withdrawal_distance", "withdrawal")


def test_breadth_along_the_front_is_a_width():
    s = "Наступление составило 9 километров по фронту и 2 километра в глубину."
    assert kind_dim(s, 0) == ("distance", "width")
    assert kind_dim(s, 1) == ("distance", "depth")


def test_per_side_pull_back_in_a_zone_sentence():
    s = "The demilitarized zone is a strip six kilometers wide, three kilometers to the south and three to the north of the line."
    assert kind_dim(s, 0) == ("withdrawal_distance", "width")
    assert kind_dim(s, 1) == ("withdrawal_distance", "withdrawal")


def test_per_side_near_miss_zone_width_alone():
    s = "The agreement set up a buffer zone three kilometers wide."
    assert kind_dim(s) == ("withdrawal_distance", "width")


def test_extract_end_to_end_the_advance_not_the_pull_back():
    props = extract("The unit pulled back after it had advanced its positions for 500 meters.", "2024-05-01")
    assert [(p.kind, round(p.value_km, 3)) for p in props] == [("distance", 0.5)]


@pytest.mark.parametrize(
    "before, expected",
    [
        ("Йдеться приблизно про ", "about"),  # a preposition between qualifier and figure
        ("росіяни просунулися більше ніж на ", "more_than"),
        ("площа увеличилась примерно до ", "about"),  # "примерно до" is "about", not a ceiling
        ("район наразі розрісся до ", ""),  # "grew to": a result, no qualifier
        ("troops regained control over ", ""),  # a preposition, not "more than"
        ("troops seized over ", "more_than"),  # near miss: "over" as "more than" still is
        ("війська просунулися до ", "up_to"),  # near miss: "до" alone still is a ceiling
        ("війська відійшли на ", ""),  # near miss: a preposition alone is no qualifier
    ],
)
def test_qualifier_rules_around_prepositions(before, expected):
    assert fg.find_qualifier(before) == expected
