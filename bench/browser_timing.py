"""Map page timings in a real browser (Debian's Chromium driven by Playwright).

Starts ``streamlit run dashboard.py`` on a free port with an empty data
directory, then measures, from the moment the browser is asked to act (a tab
sent to the app's URL, as when a user presses Enter; making the fresh browser
profile the bench opens each session in comes before, reported apart as
``new_context_s``). Every request outside localhost is blocked by a pattern the
browser matches itself (``tests/support/browser_util.OUTSIDE_URL``), so the app's
own requests are not detoured through this process:

- ``first_cold_s``: opening ``/`` on the fresh server until the map's shapes are
  drawn (SVG paths of Leaflet in the map's iframe);
- ``first_warm_s``: the same in a new browser session on the now warm server
  (median of ``--warm-runs``);
- ``sidebar_ready_warm_s``: in those sessions, until the sidebar's widgets are
  there to use (a session's first map is sent ahead of them, see ``pages/_sidebar.py``);
- ``first_tables_warm_s``: in those sessions, until the first table below the map
  is shown (a session's first map is sent ahead of its tables, see
  ``pages/_state.py`` ``map_head_start``);
- ``change_also_s``: ticking "Settlements" in the sidebar's "Also draw" until the
  map shows the settlement markers;
- ``change_lines_s``: removing the last line from "Contested areas against" until
  its contested areas are gone from the map;
- ``change_basemap_s``: choosing another basemap until the map's tiles are the
  new basemap's (outside requests are blocked: nothing leaves the machine);
- ``change_max_s``: the slowest of the sidebar changes (median of each).

``--registry FILE`` starts the app on a copy of that claims store (an embedded
``claims.sqlite``, e.g. the one ``bench/scale_bench.py --claims 100000 --keep DIR``
filled with 100,000 figure claims) instead of the shipped claims, to time the map page with a large
registry; ``n_claims`` then says how many it holds.

Prints a table and, last, ``key=value`` pairs. ``--quick`` measures each once.
No test asserts any timing; ``tests/test_bench.py`` runs ``--quick`` to prove
the script works.

Run: ``python bench/browser_timing.py [--quick] [--warm-runs N] [--changes N] [--registry FILE]``.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

MAP_IFRAME = "iframe[title*='st_folium']"
SHAPES = "path.leaflet-interactive"
TABLE = '[data-testid="stMain"] [data-testid="stDataFrame"]'
#: The last of the sidebar's widgets on the Map page (the shared ones come before it).
SIDEBAR_READY = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]:has-text("Also draw")'
#: At least this many shapes mean the map is drawn: 27 oblasts, contested areas, 3 lines.
MIN_SHAPES = 27 + 2 + 3
POLL_MS = 20


def format_kv(values: dict) -> str:
    """``k=v`` pairs separated by spaces (floats with 4 significant digits)."""
    return " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items())


def _shape_count(page) -> int:
    """Leaflet shapes in the map iframe now (0 while there is no map)."""
    try:
        return page.frame_locator(MAP_IFRAME).locator(SHAPES).count()
    except Exception:  # noqa: BLE001 - the iframe is being replaced
        return 0


def _tile_srcs(page) -> list[str]:
    try:
        return page.frame_locator(MAP_IFRAME).locator("img.leaflet-tile").evaluate_all("els => els.map(e => e.src)")
    except Exception:  # noqa: BLE001
        return []


def wait_until(page, condition, timeout_s: float, what: str) -> float:
    """Poll ``condition()`` every ~20 ms (inside Playwright, so routes keep being served)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        if condition():
            return time.perf_counter()
        page.wait_for_timeout(POLL_MS)
    raise TimeoutError(f"{what}: not within {timeout_s:.0f} s")


def _script_idle(page) -> bool:
    app = page.locator('[data-testid="stApp"]')
    if not app.count():  # not drawn yet (a cold server with a large registry): not idle, and no 30 s wait
        return False
    state = app.first.get_attribute("data-test-script-state")
    return state not in ("initial", "running") and not page.locator('[data-testid="stSpinner"]').count()


