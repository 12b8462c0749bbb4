import urllib.parse

from geo.maps import copy_files, install_static_assets, offline_css, offline_js
from geo.maps.assets import JQUERY_SUBSET_JS
from geo.maps.draw_assets import draw_assets_present, install_draw_assets


def test_leaflet_is_copied_once(tmp_path):
    files = install_static_assets(tmp_path)
    names = {f.name for f in files}
    assert {"leaflet.js", "leaflet.css"} <= names and "jquery.min.js" not in names
    assert all(f.stat().st_size > 1000 for f in files if f.suffix == ".js")
    before = {f: f.stat().st_mtime_ns for f in files}
    install_static_assets(tmp_path)
    assert {f: f.stat().st_mtime_ns for f in files} == before  # idempotent: nothing rewritten
    for _, url in offline_js() + offline_css():
        if url.startswith("data:"):
            continue
        rel = url.removeprefix("/app/static/")
        assert (tmp_path / rel).is_file(), url


def test_folium_gets_the_jquery_subset_inline():
    """Leaflet first (folium's scripts need L), then the two jQuery calls folium makes, as a data: URL."""
    names = [name for name, _ in offline_js()]
    assert names == ["leaflet", "jquery"]
    url = dict(offline_js())["jquery"]
    prefix = "data:text/javascript;charset=utf-8,"
    assert url.startswith(prefix)
    assert urllib.parse.unquote(url[len(prefix) :]) == JQUERY_SUBSET_JS
    assert "window.jQuery = window.$" in JQUERY_SUBSET_JS and "ready" in JQUERY_SUBSET_JS


def test_copy_files_replaces_a_truncated_copy(tmp_path):
    src = tmp_path / "src.js"
    src.write_text("x" * 100)
    dest = tmp_path / "out"
    (dest / "a").mkdir(parents=True)
    (dest / "a" / "src.js").write_text("x")
    copy_files({"a/src.js": src}, dest)
    assert (dest / "a" / "src.js").read_text() == "x" * 100


def test_leaflet_draw_is_available_offline(tmp_path):
    assert install_draw_assets(tmp_path)
    assert draw_assets_present(tmp_path)
