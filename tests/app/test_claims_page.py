"""AppTest of the claims page: filter, add through the form, see it on the map page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.map_tabs import map_table

REPO = Path(__file__).resolve().parents[2]


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
    contested = _table(m, "claims (ids)")  # the map page's contested-areas table (its first tab)
    claims = map_table(m, "Claims", "quote")
    assert claims["quote"].str.startswith("Test quote").any()
    new_id = claims.loc[claims["quote"].str.startswith("Test quote"), "claim"].iloc[0]
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


# ---- selection, edit, delete, revert (issue 14 items 1, 2, 10) -----------------------------


def _claims_grid(at):
    """The registry table (its key starts with ``claims_table``)."""
    return next(d for d in at.dataframe if d.key and d.key.startswith("claims_table"))


def _select(at, claim_id):
    """Select the row of ``claim_id`` in the registry table, as a click on that row does."""
    grid = _claims_grid(at)
    ids = list(grid.value["claim"])
    at.session_state[grid.key] = {"selection": {"rows": [ids.index(claim_id)], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _store():
    import os

    from geo.claims.store import open_store

    return open_store(Path(os.environ["CONTESTED_DATA_DIR"]) / "claims.sqlite")


def _edit_quote(at):
    return next(t for t in at.text_area if t.label == "Quote")


def _click(at, label_start):
    button = next(b for b in at.button if b.label.startswith(label_start))
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_edit_after_switching_selection_saves_into_the_claim_on_screen():
    at = _app("claims").run()
    with _store() as s:
        before = s.list_claims().set_index("claim_id")["quote"]
    _select(at, "c009")
    assert _edit_quote(at).value == before["c009"]
    _select(at, "c004")
    assert _edit_quote(at).value == before["c004"]  # the form shows the claim on screen
    _edit_quote(at).input("Edited c004: the rebels had made some gains.")
    _click(at, "Save changes")
    assert not at.error, [e.value for e in at.error]
    with _store() as s:
        after = s.list_claims().set_index("claim_id")["quote"]
    assert after["c004"] == "Edited c004: the rebels had made some gains."
    assert after["c009"] == before["c009"]
    # The saved claim stays on screen, with a fresh form showing the new text.
    assert _edit_quote(at).value == "Edited c004: the rebels had made some gains."


def test_delete_asks_then_says_what_was_done_clears_the_selection_and_undoes():
    at = _app("claims").run()
    last = list(_claims_grid(at).value["claim"])[-1]  # the last row: a stale row position overflows
    with _store() as s:
        quote = s.get_claim(last).quote
    _select(at, last)
    _click(at, "Delete claim")
    with _store() as s:
        assert not s.get_claim(last).deleted  # only asked so far
    _click(at, "Yes, delete")
    with _store() as s:
        assert s.get_claim(last).deleted
    assert not at.error, [e.value for e in at.error]
    done = " ".join(m.value for m in at.success)
    assert "Deleted claim" in done and quote[:30] in done.replace("\\", "")
    assert last not in list(_claims_grid(at).value["claim"])
    # no other claim jumps in: nothing is selected, so no details and no edit form
    assert not [d for d in at.dataframe if list(d.value.columns) == ["field", "value"]]
    assert not [h for h in at.subheader if h.value.startswith("Claim by")]
    assert not [t for t in at.text_area if t.label == "Quote"]
    _click(at, "Undo")
    with _store() as s:
        assert not s.get_claim(last).deleted
    assert last in list(_claims_grid(at).value["claim"])


def test_revert_to_an_earlier_version_from_the_history():
    with _store() as s:
        original = s.get_claim("c004")
        s.update_claim("c004", {"quote": "A wrong edit."}, user="someone", expected_version=original.version)
    at = _app("claims").run()
    _select(at, "c004")
    at.selectbox(key=f"revert_pick_c004_{original.version + 1}").set_value(original.version).run()
    _click(at, "Revert to version")
    with _store() as s:
        assert s.get_claim("c004").quote == "A wrong edit."  # only asked so far
    _click(at, "Yes, revert")
    with _store() as s:
        now = s.get_claim("c004")
    assert now.quote == original.quote and now.version == original.version + 2
    assert "Reverted claim" in " ".join(m.value for m in at.success)
    _click(at, "Undo")
    with _store() as s:
        assert s.get_claim("c004").quote == "A wrong edit."


def test_claims_page_shows_labels_not_stored_values():
    at = _app("claims").run()
    table = _table(at, "quote")
    assert not table["reference line"].isin(["minsk_2014_09_19"]).any()
    assert table["reference line"].str.contains("Minsk", case=False).any()
    assert "Separatists" in at.multiselect(key="cf_party").options
    assert "separatists" not in at.multiselect(key="cf_party").options
    _select(at, "c001")
    details = next(d.value for d in at.dataframe if list(d.value.columns) == ["field", "value"])
    text = " ".join(details["value"].astype(str))
    assert "more than" in text and "more_than" not in text
    assert "Separatists" in text
    history = next(d.value for d in at.dataframe if "who" in d.value.columns)
    assert "before" not in history.columns and "audit_id" not in history.columns


def test_a_write_elsewhere_keeps_the_claim_on_screen_and_its_edit():
    at = _app("claims").run()
    _select(at, "c004")
    _edit_quote(at).input("Edited while another analyst added a claim.")
    with _store() as s:  # another process adds a claim: the table lists one more row
        source = s.list_sources()["source_id"].iloc[0]
        s.add_claims(
            [
                {
                    "quote": "Added elsewhere.",
                    "actor": "Desk 2",
                    "stance": "asserts",
                    "event_date": "2015-01-22",
                    "source_id": source,
                }
            ],
            "desk-2",
        )
    _click(at, "Save changes")
    assert not at.error, [e.value for e in at.error]
    with _store() as s:
        assert s.get_claim("c004").quote == "Edited while another analyst added a claim."
    assert _edit_quote(at).value == "Edited while another analyst added a claim."


def test_a_large_disagreeing_group_shows_its_two_ends_and_says_how_many_it_leaves_out():
    import streamlit as st

    from geo import schema as S

    figures = [3, *range(100, 1100, 100), 9999]  # 12 claims about the same ground, 3 to 9,999 km²
    with _store() as s:
        source = s.list_sources()["source_id"].iloc[0]
        s.add_claims(
            [
                {
                    S.CLAIM_QUOTE: f"They hold {v} sq km beyond the line (desk claim {v}).",
                    S.CLAIM_ACTOR: "Desk",
                    S.CLAIM_STANCE: "asserts",
                    S.CLAIM_KIND: "area",
                    S.CLAIM_VALUE: v,
                    S.CLAIM_UNIT: "sq km",
                    S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
                    S.CLAIM_SIDE: "separatists",
                    S.CLAIM_EVENT_DATE: "2015-05-05",
                    S.CLAIM_SOURCE_ID: source,
                }
                for v in figures
            ],
            "tester",
        )
    st.cache_resource.clear()
    st.cache_data.clear()
    at = _app("claims").run()
    assert not at.exception, [e.value for e in at.exception]
    left_out = [c.value for c in at.caption if "more claims about this ground" in c.value]
    assert left_out and all(c.startswith("… and ") and "the lowest and the highest figure" in c for c in left_out)
    shown = [m.value for m in at.metric]
    assert "3.0 km²" in shown and "9,999 km²" in shown  # the two ends of the desk's figures
    desk = [c.value for c in at.caption if "(desk claim" in c.value]
    assert len(desk) <= 8 * len(left_out) < 12 * len(left_out)  # each group's preview, not its 12 claims
