"""Rules read from the tune split's failures after the set grew to 516 rows: pull-back and
encroachment verbs, the breadth of a front, a country's own area, a comparison that is no
qualifier, "another square kilometre".

Each rule has a sentence that fires and a near miss that must not (synthetic sentences).
"""

from __future__ import annotations

import pytest

from geo.text import figures as fg
from geo.text.extract import extract
from tests.unit.text.common import kind_dim


# --- "отошли ... на 10 километров": a pull-back however far the verb is from the figure -------
def test_russian_moved_back_is_a_pull_back():
    s = "Войска отошли от линии фронта по меньшей мере на 5 километров."
    assert kind_dim(s) == ("withdrawal_distance", "withdrawal")
    (p,) = extract(s, "2024-01-10")
    assert (p.value_km, p.qualifier_detail) == (5.0, "at_least")


def test_russian_moved_back_near_miss_a_place_north_of_a_town():
    # the same verb, but the figure only locates a village
    assert kind_dim("Войска отошли к селу в 5 километрах севернее Изюма.") == ("", "")


# --- "encroached 200 metres into ... territory": the depth of an advance --------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "The trenches encroached 200 metres into Thai territory.",
        "Border guards encroached about 1.5 km into the neighbouring country's territory.",
    ],
)
def test_encroachment_into_territory_is_a_depth(sentence):
    assert kind_dim(sentence) == ("distance", "depth")


def test_encroachment_near_miss_a_fence_length():
    assert kind_dim("A 200-metre fence encroached on the pasture.") == ("", "")


# --- "the frontline is 8.5 kilometres wide": the breadth of an advance ----------------------
@pytest.mark.parametrize(
    "sentence, value",
    [
        ("The frontline is 8.5 kilometres wide, he added.", 8.5),
        ("The breach was about 3 km wide.", 3.0),
    ],
)
def test_breadth_of_the_front_is_a_width(sentence, value):
    assert kind_dim(sentence) == ("distance", "width")
    (p,) = extract(sentence, "2022-09-16")
    assert p.value_km == value


@pytest.mark.parametrize(
    "sentence",
    [
        "The frontline is 1,000 kilometres long.",  # a front's length is no claim
        "The river is 8.5 kilometres wide here.",  # a breadth, but not of a front
    ],
)
def test_breadth_of_the_front_near_misses(sentence):
    assert kind_dim(sentence) == ("", "")


# --- "the country's total area has increased from X to Y sq km": no claim ---------------------
def test_a_countrys_own_area_is_no_claim_even_as_a_range():
    s = "Officials said the country’s total area has increased from 147,181 sq km to 147,516 sq km after the new map."
    assert extract(s, "2020-05-20") == []


def test_a_countrys_own_area_near_miss_ground_taken_from_it():
    s = "Troops seized 335 sq km of the country’s territory."
    (p,) = extract(s, "2020-05-20")
    assert (p.kind, p.value_km2) == ("area", 335.0)


# --- "well above the 584 sq km": a comparison, not a qualifier ---------------------------------
@pytest.mark.parametrize(
    "before",
    ["taken well above the ", "more than the ", "far below the ", "seized beyond the "],
)
def test_a_comparison_with_a_figure_is_no_qualifier(before):
    assert fg.find_qualifier(before) == ""


@pytest.mark.parametrize(
    "before, expected",
    [("seized more than ", "more_than"), ("took over ", "more_than"), ("just under ", "less_than")],
)
def test_comparison_near_miss_the_plain_qualifier_stays(before, expected):
    assert fg.find_qualifier(before) == expected


def test_comparison_end_to_end():
    s = "Moscow has taken 1,246 sq km this year, well above the 584 sq km seized in 2023."
    got = [(p.value_km2, p.qualifier_detail) for p in extract(s, "2024-07-31")]
    assert got == [(1246.0, ""), (584.0, "")]


# --- "another square kilometre": the figure 1 -------------------------------------------------
def test_another_square_kilometre_is_one():
    s = "Last week another square kilometre was liberated there, bringing the total to 44 square kilometres."
    assert [p.value_km2 for p in extract(s, "2023-06-01")] == [1.0, 44.0]


