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

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.contested import contested_areas
from geo.analysis.implied import LOWER_QUALIFIERS, UPPER_QUALIFIERS
from geo.errors import InvalidGeometryError
from geo.measure import geodesic_length_km
from geo.reference.lines import line_in_force
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


def _unmeasured_row(c, claimed: float, qualifier: str, ref_id: str, to_id: str, side: str, exc: Exception) -> dict:
    return {
        **dict.fromkeys(VERDICT_COLUMNS, np.nan),
        S.CLAIM_ID: str(c[S.CLAIM_ID]),
        S.I_CLAIMED_KM2: claimed,
        S.CLAIM_QUALIFIER: qualifier,
        S.M_VERDICT: "",
        S.C_FROM_LINE: ref_id,
        S.C_TO_LINE: to_id,
        S.CLAIM_SIDE: side,
        "claim_in_range": None,
        "explanation": f"could not be measured: {exc}",
    }


def along_length_km(area, line) -> float:
    """Geodesic length (km) of the boundary of ``area`` that lies along ``line``."""
    if area is None or area.is_empty or line is None or line.is_empty:
        return 0.0
    along = shapely.intersection(shapely.boundary(area), shapely.buffer(line, _ALONG_EPS_DEG))
    parts = [p for p in shapely.get_parts(along) if p.geom_type in ("LineString", "LinearRing", "MultiLineString")]
    return float(sum(geodesic_length_km(p) for p in parts))


def _contested_for(contested: gpd.GeoDataFrame, lines, oblasts, ref: str) -> gpd.GeoDataFrame:
    if (contested[S.C_FROM_LINE] == ref).any():
        return contested
    return contested_areas(lines, oblasts, reference=ref)


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
    """
    if claims.empty:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    km2 = pd.to_numeric(claims[S.CLAIM_VALUE_KM2], errors="coerce")
    ref = claims[S.CLAIM_REFERENCE_LINE].fillna("").astype(str)
    cand = claims[(km2 > 0) & ref.isin(set(lines[S.LINE_ID]))]
    geom_by_id = lines.set_index(S.LINE_ID).geometry
    prec_by_id = pd.to_numeric(lines.set_index(S.LINE_ID)[S.LINE_PRECISION_KM], errors="coerce")
    rows = []
    for _, c in cand.iterrows():
        ref_id = str(c[S.CLAIM_REFERENCE_LINE])
        try:
            to_id = line_in_force(lines, str(c[S.CLAIM_EVENT_DATE]))
        except ValueError:
            continue
        if to_id is None:
            continue
        claimed = float(c[S.CLAIM_VALUE_KM2])
        cmax = pd.to_numeric(pd.Series([c.get(S.CLAIM_VALUE_MAX_KM2)]), errors="coerce").iloc[0]
        cmax = float(cmax) if pd.notna(cmax) else None
        qualifier = "" if pd.isna(c.get(S.CLAIM_QUALIFIER)) else str(c.get(S.CLAIM_QUALIFIER) or "")
        side = "" if pd.isna(c.get(S.CLAIM_SIDE)) else str(c.get(S.CLAIM_SIDE) or "")
        if to_id == ref_id:
            measured, half = 0.0, 0.0
        else:
            try:
                table = _contested_for(contested, lines, oblasts, ref_id)
                sel = table[(table[S.C_FROM_LINE] == ref_id) & (table[S.C_TO_LINE] == to_id)]
                if side:
                    sel = sel[sel[S.C_HELD_BY] == side]
                measured = float(sel[S.AREA_KM2].sum())
                area = shapely.union_all(sel.geometry.values) if len(sel) else None
                half = along_length_km(area, geom_by_id[ref_id]) * prec_by_id.get(ref_id, np.nan) + along_length_km(
                    area, geom_by_id[to_id]
                ) * prec_by_id.get(to_id, np.nan)
            except (shapely.errors.GEOSException, InvalidGeometryError) as exc:
                # One claim's geometry failure is that claim's row, never the whole table.
                rows.append(_unmeasured_row(c, claimed, qualifier, ref_id, to_id, side, exc))
                continue
        low = max(0.0, measured - half) if np.isfinite(half) else np.nan
        high = measured + half if np.isfinite(half) else np.nan
        ratio = measured / claimed
        v = decide(claimed_interval(claimed, qualifier, cmax), measured_interval(measured, low, high), measured)
        verdict = v.verdict
        in_range = (verdict == Grade.CONSISTENT) if np.isfinite(half) else None
        rows.append(
            {
                S.CLAIM_ID: str(c[S.CLAIM_ID]),
                S.I_CLAIMED_KM2: claimed,
                S.CLAIM_QUALIFIER: qualifier,
                S.M_MEASURED_KM2: measured,
                S.M_MEASURED_LOW_KM2: low,
                S.M_MEASURED_HIGH_KM2: high,
                S.M_RATIO: ratio,
                S.M_VERDICT: verdict,
                S.C_FROM_LINE: ref_id,
                S.C_TO_LINE: to_id,
                S.CLAIM_SIDE: side,
                "claim_in_range": in_range,
                "explanation": explain(v, measured, claimed, ref_id, to_id),
                "claimed_low_km2": v.claimed.low,
                "claimed_high_km2": v.claimed.high,
            }
        )
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)
