"""The Control maps page in a real browser (issue 17 acceptance), every request outside localhost blocked.

A small synthetic series (4 days, :mod:`tests.support.synthetic_control`) is
uploaded through the page's file input and imported; the test then moves the
date slider with the keyboard and checks that the shown date follows, that
the charts are drawn and that the map draws the gained ground. Another test
compares two control states (two lines' sides) and sees the table and the
map's only-A, only-B and both layers (with or without a series held).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from geo.control import regions_for
from geo.control.states import disagreement as states_disagreement
from geo.control.states import line_state, theatre_lines_for_states
from geo.maps import fmt_km2
from geo.maps.controlmap import BOTH_STYLE, GAINED_STYLE, ONLY_A_STYLE, ONLY_B_STYLE
from tests.support import synthetic_control as SC
from tests.support.browser_util import REPO, running_app
from tests.support.e2e_util import (
    MAP_IFRAME,
    full_screenshot,
    open_offline,
    settle,
    wait_idle,
    wait_rerun,
    watch_reruns,
)

pytestmark = pytest.mark.browser
DAYS = 4
THEATRE = "donbas-2014-15"


@pytest.fixture(scope="module")
def control_app(chromium, tmp_path_factory):
    """The app with its own (empty) data directory."""
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    data_dir = tmp_path_factory.mktemp("control-browser-data")
    with running_app(env={"CONTESTED_DATA_DIR": str(data_dir)}) as url:
        yield url


def _day(k: int) -> str:
    return (SC.START + dt.timedelta(days=k)).isoformat()


def _first_map(page):
    """The frame of the page's first map (the control map), once Leaflet is up in it.

    Not :func:`tests.support.e2e_util.map_frames`: the states map further down
    is only loaded by the browser when scrolled into view.
    """
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".leaflet-container").wait_for(state="attached", timeout=120_000)
    return frame


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
        frame = _first_map(page)
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
        frame = _first_map(page)
        frame.locator(f"path.leaflet-interactive[fill='{GAINED_STYLE['fillColor']}']").first.wait_for(
            state="attached", timeout=60_000
        )
        settle(page)
        full_screenshot(page, screenshot_dir / "control-page.png")
        assert not op.blocked, op.blocked
        assert not op.errors, op.errors
        assert not page.locator('[data-testid="stException"]').count()


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _expected_metrics(b_line: str) -> dict:
    """The figures the page should show for the separatists' sides of the Minsk line (A) and ``b_line`` (B)."""
    regions = regions_for(THEATRE)
    lines = theatre_lines_for_states(THEATRE)
    a, b = (line_state(lines, i, "separatists", regions) for i in ("minsk_2014_09_19", b_line))
    d = states_disagreement(a, b, regions)
    return {
        "Only in A": fmt_km2(d["only_a_km2"]),
        "Only in B": fmt_km2(d["only_b_km2"]),
        "In both": fmt_km2(d["both_km2"]),
    }


def test_compare_two_control_states_see_the_table_and_the_map_layers(chromium, control_app, screenshot_dir):
    with open_offline(chromium, control_app) as op:
        page = op.page
        wait_idle(page)
        page.goto(f"{control_app}/control")
        wait_idle(page)
        heading = page.get_by_role("heading", name="Compare two control states")
        expect(heading).to_be_visible(timeout=60_000)
        # By default A is the Minsk line's side, B the last line's (20 Feb 2015).
        expected = _expected_metrics("contact_2015_02_20")
        for label, value in expected.items():
            expect(page.locator('[data-testid="stMetric"]', has_text=label).first).to_contain_text(
                value, timeout=60_000
            )

        # Pick the line of 20 Jan 2015 as B: the figures follow.
        watch_reruns(page)
        box = page.get_by_role("combobox", name="Line (B)")
        box.click()
        page.keyboard.type("20 Jan 2015")
        page.keyboard.press("Enter")
        wait_rerun(page)
        expected = _expected_metrics("contact_2015_01_20")
        for label, value in expected.items():
            expect(page.locator('[data-testid="stMetric"]', has_text=label).first).to_contain_text(
                value, timeout=60_000
            )
        assert {label: _metric(page, label) for label in expected} == expected

        # The per-region table is drawn (a grid with the region rows and the totals).
        grid = page.locator('[data-testid="stDataFrame"]').last
        grid.scroll_into_view_if_needed()
        expect(grid).to_be_visible(timeout=60_000)
        expect(grid).to_contain_text("(all regions)", timeout=60_000)
        expect(grid).to_contain_text("Donetsk")

        # The map draws the three parts, each in its own style, with a legend naming them.
        frame = page.frame_locator(MAP_IFRAME).last
        for style in (ONLY_A_STYLE, ONLY_B_STYLE, BOTH_STYLE):
            frame.locator(f"path.leaflet-interactive[fill='{style['fillColor']}']").first.wait_for(
                state="attached", timeout=60_000
            )
        dashed = frame.locator(f"path.leaflet-interactive[stroke-dasharray='{ONLY_A_STYLE['dashArray']}']")
        assert dashed.count() >= 1
        legend = frame.locator(".cl-legend-item")
        texts = [t.strip() for t in legend.all_text_contents()]  # the legend is folded: hidden text
        assert any(t.startswith("Only in A, minsk_2014_09_19") for t in texts), texts
        assert any(t.startswith("Only in B, contact_2015_01_20") for t in texts), texts
        assert any(t.startswith("In both") for t in texts), texts
        settle(page)
        full_screenshot(page, screenshot_dir / "control-states.png")
        assert not op.blocked, op.blocked
        assert not op.errors, op.errors
        assert not page.locator('[data-testid="stException"]').count()
