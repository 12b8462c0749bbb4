"""Tests of geo/extract.py, geo/quantities.py, geo/dates.py and ``python -m geo extract``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo import schema
from geo.extract import JSON_KEYS, extract

ROOT = Path(__file__).resolve().parent.parent
SEED = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) "
    "of territory beyond agreed separation lines"
)
SEED_PUBLISHED = dt.date(2015, 1, 21)


def one(text: str, published: dt.date | str = SEED_PUBLISHED, **kw):
    proposals = extract(text, published, **kw)
    assert len(proposals) == 1, [p.sentence for p in proposals]
    return proposals[0]


def test_seed_sentence_full_expectation():
    p = one(SEED)
    assert p.kind == "area"
    assert p.value == 500
    assert p.value_km2 == 500
    assert p.value_km is None
    assert p.unit == "sq km"
    assert p.qualifier == "more_than"
    assert p.reference == "agreed separation lines"
    assert p.reference_line == schema.LINE_MINSK_2014
    assert p.actor == "Kiev"
    assert p.target == "separatists"
    assert p.event_date == dt.date(2015, 1, 20)
    assert p.warnings == []  # 194 sq mi = 502.5 km2, consistent with 500
    assert SEED[p.span[0] : p.span[1]] == "500 sq km"
    d = p.to_json_dict()
    assert tuple(d) == JSON_KEYS and len(d) == 13
    assert d["event_date"] == "2015-01-20"
