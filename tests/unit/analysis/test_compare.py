"""Tests of geo.analysis.compare: gained/lost ground, displacement, settlements, the compare command."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from geo import schema as S
from geo.__main__ import main
from geo.analysis import compare as C
from geo.analysis.layers import build_layers
from geo.analysis.sides import SideRule, rule_for
from geo.commands.compare_cmd import compare_by_id
from geo.errors import InvalidGeometryError
from geo.measure import GEOD, geodesic_area_km2
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

REGION = gpd.GeoDataFrame({S.B_NAME: ["West", "East"]}, geometry=[box(37, 47, 38, 49), box(38, 47, 39, 49)], crs=S.CRS)
#: The synthetic lines run north-south through REGION; the separatists hold the east.
EAST = SideRule("point", PARTY_SEPARATISTS, PARTY_UKRAINE, 38.9, 48.0)


def _rule():
    return rule_for(reference_lines(), S.LINE_MINSK_2014)


def _line(line_id):
    lines = reference_lines()
    return lines[lines[S.LINE_ID] == line_id].geometry.iloc[0]


@pytest.fixture(scope="module")
def sep_feb():
    return C.compare_lines(
        _line(S.LINE_MINSK_2014), _line(S.LINE_CONTACT_2015_02), front_oblasts(), C.load_settlements(), rule_a=_rule()
    )


@pytest.mark.parametrize("line_id", [S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02])
def test_a_line_compared_with_itself_gives_zero(line_id):
    r = C.compare_lines(_line(line_id), _line(line_id), front_oblasts(), C.load_settlements(), rule_a=_rule())
    assert r[C.GAINED] == 0.0 and r[C.LOST] == 0.0
    assert r[C.MAX_DISP] == 0.0 and r[C.MEAN_DISP] == 0.0
    assert r[C.SETTLEMENTS_CHANGED] == [] and r[C.PER_OBLAST] == {}
    assert r[C.DIFFERENCE].empty


def test_sep_2014_to_feb_2015_gain_equals_the_contested_layer(sep_feb):
    contested = build_layers()["contested"]
    row = contested[(contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_02) & (contested[S.C_HELD_BY] == PARTY_SEPARATISTS)]
    assert len(row) == 1
    expected = float(row[S.AREA_KM2].iloc[0])
    assert expected > 0
    assert abs(sep_feb[C.GAINED] - expected) / expected < 0.005
    uk = contested[(contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_02) & (contested[S.C_HELD_BY] == PARTY_UKRAINE)]
    assert abs(sep_feb[C.LOST] - float(uk[S.AREA_KM2].iloc[0])) <= 0.005 * float(uk[S.AREA_KM2].iloc[0])


def test_sep_2014_to_feb_2015_lists_debaltseve(sep_feb):
    by_name = {s["name"]: s for s in sep_feb[C.SETTLEMENTS_CHANGED]}
    assert "Debaltseve" in by_name
    assert by_name["Debaltseve"]["from_side"] == PARTY_UKRAINE
    assert by_name["Debaltseve"]["to_side"] == PARTY_SEPARATISTS
    assert by_name["Debaltseve"]["population"] > 10_000
    # Shyrokyne went the other way (Azov offensive, Feb 2015).
    assert by_name["Shyrokyne"]["to_side"] == PARTY_UKRAINE


def test_per_oblast_and_difference_polygons_add_up(sep_feb):
    # Oblast parts are cut from the union of the oblasts: slivers on the shared border differ by < 0.01%.
    assert sum(v[C.GAINED] for v in sep_feb[C.PER_OBLAST].values()) == pytest.approx(sep_feb[C.GAINED], rel=1e-4)
    assert sum(v[C.LOST] for v in sep_feb[C.PER_OBLAST].values()) == pytest.approx(sep_feb[C.LOST], rel=1e-4)
    diff = sep_feb[C.DIFFERENCE]
    assert set(diff[C.D_GAINED_BY]) == {PARTY_SEPARATISTS, PARTY_UKRAINE}
    sep = diff[diff[C.D_GAINED_BY] == PARTY_SEPARATISTS][S.AREA_KM2].sum()
    assert sep == pytest.approx(sep_feb[C.GAINED], rel=1e-4)
    assert diff.crs.to_epsg() == 4326


def test_by_party_mirrors_gained_and_lost(sep_feb):
    bp = sep_feb[C.BY_PARTY]
    assert bp[PARTY_SEPARATISTS][C.GAINED] == sep_feb[C.GAINED]
    assert bp[PARTY_UKRAINE][C.GAINED] == sep_feb[C.LOST]
    assert bp[PARTY_UKRAINE][C.LOST] == sep_feb[C.GAINED]


def test_swapping_a_and_b_swaps_gained_and_lost(sep_feb):
    r = C.compare_lines(
        _line(S.LINE_CONTACT_2015_02), _line(S.LINE_MINSK_2014), front_oblasts(), C.load_settlements(), rule_a=_rule()
    )
    assert r[C.GAINED] == pytest.approx(sep_feb[C.LOST], rel=1e-9)
    assert r[C.LOST] == pytest.approx(sep_feb[C.GAINED], rel=1e-9)
    for oblast, v in sep_feb[C.PER_OBLAST].items():
        assert r[C.PER_OBLAST][oblast][C.GAINED] == pytest.approx(v[C.LOST], abs=1e-9)
    assert r[C.MAX_DISP] == pytest.approx(sep_feb[C.MAX_DISP], rel=1e-6)
    fwd = {(s["name"], s["from_side"], s["to_side"]) for s in sep_feb[C.SETTLEMENTS_CHANGED]}
    back = {(s["name"], s["to_side"], s["from_side"]) for s in r[C.SETTLEMENTS_CHANGED]}
    assert fwd == back


def test_displacement_of_parallel_meridians_is_geodesic():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    b = LineString([(38.1, 49.5), (38.1, 46.5)])
    max_km, mean_km = C.displacement_km(a, b, step_km=1.0)
    _, _, d_n = GEOD.inv(38.0, 49.5, 38.1, 49.5)
    _, _, d_s = GEOD.inv(38.0, 46.5, 38.1, 46.5)
    assert max_km == pytest.approx(d_s / 1000, rel=2e-3)  # widest gap at the southern end
    assert d_n / 1000 * 0.998 < mean_km < d_s / 1000 * 1.002


def test_max_displacement_is_symmetric_hausdorff():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    bulge = LineString([(38.0, 49.5), (38.0, 48.1), (37.8, 48.0), (38.0, 47.9), (38.0, 46.5)])
    max_ab, mean_ab = C.displacement_km(a, bulge)
    max_ba, mean_ba = C.displacement_km(bulge, a)
    _, _, d = GEOD.inv(37.8, 48.0, 38.0, 48.0)
    assert max_ab == pytest.approx(max_ba, rel=1e-6)
    assert max_ab == pytest.approx(d / 1000, rel=5e-3)
    assert 0 < mean_ab < max_ab and 0 < mean_ba < max_ba


def test_a_westward_shift_is_gained_by_the_separatists():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    b = LineString([(37.5, 49.5), (37.5, 46.5)])
    r = C.compare_lines(a, b, REGION, rule_a=EAST)
    assert r[C.GAINED] == pytest.approx(geodesic_area_km2(box(37.5, 47, 38, 49)), rel=1e-6)
    assert r[C.LOST] == 0.0
    assert set(r[C.PER_OBLAST]) == {"West"}


def test_a_polygon_b_adds_ground_beyond_a():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    area = box(37.6, 48.0, 38.4, 48.4)  # half on each side of A
    r = C.compare_lines(a, area, REGION, rule_a=EAST)
    assert r[C.GAINED] == pytest.approx(geodesic_area_km2(box(37.6, 48.0, 38.0, 48.4)), rel=1e-6)
    assert r[C.LOST] == 0.0


def test_settlements_changed_strictly_inside_only():
    pts = gpd.GeoDataFrame(
        {
            S.S_NAME: ["in", "out", "edge"],
            S.S_LON: [37.7, 38.5, 37.5],
            S.S_LAT: [48.0, 48.0, 48.0],
            S.S_POPULATION: [10, 20, 30],
        },
        geometry=[Point(37.7, 48.0), Point(38.5, 48.0), Point(37.5, 48.0)],
        crs=S.CRS,
    )
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    b = LineString([(37.5, 49.5), (37.5, 46.5)])
    changed = C.compare_lines(a, b, REGION, pts, rule_a=EAST)[C.SETTLEMENTS_CHANGED]
    assert [s["name"] for s in changed] == ["in"]
    assert changed[0]["from_side"] == PARTY_UKRAINE and changed[0]["population"] == 10


@settings(max_examples=15, deadline=None)
@given(
    dx=st.floats(-0.4, 0.4).filter(lambda v: abs(v) > 1e-3),
    lat=st.floats(47.3, 48.7),
)
def test_swap_property_on_random_kinks(dx, lat):
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    b = LineString([(38.0, 49.5), (38.0, lat + 0.2), (38.0 + dx, lat), (38.0, lat - 0.2), (38.0, 46.5)])
    ab, ba = C.compare_lines(a, b, REGION, rule_a=EAST), C.compare_lines(b, a, REGION, rule_a=EAST)
    assert ab[C.GAINED] == pytest.approx(ba[C.LOST], rel=1e-9, abs=1e-9)
    assert ab[C.LOST] == pytest.approx(ba[C.GAINED], rel=1e-9, abs=1e-9)
    # A kink to the west (dx < 0) hands ground to the separatists, to the east to Ukraine.
    assert (ab[C.GAINED] > 0) == (dx < 0) and (ab[C.LOST] > 0) == (dx > 0)


def test_bad_inputs_raise_clear_errors():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    with pytest.raises(InvalidGeometryError, match="empty"):
        C.compare_lines(a, LineString(), REGION, rule_a=EAST)
    with pytest.raises(InvalidGeometryError, match="Point"):
        C.compare_lines(a, Point(38, 48), REGION, rule_a=EAST)
    with pytest.raises(InvalidGeometryError, match="A must be a LineString"):
        C.compare_lines(box(37, 47, 38, 48), a, REGION, rule_a=EAST)
    with pytest.raises(C.UnknownLineError, match="unknown line 'nope'"):
        compare_by_id(S.LINE_MINSK_2014, "nope", reference_lines(), front_oblasts())


def test_command_prints_json_figures(capsys):
    rc = main(["compare", S.LINE_MINSK_2014, S.LINE_CONTACT_2015_02, "--format", "json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    for key in (
        "gained_km2",
        "lost_km2",
        "per_oblast",
        "max_displacement_km",
        "mean_displacement_km",
        "settlements_changed",
    ):
        assert key in out
    assert out["gained_km2"] > out["lost_km2"] > 0
    assert "Debaltseve" in {s["name"] for s in out["settlements_changed"]}


def test_command_table_and_unknown_line(capsys):
    assert main(["compare", S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01]) == 0
    assert "gained_km2" in capsys.readouterr().out
    assert main(["compare", S.LINE_MINSK_2014, "no_such_line"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: unknown line 'no_such_line'") and "\n" not in err


def test_comparison_is_frozen_and_reads_like_the_former_dict():
    a = LineString([(38.0, 49.5), (38.0, 46.5)])
    b = LineString([(38.5, 49.5), (38.5, 46.5)])
    r = C.compare_lines(a, b, REGION, rule_a=EAST)
    assert isinstance(r, C.Comparison)
    assert (
        list(r)
        == list(r.as_dict())
        == [C.GAINED, C.LOST, C.BY_PARTY, C.PER_OBLAST, C.MAX_DISP, C.MEAN_DISP, C.SETTLEMENTS_CHANGED, C.DIFFERENCE]
    )
    assert r[C.LOST] == r.lost_km2 > 0 and r.gained_km2 == 0.0
    assert r.as_json() == C.summary(r)
    assert C.DIFFERENCE not in r.as_json()
    json.dumps(r.as_json())
    with pytest.raises(KeyError):
        r["nope"]
    with pytest.raises(AttributeError):
        r.gained_km2 = 1.0
