"""Gained and lost polygons between two nearby control states, computed only where their outlines differ.

Consecutive daily maps share almost every edge. The edges of one outline
that are not in the other lie in a small box; outside that box the two
outlines coincide, so (a point outside a convex box can always be joined to
infinity without entering it) the two areas coincide there too. The overlay
is therefore done on both states clipped to that box: a few hundred vertices
instead of thousands.

Examples
--------
>>> import shapely
>>> a = shapely.box(37, 48, 38, 49)
>>> b = shapely.Polygon([(37, 48), (38, 48), (38.2, 48.5), (38, 49), (37, 49)])
>>> gained, lost = gained_lost(a, b)
>>> round(gained.area, 6), lost.is_empty
(0.1, True)
"""

from __future__ import annotations

import numpy as np
import shapely

#: Margin (degrees) around the changed edges.
MARGIN_DEG = 1e-7


_ROW = np.dtype((np.void, 32))  # one edge: four float64


def _edges(geom) -> np.ndarray:
    """The edges of every ring of a (multi)polygon: rows of (x1, y1, x2, y2)."""
    rows = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = shapely.get_coordinates(ring)
            rows.append(np.hstack([xy[:-1], xy[1:]]))
    return np.ascontiguousarray(np.vstack(rows)) if rows else np.empty((0, 4))


def edge_keys(geom) -> set[bytes]:
    """The edges of ``geom`` as a set (each the bytes of x1, y1, x2, y2): what :func:`changed_box` compares."""
    return set(_edges(geom).view(_ROW).ravel().tolist())


def changed_box(a, b, keys_a: set[bytes] | None = None, keys_b: set[bytes] | None = None):
    """The smallest box (with a margin) holding every edge in one outline and not the other; None when none differ.

    ``keys_a``/``keys_b``: the :func:`edge_keys` of ``a``/``b`` when already known.
    """
    keys_a = edge_keys(a) if keys_a is None else keys_a
    keys_b = edge_keys(b) if keys_b is None else keys_b
    diff = keys_a ^ keys_b
    if not diff:
        return None
    xy = np.frombuffer(b"".join(diff), dtype=float).reshape(-1, 2)
    lo, hi = xy.min(axis=0) - MARGIN_DEG, xy.max(axis=0) + MARGIN_DEG
    return shapely.box(lo[0], lo[1], hi[0], hi[1])


class Outline:
    """The rings of a (multi)polygon as one coordinate array (and their lengths), for :func:`changed_box_between`."""

    __slots__ = ("_keys", "geom", "lengths", "xy")

    def __init__(self, geom) -> None:
        rings = shapely.get_rings(shapely.get_parts(geom))
        self.geom = geom
        self.lengths = shapely.get_num_coordinates(rings)
        self.xy = shapely.get_coordinates(rings)
        self._keys: set[bytes] | None = None

    def keys(self) -> set[bytes]:
        """The :func:`edge_keys` of the outline (computed on first use)."""
        if self._keys is None:
            self._keys = edge_keys(self.geom)
        return self._keys


def changed_box_between(a: Outline, b: Outline):
    """:func:`changed_box` of two outlines, without comparing edge sets when their rings have the same lengths.

    With rings of equal lengths, an edge of one outline that is not in the
    other touches a vertex whose position differs between them; the box of
    those vertices and their neighbours, in both, holds every such edge.
    Otherwise the edge sets are compared (:func:`changed_box`).

    >>> a = Outline(shapely.box(37, 48, 38, 49))
    >>> b = Outline(shapely.Polygon([(38, 48), (38, 49.5), (37, 49), (37, 48), (38, 48)]))
    >>> changed_box_between(a, a) is None, [round(v, 3) for v in changed_box_between(a, b).bounds]
    (True, [37.0, 48.0, 38.0, 49.5])
    """
    if len(a.lengths) != len(b.lengths) or not np.array_equal(a.lengths, b.lengths):
        return changed_box(a.geom, b.geom, a.keys(), b.keys())
    moved = np.flatnonzero(np.any(a.xy != b.xy, axis=1))
    if not len(moved):
        return None
    near = np.unique(np.clip(np.concatenate([moved - 1, moved, moved + 1]), 0, len(a.xy) - 1))
    xy = np.vstack([a.xy[near], b.xy[near]])
    lo, hi = xy.min(axis=0) - MARGIN_DEG, xy.max(axis=0) + MARGIN_DEG
    return shapely.box(lo[0], lo[1], hi[0], hi[1])


#: Changed edges closer than twice this (degrees) are overlaid in one box (:func:`changed_boxes_between`).
GAP_DEG = 0.01


