"""No script runs from data: payloads in every user-controlled text, checked in a real browser.

A registry is seeded with one claim per payload (quote, actor, notes, source
title, publisher and URL all carry it), joined to the contested area beyond
the Minsk Memorandum line held by the separatists, so the payloads reach the
map popups; claims are also imported from a GeoJSON whose property names and
values are payloads, and drawn lines are saved with payload names. The app
runs on that registry; the tests open the pages, the popups, the dropdowns
and query parameters, and fail if any payload runs (a dialog, a console
message ``XSS<n>`` or a global ``window.__xss_<n>`` in any frame) or if any
link in any frame is not http(s).

``test_detector_catches_executing_payloads`` shows on a local page with the
payloads unescaped that the detector does catch them, so a passing suite
means something.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd
import pytest
import shapely
import shapely.affinity
from playwright.sync_api import expect

from geo import schema as S
from geo.claims.store import open_store
from geo.errors import ValidationError
from geo.html import esc, safe_url
from geo.io.drawn import DrawnLine, save_drawn
from tests.support.browser_util import REPO, is_local, running_app
from tests.support.e2e_util import (
    EXCEPTION_BOX,
    full_screenshot,
    map_frames,
    nav_pages,
    open_offline,
    poll_until,
    select_first_grid_row,
    settle,
    wait_idle,
    wait_rerun,
    warm_up,
    watch_reruns,
)
from tests.support.parties import PARTY_SEPARATISTS
from tests.support.xss_payloads import MD_EVIL_HOST, MD_PAYLOADS, NOT_HTTP_URLS, PAYLOADS, url_payloads

pytestmark = pytest.mark.browser

PAYLOAD_SOURCE = "xss_src"
# Jinja syntax: folium renders layer names, popups and tooltips through Jinja on the server.
SSTI = "SSTI {{ 7*191 }} {% if 1 %}x{% endif %} {# open comment"


def _claim(n: int, payload: str, url: str) -> dict:
    return {
        S.CLAIM_QUOTE: payload,
        S.CLAIM_ACTOR: payload,
        S.CLAIM_PARTY: PARTY_SEPARATISTS,
        S.CLAIM_STANCE: "asserts",
        S.CLAIM_KIND: "area",
        S.CLAIM_VALUE: str(400 + n),
        S.CLAIM_UNIT: "sq km",
        S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
        S.CLAIM_SIDE: PARTY_SEPARATISTS,
        S.CLAIM_EVENT_DATE: "2015-01-25",
        S.CLAIM_NOTES: payload,
        S.CLAIM_TAGS: "xss",
        S.CLAIM_SOURCE_ID: f"{PAYLOAD_SOURCE}_{n}",
        S.SOURCE_PUBLISHER: payload,
        S.SOURCE_TITLE: payload,
        S.SOURCE_URL: url,
        S.SOURCE_PUBLISHED: "2015-01-26",
        S.SOURCE_KIND: "news",
    }


def _geojson_with_payloads() -> bytes:
    """Features whose property names and values are payloads (plus the claim fields)."""
    feats = []
    for n, p in PAYLOADS[:20]:
        props = {
            "quote": f"imported {n} {p}",
            "actor": p[:200],
            "stance": "asserts",
            "party": PARTY_SEPARATISTS,
            "reference_line": S.LINE_MINSK_2014,
            "side": PARTY_SEPARATISTS,
            "event_date": "2015-01-25",
            "source_id": f"xss_geojson_{n}",
            "publisher": p[:200],
            "title": p,
            "url": f"https://example.org/geojson/{n}",
            "published": "2015-01-27",
            "source_kind": "news",
            p[:60]: p,
        }
        feats.append(
            {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [38.0, 48.0]}}
        )
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def xss_data(tmp_path_factory):
    """A data directory with the payload claims, imported claims and drawn lines."""
    d = tmp_path_factory.mktemp("xss-data")
    urls = dict(url_payloads())
    store = open_store(d)
    try:
        ids = store.add_claims([_claim(n, p, urls[n]) for n, p in PAYLOADS], "xss-suite")
        store.add_claims([_claim(0, SSTI, "https://example.org/ssti")], "xss-suite")
        from geo.io import read_vector, save_import

        geo_file = d / "payloads.geojson"
        geo_file.write_bytes(_geojson_with_payloads())
        imported = save_import(read_vector(geo_file, as_="claims"), {}, store, user="xss-suite")
        md_ids = store.add_claims(
            [_claim(900 + n, p, f"https://example.org/md/{n}") for n, p in enumerate(MD_PAYLOADS)], "xss-suite"
        )
    finally:
        store.close()
    # the shipped Minsk line (border to sea), so the payload lines divide the region (side rules)
    vertices = pd.read_csv(REPO / "data" / "theatres" / "donbas-2014-15" / "line_vertices.csv")
    minsk = vertices[vertices["line_id"] == "minsk_2014_09_19"].sort_values("seq")
    base = shapely.LineString(list(zip(minsk["lon"], minsk["lat"], strict=True)))
    drawn = []
    for k, (n, p) in enumerate(PAYLOADS[:6]):
        name = " ".join(q for _, q in PAYLOADS[k * 8 : k * 8 + 8])[:120]
        rec = save_drawn(
            DrawnLine(
                name=name,
                geometry=shapely.affinity.translate(base, xoff=0.05 * k),
                source_url=urls[n],
                quote=p,
                date="2015-02-01",
            ),
            d / "drawn_lines.geojson",
        )
        drawn.append(rec.line_id)
    md_drawn = []
    for k, p in enumerate(MD_PAYLOADS[:8]):
        rec = save_drawn(
            DrawnLine(
                name=p[:120],
                geometry=shapely.affinity.translate(base, xoff=0.05 * k, yoff=0.02),
                source_url=f"https://example.org/md-line/{k}",
                quote=p,
                date="2015-02-02",
            ),
            d / "drawn_lines.geojson",
        )
        md_drawn.append(rec.line_id)
    return {
        "dir": d,
        "claim_ids": ids,
        "imported": imported,
        "drawn": drawn,
        "md_claim_ids": md_ids,
        "md_drawn": md_drawn,
    }


@pytest.fixture(scope="module")
def xss_url(chromium, xss_data):
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    with running_app(
        env={
            "CONTESTED_DATA_DIR": str(xss_data["dir"]),
            "CONTESTED_POPUP_CLAIMS": "1000",
            "CONTESTED_GROUP_CLAIMS": "1000",
        }
    ) as url:
        warm_up(chromium, url)
        yield url


def _assert_clean(op, where: str) -> None:
    ran = op.executed()
    assert not ran, f"{where}: injected script ran: {ran[:10]}"
    bad = op.bad_links()
    assert not bad, f"{where}: links that are not http(s): {bad[:10]}"
    assert not op.blocked, f"{where}: requests outside localhost: {op.blocked[:5]}"
    boxes = op.page.locator(EXCEPTION_BOX)
    assert boxes.count() == 0, boxes.first.inner_text()[:1500]


# ---------------------------------------------------------------- the detector itself
def test_there_are_at_least_50_payloads():
    assert len(PAYLOADS) >= 50
    assert len({p for _, p in PAYLOADS}) == len(PAYLOADS)


def test_detector_catches_executing_payloads(chromium):
    """The same payloads, unescaped on a local page, are caught: the suite can fail."""
    body = "".join(f"<div>{p}</div>" for _, p in PAYLOADS)
    frame_doc = esc("<script>window.__xss_999=1</script>")
    html = f'<!doctype html><html><body><iframe srcdoc="{frame_doc}"></iframe>{body}</body></html>'
    with open_offline(chromium, "about:blank") as op:
        op.page.set_content(html)

        # Polled until every kind of mark has shown up (images error out, frames load).
        def all_kinds():
            r = op.executed()
            kinds = [any(s.startswith(k) for s in r) for k in ("dialog:", "console:")]
            return r if len(r) >= 20 and all(kinds) and any("__xss_999" in s for s in r) else None

        ran = poll_until(op.page, all_kinds, what="the unescaped payloads running")
        assert any(s.startswith("dialog:") for s in ran), ran
        assert any(s.startswith("console:") for s in ran), ran
        assert any("__xss_999" in s for s in ran), ran  # a global set inside a child frame
        assert len(ran) >= 20, ran
    links = '<a href="javascript:void(0)">a</a><svg><a xlink:href="data:text/html,x"><text>b</text></a></svg>'
    with open_offline(chromium, "about:blank") as op:
        op.page.set_content(f"<!doctype html><html><body>{links}<a href='https://example.org/'>c</a></body></html>")
        assert sorted(op.bad_links()) == ["data:text/html,x", "javascript:void(0)"]


def test_escaped_payloads_do_not_run_on_the_same_page(chromium):
    """The control: the escaped payloads, in a template literal as folium writes them, stay text."""
    items = "".join(f"<li>{esc(p)}</li>" for _, p in PAYLOADS)
    script = f"document.body.insertAdjacentHTML('beforeend', `<ul id=pop>{items}</ul>`);"
    with open_offline(chromium, "about:blank") as op:
        op.page.set_content(f"<!doctype html><html><body><script>{script}</script></body></html>")
        op.page.locator("#pop").wait_for(state="attached")
        op.page.wait_for_load_state("load")
        settle(op.page)
        assert not op.executed()
        text = op.page.locator("#pop").inner_text()
        assert all(p.strip() in text for _, p in PAYLOADS[:10])


def test_jinja_syntax_in_text_is_not_evaluated():
    import folium

    m = folium.Map(tiles=None)
    gj = folium.GeoJson({"type": "Point", "coordinates": [38.0, 48.0]})
    folium.Popup(esc(SSTI)).add_to(gj)
    folium.Tooltip(esc(SSTI)).add_to(gj)
    gj.add_to(m)
    folium.FeatureGroup(name=esc(SSTI)).add_to(m)
    folium.LayerControl().add_to(m)
    out = m.get_root().render()
    assert "SSTI 1337" not in out  # evaluated, it would read "SSTI 1337 x" (random element ids may hold 1337)
    assert out.count(esc(SSTI)) >= 2  # popup and tooltip (the layer name is JSON-encoded)


@pytest.mark.parametrize("url", NOT_HTTP_URLS)
def test_only_http_urls_are_stored_or_linked(url, tmp_path):
    assert safe_url(url) is None
    store = open_store(tmp_path, seed=False)
    try:
        with pytest.raises(ValidationError):
            store.add_claims([_claim(1, "q", url)], "xss-suite")
    finally:
        store.close()


# ---------------------------------------------------------------- the app
def _open_dropdown(page, widget, tries: int = 4) -> None:
    """Click ``widget`` until its option list is shown (a click during a rerun can be lost)."""
    for _ in range(tries):
        widget.click()
        try:
            page.locator('[role="listbox"]').first.wait_for(timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: click again
            wait_idle(page)
    raise AssertionError(f"the options of {widget} did not open ({tries} clicks)")


def _open_every_popup(frame, page) -> int:
    """Click every interactive shape (and hover it) so each popup and tooltip is built and shown."""
    n = frame.locator("path.leaflet-interactive").count()
    for i in range(n):
        path = frame.locator("path.leaflet-interactive").nth(i)
        path.dispatch_event("mouseover")
        path.dispatch_event("click")
    if n:  # Leaflet opens a popup on the click (one at a time)
        frame.locator(".leaflet-popup-content").first.wait_for(state="attached", timeout=120_000)
    settle(page)
    return n


def test_map_popups_and_tooltips(chromium, xss_url, xss_data, screenshot_dir):
    with open_offline(chromium, xss_url) as op:
        page = op.page
        wait_idle(page, timeout_ms=120_000)
        (frame,) = map_frames(page)
        frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=120_000)
        # A contested area held by the separatists carries every payload claim (areas are drawn
        # largest first, so which one comes first in the page depends on their sizes).
        popup = frame.locator(".leaflet-popup-content").last  # the one just opened
        shown, text, best = [], "", None

        def open_popup(area) -> str:
            frame.locator(".leaflet-popup-close-button").evaluate_all("els => els.forEach(e => e.click())")
            frame.locator(".leaflet-popup").first.wait_for(state="detached", timeout=60_000)
            area.dispatch_event("click")
            popup.wait_for(timeout=60_000)
            return popup.inner_text()

        for area in frame.locator("path.leaflet-interactive[fill='#D55E00']").all():
            here = open_popup(area)
            found = [n for n, p in PAYLOADS if p.strip() in here]
            if len(found) > len(shown):
                shown, text, best = found, here, area
        assert len(shown) >= len(PAYLOADS) - 5, f"payloads missing from the popup text: {len(shown)}"
        assert SSTI in text and "SSTI 1337" not in text  # not evaluated (random claim ids may hold 1337)
        open_popup(best)
        hrefs = popup.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(hrefs) >= len(PAYLOADS)
        page.screenshot(path=str(screenshot_dir / "xss-map-popup.png"), full_page=True)
        opened = _open_every_popup(frame, page)
        assert opened > 30
        # Every layer on, so hidden groups are drawn too.
        frame.locator(".leaflet-control-layers").hover()
        for box in frame.locator(".leaflet-control-layers-overlays input[type=checkbox]").all():
            if not box.is_checked():
                box.check()
        _open_every_popup(frame, page)
        _assert_clean(op, "map")


def test_claims_page_table_filters_and_details(chromium, xss_url, screenshot_dir):
    with open_offline(chromium, f"{xss_url}/claims") as op:
        page = op.page
        wait_idle(page, timeout_ms=120_000)
        # The actor filter lists payload actors: open it so the options render.
        _open_dropdown(page, page.get_by_label("Actor").first)
        page.keyboard.press("Escape")
        # A payload typed into the free-text filter.
        box = page.get_by_label("Free text")
        box.fill(PAYLOADS[0][1])
        watch_reruns(page)
        box.press("Enter")
        wait_rerun(page)
        box.fill("")
        watch_reruns(page)
        box.press("Enter")
        wait_rerun(page)
        # Select the first row.
        select_first_grid_row(page, page.get_by_role("heading", name=re.compile(r"^Claim ")))
        wait_idle(page)
        page.screenshot(path=str(screenshot_dir / "xss-claims.png"), full_page=True)
        _assert_clean(op, "claims")


def test_claims_page_selected_payload_claim(chromium, xss_url, xss_data):
    """Filter down to one payload claim, select it, and show its details, history and edit form."""
    with open_offline(chromium, f"{xss_url}/claims") as op:
        page = op.page
        wait_idle(page, timeout_ms=120_000)
        for n, p in PAYLOADS[::17]:
            box = page.get_by_label("Free text")
            box.fill(p)
            box.press("Enter")
            wait_idle(page)
            select_first_grid_row(page, page.get_by_role("heading", name=re.compile(r"^Claim ")), timeout_ms=60_000)
            wait_idle(page)
            # The expander comes after the claim's own map, which a loaded machine draws late.
            hist = page.get_by_text("History (audit log)").first
            hist.wait_for(state="visible", timeout=90_000)
            hist.click()
            settle(page)
            _assert_clean(op, f"claims, payload {n}")


def test_compare_page_line_names_and_claim(chromium, xss_url, xss_data, screenshot_dir):
    a, b = xss_data["drawn"][0], xss_data["drawn"][1]
    cid = xss_data["claim_ids"][0]
    with open_offline(chromium, f"{xss_url}/compare?{urlencode({'a': a, 'b': b, 'claim': cid})}") as op:
        page = op.page
        wait_idle(page, timeout_ms=120_000)
        assert page.locator('[data-testid="stMain"] h1', has_text="Compare").count() > 0, "Compare page missing"
        page.get_by_text("Side by side").first.click()
        wait_idle(page)
        # Open both line dropdowns so every (payload) line name is rendered.
        for label in ("Line A (before)", "Line B (after)", "Hold a claim against this comparison"):
            sel = page.get_by_label(label)
            if sel.count():
                _open_dropdown(page, sel.first)
                page.keyboard.press("Escape")
        for frame in map_frames(page):
            for i in range(frame.locator("path.leaflet-interactive").count()):
                frame.locator("path.leaflet-interactive").nth(i).dispatch_event("mouseover")
        settle(page)
        page.screenshot(path=str(screenshot_dir / "xss-compare.png"), full_page=True)
        _assert_clean(op, "compare")


def test_query_parameters_on_every_page(chromium, xss_url):
    params = {f"x{n}": p for n, p in PAYLOADS}
    with open_offline(chromium, xss_url) as op:
        wait_idle(op.page)
        pages = nav_pages(op.page)
        for name, href in pages.items():
            for key in ("a", "b", "date", "claim", "x"):
                n, p = PAYLOADS[hash((name, key)) % len(PAYLOADS)]
                params[key] = p
            op.page.goto(href + "?" + urlencode(params, quote_via=quote))
            wait_idle(op.page, timeout_ms=120_000)
            _assert_clean(op, f"{name} with payload query parameters")


def test_imported_file_with_payload_properties(chromium, xss_url, xss_data, tmp_path):
    """Upload the payload GeoJSON through every file input of an import page (when there is one)."""
    geo_file = tmp_path / "payloads.geojson"
    geo_file.write_bytes(_geojson_with_payloads())
    assert xss_data["imported"], "the importer stored no payload claim"
    with open_offline(chromium, xss_url) as op:
        wait_idle(op.page)
        targets = {k: v for k, v in nav_pages(op.page).items() if "import" in k}
        assert targets, "no import page in the navigation"
        for name, href in targets.items():
            op.page.goto(href)
            wait_idle(op.page, timeout_ms=120_000)
            as_claims = op.page.get_by_text(re.compile(r"^claims\b"))
            if as_claims.count():
                as_claims.first.click()
                wait_idle(op.page)
            inputs = op.page.locator("input[type=file]")
            assert inputs.count() >= 1, f"{name}: no file input"
            watch_reruns(op.page)
            inputs.first.set_input_files(str(geo_file))
            wait_rerun(op.page)  # the upload reruns the page
            # Open every select so mapped property names render.
            for sel in [s for s in op.page.locator('[data-testid="stSelectbox"]').all() if s.is_visible()][:8]:
                _open_dropdown(op.page, sel)
                op.page.keyboard.press("Escape")
            _assert_clean(op, name)


def test_extract_page_with_payload_text(chromium, xss_url):
    """Pasted text and source fields full of payloads, proposed as claims."""
    with open_offline(chromium, xss_url) as op:
        wait_idle(op.page)
        href = nav_pages(op.page).get("extract")
        assert href, "no Extract page in the navigation"
        op.page.goto(href)
        wait_idle(op.page)
        text = " ".join(
            f"Kiev said separatists seized more than {100 + n} sq km beyond the Minsk line {p}."
            for n, p in PAYLOADS[:25]
        )
        op.page.locator("textarea[aria-label='Text']").fill(text)
        for label, (_, p) in zip(("Publisher", "Title"), PAYLOADS[25:27]):
            box = op.page.locator(f"input[aria-label='{label}']")
            if box.count():
                box.first.fill(p[:200])
                box.first.press("Enter")
        wait_idle(op.page)  # the runs the Enter presses started
        op.page.get_by_role("button", name="Propose claims").click()
        op.page.get_by_text("Proposed claims").first.wait_for(timeout=120_000)
        wait_idle(op.page)
        _assert_clean(op, "extract")


# ---------------------------------------------------------------- markdown payloads
# Not scripts: links, images and markup that Streamlit's markdown would render from a data or
# URL value that reached st.markdown/st.caption/st.warning... unescaped (see geo.html.md_escape).
def _assert_markdown_inert(op, where: str) -> None:
    """No link to the payloads' host and no outside image in any frame, ever; no outside request."""
    found = []
    for item in op.seen_links_and_images():
        kind, _, target = item.partition(" ")
        parts = urlsplit(target)
        if kind == "link" and (parts.hostname or "").endswith(MD_EVIL_HOST):
            found.append(item)
        if kind == "image" and parts.scheme not in ("data", "blob", "") and not is_local(target):
            found.append(item)
    assert not found, f"{where}: markdown payloads rendered as links or images: {found[:10]}"
    _assert_clean(op, where)


