r"""``python -m geo theatre``: list, create, export and import theatres (disputes).

Examples
--------
::

    python -m geo theatre list --json
    python -m geo theatre create tbilisi-2008 --name "Georgia 2008" --countries GE \
        --party "Georgia" --party "South Ossetia" --region-word region
    python -m geo theatre export tbilisi-2008 tbilisi.zip
    python -m geo theatre import tbilisi.zip --replace

User theatres live in ``$CONTESTED_DATA_DIR/theatres/`` (``--data-dir`` to choose another data
directory). A refused create or import (unknown country code, taken id, bad archive) prints one
line on stderr and exits with status 2; nothing stored is changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo import config
from geo.auth import Action, local_principal, require
from geo.claims.store import open_store, read_seed_tables
from geo.claims.store.seed import registry_tables
from geo.errors import TheatreError
from geo.theatres import (
    catalogue_problems,
    create_theatre,
    export_theatre,
    get_theatre,
    import_theatre,
    list_theatres,
    summary,
)

#: Exit status of a refused create or import.
EXIT_REFUSED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``theatre list | show | create | export | import``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None, help="user data directory (default $CONTESTED_DATA_DIR)")
    sub = parser.add_subparsers(dest="theatre_action", metavar="ACTION", required=True)

    registry = argparse.ArgumentParser(add_help=False)
    registry.add_argument(
        "--db", metavar="PATH", default=None, help="claims store counted (default: the store of the data directory)"
    )
    p = sub.add_parser("list", parents=[common, registry], help="print the shipped and user theatres")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per theatre")

    p = sub.add_parser("show", parents=[common, registry], help="print one theatre as JSON")
    p.add_argument("theatre_id", metavar="ID")

    p = sub.add_parser("create", parents=[common], help="create a user theatre")
    p.add_argument("theatre_id", metavar="ID", help="new id: 2-63 of a-z, 0-9, '_', '-'")
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--countries", required=True, metavar="XX[,YY]", help="ISO 3166-1 alpha-2 codes, comma-separated")
    p.add_argument("--admin1", default="", metavar="XX-A[,XX-B]", help="ISO 3166-2 codes narrowing the region")
    p.add_argument("--party", action="append", default=[], metavar="NAME", help="a party's name; repeat for each")
    p.add_argument("--region-word", default="", help="what the admin-1 units are called (default: region)")
    p.add_argument("--region-word-plural", default="", help="plural of --region-word (default: it + 's')")
    p.add_argument("--description", default="", help="one paragraph about the dispute")

    p = sub.add_parser("export", parents=[common, registry], help="write a theatre to one zip file")
    p.add_argument("theatre_id", metavar="ID")
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("import", parents=[common], help="import a theatre from a zip file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help="overwrite a user theatre of the same id")
    p.add_argument("--id", dest="new_id", default=None, metavar="NEW_ID", help="import under another id")


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _print_table(rows: list[dict]) -> None:
    if not rows:
        print("no theatres")
        return
    header = ("id", "name", "countries", "parties", "lines", "claims", "where")
    table = [
        (
            r["id"],
            r["name"][:40],
            ",".join(r["countries"]),
            ", ".join(p["short"] for p in r["parties"])[:40],
            str(len(r["lines"])),
            str(r["claims"]),
            ("shipped" + (", default" if r["default"] else "")) if r["shipped"] else "user",
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    for row in [header, *table]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _registry(args: argparse.Namespace):
    """The registry: ``--db``, else ``$CONTESTED_DB_URL``, else the store of ``--data-dir``."""
    db = getattr(args, "db", None)
    return open_store(db or (Path(args.data_dir).expanduser() if args.data_dir and not config.db_url() else None))


def _registry_counts(args: argparse.Namespace) -> dict[str, int]:
    """Claims per theatre in the registry (:func:`_registry`)."""
    with _registry(args) as store:
        return store.claim_counts()


def _summary(theatre, counts: dict[str, int]) -> dict:
    """:func:`geo.theatres.summary` with ``claims`` counted in the registry rather than in the theatre's file."""
    return {**summary(theatre), "claims": counts.get(theatre.id, 0)}


def _list(args: argparse.Namespace) -> int:
    counts = _registry_counts(args)
    rows = [_summary(t, counts) for t in list_theatres(args.data_dir)]
    for problem in catalogue_problems(args.data_dir):
        print(f"warning: {problem}", file=sys.stderr)
    for t in list_theatres(args.data_dir):  # why a shipped theatre's registry count is below its file's
        if t.shipped:
            for problem in read_seed_tables(t.path).skipped:
                print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_table(rows)
    return 0


def _refusable(args: argparse.Namespace) -> int:
    action = args.theatre_action
    require(local_principal(), Action.MANAGE_THEATRES)  # theatres are local files: refused in read-only mode
    if action == "create":
        t = create_theatre(
            args.theatre_id,
            args.name,
            _codes(args.countries),
            _codes(args.admin1),
            args.party,
            region_word=args.region_word,
            region_word_plural=args.region_word_plural,
            description=args.description,
            data_dir=args.data_dir,
        )
        print(f"created theatre '{t.id}' ({t.name}; {', '.join(t.countries)}) in {t.path}")
    else:
        t = import_theatre(args.file, replace=args.replace, new_id=args.new_id, data_dir=args.data_dir)
        print(f"imported theatre '{t.id}' ({t.name}) into {t.path}")
        if t.has_table("claims.csv"):
            print(f"its claims are added to the registry with: python -m geo claims seed --theatre {t.id}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; return the exit code (2 when a create or import is refused)."""
    action = args.theatre_action
    if action == "list":
        return _list(args)
    if action == "show":
        theatre = get_theatre(args.theatre_id, args.data_dir)
        json.dump(_summary(theatre, _registry_counts(args)), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if action == "export":  # the claims as the registry holds them now, not as first shipped
        theatre = get_theatre(args.theatre_id, args.data_dir)
        with _registry(args) as store:
            tables = registry_tables(store, theatre.id, theatre.path)
        path = export_theatre(args.theatre_id, args.file, args.data_dir, tables=tables)
        print(f"exported theatre '{args.theatre_id}' to {path}")
        return 0
    try:
        return _refusable(args)
    except TheatreError as exc:
        print(f"error: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return EXIT_REFUSED
