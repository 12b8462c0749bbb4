"""Tests of geo/commands/claims_cmd.py: ``python -m geo claims ...``."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import schema as S
from geo.__main__ import main
from geo.claims.store import open_store
from tests.support.claims_helpers import SEED_CLAIMS, claim_row, content_digest, write_seed

REPO = Path(__file__).resolve().parents[2]
N_SEED = len(SEED_CLAIMS)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "default-home"))
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)
    monkeypatch.setenv("CONTESTED_USER", "tester")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "claims.sqlite"
    with open_store(path, seed_dir=write_seed(tmp_path / "seed")) as store:
        store.add_claims(
            [
                claim_row(
                    7,
                    geometry_wkt="POLYGON ((37.5 47.9, 38.1 47.9, 38.1 48.3, 37.5 47.9))",
                    tags="cli;test",
                    notes="line one\nline two",
                    valid_from="2015-01-01",
                    valid_to="2015-02-15",
                ),
                claim_row(3, kind="withdrawal_distance", unit="km", value="15"),
            ],
            user="setup",
        )
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["claims", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _content(record: dict) -> dict:
    """The fields a re-added claim must keep (everything but id and record meta)."""
    return {c: record[c] for c in S.CLAIM_COLUMNS if c != S.CLAIM_ID}


def _list_json(capsys, db: Path) -> list[dict]:
    code, out, err = _run(capsys, "list", "--format", "json", "--db", str(db))
    assert code == 0, err
    return json.loads(out)


def test_list_json_then_add_back_assigns_new_ids_and_times(capsys, db, tmp_path):
    before = _list_json(capsys, db)
    assert len(before) == N_SEED + 2
    assert {"publisher", "title", "url", "published", "record_time", "version"} <= set(before[0])
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(before), encoding="utf-8")

    code, out, err = _run(capsys, "add", str(dump), "--db", str(db), "--user", "ana")
    assert code == 0, err
    new_ids = out.split()
    assert len(new_ids) == len(before)
    assert not set(new_ids) & {r[S.CLAIM_ID] for r in before}

    after = _list_json(capsys, db)
    assert len(after) == 2 * len(before)
    by_id = {r[S.CLAIM_ID]: r for r in after}
    old_times = max(r["record_time"] for r in before)
    readded = sorted((_content(by_id[i]) for i in new_ids), key=json.dumps)
    assert readded == sorted((_content(r) for r in before), key=json.dumps)
    assert all(by_id[i]["record_time"] > old_times and by_id[i]["version"] == 1 for i in new_ids)
    history = json.loads(_run(capsys, "history", new_ids[0], "--db", str(db), "--format", "json")[1])
    assert history[0]["user"] == "ana" and history[0]["action"] == "insert"


def test_round_trip_into_an_empty_store_recreates_sources(capsys, db, tmp_path):
    records = _list_json(capsys, db)
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(records), encoding="utf-8")
    empty = tmp_path / "empty.sqlite"
    open_store(empty, seed=False).close()
    code, _, err = _run(capsys, "add", str(dump), "--db", str(empty))
    assert code == 0, err
    copied = _list_json(capsys, empty)
    assert sorted(map(_content, copied), key=json.dumps) == sorted(map(_content, records), key=json.dumps)
    for column in ("publisher", "title", "url", "published", "language", "source_kind"):
        assert {r[column] for r in copied} == {r[column] for r in records}


def test_csv_round_trip(capsys, db, tmp_path):
    code, out, err = _run(capsys, "list", "--format", "csv", "--db", str(db))
    assert code == 0, err
    dump = tmp_path / "export.csv"
    dump.write_text(out, encoding="utf-8")
    rows = list(csv.DictReader(dump.open(encoding="utf-8")))
    assert len(rows) == N_SEED + 2 and rows[0].keys() >= set(S.CLAIM_COLUMNS)
    code, out, err = _run(capsys, "add", str(dump), "--db", str(db))
    assert code == 0, err
    assert len(out.split()) == N_SEED + 2
    records = _list_json(capsys, db)
    assert len(records) == 2 * (N_SEED + 2)
    assert sum(r[S.CLAIM_NOTES] == "line one\nline two" for r in records) == 2


def test_json_lines_and_stdin(capsys, db, tmp_path, monkeypatch):
    import io

    lines = tmp_path / "new.jsonl"
    lines.write_text("\n".join(json.dumps(claim_row(n)) for n in (1, 2, 3)) + "\n\n", encoding="utf-8")
    code, out, err = _run(capsys, "add", str(lines), "--db", str(db))
    assert code == 0, err
    assert len(out.split()) == 3
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps([claim_row(4)])))
    code, out, err = _run(capsys, "add", "-", "--db", str(db))
    assert code == 0, err
    assert len(_list_json(capsys, db)) == N_SEED + 2 + 4
    assert (
        json.loads(_run(capsys, "history", out.split()[0], "--db", str(db), "--format", "json")[1])[0]["user"]
        == "tester"
    )


@pytest.mark.parametrize(
    ("content", "suffix", "words"),
    [
        (json.dumps([claim_row(1), claim_row(2, quote="")]), ".json", "row 2, field 'quote'"),
        (json.dumps([claim_row(1, event_date="2015-02-31")]), ".json", "field 'event_date'"),
        (json.dumps([claim_row(1, reference_line="moon")]), ".json", "field 'reference_line'"),
        (json.dumps([claim_row(1, value="-500")]), ".json", "field 'value'"),
        (json.dumps([claim_row(1, value_km2=-1)]), ".json", "field 'value_km2'"),
        (
            json.dumps([claim_row(1, source_id="", publisher="X", source_kind="news", url="javascript:alert(1)")]),
            ".json",
            "field 'url'",
        ),
        ('[{"quote": "unterminated', ".json", "invalid JSON"),
        ('{"a": 1}\nnot json\n', ".jsonl", "line 2"),
        ("[1, 2]", ".json", "expected an object"),
        ('"just a string"', ".json", "array"),
        ("quote,actor\nq,a,extra\n", ".csv", "fields"),
        ("", ".csv", "no claims"),
        ("quote,quote\nq,q\n", ".csv", "twice"),
        (json.dumps([claim_row(1, deleted=True)]), ".json", "field 'deleted'"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(capsys, db, tmp_path, content, suffix, words):
    before = content_digest(db)
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "add", str(bad), "--db", str(db))
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert words in err
    assert out == ""
    assert content_digest(db) == before


def test_missing_file_and_unknown_id(capsys, db, tmp_path):
    code, _, err = _run(capsys, "add", str(tmp_path / "nope.json"), "--db", str(db))
    assert code == 1 and "no such file" in err
    code, _, err = _run(capsys, "history", "nope", "--db", str(db))
    assert code == 1 and "no claim with id 'nope'" in err


def test_not_utf8_is_refused(capsys, db, tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("quote,actor\nD\xe9baltseve,x\n".encode("latin-1"))
    code, _, err = _run(capsys, "add", str(bad), "--db", str(db))
    assert code == 1 and "UTF-8" in err


def _dated_rows(claims_csv: Path) -> int:
    """Claim rows of a shipped claims.csv that carry an event date (the others are not seeded)."""
    with claims_csv.open(newline="", encoding="utf-8-sig") as fh:
        return sum(1 for row in csv.DictReader(fh) if (row.get(S.CLAIM_EVENT_DATE) or "").strip())


def test_new_db_path_is_created_and_seeded_from_every_shipped_theatre(capsys, tmp_path):
    path = tmp_path / "fresh" / "claims.sqlite"
    shipped = {p.parent.name: _dated_rows(p) for p in sorted((REPO / "data" / "theatres").glob("*/claims.csv"))}
    assert shipped["donbas-2014-15"] == 30 and len(shipped) >= 3
    code, out, err = _run(capsys, "list", "--format", "json", "--db", str(path))
    assert code == 0, err
    assert path.is_file()
    rows = json.loads(out)
    assert len(rows) == sum(shipped.values())
    for theatre, expected in shipped.items():
        code, out, err = _run(capsys, "list", "--format", "json", "--db", str(path), "--theatre", theatre)
        assert code == 0, err
        listed = json.loads(out)
        assert len(listed) == expected and {r[S.CLAIM_THEATRE] for r in listed} == {theatre}


def test_default_store_follows_contested_data_dir(capsys, tmp_path):
    code, _, err = _run(capsys, "list", "--format", "csv")
    assert code == 0, err
    assert (tmp_path / "default-home" / "claims.sqlite").is_file()


def test_list_filters_table_and_as_of(capsys, db):
    code, out, err = _run(capsys, "list", "--db", str(db), "--stance", "acknowledges")
    assert code == 0, err
    assert "seed-lavrov" in out and "seed-kiev-500" not in out
    assert f"1 claims in {db}" in err
    code, out, _ = _run(capsys, "list", "--db", str(db), "--as-of", "2001-01-01", "--format", "json")
    assert json.loads(out) == []
    code, _, err = _run(capsys, "list", "--db", str(db), "--as-of", "someday")
    assert code == 1 and "as_of" in err


def test_history_delete_restore_and_backup(capsys, db, tmp_path):
    code, out, err = _run(capsys, "delete", "seed-lavrov", "--db", str(db), "--user", "bo", "--version", "1")
    assert code == 0, err
    assert "seed-lavrov" not in {r[S.CLAIM_ID] for r in _list_json(capsys, db)}
    code, out, err = _run(capsys, "restore", "seed-lavrov", "--db", str(db))
    assert code == 0, err
    code, out, err = _run(capsys, "history", "seed-lavrov", "--db", str(db))
    assert code == 0, err
    assert [line.split()[2] for line in out.strip().splitlines()[1:]] == ["insert", "delete", "restore"]
    assert "deleted" in out.strip().splitlines()[2]  # the changed field is named
    dest = tmp_path / "backup.sqlite"
    code, _, err = _run(capsys, "backup", str(dest), "--db", str(db))
    assert code == 0, err
    assert len(_list_json(capsys, dest)) == N_SEED + 2
    code, _, err = _run(capsys, "backup", str(dest), "--db", str(db))
    assert code == 1 and "exists" in err


def test_subprocess_bad_input_has_no_traceback(tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([claim_row(1, event_date="tomorrow")]), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), CONTESTED_DATA_DIR=str(tmp_path / "h"))
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "claims", "add", str(bad), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "event_date" in proc.stderr


# ---------------------------------------------------------------- theatres
def _korea_csv(path: Path, **changes) -> Path:
    """A claims CSV without a theatre column: one claim on the Korean armistice line."""
    row = claim_row(
        2,
        **{
            S.CLAIM_QUOTE: "both sides shall withdraw two kilometers from this line",
            S.CLAIM_PARTY: "kpa_cpv",
            S.CLAIM_KIND: "withdrawal_distance",
            S.CLAIM_UNIT: "km",
            S.CLAIM_REFERENCE_LINE: "mdl_1953_07_27",
            S.CLAIM_SIDE: "unc",
            S.CLAIM_EVENT_DATE: "1953-07-27",
            S.CLAIM_SOURCE_ID: "vdocuments_armistice_text",
            **changes,
        },
    )
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return path


def _ids(capsys, db, theatre):
    code, out, err = _run(capsys, "list", "--format", "json", "--db", str(db), "--theatre", theatre)
    assert code == 0, err
    return [r[S.CLAIM_ID] for r in json.loads(out)]


def test_add_with_theatre_lists_the_claim_there_only(capsys, tmp_path):
    db = tmp_path / "claims.sqlite"
    code, out, err = _run(
        capsys, "add", str(_korea_csv(tmp_path / "k.csv")), "--db", str(db), "--theatre", "korea-1953"
    )
    assert code == 0, err
    (new_id,) = out.split()
    assert new_id in _ids(capsys, db, "korea-1953")
    assert new_id not in _ids(capsys, db, "donbas-2014-15")
    # and a Donbas claim is not listed under Korea
    with open_store(db) as store:
        (did,) = store.add_claims([claim_row(4, source_id="reuters_20150120_klimkin")], user="ana")
    assert did in _ids(capsys, db, "donbas-2014-15") and did not in _ids(capsys, db, "korea-1953")


def test_add_checks_lines_against_the_theatre_and_names_file_row_field(capsys, tmp_path):
    db = tmp_path / "claims.sqlite"
    bad = _korea_csv(tmp_path / "bad.csv", reference_line=S.LINE_MINSK_2014)
    code, out, err = _run(capsys, "add", str(bad), "--db", str(db), "--theatre", "korea-1953")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "bad.csv: row 1, field 'reference_line': unknown reference line" in err
    assert "nothing was added" in err
    code, _, err = _run(capsys, "add", str(_korea_csv(tmp_path / "k.csv")), "--db", str(db), "--theatre", "nowhere")
    assert code == 1 and "no theatre 'nowhere'" in err
    code, _, err = _run(capsys, "list", "--db", str(db), "--theatre", "nowhere")
    assert code == 1 and "no theatre 'nowhere'" in err and "known: " in err


def test_seed_adds_a_user_theatres_own_claims(capsys, tmp_path, monkeypatch):
    from geo.theatres import create_theatre

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "home"))
    theatre = create_theatre("ladakh-cli", "Ladakh", ["IN"], [], ["China", "India"])
    write_seed(Path(theatre.path))  # its sources.csv and claims.csv (no lines: the rows name none)
    rows = list(csv.DictReader((Path(theatre.path) / "claims.csv").open(encoding="utf-8")))
    for row in rows:
        row[S.CLAIM_REFERENCE_LINE] = row[S.CLAIM_SIDE] = ""
    with (Path(theatre.path) / "claims.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    db = tmp_path / "claims.sqlite"
    code, _, err = _run(capsys, "seed", "--theatre", "ladakh-cli", "--db", str(db))
    assert code == 0 and f"seeded theatre 'ladakh-cli': {len(rows)} claims" in err
    assert sorted(_ids(capsys, db, "ladakh-cli")) == sorted(r[S.CLAIM_ID] for r in rows)
    code, _, err = _run(capsys, "seed", "--theatre", "ladakh-cli", "--db", str(db))
    assert code == 1 and "already" in err


def test_theatre_export_carries_the_registrys_claims_and_keeps_the_undated_rows(capsys, tmp_path):
    import zipfile

    db = tmp_path / "claims.sqlite"
    code, out, err = _run(
        capsys, "add", str(_korea_csv(tmp_path / "k.csv")), "--db", str(db), "--theatre", "korea-1953"
    )
    assert code == 0, err
    (new_id,) = out.split()
    with open_store(db) as store:
        store.delete_claim("k001", user="ana")  # deleted in the registry: not exported
    archive = tmp_path / "korea.zip"
    assert main(["theatre", "export", "korea-1953", str(archive), "--db", str(db)]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(archive) as zf:
        claims = list(csv.DictReader(zf.read("claims.csv").decode("utf-8").splitlines()))
        sources = {r[S.SOURCE_ID] for r in csv.DictReader(zf.read("sources.csv").decode("utf-8").splitlines())}
    ids = [r[S.CLAIM_ID] for r in claims]
    registry = set(_ids(capsys, db, "korea-1953"))
    assert new_id in ids and "k001" not in ids
    assert registry <= set(ids)
    # the file's rows the registry never took (no event date) are still in the archive
    assert {"k003", "k006", "k008"} <= set(ids) and len(ids) == len(registry) + 3
    assert {r[S.CLAIM_SOURCE_ID] for r in claims} - {""} <= sources  # every cited source travels with them
    added = next(r for r in claims if r[S.CLAIM_ID] == new_id)
    assert added[S.CLAIM_REFERENCE_LINE] == "mdl_1953_07_27" and added[S.CLAIM_EVENT_DATE] == "1953-07-27"
