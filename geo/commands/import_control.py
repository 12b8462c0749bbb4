"""``python -m geo import PATH --theatre ID --as control --party NAME``: import a control series.

PATH is a file, a directory or a zip (see :func:`geo.control.read_series`).
Prints how many snapshots were imported, skipped as duplicates and refused
(each refusal with its reason). Exit status 0 when something was imported or
every day was already held, 1 when every file was refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from geo.control import DEFAULT_SERIES, ControlStore, import_series, read_series, regions_for
from geo.errors import ValidationError
from geo.io import MB, Limits

AS_CONTROL = "control"


def add_control_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``--as control``."""
    group = parser.add_argument_group("--as control (dated control maps)")
    group.add_argument("--theatre", help="theatre id the series belongs to (--as control)")
    group.add_argument("--party", help="party holding every polygon, or the one party kept with --party-field")
    group.add_argument("--party-field", help="property holding each polygon's party")
    group.add_argument("--date-field", help="property holding each feature's date (default: guessed)")
    group.add_argument(
        "--series", default=DEFAULT_SERIES, help=f"series name, e.g. deepstate (default {DEFAULT_SERIES!r})"
    )
    group.add_argument("--control-store", help="control store file (default $CONTESTED_DATA_DIR/control.sqlite)")
    group.add_argument("--json", action="store_true", help="print the report as JSON")
    group.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _progress(quiet: bool):
    if quiet:
        return None

    def show(done: int, total: int, name: str) -> None:
        step = max(1, total // 20)
        if done == total or done % step == 0:
            print(f"read {done}/{total}: {name}", file=sys.stderr, flush=True)

    return show


def run_control(args: argparse.Namespace) -> int:
    """Read the series at ``args.file`` and import it; print the report."""
    if not args.theatre:
        raise ValidationError("--as control needs --theatre ID")
    if not args.party and not args.party_field:
        raise ValidationError("--as control needs --party NAME (or --party-field FIELD)")
    regions_for(args.theatre)  # an unknown theatre is refused before anything is read
    read = read_series(
        args.file,
        party=args.party,
        party_field=args.party_field,
        date_field=args.date_field,
        limits=Limits(max_bytes=int(args.max_mb * MB)),
        progress=_progress(args.quiet),
        jobs=min(2, os.cpu_count() or 1),  # parsing is CPU-bound: one process per core, at most 2
    )
    if args.dry_run:
        print(f"dry run: {len(read.snapshots)} snapshot(s) read from {read.files} file(s), refused {len(read.refused)}")
        for refusal in read.refused:
            print(f"refused: {refusal}")
        return 0 if read.snapshots else 1
    with ControlStore(args.control_store) as store:
        report = import_series(store, read, args.theatre, args.series)
        where = store.path
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            print(line)
        for line in report.warnings:
            print(f"warning: {line}")
        print(f"store: {where}")
    return 0 if report.imported or report.duplicates else 1
