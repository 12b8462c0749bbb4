"""Display geometry: simplification per zoom level that keeps shared edges shared.

The map only needs as many vertices as a screen can show. This module
simplifies the polygon layers for a given zoom level without breaking their
topology: every polygon of every layer is cut into the faces of one planar
partition (the noded union of all their boundaries), the faces are simplified
together as one coverage with :func:`shapely.coverage_simplify` (an edge shared
by two faces is simplified once, so it stays shared), and each polygon is put
back together from its simplified faces. Adjacent oblasts therefore keep a
common edge, and a contested area that reaches an oblast border follows the
simplified border exactly: no gaps and no overlaps appear between them.

Two tolerances are used: a fine one (one screen pixel at the *detail* zoom)
for faces inside "detail" polygons (the front oblasts and the areas drawn
over them, seen at the default view), and a coarse one (one pixel at the
*context* zoom, where the whole country fits on screen) for the other faces.
The coarse pass only touches edges that lie between coarse faces, so the edges
the two share are simplified once, finely.

Simplified geometry is for display only: areas shown to the user are always
the geodesic areas computed on full-resolution geometry (:mod:`geo.measure`),
which :func:`display_layers` carries over untouched.

Examples
--------
>>> round(tolerance_deg(8), 4)
0.0036
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import shapely

from geo import schema as S
from geo.measure import GEOD
from geo.vocab import Layer

#: Latitude (degrees) at which a screen pixel is converted to degrees: the front line.
REFERENCE_LAT = 48.5
#: Zoom at which the front oblasts and the areas over them must look exact
#: (the default view fits the front oblasts at zoom 7; one pixel at zoom 8 is
#: half a pixel there).
DETAIL_ZOOM = 8
#: Zoom at which the rest of the country is seen (all of Ukraine on screen).
CONTEXT_ZOOM = 5
#: Decimals kept in coordinates sent to the browser (1e-5 degrees is about 1 m).
COORD_DECIMALS = 5
#: Snap-rounding grid (degrees) used when noding the boundaries into faces.
NODING_GRID = 1e-7
#: Polygon layers drawn on the map, simplified together as one partition.
POLYGON_LAYERS = tuple(k.value for k in (Layer.BOUNDARIES, Layer.CONTESTED, Layer.IMPLIED, Layer.ZONES))
#: Layers whose polygons are all "detail" (drawn over the front oblasts).
DETAIL_LAYERS = (Layer.CONTESTED.value, Layer.IMPLIED.value)

_CACHE: OrderedDict[tuple, list[np.ndarray]] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def tolerance_deg(zoom: float, *, lat: float = REFERENCE_LAT, pixels: float = 1.0) -> float:
    """The size of ``pixels`` screen pixels at Web Mercator ``zoom``, in degrees of latitude.

    A 256-pixel tile spans ``360 / 2**zoom`` degrees of longitude; at latitude
    ``lat`` a pixel is ``cos(lat)`` times as long on the ground northwards.

    Parameters
    ----------
    zoom : float
        Leaflet zoom level (0 = whole world in one tile).
    lat : float
        Latitude of the area shown.
    pixels : float
        How many pixels of deviation are allowed.

    Returns
    -------
    float
        The tolerance in degrees, for :func:`shapely.coverage_simplify`.

    Examples
    --------
    >>> round(tolerance_deg(5) / tolerance_deg(8), 6)
    8.0
    """
    if pixels <= 0:
        raise ValueError(f"pixels must be positive, got {pixels}")
    return pixels * 360.0 / (256.0 * 2.0**zoom) * math.cos(math.radians(lat))


def rounded(geom, decimals: int = COORD_DECIMALS):
    """``geom`` with coordinates rounded to ``decimals`` (identical vertices stay identical)."""
    if geom is None:
        return None
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def _key(groups: Sequence[np.ndarray], detail: Sequence[np.ndarray], fine: float, coarse: float) -> tuple:
    h = hashlib.sha1()
    for geoms, flags in zip(groups, detail):
        h.update(b"|")
        for wkb in shapely.to_wkb(geoms, output_dimension=2):
            h.update(wkb or b"-")
        h.update(np.asarray(flags, dtype=bool).tobytes())
    return (h.hexdigest(), float(fine), float(coarse))


def partition_faces(geoms: np.ndarray, *, grid_size: float = NODING_GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The faces of the planar partition made by the boundaries of ``geoms``.

    Returns
    -------
    faces : ndarray of Polygon
        Faces covered by at least one input polygon (a valid coverage).
    face_index, geom_index : ndarray of int
        Pairs: face ``faces[face_index[k]]`` lies inside ``geoms[geom_index[k]]``.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        empty = np.array([], dtype=int)
        return np.array([], dtype=object), empty, empty
    linework = shapely.union_all(shapely.boundary(geoms[present]), grid_size=grid_size)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(linework))), dtype=object)
    inside = shapely.point_on_surface(faces)
    face_index, geom_index = shapely.STRtree(geoms).query(inside, predicate="intersects")
    owned = np.unique(face_index)
    renumber = np.full(len(faces), -1)
    renumber[owned] = np.arange(len(owned))
    return faces[owned], renumber[face_index], geom_index


def simplify_consistent(
    groups: Sequence,
    fine: float,
    *,
    coarse: float | None = None,
    detail: Sequence | None = None,
) -> list[np.ndarray]:
    """Simplify several arrays of polygons together, keeping every shared edge shared.

    Parameters
    ----------
    groups : sequence of array-like of Polygon/MultiPolygon
        E.g. the geometries of the oblasts and of the contested areas.
    fine : float
        Tolerance (degrees, about the largest deviation allowed) for faces
        inside a detail polygon.
    coarse : float, optional
        Tolerance for the other faces (default: ``fine``, one pass).
    detail : sequence of array-like of bool, optional
        Per group, which polygons need the fine tolerance (default: all).

    Returns
    -------
    list of ndarray
        The simplified geometries, group by group, in input order. Results
        are cached by content, so repeated calls with the same input are cheap.
    """
    groups = [np.asarray(list(g), dtype=object) for g in groups]
    if detail is None:
        detail = [np.ones(len(g), dtype=bool) for g in groups]
    detail = [np.asarray(d, dtype=bool) for d in detail]
    if len(detail) != len(groups) or any(len(d) != len(g) for d, g in zip(detail, groups)):
        raise ValueError("detail must give one flag per geometry of every group")
    if fine <= 0 or (coarse is not None and coarse <= 0):
        raise ValueError("tolerances must be positive")
    coarse = fine if coarse is None else max(coarse, fine)
    key = _key(groups, detail, fine, coarse)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return [a.copy() for a in hit]

    geoms = np.concatenate(groups) if groups else np.array([], dtype=object)
    flags = np.concatenate(detail) if detail else np.array([], dtype=bool)
    out = geoms.copy()
    if len(geoms):
        # A frame face around everything, so that the outer border is an edge
        # between two faces (coarse outside, fine where it borders detail).
        x0, y0, x1, y1 = shapely.total_bounds(geoms[~shapely.is_missing(geoms)])
        frame = shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1)
        with_frame = np.append(geoms, frame)
        faces, fi, gi = partition_faces(with_frame)
        is_frame = gi == len(geoms)
        fine_face = np.zeros(len(faces), dtype=bool)
        fine_face[fi[~is_frame][flags[gi[~is_frame]]]] = True
        simple = np.asarray(shapely.coverage_simplify(faces, fine), dtype=object)
        if coarse > fine and (~fine_face).any():
            rest = ~fine_face
            simple[rest] = shapely.coverage_simplify(simple[rest], coarse, simplify_boundary=False)
        for j in range(len(geoms)):
            mine = simple[fi[gi == j]]
            if len(mine) and not shapely.is_missing(geoms[j]):
                out[j] = shapely.coverage_union_all(mine)
    result = []
    start = 0
    for g in groups:
        result.append(out[start : start + len(g)])
        start += len(g)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return [a.copy() for a in result]


def display_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    detail_zoom: float = DETAIL_ZOOM,
    context_zoom: float = CONTEXT_ZOOM,
) -> dict[str, gpd.GeoDataFrame]:
    """Copies of the map's polygon layers with geometry simplified for display.

    The front oblasts, contested areas and implied bands are simplified to one
    pixel at ``detail_zoom``, the rest of the country to one pixel at
    ``context_zoom``, all in one partition so shared edges stay shared. Other
    layers (lines, settlements, ...) are returned as they are. Every other
    column, ``area_km2`` included, is kept unchanged: areas are never
    recomputed from the simplified geometry.

    Parameters
    ----------
    layers : mapping of name to GeoDataFrame
        As from :func:`geo.analysis.layers.build_layers`; missing layers are skipped.
    detail_zoom, context_zoom : float
        Zoom levels giving the fine and the coarse tolerance.
    """
    if context_zoom > detail_zoom:
        raise ValueError(f"context_zoom ({context_zoom}) must not exceed detail_zoom ({detail_zoom})")
    names = [n for n in POLYGON_LAYERS if n in layers and layers[n] is not None and len(layers[n])]
    out = dict(layers)
    if not names:
        return out
    groups, detail = [], []
    for name in names:
        gdf = layers[name]
        groups.append(gdf.geometry.values)
        if name == Layer.BOUNDARIES and S.B_ISO in gdf.columns:
            detail.append(gdf[S.B_ISO].isin(S.FRONT_OBLASTS).to_numpy())
        else:
            detail.append(np.full(len(gdf), name in DETAIL_LAYERS))
    simple = simplify_consistent(
        groups,
        tolerance_deg(detail_zoom),
        coarse=tolerance_deg(context_zoom),
        detail=detail,
    )
    for name, geoms in zip(names, simple):
        gdf = layers[name].copy()
        gdf[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
        out[name] = gdf
    return out


def _km2(geom) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            total += abs(GEOD.geometry_area_perimeter(shapely.geometry.polygon.orient(part, 1.0))[0])
    return total / 1e6


def _holes(geom) -> list:
    return [shapely.Polygon(r) for p in shapely.get_parts(geom) for r in getattr(p, "interiors", [])]


def topology_errors_km2(
    oblasts_before,
    oblasts_after,
    areas_before=(),
    areas_after=(),
) -> dict[str, float]:
    """The largest gap or overlap (km², geodesic) that simplification opened between neighbours.

    Checks, on the simplified geometry: overlaps between two oblasts; new holes
    in the union of the oblasts (a gap along a shared edge); parts of an area
    drawn over the oblasts (a contested area) that stick out of the simplified
    oblasts; and strips between such an area and the oblast border where the
    area reached the border before (pieces of the oblasts outside the area,
    touching the border along a line, that were inside the area or outside
    the oblasts before).

    Returns
    -------
    dict
        ``overlap_km2``, ``gap_km2``, ``outside_km2``, ``strip_km2`` and ``max_km2``.
    """
    before = np.asarray(list(oblasts_before), dtype=object)
    after = np.asarray(list(oblasts_after), dtype=object)
    overlap = 0.0
    tree = shapely.STRtree(after)
    left, right = tree.query(after, predicate="intersects")
    for i, j in zip(left, right):
        if i < j:
            overlap = max(overlap, _km2(shapely.intersection(after[i], after[j])))
    region_before = shapely.union_all(before)
    region_after = shapely.union_all(after)
    old_holes = shapely.union_all(_holes(region_before)) if _holes(region_before) else shapely.Polygon()
    gap = 0.0
    for hole in _holes(region_after):
        gap = max(gap, _km2(shapely.difference(hole, old_holes)))
    outside = strip = 0.0
    border = shapely.boundary(region_after)
    for a0, a1 in zip(areas_before, areas_after):
        if a1 is None or a1.is_empty:
            continue
        outside = max(outside, _km2(shapely.difference(a1, region_after)))
        rest = shapely.difference(region_after, a1)
        for piece in shapely.get_parts(rest):
            touching = shapely.length(shapely.intersection(piece.boundary, border))
            on_a1 = shapely.length(shapely.intersection(piece.boundary, a1.boundary))
            if touching <= 0 or on_a1 <= 0:
                continue
            p = shapely.point_on_surface(piece)
            was_rest = shapely.contains(region_before, p) and not shapely.intersects(a0, p)
            if not was_rest:
                strip = max(strip, _km2(piece))
    worst = max(overlap, gap, outside, strip)
    return {"overlap_km2": overlap, "gap_km2": gap, "outside_km2": outside, "strip_km2": strip, "max_km2": worst}
