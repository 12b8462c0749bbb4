"""Claimed vs measured: whether an area figure fits the lines we have.

For each claim with an area figure (``value_km2``) and a reference line, the
*measured* area is the ground between the reference line and the line of
contact in force at the claim's event date (:func:`geo.reference.lines.line_in_force`:
the latest agreed/contact line dated on or before it), held by the side the
claim names. It is read from the contested-areas layer
(:func:`geo.analysis.contested.contested_areas`), not recomputed; only a reference line
that layer was not built for is measured afresh. A claim naming no side is
compared with both sides' areas together. When the line in force is the
reference line itself, the measured area is 0.

Uncertainty (``measured_low_km2`` .. ``measured_high_km2``): each line carries
a ``precision_km`` (how far its drawing may be from the true position). The
boundary of the measured area runs along the two lines wherever they
diverge; shifting a stretch of length ``L`` by ``p`` changes the area by at
most ``L·p``. The half-width of the range is therefore
``L_ref·p_ref + L_to·p_to``, where ``L_ref`` and ``L_to`` are the geodesic
lengths of the area's boundary lying along the reference line and along the
line in force. This is a worst case (every stretch displaced the same way);
the low end is clipped at 0. Stretches where the lines coincide add nothing:
they were drawn from the same reading, so an error there moves both lines
together and leaves the area unchanged. A line with no precision gives no
range (NaN).

Verdict rule: one function, :func:`decide`, compares two intervals.

- The *claimed interval* (:func:`claimed_interval`) follows the qualifier of
  a figure ``v``: ``more_than`` / ``at_least`` -> [v, inf); ``less_than`` /
  ``up_to`` -> [0, v]; ``about`` or no qualifier -> [v·(1-TOLERANCE),
  v·(1+TOLERANCE)] with :data:`TOLERANCE` = 0.25 (reported figures are
  rounded); ``exactly`` -> [v, v]; a range (``value_max_km2`` > ``v``) ->
  [v, value_max_km2] whatever the qualifier.
- The *measured interval* is [``measured_low_km2``, ``measured_high_km2``]
  from the lines' precision (above), or the point [m, m] when the lines carry
  no precision; ``measured_km2`` is the central estimate inside it.
- ``consistent`` if and only if the two intervals overlap (the lines cannot
  exclude the claim); otherwise ``smaller`` (the whole measured interval lies
  below the claimed one) or ``larger`` (above). ``claim_in_range`` is that
  same overlap (None when the lines carry no precision), so a verdict can
  never contradict the range shown beside it: a ``more_than 500`` claim
  against a measured range of 0-1,227 km² is ``consistent`` even though the
  central estimate (151 km²) is below 500; the explanation says so.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis import figure_cache as cache
from geo.analysis.contested import contested_areas
from geo.analysis.figure_cache import geometry_key, line_versions
from geo.analysis.implied import LOWER_QUALIFIERS, UPPER_QUALIFIERS
from geo.analysis.join import claim_targets
from geo.errors import InvalidGeometryError
from geo.measure import geodesic_length_km
from geo.vocab import Grade

#: Relative slack of the verdict: within ±25% is consistent.
TOLERANCE = 0.25
#: Buffer (degrees, about 0.1 m) used to find the boundary stretches lying along a line.
_ALONG_EPS_DEG = 1e-6

VERDICT_COLUMNS = [
    S.CLAIM_ID,
    S.I_CLAIMED_KM2,
    S.CLAIM_QUALIFIER,
    S.M_MEASURED_KM2,
    S.M_MEASURED_LOW_KM2,
    S.M_MEASURED_HIGH_KM2,
    S.M_RATIO,
    S.M_VERDICT,
    S.C_FROM_LINE,
    S.C_TO_LINE,
    S.CLAIM_SIDE,
    "claim_in_range",
    "explanation",
    "claimed_low_km2",
    "claimed_high_km2",
]


class Interval(NamedTuple):
    """A closed interval of km², ``low <= high``; ``high`` may be ``inf``."""

    low: float
    high: float

    def overlaps(self, other: Interval) -> bool:
        """True when the two closed intervals share at least one value."""
        return self.low <= other.high and other.low <= self.high


class Verdict(NamedTuple):
    """The outcome of :func:`decide`.

    ``verdict`` is ``consistent``, ``larger`` or ``smaller`` (the measured area
    relative to the claim); ``claimed`` and ``measured`` are the intervals it
    was decided from; ``central_in_claim`` says whether the central measured
    estimate itself lies in the claimed interval (a consistent verdict whose
    central estimate does not is "not excluded by the lines' precision").
    """

    verdict: str
    claimed: Interval
    measured: Interval
    central_in_claim: bool


def claimed_interval(value_km2: float, qualifier: str = "", value_max_km2: float | None = None) -> Interval:
    """The interval of km² a figure claims (rules in the module docstring).

    Examples
    --------
    >>> claimed_interval(500.0, "more_than"), claimed_interval(500.0, "up_to")
    (Interval(low=500.0, high=inf), Interval(low=0.0, high=500.0))
    >>> claimed_interval(400.0, "about"), claimed_interval(200.0, "about", 300.0)
    (Interval(low=300.0, high=500.0), Interval(low=200.0, high=300.0))
    """
    v = float(value_km2)
    if value_max_km2 is not None and np.isfinite(value_max_km2) and value_max_km2 > v:
        return Interval(v, float(value_max_km2))
    if qualifier in LOWER_QUALIFIERS:
        return Interval(v, float("inf"))
    if qualifier in UPPER_QUALIFIERS:
        return Interval(0.0, v)
    if qualifier == "exactly":
        return Interval(v, v)
    return Interval(v * (1.0 - TOLERANCE), v * (1.0 + TOLERANCE))


def measured_interval(measured_km2: float, low_km2: float = np.nan, high_km2: float = np.nan) -> Interval:
    """[low, high] from the lines' precision, or the point [m, m] when the range is unknown (NaN)."""
    if np.isfinite(low_km2) and np.isfinite(high_km2):
        return Interval(float(min(low_km2, measured_km2)), float(max(high_km2, measured_km2)))
    return Interval(float(measured_km2), float(measured_km2))


