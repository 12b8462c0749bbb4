"""Rules added for issue 18 after the sixth batch (312 rows): each pattern beside a near miss that must not fire.

Synthetic sentences written for the failure patterns of that batch's ``tune`` rows (the ``holdout`` rows were not
read): how far a force or a boat got into the other side ("10 km into Syrian territory", "2.2 kilometers into the
South's waters"), a retreat under the other side's pressure, verbs the tables lacked ("drive ahead", "отодвинут",
"посунули", "вглиб близько"), zones named by an abbreviation or after the figure, a pull-back out of a zone around a
city, ranges across units ("800 metres to 1 km"), a place given by its distance from a city, and a whole city's or
region's area.
"""

from __future__ import annotations

import pytest

from geo.text.quantities import find_quantities
from tests.unit.text.common import claims_of

_claims = claims_of


W, D, A = "withdrawal_distance", "distance", "area"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Israeli troops reached the town, which is 10 km (six miles) into Syrian territory.",
            [(D, 10.0, "", "depth")],
        ),
        ("The town, which is 10 km (six miles) from Syrian territory, was shelled.", []),
        ("Seven fishing boats sailed 2.2 kilometers into the South's waters.", [(D, 2.2, "", "depth")]),
        (
            "China has built a village of 101 homes, approximately 4.5 kilometers within the Indian territory.",
            [(D, 4.5, "about", "depth")],
        ),
        ("Vorukh exists as an exclave some 20 kilometers inside the neighbouring country's territory.", []),
        ("It includes full demilitarization another 2 kilometers into the country.", [(W, 2.0, "", "withdrawal")]),
    ],
)
def test_how_far_into_the_other_side(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "In separate areas the enemy could not withstand the pressure and withdrew to a distance of up to 2 kilometres.",
            [(D, 2.0, "up_to", "depth")],
        ),
        (
            "In separate areas the enemy withdrew to a distance of up to 2 kilometres.",
            [(W, 2.0, "up_to", "withdrawal")],
        ),
        (
            "Units in some parts of the city had retreated by up to 2km (1.2 miles) as the result of counterattacks.",
            [(D, 2.0, "up_to", "depth")],
        ),
        (
            "Units in some parts of the city had retreated by up to 2km (1.2 miles) as the result of an order.",
            [(W, 2.0, "up_to", "withdrawal")],
        ),
        (
            "Ukraine was in a position to drive ahead about two kilometers in some directions.",
            [(D, 2.0, "about", "depth")],
        ),
        ("Ukraine was in a position to drive about two kilometers to the city.", []),
        (
            "За несколько последних дней враг был отодвинут от Киева приблизительно на 70 км.",
            [(D, 70.0, "about", "depth")],
        ),
        ("Он также добавил, что Киев готов отодвинуть войска на 15 километров.", []),
        ("Сили РФ здійснили прорив лінії оборони вглиб близько 10 кілометрів.", [(D, 10.0, "about", "depth")]),
        ("Сили РФ перебувають близько 10 кілометрів від лінії оборони.", []),
    ],
)
def test_forced_retreats_and_verbs(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The DMZ is 248km long and 4km wide.", [(W, 4.0, "", "width")]),
        ("The lake is 248km long and 4km wide.", []),
        (
            "The group had entered the 25-kilometer (15-mile) wide Temporary Security Zone in the other's territory.",
            [(W, 25.0, "", "width")],
        ),
        (
            "The group had entered the town 25 kilometers (15 miles) inside the other's territory.",
            [(D, 25.0, "", "depth")],
        ),
        ("They have been stationed in a 15.5-mile (25-km) buffer zone inside the country.", [(W, 24.945, "", "width")]),
        ("They have been stationed 15.5 miles (25 km) from the buffer zone.", []),
        (
            "They agreed to withdraw heavy weapons from the 20-kilometer exclusion zone around the city.",
            [(W, 20.0, "", "withdrawal")],
        ),
        ("They agreed to move heavy weapons beyond the 20-kilometer exclusion zone.", [(W, 20.0, "", "withdrawal")]),
        ("They agreed a 20-kilometer exclusion zone along the line.", [(W, 20.0, "", "width")]),
        (
            "Both sides agreed to establish a Safe Demilitarized Border Zone, to run 10 km along either side of a centre-line.",
            [(W, 10.0, "", "withdrawal")],
        ),
        ("Both sides agreed to establish a Safe Demilitarized Border Zone, to run 10 km along a centre-line.", []),
    ],
)
def test_zones(sentence, expected):
    assert _claims(sentence) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entered around 800 metres to 1 km into", [(800.0, 1000.0, "metres")]),
        ("between 500 metres and 2km across the line", [(500.0, 2000.0, "metres")]),
        ("from 10 km to 600 metres", [(10.0, None, "km"), (600.0, None, "metres")]),  # a fall, not a range
        (
            "500 metres and 2km",
            [(500.0, None, "metres"), (2.0, None, "km")],
        ),  # "and" joins a range only after "between"
    ],
)
def test_ranges_across_units(text, expected):
    assert [(q.value, q.value_max, q.unit) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Warplanes bombed a military airstrip just three miles from the half-million resident city of Asmara after the withdrawal.",
            [],
        ),
        ("Forces withdrew three miles from the city.", [(W, 4.828, "", "withdrawal")]),
        ("Russian forces have not captured Pokrovsk, an 11.5 square mile city.", []),
        ("Russian forces have captured 11.5 square miles of the city.", [(A, 29.785, "", "")]),
        (
            "Out of nearly 36,000 square kilometers that make up the province, 14,666 square kilometers are now under the control of the forces.",
            [(A, 14666.0, "", "")],
        ),
        ("By Sunday, they were clinging to barely 30 square miles along the border.", [(A, 77.7, "", "")]),
    ],
)
def test_places_and_whole_areas(sentence, expected):
    assert _claims(sentence) == expected
