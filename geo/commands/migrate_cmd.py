"""``python -m geo migrate``: copy the claims registry, with its audit log, to another store.

Examples
--------
::

    # the embedded file ($CONTESTED_DATA_DIR/claims.sqlite by default) into PostGIS
    python -m geo migrate --to postgresql://desk@db.example.org/contested
    # an explicit file, and back from PostGIS into a new SQLite file
    python -m geo migrate --from ~/claims.sqlite --to postgresql://desk@db/contested
    python -m geo migrate --from postgresql://desk@db/contested --to ~/copy.sqlite

The target must be empty (a new database, schema or file); ids, versions,
record times and the whole audit log are kept, so "as known on" and each
claim's history are the same in the copy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.auth import Action, local_principal, require
from geo.claims.store import default_store_location, is_database_url, open_store
from geo.claims.store.migrate import copy_store
from geo.errors import StoreError

_FILE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``--to`` and ``--from``."""
    parser.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="URL",
        help="an empty postgresql:// database (or schema, via ?options=-csearch_path%%3D...) or a new .sqlite file",
    )
    parser.add_argument(
        "--from",
        dest="source",
        default=None,
        metavar="PATH_OR_URL",
        help="the store to copy (default: $CONTESTED_DB_URL, else the embedded file "
        "$CONTESTED_DATA_DIR/claims.sqlite or ~/.local/share/contested-lines/claims.sqlite)",
    )


def _check_target(target: str) -> str:
    target = target.strip()
    if is_database_url(target):
        if not target.lower().startswith(("postgresql://", "postgres://")):
            raise StoreError(f"--to {target.split('://')[0]}://... is not supported; use postgresql://")
        return target
    if target.lower().endswith(_FILE_SUFFIXES):
        path = Path(target).expanduser()
        if path.exists():
            raise StoreError(f"--to {path} exists; give a new file (nothing was changed)")
        return str(path)
    raise StoreError(
        f"--to {target!r} is neither a postgresql:// URL nor a new .sqlite file "
        "(e.g. postgresql://user@host:5432/database)"
    )


def _check_source(source: str | None) -> str:
    if source is None or not source.strip():
        return default_store_location()  # created and seeded if new, like every command
    source = source.strip()
    if not is_database_url(source):
        path = Path(source).expanduser()
        if not path.exists():
            raise StoreError(f"--from {path}: no such store file")
        return str(path)
    return source


def run(args: argparse.Namespace) -> int:
    """Copy the registry; print one summary line."""
    require(local_principal(), Action.MIGRATE)  # before any file or schema is created
    target = _check_target(args.target)
    source = _check_source(args.source)
    with open_store(source) as src:
        with open_store(target, seed=False) as dst:
            report = copy_store(src, dst)
    print(report.summary())
    return 0
