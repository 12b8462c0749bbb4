"""Extractor speed on 100 kB inputs: absolute CPU seconds against the Extract page's 1 s budget.

For each adversarial pattern, the text is the pattern repeated to 10 kB and to 100 kB. Prints the
CPU seconds of one extraction of each (best of ``--repeat``), their ratio (linear work gives
about 10, quadratic about 100) and, last, ``key=value`` pairs: the worst 100 kB time, the worst
ratio and the budget. The tests check only the ratio (``tests/unit/text/test_robustness_cli.py``);
no test asserts a time.

Run: ``python bench/extract_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.text import extract  # noqa: E402

BUDGET_S = 1.0
SEED = "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) of territory."
PATTERNS = [
    "Rebels seized 500 sq km. ",
    "500 sq km ",
    "between 300 and 400 km ",
    "1,000 ",
    "30 km away from Donetsk, Kiev said, withdrawal buffer zone ",
    "понад 500 кв. км ",
    "на два километра ",
    "on Tuesday in January since 2014 ",
    "(((( ",
    "a" * 50 + " ",
]


def _cpu(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        extract(text, "2015-01-21")
        best = min(best, time.process_time() - start)
    return best


def _fill(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    extract(SEED, "2015-01-21")  # warm
    worst_s, worst_ratio = 0.0, 0.0
    print(f"{'pattern':40s} {'10 kB s':>9s} {'100 kB s':>9s} {'ratio':>7s}")
    for piece in PATTERNS:
        small = _cpu(_fill(piece, 10_000), args.repeat)
        big = _cpu(_fill(piece, 100_000), args.repeat)
        ratio = big / max(small, 1e-4)
        worst_s, worst_ratio = max(worst_s, big), max(worst_ratio, ratio)
        print(f"{piece.strip()[:40]!s:40s} {small:9.3f} {big:9.3f} {ratio:7.1f}")
    print(f"worst_100kb_s={worst_s:.3f} worst_ratio={worst_ratio:.1f} budget_s={BUDGET_S}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
