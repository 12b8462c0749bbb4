"""Building the folium map of the Map page: the layers assembled on the base map.

Styles are in :mod:`geo.maps.style`, popups in :mod:`geo.maps.popups`, the legend in
:mod:`geo.maps.legend`, the base map in :mod:`geo.maps.basemap`. The map loads Leaflet
from the app itself (:mod:`geo.maps.assets`) and starts on a blank basemap that needs
no network.
"""

from __future__ import annotations

from collections.abc import Collection

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.implied import BAND_KEY
from geo.html import esc, link
from geo.labels import label
from geo.maps.basemap import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, base_map, fit_zoom
from geo.maps.elements import KeyboardPopups, MapLegend, OfflineLabels, StackBySize, label_points, point_marker
from geo.maps.legend import Legend, area_item, legend_html, line_item
from geo.maps.popups import (
    as_number,
    band_group_popup_html,
    contested_popup_html,
    fmt_km2,
    held_by_phrase,
    line_popup_html,
    zone_popup_html,
)
from geo.maps.simplify import DETAIL_ZOOM, display_layers, rounded, tolerance_deg
from geo.maps.style import (
    HIGHLIGHT_STYLE,
    IMPLIED_TITLE,
    OBLAST_STYLE,
    PARTY_COLOURS,
    SETTLEMENT_COLOUR,
    USER_LINE_STYLE,
    ZONE_COLOURS,
    contested_style,
    line_styles,
)
from geo.vocab import Layer, LineKind

#: Layers off in the default view: the page sends them only when asked for.
OPTIONAL_LAYERS = (Layer.IMPLIED.value, Layer.ZONES.value, Layer.SETTLEMENTS.value)


def add_user_lines(m: folium.Map, user_lines: gpd.GeoDataFrame | None, legend: Legend | None = None) -> None:
    """Lines the analyst imported or drew, in one toggleable group (dotted green)."""
    if user_lines is None or user_lines.empty:
        return
    legend = legend or Legend()
    item = line_item("Imported or drawn line", USER_LINE_STYLE)
    fg = folium.FeatureGroup(name="Imported and drawn lines", show=True)
    for _, ln in user_lines.iterrows():
        gj = folium.GeoJson(_feature_geojson(ln.geometry), style_function=lambda f: dict(USER_LINE_STYLE))
        text = f"{ln[S.LINE_NAME]} ({label('line_kind', ln[S.LINE_KIND])}, {ln[S.LINE_DATE] or 'undated'})"
        folium.Tooltip(esc(text)).add_to(gj)
        src = ln.get(S.LINE_SOURCES) or ""
        folium.Popup(
            f"<div style='max-width:360px'><h4 style='margin:0 0 4px'>{esc(ln[S.LINE_NAME])}</h4>"
            f"<div>{esc(label('line_kind', ln[S.LINE_KIND]))}, {esc(ln[S.LINE_DATE] or 'undated')}, "
            f"{esc(f'{ln.length_km:,.1f}')} km</div>"
            f"<div>Source: {link(src, src) if src else 'none given'}</div></div>",
            max_width=380,
        ).add_to(gj)
        legend.add(gj, item).add_to(fg)
    fg.add_to(m)


def disputed_suffix(disputed, note) -> str:
    """What a region's label adds when it is disputed: the boundaries' note up to its first ';'.

    >>> disputed_suffix(True, "Annexed in 2014 (not recognised); filed elsewhere."), disputed_suffix(False, "x")
    (' (disputed: Annexed in 2014 (not recognised))', '')
    >>> disputed_suffix(True, None)
    ' (disputed)'
    """
    if not bool(disputed):
        return ""
    text = "" if note is None or (isinstance(note, float) and np.isnan(note)) else str(note).split(";")[0].strip()
    return f" (disputed: {text})" if text else " (disputed)"


def _feature_geojson(geom, props: dict | None = None) -> dict:
    # Coordinates rounded to ~1 m: shared vertices stay identical, the payload shrinks.
    return {
        "type": "Feature",
        "properties": props or {},
        "geometry": rounded(geom).__geo_interface__,
    }


