"""The actors tables (data/text/actors.csv and each theatre's actors.csv) read by geo.text.actors."""

from __future__ import annotations

import json
import os

import pytest

from geo import config
from geo.claims.proposals import guess_party, proposal_row
from geo.errors import DataFileError
from geo.text import actors as A
from geo.text import extract


def test_shipped_tables_give_the_extractors_actors():
    files = A.shipped_actor_files()
    assert files[0] == A.SHARED_ACTORS and len(files) >= 3
    names = [a.name for f in files for a in A.read_actor_table(f)]
    assert len(names) == len(set(names)), "an actor is listed in two tables"
    loaded = A.load_actors(files)
    assert A.ACTORS == {a.name: a.pattern for a in loaded}
    assert {"Poroshenko", "Zelensky", "Aliyev"} <= A.PERSONS and "DPR" not in A.PERSONS
    # kinds are tried in their order: "Russian military" before "Russia"
    order = [a.name for a in loaded]
    assert order.index("Russian military") < order.index("Russia")


def test_party_column_names_parties_of_the_shipped_theatres():
    ids = set()
    for manifest in config.THEATRES_DIR.glob("*/theatre.json"):
        ids |= {p["id"] for p in json.loads(manifest.read_text(encoding="utf-8"))["parties"]}
    assert A.ACTOR_PARTIES and set(A.ACTOR_PARTIES.values()) <= ids
    assert A.ACTOR_PARTIES["DPR"] == "separatists" and "OSCE" not in A.ACTOR_PARTIES


def test_a_theatre_table_adds_its_actors(tmp_path):
    (tmp_path / "actors.csv").write_text(
        "name,kind,party,pattern\nBaku,capital,azerbaijan,Baku\nAliyev,person,azerbaijan,Ilham\\s+Aliyev\n",
        encoding="utf-8",
    )
    got = A.load_actors([A.SHARED_ACTORS, tmp_path / "actors.csv", tmp_path / "absent.csv"])
    by_name = {a.name: a for a in got}
    assert by_name["Baku"].party == "azerbaijan" and by_name["Aliyev"].pattern == r"Ilham\s+Aliyev"
    assert [a.name for a in got].index("Aliyev") < [a.name for a in got].index("Baku")  # a person first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind,pattern\nX,army,X\n", r"row 2: field 'kind': 'army' is not one of"),
        ("name,kind,pattern\nX,person,(unclosed\n", r"row 2: field 'pattern': not a regular expression"),
        ("name,kind,pattern\n,person,X\n", r"row 2: field 'name': missing"),
        ("name,kind,pattern\nX,person,\n", r"row 2: field 'pattern': missing"),
        ("name,kind,party,pattern\nX,person,Bad Id,X\n", r"row 2: field 'party': 'Bad Id' is not a party id"),
        ("name,pattern\nX,X\n", r"missing column\(s\): kind"),
    ],
)
def test_bad_rows_are_refused_naming_file_row_and_field(tmp_path, text, message):
    path = tmp_path / "actors.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as err:
        A.read_actor_table(path)
    assert "actors.csv" in str(err.value)


DESK_ACTORS = (
    "name,kind,party,pattern\n"
    "Harbour Command,organisation,unc,(?:the\\s+)?Harbour\\s+Command\n"
    "Ridge Brigade,forces,kpa_cpv,(?:the\\s+)?Ridge\\s+Brigade\n"
)
DESK_SENTENCE = "The Harbour Command accused the Ridge Brigade of seizing 40 sq km of territory on Monday."


def test_a_user_theatre_s_actors_are_read_by_the_extractor_and_give_the_party(tmp_path):
    (tmp_path / "actors.csv").write_text(DESK_ACTORS, encoding="utf-8")
    (plain,) = extract(DESK_SENTENCE, "2026-03-04")
    assert plain.actor != "Harbour Command" and plain.target == ""  # the shipped tables know neither
    table = A.actor_table([tmp_path / "actors.csv"])
    (found,) = extract(DESK_SENTENCE, "2026-03-04", actors=[tmp_path / "actors.csv"])
    assert (found.actor, found.target, found.value_km2) == ("Harbour Command", "Ridge Brigade", 40.0)
    assert proposal_row(found, table)["party"] == "kpa_cpv" and guess_party("Ridge Brigade") == ""
    assert A.actor_table([tmp_path / "absent.csv"]) is A.actor_table()  # nothing added: the shipped table
    assert {m.name for m in A.find_actors("Zelensky said", table)} == {"Zelensky"}  # shipped ones kept


def test_a_changed_theatre_table_is_read_again_and_a_bad_one_is_named(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text(DESK_ACTORS, encoding="utf-8")
    first = A.actor_table([path])
    path.write_text(DESK_ACTORS + "Lake Wing,forces,unc,Lake\\s+Wing\n", encoding="utf-8")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert "Lake Wing" in A.actor_table([path]).patterns and "Lake Wing" not in first.patterns
    path.write_text("name,kind,pattern\nX,army,X\n", encoding="utf-8")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 10))
    with pytest.raises(DataFileError, match=r"actors.csv: row 2: field 'kind'"):
        A.actor_table([path])