def decide(claimed: Interval, measured: Interval, central_km2: float | None = None) -> Verdict:
    """The one verdict rule: ``consistent`` iff the intervals overlap, else ``smaller`` / ``larger``.

    Every place that shows a verdict (the claimed-vs-measured table, the
    implied layer and its popups, exports) gets it from here, through
    :func:`claimed_vs_measured`.

    Examples
    --------
    >>> decide(Interval(500.0, float("inf")), Interval(0.0, 1227.0), 151.0).verdict
    'consistent'
    >>> decide(Interval(375.0, 625.0), Interval(100.0, 200.0)).verdict
    'smaller'
    """
    if claimed.overlaps(measured):
        verdict = Grade.CONSISTENT.value
    elif measured.high < claimed.low:
        verdict = Grade.SMALLER.value
    else:
        verdict = Grade.LARGER.value
    central = 0.5 * (measured.low + measured.high) if central_km2 is None else float(central_km2)
    return Verdict(verdict, claimed, measured, bool(claimed.low <= central <= claimed.high))


def verdict_for(
    measured_km2: float, claimed_km2: float, qualifier: str = "", claimed_max_km2: float | None = None
) -> str:
    """The verdict of a point measurement (no precision range): :func:`decide` on [m, m].

    Examples
    --------
    >>> verdict_for(89.0, 500.0, "more_than"), verdict_for(600.0, 500.0, "more_than")
    ('smaller', 'consistent')
    >>> verdict_for(700.0, 500.0), verdict_for(700.0, 500.0, "less_than")
    ('larger', 'larger')
    """
    claimed = claimed_interval(claimed_km2, qualifier, claimed_max_km2)
    return decide(claimed, measured_interval(measured_km2), measured_km2).verdict


def _claim_words(claimed: Interval) -> str:
    if not np.isfinite(claimed.high):
        return f"{claimed.low:,.0f} km² or more"
    if claimed.low == claimed.high:
        return f"exactly {claimed.low:,.0f} km²"
    return f"{claimed.low:,.0f}-{claimed.high:,.0f} km²"


def explain(v: Verdict, central_km2: float, claimed_km2: float, from_line: str, to_line: str) -> str:
    """Plain words for one verdict, naming both intervals it was decided from."""
    m = v.measured
    rng = f" (range {m.low:,.0f}-{m.high:,.0f} km² from the lines' precision)" if m.low < m.high else ""
    ratio = central_km2 / claimed_km2 if claimed_km2 else float("nan")
    text = (
        f"measured {central_km2:,.0f} km²{rng} between {from_line} and {to_line} is "
        f"{ratio:.0%} of the claimed {claimed_km2:,.0f} km² (claim: {_claim_words(v.claimed)}): {v.verdict}"
    )
    if v.verdict == Grade.CONSISTENT and not v.central_in_claim:
        text += " (the claim cannot be excluded by the lines' precision, though the central estimate is outside it)"
    return text


