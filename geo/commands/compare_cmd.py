"""``python -m geo compare LINE_A LINE_B [--format json|table]``: compare two lines.

Prints the ground gained and lost by the separatists going from A to B
(geodesic km², total and per oblast), the maximum and mean displacement in km
and the settlements that changed side. Lines are the shipped ones plus the
lines drawn in the app (``$CONTESTED_DATA_DIR/drawn_lines.geojson``).
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("line_a", metavar="LINE_A", help="line id before (e.g. minsk_2014_09_19)")
    parser.add_argument("line_b", metavar="LINE_B", help="line id after (e.g. contact_2015_02_20)")
    parser.add_argument("--format", choices=("json", "table"), default="table", help="output format (default: table)")
    parser.add_argument("--drawn-file", default=None, help="drawn-lines GeoJSON (default: in $CONTESTED_DATA_DIR)")


def _table(lines: list[str], result: dict, id_a: str, id_b: str) -> None:
    from geo.analysis import compare as C

    lines.append(f"Compare {id_a} (A) -> {id_b} (B); km² from the separatists' point of view")
    lines.append(f"gained_km2 (Ukraine's side of A, separatists' side of B)\t{result[C.GAINED]:.1f}")
    lines.append(f"lost_km2 (separatists' side of A, Ukraine's side of B)\t{result[C.LOST]:.1f}")
    for oblast, v in result[C.PER_OBLAST].items():
        lines.append(f"  {oblast}\tgained {v[C.GAINED]:.1f}\tlost {v[C.LOST]:.1f}")
    lines.append(f"max_displacement_km (Hausdorff)\t{result[C.MAX_DISP]:.2f}")
    lines.append(f"mean_displacement_km (B to A)\t{result[C.MEAN_DISP]:.2f}")
    changed = result[C.SETTLEMENTS_CHANGED]
    lines.append(f"settlements_changed\t{len(changed)}")
    for s in changed:
        pop = s["population"] if s["population"] is not None else "?"
        lines.append(f"  {s['name']}\t{s['from_side']} -> {s['to_side']}\tpop. {pop}")


def run(args: argparse.Namespace) -> int:
    from geo.analysis import compare as C
    from geo.io.drawn import all_lines, load_drawn
    from geo.reference.boundaries import front_oblasts
    from geo.reference.lines import reference_lines

    lines = all_lines(reference_lines(), load_drawn(args.drawn_file))
    result = C.compare_by_id(args.line_a, args.line_b, lines, front_oblasts(), C.load_settlements())
    if args.format == "json":
        print(json.dumps(C.summary(result), indent=2, ensure_ascii=False))
    else:
        out: list[str] = []
        _table(out, result, args.line_a, args.line_b)
        print("\n".join(out))
    return 0
