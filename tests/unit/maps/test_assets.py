from geo.maps import copy_files, install_static_assets, offline_css, offline_js
from geo.maps.draw_assets import draw_assets_present, install_draw_assets


def test_leaflet_and_jquery_are_copied_once(tmp_path):
    files = install_static_assets(tmp_path)
    names = {f.name for f in files}
    assert {"leaflet.js", "leaflet.css", "jquery.min.js"} <= names
    assert all(f.stat().st_size > 1000 for f in files if f.suffix == ".js")
    before = {f: f.stat().st_mtime_ns for f in files}
    install_static_assets(tmp_path)
    assert {f: f.stat().st_mtime_ns for f in files} == before  # idempotent: nothing rewritten
    for _, url in offline_js() + offline_css():
        rel = url.removeprefix("/app/static/")
        assert (tmp_path / rel).is_file(), url


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
