"""Sources of every claim-bearing feature, for exports (issue 14 item 9).

A contested area lists its claims by id (``claim_ids``, ';'-joined) and an
implied band or a claim feature names one claim (``claim_id``). An export must
let a reader check each figure without the registry, so every such feature
gets a ``sources`` column: JSON text of a list with one object per claim,

``{"claim_id", "source_id", "quote", "publisher", "title", "url",
"published", "grade", "reliability_source", "reliability_info"}``

where ``grade`` is the Admiralty grade of the claim (source reliability A-F
then information credibility 1-6, e.g. ``"C3"``; ``""`` when ungraded). The
column is text so that every format and table can carry it; the GeoJSON
export turns it into a real array (:func:`geo.io.export.to_geojson_dict`) and the
GeoPackage export adds a related table (:data:`geo.io.export.GPKG_SOURCES_TABLE`).

Examples
--------
>>> import pandas as pd, json
>>> claims = pd.DataFrame([{"claim_id": "c1", "quote": "q", "source_id": "s1", "url": "https://x.org",
...                         "reliability_source": "B", "reliability_info": "2"}])
>>> json.loads(sources_json(["c1"], source_records(claims)))[0]["grade"]
'B2'
"""

from __future__ import annotations

import json
import json.encoder

import geopandas as gpd
import pandas as pd

from geo import schema as S
from geo.cells import cell_text

#: Column added by :func:`attach_sources`.
SOURCES_COLUMN = "sources"
#: Keys of each source object, in order.
SOURCE_FIELDS = (
    S.CLAIM_ID,
    S.CLAIM_SOURCE_ID,
    S.CLAIM_QUOTE,
    S.SOURCE_PUBLISHER,
    S.SOURCE_TITLE,
    S.SOURCE_URL,
    S.SOURCE_PUBLISHED,
    "grade",
    S.CLAIM_REL_SOURCE,
    S.CLAIM_REL_INFO,
)


_text = cell_text


def _texts(claims: pd.DataFrame, column: str) -> list[str]:
    if column not in claims.columns:
        return [""] * len(claims)
    return [_text(v) for v in claims[column].tolist()]


def _columns(claims: pd.DataFrame, only: set[str] | None) -> dict[str, list[str]]:
    """The text of every field of :data:`SOURCE_FIELDS`, column by column (``grade`` made of the two grades)."""
    ids = _texts(claims, S.CLAIM_ID)
    if only is not None:
        keep = [i in only for i in ids]
        claims = claims[keep]
        ids = [i for i, k in zip(ids, keep, strict=True) if k]
    columns = {k: ids if k == S.CLAIM_ID else _texts(claims, k) for k in SOURCE_FIELDS if k != "grade"}
    columns["grade"] = [a + b for a, b in zip(columns[S.CLAIM_REL_SOURCE], columns[S.CLAIM_REL_INFO], strict=True)]
    return columns


def source_records(claims: pd.DataFrame, only: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Claim id -> its source object (keys :data:`SOURCE_FIELDS`, all text).

    With ``only``, just the claims of those ids (what a layer's features cite).
    """
    if claims is None or claims.empty or S.CLAIM_ID not in claims.columns:
        return {}
    columns = _columns(claims, only)
    out: dict[str, dict[str, str]] = {}
    for values in zip(*(columns[k] for k in SOURCE_FIELDS), strict=True):
        record = dict(zip(SOURCE_FIELDS, values, strict=True))
        out[record[S.CLAIM_ID]] = record
    return out


def encoded_sources(claims: pd.DataFrame, only: set[str] | None = None) -> dict[str, str]:
    """Claim id -> the JSON text of its source object (:func:`source_records`), as ``json.dumps`` writes it.

    The text is exactly ``json.dumps(record, ensure_ascii=False)``.

    Built column by column, each distinct value encoded once: with 100,000 claims, one
    ``json.dumps`` per claim and per layer cost seconds on every cold map.
    """
    if claims is None or claims.empty or S.CLAIM_ID not in claims.columns:
        return {}
    columns = _columns(claims, only)
    encode = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses for text
    parts = []
    for i, k in enumerate(SOURCE_FIELDS):
        memo: dict[str, str] = {}
        head = ("{" if i == 0 else ", ") + encode(k) + ": "
        parts.append([head + (memo.get(v) or memo.setdefault(v, encode(v))) for v in columns[k]])
    return {cid: "".join(row) + "}" for cid, *row in zip(columns[S.CLAIM_ID], *parts, strict=True)}


def _joined(claim_ids, encoded: dict[str, str]) -> str:
    """JSON text of the list of the encoded objects of ``claim_ids`` (unknown ids skipped, repeats once)."""
    return "[" + ", ".join(encoded[c] for c in dict.fromkeys(claim_ids) if c in encoded) + "]"


def sources_json(claim_ids, records: dict[str, dict[str, str]]) -> str:
    """JSON text of the source objects of ``claim_ids`` (unknown ids are skipped, order kept)."""
    seen, items = set(), []
    for cid in claim_ids:
        if cid in records and cid not in seen:
            seen.add(cid)
            items.append(records[cid])
    return json.dumps(items, ensure_ascii=False)


def _ids(value) -> list[str]:
    return [p for p in _text(value).split(";") if p]


def attach_sources(
    gdf: gpd.GeoDataFrame, claims: pd.DataFrame | None = None, *, encoded: dict[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Copy of ``gdf`` with a ``sources`` column (see the module docstring).

    The claims of a feature are its ``claim_ids`` (';'-joined) or else its
    ``claim_id``; a layer with neither column is returned unchanged.
    ``encoded`` (:func:`encoded_sources` of the claims) stands in for ``claims``
    when several layers cite the same claims.
    """
    if S.C_CLAIM_IDS in gdf.columns:
        ids = [_ids(v) for v in gdf[S.C_CLAIM_IDS]]
    elif S.CLAIM_ID in gdf.columns:
        ids = [_ids(v) for v in gdf[S.CLAIM_ID]]
    else:
        return gdf
    if encoded is None:
        encoded = encoded_sources(claims, only={i for each in ids for i in each})
    out = gdf.copy()
    out[SOURCES_COLUMN] = [_joined(i, encoded) for i in ids]
    return out


def parse_sources(value) -> list[dict] | None:
    """The list of source objects in ``value`` (JSON text), or None if it is not one."""
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if isinstance(items, list) and all(isinstance(i, dict) for i in items):
        return items
    return None
