"""Every shipped theatre's map draws its points itself: no icon or image is fetched from outside.

A GeoJSON point that Leaflet draws with its default icon needs an image file at run time (the
Korea map showed a broken image near Panmunjom); points are drawn as circle markers
(:func:`geo.maps.elements.point_marker`) instead. The only outside addresses a map may hold are
the optional online basemaps' tile templates (``{z}/{x}/{y}``, shown only when chosen) and the
links to sources in popups, which are not images.
"""

from __future__ import annotations

import re

import folium
import pytest
import shapely

from geo.analysis.layers import MAP_OPTIONAL_LAYERS, build_layers
from geo.analysis.security_zones import theatre_zones
from geo.maps import build_map
from geo.maps.elements import point_marker
from geo.maps.theatreview import theatre_map
from geo.theatres import list_theatres, theatre_regions
from geo.theatres.tables import in_registry, theatre_claims, theatre_lines

SHIPPED = sorted((t for t in list_theatres() if t.shipped), key=lambda t: t.id)
URL_RE = re.compile(r"https?://[^\s\"'`<>)\\]+", re.IGNORECASE)
IMAGE_RE = re.compile(r"\.(png|svg|jpe?g|gif|webp|ico|bmp)(\?|#|$)", re.IGNORECASE)
ICON_CONTEXT_RE = re.compile(r"(iconUrl|shadowUrl|iconRetinaUrl|imagePath|<img[^>]*src=|url\()\s*[\"':]*\s*$", re.I)
GEOJSON_RE = re.compile(r"var (geo_json_[0-9a-f]+) = L\.geoJson\(null, \{(.*?)\n\s*\}\);", re.DOTALL)
POINT_RE = re.compile(r'"type": "(Multi)?Point"')


def _regions(theatre):
    try:
        return theatre_regions(theatre)
    except Exception:  # a theatre without known regions is drawn without them (as on the page)
        return None


def _html(theatre) -> str:
    if in_registry(theatre):
        m = build_map(build_layers(), theatre_claims(theatre), optional_layers=MAP_OPTIONAL_LAYERS)
    else:
        lines, regions = theatre_lines(theatre), _regions(theatre)
        zones = theatre_zones(theatre, lines, regions) if regions is not None and theatre.agreements else None
        m = theatre_map(theatre, lines, theatre_claims(theatre), regions=regions, zones=zones)
    return m.get_root().render()


def outside_image_urls(html: str) -> list[str]:
    """Outside http(s) addresses of images or icons in ``html`` (tile templates left out)."""
    out = []
    for match in URL_RE.finditer(html):
        url = match.group(0)
        if "{z}" in url:
            continue
        before = html[max(0, match.start() - 40) : match.start()]
        if IMAGE_RE.search(url) or ICON_CONTEXT_RE.search(before):
            out.append(url)
    return out


def image_markers(html: str) -> list[str]:
    """Markers of ``html`` that show an image: ``L.icon``, or ``L.marker`` without an HTML ``L.divIcon``."""
    bad = [m.group(0) for m in re.finditer(r"L\.icon\(|new L\.Icon\b", html)]
    for m in re.finditer(r"L\.marker\(", html):
        options = html[m.end() : m.end() + 300]
        if "icon: L.divIcon(" not in options:
            bad.append(html[m.start() : m.start() + 80])
    return bad


def points_with_default_icon(html: str) -> list[str]:
    """The GeoJSON layers of ``html`` holding points but no ``pointToLayer`` (Leaflet's icon image)."""
    bad = []
    for name, options in GEOJSON_RE.findall(html):
        add = re.search(rf"{name}_add\((.*?)\);\n", html, re.DOTALL)
        if add and POINT_RE.search(add.group(1)) and "pointToLayer" not in options:
            bad.append(name)
    return bad


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda t: t.id)
def theatre_html(request):
    return request.param, _html(request.param)


def test_no_outside_image_or_icon(theatre_html):
    theatre, html = theatre_html
    assert not outside_image_urls(html), (theatre.id, outside_image_urls(html))
    assert not image_markers(html), theatre.id


def test_points_are_drawn_as_circles(theatre_html):
    theatre, html = theatre_html
    assert not points_with_default_icon(html), theatre.id


def test_korea_draws_its_point_claim():
    (korea,) = [t for t in SHIPPED if t.id == "korea-1953"]
    claims = theatre_claims(korea)
    assert any(str(w).startswith("POINT") for w in claims["geometry_wkt"].fillna("")), "the NLL claim is a point"
    html = _html(korea)
    assert "pointToLayer" in html and "new L.CircleMarker(latlng" in html


def test_the_checks_see_a_default_icon_and_an_outside_image():
    m = folium.Map(tiles=None)
    folium.GeoJson(shapely.Point(126.7, 37.9).__geo_interface__).add_to(m)
    folium.Marker([37.9, 126.7], icon=folium.CustomIcon("https://example.org/pin.png")).add_to(m)
    html = m.get_root().render()
    assert len(points_with_default_icon(html)) == 1
    assert "https://example.org/pin.png" in outside_image_urls(html)
    assert image_markers(html)
    fixed = folium.Map(tiles=None)
    folium.GeoJson(shapely.Point(126.7, 37.9).__geo_interface__, marker=point_marker("#123456")).add_to(fixed)
    assert points_with_default_icon(fixed.get_root().render()) == []
