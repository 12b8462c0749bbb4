"""Measuring control snapshots: area per date and per region, change between dates, periods, settlements, disagreement.

Every area is geodesic (:func:`geo.measure.geodesic_area_km2`). The area of
a stored geometry in a set of regions is computed once and cached in the
store under the geometry's hash, so a series over N dates costs N
measurements the first time and only the new days afterwards.

Examples
--------
>>> import geopandas as gpd, shapely
>>> regions = gpd.GeoDataFrame({"name": ["W", "E"]},
...     geometry=[shapely.box(37, 48, 38, 49), shapely.box(38, 48, 39, 49)], crs="EPSG:4326")
>>> m = area_in_regions(shapely.box(37.5, 48, 39.5, 49), regions)
>>> abs(m["total_km2"] - sum(m["per_region"].values()) - m["outside_km2"]) < 1e-6
True
>>> sorted(m["per_region"])
['E', 'W']
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.control.delta import Outline, areal, changed_box, changed_boxes_between, gained_lost
from geo.control.store import DEFAULT_SERIES, ControlStore, check_date
from geo.measure import geodesic_area_km2, geodesic_areas_km2
from geo.shapes import valid_polygonal

#: Periods :func:`resample` understands.
PERIODS = ("day", "week", "month", "year")
#: Areas below this (km²) are left out of per-region tables (slivers of overlay noise).
SLIVER_KM2 = 1e-9
#: Longest edge (degrees) before measuring. Overlays cut edges at straight lon/lat lines while areas
#: follow geodesics; with edges this short the pieces of a polygon add up to its area (to ~1e-9).
MAX_EDGE_DEG = 0.01


def densified(geom, max_edge_deg: float = MAX_EDGE_DEG):
    """``geom`` with no edge longer than ``max_edge_deg`` degrees: its rings densified, the polygons rebuilt.

    Unlike ``shapely.segmentize`` on a polygon (GEOS re-validates the result
    with a zero buffer, which can drop a whole part of a polygon that touches
    itself), the rings are densified as lines, so the shape is kept; when the
    new vertices' rounding makes a ring touch itself, ``make_valid`` repairs it
    (keeping all of its area). Non-polygonal input is segmentized as is.

    >>> sq = shapely.box(0, 0, 1, 1)
    >>> int(shapely.get_num_coordinates(densified(sq, 0.25))), densified(sq, 0.25).area
    (17, 1.0)
    """
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return geom if geom is None else shapely.segmentize(geom, max_edge_deg)
    polys = []
    for poly in shapely.get_parts(geom):
        rings = shapely.segmentize(np.asarray([poly.exterior, *poly.interiors], dtype=object), max_edge_deg)
        polys.append(shapely.Polygon(rings[0], list(rings[1:])))
    out = polys[0] if geom.geom_type == "Polygon" else shapely.MultiPolygon(polys)
    return out if out.is_valid else valid_polygonal(out)


def regions_key(regions: gpd.GeoDataFrame) -> str:
    """A short fingerprint of a set of regions (names and shapes): the key of cached measures."""
    digest = hashlib.sha256()
    for name, geom in zip(regions["name"], regions.geometry.values, strict=True):
        digest.update(str(name).encode() + b"\0" + shapely.to_wkb(geom, byte_order=1))
    return digest.hexdigest()[:32]


class _Regions:
    """Regions prepared for repeated overlays: names, geometries, a spatial index and their union."""

    def __init__(self, regions: gpd.GeoDataFrame) -> None:
        self.names = [str(n) for n in regions["name"]]
        self.geoms = shapely.segmentize(np.asarray(regions.geometry.values, dtype=object), MAX_EDGE_DEG)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self.union = shapely.union_all(self.geoms)
        shapely.prepare(self.union)


# id(frame) -> (frame, its key, prepared regions); the frame is kept so its id is not reused
_PREPARED: dict[int, tuple[gpd.GeoDataFrame, str, _Regions]] = {}


def _prepared(regions: gpd.GeoDataFrame) -> tuple[str, _Regions]:
    """The key and prepared form of ``regions``, computed once per frame (treat region frames as read-only)."""
    entry = _PREPARED.get(id(regions))
    if entry is None or entry[0] is not regions:
        entry = (regions, regions_key(regions), _Regions(regions))
        _PREPARED[id(regions)] = entry
    return entry[1], entry[2]


def _box_area(geom) -> float:
    x0, y0, x1, y1 = shapely.bounds(geom)
    return (x1 - x0) * (y1 - y0)


def area_in_regions(geom, regions: gpd.GeoDataFrame) -> dict:
    """Geodesic area of ``geom``: total, per region and outside every region.

    Returns
    -------
    dict
        ``{"total_km2": float, "per_region": {name: km2}, "outside_km2": float}``;
        regions with no area are left out; ``total_km2`` equals the sum of
        ``per_region`` plus ``outside_km2`` up to rounding of the overlay.
    """
    _, prep = _prepared(regions)
    per: dict[str, float] = {}
    if geom is None or geom.is_empty:
        return {"total_km2": 0.0, "per_region": per, "outside_km2": 0.0}
    # part by part: a part inside one region (most of them) is measured once and needs no overlay
    parts = np.asarray([p for p in shapely.get_parts(densified(geom)) if not p.is_empty], dtype=object)
    km2 = geodesic_areas_km2(parts)
    total = float(km2.sum())
    part_of, region_of = prep.tree.query(parts, predicate="intersects")
    inside = shapely.contains(prep.geoms[region_of], parts[part_of]) if len(part_of) else np.zeros(0, bool)
    for i, r, whole in zip(part_of.tolist(), region_of.tolist(), inside.tolist(), strict=True):
        part, region = parts[i], prep.geoms[r]
        if whole:
            part_km2 = float(km2[i])
        else:
            local = region
            if _box_area(part) < 0.25 * _box_area(region):  # a small piece: clip the region to it first
                local = shapely.clip_by_rect(region, *shapely.bounds(part))
                local = local if local.is_valid else region
            part_km2 = geodesic_area_km2(shapely.intersection(part, local))
        if part_km2 > SLIVER_KM2:
            per[prep.names[r]] = per.get(prep.names[r], 0.0) + part_km2
    # parts in no region, or crossing the regions' outer edge, are (partly) outside
    covered = shapely.contains(prep.union, parts)
    outside = 0.0
    for i in np.flatnonzero(~covered).tolist():
        outside += geodesic_area_km2(shapely.difference(parts[i], prep.union))
    per = {k: v for k, v in per.items() if v > SLIVER_KM2}
    return {"total_km2": total, "per_region": dict(sorted(per.items())), "outside_km2": outside}


#: A day is measured from the day before only when its changes lie in a box smaller than this share of its extent.
INCREMENT_MAX_SHARE = 0.25


def _plus(base: dict, gained: dict, lost: dict) -> dict:
    """``base`` + ``gained`` - ``lost``, for total, outside and every region."""
    per = dict(base["per_region"])
    for name, km2 in gained["per_region"].items():
        per[name] = per.get(name, 0.0) + km2
    for name, km2 in lost["per_region"].items():
        per[name] = per.get(name, 0.0) - km2
    return {
        "total_km2": base["total_km2"] + gained["total_km2"] - lost["total_km2"],
        "per_region": dict(sorted((k, v) for k, v in per.items() if v > SLIVER_KM2)),
        "outside_km2": base["outside_km2"] + gained["outside_km2"] - lost["outside_km2"],
    }


def measure_from(prev_geom, prev_measure: dict, geom, regions: gpd.GeoDataFrame, outlines=(None, None)) -> dict:
    """The measure of ``geom`` from that of a nearby state ``prev_geom``: add what was gained, take what was lost.

    When the two differ over much of the area (more than
    :data:`INCREMENT_MAX_SHARE` of its extent) ``geom`` is measured afresh.
    ``outlines``: the :class:`geo.control.delta.Outline` of both, when known.
    """
    if outlines[0] is not None and outlines[1] is not None:
        box = changed_boxes_between(*outlines)  # several disjoint boxes, one per stretch of front redrawn
    else:
        box = changed_box(prev_geom, geom)
    if box is None:
        return prev_measure
    boxed = sum(b.area for b in box) if isinstance(box, list) else box.area
    if boxed > INCREMENT_MAX_SHARE * max(_box_area(geom), 1e-12):
        return area_in_regions(geom, regions)
    gained, lost = gained_lost(prev_geom, geom, box)
    return _plus(prev_measure, area_in_regions(gained, regions), area_in_regions(lost, regions))


def _measured(
    store: ControlStore, keys: list[str], regions: gpd.GeoDataFrame, progress=None, incremental: bool = True
) -> dict[str, dict]:
    """Measures of the geometries ``keys`` (in date order): cached ones read, the others computed and cached.

    A geometry not measured yet is measured from the one before it in
    ``keys`` (:func:`measure_from`) when ``incremental``, else afresh.
    """
    rkey, _ = _prepared(regions)
    found = store.measures(keys, rkey)
    todo = {k for k in keys if k not in found}
    fresh: dict[str, dict] = {}
    done, prev_key, prev_geom, prev_edges = 0, None, None, None
    for key in keys:
        if key not in todo or key in fresh:
            if key != prev_key:
                prev_key, prev_geom, prev_edges = key, None, None
            continue
        geom, edges = store.geometry(key), None
        known = found.get(prev_key) or fresh.get(prev_key)
        if incremental and prev_key is not None and known is not None:
            if prev_geom is None:
                prev_geom = store.geometry(prev_key)
            prev_edges = Outline(prev_geom) if prev_edges is None else prev_edges
            edges = Outline(geom)
            fresh[key] = measure_from(prev_geom, known, geom, regions, (prev_edges, edges))
        else:
            fresh[key] = area_in_regions(geom, regions)
        prev_key, prev_geom, prev_edges = key, geom, edges
        done += 1
        if progress is not None:
            progress(done, len(todo), key)
    if fresh:
        store.put_measures(rkey, fresh)
    return {**found, **fresh}


def area_on(
    store: ControlStore, theatre: str, party: str, date: str | dt.date, regions: gpd.GeoDataFrame, series=DEFAULT_SERIES
) -> dict:
    """The area a party holds on ``date`` (its latest snapshot on or before): ``{"date", "total_km2", "per_region", "outside_km2"}``."""
    day, key = store.on_or_before(theatre, series, party, date)
    return {"date": day.isoformat(), **_measured(store, [key], regions)[key]}


def area_series(
    store: ControlStore,
    theatre: str,
    party: str,
    regions: gpd.GeoDataFrame,
    series: str = DEFAULT_SERIES,
    progress: Callable | None = None,
    incremental: bool = True,
) -> list[dict]:
    """The area on every date held, in date order: ``[{"date", "total_km2", "per_region", "outside_km2"}, ...]``.

    Only geometries not measured before are measured (``progress(done, total, hash)`` after each).
    """
    held = store.held(theatre, series, party)
    values = _measured(store, [k for _, k in held], regions, progress, incremental)
    return [{"date": d.isoformat(), **values[k]} for d, k in held]


def _per_region_change(gained: dict, lost: dict) -> dict:
    names = sorted(set(gained["per_region"]) | set(lost["per_region"]))
    out = {}
    for name in names:
        g, lo = gained["per_region"].get(name, 0.0), lost["per_region"].get(name, 0.0)
        out[name] = {"gained_km2": g, "lost_km2": lo, "net_km2": g - lo}
    return out


def change_between(geom_from, geom_to, regions: gpd.GeoDataFrame) -> dict:
    """What changed from one control state to another: gained/lost/net km² (total, per region) and the polygons.

    Returns
    -------
    dict
        ``gained_km2``, ``lost_km2``, ``net_km2`` (= gained - lost), ``outside``
        (gained/lost outside every region), ``per_region`` (``{name:
        {"gained_km2", "lost_km2", "net_km2"}}``) and the geometries
        ``gained`` and ``lost``.
    """
    empty = shapely.MultiPolygon()
    a = geom_from if geom_from is not None else empty
    b = geom_to if geom_to is not None else empty
    gained_geom, lost_geom = gained_lost(a, b)
    gained, lost = area_in_regions(gained_geom, regions), area_in_regions(lost_geom, regions)
    return {
        "gained_km2": gained["total_km2"],
        "lost_km2": lost["total_km2"],
        "net_km2": gained["total_km2"] - lost["total_km2"],
        "per_region": _per_region_change(gained, lost),
        "outside": {"gained_km2": gained["outside_km2"], "lost_km2": lost["outside_km2"]},
        "gained": gained_geom,
        "lost": lost_geom,
    }


def change(
    store: ControlStore,
    theatre: str,
    party: str,
    date_from: str | dt.date,
    date_to: str | dt.date,
    regions: gpd.GeoDataFrame,
    series: str = DEFAULT_SERIES,
) -> dict:
    """Change of a party's area between the snapshots in force on two dates (see :func:`change_between`).

    ``from``/``to`` are the dates of the snapshots used (the latest on or
    before each requested date); ``from_requested``/``to_requested`` the dates asked.
    """
    a_day, a_key = store.on_or_before(theatre, series, party, date_from)
    b_day, b_key = store.on_or_before(theatre, series, party, date_to)
    if a_key == b_key:
        zero = change_between(None, None, regions)
    else:
        zero = change_between(store.geometry(a_key), store.geometry(b_key), regions)
    return {
        "from": a_day.isoformat(),
        "to": b_day.isoformat(),
        "from_requested": check_date(date_from).isoformat(),
        "to_requested": check_date(date_to).isoformat(),
        **zero,
    }


def latest_on_or_before(rows: list[dict], day: dt.date) -> dict | None:
    """The row of ``rows`` (sorted by ``date``) with the latest date on or before ``day``, or None.

    >>> latest_on_or_before([{"date": "2024-01-01"}, {"date": "2024-01-05"}], dt.date(2024, 1, 4))
    {'date': '2024-01-01'}
    """
    best = None
    for row in rows:
        if dt.date.fromisoformat(row["date"]) <= day:
            best = row
        else:
            break
    return best


def _period_end(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day
    if period == "week":  # ISO weeks: Monday to Sunday
        return day + dt.timedelta(days=6 - day.weekday())
    if period == "month":
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(day.year, 12, 31)


def _period_label(day: dt.date, period: str) -> str:
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "year":
        return str(day.year)
    return day.isoformat()


def resample(rows: list[dict], period: str) -> list[dict]:
    """An area series (from :func:`area_series`) per day, week, month or year.

    Each period gives the area in force at its end (the latest snapshot on or
    before it) and the net change since the end of the previous period (for
    the first period: since the first snapshot).

    Returns
    -------
    list of dict
        ``{"period", "end", "date", "total_km2", "net_km2"}``; ``date`` is the snapshot used.

    >>> rows = [{"date": "2024-01-30", "total_km2": 10.0}, {"date": "2024-02-02", "total_km2": 12.5}]
    >>> [(r["period"], r["net_km2"]) for r in resample(rows, "month")]
    [('2024-01', 0.0), ('2024-02', 2.5)]
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose one of: {', '.join(PERIODS)}")
    if not rows:
        return []
    first, last = dt.date.fromisoformat(rows[0]["date"]), dt.date.fromisoformat(rows[-1]["date"])
    out, previous = [], rows[0]["total_km2"]
    end = _period_end(first, period)
    while True:
        row = latest_on_or_before(rows, end)
        out.append(
            {
                "period": _period_label(end, period),
                "end": end.isoformat(),
                "date": row["date"],
                "total_km2": row["total_km2"],
                "net_km2": row["total_km2"] - previous,
            }
        )
        previous = row["total_km2"]
        if end >= last:
            return out
        end = _period_end(end + dt.timedelta(days=1), period)


