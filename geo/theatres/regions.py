"""A theatre's admin-1 regions: its own ``boundaries.geojson`` when it has one, else the world extract.

Examples
--------
>>> from geo.theatres.catalogue import get_theatre
>>> r = theatre_regions(get_theatre("donbas-2014-15"))
>>> sorted(r["iso_3166_2"]), list(r.columns[:4]), r.crs.to_epsg()
(['UA-09', 'UA-14'], ['name', 'iso_3166_2', 'country', 'region_type'], 4326)
>>> sorted(r["name"])
['Donetsk', 'Luhansk']
>>> k = theatre_regions(get_theatre("korea-1953"))
>>> sorted(k["iso_3166_2"]), set(k["region_type"])
(['KP-06', 'KP-07', 'KR-41', 'KR-42'], {'province'})
"""

from __future__ import annotations

import geopandas as gpd

from geo import schema as S
from geo.errors import TheatreError, ValidationError
from geo.reference.boundaries import load_oblasts
from geo.reference.regions import regions as world_regions
from geo.theatres.model import Theatre

BOUNDARIES_TABLE = "boundaries.geojson"
#: Columns of :func:`theatre_regions` (the same as ``geo.reference.regions.regions``).
REGION_COLUMNS = ["name", "iso_3166_2", "country", "region_type", "geometry"]


def own_regions(theatre: Theatre) -> gpd.GeoDataFrame:
    """The features of the theatre's ``boundaries.geojson`` that form its region.

    Those whose ``iso_3166_2`` is in ``admin1`` (all of them when ``admin1`` is empty), with
    the columns :data:`REGION_COLUMNS`; geometry repaired, EPSG:4326.

    Raises
    ------
    geo.errors.TheatreError
        When the file is missing or unreadable, or an ``admin1`` code has no feature.
    """
    path = theatre.table_path(BOUNDARIES_TABLE)
    gdf = load_oblasts(path)
    codes = gdf[S.B_ISO].astype(str).str.strip()
    if theatre.admin1:
        missing = sorted(set(theatre.admin1) - set(codes))
        if missing:
            raise TheatreError(f"{path}: no feature with iso_3166_2 {missing[0]!r} (listed in admin1 of {theatre.id})")
        gdf = gdf[codes.isin(theatre.admin1)]
        codes = codes[gdf.index]
    out = gpd.GeoDataFrame(
        {
            "name": gdf[S.B_NAME].astype(str).to_numpy(),
            "iso_3166_2": codes.to_numpy(),
            "country": codes.str.slice(0, 2).to_numpy(),
            "region_type": theatre.region_word,
        },
        geometry=gdf.geometry.to_numpy(),
        crs=S.CRS,
    )
    return out[REGION_COLUMNS]


def theatre_regions(theatre: Theatre) -> gpd.GeoDataFrame:
    """The theatre's regions (columns :data:`REGION_COLUMNS`, EPSG:4326).

    From its ``boundaries.geojson`` if it has one (see :func:`own_regions`), else the units of
    the world extract (:func:`geo.reference.regions.regions`) for ``theatre.countries``, narrowed
    to ``theatre.admin1`` when it lists any; ``region_type`` is the theatre's ``region_word``.

    Raises
    ------
    geo.errors.TheatreError
        When the regions cannot be found (a bad ``boundaries.geojson``, an unknown country code or
        an ``admin1`` code with no unit); the message names the theatre.
    """
    if theatre.has_table(BOUNDARIES_TABLE):
        return own_regions(theatre)
    try:
        out = world_regions(theatre.countries, theatre.admin1)
    except ValidationError as exc:
        raise TheatreError(f"theatre '{theatre.id}': {exc}") from None
    out["region_type"] = theatre.region_word
    return out[REGION_COLUMNS]
