"""Rules added for issue 18 after the fourth batch (69 rows): each pattern beside a near miss that must not fire.

Synthetic sentences written for the failure patterns seen on that batch's ``tune`` rows: a qualifier the
table lacked ("орієнтовно", "as deep as", "up to a radius of"), an advance or pull-back whose verb is
kept from the figure by a qualifier or a named measure ("by at least", "to a distance of"), an advance
"N km into the country", a pull-back verb after the figure in Ukrainian or Russian word order, the
length of a border with adjectives, the distance still left to a place, a sector taken measured along
the front, and a strip's length across the land.
"""

from __future__ import annotations

import pytest

from geo.text import extract
from geo.text.evaluate import proposal_claims
from geo.text.qualifiers import find_qualifier
from tests.unit.text.common import kind_dim


def _claims(sentence: str) -> list[tuple[str, float, str, str]]:
    return [
        (c.kind, round(c.lo, 3), c.qualifier, c.dimension) for c in proposal_claims(extract(sentence, "2025-01-01"))
    ]


# --- qualifiers the table lacked ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("вдалося звільнити орієнтовно ", "about"),
        ("удалось освободить ориентировочно ", "about"),
        ("вдалося звільнити ", ""),  # near miss: no hedge
        ("penetrating as deep as ", "up_to"),
        ("penetrating ", ""),  # near miss
        ("advanced up to a radius of ", "up_to"),
        ("missiles with a radius of ", ""),  # near miss: a measure named, no qualifier
    ],
)
def test_fourth_batch_qualifiers(before, expected):
    assert find_qualifier(before) == expected


def test_as_deep_as_is_a_ceiling_on_the_depth_and_deep_after_is_not():
    assert _claims("Ukrainian troops penetrated as deep as 35 km into the region.") == [
        ("distance", 35.0, "up_to", "depth")
    ]
    assert _claims("Ukrainian troops penetrated 35 km deep into the region.") == [("distance", 35.0, "", "depth")]


# --- the verb that governs the figure, past a qualifier or a named measure ------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Troops retreated to a distance of 2 km.", ("withdrawal_distance", "withdrawal")),
        (
            "The Ukrainian military advanced up to a radius of thirty kilometers into Russian territory.",
            ("distance", "depth"),
        ),
        ("Russian troops have extended their reach by at least 30 km in both regions.", ("distance", "depth")),
        # near misses: a weapon's reach and a line's length are no claim
        ("Its missiles reach up to a radius of thirty kilometers into Russian territory.", ("", "")),
        ("The front line extends 30 km.", ("", "")),
    ],
)
def test_governing_verb_past_a_qualifier_or_a_named_measure(sentence, expected):
    assert kind_dim(sentence) == expected


def test_reach_extended_by_at_least_keeps_its_qualifier():
    assert _claims("Russian troops have extended their reach by at least 30 km in both regions.") == [
        ("distance", 30.0, "at_least", "depth")
    ]


# --- an advance into the country, not named ---------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Azerbaijani forces crossed Armenia’s border, moving 3.5 kilometers into the country.",
            ("distance", "depth"),
        ),
        ("Russian forces pushed 4 km into enemy territory.", ("distance", "depth")),
        # near misses: a drone is no force; residents evacuated into the country are no advance
        ("A drone flew 3.5 km into the country.", ("", "")),
        ("The military called on residents to evacuate 30 miles into the country.", ("", "")),
    ],
)
def test_forces_inside_the_country(sentence, expected):
    assert kind_dim(sentence) == expected


# --- a pull-back verb after the figure (Ukrainian and Russian word order) ---------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Військові на кілометр мають відійти від околиць населеного пункту.", ("withdrawal_distance", "withdrawal")),
        ("Войска на 3 км должны отойти от линии.", ("withdrawal_distance", "withdrawal")),
        # near miss: the figure places the troops, the verb comes after the place
        ("Военные в 2 км от села должны отойти.", ("", "")),
    ],
)
def test_pull_back_verb_after_the_figure(sentence, expected):
    assert kind_dim(sentence) == expected


# --- lengths that are not ground: a border with adjectives, the distance left, a strip across -------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Topographic groups from both states agreed on delineating approximately 12 kilometers of the "
            "Kyrgyz-Tajik border, the border guards who control the area said.",
            ("", ""),
        ),
        ("Russian forces captured 12 kilometers of the Kharkiv border area.", ("distance", "depth")),  # near miss
        (
            "Israel agreed to remove its forces from the Netzarim corridor, a four-mile strip of land that bisects "
            "northern Gaza from the south.",
            ("", ""),
        ),
        ("The army seized a four-mile strip of land along the border.", ("distance", "width")),  # near miss
    ],
)
def test_lengths_that_are_not_ground(sentence, expected):
    assert kind_dim(sentence) == expected


