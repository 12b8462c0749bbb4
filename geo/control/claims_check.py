"""Checking published control figures against a stored control series (issue 17, "check period claims").

Two kinds of claim are checked, both with an area figure (``value_km2``):

* a **change over a period** ("4,336 km² in 2025"): the period comes from the claim's
  ``period_start``/``period_end`` fields when it has them, else from its quote read by
  :func:`geo.text.periods.find_period` against the publication date (the source's
  ``published``, else the claim's ``event_date``). The measured figure is the net change
  of the party's area from the snapshot in force on the day before the period starts to
  the one in force on its last day (each the latest held on or before that day);
* an **area held on a date** ("116,165 km² on 1 January 2026", no period in the quote):
  the area of the snapshot in force on ``event_date``.

Sensitivity: every end is moved by one day either way (nine pairs for a change, three
dates for an area held); the smallest and largest figure form the measured interval and
the unmoved one is the central estimate. The verdict is the app's one rule,
:func:`geo.analysis.verdict.decide`, on the claimed interval
(:func:`geo.analysis.verdict.claimed_interval`: the figure's qualifier and tolerance) and
that measured interval; ``smaller`` (measured below the claim) reads **overstated**,
``larger`` reads **understated**. With no series held for the party the verdict is
**needs a control series**; a series that does not reach back to the period, or
ends more than a day before the period's last day (or the date of an area held), is
**not covered by the series**: an older snapshot never stands in for a later date.

Examples
--------
>>> claim_period({"quote": "Russia captured 4,168 km² in 2024", "published": "2025-01-02"})
(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
>>> claim_period({"quote": "it held 116,165 km²", "event_date": "2026-01-01"})
(None, None)
>>> WORDS["smaller"], WORDS["larger"]
('overstated', 'understated')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import schema as S
from geo.analysis.verdict import Interval, claimed_interval, decide
from geo.claims.store import open_store
from geo.control.measure import area_series, latest_on_or_before
from geo.control.store import DEFAULT_SERIES, ControlStore
from geo.text.periods import find_period
from geo.theatres.catalogue import get_theatre

#: The verdict rule's outcomes (:func:`geo.analysis.verdict.decide`) in the words of a claim check.
WORDS = {"consistent": "consistent", "smaller": "overstated", "larger": "understated"}
NEEDS_SERIES = "needs a control series"
NOT_COVERED = "not covered by the series"
#: Days each end of a period (or the date of an area held) is moved for the sensitivity.
SLACK_DAYS = 1
PERIOD_START, PERIOD_END = "period_start", "period_end"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    text = _text(value)[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def claim_period(claim: dict) -> tuple[dt.date | None, dt.date | None]:
    """The period of a claim: its ``period_start``/``period_end`` fields, else the period its quote states."""
    start, end = _date(claim.get(PERIOD_START)), _date(claim.get(PERIOD_END))
    if start and end and start <= end:
        return start, end
    published = _date(claim.get(S.SOURCE_PUBLISHED)) or _date(claim.get(S.CLAIM_EVENT_DATE))
    if published is None:
        return None, None
    return find_period(_text(claim.get(S.CLAIM_QUOTE)), published)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _figure(claim: dict) -> tuple[float | None, float | None]:
    value = pd.to_numeric(pd.Series([claim.get(S.CLAIM_VALUE_KM2)]), errors="coerce").iloc[0]
    vmax = pd.to_numeric(pd.Series([claim.get(S.CLAIM_VALUE_MAX_KM2)]), errors="coerce").iloc[0]
    return (float(value) if pd.notna(value) and value > 0 else None), (float(vmax) if pd.notna(vmax) else None)


def _claimed_words(claimed: Interval) -> str:
    if not math.isfinite(claimed.high):
        return f"{claimed.low:,.0f} km² or more"
    return f"{claimed.low:,.0f}-{claimed.high:,.0f} km²"


def _total_on(rows: list[dict], day: dt.date) -> tuple[str, float] | None:
    row = latest_on_or_before(rows, day)
    return None if row is None else (row["date"], row["total_km2"])


def _shifted(day: dt.date) -> list[dt.date]:
    return [day + dt.timedelta(days=k) for k in range(-SLACK_DAYS, SLACK_DAYS + 1)]


def _measure_change(rows: list[dict], start: dt.date, end: dt.date) -> dict | None:
    """Net change from the day before ``start`` to ``end`` and its range over the shifted ends; None if not covered."""
    before = start - dt.timedelta(days=1)
    values = []
    for a in _shifted(before):
        for b in _shifted(end):
            got_a, got_b = _total_on(rows, a), _total_on(rows, b)
            if got_a is None or got_b is None:
                return None
            values.append(got_b[1] - got_a[1])
    (from_date, from_km2), (to_date, to_km2) = _total_on(rows, before), _total_on(rows, end)
    return {"from": from_date, "to": to_date, "central": to_km2 - from_km2, "low": min(values), "high": max(values)}


def _measure_held(rows: list[dict], day: dt.date) -> dict | None:
    got = [_total_on(rows, d) for d in _shifted(day)]
    if any(g is None for g in got):
        return None
    date, km2 = _total_on(rows, day)
    values = [g[1] for g in got]
    return {"from": None, "to": date, "central": km2, "low": min(values), "high": max(values)}


def check_claim(claim: dict, rows: list[dict] | None) -> dict:
    """The check of one claim against an area series (``rows`` of :func:`geo.control.area_series`; None: none held).

    Returns
    -------
    dict
        ``claim_id``, ``kind`` (``change`` or ``held``), ``period_start``, ``period_end``,
        ``date`` (of an area held), ``claimed_km2``, ``qualifier``, ``claimed_low_km2``,
        ``claimed_high_km2``, ``from``/``to`` (the snapshot dates used), ``measured_km2``,
        ``measured_low_km2``, ``measured_high_km2`` (the ±1 day range), ``verdict``
        (consistent / overstated / understated / needs a control series / not covered by
        the series), ``grade`` (the verdict rule's ``consistent``/``smaller``/``larger``,
        or ``""``) and ``explanation``.
    """
    value, vmax = _figure(claim)
    qualifier = _text(claim.get(S.CLAIM_QUALIFIER))
    start, end = claim_period(claim)
    held_on = _date(claim.get(S.CLAIM_EVENT_DATE)) if start is None else None
    claimed = claimed_interval(value, qualifier, vmax) if value is not None else Interval(float("nan"), float("nan"))
    out = {
        "claim_id": _text(claim.get(S.CLAIM_ID)),
        "kind": "change" if start is not None else "held",
        PERIOD_START: start.isoformat() if start else None,
        PERIOD_END: end.isoformat() if end else None,
        "date": held_on.isoformat() if held_on else None,
        "claimed_km2": value,
        "qualifier": qualifier,
        "claimed_low_km2": _finite(claimed.low),
        "claimed_high_km2": _finite(claimed.high),  # None: no upper bound ("more than")
        "from": None,
        "to": None,
        "measured_km2": None,
        "measured_low_km2": None,
        "measured_high_km2": None,
        "verdict": NEEDS_SERIES,
        "grade": "",
        "explanation": "no control series is held for this party: import one to check the figure",
    }
    if rows is None or not rows:
        return out
    if start is None and held_on is None:
        out.update(verdict=NOT_COVERED, explanation="the claim gives neither a period nor a date to measure on")
        return out
    reach, last = (end if start is not None else held_on), _date(rows[-1]["date"])
    if last is not None and last < reach - dt.timedelta(days=SLACK_DAYS):  # an older snapshot would stand in
        out.update(
            verdict=NOT_COVERED,
            explanation=f"the series runs from {rows[0]['date']} to {rows[-1]['date']}; "
            f"it does not reach {reach.isoformat()}, the last day the claim covers",
        )
        return out
    got = _measure_change(rows, start, end) if start is not None else _measure_held(rows, held_on)
    if got is None:
        out.update(
            verdict=NOT_COVERED,
            explanation=f"the series runs from {rows[0]['date']} to {rows[-1]['date']}; "
            f"it does not reach a day before {(start or held_on).isoformat()}",
        )
        return out
    v = decide(claimed, Interval(got["low"], got["high"]), got["central"])
    words = WORDS[v.verdict]
    what = f"net change {got['from']} -> {got['to']}" if start is not None else f"area held on {got['to']}"
    out.update(
        {
            "from": got["from"],
            "to": got["to"],
            "measured_km2": got["central"],
            "measured_low_km2": got["low"],
            "measured_high_km2": got["high"],
            "verdict": words,
            "grade": v.verdict,
            "explanation": (
                f"{what}: {got['central']:,.0f} km² ({got['low']:,.0f}-{got['high']:,.0f} km² with each end "
                f"moved by {SLACK_DAYS} day) against the claimed {_claimed_words(claimed)}: {words}"
            ),
        }
    )
    return out


def theatre_claims(theatre_id: str, claims_store: Any = None) -> pd.DataFrame:
    """The theatre's claims in the claims registry, joined with their sources.

    The registry holds the shipped theatres' own claims (seeded) and every claim added since,
    in the app or the CLI, so all of them are checked. ``claims_store``: a
    :class:`geo.claims.store.Store`, or ``None`` for the default store (opened and closed here).
    An unknown theatre raises :class:`geo.errors.UnknownTheatreError`.
    """
    get_theatre(theatre_id)
    if claims_store is not None:
        return claims_store.list_claims(theatre=theatre_id)
    with open_store() as store:
        return store.list_claims(theatre=theatre_id)


def figure_claims(claims: pd.DataFrame, party: str) -> list[dict]:
    """The claims about ``party`` with an area figure, as dicts, in claim-id order."""
    if claims.empty:
        return []
    rows = claims[claims[S.CLAIM_PARTY].fillna("").astype(str) == party].to_dict("records")
    return sorted((r for r in rows if _figure(r)[0] is not None), key=lambda r: _text(r.get(S.CLAIM_ID)))


def check_claims(
    claims: Iterable[dict],
    store: ControlStore,
    theatre: str,
    party: str,
    regions: gpd.GeoDataFrame,
    series: str = DEFAULT_SERIES,
) -> list[dict]:
    """:func:`check_claim` for each claim, against the party's series in the store (measured once)."""
    rows = area_series(store, theatre, party, regions, series) if store.dates(theatre, series, party) else None
    return check_claims_on(claims, rows, party, series)


def check_claims_on(
    claims: Iterable[dict], rows: list[dict] | None, party: str, series: str = DEFAULT_SERIES
) -> list[dict]:
    """:func:`check_claim` for each claim against an area series already measured (``None``: none held)."""
    out = []
    for claim in claims:
        checked = check_claim(claim, rows)
        checked.update(
            {
                "series": series,
                "party": party,
                "quote": _text(claim.get(S.CLAIM_QUOTE)),
                "actor": _text(claim.get(S.CLAIM_ACTOR)),
                "source_id": _text(claim.get(S.CLAIM_SOURCE_ID)),
                "url": _text(claim.get(S.SOURCE_URL)),
                "published": _text(claim.get(S.SOURCE_PUBLISHED)),
            }
        )
        out.append(checked)
    return out
