"""geo.reference.regions: the world admin-1 extract (data/world/) read, filtered and checked."""

from __future__ import annotations

import gzip
import json

import pytest
import shapely
from pyproj import Geod

from geo.config import BOUNDARIES_FILE
from geo.errors import DataFileError, ValidationError
from geo.reference import regions as R
from geo.reference.boundaries import load_oblasts

GEOD = Geod(ellps="WGS84")


def _km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_the_shipped_files_exist_and_stay_small():
    assert R.ADMIN1_FILE.is_file() and R.COUNTRIES_FILE.is_file()
    assert R.ADMIN1_FILE.stat().st_size < 1_000_000


def test_country_table_has_one_row_per_iso_code():
    t = R.country_table()
    assert list(t.columns) == R.COUNTRY_COLUMNS
    assert t["iso_a2"].is_unique and t["iso_a2"].str.fullmatch(r"[A-Z]{2}").all()
    assert len(t) > 200
    names = t.set_index("iso_a2")["name"]
    assert names["UA"] == "Ukraine" and names["KP"] == "North Korea" and names["AZ"] == "Azerbaijan"


SHIPPED = {"UA", "KR", "KP", "AM", "AZ", "GE", "CY", "IL", "PS", "SD", "SS", "PK", "IN"}


def test_the_extract_holds_the_shipped_countries_only_and_the_table_all():
    units = R.read_units()
    assert set(units) == SHIPPED
    assert set(units) < set(R.country_table()["iso_a2"])
    assert len(R.country_table()) == 242


def test_a_country_not_built_is_refused_with_the_command_that_builds_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    assert R.is_country("FR") and R.missing_regions(["FR", "GE"]) == ("FR",)
    with pytest.raises(ValidationError, match=r"python data/build_world.py --countries FR"):
        R.regions(["FR"])


def test_a_country_built_on_demand_is_read_from_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    square = {"type": "Polygon", "coordinates": [[[2, 46], [3, 46], [3, 47], [2, 47], [2, 46]]]}
    props = {"name": "Somewhere", "iso_3166_2": "FR-XX", "country": "FR", "region_type": "Region"}
    folder = tmp_path / "world"
    folder.mkdir()
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props, "geometry": square}]}
    (folder / "admin1-FR.geojson").write_text(json.dumps(fc), encoding="utf-8")
    r = R.regions(["FR"])
    assert list(r["iso_3166_2"]) == ["FR-XX"] and R.missing_regions(["FR"]) == ()
    assert _km2(r.geometry.iloc[0]) == pytest.approx(_km2(shapely.geometry.shape(square)))
    # a rebuilt file is read again, and a shipped country is never replaced
    props2 = dict(props, iso_3166_2="FR-YY", name="Elsewhere")
    fc["features"].append({"type": "Feature", "properties": props2, "geometry": square})
    fc["features"].append({"type": "Feature", "properties": dict(props, country="GE"), "geometry": square})
    (folder / "admin1-FR.geojson").write_text(json.dumps(fc) + " ", encoding="utf-8")
    assert sorted(R.regions(["FR"])["iso_3166_2"]) == ["FR-XX", "FR-YY"]
    assert "FR-XX" not in set(R.regions(["GE"])["iso_3166_2"])


@pytest.mark.parametrize(("code", "known"), [("UA", True), ("kr", True), (" am ", True), ("QZ", False), ("", False)])
def test_is_country(code, known):
    assert R.is_country(code) is known


def test_regions_of_two_countries_narrowed_to_admin1():
    r = R.regions(["kr", "KP"], ["KR-41", "kp-07"])
    assert list(r.columns) == R.REGION_COLUMNS and r.crs.to_epsg() == 4326
    assert sorted(r["iso_3166_2"]) == ["KP-07", "KR-41"]
    assert dict(zip(r["iso_3166_2"], r["country"], strict=True)) == {"KR-41": "KR", "KP-07": "KP"}
    assert set(r["region_type"]) == {"province"}
    assert shapely.is_valid(r.geometry.values).all()


def test_regions_of_a_country_are_all_its_units():
    r = R.regions(["AM"])
    assert len(r) == 11 and set(r["country"]) == {"AM"}
    assert "Syunik" in set(r["name"])


