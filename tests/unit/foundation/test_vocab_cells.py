"""The vocabularies match the stored strings, and the one missing-cell test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo import schema as S
from geo.cells import cell_text, is_missing
from geo.errors import ValidationError
from geo.vocab import ClaimKind, Grade, Qualifier, SourceKind, Stance


@pytest.mark.parametrize(
    ("enum", "stored"),
    [
        (Stance, S.STANCES),
        (ClaimKind, S.CLAIM_KINDS),
        (Qualifier, S.QUALIFIERS),
        (SourceKind, S.SOURCE_KINDS),
        (Grade, (S.VERDICT_CONSISTENT, S.VERDICT_LARGER, S.VERDICT_SMALLER)),
    ],
)
def test_enum_values_are_the_stored_strings(enum, stored):
    assert enum.values() == tuple(stored)
    for value in stored:
        assert enum.parse(value) == value


def test_parse_names_field_row_and_choices():
    with pytest.raises(ValidationError) as err:
        Qualifier.parse("roughly", field="qualifier", row=7)
    text = str(err.value)
    assert "qualifier" in text and "7" in text and "more_than" in text and "roughly" in text


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, "", "  \t"])
def test_missing(value):
    assert is_missing(value)
    assert cell_text(value) in ("", value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "x", False, -1.5, math.inf])
def test_present(value):
    assert not is_missing(value)
    assert cell_text(value) == str(value)
