"""Storing what was imported: all features or none.

:func:`save_import` turns an :class:`~geo.io.common.ImportResult` into
imported reference lines (``user_lines.csv`` + ``user_line_vertices.csv``,
stored by :mod:`geo.reference.user_lines`) or claims in the registry
(:mod:`geo.claims.store`). Everything is checked before the first write.

Examples
--------
>>> from geo.io.reader import read_vector
>>> data = b'{"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 48]]]}'
>>> save_import(read_vector(data, "a.geojson", as_="claim-geometry"))
['POLYGON ((37 48, 38 48, 38 49, 37 48))']
>>> save_import(read_vector(data, "a.geojson", as_="line"), target="/tmp")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo import schema as S
from geo.atomic import locked
from geo.auth import Action, Principal, as_principal, require
from geo.cells import is_missing
from geo.claims.model import EMBEDDED_SOURCE_COLUMNS
from geo.claims.store import Store, open_store
from geo.errors import DataFileError, ValidationError
from geo.io.common import AS_CLAIM_GEOMETRY, AS_LINE, ImportResult
from geo.reference.lines import lines_from_frames, reference_lines
from geo.reference.user_lines import read_user_tables, user_lines_paths, write_user_tables
from geo.vocab import LineKind

#: Longest line name accepted (imported lines, renames; drawn lines have geo.io.drawn.MAX_NAME).
MAX_LINE_NAME = 200


def _value(gdf: pd.DataFrame, col: str | None, i: int) -> str:
    if not col:
        return ""
    if col not in gdf.columns:
        raise ValidationError(f"mapped column '{col}' is not in the file; columns: {list(gdf.columns)[:20]}")
    v = gdf[col].iloc[i]
    return "" if is_missing(v) else str(v).strip()


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (s or "line")[:40]


def _line_tables(result: ImportResult, mapping: Mapping[str, str | None], taken: set[str]):
    gdf = result.gdf
    m = {**result.mapping, **{k: v for k, v in mapping.items()}}
    metas, verts = [], []
    for i in range(len(gdf)):
        where = f"{result.filename}: {result.label(i)}"
        geom = gdf.geometry.values[i]
        if geom.geom_type == "MultiLineString":
            merged = shapely.line_merge(geom)
            if merged.geom_type != "LineString":
                raise ValidationError(
                    f"{where}: has {len(merged.geoms)} separate parts; a reference line must be one connected line"
                )
            geom = merged
        name = _value(gdf, m.get("name"), i) or f"{Path(result.filename).stem} {i + 1}"
        if len(name) > MAX_LINE_NAME:
            exc = ValidationError(
                f"{where}: field 'name' has {len(name):,} characters; a line name has at most "
                f"{MAX_LINE_NAME} characters (nothing saved)"
            )
            exc.field = "name"
            raise exc
        date = _value(gdf, m.get("date"), i)[:10]
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            exc = ValidationError(f"{where}: field 'date': {date!r} is not YYYY-MM-DD (map a date field)")
            exc.field = "date"
            raise exc from None
        kind = _value(gdf, m.get("kind"), i) or LineKind.DRAWN.value
        if kind not in LineKind.values():
            exc = ValidationError(f"{where}: field 'kind': {kind!r} is not {'/'.join(LineKind.values())}")
            exc.field = "kind"
            raise exc
        base = f"user_{_slug(name)}_{date.replace('-', '')}"
        line_id, k = base, 2
        while line_id in taken:
            line_id, k = f"{base}_{k}", k + 1
        taken.add(line_id)
        metas.append(
            {
                S.LINE_ID: line_id,
                S.LINE_NAME: name,
                S.LINE_DATE: date,
                S.LINE_KIND: kind,
                S.LINE_DRAWN_BY: _value(gdf, m.get("party"), i),
                S.LINE_AGREED_BY: "",
                S.LINE_PRECISION_KM: "",
                S.LINE_SOURCES: _value(gdf, m.get("source"), i),
                S.LINE_METHOD: f"imported from {result.filename}",
            }
        )
        for seq, (x, y) in enumerate(np.asarray(geom.coords)[:, :2].tolist()):
            verts.append(
                {
                    S.V_LINE_ID: line_id,
                    S.V_SEQ: str(seq),
                    S.V_LON: repr(round(x, 7)),
                    S.V_LAT: repr(round(y, 7)),
                    S.V_SETTLEMENT: "",
                    S.V_GAZETTEER: "",
                    S.V_NOTE: "",
                }
            )
    return (
        pd.DataFrame(metas, columns=S.LINE_COLUMNS),
        pd.DataFrame(verts, columns=S.VERTEX_COLUMNS),
    )


def _save_lines(result: ImportResult, mapping, data_dir) -> list[str]:
    lp, vp = user_lines_paths(data_dir)
    with locked(lp.parent):
        old_meta, old_vert = read_user_tables(data_dir)
        if len(old_meta):
            lines_from_frames(old_meta, old_vert, origin=str(vp))  # already broken: say where
        taken = set(old_meta[S.LINE_ID]) | set(reference_lines()[S.LINE_ID])
        meta, vert = _line_tables(result, mapping, taken)
        all_meta = pd.concat([old_meta[S.LINE_COLUMNS], meta], ignore_index=True)
        all_vert = pd.concat([old_vert[S.VERTEX_COLUMNS], vert], ignore_index=True)
        try:  # the same checks geo.reference.lines applies when it reads the files
            lines_from_frames(all_meta, all_vert, origin=result.filename)
        except DataFileError as exc:
            message = str(exc)
            for i, line_id in enumerate(meta[S.LINE_ID]):
                message = message.replace(f"line '{line_id}'", f"{result.label(i)} (line '{line_id}')")
            raise ValidationError(f"{message}; nothing saved") from None
        write_user_tables(lp.parent, all_meta, all_vert)
    return list(meta[S.LINE_ID])


_CLAIM_ALIASES = {
    "date": S.CLAIM_EVENT_DATE,
    "party": S.CLAIM_PARTY,
    "source": S.CLAIM_SOURCE_ID,
    "name": S.CLAIM_QUOTE,
}


def claim_records(result: ImportResult, mapping: Mapping[str, str | None]) -> list[dict]:
    """Claim rows (``schema.CLAIM_COLUMNS`` + inline source columns) from features.

    Columns named like a claim or source column map to themselves; ``mapping``
    adds or overrides ``{claim column or name/date/party/source: file column}``.
    The geometry becomes ``geometry_wkt``.
    """
    gdf = result.gdf
    targets = [c for c in (*S.CLAIM_COLUMNS, *EMBEDDED_SOURCE_COLUMNS) if c != S.CLAIM_GEOMETRY]
    m = {c: c for c in targets if c in gdf.columns}
    for key, col in mapping.items():
        if col:
            m[_CLAIM_ALIASES.get(key, key)] = col
    records = []
    for i in range(len(gdf)):
        rec = {t: _value(gdf, col, i) for t, col in m.items()}
        rec = {k: v for k, v in rec.items() if v != ""}
        geom = gdf.geometry.values[i]
        if geom is not None and not geom.is_empty:
            rec[S.CLAIM_GEOMETRY] = shapely.to_wkt(geom, rounding_precision=7)
        records.append(rec)
    return records


def save_import(
    result: ImportResult,
    mapping: Mapping[str, str | None] | None = None,
    target: Any = None,
    *,
    user: Principal | str = "import",
    theatre: str | None = None,
) -> list[str]:
    """Store every feature of ``result`` or none.

    Parameters
    ----------
    result : ImportResult
        From :func:`read_vector`.
    mapping : dict, optional
        ``{"name"|"date"|"party"|"source"|"kind": column}`` (lines) or
        ``{claim column or alias: column}`` (claims); overrides the guess in
        ``result.mapping``.
    target :
        ``line``: the data directory for ``user_lines.csv`` and
        ``user_line_vertices.csv`` (default ``$CONTESTED_DATA_DIR`` or the
        store's directory). ``claims``: a :class:`geo.claims.store.Store` or a store
        path/URL (default :func:`geo.claims.store.open_store`'s location).
        ``claim-geometry``: ignored, nothing is stored.
    user : Principal or str
        Who imports (:mod:`geo.auth`; an editor at least); recorded in the claims audit log.
    theatre : str, optional
        ``claims``: the theatre the claims belong to (default the store's default theatre).

    Returns
    -------
    list of str
        New line ids, new claim ids, or (claim-geometry) the WKT of each feature.

    Raises
    ------
    ValidationError, DataFileError, StoreError
        Before anything is written; the target is then unchanged.
    """
    mapping = dict(mapping or {})
    if result.as_ != AS_CLAIM_GEOMETRY:
        require(as_principal(user), Action.IMPORT)
    if result.as_ == AS_LINE:
        return _save_lines(result, mapping, target)
    if result.as_ == AS_CLAIM_GEOMETRY:
        return [shapely.to_wkt(g, rounding_precision=7) for g in result.gdf.geometry.values]
    records = claim_records(result, mapping)
    store = target if isinstance(target, Store) else open_store(target)
    try:
        return store.add_claims(records, user, theatre=theatre)
    finally:
        if store is not target:
            store.close()
