"""Every page driven in Chromium the way an analyst uses it, with the network outside localhost blocked.

The pages under test are read from ``dashboard.py`` (``st.Page(..., url_path=...)``),
so a page added there gets a smoke test without editing this file: it loads,
shows no exception box, fetches nothing from outside and links only to
http(s); a full-page screenshot goes to ``test-artifacts/screenshots/<page>.png``.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.support.browser_util import REPO
from tests.support.e2e_util import (
    EXCEPTION_BOX,
    full_screenshot,
    map_frames,
    maps_per_page,
    nav_pages,
    open_offline,
    poll_until,
    select_first_grid_row,
    settle,
    slug,
    wait_idle,
    warm_up,
)

pytestmark = pytest.mark.browser

_PAGE_RE = re.compile(r"st\.Page\(\s*\"[^\"]+\"\s*,\s*title=\"([^\"]+)\"([^)]*)\)")
_URL_RE = re.compile(r"url_path=\"([^\"]+)\"")


# Pages that always show folium maps, and how many.
MAP_PAGES = maps_per_page()


def _stable_count(page, locator, timeout_ms: int = 60_000, stable_ms: int = 1000) -> int:
    """``locator``'s count once it has not changed for ``stable_ms`` (polled until a deadline)."""
    deadline = time.monotonic() + timeout_ms / 1000
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = locator.count()
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since >= stable_ms / 1000:
            return n
        settle(page)  # yields to the browser (and Playwright's event loop) for a frame
    raise AssertionError(f"the number of {locator} kept changing for {timeout_ms} ms")


def dashboard_pages() -> list[tuple[str, str]]:
    """``(slug of title, url_path)`` of every page ``dashboard.py`` registers ("" for the default)."""
    out = []
    for title, rest in _PAGE_RE.findall((REPO / "dashboard.py").read_text(encoding="utf-8")):
        m = _URL_RE.search(rest)
        out.append((slug(title), m.group(1) if m else ""))
    return out


@pytest.fixture(scope="module", autouse=True)
def _router_ran(request):
    """Load the root once so the shared app runs dashboard.py (see the deep-link test)."""
    if "app_url" in request.fixturenames or any("app_url" in i.fixturenames for i in request.session.items):
        warm_up(request.getfixturevalue("chromium"), request.getfixturevalue("app_url"))


def test_dashboard_pages_are_found():
    pages = dict(dashboard_pages())
    assert {"map", "claims"} <= set(pages), pages


def test_navigation_lists_every_page(chromium, app_url):
    with open_offline(chromium, app_url) as op:
        wait_idle(op.page)
        listed = nav_pages(op.page)
        assert set(listed) == {s for s, _ in dashboard_pages()}, listed
        assert not op.blocked, op.blocked[:5]


@pytest.mark.parametrize(("name", "url_path"), dashboard_pages(), ids=[s for s, _ in dashboard_pages()])
def test_page_smoke(chromium, app_url, screenshot_dir, name, url_path):
    with open_offline(chromium, app_url) as op:
        page = op.page
        wait_idle(page)
        href = nav_pages(page).get(name)
        assert href, f"{name} is not in the navigation"
        page.goto(href)  # the default page is served at the root, not at its url_path
        wait_idle(page)
        if name in MAP_PAGES:  # the maps are drawn (they come after the script run ends)
            map_frames(page, min_count=MAP_PAGES[name])
        settle(page)
        full_screenshot(page, screenshot_dir / f"{name}.png")
        dialogs = page.locator('[data-testid="stDialog"]')
        assert dialogs.count() == 0, dialogs.first.inner_text()[:500]
        boxes = page.locator(EXCEPTION_BOX)
        assert boxes.count() == 0, boxes.first.inner_text()[:2000]
        assert page.locator('[data-testid="stMain"] h1').count() >= 1, "the page has no title"
        assert not op.blocked, f"{name} tried to fetch from outside: {op.blocked[:5]}"
        assert not op.errors, op.errors[:5]
        assert not op.bad_links(), op.bad_links()[:5]


# ---------------------------------------------------------------- map
def _overlay_label(frame, text: str):
    return frame.locator(".leaflet-control-layers-overlays label", has_text=text).first


