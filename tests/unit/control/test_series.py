"""Reading series: directories, zips, one file with dated features, GeoPackage date columns, KML/KMZ times."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import geopandas as gpd
import pytest
import shapely

from geo.control.series import read_series, read_series_bytes
from geo.errors import ValidationError

RING = [[37, 48], [38, 48], [38, 49], [37, 49], [37, 48]]


def _feature(props, ring=RING):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_directory_with_duplicate_and_corrupt_file(series_dir):
    d, paths = series_dir
    got = read_series(d, party="russia")
    assert got.files == 8
    assert [r.name for r in got.refused] == [paths[5].name]
    assert "JSON" in got.refused[0].reason
    assert sorted(s.date for s in got.snapshots) == [
        dt.date(2024, 7, 8) + dt.timedelta(days=i) for i in (0, 1, 2, 3, 4, 6, 7)
    ]
    assert {s.party for s in got.snapshots} == {"russia"}


def test_zip_series_reports_progress(series_dir):
    d, paths = series_dir
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in paths[:3]:
            zf.write(p, f"daily/{p.name}")
        zf.writestr("README.txt", "not a map")
    seen = []
    got = read_series_bytes(buf.getvalue(), "series.zip", party="russia", progress=lambda *a: seen.append(a))
    assert len(got.snapshots) == 3 and not got.refused
    assert [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)]


def test_one_file_with_date_and_party_properties():
    east = [[39, 48], [39.5, 48], [39.5, 48.5], [39, 48]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            _feature({"Date": "2024-01-01", "side": "ru"}),
            _feature({"Date": "2024-01-01", "side": "ru"}, east),
            _feature({"Date": "2024-01-01", "side": "ua"}, east),
            _feature({"Date": "2024-02-01", "side": "ru"}),
            _feature({"Date": "someday", "side": "ru"}),
            {
                "type": "Feature",
                "properties": {"Date": "2024-01-01"},
                "geometry": {"type": "Point", "coordinates": [37, 48]},
            },
        ],
    }
    got = read_series_bytes(json.dumps(fc).encode(), "all.geojson", party="ru", party_field="side")
    assert [(s.date.isoformat(), s.party) for s in got.snapshots] == [("2024-01-01", "ru"), ("2024-02-01", "ru")]
    merged = got.snapshots[0].geometry
    assert merged.geom_type == "MultiPolygon" and len(merged.geoms) == 2
    text = " ".join(got.warnings)
    assert "without a readable date" in text and "without a polygon" in text and "another or no party" in text


def test_file_without_any_date_is_refused_by_name():
    fc = {"type": "FeatureCollection", "features": [_feature({})]}
    got = read_series_bytes(json.dumps(fc).encode(), "undated.geojson", party="ru")
    assert not got.snapshots
    assert got.refused[0].name == "undated.geojson" and "no date" in got.refused[0].reason


def test_geopackage_date_column(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"as_of": [dt.date(2025, 3, 1), dt.date(2025, 3, 2)]},
        geometry=[shapely.box(37, 48, 38, 49), shapely.box(37, 48, 38.5, 49)],
        crs="EPSG:4326",
    )
    path = tmp_path / "control.gpkg"
    gdf.to_file(path, driver="GPKG")
    got = read_series(path, party="ru")
    assert [s.date for s in got.snapshots] == [dt.date(2025, 3, 1), dt.date(2025, 3, 2)]
    assert got.snapshots[1].geometry.area == pytest.approx(1.5)


def _kml(body: str) -> bytes:
    return (
        f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'.encode()
    )


def _placemark(time: str, lon: float) -> str:
    coords = f"37,48 {lon},48 {lon},49 37,49 37,48"
    return (
        f"<Placemark>{time}<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
    )


def test_kml_timestamp_and_kmz_dated_folders():
    kml = _kml(
        _placemark("<TimeStamp><when>2024-11-01</when></TimeStamp>", 38)
        + _placemark("<TimeSpan><begin>2024-11-01</begin><end>2024-11-02</end></TimeSpan>", 38.2)
    )
    got = read_series_bytes(kml, "isw.kml", party="ru")
    assert [s.date for s in got.snapshots] == [dt.date(2024, 11, 1), dt.date(2024, 11, 2)]
    folders = _kml(f"<Folder><name>2024-12-01</name>{_placemark('', 38)}</Folder>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("doc.kml", folders)
    got = read_series_bytes(buf.getvalue(), "map.kmz", party="ru")
    assert [s.date for s in got.snapshots] == [dt.date(2024, 12, 1)]


def test_party_is_required_and_bounded():
    with pytest.raises(ValidationError, match="party"):
        read_series_bytes(b"{}", "a.geojson")
    with pytest.raises(ValidationError, match="party name"):
        read_series_bytes(b"{}", "a.geojson", party="x" * 200)


def test_a_directory_read_over_two_processes_equals_the_serial_read(tmp_path):
    from tests.support.synthetic_control import write_series

    paths = write_series(tmp_path / "s", 9)
    (tmp_path / "s" / "deepstatemap_data_20240709_bad.geojson").write_text("{ not json", encoding="utf-8")
    seen: list[str] = []
    serial = read_series(tmp_path / "s", party="russia")
    parallel = read_series(tmp_path / "s", party="russia", jobs=2, progress=lambda d, t, n: seen.append(n))
    assert [s.date for s in parallel.snapshots] == [s.date for s in serial.snapshots]
    assert len(parallel.snapshots) == len(paths)
    assert all(
        a.geometry.equals_exact(b.geometry, 0) for a, b in zip(parallel.snapshots, serial.snapshots, strict=True)
    )
    assert (
        [r.name for r in parallel.refused]
        == [r.name for r in serial.refused]
        == ["deepstatemap_data_20240709_bad.geojson"]
    )
    assert parallel.files == serial.files == len(paths) + 1
    assert seen == sorted(p.name for p in (tmp_path / "s").iterdir())
