"""The map page in a real browser with every request outside localhost blocked."""

import pytest

from geo import schema as S
from tests.support.browser_map import TOPMOST_JS, click_area_until_popup, map_frame_object, marked_map_frame, same_map
from tests.support.e2e_util import open_offline, settle

pytestmark = pytest.mark.browser


def map_frame(page, timeout_ms=60_000):
    page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout_ms)
    frame = page.frame_locator("iframe[title*='st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    return frame


def test_map_renders_offline_with_shapes(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
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
        assert not op.blocked, f"the page tried to fetch from outside: {op.blocked[:5]}"
        assert not op.errors, op.errors
        assert page.get_by_text("Page not found").count() == 0


def test_contested_area_popup_lists_sources(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
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
        assert not op.blocked, op.blocked[:5]


def test_outside_requests_are_stopped_and_the_map_uses_no_jquery_file(chromium, app_url):
    """The harness's pattern (matched inside the browser) still stops a request to another host; the
    map frame's ``$`` is the inline subset (no jquery.min.js fetched) and parses popup HTML."""
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        map_frame(page)
        page.evaluate("() => fetch('https://outside.example/probe').catch(() => null)")
        page.wait_for_function("() => true")
        frame = next(f for f in page.frames if "st_folium" in f.url)
        tag = frame.evaluate("() => window.$('<div class=\"p\"><b>x</b></div>')[0].querySelector('b').tagName")
        assert tag == "B"
        scripts = frame.evaluate("() => [...document.scripts].map(s => s.src)")
        assert not [s for s in scripts if "jquery" in s.lower() and not s.startswith("data:")], scripts
    assert "https://outside.example/probe" in op.blocked, op.blocked


def test_deep_link_on_a_fresh_server_runs_the_entry_point(chromium, tmp_path, screenshot_dir):
    """First request to /claims: dashboard.py routes it (shared sidebar, page titles)."""
    from tests.support.browser_util import running_app

    with running_app(env={"CONTESTED_DATA_DIR": str(tmp_path)}) as url:
        with open_offline(chromium, url + "/claims") as op:
            page = op.page
            page.get_by_text("Working as").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Claims registry").wait_for(timeout=30_000)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Import / export" in nav and "state" not in nav.split()
            assert not op.blocked and not op.errors, (op.blocked, op.errors)


# --- issue 14: every contested area clickable, the seed claim reachable, offline labels ---------
def test_every_contested_area_of_the_default_view_is_clickable(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        frame = map_frame_object(page)
        found = frame.evaluate(TOPMOST_JS)
        visible = [a for a in found if a["visible"]]
        assert len(visible) >= 3, found
        buried = [a for a in visible if not a["hit"]]
        assert not buried, f"contested areas covered by others (km²): {buried}"
        assert not op.errors, op.errors


def test_seed_claim_popup_opens_from_a_click_on_its_area(chromium, app_url, screenshot_dir):
    from geo.analysis.layers import build_layers

    c = build_layers()["contested"]
    seed = c[c[S.C_CLAIM_IDS].str.split(";").map(lambda ids: "c001" in ids)]
    km2 = round(float(seed[S.AREA_KM2].min()), 3)
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        # the claims list beside the map starts on the seed claim, with its source
        detail = page.locator(".cl-claim-detail").first
        detail.wait_for(timeout=90_000)
        assert "more than 500 square km" in detail.inner_text()
        frame = map_frame_object(page)
        popup = click_area_until_popup(page, frame, km2)
        text = popup.first.inner_text()
        assert "more than 500 square km" in text
        assert "Reuters" in text  # the seed claim's source
        page.screenshot(path=str(screenshot_dir / "map-seed-popup.png"), full_page=True)
        assert not op.blocked and not op.errors, (op.blocked[:5], op.errors)


def test_offline_labels_scale_bar_and_legend(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        frame = map_frame_object(page)
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
        assert not op.blocked and not op.errors, (op.blocked[:5], op.errors)


def test_choosing_a_claim_outlines_its_area_and_zooms_without_redrawing(chromium, app_url, screenshot_dir):
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        frame = marked_map_frame(page)
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
        assert same_map(frame)  # the same map, not a new iframe
        page.screenshot(path=str(screenshot_dir / "map-claim-chosen.png"), full_page=True)
        assert not op.blocked and not op.errors, (op.blocked[:5], op.errors)


def test_sidebar_change_swaps_the_layers_in_the_same_map(chromium, app_url, screenshot_dir):
    """Unticking a line's areas redraws them in place: the map (its window and Leaflet) stays."""
    with open_offline(chromium, app_url + "/") as op:
        page = op.page
        frame = marked_map_frame(page)
        count = "() => document.querySelectorAll('path.leaflet-interactive').length"
        before = frame.evaluate(count)
        box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
            has_text="Contested areas against"
        )
        box.locator("input").click()
        page.keyboard.press("Backspace")  # drop the last line's contested areas
        page.keyboard.press("Escape")
        frame.wait_for_function(f"() => {{ const n = ({count})(); return n > 0 && n < {before}; }}", timeout=60_000)
        assert same_map(frame)
        # the layer control follows the view, and the smaller areas are still on top
        found = frame.evaluate(TOPMOST_JS)
        assert all(a["hit"] for a in found if a["visible"]), found
        page.screenshot(path=str(screenshot_dir / "map-one-line.png"), full_page=True)
        assert not op.blocked and not op.errors, (op.blocked[:5], op.errors)


def test_a_click_on_the_map_page_keeps_the_sidebar_pickers(chromium, app_url, screenshot_dir):
    """The sidebar a session's first map run draws after the map keeps its values on the next run.

    It once lost them: the Theatre picker fell back to the first theatre, and a date from the link
    was emptied, as soon as the user clicked anything on the Map page."""
    from tests.support.e2e_util import wait_idle, wait_rerun, watch_reruns

    with open_offline(chromium, app_url + "/?as_of=2015-06-30") as op:
        page = op.page
        marked_map_frame(page)
        wait_idle(page)
        sidebar = page.locator("[data-testid=stSidebar]")
        theatre = sidebar.locator("[data-testid=stSelectbox]").filter(has_text="Theatre").locator("input")
        as_of = sidebar.locator("[data-testid=stDateInput]").filter(has_text="As reported by").locator("input")
        assert theatre.input_value() == "Donbas 2014-15"
        assert as_of.input_value() == "2015-06-30"
        watch_reruns(page)
        other = page.locator("[data-testid=stRadio] label").filter(has_not=page.locator("input:checked"))
        other.nth(2).click()
        wait_rerun(page)
        assert theatre.input_value() == "Donbas 2014-15"
        assert as_of.input_value() == "2015-06-30"
        assert "as_of=2015-06-30" in page.url and "theatre=" not in page.url
        page.screenshot(path=str(screenshot_dir / "map-after-claim-click.png"), full_page=True)
        assert not op.blocked and not op.errors, (op.blocked[:5], op.errors)