def test_map_toggle_layer_and_read_popup(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url) as op:  # the map is the default page
        page = op.page
        wait_idle(page)
        (frame,) = map_frames(page)
        paths = frame.locator("path.leaflet-interactive")
        # Every layer of the map is drawn: the count stops changing (polled, with a deadline).
        paths.first.wait_for(state="attached", timeout=60_000)
        before = _stable_count(page, paths)

        # The layer control is collapsed: hovering expands it.
        frame.locator(".leaflet-control-layers").hover()
        frame.locator(".leaflet-control-layers-expanded").wait_for(timeout=10_000)
        label = _overlay_label(frame, "Minsk Memorandum")
        box = label.locator("input[type=checkbox]")
        assert box.is_checked()
        box.click()
        expect(box).not_to_be_checked(timeout=30_000)
        expect(paths).to_have_count(before - 1, timeout=30_000)
        page.screenshot(path=str(screenshot_dir / "map-layer-off.png"), full_page=True)
        box.click()
        expect(paths).to_have_count(before, timeout=30_000)

        # A contested area: click it, read the claims and their sources.
        area = frame.locator("path.leaflet-interactive[fill='#D55E00']").first
        area.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=15_000)
        text = popup.inner_text()
        m = re.search(r"(\d+) claim\(s\) about this area", text)
        assert m and int(m.group(1)) >= 1, text[:500]
        items = popup.locator("ol > li")
        expect(items).to_have_count(int(m.group(1)))
        assert "Source:" in items.first.inner_text()
        hrefs = popup.locator("a").evaluate_all("els => els.map(e => e.href)")
        assert len(hrefs) >= 1 and all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
        assert popup.locator("a[target=_blank][rel~=noopener]").count() == len(hrefs)
        page.screenshot(path=str(screenshot_dir / "map-popup.png"), full_page=True)
        assert not op.blocked, op.blocked[:5]
        assert not op.errors, op.errors[:5]


# ---------------------------------------------------------------- claims
def _count_caption(page) -> tuple[int, int]:
    cap = page.get_by_text(re.compile(r"^\d+ of \d+ claims\b")).first
    cap.wait_for(timeout=30_000)
    shown, total = re.findall(r"\d+", cap.inner_text())
    return int(shown), int(total)


def test_claims_filter_and_select(chromium, app_url, screenshot_dir):
    with open_offline(chromium, f"{app_url}/claims") as op:
        page = op.page
        wait_idle(page)
        shown, total = _count_caption(page)
        assert shown == total > 2

        box = page.get_by_label("Free text")
        box.fill("Lavrov")
        box.press("Enter")
        page.wait_for_function(
            "t => ![...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
            ".some(e => e.innerText.trim().startsWith(t))",
            arg=f"{total} of {total} claims",
            timeout=30_000,
        )
        wait_idle(page)
        n, t = _count_caption(page)
        assert t == total and 1 <= n < total, (n, t)

        # Select the first row through the row-selection column of the grid (a canvas).
        select_first_grid_row(page, page.get_by_role("heading", name=re.compile(r"^Claim \S+")))
        wait_idle(page)
        assert "Lavrov" in page.locator('[data-testid="stMain"]').inner_text()
        full_screenshot(page, screenshot_dir / "claims-selected.png")
        assert page.locator(EXCEPTION_BOX).count() == 0
        assert not op.blocked, op.blocked[:5]
        assert not op.errors, op.errors[:5]


def test_map_popups_reachable_by_keyboard(chromium, app_url):
    """Tab reaches the shapes that have a popup; Enter opens it, no mouse needed."""
    with open_offline(chromium, app_url) as op:
        page = op.page
        wait_idle(page)
        (frame,) = map_frames(page)
        area = frame.locator("path.leaflet-interactive[fill='#D55E00']").first
        area.wait_for(state="attached", timeout=30_000)
        assert area.get_attribute("tabindex") == "0"
        assert area.get_attribute("role") == "button"
        assert "km²" in (area.get_attribute("aria-label") or "")
        # Oblasts have a tooltip but no popup: they stay out of the tab order.
        focusable = frame.locator("path.leaflet-interactive[tabindex]").count()
        assert 0 < focusable < frame.locator("path.leaflet-interactive").count()
        popup = frame.locator(".leaflet-popup-content")

        def opened_by_keyboard():
            # The view's layers may be swapped in once more after the first paint (the map is
            # sent in two parts): focus the area drawn now and press Enter until a popup opens.
            frame.locator("path.leaflet-interactive[fill='#D55E00']").first.focus()
            page.keyboard.press("Enter")
            return popup.count() > 0

        poll_until(page, opened_by_keyboard, timeout_ms=60_000, what="a popup opened with Enter")
        popup.first.wait_for(timeout=15_000)
        assert "claim(s) about this area" in popup.inner_text()
        assert not op.errors, op.errors[:5]
