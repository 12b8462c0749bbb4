"""Admin-1 regions of countries: the shipped world extract (``data/world/``) plus countries built on demand.

``data/world/admin1.geojson`` holds Natural Earth's 10m admin-1 units of a few countries (built
by ``data/build_world.py``; Crimea and Sevastopol listed under Ukraine and marked disputed);
``data/world/countries.csv`` every ISO 3166-1 alpha-2 code, with each country's name and the
commonest word for its admin-1 units. Any other country is built on demand by
``python data/build_world.py --countries XX`` into ``$CONTESTED_DATA_DIR/world/admin1-XX.geojson``,
which is read too (again when it changes). Geometries are built only for the countries asked for.

Examples
--------
>>> is_country("kr"), is_country("QQ")
(True, False)
>>> country_table().set_index("iso_a2").loc["AM", "name"]
'Armenia'
>>> r = regions(["KR", "KP"], admin1=["KR-41", "KP-06"])
>>> sorted(r["iso_3166_2"]), list(r.columns), r.crs.to_epsg()
(['KP-06', 'KR-41'], ['name', 'iso_3166_2', 'country', 'region_type', 'geometry'], 4326)
>>> regions(["QQ"])
Traceback (most recent call last):
...
geo.errors.ValidationError: unknown country code 'QQ' (not an ISO 3166-1 alpha-2 code of data/world/countries.csv)
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo import config
from geo import schema as S
from geo.errors import DataFileError, ValidationError

WORLD_DIR = config.DATA_DIR / "world"
ADMIN1_FILE = WORLD_DIR / "admin1.geojson"
#: Name pattern of the files ``data/build_world.py --countries`` writes under ``$CONTESTED_DATA_DIR/world``.
BUILT_GLOB = "admin1-*.geojson*"
COUNTRIES_FILE = WORLD_DIR / "countries.csv"
#: Columns of :func:`country_table`.
COUNTRY_COLUMNS = ["iso_a2", "name", "region_word"]
#: Columns of :func:`regions`.
REGION_COLUMNS = ["name", "iso_3166_2", "country", "region_type", "geometry"]
#: Properties every feature of the admin-1 file carries.
UNIT_PROPERTIES = ("name", "iso_3166_2", "country", "region_type")


def _shown(path: Path) -> str:
    try:
        return path.relative_to(config.REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def read_country_table(path: str | Path | None = None) -> pd.DataFrame:
    """Read a countries table (columns :data:`COUNTRY_COLUMNS`, all text).

    Raises
    ------
    geo.errors.DataFileError
        When the file is missing, unreadable or lacks a column.
    """
    path = Path(path) if path else COUNTRIES_FILE
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"{_shown(path)}: countries table not found (run data/build_world.py)") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{_shown(path)}: cannot read the countries table: {exc}") from None
    missing = [c for c in COUNTRY_COLUMNS if c not in df.columns]
    if missing:
        raise DataFileError(f"{_shown(path)}: missing column {missing[0]!r}")
    return df[COUNTRY_COLUMNS]


@functools.lru_cache(maxsize=1)
def country_table() -> pd.DataFrame:
    """The shipped countries: ``iso_a2``, ``name``, ``region_word`` (one row per code; treat as read-only)."""
    return read_country_table()


def is_country(code: str) -> bool:
    """Whether ``code`` (any case, spaces ignored) is a country of the world extract."""
    return str(code or "").strip().upper() in _codes()


@functools.lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(country_table()["iso_a2"])


def read_units(path: str | Path | None = None) -> dict[str, list[dict]]:
    """The units of an admin-1 file (GeoJSON, gzipped when its name ends in ``.gz``), by country code.

    Each unit is ``{"properties": {...}, "geometry": <GeoJSON geometry text>}``: coordinates stay
    text until :func:`regions` asks for them. A file written by ``data/build_world.py`` (one
    feature per line, properties first) is read without decoding its coordinates; any other
    GeoJSON FeatureCollection is decoded whole.

    Raises
    ------
    geo.errors.DataFileError
        When the file is missing, is not a GeoJSON FeatureCollection, or a feature lacks a property.
    """
    path = Path(path) if path else ADMIN1_FILE
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        text = raw.decode("utf-8")
        units = _by_lines(text) if text.startswith(LINES_HEAD) else _by_json(text)
    except FileNotFoundError:
        raise DataFileError(f"{_shown(path)}: admin-1 file not found (run data/build_world.py)") from None
    except (OSError, EOFError, ValueError) as exc:
        raise DataFileError(f"{_shown(path)}: cannot read the admin-1 file: {exc}") from None
    if units is None:
        raise DataFileError(f"{_shown(path)}: not a GeoJSON FeatureCollection")
    out: dict[str, list[dict]] = {}
    for i, (props, geom) in enumerate(units):
        missing = [k for k in UNIT_PROPERTIES if k not in props]
        if missing or not geom or geom == "null":
            what = f"property {missing[0]!r}" if missing else "its geometry"
            raise DataFileError(f"{_shown(path)}: feature {i} lacks {what}")
        out.setdefault(str(props["country"]), []).append({"properties": props, "geometry": geom})
    return out


#: How a file of ``data/build_world.py`` starts (then one feature per line).
LINES_HEAD = '{"type":"FeatureCollection"'
_DECODER = json.JSONDecoder()


def _by_lines(text: str) -> list[tuple[dict, str]]:
    """(properties, geometry text) of each feature line ``{"type":"Feature","properties":{..},"geometry":{..}}``."""
    out = []
    for line in text.splitlines()[1:]:
        line = line.rstrip().removesuffix(",")
        if not line.startswith('{"type":"Feature"'):
            continue
        at = line.index('"properties":') + len('"properties":')
        props, end = _DECODER.raw_decode(line, at)
        geom_at = line.index('"geometry":', end) + len('"geometry":')
        out.append((props if isinstance(props, dict) else {}, line[geom_at:-1]))
    return out


def _by_json(text: str) -> list[tuple[dict, str]] | None:
    data = json.loads(text)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return None
    out = []
    for f in features:
        f = f if isinstance(f, dict) else {}
        geom = f.get("geometry")
        out.append((f.get("properties") or {}, json.dumps(geom) if geom else ""))
    return out


@functools.lru_cache(maxsize=1)
def _shipped_units() -> dict[str, list[dict]]:
    return read_units()


@functools.lru_cache(maxsize=16)
def _built_file(path: str, mtime_ns: int, size: int) -> dict[str, list[dict]]:
    return read_units(path)


def built_dir() -> Path:
    """Where countries built on demand live: ``$CONTESTED_DATA_DIR/world``."""
    return config.data_dir() / "world"


def build_command(codes: Iterable[str]) -> str:
    """The command that builds the admin-1 units of ``codes``.

    >>> build_command(["GE", "IN"])
    'python data/build_world.py --countries GE,IN'
    """
    return "python data/build_world.py --countries " + ",".join(codes)


def _units() -> dict[str, list[dict]]:
    """Shipped units, with the countries built under :func:`built_dir` added (a shipped country wins)."""
    out = dict(_shipped_units())
    folder = built_dir()
    if folder.is_dir():
        for path in sorted(folder.glob(BUILT_GLOB)):
            st = path.stat()
            for code, units in _built_file(str(path), st.st_mtime_ns, st.st_size).items():
                out.setdefault(code, units)
    return out


def missing_regions(countries: Iterable[str]) -> tuple[str, ...]:
    """The codes among ``countries`` (known ones, upper case) that have no admin-1 unit yet.

    >>> missing_regions(["KR", "GE"])
    ()
    """
    units = _units()
    return tuple(c for c in countries if not units.get(c))


def check_countries(countries: Iterable[str]) -> tuple[str, ...]:
    """Upper-cased, de-duplicated codes, each a country of :func:`country_table`.

    >>> check_countries([" kr", "KR", "kp"])
    ('KR', 'KP')

    Raises
    ------
    geo.errors.ValidationError
        For an empty list or an unknown code.
    """
    codes = tuple(dict.fromkeys(str(c).strip().upper() for c in countries if str(c).strip()))
    if not codes:
        raise ValidationError("no country given (ISO 3166-1 alpha-2 codes, e.g. 'GE')")
    for code in codes:
        if not is_country(code):
            raise ValidationError(
                f"unknown country code {code!r} (not an ISO 3166-1 alpha-2 code of {_shown(COUNTRIES_FILE)})"
            )
    return codes


def unit_codes(countries: Iterable[str]) -> frozenset[str]:
    """The ``iso_3166_2`` codes of the admin-1 units of ``countries`` (checked by :func:`check_countries`).

    >>> sorted(unit_codes(["AM"]))[:3]
    ['AM-AG', 'AM-AR', 'AM-AV']
    """
    units = _units()
    return frozenset(f["properties"]["iso_3166_2"] for c in check_countries(countries) for f in units.get(c, []))


def regions(countries: Iterable[str], admin1: Iterable[str] = ()) -> gpd.GeoDataFrame:
    """The admin-1 units of ``countries``, or only those whose ``iso_3166_2`` is in ``admin1``.

    Parameters
    ----------
    countries : iterable of str
        ISO 3166-1 alpha-2 codes (any case).
    admin1 : iterable of str, optional
        ISO 3166-2 codes; each must be a unit of one of ``countries``. Empty: every unit.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`REGION_COLUMNS` (``region_type``: Natural Earth's word for the unit, lower
        case), EPSG:4326, in file order (by country, then code). A code Natural Earth uses for
        more than one unit gives all of them.

    Raises
    ------
    geo.errors.ValidationError
        For an unknown country code, a country not built yet, or an ``admin1`` code that is no
        unit of ``countries``.
    """
    codes = check_countries(countries)
    wanted = tuple(dict.fromkeys(str(a).strip().upper() for a in admin1 if str(a).strip()))
    units = _units()
    absent = missing_regions(codes)
    if absent:
        raise ValidationError(no_regions_message(absent))
    features = [f for c in codes for f in units.get(c, [])]
    if wanted:
        found = {f["properties"]["iso_3166_2"] for f in features}
        for a in wanted:
            if a not in found:
                raise ValidationError(
                    f"admin-1 unit {a!r} is not a unit of {', '.join(codes)} in {_shown(ADMIN1_FILE)}"
                )
        features = [f for f in features if f["properties"]["iso_3166_2"] in wanted]
    geoms = shapely.from_geojson([f["geometry"] for f in features]) if features else []
    out = gpd.GeoDataFrame(
        {
            "name": [str(f["properties"]["name"]) for f in features],
            "iso_3166_2": [str(f["properties"]["iso_3166_2"]) for f in features],
            "country": [str(f["properties"]["country"]) for f in features],
            "region_type": [str(f["properties"]["region_type"] or "").lower() for f in features],
        },
        geometry=gpd.array.from_shapely(shapely.make_valid(geoms) if len(features) else [], crs=S.CRS),
        crs=S.CRS,
    )
    return out[REGION_COLUMNS]


def no_regions_message(codes: Iterable[str]) -> str:
    """One line saying that ``codes`` have no admin-1 units yet and which command builds them."""
    codes = tuple(codes)
    return (
        f"no admin-1 regions for {', '.join(codes)} yet (not in the shipped extract): build them with "
        f"`{build_command(codes)}` (writes {built_dir()}), then try again"
    )
