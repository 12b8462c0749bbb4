"""One test per rule of geo.text.figures and geo.text.quantities: a sentence that fires, a near-miss that must not.

Each rule is checked through the smallest function that applies it, so that a
change to one rule fails its own test and not only an end-to-end one.
"""

from __future__ import annotations

import pytest

from geo.text import figures as fg
from geo.text import measures as ms
from geo.text import quantities as qt
from geo.text.quantities import find_quantities


def _q(sentence: str, i: int = 0):
    return find_quantities(sentence)[i]


def _kind(sentence: str, i: int = 0) -> str:
    return fg.classify(sentence, _q(sentence, i))


def _claim(sentence: str, i: int = 0) -> bool:
    q = _q(sentence, i)
    return fg.is_claim_figure(sentence, q, fg.classify(sentence, q))


def _dim(sentence: str, i: int = 0) -> str:
    q = _q(sentence, i)
    return fg.dimension_of(sentence, q, fg.classify(sentence, q))


def _search(rx):
    return lambda s: bool(rx.search(s))


def _tail_match(rx):
    """The rule reads the text right after the (first) figure."""
    return lambda s: bool(rx.match(s[_q(s).end :]))


def _before_search(rx):
    """The rule reads the text right before the (first) figure."""
    return lambda s: bool(rx.search(s[: _q(s).start]))


# rule name -> (check, sentence that fires, near-miss that must not)
FIGURE_RULES = {
    "TERRITORY_CUE": (_search(fg.TERRITORY_CUE), "Rebels seized 500 sq km.", "Rebels shelled a 500 sq km area."),
    "TERRITORY_CUE uk": (_search(fg.TERRITORY_CUE), "ЗСУ звільнили 500 кв. км.", "Обстріл тривав 5 годин."),
    "TERRITORY_CUE ru": (_search(fg.TERRITORY_CUE), "Войска заняли 20 кв. км.", "Снаряд упал в 20 км."),
    "_WITHDRAWAL_CUE": (
        _search(fg._WITHDRAWAL_CUE),
        "Both sides pulled back 15 km.",
        "Both sides pulled the 15 km cable.",
    ),
    "_WITHDRAWAL_CUE contact line": (
        _search(fg._WITHDRAWAL_CUE),
        "Guns moved 30 km from the contact line.",
        "Guns moved 30 km from the river.",
    ),
    "_WITHDRAWAL_CUE uk": (
        _search(fg._WITHDRAWAL_CUE),
        "Техніку відведуть на 15 км від лінії зіткнення.",
        "Техніку привезли за 15 км від міста.",
    ),
    "_WITHDRAWAL_CUE zone width": (
        _search(fg._WITHDRAWAL_CUE),
        "a zone 30 km wide",
        "a zone of 30 km",
    ),
    "_ADVANCE_CUE": (_search(fg._ADVANCE_CUE), "Troops advanced 10 km.", "Troops marched 10 km."),
    "_ADVANCE_CUE uk": (_search(fg._ADVANCE_CUE), "Війська просунулися на 3 км.", "Війська пройшли 3 км."),
    "_LOCATION_AFTER compass": (
        _tail_match(fg._LOCATION_AFTER),
        "Rebels hold a village 20 km north of Donetsk.",
        "Rebels hold 20 km of the road.",
    ),
    "_LOCATION_AFTER uk compass": (
        _tail_match(fg._LOCATION_AFTER),
        "Село за 20 км на північ від міста.",
        "Війська просунулися на 20 км вглиб.",
    ),
    "_LOCATION_AFTER away": (
        _tail_match(fg._LOCATION_AFTER),
        "Troops hold a hill 5 km away.",
        "Troops advanced 5 km westwards.",
    ),
    "_COMPASS_AFTER": (
        _tail_match(fg._COMPASS_AFTER),
        "Guns pulled back to 10 km east of the town.",
        "Guns pulled back 10 km from the line.",
    ),
    "_BORDER_AFTER": (
        lambda s: fg._border_tail(s, _q(s)),
        "Troops captured a hill 5 km from the Israeli border.",
        "Troops captured a hill 5 km from the town.",
    ),
    "_captured_from_border": (
        lambda s: fg._captured_from_border(s, _q(s)),
        "Troops seized a ridge 8 km inside the border.",
        "A shell hit a ridge 8 km inside the border.",
    ),
    "_DEEP_INTO_BEFORE": (
        lambda s: _kind(s) == "distance",
        "Units had driven deep into the country, hitting troops around 30 km (20 miles) from the border.",
        "Units shelled the country, hitting troops around 30 km (20 miles) from the border.",
    ),
    "_DEEP_INTO_BEFORE not a located village": (
        lambda s: not _claim(s),
        "Units pushed deep into the region, near villages which are around 25 km from the border.",
        "Units pushed deep into the region, hitting troops around 25 km from the border.",
    ),
    "_DEEP_INTO_BEFORE deepest point": (
        lambda s: _kind(s) == "distance",
        "Khiam, the deepest point reached, is about six kilometres away from the border.",
        "Khiam, the nearest town, is about six kilometres away from the border.",
    ),
    "_WITHDRAWAL_CUE away from a line, not from the border": (
        _search(fg._WITHDRAWAL_CUE),
        "Guns were moved 20 km away from the line.",
        "The town is 20 km away from the border.",
    ),
    "_after_brackets width": (
        lambda s: _dim(s) == "width",
        "Factions must withdraw heavy weaponry from the 15- to 20-kilometre (nine- to 12-mile) wide buffer zone.",
        "Factions must withdraw heavy weaponry 15 to 20 kilometres (nine to 12 miles) from the line.",
    ),
    "_NOT_GROUND_AFTER": (
        lambda s: not _claim(s),
        "Troops took 40 km of trenches.",
        "Troops took 40 sq km of farmland.",
    ),
    "_NOT_GROUND_AFTER front": (
        lambda s: not _claim(s),
        "Troops hold a 1,000 km front line.",
        "Troops hold 1,000 sq km near the front line.",
    ),
    "_LOCATION_BEFORE within": (
        lambda s: not _claim(s),
        "Rebels hold positions within 1 km of the airport.",
        "Rebels advanced 1 km towards the airport.",
    ),
    "_LOCATION_BEFORE distance between": (
        lambda s: not _claim(s),
        "Troops advanced; the distance between the towns is 12 km.",
        "Troops advanced 12 km between the towns.",
    ),
    "PLACE_AFTER away from a city": (
        lambda s: not _claim(s),
        "Guns were withdrawn to a base 30 km away from Donetsk.",
        "Guns were withdrawn 30 km away from the contact line.",
    ),
    "PLACE_AFTER from a town": (
        lambda s: not _claim(s),
        "The buffer zone lies 20 km from the town.",
        "The buffer zone is 20 km wide.",
    ),
    "_SIZE_BEFORE": (
        lambda s: not _claim(s),
        "Rebels seized ground in a country of about 600,000 sq km.",
        "Rebels seized about 600 sq km in the country.",
    ),
    "_RUNS_FOR_BEFORE": (
        lambda s: not _claim(s),
        "The line they hold runs for more than 180 km.",
        "They advanced more than 18 km along the line.",
    ),
    "_WIDTH_AFTER": (
        lambda s: _dim(s) == "width",
        "Troops seized a strip 10 km wide.",
        "Troops seized a strip 10 km deep.",
    ),
    "_WIDTH_BEFORE": (
        lambda s: _dim(s) == "width",
        "Troops seized a strip with a width of 10 km.",
        "Troops seized a strip with a depth of 10 km.",
    ),
    "_LENGTH_AFTER": (
        lambda s: _dim(s) == "length",
        "Troops took a stretch 10 km long behind the river.",
        "Troops took a stretch 10 km deep behind the river.",
    ),
    "_DEPTH_AFTER": (
        lambda s: _dim(s) == "depth",
        "Troops pushed 10 km deep.",
        "Troops pushed a 10 km wide wedge.",
    ),
    "_ZONE_AFTER": (
        lambda s: _dim(s) == "width",
        "Both sides agreed a 30 km buffer zone.",
        "Both sides agreed to pull back 30 km.",
    ),
    "_ZONE_OR_PULLBACK": (
        lambda s: ms.zone_extent(s, _q(s)),
        "The security zone must be from 50 to 140 km.",
        "The security zone means guns move back 50 to 140 km.",
    ),
    "_AT_MOST_RE": (
        lambda s: fg.qualifier_detail(s, fg.find_qualifier(s), False) == "at_most",
        "no more than ",
        "more than ",
    ),
}


