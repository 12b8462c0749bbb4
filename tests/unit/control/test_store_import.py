"""The store and importing into it: duplicates, conflicts, bad files, atomicity."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import shapely

from geo.auth import ENV_READ_ONLY, PermissionDenied, Principal, Role
from geo.control import ControlStore, import_series, read_series
from geo.control.series import SeriesRead, Snapshot
from geo.control.store import geometry_hash
from geo.errors import ValidationError

THEATRE = "donbas-2014-15"


def _dump(path) -> list:
    with sqlite3.connect(path) as conn:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()  # noqa: S608
            for t in ("geometries", "snapshots", "measures")
        ]


def test_duplicate_day_and_corrupt_file_in_the_middle(series_dir, store):
    d, paths = series_dir
    report = import_series(store, read_series(d, party="russia"), THEATRE)
    assert len(report.imported) == 6
    assert [(dup[1], dup[2]) for dup in report.duplicates] == [(dt.date(2024, 7, 11), dt.date(2024, 7, 10))]
    assert [r.name for r in report.refused] == [paths[5].name]
    assert store.counts()["geometries"] == 6 and store.counts()["snapshots"] == 6
    # the day after the duplicate and the day after the corrupt file are held
    assert dt.date(2024, 7, 12) in store.dates(THEATRE, "default", "russia")
    assert dt.date(2024, 7, 13) not in store.dates(THEATRE, "default", "russia")
    # the latest snapshot on or before a skipped or refused day is the one before it
    assert store.on_or_before(THEATRE, "default", "russia", "2024-07-13")[0] == dt.date(2024, 7, 12)
    # importing again stores nothing new
    before = _dump(store.path)
    again = import_series(store, read_series(d, party="russia"), THEATRE)
    assert not again.imported and len(again.duplicates) == 7
    assert _dump(store.path) == before


def test_same_geometry_on_a_later_day_is_stored_once(store):
    a, b = shapely.box(37, 48, 38, 49), shapely.box(37, 48, 38.5, 49)
    days = [Snapshot(dt.date(2024, 1, d), "ru", g, f"f{d}") for d, g in ((1, a), (2, b), (3, a))]
    report = import_series(store, SeriesRead(days), THEATRE)
    assert len(report.imported) == 3 and not report.duplicates
    assert store.counts()["geometries"] == 2


def test_a_held_day_with_another_geometry_is_refused_and_kept(store):
    a, b = shapely.box(37, 48, 38, 49), shapely.box(37, 48, 38.5, 49)
    import_series(store, SeriesRead([Snapshot(dt.date(2024, 1, 1), "ru", a, "x")]), THEATRE)
    report = import_series(store, SeriesRead([Snapshot(dt.date(2024, 1, 1), "ru", b, "y")]), THEATRE)
    assert report.refused and "already held" in report.refused[0].reason
    _, key = store.on_or_before(THEATRE, "default", "ru", "2024-01-01")
    assert key == geometry_hash(a)


def test_a_failed_import_leaves_the_store_unchanged(series_dir, store, monkeypatch):
    d, _ = series_dir
    first = read_series(d, party="russia")
    first.snapshots = first.snapshots[:2]
    import_series(store, first, THEATRE)
    before = _dump(store.path)
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(*args)

    real = ControlStore.put_snapshot
    monkeypatch.setattr(ControlStore, "put_snapshot", staticmethod(failing))
    with pytest.raises(OSError, match="disk full"):
        import_series(store, read_series(d, party="russia"), THEATRE)
    assert len(calls) == 3
    assert _dump(store.path) == before


def test_on_or_before_messages(store):
    with pytest.raises(ValidationError, match="import some first"):
        store.on_or_before(THEATRE, "default", "ru", "2024-01-01")
    import_series(store, SeriesRead([Snapshot(dt.date(2024, 1, 5), "ru", shapely.box(37, 48, 38, 49), "x")]), THEATRE)
    with pytest.raises(ValidationError, match="the first is 2024-01-05"):
        store.on_or_before(THEATRE, "default", "ru", "2024-01-01")
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        store.on_or_before(THEATRE, "default", "ru", "5 Jan")


def test_geometry_round_trip_and_delete(store):
    g = shapely.MultiPolygon([shapely.box(37, 48, 38, 49), shapely.box(39, 48, 40, 49)])
    import_series(store, SeriesRead([Snapshot(dt.date(2024, 1, 5), "ru", g, "x")]), THEATRE)
    _, key = store.on_or_before(THEATRE, "default", "ru", "2024-02-01")
    assert store.geometry(key).equals(g)
    assert store.delete(THEATRE, "default", "ru") == 1
    assert store.counts() == {"geometries": 0, "snapshots": 0, "measures": 0}


def test_delete_needs_an_admin_and_is_refused_in_read_only_mode(store, monkeypatch):
    g = shapely.box(37, 48, 38, 49)
    import_series(store, SeriesRead([Snapshot(dt.date(2024, 1, 5), "ru", g, "x")]), THEATRE)
    editor = Principal("ed@desk.example", Role.EDITOR, "oidc")
    with pytest.raises(PermissionDenied):
        store.delete(THEATRE, "default", "ru", user=editor)
    monkeypatch.setenv(ENV_READ_ONLY, "1")
    with pytest.raises(PermissionDenied):
        store.delete(THEATRE, "default", "ru")
    assert store.counts()["snapshots"] == 1
    monkeypatch.delenv(ENV_READ_ONLY)
    assert store.delete(THEATRE, "default", "ru", user=Principal("ad@desk.example", Role.ADMIN, "oidc")) == 1
