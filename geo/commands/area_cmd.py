"""``python -m geo area FILE --theatre ID --json``: geodesic area of the polygons in a file, by region.

Form (issue 16)::

    python -m geo area FILE --theatre ID --json

prints ``{"total_km2": ..., "per_region": {region name: km2}, "outside_km2": ...}``: the
polygons of FILE (any format ``python -m geo import`` reads) merged into one area (so an overlap
is counted once), measured on the WGS84 ellipsoid, split by the theatre's admin-1 regions
(``geo.control.regions_for``: its own boundaries, else the world extract), with the part that
lies outside every region reported as ``outside_km2``, never dropped. ``polygons`` gives how
many polygon features were read. A file without polygons, an unknown theatre or an unreadable
file prints one line on stderr and exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys

import shapely

from geo.control import area_in_regions, regions_for
from geo.io import AS_CLAIM_GEOMETRY, DEFAULT_MAX_BYTES, MB, read_vector


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``area FILE --theatre ID [--json] [--data-dir DIR] [--max-mb N]``."""
    parser.add_argument("file", metavar="FILE", help="GeoJSON, GeoPackage, CSV (WKT), KML/KMZ or zipped Shapefile")
    parser.add_argument("--theatre", required=True, help="theatre id whose regions split the area")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--data-dir", default=None, help="user data directory (default $CONTESTED_DATA_DIR)")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_BYTES / MB, help="refuse larger files (default %(default)s)"
    )


def measure_file(path: str, theatre_id: str, data_dir=None, max_mb: float = DEFAULT_MAX_BYTES / MB) -> dict:
    """The area of the polygons in ``path`` split by the regions of ``theatre_id``.

    Returns
    -------
    dict
        ``total_km2``, ``per_region`` ({name: km2}), ``outside_km2``, ``polygons`` (features read).
    """
    regions = regions_for(theatre_id, data_dir)  # an unknown theatre is refused before the file is read
    result = read_vector(path, max_bytes=int(max_mb * MB), as_=AS_CLAIM_GEOMETRY)
    geoms = result.gdf.geometry.values
    merged = shapely.union_all(geoms)
    return {**area_in_regions(merged, regions), "polygons": len(geoms)}


def run(args: argparse.Namespace) -> int:
    got = measure_file(args.file, args.theatre, args.data_dir, args.max_mb)
    if args.json:
        json.dump(got, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{args.file}: {got['polygons']} polygon(s), {got['total_km2']:,.1f} km² in all")
    for name, km2 in got["per_region"].items():
        print(f"  {name}: {km2:,.1f} km²")
    print(f"  outside every region of {args.theatre}: {got['outside_km2']:,.1f} km²")
    return 0
