"""Claimed vs measured: measured area from the contested layer, verdict rules, ranges."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, box

from geo import schema as S
from geo.layers import base_contested, build_layers
from geo.sources import load_seed_claims
from geo.verdict import (
    VERDICT_COLUMNS,
    along_length_km,
    claimed_vs_measured,
    implied_with_verdicts,
    verdict_for,
    verdict_table,
)


def _claim(cid, km2, qualifier="", date="2015-01-20", side=S.PARTY_SEPARATISTS, **extra):
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
    measured = _area(S.LINE_CONTACT_2015_01, S.PARTY_SEPARATISTS)
    assert row[S.M_MEASURED_KM2] == pytest.approx(measured)
    assert row[S.M_RATIO] == pytest.approx(measured / 500.0)
    assert row[S.M_VERDICT] == verdict_for(measured, 500.0, "more_than")
    assert row[S.M_MEASURED_LOW_KM2] <= row[S.M_MEASURED_KM2] <= row[S.M_MEASURED_HIGH_KM2]


def test_line_in_force_follows_event_date():
    claims = pd.DataFrame(
        [
            _claim("a", 700.0, date="2015-02-25"),
            _claim("b", 700.0, date="2014-10-01"),
            _claim("c", 100.0, date="2015-02-25", side=S.PARTY_UKRAINE),
            _claim("d", 100.0, date="2015-02-25", side=""),
            _claim("e", 100.0, date="not a date"),
        ]
    )
    t = claimed_vs_measured(claims).set_index(S.CLAIM_ID)
    assert "e" not in t.index
    assert t.loc["a", S.C_TO_LINE] == S.LINE_CONTACT_2015_02
    assert t.loc["a", S.M_MEASURED_KM2] == pytest.approx(_area(S.LINE_CONTACT_2015_02, S.PARTY_SEPARATISTS))
    # before any later line, the line in force is the reference itself: nothing measured
    assert t.loc["b", S.C_TO_LINE] == S.LINE_MINSK_2014
    assert t.loc["b", S.M_MEASURED_KM2] == 0.0
    assert t.loc["b", S.M_VERDICT] == S.VERDICT_SMALLER
    assert t.loc["c", S.M_MEASURED_KM2] == pytest.approx(_area(S.LINE_CONTACT_2015_02, S.PARTY_UKRAINE))
    both = _area(S.LINE_CONTACT_2015_02, S.PARTY_UKRAINE) + _area(S.LINE_CONTACT_2015_02, S.PARTY_SEPARATISTS)
    assert t.loc["d", S.M_MEASURED_KM2] == pytest.approx(both)


@pytest.mark.parametrize(
    ("measured", "claimed", "qualifier", "cmax", "expected"),
    [
        (500, 500, "", None, "consistent"),
        (376, 500, "about", None, "consistent"),
        (374, 500, "about", None, "smaller"),
        (626, 500, "exactly", None, "larger"),
        (5000, 500, "more_than", None, "consistent"),
        (380, 500, "at_least", None, "consistent"),
        (300, 500, "more_than", None, "smaller"),
        (10, 500, "up_to", None, "consistent"),
        (700, 500, "less_than", None, "larger"),
        (450, 200, "about", 400, "consistent"),
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
