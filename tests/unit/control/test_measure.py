"""Measuring a synthetic series: areas against an independent geodesic computation, change, regions, periods.

The independent reference is ``pyproj.Geod.geometry_area_perimeter`` polygon by polygon on the
geometry read straight from the synthetic file (``json`` + ``shapely.geometry.shape``), not
through the store or :mod:`geo.measure`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import shapely
from pyproj import Geod
from shapely.geometry.polygon import orient

from geo.control import ControlStore, area_on, area_series, change, import_series, read_series, resample
from geo.errors import ValidationError
from tests.support.synthetic_control import START, geometry_of, write_series

THEATRE = "ukraine-2022"
PARTY = "russia"
GEOD = Geod(ellps="WGS84")
REL = 1e-6


def geod_km2(geom) -> float:
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            total += GEOD.geometry_area_perimeter(orient(part, 1.0))[0]
    return total / 1e6


def rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-12)


@pytest.fixture(scope="module")
def long_series(tmp_path_factory):
    """40 days from 2024-07-08 (crossing the July/August month end), day 12 repeating day 11."""
    d = tmp_path_factory.mktemp("long")
    return d, write_series(d, 40, duplicates=(12,))


@pytest.fixture(scope="module")
def measured(long_series, tmp_path_factory, regions):
    d, paths = long_series
    store = ControlStore(tmp_path_factory.mktemp("store") / "control.sqlite")
    report = import_series(store, read_series(d, party=PARTY), THEATRE)
    rows = area_series(store, THEATRE, PARTY, regions)
    yield store, report, rows, paths
    store.close()


def test_areas_match_an_independent_geodesic_computation(measured):
    _, _, rows, paths = measured
    by_date = {r["date"]: r for r in rows}
    for day in (0, 1, 13, 25, 39):
        date = (START + dt.timedelta(days=day)).isoformat()
        want = geod_km2(geometry_of(paths[day]))
        assert want > 50_000  # a real-sized area, not a degenerate one
        assert rel(by_date[date]["total_km2"], want) <= REL, date


def test_incremental_areas_equal_fresh_ones(measured, long_series, regions, tmp_path):
    _, _, rows, _ = measured
    with ControlStore(tmp_path / "fresh.sqlite") as fresh:  # nothing cached: every day measured afresh
        import_series(fresh, read_series(long_series[0], party=PARTY), THEATRE)
        got = area_series(fresh, THEATRE, PARTY, regions, incremental=False)
    assert len(got) == len(rows)
    for a, b in zip(rows, got, strict=True):
        assert rel(a["total_km2"], b["total_km2"]) <= REL
        for name, km2 in b["per_region"].items():
            assert abs(a["per_region"].get(name, 0.0) - km2) <= REL * b["total_km2"], (a["date"], name)


def test_per_region_areas_sum_to_the_total(measured, regions):
    _, _, rows, paths = measured
    for r in rows:
        assert rel(sum(r["per_region"].values()) + r["outside_km2"], r["total_km2"]) <= REL
        assert set(r["per_region"]) <= set(regions["name"])
    # the synthetic area lies over the eastern and southern oblasts and Crimea, not Kyiv or Lviv
    first = rows[0]["per_region"]
    assert {"Donetsk", "Luhansk", "Zaporizhzhia", "Autonomous Republic of Crimea"} <= set(first)
    assert "Lviv" not in first
    # each region's area against Geod on the intersection; boundaries are straight in lon/lat
    # (as drawn), so both are densified first (0.005 deg here; geo.control uses its own density)
    geom = shapely.segmentize(geometry_of(paths[0]), 0.005)
    for name, region in zip(regions["name"], regions.geometry.values, strict=True):
        if name in first:
            want = geod_km2(shapely.intersection(geom, shapely.segmentize(region, 0.005)))
            assert abs(first[name] - want) <= REL * rows[0]["total_km2"], name


def test_gained_minus_lost_is_the_net_change(measured, regions):
    store, _, rows, _ = measured
    by_date = {r["date"]: r["total_km2"] for r in rows}
    for a, b in (("2024-07-08", "2024-07-09"), ("2024-07-10", "2024-08-16"), ("2024-08-16", "2024-07-10")):
        got = change(store, THEATRE, PARTY, a, b, regions)
        assert got["gained_km2"] >= 0 and got["lost_km2"] >= 0
        assert got["net_km2"] == pytest.approx(got["gained_km2"] - got["lost_km2"], abs=1e-9)
        assert (
            rel(got["net_km2"], by_date[b] - by_date[a]) <= REL
            or abs(got["net_km2"] - (by_date[b] - by_date[a])) < 1e-3
        )
        regional = sum(v["net_km2"] for v in got["per_region"].values())
        outside = got["outside"]["gained_km2"] - got["outside"]["lost_km2"]
        assert regional + outside == pytest.approx(got["net_km2"], abs=1e-3)
    forward = change(store, THEATRE, PARTY, "2024-07-10", "2024-08-16", regions)
    assert forward["gained_km2"] > 10  # the front moved: something was gained over five weeks
    back = change(store, THEATRE, PARTY, "2024-08-16", "2024-07-10", regions)
    assert back["gained_km2"] == pytest.approx(forward["lost_km2"], abs=1e-6)
    assert back["lost_km2"] == pytest.approx(forward["gained_km2"], abs=1e-6)


def test_latest_snapshot_on_or_before(measured, regions):
    store, _, rows, _ = measured
    # 2024-07-20 (day 12) repeats 07-19: it is not stored, so the 19th is in force on the 20th
    got = area_on(store, THEATRE, PARTY, "2024-07-20", regions)
    assert got["date"] == "2024-07-19"
    assert got["total_km2"] == next(r["total_km2"] for r in rows if r["date"] == "2024-07-19")
    assert area_on(store, THEATRE, PARTY, "2030-01-01", regions)["date"] == rows[-1]["date"]
    with pytest.raises(ValidationError, match="the first is 2024-07-08"):
        area_on(store, THEATRE, PARTY, "2024-07-07", regions)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        area_on(store, THEATRE, PARTY, "20 July", regions)


def test_duplicated_day_is_stored_once(measured):
    store, report, rows, _ = measured
    assert [(d[1].isoformat(), d[2].isoformat()) for d in report.duplicates] == [("2024-07-20", "2024-07-19")]
    assert store.counts()["snapshots"] == 39 and store.counts()["geometries"] == 39
    assert len(rows) == 39 and "2024-07-20" not in {r["date"] for r in rows}


def test_resample_per_week_month_year(measured):
    _, _, rows, _ = measured
    last = rows[-1]
    month = resample(rows, "month")
    assert [m["period"] for m in month] == ["2024-07", "2024-08"]
    assert month[0]["end"] == "2024-07-31" and month[0]["date"] == "2024-07-31"
    assert month[1]["date"] == last["date"]
    assert sum(m["net_km2"] for m in month) == pytest.approx(last["total_km2"] - rows[0]["total_km2"], abs=1e-6)
    week = resample(rows, "week")
    assert week[0]["period"] == "2024-W28" and week[0]["end"] == "2024-07-14"  # 8 July 2024 is a Monday
    assert all(dt.date.fromisoformat(w["end"]).weekday() == 6 for w in week)
    assert sum(w["net_km2"] for w in week) == pytest.approx(last["total_km2"] - rows[0]["total_km2"], abs=1e-6)
    year = resample(rows, "year")
    assert [(y["period"], y["date"]) for y in year] == [("2024", last["date"])]
    day = resample(rows, "day")
    assert len(day) == 40  # every calendar day, the duplicated one included (area of the day before)
    assert day[12]["date"] == "2024-07-19" and day[12]["net_km2"] == 0.0
    with pytest.raises(ValueError, match="unknown period"):
        resample(rows, "fortnight")


def _dump(path) -> list:
    with sqlite3.connect(path) as conn:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()  # noqa: S608
            for t in ("geometries", "snapshots", "measures")
        ]


def test_corrupt_file_mid_series_is_named_rest_imported_stored_unchanged(tmp_path, regions):
    paths = write_series(tmp_path / "s", 10, corrupt=(6,))
    with ControlStore(tmp_path / "control.sqlite") as store:
        first = read_series(tmp_path / "s", party=PARTY)
        first.snapshots = [s for s in first.snapshots if s.date < START + dt.timedelta(days=4)]
        import_series(store, first, THEATRE)
        before_rows = area_series(store, THEATRE, PARTY, regions)
        before = _dump(store.path)
        report = import_series(store, read_series(tmp_path / "s", party=PARTY), THEATRE)
        assert [r.name for r in report.refused] == [paths[6].name]
        assert report.refused[0].reason  # says why
        assert len(report.duplicates) == 4  # the days already held
        assert sorted(d.isoformat() for _, d in report.imported) == [
            (START + dt.timedelta(days=i)).isoformat() for i in (4, 5, 7, 8, 9)
        ]
        after = _dump(store.path)
        # every row stored before is still there, unchanged
        for table_before, table_after in zip(before, after, strict=True):
            assert set(table_before) <= set(table_after)
        rows = area_series(store, THEATRE, PARTY, regions)
        assert rows[:4] == before_rows
        assert rel(rows[-1]["total_km2"], geod_km2(geometry_of(paths[9]))) <= REL


def test_changes_far_apart_get_boxes_of_their_own_and_the_same_gains(regions):
    from geo.control.delta import Outline, changed_boxes_between, gained_lost
    from tests.support.synthetic_control import iter_geometries

    a = shapely.geometry.shape(next(iter_geometries(1)))
    west, east = shapely.Point(35.46, 47.9).buffer(0.05), shapely.Point(39.34, 47.9).buffer(0.05)
    b = shapely.difference(shapely.union(a, west), east)  # an advance in the west, a loss in the east
    boxes = changed_boxes_between(Outline(a), Outline(b))
    assert len(boxes) > 1
    assert all(not p.intersects(q) for i, p in enumerate(boxes) for q in boxes[i + 1 :])
    gained, lost = gained_lost(a, b, boxes)
    whole_gained, whole_lost = shapely.difference(b, a), shapely.difference(a, b)
    assert gained.area == pytest.approx(whole_gained.area, rel=1e-9) and gained.area > 0
    assert lost.area == pytest.approx(whole_lost.area, rel=1e-9) and lost.area > 0
    assert shapely.symmetric_difference(gained, whole_gained).area < 1e-9 * whole_gained.area
    assert changed_boxes_between(Outline(a), Outline(a)) is None
