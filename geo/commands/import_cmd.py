"""``python -m geo import FILE [--as line|claim-geometry|claims [--theatre ID]]``: import a GIS file.

Reads and validates the whole file first (see :mod:`geo.io.reader`), then
stores every feature or none. Claims go to the theatre ``--theatre`` (default: the
store's default theatre), their lines and sides checked against that theatre's
(:mod:`geo.claims.theatre_rules`), as the Import page does for the sidebar's theatre. Prints what was imported, its notes and
warnings; on any problem one line of reason and exit status 1.
"""

from __future__ import annotations

import argparse

from geo.auth import local_principal
from geo.claims.store import open_store
from geo.claims.theatre_rules import check_theatre_id, rules_for
from geo.commands.identity import cli_principal
from geo.commands.import_control import AS_CONTROL, add_control_arguments, run_control
from geo.errors import ValidationError
from geo.io import AS_CLAIMS, AS_LINE, DEFAULT_MAX_BYTES, IMPORT_TARGETS, MB, read_vector, save_import, user_lines_paths


def _mapping(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, col = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--map expects FIELD=COLUMN, got {item!r}")
        out[key.strip()] = col.strip()
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:

    parser.add_argument("file", help="GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile or CSV")
    parser.add_argument(
        "--as",
        dest="as_",
        default="line",
        choices=(*IMPORT_TARGETS, AS_CONTROL),
        help="what the features become (default: line)",
    )
    parser.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="map a field (name, date, party, source, kind, or a claim column) to a column of the file; repeatable",
    )
    parser.add_argument("--layer", help="layer of a GeoPackage / shapefile in a zip")
    parser.add_argument("--crs", help="CRS of coordinates if the file declares none")
    parser.add_argument("--wkt-column", help="CSV: column holding WKT geometry")
    parser.add_argument("--lonlat-columns", nargs=2, metavar=("LON", "LAT"), help="CSV: lon and lat columns")
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / MB,
        help="refuse files larger than this (default 50)",
    )
    parser.add_argument(
        "--data-dir",
        help="directory of user_lines.csv (--as line); default $CONTESTED_DATA_DIR",
    )
    parser.add_argument("--store", help="claims store path or URL (--as claims)")
    parser.add_argument(
        "--user",
        default=None,
        help="name for the audit log (embedded store only; default $CONTESTED_USER or the login name)",
    )
    parser.add_argument("--dry-run", action="store_true", help="validate and report, store nothing")
    add_control_arguments(parser)


def run(args: argparse.Namespace) -> int:

    if not args.max_mb > 0:
        raise ValueError("--max-mb must be positive")
    if args.as_ == AS_CONTROL:
        return run_control(args)
    theatre = None
    if args.theatre is not None:
        if args.as_ != AS_CLAIMS:
            raise ValidationError(f"--theatre applies to --as {AS_CLAIMS} or --as {AS_CONTROL}, not --as {args.as_}")
        theatre = rules_for(check_theatre_id(args.theatre)).theatre  # an unknown theatre before the file is read
    result = read_vector(
        args.file,
        as_=args.as_,
        max_bytes=int(args.max_mb * MB),
        layer=args.layer,
        crs=args.crs,
        wkt_column=args.wkt_column,
        lonlat_columns=tuple(args.lonlat_columns) if args.lonlat_columns else None,
    )
    mapping = _mapping(args.map)
    print(result.summary())
    for line in result.warnings:
        print(f"warning: {line}")
    for line in result.note_lines():
        print(f"note: {line}")
    if args.dry_run:
        print("dry run: nothing stored")
        return 0
    if args.as_ == AS_LINE:
        ids = save_import(result, mapping, args.data_dir, user=local_principal(args.user or None))

        where = user_lines_paths(args.data_dir)[0]
        print(f"imported {len(ids)} line(s) into {where}: {', '.join(ids)}")
    elif args.as_ == AS_CLAIMS:
        with open_store(args.store) as store:
            ids = save_import(result, mapping, store, user=cli_principal(store, args.user), theatre=theatre)
        where = f" into theatre {theatre}" if theatre else ""
        print(f"imported {len(ids)} claim(s){where}: {', '.join(ids)}")
    else:
        wkts = save_import(result, mapping)
        print(f"{len(wkts)} claim geometry(ies) validated (nothing stored):")
        for wkt in wkts:
            print(wkt if len(wkt) <= 2000 else wkt[:2000] + " ...")
    return 0
