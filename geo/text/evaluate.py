"""Score the extractor against a labelled set of sentences (``tests/data/sentences.csv``).

The labelled file has one row per sentence with the columns ``sentence, url,
published, kind, value_km2, value_km, qualifier, reference_line, actor, target,
event_date``; an empty ``kind`` marks a sentence that states no territorial claim.
Each sentence is run through :func:`geo.text.extract.extract` alone and its first
proposal (if any) is compared with the labels.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.cells import cell_text
from geo.text.extract import Proposal, extract
from geo.text.figures import KIND_AREA, KIND_DISTANCE, KIND_WITHDRAWAL
from geo.units import unit_of

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
            got, want = _predicted(p, field), cell_text(row.get(field)).strip()
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
        kind = cell_text(row.get("kind")).strip()
        n_exp += bool(kind)
        n_pred += p is not None
        if p is None or not kind or p.kind != kind:
            continue
        field = "value_km2" if kind == KIND_AREA else "value_km"
        tp += _same(field, _predicted(p, field), cell_text(row.get(field)))
    return Score("kind+value", tp, n_pred, n_exp)


def mismatches(rows: list[dict[str, str]], predictions: list[Proposal | None]) -> list[dict[str, Any]]:
    """Rows where a field differs, for reading the errors."""
    out = []
    for i, (row, p) in enumerate(zip(rows, predictions, strict=True), start=2):
        diff = {
            f: (_predicted(p, f), cell_text(row.get(f)))
            for f in FIELDS
            if not (
                _predicted(p, f) == cell_text(row.get(f)).strip()
                or (_predicted(p, f) and _same(f, _predicted(p, f), cell_text(row.get(f))))
            )
        }
        if diff:
            out.append({"row": i, "sentence": row["sentence"][:90], **diff})
    return out


# --- the evaluation set: several claims per sentence, value intervals (tests/data/eval_sentences.csv) ---
#: The kinds of claim scored separately.
KINDS = (KIND_AREA, KIND_DISTANCE, KIND_WITHDRAWAL)
#: Fields compared on matched claims (gold and prediction of the same kind and figure).
CLAIM_FIELDS = ("value_max", "qualifier", "dimension")


@dataclass(frozen=True)
class Claim:
    """One claim reduced to what is scored: kind, interval in km² or km, qualifier, dimension."""

    kind: str
    lo: float
    hi: float
    qualifier: str = ""
    dimension: str = ""


def gold_claims(row: dict[str, str]) -> list[Claim]:
    """The hand-labelled claims of one row of the evaluation set (its ``claims`` JSON list).

    Figures are converted to km² or km with the one unit table, :mod:`geo.units`.

    Raises
    ------
    ValueError
        For a unit the table does not know, naming it.
    """
    out = []
    for c in json.loads(row.get("claims") or "[]"):
        # "square kms": the plural of an abbreviation, as written by some outlets
        udef = unit_of(c["unit"]) or unit_of(re.sub(r"\bkms\b", "km", c["unit"]))
        if udef is None:
            raise ValueError(f"unknown unit {c['unit']!r} in labelled row {row.get('sentence', '')[:40]!r}")
        lo = float(c["value_min"]) * udef.factor
        hi = float(c.get("value_max") if c.get("value_max") is not None else c["value_min"]) * udef.factor
        out.append(Claim(c["kind"], lo, hi, cell_text(c.get("qualifier")), cell_text(c.get("dimension"))))
    return out


def proposal_claims(proposals: list[Proposal]) -> list[Claim]:
    """The scored view of the extractor's proposals for one sentence."""
    out = []
    for p in proposals:
        base = p.value_km2 if p.kind == KIND_AREA else p.value_km
        if base is None:
            continue
        factor = base / p.value if p.value else 1.0
        hi = p.value_max * factor if getattr(p, "value_max", None) else base
        qual = getattr(p, "qualifier_detail", "") or p.qualifier
        out.append(Claim(p.kind, base, hi, qual, getattr(p, "dimension", "")))
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= REL_TOL * max(abs(b), 1e-12)


