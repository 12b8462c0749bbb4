"""The shared sidebar: drawn at once, except on a browser session's first Map run, where it follows the map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
BROWSER = {"Host": "127.0.0.1:8501", "User-Agent": "Chromium"}


def test_only_a_browser_sessions_first_map_run_defers(monkeypatch):
    import streamlit as st

    from pages import _sidebar

    monkeypatch.setattr(st, "session_state", {})
    assert _sidebar.defer_for_map(False, headers=BROWSER) is False  # another page: at once
    assert _sidebar.defer_for_map(True, headers=BROWSER) is True  # the first map of a browser session
    assert _sidebar.defer_for_map(True, headers=BROWSER) is False  # every later run: at once
    monkeypatch.setattr(st, "session_state", {})
    assert _sidebar.defer_for_map(True, headers={}) is False  # AppTest and scripts: no browser


def test_draw_deferred_draws_nothing_when_nothing_was_deferred(monkeypatch):
    import streamlit as st

    from pages import _sidebar

    monkeypatch.setattr(st, "session_state", {})
    drawn = []
    monkeypatch.setattr(_sidebar, "draw", drawn.append)
    assert _sidebar.draw_deferred(after_s=5.0) == 0.0  # no wait either
    assert drawn == []
    st.session_state[_sidebar.DEFERRED_KEY] = "slot"
    assert _sidebar.draw_deferred(after_s=0.0) == 0.0
    assert drawn == ["slot"]
    assert _sidebar.DEFERRED_KEY not in st.session_state  # drawn once
    assert _sidebar.draw_deferred() == 0.0 and drawn == ["slot"]


def test_head_start_counts_what_the_page_already_waited(monkeypatch):
    import streamlit as st

    from pages import _state

    slept = []
    monkeypatch.setattr(st, "session_state", {})
    monkeypatch.setattr(_state, "map_head_start", lambda page: 1.5)
    monkeypatch.setattr(_state.time, "sleep", slept.append)
    _state.let_the_map_draw("map", waited=0.6)
    _state.let_the_map_draw("map", waited=2.0)  # waited longer than the head start: no more
    assert slept == [pytest.approx(0.9)]


def _run_map(monkeypatch, defer: bool) -> tuple[AppTest, list[str]]:
    """Run the Map page with the deferral forced on or off; the order in which the map and the
    shared sidebar were sent."""
    from pages import _sidebar, _state

    events: list[str] = []
    real_draw, real_show = _sidebar.draw, _state.show_map

    def draw(slot):
        events.append("sidebar")
        real_draw(slot)

    def show_map(*args, **kwargs):
        events.append("map")
        return real_show(*args, **kwargs)

    monkeypatch.setattr(_sidebar, "draw", draw)
    monkeypatch.setattr(_state, "show_map", show_map)
    monkeypatch.setattr(_sidebar, "defer_for_map", lambda page_is_map, headers=None: defer and page_is_map)
    monkeypatch.setattr(_sidebar, "AFTER_MAP_S", 0.0)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.query_params["as_of"] = "2015-02-01"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, events


@pytest.mark.parametrize("defer", [False, True])
def test_the_sidebar_is_the_same_whether_drawn_before_or_after_the_map(monkeypatch, router_ran, fresh_caches, defer):
    at, events = _run_map(monkeypatch, defer)
    assert events == (["map", "sidebar"] if defer else ["sidebar", "map"])
    labels = [w.label for w in at.sidebar.selectbox] + [w.label for w in at.sidebar.multiselect]
    assert labels[:2] == ["Theatre", "Basemap"]  # the shared widgets stay on top
    assert "Contested areas against" in labels and "Also draw" in labels
    assert [d.label for d in at.sidebar.date_input][:1] == ["As reported by"]
    # The link's date reached the page although its widget was drawn after the map.
    assert at.session_state["as_known_on"] == dt.date(2015, 2, 1)
    assert at.sidebar.date_input[0].value == dt.date(2015, 2, 1)
    assert any("Legend" in s.value for s in at.sidebar.subheader)
