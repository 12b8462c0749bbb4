"""Any two control states of a party compared: a stored snapshot, a line's side, a polygon file.

A :class:`ControlState` is the ground one party holds under one source, clipped
to the theatre's regions. It comes from one of three places:

* ``series:NAME@YYYY-MM-DD``: the party's snapshot of series NAME in force on
  the date (the latest on or before it, :meth:`geo.control.store.ControlStore.on_or_before`);
* ``line:LINE_ID``: the party's side of a reference, imported or drawn line of the
  theatre under the line's side rule (:func:`geo.analysis.sides.control_from_line`;
  an imported or drawn line, which has no rule of its own, takes the rule of the
  theatre's agreed line, or else of its first line with one); a drawn area is
  the party's ground as drawn;
* ``file:PATH``: the polygons of a GIS file (anything :func:`geo.io.read_vector`
  reads: GeoJSON, GeoPackage, KML/KMZ ...), all of them the party's.

:func:`disagreement` measures two states against each other: km² held under A
only, under B only and under both, in total and per region, with the polygons to draw.

Examples
--------
>>> import geopandas as gpd, shapely
>>> regions = gpd.GeoDataFrame({"name": ["W", "E"]},
...     geometry=[shapely.box(37, 48, 38, 49), shapely.box(38, 48, 39, 49)], crs="EPSG:4326")
>>> a = polygon_state(shapely.box(36.5, 48, 38.5, 49), "ru", regions, label="A")
>>> b = polygon_state(shapely.box(37.5, 48, 39.5, 49), "ru", regions, label="B")
>>> d = disagreement(a, b, regions)
>>> sorted(d["per_region"]), d["only_a_km2"] > 0, abs(d["only_a_km2"] - d["only_b_km2"]) < 1e-6
(['E', 'W'], True, True)
>>> parse_spec("series:DeepState@2025-01-01")
('series', 'DeepState', '2025-01-01')
>>> parse_spec("line:minsk_2014_09_19"), parse_spec("file:held.geojson")
(('line', 'minsk_2014_09_19', None), ('file', 'held.geojson', None))
>>> parse_spec("kml:held.kml")
Traceback (most recent call last):
...
geo.errors.ValidationError: state 'kml:held.kml': write series:NAME@YYYY-MM-DD, line:LINE_ID or file:PATH
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.sides import SideRule, control_from_line, rule_for, rule_from_row
from geo.control.measure import SLIVER_KM2, densified
from geo.control.measure import disagreement as measure_disagreement
from geo.control.store import ControlStore, check_date
from geo.errors import GeoError, InvalidGeometryError, SideRuleError, ValidationError
from geo.io import AS_CLAIMS, read_vector
from geo.measure import geodesic_area_km2
from geo.reference.user_lines import comparable_line, load_drawn, load_user_lines
from geo.shapes import valid_polygonal
from geo.theatres.catalogue import get_theatre
from geo.theatres.tables import in_registry, theatre_lines
from geo.vocab import LineKind

#: The kinds of control state, as written before the colon of a state spec.
SERIES, LINE, FILE = "series", "line", "file"
KINDS = (SERIES, LINE, FILE)
#: Column of :func:`theatre_lines_for_states` marking the lines imported or drawn in the app.
USER_LINE = "user_line"


@dataclass(frozen=True)
class ControlState:
    """The ground ``party`` holds under one source, clipped to the theatre's regions (EPSG:4326).

    ``kind`` is one of :data:`KINDS`; ``source`` the series name, line id or file
    name; ``date`` the snapshot date used (series) or the line's date, else
    None; ``label`` says all that in words; ``note`` how it was made (the side rule used, ...).
    """

    kind: str
    source: str
    party: str
    geometry: Any
    label: str
    date: str | None = None
    note: str = ""

    @property
    def km2(self) -> float:
        """The state's geodesic area."""
        return geodesic_area_km2(self.geometry)

    def as_json(self) -> dict:
        """``kind``, ``source``, ``party``, ``date``, ``label``, ``note`` and ``km2``."""
        return {
            "kind": self.kind,
            "source": self.source,
            "party": self.party,
            "date": self.date,
            "label": self.label,
            "note": self.note,
            "km2": self.km2,
        }


def parse_spec(text: str) -> tuple[str, str, str | None]:
    """``(kind, value, date)`` of a state spec: ``series:NAME@YYYY-MM-DD``, ``line:LINE_ID`` or ``file:PATH``."""
    kind, sep, rest = str(text or "").partition(":")
    kind, rest = kind.strip().lower(), rest.strip()
    if not sep or kind not in KINDS or not rest:
        raise ValidationError(f"state {text!r}: write series:NAME@YYYY-MM-DD, line:LINE_ID or file:PATH")
    if kind != SERIES:
        return kind, rest, None
    name, at, day = rest.rpartition("@")
    if not at or not name.strip():
        raise ValidationError(f"state {text!r}: a series state needs its date, series:NAME@YYYY-MM-DD")
    return kind, name.strip(), check_date(day.strip()).isoformat()


