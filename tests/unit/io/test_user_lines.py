"""Imported and drawn lines become a layer, are drawn on the map and exported."""

import json

from shapely.geometry import LineString

from geo import schema as S
from geo.analysis.layers import build_layers, get_layer, user_lines_signature
from geo.io.drawn import DrawnLine, save_drawn
from geo.maps import build_map
from geo.reference.seed import load_seed_claims


def _drawn(tmp_path):
    return DrawnLine(
        name="Sketch <b>of</b> a claimed line",
        geometry=LineString([(38.0, 48.3), (38.2, 48.1)]),
        source_url="https://example.org/sketch",
        date="2015-01-25",
    )


def test_empty_when_nothing_imported_or_drawn(tmp_path):
    layer = build_layers(data_dir=tmp_path)["user_lines"]
    assert layer.empty and S.LINE_KIND in layer.columns


def test_drawn_line_is_a_layer_on_the_map_and_changes_the_signature(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    before = user_lines_signature()
    save_drawn(_drawn(tmp_path))
    assert user_lines_signature() != before
    layer = get_layer("user_lines")
    assert list(layer[S.LINE_KIND]) == ["drawn"] and layer["length_km"].iloc[0] > 20
    layers = build_layers(load_seed_claims())
    html = build_map(layers, load_seed_claims()).get_root().render()
    assert "Imported and drawn lines" in html
    assert "Sketch &lt;b&gt;of&lt;/b&gt; a claimed line" in html and "Sketch <b>of" not in html


def test_cli_exports_user_lines(tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    save_drawn(_drawn(tmp_path))
    out = tmp_path / "u.geojson"
    r = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--layer", "user_lines", "-o", str(out)],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    feats = json.loads(out.read_text())["features"]
    assert feats[0]["properties"]["name"] == "Sketch <b>of</b> a claimed line"
