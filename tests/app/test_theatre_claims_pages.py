"""AppTests of the Claims, Extract and Import pages on a theatre other than Donbas (pages/_theatre_claims.py).

A claim added on one theatre's page is stored under that theatre and listed there only.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.claims.store import open_store

REPO = Path(__file__).resolve().parents[2]
KOREA, ARMENIA, DONBAS = "korea-1953", "armenia-azerbaijan-2020", "donbas-2014-15"

pytestmark = pytest.mark.usefixtures("router_ran", "fresh_caches")


def _app(page: str, theatre: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    at.sidebar.selectbox(key="theatre_id").set_value(theatre).run()  # the sidebar's choice holds on every page
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _listed_ids(at: AppTest) -> set[str]:
    for frame in at.dataframe:
        if "quote" in frame.value.columns and "claim" in frame.value.columns:
            return set(frame.value["claim"])
    raise AssertionError("no claims table on the page")


def _stored(theatre: str):
    with open_store() as store:
        return store.list_claims(theatre=theatre)


def test_claims_page_adds_a_korea_claim_listed_under_korea_only():
    at = _app("claims", KOREA)
    assert at.title[0].value == "Claims registry: Korea 1953 (armistice line)"
    korea_before = _listed_ids(at)
    assert "k001" in korea_before and not any(c.startswith("c0") for c in korea_before)
    assert len(at.selectbox(key="add_ref").options) == 2  # none, and the theatre's one line
    assert at.selectbox(key="add_side").options == ["UNC / ROK", "KPA / CPV", "not said"]
    at.text_area(key="add_quote").input("Test quote: the zone reaches 2 km north of the line.")
    at.text_input(key="add_actor").input("Test Command")
    at.selectbox(key="add_kind").set_value("withdrawal_distance")
    at.text_input(key="add_value").input("2")
    at.text_input(key="add_unit").input("km")
    at.selectbox(key="add_ref").set_value("mdl_1953_07_27")
    at.selectbox(key="add_side").set_value("kpa_cpv")
    at.text_input(key="add_event_date").input("1953-07-27")
    at.text_input(key="add_publisher").input("Test Wire")
    at.text_input(key="add_url").input("https://example.org/korea-test")
    at.button[[b.label for b in at.button].index("Add claim")].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    korea = _stored(KOREA)
    new = korea[korea[S.CLAIM_QUOTE].str.startswith("Test quote: the zone")]
    assert len(new) == 1 and new.iloc[0][S.CLAIM_SIDE] == "kpa_cpv" and new.iloc[0][S.CLAIM_THEATRE] == KOREA
    (new_id,) = new[S.CLAIM_ID]
    assert new_id in _listed_ids(_app("claims", KOREA))
    # the Map page reads the same registry: the new claim is in Korea's claims tab
    m = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    m.sidebar.selectbox(key="theatre_id").set_value(KOREA).run()
    assert not m.exception and new_id in _listed_ids(m)
    donbas_page = _app("claims", DONBAS)
    assert new_id not in _listed_ids(donbas_page) and "c001" in _listed_ids(donbas_page)
    assert new_id not in set(_stored(DONBAS)[S.CLAIM_ID])


def test_a_donbas_claim_is_not_listed_under_korea():
    with open_store() as store:
        (did,) = store.add_claims(
            [
                {
                    "quote": "Test: ground taken beyond the Minsk line",
                    "actor": "Test",
                    "stance": "asserts",
                    "reference_line": "minsk_2014_09_19",
                    "side": "separatists",
                    "event_date": "2015-01-20",
                    "source_id": "reuters_20150120_klimkin",
                }
            ],
            user="ana",
        )
    assert did in _listed_ids(_app("claims", DONBAS))
    assert did not in _listed_ids(_app("claims", KOREA))


SEED = (
    "Kiev accused separatists on Tuesday of seizing more than 500 sq km (194 sq mi) "
    "of territory beyond agreed separation lines"
)


def test_extract_page_saves_to_the_chosen_theatre_with_its_lines_and_parties():
    at = _app("extract", ARMENIA)
    at.text_area(key="ex_text").input(SEED)
    at.date_input(key="ex_published").set_value(dt.date(2020, 11, 21))
    at.text_input(key="ex_publisher").input("Test Wire")
    at.text_input(key="ex_url").input("https://example.org/armenia-test")
    at.button(key="ex_propose").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    row = at.data_editor[0].value.iloc[0]
    # Donbas's line and party are not this theatre's: left for the analyst
    assert row["reference_line"] == "" and row["side"] == ""
    at.session_state["ex_editor"] = {"edited_rows": {0: {"save": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="ex_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Saved 1 claim" in at.success[0].value
    new_id = at.success[0].value.rsplit(" ", 1)[-1]
    assert new_id in set(_stored(ARMENIA)[S.CLAIM_ID])
    assert new_id not in set(_stored(DONBAS)[S.CLAIM_ID])


CLAIMS_CSV = (
    "quote,actor,stance,event_date,publisher,url,published,source_kind,WKT\n"
    '"Test import claim: a post north of the line.",Test Office,asserts,1953-07-28,Wire,'
    'https://example.org/korea-imp,1953-07-29,news,"POINT (127.0 38.3)"\n'
)


def test_import_page_saves_claims_to_the_chosen_theatre_and_exports_its_layers(media):
    at = _app("import_export", KOREA)
    assert "line" not in at.radio(key="ie_as").options  # a theatre's lines are added on the Theatres page
    at.radio(key="ie_as").set_value("claims")
    at.file_uploader(key="ie_upload").set_value(("claims.csv", CLAIMS_CSV.encode(), "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key="ie_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Saved 1 claim" in at.success[0].value
    cid = at.success[0].value.rsplit(" ", 1)[-1]
    korea = _stored(KOREA).set_index(S.CLAIM_ID)
    assert korea.loc[cid, S.CLAIM_GEOMETRY].startswith("POINT") and cid not in set(_stored(DONBAS)[S.CLAIM_ID])
    at = _app("import_export", KOREA)
    layer = at.selectbox(key="ie_layer")
    assert layer.options == ["lines", "claims"]
    layer.set_value("lines").run()
    assert not at.exception, [e.value for e in at.exception]
    data = json.loads(media(at.get("download_button")[0]))
    assert [f["properties"]["line_id"] for f in data["features"]] == ["mdl_1953_07_27"]
    at.selectbox(key="ie_layer").set_value("claims").run()
    data = json.loads(media(at.get("download_button")[0]))
    assert cid in {f["properties"][S.CLAIM_ID] for f in data["features"]}


def test_claims_page_on_a_new_user_theatre_without_claims_or_lines():
    from geo.theatres import create_theatre

    create_theatre("ladakh-page", "Ladakh page test", ["IN"], [], ["China", "India"])
    at = _app("claims", "ladakh-page")
    assert at.title[0].value == "Claims registry: Ladakh page test"
    assert any("0 of 0 claims" in c.value for c in at.caption)
    assert at.selectbox(key="add_ref").options == ["none"]
    at.text_area(key="add_quote").input("Test: 1,000 sq km occupied in Ladakh.")
    at.text_input(key="add_actor").input("Test MP")
    at.selectbox(key="add_kind").set_value("area")
    at.text_input(key="add_value").input("1000")
    at.text_input(key="add_unit").input("sq km")
    at.selectbox(key="add_party").set_value("china")
    at.selectbox(key="add_side").set_value("china")
    at.text_input(key="add_event_date").input("2020-09-01")
    at.text_input(key="add_publisher").input("Test Wire")
    at.button[[b.label for b in at.button].index("Add claim")].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    stored = _stored("ladakh-page")
    assert list(stored[S.CLAIM_VALUE_KM2]) == [1000.0] and list(stored[S.CLAIM_SIDE]) == ["china"]
    assert len(_listed_ids(_app("claims", "ladakh-page"))) == 1


def test_compare_page_on_a_user_theatre_measures_its_two_ruled_lines():
    import pandas as pd
    import shapely
    from pyproj import Geod
    from shapely.geometry import box

    from geo.reference.regions import regions
    from geo.theatres import create_theatre, user_root

    theatre = create_theatre("ge-cmp", "Shida Kartli compare", ["GE"], ["GE-SK"], ["Georgia", "South Ossetia"])
    unit = regions(["GE"], ["GE-SK"]).geometry.union_all()
    minx, miny, maxx, maxy = unit.bounds
    x, cy = round((minx + maxx) / 2, 4), round(unit.centroid.y, 4)
    a = [(x, maxy + 0.2), (x, miny - 0.2)]  # north to south across the unit; B bulges 0.1° east
    b = [(x, maxy + 0.2), (x, cy + 0.05), (x + 0.1, cy + 0.05), (x + 0.1, cy - 0.05), (x, cy - 0.05), (x, miny - 0.2)]
    west, east = theatre.party_ids
    inside = shapely.intersection(unit, box(minx, miny, x - 0.01, maxy)).representative_point()
    side = [S.LINE_SIDE_RULE, S.LINE_SIDE_PARTY, S.LINE_SIDE_OTHER, S.LINE_SIDE_LON, S.LINE_SIDE_LAT]
    pd.DataFrame(
        [
            [
                "line_a",
                "Line A",
                "2008-08-01",
                "contact",
                "t",
                "",
                "1",
                "",
                "t",
                "point",
                west,
                east,
                inside.x,
                inside.y,
            ],
            ["line_b", "Line B", "2008-09-01", "contact", "t", "", "1", "", "t", "right", west, east, "", ""],
        ],
        columns=S.LINE_COLUMNS + side,
    ).to_csv(user_root() / "ge-cmp" / "lines.csv", index=False)
    pd.DataFrame(
        [[lid, i, px, py, "", "authored", "t"] for lid, pts in (("line_a", a), ("line_b", b)) for i, (px, py) in enumerate(pts)],
        columns=S.VERTEX_COLUMNS,
    ).to_csv(user_root() / "ge-cmp" / "line_vertices.csv", index=False)  # fmt: skip
    at = _app("compare", "ge-cmp")
    assert at.selectbox(key="compare_a").value == "line_a" and at.selectbox(key="compare_b").value == "line_b"
    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(shapely.intersection(box(x, cy - 0.05, x + 0.1, cy + 0.05), unit))[0]) / 1e6  # fmt: skip
    (metric,) = at.metric
    assert metric.label == "Georgia: beyond line A under line B"
    assert float(metric.value.split()[0].replace(",", "")) == pytest.approx(expected, abs=0.06)
    table = next(d.value for d in at.dataframe if "km²" in d.value.columns)
    assert list(table["party"]) == ["Georgia"] and table["km²"].sum() == pytest.approx(expected, abs=0.2)
    at.selectbox(key="compare_b").set_value("line_a").run()
    assert any("two different lines" in i.value for i in at.info)
