"""A small gazetteer written to a temporary CSV, for the settlements tests."""

from __future__ import annotations

import pandas as pd

from geo import schema as S
from geo.reference.settlements import load_settlements


def write_points(tmp_path, rows):
    """``rows`` (name, name_alt, lon, lat, population, oblast, geonameid, source) as a loaded gazetteer."""
    cols = [S.S_NAME, S.S_NAME_ALT, S.S_LON, S.S_LAT, S.S_POPULATION, S.S_OBLAST, S.S_GEONAMEID, S.S_SOURCE]
    p = tmp_path / "s.csv"
    pd.DataFrame(rows, columns=cols).to_csv(p, index=False)
    return load_settlements(p)