def open_and_time(browser, url: str, timeout_s: float, timings: dict | None = None):
    """(seconds until the map's shapes are drawn, seconds until the first table is shown, the open page,
    seconds the browser took to make the new context and tab before that). ``timings``, if given, gets
    ``sidebar_ready_s``: seconds until the sidebar's widgets are there.

    The clock starts when the tab is sent to the app (``page.goto``), as when a user presses Enter; the
    making of a fresh browser context (a new profile: nothing cached) comes before and is returned apart.
    """
    from tests.support.e2e_util import open_offline

    t_context = time.perf_counter()
    op = open_offline(browser, url + "/", goto=False)
    t0 = time.perf_counter()
    op.page.goto(url + "/", wait_until="commit")
    t1 = wait_until(op.page, lambda: _shape_count(op.page) >= MIN_SHAPES, timeout_s, "first map")
    if timings is not None:
        ready = wait_until(op.page, lambda: op.page.locator(SIDEBAR_READY).count() > 0, timeout_s, "sidebar")
        timings["sidebar_ready_s"] = ready - t0
    t2 = wait_until(op.page, lambda: op.page.locator(TABLE).count() > 0, timeout_s, "first table")
    return t1 - t0, t2 - t0, op, t0 - t_context


def settle(page, timeout_s: float) -> int:
    """Wait until the script run is over and the shape count is stable; return it."""
    wait_until(page, lambda: _script_idle(page), timeout_s, "script idle")
    last, same_since = -1, time.perf_counter()
    while time.perf_counter() - same_since < 0.8:
        n = _shape_count(page)
        if n != last:
            last, same_since = n, time.perf_counter()
        page.wait_for_timeout(100)
    return last


def _sidebar_widget(page, label: str):
    return (
        page.locator(
            '[data-testid="stSidebar"] [data-testid="stMultiSelect"], [data-testid="stSidebar"] '
            '[data-testid="stSelectbox"]'
        )
        .filter(has_text=label)
        .first
    )


def change_also(page, timeout_s: float) -> float:
    """Tick, then untick, "Settlements" in "Also draw"; seconds until the map shows it."""
    before = settle(page, timeout_s)
    box = _sidebar_widget(page, "Also draw")
    box.locator("input").click()
    option = page.get_by_role("option", name="Settlements")
    option.wait_for(timeout=timeout_s * 1000)
    t0 = time.perf_counter()
    option.click()
    t1 = wait_until(page, lambda: _shape_count(page) > before + 50, timeout_s, "settlements drawn")
    page.keyboard.press("Escape")
    settle(page, timeout_s)
    box.locator("input").click()
    page.keyboard.press("Backspace")  # back to the default view
    page.keyboard.press("Escape")
    wait_until(page, lambda: _shape_count(page) == before, timeout_s, "settlements removed")
    return t1 - t0


def change_lines(page, timeout_s: float) -> float:
    """Remove the last line from "Contested areas against" (then put it back); seconds until redrawn."""
    before = settle(page, timeout_s)
    box = _sidebar_widget(page, "Contested areas against")
    box.locator("input").click()
    t0 = time.perf_counter()
    page.keyboard.press("Backspace")
    t1 = wait_until(page, lambda: 0 < _shape_count(page) < before, timeout_s, "line's areas removed")
    page.keyboard.press("Escape")
    settle(page, timeout_s)
    box.locator("input").click()
    option = page.get_by_role("option").first
    option.wait_for(timeout=timeout_s * 1000)
    option.click()
    page.keyboard.press("Escape")
    wait_until(page, lambda: _shape_count(page) == before, timeout_s, "line's areas back")
    return t1 - t0


def change_basemap(page, timeout_s: float, name: str) -> float:
    """Choose basemap ``name`` in the sidebar; seconds until the map's tiles come from it."""
    settle(page, timeout_s)
    box = _sidebar_widget(page, "Basemap")
    box.click()
    option = page.get_by_role("option", name=name)
    option.wait_for(timeout=timeout_s * 1000)
    want = {"OpenStreetMap": "openstreetmap", "CARTO Positron": "cartocdn", "Blank (offline)": "data:image"}[name]
    t0 = time.perf_counter()
    option.click()
    t1 = wait_until(
        page,
        lambda: any(want in s for s in _tile_srcs(page)) and _shape_count(page) >= MIN_SHAPES,
        timeout_s,
        f"basemap {name}",
    )
    return t1 - t0


