"""Helpers of the end-to-end, XSS and accessibility browser tests.

An :class:`OfflinePage` opens a Playwright page on the app with every request
outside localhost aborted and recorded, and records page errors, dialogs
(``alert``/``confirm``/``prompt``) and console messages, so a test can assert
that nothing left the machine and that no injected script ran.

With Playwright's sync API never call ``time.sleep`` while a page is open:
routed requests are served by the event loop, which only runs inside
Playwright calls; use ``page.wait_for_timeout`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from browser_util import is_local

# Marks a payload left when it runs: a global ``__xss_<n>``, an alert/confirm/
# prompt dialog, or a console message ``XSS<n>``.
XSS_GLOBAL_PREFIX = "__xss_"
XSS_CONSOLE_RE = re.compile(r"XSS\d+")
EXCEPTION_BOX = '[data-testid="stException"]'
NAV_LINKS = '[data-testid="stSidebarNavLink"]'
MAP_IFRAME = "iframe[title*='st_folium']"
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


def open_offline(browser, url: str, *, viewport=(1400, 1000)) -> OfflinePage:
    """Open ``url`` in a new context where every request outside localhost is aborted."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    op = OfflinePage(context=context, page=None)

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            op.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(_SEEN_INIT_JS)
    page = context.new_page()
    op.page = page
    page.on("pageerror", lambda e: op.errors.append(str(e)))

    def on_dialog(d):
        op.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: op.console.append(m.text))
    page.goto(url)
    return op


def wait_idle(page, timeout_ms: int = 90_000, quiet_ms: int = 600) -> None:
    """Wait until the Streamlit script run has finished (``data-test-script-state`` of the app)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    # Every page has a title; an exception box stands in for it when the page failed.
    page.wait_for_selector(f'[data-testid="stMain"] h1, {EXCEPTION_BOX}', timeout=timeout_ms)
    waited, quiet = 0, 0
    while waited < timeout_ms:
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        busy = state in ("initial", "running") or page.locator('[data-testid="stSpinner"]').count()
        quiet = 0 if busy else quiet + 200
        if quiet >= quiet_ms:
            return
        page.wait_for_timeout(200)
        waited += 200
    raise AssertionError(f"the Streamlit script did not finish within {timeout_ms} ms")


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


def map_frames(page, timeout_ms: int = 60_000) -> list:
    """Frame locators of every folium map on the page, once Leaflet is up in each.

    Locators, not frames: streamlit-folium may replace its iframe on a rerun,
    and a locator follows the new one.
    """
    page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    out = []
    for i in range(page.locator(MAP_IFRAME).count()):
        fl = page.frame_locator(MAP_IFRAME).nth(i)
        fl.locator(".leaflet-container").wait_for(state="attached", timeout=timeout_ms)
        out.append(fl)
    return out


def map_frame_objects(page, timeout_ms: int = 60_000) -> list:
    """The Playwright frames of the maps (for ``evaluate``), after :func:`map_frames`."""
    map_frames(page, timeout_ms)
    return [h.content_frame() for h in page.locator(MAP_IFRAME).element_handles()]


def full_screenshot(page, path, width: int = 1400, max_height: int = 9000) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the
    viewport is first made as tall as that block's content."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), document.documentElement.scrollHeight)"
    )
    page.set_viewport_size({"width": width, "height": int(min(max(height, 800), max_height))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