def _stack(kind: str, order: float) -> dict:
    """Feature properties read by :class:`StackBySize` (areas: km², largest drawn first)."""
    return {"cl_stack": kind, "cl_order": round(float(order), 3)}


def contested_draw_order(contested: pd.DataFrame) -> list:
    """Index labels of ``contested`` largest area first: smaller areas are drawn on top."""
    return list(contested.sort_values(S.AREA_KM2, ascending=False, kind="stable").index)


def build_map(
    layers: dict[str, gpd.GeoDataFrame],
    claims: pd.DataFrame,
    *,
    sources: pd.DataFrame | None = None,
    basemap: str = "blank",
    to_lines: list[str] | None = None,
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
    offline: bool = True,
    fit_front: bool = False,
    simplify: bool = True,
    optional_layers: Collection[str] | None = None,
    labels_on_map: bool = True,
    legend_on_map: bool = False,
) -> folium.Map:
    """The main map: oblasts, reference lines and contested areas with their claims.

    Parameters
    ----------
    layers : dict
        From :func:`geo.analysis.layers.build_layers` (``boundaries``, ``lines``, ``contested``).
    claims : DataFrame
        Claims with source columns, for the popups.
    basemap : {"blank", "osm", "positron"}
        The basemap shown first; the others stay available in the layer control.
    to_lines : list of str, optional
        Which later lines' contested areas to show (default: all).
    simplify : bool
        Draw polygons simplified per zoom level with shared edges kept
        (:func:`geo.maps.simplify.display_layers`); areas in labels and popups stay
        the full-resolution geodesic ones.
    optional_layers : collection of str, optional
        Which of :data:`OPTIONAL_LAYERS` to send, shown at once. Default
        (None): all of them, hidden until ticked in the layer control.
    labels_on_map : bool
        Oblast names (always) and settlement names (by zoom, most populous
        first) drawn by the map itself, so they show on the blank basemap.
    legend_on_map : bool
        Also put the legend (:func:`drawn_legend`) on the map as a folded
        control; off by default (the page shows it in the sidebar; 3.7 kB).

    Contested areas, implied bands and zones are stacked largest first
    (:class:`StackBySize`), so every smaller area stays clickable. The map's
    ``legend`` attribute lists one :class:`LegendItem` per style drawn.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap '{basemap}'; choose one of {sorted(BASEMAPS)}")
    settlements_full = layers.get(Layer.SETTLEMENTS)
    if optional_layers is not None:
        unknown = set(optional_layers) - set(OPTIONAL_LAYERS)
        if unknown:
            raise ValueError(f"unknown optional layer(s) {sorted(unknown)}; choose from {list(OPTIONAL_LAYERS)}")
    if simplify:
        # The coverage (oblasts, areas, zones) is the same for every view, so the base map
        # stays the same; implied bands are simplified only when they are sent.
        drawn = optional_layers is None or Layer.IMPLIED in optional_layers
        layers = _display(layers if drawn else {k: v for k, v in layers.items() if k != Layer.IMPLIED})
    if optional_layers is not None:
        layers = {k: v for k, v in layers.items() if k not in OPTIONAL_LAYERS or k in optional_layers}
    legend = Legend()
    m = base_map(center, zoom, offline=offline, basemaps=tuple(BASEMAPS), shown=basemap)

    oblasts = layers[Layer.BOUNDARIES]
    fg = folium.FeatureGroup(name="Oblasts", show=True)
    feats = [
        _feature_geojson(
            g,
            {"label": esc(f"{n}: {fmt_km2(a)}" + disputed_suffix(d, note))},
        )
        for g, n, a, d, note in zip(
            oblasts.geometry,
            oblasts[S.B_NAME],
            oblasts[S.AREA_KM2],
            oblasts[S.B_DISPUTED],
            oblasts[S.B_NOTE] if S.B_NOTE in oblasts.columns else [""] * len(oblasts),
        )
    ]
    gj = folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name="Oblasts",
        style_function=lambda f: dict(OBLAST_STYLE),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    )
    legend.add(gj, area_item("Oblast boundary", OBLAST_STYLE)).add_to(fg)
    fg.add_to(m)

    lines = layers[Layer.LINES]
    styles = line_styles(lines)
    line_names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    contested = layers[Layer.CONTESTED]
    if to_lines is not None:
        contested = contested[contested[S.C_TO_LINE].isin(to_lines)]
    groups = {}
    # Groups in the order of their largest area (StackBySize keeps the global order in the browser).
    for to_line in dict.fromkeys(contested.loc[contested_draw_order(contested), S.C_TO_LINE]):
        groups[to_line] = folium.FeatureGroup(name=esc(f"Contested at {line_names.get(to_line, to_line)}"), show=True)
    # Largest first, so a smaller area (often the older one inside a newer) lies on top.
    for idx in contested_draw_order(contested):
        area = contested.loc[idx]
        style = contested_style(area[S.C_HELD_BY], styles.get(area[S.C_TO_LINE]))
        gj = folium.GeoJson(
            _feature_geojson(area.geometry, _stack("area", area[S.AREA_KM2])),
            style_function=lambda f, s=style: dict(s),
            highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.65},
        )
        folium.Tooltip(esc(f"{area[S.LINE_NAME]}: {fmt_km2(area[S.AREA_KM2])}")).add_to(gj)
        # maxHeight: a popup listing many claims scrolls instead of overflowing the map.
        folium.Popup(contested_popup_html(area, claims), max_width=440, maxHeight=420).add_to(gj)
        to_date = lines.loc[lines[S.LINE_ID] == area[S.C_TO_LINE], S.LINE_DATE]
        text = f"Held by {held_by_phrase(area[S.C_HELD_BY])} beyond the agreed line, " + (
            f"by {to_date.iloc[0]}" if len(to_date) else f"at {area[S.C_TO_LINE]}"
        )
        legend.add(gj, area_item(text, style)).add_to(groups[area[S.C_TO_LINE]])
    for fg in groups.values():
        fg.add_to(m)

    # Agreed lines first (the wide band underneath), then the later lines in date order.
    order = sorted(
        range(len(lines)),
        key=lambda i: (str(lines.iloc[i][S.LINE_KIND]) != LineKind.AGREED, str(lines.iloc[i][S.LINE_DATE])),
    )
    for rank, i in enumerate(order):
        ln = lines.iloc[i]
        fg = folium.FeatureGroup(name=f"Line: {esc(ln[S.LINE_NAME])}", show=True)
        style = styles[ln[S.LINE_ID]]
        gj = folium.GeoJson(
            _feature_geojson(ln.geometry, _stack("line", rank)), style_function=lambda f, s=style: dict(s)
        )
        folium.Tooltip(esc(f"{ln[S.LINE_NAME]} ({ln[S.LINE_DATE]})")).add_to(gj)
        folium.Popup(line_popup_html(ln, sources), max_width=400).add_to(gj)
        legend.add(gj, line_item(str(ln[S.LINE_NAME]), style)).add_to(fg)
        fg.add_to(m)

    add_user_lines(m, layers.get("user_lines"), legend)
    add_figure_layers(m, layers, show=optional_layers is not None, legend=legend)
    if labels_on_map:
        OfflineLabels(label_points(layers[Layer.BOUNDARIES], settlements_full)).add_to(m)
    StackBySize().add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    KeyboardPopups().add_to(m)
    m.legend = list(legend.items)
    if legend_on_map:
        MapLegend(legend_html(m.legend)).add_to(m)
    if fit_front:
        front = oblasts[oblasts[S.B_ISO].isin(S.FRONT_OBLASTS)]
        if len(front):
            x0, y0, x1, y1 = front.total_bounds
            m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def simplified_bands(implied: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Copy of the ``implied`` layer with each distinct band geometry simplified once (rows sharing a band share it).

    Bands are simplified one by one (topology of each kept), not in the
    coverage of :func:`geo.maps.simplify.display_layers`: hundreds of nested
    bands would multiply its faces, and a dashed band over the map needs no
    shared edges. Areas stay the full-resolution geodesic ones.
    """
    geoms = implied.geometry.values
    codes, uniq = pd.factorize(pd.Series([id(g) for g in geoms]))
    firsts = pd.Series(range(len(geoms))).groupby(codes).first().to_numpy()
    distinct = np.asarray([geoms[i] for i in firsts], dtype=object)
    simple = shapely.simplify(distinct, tolerance, preserve_topology=True)
    out = implied.copy()
    out[out.geometry.name] = gpd.GeoSeries(list(simple[codes]), index=out.index, crs=out.crs)
    return out


