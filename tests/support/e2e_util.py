"""Helpers of the end-to-end, XSS and accessibility browser tests.

An :class:`OfflinePage` opens a Playwright page on the app with every request
outside localhost aborted and recorded, and records page errors, dialogs
(``alert``/``confirm``/``prompt``) and console messages, so a test can assert
that nothing left the machine and that no injected script ran.

Browser tests wait for conditions, never for fixed times (the CI machine is
loaded and slow): :func:`wait_idle` waits for the Streamlit run to finish,
:func:`map_frames` for a given number of maps, :func:`watch_reruns` /
:func:`wait_rerun` for the rerun a component triggers, :func:`settle` for the
browser to paint; elsewhere use Playwright's ``expect(...)``, ``wait_for`` and
``page.wait_for_function``. Never call ``time.sleep`` while a page is open:
routed requests are served by Playwright's event loop, which only runs inside
Playwright calls.
"""

from __future__ import annotations

import re
import time
import weakref
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.support.browser_util import OUTSIDE_URL

# Marks a payload left when it runs: a global ``__xss_<n>``, an alert/confirm/
# prompt dialog, or a console message ``XSS<n>``.
XSS_GLOBAL_PREFIX = "__xss_"
XSS_CONSOLE_RE = re.compile(r"XSS\d+")
EXCEPTION_BOX = '[data-testid="stException"]'
NAV_LINKS = '[data-testid="stSidebarNavLink"]'
MAP_IFRAME = "iframe[title*='st_folium']"


def maps_per_page() -> dict[str, int]:
    """How many folium maps each page shows when opened without interaction (by page slug)."""
    from geo.maps.draw_assets import _sources

    return {"map": 1, "compare": 3 if _sources() else 2}  # compare: overlay, history (, drawing)


# Every link target in a document (HTML and SVG links), resolved against its base URL.
_HREFS_JS = """() => [...document.querySelectorAll('a, area')]
  .map(a => a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))
  .filter(h => h !== null)
  .map(h => { try { return new URL(h, document.baseURI).href } catch (e) { return 'invalid:' + h } })"""
# Runs in every frame before its scripts: records every link and image that is ever in the
# document, even one a rerun removes again (a first-run warning, say), in ``__contested_seen``.
_SEEN_INIT_JS = """(() => {
  const seen = [];
  Object.defineProperty(window, '__contested_seen', {value: seen});
  const look = n => {
    if (!n || n.nodeType !== 1) return;
    for (const e of [n, ...n.querySelectorAll('a[href], img')]) {
      if (e.tagName === 'A' && e.hasAttribute('href')) seen.push('link ' + e.href);
      else if (e.tagName === 'IMG') seen.push('image ' + (e.getAttribute('src') || ''));
    }
  };
  new MutationObserver(ms => ms.forEach(m => { m.addedNodes.forEach(look); look(m.target); }))
    .observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'src']});
})();"""


@dataclass
class OfflinePage:
    """A page with outside requests blocked and everything suspicious recorded."""

    context: object
    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> OfflinePage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def executed(self) -> list[str]:
        """Every sign that an injected payload ran, in any frame of the page."""
        signs = [f"dialog: {d}" for d in self.dialogs]
        signs += [f"console: {c}" for c in self.console if XSS_CONSOLE_RE.search(c)]
        for frame in self.page.frames:
            try:
                names = frame.evaluate(
                    "p => Object.getOwnPropertyNames(window).filter(k => k.startsWith(p))",
                    XSS_GLOBAL_PREFIX,
                )
            except Exception:  # noqa: BLE001 - a frame that went away while we looked
                continue
            signs += [f"global {n} in frame {frame.url[:80]}" for n in names]
        return signs

    def bad_links(self) -> list[str]:
        """``href`` of every link, in every frame, that is not http(s)."""
        bad = []
        for frame in self.page.frames:
            try:
                hrefs = frame.evaluate(_HREFS_JS)
            except Exception:  # noqa: BLE001
                continue
            bad += [h for h in hrefs if urlsplit(h).scheme not in ("http", "https")]
        return bad

    def seen_links_and_images(self) -> list[str]:
        """``link <href>`` / ``image <src>`` of every link and image any frame has shown since it loaded."""
        out = []
        for frame in self.page.frames:
            try:
                out += frame.evaluate("() => [...(window.__contested_seen || [])]")
            except Exception:  # noqa: BLE001 - a frame that went away while we looked
                continue
        return out


