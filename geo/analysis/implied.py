"""Implied areas: what an area figure means on the ground beyond a reference line.

A claim such as "more than 500 sq km beyond the Minsk lines" gives a figure
and a line but no polygon. The *implied band* is the strip of ground beyond
the reference line, on the side the claim names, clipped to the front
oblasts, whose geodesic area equals the figure. It is not a reported line:
it only shows how deep the figure would reach if the ground were taken evenly
along the whole line.

Side convention (``side`` column of a claim): the party that took ground beyond
the line, i.e. ground on the side the line's side rule (:mod:`geo.analysis.sides`)
gives to the other party. With the Donbas rule (the separatists hold the side
containing Donetsk), ``separatists`` means ground on Ukraine's side of the line.

Method: the line and the side polygon are projected to an azimuthal
equidistant CRS centred on the line (metres); the band of width ``w`` is the
line's buffer of radius ``w`` (round joins) intersected with that side; its
area is taken geodesically after projecting back to EPSG:4326. The area grows
monotonically with ``w``, so ``w`` is solved by bracketing and the Illinois
(regula falsi) method to a relative area tolerance of 1e-4.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> from geo.analysis.sides import SideRule
>>> rule = SideRule("point", "east", "west", 38.5, 48.0)
>>> solver = BandSolver(LineString([(38.0, 49.0), (38.0, 47.0)]), box(37.0, 47.0, 39.0, 49.0), "east", rule)
>>> band = solver.solve(1000.0)
>>> abs(band.area_km2 - 1000.0) < 1.0, round(band.width_km, 1)
(True, 4.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.sides import SideRule, control_from_line, rule_for
from geo.cells import cell_text
from geo.errors import InvalidGeometryError, SideRuleError
from geo.measure import from_local, geodesic_area_km2, geodesic_length_km, local_aeqd, to_local
from geo.shapes import polygonal, valid_polygonal
from geo.vocab import Bound

#: Relative tolerance on the band's area when solving its width.
AREA_RTOL = 1e-4
#: Segments per quarter circle of the buffers (joins stay within 0.5% of the radius).
QUAD_SEGS = 16
#: Widest band tried before the figure is declared larger than the ground available.
MAX_WIDTH_KM = 400.0
IMPLIED_LABEL = "implied by the figure, not a reported line"
#: Column of the implied layer: "" when the band was drawn, else "could not be drawn: why".
IMPLIED_ERROR = "error"

LOWER_QUALIFIERS = ("more_than", "at_least")
UPPER_QUALIFIERS = ("less_than", "up_to")


def bound_of(qualifier: str) -> str:
    """``lower`` for more_than/at_least, ``upper`` for less_than/up_to, else ``estimate``."""
    if qualifier in LOWER_QUALIFIERS:
        return Bound.LOWER.value
    if qualifier in UPPER_QUALIFIERS:
        return Bound.UPPER.value
    return Bound.ESTIMATE.value


def side_beyond(line, region, side: str, rule: SideRule, *, line_id: str = "(unnamed)"):
    """The part of ``region`` beyond ``line`` on which party ``side`` gained ground (EPSG:4326).

    That is the ground the line's side ``rule`` gives to the other parties: with
    ``rule = SideRule("point", "separatists", "ukraine", ...)``, ``side = "separatists"``
    gives Ukraine's side of the line and ``side = "ukraine"`` the separatists' side.
    """
    if not isinstance(rule, SideRule) or side not in rule.parties:
        known = " or ".join(repr(p) for p in rule.parties) if isinstance(rule, SideRule) else "a party of its side rule"
        raise ValueError(f"side must be {known}, not {side!r}")
    control = control_from_line(line, region, rule, line_id=line_id)
    return polygonal(shapely.union_all([g for party, g in control.items() if party != side]))


@dataclass(frozen=True)
class Band:
    """A solved band: geometry (EPSG:4326), geodesic area and width."""

    geometry: shapely.Geometry
    area_km2: float
    width_km: float


class BandSolver:
    """Bands of growing width beyond one line, on one side, within a region.

    Parameters
    ----------
    line : LineString
        The reference line (EPSG:4326), following the convention of :mod:`geo.reference.lines`.
    region : Polygon or MultiPolygon
        Where ground can lie (EPSG:4326), e.g. the front oblasts.
    side : str
        The party that gained ground beyond the line (see the module docstring).
    rule : SideRule
        The line's side rule (:mod:`geo.analysis.sides`).
    """

    def __init__(self, line, region, side: str, rule: SideRule, *, line_id: str = "(unnamed)"):
        if line is None or line.is_empty:
            raise InvalidGeometryError("an implied band needs a non-empty reference line")
        beyond = side_beyond(line, region, side, rule, line_id=line_id)
        if beyond.is_empty:
            raise InvalidGeometryError(f"no ground of the region lies on the {side} side of the line")
        c = line.centroid
        self.crs = local_aeqd(c.x, c.y)
        self.line_local = to_local(line, self.crs)
        # Reprojection can fold near-coincident vertices into a self-intersection (a valid
        # polygon in degrees, invalid in metres): repair it, or GEOS overlay raises.
        self.side_local = valid_polygonal(to_local(beyond, self.crs))
        if self.side_local.is_empty:
            raise InvalidGeometryError(f"the ground on the {side} side of the line could not be repaired")
        shapely.prepare(self.side_local)
        self.line_km = geodesic_length_km(line)
        self.side_km2 = geodesic_area_km2(beyond)

    def band(self, width_km: float) -> shapely.Geometry:
        """The band of ``width_km`` (EPSG:4326); empty for a width <= 0."""
        if width_km <= 0:
            return shapely.MultiPolygon()
        buf = shapely.buffer(self.line_local, width_km * 1000.0, quad_segs=QUAD_SEGS)
        try:
            local = shapely.intersection(buf, self.side_local)
        except shapely.errors.GEOSException:
            # Fallback: overlay on a 1 mm grid, which snaps away the conflicting vertices.
            local = shapely.intersection(buf, self.side_local, grid_size=1e-3)
        return valid_polygonal(from_local(polygonal(local), self.crs))

    def area_km2(self, width_km: float) -> float:
        """Geodesic km² of :meth:`band`."""
        return geodesic_area_km2(self.band(width_km))

    def solve(self, target_km2: float, *, rtol: float = AREA_RTOL) -> Band:
        """The band whose geodesic area equals ``target_km2`` (within ``rtol``).

        Raises
        ------
        ValueError
            if the figure is not positive or exceeds the ground available on
            that side within :data:`MAX_WIDTH_KM`.
        """
        target = float(target_km2)
        if not np.isfinite(target) or target <= 0:
            raise ValueError(f"an area figure must be a positive number of km², not {target_km2!r}")
        if target >= self.side_km2:
            raise ValueError(f"{target:,.0f} km² is more than the {self.side_km2:,.0f} km² of the region on that side")
        lo, f_lo = 0.0, -target
        hi = max(target / max(self.line_km, 1e-6), 0.05)
        f_hi = self.area_km2(hi) - target
        while f_hi < 0:
            lo, f_lo = hi, f_hi
            hi *= 2.0
            if hi > MAX_WIDTH_KM:
                raise ValueError(f"{target:,.0f} km² does not fit within {MAX_WIDTH_KM:.0f} km of the line")
            f_hi = self.area_km2(hi) - target
        # Illinois variant of regula falsi: bracketing, superlinear.
        w, f_w, side = hi, f_hi, 0
        for _ in range(100):
            if abs(f_w) <= rtol * target:
                break
            w = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
            if not lo < w < hi:
                w = 0.5 * (lo + hi)
            f_w = self.area_km2(w) - target
            if f_w > 0:
                hi, f_hi = w, f_w
                if side == 1:
                    f_lo *= 0.5
                side = 1
            else:
                lo, f_lo = w, f_w
                if side == -1:
                    f_hi *= 0.5
                side = -1
        geom = self.band(w)
        return Band(geometry=geom, area_km2=geodesic_area_km2(geom), width_km=float(w))


def implied_band(line, region, side: str, area_km2: float, rule: SideRule) -> Band:
    """One band beyond ``line`` on ``side`` within ``region`` of geodesic area ``area_km2``."""
    return BandSolver(line, region, side, rule).solve(area_km2)


IMPLIED_COLUMNS = [
    S.CLAIM_ID,
    S.I_CLAIMED_KM2,
    S.AREA_KM2,
    S.I_WIDTH_KM,
    S.CLAIM_QUALIFIER,
    S.I_BOUND,
    S.CLAIM_SIDE,
    S.CLAIM_REFERENCE_LINE,
    "reference_line_name",
    S.CLAIM_ACTOR,
    S.CLAIM_EVENT_DATE,
    S.CLAIM_QUOTE,
    S.SOURCE_PUBLISHER,
    S.SOURCE_TITLE,
    S.SOURCE_URL,
    S.SOURCE_PUBLISHED,
    "label",
    IMPLIED_ERROR,
]
#: What a band can fail with: a figure that does not fit, an unusable line, a GEOS overlay error.
_BAND_ERRORS = (ValueError, InvalidGeometryError, SideRuleError, shapely.errors.GEOSException)


def figure_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims that can be drawn as an implied band.

    Those with a positive ``value_km2``, a ``reference_line``, a side (the
    party that took the ground) and no geometry of their own.
    """
    if claims.empty:
        return claims
    km2 = pd.to_numeric(claims[S.CLAIM_VALUE_KM2], errors="coerce")
    ref = claims[S.CLAIM_REFERENCE_LINE].fillna("").astype(str)
    side = claims[S.CLAIM_SIDE].fillna("").astype(str)
    wkt = (
        claims[S.CLAIM_GEOMETRY].fillna("").astype(str)
        if S.CLAIM_GEOMETRY in claims.columns
        else pd.Series("", index=claims.index)
    )
    keep = (km2 > 0) & (ref != "") & (side.str.strip() != "") & (wkt.str.strip() == "")
    return claims[keep]


