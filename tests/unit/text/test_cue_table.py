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


# --- rules read from the tune split's failures after the set grew to 561 rows (synthetic sentences) --
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # pushing the other side back is the depth of one's own advance
        ("Захисники відтіснили ворога від міста на 10-15 км.", ("distance", "depth")),
        ("Войска оттеснили противника от села на 4 км.", ("distance", "depth")),
        # a retreat forced by the other side, however the verb is phrased
        ("Our troops forced the enemy to retreat 3 km.", ("distance", "depth")),
        ("Після контратак окупанти відступили на 2 км.", ("distance", "depth")),
        ("Защитники заставили противника отступить на три километра.", ("distance", "depth")),
        # a pull-back with its object between "pull" and "back"
        (
            "Rebels said they would pull their fighters back to 12 miles north of the city.",
            ("withdrawal_distance", "withdrawal"),
        ),
        # the no-man's zone a pull-back leaves is the extent of a buffer
        ("After the retreat, a three kilometre no-man zone was created at the line.", ("withdrawal_distance", "width")),
        ("Both sides left a 2-km no-man's land between their posts.", ("withdrawal_distance", "width")),
        # an advance given by its depth and by its length along the front: the length is its breadth
        (
            "Troops advanced five kilometers deep and nine kilometers in length along the front line.",
            ("distance", "depth"),
        ),
    ],
)
def test_rules_from_the_tune_split(sentence, expected):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "i", "expected"),
    [
        (
            "Troops advanced five kilometers deep and nine kilometers in length along the front line.",
            1,
            ("distance", "width"),
        ),
    ],
)
def test_rules_from_the_tune_split_second_figure(sentence, i, expected):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence, i) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a pull-back agreed or ordered, by "forces", is still a withdrawal ("forces" is not "forced")
        ("Under the deal, Russian forces retreated 3 km.", ("withdrawal_distance", "withdrawal")),
        ("За домовленістю окупанти відступили на 2 км.", ("withdrawal_distance", "withdrawal")),
        # pushed away, but the figure says where the fighting is, from a named city
        ("Захисники відтіснили ворога, бої тривають за 25 км від Харкова.", ("", "")),
        # "pull ... out" is not "pull ... back", and the figure only locates a town
        ("Rebels pulled their fighters out of a town 12 miles north of the city.", ("", "")),
        # a no-man's zone placed by a compass bearing from a town: where it is, not how wide
        ("A no-man zone was created 4 km north of the town.", ("", "")),
        # along a named front, the figure stays the depth of the advance
        ("Troops advanced three kilometres along the Kupiansk front.", ("distance", "depth")),
    ],
)
def test_rules_from_the_tune_split_near_misses(sentence, expected):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == expected


def test_bracketed_conversion_with_a_hyphenated_fraction_is_not_a_second_claim():
    from geo.text.extract import extract

    s = "Troops recaptured one square kilometer (around one-third a square mile) near the town last week."
    assert [round(p.value_km2, 3) for p in extract(s, "2023-08-28")] == [1.0]
    # near miss: a second area after the brackets, not inside them, is its own claim
    s = "Troops recaptured one square kilometer (last week) and then another two square kilometers."
    assert len(extract(s, "2023-08-28")) == 2


def test_the_area_fighting_covers_is_ground_fought_over():
    from tests.unit.text.common import kind_dim

    assert kind_dim("Площадь боевых действий составляла около 900 квадратных километров.") == ("area", "")
    assert kind_dim("Площа бойових дій сягнула 300 квадратних кілометрів.") == ("area", "")
    # near miss: the area of a region given for scale
    assert kind_dim("Площадь района составляет около 900 квадратных километров.") == ("", "")


# --- rules from synthetic sentences written for the failure patterns ---------------------
def test_pushed_the_other_side_back_from_a_place_is_a_depth():
    from tests.unit.text.common import kind_dim

    assert kind_dim("The army said it pushed the rebels back 10 km from the capital.") == ("distance", "depth")
    # near miss: the place pushed towards is where the figure points, not how far the push went
    assert kind_dim("The army pushed the rebels towards a town 10 km from the capital.") == ("", "")


def test_russian_participle_of_a_pull_back():
    from tests.unit.text.common import kind_dim

    assert kind_dim("Войска отведены на 30 километров от границы.") == ("withdrawal_distance", "withdrawal")
    # near miss: "отведено" also means land allotted, which is no claim
    assert kind_dim("Под застройку отведено 30 гектаров.") == ("", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "The agreement requires troops to stay at least 10 km from the border.",
        "Troops will be kept no closer than 5 km to the line.",
        "Техніка має бути не ближче ніж 15 км від лінії.",
        "Войска должны находиться не ближе 5 км от границы.",
    ],
)
def test_a_stand_off_kept_by_forces_is_a_pull_back_at_least_that_far(sentence):
    from geo.text.extract import extract
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("withdrawal_distance", "withdrawal")
    (p,) = extract(sentence, "2024-06-01")
    assert p.qualifier_detail == "at_least"


