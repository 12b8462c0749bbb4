"""Building the folium map: layers, styles, tooltips and popups listing sources.

All text from data reaches the page through :func:`geo.html.esc`; links only
ever use http(s) URLs. The map loads Leaflet and jQuery from the app itself
(:mod:`geo.maps.assets`) and starts on a blank basemap that needs no network.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from geo import schema as S
from geo.html import esc, esc_html_in_markdown, link
from geo.labels import label, labels
from geo.maps.assets import offline_css, offline_js
from geo.maps.simplify import display_layers, rounded

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PARTY_COLOURS = {S.PARTY_SEPARATISTS: "#D55E00", S.PARTY_UKRAINE: "#0072B2"}
#: Agreed lines: a wide translucent black band drawn under every other line, so a later line
#: that follows it for most of its course stays visible on top of it.
AGREED_LINE_STYLE = {"color": "#000000", "weight": 7, "opacity": 0.35}
#: Later lines, in date order: Okabe-Ito colours not used for the parties, each with its own
#: dash pattern, so two lines differ in colour *and* dash (readable without colour vision).
LINE_PALETTE = ("#E69F00", "#CC79A7", "#56B4E9", "#009E73", "#F0E442", "#999999")
LINE_DASHES = ("", "10 7", "2 6", "14 5 3 5", "6 3")
OBLAST_STYLE = {"color": "#555555", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.15}
QUALIFIER_SIGNS = {
    "more_than": ">",
    "at_least": "≥",
    "about": "≈",
    "up_to": "≤",
    "less_than": "<",
    "exactly": "=",
}
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
#: Layers off in the default view: the page sends them only when asked for.
OPTIONAL_LAYERS = ("implied", "zones", "settlements")


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: the label and the exact style of what is drawn for it."""

    label: str
    colour: str
    kind: str  # "area" | "outline" | "line" | "dashed" | "point"
    dash: str = ""
    weight: float = 2.0
    opacity: float = 1.0
    fill_opacity: float = 0.0


def line_styles(lines: pd.DataFrame) -> dict[str, dict]:
    """Leaflet style of every reference line, chosen from its kind and date order.

    Agreed lines get :data:`AGREED_LINE_STYLE`; every other line, in date
    order, the next colour of :data:`LINE_PALETTE` and the next dash of
    :data:`LINE_DASHES` (colour and dash both differ between neighbours).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"line_id": ["b", "a", "m"], "kind": ["contact", "contact", "agreed"],
    ...                    "date": ["2015-02-20", "2015-01-20", "2014-09-19"]})
    >>> st = line_styles(df)
    >>> st["m"]["weight"], st["a"]["color"], st["b"]["color"], st["b"]["dashArray"]
    (7, '#E69F00', '#CC79A7', '10 7')
    """
    out: dict[str, dict] = {}
    others = lines[lines[S.LINE_KIND].astype(str) != "agreed"]
    others = others.assign(_d=others[S.LINE_DATE].astype(str)).sort_values(["_d", S.LINE_ID], kind="stable")
    for lid in lines.loc[lines[S.LINE_KIND].astype(str) == "agreed", S.LINE_ID]:
        out[lid] = dict(AGREED_LINE_STYLE)
    for i, lid in enumerate(others[S.LINE_ID]):
        style = {"color": LINE_PALETTE[i % len(LINE_PALETTE)], "weight": 3, "opacity": 1.0}
        dash = LINE_DASHES[i % len(LINE_DASHES)]
        if dash:
            style["dashArray"] = dash
        out[lid] = style
    return out


def _line_item(label_text: str, style: dict) -> LegendItem:
    dash = style.get("dashArray", "")
    return LegendItem(
        label_text,
        style["color"],
        "dashed" if dash else "line",
        dash=dash,
        weight=float(style.get("weight", 3)),
        opacity=float(style.get("opacity", 1.0)),
    )


def _area_item(label_text: str, style: dict, kind: str = "area") -> LegendItem:
    return LegendItem(
        label_text,
        style["color"],
        kind,
        dash=style.get("dashArray", ""),
        weight=float(style.get("weight", 1)),
        opacity=float(style.get("opacity", 1.0)),
        fill_opacity=float(style.get("fillOpacity", 0.0)),
    )


class _Legend:
    """Legend items of what a map draws, recorded while it is drawn (one per style)."""

    def __init__(self) -> None:
        self.items: list[LegendItem] = []

    def add(self, element, item: LegendItem):
        """Mark ``element`` as drawn under ``item`` (added once) and return ``element``."""
        if item not in self.items:
            self.items.append(item)
        element.legend_item = item
        return element


def drawn_legend(m: folium.Map) -> list[LegendItem]:
    """The legend of a map from :func:`build_map`: one item per style actually drawn."""
    return list(getattr(m, "legend", []))


