"""The Claims page in Chromium: the edit form follows the selection, and the mini-map has a height.

Rows of ``st.dataframe`` are drawn on a canvas (Glide Data Grid), so a row is
selected by clicking its row marker (the checkbox column at the left) at the
row's position; every step then waits for what it changes on the page.
"""

from __future__ import annotations

import pytest

from geo.claims.store import open_store
from tests.support.browser_map import TIMEOUT, select_row
from tests.support.e2e_util import EXCEPTION_BOX, MAP_IFRAME, open_offline, wait_idle, warm_up

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _router_ran(chromium, app_url):
    warm_up(chromium, app_url)


def _registry(app_data_dir):
    return open_store(app_data_dir / "claims.sqlite")


def _open_claims(op, app_url):
    op.page.goto(f"{app_url}/claims")
    wait_idle(op.page)
    grid = op.page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=TIMEOUT)
    return grid


def test_edit_after_switching_selection_saves_into_the_claim_on_screen(chromium, app_url, app_data_dir):
    with _registry(app_data_dir) as s:
        claims = s.list_claims(theatre=s.default_theatre).set_index("claim_id")  # the page shows this theatre's
    ids = list(claims.index)
    with open_offline(chromium, app_url) as op:
        page = op.page
        grid = _open_claims(op, app_url)
        select_row(page, grid, ids, "c009")
        quote = page.get_by_label("Quote", exact=True)
        assert quote.input_value() == claims.loc["c009", "quote"]
        select_row(page, grid, ids, "c004")
        quote = page.get_by_label("Quote", exact=True)
        page.wait_for_function(
            "([el, want]) => el.value === want",
            arg=[quote.element_handle(), claims.loc["c004", "quote"]],
            timeout=TIMEOUT,
        )
        quote.fill("Edited in the browser: the rebels had made some gains.")
        page.get_by_role("button", name="Save changes").click()
        page.locator('[data-testid="stAlertContentSuccess"]', has_text="Saved claim c004").wait_for(timeout=TIMEOUT)
        assert page.locator(EXCEPTION_BOX).count() == 0
        assert not op.blocked, op.blocked[:5]
    with _registry(app_data_dir) as s:
        after = s.list_claims().set_index("claim_id")["quote"]
    assert after["c004"] == "Edited in the browser: the rebels had made some gains."
    assert after["c009"] == claims.loc["c009", "quote"]


def test_mini_map_of_the_selected_claim_is_taller_than_300_px(chromium, app_url, app_data_dir):
    with _registry(app_data_dir) as s:
        claims = s.list_claims(theatre=s.default_theatre)
    ids = list(claims["claim_id"])
    target = "c001"  # joined to the contested areas beyond the Minsk line
    with open_offline(chromium, app_url) as op:
        page = op.page
        grid = _open_claims(op, app_url)
        select_row(page, grid, ids, target)
        frame = page.locator(MAP_IFRAME).first
        frame.wait_for(state="attached", timeout=TIMEOUT)
        page.frame_locator(MAP_IFRAME).first.locator(".leaflet-container").wait_for(state="attached", timeout=TIMEOUT)
        page.wait_for_function(
            "sel => { const f = document.querySelector(sel); return f && f.getBoundingClientRect().height > 300 }",
            arg=MAP_IFRAME,
            timeout=TIMEOUT,
        )
        height = frame.evaluate("f => f.getBoundingClientRect().height")
        inner = (
            page.frame_locator(MAP_IFRAME)
            .first.locator(".leaflet-container")
            .evaluate("e => e.getBoundingClientRect().height")
        )
        assert height > 300 and inner > 300, (height, inner)
        assert not op.errors, op.errors[:5]  # the map script ran to the end


def test_delete_asks_says_what_was_done_and_undo_restores(chromium, app_url, app_data_dir):
    with _registry(app_data_dir) as s:
        claims = s.list_claims(theatre=s.default_theatre)
    ids = list(claims["claim_id"])
    last = ids[2]  # a row the grid shows without scrolling
    with open_offline(chromium, app_url) as op:
        page = op.page
        grid = _open_claims(op, app_url)
        select_row(page, grid, ids, last)
        page.get_by_role("button", name="Delete claim").click()
        dialog = page.locator('[data-testid="stDialog"]')
        dialog.get_by_role("button", name="Yes, delete").wait_for(timeout=TIMEOUT)
        with _registry(app_data_dir) as s:
            assert not s.get_claim(last).deleted  # only asked so far
        dialog.get_by_role("button", name="Yes, delete").click()
        done = page.locator('[data-testid="stAlertContentSuccess"]', has_text=f"Deleted claim {last}")
        done.wait_for(timeout=TIMEOUT)
        wait_idle(page)
        assert dialog.count() == 0
        assert page.get_by_label("Quote", exact=True).count() == 0  # no other claim on screen
        assert page.locator(EXCEPTION_BOX).count() == 0
        with _registry(app_data_dir) as s:
            assert s.get_claim(last).deleted
        page.get_by_role("button", name="Undo").click()
        page.locator('[data-testid="stAlertContentSuccess"]', has_text=f"Restored claim {last}").wait_for(
            timeout=TIMEOUT
        )
        assert not op.errors, op.errors[:5]
    with _registry(app_data_dir) as s:
        assert not s.get_claim(last).deleted
