"""The theatre manifest: the shipped Donbas theatre loads, and a bad manifest names its file and field."""

from __future__ import annotations

import copy
import json

import pytest

from geo import config
from geo.errors import TheatreError
from geo.measure import geodesic_area_km2
from geo.theatres import get_theatre, list_theatres, manifest_dict, parse_manifest, read_manifest, theatre_regions
from geo.theatres.model import FORMAT, SIDE_EACH, manifest_text

DONBAS = "donbas-2014-15"


@pytest.fixture(scope="module")
def donbas_raw():
    return json.loads((config.THEATRES_DIR / DONBAS / "theatre.json").read_text(encoding="utf-8"))


def test_shipped_donbas_theatre_loads():
    t = get_theatre(DONBAS)
    assert t.shipped and t.default and t.path == config.SEED_THEATRE_DIR
    assert t.countries == ("UA",) and set(t.admin1) == {"UA-14", "UA-09"}
    assert t.party_ids == ("separatists", "ukraine")
    assert t.region_word == "oblast" and t.region_word_plural == "oblasts"
    assert t.reference_line == "minsk_2014_09_19"
    assert [a.date for a in t.agreements] == ["2014-09-19", "2015-02-12"]
    assert t.table_path("lines.csv").is_file() and t.has_table("boundaries.geojson")


def test_donbas_zone_rules_are_the_minsk_distances():
    memo, minsk2 = get_theatre(DONBAS).agreements
    assert [(z.distance_km, z.side) for z in memo.zones] == [(15.0, SIDE_EACH)]
    # Minsk II: half of each zone width on each side; Ukraine from the de facto line, separatists from 19 Sep 2014
    widths = sorted({z.distance_km * 2 for z in minsk2.zones})
    assert widths == [50.0, 70.0, 140.0]
    for z in minsk2.zones:
        assert z.line == {"ukraine": "contact_2015_02_20", "separatists": "minsk_2014_09_19"}[z.side]


def test_official_areas_within_3_percent_of_the_boundaries():
    t = get_theatre(DONBAS)
    regions = theatre_regions(t).set_index("iso_3166_2")
    assert {o.iso_3166_2 for o in t.official_areas} == set(t.admin1)
    for o in t.official_areas:
        measured = geodesic_area_km2(regions.geometry[o.iso_3166_2])
        assert abs(measured - o.km2) / o.km2 < 0.03, (o.iso_3166_2, measured, o.km2)
        assert o.source_url.startswith("https://")


def test_at_most_one_shipped_default():
    assert sum(t.default for t in list_theatres() if t.shipped) == 1


def test_manifest_round_trip(donbas_raw):
    t = get_theatre(DONBAS)
    again = parse_manifest(json.loads(manifest_text(t)), "x/theatre.json", path=t.path, shipped=True)
    assert again == t and manifest_dict(again) == manifest_dict(t)


def _set(raw, path, value):
    obj = raw
    for key in path[:-1]:
        obj = obj[key]
    if value is KeyError:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (("format",), "contested-lines-theatre/9", "format", "not a known theatre format"),
        (("id",), "Bad Id", "id", "not a theatre id"),
        (("name",), KeyError, "name", "missing"),
        (("countries",), ["UKR"], "countries[0]", "ISO 3166-1 alpha-2"),
        (("countries",), [], "countries", "at least one country"),
        (("admin1",), ["RU-ROS"], "admin1[0]", "not in the theatre's countries"),
        (("parties", 1, "colour"), "blue", "parties[1].colour", "#rrggbb"),
        (("parties", 0, "id"), "Separatists!", "parties[0].id", "not a party id"),
        (("parties",), [{"id": "a", "name": "A"}], "parties", "at least two parties"),
        (("parties", 1, "id"), "separatists", "parties", "used twice"),
        (("agreements", 0, "date"), "19/09/2014", "agreements[0].date", "YYYY-MM-DD"),
        (("agreements", 0, "zones", 0, "side"), "east", "agreements[0].zones[0].side", "neither 'each' nor a party"),
        (("agreements", 1, "zones", 2, "distance_km"), "35 km", "agreements[1].zones[2].distance_km", "not a number"),
        (("agreements", 1, "zones", 2, "distance_km"), -1, "agreements[1].zones[2].distance_km", "above 0"),
        (("official_areas", 1, "km2"), 0, "official_areas[1].km2", "above 0"),
        (("official_areas", 0, "source_url"), "wikipedia", "official_areas[0].source_url", "web address"),
        (("default",), "yes", "default", "true or false"),
    ],
)
def test_manifest_errors_name_file_and_field(donbas_raw, path, value, field, words):
    raw = copy.deepcopy(donbas_raw)
    _set(raw, path, value)
    with pytest.raises(TheatreError) as err:
        parse_manifest(raw, "somewhere/theatre.json")
    msg = str(err.value)
    assert msg.startswith(f"somewhere/theatre.json: field '{field}': "), msg
    assert words in msg


def test_read_manifest_names_the_file(tmp_path, donbas_raw):
    d = tmp_path / "other-id"
    d.mkdir()
    (d / "theatre.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TheatreError, match=r"other-id/theatre.json: not valid JSON \(line 1"):
        read_manifest(d)
    (d / "theatre.json").write_text(json.dumps(donbas_raw), encoding="utf-8")
    with pytest.raises(TheatreError, match=r"field 'id': 'donbas-2014-15' differs from the directory name 'other-id'"):
        read_manifest(d)
    with pytest.raises(TheatreError, match="theatre manifest not found"):
        read_manifest(tmp_path / "nowhere")


def test_optional_fields_default():
    t = parse_manifest(
        {
            "format": FORMAT,
            "id": "xy",
            "name": "XY",
            "countries": ["GE"],
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        },
        "xy/theatre.json",
    )
    assert (t.admin1, t.agreements, t.official_areas, t.default, t.reference_line) == ((), (), (), False, "")
    assert t.parties[0].colour != t.parties[1].colour
    with pytest.raises(TheatreError, match="has no party 'c'"):
        t.party("c")
