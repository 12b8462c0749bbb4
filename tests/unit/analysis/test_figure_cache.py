"""Verdicts and implied bands per (line versions, side): cached == uncached, and invalidation."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from geo import schema as S
from geo.analysis import figure_cache
from geo.analysis.contested import contested_areas
from geo.analysis.implied import BandSolver, implied_areas
from geo.analysis.in_force import lines_in_force
from geo.analysis.layers import base_contested, front_region
from geo.analysis.sides import rule_for
from geo.analysis.verdict import (
    VERDICT_COLUMNS,
    claimed_interval,
    claimed_vs_measured,
    decide,
    explain,
    measure_combination,
    measured_interval,
)
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import line_in_force, reference_lines
from geo.vocab import Grade
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

FIGURES = (40.0, 100.0, 250.0, 500.0, 1200.0, 3000.0)
DATES = ("2014-09-25", "2015-01-20", "2015-01-25", "2015-02-25", "2015-06-01", "2014-01-01", "", "not a date")
SIDES = (PARTY_SEPARATISTS, PARTY_UKRAINE, "")


def _line_ids() -> list[str]:
    return list(reference_lines()[S.LINE_ID])


def _claim(cid, km2, qualifier="", date="2015-01-25", side=PARTY_SEPARATISTS, ref=S.LINE_MINSK_2014, vmax=None):
    row = {c: "" for c in S.CLAIM_COLUMNS}
    row.update(
        {
            S.CLAIM_ID: cid,
            S.CLAIM_KIND: "area",
            S.CLAIM_VALUE_KM2: km2,
            S.CLAIM_QUALIFIER: qualifier,
            S.CLAIM_REFERENCE_LINE: ref,
            S.CLAIM_SIDE: side,
            S.CLAIM_EVENT_DATE: date,
            S.CLAIM_ACTOR: f"actor {cid}",
        }
    )
    if vmax is not None:
        row[S.CLAIM_VALUE_MAX_KM2] = vmax
    return row


# --- the uncached reference: one claim at a time, with the scalar rules -----------------
@functools.lru_cache(maxsize=16)
def _contested_against(ref: str):
    return contested_areas(reference_lines(), front_oblasts(), reference=ref)


def reference_verdicts(claims: pd.DataFrame) -> pd.DataFrame:
    """Claimed vs measured computed claim by claim, nothing shared between claims."""
    lines, contested = reference_lines(), base_contested()
    geom = lines.set_index(S.LINE_ID).geometry
    prec = pd.to_numeric(lines.set_index(S.LINE_ID)[S.LINE_PRECISION_KM], errors="coerce")
    rows = []
    for _, c in claims.iterrows():
        km2 = pd.to_numeric(pd.Series([c[S.CLAIM_VALUE_KM2]]), errors="coerce").iloc[0]
        ref = "" if pd.isna(c[S.CLAIM_REFERENCE_LINE]) else str(c[S.CLAIM_REFERENCE_LINE])
        if not km2 > 0 or ref not in set(geom.index):
            continue
        try:
            to = line_in_force(lines, str(c[S.CLAIM_EVENT_DATE]))
        except ValueError:
            continue
        if to is None:
            continue
        qualifier = str(c.get(S.CLAIM_QUALIFIER) or "")
        side = str(c.get(S.CLAIM_SIDE) or "")
        cmax = pd.to_numeric(pd.Series([c.get(S.CLAIM_VALUE_MAX_KM2)]), errors="coerce").iloc[0]
        cmax = float(cmax) if pd.notna(cmax) else None
        if to == ref:
            measured, half = 0.0, 0.0
        else:
            table = contested if (contested[S.C_FROM_LINE] == ref).any() else _contested_against(ref)
            sel = table[(table[S.C_FROM_LINE] == ref) & (table[S.C_TO_LINE] == to)]
            sel = sel[sel[S.C_HELD_BY] == side] if side else sel
            measured, half = measure_combination(sel, geom[ref], geom[to], prec[ref], prec[to])
        low = max(0.0, measured - half) if np.isfinite(half) else np.nan
        high = measured + half if np.isfinite(half) else np.nan
        v = decide(claimed_interval(km2, qualifier, cmax), measured_interval(measured, low, high), measured)
        rows.append(
            {
                S.CLAIM_ID: str(c[S.CLAIM_ID]),
                S.I_CLAIMED_KM2: float(km2),
                S.CLAIM_QUALIFIER: qualifier,
                S.M_MEASURED_KM2: measured,
                S.M_MEASURED_LOW_KM2: low,
                S.M_MEASURED_HIGH_KM2: high,
                S.M_RATIO: measured / km2,
                S.M_VERDICT: v.verdict,
                S.C_FROM_LINE: ref,
                S.C_TO_LINE: to,
                S.CLAIM_SIDE: side,
                "claim_in_range": (v.verdict == Grade.CONSISTENT) if np.isfinite(half) else None,
                "explanation": explain(v, measured, float(km2), ref, to),
                "claimed_low_km2": v.claimed.low,
                "claimed_high_km2": v.claimed.high,
            }
        )
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


claim_rows = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(FIGURES), st.floats(min_value=1, max_value=20_000), st.sampled_from([0.0, -5.0])),
        st.sampled_from((*S.QUALIFIERS, "")),
        st.sampled_from(DATES),
        st.sampled_from(SIDES),
        st.integers(min_value=0, max_value=12),
        st.one_of(st.none(), st.floats(min_value=1, max_value=20_000)),
    ),
    min_size=1,
    max_size=14,
)


def _claims_from(rows) -> pd.DataFrame:
    ids = [*_line_ids(), "no_such_line", ""]
    return pd.DataFrame(
        [
            _claim(f"r{i}", km2, q, date, side, ids[k % len(ids)], vmax)
            for i, (km2, q, date, side, k, vmax) in enumerate(rows)
        ]
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=claim_rows)
def test_cached_vectorised_verdicts_equal_the_claim_by_claim_computation(rows):
    claims = _claims_from(rows)
    got = claimed_vs_measured(claims, base_contested(), reference_lines(), front_oblasts())
    want = reference_verdicts(claims)
    assert list(got.columns) == VERDICT_COLUMNS
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-12)
    assert [v if v is None else bool(v) for v in got["claim_in_range"]] == list(want["claim_in_range"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=claim_rows)
def test_cached_implied_bands_equal_bands_solved_afresh(rows):
    claims = _claims_from(rows)
    lines, region = reference_lines(), front_region()
    got = implied_areas(claims, lines, region)
    geom = lines.set_index(S.LINE_ID).geometry
    for _, band in got.iterrows():
        ref, side, km2 = band[S.CLAIM_REFERENCE_LINE], band[S.CLAIM_SIDE], band[S.I_CLAIMED_KM2]
        try:
            fresh = BandSolver(geom[ref], region, side, rule_for(lines, ref), line_id=ref).solve(km2)
        except (ValueError, shapely.errors.GEOSException) as exc:
            assert band["error"].startswith("could not be drawn: "), exc
            continue
        assert band["error"] == ""
        assert band[S.AREA_KM2] == pytest.approx(fresh.area_km2, rel=2.5e-4)
        assert band[S.AREA_KM2] == pytest.approx(km2, rel=1.5e-4)
        assert band[S.I_WIDTH_KM] == pytest.approx(fresh.width_km, rel=2e-3)


def test_rows_with_the_same_line_side_and_figure_share_one_band_object():
    claims = pd.DataFrame([_claim("a", 500.0, "more_than"), _claim("b", 500.0, "about"), _claim("c", 250.0)])
    out = implied_areas(claims, reference_lines(), front_region()).set_index(S.CLAIM_ID)
    assert out.loc["a"].geometry is out.loc["b"].geometry
    assert out.loc["a"].geometry is not out.loc["c"].geometry


# --- invalidation ---------------------------------------------------------------------
def _many_claims(n: int = 40) -> pd.DataFrame:
    rnd = np.random.default_rng(7)
    return pd.DataFrame(
        [
            _claim(
                f"m{i}",
                float(rnd.choice(FIGURES[:4])),
                str(rnd.choice(["more_than", "", "about"])),
                str(rnd.choice(["2015-01-25", "2015-02-25"])),
                str(rnd.choice(SIDES[:2])),
            )
            for i in range(n)
        ]
    )


def _edited_line(lines, line_id: str, dlon: float = 0.03):
    """``lines`` with the middle vertex of ``line_id`` moved east by ``dlon`` degrees."""
    out = lines.copy()
    i = out.index[out[S.LINE_ID] == line_id][0]
    coords = np.asarray(out.at[i, "geometry"].coords)
    coords[len(coords) // 2, 0] += dlon
    out.at[i, "geometry"] = LineString(coords)
    return out


def test_editing_a_claim_recomputes_no_measured_area():
    figure_cache.clear()
    claims = _many_claims()
    first = claimed_vs_measured(claims, base_contested(), reference_lines(), front_oblasts())
    computed = figure_cache.MEASURES.misses
    assert 0 < computed <= 4  # two lines in force x two sides, however many claims
    edited = claims.copy()
    edited.loc[0, S.CLAIM_VALUE_KM2] = 777.0
    again = claimed_vs_measured(edited, base_contested(), reference_lines(), front_oblasts())
    assert figure_cache.MEASURES.misses == computed
    assert again.loc[0, S.I_CLAIMED_KM2] == 777.0
    pd.testing.assert_frame_equal(again.iloc[1:], first.iloc[1:])


def test_editing_a_line_recomputes_only_the_combinations_that_use_it():
    figure_cache.clear()
    claims = _many_claims()
    lines = reference_lines()
    before = claimed_vs_measured(claims, base_contested(), lines, front_oblasts()).set_index(S.CLAIM_ID)
    computed = figure_cache.MEASURES.misses
    moved = _edited_line(lines, S.LINE_CONTACT_2015_01)
    after = claimed_vs_measured(claims, contested_areas(moved, front_oblasts()), moved, front_oblasts()).set_index(
        S.CLAIM_ID
    )
    jan = before[S.C_TO_LINE] == S.LINE_CONTACT_2015_01
    n_jan_combos = before.loc[jan, S.CLAIM_SIDE].nunique()
    assert figure_cache.MEASURES.misses == computed + n_jan_combos
    assert (after.loc[jan, S.M_MEASURED_KM2] != before.loc[jan, S.M_MEASURED_KM2]).all()
    pd.testing.assert_frame_equal(after.loc[~jan], before.loc[~jan])


def test_editing_a_claim_solves_only_its_new_figure_and_editing_the_line_solves_again():
    figure_cache.clear()
    claims = pd.DataFrame([_claim(f"s{i}", FIGURES[i % 3]) for i in range(30)])
    lines, region = reference_lines(), front_region()
    first = implied_areas(claims, lines, region)
    assert figure_cache.SOLVERS.misses == 1 and figure_cache.BANDS.misses == 3
    edited = claims.copy()
    edited.loc[4, S.CLAIM_VALUE_KM2] = 333.0
    second = implied_areas(edited, lines, region)
    assert figure_cache.SOLVERS.misses == 1 and figure_cache.BANDS.misses == 4
    assert second.loc[4, S.AREA_KM2] == pytest.approx(333.0, rel=1.5e-4)
    assert second.loc[5].geometry is first.loc[5].geometry  # the other bands were not solved again
    moved = _edited_line(lines, S.LINE_MINSK_2014, dlon=-0.03)
    third = implied_areas(claims, moved, region)
    assert figure_cache.SOLVERS.misses == 2 and figure_cache.BANDS.misses == 7
    assert not third.loc[0].geometry.equals(first.loc[0].geometry)
    assert third.loc[0, S.AREA_KM2] == pytest.approx(FIGURES[0], rel=1.5e-4)


def test_line_versions_change_with_the_line_and_only_for_it():
    lines = reference_lines()
    v0 = figure_cache.line_versions(lines)
    moved = figure_cache.line_versions(_edited_line(lines, S.LINE_CONTACT_2015_01))
    redated = lines.copy()
    redated.loc[redated[S.LINE_ID] == S.LINE_MINSK_2014, S.LINE_PRECISION_KM] = 9.0
    changed = {k for k in v0 if v0[k] != moved[k]}
    assert changed == {S.LINE_CONTACT_2015_01}
    assert {k for k, v in figure_cache.line_versions(redated).items() if v != v0[k]} == {S.LINE_MINSK_2014}
    assert figure_cache.line_versions(lines.copy()) == v0


def test_the_caches_are_bounded():
    cache = figure_cache.BoundedCache("t", 3)
    for k in range(5):
        cache.get_or_compute(k, lambda k=k: k * k)
    assert len(cache) == 3 and 0 not in cache and 4 in cache
    with pytest.raises(ZeroDivisionError):
        cache.get_or_compute("bad", lambda: 1 / 0)
    assert "bad" not in cache


@settings(max_examples=60, deadline=None)
@given(
    dates=st.lists(
        st.one_of(
            st.dates(min_value=pd.Timestamp("2014-01-01").date(), max_value=pd.Timestamp("2016-01-01").date()).map(str),
            st.sampled_from(["", "nan", "2015-13-01", "x"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_lines_in_force_equals_line_in_force_date_by_date(dates):
    lines = reference_lines()

    def one(d):
        try:
            return line_in_force(lines, d) if d else None
        except ValueError:
            return None

    assert lines_in_force(lines, pd.Series(dates)).tolist() == [one(d) for d in dates]
