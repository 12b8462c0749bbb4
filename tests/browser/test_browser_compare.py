"""The Compare page in a real browser with every request outside localhost blocked."""

import json

import pytest
from playwright.sync_api import expect

from geo import schema as S
from geo.io.drawn import DRAWN_FILENAME
from geo.maps.draw_assets import INSTALL_HINT, _sources
from tests.support.browser_util import REPO, running_app
from tests.support.e2e_util import MAP_IFRAME, map_frames, settle, wait_idle, wait_rerun, watch_reruns
from tests.support.e2e_util import open_offline as offline_page

HAS_DRAW = bool(_sources())
# Maps of the Compare page in the overlay view: the overlay, the history and (with Leaflet.draw) the drawing map.
N_MAPS = 3 if HAS_DRAW else 2

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


def _click_until(container, xy, vertices, want: int, tries: int = 5) -> None:
    """Click the map at ``xy`` until Leaflet.draw shows ``want`` vertex markers.

    Leaflet.draw ignores a click that comes before a 50 ms timer after the previous
    vertex has fired, which on a loaded machine can take much longer; such a click
    adds nothing (the vertex is added synchronously when a click is taken), so it
    is safe to click again.
    """
    for _ in range(tries):
        container.click(position={"x": xy[0], "y": xy[1]})
        try:
            expect(vertices).to_have_count(want, timeout=5_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"Leaflet.draw did not take the click at {xy} ({tries} tries)")


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
        wait_idle(page)
        # Wait until every map exists (on a loaded machine they arrive one by one).
        frames = map_frames(page, min_count=N_MAPS)
        expect(page.locator(MAP_IFRAME)).to_have_count(N_MAPS, timeout=120_000)
        first = frames[0]
        # Ground gained by each party, once Leaflet has drawn it.
        for fill in ("#D55E00", "#0072B2"):
            first.locator(f"path.leaflet-interactive[fill='{fill}']").first.wait_for(state="attached", timeout=60_000)
        n_maps = N_MAPS
        if HAS_DRAW:
            draw = frames[n_maps - 1]
            draw.locator(".leaflet-draw-draw-polyline").wait_for(timeout=60_000)
        else:
            page.get_by_text("paste coordinates instead").wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(screenshot_dir / "compare.png"))
        for i, heading in enumerate(["km² gained and lost per party", "Settlements that changed side", "History"]):
            page.get_by_text(heading, exact=True).first.scroll_into_view_if_needed()
            settle(page)
            page.screenshot(path=str(screenshot_dir / f"compare-{i + 1}.png"))
        # Side by side: two maps, A on the left and B on the right.
        page.get_by_text("Side by side", exact=True).first.scroll_into_view_if_needed()
        page.get_by_text("Side by side", exact=True).first.click()
        page.get_by_text("Both maps follow the last one you moved.").wait_for(timeout=120_000)
        wait_idle(page)
        # The overlay map gives way to two maps side by side.
        frames = map_frames(page, min_count=n_maps + 1)
        expect(page.locator(MAP_IFRAME)).to_have_count(n_maps + 1, timeout=120_000)
        for f in frames[:2]:
            f.locator(".leaflet-control-scale-line").first.wait_for(timeout=60_000)
            f.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
        page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
        settle(page)
        page.screenshot(path=str(screenshot_dir / "compare-side-by-side.png"))
        # Zooming the left map zooms the right one too (shared view in session_state).
        right = frames[1]
        scale_before = right.locator(".leaflet-control-scale-line").first.inner_text()
        page.frame_locator("iframe[title*='st_folium']").nth(0).locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            """(before) => {
                const f = document.querySelectorAll("iframe[title*='st_folium']")[1];
                const el = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-control-scale-line');
                return el && el.innerText !== before;
            }""",
            arg=scale_before,
            timeout=120_000,
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
        wait_idle(page)
        # The drawing map is the last of the N_MAPS maps: wait until they all exist.
        frames = map_frames(page, min_count=N_MAPS)
        expect(page.locator(MAP_IFRAME)).to_have_count(N_MAPS, timeout=120_000)
        page.locator(MAP_IFRAME).nth(N_MAPS - 1).scroll_into_view_if_needed()
        draw = frames[N_MAPS - 1]
        draw.locator(".leaflet-draw-draw-polyline").click(timeout=60_000)
        container = draw.locator(".leaflet-container")
        box = container.bounding_box()
        vertices = draw.locator(".leaflet-editing-icon")
        pts = [(0.55, 0.25), (0.45, 0.45), (0.50, 0.70)]
        for i, (fx, fy) in enumerate(pts):
            _click_until(container, (box["width"] * fx, box["height"] * fy), vertices, i + 1)
        watch_reruns(page)
        fx, fy = pts[-1]  # clicking the last point again finishes the line: the vertex markers go
        _click_until(container, (box["width"] * fx, box["height"] * fy), vertices, 0)
        # st_folium reports the line and the page reruns.
        wait_rerun(page)
        page.get_by_label("Name", exact=True).fill("Drawn in the browser")
        page.get_by_label("Source URL (http/https)").fill("https://example.org/browser")
        page.get_by_role("button", name="Save and compare").click()
        # Compared when the drawn line divides the region; a line that ends inside it or leaves and re-enters
        # it is saved, and the comparison refused by the side rule with a message saying how to fix the line.
        compared = page.get_by_text("Saved 'drawn_drawn_in_the_browser")
        refused = page.get_by_text("Saved, but cannot compare")
        compared.or_(refused).first.wait_for(timeout=120_000)
        wait_idle(page)
        if not compared.count():
            message = refused.first.inner_text()
            # the side rule names the drawn line and says how to fix it (extend, split or close it)
            assert "line drawn_drawn_in_the_browser" in message and "or close it" in message, message
        compared.or_(refused).first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "compare-drawn.png"))
        saved = json.loads((data_dir / DRAWN_FILENAME).read_text())["features"]
        assert [f["properties"]["name"] for f in saved] == ["Drawn in the browser"]
        assert saved[0]["geometry"]["type"] == "LineString" and len(saved[0]["geometry"]["coordinates"]) == 3
        assert not blocked, blocked[:5]
        assert not errors, errors
    finally:
        context.close()
