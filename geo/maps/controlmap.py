"""The folium maps of the Control maps page: a party's control area on a date, two states compared.

:func:`control_map` draws the control area on a date and the ground gained/lost
since another date; :func:`states_map` any two control states compared.

Only two snapshots reach the map (the state on the date, the change since
the "from" date) and, with two monitors, the other monitor's state on the
same date, so the page payload does not depend on how many dates are held.
Everything drawn is simplified for display with
:func:`geo.maps.simplify.simplify_consistent` (shared edges stay shared: a
gained patch fits its control area exactly) and rounded to
:data:`geo.maps.simplify.COORD_DECIMALS`; every figure shown is measured on
the full geometry elsewhere. Gained and lost ground differ in colour *and*
outline dash (readable without colour vision); the other monitor is an
outline only. Offline blank basemap by default.

Examples
--------
>>> import geopandas as gpd, shapely
>>> regions = gpd.GeoDataFrame({"name": ["W"]}, geometry=[shapely.box(36, 47, 40, 50)], crs="EPSG:4326")
>>> a, b = shapely.box(37, 48, 38, 49), shapely.box(37, 48, 38.2, 49)
>>> m = control_map(regions, b, gained=shapely.difference(b, a), labels={"state": "held", "gained": "gained"})
>>> [i.label for i in m.legend]
['held', 'gained']
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely

from geo.html import esc
from geo.maps.basemap import base_map, fit_zoom
from geo.maps.elements import MapLegend
from geo.maps.legend import Legend, area_item, legend_html
from geo.maps.popups import fmt_km2
from geo.maps.simplify import CONTEXT_ZOOM, DETAIL_ZOOM, rounded, simplify_consistent, tolerance_deg

#: Colour of the control area when the party has none of its own.
DEFAULT_PARTY_COLOUR = "#D55E00"
#: Ground gained since the "from" date: bluish green, dashed outline (Okabe-Ito).
GAINED_STYLE = {"color": "#00523b", "weight": 3, "dashArray": "6 4", "fillColor": "#009E73", "fillOpacity": 0.7}
#: Ground lost since the "from" date: sky blue, dotted outline.
LOST_STYLE = {"color": "#1f4e79", "weight": 3, "dashArray": "2 4", "fillColor": "#56B4E9", "fillOpacity": 0.7}
#: The other monitor's control area on the same date: a black dashed outline, no fill.
OTHER_STYLE = {"color": "#000000", "weight": 2.5, "dashArray": "10 6", "fillOpacity": 0.0}
#: Regions the areas are measured in.
REGION_STYLE = {"color": "#555555", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.15}
#: Names of the drawn parts, in drawing order.
PARTS = ("state", "gained", "lost", "other")
#: Two control states compared (:func:`states_map`): ground held under A only: orange fill, dashed outline.
ONLY_A_STYLE = {"color": "#7a4a00", "weight": 3, "dashArray": "8 4", "fillColor": "#E69F00", "fillOpacity": 0.65}
#: Ground held under B only: reddish purple fill, dotted outline.
ONLY_B_STYLE = {"color": "#6b2150", "weight": 3, "dashArray": "2 4", "fillColor": "#CC79A7", "fillOpacity": 0.65}
#: Ground held under both: grey fill, thin solid outline.
BOTH_STYLE = {"color": "#4d4d4d", "weight": 1.5, "fillColor": "#999999", "fillOpacity": 0.35}
#: Names of the parts of two states compared, in drawing order.
STATE_PARTS = ("both", "only_a", "only_b")


def state_style(colour: str | None) -> dict:
    """Style of the control area: the party's colour, a translucent fill and a solid outline.

    >>> state_style("#0072B2")["fillColor"]
    '#0072B2'
    """
    colour = colour or DEFAULT_PARTY_COLOUR
    return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.3}


def part_labels(view: dict, label: str, other_label: str | None = None) -> dict:
    """The tooltip and legend text of each part of a :func:`geo.control.view.control_view` (plain text).

    >>> v = {"date": "2024-07-10", "from": "2024-07-08", "state_km2": 1500.0, "gained_km2": 8.5, "lost_km2": 0.0}
    >>> part_labels(v, "DeepState · ru")["gained"]
    'Gained 2024-07-08 → 2024-07-10 (8.5 km²)'
    """
    span = f"{view['from']} → {view['date']}"
    out = {
        "state": f"{label}: held on {view['date']} ({fmt_km2(view['state_km2']) or '0 km²'})",
        "gained": f"Gained {span} ({fmt_km2(view['gained_km2']) or '0 km²'})",
        "lost": f"Lost {span} ({fmt_km2(view['lost_km2']) or '0 km²'})",
    }
    if other_label is not None and "other_date" in view:
        out["other"] = f"{other_label}: held on {view['other_date']} (outline)"
    return out


def _present(geom) -> bool:
    return geom is not None and not geom.is_empty


def display_geometries(
    regions: gpd.GeoDataFrame, parts: dict, *, detail_zoom=DETAIL_ZOOM, context_zoom=CONTEXT_ZOOM, names=PARTS
):
    """``(regions, parts)`` simplified for display, coordinates rounded.

    The parts (the control areas and the change between them, which share
    edges) are simplified together, to one pixel at ``detail_zoom``; the
    regions on their own (their borders are not the monitors' lines), to one
    pixel at ``context_zoom``, so a slider step reuses their simplified copy
    (:func:`geo.maps.simplify.simplify_consistent` caches it by content).
    ``parts`` maps names (``names``, by default :data:`PARTS`) to geometries (None or empty: left out).
    """
    names = [k for k in names if _present(parts.get(k))]
    region_geoms = np.asarray(regions.geometry.values, dtype=object)
    (simple_regions,) = simplify_consistent([region_geoms], tolerance_deg(context_zoom))
    shown = {}
    if names:
        (simple_parts,) = simplify_consistent(
            [np.asarray([parts[k] for k in names], dtype=object)], tolerance_deg(detail_zoom)
        )
        shown = {k: rounded(g) for k, g in zip(names, simple_parts, strict=True)}
    return [rounded(g) for g in simple_regions], shown


def _feature(geom) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geom)}


def _add(m: folium.Map, legend: Legend, geom, style: dict, label: str, name: str) -> None:
    layer = folium.GeoJson(
        _feature(geom), name=esc(label), style_function=lambda f, s=dict(style): s, highlight_function=None
    )
    folium.Tooltip(esc(label)).add_to(layer)
    layer.add_to(m)
    legend.add(layer, area_item(label, style, "outline" if style.get("fillOpacity", 0) == 0 else "area"))
    layer.control_part = name


def control_map(
    regions: gpd.GeoDataFrame,
    state,
    *,
    gained=None,
    lost=None,
    other=None,
    labels: dict | None = None,
    colour: str | None = None,
    center=None,
    zoom: int | None = None,
    offline: bool = True,
    simplify: bool = True,
) -> folium.Map:
    """A map of the control area ``state``, the ``gained``/``lost`` ground and ``other`` (another monitor).

    Parameters
    ----------
    regions : GeoDataFrame
        With ``name``: outlined, their names as tooltips.
    state, gained, lost, other : shapely geometry or None
        What is drawn (None or empty: not drawn).
    labels : dict, optional
        Text of each part (:data:`PARTS`) for its tooltip and legend entry.
    colour : str, optional
        The party's colour (default :data:`DEFAULT_PARTY_COLOUR`).
    center, zoom : optional
        Start view; by default the control area fitted to the map.
    offline, simplify : bool
        Leaflet from the app; geometry simplified for display (:func:`display_geometries`).

    Returns
    -------
    folium.Map
        With ``legend`` (the :class:`geo.maps.legend.LegendItem` of each part drawn) and
        a folded legend control on the map.
    """
    labels = labels or {}
    parts = {"state": state, "gained": gained, "lost": lost, "other": other}
    if simplify:
        region_geoms, shown = display_geometries(regions, parts)
    else:
        region_geoms = list(regions.geometry.values)
        shown = {k: g for k, g in parts.items() if _present(g)}
    focus = [g for g in (shown.get("state"), shown.get("other")) if g is not None]
    styles = {"state": state_style(colour), "gained": GAINED_STYLE, "lost": LOST_STYLE, "other": OTHER_STYLE}
    return _draw(regions, region_geoms, shown, PARTS, styles, labels, focus, center, zoom, offline)


def _draw(regions, region_geoms, shown, order, styles, labels, focus, center, zoom, offline) -> folium.Map:
    """The base map, the regions outlined, then each part of ``order`` in ``shown`` in its style, and the legend."""
    if center is None or zoom is None:
        if focus:
            x0, y0, x1, y1 = shapely.total_bounds(np.asarray(focus, dtype=object))
            center = center or ((y0 + y1) / 2, (x0 + x1) / 2)
            zoom = zoom or fit_zoom((x0, y0, x1, y1))
    m = base_map(center, zoom, offline=offline)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {**_feature(g), "properties": {"label": esc(n)}}
                for n, g in zip(regions["name"], region_geoms, strict=True)
                if _present(g)
            ],
        },
        name="Regions",
        style_function=lambda f: dict(REGION_STYLE),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(m)
    legend = Legend()
    for name in order:
        if name in shown:
            _add(m, legend, shown[name], styles[name], labels.get(name, name), name)
    m.legend = legend.items
    if legend.items:
        MapLegend(legend_html(legend.items)).add_to(m)
    return m


def states_labels(diff: dict) -> dict[str, str]:
    """Tooltip and legend text (plain) of two states compared: only under A, only under B, under both.

    ``diff`` is a :func:`geo.control.states.disagreement`.

    >>> d = {"a": {"label": "line m"}, "b": {"label": "S on 2025-01-01"}, "only_a_km2": 12.0,
    ...     "only_b_km2": 0.0, "both_km2": 1500.0}
    >>> states_labels(d)["only_a"], states_labels(d)["only_b"]
    ('Only in A, line m (12 km²)', 'Only in B, S on 2025-01-01 (0.0 km²)')
    """
    a, b = diff["a"]["label"], diff["b"]["label"]
    return {
        "only_a": f"Only in A, {a} ({fmt_km2(diff['only_a_km2']) or '0 km²'})",
        "only_b": f"Only in B, {b} ({fmt_km2(diff['only_b_km2']) or '0 km²'})",
        "both": f"In both ({fmt_km2(diff['both_km2']) or '0 km²'})",
    }


def states_map(
    regions: gpd.GeoDataFrame,
    *,
    only_a=None,
    only_b=None,
    both=None,
    labels: dict | None = None,
    center=None,
    zoom: int | None = None,
    offline: bool = True,
    simplify: bool = True,
) -> folium.Map:
    """A map of two control states compared: ground held under A only, under B only, under both.

    The three parts differ in colour *and* outline (:data:`ONLY_A_STYLE` dashed,
    :data:`ONLY_B_STYLE` dotted, :data:`BOTH_STYLE` solid), so they read without
    colour vision; they are simplified together (shared edges stay shared).

    Parameters
    ----------
    regions : GeoDataFrame
        With ``name``: outlined, their names as tooltips.
    only_a, only_b, both : shapely geometry or None
        The parts (None or empty: not drawn), e.g. from :func:`geo.control.states.disagreement`.
    labels : dict, optional
        Text of each part (:data:`STATE_PARTS`), e.g. :func:`states_labels`.
    center, zoom, offline, simplify
        As :func:`control_map`; by default the view fits the three parts.

    Returns
    -------
    folium.Map
        With ``legend`` (one item per part drawn) and a legend control on the map.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> regions = gpd.GeoDataFrame({"name": ["W"]}, geometry=[shapely.box(36, 47, 40, 50)], crs="EPSG:4326")
    >>> a, b = shapely.box(37, 48, 38, 49), shapely.box(37.5, 48, 38.5, 49)
    >>> m = states_map(regions, only_a=a - b, only_b=b - a, both=a & b,
    ...     labels={"only_a": "A only", "only_b": "B only", "both": "both"})
    >>> [(i.label, i.dash) for i in m.legend]
    [('both', ''), ('A only', '8 4'), ('B only', '2 4')]
    """
    labels = labels or {}
    parts = {"only_a": only_a, "only_b": only_b, "both": both}
    if simplify:
        region_geoms, shown = display_geometries(regions, parts, names=STATE_PARTS)
    else:
        region_geoms = list(regions.geometry.values)
        shown = {k: g for k, g in parts.items() if _present(g)}
    styles = {"only_a": ONLY_A_STYLE, "only_b": ONLY_B_STYLE, "both": BOTH_STYLE}
    focus = [shown[k] for k in STATE_PARTS if k in shown]
    return _draw(regions, region_geoms, shown, STATE_PARTS, styles, labels, focus, center, zoom, offline)
