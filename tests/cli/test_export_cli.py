"""``python -m geo export`` and ``python -m geo import`` from the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo.io import GPKG_SOURCES_TABLE, META_APP_VERSION, META_CONTENT_HASH, read_vector, sidecar_path
from tests.support.ogr_util import feature_count, ogrinfo_summary

REPO = Path(__file__).resolve().parents[2]


class Run:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _features_count(summary: str) -> int:
    """Features of the exported layer, leaving out the GeoPackage's related sources table."""
    blocks = summary.split("Layer name: ")
    return sum(feature_count(b) for b in blocks if not b.startswith(GPKG_SOURCES_TABLE + "\n"))


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``python -m geo ARGS`` in this process (fast); ``env_dir`` sets CONTESTED_DATA_DIR."""
    from geo.__main__ import main

    def run(*args, env_dir: Path | None = None) -> Run:
        if env_dir is not None:
            monkeypatch.setenv("CONTESTED_DATA_DIR", str(env_dir))
        capsys.readouterr()
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


def subprocess_cli(*args, cwd=REPO):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=180, env=env
    )


@pytest.mark.parametrize("fmt, ext", [("geojson", ".geojson"), ("gpkg", ".gpkg"), ("csv", ".csv"), ("kml", ".kml")])
def test_export_each_format_is_read_by_gdal(cli, tmp_path, fmt, ext):
    out = tmp_path / f"contested{ext}"
    r = cli("export", "--layer", "contested", "--format", fmt, "-o", out)
    assert r.returncode == 0, r.stderr
    assert f"as {fmt}" in r.stdout and out.exists()
    summary = ogrinfo_summary(out)
    n = len(read_vector(out, as_="claims").gdf)
    assert _features_count(summary) == n > 0
    if fmt == "gpkg":
        assert f"{META_APP_VERSION}={geo.__version__}" in summary
    if fmt == "csv":
        assert json.loads(sidecar_path(out).read_text())[META_CONTENT_HASH]


def test_export_format_from_extension_and_precision(cli, tmp_path):
    out = tmp_path / "lines.kml"
    r = cli("export", "--layer", "lines", "-o", out, "--precision", "2")
    assert r.returncode == 0, r.stderr
    assert "as kml" in r.stdout and out.read_bytes().startswith(b"<?xml")
    coords = re.findall(r"<coordinates>([^<]*)</coordinates>", out.read_text())
    numbers = [v for c in coords for pair in c.split() for v in pair.split(",")]
    assert len(numbers) > 50
    assert all(len(v.split(".")[-1]) <= 2 for v in numbers), numbers[:10]
    assert any(len(v.split(".")[-1]) == 2 for v in numbers)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["export", "--layer", "nope", "-o", "x.geojson"], "unknown layer"),
        (["export", "--layer", "lines", "-o", "x.shp"], "cannot tell the format"),
        (["export", "--layer", "lines", "-o", "x.geojson", "--precision", "40"], "precision"),
    ],
)
def test_export_errors_are_one_line(tmp_path, args, fragment):
    r = subprocess_cli(*args, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and fragment in r.stderr and "Traceback" not in r.stderr


def test_import_line_then_refuse_bad_file(cli, tmp_path):
    src = tmp_path / "lines.geojson"
    r = cli("export", "--layer", "lines", "-o", src)
    assert r.returncode == 0, r.stderr
    data_dir = tmp_path / "data"
    r = cli("import", src, "--as", "line", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    assert "3 features (3 LineString)" in r.stdout and "imported 3 line(s)" in r.stdout
    lines_csv = (data_dir / "user_lines.csv").read_bytes()
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    r = cli("import", bad, "--data-dir", data_dir)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("error: bad.geojson: invalid or truncated JSON") and r.stderr.count("\n") == 1
    assert (data_dir / "user_lines.csv").read_bytes() == lines_csv


def test_import_uses_contested_data_dir_and_dry_run(cli, tmp_path):
    src = tmp_path / "l.csv"
    src.write_text('name,date,wkt\nA,2015-01-20,"LINESTRING (37.5 48, 37.8 48.2)"\n')
    r = cli("import", src, "--dry-run", env_dir=tmp_path / "dd")
    assert r.returncode == 0 and "nothing stored" in r.stdout
    assert not (tmp_path / "dd" / "user_lines.csv").exists()
    r = cli("import", src, env_dir=tmp_path / "dd")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "dd" / "user_lines.csv").exists()


def test_import_claims_into_a_store(cli, tmp_path):
    src = tmp_path / "claims.geojson"
    assert cli("export", "--layer", "claims", "-o", src).returncode == 0
    store = tmp_path / "claims.sqlite"
    r = cli("import", src, "--as", "claims", "--store", store)
    assert r.returncode == 0, r.stderr
    n = int(r.stdout.split("imported ")[1].split()[0])
    from geo.analysis.layers import get_layer
    from geo.claims.store import open_store

    assert n == len(get_layer("claims"))
    with open_store(store) as s:
        assert len(s.list_claims()) >= n


def test_import_claim_geometry_prints_wkt(cli, tmp_path):
    src = tmp_path / "area.geojson"
    src.write_text(json.dumps({"type": "Polygon", "coordinates": [[[37, 47], [38, 47], [38, 48], [37, 47]]]}))
    r = cli("import", src, "--as", "claim-geometry")
    assert r.returncode == 0, r.stderr
    assert "POLYGON ((37 47, 38 47, 38 48, 37 47))" in r.stdout


def test_import_wrong_type_names_the_feature(cli, tmp_path):
    src = tmp_path / "pts.csv"
    src.write_text("name,lon,lat\nPisky,37.6261,48.0967\n")
    r = cli("import", src, "--as", "claim-geometry")
    assert r.returncode == 1
    assert "feature 1 ('Pisky'): is a Point" in r.stderr and r.stderr.count("\n") == 1
