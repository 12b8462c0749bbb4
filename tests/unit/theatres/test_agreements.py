"""Agreements as data: the shipped ones are complete and sourced, bad ones name the file and field."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from geo import config
from geo.errors import TheatreError
from geo.theatres import get_theatre, list_theatres, manifest_dict, parse_manifest
from geo.theatres.agreements import SIDE_EACH, agreement_label, check_agreement_lines, zone_line, zone_quote
from geo.theatres.tables import theatre_lines

SHIPPED = sorted(t.id for t in list_theatres() if t.shipped)
WITH_AGREEMENTS = [tid for tid in SHIPPED if get_theatre(tid).agreements]


def test_three_shipped_theatres_state_agreements():
    assert {"donbas-2014-15", "korea-1953", "armenia-azerbaijan-2020"} <= set(WITH_AGREEMENTS)


@pytest.mark.parametrize("theatre_id", WITH_AGREEMENTS)
def test_shipped_agreements_are_complete(theatre_id):
    t = get_theatre(theatre_id)
    claims = pd.read_csv(t.table_path("claims.csv"), dtype=str).fillna("")
    for a in t.agreements:
        assert a.name and a.date and a.signatories, a.id
        assert a.parties and set(a.parties) <= set(t.party_ids), a.id
        # the agreement's quote is the one a claim of the theatre carries, word for word
        assert a.quote_url.startswith("https://") and a.quote in set(claims["quote"]), a.id
        for z in a.zones:
            quote, url = zone_quote(a, z)
            assert quote and url.startswith("https://"), z.id
            assert z.weapon_class and z.name, z.id
            assert z.distance_km <= z.zone_width_km, z.id
            assert z.side == SIDE_EACH or z.side in a.parties, z.id
    check_agreement_lines(t.agreements, theatre_lines(t)["line_id"], str(t.path / "theatre.json"))


def test_donbas_figures_are_the_agreements_texts():
    memo, minsk2 = get_theatre("donbas-2014-15").agreements
    assert agreement_label(memo) == "Minsk Memorandum (19 Sep 2014)"
    assert agreement_label(minsk2) == "Minsk II Package of Measures (12 Feb 2015)"
    assert [(z.distance_km, z.zone_width_km, z.side) for z in memo.zones] == [(15.0, 30.0, SIDE_EACH)]
    assert sorted({z.zone_width_km for z in minsk2.zones}) == [50.0, 70.0, 140.0]
    for z in minsk2.zones:
        assert z.distance_km * 2 == z.zone_width_km
        quote, _ = zone_quote(minsk2, z)
        assert f"{z.zone_width_km:g}" in quote.replace("kilometers", "km"), (z.id, quote)
    assert {zone_line(minsk2, z) for z in minsk2.zones} == {"contact_2015_02_20", "minsk_2014_09_19"}


def test_korea_dmz_is_2_km_each_side():
    armistice = get_theatre("korea-1953").agreements[0]
    (dmz,) = armistice.zones
    assert (dmz.distance_km, dmz.zone_width_km, dmz.side, zone_line(armistice, dmz)) == (
        2.0,
        4.0,
        SIDE_EACH,
        "mdl_1953_07_27",
    )
    assert "two (2) kilometers" in armistice.quote


@pytest.mark.parametrize("theatre_id", SHIPPED)
def test_round_trip(theatre_id):
    t = get_theatre(theatre_id)
    again = parse_manifest(json.loads(json.dumps(manifest_dict(t))), "x/theatre.json", path=t.path, shipped=True)
    assert again == t


@pytest.fixture(scope="module")
def korea_raw():
    return json.loads((config.THEATRES_DIR / "korea-1953" / "theatre.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (("zones", 0, "zone_width_km"), 1, "agreements[0].zones[0].zone_width_km", "narrower than the 2.0 km"),
        (("zones", 0, "zone_width_km"), "4 km", "agreements[0].zones[0].zone_width_km", "not a number"),
        (("zones", 0, "quote"), "Both sides withdraw.", "agreements[0].zones[0].quote_url", "needs the address"),
        (("quote_url",), "vdocuments.site/x", "agreements[0].quote_url", "not a web address"),
        (("quote_url",), KeyError, "agreements[0].quote_url", "needs the address"),
        (("quote",), KeyError, "agreements[0].quote", "without the quote"),
        (("parties",), ["unc", "rok"], "agreements[0].parties[1]", "'rok' is not a party of the theatre"),
        (("signatories",), ["Clark", 7], "agreements[0].signatories[1]", "not a non-empty string"),
        (("zones",), "dmz", "agreements[0].zones", "is not a list"),
        (("name",), "", "agreements[0].name", "is empty"),
    ],
)
def test_bad_agreement_names_file_and_field(korea_raw, path, value, field, words):
    raw = copy.deepcopy(korea_raw)
    obj = raw["agreements"][0]
    for key in path[:-1]:
        obj = obj[key]
    if value is KeyError:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value
    with pytest.raises(TheatreError) as err:
        parse_manifest(raw, "data/theatres/korea-1953/theatre.json")
    msg = str(err.value)
    assert msg.startswith(f"data/theatres/korea-1953/theatre.json: field '{field}': "), msg
    assert words in msg, msg


def test_ids_used_twice_are_refused(korea_raw):
    raw = copy.deepcopy(korea_raw)
    raw["agreements"][0]["zones"].append(dict(raw["agreements"][0]["zones"][0]))
    with pytest.raises(TheatreError, match=r"field 'agreements\[0\].zones': zone id 'dmz_2km' is used twice"):
        parse_manifest(raw, "k/theatre.json")
    raw = copy.deepcopy(korea_raw)
    raw["agreements"][1]["id"] = raw["agreements"][0]["id"]
    with pytest.raises(TheatreError, match="field 'agreements': agreement id 'korean_armistice_1953' is used twice"):
        parse_manifest(raw, "k/theatre.json")


def test_defaults_parties_and_zone_width(korea_raw):
    raw = copy.deepcopy(korea_raw)
    del raw["agreements"][0]["parties"], raw["agreements"][0]["zones"][0]["zone_width_km"]
    a = parse_manifest(raw, "k/theatre.json").agreements[0]
    assert a.parties == ("unc", "kpa_cpv") and a.zones[0].zone_width_km == 4.0


def test_zone_from_a_line_the_theatre_lacks(korea_raw):
    t = parse_manifest(korea_raw, "k/theatre.json")
    with pytest.raises(
        TheatreError, match=r"k/theatre.json: field 'agreements\[0\].line': 'mdl_1953_07_27' is not a line"
    ):
        check_agreement_lines(t.agreements, ["other_line"], "k/theatre.json")
