"""Finding claims that disagree about the same ground, to show them side by side.

Claims are never merged. Two or more claims form a group when they are about
the same contested area (joined by :func:`geo.analysis.join.join_claims`) or, for
distances of advance, the same reference line; a group is a *disagreement*
when its figures differ by more than ``tolerance`` or one claim denies what
another asserts.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"claim_id": ["a", "b"], "stance": ["asserts", "denies"],
...                   "value_km2": [500.0, None], "value_km": [None, None]})
>>> disagreement_reason(c)
'stances differ: asserts vs denies'
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import schema as S
from geo.analysis.join import join_claims

GROUP = "group"
ABOUT = "about"
REASON = "reason"


def disagreement_reason(group: pd.DataFrame, tolerance: float = 0.05) -> str:
    """Why the claims of ``group`` disagree, or '' when they agree."""
    reasons = []
    stances = set(group[S.CLAIM_STANCE].fillna(""))
    if "denies" in stances and stances & {"asserts", "acknowledges"}:
        reasons.append("stances differ: " + " vs ".join(sorted(stances - {""})))
    for col, unit in ((S.CLAIM_VALUE_KM2, "km²"), (S.CLAIM_VALUE_KM, "km")):
        vals = pd.to_numeric(group[col], errors="coerce").dropna().to_numpy()
        if len(vals) >= 2 and vals.max() > 0 and (vals.max() - vals.min()) / vals.max() > tolerance:
            reasons.append(f"figures differ: {vals.min():,.0f} to {vals.max():,.0f} {unit}")
    return "; ".join(reasons)


def conflicting_groups(
    claims: pd.DataFrame, contested: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, *, only_disagreeing: bool = True
) -> pd.DataFrame:
    """Claims grouped by the ground they are about, with the reason they disagree.

    Returns the claim rows (all columns) plus ``group`` (int), ``about`` (what
    the group is about) and ``reason``; sorted by group, then event date.
    """
    frames = []
    pairs = join_claims(claims, contested, lines)
    if len(pairs):
        by_area = pairs.merge(claims, on=S.CLAIM_ID)
        by_area[ABOUT] = contested.loc[by_area["area_index"], S.LINE_NAME].to_numpy()
        frames.append(by_area.drop(columns="area_index"))
    # Withdrawal widths differ by weapon class by design; only advances are compared.
    dist = claims[(claims[S.CLAIM_KIND] == "distance") & (claims[S.CLAIM_REFERENCE_LINE] != "")]
    if len(dist):
        names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
        d = dist.copy()
        d[ABOUT] = (
            d[S.CLAIM_KIND].str.replace("_", " ")
            + " from the "
            + d[S.CLAIM_REFERENCE_LINE].map(names).fillna(d[S.CLAIM_REFERENCE_LINE])
        )
        frames.append(d)
    if not frames:
        return claims.iloc[0:0].assign(**{GROUP: pd.Series(dtype=int), ABOUT: "", REASON: ""})
    allc = pd.concat(frames, ignore_index=True)
    reasons = allc.groupby(ABOUT).apply(disagreement_reason, include_groups=False)
    sizes = allc.groupby(ABOUT)[S.CLAIM_ID].transform("size")
    allc[REASON] = allc[ABOUT].map(reasons)
    keep = sizes >= 2
    if only_disagreeing:
        keep &= allc[REASON] != ""
    out = allc[keep].copy()
    out[GROUP] = pd.factorize(out[ABOUT], sort=True)[0] + 1 if len(out) else np.array([], dtype=int)
    return out.sort_values([GROUP, S.CLAIM_EVENT_DATE, S.CLAIM_ID]).reset_index(drop=True)


def group_preview(group: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """The claims of one disagreeing group to show first: at most ``limit``, in the group's order.

    A group of thousands of claims is not drawn claim by claim. The preview keeps the claims with
    the lowest and the highest figure (the two ends of "figures differ: 10 to 2,000 km²"), then
    the earliest others; the caller says how many it leaves out.

    >>> g = pd.DataFrame({"claim_id": list("abcde"), "value_km2": [50.0, 10.0, 30.0, 2000.0, 40.0]})
    >>> group_preview(g, 3)["claim_id"].tolist()
    ['a', 'b', 'd']
    """
    if len(group) <= limit:
        return group
    figure = pd.Series(np.nan, index=group.index)
    for column in (S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM):
        if column in group:
            figure = figure.fillna(pd.to_numeric(group[column], errors="coerce"))
    ends = [] if figure.isna().all() else list(dict.fromkeys([figure.idxmin(), figure.idxmax()]))[:limit]
    others = [i for i in group.index if i not in ends][: limit - len(ends)]
    keep = set(ends) | set(others)
    return group.loc[[i for i in group.index if i in keep]]