def open_offline(browser, url: str, *, viewport=(1400, 1000), goto: bool = True) -> OfflinePage:
    """Open ``url`` in a new context where every request outside localhost is aborted.

    With ``goto=False`` the page is ready but not yet sent to ``url`` (a timing can then start at
    ``op.page.goto(url)``, as a user's click does, instead of at the making of a browser context)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    op = OfflinePage(context=context, page=None)

    def route(r):  # only what OUTSIDE_URL matches comes here
        op.blocked.append(r.request.url)
        r.abort()

    context.route(OUTSIDE_URL, route)
    context.add_init_script(_SEEN_INIT_JS)
    page = context.new_page()
    op.page = page
    _track_websocket(page)
    page.on("pageerror", lambda e: op.errors.append(str(e)))

    def on_dialog(d):
        op.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: op.console.append(m.text))
    if goto:
        page.goto(url)
    return op


_IDLE_JS = """quiet => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  const busy = !app || state === 'initial' || state === 'running'
    || document.querySelector('[data-testid="stSpinner"]') !== null;
  const now = performance.now();
  if (busy) { window.__contested_idle_since = undefined; return false; }
  if (window.__contested_idle_since === undefined) window.__contested_idle_since = now;
  return now - window.__contested_idle_since >= quiet;
}"""


def wait_idle(page, timeout_ms: int = 120_000, quiet_ms: int = 600) -> None:
    """Wait until the Streamlit script run has finished and stayed finished for ``quiet_ms``.

    The condition (``data-test-script-state`` of the app not ``initial``/``running`` and no
    spinner) is checked in the page every 100 ms; it must hold for ``quiet_ms`` in a row,
    since a component may start another run right after the first one ends.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    # Every page has a title; an exception box stands in for it when the page failed.
    page.wait_for_selector(f'[data-testid="stMain"] h1, {EXCEPTION_BOX}', timeout=timeout_ms)
    try:
        page.wait_for_function(_IDLE_JS, arg=quiet_ms, polling=100, timeout=timeout_ms)
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError, with a clearer message
        raise AssertionError(f"the Streamlit script did not finish within {timeout_ms} ms") from exc


# Times (time.monotonic) of the frames each page sent to and received from the Streamlit server.
_WS_TIMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_WATCH_FROM: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _track_websocket(page) -> None:
    times = _WS_TIMES.setdefault(page, {"sent": [], "received": []})

    def on_ws(ws):
        ws.on("framesent", lambda _payload: times["sent"].append(time.monotonic()))
        ws.on("framereceived", lambda _payload: times["received"].append(time.monotonic()))

    page.on("websocket", on_ws)


def watch_reruns(page) -> None:
    """Start watching for a script run of the page (see :func:`wait_rerun`).

    Two signs count: the app's ``data-test-script-state`` turning ``running``
    (a MutationObserver), or a message sent to the server (a widget or
    component value: the rerun request) followed by one received from it.
    """
    _WATCH_FROM[page] = time.monotonic()
    page.evaluate(
        """() => {
          window.__contested_runs = 0;
          const app = document.querySelector('[data-testid="stApp"]');
          new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'running') window.__contested_runs++;
          }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }"""
    )


def wait_rerun(page, timeout_ms: int = 120_000) -> None:
    """Wait until a script run has started since :func:`watch_reruns`, then until the app is idle."""
    since = _WATCH_FROM.get(page, 0.0)
    times = _WS_TIMES.get(page, {"sent": [], "received": []})

    def started() -> bool:
        sent = [t for t in times["sent"] if t > since]
        if sent and any(t > sent[0] for t in times["received"]):
            return True
        return bool(page.evaluate("() => window.__contested_runs > 0"))

    poll_until(page, started, timeout_ms, what="a script run")
    wait_idle(page, timeout_ms=timeout_ms)


