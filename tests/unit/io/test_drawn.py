"""Tests of geo.io.drawn (drawings to validated records, the user file) and geo.maps.draw_assets."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString, box

from geo import schema as S
from geo.analysis import compare as C
from geo.analysis.sides import rule_for
from geo.commands.compare_cmd import compare_by_id
from geo.errors import DataFileError, InvalidGeometryError, ValidationError
from geo.io import drawn as D
from geo.maps import draw_assets as DA
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from tests.support.parties import PARTY_SEPARATISTS

# What st_folium returns as last_active_drawing after a polyline is drawn.
FOLIUM_LINE = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "LineString", "coordinates": [[38.2, 48.5], [38.3, 48.4], [38.35, 48.3]]},
}
FOLIUM_POLYGON = {
    "type": "Feature",
    "properties": {},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[38.3, 48.3], [38.5, 48.3], [38.5, 48.45], [38.3, 48.45], [38.3, 48.3]]],
    },
}


def test_geometry_from_a_folium_drawing():
    g = D.geometry_from_drawing(FOLIUM_LINE)
    assert g.geom_type == "LineString" and len(g.coords) == 3
    p = D.geometry_from_drawing(FOLIUM_POLYGON)
    assert p.geom_type == "Polygon" and p.area > 0
    assert D.geometry_from_drawing(FOLIUM_LINE["geometry"]).equals(g)


@pytest.mark.parametrize(
    "drawing, match",
    [
        ({"type": "Feature", "geometry": {"type": "Point", "coordinates": [38, 48]}}, "Point"),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[38, 48], [38, 48]]}}, "two distinct"),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[38, 48], [238, 48]]}}, "WGS84"),
        (
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1], [1, 0], [0, 1]]}},
            "crosses itself",
        ),
        ({"type": "Feature", "geometry": None}, "no GeoJSON geometry"),
        ("not a dict", "not a GeoJSON"),
    ],
)
def test_bad_drawings_are_refused(drawing, match):
    with pytest.raises(InvalidGeometryError, match=match):
        D.geometry_from_drawing(drawing)


def test_drawing_from_result_prefers_the_last_active_one():
    assert D.drawing_from_result({"last_active_drawing": FOLIUM_LINE}) is FOLIUM_LINE
    assert (
        D.drawing_from_result({"last_active_drawing": None, "all_drawings": [FOLIUM_POLYGON, FOLIUM_LINE]})
        is FOLIUM_LINE
    )
    assert D.drawing_from_result({"last_active_drawing": None, "all_drawings": None}) is None
    assert D.drawing_from_result(None) is None


def test_geometry_from_text():
    assert D.geometry_from_text("LINESTRING (38 48.5, 38.2 48.3)").geom_type == "LineString"
    g = D.geometry_from_text("38.2, 48.5\n38.3, 48.4\n38.35 48.3")
    assert list(g.coords)[0] == (38.2, 48.5)
    swapped = D.geometry_from_text("48.5, 38.2; 48.4, 38.3")  # lat, lon pasted by mistake
    assert list(swapped.coords) == [(38.2, 48.5), (38.3, 48.4)]
    poly = D.geometry_from_text("38.3 48.3; 38.5 48.3; 38.5 48.45; 38.3 48.3")
    assert poly.geom_type == "Polygon"
    with pytest.raises(InvalidGeometryError, match="pair 2"):
        D.geometry_from_text("38.2, 48.5; 38.3; 38.4, 48.1")
    with pytest.raises(InvalidGeometryError, match="nothing to read"):
        D.geometry_from_text("   ")
    with pytest.raises(InvalidGeometryError, match="WKT"):
        D.geometry_from_text("LINESTRING (38 48.5,")


def test_record_validation():
    geom = D.geometry_from_drawing(FOLIUM_LINE)
    with pytest.raises(ValidationError, match="name"):
        D.DrawnLine(name="  ", geometry=geom).validate()
    with pytest.raises(ValidationError, match="http"):
        D.DrawnLine(name="x", geometry=geom, source_url="javascript:alert(1)").validate()
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        D.DrawnLine(name="x", geometry=geom, date="21/01/2015").validate()
    rec = D.DrawnLine(name="Kiev: seized beyond the line", geometry=geom, source_url="https://example.org/a").validate()
    assert rec.line_id.startswith(D.DRAWN_PREFIX) and "kiev_seized" in rec.line_id


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "sub" / D.DRAWN_FILENAME
    rec = D.save_drawn(
        D.DrawnLine(
            name="<b>Claim</b>",
            geometry=D.geometry_from_drawing(FOLIUM_POLYGON),
            source_url="https://example.org/x",
            quote="more than 500 sq km",
            date="2015-01-21",
        ),
        path,
    )
    D.save_drawn(D.DrawnLine(name="Second", geometry=D.geometry_from_drawing(FOLIUM_LINE)), path)
    D.save_drawn(rec, path)  # same id: replaced, not duplicated
    gdf = D.load_drawn(path)
    assert list(gdf[S.LINE_ID]).count(rec.line_id) == 1 and len(gdf) == 2
    row = gdf[gdf[S.LINE_ID] == rec.line_id].iloc[0]
    assert row[S.LINE_NAME] == "<b>Claim</b>" and row[S.LINE_KIND] == D.KIND_DRAWN
    assert row[D.DRAWN_QUOTE] == "more than 500 sq km" and row[S.SOURCE_URL] == "https://example.org/x"
    assert row.geometry.equals(rec.geometry)
    assert not list(path.parent.glob(".drawn-*"))  # no temporary file left behind


def test_default_file_is_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    assert D.drawn_file() == tmp_path / D.DRAWN_FILENAME
    assert D.load_drawn().empty


def test_corrupt_files_name_the_file_and_feature(tmp_path):
    p = tmp_path / D.DRAWN_FILENAME
    p.write_text("{not json")
    with pytest.raises(DataFileError, match="cannot read GeoJSON"):
        D.load_drawn(p)
    p.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"properties": {"line_id": "drawn_a"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}
                ],
            }
        )
    )
    with pytest.raises(DataFileError, match="feature 1"):
        D.load_drawn(p)


def test_a_sketch_on_the_base_line_compares_as_zero():
    base = reference_lines()
    agreed = base[base[S.LINE_ID] == S.AGREED_LINE].geometry.iloc[0]
    coords = list(agreed.coords)
    sketch = LineString(coords[12:20][::-1])  # a stretch of the line, drawn south to north
    full = D.comparable_line(sketch, agreed)
    assert full.equals(agreed) or full.hausdorff_distance(agreed) < 1e-9
    rule = rule_for(base, S.AGREED_LINE)
    r = C.compare_lines(agreed, full, front_oblasts(), rule_a=rule)
    assert r[C.GAINED] == pytest.approx(0.0, abs=1e-6) and r[C.LOST] == pytest.approx(0.0, abs=1e-6)


def test_a_drawn_line_is_compared_by_id(tmp_path):
    agreed = reference_lines()
    line = agreed[agreed[S.LINE_ID] == S.AGREED_LINE].geometry.iloc[0]
    pts = list(line.coords)
    # Push one stretch of the agreed line 0.1 degrees west: ground handed to the separatists.
    sketch = LineString([pts[12]] + [(x - 0.1, y) for x, y in pts[13:19]] + [pts[19]])
    rec = D.save_drawn(D.DrawnLine(name="west", geometry=sketch), tmp_path / D.DRAWN_FILENAME)
    lines = D.all_lines(agreed, D.load_drawn(tmp_path / D.DRAWN_FILENAME))
    r = compare_by_id(S.AGREED_LINE, rec.line_id, lines, front_oblasts())
    assert r[C.GAINED] > 50 and r[C.LOST] < 1
    poly = D.save_drawn(D.DrawnLine(name="area", geometry=box(37.0, 48.0, 37.2, 48.2)), tmp_path / D.DRAWN_FILENAME)
    lines = D.all_lines(agreed, D.load_drawn(tmp_path / D.DRAWN_FILENAME))
    with pytest.raises(InvalidGeometryError, match="area"):
        compare_by_id(poly.line_id, S.AGREED_LINE, lines, front_oblasts())


def test_draw_assets(tmp_path):
    assert not DA.draw_assets_present(tmp_path)
    files = DA.install_draw_assets(tmp_path)
    # Either Leaflet.draw is installed (django-leaflet) and every file is copied, or nothing is.
    assert DA.draw_assets_present(tmp_path) == bool(files)
    if files:
        assert all(f.is_file() and f.stat().st_size > 0 for f in files)
        assert "Leaflet.draw" in (tmp_path / "vendor" / "draw" / "leaflet.draw.js").read_text()[:200]
    assert DA.draw_js()[0][1].startswith("/app/static/vendor/draw/")


def test_claim_record_for_the_registry():
    poly = D.DrawnLine(
        name="Held area",
        geometry=D.geometry_from_drawing(FOLIUM_POLYGON),
        source_url="https://news.example.org/a?b=1",
        quote="they hold this ground",
        date="2015-01-21",
    )
    rec = D.claim_record(poly, actor="Kiev", reference_line=S.AGREED_LINE, side=PARTY_SEPARATISTS)
    assert rec[S.CLAIM_SIDE] == PARTY_SEPARATISTS and rec[S.CLAIM_KIND] == ""
    assert rec[S.SOURCE_PUBLISHER] == "news.example.org" and rec[S.CLAIM_EVENT_DATE] == "2015-01-21"
    assert D.geometry_from_text(rec[S.CLAIM_GEOMETRY]).equals(poly.geometry)
    line = D.DrawnLine(name="l", geometry=D.geometry_from_drawing(FOLIUM_LINE), source_url="https://x.org")
    assert D.claim_record(line, actor="a")[S.CLAIM_SIDE] == ""
    with pytest.raises(ValidationError, match="source URL"):
        D.claim_record(D.DrawnLine(name="l", geometry=line.geometry), actor="a")
