"""Benchmark: exact areas, a light map, cheap reruns, vectorised joins, memory.

Every figure is measured against a naive baseline computed in the same run, so
the ratios do not depend on how fast this machine is. Prints a table and, as
its last line, ``key=value`` pairs:

- ``area_rel_err``: largest relative error of our oblast and contested areas
  against a reference computed here independently with pyproj/GeographicLib
  (``Geod.geometry_area_perimeter`` per polygon); ``mercator_rel_err``: the
  same for the naive EPSG:3857 ``.area`` (``mercator_rel_err_median`` beside it).
- ``payload_ratio``: bytes of the naive map (``folium.GeoJson`` of every layer
  the map page offers, full resolution, all properties) over the bytes of our
  map for the default view; ``payload_ratio_visible``: the same with the naive
  map restricted to the layers visible in the default view;
  ``topology_gap_km2``: the largest gap or overlap between adjacent oblasts
  and contested areas after our simplification (``naive_gap_km2``: the same
  for per-polygon simplification at the same tolerance).
- ``rerun_ratio``: first run of the map page (AppTest, fresh process) over a
  warm rerun; ``basemap_s``: a rerun after changing the basemap.
- ``join_ratio`` and ``join_s``: 100,000 synthetic claims (points and
  polygons) joined to 1,000 polygons with one ``geopandas.sjoin`` vs a
  per-feature Python loop (timed on a sample and extrapolated linearly).
- ``peak_mb``: peak resident memory (VmHWM) of the app process on the shipped
  data (``streamlit run`` driven by Chromium when available, else an AppTest
  process), ``peak_source`` says which.

Run: ``python bench/run.py`` (``--quick`` for a smoke run on tiny inputs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from pyproj import Geod  # noqa: E402
from shapely.geometry.polygon import orient  # noqa: E402

REQUIRED_KEYS = (
    "area_rel_err",
    "mercator_rel_err",
    "payload_ratio",
    "topology_gap_km2",
    "rerun_ratio",
    "join_ratio",
    "join_s",
    "peak_mb",
)
#: Layers the map page offers (drawn at once or on request).
PAGE_LAYERS = ("boundaries", "contested", "lines", "implied", "zones", "settlements")
#: Layers visible in the page's default view.
VISIBLE_LAYERS = ("boundaries", "contested", "lines")
REFERENCE_GEOD = Geod(ellps="WGS84")


# --- key=value line -----------------------------------------------------------
def format_kv(values: dict) -> str:
    """``k=v`` pairs separated by spaces (floats with 4 significant digits)."""
    out = []
    for k, v in values.items():
        if isinstance(v, float):
            v = f"{v:.4g}"
        out.append(f"{k}={v}")
    return " ".join(out)


def parse_kv(line: str) -> dict[str, str]:
    """The inverse of :func:`format_kv` (values as strings)."""
    pairs = [p.split("=", 1) for p in line.split()]
    if not pairs or any(len(p) != 2 or not p[0] for p in pairs):
        raise ValueError(f"not a key=value line: {line!r}")
    return dict(pairs)


def table(rows: list[tuple[str, str, str, str]]) -> str:
    """A fixed-width table: measure, ours, the baseline measured in the same run, ratio/goal."""
    head = ("measure", "ours", "baseline (same run)", "ratio / goal")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- areas --------------------------------------------------------------------
def reference_area_km2(geom) -> float:
    """Geodesic area by GeographicLib, polygon by polygon (counter-clockwise shells)."""
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon" and not part.is_empty:
            total += REFERENCE_GEOD.geometry_area_perimeter(orient(part, 1.0))[0]
    return total / 1e6


def bench_areas(frames: list[gpd.GeoDataFrame]) -> dict:
    """Largest relative error of ``area_km2`` and of EPSG:3857 ``.area`` vs the reference."""
    ours, merc = [], []
    for gdf in frames:
        ref = np.array([reference_area_km2(g) for g in gdf.geometry.values])
        keep = ref > 0
        ours.append(np.abs(gdf["area_km2"].to_numpy(float)[keep] - ref[keep]) / ref[keep])
        mercator = gdf.geometry.to_crs("EPSG:3857").area.to_numpy()[keep] / 1e6
        merc.append(np.abs(mercator - ref[keep]) / ref[keep])
    ours_all, merc_all = np.concatenate(ours), np.concatenate(merc)
    return {
        "area_rel_err": float(ours_all.max()),
        "mercator_rel_err": float(merc_all.max()),
        "mercator_rel_err_min": float(merc_all.min()),
        "mercator_rel_err_median": float(np.median(merc_all)),
        "n_areas": int(len(ours_all)),
    }


# --- payload and topology -----------------------------------------------------
def payload_bytes(m: folium.Map) -> int:
    """UTF-8 bytes of the map as rendered (what st_folium ships, script and all)."""
    return len(m.get_root().render().encode("utf-8"))


def naive_map(layers: dict, names) -> folium.Map:
    """The naive page: one ``folium.GeoJson`` per layer, full resolution, every property."""
    m = folium.Map(location=[48.25, 38.6], zoom_start=8)
    for name in names:
        gdf = layers.get(name)
        if gdf is not None and len(gdf):
            folium.GeoJson(gdf.to_json(), name=name).add_to(m)
    return m


def bench_payload(layers: dict, claims, sources=None) -> dict:
    """Bytes of our default view vs the naive map, and topology after simplification."""
    from geo.maps import DETAIL_ZOOM, build_map, display_layers, tolerance_deg, topology_errors_km2

    t0 = time.perf_counter()
    ours = payload_bytes(build_map(layers, claims, sources=sources, optional_layers=()))
    t_ours = time.perf_counter() - t0
    naive_all = payload_bytes(naive_map(layers, PAGE_LAYERS))
    naive_visible = payload_bytes(naive_map(layers, VISIBLE_LAYERS))
    full_res = payload_bytes(build_map(layers, claims, sources=sources, optional_layers=(), simplify=False))
    shown = display_layers(layers)
    ob0, ob1 = layers["boundaries"].geometry.values, shown["boundaries"].geometry.values
    ca0, ca1 = layers["contested"].geometry.values, shown["contested"].geometry.values
    ours_topo = topology_errors_km2(ob0, ob1, ca0, ca1)
    tol = tolerance_deg(DETAIL_ZOOM)
    naive_topo = topology_errors_km2(
        ob0,
        shapely.simplify(ob0, tol, preserve_topology=True),
        ca0,
        shapely.simplify(ca0, tol, preserve_topology=True),
    )
    areas_kept = bool(
        np.array_equal(layers["boundaries"]["area_km2"].to_numpy(), shown["boundaries"]["area_km2"].to_numpy())
        and np.array_equal(layers["contested"]["area_km2"].to_numpy(), shown["contested"]["area_km2"].to_numpy())
    )
    n_full = int(shapely.get_num_coordinates(ob0).sum() + shapely.get_num_coordinates(ca0).sum())
    n_shown = int(shapely.get_num_coordinates(ob1).sum() + shapely.get_num_coordinates(ca1).sum())
    return {
        "payload_bytes": ours,
        "naive_payload_bytes": naive_all,
        "naive_visible_bytes": naive_visible,
        "full_res_bytes": full_res,
        "payload_ratio": naive_all / ours,
        "payload_ratio_visible": naive_visible / ours,
        "topology_gap_km2": ours_topo["max_km2"],
        "naive_gap_km2": naive_topo["max_km2"],
        "vertices": n_shown,
        "naive_vertices": n_full,
        "areas_unchanged": areas_kept,
        "build_map_s": t_ours,
    }


# --- spatial join -------------------------------------------------------------
def synthetic_join_inputs(n_claims: int, n_polys: int, seed: int = 9) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``n_polys`` jittered grid cells over Donbas and ``n_claims`` claims, half points, half polygons."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = 36.5, 46.8, 40.3, 50.1
    nx = max(1, int(round(np.sqrt(n_polys * (x1 - x0) / (y1 - y0)))))
    ny = int(np.ceil(n_polys / nx))
    dx, dy = (x1 - x0) / nx, (y1 - y0) / ny
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny))
    cx = (x0 + (ii.ravel() + 0.5) * dx)[:n_polys]
    cy = (y0 + (jj.ravel() + 0.5) * dy)[:n_polys]
    angles = np.linspace(0, 2 * np.pi, 7)[:-1]
    polys = [
        shapely.Polygon(np.column_stack([x + 0.6 * dx * np.cos(angles), y + 0.6 * dy * np.sin(angles)]))
        for x, y in zip(cx, cy)
    ]
    n_pts = n_claims // 2
    px = rng.uniform(x0, x1, n_claims)
    py = rng.uniform(y0, y1, n_claims)
    geoms = list(shapely.points(px[:n_pts], py[:n_pts]))
    sizes = rng.uniform(0.005, 0.05, n_claims - n_pts)
    geoms += list(shapely.box(px[n_pts:], py[n_pts:], px[n_pts:] + sizes, py[n_pts:] + sizes))
    claims = gpd.GeoDataFrame({"claim_id": np.arange(n_claims)}, geometry=geoms, crs="EPSG:4326")
    areas = gpd.GeoDataFrame({"area_id": np.arange(n_polys)}, geometry=polys, crs="EPSG:4326")
    return claims, areas


def loop_join(claims: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> set[tuple[int, int]]:
    """The naive join: every claim against every polygon, one Python call each."""
    pairs = set()
    area_geoms = list(zip(areas["area_id"], areas.geometry))
    for cid, cg in zip(claims["claim_id"], claims.geometry):
        for aid, ag in area_geoms:
            if cg.intersects(ag):
                pairs.add((int(cid), int(aid)))
    return pairs


def bench_join(n_claims: int = 100_000, n_polys: int = 1_000, sample: int = 2_000) -> dict:
    """Vectorised ``sjoin`` on all claims vs a per-feature loop timed on a sample, extrapolated."""
    claims, areas = synthetic_join_inputs(n_claims, n_polys)
    t0 = time.perf_counter()
    joined = gpd.sjoin(claims, areas, how="inner", predicate="intersects")
    join_s = time.perf_counter() - t0
    sample = min(sample, n_claims)
    # Every k-th claim, so points and polygons are both in the sample.
    sub = claims.iloc[:: max(1, n_claims // sample)].iloc[:sample]
    t0 = time.perf_counter()
    loop_pairs = loop_join(sub, areas)
    loop_sample_s = time.perf_counter() - t0
    loop_s = loop_sample_s * n_claims / len(sub)
    in_sample = joined["claim_id"].isin(sub["claim_id"])
    vec_pairs = set(zip(joined["claim_id"][in_sample].astype(int), joined["area_id"][in_sample].astype(int)))
    return {
        "join_s": join_s,
        "loop_s_extrapolated": loop_s,
        "loop_sample": len(sub),
        "loop_sample_s": loop_sample_s,
        "join_ratio": loop_s / join_s,
        "join_pairs": int(len(joined)),
        "join_agrees": vec_pairs == loop_pairs,
        "n_claims": n_claims,
        "n_polys": n_polys,
    }


# --- the app: reruns and memory -----------------------------------------------
def _vmhwm_mb(pid: int | str = "self") -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+)\s+kB", text)
    return int(match.group(1)) / 1024 if match else float("nan")


def app_probe(warm_runs: int = 3) -> dict:
    """Run the map page with AppTest in this (fresh) process: first run, warm reruns, basemap change."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=180)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"map page raised: {[e.value for e in at.exception]}")
    warm = []
    for _ in range(max(1, warm_runs)):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    at.selectbox(key="map_basemap").set_value("osm").run()
    basemap_s = time.perf_counter() - t0
    return {"first_s": first, "warm_s": statistics.median(warm), "basemap_s": basemap_s, "peak_mb": _vmhwm_mb()}


