"""Accessibility: axe-core (WCAG 2 A and AA rules) on every page and inside the map iframe.

axe-core comes from the npm registry, pinned in ``tests/a11y/package.json``
(``npm ci --prefix tests/a11y``). Without it the tests skip with that hint,
except under ``CI=true`` where they fail.

Violations that come from Streamlit's or Leaflet's own markup, which this
project cannot change, are listed in ``ALLOWED`` with the reason; any other
violation fails the test.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.support.browser_util import REPO
from tests.support.e2e_util import map_frame_objects, maps_per_page, nav_pages, open_offline, wait_idle, warm_up

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = "install axe-core with: npm ci --prefix tests/a11y"
TAGS = ["wcag2a", "wcag2aa"]

# (rule id, where, a string in every offending node's selector, HTML or data-testid
# ancestors) -> why it is
# allowed. ``where`` is "page" (the Streamlit document) or "map" (a folium iframe).
ALLOWED: dict[tuple[str, str, str], str] = {
    ("svg-img-alt", "page", "role-mark"): (
        "Vega-Lite marks drawn by st.bar_chart/st.line_chart carry an ARIA role without a label; "
        "the same figures are in the tables next to the charts"
    ),
    ("meta-viewport", "map", 'name="viewport"'): (
        "folium's Map template writes user-scalable=no; inside an iframe it has no effect, "
        "the Streamlit page's own viewport allows zooming"
    ),
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but axe-core is missing at {AXE}; {AXE_HINT}")
        pytest.skip(f"axe-core is missing at {AXE}; {AXE_HINT}")  # only outside CI (fails above)
    return AXE.read_text(encoding="utf-8")


def run_axe(frame, source: str) -> list[dict]:
    """Inject axe-core into ``frame`` and return its violations (id, impact, targets)."""
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.add_script_tag(content=source)
    result = frame.evaluate(
        "async tags => { const ancestors = sel => { const out = []; let e = document.querySelector(sel);"
        " for (; e; e = e.parentElement) { const t = e.getAttribute('data-testid'); if (t) out.push(t) }"
        " return out.join(' ') };"
        " const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),"
        " within: ancestors(n.target[0])}))})) }",
        TAGS,
    )
    return result


def _allowed(v: dict, where: str) -> bool:
    marks = [m for (rule, w, m) in ALLOWED if rule == v["id"] and w == where]
    return bool(marks) and all(
        any(m in n["target"] or m in n["html"] or m in n.get("within", "") for m in marks) for n in v["nodes"]
    )


def _unexpected(violations: list[dict], where: str) -> list[dict]:
    return [v for v in violations if not _allowed(v, where)]


def test_allow_list_is_narrow():
    """An allowed rule only covers the nodes it names: the same rule elsewhere is reported."""
    mark = {"id": "svg-img-alt", "nodes": [{"target": "g.mark-rect > path", "html": '<path class="role-mark">'}]}
    ours = {"id": "svg-img-alt", "nodes": [{"target": ".leaflet-popup-content svg", "html": "<svg>"}]}
    assert _unexpected([mark], "page") == []
    assert _unexpected([mark], "map") == [mark]
    assert _unexpected([mark, ours], "page") == [ours]


@pytest.fixture(scope="module")
def pages(chromium, app_url) -> dict[str, str]:
    warm_up(chromium, app_url)
    with open_offline(chromium, app_url) as op:
        wait_idle(op.page)
        return nav_pages(op.page)


def test_axe_finds_a_known_violation(chromium, axe_source):
    """The check works: an image without alt text and a low-contrast text are reported."""
    with open_offline(chromium, "about:blank") as op:
        op.page.set_content(
            "<!doctype html><html lang=en><head><title>t</title></head><body><main>"
            "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
            "<p style='color:#bbb;background:#fff'>faint text</p></main></body></html>"
        )
        ids = {v["id"] for v in run_axe(op.page.main_frame, axe_source)}
        assert {"image-alt", "color-contrast"} <= ids, ids


def _settled_axe(page, frame, source: str, where: str, tries: int = 3) -> list[dict]:
    """axe's violations once the page is idle; rechecked after the next idle when some are found.

    A component can start another script run right after the page went idle; Streamlit fades
    the stale elements while it runs, which axe reads as low contrast. A violation counts only
    when it is still there after the page has settled again (up to ``tries`` checks).
    """
    violations = run_axe(frame, source)
    for _ in range(tries - 1):
        if not _unexpected(violations, where):
            break
        wait_idle(page)
        violations = run_axe(frame, source)
    return violations


def test_axe_on_every_page(chromium, app_url, pages, axe_source, screenshot_dir):
    report = {}
    for name, href in pages.items():
        with open_offline(chromium, href) as op:
            wait_idle(op.page)
            n_maps = maps_per_page().get(name, 0)
            frames = map_frame_objects(op.page, min_count=n_maps) if n_maps else []
            for frame in frames:  # Leaflet has drawn the shapes
                frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=120_000)
            report[name] = _settled_axe(op.page, op.page.main_frame, axe_source, "page")
            for i, frame in enumerate(frames):
                report[f"{name}/map{i}"] = _settled_axe(op.page, frame, axe_source, "map")
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "axe.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    bad = {
        k: [(v["id"], v["nodes"][:2]) for v in _unexpected(vs, "map" if "/map" in k else "page")]
        for k, vs in report.items()
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1)[:6000]


def test_legend_is_text_as_well_as_colour(chromium, app_url):
    with open_offline(chromium, app_url) as op:
        wait_idle(op.page)
        sidebar = op.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Oblast boundary").wait_for(timeout=30_000)
        side = sidebar.inner_text()
        for words in ("Held by separatists", "Held by Ukraine", "Minsk Memorandum", "Oblast boundary"):
            assert words in side, side[:800]
