"""``python -m geo compare LINE_A LINE_B [--format json|table]``: compare two lines.

Prints the ground gained and lost by line A's side party going from A to B
(geodesic km², total and per oblast), the maximum and mean displacement in km
and the settlements that changed side. Lines are the shipped ones plus the
lines drawn in the app (``$CONTESTED_DATA_DIR/drawn_lines.geojson``).
"""

from __future__ import annotations

import argparse
import json

import geopandas as gpd

from geo import config
from geo import schema as S
from geo.analysis import compare as C
from geo.analysis.sides import rule_for, rule_from_row
from geo.errors import InvalidGeometryError
from geo.io.drawn import all_lines, comparable_line, load_drawn
from geo.reference.boundaries import front_oblasts
from geo.reference.lines import reference_lines
from geo.theatres.model import party_table
from geo.vocab import LineKind


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("line_a", metavar="LINE_A", help="line id before (e.g. minsk_2014_09_19)")
    parser.add_argument("line_b", metavar="LINE_B", help="line id after (e.g. contact_2015_02_20)")
    parser.add_argument("--format", choices=("json", "table"), default="table", help="output format (default: table)")
    parser.add_argument("--drawn-file", default=None, help="drawn-lines GeoJSON (default: in $CONTESTED_DATA_DIR)")


def compare_by_id(
    id_a: str,
    id_b: str,
    lines: gpd.GeoDataFrame,
    oblasts: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame | None = None,
    *,
    step_km: float = C.DEFAULT_STEP_KM,
) -> C.Comparison:
    """:func:`geo.analysis.compare.compare_lines` for two line ids of ``lines`` (shipped and drawn).

    A drawn line that covers only part of the front is spliced into the
    other line when that one is a shipped line, else into the agreed line
    (:func:`geo.io.drawn.comparable_line`). A drawn area can only be B.

    Raises
    ------
    geo.analysis.compare.UnknownLineError
        naming the unknown id and the valid ones.
    """
    by_id = lines.drop_duplicates(S.LINE_ID).set_index(S.LINE_ID)
    for lid in (id_a, id_b):
        if lid not in by_id.index:
            raise C.UnknownLineError(f"unknown line '{lid}'; choose one of: {', '.join(map(str, by_id.index))}")
    geoms = {}
    for lid, other in ((id_a, id_b), (id_b, id_a)):
        geom = by_id.loc[lid].geometry
        if by_id.loc[lid][S.LINE_KIND] == LineKind.DRAWN:
            base_id = other if by_id.loc[other][S.LINE_KIND] != LineKind.DRAWN else S.AGREED_LINE
            if base_id not in by_id.index:
                raise C.UnknownLineError(f"the agreed line '{base_id}' is missing")
            geom = comparable_line(geom, by_id.loc[base_id].geometry)
        geoms[lid] = geom
    if geoms[id_a].geom_type != "LineString":
        raise InvalidGeometryError(f"'{id_a}' is an area: an area can only be the second line (B)")
    own = {lid: rule_from_row(by_id.loc[lid], line_id=lid) for lid in (id_a, id_b)}
    agreed = rule_from_row(by_id.loc[S.AGREED_LINE], line_id=S.AGREED_LINE) if S.AGREED_LINE in by_id.index else None
    # A line without a side rule of its own (a drawn line) takes the other line's, else the agreed line's.
    rule_a = rule_for(lines, id_a, fallback=own[id_b] or agreed)
    rule_b = own[id_b] or rule_a
    return C.compare_lines(
        geoms[id_a], geoms[id_b], oblasts, settlements, step_km=step_km, rule_a=rule_a, rule_b=rule_b, ids=(id_a, id_b)
    )


def _possessive(party_id: str) -> str:
    """The party as a sentence names it, possessive: "separatists'", "Ukraine's"."""
    party = party_table(config.THEATRES_DIR).get(party_id)
    name = party.in_sentence if party is not None else party_id
    return name + ("'" if name.endswith("s") else "'s")


def _table(lines: list[str], result: C.Comparison, id_a: str, id_b: str) -> None:
    p, q = (_possessive(x) for x in list(result[C.BY_PARTY])[:2])  # line A's side party first
    lines.append(f"Compare {id_a} (A) -> {id_b} (B); km² from the {p} point of view")
    lines.append(f"gained_km2 ({q} side of A, {p} side of B)\t{result[C.GAINED]:.1f}")
    lines.append(f"lost_km2 ({p} side of A, {q} side of B)\t{result[C.LOST]:.1f}")
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
    lines = all_lines(reference_lines(), load_drawn(args.drawn_file))
    result = compare_by_id(args.line_a, args.line_b, lines, front_oblasts(), C.load_settlements())
    if args.format == "json":
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        out: list[str] = []
        _table(out, result, args.line_a, args.line_b)
        print("\n".join(out))
    return 0
