import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import schema as S
from geo.analysis.conflicts import conflicting_groups, disagreement_reason, group_preview
from geo.analysis.layers import base_contested
from geo.reference.lines import reference_lines
from tests.support.parties import PARTY_SEPARATISTS


def _claims(rows):
    base = {c: "" for c in S.CLAIM_COLUMNS}
    df = pd.DataFrame([{**base, **r} for r in rows])
    for col in (S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def test_figures_within_tolerance_agree_and_beyond_disagree():
    g = _claims(
        [{S.CLAIM_STANCE: "asserts", S.CLAIM_VALUE_KM2: 500}, {S.CLAIM_STANCE: "asserts", S.CLAIM_VALUE_KM2: 510}]
    )
    assert disagreement_reason(g) == ""
    g.loc[1, S.CLAIM_VALUE_KM2] = 1200
    assert "figures differ: 500 to 1,200 km²" in disagreement_reason(g)


def test_conflicting_claims_about_the_same_area_are_grouped_not_merged():
    rows = [
        {S.CLAIM_ID: "k1", S.CLAIM_STANCE: "asserts", S.CLAIM_KIND: "area", S.CLAIM_VALUE_KM2: 500},
        {S.CLAIM_ID: "k2", S.CLAIM_STANCE: "asserts", S.CLAIM_KIND: "area", S.CLAIM_VALUE_KM2: 1200},
        {S.CLAIM_ID: "k3", S.CLAIM_STANCE: "denies", S.CLAIM_KIND: ""},
        {
            S.CLAIM_ID: "k4",
            S.CLAIM_STANCE: "asserts",
            S.CLAIM_KIND: "area",
            S.CLAIM_VALUE_KM2: 300,
            S.CLAIM_EVENT_DATE: "2014-09-19",
        },
    ]
    claims = _claims(rows)
    claims[S.CLAIM_REFERENCE_LINE] = S.AGREED_LINE
    claims[S.CLAIM_SIDE] = PARTY_SEPARATISTS
    claims.loc[claims[S.CLAIM_EVENT_DATE] == "", S.CLAIM_EVENT_DATE] = "2015-01-25"
    out = conflicting_groups(claims, base_contested(), reference_lines())
    assert sorted(out[S.CLAIM_ID]) == ["k1", "k2", "k3"]  # k4 is about another date: not in the group
    assert out["group"].nunique() == 1
    assert "figures differ" in out["reason"].iloc[0] and "stances differ" in out["reason"].iloc[0]
    assert len(out) == 3  # one row per claim: nothing merged


def test_no_groups_when_nothing_disagrees():
    claims = _claims([{S.CLAIM_ID: "x", S.CLAIM_STANCE: "asserts", S.CLAIM_KIND: "area", S.CLAIM_VALUE_KM2: 5}])
    out = conflicting_groups(claims, base_contested(), reference_lines())
    assert out.empty and "group" in out.columns


def _group(figures, column=S.CLAIM_VALUE_KM2):
    return pd.DataFrame(
        {S.CLAIM_ID: [f"c{i:03d}" for i in range(len(figures))], column: pd.array(figures, dtype="float64")},
        index=range(100, 100 + len(figures)),  # a group keeps the index it has in the whole frame
    )


def test_a_small_group_is_shown_whole():
    g = _group([500, 1200, 300])
    pd.testing.assert_frame_equal(group_preview(g, 8), g)


@pytest.mark.parametrize("column", [S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM])
def test_a_large_group_shows_its_two_ends_then_the_earliest_in_order(column):
    figures = [50, 40, 30, 20, 10, 60, 70, 2000, 5, 80]
    out = group_preview(_group(figures, column), 4)
    # the lowest (5, c008) and highest (2000, c007), then the two earliest others (c000, c001)
    assert out[S.CLAIM_ID].tolist() == ["c000", "c001", "c007", "c008"]


def test_without_figures_the_earliest_are_shown():
    out = group_preview(_group([None] * 12), 3)
    assert out[S.CLAIM_ID].tolist() == ["c000", "c001", "c002"]


@given(
    figures=st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=40),
    limit=st.integers(1, 12),
)
def test_any_preview_keeps_the_order_the_limit_and_the_extremes(figures, limit):
    g = _group(figures)
    out = group_preview(g, limit)
    assert len(out) == min(len(g), limit)
    assert list(out.index) == sorted(out.index) and set(out.index) <= set(g.index)
    known = g[S.CLAIM_VALUE_KM2].dropna()
    if len(g) > limit and len(known) and limit >= 2:
        assert known.min() in out[S.CLAIM_VALUE_KM2].tolist() and known.max() in out[S.CLAIM_VALUE_KM2].tolist()
