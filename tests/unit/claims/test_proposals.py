"""Tests of geo.claims.proposals: rows from proposals, records for the store, highlighting, decoding."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import schema as S
from geo.claims import proposals as P
from geo.claims.store import open_store
from geo.errors import DataFileError, ValidationError
from geo.text import extract

SEED = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) "
    "of territory beyond agreed separation lines"
)
SOURCE = P.source_record(
    publisher="The Moscow Times", title="t", url="https://example.org/a", published=dt.date(2015, 1, 21)
)


def _seed_row():
    p = extract(SEED, "2015-01-21")[0]
    return p, P.proposal_row(p)


def test_row_of_the_seed_proposal():
    p, row = _seed_row()
    assert set(row) == set(P.ROW_COLUMNS)
    assert row["save"] is False
    assert (row["kind"], row["value"], row["value_km2"], row["qualifier"]) == ("area", 500.0, 500.0, "more_than")
    assert row["party"] == "separatists" and row["side"] == "separatists" and row["stance"] == "asserts"
    assert row["event_date"] == dt.date(2015, 1, 20)


@pytest.mark.parametrize(
    "target,party",
    [
        ("pro-Russian rebels", "separatists"),
        ("the DNR", "separatists"),
        ("Ukrainian forces", "ukraine"),
        ("Russian troops", "russia"),
        ("unknown men", ""),
    ],
)
def test_guess_party(target, party):
    assert P.guess_party(target) == party


def test_record_keeps_proposed_km2_unless_figure_edited():
    p, row = _seed_row()
    rec = P.row_to_record(row, SOURCE, proposal=p)
    assert rec["quote"] == p.sentence and rec["value_km2"] == 500.0 and rec["event_date"] == "2015-01-20"
    assert rec["url"] == "https://example.org/a" and rec["published"] == "2015-01-21"
    assert "agreed separation lines" in rec["notes"]
    edited = {**row, "value": 2.0, "unit": "sq mi"}
    rec2 = P.row_to_record(edited, SOURCE, proposal=p)
    assert "value_km2" not in rec2 and rec2["value"] == 2.0


def test_save_rows_stores_only_ticked_and_names_table_row_on_error(tmp_path):
    p, row = _seed_row()
    rows = [dict(row), {**row, "save": True}, {**row, "save": True, "event_date": None}]
    with open_store(tmp_path / "c.sqlite") as store:
        n = len(store.list_claims())
        assert P.save_rows(store, [row], SOURCE, "t") == []
        with pytest.raises(ValidationError) as err:
            P.save_rows(store, rows, SOURCE, "t", [p, p, p])
        assert err.value.row == 3 and err.value.field == "event_date" and "row 3" in str(err.value)
        assert len(store.list_claims()) == n
        ids = P.save_rows(store, rows[:2], SOURCE, "t", [p, p])
        assert len(ids) == 1
        claims = store.list_claims()
        assert len(claims) == n + 1
        assert claims.loc[claims["claim_id"] == ids[0], "publisher"].iloc[0] == "The Moscow Times"


def test_highlight_marks_the_span_and_escapes_everything():
    html = P.highlight_html('a <script>x</script> 5 km [l](javascript:1) `$x` "q"', (21, 25))
    assert "<mark>5 km</mark>" in html
    assert "<script>" not in html and "`" not in html and "$" not in html and "[" not in html
    assert P.highlight_html("abc", (5, 9)).count("<mark>") == 0


@given(st.text(max_size=80), st.integers(-5, 90), st.integers(-5, 90))
def test_highlight_never_leaks_markup(text, a, b):
    html = P.highlight_html(text, (a, b))
    inner = html.removeprefix('<div class="proposal-sentence">').removesuffix("</div>")
    inner = inner.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in inner and ">" not in inner and "\n" not in inner


def test_decode_text():
    assert P.decode_text("\ufeffКиїв".encode(), "a.txt") == "Київ"
    with pytest.raises(DataFileError, match="a.txt.*UTF-8"):
        P.decode_text("Київ".encode("cp1251"), "a.txt")
    with pytest.raises(DataFileError, match="limit"):
        P.decode_text(b"x" * 11, "big.txt", max_bytes=10)


def test_check_text_size_names_the_text_its_length_and_the_limit():
    from geo.claims.proposals import check_text_size
    from geo.errors import DataFileError

    assert check_text_size("x" * 10, max_chars=10) == "x" * 10
    with pytest.raises(DataFileError, match=r"notes\.txt: 11 characters is over the 10-character limit"):
        check_text_size("x" * 11, "notes.txt", max_chars=10)


def test_row_carries_interval_qualifier_detail_dimension_and_period_and_saves_corrections():
    text = "Russian forces pushed no more than 8-9 km deep into the region over the past week, Kiev said."
    (p,) = extract(text, "2024-05-31")
    row = P.proposal_row(p)
    assert (row[P.VALUE_MAX], row[P.QUALIFIER_DETAIL], row[P.DIMENSION]) == (9, "range", "depth")
    assert (row[P.PERIOD_START], row[P.PERIOD_END]) == (dt.date(2024, 5, 24), dt.date(2024, 5, 31))
    row[P.VALUE_MAX] = 10  # the analyst corrects the upper bound and the dimension
    row[P.DIMENSION] = "width"
    rec = P.row_to_record(row, P.source_record(publisher="X"), proposal=p)
    assert (rec[S.CLAIM_VALUE_MIN], rec[S.CLAIM_VALUE_MAX], rec[S.CLAIM_UNIT]) == (8, 10, "km")
    assert rec[S.CLAIM_DIMENSION] == "width"
    assert (rec[S.CLAIM_PERIOD_START], rec[S.CLAIM_PERIOD_END]) == ("2024-05-24", "2024-05-31")
    assert "qualifier as read: range" in rec["notes"]
    assert "range up to" not in rec["notes"] and "dimension:" not in rec["notes"]  # fields, not notes


@pytest.mark.parametrize(
    ("text", "unit", "kind", "field", "factor"),
    [
        ("ЗСУ звільнили 500 квадратних кілометрів території.", "квадратних кілометрів", "area", "value_km2", 1.0),
        ("Troops advanced 5 kms towards the town.", "kms", "distance", "value_km", 1.0),
        ("Rebels seized 30 square kilometre of land.", "square kilometre", "area", "value_km2", 1.0),
    ],
)
def test_a_corrected_figure_in_any_unit_the_extractor_reads_is_converted_by_the_registry(
    text, unit, kind, field, factor
):
    from geo.claims.model import validate_claim

    (p,) = extract(text, "2024-05-31")
    assert p.unit == unit
    row = P.proposal_row(p)
    row[S.CLAIM_VALUE] = 7  # corrected on the page: the registry converts the edited figure
    row[S.CLAIM_ACTOR] = "Kyiv"
    row[S.CLAIM_EVENT_DATE] = dt.date(2024, 5, 30)
    rec = P.row_to_record(row, {}, proposal=p)
    claim = validate_claim({**{k: v for k, v in rec.items() if k in S.CLAIM_COLUMNS}, S.CLAIM_SOURCE_ID: "s1"})
    assert getattr(claim, field) == pytest.approx(7 * factor)
