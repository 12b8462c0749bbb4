"""Export (geo/io.py): RFC 7946 GeoJSON, GeoPackage, CSV and KML."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Polygon, box, shape

import geo
from geo import schema as S
from geo.analysis.layers import build_layers, layer_names
from geo.errors import DataFileError, InvalidGeometryError, UnsupportedFormatError
from geo.io import (
    AREA_METHOD,
    AREA_METHOD_TEXT,
    EXPORT_FORMATS,
    FORMATS,
    GPKG_SOURCES_TABLE,
    META_APP_VERSION,
    META_CONTENT_HASH,
    content_hash,
    crosses_antimeridian,
    cut_antimeridian,
    export_bytes,
    export_layer,
    export_metadata,
    normalise_geometry,
    parse_xml_safely,
    read_vector,
    sidecar_path,
    to_geojson_dict,
)
from geo.measure import geodesic_area_km2, geodesic_length_km
from tests.support.ogr_util import feature_count, ogrinfo_summary

FMTS = list(EXPORT_FORMATS)


def _features_count(summary: str) -> int:
    """Features of the exported layer, leaving out the GeoPackage's related sources table."""
    blocks = summary.split("Layer name: ")
    return sum(feature_count(b) for b in blocks if not b.startswith(GPKG_SOURCES_TABLE + "\n"))


@pytest.fixture(scope="module")
def layers():
    return build_layers()


def _frame(geoms, **cols):
    return gpd.GeoDataFrame(cols, geometry=list(geoms), crs=S.CRS)


# --- geometry rules ---------------------------------------------------------
def test_every_exterior_ring_is_counter_clockwise_and_holes_clockwise(layers):
    checked = 0
    for name in layer_names():
        for f in to_geojson_dict(layers[name])["features"]:
            if f["geometry"] is None:
                continue
            for part in shapely.get_parts(shape(f["geometry"])):
                if part.geom_type == "Polygon":
                    assert shapely.is_ccw(part.exterior), name
                    assert all(not shapely.is_ccw(r) for r in part.interiors), name
                    checked += 1
    assert checked > 20


def test_clockwise_input_is_reoriented():
    cw = Polygon([(30, 40), (30, 41), (31, 41), (31, 40)], [[(30.2, 40.2), (30.8, 40.2), (30.8, 40.8), (30.2, 40.8)]])
    assert not shapely.is_ccw(cw.exterior)
    geom = shape(to_geojson_dict(_frame([cw]))["features"][0]["geometry"])
    assert shapely.is_ccw(geom.exterior) and not shapely.is_ccw(geom.interiors[0])


def test_polygon_crossing_the_antimeridian_is_cut_into_two_parts():
    poly = Polygon([(179, -17), (-179, -17), (-179, -16), (179, -16)])
    assert crosses_antimeridian(poly)
    cut = cut_antimeridian(poly)
    assert cut.geom_type == "MultiPolygon" and len(cut.geoms) == 2
    xs = shapely.get_coordinates(cut)[:, 0]
    assert xs.min() >= -180 and xs.max() <= 180
    assert {180.0, -180.0} <= set(xs.tolist())
    # two 1x1 degree boxes, as the same boxes at the Greenwich meridian
    assert math.isclose(geodesic_area_km2(cut), 2 * geodesic_area_km2(box(0, -17, 1, -16)), rel_tol=1e-9)
    geom = shape(to_geojson_dict(_frame([poly]))["features"][0]["geometry"])
    assert geom.geom_type == "MultiPolygon"
    assert all(shapely.is_ccw(p.exterior) for p in geom.geoms)


def test_line_crossing_the_antimeridian_is_cut_and_keeps_its_length():
    line = LineString([(178, 60), (-178, 61), (-175, 62)])
    cut = cut_antimeridian(line)
    assert cut.geom_type == "MultiLineString" and len(cut.geoms) == 2
    unwrapped = LineString([(178, 60), (182, 61), (185, 62)])
    assert math.isclose(geodesic_length_km(cut), geodesic_length_km(unwrapped), rel_tol=1e-3)


def test_geometry_not_crossing_is_unchanged():
    poly = box(37, 47, 39, 49)
    assert not crosses_antimeridian(poly)
    assert cut_antimeridian(poly) is poly


@pytest.mark.parametrize("precision", [0, 2, 6, 8])
def test_coordinates_rounded_to_precision(precision):
    line = LineString([(37.123456789, 48.987654321), (38.555555555, 47.111111111)])
    fc = to_geojson_dict(_frame([line]), precision=precision)
    for x, y in fc["features"][0]["geometry"]["coordinates"]:
        assert x == round(x, precision) and y == round(y, precision)
        assert len(repr(x).split(".")[-1]) <= max(precision, 1)


