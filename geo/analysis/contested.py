"""Contested areas: the ground between two reference lines, clipped to the regions.

Each line splits the region into control areas by its side rule
(:mod:`geo.analysis.sides`: the party holding the side containing a point, or the left or
right of the line, or the inside of a closed line). Between a reference line A (usually the
agreed line) and a later line B, the contested area of a party is the ground it holds under
B but not under A (``held_by`` = that party), so each party's area lies beyond A.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> from geo.analysis.sides import SideRule
>>> rule = SideRule("point", "east", "west", 9.0, 5.0)
>>> pair = contested_between(LineString([(5, 11), (5, -1)]), LineString([(4, 11), (4, -1)]), box(0, 0, 10, 10), rule)
>>> list(pair), round(pair["east"].area, 6), pair["west"].is_empty
(['east', 'west'], 10.0, True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import geopandas as gpd
import shapely
from shapely.geometry import LineString

from geo import schema as S
from geo.analysis.sides import SideRule, control_from_line, gained, rule_for, rule_from_row
from geo.errors import InvalidGeometryError, SideRuleError
from geo.labels import label
from geo.measure import geodesic_area_km2
from geo.shapes import polygonal


class ContestedPair(Mapping):
    """The contested areas between two lines, by the party holding them under line B.

    A read-only ``Mapping`` party -> geometry (possibly empty), in the order of line A's
    rule (the party it names first); ``pair.<party>`` is ``pair["<party>"]``.
    """

    def __init__(self, areas: Mapping):
        object.__setattr__(self, "_areas", dict(areas))

    def __getitem__(self, party: str) -> shapely.Geometry:
        return self._areas[party]

    def __getattr__(self, party: str) -> shapely.Geometry:
        try:
            return self.__dict__["_areas"][party]
        except KeyError:
            raise AttributeError(party) from None

    def __setattr__(self, name, value):
        raise AttributeError("a ContestedPair is read-only")

    def __iter__(self):
        return iter(self._areas)

    def __len__(self) -> int:
        return len(self._areas)

    def __repr__(self) -> str:
        return f"ContestedPair({', '.join(self._areas)})"


def contested_between(
    line_a: LineString,
    line_b: LineString,
    region,
    rule_a: SideRule,
    rule_b: SideRule | None = None,
    *,
    ids: tuple[str, str] = ("A", "B"),
) -> ContestedPair:
    """The contested areas between lines A and B within ``region``.

    ``rule_a`` and ``rule_b`` are the lines' side rules (B takes A's when it has none);
    ``ids`` name the lines in error messages. Returns a :class:`ContestedPair` keyed by party.

    Raises
    ------
    geo.errors.SideRuleError
        When a rule cannot be applied to its line (see :func:`geo.analysis.sides.control_from_line`).
    """
    before = control_from_line(line_a, region, rule_a, line_id=ids[0])
    after = control_from_line(line_b, region, rule_b or rule_a, line_id=ids[1])
    areas = gained(before, after)
    order = [p for p in rule_a.parties if p in areas] + [p for p in areas if p not in rule_a.parties]
    return ContestedPair({p: polygonal(areas[p]) for p in order})


def per_oblast_km2(geom, oblasts: gpd.GeoDataFrame) -> dict[str, float]:
    """Geodesic km² of ``geom`` inside each oblast (name -> km², zero parts omitted)."""
    if geom is None or geom.is_empty:
        return {}
    tree = shapely.STRtree(oblasts.geometry.values)
    idx = tree.query(geom, predicate="intersects")
    parts = shapely.intersection(oblasts.geometry.values[idx], geom)
    out = {}
    for i, part in zip(idx, parts):
        km2 = geodesic_area_km2(polygonal(part))
        if km2 > 0:
            out[str(oblasts[S.B_NAME].iloc[i])] = km2
    return out


def contested_areas(
    lines: gpd.GeoDataFrame,
    oblasts: gpd.GeoDataFrame,
    *,
    reference: str = S.AGREED_LINE,
    party_names: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Contested areas of every other line against the ``reference`` line.

    Each line is cut by its side rule (``lines`` carries the side columns of
    :data:`geo.schema.LINE_SIDE_COLUMNS`); a line without one takes the reference
    line's rule, and is left out if that rule does not fit it. ``party_names``
    (party id -> name) words the ``name`` column; by default the party's label.

    Returns a GeoDataFrame (EPSG:4326) with one row per (to_line, held_by):
    ``from_line``, ``to_line``, ``to_date``, ``held_by``, ``area_km2``
    (geodesic), ``per_oblast`` (JSON name -> km²) and ``name``.
    """
    if reference not in set(lines[S.LINE_ID]):
        raise InvalidGeometryError(f"reference line '{reference}' is not among the lines")
    region = shapely.union_all(oblasts.geometry.values)
    ref = lines.set_index(S.LINE_ID).loc[reference]
    ref_rule = rule_for(lines, reference)
    control_from_line(ref.geometry, region, ref_rule, line_id=reference)  # refuse a reference that cannot be cut
    names = dict(party_names or {})
    rows = []
    for _, other in lines[lines[S.LINE_ID] != reference].iterrows():
        own = rule_from_row(other, line_id=str(other[S.LINE_ID]))
        try:
            areas = contested_between(
                ref.geometry, other.geometry, region, ref_rule, own, ids=(reference, str(other[S.LINE_ID]))
            )
        except SideRuleError:
            if own is not None:
                raise
            continue  # a line without a rule of its own that the reference's rule does not fit
        for held_by, geom in areas.items():
            if geom.is_empty:
                continue
            km2 = geodesic_area_km2(geom)
            who = names.get(held_by) or label(S.C_HELD_BY, held_by)
            rows.append(
                {
                    S.LINE_NAME: f"Held by {who} beyond the {ref[S.LINE_NAME]}, as of {other[S.LINE_DATE]}",
                    S.C_FROM_LINE: reference,
                    S.C_TO_LINE: other[S.LINE_ID],
                    "to_date": other[S.LINE_DATE],
                    S.C_HELD_BY: held_by,
                    S.AREA_KM2: km2,
                    "per_oblast": json.dumps(per_oblast_km2(geom, oblasts), sort_keys=True),
                    "geometry": geom,
                }
            )
    cols = [
        S.LINE_NAME,
        S.C_FROM_LINE,
        S.C_TO_LINE,
        "to_date",
        S.C_HELD_BY,
        S.AREA_KM2,
        "per_oblast",
        "geometry",
    ]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=S.CRS)
