"""Vega-Lite charts of the Control maps page: area over time and net change per period, on a real time axis.

Specs are plain dictionaries (cheap to build on every rerun, unlike a
validated Altair chart); the data goes with them as a DataFrame. Dates are
read and shown in UTC, so a browser in another time zone shows the same days.

Examples
--------
>>> rows = [{"date": "2024-07-08", "total_km2": 10.0}, {"date": "2024-07-09", "total_km2": 12.5}]
>>> list(area_frame(rows).columns)
['date', 'km2']
>>> area_spec("2024-07-09")["layer"][0]["encoding"]["x"]["type"]
'temporal'
"""

from __future__ import annotations

import pandas as pd

from geo.control.measure import PERIODS, resample

#: Vega-Lite (UTC) time unit and axis format of each period.
TIME_UNITS = {"day": "utcyearmonthdate", "week": "utcyearmonthdate", "month": "utcyearmonth", "year": "utcyear"}
AXIS_FORMATS = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y", "year": "%Y"}
#: Bars of a net gain and of a net loss (Okabe-Ito bluish green and sky blue, as gained/lost on the map).
GAIN_COLOUR, LOSS_COLOUR = "#009E73", "#56B4E9"
LINE_COLOUR = "#0072B2"


def area_frame(rows: list[dict]) -> pd.DataFrame:
    """``date`` (timestamps) and ``km2`` of an area series (:func:`geo.control.measure.area_series`)."""
    return pd.DataFrame(
        {"date": pd.to_datetime([r["date"] for r in rows]), "km2": [float(r["total_km2"]) for r in rows]}
    )


def _x(field: str, period: str, title: str) -> dict:
    return {
        "field": field,
        "type": "temporal",
        "timeUnit": TIME_UNITS[period],
        "title": title,
        "axis": {"format": AXIS_FORMATS[period], "formatType": "utc", "labelAngle": 0},
    }


def area_spec(shown: str, points: bool = True) -> dict:
    """The area-over-time chart (data: :func:`area_frame`), a dashed rule at the date ``shown`` (YYYY-MM-DD)."""
    tooltip_date = {"field": "date", "type": "temporal", "timeUnit": TIME_UNITS["day"], "title": "date"}
    return {
        "layer": [
            {
                "mark": {"type": "line", "point": bool(points), "color": LINE_COLOUR},
                "encoding": {
                    "x": _x("date", "day", "date"),
                    "y": {"field": "km2", "type": "quantitative", "title": "km² held", "scale": {"zero": False}},
                    "tooltip": [
                        tooltip_date,
                        {"field": "km2", "type": "quantitative", "format": ",.1f", "title": "km²"},
                    ],
                },
            },
            {
                "data": {"values": [{"date": str(shown)}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#333333"},
                "encoding": {"x": {"field": "date", "type": "temporal", "timeUnit": TIME_UNITS["day"]}},
            },
        ]
    }


def change_frame(rows: list[dict], period: str) -> pd.DataFrame:
    """The net change per ``period`` (:func:`geo.control.measure.resample`) as a frame.

    Columns ``period``, ``end`` (timestamps), ``date`` (snapshot used), ``total_km2``, ``net_km2``.
    """
    per = pd.DataFrame(resample(rows, period), columns=["period", "end", "date", "total_km2", "net_km2"])
    per["end"] = pd.to_datetime(per["end"])
    return per


def change_spec(period: str) -> dict:
    """The bar chart of net change per ``period`` (data: :func:`change_frame`); gains and losses differ in colour.

    >>> change_spec("month")["encoding"]["x"]["timeUnit"]
    'utcyearmonth'
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose one of: {', '.join(PERIODS)}")
    return {
        "mark": {"type": "bar"},
        "encoding": {
            "x": _x("end", period, f"{period} (to its end)"),
            "y": {"field": "net_km2", "type": "quantitative", "title": "net change, km²"},
            "color": {"condition": {"test": "datum.net_km2 < 0", "value": LOSS_COLOUR}, "value": GAIN_COLOUR},
            "tooltip": [
                {"field": "period", "type": "nominal"},
                {"field": "net_km2", "type": "quantitative", "format": "+,.1f", "title": "net km²"},
                {"field": "date", "type": "nominal", "title": "snapshot"},
            ],
        },
    }
