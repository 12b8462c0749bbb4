"""Command line: ``python -m geo COMMAND ...``.

Each command lives in ``geo/commands/<name>.py`` and defines
``add_arguments(parser)`` and ``run(args) -> int``. Errors raised as
:class:`geo.errors.GeoError` (or ``ValueError``/``OSError``) are printed as
one line on stderr with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geo.errors import GeoError

COMMANDS = {
    "layers": "List the layer names that can be exported.",
    "export": "Write a layer to a file (GeoJSON by default).",
    "extract": "Propose claims found in text.",
    "claims": "List, add and trace claims in the registry.",
    "compare": "Compare two reference lines.",
    "import": "Import a GIS file as lines, claim geometries or claims.",
    "migrate": "Copy the registry to another store.",
    "sources": "List, edit, delete and restore the sources of claims.",
    "lines": "List, rename, delete and restore imported and drawn lines.",
    "theatre": "List, create, export and import theatres (disputes).",
    "area": "Geodesic area of the polygons in a file, split by a theatre's regions.",
    "control": "Dates, areas and changes of imported control maps.",
    "audit": "Verify the audit log's hash chain; lock a database app role down; manage roles.",
}


def _load(name: str):
    return importlib.import_module(f"geo.commands.{name.replace('-', '_')}_cmd")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m geo`` parser: one sub-command per module of :mod:`geo.commands`."""
    parser = argparse.ArgumentParser(prog="python -m geo", description="Contested Lines tools")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        try:
            module = _load(name)
        except ModuleNotFoundError:
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a ``GeoError`` becomes a one-line message and exit code 1, never a traceback."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return int(exc.code or 0)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except (GeoError, ValueError, OSError, KeyError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {msg}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
