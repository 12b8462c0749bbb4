"""Property tests (hypothesis): any number/unit/qualifier template round-trips in English, Ukrainian and Russian.

A sentence is built from a template of its language, a number written in one
of the conventions of that language (thousands with "1,000", "1 000", a
no-break space, "1.000" before a Cyrillic unit; decimals with a point or a
comma; spelled-out numbers), a unit and a qualifier. The extractor must give
back exactly one claim with that value, that unit as written, the value in km
or km² and that qualifier.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.units import unit_of
from tests.unit.text.common import one

LANGS = {
    "en": {
        "template": "Rebels captured {qual}{number} {unit} of territory, Kiev said.",
        "units": ["sq km", "square kilometres", "square kilometers", "km²", "km", "kilometres", "miles", "hectares"],
        "quals": {
            "": "",
            "more than ": "more_than",
            "over ": "more_than",
            "at least ": "at_least",
            "about ": "about",
            "roughly ": "about",
            "up to ": "up_to",
            "no more than ": "at_most",
        },
        "thousands": [",", " ", "\u00a0"],
        "decimal": ".",
        "words": {"five": 5, "twelve": 12, "twenty": 20, "a dozen": 12, "two thousand": 2000, "a hundred": 100},
    },
    "uk": {
        "template": "ЗСУ звільнили {qual}{number} {unit} території, повідомив штаб.",
        "units": ["кв. км", "квадратних кілометрів", "км²", "км", "кілометрів"],
        "quals": {
            "": "",
            "понад ": "more_than",
            "більше ніж ": "more_than",
            "щонайменше ": "at_least",
            "близько ": "about",
            "приблизно ": "about",
            "не більше ніж ": "at_most",
        },
        "thousands": [" ", "\u00a0", "."],
        "decimal": ",",
        "words": {"п'ять": 5, "два": 2, "три": 3, "півтора": 1.5, "десять": 10},
    },
    "ru": {
        "template": "Войска заняли {qual}{number} {unit} территории, сообщили в штабе.",
        "units": ["кв. км", "квадратных километров", "км²", "км", "километров"],
        "quals": {
            "": "",
            "более ": "more_than",
            "свыше ": "more_than",
            "не менее ": "at_least",
            "около ": "about",
            "примерно ": "about",
            "не более ": "at_most",
        },
        "thousands": [" ", "\u00a0", "."],
        "decimal": ",",
        "words": {"пять": 5, "два": 2, "три": 3, "полтора": 1.5, "десять": 10},
    },
}


def _written(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep)


@st.composite
def sentences(draw):
    lang = draw(st.sampled_from(sorted(LANGS)))
    spec = LANGS[lang]
    unit = draw(st.sampled_from(spec["units"]))
    qual = draw(st.sampled_from(sorted(spec["quals"])))
    form = draw(st.sampled_from(["int", "thousands", "decimal", "word"]))
    if form == "int":
        value = draw(st.integers(min_value=1, max_value=999))
        number = str(value)
    elif form == "thousands":
        value = draw(st.integers(min_value=1000, max_value=999_999))
        number = _written(value, draw(st.sampled_from(spec["thousands"])))
    elif form == "decimal":
        whole, tenth = draw(st.integers(min_value=1, max_value=999)), draw(st.integers(min_value=1, max_value=9))
        value = whole + tenth / 10
        number = f"{whole}{spec['decimal']}{tenth}"
    else:
        number = draw(st.sampled_from(sorted(spec["words"])))
        value = spec["words"][number]
    text = spec["template"].format(qual=qual, number=number, unit=unit)
    return text, value, unit, spec["quals"][qual]


@settings(max_examples=300, deadline=None)
@given(case=sentences())
def test_any_template_round_trips(case):
    text, value, unit, qualifier = case
    p = one(text)
    assert p.value_min == pytest.approx(value), text
    assert p.unit == unit, text
    assert p.value_max is None
    assert p.qualifier_detail == qualifier, text
    udef = unit_of(unit)
    base = p.value_km2 if udef.dimension == "area" else p.value_km
    assert p.kind == ("area" if udef.dimension == "area" else "distance"), text
    assert base == pytest.approx(value * udef.factor, rel=1e-9), text


@st.composite
def ranges(draw):
    lang = draw(st.sampled_from(sorted(LANGS)))
    spec = LANGS[lang]
    unit = draw(st.sampled_from(spec["units"]))
    lo = draw(st.integers(min_value=1, max_value=50_000))
    hi = lo + draw(st.integers(min_value=1, max_value=50_000))
    sep = draw(st.sampled_from(spec["thousands"]))
    joins = {
        "en": ["{a}-{b}", "{a}–{b}", "between {a} and {b}", "from {a} to {b}"],
        "uk": ["{a}-{b}", "від {a} до {b}"],
        "ru": ["{a}-{b}", "от {a} до {b}"],
    }[lang]
    number = draw(st.sampled_from(joins)).format(a=_written(lo, sep), b=_written(hi, sep))
    return spec["template"].format(qual="", number=number, unit=unit), lo, hi, unit


@settings(max_examples=200, deadline=None)
@given(case=ranges())
def test_any_range_round_trips(case):
    text, lo, hi, unit = case
    p = one(text)
    assert (p.value_min, p.value_max, p.unit, p.qualifier_detail) == (lo, hi, unit, "range"), text
