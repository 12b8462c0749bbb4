import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import schema as S
from geo.analysis.join import join_claims
from geo.analysis.layers import build_layers, get_layer, layer_names
from geo.errors import UnknownLayerError
from geo.io import to_geojson_dict, write_geojson
from geo.reference.lines import line_in_force, reference_lines
from geo.reference.seed import load_seed_claims
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

REPO = __import__("pathlib").Path(__file__).resolve().parents[3]


def run_cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True, **kw)


def test_layer_names_include_the_required_ones():
    assert {"boundaries", "lines", "contested", "claims"} <= set(layer_names())


def test_required_properties():
    layers = build_layers()
    assert {S.B_NAME, S.AREA_KM2} <= set(layers["boundaries"].columns)
    assert {S.LINE_NAME, S.LINE_DATE} <= set(layers["lines"].columns)
    assert {S.AREA_KM2, S.C_FROM_LINE, S.C_TO_LINE, S.C_CLAIM_IDS} <= set(layers["contested"].columns)
    assert {S.CLAIM_ID, S.CLAIM_QUOTE, S.SOURCE_URL} <= set(layers["claims"].columns)


def test_seed_claim_is_joined_to_the_january_contested_area():
    c = build_layers()["contested"]
    row = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (c[S.C_HELD_BY] == PARTY_SEPARATISTS)].iloc[0]
    claims = build_layers()["claims"]
    seed = claims[(claims[S.CLAIM_VALUE_KM2] == 500) & (claims[S.CLAIM_EVENT_DATE] == "2015-01-20")]
    assert len(seed) >= 1
    assert seed[S.CLAIM_ID].iloc[0] in row[S.C_CLAIM_IDS].split(";")


def test_join_respects_side_reference_and_date():
    lines = reference_lines()
    contested = build_layers()["contested"]
    claims = pd.DataFrame(
        {
            S.CLAIM_ID: ["a", "b", "c", "d"],
            S.CLAIM_REFERENCE_LINE: [S.AGREED_LINE, S.AGREED_LINE, "", S.AGREED_LINE],
            S.CLAIM_SIDE: ["separatists", "ukraine", "separatists", "separatists"],
            S.CLAIM_KIND: ["area", "area", "area", "area"],
            S.CLAIM_EVENT_DATE: ["2015-01-25", "2015-01-25", "2015-01-25", "2014-09-20"],
        }
    )
    pairs = join_claims(claims, contested, lines)
    joined = dict(zip(pairs[S.CLAIM_ID], contested.loc[pairs["area_index"], S.C_TO_LINE]))
    joined_side = dict(zip(pairs[S.CLAIM_ID], contested.loc[pairs["area_index"], S.C_HELD_BY]))
    expected = {"a": S.LINE_CONTACT_2015_01}
    jan = contested[contested[S.C_TO_LINE] == S.LINE_CONTACT_2015_01]
    if (jan[S.C_HELD_BY] == PARTY_UKRAINE).any():
        expected["b"] = S.LINE_CONTACT_2015_01
    # c names no line; d is dated when the Memorandum line itself was in force
    assert joined == expected
    assert joined_side["a"] == PARTY_SEPARATISTS and joined_side.get("b", "ukraine") == PARTY_UKRAINE


def test_line_in_force():
    lines = reference_lines()
    assert line_in_force(lines, "2015-01-20") == S.LINE_CONTACT_2015_01
    assert line_in_force(lines, "2015-02-01") == S.LINE_CONTACT_2015_01
    assert line_in_force(lines, "2016-01-01") == S.LINE_CONTACT_2015_02
    assert line_in_force(lines, "2014-09-19") == S.LINE_MINSK_2014
    assert line_in_force(lines, "2014-01-01") is None


def test_unknown_layer_lists_valid_names():
    with pytest.raises(UnknownLayerError, match="boundaries"):
        get_layer("nope")


@pytest.mark.parametrize("name", ["boundaries", "lines", "contested", "claims"])
def test_exported_geojson_rereads_with_same_features(tmp_path, name):
    gdf = get_layer(name)
    path = write_geojson(gdf, tmp_path / f"{name}.geojson")
    raw = json.loads(path.read_text())
    assert "crs" not in raw and raw["type"] == "FeatureCollection"
    back = gpd.read_file(path)
    assert len(back) == len(gdf)
    for a, b in zip(gdf.geometry, back.geometry):
        if a is None or a.is_empty:
            assert b is None or b.is_empty
        else:
            assert (
                shapely.equals_exact(
                    shapely.normalize(shapely.set_precision(a, 1e-6)), shapely.normalize(b), tolerance=2e-6
                )
                or a.symmetric_difference(b).area < 1e-9
            )
    key = S.CLAIM_ID if name == "claims" else S.LINE_NAME if name != "boundaries" else S.B_ISO
    assert list(back[key]) == list(gdf[key])


def test_exterior_rings_counter_clockwise():
    fc = to_geojson_dict(get_layer("boundaries"))
    for f in fc["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        for poly in shapely.get_parts(geom):
            assert shapely.is_ccw(poly.exterior)
            assert all(not shapely.is_ccw(r) for r in poly.interiors)


def test_cli_layers_and_export(tmp_path):
    r = run_cli("layers")
    assert r.returncode == 0 and "contested" in r.stdout.split()
    out = tmp_path / "contested.geojson"
    r = run_cli("export", "--layer", "contested", "-o", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    props = data["features"][0]["properties"]
    assert {"area_km2", "from_line", "to_line", "claim_ids"} <= set(props)


def test_cli_bad_input_one_line_no_traceback(tmp_path):
    r = run_cli("export", "--layer", "nope", "-o", str(tmp_path / "x.geojson"))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "unknown layer" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["c1", "c2", "c10", "b", "é"]), st.integers(0, 30)), max_size=40))
def test_area_sets_are_each_claims_sorted_areas(rows):
    """``_area_sets`` (one sort and split) equals a claim-by-claim grouping, repeats kept."""
    from geo.analysis.layers import _area_sets

    pairs = pd.DataFrame(rows, columns=[S.CLAIM_ID, "area_index"]).astype({"area_index": "int64"})
    want = {cid: tuple(sorted(i for c, i in rows if c == cid)) for cid in {c for c, _ in rows}}
    assert _area_sets(pairs).to_dict() == want


def test_claims_layer_unions_the_areas_of_each_claim():
    """A claim without its own geometry takes the union of the contested areas it is joined to."""
    from geo.analysis.layers import base_contested, claims_layer

    claims = load_seed_claims()
    contested = base_contested()
    pairs = join_claims(claims, contested, reference_lines())
    layer = claims_layer(claims, contested, pairs).set_index(S.CLAIM_ID)
    joined = pairs.groupby(S.CLAIM_ID)["area_index"].agg(lambda s: sorted(set(s)))
    assert len(joined) > 5
    for cid, areas in joined.items():
        if layer.loc[cid, "geometry_from"] == "contested_area":
            want = shapely.union_all(contested.geometry.values[areas])
            assert layer.loc[cid, "geometry"].equals(want), cid
    assert (layer["geometry_from"] == "contested_area").sum() > 5
