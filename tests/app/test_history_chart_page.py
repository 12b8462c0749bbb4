"""Issue 14 item 11: the Compare page's history chart has a real time axis (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


def _vega_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def _x_encodings(spec: dict) -> list[dict]:
    parts = [spec, *spec.get("layer", [])]
    return [p["encoding"]["x"] for p in parts if "x" in p.get("encoding", {})]


def test_history_chart_x_axis_is_temporal():
    at = AppTest.from_file(str(REPO / "pages" / "compare.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    by_date = [x for spec in _vega_specs(at) for x in _x_encodings(spec) if x.get("field") == "date"]
    assert by_date, "no chart over dates on the Compare page"
    assert all(x["type"] == "temporal" for x in by_date), by_date