def test_another_near_miss_another_figure_keeps_its_value():
    s = "The troops moved back another 2 km from the line."
    (p,) = extract(s, "2023-06-01")
    assert (p.kind, p.value_km) == ("withdrawal_distance", 2.0)


# --- "деокупували майже 6 тисяч квадратних кілометрів": de-occupation is ground changing hands ---
def test_ukrainian_de_occupation_is_a_territory_cue():
    (p,) = extract("Бійці деокупували майже 6 тисяч квадратних кілометрів.", "2022-09-12")
    assert (p.kind, p.value_km2, p.qualifier_detail) == ("area", 6000.0, "up_to")


def test_de_occupation_near_miss_an_oblast_area():
    assert extract("Площа області становить 26 517 квадратних кілометрів.", "2022-09-12") == []


# --- patterns the issue names, probed with synthetic sentences ---------------------------------
# depth vs width: "along a 40 km wide front" is the breadth of the advance, not a front's length
def test_wide_front_of_an_advance_is_a_width():
    s = "Ukrainian troops advanced 12 km deep along a 40 km wide front."
    assert [(p.value_km, p.dimension) for p in extract(s, "2023-06-01")] == [(12.0, "depth"), (40.0, "width")]


def test_wide_front_near_miss_a_long_front():
    s = "Ukrainian troops advanced 12 km deep along a 1,000 km long front."
    assert [(p.value_km, p.dimension) for p in extract(s, "2023-06-01")] == [(12.0, "depth")]


# two lengths of one advance, each with its own dimension, and no other territory word
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The breakthrough was 15 km deep and 30 km wide.", [(15.0, "depth"), (30.0, "width")]),
        ("The bridgehead is 10 km wide and 4 km deep.", [(10.0, "width"), (4.0, "depth")]),
    ],
)
def test_depth_and_width_of_one_advance(sentence, expected):
    got = [(p.kind, p.value_km, p.dimension) for p in extract(sentence, "2023-06-01")]
    assert got == [("distance", v, d) for v, d in expected]


def test_depth_and_width_near_miss_a_river():
    assert extract("The river is 8 km wide and 3 m deep.", "2023-06-01") == []


# a buffer or security zone "extending N km into" a country: its extent across the line
def test_zone_extending_into_a_country_is_its_width():
    (p,) = extract("Israel wants a security zone extending 15 km into Syria.", "2025-02-01")
    assert (p.kind, p.value_km, p.dimension) == ("withdrawal_distance", 15.0, "width")


def test_zone_extending_near_miss_a_length_along_the_line():
    assert extract("The buffer zone stretches for 180 km along the island.", "2025-02-01") == []


# "no more than" with a preposition before the figure: at most, never more_than
@pytest.mark.parametrize(
    "sentence",
    ["Войска продвинулись не более чем на 3 км.", "Підрозділи просунулися не більше ніж на 3 км."],
)
def test_no_more_than_before_a_preposition_is_at_most(sentence):
    (p,) = extract(sentence, "2024-06-01")
    assert (p.value_km, p.qualifier, p.qualifier_detail) == (3.0, "up_to", "at_most")


@pytest.mark.parametrize(
    "sentence", ["Войска продвинулись более чем на 3 км.", "Підрозділи просунулися більше ніж на 3 км."]
)
def test_no_more_than_near_miss_more_than_stays(sentence):
    (p,) = extract(sentence, "2024-06-01")
    assert p.qualifier_detail == "more_than"


# a move away from a disputed line or area: a pull-back even without "back"
def test_moving_posts_from_a_disputed_area_is_a_pull_back():
    s = "The two sides agreed to move border posts 3 kilometers from the disputed area."
    assert kind_dim(s) == ("withdrawal_distance", "withdrawal")


@pytest.mark.parametrize(
    "sentence",
    [
        "The army moved 20 km north of the city.",  # a move located by a compass word
        "The column moved 20 km from the border overnight and attacked.",  # from the border: either way
    ],
)
def test_moving_near_misses(sentence):
    assert kind_dim(sentence) == ("", "")


