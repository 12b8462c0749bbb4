"""The map page in a real browser with every request outside localhost blocked."""

import pytest

from geo import schema as S
from tests.support.e2e_util import open_offline as offline_page
from tests.support.e2e_util import settle

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
    from tests.support.browser_util import running_app

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


# --- issue 14: every contested area clickable, the seed claim reachable, offline labels ---------
_FIND_MAP_JS = "() => Object.values(window).find(v => v instanceof L.Map)"

# For each contested-area path on screen: whether some point inside it has the path on top.
_TOPMOST_JS = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const out = [];
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || p.cl_stack !== 'area' || !l._path) return;
    const r = l._path.getBoundingClientRect();
    const x0 = Math.max(r.left, 0), y0 = Math.max(r.top, 0);
    const x1 = Math.min(r.right, innerWidth), y1 = Math.min(r.bottom, innerHeight);
    if (x1 <= x0 || y1 <= y0) { out.push({km2: p.cl_order, visible: false}); return; }
    let hit = null;
    for (let i = 0; i <= 40 && !hit; i++) for (let j = 0; j <= 40 && !hit; j++) {
      const x = x0 + (x1 - x0) * i / 40, y = y0 + (y1 - y0) * j / 40;
      if (document.elementFromPoint(x, y) === l._path) hit = [x, y];
    }
    out.push({km2: p.cl_order, visible: true, hit: hit});
  });
  return out;
}"""


def _map_frame_object(page, timeout_ms=90_000):
    from tests.support.e2e_util import MAP_IFRAME, wait_idle

    wait_idle(page, timeout_ms)
    page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=timeout_ms
    )
    frame = page.locator(MAP_IFRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.L && Object.values(window).some(v => v instanceof L.Map)", timeout=timeout_ms)
    return frame


def click_area_until_popup(page, frame, km2, timeout_ms=90_000):
    """Click inside the contested area of ``km2`` until its popup opens; return the popup.

    The view's layers may be swapped into the map once more after the first paint (the map
    is sent in two parts, and a loaded machine reruns late), which closes a popup opened on
    the layers being replaced: find the area again and click again until a popup stays.
    """
    from tests.support.e2e_util import poll_until

    box = page.locator("iframe[title*='st_folium']").bounding_box()
    popup = frame.locator(".leaflet-popup-content")

    def clicked():
        found = frame.evaluate(_TOPMOST_JS)
        target = next(a for a in found if abs(a["km2"] - km2) < 1e-6)
        assert target["visible"] and target["hit"], target
        page.mouse.click(box["x"] + target["hit"][0], box["y"] + target["hit"][1])
        try:
            popup.first.wait_for(timeout=3_000)
        except Exception:  # noqa: BLE001 - not open (yet): click again
            return False
        return popup.count() > 0

    poll_until(page, clicked, timeout_ms=timeout_ms, what=f"a popup of the {km2} km² area")
    return popup


def test_every_contested_area_of_the_default_view_is_clickable(chromium, app_url, screenshot_dir):
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = _map_frame_object(page)
        found = frame.evaluate(_TOPMOST_JS)
        visible = [a for a in found if a["visible"]]
        assert len(visible) >= 3, found
        buried = [a for a in visible if not a["hit"]]
        assert not buried, f"contested areas covered by others (km²): {buried}"
        assert not errors, errors
    finally:
        context.close()


def test_seed_claim_popup_opens_from_a_click_on_its_area(chromium, app_url, screenshot_dir):
    from geo.analysis.layers import build_layers

    c = build_layers()["contested"]
    seed = c[c[S.C_CLAIM_IDS].str.split(";").map(lambda ids: "c001" in ids)]
    km2 = round(float(seed[S.AREA_KM2].min()), 3)
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        # the claims list beside the map starts on the seed claim, with its source
        detail = page.locator(".cl-claim-detail").first
        detail.wait_for(timeout=90_000)
        assert "more than 500 square km" in detail.inner_text()
        frame = _map_frame_object(page)
        popup = click_area_until_popup(page, frame, km2)
        text = popup.first.inner_text()
        assert "more than 500 square km" in text
        assert "Reuters" in text  # the seed claim's source
        page.screenshot(path=str(screenshot_dir / "map-seed-popup.png"), full_page=True)
        assert not blocked and not errors, (blocked[:5], errors)
    finally:
        context.close()


def test_offline_labels_scale_bar_and_legend(chromium, app_url, screenshot_dir):
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = _map_frame_object(page)
        frame.locator(".leaflet-control-scale-line").first.wait_for(timeout=30_000)
        assert "km" in frame.locator(".leaflet-control-scale-line").first.inner_text()
        oblasts = frame.locator(".cl-label-oblast")
        oblasts.first.wait_for(state="attached", timeout=30_000)
        names = set(oblasts.all_inner_texts())
        assert {"Donetsk", "Luhansk"} <= {n.strip().title() for n in names}, names
        towns_default = frame.locator(".cl-label-settlement").count()
        assert towns_default >= 1
        legend = " | ".join(page.locator("[data-testid=stSidebar] .cl-legend-item").all_inner_texts())
        assert "Minsk Memorandum line" in legend and "Line of contact (20 Jan 2015)" in legend
        assert "Settlement" not in legend  # not drawn in the default view
        swatches = page.locator("[data-testid=stSidebar] .cl-legend-item svg line[stroke-dasharray]").count()
        assert swatches >= 1  # the February line's dash, drawn as on the map
        page.screenshot(path=str(screenshot_dir / "map-labels.png"), full_page=True)
        frame.evaluate("() => Object.values(window).find(v => v instanceof L.Map).setZoom(10, {animate: false})")
        frame.wait_for_function(f"() => document.querySelectorAll('.cl-label-settlement').length > {towns_default}")
        page.screenshot(path=str(screenshot_dir / "map-labels-zoom10.png"), full_page=True)
        assert not blocked and not errors, (blocked[:5], errors)
    finally:
        context.close()


def test_choosing_a_claim_outlines_its_area_and_zooms_without_redrawing(chromium, app_url, screenshot_dir):
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = _map_frame_object(page)
        frame.evaluate("() => { window.__cl_same_map = true; }")
        z0 = frame.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getZoom()")
        # a claim about the February areas only (c030 is joined to them, not to the January ones)
        option = page.locator("[data-testid=stRadio] label").filter(has_text="2015-02")
        option.first.click()
        frame.wait_for_function(
            "z => { const m = Object.values(window).find(v => v instanceof L.Map); return m.getZoom() !== z; }",
            arg=z0,
            timeout=60_000,
        )
        outline = frame.locator("path[stroke='#000000'][stroke-width='4']")
        outline.first.wait_for(state="attached", timeout=30_000)
        assert frame.evaluate("() => window.__cl_same_map === true")  # the same map, not a new iframe
        page.screenshot(path=str(screenshot_dir / "map-claim-chosen.png"), full_page=True)
        assert not blocked and not errors, (blocked[:5], errors)
    finally:
        context.close()


def test_sidebar_change_swaps_the_layers_in_the_same_map(chromium, app_url, screenshot_dir):
    """Unticking a line's areas redraws them in place: the map (its window and Leaflet) stays."""
    blocked = []
    context, page, errors = open_offline(chromium, app_url + "/", blocked)
    try:
        frame = _map_frame_object(page)
        frame.evaluate("() => { window.__cl_same_map = true; }")
        count = "() => document.querySelectorAll('path.leaflet-interactive').length"
        before = frame.evaluate(count)
        box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
            has_text="Contested areas against"
        )
        box.locator("input").click()
        page.keyboard.press("Backspace")  # drop the last line's contested areas
        page.keyboard.press("Escape")
        frame.wait_for_function(f"() => {{ const n = ({count})(); return n > 0 && n < {before}; }}", timeout=60_000)
        assert frame.evaluate("() => window.__cl_same_map === true")
        # the layer control follows the view, and the smaller areas are still on top
        found = frame.evaluate(_TOPMOST_JS)
        assert all(a["hit"] for a in found if a["visible"]), found
        page.screenshot(path=str(screenshot_dir / "map-one-line.png"), full_page=True)
        assert not blocked and not errors, (blocked[:5], errors)
    finally:
        context.close()
