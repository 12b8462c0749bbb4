"""The admin-1 regions a theatre's control areas are measured in.

One function, :func:`regions_for`, so the lookup is rewired in one place
once :mod:`geo.theatres` (``get_theatre``, ``theatre_regions``) is merged.
Until then the known theatres are the shipped Ukrainian ones (the Donbas
case and the 2022 full-scale war), both measured in all of Ukraine's oblasts.

Examples
--------
>>> len(regions_for("donbas-2014-15")) >= 25
True
>>> regions_for("atlantis")
Traceback (most recent call last):
...
geo.errors.ValidationError: unknown theatre 'atlantis'; known theatres: donbas-2014-15, ukraine-2022
"""

from __future__ import annotations

import geopandas as gpd

from geo.errors import ValidationError
from geo.reference.boundaries import oblasts

#: Theatres whose regions this module can give (until geo.theatres is wired in).
KNOWN_THEATRES = ("donbas-2014-15", "ukraine-2022")


def regions_for(theatre_id: str) -> gpd.GeoDataFrame:
    """The regions of a theatre: a GeoDataFrame with ``name``, ``iso_3166_2`` and ``geometry`` (EPSG:4326).

    Raises
    ------
    ValidationError
        For a theatre id this module does not know.
    """
    if theatre_id not in KNOWN_THEATRES:
        raise ValidationError(f"unknown theatre {theatre_id!r}; known theatres: {', '.join(KNOWN_THEATRES)}")
    return oblasts()
