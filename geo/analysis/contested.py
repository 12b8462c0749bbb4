"""Contested areas: the ground between two reference lines, clipped to the oblasts.

Each line splits the front oblasts into the side held by the separatists
(the side touching the Russian border) and the side held by Ukraine. Between
a reference line A (usually the agreed Minsk line) and a later line B:

- ``held_by = separatists``: separatist-held under B but on Ukraine's side of A;
- ``held_by = ukraine``: Ukraine-held under B but on the separatists' side of A.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> region = box(0, 0, 10, 10)
>>> side = held_side(LineString([(5, 11), (5, -1)]), region)
>>> round(side.area, 6)
50.0
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Polygon

from geo import schema as S
from geo.errors import InvalidGeometryError
from geo.measure import geodesic_area_km2
from geo.shapes import polygonal
from geo.vocab import Side


def held_side(line: LineString, region) -> shapely.Geometry:
    """The part of ``region`` on the east (Russian-border) side of ``line``.

    The line is closed into a ring through points far to the east of the
    region (south from its last vertex, east, then north and back west to its
    first vertex), so that region ∩ ring is the separatist-held side.
    """
    if line.is_empty or len(line.coords) < 2:
        raise InvalidGeometryError("a reference line needs at least two vertices")
    minx, miny, maxx, maxy = shapely.bounds(shapely.union_all([line, region]))
    (x0, y0), (x1, _) = line.coords[0], line.coords[-1]
    far_e = maxx + 10.0
    far_s = miny - 10.0
    ring = list(line.coords) + [(x1, far_s), (far_e, far_s), (far_e, y0), (x0, y0)]
    poly = shapely.make_valid(Polygon(ring))
    return shapely.intersection(region, poly)


@dataclass(frozen=True)
class ContestedPair(Mapping):
    """The two contested areas between two lines, by the party holding them under line B.

    Also a read-only ``Mapping`` keyed by party (``pair["separatists"]`` is
    ``pair.separatists``), iterated separatists first.

    Attributes
    ----------
    separatists : shapely.Geometry
        Ground beyond A that the separatists hold under B (may be empty).
    ukraine : shapely.Geometry
        Ground beyond B that Ukraine holds under B but not under A (may be empty).
    """

    separatists: shapely.Geometry
    ukraine: shapely.Geometry

    def __getitem__(self, party: str) -> shapely.Geometry:
        if party == Side.SEPARATISTS:
            return self.separatists
        if party == Side.UKRAINE:
            return self.ukraine
        raise KeyError(party)

    def __iter__(self):
        return iter((Side.SEPARATISTS.value, Side.UKRAINE.value))

    def __len__(self) -> int:
        return 2


def contested_between(line_a: LineString, line_b: LineString, region) -> ContestedPair:
    """The two contested areas between lines A and B within ``region``.

    Returns a :class:`ContestedPair` (``pair["separatists"]``,
    ``pair["ukraine"]``; either may be empty).
    """
    side_a = held_side(line_a, region)
    side_b = held_side(line_b, region)
    return ContestedPair(
        separatists=polygonal(shapely.difference(side_b, side_a)),
        ukraine=polygonal(shapely.difference(side_a, side_b)),
    )


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
) -> gpd.GeoDataFrame:
    """Contested areas of every other line against the ``reference`` line.

    Returns a GeoDataFrame (EPSG:4326) with one row per (to_line, held_by):
    ``from_line``, ``to_line``, ``to_date``, ``held_by``, ``area_km2``
    (geodesic), ``per_oblast`` (JSON name -> km²) and ``name``.
    """
    if reference not in set(lines[S.LINE_ID]):
        raise InvalidGeometryError(f"reference line '{reference}' is not among the lines")
    region = shapely.union_all(oblasts.geometry.values)
    ref = lines.set_index(S.LINE_ID).loc[reference]
    rows = []
    for _, other in lines[lines[S.LINE_ID] != reference].iterrows():
        areas = contested_between(ref.geometry, other.geometry, region)
        for held_by, geom in areas.items():
            if geom.is_empty:
                continue
            km2 = geodesic_area_km2(geom)
            who = "separatists" if held_by == S.PARTY_SEPARATISTS else "Ukraine"
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
