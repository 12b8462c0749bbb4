"""Settlements gazetteer: loading, vectorised joins, popup summaries, the layer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo import schema as S
from geo.analysis.layers import base_contested
from geo.errors import DataFileError
from geo.reference.settlements import (
    AREA_INDEX,
    load_settlements,
    settlement_summary,
    settlements,
    settlements_in,
    settlements_layer,
)


def test_load_shipped_gazetteer():
    gdf = settlements()
    assert len(gdf) > 400
    assert str(gdf.crs) == S.CRS
    assert set(gdf[S.S_OBLAST]) <= set(S.FRONT_OBLASTS)
    assert gdf[S.S_POPULATION].dtype.kind == "f"
    deb = gdf[gdf[S.S_NAME] == "Debaltseve"].iloc[0]
    assert deb.geometry.x == pytest.approx(deb[S.S_LON])
    assert deb[S.S_POPULATION] > 10_000


def test_debaltseve_in_area_between_sep_2014_and_feb_2015_lines():
    contested = base_contested()
    pairs = settlements_in(contested)
    sel = contested[
        (contested[S.C_FROM_LINE] == S.LINE_MINSK_2014)
        & (contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_02)
        & (contested[S.C_HELD_BY] == S.PARTY_SEPARATISTS)
    ]
    assert len(sel) == 1
    inside = pairs[pairs[AREA_INDEX] == sel.index[0]]
    assert "Debaltseve" in set(inside[S.S_NAME])
    # not in the (Jan 2015) area: the salient was still held by Ukraine then
    jan = contested[
        (contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (contested[S.C_HELD_BY] == S.PARTY_SEPARATISTS)
    ]
    assert "Debaltseve" not in set(pairs[pairs[AREA_INDEX].isin(jan.index)][S.S_NAME])


def _points(tmp_path, rows):
    cols = [S.S_NAME, S.S_NAME_ALT, S.S_LON, S.S_LAT, S.S_POPULATION, S.S_OBLAST, S.S_GEONAMEID, S.S_SOURCE]
    p = tmp_path / "s.csv"
    pd.DataFrame(rows, columns=cols).to_csv(p, index=False)
    return load_settlements(p)


def test_join_matches_brute_force_and_is_sorted(tmp_path):
    rng = np.random.default_rng(7)
    xy = rng.uniform([37.0, 47.0], [39.0, 49.0], size=(200, 2))
    rows = [[f"p{i}", "", x, y, int(rng.integers(0, 5000)), "UA-14", "", "t"] for i, (x, y) in enumerate(xy)]
    pts = _points(tmp_path, rows)
    polys = gpd.GeoDataFrame(
        {"k": ["a", "b", "c"]},
        geometry=[box(37.0, 47.0, 38.0, 48.0), box(37.5, 47.5, 38.5, 48.5), box(40, 40, 41, 41)],
        crs=S.CRS,
        index=[10, 20, 30],
    )
    out = settlements_in(polys, pts)
    for label, geom in zip(polys.index, polys.geometry):
        expected = {n for n, g in zip(pts[S.S_NAME], pts.geometry) if geom.intersects(g)}
        assert set(out[out[AREA_INDEX] == label][S.S_NAME]) == expected
    assert 30 not in set(out[AREA_INDEX])
    for _, grp in out.groupby(AREA_INDEX):
        pops = grp[S.S_POPULATION].to_numpy()
        assert np.all(pops[:-1] >= pops[1:])


def test_summary_caps_the_list(tmp_path):
    rows = [[f"v{i}", "", 38.0 + i * 0.001, 48.0, 100 * (i + 1), "UA-14", "", "t"] for i in range(15)]
    rows.append(["nopop", "", 38.05, 48.0, "", "UA-14", "", "t"])
    pts = _points(tmp_path, rows)
    polys = gpd.GeoDataFrame(geometry=[box(37.9, 47.9, 38.1, 48.1), box(30, 30, 31, 31)], crs=S.CRS)
    summ = settlement_summary(polys, pts, cap=5)
    assert summ.loc[0, "n_settlements"] == 16
    assert summ.loc[0, "settlement_population"] == sum(100 * (i + 1) for i in range(15))
    assert summ.loc[0, "settlements"].startswith("v14 (1,500), v13 (1,400)")
    assert summ.loc[0, "settlements"].endswith("and 11 more")
    assert summ.loc[1, "n_settlements"] == 0
    assert summ.loc[1, "settlements"] == ""


def test_bad_file_is_reported(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,lon\nx,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns"):
        load_settlements(p)
    with pytest.raises(DataFileError, match="row 2"):
        _points(tmp_path, [["x", "", 500.0, 48.0, 1, "UA-14", "", "t"]])
    with pytest.raises(DataFileError, match="not found"):
        load_settlements(tmp_path / "nope.csv")


def test_layer_sides():
    layer = settlements_layer()
    deb = layer[layer[S.S_NAME] == "Debaltseve"].iloc[0]
    assert deb[f"side_{S.LINE_MINSK_2014}"] == S.PARTY_UKRAINE
    assert deb[f"side_{S.LINE_CONTACT_2015_02}"] == S.PARTY_SEPARATISTS
    donetsk = layer[layer[S.S_NAME] == "Donetsk"].iloc[0]
    assert donetsk[f"side_{S.LINE_MINSK_2014}"] == S.PARTY_SEPARATISTS
    assert Point(donetsk[S.S_LON], donetsk[S.S_LAT]).equals(donetsk.geometry)


def test_settlements_by_area_labels_each_row_with_its_area():
    from geo.analysis.layers import build_layers
    from geo.reference.settlements import settlements_by_area

    contested = build_layers()["contested"]
    table = settlements_by_area(contested)
    assert len(table) >= 1
    assert set(table["area"]) <= set(contested["name"])
    feb = table[table["area"].str.contains("2015-02-20")]
    assert "Debaltseve" in set(feb["name"])
