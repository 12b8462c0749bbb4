"""``python -m geo control dates|area|change|series|compare``: query the control snapshots of a theatre.

Forms (issue 17)::

    python -m geo control dates --theatre ID --party NAME --json
    python -m geo control area --theatre ID --party NAME --date YYYY-MM-DD --json
    python -m geo control change --theatre ID --party NAME --from D1 --to D2 --json
    python -m geo control check --theatre ID --party NAME [--series S] --json
    python -m geo control compare-states --theatre ID --a SPEC --b SPEC --party NAME [--store F] [--json]

``check`` lists the theatre's claims about the party with an area figure (a change over a
period, or an area held on a date) and their verdicts against the series
(:mod:`geo.control.claims_check`). Beyond the issue, ``series`` (area per day/week/month/year) and
``compare`` (two series on one date). ``compare-states`` compares any two control states of the
party (:mod:`geo.control.states`), each SPEC one of ``series:NAME@YYYY-MM-DD`` (the snapshot in
force on the date), ``line:LINE_ID`` (the party's side of a line) or ``file:PATH`` (a polygon
file); it prints ``a``, ``b``, ``only_a_km2``, ``only_b_km2``, ``both_km2`` and ``per_region``. Snapshots are imported with
``python -m geo import PATH --theatre ID --as control --party NAME``.
"""

from __future__ import annotations

import argparse
import json

from geo.config import db_url
from geo.control import (
    DEFAULT_SERIES,
    PERIODS,
    ControlStore,
    area_on,
    area_series,
    change,
    compare_series,
    regions_for,
    resample,
)
from geo.control.claims_check import check_claims, figure_claims, theatre_claims
from geo.control.postgis import PostgisControl
from geo.control.states import disagreement, resolve_state
from geo.control.store import check_date
from geo.errors import GeoError, ValidationError

#: The fields ``compare-states`` prints (issue 17), in order.
STATES_FIELDS = ("a", "b", "only_a_km2", "only_b_km2", "both_km2", "per_region")
SPEC_HELP = "series:NAME@YYYY-MM-DD, line:LINE_ID or file:PATH"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--in-db",
        action="store_true",
        help="area and change: compute in the PostGIS database of --db or $CONTESTED_DB_URL (team mode)",
    )
    p.add_argument("--db", help="postgresql:// URL for --in-db (default $CONTESTED_DB_URL)")
    p.add_argument("--theatre", required=True, help="theatre id, e.g. donbas-2014-15")
    p.add_argument("--party", required=True, help="the party whose control area is read")
    p.add_argument("--series", default=DEFAULT_SERIES, help=f"series name (default {DEFAULT_SERIES!r})")
    p.add_argument("--store", help="control store file (default $CONTESTED_DATA_DIR/control.sqlite)")
    p.add_argument("--json", action="store_true", help="print JSON")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="control_command", metavar="SUBCOMMAND", required=True)
    p = sub.add_parser("dates", help="the dates held")
    _common(p)
    p = sub.add_parser("area", help="area held on a date (latest snapshot on or before it)")
    _common(p)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p = sub.add_parser("change", help="gained, lost and net area between two dates")
    _common(p)
    p.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    p = sub.add_parser("series", help="area over time, per day, week, month or year")
    _common(p)
    p.add_argument("--per", choices=PERIODS, default="day", help="period (default day)")
    p = sub.add_parser("check", help="the theatre's period and area claims about the party, checked against the series")
    _common(p)
    p = sub.add_parser("compare", help="two series of one party compared on a date")
    _common(p)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--other-series", required=True, help="the series to compare with")
    p.add_argument("--other-party", help="its party (default the same)")
    p = sub.add_parser("compare-states", help="any two control states of a party compared (snapshot, line side, file)")
    p.add_argument("--theatre", required=True, help="theatre id, e.g. donbas-2014-15")
    p.add_argument("--a", required=True, help=f"the first state: {SPEC_HELP}")
    p.add_argument("--b", required=True, help=f"the second state: {SPEC_HELP}")
    p.add_argument("--party", required=True, help="the party whose ground is compared")
    p.add_argument("--store", help="control store file (default $CONTESTED_DATA_DIR/control.sqlite)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _km2(value: float) -> str:
    return f"{value:,.1f} km²"


def _print(args: argparse.Namespace, data, text_lines: list[str]) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(text_lines))


