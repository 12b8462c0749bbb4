"""``python -m geo claims``: list, add, trace and back up claims in the registry.

Examples
--------
::

    python -m geo claims list --format json > claims.json
    python -m geo claims add claims.json --user ana        # ids and record times are new
    python -m geo claims list --as-of 2026-11-01 --line minsk_2014_09_19
    python -m geo claims list --theatre korea-1953 --format json
    python -m geo claims add korea.csv --theatre korea-1953   # rows without a theatre column
    python -m geo claims seed --theatre my-theatre            # a theatre's own claims.csv
    python -m geo claims history c001
    python -m geo claims backup ~/claims-backup.sqlite

Every action takes ``--db PATH`` (a SQLite file, created and seeded if new, or
a ``postgresql://`` URL); without it the store named by ``CONTESTED_DB_URL`` /
``CONTESTED_DATA_DIR`` (default ``~/.local/share/contested-lines/claims.sqlite``)
is used.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from geo import schema as S
from geo.claims.store import Store, open_store
from geo.claims.theatre_rules import rules_for
from geo.commands.identity import ENV_USER, cli_principal
from geo.errors import DataFileError, UnsupportedFormatError, ValidationError
from geo.io import CSV_LINE_END, csv_safe_frame, csv_unsafe_cell

MAX_INPUT_BYTES = 50 * 1024 * 1024
_TABLE_COLUMNS = [
    S.CLAIM_ID,
    S.CLAIM_EVENT_DATE,
    S.CLAIM_ACTOR,
    S.CLAIM_STANCE,
    S.CLAIM_QUALIFIER,
    S.CLAIM_VALUE,
    S.CLAIM_UNIT,
    S.CLAIM_REFERENCE_LINE,
    S.SOURCE_PUBLISHER,
    S.CLAIM_QUOTE,
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``claims list | add | history | backup | delete | restore``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="store file or postgresql:// URL (default: $CONTESTED_DB_URL, "
        "$CONTESTED_DATA_DIR/claims.sqlite or ~/.local/share/contested-lines/claims.sqlite)",
    )
    writer = argparse.ArgumentParser(add_help=False)
    writer.add_argument(
        "--user",
        default=None,
        help=f"name recorded in the audit log (default: ${ENV_USER} or the login name)",
    )
    in_theatre = argparse.ArgumentParser(add_help=False)
    in_theatre.add_argument(
        "--theatre", metavar="ID", default=None, help="theatre id (python -m geo theatre list); default: all theatres"
    )
    sub = parser.add_subparsers(dest="claims_action", metavar="ACTION", required=True)

    p = sub.add_parser("list", parents=[common, in_theatre], help="print claims with their sources")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--as-of", metavar="DATE", help="the registry as recorded on DATE (UTC)")
    p.add_argument("--include-deleted", action="store_true", help="also list deleted claims")
    p.add_argument("--actor", action="append", help="keep this actor (repeatable)")
    p.add_argument("--party", action="append", help="keep this party (repeatable)")
    p.add_argument("--stance", action="append", choices=S.STANCES)
    p.add_argument("--line", action="append", dest="reference_line", metavar="LINE_ID")
    p.add_argument("--source", action="append", dest="source_id", metavar="SOURCE_ID")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="event date on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="event date on or before")
    p.add_argument("--text", help="case-insensitive text in quote, actor, notes, tags, source")

    p = sub.add_parser(
        "add",
        parents=[common, writer],
        help="add claims from a JSON, JSON-lines or CSV file (all rows or none)",
    )
    p.add_argument("file", metavar="FILE", help="input file, '-' for standard input")
    p.add_argument(
        "--format",
        choices=("auto", "json", "jsonl", "csv"),
        default="auto",
        help="input format (default: from the file name, else from the content)",
    )
    p.add_argument(
        "--theatre",
        metavar="ID",
        default=None,
        help="theatre of the rows that name none (default: the seed theatre); lines and sides are checked against it",
    )

    p = sub.add_parser(
        "seed", parents=[common, writer], help="add a theatre's own claims.csv and sources.csv to the registry"
    )
    p.add_argument("--theatre", metavar="ID", required=True, help="a theatre none of whose claims the registry holds")

    p = sub.add_parser("history", parents=[common], help="print the audit trail of a claim")
    p.add_argument("claim_id", metavar="ID")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of the store")
    p.add_argument("destination", metavar="DEST")
    p.add_argument("--overwrite", action="store_true", help="replace DEST if it exists")

    p = sub.add_parser("delete", parents=[common, writer], help="soft-delete a claim")
    p.add_argument("claim_id", metavar="ID")
    p.add_argument(
        "--version",
        type=int,
        required=True,
        help="the version you saw (claims list); refused if the claim changed since",
    )
    p = sub.add_parser("restore", parents=[common, writer], help="undo the delete of a claim")
    p.add_argument("claim_id", metavar="ID")


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; return the exit code."""
    action = {
        "list": _list,
        "add": _add,
        "history": _history,
        "backup": _backup,
        "delete": _delete,
        "restore": _restore,
        "seed": _seed,
    }[args.claims_action]
    with open_store(args.db) as store:
        return action(store, args)