def fmt_km2(value) -> str:
    """'1,234 km²' (or '' for missing)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if v != v:
        return ""
    return f"{v:,.0f} km²" if v >= 10 else f"{v:,.1f} km²"


def fmt_per_oblast(per_oblast: str | dict | None) -> str:
    """'Donetsk 397 km², Luhansk 355 km²' from the per-oblast JSON of a contested area."""
    if isinstance(per_oblast, str):
        per_oblast = json.loads(per_oblast or "{}")
    return ", ".join(f"{k} {fmt_km2(v)}" for k, v in sorted((per_oblast or {}).items()))


def claim_figure(claim: pd.Series) -> str:
    """'> 500 km²' for an area claim, '15 km' for a distance, '' otherwise."""
    sign = QUALIFIER_SIGNS.get(str(claim.get(S.CLAIM_QUALIFIER) or ""), "")
    km2 = claim.get(S.CLAIM_VALUE_KM2)
    km = claim.get(S.CLAIM_VALUE_KM)
    if pd.notna(km2) and km2 != "":
        return f"{sign} {fmt_km2(km2)}".strip()
    if pd.notna(km) and km != "":
        return f"{sign} {float(km):,.0f} km".strip()
    return ""


def claim_html(claim: pd.Series, measured_km2: float | None = None) -> str:
    """One claim as escaped HTML: quote, actor, date, source link, claimed vs measured."""
    title = claim.get(S.SOURCE_TITLE) or claim.get(S.SOURCE_PUBLISHER) or "source"
    pub = claim.get(S.SOURCE_PUBLISHER) or ""
    src = link(claim.get(S.SOURCE_URL), title)
    published = claim.get(S.SOURCE_PUBLISHED) or ""
    parts = [
        f'<blockquote style="margin:4px 0;font-style:italic">“{esc(claim.get(S.CLAIM_QUOTE))}”</blockquote>',
        f"<div><b>{esc(claim.get(S.CLAIM_ACTOR))}</b> ({esc(label('stance', claim.get(S.CLAIM_STANCE)))}), "
        f"event {esc(claim.get(S.CLAIM_EVENT_DATE))}</div>",
        f"<div>Source: {src} — {esc(pub)} {esc(published)}</div>",
    ]
    figure = claim_figure(claim)
    if figure and pd.notna(claim.get(S.CLAIM_VALUE_KM2)):
        measured = f" / measured {esc(fmt_km2(measured_km2))}" if measured_km2 is not None else ""
        parts.append(f"<div><b>claimed {esc(figure)}{measured}</b></div>")
    elif figure:
        parts.append(f"<div><b>figure: {esc(figure)}</b></div>")
    grade = [
        label("reliability_source", claim.get(S.CLAIM_REL_SOURCE)),
        label("reliability_info", claim.get(S.CLAIM_REL_INFO)),
    ]
    grade = "; ".join(g for g in grade if g)
    if grade:
        parts.append(f"<div>Reliability (Admiralty): {esc(grade)}</div>")
    # The id stays, small: it is what a person copies to find the claim in the registry.
    parts.append(f'<div style="color:#555">Claim id {esc(claim.get(S.CLAIM_ID))}</div>')
    return "".join(parts)


def contested_popup_html(area: pd.Series, claims: pd.DataFrame) -> str:
    """Popup of a contested area: name, geodesic km² (per oblast) and every joined claim."""
    per_oblast = json.loads(area.get("per_oblast") or "{}")
    rows = "".join(f"<li>{esc(k)}: {esc(fmt_km2(v))}</li>" for k, v in sorted(per_oblast.items()))
    ids = [i for i in str(area.get(S.C_CLAIM_IDS) or "").split(";") if i]
    joined = claims[claims[S.CLAIM_ID].isin(ids)] if ids else claims.iloc[0:0]
    km2 = float(area[S.AREA_KM2])
    items = "".join(f'<li style="margin-bottom:6px">{claim_html(c, km2)}</li>' for _, c in joined.iterrows())
    claims_part = (
        f"<div><b>{len(joined)} claim(s) about this area</b></div><ol style='padding-left:18px'>{items}</ol>"
        if len(joined)
        else "<div>No claim in the registry refers to this area.</div>"
    )
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(area[S.LINE_NAME])}</h4>"
        f"<div>Measured (geodesic): <b>{esc(fmt_km2(km2))}</b></div><ul>{rows}</ul>{claims_part}"
        f"{settlements_html(area) if 'n_settlements' in area.index else ''}"
        "<div style='color:#555;font-size:11px'>Lines at settlement-level precision.</div></div>"
    )


def line_popup_html(line: pd.Series, sources: pd.DataFrame | None = None) -> str:
    """Popup of a reference line: name, date, who drew/agreed it, method, sources."""
    src_ids = [s for s in str(line.get(S.LINE_SOURCES) or "").split(";") if s]
    src_items = ""
    if sources is not None and src_ids:
        known = sources[sources[S.SOURCE_ID].isin(src_ids)]
        src_items = "".join(
            f"<li>{link(r[S.SOURCE_URL], r[S.SOURCE_TITLE] or r[S.SOURCE_PUBLISHER])} ({esc(r[S.SOURCE_PUBLISHER])})</li>"
            for _, r in known.iterrows()
        )
    precision = line.get(S.LINE_PRECISION_KM)
    prec = f"±{float(precision):g} km" if pd.notna(precision) else "unknown"
    return (
        f"<div style='max-width:380px'><h4 style='margin:0 0 4px'>{esc(line[S.LINE_NAME])}</h4>"
        f"<div>Date: {esc(line[S.LINE_DATE])} · {esc(label('line_kind', line[S.LINE_KIND]))}</div>"
        f"<div>Drawn by: {esc(line.get(S.LINE_DRAWN_BY))}</div>"
        + (f"<div>Agreed by: {esc(line.get(S.LINE_AGREED_BY))}</div>" if line.get(S.LINE_AGREED_BY) else "")
        + f"<div>Precision: {esc(prec)} (settlement level)</div>"
        f"<div>Method: {esc(line.get(S.LINE_METHOD))}</div>"
        + (f"<div>Sources:<ul>{src_items}</ul></div>" if src_items else "")
        + "</div>"
    )


def claims_view(claims: pd.DataFrame, line_names: dict | None = None) -> pd.DataFrame:
    """Claims as a display table: figure, quote, actor, date, source; links only http(s).

    Stored vocabularies are shown as :func:`geo.labels.label`; reference lines
    by name when ``line_names`` (id -> name) is given. The claim id stays: it is
    what a person copies to find the claim.
    """
    from geo.html import safe_url

    out = pd.DataFrame(
        {
            "claim": claims[S.CLAIM_ID],
            "actor": claims[S.CLAIM_ACTOR],
            "stance": labels("stance", claims[S.CLAIM_STANCE]),
            "event date": claims[S.CLAIM_EVENT_DATE],
            "figure": [claim_figure(r) for _, r in claims.iterrows()],
            "reference line": [
                (line_names or {}).get(v, v) for v in claims[S.CLAIM_REFERENCE_LINE].fillna("").astype(str)
            ],
            "quote": claims[S.CLAIM_QUOTE],
            "source": claims[S.SOURCE_PUBLISHER].fillna("") + ": " + claims[S.SOURCE_TITLE].fillna(""),
            "published": claims[S.SOURCE_PUBLISHED],
            "source link": [safe_url(u) for u in claims[S.SOURCE_URL]],
        }
    )
    return out


USER_LINE_STYLE = {"color": "#009E73", "weight": 2.5, "dashArray": "2 6"}
#: Outline of the selected claim's area (page: claims list beside the map); not clickable.
HIGHLIGHT_STYLE = {"color": "#000000", "weight": 4, "opacity": 1.0, "dashArray": ""}


def add_user_lines(m: folium.Map, user_lines: gpd.GeoDataFrame | None, legend: _Legend | None = None) -> None:
    """Lines the analyst imported or drew, in one toggleable group (dotted green)."""
    if user_lines is None or user_lines.empty:
        return
    legend = legend or _Legend()
    item = _line_item("Imported or drawn line", USER_LINE_STYLE)
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


def _swatch(item: LegendItem) -> str:
    """An inline SVG drawn with the item's real colour, dash, weight and opacity."""
    c = esc(item.colour)
    dash = f' stroke-dasharray="{esc(item.dash)}"' if item.dash else ""
    if item.kind in ("area", "outline"):
        fill = f'fill="{c}" fill-opacity="{item.fill_opacity:g}"' if item.kind == "area" else 'fill="none"'
        w = max(item.weight, 1.0)
        shape = (
            f'<rect x="{w / 2:g}" y="{w / 2:g}" width="{26 - w:g}" height="{14 - w:g}" {fill} '
            f'stroke="{c}" stroke-width="{w:g}" stroke-opacity="{item.opacity:g}"{dash}/>'
        )
    elif item.kind == "point":
        shape = f'<circle cx="13" cy="7" r="4" fill="{c}" fill-opacity="{item.fill_opacity:g}" stroke="{c}"/>'
    else:
        shape = (
            f'<line x1="0" y1="7" x2="26" y2="7" stroke="{c}" stroke-width="{item.weight:g}" '
            f'stroke-opacity="{item.opacity:g}"{dash}/>'
        )
    return f'<svg aria-hidden="true" width="26" height="14" style="vertical-align:middle">{shape}</svg>'


