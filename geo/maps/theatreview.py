"""The map of any theatre from its own tables: its regions, reference lines and the claims drawn as areas.

The Map page draws the registry's theatre with :func:`geo.maps.mapview.build_map` (contested
areas, implied bands, zones); every other theatre is drawn here from what it holds: regions
when they are known, each reference line with its popup, and each claim that carries a
geometry, filled in the colour of the party it concerns (the theatre's colours, never
constants). The view fits everything drawn.

Examples
--------
>>> from geo.theatres import get_theatre
>>> from geo.theatres.tables import theatre_claims, theatre_lines
>>> t = get_theatre("korea-1953")
>>> m = theatre_map(t, theatre_lines(t), theatre_claims(t))
>>> [i.label for i in m.legend if i.kind in ("line", "dashed")]
['Military Demarcation Line (27 Jul 1953)']
>>> "Military Demarcation Line" in m.get_root().render()
True
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.security_zones import Z_ZONE_ID
from geo.html import esc
from geo.maps.basemap import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, base_map, fit_zoom
from geo.maps.elements import point_marker
from geo.maps.legend import Legend, area_item, line_item
from geo.maps.popups import claim_html, line_popup_html, zone_popup_html
from geo.maps.style import OBLAST_STYLE, line_styles
from geo.theatres.model import Theatre

#: Fill of a claim area whose party is none of the theatre's.
OTHER_CLAIM_COLOUR = "#777777"
#: A zone of an agreement: a dashed outline with a faint fill, in no party's colour.
THEATRE_ZONE_STYLE = {
    "color": "#6a3d9a",
    "weight": 2,
    "opacity": 1.0,
    "dashArray": "6 4",
    "fillColor": "#6a3d9a",
    "fillOpacity": 0.08,
}


def claim_geometries(claims: pd.DataFrame) -> gpd.GeoDataFrame:
    """The claims that carry a WKT geometry, as a GeoDataFrame (EPSG:4326); unreadable WKT is left out.

    >>> frame = pd.DataFrame({"claim_id": ["a", "b", "c"],
    ...                       "geometry_wkt": ["POINT (30 50)", "", "not wkt"]})
    >>> list(claim_geometries(frame)["claim_id"])
    ['a']
    """
    if S.CLAIM_GEOMETRY not in claims or claims.empty:
        return gpd.GeoDataFrame(claims.iloc[0:0], geometry=[], crs=S.CRS)
    wkt = claims[S.CLAIM_GEOMETRY].fillna("").astype(str).str.strip()
    geoms = shapely.from_wkt(wkt.to_numpy(dtype=object), on_invalid="ignore")  # "" and bad WKT: None
    keep = ~shapely.is_missing(geoms)
    return gpd.GeoDataFrame(claims[keep].reset_index(drop=True), geometry=list(geoms[keep]), crs=S.CRS)


def view_bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    """``(x0, y0, x1, y1)`` around every non-empty frame, or None when all are empty.

    >>> from shapely.geometry import LineString
    >>> view_bounds(gpd.GeoDataFrame(geometry=[LineString([(1, 2), (3, 4)])]), gpd.GeoDataFrame(geometry=[]))
    (1.0, 2.0, 3.0, 4.0)
    """
    boxes = [f.total_bounds for f in frames if f is not None and len(f) and not f.geometry.is_empty.all()]
    if not boxes:
        return None
    return (
        float(min(b[0] for b in boxes)),
        float(min(b[1] for b in boxes)),
        float(max(b[2] for b in boxes)),
        float(max(b[3] for b in boxes)),
    )


def _feature(geom, label_text: str) -> dict:
    return {"type": "Feature", "properties": {"label": label_text}, "geometry": shapely.geometry.mapping(geom)}


def theatre_map(
    theatre: Theatre,
    lines: gpd.GeoDataFrame,
    claims: pd.DataFrame,
    *,
    regions: gpd.GeoDataFrame | None = None,
    sources: pd.DataFrame | None = None,
    zones: gpd.GeoDataFrame | None = None,
    basemap: str = "blank",
    offline: bool = True,
) -> folium.Map:
    """A folium map of ``theatre``: ``regions`` (optional), its ``lines`` and the claims with a geometry.

    ``zones`` (optional, :func:`geo.analysis.security_zones.theatre_zones`) adds one layer per
    zone of the theatre's agreements, off until ticked in the layer control. The map's ``legend``
    attribute lists one :class:`geo.maps.legend.LegendItem` per style drawn.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap '{basemap}'; choose one of {sorted(BASEMAPS)}")
    drawn = claim_geometries(claims)
    bounds = view_bounds(lines, drawn, regions)
    if bounds:
        center, zoom = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2), fit_zoom(bounds)
    else:
        center, zoom = DEFAULT_CENTER, DEFAULT_ZOOM
    m = base_map(center, zoom, offline=offline, basemaps=tuple(BASEMAPS), shown=basemap)
    legend = Legend()
    if regions is not None and len(regions):
        word = theatre.region_word_plural.capitalize()
        feats = [_feature(g, esc(str(n))) for g, n in zip(regions.geometry, regions["name"])]
        fg = folium.FeatureGroup(name=esc(word), show=True)
        gj = folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            style_function=lambda f: dict(OBLAST_STYLE),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        )
        legend.add(gj, area_item(f"{theatre.region_word.capitalize()} boundary", OBLAST_STYLE)).add_to(fg)
        fg.add_to(m)
    colours = {p.id: p.colour for p in theatre.parties}
    names = {p.id: p.short for p in theatre.parties}
    for _, claim in drawn.iterrows():
        party = str(claim.get(S.CLAIM_PARTY) or "")
        colour = colours.get(party, OTHER_CLAIM_COLOUR)
        style = {"color": colour, "weight": 1.5, "opacity": 1.0, "fillColor": colour, "fillOpacity": 0.35}
        gj = folium.GeoJson(
            _feature(claim.geometry, ""), style_function=lambda f, s=style: dict(s), marker=point_marker(colour)
        )
        folium.Tooltip(esc(f"Claim {claim[S.CLAIM_ID]}: {claim.get(S.CLAIM_ACTOR) or ''}")).add_to(gj)
        folium.Popup(claim_html(claim), max_width=420, maxHeight=400).add_to(gj)
        text = f"Claimed area concerning {names[party]}" if party in names else "Claimed area"
        fg = folium.FeatureGroup(name=esc(f"Claim {claim[S.CLAIM_ID]}"), show=True)
        kind = "point" if claim.geometry.geom_type.endswith("Point") else "area"
        legend.add(gj, area_item(text if kind == "area" else text.replace("area", "place"), style, kind)).add_to(fg)
        fg.add_to(m)
    if zones is not None and len(zones):
        for _, group in zones.groupby(Z_ZONE_ID, sort=False):
            first = group.iloc[0]
            fg = folium.FeatureGroup(name=esc(f"Zone: {first[S.Z_AGREEMENT]}, {first[S.Z_WEAPON_CLASS]}"), show=False)
            for _, zone in group.iterrows():
                gj = folium.GeoJson(_feature(zone.geometry, ""), style_function=lambda f: dict(THEATRE_ZONE_STYLE))
                folium.Tooltip(esc(zone[S.LINE_NAME])).add_to(gj)
                folium.Popup(zone_popup_html(zone), max_width=440).add_to(gj)
                text = f"Zone of {first[S.Z_AGREEMENT]}: {first[S.Z_WEAPON_CLASS]} ({first[S.Z_ZONE_WIDTH_KM]:g} km)"
                legend.add(gj, area_item(text, THEATRE_ZONE_STYLE, "outline")).add_to(fg)
            fg.add_to(m)
    styles = line_styles(lines)
    for _, ln in lines.iterrows():
        style = styles[ln[S.LINE_ID]]
        fg = folium.FeatureGroup(name=f"Line: {esc(ln[S.LINE_NAME])}", show=True)
        gj = folium.GeoJson(_feature(ln.geometry, ""), style_function=lambda f, s=style: dict(s))
        folium.Tooltip(esc(f"{ln[S.LINE_NAME]} ({ln[S.LINE_DATE]})")).add_to(gj)
        folium.Popup(line_popup_html(ln, sources), max_width=400).add_to(gj)
        legend.add(gj, line_item(str(ln[S.LINE_NAME]), style)).add_to(fg)
        fg.add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    m.legend = list(legend.items)
    return m
