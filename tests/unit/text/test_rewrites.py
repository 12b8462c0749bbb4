"""geo.text.rewrites: meaning-preserving rewrites of a sentence, and the extractor's reading under them."""

from __future__ import annotations

import csv
import functools
import subprocess
import sys

import pytest

from geo.text.evaluate import claim_tuples
from geo.text.rewrites import FAMILIES, reading_changes, rewrites
from tests.unit.text.common import ROOT

EVAL = ROOT / "tests" / "data" / "eval_sentences.csv"


def _reader(published: str):
    return functools.partial(claim_tuples, published=published)


def test_rewrites_by_family_and_language():
    en = dict(rewrites("The troops withdrew two kilometres from the contact line.", "en"))
    assert en["unit kilometres->kilometers"] == "The troops withdrew two kilometers from the contact line."
    assert en["lex withdrew->pulled back"] == "The troops pulled back two kilometres from the contact line."
    assert en["num two->2"] == "The troops withdrew 2 kilometres from the contact line."
    assert en["suffix"] == "The troops withdrew two kilometres from the contact line, the report said."
    assert en["prefix"] == "Officials said that the troops withdrew two kilometres from the contact line."
    uk = dict(rewrites("Сили відійшли на 3 кілометрів від лінії зіткнення.", "uk"))
    assert uk["unit кілометрів->км"] == "Сили відійшли на 3 км від лінії зіткнення."
    assert uk["lex відійшли->відступили"] == "Сили відступили на 3 кілометрів від лінії зіткнення."
    ru = dict(rewrites("Войска отошли на 5 км.", "ru"))
    assert ru["lex отошли->отступили"] == "Войска отступили на 5 км."
    assert "num" not in {name.split()[0] for name in ru}  # numbers in words: English only
    assert {name.split()[0] for name in en} <= set(FAMILIES)


def test_rewrites_keep_a_capital_skip_decimals_and_never_return_the_sentence():
    out = dict(rewrites("Withdrawal of weapons 1.2 km from the line was agreed.", "en"))
    assert out["lex withdrawal->pullback"] == "Pullback of weapons 1.2 km from the line was agreed."
    assert not any(name.startswith("num") for name in out)  # "1.2 km" is not "1.two km"
    assert all(text != "Withdrawal of weapons 1.2 km from the line was agreed." for text in out.values())
    assert [name for name, _ in rewrites("No figure here", "")] == ["dateline"]  # no final stop, no common first word
    assert (
        dict(rewrites("Troops left.", "xx"))["suffix"] == "Troops left, the report said."
    )  # unknown language: English


def test_reading_changes_reports_only_the_rewrites_that_differ():
    def read(sentence):
        return [("withdrawal_distance", 15.0, "", "withdrawal")] if "pulled back" in sentence else []

    names, changes = reading_changes("Rebels pulled back 15 km.", "en", read)
    assert "lex pulled back->withdrew" in names
    assert [c.name for c in changes] == ["lex pulled back->withdrew"]
    change = changes[0]
    assert change.family == "lex" and change.before == (("withdrawal_distance", 15.0, "", "withdrawal"),)
    assert change.after == () and change.rewritten == "Rebels withdrew 15 km."


def test_the_extractor_reads_every_unit_number_and_attribution_rewrite_of_the_tune_split_alike():
    """Over the tune split, no rewrite of a unit, a number or an attribution changes a claim."""
    with open(EVAL, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == "tune"]
    tried, changed = 0, []
    for r in rows:
        names, changes = reading_changes(r["sentence"], r["lang"], _reader(r["published"]))
        tried += sum(1 for n in names if n.split()[0] != "lex")
        changed += [c for c in changes if c.family != "lex"]
    assert tried > 1000
    assert changed == []


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("The trench line is 8 kilometers from the facility and nearly 60 kilometers from the border.", "en", ()),
        ("Rebels pulled back 15 km from the line.", "en", (("withdrawal_distance", 15.0, "", "withdrawal"),)),
        ("Українські військові просунулися на 2 кілометрів.", "uk", (("distance", 2.0, "", "depth"),)),
        (
            "Российские войска отошли на 10 километров от границы.",
            "ru",
            (("withdrawal_distance", 10.0, "", "withdrawal"),),
        ),
    ],
)
def test_synonym_rewrites_keep_these_readings(sentence, lang, expected):
    names, changes = reading_changes(sentence, lang, _reader("2025-01-01"))
    assert names and changes == []
    assert tuple(sorted(_reader("2025-01-01")(sentence))) == expected


def test_bench_prints_counts_per_family(tmp_path):
    path = tmp_path / "set.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["sentence", "published", "lang", "claims", "split"])
        w.writeheader()
        w.writerow(
            {
                "sentence": "Rebels pulled back 15 km.",
                "published": "2025-01-01",
                "lang": "en",
                "claims": "[]",
                "split": "tune",
            }
        )
        w.writerow(
            {"sentence": "Held out 3 km.", "published": "2025-01-01", "lang": "en", "claims": "[]", "split": "holdout"}
        )
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extract_invariance.py"), str(path), "--show"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert run.stdout.startswith("1 sentences of split 'tune'")
    assert "rewrites=" in run.stdout.splitlines()[-1]
    missing = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extract_invariance.py"), str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_extra_swaps_are_added_to_the_lexical_ones():
    extra = {"en": [(r"\bNorthland\b", "Southland")]}
    out = dict(rewrites("Northland troops withdrew 3 km.", "en", extra))
    assert out["lex Northland->Southland"] == "Southland troops withdrew 3 km."
    assert "lex Northland->Southland" not in dict(rewrites("Northland troops withdrew 3 km.", "en"))


def test_conversion_and_dateline_rewrites():
    out = dict(rewrites("Troops took 1,200 sq km and advanced 15 km.", "en"))
    assert out["convert 1,200 sq km"] == "Troops took 1,200 sq km (463 square miles) and advanced 15 km."
    assert out["convert 15 km"] == "Troops took 1,200 sq km and advanced 15 km (9.3 miles)."
    assert out["dateline"] == "LONDON, March 3 (Reuters) - Troops took 1,200 sq km and advanced 15 km."
    already = dict(rewrites("Troops advanced 15 km (9 miles), or 10 km or 6 miles, and a 30-km zone.", "en"))
    assert not any(name.startswith("convert") for name in already)  # converted, followed by "or", an adjective
    assert dict(rewrites("Сили відійшли на 3 км.", "uk"))["dateline"].startswith("ЛОНДОН, 3 березня – ")
