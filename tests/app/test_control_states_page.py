"""AppTest of the Control maps page's "Compare two control states" section (issue 17 item 3).

A and B are picked with the page's widgets (a line's side, a series snapshot
imported through the page, an uploaded polygon file). Expected figures are
computed independently: shapely set operations on the states and areas with
``pyproj.Geod`` (edges cut to 0.01°, straight in lon/lat).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo.control import regions_for
from geo.control.states import line_state, theatre_lines_for_states
from geo.maps.controlmap import BOTH_STYLE, ONLY_A_STYLE, ONLY_B_STYLE
from tests.support import synthetic_control as SC
from tests.support.geodesic import geod_km2

REPO = Path(__file__).resolve().parents[2]
PAGE = str(REPO / "pages" / "control.py")
THEATRE = "donbas-2014-15"
PARTY = "separatists"
COLUMNS = ["region", "only_a_km2", "only_b_km2", "both_km2"]

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at):
    for el in at.dataframe:
        if list(el.value.columns) == COLUMNS:
            return el.value
    raise AssertionError(f"no states table; tables: {[list(el.value.columns) for el in at.dataframe]}")


def _map_script(at) -> str:
    """The script of the one folium map on the page (the states map: no series is shown)."""
    maps = [e for e in at.get("component_instance") if e.proto.component_name.endswith("st_folium")]
    assert len(maps) == 1, len(maps)
    return maps[0].proto.json_args


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _expected(a, b, regions) -> dict:
    """Per region and in all: Geod areas of A-B, B-A and A∩B."""
    parts = {"only_a_km2": a.difference(b), "only_b_km2": b.difference(a), "both_km2": a.intersection(b)}
    out = {"(all regions)": {k: geod_km2(g) for k, g in parts.items()}}
    for _, region in regions.iterrows():
        out[region["name"]] = {k: geod_km2(g.intersection(region.geometry)) for k, g in parts.items()}
    return out


def _check_table(table, expected: dict) -> None:
    rows = {r["region"]: r for r in table.to_dict("records")}
    assert list(rows)[-1] == "(all regions)"
    for name, row in rows.items():
        for key in COLUMNS[1:]:
            assert row[key] == pytest.approx(expected[name][key], abs=0.051), (name, key)
    # per-region rows add up to the totals (up to the table's rounding to 0.1)
    for key in COLUMNS[1:]:
        per = sum(r[key] for n, r in rows.items() if n != "(all regions)")
        assert per == pytest.approx(rows["(all regions)"][key], abs=0.05 * len(rows))


def _lines_state(line_id: str, party: str = PARTY):
    return line_state(theatre_lines_for_states(THEATRE), line_id, party, regions_for(THEATRE)).geometry


def _polygon_file(geom) -> bytes:
    buf = io.BytesIO()
    gpd.GeoDataFrame({"name": ["held"]}, geometry=[geom], crs="EPSG:4326").to_file(buf, driver="GeoJSON")
    return buf.getvalue()


def test_with_no_series_two_line_sides_are_compared_after_the_notice():
    at = _app()
    infos = [str(i.value) for i in at.info]
    assert any("No control series" in i for i in infos)
    assert any(s.value == "Compare two control states" for s in at.subheader)
    # the notice first, then the section (in the order the page writes them)
    order = [getattr(e, "value", None) for e in at.main]
    notice = next(i for i, v in enumerate(order) if isinstance(v, str) and "No control series" in v)
    section = order.index("Compare two control states")
    assert notice < section
    assert at.radio(key="states_a_kind").options == ["a line's side", "an uploaded polygon file"]
    assert at.selectbox(key="states_a_line").value == "minsk_2014_09_19"
    assert at.selectbox(key="states_b_line").value == "contact_2015_02_20"
    a, b = _lines_state("minsk_2014_09_19"), _lines_state("contact_2015_02_20")
    expected = _expected(a, b, regions_for(THEATRE))
    _check_table(_table(at), expected)
    m = _metrics(at)
    assert m["Only in A"] == f"{expected['(all regions)']['only_a_km2']:,.0f} km²"
    assert m["Only in B"] == f"{expected['(all regions)']['only_b_km2']:,.0f} km²"
    # the map is drawn with the three parts in their styles
    script = _map_script(at)
    for style in (ONLY_A_STYLE, ONLY_B_STYLE, BOTH_STYLE):
        assert style["fillColor"] in script

    # B becomes the January line; then the other party: what one holds only under A, the other only under B
    at.selectbox(key="states_b_line").set_value("contact_2015_01_20").run()
    assert not at.exception
    b = _lines_state("contact_2015_01_20")
    _check_table(_table(at), _expected(a, b, regions_for(THEATRE)))
    at.selectbox(key="states_party").set_value("ukraine").run()
    assert not at.exception
    ua = _expected(
        _lines_state("minsk_2014_09_19", "ukraine"), _lines_state("contact_2015_01_20", "ukraine"), regions_for(THEATRE)
    )
    _check_table(_table(at), ua)
    sep = _expected(a, b, regions_for(THEATRE))["(all regions)"]
    assert ua["(all regions)"]["only_a_km2"] == pytest.approx(sep["only_b_km2"], rel=1e-4)


def _import_series(at: AppTest, days: int, tmp_path) -> AppTest:
    paths = SC.write_series(tmp_path / "series", days)
    files = [(p.name, p.read_bytes(), "application/geo+json") for p in paths]
    at.file_uploader(key="control_upload").set_value(files).run()
    at.text_input(key="control_series_name").set_value("DeepState")
    at.selectbox(key="control_import_party").set_value(PARTY)
    at.button(key="control_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_series_snapshot_against_an_uploaded_polygon_file(tmp_path):
    at = _import_series(_app(), 3, tmp_path)
    assert any(s.value == "Compare two control states" for s in at.subheader)
    at.radio(key="states_a_kind").set_value("series").run()
    assert at.selectbox(key="states_a_series").value == "DeepState"
    day = SC.START + dt.timedelta(days=1)
    at.selectbox(key="states_a_date").set_value(day).run()
    at.radio(key="states_b_kind").set_value("file").run()
    assert not at.exception
    assert not [el for el in at.dataframe if list(el.value.columns) == COLUMNS]  # B not uploaded yet: no table
    held = shapely.segmentize(shapely.Polygon([(37.2, 47.6), (40.6, 48.0), (40.4, 49.2), (38.0, 49.0)]), 0.005)
    at.file_uploader(key="states_b_file").set_value(("held.geojson", _polygon_file(held), "application/geo+json"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    regions = regions_for(THEATRE)
    union = shapely.union_all(list(regions.geometry.values))
    a = shapely.intersection(SC.geometry_of(SC.write_series(tmp_path / "again", 2)[1]), union)
    b = shapely.intersection(held, union)
    _check_table(_table(at), _expected(a, b, regions))
    labels = [str(md.value) for md in at.markdown]
    assert any(f"DeepState · {PARTY} on {day.isoformat()}" in t for t in labels), labels
    assert any("held.geojson" in t for t in labels), labels


def test_a_file_without_polygons_is_a_one_line_error(tmp_path):
    at = _app()
    at.radio(key="states_b_kind").set_value("file").run()
    points = io.BytesIO()
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(38, 48)], crs="EPSG:4326").to_file(points, driver="GeoJSON")
    at.file_uploader(key="states_b_file").set_value(("points.geojson", points.getvalue(), "application/geo+json"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("B: ") and "no polygon" in errors[0], errors
    assert "\n" not in errors[0]
    assert not [el for el in at.dataframe if list(el.value.columns) == COLUMNS]
    # a broken file: also one line, naming the state
    at.file_uploader(key="states_b_file").set_value(("broken.geojson", b'{"type": "Feature', "application/geo+json"))
    at.run()
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("B: ") and "broken.geojson" in errors[0], errors
    json.dumps(errors)