def test_the_distance_left_to_a_place_is_no_claim_beside_the_advance():
    s = "ЗСУ просунулися на 2 км, і до міста лишається 5 км."
    assert kind_dim(s, 0) == ("distance", "depth")  # near miss: the advance itself
    assert kind_dim(s, 1) == ("", "")
    s = "До адмінмеж міста лишається близько 2 кілометрів, ворог контролює територію на сході."
    assert kind_dim(s) == ("", "")


# --- a sector taken, measured along the front ------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Российские войска взяли под контроль район обороны противника протяженностью свыше четырех километров.",
            ("distance", "width"),
        ),
        # near misses: an advance by a length, and a territory freed "N long", are its depth
        ("Российские войска продвинулись на четыре километра.", ("distance", "depth")),
        ("Украинские военные освободили территорию длиной до 1500 метров.", ("distance", "depth")),
    ],
)
def test_a_sector_taken_along_the_front_is_a_width(sentence, expected):
    assert kind_dim(sentence) == expected


# --- second round: a pull-back to a place or positions given by their distance --------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The soldiers will move back to the old pavilion, located roughly 150-200 metres from the disputed zone.",
            ("withdrawal_distance", "withdrawal"),
        ),
        ("The rebels returned to agreed positions 20 km north of Goma.", ("withdrawal_distance", "withdrawal")),
        (
            "Rebel fighters drove out, heading for previously agreed positions 20km north of Goma.",
            ("withdrawal_distance", "withdrawal"),
        ),
        # near misses: refugees moving, a shell hitting, a town placed from a city, positions attacked
        ("Refugees moved to the old pavilion, located 200 metres from the disputed zone.", ("", "")),
        ("A shell hit the old pavilion, located 200 metres from the disputed zone.", ("", "")),
        ("Troops moved to the village, located 2 km from the city.", ("", "")),
        ("The rebels attacked army positions 20 km north of Goma.", ("", "")),
    ],
)
def test_pull_back_to_a_place_or_positions_given_by_their_distance(sentence, expected):
    assert kind_dim(sentence) == expected


def test_a_pull_back_to_a_place_keeps_its_range():
    s = "The soldiers will move back to the old pavilion, located roughly 150-200 metres from the disputed zone."
    assert _claims(s) == [("withdrawal_distance", 0.15, "range", "withdrawal")]


# --- third round: a qualifier right after an opening quotation mark -------------------------------
@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("“Майже ", "up_to"),
        ("Маляр: «понад ", "more_than"),
        ('he said: "about ', "about"),
        ("“Україна ", ""),  # near miss: a quoted word that is no qualifier
    ],
)
def test_a_qualifier_after_an_opening_quotation_mark(before, expected):
    assert find_qualifier(before) == expected


def test_a_quoted_figure_keeps_its_qualifier():
    assert _claims("Окупанти захопили «майже 6 тисяч квадратних кілометрів».") == [("area", 6000.0, "up_to", "")]
    assert _claims("Окупанти захопили 6 тисяч квадратних кілометрів.") == [("area", 6000.0, "", "")]  # near miss


# --- the strip rule kept to a strip across the land: a held strip or corridor keeps its breadth ----------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia held the five-kilometre-wide corridor that links Armenia with Karabakh.", ("distance", "width")),
        ("Azerbaijan controls the 5-km-wide strip that links the two regions.", ("distance", "width")),
        ("The Israeli army seized a 1-km strip that runs along the border.", ("distance", "width")),
        ("Israel keeps the four-mile corridor that splits Gaza.", ("", "")),  # near miss: its length across
    ],
)
def test_a_held_strip_or_corridor_keeps_its_breadth(sentence, expected):
    assert kind_dim(sentence) == expected


# --- the second round's rules kept from strikes and advances ----------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "Russian drones struck rear positions 20 km from the front.",
        "Artillery shelled former positions 5 km north of the town.",
        "Artillery shelled the agreed positions 5 km north of the town.",
        "Russian troops advanced and moved to the village, located 2 km from the contact line.",
    ],
)
def test_positions_struck_and_a_move_forward_are_no_pull_back(sentence):
    assert kind_dim(sentence) == ("", "")
