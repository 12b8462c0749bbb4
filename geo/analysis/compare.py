"""Comparing two lines: ground gained and lost, displacement, settlements that changed side.

Vocabulary (used by every figure this module returns)
-----------------------------------------------------
Each line splits the region into control areas by its side rule
(:mod:`geo.analysis.sides`): the rule's party (``side_party``, e.g. the party holding
the side containing a stated point) and the other party. Figures are from the point
of view of line A's ``side_party`` P, the other party being Q. Going from line A
(before) to line B (after):

- ``gained_km2``: ground on Q's side of A that is on P's side of B, i.e.
  **gained by P** (lost by Q);
- ``lost_km2``: ground on P's side of A that is on Q's side of B, i.e. **lost
  by P** (gained by Q).

``by_party`` spells this out per party: ``by_party[P]`` is
``{gained_km2: gained, lost_km2: lost}`` and ``by_party[Q]`` the mirror image.
Swapping A and B swaps gained and lost.

B may also be a polygon (a drawn claim "this area is held by P"): P's side
of B is then P's side of A plus the polygon, so ``gained_km2`` is the part of
the polygon beyond A and ``lost_km2`` is 0.

Displacement is geodesic: both lines are sampled every ``step_km`` (in a local
azimuthal equidistant projection, which finds each sample's nearest point on
the other line); the distance from sample to nearest point is then measured
on the WGS84 ellipsoid. ``mean_displacement_km`` is the mean over B's samples
of their distance to A (a length-weighted mean, since the samples are evenly
spaced); ``max_displacement_km`` is the symmetric Hausdorff distance: the
largest distance from a sample of either line to the other line.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> import geopandas as gpd
>>> from geo.analysis.sides import SideRule
>>> region = gpd.GeoDataFrame({"name": ["R"]}, geometry=[box(37.0, 47.0, 39.0, 49.0)], crs="EPSG:4326")
>>> a = LineString([(38.0, 49.5), (38.0, 46.5)])
>>> r = compare_lines(a, a, region, rule_a=SideRule("left", "east", "west"))
>>> (r["gained_km2"], r.lost_km2, r.max_displacement_km)
(0.0, 0.0, 0.0)
>>> list(r.as_json())
['gained_km2', 'lost_km2', 'per_oblast', 'max_displacement_km', 'mean_displacement_km', 'settlements_changed', 'by_party']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from geo import schema as S
from geo.analysis.contested import per_oblast_km2
from geo.analysis.sides import SideRule, control_from_line
from geo.errors import DataFileError, InvalidGeometryError, SideRuleError
from geo.measure import (
    GEOD,
    from_local,
    geodesic_area_km2,
    local_aeqd,
    to_local,
)
from geo.reference.settlements import load_settlements as load_settlements  # re-exported
from geo.shapes import polygonal

GAINED = "gained_km2"
LOST = "lost_km2"
MAX_DISP = "max_displacement_km"
MEAN_DISP = "mean_displacement_km"
SETTLEMENTS_CHANGED = "settlements_changed"
PER_OBLAST = "per_oblast"
BY_PARTY = "by_party"
DIFFERENCE = "difference_polygons"
# "who gained" column of the difference polygons: the party that holds the ground under B.
D_GAINED_BY = "gained_by"
SUMMARY_KEYS = (GAINED, LOST, PER_OBLAST, MAX_DISP, MEAN_DISP, SETTLEMENTS_CHANGED)
DEFAULT_STEP_KM = 0.5


@dataclass(frozen=True, eq=False)
class Comparison(Mapping):
    """What :func:`compare_lines` finds going from line A to line B.

    Read-only and also a ``Mapping`` keyed by the JSON field names
    (``result["gained_km2"]`` is ``result.gained_km2``), so code written
    against the former dict keeps working. :meth:`as_dict` is that dict,
    :meth:`as_json` the JSON-ready figures the CLI prints (no geometries).

    Attributes
    ----------
    gained_km2, lost_km2 : float
        Ground gained / lost by line A's side party (see the module docstring).
    by_party : dict
        ``{party: {gained_km2, lost_km2}}`` for both parties, A's side party first.
    per_oblast : dict
        ``{oblast: {gained_km2, lost_km2}}``.
    max_displacement_km, mean_displacement_km : float
        Symmetric Hausdorff distance and mean distance of B from A.
    settlements_changed : list of dict
        The settlements that changed side (:func:`settlements_changed`).
    difference_polygons : GeoDataFrame
        The gained and lost ground per oblast (``gained_by``, ``oblast``, ``area_km2``).
    """

    gained_km2: float
    lost_km2: float
    by_party: dict
    per_oblast: dict
    max_displacement_km: float
    mean_displacement_km: float
    settlements_changed: list
    difference_polygons: gpd.GeoDataFrame

    def __getitem__(self, key: str):
        if key not in _FIELD_NAMES:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(_FIELD_NAMES)

    def __len__(self) -> int:
        return len(_FIELD_NAMES)

    def as_dict(self) -> dict:
        """The result as the plain dict :func:`compare_lines` used to return (geometries included)."""
        return {k: getattr(self, k) for k in _FIELD_NAMES}

    def as_json(self) -> dict:
        """The JSON-ready figures (``python -m geo compare --format json``): :func:`summary`."""
        return summary(self)


#: Field names of :class:`Comparison`, in the order of the former dict.
_FIELD_NAMES = (GAINED, LOST, BY_PARTY, PER_OBLAST, MAX_DISP, MEAN_DISP, SETTLEMENTS_CHANGED, DIFFERENCE)


def _check_line(geom, label: str) -> None:
    if geom is None or geom.is_empty:
        raise InvalidGeometryError(f"line {label} is empty")
    if geom.geom_type not in ("LineString", "Polygon", "MultiPolygon"):
        raise InvalidGeometryError(f"line {label}: a {geom.geom_type} cannot be compared; use a LineString or Polygon")
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InvalidGeometryError(f"line {label} is not in WGS84 lon/lat")


def control_under(geom, region, rule: SideRule, *, base=None, line_id: str = "B") -> dict:
    """``{party: ground}`` under ``geom``: a line cut by its side rule, or a polygon.

    A LineString splits the region (:func:`geo.analysis.sides.control_from_line`); a polygon
    is ground held by ``rule.party`` in addition to what it holds in ``base`` (the control
    areas of line A), taken from the other party.
    """
    if geom.geom_type in ("LineString", "MultiLineString"):
        return control_from_line(geom, region, rule, line_id=line_id)
    if base is None:
        raise InvalidGeometryError(f"{line_id}: an area needs the control areas of a line to be added to")
    extra = shapely.intersection(shapely.make_valid(geom), region)
    return {
        party: polygonal(shapely.union(g, extra) if party == rule.party else shapely.difference(g, extra))
        for party, g in base.items()
    }


def _line_of(geom) -> LineString:
    """The line a geometry is measured along (a polygon's exterior)."""
    if geom.geom_type == "LineString":
        return geom
    polys = shapely.get_parts(geom)
    biggest = max(polys, key=lambda p: p.area)
    return LineString(biggest.exterior.coords)


def _samples(line_m: LineString, step_m: float) -> np.ndarray:
    """Evenly spaced points (every ``step_m``, both ends included) along a projected line."""
    n = max(int(np.ceil(line_m.length / step_m)), 1)
    return shapely.line_interpolate_point(line_m, np.linspace(0.0, line_m.length, n + 1))


def _geodesic_gaps_km(pts_m, other_m, crs) -> np.ndarray:
    """Geodesic km from each projected point to its nearest point on ``other_m``."""
    shortest = shapely.shortest_line(pts_m, other_m)
    coords = shapely.get_coordinates(shortest).reshape(-1, 2, 2)
    ends = from_local(shapely.points(coords.reshape(-1, 2)), crs)
    ll = shapely.get_coordinates(ends).reshape(-1, 2, 2)
    _, _, d = GEOD.inv(ll[:, 0, 0], ll[:, 0, 1], ll[:, 1, 0], ll[:, 1, 1])
    return np.asarray(d) / 1000.0


def displacement_km(line_a, line_b, *, step_km: float = DEFAULT_STEP_KM) -> tuple[float, float]:
    """``(max_km, mean_km)`` between two lines, see the module docstring.

    ``max_km`` is the symmetric (Hausdorff) maximum over samples of both lines;
    ``mean_km`` the mean over B's samples of the distance to A.
    """
    if step_km <= 0:
        raise ValueError("step_km must be positive")
    a, b = _line_of(line_a), _line_of(line_b)
    c = shapely.union(a, b).centroid
    crs = local_aeqd(c.x, c.y)
    a_m, b_m = to_local(a, crs), to_local(b, crs)
    step = step_km * 1000.0
    from_b = _geodesic_gaps_km(_samples(b_m, step), a_m, crs)
    from_a = _geodesic_gaps_km(_samples(a_m, step), b_m, crs)
    # Below a millimetre is rounding noise of the projection round trip.
    from_b[from_b < 1e-6] = 0.0
    from_a[from_a < 1e-6] = 0.0
    return float(max(from_a.max(), from_b.max())), float(from_b.mean())


def settlements_changed(gained_geom, lost_geom, settlements: gpd.GeoDataFrame, parties: tuple[str, str]) -> list[dict]:
    """Settlements strictly inside the gained or lost ground, most populous first.

    ``parties`` is ``(P, Q)``: the gained ground went from Q to P, the lost ground from P to Q.
    Each item: ``name``, ``from_side``, ``to_side``, ``lon``, ``lat``, ``population``.
    """
    if settlements is None or settlements.empty:
        return []
    tree = shapely.STRtree(settlements.geometry.values)
    out = []
    for geom, gained in ((gained_geom, True), (lost_geom, False)):
        if geom is None or geom.is_empty:
            continue
        idx = tree.query(geom, predicate="contains_properly")
        frm, to = (parties[1], parties[0]) if gained else parties
        for i in np.sort(idx):
            row = settlements.iloc[int(i)]
            pop = row.get(S.S_POPULATION)
            out.append(
                {
                    "name": str(row[S.S_NAME]),
                    "from_side": frm,
                    "to_side": to,
                    "lon": float(row[S.S_LON]),
                    "lat": float(row[S.S_LAT]),
                    "population": int(pop) if pd.notna(pop) else None,
                }
            )
    out.sort(key=lambda d: (-(d["population"] or 0), d["name"]))
    return out


def compare_lines(
    line_a,
    line_b,
    oblasts: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame | None = None,
    *,
    step_km: float = DEFAULT_STEP_KM,
    rule_a: SideRule | None = None,
    rule_b: SideRule | None = None,
    ids: tuple[str, str] = ("A", "B"),
) -> Comparison:
    """Compare line A (before) with line B (after) inside ``oblasts``.

    Parameters
    ----------
    line_a, line_b : LineString (or Polygon for B)
        EPSG:4326; an open line ends outside the region (beyond a border, in the sea).
    oblasts : GeoDataFrame
        The region to measure in, with a ``name`` column (usually
        :func:`geo.reference.boundaries.front_oblasts`).
    settlements : GeoDataFrame, optional
        Points with ``name``, ``lon``, ``lat``, ``population``; default: none
        (pass :func:`load_settlements` to list the settlements that changed side).
    rule_a, rule_b : SideRule
        The lines' side rules (:mod:`geo.analysis.sides`); B takes A's when it has none.
        A polygon B is ground held by ``rule_a.party``.
    ids : (str, str)
        The lines' names in error messages.

    Returns
    -------
    Comparison
        ``gained_km2``, ``lost_km2`` (``rule_a.party``'s point of view, see the
        module docstring), ``by_party``, ``per_oblast`` ({oblast: {gained_km2,
        lost_km2}}), ``max_displacement_km``, ``mean_displacement_km``,
        ``settlements_changed`` and ``difference_polygons`` (GeoDataFrame with
        ``gained_by``, ``area_km2``, ``oblast``).
    """
    _check_line(line_a, "A")
    _check_line(line_b, "B")
    if line_a.geom_type != "LineString":
        raise InvalidGeometryError("line A must be a LineString (a reference line)")
    if rule_a is None:
        raise SideRuleError(
            f"line {ids[0]} has no side rule; set side_rule, side_party and other_party in its lines table"
        )
    pov, other = rule_a.parties
    region = shapely.union_all(oblasts.geometry.values)
    control_a = control_from_line(line_a, region, rule_a, line_id=ids[0])
    control_b = control_under(line_b, region, rule_b or rule_a, base=control_a, line_id=ids[1])
    side_a = control_a[pov]
    side_b = control_b.get(pov, shapely.MultiPolygon())
    gained_geom = polygonal(shapely.difference(side_b, side_a))
    lost_geom = polygonal(shapely.difference(side_a, side_b))
    gained = geodesic_area_km2(gained_geom)
    lost = geodesic_area_km2(lost_geom)
    g_ob = per_oblast_km2(gained_geom, oblasts)
    l_ob = per_oblast_km2(lost_geom, oblasts)
    per_oblast = {
        name: {GAINED: g_ob.get(name, 0.0), LOST: l_ob.get(name, 0.0)} for name in sorted(set(g_ob) | set(l_ob))
    }
    # For a polygon B, displacement is measured along its outline.
    max_km, mean_km = displacement_km(line_a, line_b, step_km=step_km)
    rows = []
    for geom, party in (
        (gained_geom, pov),
        (lost_geom, other),
    ):
        if geom.is_empty:
            continue
        inter = shapely.intersection(oblasts.geometry.values, geom)
        for name, part in zip(oblasts[S.B_NAME], inter):
            part = polygonal(part)
            if part.is_empty:
                continue
            rows.append(
                {
                    D_GAINED_BY: party,
                    S.C_OBLAST: str(name),
                    S.AREA_KM2: geodesic_area_km2(part),
                    "geometry": part,
                }
            )
    diff = gpd.GeoDataFrame(
        rows,
        columns=[D_GAINED_BY, S.C_OBLAST, S.AREA_KM2, "geometry"],
        geometry="geometry",
        crs=S.CRS,
    )
    return Comparison(
        gained_km2=gained,
        lost_km2=lost,
        by_party={
            pov: {GAINED: gained, LOST: lost},
            other: {GAINED: lost, LOST: gained},
        },
        per_oblast=per_oblast,
        max_displacement_km=max_km,
        mean_displacement_km=mean_km,
        settlements_changed=settlements_changed(gained_geom, lost_geom, settlements, (pov, other)),
        difference_polygons=diff,
    )


def summary(result: Mapping) -> dict:
    """The JSON-ready figures of :func:`compare_lines` (no geometries)."""
    out = {k: result[k] for k in SUMMARY_KEYS}
    out[BY_PARTY] = result[BY_PARTY]
    return out


def per_party_table(result: Mapping) -> pd.DataFrame:
    """One row per (party, oblast) plus a 'Total' row per party: gained and lost km².

    The first party of ``by_party`` is the one ``gained_km2`` and ``per_oblast`` speak for.
    """
    rows = []
    for i, party in enumerate(result[BY_PARTY]):
        flip = i > 0
        for oblast, v in result[PER_OBLAST].items():
            g, lo = (v[LOST], v[GAINED]) if flip else (v[GAINED], v[LOST])
            rows.append({"party": party, S.C_OBLAST: oblast, GAINED: g, LOST: lo})
        tot = result[BY_PARTY][party]
        rows.append({"party": party, S.C_OBLAST: "Total", GAINED: tot[GAINED], LOST: tot[LOST]})
    return pd.DataFrame(rows, columns=["party", S.C_OBLAST, GAINED, LOST])


class UnknownLineError(DataFileError):
    """A line id that is neither shipped nor drawn."""
