"""The authored data of the shipped Korea and Armenia-Azerbaijan theatres, read with plain tools.

These tests do not use the theatre loader (``geo.theatres``): they read the files with json,
pandas and shapely and check what the format of ``/work/tools/theatre_spec.md`` and the
columns of ``geo.schema`` require, so a broken row is caught whichever loader reads it later.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from shapely import wkt
from shapely.geometry import LineString, Point

from geo.schema import CLAIM_COLUMNS, CLAIM_FILE_COLUMNS, LINE_COLUMNS, SOURCE_COLUMNS, VERTEX_COLUMNS
from geo.vocab import ClaimKind, LineKind, Qualifier, SourceKind, Stance

THEATRES_ROOT = Path(__file__).resolve().parents[3] / "data" / "theatres"
THEATRE_IDS = ("korea-1953", "armenia-azerbaijan-2020")
SIDE_COLUMNS = ["side_rule", "side_party", "other_party", "side_lon", "side_lat"]
ALIAS_COLUMNS = ["phrase", "line_id", "valid_from", "valid_to", "note"]
SIDE_RULES = ("point", "left", "right", "inside", "")
# Generous bounding boxes (lon_min, lat_min, lon_max, lat_max), a few km beyond each country,
# so that the anchors placed just offshore or across a border still count as inside.
COUNTRY_BBOX = {
    "KR": (124.5, 33.0, 131.0, 38.75),
    "KP": (124.0, 37.5, 130.8, 43.1),
    "AZ": (44.7, 38.3, 50.7, 41.95),
    "AM": (43.4, 38.8, 46.7, 41.35),
}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
PARTY_RE = re.compile(r"^[a-z0-9_]+$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _read(theatre_id: str, name: str) -> pd.DataFrame:
    return pd.read_csv(THEATRES_ROOT / theatre_id / name, dtype=str, keep_default_na=False)


def _meta(theatre_id: str) -> dict:
    return json.loads((THEATRES_ROOT / theatre_id / "theatre.json").read_text(encoding="utf-8"))


def _party_ids(theatre_id: str) -> set[str]:
    return {p["id"] for p in _meta(theatre_id)["parties"]}


def _in_bbox(lon: float, lat: float, countries: list[str]) -> bool:
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for x0, y0, x1, y1 in (COUNTRY_BBOX[c] for c in countries))


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _lines_geometry(theatre_id: str) -> dict[str, LineString]:
    verts = _read(theatre_id, "line_vertices.csv")
    out = {}
    for line_id, group in verts.groupby("line_id"):
        group = group.assign(seq=group["seq"].astype(int)).sort_values("seq")
        out[line_id] = LineString(list(zip(group["lon"].astype(float), group["lat"].astype(float), strict=True)))
    return out


@pytest.fixture(params=THEATRE_IDS)
def theatre_id(request) -> str:
    return request.param


def test_theatre_json_fields(theatre_id):
    meta = _meta(theatre_id)
    assert meta["format"] == "contested-lines-theatre/1"
    assert meta["id"] == theatre_id and ID_RE.match(theatre_id)
    assert meta["name"] and meta["description"] and meta["region_word"] and meta["region_word_plural"]
    assert meta["countries"] and set(meta["countries"]) <= set(COUNTRY_BBOX)
    for code in meta.get("admin1", []):
        assert code.split("-")[0] in meta["countries"], code
    assert len(meta["parties"]) >= 2
    for party in meta["parties"]:
        assert PARTY_RE.match(party["id"]) and party["name"] and party["short"], party
        assert COLOUR_RE.match(party["colour"]), party
    assert len(_party_ids(theatre_id)) == len(meta["parties"]), "party ids must be unique"
    assert meta.get("default", False) is False, "only the Donbas theatre is the default"


def test_agreements_and_official_areas(theatre_id):
    meta = _meta(theatre_id)
    lines = set(_read(theatre_id, "lines.csv")["line_id"])
    sources = set(_read(theatre_id, "sources.csv")["source_id"])
    parties = _party_ids(theatre_id)
    assert meta["reference_line"] in lines
    assert meta["agreements"], "each theatre states at least one agreement"
    for agreement in meta["agreements"]:
        assert _is_date(agreement["date"]), agreement["id"]
        assert agreement["line"] in lines, agreement["id"]
        assert agreement["sources"] and set(agreement["sources"]) <= sources, agreement["id"]
        assert agreement["zones"], agreement["id"]
        for zone in agreement["zones"]:
            assert zone["side"] == "each" or zone["side"] in parties, zone
            assert float(zone["distance_km"]) > 0, zone
    for area in meta.get("official_areas", []):
        assert area["iso_3166_2"] in meta.get("admin1", [area["iso_3166_2"]])
        assert float(area["km2"]) > 0
        assert area["source_url"].startswith(("http://", "https://"))


def test_table_columns(theatre_id):
    assert list(_read(theatre_id, "lines.csv").columns) == LINE_COLUMNS + SIDE_COLUMNS
    assert list(_read(theatre_id, "line_vertices.csv").columns) == VERTEX_COLUMNS
    assert list(_read(theatre_id, "sources.csv").columns) == SOURCE_COLUMNS
    # written before the interval columns (value_min ... period_end) or with them
    assert list(_read(theatre_id, "claims.csv").columns) in (CLAIM_FILE_COLUMNS, CLAIM_COLUMNS)
    assert list(_read(theatre_id, "aliases.csv").columns) == ALIAS_COLUMNS


def test_sources(theatre_id):
    sources = _read(theatre_id, "sources.csv")
    assert sources["source_id"].is_unique
    for _, row in sources.iterrows():
        assert row["url"].startswith(("http://", "https://")), row["source_id"]
        assert row["publisher"] and row["title"] and row["language"], row["source_id"]
        assert row["published"] == "" or _is_date(row["published"]), row["source_id"]
        assert row["source_kind"] in SourceKind.values(), row["source_id"]
    dated = (sources["published"] != "").sum()
    assert dated >= len(sources) / 2, "most sources carry their publication date"


def test_lines(theatre_id):
    lines = _read(theatre_id, "lines.csv")
    sources = set(_read(theatre_id, "sources.csv")["source_id"])
    parties = _party_ids(theatre_id)
    geoms = _lines_geometry(theatre_id)
    countries = _meta(theatre_id)["countries"]
    assert lines["line_id"].is_unique
    for _, row in lines.iterrows():
        lid = row["line_id"]
        assert row["kind"] in LineKind.values(), lid
        assert _is_date(row["date"]), lid
        assert float(row["precision_km"]) > 0, lid
        assert row["method"] and row["drawn_by"], lid
        cited = row["sources"].split(";")
        assert cited and set(cited) <= sources, (lid, set(cited) - sources)
        assert lid in geoms, f"{lid} has no vertices"
        rule = row["side_rule"]
        assert rule in SIDE_RULES, lid
        if rule:
            assert row["side_party"] in parties, lid
            assert row["other_party"] in parties | {""} and row["other_party"] != row["side_party"], lid
        if rule == "inside":
            assert geoms[lid].is_closed, f"{lid}: an inside rule needs a closed line"
        if rule == "point":
            point = Point(float(row["side_lon"]), float(row["side_lat"]))
            assert _in_bbox(point.x, point.y, countries), lid
            assert geoms[lid].distance(point) > 0.01, f"{lid}: the side point lies on the line"
        else:
            assert row["side_lon"] == "" and row["side_lat"] == "", lid


def test_vertices(theatre_id):
    verts = _read(theatre_id, "line_vertices.csv")
    lines = set(_read(theatre_id, "lines.csv")["line_id"])
    countries = _meta(theatre_id)["countries"]
    assert set(verts["line_id"]) == lines
    for line_id, group in verts.groupby("line_id"):
        seqs = sorted(group["seq"].astype(int))
        assert len(seqs) >= 2, line_id
        assert seqs == list(range(len(seqs))), f"{line_id}: seq must run 0..n-1 without gaps"
    for _, row in verts.iterrows():
        assert row["note"], (row["line_id"], row["seq"])
        assert _in_bbox(float(row["lon"]), float(row["lat"]), countries), (row["line_id"], row["seq"])
    for line_id, geom in _lines_geometry(theatre_id).items():
        assert geom.is_valid and geom.length > 0, line_id


def test_claims(theatre_id):
    claims = _read(theatre_id, "claims.csv")
    sources = set(_read(theatre_id, "sources.csv")["source_id"])
    lines = set(_read(theatre_id, "lines.csv")["line_id"])
    parties = _party_ids(theatre_id)
    countries = _meta(theatre_id)["countries"]
    assert len(claims) >= 5
    assert claims["claim_id"].is_unique
    for _, row in claims.iterrows():
        cid = row["claim_id"]
        assert row["quote"] and row["actor"], cid
        assert row["source_id"] in sources, cid
        assert row["stance"] in Stance.values(), cid
        assert row["kind"] in ClaimKind.values(), cid
        assert row["qualifier"] in Qualifier.values(), cid
        assert row["party"] in parties | {""} and row["side"] in parties | {""}, cid
        assert row["reliability_source"] in list("ABCDEF") and row["reliability_info"] in list("123456"), cid
        for field in ("event_date", "valid_from", "valid_to"):
            assert row[field] == "" or _is_date(row[field]), (cid, field)
        if row["kind"] == "area":
            assert float(row["value_km2"]) > 0, cid
        if row["kind"] in ("distance", "withdrawal_distance"):
            assert float(row["value_km"]) > 0, cid
        if row["reference_line"]:
            assert row["reference_line"] in lines, cid
        else:
            assert row["geometry_wkt"], f"{cid}: neither a reference line nor a geometry"
        if row["geometry_wkt"]:
            geom = wkt.loads(row["geometry_wkt"])
            assert geom.is_valid and not geom.is_empty, cid
            x0, y0, x1, y1 = geom.bounds
            assert _in_bbox(x0, y0, countries) and _in_bbox(x1, y1, countries), cid


def test_aliases(theatre_id):
    aliases = _read(theatre_id, "aliases.csv")
    lines = set(_read(theatre_id, "lines.csv")["line_id"])
    assert len(aliases) >= 3
    assert aliases["phrase"].str.strip().str.len().gt(0).all()
    assert set(aliases["line_id"]) <= lines | {""}
    assert aliases["line_id"].isin(lines).any()


def test_reference_line_spans_two_coasts_or_borders(theatre_id):
    """The reference line's ends lie farther apart than its stated precision (not a stub)."""
    meta = _meta(theatre_id)
    geom = _lines_geometry(theatre_id)[meta["reference_line"]]
    start, end = Point(geom.coords[0]), Point(geom.coords[-1])
    assert start.distance(end) > 0.2 or geom.is_closed
