"""Shared by the geo.text tests: the seed sentence and a one-claim helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo.text import extract

ROOT = Path(__file__).resolve().parents[3]
SEED = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) "
    "of territory beyond agreed separation lines"
)
SEED_PUBLISHED = dt.date(2015, 1, 21)


def one(text: str, published: dt.date | str = SEED_PUBLISHED, **kw):
    proposals = extract(text, published, **kw)
    assert len(proposals) == 1, [p.sentence for p in proposals]
    return proposals[0]
