"""The Compare page in a real browser with every request outside localhost blocked."""

import json

import pytest
from browser_util import REPO, running_app
from e2e_util import open_offline as offline_page

from geo import schema as S
from geo.draw_assets import INSTALL_HINT, _sources
from geo.drawn import DRAWN_FILENAME

HAS_DRAW = bool(_sources())

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("compare-browser-data")


@pytest.fixture(scope="module")
def compare_app(chromium, data_dir):
    """The app with its own data directory, so a drawing never lands in a user's files."""
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    with running_app(env={"CONTESTED_DATA_DIR": str(data_dir)}) as url:
        yield url


def _open(chromium, url, blocked):
    """(context, page, errors) of a page with outside requests blocked into ``blocked``."""
    op = offline_page(chromium, url)
    blocked.extend(op.blocked)
    op.blocked = blocked  # the route handler appends to op.blocked
    return op.context, op.page, op.errors


def test_compare_page_renders_offline_with_difference_and_draw_tools(chromium, compare_app, screenshot_dir):
    blocked = []
    url = f"{compare_app}/compare?a={S.LINE_MINSK_2014}&b={S.LINE_CONTACT_2015_02}&date=2015-01-20"
    context, page, errors = _open(chromium, url, blocked)
    try:
        page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        frames = page.frame_locator("iframe[title*='st_folium']")
        first = frames.first
        first.locator(".leaflet-container").wait_for(timeout=60_000)
        first.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=30_000)
        page.wait_for_timeout(1500)
        fills = set(
            first.locator("path.leaflet-interactive").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
        )
        assert "#D55E00" in fills and "#0072B2" in fills  # ground gained by each party
        n_maps = page.locator("iframe[title*='st_folium']").count()
        assert n_maps >= 3  # overlay, history, draw
        if HAS_DRAW:
            draw = page.frame_locator("iframe[title*='st_folium']").nth(n_maps - 1)
            draw.locator(".leaflet-draw-draw-polyline").wait_for(timeout=30_000)
        else:
            page.get_by_text("paste coordinates instead").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(screenshot_dir / "compare.png"))
        for i, heading in enumerate(["km² gained and lost per party", "Settlements that changed side", "History"]):
            page.get_by_text(heading, exact=True).first.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            page.screenshot(path=str(screenshot_dir / f"compare-{i + 1}.png"))
        # Side by side: two maps, A on the left and B on the right.
        page.get_by_text("Side by side", exact=True).first.scroll_into_view_if_needed()
        page.get_by_text("Side by side", exact=True).first.click()
        page.get_by_text("Both maps follow the last one you moved.").wait_for(timeout=60_000)
        page.wait_for_function(
            "(n) => document.querySelectorAll(\"iframe[title*='st_folium']\").length >= n",
            arg=n_maps + 1,
            timeout=60_000,
        )
        page.wait_for_timeout(2500)
        page.locator("iframe[title*='st_folium']").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "compare-side-by-side.png"))
        # Zooming the left map zooms the right one too (shared view in session_state).
        right = page.frame_locator("iframe[title*='st_folium']").nth(1)
        scale_before = right.locator(".leaflet-control-scale-line").first.inner_text()
        page.frame_locator("iframe[title*='st_folium']").nth(0).locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            """(before) => {
                const f = document.querySelectorAll("iframe[title*='st_folium']")[1];
                const el = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-control-scale-line');
                return el && el.innerText !== before;
            }""",
            arg=scale_before,
            timeout=30_000,
        )
        assert not blocked, f"the page tried to fetch from outside: {blocked[:5]}"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.skipif(not HAS_DRAW, reason=f"Leaflet.draw is not installed ({INSTALL_HINT})")
def test_a_line_drawn_in_the_browser_is_saved_and_compared(chromium, compare_app, screenshot_dir, data_dir):
    blocked = []
    context, page, errors = _open(chromium, f"{compare_app}/compare", blocked)
    try:
        page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        n_maps = page.locator("iframe[title*='st_folium']").count()
        iframe = page.locator("iframe[title*='st_folium']").nth(n_maps - 1)
        iframe.scroll_into_view_if_needed()
        draw = page.frame_locator("iframe[title*='st_folium']").nth(n_maps - 1)
        draw.locator(".leaflet-draw-draw-polyline").click(timeout=30_000)
        container = draw.locator(".leaflet-container")
        box = container.bounding_box()
        pts = [(0.55, 0.25), (0.45, 0.45), (0.50, 0.70)]
        for i, (fx, fy) in enumerate(pts):
            container.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
            page.wait_for_timeout(300)
            if i == len(pts) - 1:  # clicking the last point again finishes the line
                container.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
        page.wait_for_timeout(2500)  # st_folium reports the drawing, the page reruns
        page.get_by_label("Name", exact=True).fill("Drawn in the browser")
        page.get_by_label("Source URL (http/https)").fill("https://example.org/browser")
        page.get_by_role("button", name="Save and compare").click()
        page.get_by_text("Saved 'drawn_drawn_in_the_browser").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        page.get_by_text("Saved 'drawn_drawn_in_the_browser").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "compare-drawn.png"))
        saved = json.loads((data_dir / DRAWN_FILENAME).read_text())["features"]
        assert [f["properties"]["name"] for f in saved] == ["Drawn in the browser"]
        assert saved[0]["geometry"]["type"] == "LineString" and len(saved[0]["geometry"]["coordinates"]) == 3
        assert not blocked, blocked[:5]
        assert not errors, errors
    finally:
        context.close()