def _display(layers: dict) -> dict:
    """The layers as drawn: :func:`display_layers` for oblasts, areas and zones, :func:`simplified_bands` for bands."""
    implied = layers.get(Layer.IMPLIED)
    rest = display_layers({k: v for k, v in layers.items() if k != Layer.IMPLIED})
    if implied is not None and len(implied):
        rest[Layer.IMPLIED.value] = simplified_bands(implied, tolerance_deg(DETAIL_ZOOM))
    return rest


BASE_GROUPS = ("Oblasts",)


def split_map(m: folium.Map) -> tuple[folium.Map, list[folium.FeatureGroup]]:
    """``m`` without its view layers and layer control, and the view layers (in drawing order).

    What stays (basemaps, oblasts, labels, scripts) is the same for every
    view of one basemap; the feature groups (contested areas, lines, extra
    layers) are what a view changes. A page can keep the first in the browser
    and swap only the second (streamlit-folium's ``feature_group_to_add``).
    Call on a map that was not rendered yet; ``m`` is changed in place.
    """
    groups = []
    for name, child in list(m._children.items()):
        if isinstance(child, folium.FeatureGroup) and child.layer_name not in BASE_GROUPS:
            groups.append(child)
            del m._children[name]
        elif isinstance(child, folium.LayerControl):
            del m._children[name]
    return m, groups


