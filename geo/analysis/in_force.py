"""The line of contact in force at many dates at once.

:func:`geo.reference.lines.line_in_force` answers for one date; a registry of
many claims asks for thousands. :func:`lines_in_force` parses each distinct
date once and finds every answer with one sorted search over the lines' dates:
the latest agreed or contact line dated on or before the date, ``None`` before
the first such line and for a date that is not an ISO date.

Examples
--------
>>> import geopandas as gpd, pandas as pd
>>> lines = gpd.GeoDataFrame({"line_id": ["a", "b"], "kind": ["agreed", "contact"],
...                           "date": ["2014-09-19", "2015-01-20"]}, geometry=[None, None])
>>> lines_in_force(lines, pd.Series(["2015-01-19", "2015-02-01", "2014-01-01", "", "x"])).tolist()
['a', 'b', None, None, None]
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo import schema as S
from geo.vocab import LineKind

__all__ = ["lines_in_force"]

_KINDS = (LineKind.AGREED, LineKind.CONTACT)


def _day(text: str):
    try:
        return np.datetime64(dt.date.fromisoformat(str(text)[:10]), "D")
    except ValueError:
        return np.datetime64("NaT", "D")


def lines_in_force(lines: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """For each of ``dates`` (text), the id of the line in force then, as :func:`~geo.reference.lines.line_in_force`.

    Returns an object Series indexed like ``dates``; missing and unparsable dates give ``None``.
    """
    text = dates.astype(object).where(dates.notna(), "").astype(str)
    cand = lines[lines[S.LINE_KIND].isin(_KINDS)].sort_values(S.LINE_DATE, kind="stable")
    if cand.empty or text.empty:
        return pd.Series([None] * len(text), index=text.index, dtype=object)
    line_days = np.array([dt.date.fromisoformat(str(d)) for d in cand[S.LINE_DATE]], dtype="datetime64[D]")
    ids = cand[S.LINE_ID].astype(str).to_numpy(dtype=object)
    codes, uniq = pd.factorize(text)
    days = np.array([_day(u) for u in uniq], dtype="datetime64[D]")
    at = np.searchsorted(line_days, days, side="right") - 1
    found = np.where((at >= 0) & ~np.isnat(days), ids[np.clip(at, 0, None)], None)
    return pd.Series(found[codes], index=text.index, dtype=object)
