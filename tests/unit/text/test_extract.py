"""Tests of the extractor: proposals, sentences, kinds and negatives, actors, places, several claims per sentence."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo import schema
from geo.text import (
    JSON_KEYS,
    LEGACY_JSON_KEYS,
    Gazetteer,
    extract,
    split_sentences,
)
from geo.units import KM2_PER_SQ_MI
from tests.unit.text.common import ROOT, SEED, SEED_PUBLISHED, one


def test_seed_sentence_full_expectation():
    p = one(SEED)
    assert p.kind == "area"
    assert p.value == 500
    assert p.value_km2 == 500
    assert p.value_km is None
    assert p.unit == "sq km"
    assert p.qualifier == "more_than"
    assert p.reference == "agreed separation lines"
    assert p.reference_line == schema.LINE_MINSK_2014
    assert p.actor == "Kiev"
    assert p.target == "separatists"
    assert p.event_date == dt.date(2015, 1, 20)
    assert p.warnings == []  # 194 sq mi = 502.5 km2, consistent with 500
    assert SEED[p.span[0] : p.span[1]] == "500 sq km"
    d = p.to_json_dict()
    assert tuple(d) == JSON_KEYS and tuple(d)[:13] == LEGACY_JSON_KEYS  # keys added after the 13, none renamed
    assert d["event_date"] == "2015-01-20"


def test_json_dict_types_and_missing_values():
    p = one(SEED)
    d = json.loads(json.dumps(p.to_json_dict()))
    assert d["value_km"] is None
    assert d["places"] == []
    q = one("Rebels seized 500 sq km, Kiev said.", "2015-01-21")
    assert q.to_json_dict()["event_date"] is None


# --- sentences ---------------------------------------------------------------------
def test_split_sentences_keeps_abbreviations():
    text = (
        "Mr. Lavrov met Gen. Muzhenko in the U.S. capital on Jan. 20. "
        "Rebels took 500 sq. km. of land. Kiev disagreed! Was it 30 km. wide? Yes."
    )
    parts = [text[a:b] for a, b in split_sentences(text)]
    assert parts == [
        "Mr. Lavrov met Gen. Muzhenko in the U.S. capital on Jan. 20.",
        "Rebels took 500 sq. km. of land.",
        "Kiev disagreed!",
        "Was it 30 km. wide?",
        "Yes.",
    ]


def test_extract_reports_sentence_offsets_in_text():
    text = "Fighting went on. " + SEED + ". Fifty people were killed."
    props = extract(text, SEED_PUBLISHED)
    assert len(props) == 1
    p = props[0]
    assert text[p.start : p.end].startswith("Kiev accused")
    assert p.sentence == text[p.start : p.end]


# --- kinds and negatives -------------------------------------------------------------
def test_withdrawal_distance_and_reference_line_by_date():
    text = "Heavy weapons must be pulled back 15 km from the line of contact."
    early = one(text, "2015-01-10")
    late = one(text, "2015-03-01")
    assert early.kind == late.kind == "withdrawal_distance"
    assert early.value_km == 15
    assert early.reference == "line of contact"
    assert early.reference_line == schema.LINE_CONTACT_2015_01
    assert late.reference_line == schema.LINE_CONTACT_2015_02
    # the event date, when stated, decides the line
    stated = one("On 10 February heavy weapons were pulled back 15 km from the contact line.", "2015-03-01")
    assert stated.event_date == dt.date(2015, 2, 10)
    assert stated.reference_line == schema.LINE_CONTACT_2015_01


@pytest.mark.parametrize(
    "phrase",
    ["the Minsk lines", "the September line", "the demarcation line", "the 19 September line"],
)
def test_minsk_aliases(phrase):
    p = one(f"Separatists hold 300 sq km beyond {phrase}, Kiev said.", "2015-01-21")
    assert p.reference_line == schema.LINE_MINSK_2014
    assert p.event_date is None  # "19 September" names the line, not the event


def test_aliases_can_be_passed_in():
    rows = [{"phrase": "grey zone edge", "line_id": schema.LINE_MINSK_2014}]
    p = one("Rebels seized 40 sq km beyond the grey zone edge.", aliases=rows)
    assert (p.reference, p.reference_line) == ("grey zone edge", schema.LINE_MINSK_2014)


@pytest.mark.parametrize(
    "text",
    [
        "The conflict has killed more than 4,800 people since April.",
        "Howitzers of 152 mm calibre and 100 mm anti-tank guns were seen near the front line.",
        "Washington approved $61 billion in new aid last month.",
        "Russia controls about 18 percent of Ukraine.",
        "Some 28 settlements have been liberated this month, he added.",
        "Ukraine was losing up to 2,000 soldiers per day.",
        "Russia said its forces captured the village of Memryk, roughly 15 miles (24 km) southeast of Pokrovsk.",
        "The 1,200 km border runs through the steppe.",
        "The separatists seized more territory in 2014 and 2015.",
        "The exclusion zone covers 2,600 sq km around the plant.",
        "",
    ],
)
def test_negatives(text):
    assert extract(text, "2024-05-31") == []


def test_actor_and_target():
    p = one("Ukraine's military said on Monday that Russian forces had seized 50 sq km near Bakhmut.", "2023-05-10")
    assert (p.actor, p.target) == ("Ukrainian military", "Russian military")
    q = one("According to NATO, rebels captured 200 sq km last week.", "2015-01-21")
    assert (q.actor, q.target) == ("NATO", "rebels")
    r = one("More than 500 sq km were seized by the separatists, Poroshenko said.", "2015-01-21")
    assert (r.actor, r.target) == ("Poroshenko", "separatists")


# --- places ----------------------------------------------------------------------------
GAZ = [
    {"name": "Debaltseve", "name_alt": "Debaltsevo", "lon": 38.40, "lat": 48.34, "oblast": "UA-14"},
    {"name": "Donetsk", "name_alt": "", "lon": 37.80, "lat": 48.02, "oblast": "UA-14"},
    {"name": "Holubivka", "name_alt": "Kirovsk", "lon": 38.64, "lat": 48.64, "oblast": "UA-09"},
    {"name": "Holubivka", "name_alt": "", "lon": 30.0, "lat": 50.0, "oblast": "UA-32"},
]


def test_places_from_gazetteer_fixture():
    g = Gazetteer.from_records(GAZ)
    p = one(
        "Rebels seized 30 sq km around Debaltsevo and Holubivka, north of the Donetsk People's Republic.",
        gazetteer=g,
    )
    assert p.places == [
        {"name": "Debaltseve", "lon": 38.40, "lat": 48.34},
        {"name": "Holubivka", "lon": 38.64, "lat": 48.64},  # the front-line one
    ]
    assert one("Rebels seized 30 sq km, said a donetsk resident.", gazetteer=GAZ).places == []


def test_default_gazetteer_loads_when_present():
    assert (ROOT / "data" / "theatres" / "donbas-2014-15" / "settlements.csv").exists()
    p = one("Rebels seized 30 sq km around Debaltseve.")
    assert [x["name"] for x in p.places] == ["Debaltseve"]
    assert 48 < p.places[0]["lat"] < 49


def test_unknown_named_speaker_is_the_actor():
    p = one("Asryan said Azeri troops seized 60 square kilometers near Jermuk.", "2023-04-28")
    assert p.actor == "Asryan"
    q = one("Rough estimates put it at 200 square kilometers under Azerbaijani control, Mirzoyan said.")
    assert q.actor == "Mirzoyan"


def test_linear_time_on_long_runs_of_punctuation():
    """CPU time grows linearly with a run of punctuation (ratio 40 kB / 4 kB, not a wall-clock budget)."""
    import time

    def cpu(n: int) -> float:
        start = time.process_time()
        found = extract("." * n + " Rebels seized 5 sq km.", "2015-01-21")
        extract("!?" * (n // 2), "2015-01-21")
        assert [p.value_km2 for p in found] == [5]
        return time.process_time() - start

    cpu(4000)  # warm
    assert cpu(40000) / max(min(cpu(4000), cpu(4000)), 1e-4) < 30


def test_reference_phrase_kept_when_no_line_in_force():
    p = one("Russian forces advanced 2 km along the front line, Ukraine's military said.", "2024-05-31")
    assert (p.reference, p.reference_line) == ("front line", "")
    assert p.kind == "distance" and p.value_km == 2


def test_gazetteer_as_dataframe_and_aliases_as_path(tmp_path):
    import pandas as pd

    path = tmp_path / "aliases.csv"
    path.write_text("phrase,line_id,valid_from,valid_to,note\nold line,minsk_2014_09_19,,,\n", encoding="utf-8")
    frame = pd.DataFrame(GAZ)
    p = one("Rebels seized 12 sq km beyond the old line near Debaltseve.", aliases=path, gazetteer=frame)
    assert p.reference_line == schema.LINE_MINSK_2014
    assert [x["name"] for x in p.places] == ["Debaltseve"]


def test_bad_alias_file_names_row_and_field(tmp_path):
    from geo.errors import DataFileError

    path = tmp_path / "aliases.csv"
    path.write_text("phrase,line_id\nsome line,no_such_line\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="row 2, field 'line_id'"):
        extract("Rebels seized 12 sq km beyond some line.", "2015-01-21", aliases=path)


# --- issue 18: intervals, qualifiers, dimensions, periods, several claims per sentence -----------------
@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("Rebels seized between 300 and 400 sq km of territory.", 300, 400),
        ("Rebels seized 300-400 km² of territory.", 300, 400),
        ("Rebels seized 300–400 square kilometres of territory.", 300, 400),
        ("Troops advanced from 10 to 15 km towards the town.", 10, 15),
        ("Troops advanced eight to nine kilometers towards the town.", 8, 9),
        ("Войска продвинулись на 5-7 км.", 5, 7),
    ],
)
def test_range_is_an_interval_with_the_range_qualifier(text, lo, hi):
    p = one(text)
    assert (p.value_min, p.value_max, p.qualifier_detail) == (lo, hi, "range")
    d = p.to_json_dict()
    assert (d["value_min"], d["value_max"], d["qualifier_detail"]) == (lo, hi, "range")


@pytest.mark.parametrize(
    ("words", "detail"),
    [
        ("no more than", "at_most"),
        ("not more than", "at_most"),
        ("at most", "at_most"),
        ("no less than", "at_least"),
        ("more than", "more_than"),
        ("nearly", "up_to"),
        ("almost", "up_to"),
        ("roughly", "about"),
        ("exactly", "exact"),
        ("", ""),
    ],
)
def test_qualifier_vocabulary(words, detail):
    p = one(f"Troops advanced {words} 10 km towards the town.".replace("  ", " "))
    assert p.qualifier_detail == detail
    assert p.value_km == 10
    assert p.qualifier in schema.QUALIFIERS  # the stored vocabulary, never inverted
    if detail == "at_most":
        assert p.qualifier == "up_to"


@pytest.mark.parametrize(
    ("phrase", "km2"),
    [
        ("two thousand square kilometers", 2000),
        ("a dozen sq km", 12),
        ("2,000 hectares (20 sq km)", 20),
        ("5,000 acres", 5000 * 0.0040468564224),
        ("3 sq. km.", 3),
        ("1 000 km²", 1000),
        ("10 square miles (26 sq km)", 10 * KM2_PER_SQ_MI),
    ],
)
def test_more_area_spellings_read_once(phrase, km2):
    found = extract(f"Rebels seized {phrase} of territory.", SEED_PUBLISHED)
    assert len(found) == 1, [(p.value, p.unit) for p in found]
    assert found[0].value_km2 == pytest.approx(km2, rel=1e-9)


@pytest.mark.parametrize(
    ("text", "km", "qualifier"),
    [
        ("Both armies moved back over a kilometre from the clash site.", 1, "more_than"),
        ("Troops advanced 5 kms towards the town.", 5, ""),
        ("Troops advanced a kilometre towards the town.", 1, ""),
    ],
)
def test_article_and_plural_length_units(text, km, qualifier):
    p = one(text)
    assert p.value_km == km and p.qualifier_detail == qualifier


@pytest.mark.parametrize(
    "text",
    [
        "The village lies 30 km away from Donetsk, where the withdrawal of heavy weapons began.",
        "Shelling hit a town 20 kilometers from the buffer zone.",
        "Troops dug 40 kilometres of trenches along the river.",
        "The distance between Kharkiv and Kyiv is about 480 km.",
        "The army's budget rose by 300 million hryvnias to secure 50 km of road.",
        "Most of the buildings destroyed are located within one kilometre of the buffer zone.",
    ],
)
def test_numbers_without_a_territorial_claim_give_nothing(text):
    assert extract(text, SEED_PUBLISHED) == []


def test_depth_and_width_are_two_claims_with_their_dimension():
    text = "Ukrainian forces pushed 12 km deep and 40 km wide into the Russian lines."
    found = extract(text, SEED_PUBLISHED)
    assert [(p.value_km, p.dimension) for p in found] == [(12, "depth"), (40, "width")]
    assert [text[p.start + p.span[0] : p.start + p.span[1]] for p in found] == ["12 km", "40 km"]


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("Troops advanced 10 km towards the town.", "depth"),
        ("A 15-km-wide buffer zone was agreed.", "width"),
        ("Both sides would pull back heavy arms 15 kilometers from the line.", "withdrawal"),
    ],
)
def test_dimension_of_a_length(text, dimension):
    assert one(text).dimension == dimension


def test_several_claims_in_one_sentence_each_with_its_span():
    text = "In Pangong Tso, the area under Chinese control is 65 square kilometre, whereas in Chushul it is 20 square kilometre."
    found = extract(text, "2020-09-01")
    assert [p.value_km2 for p in found] == [65, 20]
    assert [text[p.span[0] : p.span[1]] for p in found] == ["65 square kilometre", "20 square kilometre"]
    assert len({p.span for p in found}) == 2


def test_seed_sentence_still_exactly_one_claim():
    found = extract(SEED, SEED_PUBLISHED)
    assert len(found) == 1
    p = found[0]
    assert (p.value_km2, p.qualifier, p.event_date) == (500, "more_than", dt.date(2015, 1, 20))


@pytest.mark.parametrize(
    ("words", "published", "start", "end"),
    [
        ("in 2024", "2025-01-05", "2024-01-01", "2024-12-31"),
        ("since January", "2015-02-10", "2015-01-01", "2015-02-10"),
        ("over the past week", "2015-02-10", "2015-02-03", "2015-02-10"),
        ("between 1 and 31 March", "2024-04-02", "2024-03-01", "2024-03-31"),
        ("this year", "2024-05-31", "2024-01-01", "2024-05-31"),
        ("з початку року", "2024-05-31", "2024-01-01", "2024-05-31"),
        ("с начала 2025 года", "2025-09-25", "2025-01-01", "2025-09-25"),
    ],
)
def test_period_of_a_change_resolved_against_publication(words, published, start, end):
    p = one(f"Russian forces captured 500 sq km {words}.", published)
    assert (p.period_start, p.period_end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    d = p.to_json_dict()
    assert (d["period_start"], d["period_end"]) == (start, end)


@pytest.mark.parametrize(
    ("text", "kind", "value", "detail"),
    [
        ("Росія захопила понад 500 кв. км території.", "area", 500, "more_than"),
        ("ЗСУ звільнили близько 1000 квадратних кілометрів території.", "area", 1000, "about"),
        ("Сторони відвели техніку на 15 км від лінії зіткнення.", "withdrawal_distance", 15, ""),
        ("Стороны отвели вооружения на 15 км от линии соприкосновения.", "withdrawal_distance", 15, ""),
        ("Российские войска освободили более 4 714 квадратных километров.", "area", 4714, "more_than"),
    ],
)
def test_ukrainian_and_russian_claims_as_published(text, kind, value, detail):
    p = one(text, "2025-09-25")
    assert p.kind == kind and p.value_min == value and p.qualifier_detail == detail
