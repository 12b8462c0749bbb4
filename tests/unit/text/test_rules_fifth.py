"""Rules added for issue 18 after the fifth batch (137 rows): each pattern beside a near miss that must not fire.

Synthetic sentences written for the failure patterns of that batch's ``tune`` rows (the ``holdout`` rows were not
read): the depth of a gain named by a noun ("at a depth of", "a 10-mile-deep pocket"), a verb left out of a second
clause ("and the militia by 1.5 km"), pull-back verbs in the future tense or the imperfective ("отойдут",
"продвигаются ... на расстояние до"), weapons "taken away" to a distance, "км кв." and "більш як", a zone that
stretches N km north and south of a border, a line's length written "3,488-km-long", and vague amounts
("a few hundred metres").
"""

from __future__ import annotations

import pytest

from tests.unit.text.common import claims_of

_claims = claims_of


W, D, A = "withdrawal_distance", "distance", "area"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The fighting is taking place at a depth of about 20 kilometers from the border.",
            [(D, 20.0, "about", "depth")],
        ),
        ("The shelling hit a village 20 kilometers from the border.", []),
        ("Both sides agreed a buffer zone to a depth of 15 km.", [(W, 15.0, "", "width")]),
        ("Russian forces have carved out a 10-mile-deep pocket around the town.", [(D, 16.093, "", "depth")]),
        ("Russian forces have dug a 10-mile-long trench around the town.", []),
    ],
)
def test_depth_named_by_a_noun(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The troops retreated by 500 meters from the contact line, and the militia's detachments by 1500-1600 meters.",
            [(W, 0.5, "", "withdrawal"), (W, 1.5, "range", "withdrawal")],
        ),
        (
            "The brigade advanced by 2 km near the town, and the marines by 3 km.",
            [(D, 2.0, "", "depth"), (D, 3.0, "", "depth")],
        ),
        (
            "The troops retreated by 500 meters, and the militia's detachments stayed 1500 meters from the village.",
            [(W, 0.5, "", "withdrawal")],
        ),
    ],
)
def test_a_verb_left_out_of_a_second_clause(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Курдские бойцы отойдут на расстояние 30 км в течение 150 часов.", [(W, 30.0, "", "withdrawal")]),
        ("Сили відійдуть на 5 км від села.", [(W, 5.0, "", "withdrawal")]),
        ("Курдские бойцы находятся на расстоянии 30 км от города.", []),
        ("Российские подразделения ежедневно продвигаются на расстояние до 400 метров.", [(D, 0.4, "up_to", "depth")]),
        ("Российские подразделения ежедневно находятся на расстоянии до 400 метров.", []),
        (
            "Militants on each side have to take away all weapons with caliber more than 100 mm at a distance of 15 km.",
            [(W, 15.0, "", "withdrawal")],
        ),
        ("Militants on each side fired weapons with caliber more than 100 mm at a distance of 15 km.", []),
    ],
)
def test_pullback_and_advance_verbs(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Українська армія збільшила контроль над територіями ще на 5 км кв.", [(A, 5.0, "", "")]),
        ("Українська армія збільшила контроль над територіями ще на 5 км.", [(D, 5.0, "", "depth")]),
        ("Військові просунулись за останню добу більш як на кілометр.", [(D, 1.0, "more_than", "depth")]),
        ("Військові просунулись за останню добу на кілометр.", [(D, 1.0, "", "depth")]),
    ],
)
def test_units_and_qualifiers_of_the_batch(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Both sides agreed to withdraw their forces to create a demilitarized zone that will stretch 10 kilometers "
            "north and south of the border.",
            [(W, 10.0, "", "withdrawal")],  # per side, as "2 km on either side of the line" (test_rules_cues)
        ),
        (
            "Both sides agreed to withdraw their forces 10 kilometers north and south of the border.",
            [(W, 10.0, "", "withdrawal")],
        ),
        ("The zone will stretch 10 kilometers along the border.", []),
        ("Personnel will exchange sweets at points along the 3,488-km-long Line of Actual Control.", []),
        ("Troops took a 12-km-long strip of land near the town.", [(D, 12.0, "", "length")]),
        ("Disengagement will involve rival troops pulling back a few hundred metres from face-off sites.", []),
        (
            "Disengagement will involve rival troops pulling back 300 metres from face-off sites.",
            [(W, 0.3, "", "withdrawal")],
        ),
    ],
)
def test_zones_lines_and_vague_amounts(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The aim would be to create a zone inside the borders that was 30km (19 miles) deep.",
            [(W, 30.0, "", "width")],
        ),
        ("The aim would be to create a zone inside the borders that was 30km (19 miles) away.", []),
        ("Turkey aims to create a 30-kilometer (20-mile) deep secure zone in the region.", [(W, 30.0, "", "width")]),
        ("The river is 30 km wide near the zone.", []),
        ("Both sides pulled back 10 km, with the sole exception of the 14-Mile Area.", [(W, 10.0, "", "withdrawal")]),
        ("Troops withdrew 14 miles from the area.", [(W, 22.531, "", "withdrawal")]),
    ],
)
def test_zones_measured_in_a_clause_and_names_with_units(sentence, expected):
    assert _claims(sentence) == expected
