"""AppTest of the Control maps page (issue 17 item 3): import through the page, slider, charts, two monitors.

Series are synthetic (:mod:`tests.support.synthetic_control`), uploaded with the
page's own file uploader, so the page's import code path runs. Expected figures
come from the store through :mod:`geo.control` (and, for the areas, an
independent pyproj.Geod computation on the uploaded files).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from geo.control import ControlStore, area_series, compare_series, regions_for, store_path
from tests.support import synthetic_control as SC

REPO = Path(__file__).resolve().parents[2]
PAGE = str(REPO / "pages" / "control.py")
THEATRE = "donbas-2014-15"
PARTY = "separatists"
GEOD = Geod(ellps="WGS84")

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _geodesic_km2(geom) -> float:
    total = 0.0
    for poly in shapely.get_parts(geom):
        for k, ring in enumerate((poly.exterior, *poly.interiors)):
            lon, lat = ring.xy
            a = abs(GEOD.polygon_area_perimeter(lon, lat)[0])
            total += -a if k else a
    return total / 1e6


def _files(tmp_path, days: int, **kw) -> list[tuple[str, bytes]]:
    paths = SC.write_series(tmp_path / "series", days, **kw)
    return [(p.name, p.read_bytes()) for p in paths]


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, files, series: str = "DeepState", party: str = PARTY) -> AppTest:
    at.file_uploader(key="control_upload").set_value([(n, d, "application/geo+json") for n, d in files]).run()
    at.text_input(key="control_series_name").set_value(series)
    at.selectbox(key="control_import_party").set_value(party)
    at.button(key="control_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


# Each table of the page by a column only it has.
TABLE_COLUMNS = {
    "control_area_table": "km2",
    "control_period_table": "period",
    "control_region_table": "held_km2",
    "control_refused_table": "reason",
    "control_disagreement_table": "a_only_km2",
}


def _table(at, key: str):
    column = TABLE_COLUMNS[key]
    for el in at.dataframe:
        if column in el.value.columns:
            return el.value
    raise AssertionError(f"no table {key}; tables: {[list(el.value.columns) for el in at.dataframe]}")


def test_empty_store_invites_an_import():
    at = _app()
    assert any("No control series" in str(i.value) for i in at.info)
    assert at.file_uploader(key="control_upload") is not None


def test_import_through_the_page_then_slider_and_charts(tmp_path):
    files = _files(tmp_path, 4)
    at = _upload(_app(), files)
    m = _metrics(at)
    assert (m["Imported"], m["Duplicates"], m["Refused"]) == ("4", "0", "0")
    with ControlStore(store_path()) as store:
        assert [d.isoformat() for d in store.dates(THEATRE, "DeepState", PARTY)] == [
            (SC.START + dt.timedelta(days=k)).isoformat() for k in range(4)
        ]
        expected = area_series(store, THEATRE, PARTY, regions_for(THEATRE), "DeepState")
    # The slider shows the last date; the area shown is the last file's geodesic area.
    slider = at.select_slider(key="control_date")
    assert slider.value == SC.START + dt.timedelta(days=3)
    last_km2 = _geodesic_km2(shapely.geometry.shape(json.loads(files[-1][1])["features"][0]["geometry"]))
    held = _metrics(at)[f"Held on {slider.value.isoformat()}"]
    assert held == f"{last_km2:,.0f} km²", (held, last_km2)
    # The chart's data is the measured series, on a temporal axis.
    area = _table(at, "control_area_table")
    assert [str(d) for d in area["date"]] == [r["date"] for r in expected]
    assert list(area["km2"]) == pytest.approx([r["total_km2"] for r in expected], rel=1e-12)
    assert abs(expected[-1]["total_km2"] - last_km2) <= 1e-6 * last_km2
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    xs = [p["encoding"]["x"] for s in specs for p in [s, *s.get("layer", [])] if "x" in p.get("encoding", {})]
    assert xs and all(x["type"] == "temporal" for x in xs)
    # Per day, the net change of each day is the difference of the areas.
    per = _table(at, "control_period_table")
    assert list(per["net_km2"]) == pytest.approx(
        [0.0] + [b["total_km2"] - a["total_km2"] for a, b in zip(expected, expected[1:])], abs=1e-9
    )
    # Gained - lost = net, and per-region rows sum to the totals.
    m = _metrics(at)
    regions = _table(at, "control_region_table")
    gained = float(m["Gained"].replace(",", "").split()[0])
    assert gained > 0 and abs(regions["gained_km2"].sum() - gained) < 1.0
    assert abs(regions["held_km2"].sum() - last_km2) < 1.0

    # Move the slider back one day: the shown date and area follow.
    at.select_slider(key="control_date").set_value(SC.START + dt.timedelta(days=1)).run()
    assert not at.exception
    day1 = SC.START + dt.timedelta(days=1)
    km2_day1 = next(r["total_km2"] for r in expected if r["date"] == day1.isoformat())
    assert _metrics(at)[f"Held on {day1.isoformat()}"] == f"{km2_day1:,.0f} km²"
    text = " ".join(str(md.value) for md in at.markdown)
    assert f"on **{day1.isoformat()}**" in text


def test_bad_file_in_the_middle_is_reported_by_name_and_the_rest_imported(tmp_path):
    files = _files(tmp_path, 5, corrupt=(2,), duplicates=(4,))
    at = _upload(_app(), files)
    m = _metrics(at)
    assert (m["Imported"], m["Duplicates"], m["Refused"]) == ("3", "1", "1")
    refused = _table(at, "control_refused_table")
    assert list(refused["name"]) == [files[2][0]]
    assert refused["reason"].iloc[0]
    with ControlStore(store_path()) as store:
        held = [d.isoformat() for d in store.dates(THEATRE, "DeepState", PARTY)]
    assert held == [(SC.START + dt.timedelta(days=k)).isoformat() for k in (0, 1, 3)]


def test_a_zip_and_a_second_monitor(tmp_path):
    files = _files(tmp_path, 3)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files:
            zf.writestr(name, data)
    at = _upload(_app(), [("series.zip", buf.getvalue())])
    assert _metrics(at)["Imported"] == "3"
    # A second monitor: the same days, a different seed (another outline).
    other = [(n, d) for n, d in _files(tmp_path / "b", 3, seed=5)]
    at = _upload(at, other, series="ISW")
    assert at.selectbox(key="control_pick").value == f"ISW · {PARTY}"  # the series just imported is shown
    at.selectbox(key="control_pick").set_value(f"DeepState · {PARTY}").run()
    at.selectbox(key="control_other").set_value(f"ISW · {PARTY}").run()
    assert not at.exception, [e.value for e in at.exception]
    m = _metrics(at)
    a_only = float(m[f"Only in DeepState · {PARTY}"].replace(",", "").split()[0])
    b_only = float(m[f"Only in ISW · {PARTY}"].replace(",", "").split()[0])
    assert a_only > 0 or b_only > 0
    table = _table(at, "control_disagreement_table").set_index("region")
    with ControlStore(store_path()) as store:
        day = at.select_slider(key="control_date").value
        want = compare_series(store, THEATRE, day, regions_for(THEATRE), ("DeepState", PARTY), ("ISW", PARTY))
    assert want["per_region"], want
    for name, v in want["per_region"].items():
        assert table.loc[name, "a_only_km2"] == pytest.approx(round(v["a_only_km2"], 1), abs=0.051)
        assert table.loc[name, "b_only_km2"] == pytest.approx(round(v["b_only_km2"], 1), abs=0.051)
    assert table["a_only_km2"].sum() == pytest.approx(want["a_only_km2"], abs=1.0)
    assert float(m[f"Only in DeepState · {PARTY}"].replace(",", "").split()[0]) == round(want["a_only_km2"])


def test_unknown_party_property_is_refused_without_storing(tmp_path):
    files = _files(tmp_path, 2)
    at = _app()
    at.file_uploader(key="control_upload").set_value([(n, d, "application/geo+json") for n, d in files]).run()
    at.radio(key="control_party_mode").set_value("from a property").run()
    at.text_input(key="control_party_field").set_value("side")
    at.button(key="control_import").click().run()
    assert not at.exception
    assert _metrics(at)["Refused"] == "2"
    with ControlStore(store_path()) as store:
        assert store.counts()["snapshots"] == 0


def _box_file(day: str, x1: float) -> tuple[str, bytes]:
    ring = [[38.0, 48.0], [x1, 48.0], [x1, 48.6], [38.0, 48.6], [38.0, 48.0]]
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}],
    }
    return f"held_{day}.geojson", json.dumps(fc).encode()


def test_settlements_that_changed_hands_between_the_two_dates():
    at = _upload(_app(), [_box_file("2015-01-20", 38.3), _box_file("2015-02-20", 38.6)], series="drawn")
    assert _metrics(at)["Imported"] == "2"
    changed = next(d.value for d in at.dataframe if "change" in d.value.columns)
    gazetteer = pd.read_csv(REPO / "data" / "theatres" / THEATRE / "settlements.csv")
    strip = gazetteer[gazetteer["lon"].between(38.3, 38.6) & gazetteer["lat"].between(48.0, 48.6)]
    assert "Debaltseve" in set(changed["name"])
    assert set(changed["name"]) == set(strip["name"])
    assert set(changed["change"]) == {"gained"}
    # Looking back from the second date to itself: nothing changed hands.
    at.selectbox(key="control_from").set_value(dt.date(2015, 2, 20)).run()
    assert any("No settlement" in str(i.value) for i in at.info)


def test_play_steps_through_the_dates_to_the_last_and_stops(tmp_path):
    at = _upload(_app(), _files(tmp_path, 3))
    at.select_slider(key="control_date").set_value(SC.START).run()
    assert _metrics(at).get(f"Held on {SC.START.isoformat()}")
    at.toggle(key="control_play").set_value(True).run()  # each date is shown, then the next one
    assert not at.exception, [e.value for e in at.exception]
    assert at.select_slider(key="control_date").value == SC.START + dt.timedelta(days=2)
    assert at.toggle(key="control_play").value is False


def test_the_page_works_on_the_sidebars_theatre():
    """No theatre picker of its own: the sidebar's theatre (here Korea) gives the parties offered."""
    from geo.theatres import get_theatre

    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["theatre_chosen"] = "korea-1953"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [s for s in at.selectbox if s.label == "Theatre"]  # only the sidebar's, drawn by dashboard.py
    korea = get_theatre("korea-1953")
    assert list(at.selectbox(key="control_import_party").options) == [p.name for p in korea.parties]