def legend_html(items: list[LegendItem]) -> str:
    """The legend as escaped HTML: a swatch in the item's real style and a text label per entry."""
    return "".join(
        f'<div class="cl-legend-item" data-kind="{esc(item.kind)}">{_swatch(item)} {esc_html_in_markdown(item.label)}</div>'
        for item in items
    )


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


def held_by_phrase(value) -> str:
    """Who holds an area, as written inside a sentence: 'separatists', 'Ukraine' (a common noun stays lower-case).

    >>> held_by_phrase("separatists"), held_by_phrase("ukraine")
    ('separatists', 'Ukraine')
    """
    text = label("held_by", value)
    return text.lower() if str(value) == S.PARTY_SEPARATISTS else text


def contested_draw_order(contested: pd.DataFrame) -> list:
    """Index labels of ``contested`` largest area first: smaller areas are drawn on top."""
    return list(contested.sort_values(S.AREA_KM2, ascending=False, kind="stable").index)


def contested_style(held_by: str, to_line_style: dict | None) -> dict:
    """Style of a contested area: fill in the holder's colour, outline dashed like its later line."""
    colour = PARTY_COLOURS.get(held_by, "#999999")
    style = {"color": colour, "weight": 1.5, "opacity": 1.0, "fillColor": colour, "fillOpacity": 0.45}
    dash = (to_line_style or {}).get("dashArray", "")
    if dash:
        style["dashArray"] = dash
    return style


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
    settlements_full = layers.get("settlements")
    if simplify:
        layers = display_layers(layers)
    if optional_layers is not None:
        unknown = set(optional_layers) - set(OPTIONAL_LAYERS)
        if unknown:
            raise ValueError(f"unknown optional layer(s) {sorted(unknown)}; choose from {list(OPTIONAL_LAYERS)}")
        layers = {k: v for k, v in layers.items() if k not in OPTIONAL_LAYERS or k in optional_layers}
    legend = _Legend()
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    if offline:
        m.default_js = offline_js()
        m.default_css = offline_css()
    for key in [basemap] + [k for k in BASEMAPS if k != basemap]:
        name, url, attr = BASEMAPS[key]
        folium.TileLayer(
            tiles=url,
            name=name,
            attr=attr,
            overlay=False,
            control=True,
            show=key == basemap,
        ).add_to(m)

    oblasts = layers["boundaries"]
    fg = folium.FeatureGroup(name="Oblasts", show=True)
    feats = [
        _feature_geojson(
            g,
            {"label": esc(f"{n}: {fmt_km2(a)}" + (" (disputed: annexed by Russia 2014)" if d else ""))},
        )
        for g, n, a, d in zip(
            oblasts.geometry,
            oblasts[S.B_NAME],
            oblasts[S.AREA_KM2],
            oblasts[S.B_DISPUTED],
        )
    ]
    gj = folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name="Oblasts",
        style_function=lambda f: dict(OBLAST_STYLE),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    )
    legend.add(gj, _area_item("Oblast boundary", OBLAST_STYLE)).add_to(fg)
    fg.add_to(m)

    lines = layers["lines"]
    styles = line_styles(lines)
    line_names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    contested = layers["contested"]
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
        legend.add(gj, _area_item(text, style)).add_to(groups[area[S.C_TO_LINE]])
    for fg in groups.values():
        fg.add_to(m)

    # Agreed lines first (the wide band underneath), then the later lines in date order.
    order = sorted(
        range(len(lines)), key=lambda i: (str(lines.iloc[i][S.LINE_KIND]) != "agreed", str(lines.iloc[i][S.LINE_DATE]))
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
        legend.add(gj, _line_item(str(ln[S.LINE_NAME]), style)).add_to(fg)
        fg.add_to(m)

    add_user_lines(m, layers.get("user_lines"), legend)
    add_figure_layers(m, layers, show=optional_layers is not None, legend=legend)
    if labels_on_map:
        OfflineLabels(label_points(layers["boundaries"], settlements_full)).add_to(m)
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


def settlement_min_zoom(population) -> int:
    """The zoom from which a settlement's name is shown: the more populous, the sooner.

    >>> settlement_min_zoom(950_000), settlement_min_zoom(40_000), settlement_min_zoom(12_000), settlement_min_zoom(800)
    (8, 9, 10, 11)
    """
    p = _num(population) or 0.0
    if p >= 100_000:
        return 8
    if p >= 25_000:
        return 9
    if p >= 10_000:
        return 10
    return 11


LABEL_OBLAST, LABEL_SETTLEMENT = 0, 1  # the label kinds, as sent to the browser
#: Smaller places get no label (the "Settlements" layer still shows and names them all).
MIN_LABEL_POPULATION = 1000


def label_points(oblasts: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame | None) -> list[list]:
    """``[lat, lon, text, min_zoom, kind]`` of every map label, in the order they claim space.

    ``kind`` is :data:`LABEL_OBLAST` or :data:`LABEL_SETTLEMENT`; positions are
    rounded to 0.001° (about 100 m: a label's place, not a measurement).

    Oblast names sit at a point inside each oblast and show at every zoom
    (min_zoom 0); names of settlements of at least :data:`MIN_LABEL_POPULATION`
    people by :func:`settlement_min_zoom`, most populous first. The cities shown from the default zoom come first, then
    the oblast names (which move aside of them), then the other settlements.
    """
    names: list[list] = []
    for name, geom in zip(oblasts[S.B_NAME], oblasts.geometry):
        if geom is None or geom.is_empty:
            continue
        pt = geom.representative_point()
        names.append([round(pt.y, 3), round(pt.x, 3), str(name), 0, LABEL_OBLAST])
    places: list[list] = []
    if settlements is not None and len(settlements):
        frame = settlements.assign(_p=settlements[S.S_POPULATION].astype(float).fillna(0.0))
        frame = frame[frame["_p"] >= MIN_LABEL_POPULATION]
        for name, geom, pop in frame.sort_values("_p", ascending=False)[[S.S_NAME, "geometry", "_p"]].itertuples(
            index=False
        ):
            if geom is None or geom.is_empty:
                continue
            places.append([round(geom.y, 3), round(geom.x, 3), str(name), settlement_min_zoom(pop), LABEL_SETTLEMENT])
    first = [p for p in places if p[3] <= DEFAULT_ZOOM]
    return first + names + [p for p in places if p[3] > DEFAULT_ZOOM]


def _script_json(value) -> str:
    """JSON of lists, numbers and strings, safe inside a <script> and Jinja output."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("{", "\\u007b"), ("}", "\\u007d")):
        text = text.replace(ch, rep)
    return text


def _squash(js: str) -> Template:
    """A Jinja template of ``js`` with each line's indentation removed (a lighter page)."""
    return Template("\n".join(line.strip() for line in js.splitlines() if line.strip()))


class OfflineLabels(MacroElement):
    """Text labels drawn by Leaflet itself (no tiles needed), in a pane that ignores the mouse.

    Each label is ``[lat, lon, text, min_zoom, kind]`` (:func:`label_points`);
    a label shows while the map's zoom is at least its ``min_zoom`` and it
    does not overlap a label listed before it. Text is
    set with ``textContent``, never parsed as HTML.
    """

    _template = _squash(
        """
        {% macro script(this, kwargs) %}
        (function (map, items) {
            var pane = map.getPane("cl-labels") || map.createPane("cl-labels");
            pane.style.zIndex = 450;
            pane.style.pointerEvents = "none";
            var markers = items.map(function (it) {
                var el = document.createElement("span");
                el.className = "cl-label cl-label-" + (it[4] === 0 ? "oblast" : "settlement");
                el.textContent = it[2];
                var big = it[4] === 0;
                el.style.cssText = "position:absolute;transform:translate(-50%,-50%);white-space:nowrap;" +
                    "pointer-events:none;font-family:sans-serif;color:" + (big ? "#444" : "#111") + ";" +
                    (big ? "font-size:13px;letter-spacing:2px;text-transform:uppercase;font-weight:600;"
                         : "font-size:11px;") +
                    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff";
                var mk = L.marker([it[0], it[1]], {
                    icon: L.divIcon({className: "cl-label-icon", html: el, iconSize: [0, 0]}),
                    interactive: false, keyboard: false, pane: "cl-labels"
                });
                mk._clMinZoom = it[3];
                mk._clEl = el;
                return mk;
            });
            // Labels come most important first; one that would overlap a label already placed
            // at this zoom is left out (checked on every zoom, in screen pixels).
            function update() {
                var z = map.getZoom(), placed = [];
                markers.forEach(function (mk, i) {
                    var want = z >= mk._clMinZoom;
                    if (want) {
                        var pt = map.latLngToContainerPoint(mk.getLatLng());
                        var big = items[i][4] === 0;
                        var w = items[i][2].length * (big ? 10 : 6.5) / 2 + 3, h = big ? 9 : 8;
                        // An oblast name is always shown: it moves off a city name if it can.
                        var offsets = big ? [[0, 0], [0, -26], [0, 26], [0, -52], [0, 52], [-80, 0], [80, 0]]
                                          : [[0, 0]];
                        var box = null;
                        for (var k = 0; k < offsets.length && !box; k++) {
                            var x = pt.x + offsets[k][0], y = pt.y + offsets[k][1];
                            var b0 = [x - w, y - h, x + w, y + h];
                            var free = !placed.some(function (b) {
                                return b0[0] < b[2] && b[0] < b0[2] && b0[1] < b[3] && b[1] < b0[3];
                            });
                            if (free) { box = b0; mk._clShift = offsets[k]; }
                        }
                        if (!box && big) { box = [pt.x - w, pt.y - h, pt.x + w, pt.y + h]; mk._clShift = [0, 0]; }
                        want = !!box;
                        if (want) {
                            placed.push(box);
                            mk._clEl.style.transform = "translate(calc(-50% + " + mk._clShift[0] + "px), calc(-50% + " +
                                mk._clShift[1] + "px))";
                        }
                    }
                    if (want && !map.hasLayer(mk)) mk.addTo(map);
                    else if (!want && map.hasLayer(mk)) map.removeLayer(mk);
                });
            }
            map.on("zoomend", update);
            update();
        })({{ this._parent.get_name() }}, {{ this.items }});
        {% endmacro %}
        """
    )

    def __init__(self, items: list[list]):
        super().__init__()
        self._name = "OfflineLabels"
        self.items = _script_json(items)


class StackBySize(MacroElement):
    """Keeps the SVG stacking of the map's polygons largest first, above the lines.

    Areas go above the lines because a small area lies between two lines and
    would be covered by their strokes; the fills are translucent, so the lines
    stay visible through them.

    Runs once the map is built and again whenever the layer control adds an
    overlay (which would otherwise put the re-added layer on top of all).
    Reads the ``cl_stack``/``cl_order`` feature properties of :func:`_stack`.
    """

    _template = _squash(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            function restack() {
                var areas = [], lines = [];
                map.eachLayer(function (l) {
                    var p = l.feature && l.feature.properties;
                    if (!p || !l.bringToFront || !l._path) return;
                    if (p.cl_stack === "area") areas.push(l);
                    else if (p.cl_stack === "line") lines.push(l);
                });
                areas.sort(function (a, b) { return b.feature.properties.cl_order - a.feature.properties.cl_order; });
                lines.sort(function (a, b) { return a.feature.properties.cl_order - b.feature.properties.cl_order; });
                lines.concat(areas).forEach(function (l) { l.bringToFront(); });
            }
            // Layers added later (the layer control, or a page swapping the view's layers) restack too.
            var pending = null;
            function soon() { if (pending === null) pending = setTimeout(function () { pending = null; restack(); }, 0); }
            map.on("overlayadd", restack);
            map.on("layeradd", soon);
            restack();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "StackBySize"


class MapLegend(MacroElement):
    """A Leaflet control (bottom left) holding legend HTML that is already escaped.

    It starts folded (one line, "Legend"), so it never covers an area one wants to click.
    """

    _template = _squash(
        """
        {% macro script(this, kwargs) %}
        (function (map, html) {
            var ctl = L.control({position: "bottomleft"});
            ctl.onAdd = function () {
                var div = L.DomUtil.create("div", "cl-map-legend");
                div.setAttribute("role", "note");
                div.setAttribute("aria-label", "Legend");
                div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 6px;font:11px sans-serif;" +
                    "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:300px";
                div.innerHTML = "<details><summary><b>Legend</b></summary>" + html + "</details>";
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            ctl.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.html }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "MapLegend"
        self.html = _script_json(html)


class KeyboardPopups(MacroElement):
    """Shapes with a popup can be reached with Tab: focus shows the tooltip, Enter/Space opens the popup.

    Leaflet makes vector shapes clickable but not focusable. This script gives
    every shape that has a popup (on the map now or added later, e.g. when a
    layer is switched on) ``tabindex=0``, ``role=button`` and an accessible
    name (its tooltip text, else the popup heading), read through DOMParser
    so no markup is ever run.
    """

    _template = _squash(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            function owner(layer, what) {
                if (layer[what] && layer[what]()) return layer;
                var parents = layer._eventParents || {};
                for (var k in parents) { var o = owner(parents[k], what); if (o) return o; }
                return null;
            }
            function text(content) {
                if (typeof content === "string") {
                    return new DOMParser().parseFromString(content, "text/html").body.textContent;
                }
                if (content && content.querySelector) {
                    var h = content.querySelector("h4");
                    return (h || content).textContent;
                }
                return "";
            }
            function where(layer) {
                return layer.getCenter ? layer.getCenter() : (layer.getLatLng ? layer.getLatLng() : map.getCenter());
            }
            function setup(layer) {
                var el = layer.getElement && layer.getElement();
                if (!el || !layer._path || el.getAttribute("tabindex") !== null) return;
                var withPopup = owner(layer, "getPopup");
                if (!withPopup) return;
                var withTip = owner(layer, "getTooltip");
                var name = (withTip && text(withTip.getTooltip().getContent())) ||
                    text(withPopup.getPopup().getContent()) || "map feature";
                el.setAttribute("tabindex", "0");
                el.setAttribute("role", "button");
                el.setAttribute("aria-label", name.trim().slice(0, 200));
                el.addEventListener("keydown", function (e) {
                    if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault();
                        layer.fire("click", {latlng: where(layer)}, true);
                    }
                });
                el.addEventListener("focus", function () { layer.fire("mouseover", {latlng: where(layer)}, true); });
                el.addEventListener("blur", function () { layer.fire("mouseout", {latlng: where(layer)}, true); });
            }
            map.eachLayer(setup);
            map.on("layeradd", function (e) { setup(e.layer); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


# --- implied bands, security zones, settlements (issue 5) -------------------
IMPLIED_TITLE = "Implied by the figure, not a reported line"
# Security zones: a sequential (magma) ramp, dark to light with width, no hue shared with the
# lines or the party colours; drawn as outlined areas with a faint fill.
ZONE_COLOURS = {30.0: "#3B0F70", 50.0: "#8C2981", 70.0: "#DE4968", 140.0: "#FE9F6D"}
SETTLEMENT_COLOUR = "#333333"
BOUND_WORDS = {
    S.BOUND_LOWER: "lower bound: the claim says at least this much",
    S.BOUND_UPPER: "upper bound: the claim says at most this much",
    S.BOUND_ESTIMATE: "the figure as given",
}


def _num(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if v != v else v


def settlements_html(feature: pd.Series) -> str:
    """'Settlements inside (N, population P): A (pop), B … and N more', escaped."""
    n = int(_num(feature.get("n_settlements")) or 0)
    if not n:
        return "<div>No settlement of the gazetteer inside.</div>"
    pop = _num(feature.get("settlement_population")) or 0.0
    return (
        f"<div><b>Settlements inside: {n}</b> (known population {esc(f'{pop:,.0f}')}): "
        f"{esc(feature.get('settlements'))}</div>"
    )


def implied_popup_html(band: pd.Series) -> str:
    """Popup of an implied band: the label, claim, source, width, claimed vs measured."""
    width = _num(band.get(S.I_WIDTH_KM))
    parts = [
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(IMPLIED_TITLE)}</h4>",
        f"<div>Claim by <b>{esc(band.get(S.CLAIM_ACTOR))}</b>, event {esc(band.get(S.CLAIM_EVENT_DATE))}</div>",
        f'<blockquote style="margin:4px 0;font-style:italic">“{esc(band.get(S.CLAIM_QUOTE))}”</blockquote>',
        f"<div>Source: {link(band.get(S.SOURCE_URL), band.get(S.SOURCE_TITLE) or band.get(S.SOURCE_PUBLISHER) or 'source')}"
        f" — {esc(band.get(S.SOURCE_PUBLISHER))} {esc(band.get(S.SOURCE_PUBLISHED))}</div>",
        f"<div>Figure: <b>{esc(fmt_km2(band.get(S.I_CLAIMED_KM2)))}</b> "
        f"({esc(BOUND_WORDS.get(str(band.get(S.I_BOUND)), ''))}); band "
        f"<b>{esc(f'{width:.2f}' if width is not None else '?')} km</b> deep beyond "
        f"{esc(band.get('reference_line_name') or band.get(S.CLAIM_REFERENCE_LINE))}, "
        f"area {esc(fmt_km2(band.get(S.AREA_KM2)))} (geodesic)</div>",
    ]
    measured = _num(band.get(S.M_MEASURED_KM2))
    if measured is not None:
        low, high = _num(band.get(S.M_MEASURED_LOW_KM2)), _num(band.get(S.M_MEASURED_HIGH_KM2))
        rng = f" (range {fmt_km2(low)} – {fmt_km2(high)})" if low is not None and high is not None else ""
        ratio = _num(band.get(S.M_RATIO))
        parts.append(
            f"<div>Measured between the lines at the event date ({esc(band.get('to_line_name') or band.get(S.C_TO_LINE))}): "
            f"<b>{esc(fmt_km2(measured))}</b>{esc(rng)}, "
            f"{esc(f'{ratio:.0%}' if ratio is not None else '')} of the claim: "
            f"<b>{esc(label('verdict', band.get(S.M_VERDICT)))}</b></div>"
        )
    parts.append(settlements_html(band))
    parts.append(f"<div style='color:#555'>Claim id {esc(band.get(S.CLAIM_ID))}</div>")
    parts.append(
        "<div style='color:#555;font-size:11px'>The band shows how deep the figure would reach if the "
        "ground were taken evenly along the whole line.</div></div>"
    )
    return "".join(parts)


def zone_popup_html(zone: pd.Series) -> str:
    """Popup of a security-zone band: agreement, weapons, party, width, line, area, settlements."""
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(zone.get(S.Z_AGREEMENT))}</h4>"
        f"<div>{esc(zone.get(S.Z_WEAPON_CLASS))}: {esc(label('party', zone.get(S.Z_PARTY)))} side, "
        f"<b>{esc(f'{_num(zone.get(S.I_WIDTH_KM)) or 0:g}')} km</b> from "
        f"{esc(zone.get('from_line_name') or zone.get(S.C_FROM_LINE))} "
        f"(zone {esc(f'{_num(zone.get(S.Z_ZONE_WIDTH_KM)) or 0:g}')} km wide)</div>"
        f"<div>Area: {esc(fmt_km2(zone.get(S.AREA_KM2)))} (geodesic, within Ukraine)</div>"
        f"{settlements_html(zone)}</div>"
    )


def add_figure_layers(
    m: folium.Map, layers: dict[str, gpd.GeoDataFrame], show: bool = False, legend: _Legend | None = None
) -> folium.Map:
    """Draw the ``implied``, ``zones`` and ``settlements`` layers, when present.

    Implied bands (dashed outline, faint fill, popup labelled "implied by the
    figure, not a reported line"), zones (outlined bands, one toggle per zone
    width) and settlements (small circle markers) start hidden in the layer
    control unless ``show`` is true (the page asked for them explicitly).
    Each drawn style is recorded in ``legend``.
    """
    legend = legend or _Legend()
    implied = layers.get("implied")
    if implied is not None and len(implied):
        fg = folium.FeatureGroup(name=f"Implied areas ({IMPLIED_TITLE.lower()})", show=show)
        for idx in contested_draw_order(implied):
            band = implied.loc[idx]
            if band.geometry is None or band.geometry.is_empty:
                continue  # "could not be drawn: why" is in the band's error column and the table
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
            folium.Tooltip(
                esc(
                    f"{band.get(S.CLAIM_ACTOR)}, {band.get(S.CLAIM_EVENT_DATE)}: "
                    f"{fmt_km2(band.get(S.I_CLAIMED_KM2))} as a band "
                    f"{_num(band.get(S.I_WIDTH_KM)) or 0:.2f} km deep ({IMPLIED_TITLE.lower()})"
                )
            ).add_to(gj)
            folium.Popup(implied_popup_html(band), max_width=440).add_to(gj)
            text = (
                f"{IMPLIED_TITLE}: ground {label('side', band.get(S.CLAIM_SIDE)) or 'of either side'} "
                f"would hold, {label('bound', band.get(S.I_BOUND))}"
            )
            legend.add(gj, _area_item(text, style)).add_to(fg)
        fg.add_to(m)
    zones = layers.get("zones")
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
                item = _area_item(f"Security zone {width:g} km ({first[S.Z_WEAPON_CLASS]})", style, "outline")
                legend.add(gj, item).add_to(fg)
            fg.add_to(m)
    places = layers.get("settlements")
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
            marker=folium.CircleMarker(
                radius=3, color=SETTLEMENT_COLOUR, weight=1, fill=True, fill_color=SETTLEMENT_COLOUR, fill_opacity=0.8
            ),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        )
        legend.add(gj, _area_item("Settlement (gazetteer)", style, "point")).add_to(fg)
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


def claim_choice_label(claim: pd.Series) -> str:
    """'Kiev, 2015-01-20: > 500 km² (Reuters)': how a claim is listed beside the map."""
    figure = claim_figure(claim)
    pub = claim.get(S.SOURCE_PUBLISHER) or ""
    text = f"{claim.get(S.CLAIM_ACTOR) or 'unknown actor'}, {claim.get(S.CLAIM_EVENT_DATE) or 'undated'}"
    text += f": {figure}" if figure else f" ({label('stance', claim.get(S.CLAIM_STANCE))})"
    return text + (f" ({pub})" if pub else "")


def claim_areas(contested: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """The shown contested areas a claim is joined to."""
    ids = contested[S.C_CLAIM_IDS].fillna("").astype(str).map(lambda v: claim_id in v.split(";"))
    return contested[ids]


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


def claim_detail_html(claim: pd.Series, areas: pd.DataFrame) -> str:
    """The selected claim beside the map: its text, source and the ground it is about (escaped)."""
    km2 = float(areas[S.AREA_KM2].sum()) if len(areas) else None
    where = ", ".join(f"{n} ({fmt_km2(a)})" for n, a in zip(areas[S.LINE_NAME], areas[S.AREA_KM2]))
    return (
        f"<div class='cl-claim-detail'>{claim_html(claim, km2)}"
        + (f"<div>About: {esc(where)}</div>" if where else "<div>Not joined to an area on this map.</div>")
        + "</div>"
    )


def verdict_display(verdicts: pd.DataFrame, line_names: dict | None = None) -> pd.DataFrame:
    """The claimed-vs-measured table as people read it: labels, line names, km² and % as text.

    Works on whichever of the known columns ``verdicts`` has (from
    :func:`geo.analysis.verdict.verdict_table`); other columns pass through unchanged.
    The claim id stays (it is what a person copies).
    """
    names = line_names or {}
    out = pd.DataFrame(index=verdicts.index)
    for col in verdicts.columns:
        values = verdicts[col]
        if col == S.CLAIM_ID:
            out["claim"] = values
        elif col in ("qualifier", "verdict"):
            out[col] = labels(col, values)
        elif col in ("side", "held_by"):
            out[col.replace("_", " ")] = labels(col, values)
        elif col in ("from_line", "to_line"):
            out[{"from_line": "reference line", "to_line": "line at the event date"}[col]] = [
                names.get(v, v) for v in values.fillna("").astype(str)
            ]
        elif col.endswith("_km2"):
            out[col.removesuffix("_km2").replace("_", " ") + " (km²)"] = values.map(fmt_km2)
        elif col == "ratio":
            out["measured / claimed"] = [f"{v:.0%}" if _num(v) is not None else "" for v in values]
        elif col == "claim_in_range":
            out["claim within the measured range"] = values.map({True: "yes", False: "no"}).fillna("")
        else:
            out[col.replace("_", " ")] = values
    return out
