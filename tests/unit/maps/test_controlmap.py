"""geo.maps.controlmap: what the Control maps page draws, simplified, escaped, and no bigger with more dates."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import shapely

from geo.control import ControlStore, import_series, read_series, regions_for
from geo.control.view import Pick, control_view
from geo.maps.controlmap import GAINED_STYLE, LOST_STYLE, OTHER_STYLE, control_map, display_geometries
from tests.support import synthetic_control as SC

THEATRE = "donbas-2014-15"


def _html(m) -> str:
    return m.get_root().render()


def test_parts_drawn_with_their_styles_and_escaped_labels():
    regions = gpd.GeoDataFrame({"name": ["<b>W</b>"]}, geometry=[shapely.box(36, 47, 40, 50)], crs="EPSG:4326")
    a, b = shapely.box(37, 48, 38, 49), shapely.box(37.1, 48, 38.2, 49)
    m = control_map(
        regions,
        b,
        gained=shapely.difference(b, a),
        lost=shapely.difference(a, b),
        other=a,
        labels={"state": "held <script>", "gained": "gained", "lost": "lost", "other": "other"},
    )
    html = _html(m)
    assert [i.label for i in m.legend] == ["held <script>", "gained", "lost", "other"]
    for style in (GAINED_STYLE, LOST_STYLE, OTHER_STYLE):
        assert style["dashArray"] in html
    assert "<script>" not in html.split("held", 1)[1][:40]
    assert "<b>W</b>" not in html


def test_display_geometry_is_simplified_and_keeps_gained_inside_the_state():
    regions = regions_for(THEATRE)
    state = shapely.geometry.shape(SC.day_geometry(3))
    before = shapely.geometry.shape(SC.day_geometry(0))
    gained = shapely.difference(state, before)
    simple_regions, parts = display_geometries(regions, {"state": state, "gained": gained, "lost": None})
    assert set(parts) == {"state", "gained"}
    assert shapely.get_num_coordinates(parts["state"]) < shapely.get_num_coordinates(state)
    assert (
        sum(shapely.get_num_coordinates(g) for g in simple_regions)
        < shapely.get_num_coordinates(regions.geometry.values).sum()
    )
    # Simplified together: the gained patch stays within the simplified state (up to 5-decimal rounding).
    assert shapely.difference(parts["gained"], parts["state"]).area < 1e-4 * parts["gained"].area


def test_payload_does_not_grow_with_the_number_of_dates(tmp_path):
    regions = regions_for(THEATRE)
    sizes = []
    for days in (3, 12):
        paths = SC.write_series(tmp_path / f"s{days}", days)
        with ControlStore(tmp_path / f"c{days}.sqlite") as store:
            import_series(store, read_series(tmp_path / f"s{days}", party="ru"), THEATRE, "A")
            # the same two days shown, whatever else is held
            d_from, d_to = SC.START, SC.START + dt.timedelta(days=2)
            v = control_view(store, THEATRE, Pick("A", "ru"), d_from, d_to, regions)
        assert len(paths) == days
        sizes.append(len(_html(control_map(regions, v["state"], gained=v["gained"], lost=v["lost"]))))
    assert abs(sizes[1] - sizes[0]) < 0.01 * sizes[0], sizes
