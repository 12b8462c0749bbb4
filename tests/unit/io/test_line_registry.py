"""Renaming, deleting and restoring imported and drawn lines (geo.io.line_registry), audited."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from shapely.geometry import LineString

from geo import schema as S
from geo.errors import ValidationError
from geo.io import drawn as D
from geo.io import line_registry as R
from geo.io import load_user_lines, read_vector, save_import

LINE = {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2], [38.0, 48.1]]}


def _import(d, name="Alpha"):
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": name, "date": "2015-01-20"}, "geometry": LINE}],
    }
    (line_id,) = save_import(read_vector(json.dumps(fc).encode(), "a.geojson"), {}, d)
    return line_id


def _draw(d, name="Sketch"):
    rec = D.save_drawn(D.DrawnLine(name=name, geometry=LineString([(38.2, 48.5), (38.3, 48.4)])), d / D.DRAWN_FILENAME)
    return rec.line_id


def _files(d):
    return {p.name: p.read_bytes() for p in d.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_list_shows_imported_and_drawn_lines(tmp_path):
    a, b = _import(tmp_path), _draw(tmp_path)
    listed = R.list_lines(tmp_path)
    assert list(listed[S.LINE_ID]) == [a, b]
    assert list(listed[S.LINE_KIND]) == ["imported", "drawn"]


@pytest.mark.parametrize("kind", ["imported", "drawn"])
def test_rename_is_audited_and_read_back(tmp_path, kind):
    line_id = _import(tmp_path) if kind == "imported" else _draw(tmp_path)
    rec = R.rename_line(line_id, "  New name ", user="ana", data_dir=tmp_path)
    assert rec["before"][S.LINE_NAME] in ("Alpha", "Sketch") and rec["after"][S.LINE_NAME] == "New name"
    if kind == "imported":
        assert list(load_user_lines(tmp_path)[S.LINE_NAME]) == ["New name"]
    else:
        assert list(D.load_drawn(tmp_path / D.DRAWN_FILENAME)[S.LINE_NAME]) == ["New name"]
    (hist,) = R.line_history(line_id, tmp_path)
    assert (hist["user"], hist["action"], hist["kind"]) == ("ana", "rename", kind) and hist["at"]


@pytest.mark.parametrize("name, match", [("", "name"), ("N" * 1_000_000, "at most"), ("a\nb", "control")])
def test_bad_rename_changes_nothing(tmp_path, name, match):
    line_id = _import(tmp_path)
    before = _files(tmp_path)
    with pytest.raises(ValidationError, match=match):
        R.rename_line(line_id, name, user="ana", data_dir=tmp_path)
    assert _files(tmp_path) == before


def test_shipped_and_unknown_lines_cannot_change(tmp_path):
    with pytest.raises(ValidationError, match="shipped"):
        R.rename_line(S.LINE_MINSK_2014, "x", user="ana", data_dir=tmp_path)
    with pytest.raises(R.LineNotFoundError, match="no imported or drawn line"):
        R.delete_line("user_nope", user="ana", data_dir=tmp_path)


@pytest.mark.parametrize("kind", ["imported", "drawn"])
def test_delete_then_restore_puts_the_same_line_back(tmp_path, kind):
    other = _import(tmp_path, "Other")
    line_id = _import(tmp_path) if kind == "imported" else _draw(tmp_path)
    before = _files(tmp_path)
    rec = R.delete_line(line_id, user="bo", data_dir=tmp_path)
    assert rec["action"] == "delete" and rec["user"] == "bo"
    assert line_id not in set(R.list_lines(tmp_path)[S.LINE_ID]) and other in set(R.list_lines(tmp_path)[S.LINE_ID])
    assert list(R.deleted_lines(tmp_path)[S.LINE_ID]) == [line_id]
    R.restore_line(line_id, user="cy", data_dir=tmp_path)
    assert line_id in set(R.list_lines(tmp_path)[S.LINE_ID]) and R.deleted_lines(tmp_path).empty
    if kind == "imported":
        lines = load_user_lines(tmp_path).set_index(S.LINE_ID)
        assert list(lines.loc[line_id].geometry.coords) == [tuple(c) for c in LINE["coordinates"]]
        after = _files(tmp_path)
        assert after["user_line_vertices.csv"].count(b"\n") == before["user_line_vertices.csv"].count(b"\n")
    else:
        assert line_id in set(D.load_drawn(tmp_path / D.DRAWN_FILENAME)[S.LINE_ID])
    assert [h["action"] for h in R.line_history(line_id, tmp_path)] == ["delete", "restore"]
    with pytest.raises(ValidationError, match="no delete to undo"):
        R.restore_line(line_id, user="cy", data_dir=tmp_path)


def test_a_line_cited_by_claims_is_not_deleted(tmp_path):
    line_id = _import(tmp_path)
    claims = pd.DataFrame({S.CLAIM_ID: ["c2", "c1", "c3"], S.CLAIM_REFERENCE_LINE: [line_id, line_id, "other"]})
    citing = R.claims_citing_line(claims, line_id)
    assert citing == ["c1", "c2"]
    before = _files(tmp_path)
    with pytest.raises(R.LineInUseError, match="c1, c2"):
        R.delete_line(line_id, user="ana", data_dir=tmp_path, cited_by=citing)
    assert _files(tmp_path) == before
