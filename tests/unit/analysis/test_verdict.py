"""Claimed vs measured: measured area from the contested layer, verdict rules, ranges."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, box

from geo import schema as S
from geo.analysis.layers import base_contested, build_layers, implied_with_verdicts, verdict_table
from geo.analysis.verdict import (
    TOLERANCE,
    VERDICT_COLUMNS,
    Interval,
    along_length_km,
    claimed_interval,
    claimed_vs_measured,
    decide,
    measured_interval,
    verdict_for,
)
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from geo.reference.seed import load_seed_claims
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE


def _claim(cid, km2, qualifier="", date="2015-01-20", side=PARTY_SEPARATISTS, **extra):
    row = {c: "" for c in S.CLAIM_COLUMNS}
    row.update(
        {
            S.CLAIM_ID: cid,
            S.CLAIM_KIND: "area",
            S.CLAIM_VALUE_KM2: km2,
            S.CLAIM_QUALIFIER: qualifier,
            S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
            S.CLAIM_SIDE: side,
            S.CLAIM_EVENT_DATE: date,
        }
    )
    row.update(extra)
    return row


def _area(to_line, held_by):
    c = base_contested()
    sel = c[(c[S.C_TO_LINE] == to_line) & (c[S.C_HELD_BY] == held_by)]
    return float(sel[S.AREA_KM2].sum())


def test_seed_claim_claimed_vs_measured():
    table = verdict_table(load_seed_claims())
    assert list(table.columns) == VERDICT_COLUMNS
    row = table.set_index(S.CLAIM_ID).loc["c001"]
    assert row[S.I_CLAIMED_KM2] == 500.0
    assert row[S.CLAIM_QUALIFIER] == "more_than"
    assert row[S.C_FROM_LINE] == S.LINE_MINSK_2014
    assert row[S.C_TO_LINE] == S.LINE_CONTACT_2015_01
    measured = _area(S.LINE_CONTACT_2015_01, PARTY_SEPARATISTS)
    assert row[S.M_MEASURED_KM2] == pytest.approx(measured)
    assert row[S.M_RATIO] == pytest.approx(measured / 500.0)
    shown = measured_interval(measured, row[S.M_MEASURED_LOW_KM2], row[S.M_MEASURED_HIGH_KM2])
    assert row[S.M_VERDICT] == decide(claimed_interval(500.0, "more_than"), shown, measured).verdict
    assert row[S.M_MEASURED_LOW_KM2] <= row[S.M_MEASURED_KM2] <= row[S.M_MEASURED_HIGH_KM2]


def test_line_in_force_follows_event_date():
    claims = pd.DataFrame(
        [
            _claim("a", 700.0, date="2015-02-25"),
            _claim("b", 700.0, date="2014-10-01"),
            _claim("c", 100.0, date="2015-02-25", side=PARTY_UKRAINE),
            _claim("d", 100.0, date="2015-02-25", side=""),
            _claim("e", 100.0, date="not a date"),
        ]
    )
    t = claimed_vs_measured(claims, base_contested(), reference_lines(), front_oblasts()).set_index(S.CLAIM_ID)
    assert "e" not in t.index
    assert t.loc["a", S.C_TO_LINE] == S.LINE_CONTACT_2015_02
    assert t.loc["a", S.M_MEASURED_KM2] == pytest.approx(_area(S.LINE_CONTACT_2015_02, PARTY_SEPARATISTS))
    # before any later line, the line in force is the reference itself: nothing measured
    assert t.loc["b", S.C_TO_LINE] == S.LINE_MINSK_2014
    assert t.loc["b", S.M_MEASURED_KM2] == 0.0
    assert t.loc["b", S.M_VERDICT] == S.VERDICT_SMALLER
    assert t.loc["c", S.M_MEASURED_KM2] == pytest.approx(_area(S.LINE_CONTACT_2015_02, PARTY_UKRAINE))
    both = _area(S.LINE_CONTACT_2015_02, PARTY_UKRAINE) + _area(S.LINE_CONTACT_2015_02, PARTY_SEPARATISTS)
    assert t.loc["d", S.M_MEASURED_KM2] == pytest.approx(both)


@pytest.mark.parametrize(
    ("measured", "claimed", "qualifier", "cmax", "expected"),
    [
        (500, 500, "", None, "consistent"),
        (376, 500, "about", None, "consistent"),
        (374, 500, "about", None, "smaller"),
        (626, 500, "exactly", None, "larger"),
        (5000, 500, "more_than", None, "consistent"),
        (500, 500, "at_least", None, "consistent"),
        (380, 500, "at_least", None, "smaller"),  # [500, inf): no slack below a lower bound
        (300, 500, "more_than", None, "smaller"),
        (10, 500, "up_to", None, "consistent"),
        (700, 500, "less_than", None, "larger"),
        (350, 200, "about", 400, "consistent"),
        (450, 200, "about", 400, "larger"),  # a range claims [200, 400]
        (600, 200, "about", 400, "larger"),
        (100, 200, "about", 400, "smaller"),
    ],
)
def test_verdict_rules(measured, claimed, qualifier, cmax, expected):
    assert verdict_for(measured, claimed, qualifier, cmax) == expected


@given(st.floats(1, 1e4), st.floats(1, 1e4))
def test_lower_bound_never_larger_upper_never_smaller(measured, claimed):
    assert verdict_for(measured, claimed, "more_than") != S.VERDICT_LARGER
    assert verdict_for(measured, claimed, "up_to") != S.VERDICT_SMALLER


def test_along_length_counts_only_the_shared_boundary():
    area = box(38.0, 48.0, 38.1, 48.1)
    on_edge = LineString([(38.0, 47.9), (38.0, 48.2)])
    away = LineString([(39.0, 47.9), (39.0, 48.2)])
    assert along_length_km(area, on_edge) == pytest.approx(11.12, rel=0.01)  # 0.1° of latitude
    assert along_length_km(area, away) == 0.0


def test_implied_layer_carries_verdict_and_settlements():
    claims = load_seed_claims()
    layers = build_layers(claims)
    implied = layers["implied"]
    assert implied is not None and len(implied) >= 1
    for col in (S.CLAIM_ID, S.I_CLAIMED_KM2, S.AREA_KM2, S.I_WIDTH_KM, S.I_BOUND, S.M_VERDICT, "settlements"):
        assert col in implied.columns
    direct = implied_with_verdicts(claims)
    assert list(direct[S.CLAIM_ID]) == list(implied[S.CLAIM_ID])
    c001 = implied.set_index(S.CLAIM_ID).loc["c001"]
    assert c001[S.M_VERDICT] == verdict_table(claims).set_index(S.CLAIM_ID).loc["c001", S.M_VERDICT]


# --- issue 14 item 5: a verdict never contradicts the intervals it is shown with ------------


def test_seed_claim_c001_is_consistent_with_its_measured_range():
    # "more than 500 km²" against a measured range 0-1,227 km²: 500 lies in the range, so the
    # lines cannot exclude the claim; "smaller" beside "claim in range" contradicted itself.
    row = verdict_table(load_seed_claims()).set_index(S.CLAIM_ID).loc["c001"]
    assert row[S.M_MEASURED_LOW_KM2] <= 500.0 <= row[S.M_MEASURED_HIGH_KM2]
    assert row["claim_in_range"] is True or row["claim_in_range"] == True  # noqa: E712
    assert row[S.M_VERDICT] == S.VERDICT_CONSISTENT
    assert row["claimed_low_km2"] == 500.0 and row["claimed_high_km2"] == float("inf")
    assert "cannot be excluded" in row["explanation"]
    assert row["explanation"].endswith("outside it)")


def test_claimed_interval_rules():
    inf = float("inf")
    assert claimed_interval(500, "more_than") == Interval(500, inf)
    assert claimed_interval(500, "at_least") == Interval(500, inf)
    assert claimed_interval(500, "up_to") == Interval(0, 500)
    assert claimed_interval(500, "less_than") == Interval(0, 500)
    assert claimed_interval(500, "exactly") == Interval(500, 500)
    assert claimed_interval(400, "about") == Interval(400 * (1 - TOLERANCE), 400 * (1 + TOLERANCE))
    assert claimed_interval(400, "") == claimed_interval(400, "about")
    assert claimed_interval(200, "more_than", 300) == Interval(200, 300)


_values = st.floats(min_value=0.5, max_value=60_000, allow_nan=False)


@given(
    value=_values,
    value_max=st.one_of(st.none(), _values),
    qualifier=st.sampled_from(S.QUALIFIERS),
    measured=st.floats(min_value=0, max_value=60_000),
    half=st.one_of(st.just(float("nan")), st.floats(min_value=0, max_value=10_000)),
)
def test_verdict_never_contradicts_the_intervals(value, value_max, qualifier, measured, half):
    low, high = (max(0.0, measured - half), measured + half) if half == half else (float("nan"),) * 2
    claimed = claimed_interval(value, qualifier, value_max)
    shown = measured_interval(measured, low, high)
    v = decide(claimed, shown, measured)
    overlap = claimed.low <= shown.high and shown.low <= claimed.high
    assert (v.verdict == S.VERDICT_CONSISTENT) == overlap
    if v.verdict == S.VERDICT_SMALLER:
        assert shown.high < claimed.low
    if v.verdict == S.VERDICT_LARGER:
        assert shown.low > claimed.high
    if qualifier in ("more_than", "at_least") and not (value_max and value_max > value):
        assert v.verdict != S.VERDICT_LARGER
    if qualifier in ("up_to", "less_than") and not (value_max and value_max > value):
        assert v.verdict != S.VERDICT_SMALLER
    assert shown.low <= measured <= shown.high
    assert v.central_in_claim == (claimed.low <= measured <= claimed.high)
    if v.central_in_claim:
        assert v.verdict == S.VERDICT_CONSISTENT


def _table_claims():
    rows = []
    for i, (km2, q) in enumerate([(500, "more_than"), (100, "about"), (5000, "up_to"), (40, "exactly"), (3, "")]):
        for j, side in enumerate([PARTY_SEPARATISTS, PARTY_UKRAINE, ""]):
            for k, date in enumerate(["2015-01-20", "2015-02-25", "2014-10-01"]):
                rows.append(_claim(f"t{i}{j}{k}", float(km2), q, date=date, side=side))
    rows.append(_claim("rng", 200.0, "about", **{S.CLAIM_VALUE_MAX_KM2: 2000.0}))
    return pd.DataFrame(rows)


def test_every_table_row_verdict_agrees_with_the_intervals_it_shows():
    t = claimed_vs_measured(_table_claims(), base_contested(), reference_lines(), front_oblasts())
    assert len(t) == 46
    for _, r in t.iterrows():
        m_low, m_high = r[S.M_MEASURED_LOW_KM2], r[S.M_MEASURED_HIGH_KM2]
        overlap = r["claimed_low_km2"] <= m_high and m_low <= r["claimed_high_km2"]
        assert (r[S.M_VERDICT] == S.VERDICT_CONSISTENT) == overlap, r["explanation"]
        assert r["claim_in_range"] == overlap
        assert r["explanation"].endswith(r[S.M_VERDICT]) or "cannot be excluded" in r["explanation"]


def test_implied_layer_and_popup_show_the_table_verdict():
    from geo.html import esc
    from geo.labels import label
    from geo.maps import implied_popup_html

    claims = load_seed_claims()
    table = verdict_table(claims).set_index(S.CLAIM_ID)
    implied = implied_with_verdicts(claims)
    assert len(implied)
    for _, band in implied.iterrows():
        verdict = table.loc[band[S.CLAIM_ID], S.M_VERDICT]
        assert band[S.M_VERDICT] == verdict
        assert f"<b>{esc(label('verdict', verdict))}</b>" in implied_popup_html(band)
    assert set(implied.set_index(S.CLAIM_ID).loc[["c001"], S.M_VERDICT]) == {S.VERDICT_CONSISTENT}


def test_a_claim_whose_area_cannot_be_measured_is_one_row_saying_why(monkeypatch):
    import shapely.errors

    import geo.analysis.verdict as V

    real = V._contested_for

    def flaky(contested, lines, oblasts, ref):
        if ref == S.LINE_CONTACT_2015_01:
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return real(contested, lines, oblasts, ref)

    monkeypatch.setattr(V, "_contested_for", flaky)
    claims = pd.DataFrame(
        [
            _claim("ok", 500.0, "more_than"),
            _claim("bad", 300.0, date="2015-03-01", **{S.CLAIM_REFERENCE_LINE: S.LINE_CONTACT_2015_01}),
        ]
    )
    t = claimed_vs_measured(claims, base_contested(), reference_lines(), front_oblasts()).set_index(S.CLAIM_ID)
    assert t.loc["ok", S.M_VERDICT] == S.VERDICT_CONSISTENT
    assert t.loc["bad", S.M_VERDICT] == ""
    assert pd.isna(t.loc["bad", S.M_MEASURED_KM2])
    assert t.loc["bad", "explanation"].startswith("could not be measured: TopologyException")
