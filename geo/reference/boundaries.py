"""Ukraine's oblasts (admin-1) and national outline, in internationally recognised borders."""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import shapely

from geo import schema as S
from geo.config import BOUNDARIES_FILE
from geo.errors import DataFileError
from geo.measure import geodesic_areas_km2


def load_oblasts(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Read the oblasts, repair geometry, add geodesic ``area_km2``.

    Returns a GeoDataFrame in EPSG:4326 with columns ``name``, ``name_uk``,
    ``iso_3166_2``, ``disputed``, ``note``, ``area_km2`` and ``repaired``
    (True where ``make_valid`` changed a geometry).
    """
    path = Path(path) if path else BOUNDARIES_FILE
    if not path.exists():
        raise DataFileError(f"{path}: boundaries file not found (run data/build_boundaries.py)")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types
        raise DataFileError(f"{path}: cannot read boundaries: {exc}") from exc
    missing = {S.B_NAME, S.B_ISO} - set(gdf.columns)
    if missing:
        raise DataFileError(f"{path}: missing properties {sorted(missing)}")
    gdf = gdf.set_crs(S.CRS, allow_override=True) if gdf.crs is None else gdf.to_crs(S.CRS)
    valid = shapely.is_valid(gdf.geometry.values)
    gdf["repaired"] = ~valid
    if not valid.all():
        gdf.loc[~valid, "geometry"] = shapely.make_valid(gdf.geometry.values[~valid])
    gdf[S.AREA_KM2] = geodesic_areas_km2(gdf.geometry.values)
    return gdf


@functools.lru_cache(maxsize=1)
def oblasts() -> gpd.GeoDataFrame:
    """The shipped oblasts, loaded once per process (treat as read-only)."""
    return load_oblasts()


def front_oblasts(gdf: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Donetsk and Luhansk oblasts."""
    gdf = oblasts() if gdf is None else gdf
    return gdf[gdf[S.B_ISO].isin(S.FRONT_OBLASTS)].reset_index(drop=True)


def national_outline(gdf: gpd.GeoDataFrame | None = None):
    """Ukraine's outline (union of all oblasts, Crimea and Sevastopol included)."""
    gdf = oblasts() if gdf is None else gdf
    return shapely.union_all(gdf.geometry.values)