def _disjoint(boxes: np.ndarray) -> np.ndarray:
    """Rows (x0, y0, x1, y1) grouped into pairwise disjoint boxes covering them all; the boxes' rows.

    The rows are cut where a gap wider than ``2 * GAP_DEG`` parts them along x,
    each part where one parts them along y, and so on until no part can be cut:
    any two results are then parted along x or y. Disjoint convex sets do not
    enclose any part of the plane between them.
    """
    out, stack = [], [(boxes, 0, False)]
    while stack:
        group, axis, tried_other = stack.pop()
        order = np.argsort(group[:, axis], kind="stable")
        group = group[order]
        reach = np.maximum.accumulate(group[:, axis + 2])
        cuts = np.flatnonzero(group[1:, axis] > reach[:-1] + 2 * GAP_DEG) + 1
        if len(cuts):
            stack += [(part, 1 - axis, False) for part in np.split(group, cuts)]
        elif not tried_other:
            stack.append((group, 1 - axis, True))
        else:
            out.append([*group[:, :2].min(axis=0), *group[:, 2:].max(axis=0)])
    return np.asarray(sorted(out))


def _edge_boxes(xy: np.ndarray) -> np.ndarray:
    """Rows (x0, y0, x1, y1) of the edges ``xy`` (rows x1, y1, x2, y2), with the margin."""
    lo = np.minimum(xy[:, :2], xy[:, 2:]) - MARGIN_DEG
    hi = np.maximum(xy[:, :2], xy[:, 2:]) + MARGIN_DEG
    return np.hstack([lo, hi])


def changed_boxes_between(a: Outline, b: Outline) -> list | None:
    """Disjoint boxes holding every edge in one outline and not the other (None when none differ).

    Like :func:`changed_box_between`, but the changes far apart on a front
    (a real daily map is redrawn in several places) get boxes of their own, so
    each overlay is small. Outside all the boxes the two outlines coincide,
    and (the boxes being disjoint and convex) every point outside them can be
    joined to infinity without entering one, so the two areas coincide there.

    >>> a = Outline(shapely.box(37, 48, 38, 49))
    >>> b = Outline(shapely.Polygon([(37, 48), (37.5, 47.9), (38, 48), (38, 49), (37.5, 49.1), (37, 49), (37, 48)]))
    >>> [[round(v, 3) for v in box.bounds] for box in changed_boxes_between(a, b)]
    [[37.0, 47.9, 38.0, 48.0], [37.0, 49.0, 38.0, 49.1]]
    """
    if len(a.lengths) != len(b.lengths) or not np.array_equal(a.lengths, b.lengths):
        diff = a.keys() ^ b.keys()
        if not diff:
            return None
        edges = np.frombuffer(b"".join(diff), dtype=float).reshape(-1, 4)
    else:
        moved = np.flatnonzero(np.any(a.xy != b.xy, axis=1))
        if not len(moved):
            return None
        edges = []
        for xy in (a.xy, b.xy):  # the edges at each moved vertex (a ring's ends join the same point)
            before, after = np.clip(moved - 1, 0, len(xy) - 1), np.clip(moved + 1, 0, len(xy) - 1)
            edges += [np.hstack([xy[before], xy[moved]]), np.hstack([xy[moved], xy[after]])]
        edges = np.vstack(edges)
    boxes = _disjoint(_edge_boxes(edges))
    return list(shapely.box(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]))


def _clip(geom, box):
    """``geom`` inside ``box``: the fast rectangle clip, or a full intersection when that clip is not valid."""
    clipped = shapely.clip_by_rect(geom, *box.bounds)
    return clipped if clipped.is_valid else shapely.intersection(geom, box)


def areal(geom):
    """The polygonal part of an overlay result (touching edges and points dropped)."""
    if geom.is_empty:
        return shapely.MultiPolygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def _joined(parts: list):
    """One MultiPolygon of the polygons of ``parts`` (which do not overlap: each lies in its own box)."""
    polys = [p for g in parts for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(polys) if polys else shapely.MultiPolygon()


def gained_lost(a, b, box=False):
    """``(b minus a, a minus b)``: what is held under ``b`` and not ``a``, and the reverse (polygons only).

    ``box``: the :func:`changed_box` of ``a`` and ``b`` when the caller has it
    (``None`` meaning they are equal), or a list of disjoint boxes
    (:func:`changed_boxes_between`); computed here by default.
    """
    a = a if a is not None else shapely.MultiPolygon()
    b = b if b is not None else shapely.MultiPolygon()
    if a.is_empty or b.is_empty:
        return areal(b), areal(a)
    if box is False:
        box = changed_box(a, b)
    if box is None:
        return shapely.MultiPolygon(), shapely.MultiPolygon()
    if isinstance(box, list):
        pieces = [gained_lost(a, b, one) for one in box]
        return tuple(_joined([p[k] for p in pieces]) for k in (0, 1))
    a_in, b_in = _clip(a, box), _clip(b, box)
    return areal(shapely.difference(b_in, a_in)), areal(shapely.difference(a_in, b_in))
