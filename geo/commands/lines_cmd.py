"""``python -m geo lines``: list, rename, delete and restore imported and drawn lines.

Examples
--------
::

    python -m geo lines list --json
    python -m geo lines rename user_alpha_20150120 "Alpha (OSCE map)" --user ana
    python -m geo lines delete user_alpha_20150120 --user ana   # refused while claims cite it
    python -m geo lines restore user_alpha_20150120 --user ana

Lines live in the data directory (``--data-dir``, default
``$CONTESTED_DATA_DIR``); every change is recorded in ``lines_audit.jsonl``
there. ``delete`` reads the claims registry (``--db``) to refuse deleting a
line that claims use as their reference line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import pandas as pd

from geo.auth import Principal, local_principal
from geo.claims.store import open_store
from geo.commands.identity import ENV_USER
from geo.io import line_registry as R


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``lines list | rename | delete | restore | history``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None, help="directory of the line files (default $CONTESTED_DATA_DIR)")
    common.add_argument("--db", metavar="PATH", default=None, help="claims store file or postgresql:// URL")
    writer = argparse.ArgumentParser(add_help=False)
    writer.add_argument("--user", default=None, help=f"name recorded in the audit file (default: ${ENV_USER} or login)")
    sub = parser.add_subparsers(dest="lines_action", metavar="ACTION", required=True)

    p = sub.add_parser("list", parents=[common], help="print the imported and drawn lines")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    p.add_argument("--include-deleted", action="store_true", help="also list deleted lines that can be restored")

    p = sub.add_parser("rename", parents=[common, writer], help="give a line a new name")
    p.add_argument("line_id", metavar="ID")
    p.add_argument("name", metavar="NAME")

    p = sub.add_parser("delete", parents=[common, writer], help="delete a line no claim cites")
    p.add_argument("line_id", metavar="ID")

    p = sub.add_parser("restore", parents=[common, writer], help="undo the delete of a line")
    p.add_argument("line_id", metavar="ID")

    p = sub.add_parser("history", parents=[common], help="print the audit records of a line (or of all)")
    p.add_argument("line_id", metavar="ID", nargs="?")


def _user(args: argparse.Namespace) -> Principal:
    """Lines are files of this machine: its user, an admin of them (refused in read-only mode)."""
    return local_principal((args.user or "").strip() or os.environ.get(ENV_USER, "").strip() or None)


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; return the exit code."""
    action = args.lines_action
    if action == "list":
        frame = R.list_lines(args.data_dir).assign(deleted=False)
        if args.include_deleted:
            gone = R.deleted_lines(args.data_dir).assign(deleted=True)

            frame = pd.concat([frame, gone[[c for c in gone.columns if c in frame.columns]]], ignore_index=True)
        frame = frame.fillna("")
        if args.json:
            json.dump(frame.to_dict("records"), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        elif frame.empty:
            print("no imported or drawn lines")
        else:
            table = frame.drop(columns=["deleted"] if not args.include_deleted else [])
            table["name"] = table["name"].str.slice(0, 60)
            sys.stdout.write(table.to_string(index=False) + "\n")
        return 0
    if action == "history":
        json.dump(R.line_history(args.line_id, args.data_dir), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if action == "rename":
        rec = R.rename_line(args.line_id, args.name, user=_user(args), data_dir=args.data_dir)
        print(f"renamed {args.line_id}: {rec['before']['name'][:60]!r} -> {rec['after']['name'][:60]!r}")
        return 0
    if action == "delete":
        with open_store(args.db) as store:
            claims = store.list_claims(theatre=store.default_theatre)  # the layers are the default theatre's
        cited = R.claims_citing_line(claims, args.line_id)
        R.delete_line(args.line_id, user=_user(args), data_dir=args.data_dir, cited_by=cited)
        print(f"deleted line {args.line_id}; undo with 'lines restore {args.line_id}'")
        return 0
    R.restore_line(args.line_id, user=_user(args), data_dir=args.data_dir)
    print(f"restored line {args.line_id}")
    return 0


__all__ = ["add_arguments", "run"]
