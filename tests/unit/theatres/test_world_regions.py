"""Theatres without a boundaries.geojson take their regions from the world extract; codes are checked against it."""

from __future__ import annotations

import json

import pytest
from pyproj import Geod

from geo.control import regions_for
from geo.errors import TheatreError
from geo.theatres import create_theatre, get_theatre, list_theatres, theatre_regions, user_root
from geo.theatres.model import FORMAT, MANIFEST

GEOD = Geod(ellps="WGS84")
SHIPPED = [t.id for t in list_theatres() if t.shipped]


def _km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.mark.parametrize("theatre_id", ["korea-1953", "armenia-azerbaijan-2020"])
def test_shipped_theatres_without_boundaries_get_their_admin1_units(theatre_id):
    t = get_theatre(theatre_id)
    assert not t.has_table("boundaries.geojson")
    r = theatre_regions(t)
    assert sorted(r["iso_3166_2"]) == sorted(t.admin1)
    assert set(r["country"]) <= set(t.countries) and set(r["region_type"]) == {t.region_word}
    assert r.crs.to_epsg() == 4326 and not r.geometry.is_empty.any()


@pytest.mark.parametrize("theatre_id", SHIPPED)
def test_official_areas_within_3_percent_of_the_regions(theatre_id):
    """Every published area in a shipped theatre.json (sources cited there and in data/README.md)."""
    t = get_theatre(theatre_id)
    regions = theatre_regions(t)
    assert t.official_areas, f"{theatre_id} lists no official area"
    for o in t.official_areas:
        rows = regions[regions["iso_3166_2"] == o.iso_3166_2]
        assert len(rows) == 1, (theatre_id, o.iso_3166_2)
        measured = _km2(rows.geometry.iloc[0])
        assert abs(measured - o.km2) / o.km2 < 0.03, (theatre_id, o.iso_3166_2, measured, o.km2)


def test_a_user_theatre_of_a_new_country_has_all_its_units():
    t = create_theatre("cyprus-1974", "Cyprus 1974", ["cy"], (), ["Republic of Cyprus", "Turkish Cypriots"])
    r = theatre_regions(t)
    assert set(r["country"]) == {"CY"} and len(r) >= 6
    # Northern Cyprus, filed apart by Natural Earth, counts under Cyprus (internationally recognised borders)
    assert "Northern Cyprus" in set(r["name"])
    assert sorted(regions_for("cyprus-1974")["iso_3166_2"]) == sorted(r["iso_3166_2"])


def test_a_user_theatre_narrowed_to_admin1():
    create_theatre("ossetia", "South Ossetia", ["GE"], ["GE-SK", "GE-KA"], ["Georgia", "South Ossetia"])
    assert sorted(regions_for("ossetia")["iso_3166_2"]) == ["GE-KA", "GE-SK"]


def test_regions_for_reads_the_user_data_dir(tmp_path):
    create_theatre("abkhazia", "Abkhazia", ["GE"], ["GE-AB"], ["Georgia", "Abkhazia"], data_dir=tmp_path)
    assert set(regions_for("abkhazia", tmp_path)["iso_3166_2"]) == {"GE-AB"}


def test_a_country_not_built_yet_is_refused_with_the_build_command(tmp_path):
    with pytest.raises(TheatreError, match=r"`python data/build_world.py --countries MD` \(writes "):
        create_theatre("moldova", "Transnistria", ["MD"], (), ["Moldova", "Transnistria"], data_dir=tmp_path)
    assert not user_root(tmp_path).exists() or not any(user_root(tmp_path).iterdir())


@pytest.mark.parametrize(
    ("countries", "admin1", "words"),
    [
        (["QZ"], [], "unknown country code 'QZ'"),
        (["GE"], ["GE-ZZ"], "'GE-ZZ' is not a unit of GE"),
    ],
)
def test_create_refuses_codes_the_world_extract_lacks(countries, admin1, words):
    before = sorted(user_root().rglob("*")) if user_root().exists() else []
    with pytest.raises(TheatreError, match=words):
        create_theatre("bad-codes", "Bad", countries, admin1, ["A", "B"])
    after = sorted(user_root().rglob("*")) if user_root().exists() else []
    assert after == before


def test_a_theatre_whose_admin1_the_world_lacks_is_refused_with_its_id():
    d = user_root() / "handmade"
    d.mkdir(parents=True)
    manifest = {
        "format": FORMAT,
        "id": "handmade",
        "name": "Hand-made",
        "countries": ["GE"],
        "admin1": ["GE-ZZ"],
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    }
    (d / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(TheatreError, match="theatre 'handmade'.*'GE-ZZ'"):
        theatre_regions(get_theatre("handmade"))