# "відкинули ворога на 2 км", "отбросили противника на 3 км": the depth of the push
@pytest.mark.parametrize(
    "sentence",
    ["ЗСУ відкинули ворога на 2 км від Куп'янська.", "ВСУ отбросили противника на 3 км от Харькова."],
)
def test_pushing_the_enemy_back_is_a_depth(sentence):
    assert kind_dim(sentence) == ("distance", "depth")


def test_pushing_back_near_miss_a_village_north_of_a_city():
    assert kind_dim("Ворога відкинули від села, що за 5 км на північ від Харкова.") == ("", "")


# a zone that "extends 2 km on either side of the line": a pull-back per side, not a length along it
def test_zone_extending_per_side_is_a_pull_back():
    s = "The demilitarised zone extends 2 km on either side of the line."
    assert kind_dim(s) == ("withdrawal_distance", "withdrawal")


def test_zone_extending_near_miss_along_the_line():
    assert kind_dim("The demilitarised zone extends 240 km along the line.") == ("", "")


# "Успехи ... составили около 12,5 квадратных километра": gains measured as an area
def test_gains_named_as_successes_are_an_area():
    (p,) = extract("Успехи на стыке трех регионов составили около 12,5 квадратных километра.", "2025-08-01")
    assert (p.kind, p.value_km2, p.qualifier_detail) == ("area", 12.5, "about")


def test_successes_near_miss_a_border_length():
    assert extract("Успех переговоров: граница длиной 970 км будет демаркирована.", "2025-08-01") == []


# --- lengths in a pull-back or zone story that are no pull-back --------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "The demilitarized zone is 4 km wide and 250 km long.",
        "The buffer zone runs along a 1,200 km stretch of the border.",
        "The UN force patrols the 121-km Blue Line after Israel's withdrawal in 2000.",
        "Буферна зона протяжністю 100 км пройде вздовж кордону.",
    ],
)
def test_a_zone_or_line_along_itself_is_no_pull_back(sentence):
    assert [p.value_km for p in extract(sentence, "2024-06-01") if p.value_km > 10] == []


def test_zone_length_near_miss_its_breadth_stays():
    s = "The security zone, 180 km long and up to 7 km wide, is patrolled by the UN."
    assert [(p.value_km, p.dimension) for p in extract(s, "2024-06-01")] == [(7.0, "width")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hezbollah rockets have a range of 40 km, officials said as the pullback began.",
        "Troops withdrew as artillery with a range of 30 km kept firing.",
    ],
)
def test_a_weapons_reach_is_no_claim(sentence):
    assert extract(sentence, "2024-06-01") == []


def test_reach_near_miss_guns_pulled_back_by_their_range():
    (p,) = extract("Guns with a 30 km range were pulled back 15 km.", "2024-06-01")
    assert (p.kind, p.value_km) == ("withdrawal_distance", 15.0)


@pytest.mark.parametrize(
    "sentence",
    [
        "Отвод войск начался в Золотом, в 60 км от Луганска.",
        "Відведення військ почалося в Станиці Луганській, за 20 км від Луганська.",
    ],
)
def test_a_distance_from_a_named_place_is_no_pull_back_in_ukrainian_or_russian(sentence):
    assert extract(sentence, "2019-10-29") == []


def test_named_place_near_miss_from_the_line_of_contact():
    (p,) = extract("Войска отвели на 2 км от линии соприкосновения.", "2019-10-29")
    assert (p.kind, p.value_km) == ("withdrawal_distance", 2.0)


def test_the_places_a_measure_covers_are_no_pull_back():
    s = "Evacuations continued in villages up to 10 km from the border as the troops pulled back."
    assert extract(s, "2024-06-01") == []


def test_places_covered_near_miss_troops_up_to_the_border():
    (p,) = extract("Troops pulled back up to 10 km from the border.", "2024-06-01")
    assert (p.kind, p.value_km, p.qualifier) == ("withdrawal_distance", 10.0, "up_to")