def poll_until(page, condition, timeout_ms: int = 60_000, what: str = "the condition"):
    """Call ``condition()`` every 100 ms until it returns something truthy; return that.

    For conditions only Python can check (dialogs and console messages the page
    reported); the ticks run Playwright's event loop, so those events arrive.
    """
    waited = 0
    while True:
        result = condition()
        if result:
            return result
        if waited >= timeout_ms:
            raise AssertionError(f"{what} did not happen within {timeout_ms} ms")
        page.wait_for_timeout(100)
        waited += 100


def select_first_grid_row(page, heading, attempts: int = 3, timeout_ms: int = 30_000) -> None:
    """Tick the first row of the main area's first data grid until ``heading`` (a locator) shows.

    The grid is a canvas: the row's tick box is clicked by position. Playwright's
    click waits until the grid is visible and stable, so a grid that a rerun is
    replacing is not clicked while it moves; a click that a rerun swallowed (the
    heading never came, the script is idle again) is made once more.
    """
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    for attempt in range(1, attempts + 1):
        grid.click(position={"x": 18, "y": 35 + 17}, timeout=timeout_ms)
        try:
            heading.first.wait_for(state="visible", timeout=timeout_ms)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: look again once the script is idle
            wait_idle(page)
            if heading.first.is_visible():
                return
            if attempt == attempts:
                raise


def settle(page) -> None:
    """Wait until the browser has laid out and painted the current DOM (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def warm_up(browser, url: str) -> None:
    """Load the app's root once, so the server runs ``dashboard.py`` (and ``st.navigation``).

    Streamlit 1.67 runs a ``pages/`` script directly, with the legacy page list,
    until some session has run ``st.navigation``; see
    ``pages._state.ensure_navigation`` and its test in ``test_browser_map``.
    """
    with open_offline(browser, url) as op:
        wait_idle(op.page)


def slug(title: str) -> str:
    """'Import / export' -> 'import-export' (for file names and ids)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "page"


def nav_pages(page, timeout_ms: int = 60_000) -> dict[str, str]:
    """``{slug of the title: absolute URL}`` of the pages in the sidebar navigation."""
    page.wait_for_selector(NAV_LINKS, timeout=timeout_ms)
    out = {}
    for a in page.locator(NAV_LINKS).all():
        title = a.inner_text().strip().splitlines()[-1]
        out[slug(title)] = a.evaluate("a => a.href")
    return out


def map_frames(page, timeout_ms: int = 120_000, min_count: int = 1) -> list:
    """Frame locators of every folium map on the page, once there are ``min_count`` maps
    and Leaflet is up in each.

    Locators, not frames: streamlit-folium may replace its iframe on a rerun,
    and a locator follows the new one.
    """
    page.locator(MAP_IFRAME).nth(min_count - 1).wait_for(state="attached", timeout=timeout_ms)
    out = []
    for i in range(page.locator(MAP_IFRAME).count()):
        fl = page.frame_locator(MAP_IFRAME).nth(i)
        fl.locator(".leaflet-container").wait_for(state="attached", timeout=timeout_ms)
        out.append(fl)
    return out


def map_frame_objects(page, timeout_ms: int = 120_000, min_count: int = 1) -> list:
    """The Playwright frames of the maps (for ``evaluate``), after :func:`map_frames`."""
    map_frames(page, timeout_ms, min_count)
    return [h.content_frame() for h in page.locator(MAP_IFRAME).element_handles()]


def full_screenshot(page, path, width: int = 1400, max_height: int = 9000) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the
    viewport is first made as tall as that block's content."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), document.documentElement.scrollHeight)"
    )
    page.set_viewport_size({"width": width, "height": int(min(max(height, 800), max_height))})
    settle(page)
    page.screenshot(path=str(path), full_page=True)
