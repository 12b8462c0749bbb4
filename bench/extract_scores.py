"""Score the extractor on the labelled sentences in tests/data/sentences.csv.

Prints per-field precision / recall / F1 as a table, the whole-claim score
(kind and figure right, figure within 1 %) overall and for the ``dev`` rows (the
extractor's rules were written against them) and the ``holdout`` rows (labelled
before the extractor was run on them), the same whole-claim score for a
naive baseline measured in the same run (first figure with an area or length
unit, no cues, no location filter), and a last ``key=value`` line.

Run: ``python bench/extract_scores.py [path/to/sentences.csv]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.extract import KIND_AREA, KIND_DISTANCE, Proposal  # noqa: E402
from geo.extract_eval import FIELDS, load_labelled, predict, score_claims, score_fields  # noqa: E402
from geo.quantities import AREA, find_quantities  # noqa: E402


def naive(rows: list[dict[str, str]]) -> list[Proposal | None]:
    """Baseline: any sentence with a figure and a unit is a claim of its first figure."""
    out: list[Proposal | None] = []
    for row in rows:
        qs = find_quantities(row["sentence"])
        if not qs:
            out.append(None)
            continue
        q = qs[0]
        area = q.dimension == AREA
        out.append(
            Proposal(
                sentence=row["sentence"],
                kind=KIND_AREA if area else KIND_DISTANCE,
                value=q.value,
                unit=q.unit,
                value_km2=q.in_base if area else None,
                value_km=None if area else q.in_base,
            )
        )
    return out


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else ROOT / "tests" / "data" / "sentences.csv"
    rows = load_labelled(path)
    t0 = time.perf_counter()
    preds = predict(rows)
    elapsed = time.perf_counter() - t0
    fields = score_fields(rows, preds)
    claim = score_claims(rows, preds)
    base = score_claims(rows, naive(rows))

    print(f"{len(rows)} sentences, {claim.expected} labelled claims, {elapsed * 1000:.0f} ms")
    print(f"{'field':<20}{'tp':>5}{'pred':>6}{'gold':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for f in FIELDS:
        s = fields[f]
        print(f"{f:<20}{s.tp:>5}{s.predicted:>6}{s.expected:>6}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    splits = {}
    for split in ("dev", "holdout"):
        idx = [i for i, r in enumerate(rows) if r.get("split") == split]
        if idx:
            splits[split] = score_claims([rows[i] for i in idx], [preds[i] for i in idx])
    table = [("kind+value", claim), ("naive kind+value", base)]
    table += [(f"kind+value {k}", v) for k, v in splits.items()]
    for label, s in table:
        print(f"{label:<20}{s.tp:>5}{s.predicted:>6}{s.expected:>6}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    ratio = claim.f1 / base.f1 if base.f1 else float("inf")
    pairs = [f"{f}_f1={fields[f].f1:.3f}" for f in FIELDS]
    pairs += [
        f"claim_precision={claim.precision:.3f}",
        f"claim_recall={claim.recall:.3f}",
        f"naive_claim_f1={base.f1:.3f}",
        *(f"{k}_claim_precision={v.precision:.3f} {k}_claim_recall={v.recall:.3f}" for k, v in splits.items()),
        f"f1_ratio_vs_naive={ratio:.2f}",
        f"sentences={len(rows)}",
    ]
    print(" ".join(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
