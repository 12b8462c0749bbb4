"""Valid time: ``filter_claims(reported_by=...)`` keeps what had been published by a date."""

import datetime as dt

import pandas as pd
import pytest

from geo.claims.store import filter_claims
from geo.errors import ValidationError


def _frame():
    return pd.DataFrame(
        {
            "claim_id": ["a", "b", "c", "d", "e"],
            "event_date": ["2015-01-20", "2015-01-10", "2015-01-25", "", "2015-03-01"],
            "published": ["2015-01-21", "2015-02-05", "", "", "2015-02-01T09:00:00"],
        }
    )


def test_reported_by_uses_the_publication_date_then_the_event_date():
    got = filter_claims(_frame(), reported_by=dt.date(2015, 2, 1))
    # a: published before; b: event before but published after -> out; c: no publication
    # date, event before -> in; d: no date at all -> out; e: published that day -> in.
    assert list(got["claim_id"]) == ["a", "c", "e"]


def test_reported_by_accepts_iso_text_and_none():
    assert list(filter_claims(_frame(), reported_by="2015-01-21")["claim_id"]) == ["a"]
    assert len(filter_claims(_frame(), reported_by=None)) == 5


def test_reported_by_refuses_a_bad_date():
    with pytest.raises(ValidationError, match="reported_by"):
        filter_claims(_frame(), reported_by="last tuesday")