# --- how far forces are inside the other side: the depth of the advance -----------------------
@pytest.mark.parametrize(
    "sentence, km",
    [
        ("Ukrainian troops are now 30 km inside Russia.", 30.0),
        ("Ukrainian soldiers crossed the border and are operating 15 km inside Russian territory.", 15.0),
        ("The IDF has established positions up to 5 km inside Lebanon.", 5.0),
        ("Ukraine's forces broke through Russian lines to a depth of 8 km.", 8.0),
    ],
)
def test_forces_inside_the_other_side_are_a_depth(sentence, km):
    (p,) = extract(sentence, "2024-08-12")
    assert (p.kind, p.value_km, p.dimension) == ("distance", km, "depth")


@pytest.mark.parametrize(
    "sentence",
    [
        "The village lies 30 km inside Russia.",  # no forces
        "Ukraine's drones struck targets 1,000 km inside Russia, the army said.",  # a target, not the forces
        "Ukrainian forces shot down a drone 20 km inside Ukraine.",  # a drone, not the forces
    ],
)
def test_forces_inside_near_misses(sentence):
    assert extract(sentence, "2024-08-12") == []


@pytest.mark.parametrize(
    "sentence",
    ["ВСУ зашли на 10 километров вглубь Курской области.", "Russian forces entered 5 km deep into Kharkiv region."],
)
def test_entering_n_km_is_a_depth(sentence):
    assert kind_dim(sentence) == ("distance", "depth")


def test_entering_near_miss_entered_a_town_n_km_from_a_city():
    assert extract("Russian forces entered a town 90 km from Kyiv.", "2022-02-25") == []


def test_a_stretch_of_a_road_is_no_claim():
    assert extract("Russian forces captured a 3-kilometre stretch of the highway.", "2024-06-01") == []


def test_stretch_near_miss_a_stretch_of_ground():
    (p,) = extract("Russian forces captured a 3-kilometre stretch of the front near the river.", "2024-06-01")
    assert p.value_km == 3.0


# --- a place, then its distance from the border, in a pull-back story: where the place is -------
@pytest.mark.parametrize(
    "sentence",
    [
        "Israeli troops withdrew from Khiam, a town 6 km from the border.",
        "Israeli forces pulled out of Naqoura, about 2 km from the border.",
        "Israeli forces withdrew from the town of Bint Jbeil, which is 4 km from the border.",
        "Russian troops withdrew from Kherson city, which lies about 100 km from the Crimean border.",
        "After the withdrawal, Russian forces shelled Kharkiv, 30 km from the border.",
    ],
)
def test_a_place_by_the_border_in_a_pull_back_story_is_no_claim(sentence):
    assert extract(sentence, "2024-12-12") == []


@pytest.mark.parametrize(
    "sentence, km",
    [
        ("Hezbollah must withdraw its fighters 30 km from the border.", 30.0),
        ("The troops withdrew to a line 20 km from the border.", 20.0),
        (
            "Hezbollah will withdraw from areas south of the Litani River, located about 30 km north of the border.",
            30.0,
        ),
    ],
)
def test_place_by_the_border_near_misses_a_pull_back_to_a_line(sentence, km):
    (p,) = extract(sentence, "2024-12-12")
    assert (p.kind, p.value_km) == ("withdrawal_distance", km)


# --- figures as the press writes them: "на кілометр", "half a kilometre", "moved forward", "відвоювала" ---
@pytest.mark.parametrize(
    "sentence, km",
    [
        ("Війська просунулися на кілометр.", 1.0),
        ("Войска продвинулись ещё на километр.", 1.0),
        ("Russian troops advanced half a kilometre.", 0.5),
        ("Russian forces moved forward 800 meters in the area of Krynky.", 0.8),
        ("Україна відвоювала ще 2 км.", 2.0),
    ],
)
def test_press_forms_of_an_advance(sentence, km):
    (p,) = extract(sentence, "2024-06-01")
    assert (p.kind, round(p.value_km, 3), p.dimension) == ("distance", km, "depth")


@pytest.mark.parametrize(
    "sentence",
    [
        "Війська стоять за кілометр від міста.",  # "за кілометр від": a location, not "на"
        "Росіяни збудували на кілометрах траншей нові укріплення.",  # plural: no figure
        "Russian forces moved forward and shelled a town 800 meters from the river.",  # the verb does not govern
    ],
)
def test_press_forms_near_misses(sentence):
    assert extract(sentence, "2024-06-01") == []
