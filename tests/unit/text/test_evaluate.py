"""Tests of the labelled sets, the scorer (geo.text.evaluate) and the bench."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

from tests.unit.text.common import ROOT


# --- labelled set ---------------------------------------------------------------------------
def test_labelled_set_is_large_and_varied():
    rows = list(csv.DictReader(open(ROOT / "tests" / "data" / "sentences.csv", encoding="utf-8")))
    assert len(rows) >= 60
    assert sum(1 for r in rows if not r["kind"]) >= 15
    assert all(r["url"].startswith("http") and dt.date.fromisoformat(r["published"]) for r in rows)
    assert {r["kind"] for r in rows} >= {"area", "distance", "withdrawal_distance", ""}
    assert {r["split"] for r in rows} == {"dev", "holdout"}


def test_labelled_set_precision_recall():
    from geo.text.evaluate import load_labelled, score_claims

    rows = load_labelled(ROOT / "tests" / "data" / "sentences.csv")
    score = score_claims(rows)
    assert score.expected >= 40
    assert score.precision >= 0.9, score
    assert score.recall >= 0.9, score


# --- the evaluation set and its scorer ------------------------------------------------------------
EVAL = ROOT / "tests" / "data" / "eval_sentences.csv"


def test_evaluation_set_is_real_labelled_and_split_by_hash():
    import hashlib

    from geo.text.evaluate import gold_claims, load_labelled

    rows = load_labelled(EVAL)
    web = [r for r in rows if r["origin"] == "web"]
    assert len(web) >= 50
    assert {r["lang"] for r in web} >= {"en", "uk", "ru"}
    assert sum(not gold_claims(r) for r in rows) / len(rows) >= 0.25  # sentences without a claim
    for r in rows:
        assert r["url"].startswith(("http://", "https://")), r["sentence"][:40]
        dt.date.fromisoformat(r["published"])
        gold_claims(r)  # every labelled unit is in the shared unit table
    for r in web:  # the held-out third is fixed by the hash, not chosen
        h = int(hashlib.sha1((r["url"] + "\n" + r["sentence"]).encode("utf-8")).hexdigest(), 16)
        assert r["split"] == ("holdout" if h % 3 == 0 else "tune")
    assert all(r["split"] == "tune" for r in rows if r["origin"] == "own")


def test_scorer_counts_kinds_fields_and_claim_free_sentences():
    from geo.text.evaluate import Claim, evaluate

    rows = [
        {
            "sentence": "a",
            "claims": '[{"kind": "area", "value_min": 10, "value_max": 20, "unit": "sq km", '
            '"qualifier": "range", "dimension": ""}]',
        },
        {"sentence": "b", "claims": "[]"},
        {
            "sentence": "c",
            "claims": '[{"kind": "distance", "value_min": 5, "value_max": 5, "unit": "miles", '
            '"qualifier": "", "dimension": "depth"}]',
        },
    ]
    preds = [
        [Claim("area", 10, 20, "range"), Claim("area", 99, 99)],  # one right, one wrong
        [Claim("distance", 3, 3)],  # a claim where there is none
        [Claim("distance", 5 * 1.609344, 5 * 1.609344, "", "width")],  # right figure, wrong dimension
    ]
    rep = evaluate(rows, preds)
    assert (rep.kinds["area"].tp, rep.kinds["area"].predicted, rep.kinds["area"].expected) == (1, 2, 1)
    assert (rep.kinds["distance"].tp, rep.kinds["distance"].predicted, rep.kinds["distance"].expected) == (1, 2, 1)
    assert rep.negatives == 1 and rep.negative_precision == 0.0
    assert rep.fields["value_max"].tp == 1 and rep.fields["dimension"].tp == 0
    assert rep.qualifier_accuracy == 1.0


def test_tune_split_scores_do_not_regress():
    from geo.text.evaluate import evaluate, load_labelled, predict_claims

    rows = [r for r in load_labelled(EVAL) if r["split"] == "tune"]
    rep = evaluate(rows, predict_claims(rows))
    assert (
        rep.kinds["area"].f1 >= 0.95 and rep.kinds["distance"].f1 >= 0.88
    )  # 0.900 after the seventh batch and its round
    assert rep.kinds["withdrawal_distance"].f1 >= 0.9
    assert rep.negative_precision >= 0.95 and rep.qualifier_accuracy >= 0.95


def test_bench_prints_both_splits_and_the_peer_parser():
    res = subprocess.run(
        [sys.executable, "bench/extract_scores.py"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr
    for part in ("== tune", "== holdout", " extractor", " quantulum3", " naive", "withdrawal_distance"):
        assert part in res.stdout
    last = res.stdout.strip().splitlines()[-1]
    assert "holdout_extractor_area_f1=" in last and "tune_quantulum3_area_f1=" in last


def test_bench_help_prints_usage_and_a_missing_file_is_an_error():
    res = subprocess.run(
        [sys.executable, "bench/extract_scores.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("usage:") and "path" in res.stdout
    res = subprocess.run(
        [sys.executable, "bench/extract_scores.py", "no/such/file.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2 and "no such file" in res.stderr