def test_crimea_and_sevastopol_are_listed_under_ukraine():
    ua = set(R.regions(["UA"])["iso_3166_2"])
    assert {"UA-43", "UA-40", "UA-14", "UA-09"} <= ua
    assert not any(f["properties"]["iso_3166_2"] in {"UA-43", "UA-40"} for f in R.read_units().get("RU", []))
    disputed = {f["properties"]["iso_3166_2"] for f in R.read_units()["UA"] if f["properties"]["disputed"]}
    assert disputed == {"UA-43", "UA-40"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((["QZ"],), "unknown country code 'QZ'"),
        (([],), "no country given"),
        ((["KR"], ["KP-07"]), "'KP-07' is not a unit of KR"),
    ],
)
def test_bad_codes_are_refused_by_name(args, words):
    with pytest.raises(ValidationError, match=words):
        R.regions(*args)


def test_simplified_units_stay_close_to_the_donbas_boundaries():
    """The world extract is simplified: each oblast within 1% of the 5-decimal boundaries file."""
    own = load_oblasts(BOUNDARIES_FILE).set_index("iso_3166_2")
    world = R.regions(["UA"], ["UA-14", "UA-09"]).set_index("iso_3166_2")
    for code in ("UA-14", "UA-09"):
        a, b = _km2(world.geometry[code]), _km2(own.geometry[code])
        assert abs(a - b) / b < 0.01, (code, a, b)


def test_neighbours_share_edges_without_overlaps():
    r = R.regions(["KR"])
    geoms = r.geometry.values
    total = sum(_km2(g) for g in geoms)
    overlap = 0.0
    tree = shapely.STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if i < j:
            inter = shapely.intersection(geoms[i], geoms[j])
            overlap += 0.0 if inter.is_empty else _km2(inter)
    assert overlap < 1e-4 * total


def test_a_broken_admin1_file_names_the_file(tmp_path):
    bad = tmp_path / "admin1.geojson.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(DataFileError, match="admin1.geojson.gz: cannot read"):
        R.read_units(bad)
    missing = tmp_path / "units.geojson.gz"
    feature = {"type": "Feature", "properties": {"name": "X"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
    missing.write_bytes(gzip.compress(json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()))
    with pytest.raises(DataFileError, match="feature 0 lacks property 'iso_3166_2'"):
        R.read_units(missing)
    with pytest.raises(DataFileError, match="not found"):
        R.read_units(tmp_path / "nope.geojson.gz")


def test_a_countries_table_without_a_column_is_refused(tmp_path):
    p = tmp_path / "countries.csv"
    p.write_text("iso_a2,name\nGE,Georgia\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing column 'region_word'"):
        R.read_country_table(p)


def test_the_line_layout_and_plain_geojson_read_alike(tmp_path):
    """build_world's one-feature-per-line layout is read without decoding coordinates; plain GeoJSON too."""
    props = {"name": "A", "iso_3166_2": "GE-XX", "country": "GE", "region_type": "Region"}
    geom = {"type": "Polygon", "coordinates": [[[44.0, 41.0], [45.0, 41.0], [45.0, 42.0], [44.0, 41.0]]]}
    feature = {"type": "Feature", "properties": props, "geometry": geom}
    compact = json.dumps(feature, separators=(",", ":"))
    lines = tmp_path / "lines.geojson"
    lines.write_text(R.LINES_HEAD + ',"features":[\n' + compact + ",\n" + compact + "\n]}\n", encoding="utf-8")
    plain = tmp_path / "plain.geojson"
    plain.write_text(json.dumps({"type": "FeatureCollection", "features": [feature, feature]}), encoding="utf-8")
    a, b = R.read_units(lines), R.read_units(plain)
    assert [u["properties"] for u in a["GE"]] == [u["properties"] for u in b["GE"]] == [props, props]
    ga = shapely.from_geojson([u["geometry"] for u in a["GE"]])
    gb = shapely.from_geojson([u["geometry"] for u in b["GE"]])
    assert shapely.equals(ga, gb).all() and shapely.equals(ga[0], shapely.geometry.shape(geom))
