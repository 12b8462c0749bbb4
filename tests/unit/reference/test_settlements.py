"""Settlements gazetteer: loading the shipped file and reporting bad files."""

from __future__ import annotations

import pytest

from geo import schema as S
from geo.errors import DataFileError
from geo.reference.settlements import load_settlements, settlements
from tests.support.settlement_points import write_points


def test_load_shipped_gazetteer():
    gdf = settlements()
    assert len(gdf) > 400
    assert str(gdf.crs) == S.CRS
    assert set(gdf[S.S_OBLAST]) <= set(S.FRONT_OBLASTS)
    assert gdf[S.S_POPULATION].dtype.kind == "f"
    deb = gdf[gdf[S.S_NAME] == "Debaltseve"].iloc[0]
    assert deb.geometry.x == pytest.approx(deb[S.S_LON])
    assert deb[S.S_POPULATION] > 10_000


def test_bad_file_is_reported(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,lon\nx,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns"):
        load_settlements(p)
    with pytest.raises(DataFileError, match="row 2"):
        write_points(tmp_path, [["x", "", 500.0, 48.0, 1, "UA-14", "", "t"]])
    with pytest.raises(DataFileError, match="not found"):
        load_settlements(tmp_path / "nope.csv")
