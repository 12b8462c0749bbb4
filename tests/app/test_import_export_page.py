"""AppTest of the import/export page (and the map page's download button)."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.claims.store import open_store
from geo.io import load_user_lines

REPO = Path(__file__).resolve().parents[2]
LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Test line", "date": "2015-02-01", "party": "ukraine"},
            "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0, 100], [37.8, 48.2, 120], [38.0, 48.5, 90]]},
        }
    ],
}
XXE_KML = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>
<LineString><coordinates>37.5,48.0 37.8,48.2</coordinates></LineString></Placemark></kml>"""
CLAIMS_CSV = (
    "quote,actor,stance,event_date,publisher,url,published,source_kind,WKT\n"
    '"Test import claim: ground held near the line.",Test Office,asserts,2015-01-25,Wire,'
    'https://example.org/imp,2015-01-26,news,"POLYGON((37.6 48.0, 37.7 48.0, 37.7 48.1, 37.6 48.0))"\n'
)


pytestmark = pytest.mark.usefixtures("router_ran", "fresh_caches")


def _app() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/import_export.py")
    return at.run()


def _upload(at: AppTest, name: str, data: bytes, as_: str = "line") -> AppTest:
    at.radio(key="ie_as").set_value(as_)
    return at.file_uploader(key="ie_upload").set_value((name, data, "application/octet-stream")).run()


def test_geojson_line_is_read_mapped_and_saved():
    at = _upload(_app(), "line.geojson", json.dumps(LINE).encode())
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    texts = [t.value for t in at.text]
    assert any("1 features (1 LineString)" in t for t in texts)
    assert any("Z (height) values dropped" in t for t in texts)
    mapped = {s.label: s.value for s in at.selectbox}
    assert mapped["name"] == "name" and mapped["date"] == "date" and mapped["party"] == "party"
    preview = next(d.value for d in at.dataframe if "feature" in d.value.columns)
    assert len(preview) == 1 and preview["vertices"].iloc[0] == 3
    assert load_user_lines() is None
    at.button(key="ie_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.success and "user_test_line_20150201" in at.success[0].value
    lines = load_user_lines()
    assert list(lines["line_id"]) == ["user_test_line_20150201"]
    assert lines["name"].iloc[0] == "Test line" and lines["drawn_by"].iloc[0] == "ukraine"


def test_unmapped_date_refuses_the_whole_import():
    at = _upload(_app(), "line.geojson", json.dumps(LINE).encode())
    next(s for s in at.selectbox if s.label == "date").set_value("").run()
    at.button(key="ie_save").click().run()
    assert not at.exception
    assert at.error and "date" in at.error[0].value
    assert load_user_lines() is None


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("evil.kml", XXE_KML, "evil.kml"),
        ("truncated.geojson", json.dumps(LINE).encode()[:60], "truncated.geojson"),
        ("nan.geojson", json.dumps(LINE).replace("37.8", "NaN").encode(), "nan.geojson"),
        ("latin.csv", "name,WKT\nKyïv,POINT(30 50)\n".encode("latin-1"), "latin.csv"),
    ],
)
def test_hostile_or_broken_file_shows_one_line_error_and_stores_nothing(name, data, reason):
    with open_store() as store:
        n_claims = len(store.list_claims())
    at = _upload(_app(), name, data, as_="claims" if name.endswith(".csv") else "line")
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and reason in at.error[0].value and "\n" not in at.error[0].value
    assert not _has(at, "ie_save")
    assert load_user_lines() is None
    with open_store() as store:
        assert len(store.list_claims()) == n_claims


def _has(at, key):
    return any(b.key == key for b in at.button)


def test_csv_claims_import_goes_to_the_registry():
    with open_store() as store:
        n = len(store.list_claims())
    at = _upload(_app(), "claims.csv", CLAIMS_CSV.encode(), as_="claims")
    assert not at.error, [e.value for e in at.error]
    at.button(key="ie_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Saved 1 claim" in at.success[0].value
    with open_store() as store:
        claims = store.list_claims()
    assert len(claims) == n + 1
    row = claims[claims["quote"].str.startswith("Test import claim")].iloc[0]
    assert row["url"] == "https://example.org/imp" and row["geometry_wkt"].startswith("POLYGON")


def test_export_download_is_geojson_with_features(media):
    at = _app()
    assert not at.exception, [e.value for e in at.exception]
    button = at.download_button(key="ie_download")
    fc = json.loads(media(button))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) >= 1
    assert fc["content_sha256"] and fc["app_version"]
    assert all("area_km2" in f["properties"] for f in fc["features"])

    at.radio(key="ie_scope").set_value("selected features").run()
    options = at.multiselect(key="ie_features").options
    at.multiselect(key="ie_features").set_value([options[0]]).run()
    fc1 = json.loads(media(at.download_button(key="ie_download")))
    assert len(fc1["features"]) == 1 < len(fc["features"])

    at.number_input(key="ie_precision").set_value(2).run()
    coords = json.dumps(json.loads(media(at.download_button(key="ie_download")))["features"][0]["geometry"])
    assert all(
        len(x.split(".")[1]) <= 2
        for x in coords.replace("[", " ").replace("]", " ").replace(",", " ").split()
        if "." in x
    )


def test_export_formats_and_current_view(media):
    at = _app()
    at.session_state["map_to_lines"] = ["contact_2015_01_20"]
    at.radio(key="ie_scope").set_value("current map view").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    fc = json.loads(media(at.download_button(key="ie_download")))
    layers = {f["properties"]["layer"] for f in fc["features"]}
    assert layers == {"lines", "contested"}
    to_lines = {f["properties"].get("to_line") for f in fc["features"] if f["properties"]["layer"] == "contested"}
    assert to_lines == {"contact_2015_01_20"}
    at.radio(key="ie_scope").set_value("whole layer").run()
    for fmt, magic in (("gpkg", b"SQLite format 3"), ("kml", b"<?xml"), ("csv", b"")):
        at.selectbox(key="ie_format").set_value(fmt).run()
        assert not at.error, [e.value for e in at.error]
        data = media(at.download_button(key="ie_download"))
        assert data.startswith(magic) and len(data) > 100
    assert _has_download(at, "ie_download_meta")


def _has_download(at, key):
    return any(b.key == key for b in at.download_button)


def test_map_page_offers_geojson_download(media):
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    fc = json.loads(media(at.download_button(key="map_download_geojson")))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) >= 1
    assert all("claim_ids" in f["properties"] for f in fc["features"])