def _isolated_env() -> dict:
    env = dict(os.environ)
    env["CONTESTED_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-data-")
    env.pop("CONTESTED_DB_URL", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def bench_app(warm_runs: int = 3, timeout: float = 150.0) -> dict:
    """:func:`app_probe` in a fresh subprocess (so no cache of this process helps it)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--app-probe", "--warm-runs", str(warm_runs)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_isolated_env(), cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"app probe failed: {done.stderr.strip().splitlines()[-1:]}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    probe["rerun_ratio"] = probe["first_s"] / probe["warm_s"]
    return probe


def server_peak_mb(timeout: float = 120.0) -> float:
    """VmHWM of ``streamlit run dashboard.py`` after Chromium loaded the map page and drew it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from tests.support.browser_util import CHROMIUM, CHROMIUM_ARGS, browser_missing_reason, free_port

    reason = browser_missing_reason()
    if reason:
        raise RuntimeError(reason)
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_isolated_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + timeout
        import urllib.request

        while True:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/")
            page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout * 1000)
            frame = page.frame_locator("iframe[title*='st_folium']")
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=timeout * 1000)
            page.wait_for_timeout(1000)
            browser.close()
        return _vmhwm_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def extractor_line() -> str | None:
    """The last line of ``bench/extract_scores.py`` (or None if it fails)."""
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "extract_scores.py")],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else None


