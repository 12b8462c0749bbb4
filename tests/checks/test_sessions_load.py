"""Smoke test of bench/sessions_load.py: its figures are there and consistent (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("sessions_load", REPO / "bench" / "sessions_load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_percentile_is_nearest_rank(bench):
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert bench.percentile(values, 0.5) == 10
    assert bench.percentile(values, 0.95) == 19
    assert bench.percentile(values, 1.0) == 20
    assert bench.percentile([3.0, 1.0], 0.95) == 3.0
    assert bench.percentile([7.0], 0.5) == 7.0


def test_summary_counts_failed_sessions_and_keeps_their_times_out(bench):
    results = [
        {"map_s": 2.0, "map_page_done_s": 5.0, "pages": {"claims": 1.0}},
        {"map_s": 4.0, "map_page_done_s": 6.0, "pages": {"claims": 3.0}},
        {"map_s": 9.0, "pages": {}, "error": "TimeoutError: claims: not within the run's time"},
        {"pages": {}, "error": "TimeoutError: not within 5 s"},
    ]
    out = bench.summarise(results, ["claims"])
    assert (out["sessions"], out["ok"], out["failed"]) == (4, 2, 2)
    assert out["map_median_s"] == 4.0 and out["map_max_s"] == 9.0 and out["map_min_s"] == 2.0
    assert out["map_page_done_median_s"] == 5.5 and out["map_page_done_p95_s"] == 6.0
    assert out["claims_median_s"] == 2.0 and out["claims_p95_s"] == 3.0
    assert out["first_error"].startswith("TimeoutError")


def test_process_tree_memory_and_cpu_of_this_process(bench):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = bench.process_tree(os.getpid())
        assert tree[0] == os.getpid() and child.pid in tree
        assert bench.rss_bytes(tree) > bench.rss_bytes([child.pid]) > 0
        assert bench.rss_bytes([2**22 + 7]) == 0  # a pid that is not there counts nothing
        assert bench.cpu_seconds([os.getpid()]) > 0
    finally:
        child.kill()
        child.wait()


@pytest.mark.browser
def test_two_sessions_report_every_figure(chromium, bench):
    """Two concurrent sessions plus the Claims page: every figure there and consistent with the others."""
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "sessions_load.py"), "-n", "2", "--pages", "claims"]
        + ["--timeout", "300", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    missing = [k for k in (*bench.REQUIRED_KEYS, "claims_median_s", "per_session_map_s") if k not in out]
    assert not missing, missing
    assert (out["sessions"], out["ok"], out["failed"]) == (2, 2, 0), out.get("first_error")
    assert len(out["per_session_map_s"]) == 2
    assert 0 < out["map_min_s"] <= out["map_median_s"] <= out["map_p95_s"] <= out["map_max_s"]
    assert out["map_page_done_p95_s"] >= out["map_page_done_median_s"] >= out["map_min_s"]
    assert out["map_max_s"] <= out["wall_s"] <= out["timeout_s"] == 300
    assert out["claims_median_s"] > 0 and out["warmup_s"] > 0
    assert out["server_peak_rss_mb"] >= out["server_rss_before_mb"] > 10  # a Python server with Streamlit
    assert out["server_cpu_s"] > 0 and out["rss_samples"] > 0
