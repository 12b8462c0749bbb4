"""``python -m geo theatre list|create|export|import`` and ``python -m geo area FILE --theatre ID``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.__main__ import main
from geo.theatres import user_root

REPO = Path(__file__).resolve().parents[2]


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _listed(capsys) -> dict:
    code, out, _ = _run(capsys, "theatre", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list)
    return {r["id"]: r for r in rows}


def test_list_json_has_the_contract_fields(capsys):
    donbas = _listed(capsys)["donbas-2014-15"]
    assert {"id", "name", "countries", "parties", "lines", "claims"} <= set(donbas)
    assert donbas["countries"] == ["UA"] and isinstance(donbas["claims"], int) and donbas["claims"] > 0
    assert donbas["lines"] == ["minsk_2014_09_19", "contact_2015_01_20", "contact_2015_02_20"]
    assert [p["id"] for p in donbas["parties"]] == ["separatists", "ukraine"]


def test_create_for_georgia_then_list_shows_it(capsys):
    code, out, err = _run(
        capsys,
        "theatre",
        "create",
        "georgia-borderisation",
        "--name",
        "Georgia: borderisation",
        "--countries",
        "GE",
        "--party",
        "Georgia",
        "--party",
        "South Ossetia (Russia-backed)",
        "--region-word",
        "mkhare",
    )
    assert code == 0 and err == "" and "created theatre 'georgia-borderisation'" in out
    row = _listed(capsys)["georgia-borderisation"]
    assert row["countries"] == ["GE"] and row["lines"] == [] and row["claims"] == 0
    assert [p["name"] for p in row["parties"]] == ["Georgia", "South Ossetia (Russia-backed)"]
    assert row["region_word"] == "mkhare" and row["shipped"] is False
    code, out, _ = _run(capsys, "theatre", "list")
    assert code == 0 and "georgia-borderisation" in out and "donbas-2014-15" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["donbas-2014-15", "--name", "X", "--countries", "UA"], "already taken"),
        (["x-1", "--name", "X", "--countries", "GEO"], "'GEO' is not an ISO 3166-1 alpha-2 code"),
        (["x-1", "--name", "X", "--countries", "GE", "--admin1", "AM-ER"], "not in the theatre's countries"),
        (["Bad Id", "--name", "X", "--countries", "GE"], "not a theatre id"),
    ],
)
def test_create_refusals_exit_2_with_one_line(capsys, argv, words):
    code, out, err = _run(capsys, "theatre", "create", *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and words in err and err.count("\n") == 1
    assert not (user_root() / "x-1").exists()


def test_create_taken_user_id_exits_2(capsys):
    assert _run(capsys, "theatre", "create", "kashmir", "--name", "Kashmir", "--countries", "IN,PK")[0] == 0
    code, _, err = _run(capsys, "theatre", "create", "kashmir", "--name", "Other", "--countries", "IN")
    assert code == 2 and "already taken" in err
    assert _listed(capsys)["kashmir"]["name"] == "Kashmir"


def test_export_import_round_trip(capsys, tmp_path):
    _run(
        capsys,
        "theatre",
        "create",
        "cyprus",
        "--name",
        "Cyprus",
        "--countries",
        "CY",
        "--party",
        "RoC",
        "--party",
        "TRNC",
    )
    before = _listed(capsys)["cyprus"]
    zip_path = tmp_path / "cyprus.zip"
    code, out, _ = _run(capsys, "theatre", "export", "cyprus", str(zip_path))
    assert code == 0 and zip_path.exists()
    code, _, err = _run(capsys, "theatre", "import", str(zip_path))
    assert code == 2 and "--replace" in err
    code, out, _ = _run(capsys, "theatre", "import", str(zip_path), "--replace")
    assert code == 0 and "imported theatre 'cyprus'" in out
    assert _listed(capsys)["cyprus"] == before
    code, _, _ = _run(capsys, "theatre", "import", str(zip_path), "--id", "cyprus-copy")
    copy = _listed(capsys)["cyprus-copy"]
    assert code == 0 and {k: v for k, v in copy.items() if k not in ("id", "path")} == {
        k: v for k, v in before.items() if k not in ("id", "path")
    }


def test_import_of_a_bad_file_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all")
    code, out, err = _run(capsys, "theatre", "import", str(bad))
    assert code == 2 and out == "" and "not a readable zip file" in err and "Traceback" not in err


def test_unknown_theatre_export_exits_1(capsys, tmp_path):
    code, _, err = _run(capsys, "theatre", "export", "atlantis", str(tmp_path / "a.zip"))
    assert code == 1 and "no theatre 'atlantis'" in err and not (tmp_path / "a.zip").exists()


def test_module_entry_point_runs_theatre_list(tmp_path):
    env = {"CONTESTED_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "geo", "theatre", "list", "--json"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "donbas-2014-15" in [r["id"] for r in json.loads(done.stdout)]


def test_list_counts_each_theatres_claims_in_the_registry(capsys, tmp_path):
    import csv

    from geo.claims.store import open_store

    listed = _listed(capsys)
    with open_store() as store:  # the registry the listing counted (the test's data directory)
        counts = store.claim_counts()
        assert {k: r["claims"] for k, r in listed.items()} == {k: counts.get(k, 0) for k in listed}
        korea = listed["korea-1953"]["claims"]
        with (REPO / "data" / "theatres" / "korea-1953" / "claims.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert korea == sum(1 for r in rows if r["event_date"]) >= 5  # undated rows are not in the registry
        store.add_claims(
            [
                {
                    "quote": "the zone is 4 km wide",
                    "actor": "test",
                    "stance": "asserts",
                    "event_date": "1953-07-27",
                    "source_id": "vdocuments_armistice_text",
                }
            ],
            user="ana",
            theatre="korea-1953",
        )
    after = _listed(capsys)
    assert after["korea-1953"]["claims"] == korea + 1
    assert after["donbas-2014-15"]["claims"] == listed["donbas-2014-15"]["claims"]
    code, out, _ = _run(capsys, "theatre", "show", "korea-1953")
    assert code == 0 and json.loads(out)["claims"] == korea + 1
    # the rows left out of the registry are named by file, row and field
    code, _, err = _run(capsys, "theatre", "list", "--json")
    undated = [i for i, r in enumerate(rows, start=1) if not r["event_date"]]
    for i in undated:
        assert f"korea-1953/claims.csv: row {i}, field 'event_date'" in err


def test_extract_reads_a_user_theatre_s_own_actors_and_names_an_unknown_theatre(capsys):
    code, _, _ = _run(capsys, "theatre", "create", "harbour-desk", "--name", "Harbour", "--countries", "KR",
                      "--party", "UNC", "--party", "KPA")  # fmt: skip
    assert code == 0
    (user_root() / "harbour-desk" / "actors.csv").write_text(
        "name,kind,party,pattern\nHarbour Command,organisation,,(?:the\\s+)?Harbour\\s+Command\n"
        "Ridge Brigade,forces,,(?:the\\s+)?Ridge\\s+Brigade\n",
        encoding="utf-8",
    )
    sentence = "The Harbour Command accused the Ridge Brigade of seizing 40 sq km of territory on Monday."
    code, out, err = _run(capsys, "extract", "--published", "2026-03-04", "--theatre", "harbour-desk", sentence)
    assert code == 0, err
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["actor"], row["target"], row["value_km2"]) == ("Harbour Command", "Ridge Brigade", 40.0)
    code, out, err = _run(capsys, "extract", "--published", "2026-03-04", sentence)
    assert code == 0 and json.loads(out.splitlines()[0])["actor"] != "Harbour Command"
    code, out, err = _run(capsys, "extract", "--published", "2026-03-04", "--theatre", "no-such-desk", sentence)
    assert code != 0 and "no-such-desk" in err and "Traceback" not in err
