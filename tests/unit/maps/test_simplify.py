"""Display simplification: shared edges stay shared, payload shrinks, areas never change."""

from __future__ import annotations

import folium
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from geo import schema as S
from geo.analysis.layers import build_layers
from geo.maps import (
    DETAIL_ZOOM,
    build_map,
    display_layers,
    fmt_km2,
    rounded,
    simplify_consistent,
    tolerance_deg,
    topology_errors_km2,
)
from geo.reference.seed import load_seed_claims

GEOD = Geod(ellps="WGS84")
MAX_GAP_KM2 = 0.01


def km2(geom) -> float:
    """Geodesic km², computed here independently of geo.measure."""
    return (
        sum(
            abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0])
            for p in shapely.get_parts(geom)
            if p.geom_type == "Polygon"
        )
        / 1e6
    )


@pytest.fixture(scope="module")
def layers():
    return build_layers()


@pytest.fixture(scope="module")
def shown(layers):
    return display_layers(layers)


def test_tolerance_halves_per_zoom_level():
    assert tolerance_deg(9) == pytest.approx(tolerance_deg(8) / 2)
    # one pixel at zoom 8 near 48.5°N is a few hundred metres
    assert 0.002 < tolerance_deg(8) < 0.005
    with pytest.raises(ValueError):
        tolerance_deg(8, pixels=0)


def test_simplification_removes_most_vertices(layers, shown):
    before = shapely.get_num_coordinates(layers["boundaries"].geometry.values).sum()
    after = shapely.get_num_coordinates(shown["boundaries"].geometry.values).sum()
    assert after * 4 < before, (before, after)
    assert shapely.is_valid(shown["boundaries"].geometry.values).all()
    assert shapely.is_valid(shown["contested"].geometry.values).all()


def test_adjacent_oblasts_share_edges_after_simplification(layers, shown):
    simple = shown["boundaries"].geometry.values
    # overlaps: the union is as large as the sum of the parts
    union_km2 = km2(shapely.union_all(simple))
    sum_km2 = sum(km2(g) for g in simple)
    assert sum_km2 - union_km2 < MAX_GAP_KM2, sum_km2 - union_km2
    # every pair of neighbours: no overlap, and they still touch along a line
    original = layers["boundaries"].geometry.values
    left, right = shapely.STRtree(original).query(original, predicate="touches")
    pairs = [(i, j) for i, j in zip(left, right) if i < j]
    assert len(pairs) > 30
    for i, j in pairs:
        assert km2(shapely.intersection(simple[i], simple[j])) < MAX_GAP_KM2
    # gaps: no hole opened in the country
    holes = [r for p in shapely.get_parts(shapely.union_all(simple)) for r in p.interiors]
    assert sum(km2(Polygon(r)) for r in holes) < MAX_GAP_KM2


def test_contested_areas_follow_the_simplified_borders(layers, shown):
    errors = topology_errors_km2(
        layers["boundaries"].geometry.values,
        shown["boundaries"].geometry.values,
        layers["contested"].geometry.values,
        shown["contested"].geometry.values,
    )
    assert errors["max_km2"] < MAX_GAP_KM2, errors
    region = shapely.union_all(shown["boundaries"].geometry.values)
    for geom in shown["contested"].geometry.values:
        assert km2(shapely.difference(geom, region)) < MAX_GAP_KM2


def test_the_topology_check_catches_per_polygon_simplification(layers):
    # The same check on naive per-polygon simplification must fail: it can fail.
    tol = tolerance_deg(DETAIL_ZOOM)
    ob = layers["boundaries"].geometry.values
    ca = layers["contested"].geometry.values
    naive = topology_errors_km2(
        ob, shapely.simplify(ob, tol, preserve_topology=True), ca, shapely.simplify(ca, tol, preserve_topology=True)
    )
    assert naive["max_km2"] > MAX_GAP_KM2, naive


