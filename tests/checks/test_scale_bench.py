"""Smoke test of bench/scale_bench.py at a tiny size: every stage runs, results agree with the baseline (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("scale_bench", REPO / "bench" / "scale_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_claims_are_deterministic_figure_claims(bench):
    ids = ["minsk_2014_09_19", "contact_2015_01_20"]
    a, b = bench.synthetic_claims(60, ids), bench.synthetic_claims(60, ids)
    assert a == b and len(a) == 60
    assert {r["reference_line"] for r in a} <= set(ids)
    assert all(r["kind"] == "area" and r["value"] > 0 for r in a)
    assert len({r["event_date"] for r in a}) > 10 and all(r["event_date"] >= "2014-09-20" for r in a)
    assert any("value_max" in r for r in a) and len({r["value"] for r in a}) < 30
    assert bench.synthetic_claims(60, ids, seed=1) != a


def test_the_baseline_is_the_code_of_its_commit(bench):
    base = bench.load_baseline()
    assert base is not None, "git history with the baseline commit is needed"
    import geo.analysis.layers as current

    assert base["geo.analysis.layers"] is not current
    assert hasattr(base["geo.analysis.layers"], "_implied_cached")  # the whole-claim-list cache of the baseline
    assert sys.modules["geo.analysis.layers"] is current  # the current code is untouched


def test_tiny_run_prints_a_table_then_json_with_every_stage():
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "scale_bench.py"),
            "--claims",
            "24",
            "--baseline-max",
            "12",
            "--lines",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("stage")
    figures = json.loads(lines[-1])
    (r,) = figures["results"]
    assert r["n_claims"] == 24
    for stage in ("import", "listing", "listing_filtered"):  # against the row-by-row import, the old listing
        assert r[stage] > 0 and r[f"baseline_{stage}"] > 0, stage
    assert r["import_agree"] is True and r["listing_agree"] is True
    assert 0 < r["listing_filtered_rows"] < 24
    assert r["map_warm"] > 0 and r["peak_rss_mb"] > 0
    for stage in ("verdicts_cold", "verdicts_edit", "implied_cold", "implied_edit", "layers_cold", "map"):
        assert r[stage] > 0 and r[f"baseline_{stage}"] > 0, stage
    assert r["baseline_claims_run"] == 12 and r["baseline_extrapolated"] is True
    assert r["verdicts_agree"] is True and r["implied_agree"] is True
    assert r["map_bytes"] > r["map_default_bytes"] > 0
    assert 0 < r["implied_bands_drawn"] <= r["implied_rows"]
    assert figures["peak_rss_mb"] > 0
    (small,) = figures["lines"]
    assert small["n_lines"] == 8 and small["n_vertices"] == 160
    assert small["lines"] > 0 and small["baseline_lines"] > 0 and small["lines_agree"] is True


def test_kept_registry_starts_the_browser_bench_on_a_copy(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "scale_bench.py"), "--claims", "30", "--no-baseline", "--lines", "5",
         "--keep", str(tmp_path / "kept")],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    kept = tmp_path / "kept" / "claims_30.sqlite"
    spec = importlib.util.spec_from_file_location("browser_timing", REPO / "bench" / "browser_timing.py")
    timing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(timing)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    out: dict = {}
    with timing.with_registry(kept, data_dir, out):
        assert (data_dir / "claims.sqlite").is_file()
    assert out == {"n_claims": 30}
    missing = subprocess.run(
        [sys.executable, str(REPO / "bench" / "browser_timing.py"), "--registry", str(tmp_path / "none.sqlite")],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert missing.returncode == 2 and "no claims store" in missing.stderr and "Traceback" not in missing.stderr
