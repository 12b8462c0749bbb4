"""AppTest of the claims page: filter, add through the form, see it on the map page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent


def _app(page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page(f"pages/{page}.py")
    return at


def _table(at, column):
    return next(t.value for t in at.dataframe if column in t.value.columns)


def _fill_add_form(at, **values):
    for key, value in values.items():
        widget = at.text_area(key=key) if key in ("add_quote",) else None
        if widget is None:
            try:
                widget = at.text_input(key=key)
            except KeyError:
                widget = at.selectbox(key=key)
        widget.set_value(value) if hasattr(widget, "set_value") else widget.input(value)


def test_claims_page_lists_the_seed_and_filters():
    at = _app("claims").run()
    assert not at.exception, [e.value for e in at.exception]
    table = _table(at, "quote")
    n_all = len(table)
    assert n_all >= 20
    at.text_input(key="cf_text").input("Klimkin").run()
    table = _table(at, "quote")
    assert 1 <= len(table) < n_all
    assert table["quote"].str.contains("Klimkin").any()
    at.text_input(key="cf_text").input("").run()
    at.multiselect(key="cf_stance").set_value(["denies"]).run()
    table = _table(at, "quote")
    assert 1 <= len(table) < n_all and (table["stance"] == "denies").all()


def test_adding_a_claim_through_the_form_shows_in_table_and_map():
    at = _app("claims").run()
    n_before = len(_table(at, "quote"))
    at.text_area(key="add_quote").input("Test quote: the rebels seized 42 square kilometres beyond the line.")
    at.text_input(key="add_actor").input("Test Ministry")
    at.selectbox(key="add_kind").set_value("area")
    at.text_input(key="add_value").input("42")
    at.text_input(key="add_unit").input("sq km")
    at.selectbox(key="add_qualifier").set_value("about")
    at.selectbox(key="add_ref").set_value("minsk_2014_09_19")
    at.selectbox(key="add_side").set_value("separatists")
    at.text_input(key="add_event_date").input("2015-01-25")
    at.text_input(key="add_publisher").input("Test Wire")
    at.text_input(key="add_title").input("Test title")
    at.text_input(key="add_url").input("https://example.org/test-claim")
    at.text_input(key="add_published").input("2015-01-26")
    at.button[[b.label for b in at.button].index("Add claim")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = _table(at, "quote")
    assert len(table) == n_before + 1
    row = table[table["quote"].str.startswith("Test quote")]
    assert row["figure"].iloc[0] == "≈ 42 km²"

    # The map page sees the same registry (same data dir) and joins the new claim.
    m = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not m.exception
    claims = _table(m, "quote")
    assert claims["quote"].str.startswith("Test quote").any()
    new_id = claims.loc[claims["quote"].str.startswith("Test quote"), "claim"].iloc[0]
    contested = _table(m, "claims (ids)")  # the map page's contested-areas table
    assert contested["claims (ids)"].str.contains(new_id, regex=False).any()


@pytest.mark.parametrize(
    "field,value,expected",
    [("add_url", "javascript:alert(1)", "url"), ("add_event_date", "2015-13-45", "event_date")],
)
def test_invalid_form_input_names_the_field_and_stores_nothing(field, value, expected):
    at = _app("claims").run()
    n_before = len(_table(at, "quote"))
    at.text_area(key="add_quote").input("A valid quote.")
    at.text_input(key="add_actor").input("Someone")
    at.text_input(key="add_event_date").input("2015-01-25")
    at.text_input(key="add_publisher").input("Wire")
    at.text_input(key="add_url").input("https://example.org/x")
    at.text_input(key="add_published").input("2015-01-26")
    at.text_input(key=field).input(value)
    at.button[[b.label for b in at.button].index("Add claim")].click().run()
    assert not at.exception
    assert at.error and expected in at.error[0].value
    assert len(_table(at, "quote")) == n_before
