"""Security zones of the Minsk agreements: heavy-weapon withdrawal bands.

- **Minsk Memorandum, 19 Sep 2014** (point 4): weapons over 100 mm pulled back
  at least 15 km from the line of contact of 19 Sep 2014 on each side, giving
  a zone at least 30 km wide.
- **Minsk II (Package of Measures), 12 Feb 2015** (point 2): heavy weapons
  pulled back "by equal distances" to create security zones at least 50 km
  wide (artillery of 100 mm and more), 70 km (MLRS) and 140 km (Tornado-S,
  Uragan, Smerch, Tochka/Tochka-U). Each side therefore withdraws half the
  zone width: 25, 35 and 70 km. Ukrainian troops measure from the actual
  line of contact, the separatists from the 19 Sep 2014 Memorandum line.

Which line is "the actual line of contact" for the Ukrainian withdrawal?
The Package of Measures was signed on 12 Feb 2015, the ceasefire began on
15 Feb, and the withdrawal was to start no later than the second day after
the ceasefire and end within 14 days, i.e. between 17 Feb and early March
2015. In practice the two-week count was restarted from 22 Feb 2015, after the
Russian JCCC representative signed the withdrawal documents with both
separatist leaders (Ukrainian JCCC head Petr Kanonik, via TASS:
https://en.vestikavkaza.ru/news/politics/66746.html ; DPR's Eduard Basurin:
https://infoline.ua/ru/news/Spectema/Donbass/minoborony-dnr-process-otvoda-tehniki-nachnetsya-s-24-fevralya_45331.html ).
Ukraine left Debaltseve on 18 Feb, so for the whole withdrawal window the
actual line was the post-Debaltseve line: we use ``contact_2015_02_20``
(:data:`MINSK2_UKRAINE_LINE`). The 20 Jan 2015 line would keep the Debaltseve
salient, which Ukraine no longer held when its guns were pulled back; the
choice is a parameter of :func:`security_zones`.

Each band is the geodesic buffer of its line (computed in an azimuthal
equidistant CRS centred on the line, where distances from the line are true
to well under 0.1% over the Donbas) intersected with the withdrawing party's
side of that line (by the line's side rule, :func:`geo.analysis.sides.control_from_line`)
and with Ukraine's outline;
``width_km`` is the per-side withdrawal distance, ``zone_width_km`` the
width of the whole zone the agreement names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo import schema as S
from geo.analysis.sides import SideRule, control_from_line, rule_for
from geo.errors import InvalidGeometryError
from geo.measure import from_local, geodesic_area_km2, local_aeqd, to_local
from geo.shapes import polygonal

#: Segments per quarter circle of the buffers (joins within 0.5% of the radius).
QUAD_SEGS = 16
#: Parts of a band smaller than this (m², local projection) are slivers and dropped.
MIN_PART_M2 = 1e4
#: Line the Ukrainian Minsk II withdrawal is measured from (see module docstring).
MINSK2_UKRAINE_LINE = S.LINE_CONTACT_2015_02
AGREEMENT_MEMORANDUM = "Minsk Memorandum (19 Sep 2014)"
AGREEMENT_MINSK2 = "Minsk II Package of Measures (12 Feb 2015)"


@dataclass(frozen=True)
class ZoneRule:
    """One withdrawal obligation: agreement, weapon class and zone width."""

    agreement: str
    weapon_class: str
    zone_width_km: float

    @property
    def width_km(self) -> float:
        """Per-side withdrawal distance: half the zone (equal distances each side)."""
        return self.zone_width_km / 2.0


ZONE_RULES = (
    ZoneRule(AGREEMENT_MEMORANDUM, "weapons over 100 mm", 30.0),
    ZoneRule(AGREEMENT_MINSK2, "artillery 100 mm and more", 50.0),
    ZoneRule(AGREEMENT_MINSK2, "MLRS", 70.0),
    ZoneRule(AGREEMENT_MINSK2, "Tornado-S, Uragan, Smerch, Tochka-U", 140.0),
)

ZONE_COLUMNS = [
    S.LINE_NAME,
    S.Z_AGREEMENT,
    S.Z_WEAPON_CLASS,
    S.Z_PARTY,
    S.I_WIDTH_KM,
    S.Z_ZONE_WIDTH_KM,
    S.C_FROM_LINE,
    "from_line_name",
    S.AREA_KM2,
]


def withdrawal_band(line, region, party: str, width_km: float, rule: SideRule, *, line_id: str = "(unnamed)"):
    """The ground within ``width_km`` (geodesic) of ``line`` on ``party``'s side, in ``region``.

    Parameters
    ----------
    line : LineString
        Reference line in EPSG:4326 (convention of :mod:`geo.reference.lines`).
    region : Polygon or MultiPolygon
        Clip (EPSG:4326), e.g. Ukraine's outline.
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
    if not width_km > 0:
        raise ValueError(f"width_km must be positive, not {width_km!r}")
    if line is None or line.is_empty:
        raise InvalidGeometryError("a withdrawal band needs a non-empty line")
    # Clip the region to the line's neighbourhood first: less to project and
    # no far-away rings distorted by the local projection.
    minx, miny, maxx, maxy = line.bounds
    dlat = 1.3 * width_km / 111.0 + 0.1
    dlon = 1.3 * width_km / (111.0 * math.cos(math.radians(max(abs(miny), abs(maxy))))) + 0.1
    # The sides are cut on the whole region (a side point may lie beyond the clip), then clipped.
    own = control_from_line(line, region, rule, line_id=line_id)[party]
    side = shapely.intersection(own, shapely.box(minx - dlon, miny - dlat, maxx + dlon, maxy + dlat))
    c = line.centroid
    crs = local_aeqd(c.x, c.y)
    buf = shapely.buffer(to_local(line, crs), width_km * 1000.0, quad_segs=QUAD_SEGS)
    side_local = shapely.make_valid(to_local(polygonal(side), crs))
    band_local = shapely.intersection(buf, polygonal(side_local))
    # Drop slivers left where the clip meets the line (under 0.01 km²).
    parts = [p for p in shapely.get_parts(polygonal(band_local)) if p.area > MIN_PART_M2]
    return polygonal(from_local(shapely.union_all(parts), crs)) if parts else shapely.MultiPolygon()


