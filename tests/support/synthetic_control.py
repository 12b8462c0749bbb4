"""Synthetic control series shaped like DeepState's daily occupied-territory GeoJSON (never real data).

A multipolygon of about 3,000 vertices in eastern and southern Ukraine (a
large star-shaped area over Luhansk, Donetsk, Zaporizhzhia and Kherson and a
smaller one over Crimea), about 80 KB of GeoJSON per day. Each day the front
moves a little: a bulge grows in one sector (the advance), now and then a
smaller one shrinks (a counter-attack). Files are named
``deepstatemap_data_YYYYMMDD.geojson``. Duplicated days (an identical file
under the next day's name) and a corrupt file can be asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import shapely

#: First day of the real public mirror; synthetic series start here by default.
START = dt.date(2024, 7, 8)
MAIN_VERTICES = 2_700
CRIMEA_VERTICES = 300
# centres (lon, lat) and base radii (degrees) of the two areas
_MAIN = (37.4, 47.9, 1.3)
_CRIMEA = (34.3, 45.3, 0.75)


def _radii(n: int, base: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.full(n, base)
    for k in range(2, 9):  # a wobbly, still star-shaped outline
        r += base * 0.04 / k * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    return r


def _ring(centre: tuple[float, float, float], r: np.ndarray) -> list[list[float]]:
    lon0, lat0, _ = centre
    theta = np.linspace(0, 2 * math.pi, len(r), endpoint=False)
    x = lon0 + r * np.cos(theta) / math.cos(math.radians(lat0))
    y = lat0 + r * np.sin(theta)
    pts = [[round(float(a), 7), round(float(b), 7)] for a, b in zip(x, y, strict=True)]
    return [*pts, pts[0]]


def iter_geometries(days: int, seed: int = 17):
    """The GeoJSON MultiPolygons of days 0 .. ``days - 1``, one after the other (each day moves the front a little)."""
    main = _radii(MAIN_VERTICES, _MAIN[2], seed)
    crimea = _ring(_CRIMEA, _radii(CRIMEA_VERTICES, _CRIMEA[2], seed + 1))
    rng = np.random.default_rng(seed + 2)
    theta = np.linspace(0, 2 * math.pi, MAIN_VERTICES, endpoint=False)
    for _ in range(days):
        yield {"type": "MultiPolygon", "coordinates": [[_ring(_MAIN, main)], [crimea]]}
        # the next day: a small bump in a sector facing west/north-west (now and then a small loss)
        centre = math.pi * (0.55 + 0.5 * rng.random())
        width = 0.02 + 0.03 * rng.random()
        sign = -0.4 if rng.random() < 0.15 else 1.0
        main = main + sign * 0.004 * np.exp(-(((theta - centre) / width) ** 2))


def day_geometry(day: int, seed: int = 17) -> dict:
    """The GeoJSON MultiPolygon of day ``day`` (0 = the first day) of the synthetic series."""
    *_, last = iter_geometries(day + 1, seed)
    return last


def _collection(geometry: dict) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Occupied (synthetic)", "fill": "#a52714", "stroke-width": 1},
                "geometry": geometry,
            }
        ],
    }


def day_collection(day: int, seed: int = 17) -> dict:
    """The FeatureCollection of one synthetic day (one occupied-area feature, DeepState-like properties)."""
    return _collection(day_geometry(day, seed))


def file_name(date: dt.date) -> str:
    """``deepstatemap_data_YYYYMMDD.geojson``."""
    return f"deepstatemap_data_{date:%Y%m%d}.geojson"


def write_series(
    directory: str | Path,
    days: int,
    *,
    start: dt.date = START,
    duplicates: tuple[int, ...] = (),
    corrupt: tuple[int, ...] = (),
    seed: int = 17,
) -> list[Path]:
    """Write ``days`` daily files into ``directory``; their paths in date order.

    Parameters
    ----------
    duplicates : tuple of int
        Days (0-based) whose file repeats the previous day's geometry exactly.
    corrupt : tuple of int
        Days whose file is cut in the middle (invalid JSON).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths, previous = [], None
    geometries = iter_geometries(days, seed)
    for day in range(days):
        geometry = next(geometries)
        if day not in duplicates or previous is None:
            previous = json.dumps(_collection(geometry))
        text = previous
        if day in corrupt:
            text = text[: len(text) // 2]
        path = directory / file_name(start + dt.timedelta(days=day))
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def geometry_of(path: str | Path):
    """The shapely geometry of a synthetic file (for independent checks)."""
    return shapely.geometry.shape(json.loads(Path(path).read_text())["features"][0]["geometry"])