def band_groups(implied: pd.DataFrame) -> list[pd.DataFrame]:
    """The drawn bands of the ``implied`` layer: one frame of rows per distinct band, largest band first.

    Rows sharing (reference line, side, figure, bound) share one band geometry
    (:data:`geo.analysis.implied.BAND_KEY`); the map draws it once with all its
    claims. Rows without a geometry (could not be drawn) are left out.
    """
    drawn = implied[[g is not None and not g.is_empty for g in implied.geometry]]
    if drawn.empty:
        return []
    keys = [*BAND_KEY, S.I_BOUND]
    order = drawn.groupby(keys, sort=False)[S.AREA_KM2].transform("max").sort_values(ascending=False, kind="stable")
    drawn = drawn.loc[order.index]
    return [rows for _, rows in drawn.groupby(keys, sort=False)]


def add_figure_layers(
    m: folium.Map, layers: dict[str, gpd.GeoDataFrame], show: bool = False, legend: Legend | None = None
) -> folium.Map:
    """Draw the ``implied``, ``zones`` and ``settlements`` layers, when present.

    Implied bands (dashed outline, faint fill, popup labelled "implied by the
    figure, not a reported line"), zones (outlined bands, one toggle per zone
    width) and settlements (small circle markers) start hidden in the layer
    control unless ``show`` is true (the page asked for them explicitly).
    Each drawn style is recorded in ``legend``.
    """
    legend = legend or Legend()
    implied = layers.get(Layer.IMPLIED)
    if implied is not None and len(implied):
        fg = folium.FeatureGroup(name=f"Implied areas ({IMPLIED_TITLE.lower()})", show=show)
        for rows in band_groups(implied):
            band = rows.iloc[0]
            colour = PARTY_COLOURS.get(band.get(S.CLAIM_SIDE), "#999999")
            upper = band.get(S.I_BOUND) == S.BOUND_UPPER
            style = {
                "color": colour,
                "weight": 2,
                "opacity": 1.0,
                "dashArray": "2 6" if upper else "8 5",
                "fillColor": colour,
                "fillOpacity": 0.12,
            }
            gj = folium.GeoJson(
                _feature_geojson(band.geometry, _stack("area", band.get(S.AREA_KM2) or 0.0)),
                style_function=lambda f, s=style: dict(s),
                highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.3},
            )
            who = (
                f"{band.get(S.CLAIM_ACTOR)}, {band.get(S.CLAIM_EVENT_DATE)}"
                if len(rows) == 1
                else f"{len(rows):,} claims"
            )
            folium.Tooltip(
                esc(
                    f"{who}: {fmt_km2(band.get(S.I_CLAIMED_KM2))} as a band "
                    f"{as_number(band.get(S.I_WIDTH_KM)) or 0:.2f} km deep ({IMPLIED_TITLE.lower()})"
                )
            ).add_to(gj)
            folium.Popup(band_group_popup_html(rows), max_width=440, maxHeight=420).add_to(gj)
            text = (
                f"{IMPLIED_TITLE}: ground {label('side', band.get(S.CLAIM_SIDE)) or 'of either side'} "
                f"would hold, {label('bound', band.get(S.I_BOUND))}"
            )
            legend.add(gj, area_item(text, style)).add_to(fg)
        fg.add_to(m)
    zones = layers.get(Layer.ZONES)
    if zones is not None and len(zones):
        for width, group in zones.groupby(S.Z_ZONE_WIDTH_KM, sort=True):
            first = group.iloc[0]
            fg = folium.FeatureGroup(
                name=esc(f"Security zone {width:g} km: {first[S.Z_AGREEMENT]}, {first[S.Z_WEAPON_CLASS]}"),
                show=show,
            )
            colour = ZONE_COLOURS.get(float(width), "#999999")
            style = {"color": colour, "weight": 2, "opacity": 1.0, "fillColor": colour, "fillOpacity": 0.05}
            for _, zone in group.iterrows():
                gj = folium.GeoJson(
                    _feature_geojson(zone.geometry, _stack("area", zone.get(S.AREA_KM2) or 0.0)),
                    style_function=lambda f, s=style: dict(s),
                )
                folium.Tooltip(esc(zone[S.LINE_NAME])).add_to(gj)
                folium.Popup(zone_popup_html(zone), max_width=440).add_to(gj)
                item = area_item(f"Security zone {width:g} km ({first[S.Z_WEAPON_CLASS]})", style, "outline")
                legend.add(gj, item).add_to(fg)
            fg.add_to(m)
    places = layers.get(Layer.SETTLEMENTS)
    if places is not None and len(places):
        fg = folium.FeatureGroup(name="Settlements (gazetteer)", show=show)
        feats = [
            _feature_geojson(
                g,
                {"label": esc(f"{n} ({p:,.0f})" if p == p and p > 0 else str(n))},
            )
            for g, n, p in zip(places.geometry, places[S.S_NAME], places[S.S_POPULATION].astype(float))
        ]
        style = {"color": SETTLEMENT_COLOUR, "weight": 1, "opacity": 1.0, "fillOpacity": 0.8}
        gj = folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            marker=point_marker(SETTLEMENT_COLOUR, radius=3, weight=1),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        )
        legend.add(gj, area_item("Settlement (gazetteer)", style, "point")).add_to(fg)
        fg.add_to(m)
    return m


