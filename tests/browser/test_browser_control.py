"""The Control maps page in a real browser (issue 17 acceptance), every request outside localhost blocked.

A small synthetic series (4 days, :mod:`tests.support.synthetic_control`) is
uploaded through the page's file input and imported; the test then moves the
date slider with the keyboard and checks that the shown date follows, that
the charts are drawn and that the map draws the gained ground.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from geo.maps.controlmap import GAINED_STYLE
from tests.support import synthetic_control as SC
from tests.support.browser_util import REPO, running_app
from tests.support.e2e_util import (
    full_screenshot,
    map_frames,
    open_offline,
    settle,
    wait_idle,
    wait_rerun,
    watch_reruns,
)

pytestmark = pytest.mark.browser
DAYS = 4


@pytest.fixture(scope="module")
def control_app(chromium, tmp_path_factory):
    """The app with its own (empty) data directory."""
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    data_dir = tmp_path_factory.mktemp("control-browser-data")
    with running_app(env={"CONTESTED_DATA_DIR": str(data_dir)}) as url:
        yield url


def _day(k: int) -> str:
    return (SC.START + dt.timedelta(days=k)).isoformat()


def _shown_date(page) -> str:
    text = page.locator('[data-testid="stMarkdownContainer"]', has_text=" held; since ").first.inner_text()
    found = re.search(r"on (\d{4}-\d{2}-\d{2}):", text)
    assert found, text
    return found.group(1)


def test_upload_a_series_move_the_slider_see_chart_and_gained_layer(chromium, control_app, tmp_path, screenshot_dir):
    paths = SC.write_series(tmp_path / "series", DAYS)
    with open_offline(chromium, control_app) as op:
        page = op.page
        wait_idle(page)  # the root first: the server runs st.navigation (see e2e_util.warm_up)
        page.goto(f"{control_app}/control")
        wait_idle(page)
        expect(page.get_by_text("No control series is held for this theatre yet")).to_be_visible(timeout=60_000)

        watch_reruns(page)
        page.locator("input[type=file]").first.set_input_files([str(p) for p in paths])
        wait_rerun(page)
        name = page.get_by_label("Series name")
        name.fill("DeepState")
        name.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Import").click()
        wait_idle(page, timeout_ms=180_000)
        expect(page.get_by_text(f"imported {DAYS} snapshot(s), skipped 0 as duplicate(s), refused 0")).to_be_visible(
            timeout=120_000
        )

        # The map of the last day, with the ground gained since the first day.
        frame = map_frames(page)[0]
        gained = frame.locator(f"path.leaflet-interactive[fill='{GAINED_STYLE['fillColor']}']")
        gained.first.wait_for(state="attached", timeout=60_000)
        assert _shown_date(page) == _day(DAYS - 1)
        # The charts: area over time and net change per period (Vega-Lite).
        expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2, timeout=60_000)

        # Move the slider one step back with the keyboard: the page shows the day before.
        slider = page.get_by_role("slider").first
        watch_reruns(page)
        slider.focus()
        slider.press("ArrowLeft")
        wait_rerun(page)
        expect(page.locator('[data-testid="stMarkdownContainer"]', has_text=f"on {_day(DAYS - 2)}:")).to_have_count(
            1, timeout=60_000
        )
        frame = map_frames(page)[0]
        frame.locator(f"path.leaflet-interactive[fill='{GAINED_STYLE['fillColor']}']").first.wait_for(
            state="attached", timeout=60_000
        )
        settle(page)
        full_screenshot(page, screenshot_dir / "control-page.png")
        assert not op.blocked, op.blocked
        assert not op.errors, op.errors
        assert not page.locator('[data-testid="stException"]').count()
