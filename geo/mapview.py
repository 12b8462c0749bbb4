"""Building the folium map: layers, styles, tooltips and popups listing sources.

All text from data reaches the page through :func:`geo.html.esc`; links only
ever use http(s) URLs. The map loads Leaflet and jQuery from the app itself
(:mod:`geo.assets`) and starts on a blank basemap that needs no network.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from geo import schema as S
from geo.assets import offline_css, offline_js
from geo.html import esc, link
from geo.simplify import display_layers, rounded

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PARTY_COLOURS = {S.PARTY_SEPARATISTS: "#D55E00", S.PARTY_UKRAINE: "#0072B2"}
LINE_STYLES = {
    S.LINE_MINSK_2014: {"color": "#000000", "weight": 3, "dashArray": "8 6"},
    S.LINE_CONTACT_2015_01: {"color": "#E69F00", "weight": 3},
    S.LINE_CONTACT_2015_02: {"color": "#CC79A7", "weight": 3},
}
FALLBACK_LINE_COLOURS = ["#009E73", "#56B4E9", "#F0E442", "#999999"]
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
    label: str
    colour: str
    kind: str  # "area" | "outline" | "line" | "dashed"


def line_style(line_id: str, index: int = 0) -> dict:
    """Leaflet style of a reference line (fallback colours for other lines)."""
    if line_id in LINE_STYLES:
        return dict(LINE_STYLES[line_id])
    return {
        "color": FALLBACK_LINE_COLOURS[index % len(FALLBACK_LINE_COLOURS)],
        "weight": 3,
    }


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
        f"<div><b>{esc(claim.get(S.CLAIM_ACTOR))}</b> ({esc(claim.get(S.CLAIM_STANCE))}), "
        f"event {esc(claim.get(S.CLAIM_EVENT_DATE))}</div>",
        f"<div>Source: {src} — {esc(pub)} {esc(published)}</div>",
    ]
    figure = claim_figure(claim)
    if figure and pd.notna(claim.get(S.CLAIM_VALUE_KM2)):
        measured = f" / measured {esc(fmt_km2(measured_km2))}" if measured_km2 is not None else ""
        parts.append(f"<div><b>claimed {esc(figure)}{measured}</b></div>")
    elif figure:
        parts.append(f"<div><b>figure: {esc(figure)}</b></div>")
    grade = f"{claim.get(S.CLAIM_REL_SOURCE) or ''}{claim.get(S.CLAIM_REL_INFO) or ''}"
    if grade:
        parts.append(f"<div>Reliability (Admiralty): {esc(grade)}</div>")
    parts.append(f'<div style="color:#555">Claim {esc(claim.get(S.CLAIM_ID))}</div>')
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
        f"<div>Date: {esc(line[S.LINE_DATE])} · kind: {esc(line[S.LINE_KIND])}</div>"
        f"<div>Drawn by: {esc(line.get(S.LINE_DRAWN_BY))}</div>"
        + (f"<div>Agreed by: {esc(line.get(S.LINE_AGREED_BY))}</div>" if line.get(S.LINE_AGREED_BY) else "")
        + f"<div>Precision: {esc(prec)} (settlement level)</div>"
        f"<div>Method: {esc(line.get(S.LINE_METHOD))}</div>"
        + (f"<div>Sources:<ul>{src_items}</ul></div>" if src_items else "")
        + "</div>"
    )


def claims_view(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims as a display table: figure, quote, actor, date, source; links only http(s)."""
    from geo.html import safe_url

    out = pd.DataFrame(
        {
            "claim": claims[S.CLAIM_ID],
            "actor": claims[S.CLAIM_ACTOR],
            "stance": claims[S.CLAIM_STANCE],
            "event date": claims[S.CLAIM_EVENT_DATE],
            "figure": [claim_figure(r) for _, r in claims.iterrows()],
            "reference line": claims[S.CLAIM_REFERENCE_LINE],
            "quote": claims[S.CLAIM_QUOTE],
            "source": claims[S.SOURCE_PUBLISHER].fillna("") + ": " + claims[S.SOURCE_TITLE].fillna(""),
            "published": claims[S.SOURCE_PUBLISHED],
            "source link": [safe_url(u) for u in claims[S.SOURCE_URL]],
        }
    )
    return out


