"""How often the extractor's reading survives meaning-preserving rewrites of the evaluation set's sentences.

Each sentence of the chosen split (``tune`` by default: the ``holdout`` split is never read to change rules) is
rewritten by :func:`geo.text.rewrites.rewrites` (a unit spelled another way, a synonym, a number in words or
digits, an attribution added); a rewrite whose claims (kind, value, qualifier, dimension) differ from the
sentence's own points at a rule tied to one wording. Prints the count per family of rewrites, then each change
with ``--show``.

Run: ``python bench/extract_invariance.py [--split tune] [--show] [path/to/eval.csv]``.
"""

from __future__ import annotations

import argparse
import csv
import functools
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.text.evaluate import claim_tuples  # noqa: E402
from geo.text.rewrites import FAMILIES, reading_changes  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "eval_sentences.csv"

#: Swaps of the parties' and places' names of the set's theatres (kept out of ``geo/``, which names no party).
NAME_SWAPS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"\bthe Russians\b", "Russian forces"),
        (r"\bRussian forces\b", "the Russians"),
        (r"\bMoscow\b", "Russia"),
        (r"\bKyiv\b", "Ukraine"),
        (r"\bRussian\b", "Ukrainian"),
        (r"\bUkrainian\b", "Russian"),
        (r"\bIsraeli\b", "Lebanese"),
    ],
    "uk": [
        (r"\bросійські\b", "українські"),
        (r"\bукраїнські\b", "російські"),
        (r"\bокупанти\b", "росіяни"),
        (r"\bросіяни\b", "окупанти"),
        (r"\bЗСУ\b", "Сили оборони"),
    ],
    "ru": [
        (r"\bроссийские\b", "украинские"),
        (r"\bукраинские\b", "российские"),
        (r"\bВСУ\b", "украинские военные"),
    ],
}


def _reader(published: str):
    return functools.partial(claim_tuples, published=published)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT), help="labelled CSV (default: %(default)s)")
    parser.add_argument("--split", default="tune", help="split to rewrite: tune (default), holdout or all")
    parser.add_argument("--show", action="store_true", help="print every rewrite that changed the reading")
    args = parser.parse_args(argv)
    try:
        with open(args.path, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if args.split == "all" or r.get("split") == args.split]
    except OSError as exc:
        print(f"extract_invariance: cannot read {args.path}: {exc.strerror}", file=sys.stderr)
        return 2
    tried: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    shown = []
    for row in rows:
        names, changes = reading_changes(row["sentence"], row.get("lang", ""), _reader(row["published"]), NAME_SWAPS)
        tried.update(name.split(" ", 1)[0] for name in names)
        changed.update(c.family for c in changes)
        shown += changes
    print(f"{len(rows)} sentences of split {args.split!r}")
    for family in FAMILIES:
        print(f"  {family:7s} rewrites {tried[family]:5d}  reading changed {changed[family]:4d}")
    total, bad = sum(tried.values()), sum(changed.values())
    print(
        f"  all     rewrites {total:5d}  reading changed {bad:4d} ({bad / total:.1%} of rewrites)"
        if total
        else "  none"
    )
    if args.show:
        for c in shown:
            print(f"\n{c.name}\n  before {list(c.before)}\n  after  {list(c.after)}\n  {c.rewritten}")
    print(f"rewrites={total} changed={bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
