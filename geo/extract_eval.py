"""Score the extractor against a labelled set of sentences (``tests/data/sentences.csv``).

The labelled file has one row per sentence with the columns ``sentence, url,
published, kind, value_km2, value_km, qualifier, reference_line, actor, target,
event_date``; an empty ``kind`` marks a sentence that states no territorial claim.
Each sentence is run through :func:`geo.extract.extract` alone and its first
proposal (if any) is compared with the labels.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.extract import Proposal, extract

#: fields scored by :func:`score_fields`, in report order
FIELDS = (
    "kind",
    "value_km2",
    "value_km",
    "qualifier",
    "reference_line",
    "actor",
    "target",
    "event_date",
)
NUMERIC = ("value_km2", "value_km")
#: relative tolerance for figures
REL_TOL = 0.01


@dataclass
class Score:
    """Counts and ratios for one field."""

    field: str
    tp: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        """Correct non-empty predictions over non-empty predictions (1.0 when none)."""
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Correct non-empty predictions over non-empty labels (1.0 when none)."""
        return self.tp / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_labelled(path: str | Path) -> list[dict[str, str]]:
    """Read the labelled sentences as a list of dicts (all values strings)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def _predicted(p: Proposal | None, field: str) -> str:
    if p is None:
        return ""
    val = getattr(p, field)
    if val is None:
        return ""
    if hasattr(val, "isoformat"):
        return val.isoformat()
    return str(val)


def _same(field: str, got: str, want: str) -> bool:
    if field in NUMERIC:
        try:
            g, w = float(got), float(want)
        except ValueError:
            return False
        return abs(g - w) <= REL_TOL * max(abs(w), 1e-12)
    return got.strip() == want.strip()


def predict(rows: list[dict[str, str]]) -> list[Proposal | None]:
    """The first proposal of each labelled sentence, or ``None``."""
    out: list[Proposal | None] = []
    for row in rows:
        props = extract(row["sentence"], row["published"])
        out.append(props[0] if props else None)
    return out


def score_fields(rows: list[dict[str, str]], predictions: list[Proposal | None] | None = None) -> dict[str, Score]:
    """Precision and recall per field over the labelled rows.

    A prediction counts when it is not empty; it is correct when it equals the
    label (figures within :data:`REL_TOL`).
    """
    preds = predict(rows) if predictions is None else predictions
    scores: dict[str, Score] = {}
    for field in FIELDS:
        tp = n_pred = n_exp = 0
        for row, p in zip(rows, preds, strict=True):
            got, want = _predicted(p, field), (row.get(field) or "").strip()
            n_pred += bool(got)
            n_exp += bool(want)
            tp += bool(got) and bool(want) and _same(field, got, want)
        scores[field] = Score(field, tp, n_pred, n_exp)
    return scores


def score_claims(rows: list[dict[str, str]], predictions: list[Proposal | None] | None = None) -> Score:
    """Precision and recall of whole claims: ``kind`` and figure both right.

    The figure is ``value_km2`` for areas and ``value_km`` for distances,
    within :data:`REL_TOL` relative.
    """
    preds = predict(rows) if predictions is None else predictions
    tp = n_pred = n_exp = 0
    for row, p in zip(rows, preds, strict=True):
        kind = (row.get("kind") or "").strip()
        n_exp += bool(kind)
        n_pred += p is not None
        if p is None or not kind or p.kind != kind:
            continue
        field = "value_km2" if kind == "area" else "value_km"
        tp += _same(field, _predicted(p, field), row.get(field) or "")
    return Score("kind+value", tp, n_pred, n_exp)


def mismatches(rows: list[dict[str, str]], predictions: list[Proposal | None]) -> list[dict[str, Any]]:
    """Rows where a field differs, for reading the errors."""
    out = []
    for i, (row, p) in enumerate(zip(rows, predictions, strict=True), start=2):
        diff = {
            f: (_predicted(p, f), row.get(f) or "")
            for f in FIELDS
            if not (
                _predicted(p, f) == (row.get(f) or "").strip()
                or (_predicted(p, f) and _same(f, _predicted(p, f), row.get(f) or ""))
            )
        }
        if diff:
            out.append({"row": i, "sentence": row["sentence"][:90], **diff})
    return out