def region_union(regions: gpd.GeoDataFrame):
    """The union of the regions: where every state is clipped."""
    return shapely.union_all(list(regions.geometry.values))


def _clip(geom, regions: gpd.GeoDataFrame, what: str):
    """``geom`` within the regions, its edges densified (:func:`geo.control.measure.densified`).

    Densified as :func:`geo.control.measure.area_in_regions` measures, so the
    state's own area and the parts it is split into are measured alike (they add up).
    """
    clipped = valid_polygonal(shapely.intersection(valid_polygonal(geom), region_union(regions)))
    if clipped.is_empty:
        raise InvalidGeometryError(f"{what}: no ground inside the theatre's regions")
    return densified(clipped)


def polygon_state(geom, party: str, regions: gpd.GeoDataFrame, *, label: str, kind: str = FILE, source: str = ""):
    """A state from a polygon: ``geom`` clipped to the regions, as ``party``'s ground."""
    poly = valid_polygonal(geom)
    if poly.is_empty:
        raise InvalidGeometryError(f"{label}: no polygon")
    return ControlState(kind, source or label, party, _clip(poly, regions, label), label)


def snapshot_state(
    store: ControlStore, theatre: str, series: str, party: str, date: str, regions: gpd.GeoDataFrame
) -> ControlState:
    """The party's snapshot of ``series`` in force on ``date`` (the latest on or before it), clipped.

    Raises
    ------
    ValidationError
        When the series holds no snapshot of the party on or before the date (the first date is named).
    """
    try:
        day, key = store.on_or_before(theatre, series, party, date)
    except ValidationError as exc:
        raise ValidationError(f"series {series!r}: {exc}") from None
    label = f"{series} · {party} on {day.isoformat()}"
    geom = _clip(store.geometry(key), regions, label)
    return ControlState(SERIES, series, party, geom, label, day.isoformat(), f"snapshot of {day.isoformat()}")


def file_state(path_or_bytes, party: str, regions: gpd.GeoDataFrame, filename: str | None = None) -> ControlState:
    """The polygons of a GIS file (GeoJSON, GeoPackage, KML/KMZ, ...) as ``party``'s ground, clipped.

    Raises
    ------
    GeoError
        When the file cannot be read (:func:`geo.io.read_vector`'s messages) or holds no polygon.
    """
    name = filename or os.path.basename(str(path_or_bytes))
    result = read_vector(path_or_bytes, filename, as_=AS_CLAIMS)
    polys = [valid_polygonal(g) for g in result.gdf.geometry.values if g is not None and not g.is_empty]
    polys = [p for p in polys if not p.is_empty]
    if not polys:
        raise InvalidGeometryError(f"{name}: no polygon in the file (a control state needs an area)")
    geom = shapely.union_all(polys)
    state = polygon_state(geom, party, regions, label=f"{name} ({party})", source=name)
    return state


def theatre_lines_for_states(theatre_id: str) -> gpd.GeoDataFrame:
    """The lines a state can come from: the theatre's reference lines, and lines imported or drawn in the app.

    Imported and drawn lines (``$CONTESTED_DATA_DIR``) count for the theatre the registry is seeded from.
    """
    theatre = get_theatre(theatre_id)
    frames = [theatre_lines(theatre).assign(**{USER_LINE: False})]
    if in_registry(theatre):
        user = [f for f in (load_user_lines(), load_drawn()) if f is not None and not f.empty]
        frames += [f.assign(**{USER_LINE: True}) for f in user]
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=S.CRS)


def _fallback_rule(lines: gpd.GeoDataFrame) -> tuple[SideRule | None, str | None]:
    """The rule an imported or drawn line takes: the agreed line's, else the first line's with one."""
    order = list(lines[lines[S.LINE_KIND] == LineKind.AGREED.value].index) + list(lines.index)
    for i in order:
        row = lines.loc[i]
        try:
            rule = rule_from_row(row, line_id=str(row[S.LINE_ID]))
        except SideRuleError:
            continue
        if rule is not None:
            return rule, str(row[S.LINE_ID])
    return None, None