@pytest.mark.parametrize("rule", sorted(FIGURE_RULES))
def test_figure_rule_fires(rule):
    check, fires, _ = FIGURE_RULES[rule]
    assert check(fires), fires


@pytest.mark.parametrize("rule", sorted(FIGURE_RULES))
def test_figure_rule_near_miss(rule):
    check, _, near_miss = FIGURE_RULES[rule]
    assert not check(near_miss), near_miss


# each qualifier family: a phrase that gives it and a near-miss that does not
QUALIFIER_RULES = [
    ("no more than ", "up_to", "more than "),
    ("не більше ніж ", "up_to", "більше ніж "),
    ("at least ", "at_least", "at "),
    ("щонайменше ", "at_least", "щонайменше в "),
    ("more than ", "more_than", "no more than "),
    ("понад ", "more_than", "над "),
    ("свыше ", "more_than", "выше "),
    ("about ", "about", "about the town, "),
    ("близько ", "about", "близько до "),
    ("около ", "about", "около села "),
    ("nearly ", "up_to", "nearly all of them "),
    ("почти ", "up_to", "почти все "),
    ("less than ", "less_than", "less "),
    ("менее ", "less_than", "менее чем за день "),
    ("exactly ", "exactly", "exact "),
    ("ровно ", "exactly", "ровное "),
]


