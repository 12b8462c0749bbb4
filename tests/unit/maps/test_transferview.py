"""Tests of geo.maps.transferview: import preview, feature labels and selection, current view."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from geo import schema as S
from geo.analysis.layers import build_layers
from geo.io import read_vector
from geo.maps import current_view, feature_labels, preview_map, preview_table, select_features

GEOJSON = (
    b'{"type":"FeatureCollection","features":['
    b'{"type":"Feature","properties":{"name":"<b>A</b>","date":"2015-01-01"},'
    b'"geometry":{"type":"LineString","coordinates":[[37,48,5],[38,48.5,6]]}},'
    b'{"type":"Feature","properties":{"name":"B","date":"2015-01-02"},'
    b'"geometry":{"type":"LineString","coordinates":[[37,47],[38,47.5],[38.5,47.7]]}}]}'
)


@pytest.fixture(scope="module")
def layers():
    return build_layers()


def test_preview_table_and_map_escape_labels():
    result = read_vector(GEOJSON, "two.geojson")
    table = preview_table(result)
    assert list(table["vertices"]) == [2, 3]
    assert "Z" in table["notes"].iloc[0] and table["notes"].iloc[1] == ""
    assert list(table["date"]) == ["2015-01-01", "2015-01-02"]
    html = preview_map(result.gdf, [result.label(i) for i in range(2)]).get_root().render()
    assert "\\u0026lt;b\\u0026gt;A" in html and "<b>A</b>" not in html


def test_labels_are_unique_and_select_features(layers):
    for name in ("lines", "contested", "claims", "settlements"):
        labels = feature_labels(layers[name])
        assert len(set(labels)) == len(labels) == len(layers[name])
    lines = layers["lines"]
    labels = feature_labels(lines)
    picked = select_features(lines, [labels[1]])
    assert list(picked[S.LINE_ID]) == [lines[S.LINE_ID].iloc[1]]
    assert len(select_features(lines, [])) == 0
    bare = gpd.GeoDataFrame({"x": [1, 2]}, geometry=[LineString([(0, 0), (1, 1)])] * 2, crs=S.CRS)
    assert feature_labels(bare) == ["1", "2"]


def test_current_view_follows_the_shown_lines(layers):
    later = [x for x in layers["lines"][S.LINE_ID] if x != S.AGREED_LINE]
    view = current_view(layers, later[:1])
    areas = view[view["layer"] == "contested"]
    assert set(areas[S.C_TO_LINE]) == {later[0]}
    assert set(view.loc[view["layer"] == "lines", S.LINE_ID]) == {S.AGREED_LINE, later[0]}
    everything = current_view(layers, None)
    assert (everything["layer"] == "contested").sum() == len(layers["contested"])
    assert (current_view(layers, [])["layer"] == "contested").sum() == 0


def test_line_geometry_and_reference_line_ids():
    from geo import schema as S
    from geo.maps import line_geometry, reference_line_ids
    from geo.reference.lines import reference_lines

    lines = reference_lines()
    first = lines.iloc[0]
    assert line_geometry(lines, first[S.LINE_ID]).equals(first.geometry)
    ids = reference_line_ids(lines)
    assert ids and set(lines.set_index(S.LINE_ID).loc[ids, S.LINE_KIND]) <= {"agreed", "contact"}


def test_field_guesses_name_the_fields_to_map():
    import geo.io as imp
    from geo.maps import field_guesses

    result = read_vector(GEOJSON, "two.geojson")
    guesses = field_guesses(result)
    assert list(guesses)[: len(imp.MAP_FIELDS)] == list(imp.MAP_FIELDS)
    assert all(g == "" or g in result.fields for g in guesses.values())
    assert ("kind" in guesses) == (result.as_ == imp.AS_LINE)
