"""N concurrent browser sessions on one app server: page times and the server's memory.

Starts ``streamlit run dashboard.py`` on a free port with a private, empty data
directory (``tests/support/browser_util.running_app``, as
``bench/browser_timing.py`` does), optionally opens one session first to warm the
server (``warmup_s``), then opens ``--sessions`` N fresh browser contexts of one
headless Chromium (Debian's, driven by Playwright) at once, each on the Map page.
For each session it measures, from the moment its tab is sent to the app, the
time until the map's shapes are drawn (the condition of ``browser_timing``:
at least ``MIN_SHAPES`` Leaflet paths in the map's iframe; ``map_*``) and until
the page's script run is over (its tables too; ``map_page_done_*``), then, with
``--pages``, the time until each further page (URL paths such as ``claims``) has
finished its script run. Every request outside localhost is blocked in the
browser (``OUTSIDE_URL``).

The whole run is bounded by ``--timeout`` seconds: a session not done by then
counts in ``failed``. While the sessions run, the server's process tree is
sampled every ``--sample`` seconds (``/proc``): ``server_peak_rss_mb`` is the
largest sum of the resident sets seen, ``server_cpu_s`` the CPU seconds the server
spent during the N sessions (less sensitive than wall times to the machine's
other load: the work the server did for them).

Prints a table and, last, ``key=value`` pairs; ``--json`` prints one JSON object
instead. No test asserts any timing (``tests/checks/test_sessions_load.py`` runs
it with N=2).

``--claims K`` first adds K synthetic figure claims (``bench/scale_bench.py``'s) to the
registry, to see how the sessions' cost grows with it. ``--app`` serves another checkout's
``dashboard.py`` (its own ``pages/`` and ``geo/``), to compare two versions under the same load.

Run: ``python bench/sessions_load.py [--sessions 20] [--pages claims,compare] [--claims 1000] [--timeout 600] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from browser_timing import MAP_IFRAME, MIN_SHAPES, POLL_MS, SHAPES, format_kv  # noqa: E402

#: The figures every run reports (the smoke test checks them).
REQUIRED_KEYS = (
    "sessions",
    "ok",
    "failed",
    "warmup_s",
    "map_median_s",
    "map_p95_s",
    "map_max_s",
    "map_min_s",
    "map_page_done_median_s",
    "map_page_done_p95_s",
    "server_peak_rss_mb",
    "server_rss_before_mb",
    "server_cpu_s",
    "wall_s",
    "timeout_s",
)
PAGE_SIZE = 4096 if not hasattr(os, "sysconf") else os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# --- the server's process tree, read from /proc (Linux) ---------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo += _children(p)
    return seen


def rss_bytes(pids) -> int:
    """Sum of the resident set sizes of ``pids`` (those gone are skipped)."""
    total = 0
    for p in pids:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


def cpu_seconds(pids) -> float:
    """User plus system CPU seconds spent so far by ``pids`` (those gone are skipped)."""
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
        except (OSError, IndexError, ValueError):
            continue
    return total / CLOCK_TICKS


def server_pid(port: int) -> int:
    """The pid of this process's child that runs the app on ``port`` (``running_app`` starts it)."""
    for p in process_tree(os.getpid())[1:]:
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
            return p
    raise RuntimeError(f"no streamlit process of this bench serves port {port}")


class RssSampler:
    """Samples the resident memory of a process tree in a thread until stopped; keeps the peak."""

    def __init__(self, pid: int, every_s: float = 0.2):
        self.pid, self.every_s = pid, every_s
        self.peak = self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(process_tree(self.pid)))
            self.samples += 1
            self._stop.wait(self.every_s)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- the sessions -------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank (the max for small samples and high ``q``)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n q), at least 1
    return ordered[int(rank) - 1]


