"""``python -m geo extract``: print the claims proposed from a text, one JSON object per line."""

from __future__ import annotations

import argparse
import json
import sys

from geo.text import extract, to_date
from geo.text.actors import THEATRE_ACTORS, actor_table
from geo.theatres import get_theatre


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``--published``, ``--source`` and the text (or ``-`` for standard input)."""
    parser.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
    parser.add_argument("--source", default=None, help="URL or id of the source (optional)")
    parser.add_argument(
        "--theatre",
        default=None,
        help="theatre id whose own actors (its actors.csv, a user theatre's too) are read beside the shipped ones",
    )
    parser.add_argument(
        "text",
        nargs="?",
        default="-",
        help="text to read; '-' or nothing reads standard input",
    )


def run(args: argparse.Namespace) -> int:
    """Extract and print one JSON line per proposed claim with the 13 keys of the issue.

    Raises
    ------
    ValueError
        If ``--published`` is not a valid ``YYYY-MM-DD`` date.
    """
    published = to_date(args.published)
    text = sys.stdin.read() if args.text == "-" else args.text
    extra = [get_theatre(args.theatre).path / THEATRE_ACTORS] if args.theatre else []
    for proposal in extract(text, published, source=args.source, actors=actor_table(extra)):
        print(json.dumps(proposal.to_json_dict(), ensure_ascii=False))
    return 0