def match_claims(gold: list[Claim], pred: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs (gold, predicted) of the same kind whose lower bounds agree within :data:`REL_TOL`.

    Each gold claim is matched at most once, in order.
    """
    used: set[int] = set()
    pairs = []
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and g.kind == p.kind and _close(p.lo, g.lo):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


@dataclass
class Report:
    """Scores of one predictor on a set of rows."""

    kinds: dict[str, Score]
    overall: Score
    fields: dict[str, Score]
    qualifier_accuracy: float
    negatives: int
    negatives_clean: int
    sentences: int

    @property
    def negative_precision(self) -> float:
        """Share of sentences without a claim for which nothing was proposed (1.0 when none)."""
        return self.negatives_clean / self.negatives if self.negatives else 1.0


def evaluate(rows: list[dict[str, str]], predictions: list[list[Claim]]) -> Report:
    """Per-kind and per-field precision/recall of ``predictions`` (one list per row) against the labels.

    A predicted claim is right when its kind matches a labelled claim and its lower bound is
    within :data:`REL_TOL`; the fields of :data:`CLAIM_FIELDS` are then compared on the
    matched pairs (a field counts as predicted / expected when it is not empty; ``value_max``
    counts only when it differs from the lower bound).
    """
    counts = {k: [0, 0, 0] for k in KINDS}
    fcounts = {f: [0, 0, 0] for f in CLAIM_FIELDS}
    qual_right = matched = neg = neg_clean = 0
    for row, pred in zip(rows, predictions, strict=True):
        gold = gold_claims(row)
        if not gold:
            neg += 1
            neg_clean += not pred
        pairs = match_claims(gold, pred)
        for k in KINDS:
            counts[k][0] += sum(1 for g, _ in pairs if g.kind == k)
            counts[k][1] += sum(1 for p in pred if p.kind == k)
            counts[k][2] += sum(1 for g in gold if g.kind == k)
        for g, p in pairs:
            matched += 1
            qual_right += g.qualifier == p.qualifier
            for f in CLAIM_FIELDS:
                if f == "value_max":
                    gv = g.hi if not _close(g.hi, g.lo) else ""
                    pv = p.hi if not _close(p.hi, p.lo) else ""
                    same = bool(gv) and bool(pv) and _close(float(pv), float(gv))
                else:
                    gv, pv = getattr(g, f), getattr(p, f)
                    same = bool(gv) and gv == pv
                fcounts[f][0] += same
                fcounts[f][1] += bool(pv)
                fcounts[f][2] += bool(gv)
    kinds = {k: Score(k, *v) for k, v in counts.items()}
    overall = Score("all", *(sum(v[i] for v in counts.values()) for i in range(3)))
    fields = {f: Score(f, *v) for f, v in fcounts.items()}
    return Report(kinds, overall, fields, qual_right / matched if matched else 1.0, neg, neg_clean, len(rows))


def claim_tuples(sentence: str, published: str) -> list[tuple[str, float, str, str]]:
    """The extractor's claims of one sentence as comparable tuples, sorted.

    Each is (kind, lower bound in km or km² rounded to 3 places, qualifier, dimension): what
    :mod:`geo.text.rewrites` compares between a sentence and its rewrites.

    >>> claim_tuples("Rebels pulled back 15 km from the line.", "2025-01-01")
    [('withdrawal_distance', 15.0, '', 'withdrawal')]
    """
    return sorted(
        (c.kind, round(c.lo, 3), c.qualifier, c.dimension) for c in proposal_claims(extract(sentence, published))
    )


def predict_claims(rows: list[dict[str, str]]) -> list[list[Claim]]:
    """The extractor's claims for each row, each sentence run alone with its publication date."""
    return [proposal_claims(extract(r["sentence"], r["published"])) for r in rows]