def _compare_states(args: argparse.Namespace, store: ControlStore) -> None:
    regions = regions_for(args.theatre)
    states = []
    for flag, spec in (("--a", args.a), ("--b", args.b)):
        try:
            states.append(resolve_state(spec, args.party, regions, theatre=args.theatre, store=store))
        except GeoError as exc:  # say which of the two states failed
            raise ValidationError(f"{flag}: {exc}") from None
    a, b = states
    got = disagreement(a, b, regions)
    data = {k: got[k] for k in STATES_FIELDS}
    lines = [
        f"A: {a.label}: {_km2(a.km2)}",
        f"B: {b.label}: {_km2(b.km2)}",
        f"only in A {_km2(got['only_a_km2'])}, only in B {_km2(got['only_b_km2'])}, in both {_km2(got['both_km2'])}",
    ]
    lines += [
        f"  {name}: only A {_km2(v['only_a_km2'])}, only B {_km2(v['only_b_km2'])}, both {_km2(v['both_km2'])}"
        for name, v in got["per_region"].items()
    ]
    _print(args, data, lines)


def _postgis(args: argparse.Namespace, store: ControlStore) -> PostgisControl:
    """The PostGIS control tables of ``--db`` (or ``$CONTESTED_DB_URL``), the party's snapshots copied in."""
    url = (args.db or db_url()).strip()
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValidationError("--in-db needs a postgresql:// URL (--db URL or $CONTESTED_DB_URL)")
    pg = PostgisControl(url)
    pg.sync(store, args.theatre, args.series, args.party)
    return pg


def run(args: argparse.Namespace) -> int:
    with ControlStore(args.store) as store:
        if args.control_command == "compare-states":
            _compare_states(args, store)
            return 0
        cmd, theatre, party, series = args.control_command, args.theatre, args.party, args.series
        if cmd == "dates":
            regions_for(theatre)  # an unknown theatre is refused
            dates = [d.isoformat() for d in store.dates(theatre, series, party)]
            _print(args, dates, dates or [f"no snapshots of {party!r} in {theatre!r} (series {series!r})"])
            return 0
        regions = regions_for(theatre)
        pg = _postgis(args, store) if args.in_db and cmd in ("area", "change") else None
        if cmd == "area":
            if pg is not None:
                got = pg.area_on(theatre, series, party, args.date, regions)
            else:
                got = area_on(store, theatre, party, args.date, regions, series)
            data = {"date": got["date"], "total_km2": got["total_km2"], "per_region": got["per_region"]}
            data["outside_km2"] = got["outside_km2"]
            lines = [f"{party} on {got['date']}: {_km2(got['total_km2'])}"]
            lines += [f"  {name}: {_km2(v)}" for name, v in got["per_region"].items()]
            _print(args, data, lines)
        elif cmd == "change":
            if pg is not None:
                got = pg.change(theatre, series, party, args.date_from, args.date_to, regions)
                got["from_requested"] = check_date(args.date_from).isoformat()
                got["to_requested"] = check_date(args.date_to).isoformat()
            else:
                got = change(store, theatre, party, args.date_from, args.date_to, regions, series)
            keys = ("from", "to", "gained_km2", "lost_km2", "net_km2", "per_region", "from_requested", "to_requested")
            data = {k: got[k] for k in keys}
            lines = [
                f"{party} {got['from']} -> {got['to']}: gained {_km2(got['gained_km2'])}, "
                f"lost {_km2(got['lost_km2'])}, net {_km2(got['net_km2'])}"
            ]
            lines += [f"  {name}: net {_km2(v['net_km2'])}" for name, v in got["per_region"].items()]
            _print(args, data, lines)
        elif cmd == "check":
            checked = check_claims(
                figure_claims(theatre_claims(theatre), party), store, theatre, party, regions, series
            )
            lines = [f"{c['claim_id']}: {c['verdict']} ({c['explanation']})" for c in checked]
            _print(args, checked, lines or [f"no claims about {party!r} with an area figure in {theatre!r}"])
        elif cmd == "series":
            rows = area_series(store, theatre, party, regions, series)
            per = resample(rows, args.per)
            _print(args, per, [f"{r['period']}: {_km2(r['total_km2'])} (net {r['net_km2']:+,.1f})" for r in per])
        else:
            got = compare_series(
                store, theatre, args.date, regions, (series, party), (args.other_series, args.other_party or party)
            )
            data = {k: v for k, v in got.items() if k not in ("a_only", "b_only", "both")}
            lines = [
                f"{series} ({got['a_date']}) vs {args.other_series} ({got['b_date']}): only in {series} "
                f"{_km2(got['a_only_km2'])}, only in {args.other_series} {_km2(got['b_only_km2'])}"
            ]
            _print(args, data, lines)
        if pg is not None:
            pg.close()
    return 0