def test_markdown_payloads_in_stored_data(chromium, xss_url, xss_data, screenshot_dir):
    """Claim quote/actor/notes, source title/publisher and line names full of markdown."""
    md_claim = xss_data["md_claim_ids"][0]
    a, b = xss_data["md_drawn"][0], xss_data["md_drawn"][1]
    with open_offline(chromium, xss_url) as op:
        page = op.page
        wait_idle(page, timeout_ms=120_000)
        map_frames(page)
        _assert_markdown_inert(op, "map")
        pages = nav_pages(page)
        page.goto(pages["claims"])
        wait_idle(page, timeout_ms=120_000)
        # The disagreeing claims list shows quotes and publishers of the payload claims.
        expect(page.get_by_text("Claims that disagree", exact=True)).to_be_visible(timeout=60_000)
        expect(page.get_by_text(MD_PAYLOADS[0].split("://")[0]).first).to_be_attached(timeout=60_000)
        full_screenshot(page, screenshot_dir / "xss-md-claims.png")
        _assert_markdown_inert(op, "claims")
        page.goto(f"{pages['compare']}?{urlencode({'a': a, 'b': b, 'claim': md_claim})}")
        wait_idle(page, timeout_ms=120_000)
        page.get_by_text("Side by side", exact=True).first.click()
        wait_idle(page, timeout_ms=120_000)
        # Side by side names both (payload) lines in bold markdown above their maps.
        # (up to the URL's "://", where md_escape puts an invisible word joiner)
        expect(page.get_by_text(f"A: {MD_PAYLOADS[0].split('://')[0]}")).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"B: {MD_PAYLOADS[1].split('://')[0]}")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Claimed:").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(screenshot_dir / "xss-md-compare.png"), full_page=True)
        _assert_markdown_inert(op, "compare")


# The parameters the pages read; every markdown payload goes into each of them once.
_MD_QUERY_PARAMS = ("basemap", "lines", "also", "as_of", "a", "b", "date", "claim")
_MD_QUERY_PAYLOADS = MD_PAYLOADS[:8] + [MD_PAYLOADS[10]]


def test_markdown_payloads_in_every_query_parameter_of_every_page(chromium, xss_url):
    with open_offline(chromium, xss_url) as op:
        wait_idle(op.page)
        pages = nav_pages(op.page)
        for name, href in pages.items():
            reads_params = name in ("map", "compare")  # the others read only as_of (a date)
            rounds = len(_MD_QUERY_PAYLOADS) if reads_params else 2
            for r in range(rounds):
                params = {
                    key: _MD_QUERY_PAYLOADS[(r + k) % len(_MD_QUERY_PAYLOADS)] for k, key in enumerate(_MD_QUERY_PARAMS)
                }
                op.page.goto(href + "?" + urlencode(params, quote_via=quote))
                wait_idle(op.page, timeout_ms=120_000)
                _assert_markdown_inert(op, f"{name} with markdown query parameters (round {r})")
