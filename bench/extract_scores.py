"""Score the extractor on the labelled evaluation set, beside a peer parser and a naive baseline.

Default set: ``tests/data/eval_sentences.csv`` (real published sentences, several claims per
sentence, a fixed held-out third never tuned on; see ``tests/data/README_eval.md``). For
each split (``tune``, ``holdout``) and each predictor it prints per-kind precision / recall
/ F1 (area, distance, withdrawal distance), per-field scores on matched claims (value_max,
qualifier, dimension), the share of claim-free sentences with nothing proposed, and a
last ``key=value`` line.

Predictors, all run in the same process on the same sentences:

- ``extractor``: :func:`geo.text.extract.extract`;
- ``quantulum3``: every area or length quantity quantulum3 finds is a claim (area ->
  ``area``, length -> ``distance``), its value converted to km² / km; quantulum3 has no
  notion of a territorial claim, so this measures what a general quantity parser gives;
- ``naive``: the same with this project's own quantity reader (first figures, no cues);
- ``cqe`` (CQE, Comprehensive Quantity Extractor), when it is importable: its area and length
  quantities as claims, like quantulum3. On this machine it is not: ``pip install cqe`` (2.0.3,
  PyPI) pins ``typing_extensions==4.4.0``, ``protobuf==3.20.1``, ``inflect==5.4.0`` and
  ``emoji==1.7``, below what the app's own dependencies need (typing_extensions 4.16, inflect
  7.6), so pip backtracks through every ``torch`` release (about 900 MB each) without finding a
  set, and installing it by force would break the app's environment; and ``CQE()`` calls
  ``spacy_download.load_spacy("en_core_web_sm")``, which fetches the spaCy model over the network
  on first use, so it could not run offline anyway. The bench then prints why it is absent.

An older labelled file in the one-claim format (``tests/data/sentences.csv``) can still be
given as the argument; it is scored with the one-claim metrics.

Run: ``python bench/extract_scores.py [path/to/file.csv]`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.text import find_quantities  # noqa: E402
from geo.text.evaluate import (  # noqa: E402
    CLAIM_FIELDS,
    FIELDS,
    KINDS,
    Claim,
    evaluate,
    load_labelled,
    predict,
    predict_claims,
    score_claims,
    score_fields,
)
from geo.units import AREA  # noqa: E402

# The peer parsers are optional: imported once here, absent ones are reported by the run.
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser as q3_parser
except ImportError:
    q3_parser = None
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from CQE import CQE  # type: ignore[import-not-found]
except Exception:  # noqa: BLE001 - absent, or broken by its pinned dependencies
    CQE = None

#: The evaluation set scored when no path is given.
DEFAULT_SET = ROOT / "tests" / "data" / "eval_sentences.csv"


def naive_claims(rows: list[dict[str, str]]) -> list[list[Claim]]:
    """Baseline: every figure with an area or length unit is a claim."""
    out = []
    for row in rows:
        claims = []
        for q in find_quantities(row["sentence"]):
            kind = "area" if q.dimension == AREA else "distance"
            hi = q.value_max * q.canonical.factor if q.value_max else q.in_base
            claims.append(Claim(kind, q.in_base, hi))
        out.append(claims)
    return out


_Q3_FACTORS = {
    "square kilometre": ("area", 1.0),
    "square mile": ("area", 2.589988110336),
    "hectare": ("area", 0.01),
    "acre": ("area", 0.0040468564224),
    "square metre": ("area", 1e-6),
    "kilometre": ("distance", 1.0),
    "mile": ("distance", 1.609344),
    "metre": ("distance", 0.001),
}


def quantulum_claims(rows: list[dict[str, str]]) -> list[list[Claim]] | None:
    """quantulum3's area and length quantities as claims, or ``None`` when it is not installed."""
    if q3_parser is None:
        return None
    out = []
    for row in rows:
        claims = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = q3_parser.parse(row["sentence"])
            except Exception:  # noqa: BLE001 - a peer parser's failure is a miss, not a crash
                found = []
        for q in found:
            kind_factor = _Q3_FACTORS.get(q.unit.name)
            if kind_factor is None:
                continue
            kind, factor = kind_factor
            claims.append(Claim(kind, float(q.value) * factor, float(q.value) * factor))
        out.append(claims)
    return out


CQE_ABSENT = (
    "cqe not installed: CQE 2.0.3 pins typing_extensions==4.4.0 / protobuf==3.20.1 / inflect==5.4.0, "
    "which conflict with the app's environment, and loads its spaCy model over the network"
)
_CQE_UNITS = {
    "square kilometre": ("area", 1.0),
    "square kilometer": ("area", 1.0),
    "square mile": ("area", 2.589988110336),
    "hectare": ("area", 0.01),
    "acre": ("area", 0.0040468564224),
    "kilometre": ("distance", 1.0),
    "kilometer": ("distance", 1.0),
    "mile": ("distance", 1.609344),
    "metre": ("distance", 0.001),
    "meter": ("distance", 0.001),
}


