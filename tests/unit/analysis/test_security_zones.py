"""Security zones from the agreements' data: geodesic widths from the right line, on the right side, in the region."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, box

from geo import schema as S
from geo.analysis.layers import zones_layer
from geo.analysis.security_zones import Z_AGREEMENT_ID, security_zones, withdrawal_band
from geo.analysis.sides import SideRule, control_from_line, rule_for
from geo.measure import geodesic_area_km2, local_aeqd, to_local
from geo.reference.boundaries import national_outline
from geo.reference.lines import reference_lines
from geo.theatres import get_theatre
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

DONBAS = get_theatre("donbas-2014-15")
MEMORANDUM_AGREEMENT, MINSK2_AGREEMENT = DONBAS.agreements
MEMORANDUM, MINSK2 = MEMORANDUM_AGREEMENT.id, MINSK2_AGREEMENT.id
#: The line the Minsk II Ukrainian withdrawal is measured from (data/README.md says why).
MINSK2_UKRAINE_LINE = S.LINE_CONTACT_2015_02

GEOD = Geod(ellps="WGS84")
#: Synthetic lines on 38°E: the separatists hold the east.
EAST = SideRule("point", PARTY_SEPARATISTS, PARTY_UKRAINE, 39.0, 48.0)


def _densify(line: LineString, step_deg: float = 0.002) -> np.ndarray:
    return np.asarray(shapely.segmentize(line, step_deg).coords)


def _min_geodesic_km(points: np.ndarray, line_pts: np.ndarray) -> np.ndarray:
    """Geodesic distance (km) of each point to the nearest of ``line_pts``."""
    n, m = len(points), len(line_pts)
    lon1 = np.repeat(points[:, 0], m)
    lat1 = np.repeat(points[:, 1], m)
    lon2 = np.tile(line_pts[:, 0], n)
    lat2 = np.tile(line_pts[:, 1], n)
    _, _, d = GEOD.inv(lon1, lat1, lon2, lat2)
    return d.reshape(n, m).min(axis=1) / 1000.0


def _outer_edge_points(zone, line, clip, width_km, max_points=60):
    """Vertices of the zone's boundary away from the clip outline and from the line."""
    c = line.centroid
    crs = local_aeqd(c.x, c.y)
    clip_edge = to_local(shapely.boundary(clip), crs)
    line_l = to_local(line, crs)
    pts = np.vstack([np.asarray(r.coords) for r in shapely.get_parts(shapely.boundary(zone))])
    loc = to_local(shapely.points(pts), crs)
    d_clip = shapely.distance(loc, clip_edge)
    d_line = shapely.distance(loc, line_l)
    keep = (d_clip > 3000.0) & (d_line > 0.5 * width_km * 1000.0)
    sel = pts[keep]
    if len(sel) > max_points:
        sel = sel[np.linspace(0, len(sel) - 1, max_points).astype(int)]
    return sel


@pytest.fixture(scope="module")
def zones():
    return zones_layer()


@pytest.fixture(scope="module")
def lines():
    return reference_lines().set_index(S.LINE_ID)


def test_layer_has_every_rule_and_party(zones):
    assert len(zones) == 8
    assert set(zones[S.Z_PARTY]) == {PARTY_UKRAINE, PARTY_SEPARATISTS}
    assert sorted(set(zones[S.Z_ZONE_WIDTH_KM])) == [30.0, 50.0, 70.0, 140.0]
    assert (zones[S.I_WIDTH_KM] * 2 == zones[S.Z_ZONE_WIDTH_KM]).all()
    memo = zones[zones[Z_AGREEMENT_ID] == MEMORANDUM]
    assert set(memo[S.C_FROM_LINE]) == {S.LINE_MINSK_2014}
    m2 = zones[zones[Z_AGREEMENT_ID] == MINSK2]
    assert set(m2[m2[S.Z_PARTY] == PARTY_SEPARATISTS][S.C_FROM_LINE]) == {S.LINE_MINSK_2014}
    assert set(m2[m2[S.Z_PARTY] == PARTY_UKRAINE][S.C_FROM_LINE]) == {MINSK2_UKRAINE_LINE}
    assert (zones[S.AREA_KM2] > 0).all()
    # geodesic area recomputed agrees with the stored one
    for g, a in zip(zones.geometry, zones[S.AREA_KM2]):
        assert geodesic_area_km2(g) == pytest.approx(a, rel=1e-9)


@pytest.mark.parametrize("row", range(8))
def test_outer_edge_is_the_width_from_its_line(zones, lines, row):
    z = zones.iloc[row]
    line = lines.loc[z[S.C_FROM_LINE]].geometry
    width = float(z[S.I_WIDTH_KM])
    pts = _outer_edge_points(z.geometry, line, national_outline(), width)
    assert len(pts) >= 5, "no outer-edge points away from the clipping"
    d = _min_geodesic_km(pts, _densify(line))
    assert np.all(np.abs(d - width) / width < 0.01), (d.min(), d.max(), width)


def test_zone_on_the_party_side_and_inside_ukraine(zones, lines):
    outline = national_outline()
    for _, z in zones.iterrows():
        lid = z[S.C_FROM_LINE]
        sep = control_from_line(lines.loc[lid].geometry, outline, rule_for(reference_lines(), lid))[PARTY_SEPARATISTS]
        wrong = (
            shapely.difference(z.geometry, sep)
            if z[S.Z_PARTY] == PARTY_SEPARATISTS
            else shapely.intersection(z.geometry, sep)
        )
        assert geodesic_area_km2(wrong) < 1.0
        assert geodesic_area_km2(shapely.difference(z.geometry, outline)) < 1.0


def test_wider_zone_contains_narrower(zones):
    uk = zones[(zones[S.Z_PARTY] == PARTY_UKRAINE) & (zones[Z_AGREEMENT_ID] == MINSK2)]
    uk = uk.sort_values(S.I_WIDTH_KM)
    geoms = list(uk.geometry)
    areas = list(uk[S.AREA_KM2])
    assert areas == sorted(areas)
    for small, big in zip(geoms, geoms[1:]):
        assert geodesic_area_km2(shapely.difference(small, big)) < 1.0


def test_band_on_a_simple_line_has_expected_area():
    # 15 km west of a 222 km meridian segment inside a large box: ~15 * 222 km²
    line = LineString([(38.0, 49.0), (38.0, 47.0)])
    region = box(36.0, 47.0, 40.0, 49.0)
    band = withdrawal_band(line, region, PARTY_UKRAINE, 15.0, EAST)
    assert geodesic_area_km2(band) == pytest.approx(15.0 * 222.4, rel=0.01)
    assert band.centroid.x < 38.0


def test_bad_inputs():
    line = LineString([(38.0, 49.0), (38.0, 47.0)])
    with pytest.raises(ValueError, match="party"):
        withdrawal_band(line, box(36, 47, 40, 49), "russia", 10, EAST)
    with pytest.raises(ValueError, match="positive"):
        withdrawal_band(line, box(36, 47, 40, 49), PARTY_UKRAINE, 0, EAST)
    from geo.errors import InvalidGeometryError

    moved = replace(MINSK2_AGREEMENT, zones=(replace(MINSK2_AGREEMENT.zones[0], line="nowhere_line"),))
    with pytest.raises(InvalidGeometryError, match="zone 'minsk2_artillery_ukraine': line 'nowhere_line'"):
        security_zones(reference_lines(), national_outline(), (moved,))
