"""The one base map of every folium map: offline Leaflet, blank or tiled basemap, scale, view fitting."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

import folium

from geo.maps.assets import offline_css, offline_js

# A 1x1 transparent PNG: a tile layer that never touches the network.
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
BASEMAPS = {
    "blank": ("Blank (offline)", BLANK_TILE, "Blank basemap"),
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "positron": (
        "CARTO Positron",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}
DEFAULT_CENTER = (47.95, 38.7)  # the front from the Russian border to the Sea of Azov
DEFAULT_ZOOM = 8


def base_map(
    center: Sequence[float] | None = None,
    zoom: int | None = None,
    *,
    offline: bool = True,
    basemaps: Sequence[str] = ("blank",),
    shown: str = "blank",
) -> folium.Map:
    """An empty folium map with a scale bar, on one of the known basemaps.

    Parameters
    ----------
    center : sequence of float, optional
        ``(lat, lon)`` of the start view; :data:`DEFAULT_CENTER` when missing.
    zoom : int, optional
        Start zoom; :data:`DEFAULT_ZOOM` when missing.
    offline : bool
        Load Leaflet from the app (:mod:`geo.maps.assets`), not a CDN.
    basemaps : sequence of str
        Keys of :data:`BASEMAPS` to offer as tile layers (none: a map without tiles).
    shown : str
        The basemap shown first; it is added first, the others follow in
        :data:`BASEMAPS` order.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> m = base_map()
    >>> [c.tile_name for c in m._children.values()]
    ['Blank (offline)']
    >>> len(base_map(basemaps=())._children)
    0
    """
    m = folium.Map(
        location=list(center or DEFAULT_CENTER),
        zoom_start=int(zoom or DEFAULT_ZOOM),
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    if offline:
        m.default_js = offline_js()
        m.default_css = offline_css()
    keys = [k for k in BASEMAPS if k in basemaps]
    if shown in keys:
        keys = [shown] + [k for k in keys if k != shown]
    for key in keys:
        name, url, attr = BASEMAPS[key]
        folium.TileLayer(
            tiles=url,
            name=name,
            attr=attr,
            overlay=False,
            control=True,
            show=key == shown,
        ).add_to(m)
    return m


def basemap_switch_js(script: str, basemap: str, map_var: str = "map_div") -> str:
    """JavaScript that shows ``basemap`` and hides the other basemaps of a map's ``script``.

    The tile layers are found in the script (``var <name> = L.tileLayer("<url>"``)
    and matched to :data:`BASEMAPS` by URL. Running it again is harmless, so a
    page can send the base map once and switch basemaps without redrawing it.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap '{basemap}'; choose one of {sorted(BASEMAPS)}")
    by_url = {url: key for key, (_, url, _) in BASEMAPS.items()}
    found = {}
    for name, url in re.findall(r'var (tile_layer_\w+) = L\.tileLayer\(\s*"([^"]+)"', script):
        if url in by_url:
            found[by_url[url]] = name
    if basemap not in found:
        raise ValueError(f"basemap '{basemap}' is not in the map's script")
    tiles = ", ".join(f'"{key}": {name}' for key, name in found.items())
    return (
        f"\n(function () {{ var tiles = {{{tiles}}}, want = {json.dumps(basemap)};"
        f" for (var k in tiles) {{ if (k === want) {{ if (!{map_var}.hasLayer(tiles[k])) {map_var}.addLayer(tiles[k]); }}"
        f" else if ({map_var}.hasLayer(tiles[k])) {map_var}.removeLayer(tiles[k]); }} }})();\n"
    )


def fit_zoom(bounds, width_px: int = 900, height_px: int = 640, max_zoom: int = 12, padding: float = 0.15) -> int:
    """The largest web-map zoom at which ``bounds`` (x0, y0, x1, y1 in degrees) fit the pixels given.

    Display only: this is the zoom of Leaflet's spherical-Mercator view, never an area.

    >>> fit_zoom((37.0, 47.0, 40.0, 49.0))
    7
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))

    dx = max((x1 - x0) / 360.0, 1e-9)
    dy = max((merc(y1) - merc(y0)) / (2 * math.pi), 1e-9)
    z = math.log2(min(width_px * (1 - padding) / 256 / dx, height_px * (1 - padding) / 256 / dy))
    return int(max(0, min(max_zoom, math.floor(z))))
