"""Permalinks of the map page and the shared sidebar: the URL restores the view."""

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.permalink import encode_choices, parse_choices, parse_date

REPO = Path(__file__).resolve().parent.parent
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