# --- the claims list beside the map (issue 14, item 4) ------------------------
def claims_in_view(contested: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The claims joined to any of the ``contested`` areas shown, by event date then id."""
    ids = {i for v in contested[S.C_CLAIM_IDS].fillna("") for i in str(v).split(";") if i}
    out = claims[claims[S.CLAIM_ID].isin(ids)]
    return (
        out.assign(_d=out[S.CLAIM_EVENT_DATE].fillna("").astype(str))
        .sort_values(["_d", S.CLAIM_ID], kind="stable")
        .drop(columns="_d")
    )


def default_claim(view_claims: pd.DataFrame) -> str | None:
    """The claim selected on first load: the earliest seed claim with an area figure, else the first."""
    if view_claims.empty:
        return None
    tags = view_claims.get(S.CLAIM_TAGS, pd.Series("", index=view_claims.index)).fillna("").astype(str)
    seed = tags.map(lambda t: "seed" in [x.strip() for x in t.split(";")])
    with_area = pd.to_numeric(view_claims.get(S.CLAIM_VALUE_KM2), errors="coerce").notna()
    for mask in (seed & with_area, seed, with_area):
        if mask.any():
            return str(view_claims.loc[mask, S.CLAIM_ID].iloc[0])
    return str(view_claims[S.CLAIM_ID].iloc[0])


def claim_areas(contested: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """The shown contested areas a claim is joined to."""
    ids = contested[S.C_CLAIM_IDS].fillna("").astype(str).map(lambda v: claim_id in v.split(";"))
    return contested[ids]


def claim_focus(areas: pd.DataFrame) -> tuple[tuple[float, float], int] | None:
    """((lat, lon), zoom) that shows ``areas`` whole, or None when there are none."""
    if areas is None or areas.empty:
        return None
    x0, y0, x1, y1 = gpd.GeoSeries(list(areas.geometry), crs=S.CRS).total_bounds
    return ((round((y0 + y1) / 2, 5), round((x0 + x1) / 2, 5)), fit_zoom((x0, y0, x1, y1)))


def highlight_group(areas: pd.DataFrame) -> folium.FeatureGroup:
    """Black outlines of ``areas`` (the selected claim's), drawn above and not clickable."""
    fg = folium.FeatureGroup(name="Selected claim", show=True)
    for geom in areas.geometry:
        rings = []
        for poly in getattr(geom, "geoms", [geom]):
            for ring in [poly.exterior, *poly.interiors]:
                rings.append([[round(y, 5), round(x, 5)] for x, y in rounded(ring).coords])
        if rings:
            folium.PolyLine(
                rings,
                color=HIGHLIGHT_STYLE["color"],
                weight=HIGHLIGHT_STYLE["weight"],
                opacity=HIGHLIGHT_STYLE["opacity"],
                interactive=False,
            ).add_to(fg)
    return fg


#: How the Claims page outlines the selected claim's own geometry.
CLAIM_OUTLINE_STYLE = {"color": "#000000", "weight": 4, "fillOpacity": 0.1, "dashArray": "4 4"}


def claim_map(layers: dict, claims: pd.DataFrame, claim_id: str, basemap: str = "blank") -> folium.Map | None:
    """The map of one claim (the Claims page): every layer, the claim's geometry outlined and fitted.

    Parameters
    ----------
    layers : dict
        From :func:`geo.analysis.layers.build_layers` (needs ``claims``).
    claims : pandas.DataFrame
        The claims table, as for :func:`build_map`.
    claim_id : str
        The claim shown.
    basemap : str
        Key of :data:`geo.maps.basemap.BASEMAPS`.

    Returns
    -------
    folium.Map or None
        None when the claim has no geometry of its own.
    """
    feat = layers[Layer.CLAIMS][layers[Layer.CLAIMS][S.CLAIM_ID] == claim_id]
    if not len(feat) or feat.geometry.iloc[0] is None or feat.geometry.iloc[0].is_empty:
        return None
    x0, y0, x1, y1 = feat.total_bounds
    m = build_map(layers, claims, basemap=basemap, fit_front=False)
    # control=False: the map's layer control is already built from build_map's layers, and
    # streamlit-folium writes its script before this layer's; a control entry for this
    # layer then pointed at an undefined variable, the map script stopped
    # ("reading 'setZIndex'") and the component never set its height (0 px).
    folium.GeoJson(
        feat.geometry.iloc[0].__geo_interface__,
        name="Selected claim",
        control=False,
        style_function=lambda f: dict(CLAIM_OUTLINE_STYLE),
    ).add_to(m)
    m.fit_bounds([[y0, x0], [y1, x1]])
    return m
