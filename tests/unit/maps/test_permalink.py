"""Permalinks of the map page and the shared sidebar: the URL restores the view."""

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.maps import encode_choices, parse_choices, parse_date, value_preview

REPO = Path(__file__).resolve().parents[3]
ALLOWED = ["a", "b", "c"]


@given(st.lists(st.sampled_from(ALLOWED), unique=True))
def test_choices_round_trip(values):
    assert parse_choices(encode_choices(values), ALLOWED) == (values, [])


def test_unknown_and_hostile_values_are_reported_not_kept():
    known, unknown = parse_choices("a,<script>alert(1)</script>,b,a", ALLOWED)
    assert known == ["a", "b"] and unknown == ["<script>alert(1)</script>"]
    assert parse_date("2015-02-30") is None and parse_date("2015-01-21") == dt.date(2015, 1, 21)


def _app():
    return AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)


def test_map_view_is_written_to_the_url_and_restored_from_it():
    at = _app().run()
    assert not at.exception
    assert at.query_params["basemap"] == "blank"
    at.selectbox(key="map_basemap").set_value("osm").run()
    at.multiselect(key="map_to_lines").set_value([S.LINE_CONTACT_2015_02]).run()
    assert at.query_params["basemap"] == "osm"
    assert at.query_params["lines"] == S.LINE_CONTACT_2015_02

    fresh = _app()
    fresh.query_params["basemap"] = "osm"
    fresh.query_params["lines"] = S.LINE_CONTACT_2015_02
    fresh.query_params["also"] = "zones"
    fresh.query_params["as_of"] = "2020-01-01"
    fresh.run()
    assert not fresh.exception
    assert fresh.selectbox(key="map_basemap").value == "osm"
    assert fresh.multiselect(key="map_to_lines").value == [S.LINE_CONTACT_2015_02]
    assert fresh.multiselect(key="map_extra_layers").value == ["zones"]
    assert fresh.session_state["as_known_on"] == dt.date(2020, 1, 1)
    table = next(t.value for t in fresh.dataframe if "claims (ids)" in t.value.columns)  # contested areas
    assert len(table) >= 1 and table["area"].str.contains("2015-02-20").all()


def test_a_bad_link_warns_and_falls_back():
    at = _app()
    at.query_params["basemap"] = "javascript:alert(1)"
    at.query_params["lines"] = "nope"
    at.query_params["as_of"] = "2999-01-01"
    at.run()
    assert not at.exception
    assert at.selectbox(key="map_basemap").value == "blank"
    assert at.warning and "nope" in at.warning[0].value
    assert at.session_state["as_known_on"] is None


# ---------------------------------------------------------------- hostile and huge values
HUGE = "contact_2015_01_20," + "x" * 100_000  # a 100 kB query value
PHISH = "[Session expired - sign in again](https://evil.example/login)"
MAX_WARNING = 400  # characters: a warning names the problem, it does not echo the value


def test_an_overlong_value_is_refused_with_a_short_preview():
    known, unknown = parse_choices(HUGE, ["contact_2015_01_20"])
    assert known == []
    assert len(unknown) == 1 and len(unknown[0]) < 120, unknown
    assert unknown[0].startswith("contact_2015_01_20,xxx") and "100019 characters" in unknown[0]
    assert len(value_preview(HUGE)) < 120
    assert value_preview("short") == "short"
    # A list of many long unknown items is cut too: each item and their number.
    _, unknown = parse_choices(",".join(f"{i}" + "y" * 300 for i in range(10)), ALLOWED)
    assert all(len(u) < 120 for u in unknown)
    assert sum(map(len, unknown)) < MAX_WARNING * 3
    assert parse_date("2015-01-21" + "x" * 100_000) is None


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def _unescaped_link(text: str) -> bool:
    """True if ``text`` holds markdown link syntax ``](`` whose brackets are not backslash-escaped."""
    return bool(re.search(r"(?<!\\)\]\s*(?<!\\)\(", text)) or "https://evil" in text


@pytest.mark.parametrize("param", ["basemap", "lines", "also", "as_of"])
def test_map_page_with_a_100kb_query_value_renders_and_warns_briefly(param):
    at = _app()
    at.query_params[param] = HUGE
    t0 = time.perf_counter()
    at.run()
    took = time.perf_counter() - t0
    assert not at.exception, at.exception
    assert at.title and at.title[0].value == "Contested Lines"
    for w in _warnings(at):
        assert len(w) < MAX_WARNING, (param, len(w))
    if param != "as_of":  # as_of is refused silently (the date field stays empty)
        assert _warnings(at), f"no warning for an overlong {param}"
    assert took < 60, f"{param}: {took:.1f} s"


@pytest.mark.parametrize("param", ["a", "b", "date", "claim"])
def test_compare_page_with_a_100kb_query_value_renders_and_warns_briefly(param):
    at = AppTest.from_file(str(REPO / "pages" / "compare.py"), default_timeout=120)
    at.query_params[param] = HUGE
    at.run()
    assert not at.exception, at.exception
    for w in _warnings(at):
        assert len(w) < MAX_WARNING, (param, len(w))
    if param in ("a", "b", "date"):
        assert _warnings(at), f"no warning for an overlong {param}"


def test_query_values_in_warnings_are_markdown_escaped():
    at = _app()
    at.query_params["lines"] = PHISH
    at.query_params["basemap"] = PHISH
    at.run()
    assert at.warning and all(not _unescaped_link(w) for w in _warnings(at)), _warnings(at)
    cmp = AppTest.from_file(str(REPO / "pages" / "compare.py"), default_timeout=120)
    for p in ("a", "b", "date"):
        cmp.query_params[p] = PHISH
    cmp.run()
    assert not cmp.exception
    assert len(cmp.warning) >= 2 and all(not _unescaped_link(w) for w in _warnings(cmp)), _warnings(cmp)


def test_choice_or_default_keeps_known_values_only():
    from geo.maps import choice_or_default

    assert choice_or_default("l2", ["l1", "l2"], "l1") == "l2"
    assert choice_or_default("nope", ["l1", "l2"], "l1") == "l1"
    assert choice_or_default(None, ["l1"], "") == ""


def test_unknown_values_names_each_bad_param_shortened():
    from geo.maps import unknown_values

    got = unknown_values({"a": "x" * 100, "b": "l1", "c": "zz"}, ("a", "b"), ["l1"])
    assert got == ["a=" + "x" * 40 + "… (100 characters)"]
    assert unknown_values({}, ("a", "b"), ["l1"]) == []


def test_snap_date_snaps_to_version_in_force_and_refuses_bad_dates():
    from geo.maps import snap_date

    dates = ["2014-09-19", "2015-02-20", "2016-01-01"]
    assert snap_date("2015-02-20", dates) == ("2015-02-20", False)
    assert snap_date("2015-12-31", dates) == ("2015-02-20", False)
    assert snap_date("1999-01-01", dates) == ("2014-09-19", False)
    assert snap_date(None, dates) == ("2016-01-01", False)
    assert snap_date("2015-13-01", dates) == ("2016-01-01", True)
    assert snap_date("21/01/2015", dates) == ("2016-01-01", True)


def test_reported_view_reads_center_and_zoom():
    from geo.maps import reported_view

    assert reported_view({"center": {"lat": "48.1", "lng": 38}, "zoom": 9.0}) == ((48.1, 38.0), 9)
    assert reported_view({"center": {"lat": 1}, "zoom": "9"}) == (None, None)
    assert reported_view([]) == (None, None)
