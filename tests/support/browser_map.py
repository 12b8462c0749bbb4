"""Helpers of the browser tests that drive the map and the claims table (Playwright pages).

Shared by ``tests/browser/test_browser_map.py``, ``test_browser_claims.py`` and the walkthrough.
"""

from __future__ import annotations

from tests.support.e2e_util import MAP_IFRAME, poll_until, wait_idle

#: Playwright timeout (ms) of one step on a loaded machine.
TIMEOUT = 90_000
#: Streamlit's default row height of ``st.dataframe``, header row included (px).
ROW_PX = 35


def select_row(page, grid, ids, claim_id):
    """Click the row marker of ``claim_id`` in ``grid`` (rows in the order of ``ids``) and wait
    until the page shows that claim.

    Rows of ``st.dataframe`` are drawn on a canvas, so the row marker (the checkbox column at
    the left) is clicked at the row's position.
    """
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row = ids.index(claim_id)
    page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    shown = f'[data-testid="stCaptionContainer"]:has-text("{claim_id} · version"), h3:has-text("Claim {claim_id}")'
    page.locator(shown).first.wait_for(timeout=TIMEOUT)
    wait_idle(page)


# For each contested-area path on screen: whether some point inside it has the path on top.
TOPMOST_JS = """() => {
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


def map_frame_object(page, timeout_ms=90_000):
    """The map iframe's frame, once the run is idle and its Leaflet map has drawn a shape."""
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
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    popup = frame.locator(".leaflet-popup-content")

    def clicked():
        found = frame.evaluate(TOPMOST_JS)
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


def marked_map_frame(page, timeout_ms=90_000):
    """:func:`map_frame_object` with a mark set in its window; :func:`same_map` tells whether the
    map is still that one (redrawn in place, not a new iframe)."""
    frame = map_frame_object(page, timeout_ms)
    frame.evaluate("() => { window.__cl_same_map = true; }")
    return frame


def same_map(frame) -> bool:
    """Whether ``frame`` still has the mark :func:`marked_map_frame` set."""
    return frame.evaluate("() => window.__cl_same_map === true")
