"""The sidebar's theatre choice in a real browser: picking Korea draws its line, and the link keeps it."""

import pytest

from tests.support.e2e_util import open_offline, poll_until, wait_idle

pytestmark = pytest.mark.browser

MAP_IFRAME = "iframe[title*='st_folium']"
KOREA = "Korea 1953 (armistice line)"
MDL = "Military Demarcation Line (27 Jul 1953)"


def _paths(page, selector: str = "path.leaflet-interactive") -> int:
    """Leaflet shapes matching ``selector`` in the one map on the page (0 while there is none, or two)."""
    try:
        return page.frame_locator(MAP_IFRAME).locator(selector).count()
    except Exception:  # noqa: BLE001 - no map yet, or two while one replaces the other
        return 0


def _korea_drawn(page) -> bool:
    """The Korean map: its one agreed line (the wide band), and none of the default theatre's 30-odd shapes."""
    return (
        page.get_by_role("heading", name=KOREA).count() == 1
        and _paths(page, "path.leaflet-interactive[stroke-width='7']") == 1
        and 0 < _paths(page) < 10
    )


def test_picking_korea_in_the_sidebar_draws_its_line(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        wait_idle(page)
        poll_until(page, lambda: _paths(page) >= 27 + 2 + 3, 120_000, "the default theatre's map")
        picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Theatre").first
        picker.click()
        page.get_by_role("option", name=KOREA).click()
        poll_until(page, lambda: _korea_drawn(page), 120_000, "the Korean map")
        wait_idle(page)
        assert "theatre=korea-1953" in page.url
        # The line itself: hovering its path shows its tooltip.
        frame = page.frame_locator(MAP_IFRAME)
        line = frame.locator("path.leaflet-interactive[stroke-width='7']").first
        line.dispatch_event("mouseover")
        frame.locator(".leaflet-tooltip").filter(has_text="Military Demarcation Line").wait_for(timeout=30_000)
        legend = page.locator('[data-testid="stSidebar"]').inner_text()
        assert MDL in legend
        page.screenshot(path=str(screenshot_dir / "theatre-korea.png"), full_page=True)
        assert not op.blocked, f"the page tried to fetch from outside: {op.blocked[:5]}"
        assert not op.errors, op.errors
        url = page.url
    with open_offline(chromium, url) as op:  # the link opens the same theatre
        page = op.page
        poll_until(page, lambda: _korea_drawn(page), 120_000, "the Korean map from the link")
        assert not op.errors, op.errors
