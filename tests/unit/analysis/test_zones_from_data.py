"""Security zones come from each theatre's agreements: Donbas unchanged, Korea's DMZ, a corridor, bad data."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import folium
import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer

from geo import schema as S
from geo.analysis import security_zones as zones_module
from geo.analysis.layers import zones_layer
from geo.analysis.security_zones import Z_AGREEMENT_ID, Z_QUOTE_URL, Z_ZONE_ID, security_zones, theatre_zones
from geo.errors import InvalidGeometryError, SideRuleError, TheatreError
from geo.maps.theatreview import theatre_map
from geo.reference.boundaries import national_outline
from geo.reference.lines import reference_lines
from geo.theatres import get_theatre, list_theatres, theatre_regions
from geo.theatres.tables import theatre_claims, theatre_lines

GEOD = Geod(ellps="WGS84")

#: Geodesic km² of every Donbas band as computed on main before the agreements became data
#: (commit a99c788, ``zones_layer()``), keyed by (zone id, party).
DONBAS_KM2_BEFORE = {
    ("minsk1_100mm", "ukraine"): 5499.121492766327,
    ("minsk1_100mm", "separatists"): 5263.994996856312,
    ("minsk2_artillery_ukraine", "ukraine"): 8291.306814825195,
    ("minsk2_artillery_separatists", "separatists"): 8412.999201542989,
    ("minsk2_mlrs_ukraine", "ukraine"): 12042.873818782218,
    ("minsk2_mlrs_separatists", "separatists"): 11064.701781203554,
    ("minsk2_heavy_mlrs_ukraine", "ukraine"): 26655.936307945085,
    ("minsk2_heavy_mlrs_separatists", "separatists"): 15767.885537487446,
}


def _utm_area_km2(line, region, width_m: float, epsg: int) -> float:
    """Independent check: the buffer in a UTM zone, clipped to ``region``, measured with pyproj.Geod."""
    fwd = Transformer.from_crs(4326, CRS.from_epsg(epsg), always_xy=True)
    back = Transformer.from_crs(CRS.from_epsg(epsg), 4326, always_xy=True)

    def through(t):
        return lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))

    buf = shapely.transform(shapely.transform(line, through(fwd)).buffer(width_m, quad_segs=64), through(back))
    band = shapely.intersection(buf, region)
    return sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(band)) / 1e6


def test_donbas_areas_unchanged():
    zones = zones_layer()
    got = {(z, p): a for z, p, a in zip(zones[Z_ZONE_ID], zones[S.Z_PARTY], zones[S.AREA_KM2])}
    assert set(got) == set(DONBAS_KM2_BEFORE)
    for key, before in DONBAS_KM2_BEFORE.items():
        assert got[key] == pytest.approx(before, rel=1e-9), key


def test_names_and_figures_come_from_the_data():
    memo = get_theatre("donbas-2014-15").agreements[0]
    zone = replace(memo.zones[0], name="Test band", distance_km=20.0, zone_width_km=40.0)
    edited = replace(memo, name="Edited accord", date="2001-02-03", zones=(zone,), quote="", quote_url="")
    out = security_zones(reference_lines(), national_outline(), (edited,), party_names={"ukraine": "Blue"})
    assert list(out[S.Z_AGREEMENT]) == ["Edited accord (3 Feb 2001)"] * 2
    assert set(out[S.I_WIDTH_KM]) == {20.0} and set(out[S.Z_ZONE_WIDTH_KM]) == {40.0}
    blue = out[out[S.Z_PARTY] == "ukraine"].iloc[0]
    assert blue[S.LINE_NAME].startswith("Edited accord (3 Feb 2001): Test band, on the Blue side, 20 km from ")
    # wider than the 15 km of the data: more ground
    assert blue[S.AREA_KM2] > DONBAS_KM2_BEFORE[("minsk1_100mm", "ukraine")] * 1.2
    # the rule's quote falls back to the zone's own, then to nothing
    assert set(out[Z_QUOTE_URL]) == {""}
    assert set(zones_layer()[Z_QUOTE_URL]) >= {memo.quote_url}


@pytest.fixture(scope="module")
def korea():
    t = get_theatre("korea-1953")
    region = shapely.union_all(theatre_regions(t).geometry.values)
    return t, theatre_lines(t), region


def test_korea_dmz_is_2_km_each_side_of_the_mdl(korea):
    t, lines, region = korea
    armistice = t.agreements[0]
    dmz = security_zones(lines, region, (armistice,), party_names={p.id: p.short for p in t.parties})
    assert sorted(dmz[S.Z_PARTY]) == sorted(t.party_ids)
    assert set(dmz[S.I_WIDTH_KM]) == {2.0} and set(dmz[S.Z_ZONE_WIDTH_KM]) == {4.0}
    assert set(dmz[Z_AGREEMENT_ID]) == {armistice.id}
    mdl = lines.set_index(S.LINE_ID).geometry[armistice.line]
    total = float(dmz[S.AREA_KM2].sum())
    assert total == pytest.approx(_utm_area_km2(mdl, region, 2000.0, 32652), rel=0.005)
    # the two sides do not overlap, and UNC's band is the one nearer Uijeongbu (about 30 km south of the MDL)
    a, b = dmz.geometry
    assert abs(GEOD.geometry_area_perimeter(shapely.intersection(a, b))[0]) < 1e4
    near = {p: shapely.distance(g, shapely.Point(127.0474, 37.7381)) for p, g in zip(dmz[S.Z_PARTY], dmz.geometry)}
    assert near["unc"] < near["kpa_cpv"] - 0.01


def test_corridor_on_a_line_without_side_rule():
    t = get_theatre("armenia-azerbaijan-2020")
    lines = theatre_lines(t)
    region = shapely.union_all(theatre_regions(t).geometry.values)
    (agreement,) = t.agreements
    out = security_zones(lines, region, t.agreements)
    assert list(out[S.Z_PARTY]) == [""] and list(out[S.Z_ZONE_WIDTH_KM]) == [5.0]
    assert "on each side" in out[S.LINE_NAME].iloc[0]
    road = lines.set_index(S.LINE_ID).geometry[agreement.line]
    assert out[S.AREA_KM2].iloc[0] == pytest.approx(_utm_area_km2(road, region, 2500.0, 32638), rel=0.005)


def test_bad_zone_data_is_refused_with_the_agreement_and_zone(korea):
    t, lines, region = korea
    armistice = t.agreements[0]
    lost = replace(armistice, zones=(replace(armistice.zones[0], line="gone_line"),))
    with pytest.raises(
        InvalidGeometryError, match="agreement 'korean_armistice_1953', zone 'dmz_2km': line 'gone_line'"
    ):
        security_zones(lines, region, (lost,))
    aa = get_theatre("armenia-azerbaijan-2020")
    one_sided = replace(aa.agreements[0], zones=(replace(aa.agreements[0].zones[0], side="azerbaijan"),))
    with pytest.raises(SideRuleError, match="needs line 'lachin_corridor_2020' to have a side rule"):
        security_zones(theatre_lines(aa), shapely.box(44, 38, 48, 41), (one_sided,))


def test_the_module_names_no_agreement_party_or_country():
    text = Path(zones_module.__file__).read_text(encoding="utf-8").lower()
    words = {"minsk", "ukraine", "ukrainian", "separatist", "separatists", "korea", "russia", "armistice"}
    for t in list_theatres():
        words |= {p.id for p in t.parties} | {p.short.lower() for p in t.parties}
        words |= {a.id for a in t.agreements} | {a.name.lower() for a in t.agreements}
        words |= {z.id for a in t.agreements for z in a.zones}
    found = sorted(w for w in words if re.search(rf"\b{re.escape(w)}\b", text))
    assert not found, found


def test_korea_map_offers_the_dmz_as_a_layer(korea):
    t, lines, region = korea
    zones = theatre_zones(t, lines, theatre_regions(t))
    assert sorted(set(zones[Z_ZONE_ID])) == sorted(z.id for a in t.agreements for z in a.zones)
    m = theatre_map(t, lines, theatre_claims(t), zones=zones)
    groups = {c.layer_name: c for c in m._children.values() if isinstance(c, folium.FeatureGroup)}
    dmz = groups["Zone: Korean Armistice Agreement (27 Jul 1953), all military forces, supplies and equipment"]
    assert dmz.show is False  # off until ticked: the map opens on the line and the claims
    assert any(i.label.startswith("Zone of Korean Armistice Agreement") and "(4 km)" in i.label for i in m.legend)
    html = m.get_root().render()
    assert "on the UNC / ROK side, 2 km from Military Demarcation Line" in html


def test_theatre_zones_names_the_manifest_field_of_a_missing_line(korea):
    t, lines, region = korea
    with pytest.raises(TheatreError, match=r"korea-1953/theatre.json: field 'agreements\[0\].line': 'mdl_1953_07_27'"):
        theatre_zones(t, lines.iloc[0:0], region)