def settlements_changed(gained, lost, settlements: gpd.GeoDataFrame) -> list[dict]:
    """Settlements inside the gained or lost polygons: ``[{"name", "oblast", "lon", "lat", "change"}, ...]``.

    ``change`` is ``"gained"`` (now held by the party) or ``"lost"``.
    """
    out = []
    if settlements is None or settlements.empty:
        return out
    x = settlements.geometry.x.to_numpy()
    y = settlements.geometry.y.to_numpy()
    for label, geom in (("gained", gained), ("lost", lost)):
        if geom is None or geom.is_empty:
            continue
        shapely.prepare(geom)
        inside = shapely.contains_xy(geom, x, y)
        for i in np.flatnonzero(inside):
            row = settlements.iloc[int(i)]
            out.append(
                {
                    "name": str(row["name"]),
                    "oblast": str(row.get("oblast", "")),
                    "lon": float(x[i]),
                    "lat": float(y[i]),
                    "change": label,
                }
            )
    return sorted(out, key=lambda r: (r["change"], r["name"]))


def disagreement(state_a, state_b, regions: gpd.GeoDataFrame) -> dict[str, Any]:
    """Where two control states of one party (two monitors, a snapshot and a polygon, a line's side) disagree.

    Returns
    -------
    dict
        ``a_only_km2`` (held under A, not B), ``b_only_km2``, ``both_km2``,
        ``per_region`` (``{name: {"a_only_km2", "b_only_km2", "both_km2"}}``) and the
        geometries ``a_only``, ``b_only`` and ``both``.
    """
    result = change_between(state_b, state_a, regions)  # "gained" from B to A = held under A only
    both = areal(shapely.intersection(state_a, state_b)) if state_a is not None and state_b is not None else None
    both_in = area_in_regions(both, regions) if both is not None else {"total_km2": 0.0, "per_region": {}}
    names = sorted(set(result["per_region"]) | set(both_in["per_region"]))
    per = {}
    for name in names:
        v = result["per_region"].get(name, {})
        per[name] = {
            "a_only_km2": v.get("gained_km2", 0.0),
            "b_only_km2": v.get("lost_km2", 0.0),
            "both_km2": float(both_in["per_region"].get(name, 0.0)),
        }
    return {
        "a_only_km2": result["gained_km2"],
        "b_only_km2": result["lost_km2"],
        "both_km2": float(both_in["total_km2"]),  # measured as the parts are (densified edges): they add up
        "per_region": per,
        "a_only": result["gained"],
        "b_only": result["lost"],
        "both": both,
    }


def compare_series(
    store: ControlStore,
    theatre: str,
    date: str | dt.date,
    regions: gpd.GeoDataFrame,
    a: tuple[str, str],
    b: tuple[str, str],
) -> dict[str, Any]:
    """Two stored series (``(series, party)`` each) compared on one date (each its latest snapshot on or before).

    Returns the :func:`disagreement` plus ``a_date`` and ``b_date``, the snapshot dates used.
    """
    a_day, a_key = store.on_or_before(theatre, a[0], a[1], date)
    b_day, b_key = store.on_or_before(theatre, b[0], b[1], date)
    result = disagreement(store.geometry(a_key), store.geometry(b_key), regions)
    return {"a_date": a_day.isoformat(), "b_date": b_day.isoformat(), **result}
