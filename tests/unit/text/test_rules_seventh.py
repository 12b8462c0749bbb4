"""Rules added for issue 18 after the seventh batch (152 rows): each pattern beside a near miss that must not fire.

Synthetic sentences written for the failure patterns of that batch's ``tune`` rows (the ``holdout`` rows were not
read): "progressed N km", a line's length as an adjective ("на 450-кілометровому рубежі", "the 8.6-mile length of"),
a ditch's width and depth, a corridor's breadth in brackets, a zone that "has a width of", and a force "on India's
side of" the line.
"""

from __future__ import annotations

import pytest

from tests.unit.text.common import claims_of

W, D, A = "withdrawal_distance", "distance", "area"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The rebels progressed almost 10 kilometers toward the city.", [(D, 10.0, "up_to", "depth")]),
        ("The rebels were almost 10 kilometers from the city.", []),
        ("На 450-кілометровому рубежі вириють рів шириною 3,5 метра і глибиною від 2-3 метрів.", []),
        ("Ворог просунувся на 4 кілометри вглиб оборони.", [(D, 4.0, "", "depth")]),
        ("The army captured the corridor that runs the 8.6-mile length of the border.", []),
        ("The army captured 8.6 miles of the corridor's depth.", [(D, 13.84, "", "depth")]),
        ("При этом будет создан коридор (шириной 5 км), который будет обеспечивать связь.", [(D, 5.0, "", "width")]),
        ("При этом будет создан коридор длиной 5 км.", []),
        ("В корейском случае зона имеет ширину четыре километра и длину 250 километров.", [(W, 4.0, "", "width")]),
        (
            "Another group tried to join the militants holed up some 200 to 300 meters on India's side of the line.",
            [(D, 0.2, "range", "depth")],
        ),
        ("The village lies some 200 to 300 meters on India's side of the line.", []),
    ],
)
def test_seventh_batch_patterns(sentence, expected):
    assert claims_of(sentence) == expected
