"""Theatre switch in the sidebar, timed in a real browser (Debian's Chromium driven by Playwright).

Starts ``streamlit run dashboard.py`` on a free port with an empty data directory, opens the
Map page (the default theatre), then switches the sidebar's theatre to Korea and back,
``--switches`` times, and measures from the click on the option until the new map is drawn:

- ``to_korea_cold_s`` / ``to_default_cold_s``: the first switch each way (caches empty);
- ``to_korea_warm_s`` / ``to_default_warm_s``: the median of the later ones (paired: each
  round trip measures both directions on the same page);
- ``warm_max_s``: the slower of the two warm medians (goal: under 1 s).

Prints ``key=value`` pairs. No test asserts a timing.

Run: ``python bench/theatre_switch.py [--switches N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from browser_timing import MIN_SHAPES, format_kv, wait_until  # noqa: E402

MAP_IFRAME = "iframe[title*='st_folium']"
KOREA = "Korea 1953 (armistice line)"
DEFAULT = "Donbas 2014-15"


def _paths(page, selector: str = "path.leaflet-interactive") -> int:
    try:
        return page.frame_locator(MAP_IFRAME).locator(selector).count()
    except Exception:  # noqa: BLE001 - no map, or two while one replaces the other
        return 0


def korea_drawn(page) -> bool:
    """The Korean map is drawn: its heading, its one agreed line, few shapes."""
    return (
        page.get_by_role("heading", name=KOREA).count() == 1
        and _paths(page, "path.leaflet-interactive[stroke-width='7']") == 1
        and 0 < _paths(page) < 10
    )


def default_drawn(page) -> bool:
    """The default theatre's map is drawn (regions, contested areas, lines)."""
    return page.get_by_role("heading", name=KOREA).count() == 0 and _paths(page) >= MIN_SHAPES


def switch(page, name: str, drawn, timeout_s: float) -> float:
    """Choose theatre ``name`` in the sidebar; seconds from the click until ``drawn(page)``."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Theatre").first
    box.click()
    option = page.get_by_role("option", name=name)
    option.wait_for(timeout=timeout_s * 1000)
    t0 = time.perf_counter()
    option.click()
    return wait_until(page, lambda: drawn(page), timeout_s, f"map of {name}") - t0


def run(switches: int = 4, timeout_s: float = 120.0) -> dict:
    """Start the app, measure, stop it; the figures as a dict."""
    from tests.support.browser_util import chromium_browser, running_app
    from tests.support.e2e_util import open_offline, wait_idle

    to_korea, to_default = [], []
    with (
        tempfile.TemporaryDirectory(prefix="bench-theatre-") as data_dir,
        chromium_browser() as browser,
        running_app(env={"CONTESTED_DATA_DIR": data_dir}) as url,
        open_offline(browser, url + "/") as op,
    ):
        page = op.page
        wait_until(page, lambda: default_drawn(page), timeout_s, "first map")
        for _ in range(switches):
            wait_idle(page)
            to_korea.append(switch(page, KOREA, korea_drawn, timeout_s))
            wait_idle(page)
            to_default.append(switch(page, DEFAULT, default_drawn, timeout_s))
    out = {
        "to_korea_cold_s": to_korea[0],
        "to_default_cold_s": to_default[0],
        "to_korea_warm_s": statistics.median(to_korea[1:]) if len(to_korea) > 1 else float("nan"),
        "to_default_warm_s": statistics.median(to_default[1:]) if len(to_default) > 1 else float("nan"),
    }
    out["warm_max_s"] = max(out["to_korea_warm_s"], out["to_default_warm_s"])
    out["goal_warm_s"] = 1.0
    out["switches"] = switches
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switches", type=int, default=4, help="round trips (the first is the cold one)")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    try:
        out = run(max(2, args.switches), args.timeout)
    except (RuntimeError, TimeoutError) as exc:
        print(f"theatre_switch: {exc}", file=sys.stderr)
        return 1
    print(format_kv(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