@pytest.mark.parametrize(
    "sentence",
    ["Civilians must stay at least 10 km from the plant.", "Residents live no closer than 5 km to the plant."],
)
def test_stand_off_near_misses_people_kept_from_a_plant(sentence):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("", "")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # forces inside a region named with its compass part
        ("The Israeli army has moved up to 5 kilometres into southern Lebanon.", ("distance", "depth")),
        # the front line itself moved
        ("The front line moved 3 km west in a week.", ("distance", "depth")),
        # the depth of an advance named as a noun
        ("The depth of the Russian breakthrough is about 8 km.", ("distance", "depth")),
        # a pull-back from a town, governed by its verb
        ("Forces withdrew 3 km from the town of Soledar.", ("withdrawal_distance", "withdrawal")),
    ],
)
def test_advances_and_pull_backs_from_synthetic_probes(sentence, expected):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # near miss of "into southern Lebanon": a strike, not forces
        "A drone hit a refinery 30 km into southern Russia.",
        # near miss of "the front line moved": troops marching somewhere
        "The column moved 3 km west in a week.",
        # near misses of "withdrew 3 km from the town": where the place left or seen is
        "Ukrainian troops withdrew from positions 2 km from the village.",
        "The withdrawal of troops from Kherson left the city 30 km from the new front.",
        "Heavy weapons were seen 5 km from the contact line, in violation of the deal.",
        "The OSCE spotted 12 tanks 20 km from the line of contact near Donetsk.",
        "Observers saw artillery 8 km away from the withdrawal line.",
    ],
)
def test_synthetic_probe_near_misses(sentence):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("", "")


def test_observed_pull_back_stays_a_pull_back():
    from tests.unit.text.common import kind_dim

    s = "Observers confirmed that heavy weapons were pulled back 15 km from the line."
    assert kind_dim(s) == ("withdrawal_distance", "withdrawal")


def test_depth_of_a_buffer_zone_is_its_extent_not_an_advance():
    from tests.unit.text.common import kind_dim

    # near miss of "the depth of the breakthrough": a zone's depth is the extent of a buffer
    assert kind_dim("The depth of the buffer zone is about 8 km, the ministry said.") == (
        "withdrawal_distance",
        "width",
    )


@pytest.mark.parametrize(
    "sentence", ["Продвижение составило 3 км за сутки.", "Просування ворога склало 2 км за тиждень."]
)
def test_an_advance_named_as_a_noun_in_russian_and_ukrainian(sentence):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("distance", "depth")


def test_advance_noun_near_miss_a_distance_to_a_city():
    from tests.unit.text.common import kind_dim

    assert kind_dim("Расстояние до города составило 3 км.") == ("", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Withdrawing troops blew up a bridge 3 km outside the town.",
        "Russian troops, pulling back from Kyiv, left mines in villages 30 km from the capital.",
        "The army retreated to Kramatorsk, 20 km to the south.",
        "Отступающие войска взорвали мост в 3 км от города.",
    ],
)
def test_a_thing_or_town_placed_by_its_distance_in_a_pull_back_story_is_no_claim(sentence):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("", "")


@pytest.mark.parametrize(
    ("sentence", "km"),
    [
        # near misses: the pull-back itself, after leaving a town, and a town captured across the border
        ("Russian forces pulled out of the town and moved 20 km east.", 20.0),
        ("Troops captured Khiam, a town 6 km from the border.", 6.0),
    ],
)
def test_thing_at_near_misses(sentence, km):
    from geo.text.extract import extract

    (p,) = extract(sentence, "2024-06-01")
    assert p.value_km == km


@pytest.mark.parametrize(
    "sentence",
    [
        "Служба безпеки затримала диверсантів за 3 км від кордону.",
        "The UN Security Council discussed shelling of a village 5 km from the border.",
        "Мирних жителів евакуювали з сіл у 15-кілометровій смузі від лінії зіткнення.",
        "Жителей эвакуировали из сел в 15 км от линии соприкосновения.",
        "The drone struck 20 km behind the line of contact.",
        "A demilitarised zone was agreed, but shelling continued 3 km from it.",
    ],
)
def test_security_bodies_evacuations_and_strikes_are_no_pull_back(sentence):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == ("", "")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("После эвакуации жителей войска отвели на 15 км от линии.", ("withdrawal_distance", "withdrawal")),
        ("Artillery pulled back 20 km behind the line of contact.", ("withdrawal_distance", "withdrawal")),
        ("Зона безпеки шириною 30 км.", ("withdrawal_distance", "width")),
        ("Совет безопасности одобрил буферную зону шириной 20 км.", ("withdrawal_distance", "width")),
    ],
)
def test_security_evacuation_strike_near_misses(sentence, expected):
    from tests.unit.text.common import kind_dim

    assert kind_dim(sentence) == expected
