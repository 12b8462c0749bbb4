"""geo.maps.controlmap.states_map: two control states compared, drawn only-A / only-B / both, escaped, simplified."""

from __future__ import annotations

import re

import geopandas as gpd
import shapely

from geo.control import regions_for
from geo.control.states import disagreement, line_state, polygon_state, theatre_lines_for_states
from geo.maps.controlmap import (
    BOTH_STYLE,
    GAINED_STYLE,
    LOST_STYLE,
    ONLY_A_STYLE,
    ONLY_B_STYLE,
    states_labels,
    states_map,
)
from tests.support import synthetic_control as SC

THEATRE = "donbas-2014-15"
STYLES = (ONLY_A_STYLE, ONLY_B_STYLE, BOTH_STYLE)


def _html(m) -> str:
    return m.get_root().render()


def _regions():
    return gpd.GeoDataFrame(
        {"name": ["<b>W</b>", "E"]},
        geometry=[shapely.box(36, 47, 38, 50), shapely.box(38, 47, 40, 50)],
        crs="EPSG:4326",
    )


def _diff(regions):
    a = polygon_state(shapely.box(36.5, 48, 38.5, 49), "ru", regions, label="A <script>alert(1)</script>")
    b = polygon_state(shapely.box(37.5, 48, 39.5, 49), "ru", regions, label="B & co")
    return disagreement(a, b, regions)


def test_the_three_parts_differ_in_colour_and_outline_and_none_is_a_control_map_style():
    fills = {s["fillColor"] for s in STYLES}
    dashes = {s.get("dashArray", "") for s in STYLES}
    assert len(fills) == 3 and len(dashes) == 3
    assert not fills & {GAINED_STYLE["fillColor"], LOST_STYLE["fillColor"]}


def test_each_part_drawn_in_its_style_with_an_escaped_legend():
    regions = _regions()
    d = _diff(regions)
    labels = states_labels(d)
    m = states_map(regions, only_a=d["only_a"], only_b=d["only_b"], both=d["both"], labels=labels)
    html = _html(m)
    assert [i.label for i in m.legend] == [labels["both"], labels["only_a"], labels["only_b"]]
    assert [(i.colour, i.dash) for i in m.legend] == [
        (s["color"], s.get("dashArray", "")) for s in (BOTH_STYLE,) + STYLES[:2]
    ]
    for style in STYLES:
        assert f'"fillColor": "{style["fillColor"]}"' in html
    assert ONLY_A_STYLE["dashArray"] in html and ONLY_B_STYLE["dashArray"] in html
    # the legend says the figures, every label is escaped
    assert "Only in A, A &lt;script&gt;" in html or "Only in A, A &amp;lt;script&amp;gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "<b>W</b>" not in html
    assert re.search(r"Only in B, B &(amp;)+ co \(", html)


def test_a_part_that_is_empty_is_not_drawn():
    regions = _regions()
    a = polygon_state(shapely.box(36.5, 48, 38.5, 49), "ru", regions, label="A")
    d = disagreement(a, a, regions)
    assert d["only_a_km2"] == d["only_b_km2"] == 0.0
    m = states_map(regions, only_a=d["only_a"], only_b=d["only_b"], both=d["both"], labels=states_labels(d))
    assert [i.colour for i in m.legend] == [BOTH_STYLE["color"]]
    html = _html(m)
    assert ONLY_A_STYLE["fillColor"] not in html and ONLY_B_STYLE["fillColor"] not in html


def test_parts_are_simplified_together_and_fit_the_view():
    regions = regions_for(THEATRE)
    lines = theatre_lines_for_states(THEATRE)
    a = line_state(lines, "minsk_2014_09_19", "separatists", regions)
    b = polygon_state(shapely.geometry.shape(SC.day_geometry(0)), "separatists", regions, label="synthetic")
    d = disagreement(a, b, regions)
    full = states_map(regions, only_a=d["only_a"], only_b=d["only_b"], both=d["both"], simplify=False)
    simple = states_map(regions, only_a=d["only_a"], only_b=d["only_b"], both=d["both"])
    assert len(_html(simple)) < len(_html(full))
    assert [i.colour for i in simple.legend] == [BOTH_STYLE["color"], ONLY_A_STYLE["color"], ONLY_B_STYLE["color"]]
    # the view is centred on the parts drawn
    x0, y0, x1, y1 = shapely.total_bounds([d["only_a"], d["only_b"], d["both"]])
    lat, lon = simple.location
    assert y0 <= lat <= y1 and x0 <= lon <= x1


def test_labels_carry_the_figures():
    d = {"a": {"label": "x"}, "b": {"label": "y"}, "only_a_km2": 1234.4, "only_b_km2": 5.25, "both_km2": 0.0}
    labels = states_labels(d)
    assert labels == {
        "only_a": "Only in A, x (1,234 km²)",
        "only_b": "Only in B, y (5.2 km²)",
        "both": "In both (0.0 km²)",
    }
