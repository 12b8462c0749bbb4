"""Which settlements lie in which areas: vectorised joins, popup summaries, sides of lines."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point, box

from geo import schema as S
from geo.analysis.layers import base_contested, build_layers, settlements_layer
from geo.analysis.settlements import (
    AREA_INDEX,
    attach_settlements,
    settlement_sides,
    settlement_summary,
    settlements_by_area,
    settlements_in,
)
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE
from tests.support.settlement_points import write_points


def test_debaltseve_in_area_between_sep_2014_and_feb_2015_lines():
    contested = base_contested()
    pairs = settlements_in(contested)
    sel = contested[
        (contested[S.C_FROM_LINE] == S.LINE_MINSK_2014)
        & (contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_02)
        & (contested[S.C_HELD_BY] == PARTY_SEPARATISTS)
    ]
    assert len(sel) == 1
    inside = pairs[pairs[AREA_INDEX] == sel.index[0]]
    assert "Debaltseve" in set(inside[S.S_NAME])
    # not in the (Jan 2015) area: the salient was still held by Ukraine then
    jan = contested[(contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (contested[S.C_HELD_BY] == PARTY_SEPARATISTS)]
    assert "Debaltseve" not in set(pairs[pairs[AREA_INDEX].isin(jan.index)][S.S_NAME])


def test_join_matches_brute_force_and_is_sorted(tmp_path):
    rng = np.random.default_rng(7)
    xy = rng.uniform([37.0, 47.0], [39.0, 49.0], size=(200, 2))
    rows = [[f"p{i}", "", x, y, int(rng.integers(0, 5000)), "UA-14", "", "t"] for i, (x, y) in enumerate(xy)]
    pts = write_points(tmp_path, rows)
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
    pts = write_points(tmp_path, rows)
    polys = gpd.GeoDataFrame(geometry=[box(37.9, 47.9, 38.1, 48.1), box(30, 30, 31, 31)], crs=S.CRS)
    summ = settlement_summary(polys, pts, cap=5)
    assert summ.loc[0, "n_settlements"] == 16
    assert summ.loc[0, "settlement_population"] == sum(100 * (i + 1) for i in range(15))
    assert summ.loc[0, "settlements"].startswith("v14 (1,500), v13 (1,400)")
    assert summ.loc[0, "settlements"].endswith("and 11 more")
    assert summ.loc[1, "n_settlements"] == 0
    assert summ.loc[1, "settlements"] == ""


def test_layer_sides():
    layer = settlements_layer()
    deb = layer[layer[S.S_NAME] == "Debaltseve"].iloc[0]
    assert deb[f"side_{S.LINE_MINSK_2014}"] == PARTY_UKRAINE
    assert deb[f"side_{S.LINE_CONTACT_2015_02}"] == PARTY_SEPARATISTS
    donetsk = layer[layer[S.S_NAME] == "Donetsk"].iloc[0]
    assert donetsk[f"side_{S.LINE_MINSK_2014}"] == PARTY_SEPARATISTS
    assert Point(donetsk[S.S_LON], donetsk[S.S_LAT]).equals(donetsk.geometry)


def test_settlements_by_area_labels_each_row_with_its_area():
    contested = build_layers()["contested"]
    table = settlements_by_area(contested)
    assert len(table) >= 1
    assert set(table["area"]) <= set(contested["name"])
    feb = table[table["area"].str.contains("2015-02-20")]
    assert "Debaltseve" in set(feb["name"])


def test_sides_of_a_line_through_the_middle(tmp_path):
    rows = [
        ["west", "", 37.5, 48.0, 10, "UA-14", "", "t"],
        ["east", "", 38.5, 48.0, 20, "UA-14", "", "t"],
        ["outside", "", 30.0, 48.0, 30, "UA-14", "", "t"],
    ]
    pts = write_points(tmp_path, rows)
    # Heading south, the left is the east: the separatists hold the east.
    rule = {S.LINE_SIDE_RULE: "left", S.LINE_SIDE_PARTY: PARTY_SEPARATISTS, S.LINE_SIDE_OTHER: PARTY_UKRAINE}
    lines = gpd.GeoDataFrame(
        {S.LINE_ID: ["mid", "norule"], **{k: [v, ""] for k, v in rule.items()}},
        geometry=[LineString([(38.0, 49.5), (38.0, 46.5)])] * 2,
        crs=S.CRS,
    )
    out = settlement_sides(pts, lines, box(37.0, 47.0, 39.0, 49.0))
    assert list(out["side_mid"]) == [PARTY_UKRAINE, PARTY_SEPARATISTS, ""]
    assert list(out["side_norule"]) == ["", "", ""]  # no side rule: no side, never a compass guess
    assert "side_mid" not in pts.columns  # the gazetteer passed in is not changed


def test_attach_settlements_adds_the_summary_columns(tmp_path):
    pts = write_points(tmp_path, [["a", "", 38.0, 48.0, 5, "UA-14", "", "t"]])
    polys = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[box(37.9, 47.9, 38.1, 48.1), box(30, 30, 31, 31)], crs=S.CRS)
    out = attach_settlements(polys, pts)
    assert list(out["n_settlements"]) == [1, 0]
    assert list(out["settlements"]) == ["a (5)", ""]
    assert "n_settlements" not in polys.columns