def run(
    quick: bool = False,
    warm_runs: int = 3,
    changes: int = 3,
    timeout_s: float = 120.0,
    registry: Path | None = None,
) -> dict:
    """Start the app (on a copy of ``registry``, if given), measure, stop it; the figures as a dict."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser_util import CHROMIUM, CHROMIUM_ARGS, browser_missing_reason, running_app

    reason = browser_missing_reason()
    if reason:
        raise RuntimeError(reason)
    if quick:
        warm_runs, changes = 1, 1
    out: dict = {}
    t_start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="bench-browser-") as data_dir,
        with_registry(registry, Path(data_dir), out),
        running_app(env={"CONTESTED_DATA_DIR": data_dir}) as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold, _tables, op, _ctx = open_and_time(browser, url, timeout_s)
            op.close()
            out["first_cold_s"] = cold
            warm, tables, contexts, ready = [], [], [], []
            for _ in range(warm_runs):
                timings: dict = {}
                s, t, op, c = open_and_time(browser, url, timeout_s, timings)
                ready.append(timings["sidebar_ready_s"])
                warm.append(s)
                tables.append(t)
                contexts.append(c)
                op.close()
            out["first_warm_s"] = statistics.median(warm)
            out["first_warm_max_s"] = max(warm)
            out["sidebar_ready_warm_s"] = statistics.median(ready)
            out["first_tables_warm_s"] = statistics.median(tables)
            out["new_context_s"] = statistics.median(contexts)
            _map, _tables, op, _ctx = open_and_time(browser, url, timeout_s)
            try:
                page = op.page
                also = [change_also(page, timeout_s) for _ in range(changes)]
                lines = [change_lines(page, timeout_s) for _ in range(changes)]
                basemap = []
                for _ in range(changes):
                    basemap.append(change_basemap(page, timeout_s, "CARTO Positron"))
                    basemap.append(change_basemap(page, timeout_s, "Blank (offline)"))
            finally:
                op.close()
        finally:
            browser.close()
    out["change_also_s"] = statistics.median(also)
    out["change_lines_s"] = statistics.median(lines)
    out["change_basemap_s"] = statistics.median(basemap)
    out["change_max_s"] = max(out["change_also_s"], out["change_lines_s"], out["change_basemap_s"])
    out["cold_over_warm"] = out["first_cold_s"] / out["first_warm_s"]
    out["warm_first_over_change"] = out["first_warm_s"] / out["change_max_s"]
    out["goal_first_warm_s"] = 2.5
    out["goal_change_s"] = 0.5
    out["quick"] = int(quick)
    out["bench_s"] = time.perf_counter() - t_start
    return out


@contextlib.contextmanager
def with_registry(registry: Path | None, data_dir: Path, out: dict):
    """Copy ``registry`` (an embedded claims store) into ``data_dir`` as its ``claims.sqlite``; count its claims."""
    if registry is not None:
        target = data_dir / "claims.sqlite"
        with sqlite3.connect(registry) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # a consistent copy, its -wal file included
            (out["n_claims"],) = dst.execute("SELECT COUNT(*) FROM claims WHERE deleted = 0").fetchone()
    yield


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="measure each figure once")
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--changes", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--registry", type=Path, help="an embedded claims store to start the app on (a copy of it)")
    args = ap.parse_args(argv)
    if args.registry is not None and not args.registry.is_file():
        print(f"browser timing: no claims store at {args.registry}", file=sys.stderr)
        return 2
    try:
        out = run(args.quick, args.warm_runs, args.changes, args.timeout, args.registry)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"browser timing failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    rows = [
        ("first map, cold server (s)", out["first_cold_s"], ""),
        ("first map, warm server (s)", out["first_warm_s"], "goal < 2.5"),
        ("first map, warm server, slowest (s)", out["first_warm_max_s"], ""),
        ("new browser profile, before that (s)", out["new_context_s"], "not the app's"),
        ("sidebar widgets there, warm server (s)", out["sidebar_ready_warm_s"], ""),
        ("first table, warm server (s)", out["first_tables_warm_s"], ""),
        ("sidebar: also draw settlements (s)", out["change_also_s"], "goal < 0.5"),
        ("sidebar: remove a line (s)", out["change_lines_s"], "goal < 0.5"),
        ("sidebar: change basemap (s)", out["change_basemap_s"], "goal < 0.5"),
    ]
    print(f"{'measure':<40}  {'s':>7}  goal")
    print(f"{'-' * 40}  {'-' * 7}  ----------")
    for name, value, goal in rows:
        print(f"{name:<40}  {value:7.3f}  {goal}")
    print(format_kv(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
