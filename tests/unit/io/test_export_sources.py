"""Issue 14 item 9 (first half): every exported claim, contested area and implied band carries its sources."""

from __future__ import annotations

import csv
import io
import json

import pyogrio
import pytest

from geo import schema as S
from geo.__main__ import main
from geo.analysis.layers import build_layers
from geo.io import GPKG_SOURCES_TABLE, export_bytes, export_layer, to_geojson_dict
from geo.reference.seed import load_seed_claims
from tests.support.ogr_util import ogrinfo_summary

KEYS = {"claim_id", "source_id", "quote", "publisher", "title", "url", "published", "grade"}


@pytest.fixture(scope="module")
def claims():
    return load_seed_claims()


@pytest.fixture(scope="module")
def layers(claims):
    return build_layers(claims)


def _claim(claims, cid):
    return claims.set_index(S.CLAIM_ID).loc[cid]


def _ids(props) -> list[str]:
    if props.get(S.C_CLAIM_IDS) is not None:
        return [i for i in str(props[S.C_CLAIM_IDS]).split(";") if i]
    return [props[S.CLAIM_ID]]


@pytest.mark.parametrize("name", ["contested", "implied", "claims"])
def test_geojson_features_name_every_claims_source(layers, claims, name):
    features = to_geojson_dict(layers[name])["features"]
    with_claims = [f for f in features if _ids(f["properties"])]
    assert with_claims
    for f in with_claims:
        props = f["properties"]
        sources = props["sources"]
        assert isinstance(sources, list) and sources, props
        assert [s["claim_id"] for s in sources] == _ids(props)
        for s in sources:
            assert set(s) >= KEYS
            c = _claim(claims, s["claim_id"])
            assert s["quote"] == c[S.CLAIM_QUOTE] and s["url"] == c[S.SOURCE_URL]
            assert s["publisher"] == c[S.SOURCE_PUBLISHER] and s["published"] == c[S.SOURCE_PUBLISHED]
            assert s["grade"] == f"{c[S.CLAIM_REL_SOURCE]}{c[S.CLAIM_REL_INFO]}"
            assert s["url"].startswith("http") and s["publisher"]


def test_every_seed_contested_feature_names_a_source(layers):
    features = to_geojson_dict(layers["contested"])["features"]
    assert len(features) == 4
    assert all(f["properties"]["sources"] for f in features)


def test_gpkg_has_a_related_sources_table_keyed_by_feature(layers, claims, tmp_path):
    gdf = layers["contested"]
    path = export_layer(gdf, tmp_path / "contested.gpkg", name="contested")
    summary = ogrinfo_summary(path)
    assert f"Layer name: {GPKG_SOURCES_TABLE}" in summary
    table = pyogrio.read_dataframe(path, layer=GPKG_SOURCES_TABLE, read_geometry=False)
    feats = pyogrio.read_dataframe(path, layer="contested", fid_as_index=True)
    expected = [(fid, cid) for fid, ids in zip(feats.index, feats[S.C_CLAIM_IDS]) for cid in str(ids).split(";") if cid]
    assert list(zip(table["feature_fid"], table[S.CLAIM_ID])) == expected
    assert set(table.columns) >= KEYS | {"feature_fid", "layer"}
    row = table[table[S.CLAIM_ID] == "c001"].iloc[0]
    c = _claim(claims, "c001")
    assert row["quote"] == c[S.CLAIM_QUOTE] and row["url"] == c[S.SOURCE_URL]
    assert row["grade"] == f"{c[S.CLAIM_REL_SOURCE]}{c[S.CLAIM_REL_INFO]}"
    assert set(table["layer"]) == {"contested"}


def test_csv_and_kml_carry_sources_as_json_text(layers):
    data, _, _ = export_bytes(layers["implied"], "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    assert rows and all(json.loads(r["sources"])[0]["claim_id"] == r[S.CLAIM_ID] for r in rows)
    kml, _, _ = export_bytes(layers["contested"], "kml")
    assert b'<Data name="sources">' in kml or b'name="sources"' in kml


def test_cli_export_of_contested_areas_names_sources(tmp_path, capsys):
    out = tmp_path / "contested.geojson"
    assert main(["export", "--layer", "contested", "--seed-only", "-o", str(out)]) == 0
    fc = json.loads(out.read_text())
    assert all(f["properties"]["sources"] and f["properties"]["sources"][0]["url"] for f in fc["features"])
