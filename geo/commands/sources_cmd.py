"""``python -m geo sources``: list, edit, delete and restore the sources of the registry.

Examples
--------
::

    python -m geo sources list --json
    python -m geo sources edit mt-2015-01-21 --set title="Corrected title" --user ana
    python -m geo sources delete wire-1 --user ana      # refused while claims cite it
    python -m geo sources restore wire-1 --user ana

Every action takes ``--db PATH`` (a SQLite file or a ``postgresql://`` URL),
like ``python -m geo claims``. Edits, deletes and restores are in the
registry's audit log; ``--version N`` refuses the change if the source was
changed since version ``N``.
"""

from __future__ import annotations

import argparse
import json
import sys

from geo import schema as S
from geo.auth import Principal
from geo.claims.store import Store, open_store
from geo.commands.identity import ENV_USER, cli_principal
from geo.errors import ValidationError

_TABLE_COLUMNS = [S.SOURCE_ID, S.SOURCE_PUBLISHER, S.SOURCE_PUBLISHED, S.SOURCE_KIND, S.SOURCE_TITLE, "version"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``sources list | edit | delete | restore``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=None, help="store file or postgresql:// URL")
    writer = argparse.ArgumentParser(add_help=False)
    writer.add_argument("--user", default=None, help=f"name recorded in the audit log (default: ${ENV_USER} or login)")
    sub = parser.add_subparsers(dest="sources_action", metavar="ACTION", required=True)

    p = sub.add_parser("list", parents=[common], help="print the sources")
    p.add_argument("--json", action="store_true", help="print JSON (one object per source)")
    p.add_argument("--include-deleted", action="store_true", help="also list deleted sources")

    p = sub.add_parser("edit", parents=[common, writer], help="change fields of a source")
    p.add_argument("source_id", metavar="ID")
    p.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="FIELD=VALUE",
        help=f"field to change ({', '.join(c for c in S.SOURCE_COLUMNS if c != S.SOURCE_ID)}); repeatable",
    )
    p.add_argument("--version", type=int, default=None, help="the version you edited (refused if it changed since)")

    p = sub.add_parser("delete", parents=[common, writer], help="delete a source no claim cites")
    p.add_argument("source_id", metavar="ID")
    p.add_argument(
        "--version",
        type=int,
        required=True,
        help="the version you saw (sources list); refused if the source changed since",
    )

    p = sub.add_parser("restore", parents=[common, writer], help="undo the delete of a source")
    p.add_argument("source_id", metavar="ID")


def parse_settings(items: list[str]) -> dict[str, str]:
    """``["title=New", "url=https://..."]`` -> ``{"title": "New", "url": "https://..."}``."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValidationError(f"--set expects FIELD=VALUE, got {item[:60]!r}")
        if key not in S.SOURCE_COLUMNS or key == S.SOURCE_ID:
            fields = ", ".join(c for c in S.SOURCE_COLUMNS if c != S.SOURCE_ID)
            raise ValidationError(f"--set {key[:40]!r}: not a field that can be edited ({fields})")
        out[key] = value
    return out


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; return the exit code."""
    action = {"list": _list, "edit": _edit, "delete": _delete, "restore": _restore}[args.sources_action]
    with open_store(args.db) as store:
        return action(store, args)


def _user(store: Store, args: argparse.Namespace) -> Principal:
    return cli_principal(store, args.user)


def _list(store: Store, args: argparse.Namespace) -> int:
    frame = store.list_sources(include_deleted=args.include_deleted)
    if args.json:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    if frame.empty:
        print("no sources")
        return 0
    table = frame[_TABLE_COLUMNS + (["deleted"] if args.include_deleted else [])].copy()
    table[S.SOURCE_TITLE] = table[S.SOURCE_TITLE].str.slice(0, 60)
    sys.stdout.write(table.to_string(index=False) + "\n")
    return 0


def _edit(store: Store, args: argparse.Namespace) -> int:
    changes = parse_settings(args.set)
    version = args.version if args.version is not None else store.get_source(args.source_id).version
    new = store.update_source(args.source_id, changes, user=_user(store, args), expected_version=version)
    print(f"edited source {new.source_id} (now version {new.version})")
    return 0


def _delete(store: Store, args: argparse.Namespace) -> int:
    gone = store.delete_source(args.source_id, _user(store, args), expected_version=args.version)
    print(f"deleted source {gone.source_id} (version {gone.version}); undo with 'sources restore {gone.source_id}'")
    return 0


def _restore(store: Store, args: argparse.Namespace) -> int:
    back = store.restore_source(args.source_id, _user(store, args))
    print(f"restored source {back.source_id} (version {back.version})")
    return 0


__all__ = ["add_arguments", "parse_settings", "run"]
