"""The fast paths of claim validation give what the slow ones gave: to_dict, the control-character check."""

from __future__ import annotations

import dataclasses
import sys
import unicodedata

import pytest

from geo.claims.model import _BAD_CHAR, _BAD_CHAR_MULTILINE, Source, validate_claim
from geo.errors import ValidationError
from tests.support.claims_helpers import claim_row


def test_to_dict_equals_dataclasses_asdict_in_field_order():
    claim = validate_claim(claim_row(7, value_max=12, tags="a;b"))
    assert list(claim.to_dict().items()) == list(dataclasses.asdict(claim).items())
    source = Source("s1", "Wire", title="t", url="https://example.org/", deleted=True, version=3)
    assert list(source.to_dict().items()) == list(dataclasses.asdict(source).items())
    copy = claim.to_dict()
    copy["quote"] = "changed"
    assert claim.quote != "changed"  # a copy, not the instance's own dict


@pytest.mark.parametrize("multiline", [False, True])
def test_refused_characters_are_control_surrogate_and_line_separators(multiline):
    rx = _BAD_CHAR_MULTILINE if multiline else _BAD_CHAR
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        allowed_here = multiline and ch in "\n\t"
        bad = not allowed_here and (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029")
        assert bool(rx.search(ch)) == bad, hex(cp)


def test_the_message_names_the_first_refused_character():
    with pytest.raises(
        ValidationError, match=r"row 4, field 'quote': contains a control or invalid character \(U\+0007\)"
    ):
        validate_claim(claim_row(1, quote="line one\nline two\t\x07 and \x1b"), row=4)
    with pytest.raises(ValidationError, match=r"field 'actor': contains a control or invalid character \(U\+000A\)"):
        validate_claim(claim_row(1, actor="Ki\nev"))
    with pytest.raises(ValidationError, match=r"U\+2028"):
        validate_claim(claim_row(1, actor="Ki\u2028ev"))


def test_unknown_keys_are_named_in_record_order_with_or_without_source_fields():
    row = {**claim_row(2), "publisher": "Wire", "zzz": 1, "aaa": 2}
    with pytest.raises(ValidationError, match=r"row 3, field 'zzz': unknown field"):
        validate_claim(row, row=3)
    with pytest.raises(ValidationError, match=r"field 'publisher': unknown field"):
        validate_claim({**claim_row(2), "publisher": "Wire"}, allow_source_fields=False)
    assert validate_claim({**claim_row(2), "publisher": "Wire", "version": 4}).quote == claim_row(2)["quote"]
