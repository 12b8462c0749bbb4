import pandas as pd

from geo import schema as S
from geo.analysis.conflicts import conflicting_groups, disagreement_reason
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
