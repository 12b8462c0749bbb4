"""Length rules added for issue 18 after the 41-row batch: each rule beside a near miss that must not fire.

Synthetic sentences written for the failure patterns of distances and withdrawal distances (a forced
retreat read as a pull-back, an advance named as a noun in Russian or Ukrainian, a move "N km forward",
forces placed rather than pulled back, a source "from positions N km outside" a town, depth words in
Ukrainian). Each first sentence gave no claim, or the wrong kind, before its rule.
"""

from __future__ import annotations

import pytest

from geo.text import measures as ms
from geo.text.quantities import find_quantities
from tests.unit.text.common import kind_dim


def _first(rule, sentence: str) -> bool:
    return rule(sentence, find_quantities(sentence)[0])


# --- the rules as table rows: the first fires, the second does not --------------------------------
RULES = {
    "forced_back under pressure": (
        ms.forced_back,
        "Ukrainian units retreated 2 km under Russian pressure near Chasiv Yar.",
        "Ukrainian units retreated 2 km to new positions near Chasiv Yar.",
    ),
    "forced_back uk": (
        ms.forced_back,
        "Підрозділи відступили на 3 км під тиском ворога.",
        "Підрозділи відступили на 3 км на нові позиції.",
    ),
    "depth_is_ukru advance noun": (
        ms.depth_is_ukru,
        "Вклинение составило 4 км.",
        "Расстояние составило 4 км.",
    ),
    "depth_is_ukru breadth of a breach": (
        ms.depth_is_ukru,
        "Ширина прорыва составила около 10 км.",
        "Ширина буферной зоны составила около 10 км.",
    ),
    "moved_forward": (
        ms.moved_forward,
        "Russia's troops have moved 7 km forward in the Zaporizhzhia region.",
        "Russia's troops have moved 7 km along the road in the Zaporizhzhia region.",
    ),
    "stationed_at": (
        ms.stationed_at,
        "Troops were stationed 3 km away from the front.",
        "Troops must be stationed at least 3 km away from the front.",
    ),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_length_rule_fires_and_its_near_miss_does_not(name):
    rule, hit, miss = RULES[name]
    assert _first(rule, hit), hit
    assert not _first(rule, miss), miss


# --- what the extractor's rules make of each figure ------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a retreat under the other side's pressure is the depth of that side's advance
        ("Ukrainian units retreated 2 km under Russian pressure near Chasiv Yar.", ("distance", "depth")),
        ("Українські підрозділи відступили на 3 км під тиском ворога.", ("distance", "depth")),
        ("Российские войска отошли на 2 км под натиском ВСУ.", ("distance", "depth")),
        # an advance named as a noun, its depth or its breadth
        ("Вклинение составило 4 км.", ("distance", "depth")),
        ("Вклинення ворога досягло 3 км.", ("distance", "depth")),
        ("Ширина прорыва составила около 10 км.", ("distance", "width")),
        # a move forward given by its length
        ("Russia's troops have moved 7 km forward in the Zaporizhzhia region.", ("distance", "depth")),
        # a bridgehead held, its depth named in Ukrainian or Russian before the figure
        ("Ворог утримує плацдарм завглибшки 2 км.", ("distance", "depth")),
    ],
)
def test_length_rules_give_the_kind_and_dimension(sentence, expected):
    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an agreed or ordered pull-back stays a pull-back
        ("Ukrainian units retreated 2 km to new positions near Chasiv Yar.", ("withdrawal_distance", "withdrawal")),
        # the depth of a zone is a buffer's extent, not an advance
        ("Глибина буферної зони становить 8 км.", ("withdrawal_distance", "width")),
        # a distance to a town, and a road's length, are no claim
        ("Відстань до міста становить 15 км.", ("", "")),
        ("The column moved 7 km along the road.", ("", "")),
        # forces placed somewhere are no pull-back; a stand-off they must keep is one
        ("Troops were stationed 3 km away from the front.", ("", "")),
        ("Troops must remain stationed at least 3 km away from the front.", ("withdrawal_distance", "withdrawal")),
        # the source of a pull-back placed by its distance is where it was; the pull-back itself is a claim
        ("Troops pulled back from positions 2 km outside the town.", ("", "")),
        ("Troops pulled back 2 km outside the town.", ("withdrawal_distance", "withdrawal")),
        # holding positions at a distance from a village locates them
        ("Ворог утримує позиції за 2 км від села.", ("", "")),
        ("Противник удерживает позиции в 3 км от села.", ("", "")),
    ],
)
def test_length_rule_near_misses(sentence, expected):
    assert kind_dim(sentence) == expected


