"""AppTest of the extract page: propose claims from the seed sentence, edit, save with the source."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.__main__ import main
from geo.claims.store import open_store
from geo.theatres import get_theatre, user_root

REPO = Path(__file__).resolve().parents[2]
SEED = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) "
    "of territory beyond agreed separation lines"
)
NUMBERS_ONLY = "Three soldiers were killed and 100 mm guns were seen near the road."


pytestmark = pytest.mark.usefixtures("fresh_caches")


def _app() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/extract.py")
    return at.run()


def _propose(at: AppTest, text: str, url: str = "https://www.themoscowtimes.com/2015/01/21/test") -> AppTest:
    at.text_area(key="ex_text").input(text)
    at.date_input(key="ex_published").set_value(dt.date(2015, 1, 21))
    at.text_input(key="ex_publisher").input("The Moscow Times")
    at.text_input(key="ex_title").input("Test article")
    at.text_input(key="ex_url").input(url)
    at.text_input(key="ex_language").input("en")
    return at.button(key="ex_propose").click().run()


def _tick(at: AppTest, *rows: int) -> AppTest:
    at.session_state["ex_editor"] = {
        "edited_rows": {r: {"save": True} for r in rows},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.run()


def _count(quote: str) -> int:
    with open_store() as store:
        claims = store.list_claims()
    return int(claims["quote"].str.contains(quote, regex=False).sum())


def test_seed_sentence_is_proposed_highlighted_and_saved_with_its_source():
    at = _propose(_app(), SEED)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    rows = at.data_editor[0].value
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["kind"] == "area"
    assert row["value_km2"] == 500
    assert row["qualifier"] == "more_than"
    assert row["reference_line"] == "minsk_2014_09_19"
    assert pd.Timestamp(row["event_date"]).date() == dt.date(2015, 1, 20)
    assert row["actor"] == "Kiev" and row["side"] == "separatists"
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert marked and "<mark>500 sq km</mark>" in marked[0]

    before = _count(SEED)
    at = _tick(at, 0)
    at.button(key="ex_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.success and "Saved 1 claim" in at.success[0].value
    new_id = at.success[0].value.rsplit(" ", 1)[-1]
    with open_store() as store:
        claims = store.list_claims()
    saved = claims[claims["claim_id"] == new_id]
    assert len(saved) == 1 and _count(SEED) == before + 1
    got = saved.iloc[0]
    assert got["quote"].startswith(SEED)
    assert got["value_km2"] == 500 and got["qualifier"] == "more_than"
    assert got["reference_line"] == "minsk_2014_09_19" and str(got["event_date"])[:10] == "2015-01-20"
    assert got["publisher"] == "The Moscow Times"
    assert got["url"] == "https://www.themoscowtimes.com/2015/01/21/test"
    assert str(got["published"])[:10] == "2015-01-21"


def test_bad_url_is_refused_naming_the_field_and_nothing_is_stored():
    at = _propose(_app(), SEED, url="javascript:alert(1)")
    before = _count(SEED)
    at = _tick(at, 0)
    at.button(key="ex_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "url" in at.error[0].value and "row 1" in at.error[0].value
    assert not at.success
    assert _count(SEED) == before


def test_edits_survive_reruns_and_an_unticked_table_saves_nothing():
    at = _propose(_app(), SEED)
    at = _tick(at, 0)
    at.text_input(key="ex_title").input("Another title").run()
    assert "(1)" in at.button(key="ex_save").label
    at.session_state["ex_editor"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert at.button(key="ex_save").disabled


def test_text_without_claims_and_bad_upload_are_reported():
    at = _propose(_app(), NUMBERS_ONLY)
    assert not at.exception
    assert not at.data_editor
    assert at.info and "No sentence" in at.info[0].value
    at.file_uploader(key="ex_upload").set_value(
        ("latin1.txt", "Київ: 500 кв. км «захоплено»".encode("cp1251"), "text/plain")
    )
    at.button(key="ex_propose").click().run()
    assert not at.exception
    assert at.error and "latin1.txt" in at.error[0].value and "UTF-8" in at.error[0].value


def test_uploaded_text_file_is_used():
    at = _app()
    at.file_uploader(key="ex_upload").set_value(("seed.txt", ("\ufeff" + SEED).encode("utf-8"), "text/plain"))
    at.date_input(key="ex_published").set_value(dt.date(2015, 1, 21))
    at.button(key="ex_propose").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = at.data_editor[0].value
    assert len(rows) == 1 and rows.iloc[0]["value_km2"] == 500


def test_markup_in_pasted_text_is_shown_escaped():
    hostile = (
        "<img src=x onerror=alert(1)> [click](javascript:alert(2)) The rebels seized about 50 sq km "
        "beyond the Minsk lines on Monday, `${alert(3)}` officials said."
    )
    at = _propose(_app(), hostile)
    assert not at.exception, [e.value for e in at.exception]
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(marked) == 1
    assert "<img" not in marked[0] and "](javascript" not in marked[0]
    assert "`" not in marked[0] and "${" not in marked[0]
    assert "&lt;img" in marked[0]


def test_conversion_mismatch_warning_is_shown():
    text = "Kiev accused separatists of seizing more than 500 sq km (300 sq mi) beyond the Minsk lines on Tuesday."
    at = _propose(_app(), text)
    assert not at.exception, [e.value for e in at.exception]
    assert any("conversion mismatch" in t.value for t in at.text)
    assert "conversion mismatch" in at.data_editor[0].value.iloc[0]["warnings"]


TWO_CLAIMS = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) of territory beyond "
    "agreed separation lines. On Monday the rebels captured about 40 sq km near Debaltseve, officials said."
)


def test_row_numbers_shown_are_the_ones_errors_name():
    at = _propose(_app(), TWO_CLAIMS, url="javascript:alert(1)")
    assert not at.exception, [e.value for e in at.exception]
    rows = at.data_editor[0].value
    assert rows.index.tolist() == [1, 2]
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert marked[0].startswith("<b>1.</b>") and marked[1].startswith("<b>2.</b>")
    at = _tick(at, 1)  # the second row, numbered 2 on the page
    at.button(key="ex_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "row 2" in at.error[0].value


def test_text_box_stops_at_the_size_limit():
    from geo.claims.proposals import MAX_TEXT_CHARS

    at = _app()
    assert at.text_area(key="ex_text").max_chars == MAX_TEXT_CHARS  # the browser stops typing there


def test_uploaded_file_over_the_size_limit_is_refused():
    from geo.claims.proposals import MAX_TEXT_CHARS

    at = _app()
    big = ("Rebels seized 5 sq km. " * (MAX_TEXT_CHARS // 23 + 10)).encode("utf-8")
    at.file_uploader(key="ex_upload").set_value(("big.txt", big, "text/plain"))
    at.button(key="ex_propose").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "big.txt" in at.error[0].value and f"{MAX_TEXT_CHARS:,}" in at.error[0].value
    assert not at.data_editor


def test_several_claims_of_one_sentence_each_highlighted_with_new_fields():
    text = (
        "In Pangong Tso, the area under Chinese control is 65 square kilometre, "
        "whereas in Chushul it is 20 square kilometre, the official added."
    )
    at = _propose(_app(), text)
    assert not at.exception, [e.value for e in at.exception]
    rows = at.data_editor[0].value
    assert rows["value"].tolist() == [65, 20]
    for col in ("value_max", "qualifier_detail", "dimension", "period_start", "period_end"):
        assert col in rows.columns
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(marked) == 2
    assert "<mark>65 square kilometre</mark>" in marked[0] and "<mark>20 square kilometre</mark>" not in marked[0]
    assert "<mark>20 square kilometre</mark>" in marked[1]


def test_accept_stores_interval_dimension_and_period_as_edited():
    text = "Russian forces pushed 8-9 km deep into the region over the past week, Kiev said."
    at = _app()
    at.text_area(key="ex_text").input(text)
    at.date_input(key="ex_published").set_value(dt.date(2024, 5, 31))
    at.text_input(key="ex_publisher").input("Interval Wire")
    at = at.button(key="ex_propose").click().run()
    assert not at.exception, [e.value for e in at.exception]
    row = at.data_editor[0].value.iloc[0]
    assert (row["value"], row["value_max"], row["dimension"]) == (8, 9, "depth")
    assert pd.Timestamp(row["period_start"]).date() == dt.date(2024, 5, 24)
    # the analyst widens the range, calls it a width and narrows the period
    at.session_state["ex_editor"] = {
        "edited_rows": {
            0: {
                "save": True,
                "value_max": 12,
                "dimension": "width",
                "period_start": "2024-05-27",
                "event_date": "2024-05-31",
            }
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    at = at.run()
    at.button(key="ex_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    new_id = at.success[0].value.rsplit(" ", 1)[-1]
    with open_store() as store:
        got = store.get_claim(new_id)
    assert (got.value, got.value_min, got.value_max, got.unit) == (8.0, 8.0, 12.0, "km")
    assert got.value_km == 8.0 and got.kind == "distance"
    assert (got.dimension, got.period_start, got.period_end) == ("width", "2024-05-27", "2024-05-31")


def test_accept_refuses_an_upper_bound_below_the_figure_naming_the_row():
    at = _propose(_app(), SEED)
    before = _count(SEED)
    at.session_state["ex_editor"] = {
        "edited_rows": {0: {"save": True, "value_max": 100}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = at.run()
    at.button(key="ex_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "value_max" in at.error[0].value and "row 1" in at.error[0].value
    assert _count(SEED) == before


def test_a_user_theatre_s_own_actors_are_proposed_with_their_party(capsys):
    assert main(["theatre", "create", "harbour-desk", "--name", "Harbour", "--countries", "KR",
                 "--party", "UNC", "--party", "KPA"]) == 0  # fmt: skip
    capsys.readouterr()
    unc, kpa = get_theatre("harbour-desk").party_ids
    (user_root() / "harbour-desk" / "actors.csv").write_text(
        f"name,kind,party,pattern\nHarbour Command,organisation,{unc},(?:the\\s+)?Harbour\\s+Command\n"
        f"Ridge Brigade,forces,{kpa},(?:the\\s+)?Ridge\\s+Brigade\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state["theatre_chosen"] = "harbour-desk"
    at.switch_page("pages/extract.py")
    at = _propose(at.run(), "The Harbour Command accused the Ridge Brigade of seizing 40 sq km of territory on Monday.")
    assert not at.exception, [e.value for e in at.exception]
    rows = at.data_editor[0].value
    assert rows[["actor", "target", "party"]].values.tolist() == [["Harbour Command", "Ridge Brigade", kpa]]
