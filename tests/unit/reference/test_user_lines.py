"""Storage of the analyst's own line files (geo.reference.user_lines)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo import config
from geo import schema as S
from geo.errors import DataFileError, InvalidGeometryError
from geo.reference import user_lines as U

LINE = LineString([(37.5, 48.0), (37.8, 48.2), (38.1, 48.1)])


def _tables(line_id="user_a_20240101", coords=LINE.coords):
    meta = pd.DataFrame(
        [
            {
                S.LINE_ID: line_id,
                S.LINE_NAME: "A",
                S.LINE_DATE: "2024-01-01",
                S.LINE_KIND: "drawn",
                S.LINE_DRAWN_BY: "",
                S.LINE_AGREED_BY: "",
                S.LINE_PRECISION_KM: "",
                S.LINE_SOURCES: "",
                S.LINE_METHOD: "test",
            }
        ],
        columns=S.LINE_COLUMNS,
    )
    vert = pd.DataFrame(
        [
            {
                S.V_LINE_ID: line_id,
                S.V_SEQ: str(i),
                S.V_LON: repr(x),
                S.V_LAT: repr(y),
                S.V_SETTLEMENT: "",
                S.V_GAZETTEER: "",
                S.V_NOTE: "",
            }
            for i, (x, y) in enumerate(coords)
        ],
        columns=S.VERTEX_COLUMNS,
    )
    return meta, vert


def test_paths_default_to_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path
    assert U.user_lines_paths() == (tmp_path / U.USER_LINES_FILE, tmp_path / U.USER_VERTICES_FILE)
    assert U.drawn_file() == tmp_path / U.DRAWN_FILENAME
    assert U.user_lines_paths(tmp_path / "x")[0].parent == tmp_path / "x"


def test_no_files_read_as_nothing(tmp_path):
    assert U.load_user_lines(tmp_path) is None
    meta, vert = U.read_user_tables(tmp_path)
    assert list(meta.columns) == S.LINE_COLUMNS and meta.empty
    assert list(vert.columns) == S.VERTEX_COLUMNS and vert.empty
    assert U.read_drawn_features(U.drawn_file(tmp_path)) == []
    assert U.load_drawn(U.drawn_file(tmp_path)).empty


def test_user_tables_round_trip(tmp_path):
    meta, vert = _tables()
    U.write_user_tables(tmp_path, meta, vert)
    back_meta, back_vert = U.read_user_tables(tmp_path)
    assert back_meta.equals(meta) and back_vert.equals(vert)
    lines = U.load_user_lines(tmp_path)
    assert list(lines[S.LINE_ID]) == ["user_a_20240101"]
    assert lines.geometry.iloc[0].equals(LINE)


def test_replacing_the_tables_drops_the_old_vertices(tmp_path):
    U.write_user_tables(tmp_path, *_tables("user_a_20240101"))
    U.write_user_tables(tmp_path, *_tables("user_b_20240101"))
    meta, vert = U.read_user_tables(tmp_path)
    assert set(meta[S.LINE_ID]) == set(vert[S.V_LINE_ID]) == {"user_b_20240101"}


def test_orphan_vertices_are_left_out_when_reading(tmp_path):
    meta, vert = _tables()
    _, other = _tables("user_gone_20240101")
    U.write_user_tables(tmp_path, meta, pd.concat([vert, other], ignore_index=True))
    assert set(U.read_user_tables(tmp_path)[1][S.V_LINE_ID]) == {"user_a_20240101"}


def test_a_lines_file_without_vertices_is_refused(tmp_path):
    U.write_user_tables(tmp_path, *_tables())
    (tmp_path / U.USER_VERTICES_FILE).unlink()
    with pytest.raises(DataFileError, match="missing"):
        U.read_user_tables(tmp_path)


def test_drawn_features_round_trip(tmp_path):
    path = U.drawn_file(tmp_path)
    feat = {
        "type": "Feature",
        "properties": {S.LINE_ID: "drawn_a_123456", S.LINE_NAME: "A", S.SOURCE_URL: "https://example.org/a"},
        "geometry": LINE.__geo_interface__,
    }
    U.write_drawn_features(path, [feat])
    assert U.read_drawn_features(path)[0]["properties"][S.LINE_ID] == "drawn_a_123456"
    drawn = U.load_drawn(path)
    assert list(drawn.columns[:-1]) == U.DRAWN_COLUMNS
    assert drawn[S.LINE_KIND].iloc[0] == "drawn" and drawn[S.LINE_SOURCES].iloc[0] == "https://example.org/a"


def test_a_broken_drawn_file_is_refused_naming_it(tmp_path):
    path = U.drawn_file(tmp_path)
    path.write_text("[1, 2]")
    with pytest.raises(DataFileError, match="FeatureCollection"):
        U.read_drawn_features(path)
    bad_id = {"type": "Feature", "properties": {S.LINE_ID: "x"}, "geometry": LINE.__geo_interface__}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [bad_id]}))
    with pytest.raises(DataFileError, match="feature 1.*drawn_"):
        U.load_drawn(path)


def test_validate_geometry_accepts_lines_and_areas_only():
    assert U.validate_geometry(LINE).equals(LINE)
    assert U.validate_geometry(Polygon([(37, 48), (38, 48), (38, 49)])).area > 0
    with pytest.raises(InvalidGeometryError, match="Point"):
        U.validate_geometry(Point(37, 48))
    with pytest.raises(InvalidGeometryError, match="crosses itself"):
        U.validate_geometry(LineString([(0, 0), (1, 1), (1, 0), (0, 1)]))


def test_comparable_line_splices_a_sketch_into_the_base():
    base = LineString([(0, 0), (10, 0)])
    out = U.comparable_line(LineString([(6, 1), (4, 1)]), base)
    assert list(out.coords) == [(0, 0), (4, 0), (4, 1), (6, 1), (6, 0), (10, 0)]
    area = Polygon([(0, 0), (1, 0), (1, 1)])
    assert U.comparable_line(area, base) is area
