"""Side rules: how a reference line becomes control areas, never by compass direction.

A line alone says nothing about who holds which side. Its *side rule* says it, in the
side columns of ``lines.csv`` (:data:`geo.schema.LINE_SIDE_COLUMNS`):

- ``point``: ``side_party`` holds the side containing the point (``side_lon``, ``side_lat``),
  ``other_party`` the other side;
- ``left`` / ``right``: ``side_party`` holds the side to the left / right of the line, looking
  along it from its first vertex to its last; ``other_party`` the other side;
- ``inside`` / ``outside``: for a closed line (an enclave, a buffer zone): ``side_party`` holds
  the ground the line encloses / the ground outside it.

:func:`control_from_line` cuts the region with the line (``shapely.polygonize`` of the region's
boundary and the line), gives each face the side it lies on by a shared-edge test (a face
whose counter-clockwise boundary runs along the line in the line's direction lies on its
left), and hands each face to a party. Lines ending at the border or in the sea are fine;
every case the rule cannot decide is refused with a :class:`geo.errors.SideRuleError` that
says what is wrong and how to fix it: a line ending inside the region, a line with gaps, an
``inside`` rule on an open line, a side point outside the region or on the line, a line that
does not touch or does not divide the region.

Examples
--------
>>> from shapely.geometry import LineString, box
>>> region = box(0, 0, 10, 10)
>>> rule = SideRule("point", "north", "south", 5.0, 8.0)
>>> areas = control_from_line(LineString([(-1, 4), (11, 4)]), region, rule)
>>> {party: round(geom.area, 6) for party, geom in areas.items()}
{'north': 60.0, 'south': 40.0}
>>> left = SideRule("left", "north", "south")
>>> round(control_from_line(LineString([(-1, 4), (11, 4)]), region, left)["north"].area, 6)
60.0
>>> control_from_line(LineString([(-1, 4), (5, 4)]), region, rule, line_id="demo")
Traceback (most recent call last):
...
geo.errors.SideRuleError: line demo ends 442 km inside the region at (5.0000, 4.0000); extend it to the border or the sea, or close it (last vertex = first vertex)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.polygon import orient

from geo import schema as S
from geo.errors import SideRuleError
from geo.measure import GEOD
from geo.shapes import POLYGON_TYPES, polygonal, valid_polygonal

POINT = "point"
LEFT = "left"
RIGHT = "right"
INSIDE = "inside"
OUTSIDE = "outside"
#: Every side rule kind, as written in the ``side_rule`` column.
KINDS = (POINT, LEFT, RIGHT, INSIDE, OUTSIDE)
#: A side point nearer than this to its line (geodesic km) is "on the line".
ON_LINE_KM = 0.01
#: Two parts of a line closer than this (km) are joined, farther apart they are a gap.
GAP_KM = 0.001
#: Degrees within which a face's edge counts as running along the line (noding is exact to ~1e-15).
_EDGE_TOL_DEG = 1e-9
#: A face touching the line on both sides with the minor side above this share of the shared length is refused.
_BOTH_SIDES_SHARE = 0.05


@dataclass(frozen=True)
class SideRule:
    """Who holds which side of one line (see the module docstring).

    ``kind`` is one of :data:`KINDS`; ``party`` holds the side the rule names, ``other`` the
    other side; ``lon``/``lat`` only for a ``point`` rule.
    """

    kind: str
    party: str
    other: str
    lon: float | None = None
    lat: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise SideRuleError(
                f"{self.kind!r} is not a side rule; use one of {', '.join(KINDS)}", field=S.LINE_SIDE_RULE
            )
        if not self.party:
            raise SideRuleError("name the party that holds the side the rule names", field=S.LINE_SIDE_PARTY)
        if not self.other:
            raise SideRuleError(f"name the party that holds the side opposite {self.party}", field=S.LINE_SIDE_OTHER)
        if self.party == self.other:
            raise SideRuleError(
                f"both sides go to {self.party!r}; name a different party for the other side", field=S.LINE_SIDE_OTHER
            )
        if self.kind == POINT:
            ok = self.lon is not None and self.lat is not None
            ok = ok and math.isfinite(self.lon) and math.isfinite(self.lat)
            if not ok or not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
                raise SideRuleError(
                    f"a point rule needs a WGS84 point on {self.party}'s side (side_lon, side_lat), "
                    f"got ({self.lon}, {self.lat})",
                    field=S.LINE_SIDE_LON,
                )
        elif self.lon is not None or self.lat is not None:
            raise SideRuleError(
                f"side_lon/side_lat are only for a point rule, not {self.kind!r}; clear them", field=S.LINE_SIDE_LON
            )

    @property
    def parties(self) -> tuple[str, str]:
        """``(party, other)``: the party the rule names first."""
        return (self.party, self.other)

    def describe(self) -> str:
        """The rule in words.

        >>> SideRule("point", "a", "b", 1.5, 2.0).describe()
        'a holds the side containing (1.5, 2.0), b the other side'
        """
        what = {
            POINT: f"the side containing ({self.lon}, {self.lat})",
            LEFT: "the left of the line's direction",
            RIGHT: "the right of the line's direction",
            INSIDE: "the ground the closed line encloses",
            OUTSIDE: "the ground outside the closed line",
        }[self.kind]
        return f"{self.party} holds {what}, {self.other} the other side"


def _cell(row: Mapping, key: str) -> str:
    value = row.get(key, "") if hasattr(row, "get") else ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def rule_from_row(row: Mapping, *, line_id: str | None = None, parties=None) -> SideRule | None:
    """The :class:`SideRule` in the side columns of one ``lines.csv`` row; ``None`` if it has none.

    ``parties`` (optional): the theatre's party ids the rule's parties must be among.

    >>> rule_from_row({"line_id": "l1", "side_rule": "left", "side_party": "a", "other_party": "b"})
    SideRule(kind='left', party='a', other='b', lon=None, lat=None)
    >>> rule_from_row({"line_id": "l1", "side_rule": ""}) is None
    True
    >>> rule_from_row({"line_id": "l1", "side_rule": "east", "side_party": "a", "other_party": "b"})
    Traceback (most recent call last):
    ...
    geo.errors.SideRuleError: field 'side_rule': line l1: 'east' is not a side rule; use one of point, left, right, inside, outside
    """
    lid = line_id or _cell(row, S.LINE_ID) or "?"
    kind = _cell(row, S.LINE_SIDE_RULE).lower()
    if not kind:
        return None
    coords = []
    for key in (S.LINE_SIDE_LON, S.LINE_SIDE_LAT):
        text = _cell(row, key)
        try:
            coords.append(float(text) if text else None)
        except ValueError:
            raise SideRuleError(f"line {lid}: {text!r} is not a number", field=key) from None
    try:
        rule = SideRule(kind, _cell(row, S.LINE_SIDE_PARTY), _cell(row, S.LINE_SIDE_OTHER), *coords)
    except SideRuleError as exc:
        raise SideRuleError(f"line {lid}: {_message(exc)}", field=exc.field) from None
    if parties is not None:
        known = list(parties)
        for key, party in ((S.LINE_SIDE_PARTY, rule.party), (S.LINE_SIDE_OTHER, rule.other)):
            if party not in known:
                raise SideRuleError(
                    f"line {lid}: {party!r} is not a party of the theatre; use one of {', '.join(known)}", field=key
                )
    return rule


def _message(exc: SideRuleError) -> str:
    """The message of ``exc`` without the ``field '...': `` prefix."""
    text = str(exc)
    prefix = f"field '{exc.field}': " if exc.field else ""
    return text[len(prefix) :] if text.startswith(prefix) else text


def rule_for(lines, line_id: str, *, fallback: SideRule | None = None) -> SideRule:
    """The side rule of line ``line_id`` in the lines frame, else ``fallback``.

    A line without a rule of its own (a drawn or imported line) takes ``fallback``, usually
    the rule of the line it is compared with; with neither, :class:`SideRuleError` says how
    to set one.
    """
    rows = lines[lines[S.LINE_ID] == line_id]
    rule = rule_from_row(rows.iloc[0], line_id=line_id) if len(rows) else None
    if rule is None:
        rule = fallback
    if rule is None:
        raise SideRuleError(
            f"line {line_id} has no side rule; set side_rule (point, left, right, inside or outside), "
            "side_party and other_party (and side_lon, side_lat for a point) in its lines table",
            field=S.LINE_SIDE_RULE,
        )
    return rule


def _km(a, b) -> float:
    _, _, d = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(d) / 1000.0


def _fmt_km(km: float) -> str:
    return f"{km:.0f} km" if km >= 10 else f"{km:.1f} km" if km >= 0.1 else f"{km * 1000:.0f} m"


def single_line(line, line_id: str = "(unnamed)") -> LineString:
    """``line`` as one LineString: touching parts of a MultiLineString are merged, a gap is refused."""
    if line is None or line.is_empty:
        raise SideRuleError(f"line {line_id} is empty; give it at least two vertices")
    if line.geom_type == "LineString":
        if len(line.coords) < 2:
            raise SideRuleError(f"line {line_id} has a single vertex; give it at least two")
        return line
    if line.geom_type != "MultiLineString":
        raise SideRuleError(f"line {line_id} is a {line.geom_type}; a side rule needs a line")
    merged = shapely.line_merge(line)
    if merged.geom_type == "LineString":
        return merged
    parts = list(shapely.get_parts(merged))
    ends = [(tuple(p.coords[0]), tuple(p.coords[-1])) for p in parts]
    best = None
    for i in range(len(parts)):
        for j in range(len(parts)):
            if i == j:
                continue
            for a in ends[i]:
                for b in ends[j]:
                    d = _km(a, b)
                    if best is None or d < best[0]:
                        best = (d, a, b)
    d, a, b = best
    if d <= GAP_KM:
        snapped = shapely.line_merge(shapely.snap(merged, merged, 1e-8))
        if snapped.geom_type == "LineString":
            return snapped
    raise SideRuleError(
        f"line {line_id} has a gap of {_fmt_km(d)} between ({a[0]:.4f}, {a[1]:.4f}) and ({b[0]:.4f}, {b[1]:.4f}) "
        f"({len(parts)} separate parts); join the parts into one line or store them as separate lines"
    )


def _check_ends(line: LineString, region, line_id: str) -> None:
    boundary = shapely.boundary(region)
    for end in (line.coords[0], line.coords[-1]):
        if shapely.contains_xy(region, end[0], end[1]):
            near = shapely.get_coordinates(shapely.shortest_line(Point(end), boundary))[-1]
            raise SideRuleError(
                f"line {line_id} ends {_fmt_km(_km(end, near))} inside the region at ({end[0]:.4f}, {end[1]:.4f}); "
                "extend it to the border or the sea, or close it (last vertex = first vertex)"
            )


def _faces(line: LineString, region) -> np.ndarray:
    """The pieces of ``region`` cut by ``line`` (polygonize of the noded boundary and line)."""
    noded = shapely.union(shapely.boundary(region), line)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    if len(faces) == 0:
        return faces
    inside = shapely.contains(region, shapely.point_on_surface(faces))
    return faces[inside]


def _face_side(face: Polygon, line: LineString) -> tuple[float, float]:
    """Length of ``face``'s boundary along ``line`` with the face on the line's left, and on its right."""
    face = orient(face, 1.0)  # exterior counter-clockwise, holes clockwise: the face is on every ring's left
    left = right = 0.0
    x0, y0, x1, y1 = line.bounds
    for ring in (face.exterior, *face.interiors):
        c = np.asarray(ring.coords)[:, :2]
        a, b = c[:-1], c[1:]
        # Only edges inside the line's bounding box can run along it: test those alone.
        box_ok = np.all(
            (np.minimum(a, b) >= (x0 - 1e-7, y0 - 1e-7)) & (np.maximum(a, b) <= (x1 + 1e-7, y1 + 1e-7)), axis=1
        )
        if not box_ok.any():
            continue
        a, b = a[box_ok], b[box_ok]
        along = shapely.dwithin(shapely.points((a + b) / 2.0), line, _EDGE_TOL_DEG)
        if not along.any():
            continue
        a, b = a[along], b[along]
        pa, pb = shapely.points(a), shapely.points(b)
        along = shapely.dwithin(pa, line, _EDGE_TOL_DEG) & shapely.dwithin(pb, line, _EDGE_TOL_DEG)
        if not along.any():
            continue
        seg = np.hypot(*(b[along] - a[along]).T)
        step = shapely.line_locate_point(line, pb[along]) - shapely.line_locate_point(line, pa[along])
        # A closed line's seam makes the located positions jump by its length: skip those edges.
        ok = np.abs(np.abs(step) - seg) <= 0.5 * seg
        left += float(seg[ok & (step > 0)].sum())
        right += float(seg[ok & (step < 0)].sum())
    return left, right


def _labels(faces: np.ndarray, line: LineString, line_id: str) -> np.ndarray:
    """+1 for faces on the line's left, -1 on its right (faces off the line take their nearest face's)."""
    labels = np.zeros(len(faces), dtype=int)
    for i, face in enumerate(faces):
        left, right = _face_side(face, line)
        if left == right == 0.0:
            continue
        if min(left, right) > _BOTH_SIDES_SHARE * max(left, right):
            p = face.point_on_surface()
            raise SideRuleError(
                f"line {line_id} runs along both sides of the piece of the region around ({p.x:.4f}, {p.y:.4f}): "
                "it leaves the region and comes back into it; split it into lines that each cross the region, or close it"
            )
        labels[i] = 1 if left > right else -1
    known = np.flatnonzero(labels)
    for i in np.flatnonzero(labels == 0):
        if len(known):
            labels[i] = labels[known[np.argmin(shapely.distance(faces[known], faces[i]))]]
    return labels


def _point_label(rule: SideRule, faces, labels, line, region, line_id: str) -> int:
    x, y = rule.lon, rule.lat
    if not shapely.intersects_xy(region, x, y):
        raise SideRuleError(
            f"the side point ({x}, {y}) of line {line_id} lies outside the region; "
            f"choose a point inside the region on {rule.party}'s side",
            field=S.LINE_SIDE_LON,
        )
    near = shapely.get_coordinates(shapely.shortest_line(Point(x, y), line))[-1]
    gap = _km((x, y), near)
    if gap < ON_LINE_KM:
        raise SideRuleError(
            f"the side point ({x}, {y}) of line {line_id} lies on the line ({gap * 1000:.0f} m from it); "
            f"move it off the line, into {rule.party}'s side",
            field=S.LINE_SIDE_LON,
        )
    hit = np.flatnonzero(shapely.intersects_xy(faces, x, y))
    return int(labels[hit[0]])


def _closed_control(line: LineString, region, rule: SideRule, line_id: str) -> dict:
    ring = shapely.make_valid(Polygon(line.coords))
    inside = polygonal(shapely.intersection(region, ring))
    outside = polygonal(shapely.difference(region, ring))
    if inside.is_empty:
        raise SideRuleError(
            f"closed line {line_id} encloses no ground of the region; check its coordinates and the theatre's region"
        )
    if outside.is_empty:
        raise SideRuleError(
            f"closed line {line_id} encloses the whole region, so it does not divide it; "
            "draw it around the enclave or zone only"
        )
    if rule.kind == INSIDE:
        return {rule.party: inside, rule.other: outside}
    return {rule.party: outside, rule.other: inside}


def _merge(faces) -> shapely.Geometry:
    """One geometry of adjacent faces (they form a coverage: a fast coverage union)."""
    if len(faces) == 0:
        return shapely.MultiPolygon()
    if len(faces) == 1:
        return faces[0]
    try:
        return shapely.coverage_union_all(faces)
    except shapely.errors.GEOSException:
        return shapely.union_all(faces)


def _control(line, region, rule: SideRule, line_id: str) -> dict:
    line = single_line(line, line_id)
    if region is None:
        region = shapely.MultiPolygon()
    elif region.geom_type not in POLYGON_TYPES or not region.is_valid:
        region = valid_polygonal(region)
    if region.is_empty:
        raise SideRuleError(f"the region is empty, so line {line_id} cannot divide it; give the theatre its regions")
    closed = line.is_closed and len(line.coords) >= 4
    if rule.kind in (INSIDE, OUTSIDE):
        if not closed:
            raise SideRuleError(
                f"line {line_id} is open, so it has no inside: an {rule.kind!r} rule needs a closed line "
                "(last vertex = first vertex); for an open line use point, left or right",
                field=S.LINE_SIDE_RULE,
            )
        return _closed_control(line, region, rule, line_id)
    if not closed:
        _check_ends(line, region, line_id)
    if not shapely.intersects(line, region):
        raise SideRuleError(
            f"line {line_id} does not touch the region; check its coordinates (lon, lat order) and the theatre's region"
        )
    faces = _faces(line, region)
    labels = _labels(faces, line, line_id)
    if len(set(labels.tolist()) - {0}) < 2:
        raise SideRuleError(
            f"line {line_id} does not divide the region; it must cross it from border to border (or sea), "
            "or be a closed line around part of it"
        )
    if rule.kind == POINT:
        mine = _point_label(rule, faces, labels, line, region, line_id)
    else:
        mine = 1 if rule.kind == LEFT else -1
    ours = _merge(faces[labels == mine])
    theirs = _merge(faces[labels != mine])
    return {rule.party: ours, rule.other: theirs}


@functools.lru_cache(maxsize=128)
def _control_cached(line, region, rule: SideRule, line_id: str) -> tuple:
    return tuple(_control(line, region, rule, line_id).items())


def control_from_line(line, region, rule: SideRule, *, line_id: str = "(unnamed)") -> dict[str, shapely.Geometry]:
    """``{party: polygon}``: the part of ``region`` each party of ``rule`` holds under ``line``.

    Parameters
    ----------
    line : LineString (or a MultiLineString whose parts touch)
        EPSG:4326; open lines must end outside the region (beyond a border, in the sea),
        closed lines (last vertex = first) may lie anywhere.
    region : Polygon or MultiPolygon
        Where ground is counted (the theatre's regions), EPSG:4326.
    rule : SideRule
        Who holds which side.
    line_id : str
        Named in error messages.

    Returns
    -------
    dict
        ``{rule.party: geometry, rule.other: geometry}``; together they cover ``region``.

    Raises
    ------
    geo.errors.SideRuleError
        When the rule cannot be applied, with the fix in the message.
    """
    if not isinstance(rule, SideRule):
        raise SideRuleError(f"line {line_id} has no side rule; give it one (point, left, right, inside or outside)")
    return dict(_control_cached(line, region, rule, line_id))


def gained(before: Mapping, after: Mapping) -> dict[str, shapely.Geometry]:
    """``{party: ground held after but not before}`` for every party of ``after``.

    >>> from shapely.geometry import box
    >>> g = gained({"a": box(0, 0, 5, 1), "b": box(5, 0, 10, 1)}, {"a": box(0, 0, 6, 1), "b": box(6, 0, 10, 1)})
    >>> round(g["a"].area, 6), g["b"].is_empty
    (1.0, True)
    """
    empty = shapely.MultiPolygon()
    return {
        party: polygonal(shapely.difference(geom, before.get(party, empty))) if not geom.is_empty else empty
        for party, geom in after.items()
    }


def parties_at(control: Mapping, x, y) -> np.ndarray:
    """The party holding each point (``x``, ``y`` arrays of lon/lat); ``""`` where none does."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = np.full(x.shape, "", dtype=object)
    for party, geom in control.items():
        hit = shapely.intersects_xy(geom, x, y) & (out == "")
        out[hit] = party
    return out
