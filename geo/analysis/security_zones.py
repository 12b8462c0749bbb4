"""Security zones of a theatre's agreements: the bands their zone rules set along a line.

Each zone of an agreement (:mod:`geo.theatres.agreements`, read from the theatre's
``theatre.json``) is a band ``distance_km`` from a reference line, on one party's side of it or
on each side; the agreement names the whole zone ``zone_width_km`` wide. Agreements, weapon
classes, distances, the line each zone is measured from and the parties all come from the data;
this module names none of them. Why a zone is measured from the line it is (for instance the
line held on the day a withdrawal began) is recorded with the data in ``data/README.md``.

Each band is the geodesic buffer of its line (computed in an azimuthal equidistant CRS centred
on the line, where distances from the line are true to well under 0.1% over a few hundred km)
intersected with the party's side of that line (by the line's side rule,
:func:`geo.analysis.sides.control_from_line`) and with the region (the theatre's outline). A
zone on each side of a line with a side rule gives one band per party of the rule; on a line
without one (a corridor along a road) one band covering both sides. ``width_km`` is the
distance from the line, ``zone_width_km`` the width of the whole zone the agreement names.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> from geo.theatres.agreements import Agreement, Zone
>>> import geopandas as gpd
>>> lines = gpd.GeoDataFrame({"line_id": ["l1"], "name": ["Truce line"], "side_rule": ["point"],
...     "side_party": ["a"], "other_party": ["b"], "side_lon": [39.0], "side_lat": [48.0]},
...     geometry=[LineString([(38.0, 49.0), (38.0, 47.0)])], crs="EPSG:4326")
>>> truce = Agreement("t", "Truce", "2001-02-03", line="l1",
...                   zones=(Zone("z", "Buffer", "all forces", 10.0, "each", zone_width_km=20.0),))
>>> z = security_zones(lines, box(36, 47, 40, 49), (truce,), party_names={"a": "Side A"})
>>> list(z["party"]), [round(a, -2) for a in z["area_km2"]]
(['a', 'b'], [2200.0, 2200.0])
>>> z["name"].iloc[0]
'Truce (3 Feb 2001): Buffer, on the Side A side, 10 km from Truce line'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import shapely

from geo import schema as S
from geo.analysis.sides import SideRule, control_from_line, rule_for
from geo.errors import InvalidGeometryError, SideRuleError
from geo.measure import from_local, geodesic_area_km2, local_aeqd, to_local
from geo.shapes import polygonal
from geo.theatres.agreements import (
    SIDE_EACH,
    Agreement,
    agreement_label,
    check_agreement_lines,
    zone_line,
    zone_quote,
)
from geo.theatres.model import MANIFEST, Theatre

#: Segments per quarter circle of the buffers (joins within 0.5% of the radius).
QUAD_SEGS = 16
#: Parts of a band smaller than this (m², local projection) are slivers and dropped.
MIN_PART_M2 = 1e4
#: Extra columns beside those of the layer's schema: which record each band comes from.
Z_AGREEMENT_ID = "agreement_id"
Z_ZONE_ID = "zone_id"
Z_QUOTE = "quote"
Z_QUOTE_URL = "quote_url"
FROM_LINE_NAME = "from_line_name"

ZONE_COLUMNS = [
    S.LINE_NAME,
    S.Z_AGREEMENT,
    S.Z_WEAPON_CLASS,
    S.Z_PARTY,
    S.I_WIDTH_KM,
    S.Z_ZONE_WIDTH_KM,
    S.C_FROM_LINE,
    FROM_LINE_NAME,
    S.AREA_KM2,
    Z_AGREEMENT_ID,
    Z_ZONE_ID,
    Z_QUOTE,
    Z_QUOTE_URL,
]


def _near(line, width_km: float):
    """A box around ``line`` reaching past ``width_km`` on every side (degrees)."""
    minx, miny, maxx, maxy = line.bounds
    dlat = 1.3 * width_km / 111.0 + 0.1
    dlon = 1.3 * width_km / (111.0 * math.cos(math.radians(max(abs(miny), abs(maxy))))) + 0.1
    return shapely.box(minx - dlon, miny - dlat, maxx + dlon, maxy + dlat)


def _buffer_within(line, ground, width_km: float):
    """``ground`` (EPSG:4326) within ``width_km`` geodesic of ``line``, slivers dropped."""
    c = line.centroid
    crs = local_aeqd(c.x, c.y)
    buf = shapely.buffer(to_local(line, crs), width_km * 1000.0, quad_segs=QUAD_SEGS)
    ground_local = shapely.make_valid(to_local(polygonal(ground), crs))
    band_local = shapely.intersection(buf, polygonal(ground_local))
    # Drop slivers left where the clip meets the line (under 0.01 km²).
    parts = [p for p in shapely.get_parts(polygonal(band_local)) if p.area > MIN_PART_M2]
    return polygonal(from_local(shapely.union_all(parts), crs)) if parts else shapely.MultiPolygon()


def _check(line, width_km: float) -> None:
    if not width_km > 0:
        raise ValueError(f"width_km must be positive, not {width_km!r}")
    if line is None or line.is_empty:
        raise InvalidGeometryError("a withdrawal band needs a non-empty line")


def withdrawal_band(line, region, party: str, width_km: float, rule: SideRule, *, line_id: str = "(unnamed)"):
    """The ground within ``width_km`` (geodesic) of ``line`` on ``party``'s side, in ``region``.

    Parameters
    ----------
    line : LineString
        Reference line in EPSG:4326 (convention of :mod:`geo.reference.lines`).
    region : Polygon or MultiPolygon
        Clip (EPSG:4326), e.g. the theatre's outline.
    party : str
        Whose side: a party of ``rule``.
    width_km : float
        Positive band width in km.
    rule : SideRule
        The line's side rule (:mod:`geo.analysis.sides`).
    """
    if not isinstance(rule, SideRule) or party not in rule.parties:
        known = " or ".join(repr(p) for p in rule.parties) if isinstance(rule, SideRule) else "a party of the side rule"
        raise ValueError(f"party must be {known}, not {party!r}")
    _check(line, width_km)
    # The sides are cut on the whole region (a side point may lie beyond the clip), then
    # clipped to the line's neighbourhood: less to project, no far-away rings distorted.
    own = control_from_line(line, region, rule, line_id=line_id)[party]
    return _buffer_within(line, shapely.intersection(own, _near(line, width_km)), width_km)


def corridor_band(line, region, width_km: float):
    """The ground within ``width_km`` (geodesic) of ``line`` on both sides, in ``region``."""
    _check(line, width_km)
    return _buffer_within(line, shapely.intersection(region, _near(line, width_km)), width_km)


def _line_rule(lines: gpd.GeoDataFrame, line_id: str) -> SideRule | None:
    try:
        return rule_for(lines, line_id)
    except SideRuleError:
        return None


def security_zones(
    lines: gpd.GeoDataFrame,
    region,
    agreements: tuple[Agreement, ...],
    *,
    party_names: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Every band of every zone of ``agreements``, as a GeoDataFrame (EPSG:4326).

    Parameters
    ----------
    lines : GeoDataFrame
        The theatre's reference lines (``line_id``, ``name``, side rule columns).
    region : Polygon or MultiPolygon
        Where the bands are drawn (EPSG:4326), e.g. the theatre's outline.
    agreements : tuple of Agreement
        The theatre's agreements (:attr:`geo.theatres.model.Theatre.agreements`).
    party_names : mapping, optional
        Party id -> the name used in each band's ``name`` (default: the id).

    Returns
    -------
    GeoDataFrame
        One feature per (zone, party side) with :data:`ZONE_COLUMNS`: ``name``, ``agreement``
        (name and date), ``weapon_class``, ``party`` ('' for a band on both sides of a line
        without side rule), ``width_km`` (from the line), ``zone_width_km``, ``from_line``,
        ``from_line_name``, geodesic ``area_km2``, ``agreement_id``, ``zone_id`` and the rule's
        ``quote`` and ``quote_url``.

    Raises
    ------
    InvalidGeometryError
        A zone's line is not among ``lines``.
    SideRuleError
        A zone on one party's side of a line without side rule, or of a party its rule does not name.
    """
    names = dict(party_names or {})
    by_id = lines.set_index(S.LINE_ID) if len(lines) else None
    rows, geoms = [], []
    for a in agreements:
        for z in a.zones:
            lid = zone_line(a, z)
            if by_id is None or lid not in by_id.index:
                raise InvalidGeometryError(
                    f"agreement '{a.id}', zone '{z.id}': line '{lid}' is not among the reference lines"
                )
            line = by_id.loc[lid].geometry
            rule = _line_rule(lines, lid)
            if z.side == SIDE_EACH:
                sides = list(rule.parties) if rule is not None else [""]
            elif rule is None or z.side not in rule.parties:
                raise SideRuleError(
                    f"agreement '{a.id}', zone '{z.id}': the band on {z.side}'s side needs line '{lid}' to have a "
                    "side rule naming that party (side_rule, side_party, other_party in its lines table)",
                    field=S.LINE_SIDE_RULE,
                )
            else:
                sides = [z.side]
            quote, url = zone_quote(a, z)
            line_name = str(by_id.loc[lid][S.LINE_NAME])
            for party in sides:
                if party:
                    geom = withdrawal_band(line, region, party, z.distance_km, rule, line_id=lid)
                    where = f"on the {names.get(party, party)} side"
                else:
                    geom = corridor_band(line, region, z.distance_km)
                    where = "on each side"
                rows.append(
                    {
                        S.LINE_NAME: (
                            f"{agreement_label(a)}: {z.name or z.weapon_class}, {where}, "
                            f"{z.distance_km:g} km from {line_name}"
                        ),
                        S.Z_AGREEMENT: agreement_label(a),
                        S.Z_WEAPON_CLASS: z.weapon_class,
                        S.Z_PARTY: party,
                        S.I_WIDTH_KM: z.distance_km,
                        S.Z_ZONE_WIDTH_KM: z.zone_width_km,
                        S.C_FROM_LINE: lid,
                        FROM_LINE_NAME: line_name,
                        S.AREA_KM2: geodesic_area_km2(geom),
                        Z_AGREEMENT_ID: a.id,
                        Z_ZONE_ID: z.id,
                        Z_QUOTE: quote,
                        Z_QUOTE_URL: url,
                    }
                )
                geoms.append(geom)
    return gpd.GeoDataFrame(rows, columns=ZONE_COLUMNS, geometry=geoms, crs=S.CRS)


def theatre_zones(theatre: Theatre, lines: gpd.GeoDataFrame, region) -> gpd.GeoDataFrame:
    """:func:`security_zones` of ``theatre``'s agreements, its parties named by their short names.

    The zones' lines are checked against ``lines`` first: a zone measured from a line the theatre
    does not hold is refused with a :class:`geo.errors.TheatreError` naming ``theatre.json`` and
    the field (``agreements[0].zones[1].line``). ``region`` is a geometry or a frame of regions
    (their union is used).
    """
    if isinstance(region, gpd.GeoDataFrame):
        region = shapely.union_all(region.geometry.values)
    check_agreement_lines(theatre.agreements, lines[S.LINE_ID] if len(lines) else [], str(theatre.table_path(MANIFEST)))
    names = {p.id: p.short for p in theatre.parties}
    return security_zones(lines, region, theatre.agreements, party_names=names)
