"""Rules changed for issue 18 after a rewrite check of the ``tune`` split (``bench/extract_invariance.py``).

Each ``tune`` sentence was rewritten in ways that keep its meaning (a unit abbreviated, a verb or noun swapped
for a synonym, an attribution added); a rewrite that changed the extractor's reading pointed at a rule tied to
one wording. Each case here is such a rewrite (synthetic or a trimmed ``tune`` sentence) beside a near miss.
"""

from __future__ import annotations

import pytest

from tests.unit.text.common import claims_of

_claims = claims_of


W, D, A = "withdrawal_distance", "distance", "area"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "mi" after a figure is miles, as "miles" was; not a helicopter's name
        (
            "Milley stated in July that the Russian force had only acquired six to ten mi of new land.",
            [(D, 9.656, "range", "depth")],
        ),
        (
            "The zone, 154 mi long and 2.5 mi wide, was set up as a buffer between the two countries.",
            [(W, 4.023, "", "width")],
        ),
        ("Forces captured the village of Memryk, roughly 15 mi (24 km) southeast of Pokrovsk.", []),
        ("Two Mi-8 helicopters landed 3 km from the line.", []),
        # "м" after a figure is metres in Ukrainian and Russian; not "м." before a town's name (місто)
        ("По ее словам, в районе Бахмута ВСУ продвинулись на 250 м.", [(D, 0.25, "", "depth")]),
        ("Так, штурмові групи просунулися вперед на відстань від 100 до 1400 м.", [(D, 0.1, "range", "depth")]),
        ("Вибух пролунав за 5 м. Київ не коментує.", []),
        # a security or demilitarised zone is held ground, as a buffer zone was
        ("The United Nations Security Zone in Cyprus has an area of 346 square kilometres.", [(A, 346.0, "", "")]),
        ("The island of Cyprus has an area of 9,251 square kilometres.", []),
        (
            "Israeli forces moved into a roughly 400-square-kilometer security zone inside Syria.",
            [(A, 400.0, "about", "")],
        ),
    ],
)
def test_units_and_zones(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "away from" places something unless a verb moves or keeps forces back
        (
            "The trench line is 8 kilometres away from the facility and nearly 60 kilometres away from the Ukrainian border.",
            [],
        ),
        ("The trench line is 8 kilometers from the facility and nearly 60 kilometers from the Ukrainian border.", []),
        (
            "Fighters and their weapons are to be moved back 30 kilometres away from areas on the Turkish border.",
            [(W, 30.0, "", "withdrawal")],
        ),
        (
            "Fighters and their weapons are to be moved back 30 kilometres from areas on the Turkish border.",
            [(W, 30.0, "", "withdrawal")],
        ),
        ("Rebels pulled their forces 2 km away from the line.", [(W, 2.0, "", "withdrawal")]),
        # a verb of advance with "forward" governs its figure past the positions it moved
        (
            "Azerbaijan pulled back its troops near the village after having pushed forward its positions for 400 meters.",
            [(D, 0.4, "", "depth")],
        ),
        ("Azerbaijan pulled back its troops from positions for 400 meters.", [(W, 0.4, "", "withdrawal")]),
        # Russian and Ukrainian pull-back verbs the cue list lacked
        (
            "В Киеве утверждают, что российские войска отступили от границы с Украиной по меньшей мере на 10 километров.",
            [(W, 10.0, "at_least", "withdrawal")],
        ),
        ("ВСУ заставили противника отступить на 2 км.", [(D, 2.0, "", "depth")]),
        (
            "Протиборчі сторони зобов'язуються відтягнути свою важку військову техніку від умовної лінії фронту на 15 км кожна.",
            [(W, 15.0, "", "withdrawal")],
        ),
        # a minimum gap between the sides, with "по меньшей мере" as with "не менее"
        ("Таким образом расстояние между ними будет по меньшей мере 2 км.", [(W, 2.0, "at_least", "width")]),
        ("Таким образом расстояние до города будет по меньшей мере 2 км.", []),
    ],
)
def test_movement_and_separation(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The frontline is 8.5 km in width, he added.", [(D, 8.5, "", "width")]),
        ("Troops advanced 8.5 km in depth, he added.", [(D, 8.5, "", "depth")]),
        (
            "Our forces advanced two kilometers deep and four kilometers in length along the contact line towards Lyman.",
            [(D, 2.0, "", "depth"), (D, 4.0, "", "width")],
        ),
        (
            "Our forces advanced two kilometers deep and four kilometers in length along the road towards Lyman.",
            [(D, 2.0, "", "depth"), (D, 4.0, "", "depth")],
        ),
        ("The UN set up a 25-km in width temporary security zone separating the forces.", [(W, 25.0, "", "width")]),
    ],
)
def test_width_spelled_out(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Milley said the Russian force had only acquired six to ten miles of new land.",
            [(D, 9.656, "range", "depth")],
        ),
        ("Milley said the Russian force had only acquired six to ten miles of new roads.", []),
    ],
)
def test_ground_acquired(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a conversion in brackets between a figure and what it measures or bounds
        (
            "Monday's withdrawal leaves a 30km (19 miles) buffer between the two sides.",
            [(W, 30.0, "", "width")],
        ),
        ("Monday's withdrawal leaves a 30km buffer between the two sides.", [(W, 30.0, "", "width")]),
        (
            "The country's total area has increased from 147,181 sq km (56,827 square miles) to 147,516 sq km "
            "after the addition of disputed land that is currently occupied.",
            [],
        ),
        ("Troops occupied 147,181 sq km (56,827 square miles) of disputed land.", [(A, 147181.0, "", "")]),
        ("Troops advanced from 600 metres (0.4 miles) to 1,000 metres.", [(D, 0.6, "range", "depth")]),
    ],
)
def test_conversions_in_brackets(sentence, expected):
    assert _claims(sentence) == expected


def test_a_range_keeps_its_bounds_across_a_converted_lower_bound():
    from geo.text.quantities import find_quantities

    (q,) = find_quantities("from 147,181 sq km (56,827 square miles) to 147,516 sq km")
    assert (q.value, q.value_max) == (147181.0, 147516.0)
    two = find_quantities("from 10 km (6 miles) and 20 km")  # no range word after the bracket: two figures
    assert [x.value for x in two] == [10.0, 6.0, 20.0]