#: In the page: the map's iframe has at least ``MIN_SHAPES`` Leaflet shapes (the iframe is the app's own origin).
MAP_DRAWN_JS = f"""() => {{
  const f = document.querySelector("{MAP_IFRAME}");
  const d = f && f.contentDocument;
  return !!d && d.querySelectorAll("{SHAPES}").length >= {MIN_SHAPES};
}}"""
#: In the page: the script run is over (what ``browser_timing`` waits for before a change).
SCRIPT_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  return !!state && state !== 'initial' && state !== 'running'
    && document.querySelector('[data-testid="stSpinner"]') === null;
}"""


async def _wait(page, condition_js: str, deadline: float, what: str, poll_ms: int) -> float:
    """Wait until ``condition_js`` holds, polled inside the browser (no round trip per poll: with many
    sessions, polling from here would load the machine that is measured); the time it was seen."""
    left = deadline - time.perf_counter()
    if left <= 0:
        raise TimeoutError(f"{what}: not within the run's time")
    try:
        await page.wait_for_function(condition_js, polling=poll_ms, timeout=min(left, 3600) * 1000)
    except Exception as exc:  # noqa: BLE001 - Playwright's timeout, or the page went away
        raise TimeoutError(f"{what}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return time.perf_counter()


async def _session(
    browser, url: str, pages: list[str], deadline: float, start: asyncio.Event, ready=None, poll_ms: int = POLL_MS
) -> dict:
    """One fresh browser context: the Map page, then ``pages``; its times (or the error that stopped it)."""
    from tests.support.browser_util import OUTSIDE_URL

    out: dict = {"pages": {}}
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        await context.route(OUTSIDE_URL, lambda r: r.abort())
        page = await context.new_page()
        if ready is not None:
            ready.release()
        await start.wait()  # every session's tab is sent at once
        t0 = time.perf_counter()
        await page.goto(url + "/", wait_until="commit")
        out["map_s"] = await _wait(page, MAP_DRAWN_JS, deadline, "map", poll_ms) - t0
        # A user stays on the page: its run goes on below the map (tables), until the script is idle.
        out["map_page_done_s"] = await _wait(page, SCRIPT_IDLE_JS, deadline, "map page run", poll_ms) - t0
        for name in pages:
            t0 = time.perf_counter()
            await page.goto(f"{url}/{name}", wait_until="commit")
            await page.wait_for_selector(
                '[data-testid="stApp"]', timeout=min(max(1, deadline - time.perf_counter()), 600) * 1000
            )
            out["pages"][name] = await _wait(page, SCRIPT_IDLE_JS, deadline, name, poll_ms) - t0
    except Exception as exc:  # noqa: BLE001 - counted, reported in one line
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        await context.close()
    return out


async def _run_sessions(url: str, n: int, pages: list[str], timeout_s: float, warmup: bool) -> tuple[float, list]:
    from playwright.async_api import async_playwright

    from tests.support.browser_util import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm_s = float("nan")
            if warmup:
                go = asyncio.Event()
                go.set()
                first = await _session(browser, url, [], time.perf_counter() + timeout_s, go)
                if "error" in first:
                    raise RuntimeError(f"warm-up session: {first['error']}")
                warm_s = first["map_s"]
            if n == 0:
                return warm_s, []
            go, ready = asyncio.Event(), asyncio.Semaphore(0)
            tasks = [asyncio.create_task(_session(browser, url, pages, float("inf"), go, ready)) for _ in range(n)]
            return warm_s, await _start_and_collect(tasks, go, ready, timeout_s)
        finally:
            await browser.close()


async def _start_and_collect(tasks, go: asyncio.Event, ready: asyncio.Semaphore, timeout_s: float) -> list:
    """Send every session's tab at once, when all their contexts are made (or a session failed first)."""

    async def all_ready():
        for _ in tasks:
            await ready.acquire()

    waiter = asyncio.create_task(all_ready())
    await asyncio.wait([waiter, *tasks], timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    go.set()
    done, pending = await asyncio.wait(tasks, timeout=timeout_s)
    for t in pending:
        t.cancel()
    results = []
    for t in tasks:
        if t in done:
            results.append(t.result())
        else:
            results.append({"pages": {}, "error": f"TimeoutError: not within {timeout_s:.0f} s"})
    await asyncio.gather(*pending, return_exceptions=True)
    return results


def summarise(results: list[dict], pages: list[str]) -> dict:
    """The figures of a run from each session's times."""
    ok = [r for r in results if "error" not in r]
    maps = [r["map_s"] for r in results if "map_s" in r]
    out: dict = {"sessions": len(results), "ok": len(ok), "failed": len(results) - len(ok)}
    nan = float("nan")
    out["map_median_s"] = statistics.median(maps) if maps else nan
    out["map_p95_s"] = percentile(maps, 0.95) if maps else nan
    out["map_max_s"] = max(maps) if maps else nan
    out["map_min_s"] = min(maps) if maps else nan
    done = [r["map_page_done_s"] for r in results if "map_page_done_s" in r]
    out["map_page_done_median_s"] = statistics.median(done) if done else nan
    out["map_page_done_p95_s"] = percentile(done, 0.95) if done else nan
    for name in pages:
        times = [r["pages"][name] for r in results if name in r["pages"]]
        key = name.replace("-", "_")
        out[f"{key}_median_s"] = statistics.median(times) if times else nan
        out[f"{key}_p95_s"] = percentile(times, 0.95) if times else nan
    errors = sorted({r["error"] for r in results if "error" in r})
    if errors:
        out["first_error"] = errors[0]
    return out


def seed_registry(data_dir: str, n_claims: int) -> None:
    """Add ``n_claims`` synthetic figure claims (``bench/scale_bench.py``'s) to the registry in ``data_dir``."""
    from scale_bench import synthetic_claims, synthetic_sources, write_csv

    from geo.claims.store import open_store
    from geo.claims.store.locate import STORE_FILENAME
    from geo.commands.claims_cmd import read_records
    from geo.reference.lines import reference_lines

    store = open_store(Path(data_dir) / STORE_FILENAME)  # the shipped claims, then the synthetic ones
    try:
        store.add_sources(synthetic_sources(), user="bench")
        csv_path = Path(data_dir) / "bench_claims.csv"
        write_csv(csv_path, synthetic_claims(n_claims, list(reference_lines()["line_id"])))
        store.add_claims(read_records(str(csv_path)), user="bench")
        csv_path.unlink()
    finally:
        store.close()


def run(
    sessions: int = 20,
    pages=(),
    timeout_s: float = 600.0,
    warmup: bool = True,
    sample_s: float = 0.2,
    claims: int = 0,
    app: str | None = None,
) -> dict:
    """Start the app, run the sessions, stop it; the figures as a dict."""
    from tests.support.browser_util import browser_missing_reason, running_app

    reason = browser_missing_reason()
    if reason:
        raise RuntimeError(reason)
    if sessions < 1:
        raise ValueError("--sessions must be at least 1")
    pages = [p.strip("/") for p in pages if p.strip("/")]
    t_start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="bench-sessions-") as data_dir,
        contextlib.ExitStack() as stack,
    ):
        if claims:
            seed_registry(data_dir, claims)
        url = stack.enter_context(running_app(env={"CONTESTED_DATA_DIR": data_dir}, script=Path(app) if app else None))
        pid = server_pid(int(url.rsplit(":", 1)[1]))
        rss_before = rss_bytes(process_tree(pid))
        # The warm-up session runs outside the sampled part: the figures are the N sessions'.
        warm_s = asyncio.run(_run_sessions(url, 0, [], timeout_s, warmup))[0] if warmup else float("nan")
        cpu0 = cpu_seconds(process_tree(pid))
        with RssSampler(pid, sample_s) as sampler:
            t0 = time.perf_counter()
            _warm, results = asyncio.run(_run_sessions(url, sessions, pages, timeout_s, False))
            wall = time.perf_counter() - t0
        cpu = cpu_seconds(process_tree(pid)) - cpu0
    out = summarise(results, pages)
    out.update(
        warmup_s=warm_s,
        server_peak_rss_mb=max(sampler.peak, rss_before) / 2**20,
        server_rss_before_mb=rss_before / 2**20,
        server_cpu_s=cpu,
        rss_samples=sampler.samples,
        wall_s=wall,
        timeout_s=float(timeout_s),
        bench_s=time.perf_counter() - t_start,
        extra_claims=claims,
        app=str(app or ROOT / "dashboard.py"),
    )
    out["per_session_map_s"] = [r.get("map_s") for r in results]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", "-n", type=int, default=20, help="concurrent browser sessions (default 20)")
    ap.add_argument("--pages", default="", help="further pages each session opens after the map, e.g. claims,compare")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds the N sessions may take in all")
    ap.add_argument("--no-warmup", action="store_true", help="no warm-up session first: the N meet a cold server")
    ap.add_argument("--sample", type=float, default=0.2, help="seconds between samples of the server's memory")
    ap.add_argument("--claims", type=int, default=0, help="synthetic figure claims added to the registry first")
    ap.add_argument("--app", help="the app to serve (default this checkout's dashboard.py; another's, to compare)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    try:
        out = run(
            args.sessions, args.pages.split(","), args.timeout, not args.no_warmup, args.sample, args.claims, args.app
        )
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"sessions load failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({k: None if isinstance(v, float) and v != v else v for k, v in out.items()}))
        return 0
    rows = [
        ("sessions (ok / failed)", f"{out['ok']} / {out['failed']}"),
        ("warm-up session, map drawn (s)", f"{out['warmup_s']:.2f}"),
        ("map drawn, median (s)", f"{out['map_median_s']:.2f}"),
        ("map drawn, p95 (s)", f"{out['map_p95_s']:.2f}"),
        ("map drawn, max (s)", f"{out['map_max_s']:.2f}"),
        ("map page run over, median (s)", f"{out['map_page_done_median_s']:.2f}"),
        ("map page run over, p95 (s)", f"{out['map_page_done_p95_s']:.2f}"),
        ("server peak RSS (MB)", f"{out['server_peak_rss_mb']:.0f}"),
        ("server CPU during the sessions (s)", f"{out['server_cpu_s']:.1f}"),
        ("wall time of the sessions (s)", f"{out['wall_s']:.1f}"),
    ]
    print(f"{'measure':<40}  value")
    print(f"{'-' * 40}  -----")
    for name, value in rows:
        print(f"{name:<40}  {value}")
    print(format_kv({k: v for k, v in out.items() if not isinstance(v, list)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