def test_shared_wiggly_edge_stays_identical():
    xs = np.linspace(0, 1, 200)
    wiggle = list(zip(xs, 0.5 + 0.002 * np.sin(xs * 90)))
    south = Polygon([(0, 0), (1, 0)] + wiggle[::-1])
    north = Polygon(wiggle + [(1, 1), (0, 1)])
    (out,) = simplify_consistent([[south, north]], 0.01)
    assert shapely.get_num_coordinates(out).sum() < 100
    assert shapely.area(shapely.intersection(out[0], out[1])) == pytest.approx(0, abs=1e-12)
    assert shapely.area(shapely.union_all(out)) == pytest.approx(1.0, abs=1e-9)
    # the shared edge is one and the same line in both results
    edge0 = shapely.intersection(out[0].boundary, out[1].boundary)
    assert shapely.length(edge0) == pytest.approx(shapely.length(shapely.intersection(out[0], out[1])), abs=1e-12)
    assert shapely.length(edge0) >= 1.0


def test_areas_are_computed_on_full_resolution_geometry(layers, shown):
    for name in ("boundaries", "contested", "implied", "zones"):
        assert np.array_equal(layers[name][S.AREA_KM2].to_numpy(), shown[name][S.AREA_KM2].to_numpy()), name
    # the simplified geometry does measure differently, so equality above is not an accident
    i = int(np.argmax(layers["boundaries"][S.AREA_KM2].to_numpy()))
    full, simple = layers["boundaries"].geometry.values[i], shown["boundaries"].geometry.values[i]
    assert km2(simple) != pytest.approx(km2(full), rel=1e-6)
    assert layers["boundaries"][S.AREA_KM2].iloc[i] == pytest.approx(km2(full), rel=1e-9)
    # and the map's labels show the full-resolution figure
    html = build_map(layers, load_seed_claims(), optional_layers=()).get_root().render()
    for area in layers["boundaries"][S.AREA_KM2]:
        assert fmt_km2(area).replace("km²", "km\\u00b2") in html or fmt_km2(area) in html


def test_other_layers_are_left_alone(layers, shown):
    assert shown["lines"] is layers["lines"]
    assert shown["settlements"] is layers["settlements"]


def test_rounded_keeps_five_decimals():
    g = rounded(shapely.LineString([(38.123456789, 48.987654321), (38.1, 48.2)]))
    assert list(g.coords)[0] == (38.12346, 48.98765)


def _naive_bytes(layers, names) -> int:
    m = folium.Map(location=[48.25, 38.6], zoom_start=8)
    for name in names:
        folium.GeoJson(layers[name].to_json(), name=name).add_to(m)
    return len(m.get_root().render().encode())


def test_default_view_payload_is_five_times_smaller(layers):
    claims = load_seed_claims()
    ours = len(build_map(layers, claims, optional_layers=()).get_root().render().encode())
    naive = _naive_bytes(layers, ("boundaries", "contested", "lines", "implied", "zones", "settlements"))
    assert naive >= 5 * ours, (naive, ours)
    full = len(build_map(layers, claims, optional_layers=(), simplify=False).get_root().render().encode())
    assert full >= 2.5 * ours, (full, ours)


def test_optional_layers_are_sent_only_when_asked(layers):
    claims = load_seed_claims()
    bare = build_map(layers, claims, optional_layers=()).get_root().render()
    with_places = build_map(layers, claims, optional_layers=("settlements",)).get_root().render()
    # Settlement names reach the map as labels; the settlements layer (its markers) only on request.
    assert "Settlements (gazetteer)" not in bare and "Settlements (gazetteer)" in with_places
    with pytest.raises(ValueError, match="unknown optional layer"):
        build_map(layers, claims, optional_layers=("nope",))


def test_cached_results_are_private_copies():
    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    (first,) = simplify_consistent([squares], 0.01)
    first[0] = None
    (again,) = simplify_consistent([squares], 0.01)
    assert again[0] is not None and shapely.equals(again[0], squares[0])
    with pytest.raises(ValueError):
        simplify_consistent([squares], 0.01, detail=[[True]])
