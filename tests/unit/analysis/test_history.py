"""Tests of geo.analysis.history: the line in force on a date and km² beyond the agreed line over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo import schema as S
from geo.analysis import history as H
from geo.analysis.layers import build_layers
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

SEP, UKR = H.beyond_column(PARTY_SEPARATISTS), H.beyond_column(PARTY_UKRAINE)


@pytest.fixture(scope="module")
def series():
    return H.beyond_agreed_series(reference_lines(), front_oblasts(), sources=H.load_sources())


@pytest.mark.parametrize(
    "date, expected",
    [
        ("2014-09-19", S.LINE_MINSK_2014),
        ("2014-12-31", S.LINE_MINSK_2014),
        ("2015-01-20", S.LINE_CONTACT_2015_01),
        (dt.date(2015, 2, 19), S.LINE_CONTACT_2015_01),
        ("2015-02-20", S.LINE_CONTACT_2015_02),
        ("2016-06-01", S.LINE_CONTACT_2015_02),
    ],
)
def test_line_in_force_on_a_date(date, expected):
    assert H.line_at(reference_lines(), date)[S.LINE_ID] == expected


def test_no_line_before_the_first_version():
    assert H.line_at(reference_lines(), "2014-01-01") is None


def test_version_dates_are_sorted_and_distinct():
    dates = H.version_dates(reference_lines())
    assert dates == sorted(set(dates))
    assert dates[0] == dt.date(2014, 9, 19) and len(dates) == 3


def test_drawn_lines_are_not_versions():
    lines = reference_lines().copy()
    extra = lines.iloc[[0]].copy()
    extra[S.LINE_ID], extra[S.LINE_KIND], extra[S.LINE_DATE] = "drawn_x", "drawn", "2015-03-01"
    both = pd.concat([lines, extra], ignore_index=True)
    assert "drawn_x" not in set(H.line_versions(both)[S.LINE_ID])
    assert H.line_at(both, "2015-03-02")[S.LINE_ID] == S.LINE_CONTACT_2015_02


def test_series_matches_the_contested_layer(series):
    assert list(series[H.H_LINE_ID]) == [S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02]
    first = series.iloc[0]
    assert first[SEP] == 0.0 and first[UKR] == 0.0
    contested = build_layers()["contested"]
    for _, row in series.iloc[1:].iterrows():
        got = contested[(contested[S.C_TO_LINE] == row[H.H_LINE_ID]) & (contested[S.C_HELD_BY] == PARTY_SEPARATISTS)]
        assert row[SEP] == pytest.approx(float(got[S.AREA_KM2].iloc[0]), rel=1e-9)
        assert row[H.H_NET] == pytest.approx(row[SEP] - row[UKR])
    # The front moved west between January and February 2015 (Debaltseve).
    assert series[SEP].iloc[2] > series[SEP].iloc[1] > 0


def test_each_point_carries_its_sources(series):
    for _, row in series.iterrows():
        assert row[H.H_SOURCES], row[H.H_LINE_ID]
        assert row[H.H_SOURCE_URLS]
        assert all(u.startswith(("http://", "https://")) for u in row[H.H_SOURCE_URLS])
    links = H.source_links(series, H.load_sources())
    assert set(links[H.H_LINE_ID]) == set(series[H.H_LINE_ID])
    assert len(links) == sum(len(s) for s in series[H.H_SOURCES])


def test_unsafe_source_urls_are_dropped(series):
    sources = pd.DataFrame(
        {S.SOURCE_ID: [series.iloc[0][H.H_SOURCES][0]], S.SOURCE_URL: ["javascript:alert(1)"], S.SOURCE_TITLE: ["x"]}
    )
    s = H.beyond_agreed_series(reference_lines(), front_oblasts(), sources=sources)
    assert s.iloc[0][H.H_SOURCE_URLS] == []
    links = H.source_links(s.iloc[[0]], sources)
    assert links.iloc[0][S.SOURCE_URL] == ""


def test_unknown_reference_is_an_error():
    with pytest.raises(Exception, match="reference line 'nope'"):
        H.beyond_agreed_series(reference_lines(), front_oblasts(), reference="nope")


def test_history_chart_has_a_real_time_axis(series):
    spec = H.history_chart_spec(series)
    assert spec["encoding"]["x"] == {**spec["encoding"]["x"], "field": "date", "type": "temporal"}
    assert spec["encoding"]["y"]["type"] == "quantitative"
    values = spec["data"]["values"]
    assert len(values) == 2 * len(series)
    # ISO dates that Vega-Lite parses as dates: the Sep->Jan gap (4 months) is not drawn like Jan->Feb (1 month)
    dates = sorted({dt.date.fromisoformat(v["date"]) for v in values})
    assert dates == sorted(series[H.H_DATE])
    sep = {v["date"]: v["km2"] for v in values if v["party"] == "Separatists"}
    assert sep == {d.isoformat(): km2 for d, km2 in zip(series[H.H_DATE], series[SEP])}


def test_columns_follow_the_reference_lines_parties(series):
    """Parties are the side rule's: renamed in the lines, the series names the new ids with the same km²."""
    lines = reference_lines().copy()
    rename = {PARTY_SEPARATISTS: "north", PARTY_UKRAINE: "south"}
    for col in (S.LINE_SIDE_PARTY, S.LINE_SIDE_OTHER):
        lines[col] = lines[col].replace(rename)
    other = H.beyond_agreed_series(lines, front_oblasts())
    assert H.beyond_columns(other) == ["north_beyond_km2", "south_beyond_km2"]
    assert list(other["north_beyond_km2"]) == pytest.approx(list(series[SEP]), rel=1e-12)
    assert list(other["south_beyond_km2"]) == pytest.approx(list(series[UKR]), rel=1e-12)
    spec = H.history_chart_spec(other, names={"north": "North side"})
    assert {v["party"] for v in spec["data"]["values"]} == {"North side", "South"}