def implied_areas(claims: pd.DataFrame, lines: gpd.GeoDataFrame, region) -> gpd.GeoDataFrame:
    """Implied bands of every figure claim without geometry (see :func:`figure_claims`).

    Parameters
    ----------
    claims : DataFrame
        Claims (with source columns if available, for the popup).
    lines : GeoDataFrame
        Reference lines (``line_id``, geometry and the side columns of their rules).
    region : Polygon or MultiPolygon
        Where the bands may lie (the front oblasts).

    Returns
    -------
    GeoDataFrame
        One feature per band (EPSG:4326) with the columns of
        :data:`IMPLIED_COLUMNS`: ``claimed_km2`` is the figure the band was
        solved for, ``area_km2`` its geodesic area, ``width_km`` the solved
        width and ``bound`` ``lower`` (more than / at least, or the low end
        of a range), ``upper`` (less than / up to, or the high end of a
        range) or ``estimate``. A band that cannot be drawn (the figure does
        not fit the ground on that side, or the geometry fails) is a row with
        no geometry, NaN area and width, and ``error`` = ``"could not be
        drawn: why"`` (also in ``label``); ``error`` is ``""`` on every drawn
        band. One claim's failure never stops the others. Claims whose
        reference line is unknown are left out.
    """
    cand = figure_claims(claims)
    by_id = lines.set_index(S.LINE_ID).geometry
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME])) if S.LINE_NAME in lines.columns else {}
    solvers: dict[tuple[str, str], BandSolver | Exception] = {}
    rows, geoms = [], []
    for _, c in cand.iterrows():
        ref, side = str(c[S.CLAIM_REFERENCE_LINE]), str(c[S.CLAIM_SIDE])
        if ref not in by_id.index:
            continue
        key = (ref, side)
        if key not in solvers:
            try:
                solvers[key] = BandSolver(by_id[ref], region, side, rule_for(lines, ref), line_id=ref)
            except _BAND_ERRORS as exc:
                solvers[key] = exc
        qualifier = cell_text(c.get(S.CLAIM_QUALIFIER))
        figures = [(float(c[S.CLAIM_VALUE_KM2]), bound_of(qualifier))]
        vmax = pd.to_numeric(pd.Series([c.get(S.CLAIM_VALUE_MAX_KM2)]), errors="coerce").iloc[0]
        if pd.notna(vmax) and vmax > figures[0][0]:
            figures = [(figures[0][0], Bound.LOWER.value), (float(vmax), Bound.UPPER.value)]
        who = side.replace("_", " ")
        for km2, bound in figures:
            solver = solvers[key]
            try:
                if isinstance(solver, Exception):
                    raise solver
                band = solver.solve(km2)
            except _BAND_ERRORS as exc:
                band, error = None, f"could not be drawn: {exc}"
            else:
                error = ""
            word = {Bound.LOWER: "at least", Bound.UPPER: "at most"}.get(bound, "about")
            if band is None:
                label = f"{km2:,.0f} km² held by {who} beyond the line {error}"
            else:
                label = (
                    f"{km2:,.0f} km² held by {who} beyond the line would be a band "
                    f"{band.width_km:.2f} km deep along it ({word} this figure); {IMPLIED_LABEL}"
                )
            rows.append(
                {
                    S.CLAIM_ID: cell_text(c[S.CLAIM_ID]),
                    S.I_CLAIMED_KM2: km2,
                    S.AREA_KM2: band.area_km2 if band else np.nan,
                    S.I_WIDTH_KM: band.width_km if band else np.nan,
                    S.CLAIM_QUALIFIER: qualifier,
                    S.I_BOUND: bound,
                    S.CLAIM_SIDE: side,
                    S.CLAIM_REFERENCE_LINE: ref,
                    "reference_line_name": str(names.get(ref, ref)),
                    S.CLAIM_ACTOR: cell_text(c.get(S.CLAIM_ACTOR)),
                    S.CLAIM_EVENT_DATE: cell_text(c.get(S.CLAIM_EVENT_DATE)),
                    S.CLAIM_QUOTE: cell_text(c.get(S.CLAIM_QUOTE)),
                    S.SOURCE_PUBLISHER: cell_text(c.get(S.SOURCE_PUBLISHER)),
                    S.SOURCE_TITLE: cell_text(c.get(S.SOURCE_TITLE)),
                    S.SOURCE_URL: cell_text(c.get(S.SOURCE_URL)),
                    S.SOURCE_PUBLISHED: cell_text(c.get(S.SOURCE_PUBLISHED)),
                    "label": label,
                    IMPLIED_ERROR: error,
                }
            )
            geoms.append(band.geometry if band else None)
    return gpd.GeoDataFrame(rows, columns=IMPLIED_COLUMNS, geometry=geoms, crs=S.CRS)
