"""geo.maps.controlcharts: the charts' data is the measured series, on a UTC time axis."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.maps.controlcharts import GAIN_COLOUR, LOSS_COLOUR, area_frame, area_spec, change_frame, change_spec

ROWS = [
    {"date": "2024-12-30", "total_km2": 100.0},
    {"date": "2024-12-31", "total_km2": 104.0},
    {"date": "2025-01-02", "total_km2": 103.0},
    {"date": "2025-02-01", "total_km2": 110.5},
]


def test_area_frame_is_the_series_with_real_dates():
    frame = area_frame(ROWS)
    assert list(frame["km2"]) == [r["total_km2"] for r in ROWS]
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert [d.date().isoformat() for d in frame["date"]] == [r["date"] for r in ROWS]


@pytest.mark.parametrize(("period", "nets"), [("month", [4.0, -1.0, 7.5]), ("year", [4.0, 6.5])])
def test_change_frame_nets_add_up_to_the_change(period, nets):
    per = change_frame(ROWS, period)
    assert list(per["net_km2"]) == pytest.approx(nets)
    assert sum(per["net_km2"]) == pytest.approx(ROWS[-1]["total_km2"] - ROWS[0]["total_km2"])
    assert pd.api.types.is_datetime64_any_dtype(per["end"])


def test_specs_use_a_utc_time_axis_and_mark_the_date_shown():
    spec = area_spec("2025-01-02")
    x = spec["layer"][0]["encoding"]["x"]
    assert (x["type"], x["timeUnit"], x["axis"]["formatType"]) == ("temporal", "utcyearmonthdate", "utc")
    assert spec["layer"][1]["data"]["values"] == [{"date": "2025-01-02"}]
    bars = change_spec("week")
    assert bars["encoding"]["x"]["type"] == "temporal"
    assert {bars["encoding"]["color"]["value"], bars["encoding"]["color"]["condition"]["value"]} == {
        GAIN_COLOUR,
        LOSS_COLOUR,
    }
    with pytest.raises(ValueError, match="period"):
        change_spec("fortnight")
