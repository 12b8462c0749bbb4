"""The period of a change (geo.text.periods), resolved against the publication date (issues 17 and 18)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.text import find_period
from geo.text.periods import PERIOD_KINDS
from tests.unit.text.common import one

P = dt.date(2025, 3, 20)  # a Thursday
D = dt.date


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("in 2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("в 2024 году", D(2024, 1, 1), D(2024, 12, 31)),
        ("у 2024 році", D(2024, 1, 1), D(2024, 12, 31)),
        ("за 2024 рік", D(2024, 1, 1), D(2024, 12, 31)),
        ("за 2024 год", D(2024, 1, 1), D(2024, 12, 31)),
        ("за 2025 рік", D(2025, 1, 1), P),  # a year still running ends on publication
        ("since 1 January", D(2025, 1, 1), P),
        ("since January 1", D(2025, 1, 1), P),
        ("з 1 січня", D(2025, 1, 1), P),
        ("с 1 января 2025 года", D(2025, 1, 1), P),
        ("since 1 December", D(2024, 12, 1), P),  # the latest 1 December on or before publication
        ("last week", D(2025, 3, 10), D(2025, 3, 16)),
        ("минулого тижня", D(2025, 3, 10), D(2025, 3, 16)),
        ("на прошлой неделе", D(2025, 3, 10), D(2025, 3, 16)),
        ("this week", D(2025, 3, 17), P),
        ("на этой неделе", D(2025, 3, 17), P),
        ("between 1 and 31 March", D(2025, 3, 1), P),
        ("between 1 and 15 February", D(2025, 2, 1), D(2025, 2, 15)),
        ("з 1 по 15 лютого", D(2025, 2, 1), D(2025, 2, 15)),
        ("с 1 по 15 февраля", D(2025, 2, 1), D(2025, 2, 15)),
        ("с начала года", D(2025, 1, 1), P),
        ("з початку року", D(2025, 1, 1), P),
        ("цього року", D(2025, 1, 1), P),
        ("since the start of the year", D(2025, 1, 1), P),
        ("this month", D(2025, 3, 1), P),
        ("last month", D(2025, 2, 1), D(2025, 2, 28)),
        ("минулого місяця", D(2025, 2, 1), D(2025, 2, 28)),
        ("last year", D(2024, 1, 1), D(2024, 12, 31)),
        ("торік", D(2024, 1, 1), D(2024, 12, 31)),
        ("в прошлом году", D(2024, 1, 1), D(2024, 12, 31)),
        ("over the past week", D(2025, 3, 13), P),
        ("for the past two weeks", D(2025, 3, 6), P),
        ("in the last 24 hours", D(2025, 3, 19), P),
        ("за минулу добу", D(2025, 3, 19), P),
        ("за сутки", D(2025, 3, 19), P),
        ("за последние 3 дня", D(2025, 3, 17), P),
        ("за тиждень", D(2025, 3, 13), P),
        ("since 2022", D(2022, 1, 1), P),
        ("з 2022 року", D(2022, 1, 1), P),
        ("у лютому", D(2025, 2, 1), D(2025, 2, 28)),
        ("в ноябре", D(2024, 11, 1), D(2024, 11, 30)),  # a later month than publication: last year's
    ],
)
def test_period_expressions(words, start, end):
    assert find_period(f"Troops took 40 sq km {words}.", P) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Troops took 40 sq km.",
        "Troops took 40 sq km in 2026.",  # after publication
        "Troops advanced за 15 км.",  # "за" before a length is no period
        "Troops took 40 sq km in May 1999 and moved 2024 tanks.",  # "2024 tanks" is a count
    ],
)
def test_no_period(text):
    start, end = find_period(text, P)
    assert start is None or start.year == 1999  # only "May 1999" may be read
    assert end is None or end <= P


def test_every_kind_is_reached():
    samples = {
        "days_range": "between 1 and 2 March",
        "since_day": "since 1 March",
        "since_month_day": "since March 1",
        "start_of_year": "this year",
        "this_month": "this month",
        "this_week": "this week",
        "for_year": "за 2024 рік",
        "past": "over the past week",
        "past_slavic": "за добу",
        "last_week": "last week",
        "last_month": "last month",
        "last_year": "last year",
        "since_month": "since February",
        "since_year": "since 2023",
        "in_month": "in February",
        "in_year": "in 2023",
    }
    assert set(samples) == set(PERIOD_KINDS)
    for kind, words in samples.items():
        assert find_period(words, P) != (None, None), kind


def test_claims_carry_their_period():
    p = one("Russia captured 4,168 sq km in 2024, ISW said.", D(2025, 1, 3))
    assert (p.value_km2, p.period_start, p.period_end) == (4168.0, D(2024, 1, 1), D(2024, 12, 31))
    p = one("З початку року ЗСУ звільнили понад 100 кв. км території.", P)
    assert (p.value_km2, p.qualifier_detail, p.period_start, p.period_end) == (100.0, "more_than", D(2025, 1, 1), P)
    p = one("С 1 января российские войска заняли 600 кв. км.", P)
    assert (p.period_start, p.period_end) == (D(2025, 1, 1), P)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the dated period stated first is the figure's; "минулого року" later in the sentence is a comparison
        ("У січні 2026 року росіяни захопили 400 кв. км, минулого року — 4336 кв. км", D(2026, 1, 1), D(2026, 1, 31)),
        ("In January 2026 Russia captured 400 sq km; last year 4,336 sq km", D(2026, 1, 1), D(2026, 1, 31)),
        # a month of "last year" is that month of the year before publication, not the whole year
        ("у січні минулого року захоплено 300 кв. км", D(2025, 1, 1), D(2025, 1, 31)),
        ("в январе прошлого года захвачено 300 кв. км", D(2025, 1, 1), D(2025, 1, 31)),
        # alone, "минулого року" is still the whole year before
        ("минулого року захоплено 4336 кв. км", D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_dated_month_beats_a_later_last_year(text, start, end):
    assert find_period(text, D(2026, 2, 3)) == (start, end)
