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
from geo.analysis import figure_cache as cache
from geo.analysis.figure_cache import geometry_key, line_versions
from geo.analysis.sides import SideRule, control_from_line, rule_for
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
        #: width km -> geodesic km² of every band evaluated so far: later solves start from
        #: the tightest known bracket (the area grows monotonically with the width).
        self._areas: dict[float, float] = {}
        self._last: tuple[float, shapely.Geometry] | None = None

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
        """Geodesic km² of :meth:`band` (remembered: a width is never measured twice)."""
        w = float(width_km)
        if w not in self._areas:
            geom = self.band(w)
            self._areas[w] = geodesic_area_km2(geom)
            self._last = (w, geom)
        return self._areas[w]

    def _band_at(self, width_km: float) -> shapely.Geometry:
        if self._last is not None and self._last[0] == width_km:
            return self._last[1]
        return self.band(width_km)

    def _bracket(self, target: float) -> tuple[float, float, float | None, float | None]:
        """``(lo, f_lo, hi, f_hi)`` from the widths measured so far (``hi`` None when none is wide enough)."""
        lo, f_lo, hi, f_hi = 0.0, -target, None, None
        for w, a in self._areas.items():
            f = a - target
            if f < 0 and w > lo:
                lo, f_lo = w, f
            elif f >= 0 and (hi is None or w < hi):
                hi, f_hi = w, f
        return lo, f_lo, hi, f_hi

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
        lo, f_lo, hi, f_hi = self._bracket(target)
        if hi is None:
            hi = max(target / max(self.line_km, 1e-6), 0.05, 2.0 * lo)
            f_hi = self.area_km2(hi) - target
        while f_hi < 0:
            lo, f_lo = hi, f_hi
            hi *= 2.0
            if hi > MAX_WIDTH_KM:
                raise ValueError(f"{target:,.0f} km² does not fit within {MAX_WIDTH_KM:.0f} km of the line")
            f_hi = self.area_km2(hi) - target
        # Illinois variant of regula falsi: bracketing, superlinear.
        # Start from the closer end: a width measured for an earlier figure may already fit this one.
        w, f_w = (lo, f_lo) if lo > 0 and abs(f_lo) < abs(f_hi) else (hi, f_hi)
        side = 0
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
        geom = self._band_at(w)
        return Band(geometry=geom, area_km2=self.area_km2(w), width_km=float(w))


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


def _texts(frame: pd.DataFrame, col: str) -> pd.Series:
    """:func:`geo.cells.cell_text` of every cell of ``col`` (``""`` when the column is absent)."""
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[col]
    return values.astype(object).where(values.notna(), "").astype(str)


def _solver(lines: gpd.GeoDataFrame, versions: dict, region, region_key: str, ref: str, side: str):
    """The cached :class:`BandSolver` of (reference line version, side, region), or why there is none."""

    def build():
        try:
            line = lines.loc[lines[S.LINE_ID] == ref].geometry.iloc[0]
            return BandSolver(line, region, side, rule_for(lines, ref), line_id=ref)
        except _BAND_ERRORS as exc:
            return exc

    return (versions[ref], side, region_key), cache.SOLVERS.get_or_compute((versions[ref], side, region_key), build)


def band_for(solver_key, solver, km2: float) -> Band | Exception:
    """The band of ``km2`` from ``solver``, cached under (solver key, figure): a figure is solved once.

    A figure that does not fit is cached as its error; a GEOS failure is returned, not cached.
    """
    if isinstance(solver, Exception):
        return solver

    def solve():
        try:
            return solver.solve(km2)
        except ValueError as exc:
            return exc

    key = (solver_key, float(km2))
    try:
        return cache.BANDS.get_or_compute(key, solve)
    except _BAND_ERRORS as exc:
        return exc


def _band_label(km2: float, side: str, bound: str, band: Band | None, error: str) -> str:
    who = side.replace("_", " ")
    word = {Bound.LOWER: "at least", Bound.UPPER: "at most"}.get(bound, "about")
    if band is None:
        return f"{km2:,.0f} km² held by {who} beyond the line {error}"
    return (
        f"{km2:,.0f} km² held by {who} beyond the line would be a band "
        f"{band.width_km:.2f} km deep along it ({word} this figure); {IMPLIED_LABEL}"
    )


