"""The admin-1 regions a theatre's control areas are measured in.

One function, :func:`regions_for`: the theatre (shipped, or a user theatre in
``$CONTESTED_DATA_DIR``) from :func:`geo.theatres.get_theatre`, its regions from
:func:`geo.theatres.theatre_regions` (its own ``boundaries.geojson``, else the world extract).

Examples
--------
>>> sorted(regions_for("donbas-2014-15")["name"])
['Donetsk', 'Luhansk']
>>> sorted(regions_for("korea-1953")["iso_3166_2"])
['KP-06', 'KP-07', 'KR-41', 'KR-42']
>>> regions_for("atlantis")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
geo.errors.UnknownTheatreError: no theatre 'atlantis' (known: ...donbas-2014-15...)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.theatres import get_theatre, theatre_regions


def regions_for(theatre_id: str, data_dir: str | Path | None = None) -> gpd.GeoDataFrame:
    """The regions of a theatre: ``name``, ``iso_3166_2``, ``country``, ``region_type``, ``geometry`` (EPSG:4326).

    Raises
    ------
    geo.errors.UnknownTheatreError
        For a theatre id that is neither shipped nor in the user data directory.
    geo.errors.TheatreError
        When the theatre's regions cannot be built.
    """
    return theatre_regions(get_theatre(theatre_id, data_dir))
