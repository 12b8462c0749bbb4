"""Shared by the geo.text tests: the seed sentence, a one-claim helper and a kind/dimension helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo.text import extract
from geo.text import figures as fg
from geo.text.quantities import find_quantities

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


def kind_dim(sentence: str, i: int = 0) -> tuple[str, str]:
    """The kind and dimension the rules give the ``i``-th figure of a sentence, ``("", "")`` when none."""
    q = find_quantities(sentence)[i]
    kind = fg.classify(sentence, q)
    if not fg.is_claim_figure(sentence, q, kind):
        return "", ""
    return kind, fg.dimension_of(sentence, q, kind)


def claims_of(sentence: str, published: str = "2025-01-01") -> list[tuple[str, float, str, str]]:
    """The scored claims of one sentence, sorted: (kind, lower bound in km or km², qualifier, dimension)."""
    from geo.text.evaluate import claim_tuples

    return claim_tuples(sentence, published)