# --- second round: kind confusions and lookalikes in pull-back stories ----------------------------
RULES_2 = {
    "advanced_inside": (
        ms.advanced_inside,
        "Israeli forces have moved up to 15 km beyond the buffer zone into Syrian territory.",
        "Israeli forces hold a buffer zone up to 15 km into Syrian territory.",
    ),
    "travelled": (
        ms.travelled,
        "Беженцы прошли 20 километров до буферной зоны.",
        "Ukrainian units drove 20 km into Russia.",
    ),
    "travelled_into": (
        ms.travelled_into,
        "Українські штурмовики пройшли 5 км углиб оборони ворога.",
        "Біженці пройшли 5 км углиб країни.",
    ),
    "observed_at heard": (
        ms.observed_at,
        "The two sides pulled back heavy weapons, but small arms fire was heard 1 km from the line.",
        "The two sides pulled back heavy weapons 1 km from the line.",
    ),
}


@pytest.mark.parametrize("name", sorted(RULES_2))
def test_second_round_rule_fires_and_its_near_miss_does_not(name):
    rule, hit, miss = RULES_2[name]
    assert _first(rule, hit), hit
    assert not _first(rule, miss), miss


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # forces moving into the other side past a buffer zone: an advance, not a pull-back
        ("Israeli forces have moved up to 15 km beyond the buffer zone into Syrian territory.", ("distance", "depth")),
        # a measure after a named place measures the advance, it does not place the town
        ("The breakthrough near Dobropillia, some 10 km deep, is the largest this year.", ("distance", "depth")),
        ("Українські штурмовики пройшли 5 км углиб оборони ворога.", ("distance", "depth")),
    ],
)
def test_second_round_rules_give_the_kind_and_dimension(sentence, expected):
    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # where a line runs, a journey and a sound heard are no pull-back; the pull-backs beside them are
        ("Кожна зі сторін має відвести техніку, а лінія зіткнення проходить за 2 км від села.", ("", "")),
        ("Сторони відвели техніку на 2 км від лінії зіткнення.", ("withdrawal_distance", "withdrawal")),
        ("Беженцы прошли 20 километров до буферной зоны.", ("", "")),
        ("Ukrainian units drove 20 km into Russia.", ("distance", "depth")),
        ("The two sides pulled back heavy weapons, but small arms fire was heard 1 km from the line.", ("", "")),
        ("The two sides pulled back heavy weapons 1 km from the line.", ("withdrawal_distance", "withdrawal")),
        # a pull-back past a buffer zone stays one; a town placed by its distance from the front stays no claim
        ("Israeli forces pulled back up to 15 km beyond the buffer zone.", ("withdrawal_distance", "withdrawal")),
        ("Russian troops entered Dobropillia, some 10 km from the front.", ("", "")),
        # a shelled village placed inside a region is no advance
        ("Обстріляно село, розташоване за 5 км вглиб території.", ("", "")),
    ],
)
def test_second_round_near_misses(sentence, expected):
    assert kind_dim(sentence) == expected


# --- third round: a spelled fraction, a bare "buffer", forces kept back from a line ------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [("advanced one and a half kilometres", 1.5), ("a two-and-a-half mile strip", 2.5)],
)
def test_spelled_fractions_before_a_unit(text, value):
    assert [q.value for q in find_quantities(text)] == [value]


def test_spelled_fraction_near_miss_without_a_unit():
    assert find_quantities("one and a half million people fled, one and a half hours later") == []


def test_a_bare_buffer_after_the_figure_is_its_width():
    s = "The two sides will each pull back 10 km, creating a 20-km buffer."
    assert kind_dim(s, 1) == ("withdrawal_distance", "width")
    assert kind_dim(s, 0) == ("withdrawal_distance", "withdrawal")  # near miss: the pull-back itself


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Both armies agreed to keep their forces 10 kilometres behind the line.",
            ("withdrawal_distance", "withdrawal"),
        ),
        ("Both armies agreed to keep their forces 10 kilometres from the line.", ("withdrawal_distance", "withdrawal")),
        # near misses: forces kept near a town, and a road kept open
        ("Kyiv wants to keep its troops 10 km from the city of Sumy.", ("", "")),
        ("The army kept 5 km of road open.", ("", "")),
    ],
)
def test_forces_kept_back_from_a_line_keep_a_stand_off(sentence, expected):
    assert kind_dim(sentence) == expected


# --- from the tune rows of the second batch -------------------------------------------------------
def test_a_place_taken_under_control_n_km_from_the_border_is_the_depth():
    hit = "The army had established control over the gas hub, which is about 8 kilometers from the border."
    assert kind_dim(hit) == ("distance", "depth")
    assert kind_dim("Shelling hit the gas hub, which is about 8 kilometers from the border.") == ("", "")