# --- main ---------------------------------------------------------------------
def run(quick: bool = False, server: bool = True) -> dict:
    """Run every benchmark; print the table; return the key=value figures."""
    from geo.analysis.layers import build_layers
    from geo.reference.seed import load_seed_claims

    t_start = time.perf_counter()
    app = bench_app(warm_runs=1 if quick else 3)
    peak_source = "apptest"
    if server and not quick:
        try:
            app["peak_mb"] = server_peak_mb()
            peak_source = "server"
        except Exception as exc:  # no browser, no playwright, app failed: fall back
            print(f"(server memory measurement skipped: {type(exc).__name__}: {exc})")
    claims = load_seed_claims()
    layers = build_layers(claims)
    areas = bench_areas([layers["boundaries"], layers["contested"]])
    payload = bench_payload(layers, claims)
    join = bench_join(2_000, 100, 200) if quick else bench_join()
    rows = [
        (
            f"area rel. error, {areas['n_areas']} oblast+contested areas",
            f"{areas['area_rel_err']:.1e}",
            f"{areas['mercator_rel_err_median']:.2f} median, {areas['mercator_rel_err']:.2f} max (EPSG:3857)",
            "goal <= 1e-6",
        ),
        (
            "map payload, default view (bytes)",
            f"{payload['payload_bytes']:,}",
            f"{payload['naive_payload_bytes']:,}",
            f"{payload['payload_ratio']:.1f}x / goal >= 5",
        ),
        (
            "  same, naive with visible layers only",
            f"{payload['payload_bytes']:,}",
            f"{payload['naive_visible_bytes']:,}",
            f"{payload['payload_ratio_visible']:.1f}x",
        ),
        (
            "  vertices (oblasts+contested)",
            f"{payload['vertices']:,}",
            f"{payload['naive_vertices']:,}",
            f"{payload['naive_vertices'] / payload['vertices']:.1f}x",
        ),
        (
            "max gap/overlap after simplification (km2)",
            f"{payload['topology_gap_km2']:.4f}",
            f"{payload['naive_gap_km2']:.3f} (per polygon)",
            "goal <= 0.01",
        ),
        (
            "map page (s): warm rerun vs first run",
            f"{app['warm_s']:.3f}",
            f"{app['first_s']:.2f} (first run)",
            f"{app['rerun_ratio']:.1f}x / goal >= 10",
        ),
        ("  rerun after a basemap change (s)", f"{app['basemap_s']:.3f}", "", "one map for all basemaps"),
        (
            f"join {join['n_claims']:,} claims x {join['n_polys']:,} polygons (s)",
            f"{join['join_s']:.3f}",
            f"{join['loop_s_extrapolated']:.1f} (loop, {join['loop_sample']:,} timed)",
            f"{join['join_ratio']:.0f}x / goal >= 50, < 1 s",
        ),
        (f"peak memory of the app (MB, {peak_source})", f"{app['peak_mb']:.0f}", "", ""),
    ]
    print(table(rows))
    print(
        f"areas unchanged by simplification: {payload['areas_unchanged']}; "
        f"join results agree with the loop on the sample: {join['join_agrees']}; "
        f"loop time extrapolated linearly from {join['loop_sample']:,} claims"
    )
    extract = None if quick else extractor_line()
    if extract:
        print("extractor: " + extract)
    figures = {
        "area_rel_err": areas["area_rel_err"],
        "mercator_rel_err": areas["mercator_rel_err"],
        "mercator_rel_err_median": areas["mercator_rel_err_median"],
        "payload_ratio": payload["payload_ratio"],
        "payload_ratio_visible": payload["payload_ratio_visible"],
        "payload_bytes": payload["payload_bytes"],
        "topology_gap_km2": payload["topology_gap_km2"],
        "naive_gap_km2": payload["naive_gap_km2"],
        "rerun_ratio": app["rerun_ratio"],
        "warm_s": app["warm_s"],
        "basemap_s": app["basemap_s"],
        "join_ratio": join["join_ratio"],
        "join_s": join["join_s"],
        "peak_mb": app["peak_mb"],
        "peak_source": peak_source,
        "quick": int(quick),
        "bench_s": time.perf_counter() - t_start,
    }
    print(format_kv(figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs, no browser: a smoke run")
    parser.add_argument("--no-server", action="store_true", help="measure memory with AppTest only")
    parser.add_argument("--app-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm-runs", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.app_probe:
        print(json.dumps(app_probe(args.warm_runs)))
        return 0
    run(quick=args.quick, server=not args.no_server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