def state_lines(lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of ``lines`` that :func:`line_state` can make a state of.

    A drawn area; a line with a valid side rule; an imported or drawn line when
    some line of the theatre has a rule it can take (:func:`_fallback_rule`).
    """
    if lines.empty:
        return lines
    has_fallback = _fallback_rule(lines)[0] is not None
    keep = []
    for i, row in lines.iterrows():
        geom = row.geometry
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            keep.append(i)
            continue
        if str(row.get(S.LINE_KIND, "")) == LineKind.DRAWN.value or bool(row.get(USER_LINE, False)):
            if has_fallback:
                keep.append(i)
            continue
        try:
            ruled = rule_from_row(row, line_id=str(row[S.LINE_ID])) is not None
        except SideRuleError:
            ruled = False
        if ruled:
            keep.append(i)
    return lines.loc[keep]


def line_state(lines: gpd.GeoDataFrame, line_id: str, party: str, regions: gpd.GeoDataFrame) -> ControlState:
    """The party's side of line ``line_id`` (of ``lines``) under its side rule, within the regions.

    A theatre line needs its own rule; an imported or drawn line (marked
    :data:`USER_LINE`, or of kind ``drawn``) without one takes :func:`_fallback_rule`'s and,
    when it covers only part of the front, is spliced into that rule's line
    (:func:`geo.reference.user_lines.comparable_line`). A drawn area is the party's as drawn.

    Raises
    ------
    ValidationError
        An unknown line id (the known ones are listed), a party the rule does not name.
    SideRuleError
        A line without a side rule, or one the rule cannot cut the regions with.
    """
    ids = [str(i) for i in lines[S.LINE_ID]] if len(lines) else []
    if line_id not in ids:
        raise ValidationError(f"unknown line {line_id!r}; choose one of: {', '.join(ids) or '(the theatre has none)'}")
    row = lines[lines[S.LINE_ID] == line_id].iloc[0]
    geom, date = row.geometry, str(row.get(S.LINE_DATE, "") or "") or None
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        state = polygon_state(geom, party, regions, label=f"{line_id} (drawn area, {party})", kind=LINE, source=line_id)
        return ControlState(LINE, line_id, party, state.geometry, state.label, date, "a drawn area, as drawn")
    user_line = str(row.get(S.LINE_KIND, "")) == LineKind.DRAWN.value or bool(row.get(USER_LINE, False))
    fallback, fallback_id = _fallback_rule(lines) if user_line else (None, None)
    rule = rule_for(lines, line_id, fallback=fallback)
    used = fallback_id if rule is fallback and fallback_id else line_id
    if used != line_id:
        geom = comparable_line(geom, lines[lines[S.LINE_ID] == used].iloc[0].geometry)
    if party not in rule.parties:
        raise ValidationError(
            f"line {line_id}: its side rule names {' and '.join(rule.parties)}, not {party!r}", field=S.LINE_SIDE_PARTY
        )
    held = control_from_line(geom, region_union(regions), rule, line_id=line_id)[party]
    note = rule.describe() + ("" if used == line_id else f" (the side rule of {used})")
    label = f"{line_id} ({party}'s side)"
    return ControlState(LINE, line_id, party, _clip(held, regions, label), label, date, note)


def resolve_state(
    spec: str,
    party: str,
    regions: gpd.GeoDataFrame,
    *,
    theatre: str,
    store: ControlStore | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> ControlState:
    """The :class:`ControlState` a spec (:func:`parse_spec`) names, for ``party`` in ``theatre``.

    ``store`` is needed for a series spec; ``lines`` defaults to
    :func:`theatre_lines_for_states`. Every failure is a :class:`geo.errors.GeoError` naming the spec.
    """
    kind, value, date = parse_spec(spec)
    if not str(party or "").strip():
        raise ValidationError("name the party whose ground is compared (--party NAME)")
    try:
        if kind == SERIES:
            if store is None:
                raise ValidationError("a series state needs the control store")
            return snapshot_state(store, theatre, value, party, date, regions)
        if kind == LINE:
            return line_state(theatre_lines_for_states(theatre) if lines is None else lines, value, party, regions)
        return file_state(value, party, regions)
    except ValidationError:
        raise
    except GeoError as exc:
        raise type(exc)(f"state {spec!r}: {exc}") from None


def disagreement(a: ControlState, b: ControlState, regions: gpd.GeoDataFrame) -> dict:
    """Where two control states disagree: km² only under A, only under B, under both; per region; polygons.

    The figures are :func:`geo.control.measure.disagreement`'s, under this module's names.

    Returns
    -------
    dict
        ``a``/``b`` (:meth:`ControlState.as_json`), ``only_a_km2``, ``only_b_km2``, ``both_km2``,
        ``per_region`` (``{name: {"only_a_km2", "only_b_km2", "both_km2"}}``, regions where
        all three are nil left out) and the geometries ``only_a``, ``only_b`` and ``both``
        (both states are clipped to the regions, so nothing lies outside them).
    """
    d = measure_disagreement(a.geometry, b.geometry, regions)
    per = {
        name: {"only_a_km2": v["a_only_km2"], "only_b_km2": v["b_only_km2"], "both_km2": v["both_km2"]}
        for name, v in d["per_region"].items()
        if max(v["a_only_km2"], v["b_only_km2"], v["both_km2"]) > SLIVER_KM2
    }
    return {
        "a": a.as_json(),
        "b": b.as_json(),
        "only_a_km2": d["a_only_km2"],
        "only_b_km2": d["b_only_km2"],
        "both_km2": d["both_km2"],
        "per_region": per,
        "only_a": d["a_only"],
        "only_b": d["b_only"],
        "both": d["both"],
    }
