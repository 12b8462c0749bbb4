"""Joining claims to the contested areas they are about.

A claim is joined to a contested area when it names the area's reference
line (``reference_line == from_line``), the side matches (or the claim names
no side), and the line of contact in force at the claim's event date is the
area's ``to_line``. The join is a table merge, not a loop over features.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo import schema as S
from geo.analysis.in_force import lines_in_force


def claim_targets(claims: pd.DataFrame, lines: gpd.GeoDataFrame) -> pd.Series:
    """For each claim, the id of the line of contact in force at its event date (one sorted search)."""
    return lines_in_force(lines, claims[S.CLAIM_EVENT_DATE])


def join_claims(claims: pd.DataFrame, contested: gpd.GeoDataFrame, lines: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pairs (contested row index, claim_id) of claims about each contested area.

    Returns a DataFrame with columns ``area_index`` and ``claim_id``.
    """
    if claims.empty or contested.empty:
        return pd.DataFrame({"area_index": pd.Series(dtype=int), S.CLAIM_ID: pd.Series(dtype=str)})
    c = claims[[S.CLAIM_ID, S.CLAIM_REFERENCE_LINE, S.CLAIM_SIDE, S.CLAIM_KIND]].copy()
    c = c[c[S.CLAIM_KIND].fillna("").isin(["area", ""])]
    c["to_line"] = claim_targets(claims.loc[c.index], lines)
    areas = contested[[S.C_FROM_LINE, S.C_TO_LINE, S.C_HELD_BY]].reset_index(names="area_index")
    m = c.merge(
        areas,
        left_on=[S.CLAIM_REFERENCE_LINE, "to_line"],
        right_on=[S.C_FROM_LINE, S.C_TO_LINE],
    )
    side = m[S.CLAIM_SIDE].fillna("")
    m = m[(side == "") | (side == m[S.C_HELD_BY])]
    return m[["area_index", S.CLAIM_ID]].reset_index(drop=True)


def attach_claim_ids(contested: gpd.GeoDataFrame, pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Copy of ``contested`` with ``claim_ids`` (';'-joined, in claim order)."""
    out = contested.copy()
    ids = pairs.groupby("area_index")[S.CLAIM_ID].agg(lambda s: ";".join(sorted(s)))
    out[S.C_CLAIM_IDS] = [ids.get(i, "") for i in out.index]
    return out
