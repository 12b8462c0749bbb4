"""Tests of geo.units: the one table of units, read alike by the extractor, the quantity finder and the validator."""

from __future__ import annotations

import re

import pytest

from geo import units
from geo.errors import ValidationError
from geo.text import extract, find_quantities
from geo.units import AREA, FIELD_SPELLINGS, LENGTH, UNIT_PATTERNS, UNITS, convert, to_base, unit_of

#: A prose spelling of every pattern of the table, as written after a figure.
PROSE = {
    0: "sq km",
    1: "km²",
    2: "kilometres squared",
    3: "square miles",
    4: "mi²",
    5: "hectares",
    6: "acres",
    7: "кв. км",
    8: "квадратних кілометрів",
    9: "км2",
    10: "гектарів",
    11: "km",
    12: "miles",
    13: "metres",
    14: "кілометрів",
    15: "метрів",
}


def test_every_pattern_has_a_prose_example():
    assert set(PROSE) == set(range(len(UNIT_PATTERNS)))


@pytest.mark.parametrize("index", sorted(PROSE))
def test_quantity_finder_and_converter_agree_for_every_pattern(index):
    written = PROSE[index]
    expected = UNIT_PATTERNS[index][1]
    assert unit_of(written) == expected
    (q,) = find_quantities(f"12 {written}")
    assert q.canonical == expected
    assert q.in_base == pytest.approx(to_base(12, written))


@pytest.mark.parametrize("index", sorted(PROSE))
def test_extractor_and_converter_agree_for_every_pattern(index):
    written = PROSE[index]
    udef = UNIT_PATTERNS[index][1]
    verb = "seized" if udef.dimension == AREA else "advanced"
    (p,) = extract(f"Rebels {verb} 12 {written} into the area, Kiev said.", "2015-01-21")
    base = p.value_km2 if udef.dimension == AREA else p.value_km
    assert base == pytest.approx(to_base(12, written, udef.dimension), rel=1e-12)


@pytest.mark.parametrize("written", sorted(FIELD_SPELLINGS))
def test_every_field_spelling_is_read_by_unit_of(written):
    assert unit_of(written) is FIELD_SPELLINGS[written]
    assert unit_of(written.upper()) == FIELD_SPELLINGS[written]


def test_units_by_name_and_factors():
    assert set(UNITS) == {"sq km", "sq mi", "ha", "acres", "km", "miles", "m"}
    assert UNITS["sq mi"].factor == pytest.approx(units.KM_PER_MILE**2)
    assert {u.dimension for u in UNITS.values()} == {AREA, LENGTH}
    for u in UNITS.values():
        assert unit_of(u.name) == u


def test_spellings_lists_one_dimension_sorted():
    area = units.spellings(AREA)
    assert area == sorted(area) and "sq km" in area and "km" not in area
    assert "m" in units.spellings(LENGTH)


def test_convert_and_errors():
    assert convert(1, "km", "m") == pytest.approx(1000)
    assert convert(100, "ha", "sq km") == pytest.approx(1)
    with pytest.raises(ValidationError, match="not a unit of area"):
        convert(1, "sq km", "km")
    with pytest.raises(ValidationError, match="unknown unit"):
        to_base(1, "furlongs")
    assert unit_of("") is None and unit_of(None) is None


def test_units_imports_nothing_from_geo_but_errors():
    source = open(units.__file__, encoding="utf-8").read()
    imported = set(re.findall(r"^(?:from|import) (geo[\w.]*)", source, re.M))
    assert imported == {"geo.errors"}


@pytest.mark.parametrize(
    ("written", "name", "factor"),
    [
        ("м", "m", 0.001),
        (" М ", "m", 0.001),
        ("км кв.", "sq km", 1.0),
        ("км кв", "sq km", 1.0),
        ("mi", "miles", 1.609344),
    ],
)
def test_short_field_spellings_of_labelled_rows(written, name, factor):
    unit = unit_of(written)
    assert unit is not None and unit.name == name and unit.factor == pytest.approx(factor)


def test_field_only_spellings_are_not_whole_words_of_other_units():
    assert unit_of("мм") is None and unit_of("км кв. м") is None
