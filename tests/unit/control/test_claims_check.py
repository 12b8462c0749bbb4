"""Period and area-held claims checked against a control series: periods, sensitivity, verdicts, no series.

Also the shipped Ukraine theatre: its claims load, join their sources and read "needs a control
series" until a series is imported, and one of the three verdicts afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import shapely

from geo.analysis.verdict import claimed_interval, decide, measured_interval
from geo.control import ControlStore, area_on, area_series, import_series
from geo.control.claims_check import (
    NEEDS_SERIES,
    NOT_COVERED,
    WORDS,
    check_claim,
    check_claims,
    claim_period,
    figure_claims,
    theatre_claims,
)
from geo.control.series import SeriesRead, Snapshot
from geo.theatres.catalogue import get_theatre
from tests.support.synthetic_control import iter_geometries

THEATRE = "ukraine-2022"
PARTY = "russia"
D = dt.date.fromisoformat


def _series_at(dates: list[dt.date]) -> SeriesRead:
    """Synthetic snapshots (growing day after day) placed on the given dates."""
    geoms = iter_geometries(len(dates))
    return SeriesRead([Snapshot(d, PARTY, shapely.geometry.shape(next(geoms)), f"day{i}") for i, d in enumerate(dates)])


@pytest.fixture
def january(tmp_path, regions):
    """Daily snapshots 2024-12-28 .. 2025-01-20 of a growing area; returns the store and its area rows."""
    dates = [D("2024-12-28") + dt.timedelta(days=i) for i in range(24)]
    store = ControlStore(tmp_path / "control.sqlite")
    import_series(store, _series_at(dates), THEATRE)
    rows = area_series(store, THEATRE, PARTY, regions)
    yield store, rows
    store.close()


def _claim(quote: str, value: float, qualifier: str = "", published: str = "2025-01-21", **extra) -> dict:
    return {
        "claim_id": "t1",
        "quote": quote,
        "value_km2": value,
        "qualifier": qualifier,
        "published": published,
        "party": PARTY,
        **extra,
    }


def _total(store, regions, day: str) -> float:
    return area_on(store, THEATRE, PARTY, day, regions)["total_km2"]


def test_period_from_fields_then_from_the_quote():
    assert claim_period(_claim("took 40 km² in 2024", 40, published="2025-01-03")) == (D("2024-01-01"), D("2024-12-31"))
    pinned = _claim("took 40 km² in 2024", 40, period_start="2024-01-01", period_end="2024-12-30")
    assert claim_period(pinned) == (D("2024-01-01"), D("2024-12-30"))
    # no publication date: the event date resolves the quote; no period at all: (None, None)
    assert claim_period({"quote": "за минулу добу 12 кв. км", "event_date": "2025-01-10"}) == (
        D("2025-01-09"),
        D("2025-01-10"),
    )
    assert claim_period({"quote": "holds 100 km²", "event_date": "2025-01-10"}) == (None, None)


def test_measured_gain_and_its_one_day_sensitivity(january, regions):
    store, rows = january
    claim = _claim("Russia took 50 km² between 1 and 10 January", 50.0)
    got = check_claim(claim, rows)
    assert got["kind"] == "change" and (got["period_start"], got["period_end"]) == ("2025-01-01", "2025-01-10")
    assert (got["from"], got["to"]) == ("2024-12-31", "2025-01-10")
    want = _total(store, regions, "2025-01-10") - _total(store, regions, "2024-12-31")
    assert got["measured_km2"] == pytest.approx(want, rel=1e-9)
    pairs = [
        _total(store, regions, b) - _total(store, regions, a)
        for a in ("2024-12-30", "2024-12-31", "2025-01-01")
        for b in ("2025-01-09", "2025-01-10", "2025-01-11")
    ]
    assert got["measured_low_km2"] == pytest.approx(min(pairs), rel=1e-9)
    assert got["measured_high_km2"] == pytest.approx(max(pairs), rel=1e-9)
    assert got["measured_low_km2"] < got["measured_km2"] < got["measured_high_km2"]  # the area grows every day


def test_verdicts_use_the_apps_rule(january):
    _, rows = january
    quote = "Russia took {} km² between 1 and 10 January"
    central = check_claim(_claim(quote, 1.0), rows)["measured_km2"]
    assert central > 0
    cases = {
        central: "consistent",
        central * 10: "overstated",
        central / 10: "understated",
    }
    for value, want in cases.items():
        got = check_claim(_claim(quote.format(value), value), rows)
        assert got["verdict"] == want, (value, got["explanation"])
        # the same outcome as the verdict rule on the same intervals
        rule = decide(
            claimed_interval(value, ""),
            measured_interval(got["measured_km2"], got["measured_low_km2"], got["measured_high_km2"]),
        )
        assert WORDS[rule.verdict] == want and got["grade"] == rule.verdict
    more = check_claim(_claim(quote, central * 10, "more_than"), rows)
    assert more["verdict"] == "overstated" and more["claimed_high_km2"] is None
    assert check_claim(_claim(quote, central / 10, "more_than"), rows)["verdict"] == "consistent"


def test_area_held_on_a_date(january, regions):
    store, rows = january
    held = _total(store, regions, "2025-01-05")
    got = check_claim(_claim("Russia holds {} km²", held, event_date="2025-01-05"), rows)
    assert got["kind"] == "held" and got["to"] == "2025-01-05" and got["verdict"] == "consistent"
    assert got["measured_low_km2"] <= held <= got["measured_high_km2"]
    assert check_claim(_claim("Russia holds", held * 2, event_date="2025-01-05"), rows)["verdict"] == "overstated"


def test_no_series_and_series_not_reaching_the_period(january):
    _, rows = january
    claim = _claim("Russia took 50 km² in 2024", 50.0, published="2025-01-02")
    assert check_claim(claim, None)["verdict"] == NEEDS_SERIES
    assert check_claim(claim, [])["verdict"] == NEEDS_SERIES
    late = check_claim(claim, rows)  # the series starts on 2024-12-28: 2023-12-31 is not held
    assert late["verdict"] == NOT_COVERED and "2024-12-28" in late["explanation"]


def test_a_series_ending_before_the_claims_last_day_does_not_check_it(january):
    _, rows = january  # daily 2024-12-28 .. 2025-01-20
    period = check_claim(_claim("Russia took 50 km² in January", 50.0, published="2025-02-01"), rows)
    assert period["period_end"] == "2025-01-31" and period["verdict"] == NOT_COVERED
    assert "2025-01-20" in period["explanation"] and "2025-01-31" in period["explanation"]
    held = check_claim(_claim("Russia holds", 1000.0, event_date="2025-03-01"), rows)
    assert held["verdict"] == NOT_COVERED and held["measured_km2"] is None
    # one day short is within the one-day sensitivity: measured on the last snapshot
    near = check_claim(_claim("Russia holds", 1000.0, event_date="2025-01-21"), rows)
    assert near["verdict"] != NOT_COVERED and near["to"] == "2025-01-20"


def test_shipped_ukraine_theatre_loads_and_joins():
    theatre = get_theatre(THEATRE)
    assert theatre.countries == ("UA",)
    assert {p.id: p.colour for p in theatre.parties} == {"russia": "#b2182b", "ukraine": "#2166ac"}
    claims = theatre_claims(THEATRE)
    assert len(claims) >= 10 and claims["claim_id"].is_unique
    assert claims["url"].str.startswith("https://").all()
    assert claims["published"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    for _, c in claims.iterrows():  # each quote states its figure
        digits = re.sub(r"[\s,]", "", c["quote"])
        assert str(int(c["value_km2"])) in digits, c["claim_id"]
    by_id = {c["claim_id"]: c for c in figure_claims(claims, PARTY)}
    assert {"u001", "u002", "u003"} <= set(by_id)
    assert (by_id["u001"]["value_km2"], claim_period(by_id["u001"])) == (4336, (D("2025-01-01"), D("2025-12-31")))
    assert (by_id["u002"]["value_km2"], claim_period(by_id["u002"])) == (116165, (None, None))
    assert (by_id["u003"]["value_km2"], claim_period(by_id["u003"])) == (4168, (D("2024-01-01"), D("2024-12-31")))
    assert claim_period(by_id["u004"]) == (D("2024-01-01"), D("2024-12-31"))
    assert claim_period(by_id["u005"]) == (D("2025-01-01"), D("2025-09-25"))  # Russian: "с 1 января по 25 сентября"


def test_shipped_ukraine_tables_follow_the_schema_and_seed_a_claims_store(tmp_path):
    import pandas as pd

    from geo.claims.store.sqlite import SQLiteStore
    from geo.schema import CLAIM_COLUMNS, CLAIM_FILE_COLUMNS, SOURCE_COLUMNS

    root = get_theatre(THEATRE).path
    assert list(pd.read_csv(root / "claims.csv", dtype=str).columns) in (CLAIM_FILE_COLUMNS, CLAIM_COLUMNS)
    assert list(pd.read_csv(root / "sources.csv", dtype=str).columns) == SOURCE_COLUMNS
    store = SQLiteStore(tmp_path / "claims.sqlite", seed_dir=root)  # refuses unknown fields or bad rows
    store.close()


def test_shipped_claims_need_a_series_then_get_a_verdict(tmp_path, regions):
    claims = figure_claims(theatre_claims(THEATRE), PARTY)
    with ControlStore(tmp_path / "control.sqlite") as store:
        before = check_claims(claims, store, THEATRE, PARTY, regions)
        assert {c["verdict"] for c in before} == {NEEDS_SERIES}
        # a sparse synthetic series with a snapshot on every day near each claim's ends
        days = set()
        for c in claims:
            start, end = claim_period(c)
            for anchor in [start - dt.timedelta(days=1), end] if start else [D(c["event_date"])]:
                days |= {anchor + dt.timedelta(days=k) for k in (-2, -1, 0, 1)}
        import_series(store, _series_at(sorted(days)), THEATRE)
        after = check_claims(claims, store, THEATRE, PARTY, regions)
    assert len(after) == len(before)
    for c in after:
        assert c["verdict"] in ("consistent", "overstated", "understated"), (c["claim_id"], c["explanation"])
        assert c["measured_low_km2"] <= c["measured_km2"] <= c["measured_high_km2"]
        assert c["url"].startswith("https://") and c["published"]
    json.dumps(after, allow_nan=False)  # plain JSON: no inf or NaN
