"""The analyst's path through the whole app in Chromium, on the shipped data, offline.

Open the map, click the seed claim's area, open its source, edit a claim, delete one and
undo, compare two lines, export: no error element on any page, and the registry is
consistent afterwards (the edit stored once in the right claim, the deleted claim back,
every step in the audit log, SQLite's integrity check clean).

The app runs on its own data directory, so other browser tests' edits do not interfere.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from geo import schema as S
from geo.analysis.layers import build_layers
from geo.claims.store import open_store
from tests.support.browser_map import TIMEOUT, click_area_until_popup, map_frame_object, select_row
from tests.support.browser_util import running_app
from tests.support.e2e_util import EXCEPTION_BOX, MAP_IFRAME, open_offline, poll_until, wait_idle, warm_up

pytestmark = pytest.mark.browser

ERROR_BOXES = f'{EXCEPTION_BOX}, [data-testid="stAlertContentError"]'
NEW_QUOTE = "Walk-through edit: the rebels had advanced beyond the agreed line."


def _no_errors(op, where: str) -> None:
    page = op.page
    wait_idle(page)
    errors = page.locator(ERROR_BOXES)
    assert errors.count() == 0, f"{where}: {[errors.nth(i).inner_text()[:200] for i in range(errors.count())]}"
    assert page.get_by_text("Page not found").count() == 0, where
    assert not op.errors, f"{where}: {op.errors[:3]}"


def _go(op, url: str) -> None:
    op.page.goto(url)
    wait_idle(op.page)


@pytest.fixture(scope="module")
def own_app(chromium, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("walkthrough")
    with running_app(env={"CONTESTED_DATA_DIR": str(data_dir)}) as url:
        warm_up(chromium, url)
        yield url, data_dir


def test_the_analyst_path_end_to_end(chromium, own_app, screenshot_dir):
    url, data_dir = own_app
    with open_store(data_dir / "claims.sqlite") as s:
        before = s.list_claims(theatre=s.default_theatre).set_index(S.CLAIM_ID)
        seed_url = before.loc["c001", S.SOURCE_URL]
        audit_before = len(s.audit_log())
    ids = list(before.index)
    to_edit, to_delete = "c004", ids[2]
    assert to_delete not in ("c001", to_edit)

    contested = build_layers()["contested"]
    seed_km2 = round(float(contested[contested[S.C_CLAIM_IDS].str.contains("c001")][S.AREA_KM2].min()), 3)

    with open_offline(chromium, url + "/") as op:
        page = op.page
        # 1. The map opens on the seed claim, beside the map, with its source.
        detail = page.locator(".cl-claim-detail").first
        detail.wait_for(timeout=TIMEOUT)
        assert "more than 500 square km" in detail.inner_text()
        source_link = detail.locator("a", has_text="Ukraine accuses")
        assert source_link.get_attribute("href") == seed_url

        # 2. Click the seed claim's area on the map: its popup names the claim and its source.
        frame = map_frame_object(page)
        popup = click_area_until_popup(page, frame, seed_km2).first
        assert "more than 500 square km" in popup.inner_text()
        popup_links = popup.locator("a").evaluate_all("els => els.map(e => e.href)")
        assert seed_url in popup_links
        page.screenshot(path=str(screenshot_dir / "walkthrough-1-map.png"))

        # 3. Open its source: a new tab on the source's URL (offline here, so only the request is seen).
        with page.expect_popup() as new_tab:
            source_link.click()
        poll_until(page, lambda: seed_url in op.blocked, timeout_ms=TIMEOUT, what="the source's URL requested")
        new_tab.value.close()
        op.blocked.remove(seed_url)
        _no_errors(op, "map")

        # 4. Edit a claim on the Claims page.
        _go(op, url + "/claims")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=TIMEOUT)
        select_row(page, grid, ids, to_edit)
        quote = page.get_by_label("Quote", exact=True)
        assert quote.input_value() == before.loc[to_edit, S.CLAIM_QUOTE]
        quote.fill(NEW_QUOTE)
        page.get_by_role("button", name="Save changes").click()
        page.locator('[data-testid="stAlertContentSuccess"]', has_text=f"Saved claim {to_edit}").wait_for(
            timeout=TIMEOUT
        )
        _no_errors(op, "claims: edit")

        # 5. Delete another claim (asked first), then undo.
        _go(op, url + "/claims")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=TIMEOUT)
        select_row(page, grid, ids, to_delete)
        page.get_by_role("button", name="Delete claim").click()
        dialog = page.locator('[data-testid="stDialog"]')
        dialog.get_by_role("button", name="Yes, delete").click(timeout=TIMEOUT)
        page.locator('[data-testid="stAlertContentSuccess"]', has_text=f"Deleted claim {to_delete}").wait_for(
            timeout=TIMEOUT
        )
        with open_store(data_dir / "claims.sqlite") as s:
            assert s.get_claim(to_delete).deleted
        page.get_by_role("button", name="Undo").click()
        page.locator('[data-testid="stAlertContentSuccess"]', has_text=f"Restored claim {to_delete}").wait_for(
            timeout=TIMEOUT
        )
        page.screenshot(path=str(screenshot_dir / "walkthrough-2-claims.png"))
        _no_errors(op, "claims: delete and undo")

        # 6. Compare the Memorandum line with the line after Debaltseve.
        _go(op, url + f"/compare?a={S.LINE_MINSK_2014}&b={S.LINE_CONTACT_2015_02}")
        metric = page.locator('[data-testid="stMetric"]', has_text="Gained by Separatists").first
        metric.wait_for(timeout=TIMEOUT)
        value = metric.locator('[data-testid="stMetricValue"]').inner_text()
        assert value.endswith("km²") and value != "0 km²", value
        page.frame_locator(MAP_IFRAME).first.locator(".leaflet-container").wait_for(timeout=TIMEOUT)
        page.screenshot(path=str(screenshot_dir / "walkthrough-3-compare.png"))
        _no_errors(op, "compare")

        # 7. Export the contested areas as GeoJSON: every feature names its sources.
        _go(op, url + "/import-export")
        page.get_by_role("tab", name="Export").click()
        button = page.get_by_role("button", name="Download contested.geojson")
        button.wait_for(timeout=TIMEOUT)
        with page.expect_download(timeout=TIMEOUT) as dl:
            button.click()
        exported = json.loads(open(dl.value.path(), encoding="utf-8").read())
        features = exported["features"]
        assert features and all(f["properties"].get("sources") for f in features)
        assert any(src.get("url") == seed_url for f in features for src in f["properties"]["sources"])
        _no_errors(op, "import/export")
        assert not op.blocked, op.blocked[:5]

    # 8. The registry afterwards: one edit, in the right claim; the deleted claim is back.
    with open_store(data_dir / "claims.sqlite") as s:
        after = s.list_claims(theatre=s.default_theatre).set_index(S.CLAIM_ID)
        audit = s.audit_log()
    assert list(after.index) == ids
    assert after.loc[to_edit, S.CLAIM_QUOTE] == NEW_QUOTE
    unchanged = [c for c in ids if c != to_edit]
    assert (after.loc[unchanged, S.CLAIM_QUOTE] == before.loc[unchanged, S.CLAIM_QUOTE]).all()
    assert len(audit) == audit_before + 3  # the edit, the delete, the undo
    with sqlite3.connect(data_dir / "claims.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
