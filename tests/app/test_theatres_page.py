"""AppTest of the Theatres page and of the sidebar's theatre choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.theatres import create_theatre, get_theatre, list_theatres
from geo.theatres.tables import theatre_lines
from tests.support.map_tabs import TAB_KEY

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("router_ran", "fresh_caches")


def _app(page: str = "theatres") -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _listing(at: AppTest):
    return next(d.value for d in at.dataframe if {"theatre", "id", "claims"} <= set(d.value.columns))


def _create(at: AppTest, tid: str, countries, parties: str) -> AppTest:
    at.text_input(key="tc_id").set_value(tid)
    at.text_input(key="tc_name").set_value("Cyprus (test)")
    at.multiselect(key="tc_countries").set_value(countries)
    at.text_input(key="tc_word").set_value("district")
    at.text_area(key="tc_parties").set_value(parties)
    return at.button(key="tc_submit").click().run()


def test_lists_the_shipped_theatres_with_their_counts():
    at = _app()
    _ok(at)
    table = _listing(at)
    korea = table[table["id"] == "korea-1953"].iloc[0]
    assert korea["countries"] == "KR, KP" and korea["lines"] == 1
    # Counted in the registry (as `theatre list` does): 5 of the 8 rows of its claims.csv, 3 have no date.
    assert korea["claims"] == 5
    assert "UNC / ROK" in korea["parties"] and korea["kind"] == "shipped"


def test_create_a_theatre_from_the_form():
    at = _create(_app(), "cyprus-test", ["CY"], "Republic of Cyprus | Cyprus | #0072b2\nTurkish Cypriots | TC")
    _ok(at)
    assert any("Created theatre 'cyprus-test'" in s.value for s in at.success)
    t = get_theatre("cyprus-test")
    assert t.countries == ("CY",) and t.region_word == "district" and not t.shipped
    assert [(p.short, p.colour) for p in t.parties] == [("Cyprus", "#0072b2"), ("TC", "#2166ac")]
    assert "cyprus-test" in set(_listing(at)["id"])


def test_unknown_country_is_refused_and_nothing_written():
    at = _create(_app(), "nowhere-test", ["QQ"], "North\nSouth")
    assert not at.exception
    assert any("'QQ' is not a known ISO 3166-1 alpha-2 code" in e.value for e in at.error)
    assert "nowhere-test" not in {t.id for t in list_theatres()}


def test_taken_id_is_refused():
    at = _create(_app(), "korea-1953", ["KR"], "North\nSouth")
    assert not at.exception
    assert any("already taken (a shipped theatre)" in e.value for e in at.error)
    assert get_theatre("korea-1953").shipped


def test_bad_party_colour_is_refused():
    at = _create(_app(), "colour-test", ["CY"], "North | N | red\nSouth")
    assert any("colour 'red' is not" in e.value and "rrggbb" in e.value for e in at.error), [e.value for e in at.error]
    assert "colour-test" not in {t.id for t in list_theatres()}


def test_export_then_import_under_a_new_id_round_trips(media):
    create_theatre("round-trip", "Round trip", ["GE"], parties=["North", "South"], region_word="municipality")
    at = _app()
    at.selectbox(key="te_theatre").set_value("round-trip").run()
    _ok(at)
    data = media(at.get("download_button")[0])
    at.file_uploader(key="ti_file").set_value(("round-trip.zip", data, "application/zip")).run()
    at.text_input(key="ti_id").set_value("round-trip-copy")
    at.button(key="ti_import").click().run()
    _ok(at)
    assert any("Imported theatre 'round-trip-copy'" in s.value for s in at.success)
    a, b = get_theatre("round-trip"), get_theatre("round-trip-copy")
    assert (b.name, b.countries, b.parties, b.region_word) == (a.name, a.countries, a.parties, a.region_word)
    at.file_uploader(key="ti_file").set_value(("round-trip.zip", data, "application/zip")).run()
    at.text_input(key="ti_id").set_value("")
    at.button(key="ti_import").click().run()  # the same id again, without "replace"
    assert any("already exists" in e.value for e in at.error)


def test_import_refuses_a_file_that_is_not_a_theatre():
    at = _app()
    at.file_uploader(key="ti_file").set_value(("x.zip", b"not a zip at all", "application/zip")).run()
    at.button(key="ti_import").click().run()
    assert not at.exception
    assert at.error, "a broken archive must be reported"


LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Green line"},
            "geometry": {"type": "LineString", "coordinates": [[32.8, 35.2], [33.4, 35.17], [34.0, 35.1]]},
        }
    ],
}


@pytest.fixture
def line_form():
    """A function creating a theatre and filling the line form with LINE and a point side rule (no point yet)."""

    def fill(theatre_id: str, parties: list[str]):
        create_theatre(theatre_id, "Line test", ["CY"], parties=parties)
        at = _app()
        at.selectbox(key="tl_theatre").set_value(theatre_id).run()
        at.file_uploader(key="tl_file").set_value(
            ("green.geojson", json.dumps(LINE).encode(), "application/geo+json")
        ).run()
        at.text_input(key="tl_id").set_value("green_line")
        at.text_input(key="tl_name").set_value("Green line")
        at.date_input(key="tl_date").set_value("1974-08-16")
        at.radio(key="tl_rule").set_value("point")
        return at

    return fill


def test_add_a_line_with_a_point_side_rule(line_form):
    at = line_form("line-test", ["Republic of Cyprus", "Turkish Cypriots"])
    at.selectbox(key="tl_party").set_value("republic_of_cyprus")
    at.selectbox(key="tl_other").set_value("turkish_cypriots")
    at.number_input(key="tl_lon").set_value(33.0)
    at.number_input(key="tl_lat").set_value(34.7)
    at.button(key="tl_import").click().run()
    _ok(at)
    lines = theatre_lines(get_theatre("line-test"))
    row = lines.iloc[0]
    assert row["line_id"] == "green_line" and row["date"] == "1974-08-16"
    assert (row["side_rule"], row["side_party"], row["other_party"]) == (
        "point",
        "republic_of_cyprus",
        "turkish_cypriots",
    )
    assert (float(row["side_lon"]), float(row["side_lat"])) == (33.0, 34.7)
    assert list(row.geometry.coords)[0] == (32.8, 35.2)


def test_a_point_rule_without_a_point_is_refused(line_form):
    at = line_form("line-test-2", ["A", "B"])
    at.button(key="tl_import").click().run()
    assert not at.exception
    assert any("side point longitude None is not a number" in e.value for e in at.error)
    assert theatre_lines(get_theatre("line-test-2")).empty


def _claim_ids(at: AppTest) -> set[str]:
    for frame in at.dataframe:
        v = frame.value
        for col in ("claim_id", "claim", "id"):
            if col in v.columns and v[col].astype(str).str.match(r"^[a-z]\d{3}$").any():
                return set(v[col])
    return set()


def test_switching_the_theatre_changes_the_claims_shown():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.session_state[TAB_KEY] = "Claims"  # the registry theatre's Map page lists its claims in this tab
    at.run()  # the Map page, with the sidebar
    _ok(at)
    picker = at.sidebar.selectbox(key="theatre_id")
    assert picker.value == "donbas-2014-15" and "theatre" not in at.query_params
    before = _claim_ids(at)
    assert "c001" in before and not any(c.startswith("k") for c in before)
    picker.set_value("korea-1953").run()
    _ok(at)
    after = _claim_ids(at)
    assert "k001" in after and "c001" not in after
    # (AppTest reruns only the page after a widget change, so the URL is checked in the browser test)
    assert at.title[0].value == "Korea 1953 (armistice line)"
    at.switch_page("pages/claims.py").run()  # the choice holds on every page
    _ok(at)
    assert "k001" in _claim_ids(at) and "c001" not in _claim_ids(at)
    assert at.multiselect(key="cf_party").options == ["UNC / ROK", "KPA / CPV"]


def test_the_theatre_comes_back_from_the_link():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.query_params["theatre"] = "armenia-azerbaijan-2020"
    at.run()
    _ok(at)
    assert at.sidebar.selectbox(key="theatre_id").value == "armenia-azerbaijan-2020"
    assert at.title[0].value.startswith("Armenia")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.query_params["theatre"] = "atlantis"
    at.run()
    assert any("unknown theatre" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="theatre_id").value == "donbas-2014-15"


def test_export_carries_the_claims_as_the_registry_holds_them(media):
    import csv
    import io
    import zipfile

    from geo import config
    from geo.claims.store import open_store

    _app()  # opens (and seeds) the registry of this test's data directory
    with open_store(config.data_dir() / "claims.sqlite") as store:
        store.delete_claim("k001", user="ana")
    at = _app()
    at.selectbox(key="te_theatre").set_value("korea-1953").run()
    _ok(at)
    data = media(at.get("download_button")[0])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        ids = [r["claim_id"] for r in csv.DictReader(io.StringIO(zf.read("claims.csv").decode("utf-8")))]
    assert "k001" not in ids and "k002" in ids  # deleted in the registry: not in the export
    assert {"k003", "k006", "k008"} <= set(ids)  # the file's undated rows are kept
