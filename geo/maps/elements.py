"""Leaflet add-ons of the map: point markers, offline labels, stacking by size, the legend control, keyboard popups."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
from branca.element import MacroElement, Template

from geo import schema as S
from geo.maps.basemap import DEFAULT_ZOOM
from geo.maps.popups import as_number


def point_marker(
    colour: str, *, radius: float = 6, weight: float = 1.5, fill_opacity: float = 0.8
) -> folium.CircleMarker:
    """How a ``folium.GeoJson`` draws its points: a circle Leaflet draws itself, never an icon image.

    Without ``marker=``, Leaflet draws a GeoJSON point with its default icon, a PNG it looks up
    (from the stylesheet's location, else a relative path) when the map runs: offline, or inside
    the app's map frame, that image is missing and the point shows as a broken image.

    >>> m = point_marker("#2166ac", radius=4)
    >>> type(m).__name__, m.options["radius"], m.options["fillColor"]
    ('CircleMarker', 4, '#2166ac')
    """
    return folium.CircleMarker(
        radius=radius, color=colour, weight=weight, fill=True, fill_color=colour, fill_opacity=fill_opacity
    )


def settlement_min_zoom(population) -> int:
    """The zoom from which a settlement's name is shown: the more populous, the sooner.

    >>> settlement_min_zoom(950_000), settlement_min_zoom(40_000), settlement_min_zoom(12_000), settlement_min_zoom(800)
    (8, 9, 10, 11)
    """
    p = as_number(population) or 0.0
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
