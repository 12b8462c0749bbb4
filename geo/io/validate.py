"""The checks every imported file passes, whatever its format.

:func:`finalise` turns a reader's :class:`~geo.io.common.Parsed` into an
:class:`~geo.io.common.ImportResult`: the vertex limits, finite coordinates,
the CRS (a projected CRS holding lon/lat degrees is refused), WGS84 range and
the geometry types of the import target, with repairs left to
:mod:`geo.io.repair`.

Examples
--------
>>> import pandas as pd, shapely
>>> from geo.io.formats import Limits
>>> parsed = Parsed(pd.DataFrame({"name": ["a"]}), [shapely.LineString([(37, 48, 5), (38, 48, 5)])], None, [])
>>> result = finalise(parsed, ReadRequest("a.geojson", Limits()), "geojson")
>>> result.note_lines()
["feature 1 ('a'): Z (height) values dropped"]
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo import schema as S
from geo.errors import DataFileError, InvalidGeometryError
from geo.io.common import (
    ALLOWED,
    GUESSES,
    MAP_FIELDS,
    ImportResult,
    Parsed,
    ReadRequest,
    feature_label,
    parse_crs,
    pick,
    tick,
)
from geo.io.repair import drop_z, repair_invalid


def refuse_degrees_in_projected(src: CRS, crs: str, arr: np.ndarray, present: np.ndarray, filename: str) -> None:
    """Refuse coordinates that are plainly lon/lat degrees in a file that declares a projected CRS.

    Every coordinate within +-180 / +-90 in a CRS measured in metres (or feet)
    means features a few hundred metres from the CRS's origin, near 0 deg, 0 deg,
    far more likely a file whose CRS was declared wrongly.
    """
    if not src.is_projected or not present.any():
        return
    xy = shapely.get_coordinates(arr[present])
    if len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        name = crs if crs.startswith("EPSG:") else src.name
        raise InvalidGeometryError(
            f"{filename}: declares {name}, a projected CRS in "
            f"{src.axis_info[0].unit_name if src.axis_info else 'metres'}s, but every coordinate lies within "
            "+-180 / +-90, so they look like lon/lat degrees; nothing was imported. Declare EPSG:4326 "
            "(or remove the CRS declaration) and import again"
        )


def finalise(parsed: Parsed, req: ReadRequest, fmt: str, default_crs: str | None = None) -> ImportResult:
    """Check, repair and reproject what a reader found into an :class:`~geo.io.common.ImportResult`.

    In order: vertex limits (before any costly work), finite coordinates, Z
    dropped, reprojection to EPSG:4326 (``default_crs`` when the file declares
    none), coordinates inside WGS84, invalid geometries repaired
    (:mod:`geo.io.repair`), geometry types allowed for ``req.as_``. Each
    change is noted per feature.

    Raises
    ------
    DataFileError
        No features.
    InvalidGeometryError
        Naming the first offending feature.
    """
    frame, geoms, crs, warnings = parsed.frame, parsed.geoms, parsed.crs, list(parsed.warnings)
    filename, as_, progress, limits = req.filename, req.as_, req.progress, req.limits
    n = len(geoms)
    if n == 0:
        raise DataFileError(f"{filename}: no features (empty layer)")
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    if "geometry" in frame.columns:
        frame = frame.rename(columns={"geometry": "geometry_property"})
    name_col = pick(list(frame.columns), GUESSES["name"])
    notes: dict[int, list[str]] = {}

    def label(i: int) -> str:
        return f"{filename}: {feature_label(frame, i, name_col)}"

    arr = np.empty(n, dtype=object)
    arr[:] = geoms
    present = ~shapely.is_missing(arr)
    empty = present & shapely.is_empty(arr)
    arr[empty] = None
    present &= ~empty
    # vertex limits (cheap, before any costly geometry work)
    counts = shapely.get_num_coordinates(arr)
    over = np.flatnonzero(counts > limits.max_feature_vertices)
    if over.size:
        i = int(over[0])
        raise InvalidGeometryError(
            f"{label(i)}: {int(counts[i]):,} vertices (limit {limits.max_feature_vertices:,}); simplify it first"
        )
    if counts.sum() > limits.max_total_vertices:
        raise InvalidGeometryError(
            f"{filename}: {int(counts.sum()):,} vertices in total (limit "
            f"{limits.max_total_vertices:,}); simplify the data first"
        )
    # finite coordinates
    xy, owner = shapely.get_coordinates(arr, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1)
    zmask = shapely.has_z(arr)
    if zmask.any():
        xyz, zowner = shapely.get_coordinates(arr[zmask], include_z=True, return_index=True)
        zbad = ~np.isfinite(xyz[:, 2])
        if zbad.any():
            first = int(np.flatnonzero(zmask)[zowner[zbad][0]])
            if not bad.any() or first < int(owner[bad][0]):
                raise InvalidGeometryError(f"{label(first)}: NaN or infinite coordinate (height)")
    if bad.any():
        raise InvalidGeometryError(f"{label(int(owner[bad][0]))}: NaN or infinite coordinate")
    tick(progress, 0.65)
    drop_z(arr, present, notes)
    # CRS
    if crs is None and default_crs:
        crs = parse_crs(default_crs, filename)
    if crs is not None and not CRS.from_user_input(crs).equals(S.CRS):
        src = CRS.from_user_input(crs)
        refuse_degrees_in_projected(src, crs, arr, present, filename)
        try:
            series = gpd.GeoSeries(arr, crs=src).to_crs(S.CRS)
        except Exception:  # noqa: BLE001 - pyproj errors
            raise InvalidGeometryError(f"{filename}: cannot reproject from {crs} to WGS84 lon/lat") from None
        arr = np.asarray(series.values, dtype=object)
        crs_name = crs if crs.startswith("EPSG:") else src.name
        xy, owner = shapely.get_coordinates(arr, return_index=True)
        bad = ~np.isfinite(xy).all(axis=1)
        if bad.any():
            raise InvalidGeometryError(
                f"{label(int(owner[bad][0]))}: cannot be reprojected from {crs_name} (outside the area of that CRS?)"
            )
        for i in np.flatnonzero(present):
            notes.setdefault(int(i), []).append(f"reprojected from {crs_name}")
    xy, owner = shapely.get_coordinates(arr, return_index=True)
    bad = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        i, (x, y) = int(owner[k]), xy[k]
        why = (
            "and the file declares no CRS (projected data needs its .prj / CRS)"
            if crs is None
            else f"after conversion from {crs}"
        )
        raise InvalidGeometryError(
            f"{label(i)}: coordinate ({x:.6g}, {y:.6g}) is outside WGS84 (lon -180..180, lat -90..90) {why}"
        )
    tick(progress, 0.8)
    repair_invalid(arr, present, label, notes)
    # types
    allowed = ALLOWED[as_]
    kinds = pd.Series([g.geom_type if g is not None else None for g in arr])
    if allowed is not None:
        for i in range(n):
            if arr[i] is None:
                raise InvalidGeometryError(f"{label(i)}: has no geometry")
            if kinds[i] not in allowed:
                want = " or ".join(sorted(allowed))
                raise InvalidGeometryError(f"{label(i)}: is a {kinds[i]}; importing as {as_} needs {want}")
    mixed = kinds.dropna().value_counts()
    if len(mixed) > 1:
        warnings.append("mixed geometry types: " + ", ".join(f"{k} ({v})" for k, v in mixed.items()))
    if (~present).any() and allowed is None:
        warnings.append(f"{int((~present).sum())} feature(s) without geometry")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(arr, crs=S.CRS), crs=S.CRS)
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    mapping = {k: pick(fields, GUESSES[k]) for k in MAP_FIELDS}
    tick(progress, 1.0)
    return ImportResult(
        gdf=gdf,
        filename=filename,
        source_format=fmt,
        as_=as_,
        source_crs=crs,
        fields=fields,
        mapping=mapping,
        notes=notes,
        warnings=warnings,
    )