#: The columns that decide a band's geometry: claims sharing them share one band.
BAND_KEY = [S.CLAIM_REFERENCE_LINE, S.CLAIM_SIDE, S.I_CLAIMED_KM2]


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

    Notes
    -----
    Each distinct (reference line, side, figure) is solved once (rows sharing
    it share one geometry object) and cached by line version and region
    (:mod:`geo.analysis.figure_cache`): editing a claim solves at most its
    own new figure.
    """
    cand = figure_claims(claims)
    if not cand.empty:
        cand = cand[cand[S.CLAIM_REFERENCE_LINE].astype(str).isin(set(lines[S.LINE_ID].astype(str)))]
    if cand.empty:
        return gpd.GeoDataFrame(columns=IMPLIED_COLUMNS, geometry=[], crs=S.CRS)
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME])) if S.LINE_NAME in lines.columns else {}
    qualifier = _texts(cand, S.CLAIM_QUALIFIER)
    km2 = pd.to_numeric(cand[S.CLAIM_VALUE_KM2], errors="coerce").astype(float)
    vmax = (
        pd.to_numeric(cand[S.CLAIM_VALUE_MAX_KM2], errors="coerce").astype(float)
        if S.CLAIM_VALUE_MAX_KM2 in cand.columns
        else pd.Series(np.nan, index=cand.index)
    )
    ranged = vmax.notna() & (vmax > km2)
    base = pd.DataFrame(
        {
            "_pos": np.arange(len(cand)),
            "_part": 0,
            S.CLAIM_ID: _texts(cand, S.CLAIM_ID),
            S.I_CLAIMED_KM2: km2,
            S.CLAIM_QUALIFIER: qualifier,
            S.I_BOUND: np.where(ranged, Bound.LOWER.value, qualifier.map(bound_of)),
            S.CLAIM_SIDE: cand[S.CLAIM_SIDE].astype(str),
            S.CLAIM_REFERENCE_LINE: cand[S.CLAIM_REFERENCE_LINE].astype(str),
        }
    )
    for col in (S.CLAIM_ACTOR, S.CLAIM_EVENT_DATE, S.CLAIM_QUOTE, S.SOURCE_PUBLISHER, S.SOURCE_TITLE):
        base[col] = _texts(cand, col)
    base[S.SOURCE_URL] = _texts(cand, S.SOURCE_URL)
    base[S.SOURCE_PUBLISHED] = _texts(cand, S.SOURCE_PUBLISHED)
    upper = base[ranged.to_numpy()].assign(**{"_part": 1, S.I_CLAIMED_KM2: vmax[ranged], S.I_BOUND: Bound.UPPER.value})
    rows = pd.concat([base, upper]).sort_values(["_pos", "_part"], kind="stable").reset_index(drop=True)
    rows["reference_line_name"] = rows[S.CLAIM_REFERENCE_LINE].map(lambda r: str(names.get(r, r)))
    # The geometric part: one band per distinct (reference line, side, figure).
    versions = line_versions(lines)
    region_key = geometry_key(region)
    keys = rows[BAND_KEY + [S.I_BOUND]].drop_duplicates()
    solved = []
    for ref, side, figure, bound in keys.itertuples(index=False, name=None):
        solver_key, solver = _solver(lines, versions, region, region_key, ref, side)
        band = band_for(solver_key, solver, figure)
        if isinstance(band, Exception):
            band, error = None, f"could not be drawn: {band}"
        else:
            error = ""
        solved.append(
            (
                ref,
                side,
                figure,
                bound,
                band.area_km2 if band else np.nan,
                band.width_km if band else np.nan,
                _band_label(figure, side, bound, band, error),
                error,
                band.geometry if band else None,
            )
        )
    cols = [*BAND_KEY, S.I_BOUND, S.AREA_KM2, S.I_WIDTH_KM, "label", IMPLIED_ERROR, "_geometry"]
    out = rows.merge(pd.DataFrame(solved, columns=cols), on=[*BAND_KEY, S.I_BOUND], how="left")
    geoms = out.pop("_geometry").tolist()
    return gpd.GeoDataFrame(out[IMPLIED_COLUMNS], geometry=geoms, crs=S.CRS)