def along_length_km(area, line) -> float:
    """Geodesic length (km) of the boundary of ``area`` that lies along ``line``."""
    if area is None or area.is_empty or line is None or line.is_empty:
        return 0.0
    along = shapely.intersection(shapely.boundary(area), shapely.buffer(line, _ALONG_EPS_DEG))
    parts = [p for p in shapely.get_parts(along) if p.geom_type in ("LineString", "LinearRing", "MultiLineString")]
    return float(sum(geodesic_length_km(p) for p in parts))


def _contested_for(contested: gpd.GeoDataFrame, lines, oblasts, ref: str, versions: dict | None = None):
    """``contested`` if it was built against ``ref``, else the areas against ``ref`` (cached per line versions)."""
    if (contested[S.C_FROM_LINE] == ref).any():
        return contested
    versions = line_versions(lines) if versions is None else versions
    key = (tuple(sorted(versions.items())), tuple(geometry_key(g) for g in oblasts.geometry.values), ref)
    return cache.CONTESTED.get_or_compute(key, lambda: contested_areas(lines, oblasts, reference=ref))


def measure_combination(areas: gpd.GeoDataFrame, ref_line, to_line, ref_precision_km: float, to_precision_km: float):
    """``(measured km², half-width km²)`` of the contested ``areas`` selected for one combination.

    ``measured`` is the sum of their geodesic ``area_km2``; the half-width of
    the precision range is ``L_ref·p_ref + L_to·p_to`` (module docstring), NaN
    when a line has no precision. This is the geometric part of a verdict:
    every claim of the same (reference line, line in force, side) shares it.
    """
    measured = float(areas[S.AREA_KM2].sum())
    area = shapely.union_all(areas.geometry.values) if len(areas) else None
    half = along_length_km(area, ref_line) * ref_precision_km + along_length_km(area, to_line) * to_precision_km
    return measured, float(half)


def _selected(table: gpd.GeoDataFrame, ref_id: str, to_id: str, side: str) -> np.ndarray:
    """Mask of the areas of ``table`` between ``ref_id`` and ``to_id`` held by ``side`` (any side if blank)."""
    mask = (table[S.C_FROM_LINE].to_numpy() == ref_id) & (table[S.C_TO_LINE].to_numpy() == to_id)
    return mask & (table[S.C_HELD_BY].to_numpy() == side) if side else mask


def _row_digests(table: gpd.GeoDataFrame) -> np.ndarray:
    """One digest per contested area (geometry and area): a selection's key is the tuple of its rows'."""
    return np.array(
        [f"{geometry_key(g)}:{a!r}" for g, a in zip(table.geometry.values, table[S.AREA_KM2].astype(float))],
        dtype=object,
    )


def _combination(tables, versions, geom_by_id, prec_by_id, ref_id: str, to_id: str, side: str):
    """(measured, half, error text) of one combination, from :data:`geo.analysis.figure_cache.MEASURES`.

    ``tables(ref_id)`` gives the contested areas against ``ref_id`` and their row digests. The key
    holds the versions of both lines and the digests of the selected areas only, so editing a line
    recomputes the combinations that use it and no other.
    """
    if to_id == ref_id:
        return 0.0, 0.0, ""
    try:
        table, digests = tables(ref_id)
        mask = _selected(table, ref_id, to_id, side)
        p_ref, p_to = float(prec_by_id.get(ref_id, np.nan)), float(prec_by_id.get(to_id, np.nan))
        key = (versions[ref_id], versions[to_id], side, p_ref, p_to, tuple(digests[mask]))
        measured, half = cache.MEASURES.get_or_compute(
            key, lambda: measure_combination(table[mask], geom_by_id[ref_id], geom_by_id[to_id], p_ref, p_to)
        )
    except (shapely.errors.GEOSException, InvalidGeometryError) as exc:
        # One combination's geometry failure is its claims' rows, never the whole table.
        return np.nan, np.nan, f"could not be measured: {exc}"
    return measured, half, ""


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as text, ``""`` where missing or absent (what ``str(x or "")`` gives per cell)."""
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    filled = frame[col].astype(object).where(frame[col].notna(), "")
    return filled.astype(str).where(filled.map(bool), "")


def claimed_intervals(value_km2, qualifier, value_max_km2) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`claimed_interval`: arrays of the low and high ends.

    >>> lo, hi = claimed_intervals([500.0, 400.0, 200.0], ["more_than", "about", ""], [np.nan, np.nan, 300.0])
    >>> lo.tolist(), hi.tolist()
    ([500.0, 300.0, 200.0], [inf, 500.0, 300.0])
    """
    v = np.asarray(value_km2, dtype=float)
    q = np.asarray(qualifier, dtype=object)
    vmax = np.asarray(value_max_km2, dtype=float)
    ranged = np.isfinite(vmax) & (vmax > v)
    lower, upper, exact = np.isin(q, LOWER_QUALIFIERS), np.isin(q, UPPER_QUALIFIERS), q == "exactly"
    low = np.select([ranged, lower, upper, exact], [v, v, 0.0, v], v * (1.0 - TOLERANCE))
    high = np.select([ranged, lower, upper, exact], [vmax, np.inf, v, v], v * (1.0 + TOLERANCE))
    return low, high


