"""geo.control.view: uploads read as one series, the view of two dates, its tables, stepping through dates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import shapely

from geo.control import import_series
from geo.control.view import (
    OUTSIDE,
    Pick,
    check_series_name,
    content_key,
    control_view,
    disagreement_rows,
    picks,
    read_uploads,
    region_rows,
    settlements_for,
    step,
)
from geo.errors import ValidationError
from geo.measure import geodesic_area_km2
from tests.support import synthetic_control as SC

THEATRE = "donbas-2014-15"


def _uploads(paths):
    return [(p.name, p.read_bytes()) for p in paths]


def _zip(paths) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in paths:
            zf.writestr(p.name, p.read_bytes())
    return buf.getvalue()


def test_read_uploads_files_and_a_zip_with_progress(series_dir):
    _, paths = series_dir
    seen = []
    files = [*_uploads(paths[:3]), ("rest.zip", _zip(paths[3:]))]
    read = read_uploads(files, party="ru", progress=lambda share, name: seen.append((share, name)))
    # day 5 is corrupt: refused by its name; the 7 others read (day 3 repeats day 2 but is read).
    assert [r.name for r in read.refused] == [paths[5].name]
    assert sorted(s.date for s in read.snapshots) == [SC.START + dt.timedelta(days=k) for k in range(8) if k != 5]
    shares = [s for s, _ in seen]
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0)
    assert read.files == 8


def test_a_damaged_zip_is_refused_by_name_and_the_rest_read(series_dir):
    _, paths = series_dir
    read = read_uploads([("broken.zip", b"PK\x03\x04 not a zip"), *_uploads(paths[:2])], party="ru")
    assert [r.name for r in read.refused] == ["broken.zip"]
    assert len(read.snapshots) == 2


def test_no_party_is_refused_before_reading(series_dir):
    _, paths = series_dir
    with pytest.raises(ValidationError, match="party"):
        read_uploads(_uploads(paths[:1]))


def test_series_names():
    assert check_series_name(" ISW ") == "ISW"
    with pytest.raises(ValidationError):
        check_series_name("x" * 200)


def test_step_through_dates():
    days = [dt.date(2024, 1, d) for d in (1, 3, 7)]
    assert step(days, days[0]) == days[1]
    assert step(days, days[2]) is None
    assert step(days, days[0], -1) is None
    assert step(days, dt.date(2024, 1, 5)) == days[2]
    assert step(days, dt.date(2024, 1, 5), -1) == days[1]


def test_content_key_changes_with_what_is_held(store, series_dir):
    _, paths = series_dir
    empty = content_key(store, THEATRE)
    import_series(store, read_uploads(_uploads(paths[:2]), party="ru"), THEATRE, "A")
    two = content_key(store, THEATRE)
    assert two != empty and content_key(store, THEATRE) == two
    import_series(store, read_uploads(_uploads(paths[2:3]), party="ru"), THEATRE, "A")
    assert content_key(store, THEATRE) != two
    store.delete(THEATRE, "A", "ru", SC.START + dt.timedelta(days=2))
    assert content_key(store, THEATRE) == two
    assert picks(store, THEATRE) == [Pick("A", "ru")]


def test_control_view_two_dates_and_two_monitors(store, series_dir, regions, tmp_path):
    _, paths = series_dir
    import_series(store, read_uploads(_uploads(paths[:5]), party="ru"), THEATRE, "A")
    other = SC.write_series(tmp_path / "b", 5, seed=3)
    import_series(store, read_uploads(_uploads(other), party="ru"), THEATRE, "B")
    d0, d4 = SC.START, SC.START + dt.timedelta(days=4)
    v = control_view(store, THEATRE, Pick("A", "ru"), d0, d4, regions, settlements_for(THEATRE), Pick("B", "ru"))
    first, last = SC.geometry_of(paths[0]), SC.geometry_of(paths[4])
    assert v["date"] == d4.isoformat() and v["from"] == d0.isoformat()
    assert v["state_km2"] == pytest.approx(geodesic_area_km2(last), rel=1e-9)
    assert v["gained_km2"] - v["lost_km2"] == pytest.approx(v["net_km2"], abs=1e-9)
    assert v["net_km2"] == pytest.approx(geodesic_area_km2(last) - geodesic_area_km2(first), abs=1e-3)
    assert shapely.difference(v["gained"], last).area < 1e-12  # gained ground is held on the date
    # Regions table: rows add up to the area held and to the change.
    rows = region_rows({"per_region": {}, "outside_km2": 0.0}, v)
    assert sum(r["net_km2"] for r in rows) == pytest.approx(v["net_km2"], abs=1e-6)
    # The other monitor on the same date: only-in-A and only-in-B add up with its table.
    diff = v["disagreement"]
    table = disagreement_rows(diff)
    assert sum(r["a_only_km2"] for r in table) == pytest.approx(diff["a_only_km2"], rel=1e-9)
    assert sum(r["b_only_km2"] for r in table) == pytest.approx(diff["b_only_km2"], rel=1e-9)
    assert table[-1]["region"] == OUTSIDE or all(r["region"] != OUTSIDE for r in table)
    a_only = shapely.difference(last, SC.geometry_of(other[4]))
    assert diff["a_only_km2"] == pytest.approx(geodesic_area_km2(a_only), rel=1e-6)
    # The same date on both ends: no change.
    same = control_view(store, THEATRE, Pick("A", "ru"), d4, d4, regions)
    assert (same["gained_km2"], same["lost_km2"], same["settlements"]) == (0.0, 0.0, [])


def test_settlements_of_a_theatre_without_a_gazetteer_is_empty():
    assert len(settlements_for("korea-1953")) == 0
    assert len(settlements_for(THEATRE)) > 100


def test_a_second_monitor_that_starts_later_is_named_not_fatal(store, series_dir, regions, tmp_path):
    _, paths = series_dir
    import_series(store, read_uploads(_uploads(paths[:3]), party="ru"), THEATRE, "A")
    later = SC.write_series(tmp_path / "late", 2, start=SC.START + dt.timedelta(days=2))
    import_series(store, read_uploads(_uploads(later), party="ru"), THEATRE, "B")
    v = control_view(
        store, THEATRE, Pick("A", "ru"), SC.START, SC.START + dt.timedelta(days=1), regions, other=Pick("B", "ru")
    )
    assert "B · ru" in v["other_missing"] and "disagreement" not in v
    assert v["state_km2"] > 0
