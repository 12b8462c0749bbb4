"""``python -m geo sources ...`` and ``python -m geo lines ...``: list, edit/rename, delete, restore."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import schema as S
from geo.claims.store import open_store
from geo.io import load_user_lines, read_vector, save_import
from tests.support.claims_helpers import SEED_SOURCE, claim_row, run_cli, seeded_db, write_seed

REPO = Path(__file__).resolve().parents[2]
NEW = {S.SOURCE_ID: "wire-1", S.SOURCE_PUBLISHER: "Wire", S.SOURCE_KIND: "news", S.SOURCE_URL: "https://example.org/w"}


@pytest.fixture
def db(tmp_path):
    return seeded_db(tmp_path, "ana", sources=[NEW])


def test_sources_list_json_edit_delete_restore(db, capsys):
    code, out, _ = run_cli(capsys, "sources", "list", "--db", db, "--json")
    assert code == 0 and {r[S.SOURCE_ID] for r in json.loads(out)} == {SEED_SOURCE[S.SOURCE_ID], "wire-1"}
    code, out, _ = run_cli(capsys, "sources", "edit", "wire-1", "--db", db, "--set", "title=Better", "--user", "bo")
    assert code == 0 and "version 2" in out
    code, _, err = run_cli(capsys, "sources", "edit", "wire-1", "--db", db, "--set", "title=Stale", "--version", "1")
    assert code == 1 and err.startswith("error: ") and "version" in err and "\n" == err[-1] and err.count("\n") == 1
    code, out, _ = run_cli(capsys, "sources", "delete", "wire-1", "--db", db, "--user", "bo", "--version", "2")
    assert code == 0 and "sources restore wire-1" in out
    code, out, _ = run_cli(capsys, "sources", "list", "--db", db, "--json")
    assert "wire-1" not in {r[S.SOURCE_ID] for r in json.loads(out)}
    assert run_cli(capsys, "sources", "restore", "wire-1", "--db", db, "--user", "cy")[0] == 0
    with open_store(db) as s:
        src = s.get_source("wire-1")
        log = s.audit_log(entity="source")
    assert src.title == "Better" and not src.deleted
    assert list(log[log["entity_id"] == "wire-1"]["action"]) == ["insert", "update", "delete", "restore"]


@pytest.mark.parametrize(
    "argv, match",
    [
        (["sources", "edit", "wire-1", "--set", "nonsense"], "FIELD=VALUE"),
        (["sources", "edit", "wire-1", "--set", "colour=red"], "not a field"),
        (["sources", "edit", "wire-1", "--set", "url=javascript:x"], "url"),
        (["sources", "edit", "nope", "--set", "title=x"], "no source"),
        (["sources", "delete", SEED_SOURCE[S.SOURCE_ID], "--version", "1"], "cited by"),
        (["sources", "restore", "wire-1"], "not deleted"),
    ],
)
def test_sources_bad_input_is_one_line_and_changes_nothing(db, capsys, argv, match):
    with open_store(db) as s:
        before = len(s.audit_log())
    code, _, err = run_cli(capsys, *argv, "--db", db)
    assert code == 1 and match in err and err.count("\n") == 1 and "Traceback" not in err
    with open_store(db) as s:
        assert len(s.audit_log()) == before


def _import_line(d, name="Alpha"):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "date": "2015-01-20"},
                "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]},
            }
        ],
    }
    return save_import(read_vector(json.dumps(fc).encode(), "a.geojson"), {}, d)[0]


def test_lines_list_rename_delete_restore(tmp_path, db, capsys):
    d = str(tmp_path / "lines")
    line_id = _import_line(d)
    code, out, _ = run_cli(capsys, "lines", "list", "--data-dir", d, "--json")
    assert code == 0 and [r["line_id"] for r in json.loads(out)] == [line_id]
    code, out, _ = run_cli(capsys, "lines", "rename", line_id, "Alpha (OSCE)", "--data-dir", d, "--user", "ana")
    assert code == 0 and "'Alpha (OSCE)'" in out
    assert list(load_user_lines(d)["name"]) == ["Alpha (OSCE)"]
    code, out, _ = run_cli(capsys, "lines", "delete", line_id, "--data-dir", d, "--db", db, "--user", "ana")
    assert code == 0 and load_user_lines(d).empty
    code, out, _ = run_cli(capsys, "lines", "list", "--data-dir", d, "--json", "--include-deleted")
    assert [(r["line_id"], r["deleted"]) for r in json.loads(out)] == [(line_id, True)]
    assert run_cli(capsys, "lines", "restore", line_id, "--data-dir", d, "--user", "bo")[0] == 0
    assert list(load_user_lines(d)["name"]) == ["Alpha (OSCE)"]
    code, out, _ = run_cli(capsys, "lines", "history", line_id, "--data-dir", d)
    assert [(h["action"], h["user"]) for h in json.loads(out)] == [
        ("rename", "ana"),
        ("delete", "ana"),
        ("restore", "bo"),
    ]


def test_lines_delete_of_a_cited_line_is_refused_with_the_claims(tmp_path, capsys):
    d = tmp_path / "lines"
    line_id = _import_line(d)
    db = tmp_path / "c.sqlite"
    with open_store(db, seed_dir=write_seed(tmp_path / "seed")) as s:
        s.known_lines = s.known_lines | {line_id}
        (cid,) = s.add_claims([{**claim_row(1), S.CLAIM_REFERENCE_LINE: line_id}], user="ana")
    code, _, err = run_cli(capsys, "lines", "delete", line_id, "--data-dir", str(d), "--db", str(db))
    assert code == 1 and cid in err and err.count("\n") == 1
    assert list(load_user_lines(d)["line_id"]) == [line_id]


@pytest.mark.parametrize(
    "argv, match",
    [
        (["lines", "rename", "user_nope", "x"], "no imported or drawn line"),
        (["lines", "rename", "minsk_2014_09_19", "x"], "shipped"),
        (["lines", "restore", "user_nope"], "no delete to undo"),
    ],
)
def test_lines_bad_input_is_one_line(tmp_path, capsys, argv, match):
    code, _, err = run_cli(capsys, *argv, "--data-dir", str(tmp_path))
    assert code == 1 and match in err and err.count("\n") == 1


def test_a_megabyte_name_through_the_real_cli(tmp_path):
    d = tmp_path / "lines"
    line_id = _import_line(d)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run(
        [sys.executable, "-m", "geo", "lines", "rename", line_id, "N" * 100_000, "--data-dir", str(d)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert r.returncode == 1 and "at most 200 characters" in r.stderr and len(r.stderr) < 300
    assert list(load_user_lines(d)["name"]) == ["Alpha"]
