"""Tests of geo/claims.py: the claim and source model and its validation."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import schema as S
from geo.claims.model import (
    EMBEDDED_SOURCE_COLUMNS,
    META_COLUMNS,
    Claim,
    Source,
    embedded_source,
    known_line_ids,
    validate_claim,
    validate_source,
)
from geo.errors import ValidationError
from tests.support.claims_helpers import SEED_SOURCE, claim_row

LINES = frozenset({S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02})


def _claim(**changes):
    return validate_claim(claim_row(500, **changes), row=7, known_lines=LINES)


def test_valid_claim_is_normalised():
    claim = _claim(
        quote="  seized more than 500 sq km \r\n beyond the lines ",
        reliability_source="b",
        reliability_info=2.0,
        tags=" minsk ; seed;minsk;; ",
        geometry_wkt="POLYGON ((37 48, 38 48, 38 49, 37 48))",
    )
    assert isinstance(claim, Claim)
    assert claim.quote == "seized more than 500 sq km \n beyond the lines"
    assert claim.reliability_source == "B"
    assert claim.reliability_info == "2"
    assert claim.tags == "minsk;seed"
    assert claim.value == 500.0
    assert claim.value_km2 == 500.0
    assert claim.value_km is None
    assert claim.to_dict()[S.CLAIM_GEOMETRY].startswith("POLYGON")


def test_figures_are_converted_from_known_units():
    sq_mi = _claim(value="194", unit="sq mi")
    assert sq_mi.value_km2 == pytest.approx(194 * 2.589988110336)
    dist = _claim(kind="withdrawal_distance", value="15", unit="mi", qualifier="at_least")
    assert dist.value_km == pytest.approx(15 * 1.609344)
    assert dist.value_km2 is None
    explicit = _claim(value="500", unit="square versts", value_km2="569")
    assert explicit.value_km2 == 569.0


def test_claim_without_figure_is_valid():
    claim = _claim(kind="", value="", unit="", qualifier="")
    assert claim.value is None and claim.value_km2 is None and claim.kind == ""


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({S.CLAIM_QUOTE: ""}, S.CLAIM_QUOTE, "required"),
        ({S.CLAIM_QUOTE: None}, S.CLAIM_QUOTE, "required"),
        ({S.CLAIM_ACTOR: "   "}, S.CLAIM_ACTOR, "required"),
        ({S.CLAIM_EVENT_DATE: "20/01/2015"}, S.CLAIM_EVENT_DATE, "YYYY-MM-DD"),
        ({S.CLAIM_EVENT_DATE: "2015-02-30"}, S.CLAIM_EVENT_DATE, "calendar"),
        ({S.CLAIM_EVENT_DATE: "2999-01-01"}, S.CLAIM_EVENT_DATE, "future"),
        ({S.CLAIM_EVENT_DATE: ""}, S.CLAIM_EVENT_DATE, "required"),
        (
            {S.CLAIM_VALID_FROM: "2015-02-01", S.CLAIM_VALID_TO: "2015-01-01"},
            S.CLAIM_VALID_TO,
            "before",
        ),
        (
            {S.CLAIM_REFERENCE_LINE: "minsk_2099"},
            S.CLAIM_REFERENCE_LINE,
            "unknown reference line",
        ),
        ({S.CLAIM_VALUE: "-500"}, S.CLAIM_VALUE, "negative"),
        ({S.CLAIM_VALUE_KM2: -1.5}, S.CLAIM_VALUE_KM2, "negative"),
        ({S.CLAIM_VALUE_KM: "-3"}, S.CLAIM_VALUE_KM, "negative"),
        ({S.CLAIM_VALUE: "nan"}, S.CLAIM_VALUE, "not a number"),
        ({S.CLAIM_VALUE: float("inf")}, S.CLAIM_VALUE, "finite"),
        ({S.CLAIM_VALUE: "1e999"}, S.CLAIM_VALUE, "finite"),
        ({S.CLAIM_VALUE: "1,000"}, S.CLAIM_VALUE, "not a number"),
        ({S.CLAIM_VALUE: True}, S.CLAIM_VALUE, "boolean"),
        ({S.CLAIM_UNIT: "versts"}, S.CLAIM_UNIT, "unknown area unit"),
        ({S.CLAIM_UNIT: ""}, S.CLAIM_UNIT, "unit"),
        ({S.CLAIM_VALUE: ""}, S.CLAIM_VALUE, "needs a figure"),
        ({S.CLAIM_STANCE: "claims"}, S.CLAIM_STANCE, "not one of"),
        ({S.CLAIM_STANCE: ""}, S.CLAIM_STANCE, "required"),
        ({S.CLAIM_KIND: "volume"}, S.CLAIM_KIND, "not one of"),
        ({S.CLAIM_QUALIFIER: "roughly"}, S.CLAIM_QUALIFIER, "not one of"),
        ({S.CLAIM_SIDE: "russia"}, S.CLAIM_SIDE, "not one of"),
        ({S.CLAIM_REL_SOURCE: "G"}, S.CLAIM_REL_SOURCE, "not one of"),
        ({S.CLAIM_REL_INFO: "7"}, S.CLAIM_REL_INFO, "not one of"),
        ({S.CLAIM_REL_INFO: "0"}, S.CLAIM_REL_INFO, "not one of"),
        ({S.CLAIM_SOURCE_ID: ""}, S.CLAIM_SOURCE_ID, "required"),
        ({S.CLAIM_SOURCE_ID: "bad id!"}, S.CLAIM_SOURCE_ID, "not a valid id"),
        ({S.CLAIM_ACTOR: "Ki\x00ev"}, S.CLAIM_ACTOR, "control"),
        ({S.CLAIM_ACTOR: "Kiev\nLavrov"}, S.CLAIM_ACTOR, "control"),
        ({S.CLAIM_QUOTE: "bad \x1b[31m escape"}, S.CLAIM_QUOTE, "control"),
        ({S.CLAIM_NOTES: "x\ud800"}, S.CLAIM_NOTES, "control"),
        ({S.CLAIM_QUOTE: "q" * 5001}, S.CLAIM_QUOTE, "at most"),
        ({S.CLAIM_ACTOR: "a" * 201}, S.CLAIM_ACTOR, "at most"),
        ({S.CLAIM_GEOMETRY: "POLYGON ((37 48, 38"}, S.CLAIM_GEOMETRY, "WKT"),
        ({S.CLAIM_GEOMETRY: "POINT (48.0 137.8)"}, S.CLAIM_GEOMETRY, "WGS84"),
        ({S.CLAIM_GEOMETRY: "POINT (-181 10)"}, S.CLAIM_GEOMETRY, "WGS84"),
        (
            {S.CLAIM_GEOMETRY: "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"},
            S.CLAIM_GEOMETRY,
            "valid geometry",
        ),
        ({S.CLAIM_GEOMETRY: "POINT EMPTY"}, S.CLAIM_GEOMETRY, "empty"),
        ({S.CLAIM_GEOMETRY: "POINT Z (37 48 1)"}, S.CLAIM_GEOMETRY, "2D"),
        ({"qoute": "typo"}, "qoute", "unknown field"),
    ],
)
def test_invalid_claim_names_the_field(changes, field, words):
    with pytest.raises(ValidationError) as info:
        _claim(**changes)
    assert info.value.field == field
    assert info.value.row == 7
    message = str(info.value)
    assert f"field '{field}'" in message and "row 7" in message
    assert words.lower() in message.lower()


def test_unknown_source_is_refused_when_sources_are_known():
    with pytest.raises(ValidationError) as info:
        validate_claim(claim_row(1), known_lines=LINES, known_sources={"other"})
    assert info.value.field == S.CLAIM_SOURCE_ID
    ok = validate_claim(claim_row(1), known_lines=LINES, known_sources={SEED_SOURCE[S.SOURCE_ID]})
    assert ok.source_id == SEED_SOURCE[S.SOURCE_ID]


def test_embedded_source_and_meta_columns_are_tolerated():
    row = claim_row(
        3,
        publisher="X",
        record_time="2026-01-01T00:00:00.000000Z",
        version=4,
        deleted=False,
    )
    claim = validate_claim(row, known_lines=LINES)
    assert claim.version == 0 and claim.record_time == ""
    assert embedded_source(row) == {"publisher": "X"}
    with pytest.raises(ValidationError) as info:
        validate_claim(row, known_lines=LINES, allow_source_fields=False)
    assert info.value.field == "publisher"


def test_today_is_not_future():
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert _claim(event_date=today).event_date == today


def test_valid_source():
    source = validate_source(dict(SEED_SOURCE, source_kind="News", language="EN"))
    assert isinstance(source, Source)
    assert source.source_kind == "news" and source.language == "en"
    assert source.url.startswith("https://")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({S.SOURCE_URL: "javascript:alert(1)"}, S.SOURCE_URL, "javascript"),
        ({S.SOURCE_URL: "JavaScript:alert(1)"}, S.SOURCE_URL, "scheme"),
        (
            {S.SOURCE_URL: "data:text/html,<script>alert(1)</script>"},
            S.SOURCE_URL,
            "data",
        ),
        ({S.SOURCE_URL: "file:///etc/passwd"}, S.SOURCE_URL, "scheme"),
        ({S.SOURCE_URL: "ftp://example.org/x"}, S.SOURCE_URL, "scheme"),
        ({S.SOURCE_URL: "//example.org/x"}, S.SOURCE_URL, "scheme"),
        ({S.SOURCE_URL: "https://"}, S.SOURCE_URL, "host"),
        ({S.SOURCE_URL: "https://exa mple.org"}, S.SOURCE_URL, "spaces"),
        ({S.SOURCE_URL: "https://example.org/" + "a" * 2000}, S.SOURCE_URL, "at most"),
        ({S.SOURCE_PUBLISHER: ""}, S.SOURCE_PUBLISHER, "required"),
        ({S.SOURCE_PUBLISHED: "21 Jan 2015"}, S.SOURCE_PUBLISHED, "YYYY-MM-DD"),
        ({S.SOURCE_KIND: "blog"}, S.SOURCE_KIND, "not one of"),
        ({S.SOURCE_KIND: ""}, S.SOURCE_KIND, "required"),
        ({S.SOURCE_LANGUAGE: "english language"}, S.SOURCE_LANGUAGE, "language code"),
        ({S.SOURCE_ID: "../etc"}, S.SOURCE_ID, "not a valid id"),
        ({S.SOURCE_TITLE: "a\x07b"}, S.SOURCE_TITLE, "control"),
    ],
)
def test_invalid_source_names_the_field(changes, field, words):
    with pytest.raises(ValidationError) as info:
        validate_source(dict(SEED_SOURCE, **changes), row=3)
    assert info.value.field == field
    assert words.lower() in str(info.value).lower()


def test_known_line_ids_reads_lines_csv(tmp_path):
    assert known_line_ids(tmp_path) == LINES  # no file: the built-in three
    (tmp_path / "lines.csv").write_text("line_id,name\nalpha,A\nbeta,B\n", encoding="utf-8")
    assert known_line_ids(tmp_path) == {"alpha", "beta"}


_KEYS = st.one_of(
    st.sampled_from([*S.CLAIM_COLUMNS, *EMBEDDED_SOURCE_COLUMNS, *META_COLUMNS]),
    st.text(max_size=12),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, st.text(max_size=60), max_size=12))
def test_validate_claim_raises_only_validation_error_on_arbitrary_dicts(record):
    try:
        validate_claim(record, known_lines=LINES)
    except ValidationError as exc:
        assert str(exc)


_FIELD_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "nan",
            "-1",
            "1e309",
            "POINT (1 2)",
            "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))",
            "2015-02-29",
            "javascript:x",
            "A",
            "6",
            "sq mi",
            "area",
            "more_than",
        ]
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(S.CLAIM_COLUMNS), _FIELD_VALUES, max_size=6))
def test_validate_claim_on_mutated_valid_rows(changes):
    """Starting from a valid row reaches deeper checks; result is a Claim or a ValidationError."""
    try:
        claim = validate_claim(claim_row(10, **changes), known_lines=LINES)
    except ValidationError as exc:
        assert exc.field is not None
        return
    for number in (claim.value, claim.value_km2, claim.value_km):
        assert number is None or (math.isfinite(number) and number >= 0)
    assert claim.quote and claim.stance in S.STANCES


def test_scripts_and_unassigned_code_points_pass_but_separators_do_not():
    text = "Дебальцеве \u0627\u0644\u0642\u0631\u064a\u0629 \uaaf7 \ue000"
    assert _claim(notes=text).notes == text
    with pytest.raises(ValidationError) as info:
        _claim(notes="a\u2028b")
    assert info.value.field == S.CLAIM_NOTES
