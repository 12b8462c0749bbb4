"""``python -m geo area FILE --theatre ID --json``: the contract fields, checked against an independent pyproj.Geod computation."""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box, mapping

from geo.__main__ import main
from geo.theatres import get_theatre, theatre_regions

GEOD = Geod(ellps="WGS84")
#: Relative tolerance against the independent computation (issue 16: 0.1%).
REL = 1e-3


def _km2(geom) -> float:
    # densify so that edges along parallels are followed, as a map draws them; then the geodesic area
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.001))[0]) / 1e6


def _write(path, *geoms) -> str:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": f"p{i}"}, "geometry": mapping(g)} for i, g in enumerate(geoms)
        ],
    }
    path.write_text(json.dumps(fc), encoding="utf-8")
    return str(path)


def _run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _expected(geom, theatre_id: str) -> dict:
    regions = theatre_regions(get_theatre(theatre_id))
    per = {}
    for name, region in zip(regions["name"], regions.geometry.values, strict=True):
        part = shapely.intersection(geom, region)
        if not part.is_empty:
            per[name] = per.get(name, 0.0) + _km2(part)
    outside = shapely.difference(geom, shapely.union_all(regions.geometry.values))
    return {"total_km2": _km2(geom), "per_region": per, "outside_km2": 0.0 if outside.is_empty else _km2(outside)}


def _check(got: dict, want: dict) -> None:
    assert {"total_km2", "per_region", "outside_km2"} <= set(got)
    assert got["total_km2"] == pytest.approx(want["total_km2"], rel=REL)
    assert got["outside_km2"] == pytest.approx(want["outside_km2"], rel=REL, abs=0.01)
    big = {k for k, v in want["per_region"].items() if v > 0.01}
    assert big <= set(got["per_region"])
    for name in big:
        assert got["per_region"][name] == pytest.approx(want["per_region"][name], rel=REL), name
    parts = sum(got["per_region"].values()) + got["outside_km2"]
    assert parts == pytest.approx(got["total_km2"], rel=1e-6)


def test_korea_polygon_half_at_sea_reports_the_part_outside(tmp_path, capsys):
    # 128.2-129.4 E, 38.2-38.5 N: the Gangwon / Kangwon coast, the eastern half in the East Sea
    poly = box(128.2, 38.2, 129.4, 38.5)
    code, out, err = _run(capsys, "area", _write(tmp_path / "half.geojson", poly), "--theatre", "korea-1953", "--json")
    assert code == 0, err
    got = json.loads(out)
    want = _expected(poly, "korea-1953")
    _check(got, want)
    assert 0.3 * got["total_km2"] < got["outside_km2"] < 0.9 * got["total_km2"]
    assert {"Gangwon", "Kangwon"} <= set(got["per_region"])


def test_armenia_azerbaijan_corridor_box_splits_between_countries(tmp_path, capsys):
    # around Lachin town and the Armenian border: Syunik (AM) and the districts east of it
    poly = box(46.3, 39.45, 46.9, 39.8)
    code, out, err = _run(
        capsys, "area", _write(tmp_path / "lachin.geojson", poly), "--theatre", "armenia-azerbaijan-2020", "--json"
    )
    assert code == 0, err
    got = json.loads(out)
    _check(got, _expected(poly, "armenia-azerbaijan-2020"))
    assert "Syunik" in got["per_region"] and got["outside_km2"] > 0  # Natural Earth's Lachin district is left out


def test_overlapping_polygons_are_counted_once(tmp_path, capsys):
    a, b = box(37.5, 47.8, 38.1, 48.2), box(37.8, 47.8, 38.4, 48.2)
    code, out, _ = _run(capsys, "area", _write(tmp_path / "two.geojson", a, b), "--theatre", "donbas-2014-15", "--json")
    assert code == 0
    got = json.loads(out)
    _check(got, _expected(shapely.union_all([a, b]), "donbas-2014-15"))
    assert got["polygons"] == 2 and set(got["per_region"]) <= {"Donetsk", "Luhansk"}


def test_text_output_names_the_part_outside(tmp_path, capsys):
    code, out, _ = _run(
        capsys, "area", _write(tmp_path / "k.geojson", box(128.2, 38.2, 129.4, 38.5)), "--theatre", "korea-1953"
    )
    assert code == 0 and "outside every region of korea-1953" in out and "km²" in out


@pytest.mark.parametrize(
    ("make", "theatre", "words"),
    [
        (lambda p: _write(p, box(0, 0, 1, 1)), "atlantis", "no theatre 'atlantis'"),
        (lambda p: _write(p, shapely.LineString([(37, 48), (38, 48)])), "donbas-2014-15", "LineString"),
        (lambda p: str(p.with_name("missing.geojson")), "donbas-2014-15", "not found"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(tmp_path, capsys, make, theatre, words):
    code, out, err = _run(capsys, "area", make(tmp_path / "f.geojson"), "--theatre", theatre, "--json")
    assert code != 0 and out == "" and words in err and err.count("\n") == 1 and "Traceback" not in err
