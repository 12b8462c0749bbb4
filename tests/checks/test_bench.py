"""Smoke test of bench/run.py on tiny inputs: it runs and its last line parses (no timing asserted)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_key_value_line_round_trip(bench):
    line = bench.format_kv({"a": 1.23456789, "b": 3, "c": "x"})
    assert line == "a=1.235 b=3 c=x"
    assert bench.parse_kv(line) == {"a": "1.235", "b": "3", "c": "x"}
    for bad in ("", "a=1 b", "=3"):
        with pytest.raises(ValueError):
            bench.parse_kv(bad)


def test_reference_area_matches_a_known_box(bench):
    from shapely.geometry import box

    # the 1°x1° box at 48-49°N (doctest of geo.measure gives 8218 km²), either orientation
    assert bench.reference_area_km2(box(37, 48, 38, 49)) == pytest.approx(8218, abs=1)
    assert bench.reference_area_km2(box(37, 48, 38, 49).reverse()) == pytest.approx(8218, abs=1)


def test_join_on_tiny_inputs_agrees_with_the_loop(bench):
    out = bench.bench_join(n_claims=600, n_polys=30, sample=60)
    assert out["join_agrees"] is True
    assert out["join_pairs"] > 0
    assert out["loop_sample"] == 60
    assert out["join_ratio"] > 0 and out["join_s"] > 0


def test_areas_on_the_shipped_oblasts(bench):
    from geo.reference.boundaries import oblasts

    out = bench.bench_areas([oblasts()])
    assert out["area_rel_err"] <= 1e-6
    assert out["mercator_rel_err"] > 0.5  # Web Mercator inflates areas by ~2.2x at 48°N


def test_quick_run_prints_every_required_key_last(bench):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert bench.main(["--quick", "--no-server"]) == 0
    lines = buf.getvalue().strip().splitlines()
    figures = bench.parse_kv(lines[-1])
    missing = [k for k in bench.REQUIRED_KEYS if k not in figures]
    assert not missing, missing
    for key in bench.REQUIRED_KEYS:
        float(figures[key])  # every value is a number
    assert figures["quick"] == "1"
    assert any(line.startswith("measure") for line in lines)  # the table came first


@pytest.mark.browser
def test_browser_timing_quick_run_prints_its_figures(chromium):
    """bench/browser_timing.py --quick starts the app, drives Chromium, prints key=value last (no timing asserted)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "browser_timing.py"), "--quick", "--timeout", "180"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    figures = dict(kv.split("=", 1) for kv in lines[-1].split())
    for key in (
        "first_cold_s",
        "first_warm_s",
        "sidebar_ready_warm_s",
        "change_also_s",
        "change_lines_s",
        "change_basemap_s",
        "change_max_s",
    ):
        assert float(figures[key]) > 0, key
    assert figures["quick"] == "1"
    assert lines[0].startswith("measure")


def test_extract_speed_bench_prints_times_and_ratios():
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "bench/extract_speed.py", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    last = dict(kv.split("=") for kv in res.stdout.strip().splitlines()[-1].split())
    assert set(last) == {"worst_100kb_s", "worst_ratio", "budget_s"}
    assert float(last["worst_100kb_s"]) > 0 and float(last["worst_ratio"]) > 1


def test_control_bench_quick_run_prints_a_table_then_json():
    """bench/control_bench.py on a few days: every step runs, one new day costs one measurement (no timing asserted)."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "control_bench.py"), "--days", "12", "--sample", "3"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("measure")
    figures = json.loads(lines[-1])
    assert figures["days"] == 12 and figures["imported"] == 12
    assert figures["add_day_imported"] == 1 and figures["measured_on_add"] == 1
    assert figures["naive_rel_diff"] <= 1e-6 and figures["drift_rel"] <= 1e-6
    assert figures["region_sum_rel_gap"] <= 1e-6
    for key in ("import_s", "series_cold_s", "naive_series_s", "series_ratio", "store_mb", "peak_rss_mb"):
        assert figures[key] > 0, key