# --------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """JSON-ready Python value: NaN -> None, numpy scalars -> Python."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def frame_to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a claims frame as JSON-ready dicts (what ``list --format json`` prints)."""
    return [{column: _plain(value) for column, value in row.items()} for row in frame.to_dict(orient="records")]


def _list(store: Store, args: argparse.Namespace) -> int:
    filters = {
        name: getattr(args, name)
        for name in (
            "actor",
            "party",
            "stance",
            "reference_line",
            "source_id",
            "date_from",
            "date_to",
            "text",
        )
        if getattr(args, name)
    }
    if args.theatre:
        rules_for(args.theatre)  # an unknown theatre is an error, not an empty list
    frame = store.list_claims(as_of=args.as_of, include_deleted=args.include_deleted, theatre=args.theatre, **filters)
    out = sys.stdout
    if args.format == "json":
        json.dump(frame_to_records(frame), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        csv_safe_frame(frame).to_csv(out, index=False, lineterminator=CSV_LINE_END)
    else:
        if frame.empty:
            print("no claims", file=sys.stderr)
            return 0
        table = frame[_TABLE_COLUMNS].copy()
        table[S.CLAIM_VALUE] = table[S.CLAIM_VALUE].map(lambda v: "" if pd.isna(v) else f"{v:g}")
        table[S.CLAIM_QUOTE] = table[S.CLAIM_QUOTE].map(_short)
        table[S.CLAIM_ACTOR] = table[S.CLAIM_ACTOR].map(lambda t: _short(t, 30))
        table[S.SOURCE_PUBLISHER] = table[S.SOURCE_PUBLISHER].map(lambda t: _short(t, 24))
        out.write(table.to_string(index=False) + "\n")
        print(f"{len(frame)} claims in {store.location}", file=sys.stderr)
    return 0


def _short(text: Any, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------
# add
# --------------------------------------------------------------------------
def read_records(path: str, fmt: str = "auto", *, stdin: io.TextIOBase | None = None) -> list[dict[str, Any]]:
    """Read claim rows from a JSON array, JSON lines or CSV file.

    Parameters
    ----------
    path : str
        File name, or ``"-"`` for standard input.
    fmt : {"auto", "json", "jsonl", "csv"}
        ``auto`` decides from the file extension, else from the first
        character (``[`` JSON array, ``{`` JSON object or lines, else CSV).
    stdin : text stream, optional
        Replaces ``sys.stdin`` when ``path`` is ``"-"``.

    Returns
    -------
    list of dict

    Raises
    ------
    DataFileError
        If the file is missing, too large, not UTF-8 or malformed (with the
        line or row).
    """
    name = "standard input" if path == "-" else path
    if path == "-":
        text = (stdin or sys.stdin).read(MAX_INPUT_BYTES + 1)
        if len(text) > MAX_INPUT_BYTES:
            raise DataFileError(f"{name}: more than {MAX_INPUT_BYTES // 2**20} MB")
    else:
        file = Path(path)
        if not file.is_file():
            raise DataFileError(f"{name}: no such file")
        if file.stat().st_size > MAX_INPUT_BYTES:
            raise DataFileError(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB")
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if fmt == "auto":
        suffix = Path(path).suffix.lower()
        fmt = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(suffix, "")
        if not fmt:
            head = text.lstrip()[:1]
            fmt = "json" if head in "[{" and head else "csv"
    if fmt == "json":
        return _read_json(text, name)
    if fmt == "jsonl":
        return _read_json_lines(text, name)
    if fmt == "csv":
        return _read_csv(text, name)
    raise UnsupportedFormatError(f"unknown input format {fmt!r}")


def _objects(value: Any, name: str) -> list[dict[str, Any]]:
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise DataFileError(f"{name}: expected a JSON array of objects")
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataFileError(f"{name}: row {i}: expected an object, got {type(item).__name__}")
    return items


def _read_json(text: str, name: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{"):
            return _read_json_lines(text, name)  # several objects: JSON lines
        raise DataFileError(f"{name}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise DataFileError(f"{name}: JSON nested too deeply") from None
    return _objects(value, name)


def _read_json_lines(text: str, name: str) -> list[dict[str, Any]]:
    rows = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{name}: line {lineno}: invalid JSON ({exc.msg})") from None
        except RecursionError:
            raise DataFileError(f"{name}: line {lineno}: JSON nested too deeply") from None
        if not isinstance(value, dict):
            raise DataFileError(f"{name}: line {lineno}: expected a JSON object")
        rows.append(value)
    return rows


def _read_csv(text: str, name: str) -> list[dict[str, Any]]:

    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            return []
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            raise DataFileError(f"{name}: the header names a column twice")
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows (row numbers match the store's)
            if len(values) > len(header):
                raise DataFileError(
                    f"{name}: row {len(rows) + 1}: {len(values)} fields but the header has {len(header)}"
                )
            # undo the formula-injection guard of `claims list --format csv` (geo.io.export.csv_safe_cell)
            rows.append(dict(zip(header, map(csv_unsafe_cell, values), strict=False)))
        return rows
    except csv.Error as exc:
        raise DataFileError(f"{name}: invalid CSV ({exc})") from None


def _add(store: Store, args: argparse.Namespace) -> int:
    rows = read_records(args.file, args.format)
    name = "standard input" if args.file == "-" else args.file
    if not rows:
        raise DataFileError(f"{name}: no claims to add")
    try:
        ids = store.add_claims(rows, user=cli_principal(store, args.user), theatre=args.theatre)
    except ValidationError as exc:
        raise ValidationError(f"{name}: {exc}; nothing was added") from None
    for claim_id in ids:
        print(claim_id)
    print(f"added {len(ids)} claims to {store.location}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------
# history, backup, delete, restore
# --------------------------------------------------------------------------
def _changed(before: dict | None, after: dict | None) -> str:
    if before is None or after is None:
        return ""
    skip = {"record_time", "version"}
    return ", ".join(k for k in after if k not in skip and before.get(k) != after.get(k))


def _history(store: Store, args: argparse.Namespace) -> int:
    records = store.history(args.claim_id)
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    table = pd.DataFrame(
        [
            {
                "at (UTC)": r["at"],
                "user": _short(r["user"], 30),
                "action": r["action"],
                "version": r["version"],
                "changed": _changed(r["before"], r["after"]),
            }
            for r in records
        ]
    )
    sys.stdout.write(table.to_string(index=False) + "\n")
    return 0


def _backup(store: Store, args: argparse.Namespace) -> int:
    dest = store.backup(args.destination, overwrite=args.overwrite)
    print(f"backed up {store.location} to {dest}", file=sys.stderr)
    return 0


def _delete(store: Store, args: argparse.Namespace) -> int:
    claim = store.delete_claim(args.claim_id, cli_principal(store, args.user), expected_version=args.version)
    print(f"deleted {claim.claim_id} (version {claim.version}); undo with 'claims restore'")
    return 0


def _seed(store: Store, args: argparse.Namespace) -> int:
    report = store.seed_theatre(args.theatre, cli_principal(store, args.user))
    for problem in report.skipped:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"{report.summary()} in {store.location}", file=sys.stderr)
    return 0


def _restore(store: Store, args: argparse.Namespace) -> int:
    claim = store.undo_delete(args.claim_id, cli_principal(store, args.user))
    print(f"restored {claim.claim_id} (version {claim.version})")
    return 0


__all__ = ["add_arguments", "frame_to_records", "read_records", "run"]