USER_LINE_STYLE = {"color": "#009E73", "weight": 2.5, "dashArray": "2 6"}


def add_user_lines(m: folium.Map, user_lines: gpd.GeoDataFrame | None) -> None:
    """Lines the analyst imported or drew, in one toggleable group (dotted green)."""
    if user_lines is None or user_lines.empty:
        return
    fg = folium.FeatureGroup(name="Imported and drawn lines", show=True)
    for _, ln in user_lines.iterrows():
        gj = folium.GeoJson(_feature_geojson(ln.geometry), style_function=lambda f: dict(USER_LINE_STYLE))
        label = f"{ln[S.LINE_NAME]} ({ln[S.LINE_KIND]}, {ln[S.LINE_DATE] or 'undated'})"
        folium.Tooltip(esc(label)).add_to(gj)
        src = ln.get(S.LINE_SOURCES) or ""
        folium.Popup(
            f"<div style='max-width:360px'><h4 style='margin:0 0 4px'>{esc(ln[S.LINE_NAME])}</h4>"
            f"<div>{esc(ln[S.LINE_KIND])}, {esc(ln[S.LINE_DATE] or 'undated')}, {esc(f'{ln.length_km:,.1f}')} km</div>"
            f"<div>Source: {link(src, src) if src else 'none given'}</div></div>",
            max_width=380,
        ).add_to(gj)
        gj.add_to(fg)
    fg.add_to(m)


def legend_items(lines: gpd.GeoDataFrame) -> list[LegendItem]:
    """Legend entries, in text as well as colour."""
    items = [
        LegendItem(
            "Held by separatists beyond the agreed line",
            PARTY_COLOURS[S.PARTY_SEPARATISTS],
            "area",
        ),
        LegendItem(
            "Held by Ukraine beyond the agreed line",
            PARTY_COLOURS[S.PARTY_UKRAINE],
            "area",
        ),
    ]
    for i, (_, ln) in enumerate(lines.iterrows()):
        st = line_style(ln[S.LINE_ID], i)
        items.append(
            LegendItem(
                f"{ln[S.LINE_NAME]}",
                st["color"],
                "dashed" if "dashArray" in st else "line",
            )
        )
    items.append(LegendItem("Imported or drawn line (dotted)", USER_LINE_STYLE["color"], "dashed"))
    items.append(LegendItem("Oblast boundary", "#555555", "line"))
    return items


def legend_html(items: list[LegendItem]) -> str:
    """The legend as escaped HTML: a swatch and a text label per entry."""
    out = []
    for item in items:
        colour = esc(item.colour)
        if item.kind == "outline":
            sw = (
                f'<span aria-hidden="true" style="display:inline-block;width:14px;height:14px;'
                f'border:2px solid {colour}"></span>'
            )
        elif item.kind == "area":
            sw = (
                f'<span aria-hidden="true" style="display:inline-block;width:14px;height:14px;'
                f'background:{colour};opacity:.7;border:1px solid {colour}"></span>'
            )
        else:
            style = "dashed" if item.kind == "dashed" else "solid"
            sw = (
                f'<span aria-hidden="true" style="display:inline-block;width:22px;'
                f'border-top:3px {style} {colour};vertical-align:middle"></span>'
            )
        out.append(f"<div>{sw} {esc(item.label)}</div>")
    return "".join(out)


