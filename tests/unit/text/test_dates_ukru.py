"""Ukrainian and Russian event dates resolved against the publication date (geo.text.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.text.dates import find_event_date
from tests.unit.text.common import one

WED = dt.date(2015, 1, 21)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Про це повідомили 20 січня 2015 року.", dt.date(2015, 1, 20)),
        ("Об этом сообщили 20 января 2015 года.", dt.date(2015, 1, 20)),
        ("Об этом сообщили 20-го января.", dt.date(2015, 1, 20)),
        ("Бойовики наступали 17 лютого.", dt.date(2014, 2, 17)),  # no year: the latest on or before
        ("Боевики наступали 5 марта.", dt.date(2014, 3, 5)),
        ("Штаб повідомив у вівторок.", dt.date(2015, 1, 20)),
        ("Штаб сообщил во вторник.", dt.date(2015, 1, 20)),
        ("Штаб повідомив у понеділок.", dt.date(2015, 1, 19)),
        ("Штаб повідомив у середу.", WED),  # the publication weekday is the publication day
        ("Штаб сообщил в среду.", WED),
        ("Штаб повідомив у четвер.", dt.date(2015, 1, 15)),
        ("Штаб сообщил в четверг.", dt.date(2015, 1, 15)),
        ("Штаб повідомив минулої п'ятниці.", dt.date(2015, 1, 16)),
        ("Штаб сообщил в прошлую пятницу.", dt.date(2015, 1, 16)),
        ("Штаб повідомив у суботу.", dt.date(2015, 1, 17)),
        ("Штаб сообщил в воскресенье.", dt.date(2015, 1, 18)),
        ("Штаб повідомив у неділю.", dt.date(2015, 1, 18)),
        ("Про це повідомили вчора.", dt.date(2015, 1, 20)),
        ("Об этом сообщили позавчера.", dt.date(2015, 1, 19)),
        ("Про це повідомили минулого тижня.", dt.date(2015, 1, 12)),
        ("Про це повідомили на минулому тижні.", dt.date(2015, 1, 12)),
        ("Об этом сообщили на прошлой неделе.", dt.date(2015, 1, 12)),
        ("Наступ почався у травні.", dt.date(2014, 5, 1)),
        ("Наступление началось в мае.", dt.date(2014, 5, 1)),
        ("Наступление началось в январе.", dt.date(2015, 1, 1)),
    ],
)
def test_ukrainian_and_russian_event_dates(text, expected):
    assert find_event_date(text, WED)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Серед інших було двоє поранених.",  # "серед" is "among", not Wednesday
        "Среди них были и средства ПВО.",  # "среди", "средства": no Wednesday
        "Було 20 травмованих.",  # "травми" are injuries, not May
        "Червоний хрест привіз 5 вантажівок.",  # "червоний" is red, not June
        "Жовтий автобус їхав 3 години.",  # yellow, not October
        "У майже кожному селі є укриття.",  # "майже" is almost, not May
        "Четвертий батальйон відпочиває.",  # fourth, not Thursday
    ],
)
def test_words_that_only_look_like_dates_give_none(text):
    assert find_event_date(text, WED)[0] is None


def test_ukrainian_claim_takes_its_event_date():
    p = one("У вівторок ЗСУ звільнили понад 20 кв. км території.", WED)
    assert (p.kind, p.value_km2, p.event_date) == ("area", 20.0, dt.date(2015, 1, 20))


def test_russian_claim_takes_its_event_date():
    p = one("20 января 2015 года боевики захватили более 500 кв. км территории.", WED)
    assert (p.kind, p.value_km2, p.qualifier_detail, p.event_date) == ("area", 500.0, "more_than", dt.date(2015, 1, 20))