def test_a_length_spelled_again_after_or_in_another_unit_is_one_claim():
    from geo.text.extract import extract

    hit = extract("Troops had advanced as much as 10 kilometers or 6 miles into Russian territory.", "2024-08-08")
    assert [(p.kind, p.value, p.unit) for p in hit] == [("distance", 10.0, "kilometers")]
    # near miss: figures that disagree after "or" are two figures, not a conversion
    miss = extract("Troops had advanced 10 kilometers or 30 miles into Russian territory.", "2024-08-08")
    assert len(miss) == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("«Обследовано 30 гектаров территории и изъято 158 взрывоопасных предметов», — говорится в сообщении.", ""),
        ("Sappers surveyed 12 hectares of territory near the village.", ""),
        # near miss: ground taken is an area claim
        ("Troops liberated 12 hectares of territory near the village.", "area"),
    ],
)
def test_an_area_searched_for_mines_is_no_claim(sentence, expected):
    assert kind_dim(sentence)[0] == expected


# --- from the remaining tune failures of the first batch and the older rows ----------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Under the deal the militia would retreat from the areas south of the Zahrani River, which runs some "
            "20 km north of the border.",
            ("withdrawal_distance", "withdrawal"),
        ),
        # near misses: people fleeing behind the river, and the river's course alone
        ("Refugees fled south of the Litani River, which runs some 30 km north of the border.", ("", "")),
        ("The river runs some 30 km north of the border.", ("", "")),
    ],
)
def test_a_pull_back_behind_a_river_given_by_its_distance_from_the_border(sentence, expected):
    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Отже, відстань між військами буде щонайменше 3 км.", ("withdrawal_distance", "width")),
        ("The distance between the two armies must be at least 2 km.", ("withdrawal_distance", "width")),
        # near misses: a gap with no minimum, and a minimum between villages
        ("Таким образом расстояние между ними будет 2 км.", ("", "")),
        ("Расстояние между селами не менее 2 км.", ("", "")),
    ],
)
def test_a_minimum_gap_between_the_sides_is_a_buffer_width(sentence, expected):
    assert kind_dim(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Maps show about 40 square kilometers of the district as contested.", "area"),
        ("Близько 12 кв. км залишаються сірою зоною.", "area"),
        # near miss: the size of a disputed region given for scale
        ("The disputed region of Kashmir covers 222,000 sq km.", ""),
    ],
)
def test_ground_fought_over_as_disputed_or_grey_zone(sentence, expected):
    assert kind_dim(sentence)[0] == expected


# --- kind confusions in pull-back stories: advances beside a line, a zone or a withdrawal --------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # forces pushing past a line of contact advance; pulling back past it is a pull-back
        ("Russian troops have pushed 5 km beyond the line of contact near Donetsk.", ("distance", "depth")),
        ("After crossing the disengagement line, Israeli tanks pushed 5 km deeper into Syria.", ("distance", "depth")),
        (
            "Russian troops have pulled back 5 km beyond the line of contact near Donetsk.",
            ("withdrawal_distance", "withdrawal"),
        ),
        # ground taken given as a length; a village taken beyond the line is placed, not measured
        ("Pro-Russian forces seized 2 km of territory beyond the line of separation.", ("distance", "depth")),
        ("Pro-Russian forces seized a village 2 km beyond the line of separation.", ("", "")),
        # a withdrawal after the other side's counterattack, or under its blows, is that side's depth
        ("Russian units withdrew 2 km after Ukrainian counterattacks near Kupiansk.", ("distance", "depth")),
        ("Противник отошел на 3 км после контрудара.", ("distance", "depth")),
        ("The enemy retreated 2 km under the blows of our troops.", ("distance", "depth")),
        ("Russian units withdrew 2 km after the ceasefire near Kupiansk.", ("withdrawal_distance", "withdrawal")),
        ("Противник отошел на 3 км согласно договоренностям.", ("withdrawal_distance", "withdrawal")),
        # an intrusion that has not been pulled back is an advance
        ("Chinese troops who intruded 3 km into Indian territory have not pulled back.", ("distance", "depth")),
        (
            "The Chinese PLA has come 4 km inside the Indian side of the LAC and refuses to withdraw.",
            ("distance", "depth"),
        ),
    ],
)
def test_advances_beside_pull_back_cues(sentence, expected):
    assert kind_dim(sentence) == expected


# --- places left in a pull-back story, placed by a relative clause -------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Thai troops withdrew from the temple, which lies 500 metres from the border.", ("", "")),
        ("Отвод войск состоялся у села, в 5 км от которого проходит линия соприкосновения.", ("", "")),
        # near misses: the pull-back itself, a line forces go behind, and a point taken across the border
        ("Thai troops withdrew 500 metres from the border.", ("withdrawal_distance", "withdrawal")),
        (
            "Hezbollah must withdraw from areas south of the Litani River, located approximately 30 kilometers "
            "north of the Israeli border.",
            ("withdrawal_distance", "withdrawal"),
        ),
        ("Troops captured the temple, which lies 500 metres from the border.", ("distance", "depth")),
        ("Отвод войск на 5 км от линии соприкосновения завершен.", ("withdrawal_distance", "withdrawal")),
    ],
)
def test_a_place_left_is_placed_not_measured(sentence, expected):
    assert kind_dim(sentence) == expected
