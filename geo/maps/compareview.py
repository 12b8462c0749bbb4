"""Folium maps of the Compare page: two lines, their difference, the line in force, a Draw map.

Styles come from :mod:`geo.maps.style` (Okabe-Ito palette): line A is black and
dashed, line B reddish purple and solid, and the difference polygons take the
colour of the party that gained the ground. Every label is escaped with
:func:`geo.html.esc`. Maps load Leaflet from the app (offline); the Draw
control is added only when its files are served by the app
(:mod:`geo.maps.draw_assets`), so no page requests anything from outside.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from folium.plugins import Draw

from geo import schema as S
from geo.analysis.compare import D_GAINED_BY
from geo.html import esc
from geo.maps.basemap import base_map
from geo.maps.draw_assets import draw_css, draw_js
from geo.maps.popups import fmt_km2
from geo.maps.style import PARTIES, PARTY_COLOURS
from geo.vocab import LineKind

STYLE_A = {"color": "#000000", "weight": 3, "dashArray": "8 6"}
STYLE_B = {"color": "#CC79A7", "weight": 4}
STYLE_IN_FORCE = {"color": "#E69F00", "weight": 4}
STYLE_DRAWN = {"color": "#009E73", "weight": 3}
#: Each party as a sentence names it ("gained by separatists"), from the theatres' manifests.
PARTY_LABELS = {pid: p.in_sentence for pid, p in PARTIES.items()}


def _oblasts(m: folium.Map, oblasts: gpd.GeoDataFrame) -> None:
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"label": esc(n)},
                    "geometry": g.__geo_interface__,
                }
                for n, g in zip(oblasts[S.B_NAME], oblasts.geometry)
            ],
        },
        name="Oblasts",
        style_function=lambda f: {
            "color": "#555555",
            "weight": 1,
            "fillColor": "#f2f2f2",
            "fillOpacity": 0.1,
        },
    ).add_to(m)


def _line(m, geom, label: str, style: dict) -> None:
    if geom is None or geom.is_empty:
        return
    gj = folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": geom.__geo_interface__},
        style_function=lambda f, s=dict(style): s,
    )
    folium.Tooltip(esc(label)).add_to(gj)
    gj.add_to(m)


def _differences(m, diff: gpd.GeoDataFrame | None) -> None:
    if diff is None or diff.empty:
        return
    for _, row in diff.iterrows():
        colour = PARTY_COLOURS.get(row[D_GAINED_BY], "#999999")
        who = PARTY_LABELS.get(row[D_GAINED_BY], row[D_GAINED_BY])
        gj = folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": row.geometry.__geo_interface__},
            style_function=lambda f, c=colour: {
                "color": c,
                "weight": 1.5,
                "fillColor": c,
                "fillOpacity": 0.45,
            },
        )
        folium.Tooltip(esc(f"Gained by the {who} in {row[S.C_OBLAST]}: {fmt_km2(row[S.AREA_KM2])}")).add_to(gj)
        gj.add_to(m)


def compare_map(
    oblasts: gpd.GeoDataFrame,
    lines: list[tuple[object, str, dict]],
    diff: gpd.GeoDataFrame | None = None,
    *,
    center=None,
    zoom=None,
    offline: bool = True,
) -> folium.Map:
    """A map with oblasts, the difference polygons and ``lines`` = [(geometry, label, style)]."""
    m = base_map(center, zoom, offline=offline)
    _oblasts(m, oblasts)
    _differences(m, diff)
    for geom, label, style in lines:
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            gj = folium.GeoJson(
                {"type": "Feature", "properties": {}, "geometry": geom.__geo_interface__},
                style_function=lambda f, s=dict(style): {**s, "fillOpacity": 0.1},
            )
            folium.Tooltip(esc(label)).add_to(gj)
            gj.add_to(m)
        else:
            _line(m, geom, label, style)
    return m


def draw_map(
    oblasts: gpd.GeoDataFrame,
    reference,
    reference_label: str,
    *,
    with_draw: bool,
    center=None,
    zoom=None,
    offline: bool = True,
) -> folium.Map:
    """A map to draw on: oblasts, the reference line and (if ``with_draw``) a Draw control.

    The Draw control draws polylines and polygons; its files come from the app
    (:func:`geo.maps.draw_assets.draw_js`).
    """
    m = base_map(center, zoom, offline=offline)
    _oblasts(m, oblasts)
    _line(m, reference, reference_label, STYLE_A)
    if with_draw:
        d = Draw(
            export=False,
            show_geometry_on_click=False,
            draw_options={
                "polyline": {"shapeOptions": STYLE_DRAWN},
                "polygon": {"allowIntersection": False, "shapeOptions": STYLE_DRAWN},
                "rectangle": False,
                "circle": False,
                "marker": False,
                "circlemarker": False,
            },
        )
        d.default_js = draw_js()
        d.default_css = draw_css()
        d.add_to(m)
    return m


def line_geometry(lines: gpd.GeoDataFrame, line_id: str):
    """The geometry of the line ``line_id`` in ``lines`` (the first row with that id).

    Raises
    ------
    IndexError
        When no line has that id.
    """
    return lines[lines[S.LINE_ID] == line_id].geometry.iloc[0]


def reference_line_ids(lines: gpd.GeoDataFrame) -> list[str]:
    """Ids of the agreed and contact lines, in table order: what a drawing is compared with."""
    kinds = {LineKind.AGREED, LineKind.CONTACT}
    return [i for i, k in zip(lines[S.LINE_ID], lines[S.LINE_KIND]) if k in kinds]
