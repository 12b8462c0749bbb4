"""Import (geo/importer.py): reading, validation and all-or-nothing saving."""

from __future__ import annotations

import hashlib
import json
import zipfile

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

from geo import schema as S
from geo.errors import GeoError, InvalidGeometryError, UnsupportedFormatError, ValidationError
from geo.io import (
    AS_CLAIM_GEOMETRY,
    AS_CLAIMS,
    AS_LINE,
    export_bytes,
    load_user_lines,
    read_vector,
    save_import,
    user_lines_paths,
)
from geo.reference.lines import load_lines, reference_lines

LINE = LineString([(37.5, 48.0), (37.8, 48.2), (38.1, 48.1)])
LINE2 = LineString([(38.5, 47.5), (38.6, 47.7)])


def fc(*features, **extra):
    return {"type": "FeatureCollection", "features": list(features), **extra}


def feat(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


def dump(obj) -> bytes:
    return json.dumps(obj).encode()


def lines_gdf(crs=S.CRS):
    gdf = gpd.GeoDataFrame(
        {"name": ["Alpha line", "Beta line"], "date": ["2015-01-20", "2015-02-20"], "party": ["ukraine", "osce"]},
        geometry=[LINE, LINE2],
        crs=S.CRS,
    )
    return gdf.to_crs(crs)


def dir_hash(d) -> str:
    h = hashlib.sha256()
    for p in sorted(d.rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


# --- formats ---------------------------------------------------------------
def test_geojson_feature_collection():
    r = read_vector(dump(fc(feat(LINE, name="A", date="2015-01-20"))), "a.geojson")
    assert len(r.gdf) == 1 and r.gdf.crs.equals(S.CRS)
    assert r.gdf.geometry.iloc[0].equals(LINE)
    assert r.mapping["name"] == "name" and r.mapping["date"] == "date"
    assert r.source_format == "geojson" and not r.notes


def test_geojson_bare_geometry_and_single_feature():
    r = read_vector(dump(shapely.geometry.mapping(box(37, 47, 38, 48))), "g.json", as_=AS_CLAIM_GEOMETRY)
    assert r.gdf.geometry.iloc[0].geom_type == "Polygon"
    r = read_vector(dump(feat(LINE, name="x")), "f.geojson")
    assert r.gdf["name"].tolist() == ["x"]


def test_geojson_legacy_crs_member_is_reprojected():
    gdf = lines_gdf(3857)
    obj = fc(*[feat(g, name=n) for g, n in zip(gdf.geometry, gdf["name"])])
    obj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    r = read_vector(dump(obj), "merc.geojson")
    assert r.source_crs == "EPSG:3857"
    assert shapely.hausdorff_distance(r.gdf.geometry.iloc[0], LINE) < 1e-9
    assert all("reprojected from EPSG:3857" in n for n in r.notes[0])


def test_crs_override_for_files_without_one():
    gdf = lines_gdf(32637)
    obj = fc(*[feat(g, name=n) for g, n in zip(gdf.geometry, gdf["name"])])
    with pytest.raises(InvalidGeometryError, match="outside WGS84.*no CRS"):
        read_vector(dump(obj), "utm.geojson")
    r = read_vector(dump(obj), "utm.geojson", crs="EPSG:32637")
    assert shapely.hausdorff_distance(r.gdf.geometry.iloc[1], LINE2) < 1e-9


def test_geopackage_projected_is_reprojected(tmp_path):
    path = tmp_path / "lines.gpkg"
    pyogrio.write_dataframe(lines_gdf(3857), path, layer="mylines", driver="GPKG")
    r = read_vector(path)
    assert r.source_format == "gpkg" and r.source_crs == "EPSG:3857"
    assert shapely.hausdorff_distance(r.gdf.geometry.iloc[0], LINE) < 1e-9
    assert r.gdf["party"].tolist() == ["ukraine", "osce"]
    assert "reprojected from EPSG:3857" in r.note_lines()[0]


def test_geopackage_from_bytes_with_two_layers_warns(tmp_path):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(lines_gdf(), path, layer="a", driver="GPKG")
    pyogrio.write_dataframe(lines_gdf(), path, layer="b", driver="GPKG", append=True)
    r = read_vector(path.read_bytes(), "two.gpkg")
    assert any("layers a, b" in w for w in r.warnings)
    assert len(read_vector(path, layer="b").gdf) == 2
    with pytest.raises(GeoError, match="no layer 'c'"):
        read_vector(path, layer="c")


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _shapefile_members(tmp_path, gdf, with_prj=True) -> dict[str, bytes]:
    d = tmp_path / "shp"
    d.mkdir(exist_ok=True)
    pyogrio.write_dataframe(gdf, d / "roads.shp", driver="ESRI Shapefile")
    out = {f"data/roads{p.suffix}": p.read_bytes() for p in d.iterdir()}
    if not with_prj:
        out.pop("data/roads.prj")
    return out


def test_zipped_shapefile_with_prj_is_reprojected(tmp_path):
    path = _zip(tmp_path / "roads.zip", _shapefile_members(tmp_path, lines_gdf(32637)))
    r = read_vector(path)
    assert r.source_format == "shapefile" and r.source_crs == "EPSG:32637"
    assert shapely.hausdorff_distance(r.gdf.geometry.iloc[0], LINE) < 1e-7
    assert r.gdf["name"].tolist() == ["Alpha line", "Beta line"]


def test_zipped_shapefile_without_prj_warns(tmp_path):
    path = _zip(tmp_path / "roads.zip", _shapefile_members(tmp_path, lines_gdf(), with_prj=False))
    r = read_vector(path)
    assert any(".prj" in w for w in r.warnings)


KML_Z = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
<Placemark><name>Ridge</name><ExtendedData><Data name="date"><value>2015-01-20</value></Data></ExtendedData>
<LineString><coordinates>37.5,48.0,120 37.8,48.2,130 38.1,48.1,90</coordinates></LineString></Placemark>
</Folder></Document></kml>"""


def test_kml_z_dropped_with_a_note():
    r = read_vector(KML_Z, "ridge.kml")
    assert not r.gdf.has_z.any()
    assert r.gdf.geometry.iloc[0].equals(LINE)
    assert r.gdf["date"].tolist() == ["2015-01-20"]
    assert r.notes == {0: ["Z (height) values dropped"]}


def test_kmz_reads_doc_kml(tmp_path):
    path = _zip(tmp_path / "r.kmz", {"doc.kml": KML_Z, "files/icon.png": b"\x89PNG"})
    r = read_vector(path)
    assert r.source_format == "kmz" and r.gdf["name"].tolist() == ["Ridge"]


def test_kml_polygon_with_hole_and_multigeometry():
    kml = b"""<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><MultiGeometry>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>37,47 38,47 38,48 37,48 37,47</coordinates></LinearRing></outerBoundaryIs>
    <innerBoundaryIs><LinearRing><coordinates>37.2,47.2 37.4,47.2 37.4,47.4 37.2,47.2</coordinates></LinearRing></innerBoundaryIs></Polygon>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>39,47 40,47 40,48 39,47</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </MultiGeometry></Placemark></kml>"""
    g = read_vector(kml, "p.kml", as_=AS_CLAIM_GEOMETRY).gdf.geometry.iloc[0]
    assert g.geom_type == "MultiPolygon" and len(g.geoms[0].interiors) == 1


def test_csv_wkt_column_detected():
    text = b'name;date;wkt\nA;2015-01-20;"LINESTRING (37.5 48, 37.8 48.2)"\n'
    r = read_vector(text, "lines.csv")
    assert r.gdf.geometry.iloc[0].equals(LineString([(37.5, 48), (37.8, 48.2)]))
    assert r.fields == ["name", "date"]


def test_csv_vertex_rows_build_lines_in_seq_order():
    text = b"line_id,seq,lon,lat,name,date\nb,1,38.6,47.7,B,2015-02-20\na,1,37.8,48.2,A,2015-01-20\na,0,37.5,48.0,A,2015-01-20\na,2,38.1,48.1,A,2015-01-20\nb,0,38.5,47.5,B,2015-02-20\n"
    r = read_vector(text, "vertices.csv", as_=AS_LINE)
    assert r.gdf["line_id"].tolist() == ["b", "a"]
    assert r.gdf.geometry.iloc[1].equals(LINE) and r.gdf.geometry.iloc[0].equals(LINE2)
    assert "seq" not in r.gdf.columns


def test_csv_points_with_decimal_comma_and_explicit_columns():
    text = "Ort;Breite;Länge\nPisky;48,0967;37,6261\n".encode()
    r = read_vector(text, "pts.csv", as_=AS_CLAIMS, lonlat_columns=("Länge", "Breite"))
    assert r.gdf.geometry.iloc[0].equals(shapely.Point(37.6261, 48.0967))
    with pytest.raises(GeoError, match="no geometry columns"):
        read_vector(text, "pts.csv", as_=AS_CLAIMS)
    with pytest.raises(GeoError, match="no column"):
        read_vector(text, "pts.csv", as_=AS_CLAIMS, wkt_column="wkt")


def test_invalid_polygon_repaired_and_reported_per_feature():
    bowtie = Polygon([(37, 47), (38, 48), (38, 47), (37, 48), (37, 47)])
    ok = box(39, 47, 40, 48)
    r = read_vector(dump(fc(feat(ok, name="fine"), feat(bowtie, name="bow"))), "b.geojson", as_=AS_CLAIM_GEOMETRY)
    assert list(r.notes) == [1]
    assert "make_valid" in r.notes[1][0] and "Self-intersection" in r.notes[1][0]
    assert r.gdf.geometry.iloc[1].is_valid and r.gdf.geometry.iloc[1].geom_type == "MultiPolygon"
    assert "feature 2 ('bow')" in r.note_lines()[0]


def test_progress_is_reported_up_to_done():
    seen = []
    read_vector(dump(fc(*[feat(LINE, name=str(i)) for i in range(2500)])), "many.geojson", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and len(seen) >= 5
    assert seen == sorted(seen)


def test_summary_mentions_counts_and_reprojection(tmp_path):
    path = tmp_path / "l.gpkg"
    pyogrio.write_dataframe(lines_gdf(3857), path, driver="GPKG")
    assert "2 features (2 LineString)" in read_vector(path).summary()
    assert "reprojected from EPSG:3857" in read_vector(path).summary()


# --- saving ------------------------------------------------------------------
def test_save_lines_then_geo_lines_reads_them(tmp_path):
    r = read_vector(dump(fc(feat(LINE, name="Alpha", date="2015-01-20", party="osce", src="x1"))), "a.geojson")
    ids = save_import(r, {"source": "src"}, tmp_path)
    assert len(ids) == 1 and ids[0].startswith("user_alpha_20150120")
    lp, vp = user_lines_paths(tmp_path)
    loaded = load_lines(lp, vp)
    assert loaded[S.LINE_ID].tolist() == ids
    row = loaded.iloc[0]
    assert (row[S.LINE_NAME], row[S.LINE_DATE], row[S.LINE_DRAWN_BY], row[S.LINE_SOURCES]) == (
        "Alpha",
        "2015-01-20",
        "osce",
        "x1",
    )
    assert row.geometry.equals(LINE)
    ids2 = save_import(r, {}, tmp_path)
    assert ids2 != ids and len(load_user_lines(tmp_path)) == 2
    assert not set(load_user_lines(tmp_path)[S.LINE_ID]) & set(reference_lines()[S.LINE_ID])


def test_save_lines_default_directory_is_contested_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "dd"))
    r = read_vector(dump(fc(feat(LINE, name="A", date="2015-01-20"))), "a.geojson")
    save_import(r)
    assert (tmp_path / "dd" / "user_lines.csv").exists()


@pytest.mark.parametrize(
    "features, match",
    [
        ([feat(LINE, name="ok", date="2015-01-20"), feat(LINE2, name="no date")], "date"),
        ([feat(LINE, name="ok", date="2015-01-20"), feat(LINE2, name="bad", date="20/02/2015")], "YYYY-MM-DD"),
        (
            [
                feat(LINE, name="ok", date="2015-01-20"),
                feat(LineString([(37, 47), (38, 48), (38, 47), (37, 48)]), name="knot", date="2015-01-20"),
            ],
            "crosses itself",
        ),
        ([feat(shapely.MultiLineString([LINE, LINE2]), name="two", date="2015-01-20")], "separate parts"),
        ([feat(LINE, name="ok", date="2015-01-20", kind="rumour")], "kind"),
    ],
)
def test_save_lines_is_all_or_nothing(tmp_path, features, match):
    first = read_vector(dump(fc(feat(LINE2, name="existing", date="2014-09-19"))), "e.geojson")
    save_import(first, {}, tmp_path)
    before = dir_hash(tmp_path)
    r = read_vector(dump(fc(*features)), "bad.geojson")
    with pytest.raises(GeoError, match=match):
        save_import(r, {"kind": "kind"} if match == "kind" else {}, tmp_path)
    assert dir_hash(tmp_path) == before
    assert len(load_user_lines(tmp_path)) == 1


def test_claim_geometry_returns_wkt_and_stores_nothing(tmp_path):
    r = read_vector(dump(fc(feat(box(37, 47, 38, 48)))), "a.geojson", as_=AS_CLAIM_GEOMETRY)
    (wkt,) = save_import(r, {}, tmp_path)
    assert shapely.from_wkt(wkt).equals(box(37, 47, 38, 48))
    assert not list(tmp_path.iterdir())


CLAIM = {
    "quote": "they took 20 square km near the airport",
    "actor": "Kyiv",
    "stance": "asserts",
    "kind": "area",
    "value": 20,
    "unit": "sq km",
    "event_date": "2015-01-20",
    "source_id": "reuters_20150120_klimkin",
}


def test_save_claims_into_store_all_or_nothing(tmp_path):
    from geo.claims.store import open_store

    store = open_store(tmp_path / "claims.sqlite")
    try:
        n0 = len(store.list_claims())
        good = read_vector(dump(fc(feat(box(37.7, 48.0, 37.8, 48.1), **CLAIM))), "c.geojson", as_=AS_CLAIMS)
        (cid,) = save_import(good, {}, store, user="tester")
        got = store.get_claim(cid)
        assert got.actor == "Kyiv" and shapely.from_wkt(got.geometry_wkt).equals(box(37.7, 48.0, 37.8, 48.1))
        assert len(store.list_claims()) == n0 + 1
        bad = {**CLAIM, "stance": "maybe"}
        mixed = read_vector(dump(fc(feat(LINE, **CLAIM), feat(LINE2, **bad))), "c.geojson", as_=AS_CLAIMS)
        with pytest.raises(ValidationError, match="stance"):
            save_import(mixed, {}, store)
        assert len(store.list_claims()) == n0 + 1
    finally:
        store.close()


def test_claims_mapping_aliases(tmp_path):
    from geo.io import claim_records

    props = {"text": "q", "who": "Kyiv", "when": "2015-01-20", "src": "s1"}
    r = read_vector(dump(fc(feat(LINE, **props))), "c.geojson", as_=AS_CLAIMS)
    (rec,) = claim_records(r, {"name": "text", "actor": "who", "date": "when", "source": "src"})
    assert rec["quote"] == "q" and rec["actor"] == "Kyiv" and rec["event_date"] == "2015-01-20"
    assert rec["source_id"] == "s1" and shapely.from_wkt(rec["geometry_wkt"]).equals(LINE)


def test_export_bytes_reimport_same_features():
    gdf = lines_gdf()
    for fmt in ("geojson", "gpkg", "csv", "kml"):
        data, _, name = export_bytes(gdf, fmt, name="l")
        back = read_vector(data, name).gdf
        assert back["name"].tolist() == gdf["name"].tolist(), fmt
        assert np.allclose(shapely.get_coordinates(back.geometry), shapely.get_coordinates(gdf.geometry), atol=1e-6)


def test_unknown_target_refused():
    with pytest.raises(UnsupportedFormatError, match="target"):
        read_vector(dump(fc(feat(LINE))), "a.geojson", as_="zones")