@pytest.mark.parametrize(("before", "qualifier", "near_miss"), QUALIFIER_RULES)
def test_qualifier_rule_fires_and_near_miss(before, qualifier, near_miss):
    assert fg.find_qualifier(before) == qualifier
    assert fg.find_qualifier(near_miss) != qualifier


def test_conversion_rule_checks_only_a_bracket_right_after():
    s = "Rebels seized 500 sq km (194 sq mi)."
    qs = find_quantities(s)
    assert fg.conversion_warning(s, qs[0], qs[1:]) == (None, qs[1])
    bad = "Rebels seized 500 sq km (300 sq mi)."
    qs = find_quantities(bad)
    assert "conversion mismatch" in fg.conversion_warning(bad, qs[0], qs[1:])[0]
    apart = "Rebels seized 500 sq km, and later 300 sq mi."
    qs = find_quantities(apart)
    assert fg.conversion_warning(apart, qs[0], qs[1:]) == (None, None)


# quantities.py: each alternative of the number pattern and each joining rule
QUANTITY_RULES = {
    "comma thousands": ("1,200 sq km", (1200.0, None, "sq km"), "1,2000 sq km", (1200.0, None, "sq km")),
    "decimal comma": ("1,5 км", (1.5, None, "km"), "1,500 км", (1.5, None, "km")),
    "space thousands": ("1 200 кв. км", (1200.0, None, "sq km"), "1  200 кв. км", (1200.0, None, "sq km")),
    "dot thousands, two groups": ("1.000.000 sq km", (1e6, None, "sq km"), "1.000 sq km", (1e6, None, "sq km")),
    "dot thousands before a Cyrillic unit": (
        "1.000 кв. км",
        (1000.0, None, "sq km"),
        "1.000 sq km",
        (1000.0, None, "sq km"),
    ),
    "number word": ("twelve km", (12.0, None, "km"), "twelvefold km", (12.0, None, "km")),
    "Slavic number word": ("на два километра", (2.0, None, "km"), "на двадцать", (2.0, None, "km")),
    "article is one before a unit": ("a kilometre", (1.0, None, "km"), "a village", (1.0, None, "km")),
    "multiplier": ("1.2 thousand sq km", (1200.0, None, "sq km"), "1.2 sq km", (1200.0, None, "sq km")),
    "Slavic multiplier": ("3 тис. кв. км", (3000.0, None, "sq km"), "3 кв. км", (3000.0, None, "sq km")),
    "hyphen-to range": ("15- to 20-kilometre", (15.0, 20.0, "km"), "15 times a 20-kilometre", (15.0, 20.0, "km")),
    "square kms": ("700 square kms", (700.0, None, "sq km"), "700 squares kms", (700.0, None, "sq km")),
    "hyphen range": ("300-400 sq km", (300.0, 400.0, "sq km"), "300 sq km", (300.0, 400.0, "sq km")),
    "between ... and": (
        "between 300 and 400 sq km",
        (300.0, 400.0, "sq km"),
        "between 300 sq km and 400 people",
        (300.0, 400.0, "sq km"),
    ),
    "від ... до": ("від 50 до 140 км", (50.0, 140.0, "km"), "від 50 осіб до 140 км", (50.0, 140.0, "km")),
    "falling range is a year span": ("2014-15 km", (2014.0, None, "km"), "2014-2015 km", (2014.0, None, "km")),
    "Cyrillic participle before the unit": (
        "3 тисячі звільнених квадратних кілометрів",
        (3000.0, None, "sq km"),
        "3 тисячі звільнених сіл",
        (3000.0, None, "sq km"),
    ),
    "unit after each bound": (
        "600 metres to 1,000 metres",
        (0.6, 1.0, "km"),
        "600 metres and 1,000 metres",
        (0.6, 1.0, "km"),
    ),
}


def _normalised(text: str) -> list[tuple[float, float | None, str]]:
    """(low, high, unit) of every figure, lengths in km, areas in their own unit."""
    out = []
    for q in find_quantities(text):
        f = q.canonical.factor if q.dimension == "length" else 1.0
        name = "km" if q.dimension == "length" else q.canonical.name
        out.append((round(q.value * f, 9), None if q.value_max is None else round(q.value_max * f, 9), name))
    return out


@pytest.mark.parametrize("rule", sorted(QUANTITY_RULES))
def test_quantity_rule_fires(rule):
    fires, expected, _, _ = QUANTITY_RULES[rule]
    assert _normalised(fires)[:1] == [expected], fires


@pytest.mark.parametrize("rule", sorted(QUANTITY_RULES))
def test_quantity_rule_near_miss(rule):
    _, _, near_miss, wrong = QUANTITY_RULES[rule]
    assert wrong not in _normalised(near_miss), near_miss


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,200", 1200.0), ("1,2", 1.2), ("1 200", 1200.0), ("1.000.000", 1e6), ("1.5", 1.5), ("twelve", 12.0)],
)
def test_parse_number_rules(text, value):
    assert qt.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "1,2,3", "twelvefold", "1.2.3"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError, match="not a number"):
        qt.parse_number(text)
