"""Which settlements lie inside which areas, and on which side of each line.

The spatial join with any set of polygons (contested areas, implied bands,
security zones) is one vectorised :func:`geopandas.sjoin` call backed by the
STRtree spatial index, never a Python loop over features. The gazetteer is
:func:`geo.reference.settlements.settlements` unless one is passed.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> areas = gpd.GeoDataFrame(geometry=[box(38.3, 48.2, 38.5, 48.4)], crs="EPSG:4326")
>>> "Debaltseve" in set(settlements_in(areas)["name"])
True
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.sides import control_from_line, parties_at, rule_from_row
from geo.errors import SideRuleError
from geo.reference.settlements import settlements

#: Column of :func:`settlements_in` giving the row label of the area a settlement is in.
AREA_INDEX = "area_index"
#: Settlements named in a popup before "and N more".
POPUP_CAP = 12


def settlements_in(polygons: gpd.GeoDataFrame, points: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """The settlements inside each polygon, by one vectorised spatial join.

    Parameters
    ----------
    polygons : GeoDataFrame
        Areas in EPSG:4326 (any columns); their index labels identify them.
    points : GeoDataFrame, optional
        A gazetteer as from :func:`load_settlements` (default: the shipped one).

    Returns
    -------
    DataFrame
        One row per (area, settlement) pair: ``area_index`` (the polygon's
        index label), ``name``, ``name_alt``, ``population``, ``oblast``,
        ``lon``, ``lat``, sorted by area then population (largest first).
        A settlement on the boundary of an area counts as inside it.
    """
    points = settlements() if points is None else points
    cols = [AREA_INDEX, S.S_NAME, S.S_NAME_ALT, S.S_POPULATION, S.S_OBLAST, S.S_LON, S.S_LAT]
    if polygons.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    if polygons.crs is not None and not polygons.crs.equals(points.crs):
        polygons = polygons.to_crs(points.crs)
    left = points[[S.S_NAME, S.S_NAME_ALT, S.S_POPULATION, S.S_OBLAST, S.S_LON, S.S_LAT, "geometry"]]
    right = gpd.GeoDataFrame({AREA_INDEX: polygons.index}, geometry=polygons.geometry.values, crs=points.crs)
    right = right[~(right.geometry.isna() | right.geometry.is_empty)]
    joined = gpd.sjoin(left, right, how="inner", predicate="intersects")
    out = pd.DataFrame(joined.drop(columns=["geometry", "index_right"]))
    out = out.sort_values(
        [AREA_INDEX, S.S_POPULATION, S.S_NAME],
        ascending=[True, False, True],
        na_position="last",
        kind="stable",
    )
    return out[cols].reset_index(drop=True)


def _label(name: str, population: float) -> str:
    if population == population and population > 0:  # known (not NaN, not 0)
        return f"{name} ({population:,.0f})"
    return name


def settlement_summary(
    polygons: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame | None = None,
    *,
    cap: int = POPUP_CAP,
) -> pd.DataFrame:
    """Per area: count, known population and a capped list of settlements.

    Returns a DataFrame indexed like ``polygons`` with ``n_settlements``
    (int), ``settlement_population`` (sum of known populations) and
    ``settlements`` (plain text: the ``cap`` largest as "Name (pop)", then
    "and N more"; to be escaped before it reaches HTML).
    """
    pairs = settlements_in(polygons, points)
    out = pd.DataFrame(index=polygons.index)
    if pairs.empty:
        out["n_settlements"] = 0
        out["settlement_population"] = 0.0
        out["settlements"] = ""
        return out
    labels = [_label(n, p) for n, p in zip(pairs[S.S_NAME], pairs[S.S_POPULATION])]
    pairs = pairs.assign(_label=labels, _rank=pairs.groupby(AREA_INDEX).cumcount())
    groups = pairs.groupby(AREA_INDEX)
    n = groups.size()
    pop = groups[S.S_POPULATION].sum(min_count=0)
    shown = pairs[pairs["_rank"] < cap].groupby(AREA_INDEX)["_label"].agg(", ".join)
    more = (n - cap).clip(lower=0)
    text = shown + more.map(lambda k: f", and {k} more" if k else "")
    out["n_settlements"] = out.index.map(n).fillna(0).astype(int)
    out["settlement_population"] = out.index.map(pop).fillna(0.0).astype(float)
    out["settlements"] = out.index.map(text).fillna("")
    return out


def attach_settlements(polygons: gpd.GeoDataFrame, points: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Copy of ``polygons`` with the columns of :func:`settlement_summary` added."""
    summary = settlement_summary(polygons, points)
    out = polygons.copy()
    for col in summary.columns:
        out[col] = summary[col].to_numpy()
    return out


def settlement_sides(points: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, region) -> gpd.GeoDataFrame:
    """Copy of the gazetteer ``points`` with the side of each line it lies on.

    Parameters
    ----------
    points : GeoDataFrame
        A gazetteer as from :func:`geo.reference.settlements.load_settlements`.
    lines : GeoDataFrame
        Reference lines (``line_id``, geometry and side columns).
    region : shapely.Geometry
        The area the sides are decided in (the front oblasts).

    Returns
    -------
    GeoDataFrame
        ``points`` plus one column ``side_<line_id>`` per line: the party holding
        the settlement by the line's side rule (:func:`geo.analysis.sides.control_from_line`),
        from a vectorised point-in-polygon test; empty outside ``region`` and for a line
        without a side rule (or one its rule does not fit).
    """
    out = points.copy()
    x, y = out[S.S_LON].to_numpy(), out[S.S_LAT].to_numpy()
    inside = shapely.contains_xy(region, x, y) | shapely.intersects_xy(region, x, y)
    for (_, row), line in zip(lines.iterrows(), lines.geometry):
        line_id = str(row[S.LINE_ID])
        try:
            rule = rule_from_row(row, line_id=line_id)
            side = parties_at(control_from_line(line, region, rule, line_id=line_id), x, y) if rule else ""
        except SideRuleError:
            side = ""
        out[f"side_{line_id}"] = np.where(inside, side, "")
    return out


def settlements_by_area(areas: gpd.GeoDataFrame, label: str = S.LINE_NAME) -> pd.DataFrame:
    """A display table of :func:`settlements_in`: the area's ``label`` first, then the settlement."""
    found = settlements_in(areas)
    if found.empty:
        return pd.DataFrame(columns=["area", S.S_NAME, S.S_POPULATION, S.S_OBLAST, S.S_LON, S.S_LAT])
    names = areas[label] if label in areas.columns else pd.Series(areas.index.astype(str), index=areas.index)
    out = found.assign(area=found[AREA_INDEX].map(names))
    return out[["area", S.S_NAME, S.S_POPULATION, S.S_OBLAST, S.S_LON, S.S_LAT]].reset_index(drop=True)
