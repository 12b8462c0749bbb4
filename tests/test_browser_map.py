"""The map page in a real browser with every request outside localhost blocked."""

import pytest
from e2e_util import open_offline as offline_page
from e2e_util import settle

pytestmark = pytest.mark.browser


def open_offline(chromium, url, blocked):
    """(context, page, errors) of a page with outside requests blocked into ``blocked``."""
    op = offline_page(chromium, url)
    blocked.extend(op.blocked)
    op.blocked = blocked  # the route handler appends to op.blocked
    return op.context, op.page, op.errors


def map_frame(page, timeout_ms=60_000):
    page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout_ms)
    frame = page.frame_locator("iframe[title*='st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    return frame


def test_map_renders_offline_with_shapes(chromium, app_url, screenshot_dir):
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = map_frame(page)
        paths = frame.locator("path.leaflet-interactive")
        # 27 oblasts + contested areas + 3 lines at least: wait until that many are drawn
        paths.nth(27 + 2 + 3 - 1).wait_for(state="attached", timeout=120_000)
        n = paths.count()
        assert n >= 27 + 2 + 3, n
        fills = set(
            frame.locator("path.leaflet-interactive").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
        )
        assert "#D55E00" in fills  # contested area held by the separatists
        settle(page)
        page.screenshot(path=str(screenshot_dir / "map.png"), full_page=True)
        assert not blocked, f"the page tried to fetch from outside: {blocked[:5]}"
        assert not errors, errors
        assert page.get_by_text("Page not found").count() == 0
    finally:
        context.close()


def test_contested_area_popup_lists_sources(chromium, app_url, screenshot_dir):
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = map_frame(page)
        area = frame.locator("path.leaflet-interactive[fill='#D55E00']").first
        area.wait_for(state="attached", timeout=30_000)
        area.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=15_000)
        text = popup.inner_text()
        assert "Measured (geodesic)" in text
        assert "claim(s) about this area" in text
        hrefs = popup.locator("a").evaluate_all("els => els.map(e => e.href)")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
        page.screenshot(path=str(screenshot_dir / "map-popup.png"), full_page=True)
        assert not blocked, blocked[:5]
    finally:
        context.close()


def test_deep_link_on_a_fresh_server_runs_the_entry_point(chromium, tmp_path, screenshot_dir):
    """First request to /claims: dashboard.py routes it (shared sidebar, page titles)."""
    from browser_util import running_app

    with running_app(env={"CONTESTED_DATA_DIR": str(tmp_path)}) as url:
        blocked = []
        context, page, errors = open_offline(chromium, url + "/claims", blocked)
        try:
            page.get_by_text("Your name (for the audit log)").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Claims registry").wait_for(timeout=30_000)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Import / export" in nav and "state" not in nav.split()
            assert not blocked and not errors, (blocked, errors)
        finally:
            context.close()
