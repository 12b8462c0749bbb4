"""The catalogue: shipped and user theatres, a user theatre may not take a shipped id, a broken one is reported."""

from __future__ import annotations

import json

import pytest

from geo import config
from geo.errors import TheatreError, UnknownTheatreError
from geo.theatres import catalogue_problems, create_theatre, default_theatre, get_theatre, list_theatres, user_root
from geo.theatres.create import check_codes, party_id_for


def _shipped_ids():
    return sorted(p.name for p in config.THEATRES_DIR.iterdir() if (p / "theatre.json").exists())


def test_list_has_every_shipped_theatre_first():
    ids = [t.id for t in list_theatres()]
    assert ids[: len(_shipped_ids())] == _shipped_ids()
    assert default_theatre().id == "donbas-2014-15"


def test_create_for_a_new_country_then_list_shows_it():
    t = create_theatre("georgia-2008", "Georgia 2008", ["ge"], ["GE-SK"], ["Georgia", "South Ossetia", "Russia"])
    assert t.path == user_root() / "georgia-2008" and not t.shipped and not t.default
    assert t.countries == ("GE",) and t.admin1 == ("GE-SK",)
    assert t.party_ids == ("georgia", "south_ossetia", "russia")
    assert len({p.colour for p in t.parties}) == 3
    listed = {x.id: x for x in list_theatres()}
    assert listed["georgia-2008"] == t
    assert not any(x.shipped for x in listed.values() if x.id == "georgia-2008")


def test_create_refuses_and_writes_nothing():
    before = sorted(user_root().rglob("*")) if user_root().exists() else []
    for args, words in [
        (("donbas-2014-15", "Copy", ["UA"]), "shipped theatre"),
        (("No Caps", "X", ["GE"]), "not a theatre id"),
        (("xx", "X", ["GEO"]), "ISO 3166-1 alpha-2"),
        (("xx", "X", []), "at least one country"),
        (("xx", "", ["GE"]), "needs a name"),
        (("xx", "X", ["GE"], ["AM-ER"]), "not in the theatre's countries"),
        (("xx", "X", ["GE"], (), ["Only one"]), "at least two parties"),
    ]:
        with pytest.raises(TheatreError, match=words):
            create_theatre(*args)
    after = sorted(user_root().rglob("*")) if user_root().exists() else []
    assert after == before


def test_create_refuses_a_taken_user_id():
    create_theatre("kashmir", "Kashmir", ["IN", "PK"])
    with pytest.raises(TheatreError, match="already taken"):
        create_theatre("kashmir", "Kashmir again", ["IN"])
    assert get_theatre("kashmir").name == "Kashmir"


def test_user_theatre_with_a_shipped_id_is_not_loaded():
    shipped = get_theatre("donbas-2014-15")
    fake = user_root() / "donbas-2014-15"
    fake.mkdir(parents=True)
    raw = json.loads((shipped.path / "theatre.json").read_text(encoding="utf-8"))
    raw["name"] = "Impostor"
    (fake / "theatre.json").write_text(json.dumps(raw), encoding="utf-8")
    assert get_theatre("donbas-2014-15").name == "Donbas 2014-15" and get_theatre("donbas-2014-15").shipped
    assert [t.id for t in list_theatres()].count("donbas-2014-15") == 1
    assert any("may not take the shipped id 'donbas-2014-15'" in p for p in catalogue_problems())


def test_broken_user_theatre_is_reported_and_hides_nothing():
    create_theatre("good-one", "Good", ["CY"])
    bad = user_root() / "bad-one"
    bad.mkdir()
    (bad / "theatre.json").write_text(
        '{"format": "contested-lines-theatre/1", "id": "bad-one", "countries": ["CY"],'
        ' "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]}',
        encoding="utf-8",
    )
    assert "good-one" in [t.id for t in list_theatres()]
    problems = catalogue_problems()
    assert any("bad-one/theatre.json: field 'name': missing" in p for p in problems)
    with pytest.raises(UnknownTheatreError, match="cannot be loaded: .*bad-one/theatre.json"):
        get_theatre("bad-one")
    with pytest.raises(UnknownTheatreError, match="no theatre 'nowhere' .*good-one"):
        get_theatre("nowhere")


def test_helpers():
    assert party_id_for("Republic of Korea (ROK)") == "republic_of_korea_rok"
    assert party_id_for("!!!") == "party"
    assert check_codes(["kr", " kp "], []) == (("KR", "KP"), ())
