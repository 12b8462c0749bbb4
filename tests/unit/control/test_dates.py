"""Dates from file names, property values and KML time elements."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.control.dates import date_column, date_from_kml_time, date_from_name, date_from_value
from geo.control.kml_time import placemark_dates


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("deepstatemap_data_20240708.geojson", dt.date(2024, 7, 8)),
        ("isw-2025-01-31.kmz", dt.date(2025, 1, 31)),
        ("x/2025_02_28_map.gpkg", dt.date(2025, 2, 28)),
        ("v2_map_20250229.geojson", None),  # not a real day
        ("map.geojson", None),
        ("id_1234567890.geojson", None),  # a longer number is not a date
    ],
)
def test_date_from_name(name, want):
    assert date_from_name(name) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2024-07-08", dt.date(2024, 7, 8)),
        ("2024-07-08T23:30:00+03:00", dt.date(2024, 7, 8)),
        (pd.Timestamp("2024-07-08 23:30", tz="Europe/Kyiv"), dt.date(2024, 7, 8)),
        (dt.datetime(2024, 7, 8, 12), dt.date(2024, 7, 8)),
        ("8.7.2024", dt.date(2024, 7, 8)),
        (1720440000000, dt.date(2024, 7, 8)),
        ("", None),
        ("yesterday", None),
        (float("nan"), None),
        (True, None),
        (pd.NaT, None),
    ],
)
def test_date_from_value(value, want):
    assert date_from_value(value) == want


def test_date_column_prefers_given_and_known_names():
    assert date_column(["name", "Timestamp"]) == "Timestamp"
    assert date_column(["name", "Timestamp"], "name") == "name"
    assert date_column(["name"], "missing") is None


def test_kml_span_end_then_begin():
    assert date_from_kml_time(None, "2024-01-01", None) == dt.date(2024, 1, 1)
    assert date_from_kml_time("2024-05-02T10:00:00Z", "2024-01-01", "2024-01-31") == dt.date(2024, 5, 2)


def test_placemark_dates_stamp_span_folder_and_inherited():
    kml = b"""<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
      <Folder><name>Control 2024-07-08</name><Placemark><name>a</name></Placemark></Folder>
      <Folder><TimeStamp><when>2024-07-09</when></TimeStamp><Placemark/></Folder>
      <Placemark><TimeSpan><begin>2024-07-01</begin><end>2024-07-10</end></TimeSpan></Placemark>
      <Placemark><name>undated</name></Placemark>
    </Document></kml>"""
    assert placemark_dates(kml, "a.kml") == [dt.date(2024, 7, 8), dt.date(2024, 7, 9), dt.date(2024, 7, 10), None]
