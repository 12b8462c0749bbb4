"""``python -m geo export --layer NAME -o FILE``: write a layer to a file."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layer", required=True, help="layer name (see `python -m geo layers`)")
    parser.add_argument("-o", "--output", required=True, help="output file")
    parser.add_argument("--format", default="geojson", choices=["geojson"], help="output format")
    parser.add_argument("--precision", type=int, default=6, help="coordinate decimals (default 6)")


def run(args: argparse.Namespace) -> int:
    from geo.io import write_geojson
    from geo.layers import get_layer

    if not 0 <= args.precision <= 15:
        raise ValueError("--precision must be between 0 and 15")
    gdf = get_layer(args.layer)
    path = write_geojson(gdf, args.output, precision=args.precision)
    print(f"wrote {len(gdf)} features of layer '{args.layer}' to {path}")
    return 0
