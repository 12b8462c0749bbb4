"""``python -m geo export --layer NAME [--format geojson|gpkg|csv|kml] -o FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.analysis.layers import get_layer
from geo.claims.store import open_store, refuse_live_store_output
from geo.io import export_layer, format_from_path, sidecar_path
from geo.io.formats import EXPORT_FORMATS as FORMAT_CHOICES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layer", required=True, help="layer name (see `python -m geo layers`)")
    parser.add_argument("-o", "--output", required=True, help="output file")
    parser.add_argument(
        "--format",
        default=None,
        choices=FORMAT_CHOICES,
        help="output format (default: from the file extension, else geojson)",
    )
    parser.add_argument("--precision", type=int, default=6, help="coordinate decimals (default 6)")
    parser.add_argument(
        "--db",
        default=None,
        help="claims registry (file or postgresql:// URL; default: $CONTESTED_DB_URL or the data directory)",
    )
    parser.add_argument("--seed-only", action="store_true", help="use the shipped seed claims instead of the registry")


def run(args: argparse.Namespace) -> int:

    refuse_live_store_output(args.output, args.db)

    if not 0 <= args.precision <= 15:
        raise ValueError("--precision must be between 0 and 15")
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower()
        fmt = format_from_path(args.output) if suffix else "geojson"
    claims = None
    if not args.seed_only:
        with open_store(args.db) as store:
            claims = store.list_claims(theatre=store.default_theatre)  # the layers are the default theatre's
    gdf = get_layer(args.layer, claims)
    path = export_layer(gdf, args.output, fmt, precision=args.precision, name=args.layer)
    extra = f" (metadata in {sidecar_path(path)})" if fmt == "csv" else ""
    print(f"wrote {len(gdf)} features of layer '{args.layer}' as {fmt} to {path}{extra}")
    return 0