def decide_many(claimed_low, claimed_high, measured, low, high) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`decide` with :func:`measured_interval`: ``(verdicts, central_in_claim)``.

    >>> v, c = decide_many([500.0, 375.0], [np.inf, 625.0], [151.0, 150.0], [0.0, np.nan], [1227.0, np.nan])
    >>> v.tolist(), c.tolist()
    (['consistent', 'smaller'], [False, False])
    """
    c_low, c_high = np.asarray(claimed_low, dtype=float), np.asarray(claimed_high, dtype=float)
    m, lo, hi = (np.asarray(a, dtype=float) for a in (measured, low, high))
    ranged = np.isfinite(lo) & np.isfinite(hi)
    m_low = np.where(ranged, np.minimum(lo, m), m)
    m_high = np.where(ranged, np.maximum(hi, m), m)
    overlap = (c_low <= m_high) & (m_low <= c_high)
    verdict = np.where(
        overlap, Grade.CONSISTENT.value, np.where(m_high < c_low, Grade.SMALLER.value, Grade.LARGER.value)
    ).astype(object)
    return verdict, (c_low <= m) & (m <= c_high)


def _explanations(frame: pd.DataFrame) -> pd.Series:
    """:func:`explain` of each row, computed once per distinct combination of what it reads."""
    cols = [S.I_CLAIMED_KM2, "claimed_low_km2", "claimed_high_km2", S.M_MEASURED_KM2, "_m_low", "_m_high"]
    cols += [S.M_VERDICT, "_central", S.C_FROM_LINE, S.C_TO_LINE]
    distinct = frame[cols].drop_duplicates()
    texts = [
        explain(
            Verdict(verdict, Interval(c_low, c_high), Interval(m_low, m_high), bool(central)),
            measured,
            claimed,
            ref_id,
            to_id,
        )
        for claimed, c_low, c_high, measured, m_low, m_high, verdict, central, ref_id, to_id in distinct.itertuples(
            index=False, name=None
        )
    ]
    keyed = distinct.assign(_text=texts)
    return frame[cols].merge(keyed, on=cols, how="left")["_text"].set_axis(frame.index)


def claimed_vs_measured(
    claims: pd.DataFrame,
    contested: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame,
    oblasts: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """One row per figure claim: claimed vs measured km², ratio and verdict.

    Parameters
    ----------
    claims : DataFrame
        Claims (``claim_id``, ``value_km2``, ``qualifier``, ``reference_line``,
        ``side``, ``event_date``; optional ``value_max_km2``).
    contested : GeoDataFrame
        The contested-areas layer (areas against other reference lines are
        computed on demand).
    lines, oblasts : GeoDataFrame
        Reference lines and front oblasts (the shipped ones:
        :func:`geo.analysis.layers.verdict_table`).

    Returns
    -------
    DataFrame
        Columns :data:`VERDICT_COLUMNS`: ``claim_id``, ``claimed_km2``,
        ``qualifier``, ``measured_km2``, ``measured_low_km2``,
        ``measured_high_km2``, ``ratio`` (measured / claimed), ``verdict``
        (``consistent``, ``larger``, ``smaller``: the measured area relative to
        the claim), ``from_line``, ``to_line`` (the line in force at the event
        date), ``side``, ``claim_in_range`` (the claimed and measured
        intervals overlap, i.e. ``verdict == "consistent"``; None when the
        lines carry no precision), a plain ``explanation`` naming both
        intervals, and ``claimed_low_km2`` / ``claimed_high_km2`` (the claimed
        interval of :func:`claimed_interval`). A claim whose area cannot be
        measured (a geometry error) keeps its row: NaN figures, ``verdict``
        ``""`` and ``explanation`` "could not be measured: why". Claims without a figure, line
        or parsable event date
        are left out.

    Notes
    -----
    The geometric part (:func:`measure_combination`) is computed once per
    distinct (reference line, line in force, side) and cached by line versions
    (:mod:`geo.analysis.figure_cache`); the per-claim part (intervals, verdict,
    ratio) is vectorised. Editing a claim recomputes no area.
    """
    if claims.empty:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    km2 = pd.to_numeric(claims[S.CLAIM_VALUE_KM2], errors="coerce")
    ref = claims[S.CLAIM_REFERENCE_LINE].fillna("").astype(str)
    cand = claims[(km2 > 0) & ref.isin(set(lines[S.LINE_ID]))]
    to_id = claim_targets(cand, lines) if len(cand) else pd.Series(dtype=object)
    cand = cand[to_id.notna()]
    if cand.empty:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    out = pd.DataFrame(
        {
            S.CLAIM_ID: cand[S.CLAIM_ID].astype(str),
            S.I_CLAIMED_KM2: km2[cand.index].astype(float),
            S.CLAIM_QUALIFIER: _text(cand, S.CLAIM_QUALIFIER),
            S.C_FROM_LINE: ref[cand.index],
            S.C_TO_LINE: to_id[cand.index].astype(str),
            S.CLAIM_SIDE: _text(cand, S.CLAIM_SIDE),
        }
    )
    cmax = (
        pd.to_numeric(cand[S.CLAIM_VALUE_MAX_KM2], errors="coerce").astype(float)
        if S.CLAIM_VALUE_MAX_KM2 in cand.columns
        else pd.Series(np.nan, index=cand.index)
    )
    # The geometric part: once per distinct (reference line, line in force, side).
    versions = line_versions(lines)
    geom_by_id = lines.set_index(S.LINE_ID).geometry
    prec_by_id = pd.to_numeric(lines.set_index(S.LINE_ID)[S.LINE_PRECISION_KM], errors="coerce")
    combos = out[[S.C_FROM_LINE, S.C_TO_LINE, S.CLAIM_SIDE]].drop_duplicates()

    @functools.cache
    def tables(ref_id: str) -> tuple[gpd.GeoDataFrame, tuple]:
        table = _contested_for(contested, lines, oblasts, ref_id)
        return table, _row_digests(table)

    parts = [
        (r, t, sd, *_combination(tables, versions, geom_by_id, prec_by_id, r, t, sd))
        for r, t, sd in combos.itertuples(index=False, name=None)
    ]
    geo_part = pd.DataFrame(parts, columns=[S.C_FROM_LINE, S.C_TO_LINE, S.CLAIM_SIDE, "_m", "_half", "_error"])
    merged = out.merge(geo_part, on=[S.C_FROM_LINE, S.C_TO_LINE, S.CLAIM_SIDE], how="left").set_axis(out.index)
    # The per-claim part, vectorised.
    measured, half = merged["_m"].to_numpy(float), merged["_half"].to_numpy(float)
    failed = (merged["_error"] != "").to_numpy()
    finite = np.isfinite(half)
    low = np.where(finite, np.maximum(0.0, measured - half), np.nan)
    high = np.where(finite, measured + half, np.nan)
    c_low, c_high = claimed_intervals(out[S.I_CLAIMED_KM2], out[S.CLAIM_QUALIFIER], cmax)
    verdict, central = decide_many(c_low, c_high, measured, low, high)
    ranged = np.isfinite(low) & np.isfinite(high)
    out[S.M_MEASURED_KM2] = measured
    out[S.M_MEASURED_LOW_KM2] = low
    out[S.M_MEASURED_HIGH_KM2] = high
    out[S.M_RATIO] = measured / out[S.I_CLAIMED_KM2].to_numpy(float)
    out[S.M_VERDICT] = verdict
    in_range = [bool(v == Grade.CONSISTENT.value) if f else None for v, f in zip(verdict, finite)]
    out["claim_in_range"] = pd.Series(in_range, index=out.index, dtype=object)
    out["claimed_low_km2"], out["claimed_high_km2"] = c_low, c_high
    out["_m_low"] = np.where(ranged, np.minimum(low, measured), measured)
    out["_m_high"] = np.where(ranged, np.maximum(high, measured), measured)
    out["_central"] = central
    out["explanation"] = _explanations(out) if (~failed).any() else ""
    if failed.any():
        nan_cols = [S.M_MEASURED_KM2, S.M_MEASURED_LOW_KM2, S.M_MEASURED_HIGH_KM2, S.M_RATIO]
        out.loc[failed, nan_cols + ["claimed_low_km2", "claimed_high_km2"]] = np.nan
        out.loc[failed, S.M_VERDICT] = ""
        out.loc[failed, "claim_in_range"] = None
        out.loc[failed, "explanation"] = merged.loc[failed, "_error"]
    return out[VERDICT_COLUMNS].reset_index(drop=True)
