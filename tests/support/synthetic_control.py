"""Synthetic control series shaped like DeepState's daily occupied-territory GeoJSON (never real data).

Shaped after the files of the public mirror (769 daily files, 2024-07-08 to
2026-08-22, read in December 2026): each is a FeatureCollection with a
``name`` member (the file's stem), a ``crs`` member naming
``urn:ogc:def:crs:OGC:1.3:CRS84`` and one Feature with empty properties whose
geometry is a MultiPolygon of 5 to 21 parts (median 10) and 2,722 to 3,213
vertices (median 2,939): one large part of about 2,500 vertices, with 0 to 2
holes, and small ones of 6 to 70 vertices; coordinates have 6 decimals;
71 to 84 KB a file. From one day to the next a stretch of the front is
redrawn, so the number of vertices of the large ring changes, and about one
day in six repeats the day before (same geometry, the ``name`` member
differing).

Here: a large star-shaped part over Luhansk, Donetsk, Zaporizhzhia and Kherson
with one hole, a smaller one over Crimea and eight small parts (islands and
pockets), about 2,950 vertices and 71 KB a day. Each day the front moves a
little: a bulge grows in one sector (the advance), now and then a smaller one
shrinks (a counter-attack), and a vertex or two is added to or taken from the
moving stretch. Files are named ``deepstatemap_data_YYYYMMDD.geojson``.
Duplicated days (the previous day's geometry under the next day's name) and a
corrupt file can be asked for.
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
MAIN_VERTICES = 2_350
CRIMEA_VERTICES = 300
#: Decimals of the coordinates (as in the real files).
DECIMALS = 6
#: The coordinate reference member of the real files.
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
# centres (lon, lat) and base radii (degrees) of the two areas
_MAIN = (37.4, 47.9, 1.3)
_CRIMEA = (34.3, 45.3, 0.75)
# a hole in the large part (a pocket held by the other side), well inside it
_HOLE = (37.9, 47.6, 0.05, 40)
# small parts (lon, lat, radius, vertices): islands and pockets, apart from the large parts and the front
_SMALL = (
    (31.55, 46.52, 0.04, 56),
    (32.2, 46.42, 0.03, 35),
    (32.65, 46.33, 0.02, 12),
    (33.0, 46.2, 0.015, 8),
    (36.6, 49.75, 0.04, 65),
    (40.15, 47.3, 0.05, 70),
    (33.35, 46.12, 0.01, 6),
    (35.7, 46.35, 0.02, 9),
)


def _radii(n: int, base: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.full(n, base)
    for k in range(2, 9):  # a wobbly, still star-shaped outline
        r += base * 0.04 / k * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    return r


def _ring(centre, r: np.ndarray, theta: np.ndarray | None = None, clockwise: bool = False) -> list[list[float]]:
    lon0, lat0 = centre[0], centre[1]
    theta = np.linspace(0, 2 * math.pi, len(r), endpoint=False) if theta is None else theta
    x = lon0 + r * np.cos(theta) / math.cos(math.radians(lat0))
    y = lat0 + r * np.sin(theta)
    pts = [[round(float(a), DECIMALS), round(float(b), DECIMALS)] for a, b in zip(x, y, strict=True)]
    pts = pts[::-1] if clockwise else pts
    return [*pts, pts[0]]


def _circle(lon: float, lat: float, radius: float, vertices: int, clockwise: bool = False) -> list[list[float]]:
    return _ring((lon, lat), np.full(vertices, radius), clockwise=clockwise)


def _redraw(theta: np.ndarray, r: np.ndarray, centre: float, width: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """A vertex added to or taken from the stretch around ``centre`` (as a redrawn front changes its vertex count)."""
    inside = np.flatnonzero(np.abs(theta - centre) < width)
    if len(inside) < 3:
        return theta, r
    k = int(inside[rng.integers(1, len(inside) - 1)])
    if len(theta) > MAIN_VERTICES + 20 or (len(theta) >= MAIN_VERTICES - 20 and rng.random() < 0.5):
        return np.delete(theta, k), np.delete(r, k)
    return np.insert(theta, k, (theta[k - 1] + theta[k]) / 2), np.insert(r, k, (r[k - 1] + r[k]) / 2)


def iter_geometries(days: int, seed: int = 17):
    """The GeoJSON MultiPolygons of days 0 .. ``days - 1``, one after the other (each day moves the front a little)."""
    main = _radii(MAIN_VERTICES, _MAIN[2], seed)
    crimea = _ring(_CRIMEA, _radii(CRIMEA_VERTICES, _CRIMEA[2], seed + 1))
    hole = _circle(*_HOLE, clockwise=True)
    small = [[_circle(*part)] for part in _SMALL]
    rng = np.random.default_rng(seed + 2)
    theta = np.linspace(0, 2 * math.pi, MAIN_VERTICES, endpoint=False)
    for _ in range(days):
        yield {"type": "MultiPolygon", "coordinates": [[_ring(_MAIN, main, theta), hole], [crimea], *small]}
        # the next day: a small bump in a sector facing west/north-west (now and then a small loss)
        centre = math.pi * (0.55 + 0.5 * rng.random())
        width = 0.02 + 0.03 * rng.random()
        sign = -0.4 if rng.random() < 0.15 else 1.0
        theta, main = _redraw(theta, main, centre, width, rng)
        main = main + sign * 0.004 * np.exp(-(((theta - centre) / width) ** 2))


def day_geometry(day: int, seed: int = 17) -> dict:
    """The GeoJSON MultiPolygon of day ``day`` (0 = the first day) of the synthetic series."""
    *_, last = iter_geometries(day + 1, seed)
    return last


def _collection(geometry: dict, name: str = "deepstatemap_data_synthetic") -> dict:
    return {
        "type": "FeatureCollection",
        "name": name,
        "crs": CRS84,
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }


def day_collection(day: int, seed: int = 17) -> dict:
    """The FeatureCollection of one synthetic day (one feature with empty properties, as in the real files)."""
    return _collection(day_geometry(day, seed), file_name(START + dt.timedelta(days=day))[: -len(".geojson")])


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
        Days (0-based) whose file repeats the previous day's geometry exactly (its ``name`` member differs).
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
            previous = geometry
        name = file_name(start + dt.timedelta(days=day))
        text = json.dumps(_collection(previous, name[: -len(".geojson")]))
        if day in corrupt:
            text = text[: len(text) // 2]
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def geometry_of(path: str | Path):
    """The shapely geometry of a synthetic file (for independent checks)."""
    return shapely.geometry.shape(json.loads(Path(path).read_text())["features"][0]["geometry"])