def test_bad_precision_and_format_are_refused():
    gdf = _frame([box(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="precision"):
        export_bytes(gdf, "geojson", precision=99)
    with pytest.raises(UnsupportedFormatError, match="shp"):
        export_bytes(gdf, "shp")


def test_coordinates_outside_wgs84_are_refused():
    gdf = gpd.GeoDataFrame(geometry=[box(200, 0, 201, 1)])
    with pytest.raises(InvalidGeometryError, match="WGS84"):
        export_bytes(gdf, "geojson")


def test_projected_input_is_written_in_wgs84():
    gdf = _frame([box(37, 47, 38, 48)]).to_crs(3857)
    fc = json.loads(export_bytes(gdf, "geojson")[0])
    xy = shapely.get_coordinates(shape(fc["features"][0]["geometry"]))
    assert np.allclose(sorted(set(np.round(xy[:, 0], 5))), [37, 38])
    assert "crs" not in fc


# --- metadata ---------------------------------------------------------------
def test_geojson_carries_version_and_hash_of_its_features(layers):
    fc = to_geojson_dict(layers["contested"])
    assert fc[META_APP_VERSION] == geo.__version__
    assert fc[META_CONTENT_HASH] == content_hash(fc["features"])
    assert len(fc[META_CONTENT_HASH]) == 64


def test_hash_changes_with_a_property_and_not_with_the_format(layers, tmp_path):
    gdf = layers["lines"]
    h = export_metadata(gdf)[META_CONTENT_HASH]
    changed = gdf.copy()
    changed.loc[0, S.LINE_NAME] = "something else"
    assert export_metadata(changed)[META_CONTENT_HASH] != h
    assert export_metadata(gdf, precision=3)[META_CONTENT_HASH] != h
    gpkg = export_layer(gdf, tmp_path / "l.gpkg")
    kml = export_layer(gdf, tmp_path / "l.kml")
    csv = export_layer(gdf, tmp_path / "l.csv")
    assert f"{META_CONTENT_HASH}={h}" in ogrinfo_summary(gpkg)
    doc = parse_xml_safely(kml.read_bytes(), "l.kml")
    assert h in next(doc.iter("description")).value()
    side = json.loads(sidecar_path(csv).read_text())
    assert side[META_CONTENT_HASH] == h and side[META_APP_VERSION] == geo.__version__


def test_area_method_added_where_area_is_present(layers):
    for name in layer_names():
        gdf = layers[name]
        props = [f["properties"] for f in to_geojson_dict(gdf)["features"]]
        if S.AREA_KM2 in gdf.columns:
            assert all(p[AREA_METHOD] == AREA_METHOD_TEXT for p, a in zip(props, gdf[S.AREA_KM2]) if pd.notna(a))
        else:
            assert all(AREA_METHOD not in p for p in props)


def test_every_feature_keeps_its_properties(layers):
    gdf = layers["claims"]
    props = [f["properties"] for f in to_geojson_dict(gdf)["features"]]
    for p, (_, row) in zip(props, gdf.iterrows()):
        assert p[S.CLAIM_SOURCE_ID] == row[S.CLAIM_SOURCE_ID]
        assert p[S.CLAIM_EVENT_DATE] == row[S.CLAIM_EVENT_DATE]


# --- formats and GDAL -----------------------------------------------------
@pytest.mark.parametrize("fmt", FMTS)
def test_export_bytes_names_and_mime(layers, fmt):
    data, mime, filename = export_bytes(layers["lines"], fmt, name="lines")
    assert data and filename == "lines" + FORMATS[fmt].extension and mime == FORMATS[fmt].mime


@pytest.mark.parametrize("fmt", FMTS)
def test_every_format_is_read_by_gdal(layers, tmp_path, fmt):
    for name in ("lines", "contested", "claims"):
        path = export_layer(layers[name], tmp_path / f"{name}{FORMATS[fmt].extension}")
        summary = ogrinfo_summary(path)
        assert _features_count(summary) == len(layers[name]), (name, fmt, summary[:500])


def test_antimeridian_file_is_read_by_gdal(tmp_path):
    gdf = _frame([Polygon([(179, -17), (-179, -17), (-179, -16), (179, -16)])], name=["fiji box"])
    summary = ogrinfo_summary(export_layer(gdf, tmp_path / "am.geojson"))
    assert "Extent: (-180.000000, -17.000000) - (180.000000, -16.000000)" in summary


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    if isinstance(a, np.generic):
        a = a.item()
    if isinstance(b, np.generic):
        b = b.item()
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize("name", layer_names())
def test_round_trip_is_lossless_for_every_shipped_layer(layers, tmp_path, name, fmt):
    precision = 6
    gdf = layers[name]
    path = export_layer(gdf, tmp_path / f"{name}{FORMATS[fmt].extension}", precision=precision)
    if gdf.empty:  # e.g. no user lines yet: the file is valid, importing it says why not
        assert feature_count(ogrinfo_summary(path)) == 0
        with pytest.raises(DataFileError, match="no features"):
            read_vector(path, as_="claims")
        return
    back = read_vector(path, as_="claims").gdf
    assert len(back) == len(gdf)
    expected_cols = set(gdf.columns) | ({AREA_METHOD} if S.AREA_KM2 in gdf.columns else set())
    if fmt == "kml":  # KML's ExtendedData has no schema: a numeric column empty in every row is not written
        expected_cols -= {c for c in gdf.columns if c != gdf.geometry.name and gdf[c].isna().all()}
    assert set(back.columns) == expected_cols
    for col in gdf.columns:
        if col == gdf.geometry.name or col not in expected_cols:
            continue
        for i, (a, b) in enumerate(zip(gdf[col], back[col])):
            assert _same(a, b), (name, fmt, col, i, a, b)
    tol = 10.0**-precision
    for a, b in zip(gdf.geometry.values, back.geometry.values):
        if a is None or a.is_empty:
            assert b is None or b.is_empty
            continue
        assert b.geom_type.removeprefix("Multi") == a.geom_type.removeprefix("Multi")
        # rounding to the grid may drop a spike thinner than the precision
        # (contested area 4 has one), so compare with the rounded original
        assert shapely.hausdorff_distance(normalise_geometry(a, precision), b) <= tol
        if "Polygon" in a.geom_type:
            assert math.isclose(geodesic_area_km2(a), geodesic_area_km2(b), rel_tol=1e-5)
            assert a.symmetric_difference(b).area <= a.length * tol
        else:
            assert shapely.hausdorff_distance(a, b) <= tol


def test_kml_strips_characters_xml_cannot_carry(tmp_path):
    gdf = _frame([box(37, 47, 38, 48)], name=["bell\x07 and nul\x00"], note=["tab\tok\x1b"])
    path = export_layer(gdf, tmp_path / "ctl.kml")
    ogrinfo_summary(path)
    back = read_vector(path, as_="claims").gdf
    assert back["name"].iloc[0] == "bell\ufffd and nul\ufffd" and back["note"].iloc[0] == "tab\tok\ufffd"


@settings(max_examples=200, deadline=None)
@given(
    x0=st.floats(-180, 179),
    y0=st.floats(-80, 79),
    w=st.floats(0.001, 20),
    h=st.floats(0.001, 10),
    clockwise=st.booleans(),
    precision=st.integers(3, 8),
)
def test_property_exported_polygons_are_valid_ccw_and_in_range(x0, y0, w, h, clockwise, precision):
    """Random boxes, some wrapping past 180° (written as jumps to -180..): always valid RFC 7946."""
    x1 = x0 + w
    xs = [x0, x1 if x1 <= 180 else x1 - 360]
    ring = [(xs[0], y0), (xs[1], y0), (xs[1], y0 + h), (xs[0], y0 + h)]
    if clockwise:
        ring.reverse()
    geom = Polygon(ring) if x1 <= 180 else Polygon(ring)
    fc = to_geojson_dict(_frame([geom]), precision=precision)
    out = fc["features"][0]["geometry"]
    if out is None:  # collapsed at this precision
        return
    g = shape(out)
    assert g.is_valid
    xy = shapely.get_coordinates(g)
    assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    for part in shapely.get_parts(g):
        assert shapely.is_ccw(part.exterior)
    if x1 > 180:
        assert g.geom_type == "MultiPolygon"
    expected = geodesic_area_km2(box(0, y0, w, y0 + h))
    assert math.isclose(geodesic_area_km2(g), expected, rel_tol=0.05, abs_tol=10.0 ** (2 - precision) * 1e4)


@pytest.mark.parametrize("fmt", FMTS)
def test_round_trip_of_imported_user_lines(tmp_path, monkeypatch, fmt):
    """A line imported by the analyst exports and re-imports unchanged (the user_lines layer)."""
    from geo.analysis.layers import get_layer
    from geo.io import save_import

    assert "user_lines" in layer_names()
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "dd"))
    line = LineString([(37.51, 48.01), (37.8123456, 48.2), (38.1, 48.1)])
    src = gpd.GeoDataFrame({"name": ["Analyst line"], "date": ["2015-01-22"]}, geometry=[line], crs=S.CRS)
    save_import(read_vector(export_bytes(src, "geojson")[0], "a.geojson"), {}, None)
    gdf = get_layer("user_lines")
    assert len(gdf) == 1
    back = read_vector(export_bytes(gdf, fmt, name="user_lines")[0], f"user_lines{FORMATS[fmt].extension}").gdf
    assert shapely.hausdorff_distance(back.geometry.iloc[0], line) <= 1e-6
    for col in gdf.columns.drop(gdf.geometry.name):
        assert _same(gdf[col].iloc[0], back[col].iloc[0]) or fmt == "csv", (col, gdf[col].iloc[0], back[col].iloc[0])
