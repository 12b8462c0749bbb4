"""``python -m geo layers``: list the layer names, one per line."""

from __future__ import annotations

import argparse

from geo.analysis.layers import build_layers, layer_names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--counts", action="store_true", help="also print the feature count")


def run(args: argparse.Namespace) -> int:

    if args.counts:
        layers = build_layers()
        for name in layer_names():
            print(f"{name}\t{len(layers[name])}")
    else:
        print("\n".join(layer_names()))
    return 0