def security_zones(
    lines: gpd.GeoDataFrame,
    region,
    *,
    ukraine_line: str = MINSK2_UKRAINE_LINE,
    separatist_line: str = S.LINE_MINSK_2014,
    memorandum_line: str = S.LINE_MINSK_2014,
    rules: tuple[ZoneRule, ...] = ZONE_RULES,
) -> gpd.GeoDataFrame:
    """Every party's withdrawal band for every rule, as a GeoDataFrame (EPSG:4326).

    The Memorandum bands of both parties are measured from ``memorandum_line``;
    the Minsk II bands of Ukraine from ``ukraine_line`` and of the separatists
    from ``separatist_line``.

    Returns
    -------
    GeoDataFrame
        One feature per (rule, party) with :data:`ZONE_COLUMNS`: ``name``,
        ``agreement``, ``weapon_class``, ``party``, ``width_km`` (per side),
        ``zone_width_km``, ``from_line`` and geodesic ``area_km2``.
    """
    by_id = lines.set_index(S.LINE_ID)
    for lid in {ukraine_line, separatist_line, memorandum_line}:
        if lid not in by_id.index:
            raise InvalidGeometryError(f"line '{lid}' is not among the reference lines")
    rows, geoms = [], []
    for rule in rules:
        for party in (S.PARTY_UKRAINE, S.PARTY_SEPARATISTS):
            if rule.agreement == AGREEMENT_MEMORANDUM:
                lid = memorandum_line
            else:
                lid = ukraine_line if party == S.PARTY_UKRAINE else separatist_line
            geom = withdrawal_band(
                by_id.loc[lid].geometry, region, party, rule.width_km, rule_for(lines, lid), line_id=lid
            )
            who = "Ukrainian forces" if party == S.PARTY_UKRAINE else "separatist formations"
            rows.append(
                {
                    S.LINE_NAME: (
                        f"{rule.agreement}: {rule.weapon_class}, {who} {rule.width_km:g} km back "
                        f"from {by_id.loc[lid][S.LINE_NAME]} (zone {rule.zone_width_km:g} km)"
                    ),
                    S.Z_AGREEMENT: rule.agreement,
                    S.Z_WEAPON_CLASS: rule.weapon_class,
                    S.Z_PARTY: party,
                    S.I_WIDTH_KM: rule.width_km,
                    S.Z_ZONE_WIDTH_KM: rule.zone_width_km,
                    S.C_FROM_LINE: lid,
                    "from_line_name": str(by_id.loc[lid][S.LINE_NAME]),
                    S.AREA_KM2: geodesic_area_km2(geom),
                }
            )
            geoms.append(geom)
    return gpd.GeoDataFrame(rows, columns=ZONE_COLUMNS, geometry=geoms, crs=S.CRS)