def _feature_geojson(geom, props: dict | None = None) -> dict:
    # Coordinates rounded to ~1 m: shared vertices stay identical, the payload shrinks.
    return {
        "type": "Feature",
        "properties": props or {},
        "geometry": rounded(geom).__geo_interface__,
    }


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
) -> folium.Map:
    """The main map: oblasts, reference lines and contested areas with their claims.

    Parameters
    ----------
    layers : dict
        From :func:`geo.layers.build_layers` (``boundaries``, ``lines``, ``contested``).
    claims : DataFrame
        Claims with source columns, for the popups.
    basemap : {"blank", "osm", "positron"}
        The basemap shown first; the others stay available in the layer control.
    to_lines : list of str, optional
        Which later lines' contested areas to show (default: all).
    simplify : bool
        Draw polygons simplified per zoom level with shared edges kept
        (:func:`geo.simplify.display_layers`); areas in labels and popups stay
        the full-resolution geodesic ones.
    optional_layers : collection of str, optional
        Which of :data:`OPTIONAL_LAYERS` to send, shown at once. Default
        (None): all of them, hidden until ticked in the layer control.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap '{basemap}'; choose one of {sorted(BASEMAPS)}")
    if simplify:
        layers = display_layers(layers)
    if optional_layers is not None:
        unknown = set(optional_layers) - set(OPTIONAL_LAYERS)
        if unknown:
            raise ValueError(f"unknown optional layer(s) {sorted(unknown)}; choose from {list(OPTIONAL_LAYERS)}")
        layers = {k: v for k, v in layers.items() if k not in OPTIONAL_LAYERS or k in optional_layers}
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
    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name="Oblasts",
        style_function=lambda f: {
            "color": "#555555",
            "weight": 1,
            "fillColor": "#f2f2f2",
            "fillOpacity": 0.15,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(fg)
    fg.add_to(m)

    contested = layers["contested"]
    if to_lines is not None:
        contested = contested[contested[S.C_TO_LINE].isin(to_lines)]
    lines = layers["lines"]
    line_names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    for to_line, group in contested.groupby(S.C_TO_LINE, sort=True):
        fg = folium.FeatureGroup(name=esc(f"Contested vs {line_names.get(to_line, to_line)}"), show=True)
        for _, area in group.iterrows():
            colour = PARTY_COLOURS.get(area[S.C_HELD_BY], "#999999")
            gj = folium.GeoJson(
                _feature_geojson(area.geometry),
                style_function=lambda f, c=colour: {
                    "color": c,
                    "weight": 1.5,
                    "fillColor": c,
                    "fillOpacity": 0.45,
                },
                highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.65},
            )
            folium.Tooltip(esc(f"{area[S.LINE_NAME]}: {fmt_km2(area[S.AREA_KM2])}")).add_to(gj)
            # maxHeight: a popup listing many claims scrolls instead of overflowing the map.
            folium.Popup(contested_popup_html(area, claims), max_width=440, maxHeight=420).add_to(gj)
            gj.add_to(fg)
        fg.add_to(m)

    # Latest first, so the agreed (earliest) line is drawn on top of the others.
    for i, (_, ln) in reversed(list(enumerate(lines.iterrows()))):
        fg = folium.FeatureGroup(name=f"Line: {esc(ln[S.LINE_NAME])}", show=True)
        style = line_style(ln[S.LINE_ID], i)
        gj = folium.GeoJson(_feature_geojson(ln.geometry), style_function=lambda f, s=style: s)
        folium.Tooltip(esc(f"{ln[S.LINE_NAME]} ({ln[S.LINE_DATE]})")).add_to(gj)
        folium.Popup(line_popup_html(ln, sources), max_width=400).add_to(gj)
        gj.add_to(fg)
        fg.add_to(m)

    add_user_lines(m, layers.get("user_lines"))
    add_figure_layers(m, layers, show=optional_layers is not None)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    KeyboardPopups().add_to(m)
    if fit_front:
        front = oblasts[oblasts[S.B_ISO].isin(S.FRONT_OBLASTS)]
        if len(front):
            x0, y0, x1, y1 = front.total_bounds
            m.fit_bounds([[y0, x0], [y1, x1]])
    return m


class KeyboardPopups(MacroElement):
    """Shapes with a popup can be reached with Tab: focus shows the tooltip, Enter/Space opens the popup.

    Leaflet makes vector shapes clickable but not focusable. This script gives
    every shape that has a popup (on the map now or added later, e.g. when a
    layer is switched on) ``tabindex=0``, ``role=button`` and an accessible
    name (its tooltip text, else the popup heading), read through DOMParser
    so no markup is ever run.
    """

    _template = Template(
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
        f"<div>Claim {esc(band.get(S.CLAIM_ID))} by <b>{esc(band.get(S.CLAIM_ACTOR))}</b>, "
        f"event {esc(band.get(S.CLAIM_EVENT_DATE))}</div>",
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
            f"<b>{esc(band.get(S.M_VERDICT))}</b></div>"
        )
    parts.append(settlements_html(band))
    parts.append(
        "<div style='color:#555;font-size:11px'>The band shows how deep the figure would reach if the "
        "ground were taken evenly along the whole line.</div></div>"
    )
    return "".join(parts)


def zone_popup_html(zone: pd.Series) -> str:
    """Popup of a security-zone band: agreement, weapons, party, width, line, area, settlements."""
    return (
        f"<div style='max-width:420px'><h4 style='margin:0 0 4px'>{esc(zone.get(S.Z_AGREEMENT))}</h4>"
        f"<div>{esc(zone.get(S.Z_WEAPON_CLASS))}: {esc(zone.get(S.Z_PARTY))} side, "
        f"<b>{esc(f'{_num(zone.get(S.I_WIDTH_KM)) or 0:g}')} km</b> from "
        f"{esc(zone.get('from_line_name') or zone.get(S.C_FROM_LINE))} "
        f"(zone {esc(f'{_num(zone.get(S.Z_ZONE_WIDTH_KM)) or 0:g}')} km wide)</div>"
        f"<div>Area: {esc(fmt_km2(zone.get(S.AREA_KM2)))} (geodesic, within Ukraine)</div>"
        f"{settlements_html(zone)}</div>"
    )


def figure_legend_items() -> list[LegendItem]:
    """Legend entries of the implied bands and security zones (text as well as colour)."""
    items = [LegendItem(f"{IMPLIED_TITLE} (dashed outline)", "#000000", "dashed")]
    for width, colour in ZONE_COLOURS.items():
        items.append(LegendItem(f"Security zone {width:g} km (outlined area)", colour, "outline"))
    items.append(LegendItem("Settlement (gazetteer)", SETTLEMENT_COLOUR, "area"))
    return items


def add_figure_layers(m: folium.Map, layers: dict[str, gpd.GeoDataFrame], show: bool = False) -> folium.Map:
    """Draw the ``implied``, ``zones`` and ``settlements`` layers, when present.

    Implied bands (dashed outline, faint fill, popup labelled "implied by the
    figure, not a reported line"), zones (outlined bands, one toggle per zone
    width) and settlements (small circle markers) start hidden in the layer
    control unless ``show`` is true (the page asked for them explicitly).
    """
    implied = layers.get("implied")
    if implied is not None and len(implied):
        fg = folium.FeatureGroup(name=f"Implied areas ({IMPLIED_TITLE.lower()})", show=show)
        for _, band in implied.iterrows():
            if band.geometry is None or band.geometry.is_empty:
                continue  # "could not be drawn: why" is in the band's error column and the table
            colour = PARTY_COLOURS.get(band.get(S.CLAIM_SIDE), "#999999")
            dash = "2 6" if band.get(S.I_BOUND) == S.BOUND_UPPER else "8 5"
            gj = folium.GeoJson(
                _feature_geojson(band.geometry),
                style_function=lambda f, c=colour, d=dash: {
                    "color": c,
                    "weight": 2,
                    "dashArray": d,
                    "fillColor": c,
                    "fillOpacity": 0.12,
                },
                highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.3},
            )
            folium.Tooltip(
                esc(
                    f"Claim {band.get(S.CLAIM_ID)}: {fmt_km2(band.get(S.I_CLAIMED_KM2))} as a band "
                    f"{_num(band.get(S.I_WIDTH_KM)) or 0:.2f} km deep ({IMPLIED_TITLE.lower()})"
                )
            ).add_to(gj)
            folium.Popup(implied_popup_html(band), max_width=440).add_to(gj)
            gj.add_to(fg)
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
            for _, zone in group.iterrows():
                gj = folium.GeoJson(
                    _feature_geojson(zone.geometry),
                    style_function=lambda f, c=colour: {
                        "color": c,
                        "weight": 2,
                        "fillColor": c,
                        "fillOpacity": 0.05,
                    },
                )
                folium.Tooltip(esc(zone[S.LINE_NAME])).add_to(gj)
                folium.Popup(zone_popup_html(zone), max_width=440).add_to(gj)
                gj.add_to(fg)
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
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            marker=folium.CircleMarker(radius=3, color=SETTLEMENT_COLOUR, weight=1, fill=True, fill_opacity=0.8),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fg)
        fg.add_to(m)
    return m
