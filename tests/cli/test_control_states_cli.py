"""python -m geo control compare-states: any two control states of a party compared (issue 17 item 3).

Expected figures are computed independently of :mod:`geo.control.measure`:
shapely set operations on the input polygons (clipped to the theatre's regions)
and areas with ``pyproj.Geod`` on each ring, its edges cut to 0.01° (straight in lon/lat).
"""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pytest
import shapely

from geo.__main__ import main
from geo.commands.import_control import AS_CONTROL
from geo.control import regions_for
from geo.control.states import line_state, theatre_lines_for_states
from tests.support import synthetic_control as SC
from tests.support.geodesic import geod_km2

THEATRE = "donbas-2014-15"
PARTY = "separatists"
FIELDS = ["a", "b", "only_a_km2", "only_b_km2", "both_km2", "per_region"]
REL = 1e-6


def _run(*args, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _states(a: str, b: str, capsys, *, party: str = PARTY, theatre: str = THEATRE, as_json: bool = False):
    """``control compare-states`` run: (exit code, stdout, stderr)."""
    args = ["control", "compare-states", "--theatre", theatre, "--a", a, "--b", b, "--party", party]
    return _run(*args, *(["--json"] if as_json else []), capsys=capsys)


def _compare(a: str, b: str, capsys, party: str = PARTY) -> dict:
    code, out, err = _states(a, b, capsys, party=party, as_json=True)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def series(tmp_path, monkeypatch, capsys):
    """Three synthetic days imported as series DeepState of the separatists; the paths of the files."""
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    paths = SC.write_series(tmp_path / "series", 3)
    code, _, err = _run(
        "import",
        tmp_path / "series",
        "--theatre",
        THEATRE,
        "--as",
        AS_CONTROL,
        "--party",
        PARTY,
        "--series",
        "DeepState",
        capsys=capsys,
    )
    assert code == 0, err
    return paths


@pytest.fixture
def held_file(tmp_path):
    """A polygon file over the Donetsk-Luhansk border (it reaches beyond the regions to the east)."""
    geom = shapely.segmentize(shapely.Polygon([(37.2, 47.6), (40.6, 48.0), (40.4, 49.2), (38.0, 49.0)]), 0.005)
    path = tmp_path / "held.geojson"
    gpd.GeoDataFrame({"name": ["held"]}, geometry=[geom], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    return path, geom


def _check_parts_add_up(d: dict) -> None:
    assert d["only_a_km2"] + d["both_km2"] == pytest.approx(d["a"]["km2"], rel=REL)
    assert d["only_b_km2"] + d["both_km2"] == pytest.approx(d["b"]["km2"], rel=REL)
    for key in ("only_a_km2", "only_b_km2", "both_km2"):
        assert sum(v[key] for v in d["per_region"].values()) == pytest.approx(d[key], rel=REL), key


def test_a_snapshot_and_a_file_compared_match_an_independent_geodesic_computation(series, held_file, capsys):
    day = SC.START + dt.timedelta(days=2)
    path, file_geom = held_file
    d = _compare(f"series:DeepState@{day.isoformat()}", f"file:{path}", capsys)
    assert list(d) == FIELDS
    assert d["a"]["kind"] == "series" and d["a"]["date"] == day.isoformat() and d["a"]["source"] == "DeepState"
    assert d["b"]["kind"] == "file" and d["b"]["source"] == "held.geojson"
    _check_parts_add_up(d)

    regions = regions_for(THEATRE)
    union = shapely.union_all(list(regions.geometry.values))
    a = shapely.intersection(SC.geometry_of(series[2]), union)
    b = shapely.intersection(file_geom, union)
    assert d["a"]["km2"] == pytest.approx(geod_km2(a), rel=REL)
    assert d["b"]["km2"] == pytest.approx(geod_km2(b), rel=REL)
    expected = {"only_a_km2": a.difference(b), "only_b_km2": b.difference(a), "both_km2": a.intersection(b)}
    for key, geom in expected.items():
        assert d[key] == pytest.approx(geod_km2(geom), rel=REL), key
    assert {"Donetsk", "Luhansk"} <= set(d["per_region"])
    for _, region in regions.iterrows():
        for key, geom in expected.items():
            got = d["per_region"].get(region["name"], {}).get(key, 0.0)
            assert got == pytest.approx(geod_km2(geom.intersection(region.geometry)), rel=REL, abs=1e-6), (
                region["name"],
                key,
            )


def test_a_snapshot_in_force_on_a_date_after_the_last_held_day(series, capsys):
    # 2024-07-08 .. 2024-07-10 are held: a date after the last day uses the last snapshot
    later = (SC.START + dt.timedelta(days=30)).isoformat()
    d = _compare(f"series:DeepState@{SC.START.isoformat()}", f"series:DeepState@{later}", capsys)
    assert d["b"]["date"] == (SC.START + dt.timedelta(days=2)).isoformat()
    assert d["a"]["date"] == SC.START.isoformat()
    _check_parts_add_up(d)


def test_two_lines_sides_compared(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    d = _compare("line:minsk_2014_09_19", "line:contact_2015_02_20", capsys)
    assert list(d) == FIELDS
    assert d["a"]["kind"] == d["b"]["kind"] == "line"
    assert "side containing" in d["a"]["note"]
    _check_parts_add_up(d)
    # Areas of the parts, independently: Geod on the set operations of the two sides.
    regions = regions_for(THEATRE)
    lines = theatre_lines_for_states(THEATRE)
    a = line_state(lines, "minsk_2014_09_19", PARTY, regions).geometry
    b = line_state(lines, "contact_2015_02_20", PARTY, regions).geometry
    assert d["only_a_km2"] == pytest.approx(geod_km2(a.difference(b)), rel=REL)
    assert d["only_b_km2"] == pytest.approx(geod_km2(b.difference(a)), rel=REL)
    assert d["both_km2"] == pytest.approx(geod_km2(a.intersection(b)), rel=REL)
    # The Debaltseve salient: the separatists hold more after Feb 2015.
    assert d["only_b_km2"] > d["only_a_km2"] > 0
    # The other party's sides are the complement within the regions: what one holds only under A,
    # the other holds only under B.
    other = _compare("line:minsk_2014_09_19", "line:contact_2015_02_20", capsys, party="ukraine")
    assert other["only_b_km2"] == pytest.approx(d["only_a_km2"], rel=1e-5)
    assert other["only_a_km2"] == pytest.approx(d["only_b_km2"], rel=1e-5)


def test_text_output_names_both_states(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    code, out, err = _states("line:minsk_2014_09_19", "line:contact_2015_01_20", capsys)
    assert code == 0 and not err
    assert "minsk_2014_09_19" in out and "contact_2015_01_20" in out and "only in A" in out


def test_control_compare_keeps_its_field_names(series, capsys):
    day = (SC.START + dt.timedelta(days=1)).isoformat()
    code, out, err = _run(
        "control",
        "compare",
        "--theatre",
        THEATRE,
        "--party",
        PARTY,
        "--series",
        "DeepState",
        "--other-series",
        "DeepState",
        "--date",
        day,
        "--json",
        capsys=capsys,
    )
    assert code == 0, err
    got = json.loads(out)
    assert {"a_only_km2", "b_only_km2", "both_km2", "per_region"} <= set(got)
    assert "only_a_km2" not in got
    assert got["a_only_km2"] == got["b_only_km2"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "party", "theatre", "says"),
    [
        ("kml:x.kml", "line:minsk_2014_09_19", PARTY, THEATRE, "--a: state 'kml:x.kml': write series:NAME@YYYY-MM-DD"),
        ("line:minsk_2014_09_19", "line:nope", PARTY, THEATRE, "--b: unknown line 'nope'; choose one of"),
        ("line:minsk_2014_09_19", "file:/no/such/held.geojson", PARTY, THEATRE, "--b: state 'file:"),
        ("series:Nobody@2024-07-09", "line:minsk_2014_09_19", PARTY, THEATRE, "--a: series 'Nobody'"),
        ("series:DeepState@2024-02-30", "line:minsk_2014_09_19", PARTY, THEATRE, "--a: "),
        ("line:minsk_2014_09_19", "line:contact_2015_01_20", "russia", THEATRE, "not 'russia'"),
        ("line:minsk_2014_09_19", "line:contact_2015_01_20", PARTY, "no-such-theatre", "no theatre 'no-such-theatre'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys, a, b, party, theatre, says):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    code, out, err = _states(a, b, capsys, party=party, theatre=theatre)
    assert code == 1 and not out
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert says in err, err
    assert "Traceback" not in err


def test_a_file_without_polygons_or_outside_the_regions_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(38, 48)], crs="EPSG:4326").to_file(points, driver="GeoJSON")
    far = tmp_path / "far.geojson"
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(10, 10, 11, 11)], crs="EPSG:4326").to_file(far, driver="GeoJSON")
    for path, says in ((points, "no polygon"), (far, "no ground inside")):
        code, _, err = _states("line:minsk_2014_09_19", f"file:{path}", capsys)
        assert code == 1 and says in err and err.startswith("error: --b: "), err