def cqe_claims(rows: list[dict[str, str]]) -> list[list[Claim]] | None:
    """CQE's area and length quantities as claims, or ``None`` when it cannot be imported or started."""
    if CQE is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parser = CQE.CQE()
    except Exception:  # noqa: BLE001 - its model cannot be loaded offline
        return None
    out = []
    for row in rows:
        claims = []
        try:
            found = parser.parse(row["sentence"])
        except Exception:  # noqa: BLE001 - a peer parser's failure is a miss, not a crash
            found = []
        for q in found:
            unit = str(getattr(getattr(q, "unit", None), "norm_unit", "") or "").lower().rstrip("s")
            kind_factor = _CQE_UNITS.get(unit)
            if kind_factor is None:
                continue
            kind, factor = kind_factor
            try:
                value = float(getattr(q.value, "value", q.value))
            except (TypeError, ValueError):
                continue
            claims.append(Claim(kind, value * factor, value * factor))
        out.append(claims)
    return out


def _line(label: str, s) -> str:
    return f"  {label:<22}{s.tp:>5}{s.predicted:>6}{s.expected:>6}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}"


def main_claims(rows: list[dict[str, str]]) -> int:
    """Per split and predictor: per-kind and per-field scores."""
    pairs: list[str] = []
    for split in ("tune", "holdout"):
        idx = [i for i, r in enumerate(rows) if r.get("split") == split]
        part = [rows[i] for i in idx]
        t0 = time.perf_counter()
        predictors = {"extractor": predict_claims(part)}
        ms = (time.perf_counter() - t0) * 1000
        q3 = quantulum_claims(part)
        if q3 is not None:
            predictors["quantulum3"] = q3
        cq = cqe_claims(part)
        if cq is not None:
            predictors["cqe"] = cq
        predictors["naive"] = naive_claims(part)
        n_claims = sum(len(json.loads(r["claims"] or "[]")) for r in part)
        print(f"== {split}: {len(part)} sentences, {n_claims} labelled claims (extractor {ms:.0f} ms)")
        if q3 is None:
            print("  quantulum3 not installed: pip install quantulum3==0.10.0")
        if cq is None:
            print(f"  {CQE_ABSENT}")
        for name, preds in predictors.items():
            rep = evaluate(part, preds)
            print(f" {name}")
            print(f"  {'kind / field':<22}{'tp':>5}{'pred':>6}{'gold':>6}{'precision':>10}{'recall':>8}{'F1':>7}")
            for k in KINDS:
                print(_line(k, rep.kinds[k]))
            print(_line("all kinds", rep.overall))
            for f in CLAIM_FIELDS:
                print(_line(f"field {f}", rep.fields[f]))
            print(
                f"  claim-free sentences with nothing proposed: {rep.negatives_clean}/{rep.negatives}"
                f" = {rep.negative_precision:.3f}; qualifier right on matched claims: {rep.qualifier_accuracy:.3f}"
            )
            pairs += [f"{split}_{name}_{k}_f1={rep.kinds[k].f1:.3f}" for k in KINDS]
            pairs += [
                f"{split}_{name}_negative_precision={rep.negative_precision:.3f}",
                f"{split}_{name}_qualifier_accuracy={rep.qualifier_accuracy:.3f}",
            ]
    print(" ".join(pairs))
    return 0


def main_one_claim(rows: list[dict[str, str]]) -> int:
    """The one-claim metrics of the older labelled format."""
    preds = predict(rows)
    fields = score_fields(rows, preds)
    claim = score_claims(rows, preds)
    print(f"{len(rows)} sentences, {claim.expected} labelled claims")
    print(f"{'field':<20}{'tp':>5}{'pred':>6}{'gold':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for f in FIELDS:
        s = fields[f]
        print(f"{f:<20}{s.tp:>5}{s.predicted:>6}{s.expected:>6}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    print(f"claim_precision={claim.precision:.3f} claim_recall={claim.recall:.3f} sentences={len(rows)}")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line: one optional labelled file (``--help`` prints the usage and exits)."""
    parser = argparse.ArgumentParser(
        prog="bench/extract_scores.py",
        description=(
            "Score the text extractor on a labelled set, per split (tune, holdout) and per kind, "
            "beside the quantulum3 peer parser (and CQE when it imports) and a naive baseline."
        ),
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_SET,
        help=(
            "labelled CSV: the evaluation set format (a 'claims' column) or the older one-claim "
            "format of tests/data/sentences.csv (default: %(default)s)"
        ),
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Score the file named on the command line (the evaluation set by default)."""
    args = parse_args(argv)
    if not args.path.is_file():
        print(f"extract_scores: no such file: {args.path}", file=sys.stderr)
        return 2
    rows = load_labelled(args.path)
    if rows and "claims" in rows[0]:
        return main_claims(rows)
    return main_one_claim(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
