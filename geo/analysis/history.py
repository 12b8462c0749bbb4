"""Lines over time: the line in force on a date and the ground held beyond the agreed line.

Each dated line (``agreed`` or ``contact``; drawn or claimed lines are not a
record of the front and are left out unless asked for) is one version of the
front. For every version, :func:`beyond_agreed_series` measures against the
19 Sep 2014 Memorandum line (or another reference) the km² held beyond it by
each of the reference line's two parties (its side rule), with the line's
id and the ids and URLs of its sources, so that every point of a chart can be
traced to where it came from.

Examples
--------
>>> from geo.reference.lines import reference_lines
>>> line_at(reference_lines(), "2015-02-01")[S.LINE_ID]
'contact_2015_01_20'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo import schema as S
from geo.analysis.contested import contested_between
from geo.analysis.sides import rule_for, rule_from_row
from geo.config import SOURCES_FILE
from geo.errors import DataFileError, InvalidGeometryError
from geo.html import safe_url
from geo.labels import label
from geo.measure import geodesic_area_km2
from geo.reference.lines import line_in_force
from geo.vocab import LineKind

HISTORY_KINDS = (LineKind.AGREED, LineKind.CONTACT)
H_DATE = "date"
H_LINE_ID = "line_id"
H_LINE_NAME = "line_name"
#: Suffix of the columns of km² held beyond the reference line, one per party (``<party id>_beyond_km2``).
BEYOND_SUFFIX = "_beyond_km2"
H_NET = "net_km2"
H_SOURCES = "sources"
H_SOURCE_URLS = "source_urls"


def beyond_column(party_id: str) -> str:
    """The column of km² held by ``party_id`` beyond the reference line.

    >>> beyond_column("unc")
    'unc_beyond_km2'
    """
    return f"{party_id}{BEYOND_SUFFIX}"


def history_columns(party: str, other: str) -> list[str]:
    """The columns of :func:`beyond_agreed_series` for the reference line's two parties."""
    return [H_DATE, H_LINE_ID, H_LINE_NAME, beyond_column(party), beyond_column(other), H_NET, H_SOURCES, H_SOURCE_URLS]


def beyond_columns(series: pd.DataFrame) -> list[str]:
    """The per-party columns of a series, in order (the reference line's side party first)."""
    return [c for c in series.columns if c.endswith(BEYOND_SUFFIX)]


def line_versions(lines: gpd.GeoDataFrame, kinds: tuple[str, ...] = HISTORY_KINDS) -> gpd.GeoDataFrame:
    """The dated versions of the front (lines of the given kinds), oldest first."""
    out = lines[lines[S.LINE_KIND].isin(kinds)].copy()
    return out.sort_values([S.LINE_DATE, S.LINE_ID]).reset_index(drop=True)


def version_dates(lines: gpd.GeoDataFrame, kinds: tuple[str, ...] = HISTORY_KINDS) -> list[dt.date]:
    """The distinct dates of the versions, oldest first."""
    dates = line_versions(lines, kinds)[S.LINE_DATE].map(dt.date.fromisoformat)
    return sorted(set(dates))


def line_at(
    lines: gpd.GeoDataFrame,
    date: dt.date | str,
    kinds: tuple[str, ...] = HISTORY_KINDS,
) -> pd.Series | None:
    """The row of the line in force on ``date`` (``None`` before the first version)."""
    line_id = line_in_force(lines, date, kinds=kinds)
    if line_id is None:
        return None
    return lines[lines[S.LINE_ID] == line_id].iloc[0]


def _source_urls(ids: list[str], sources: pd.DataFrame | None) -> list[str]:
    if sources is None or not ids:
        return []
    by_id = dict(zip(sources[S.SOURCE_ID], sources[S.SOURCE_URL]))
    return [u for u in (safe_url(by_id.get(i)) for i in ids) if u]


def beyond_agreed_series(
    lines: gpd.GeoDataFrame,
    oblasts: gpd.GeoDataFrame,
    *,
    reference: str = S.AGREED_LINE,
    sources: pd.DataFrame | None = None,
    kinds: tuple[str, ...] = HISTORY_KINDS,
) -> pd.DataFrame:
    """km² held beyond the ``reference`` line by each dated version of the front.

    Parameters
    ----------
    lines : GeoDataFrame
        Reference lines (:func:`geo.reference.lines.reference_lines`).
    oblasts : GeoDataFrame
        The region measured (usually :func:`geo.reference.boundaries.front_oblasts`).
    reference : str
        Line id of the agreed line (default: the 19 Sep 2014 Memorandum line).
    sources : DataFrame, optional
        ``source_id`` and ``url`` columns, to list each version's source URLs.

    Returns
    -------
    DataFrame
        One row per version, oldest first: ``date``, ``line_id``,
        ``line_name``, ``<P>_beyond_km2``, ``<Q>_beyond_km2`` (P the reference
        line's side party, Q the other: ``separatists`` and ``ukraine`` in Donbas),
        ``net_km2`` (P minus Q), ``sources`` (list of source ids) and
        ``source_urls`` (list of http(s) URLs).
    """
    by_id = lines.set_index(S.LINE_ID)
    if reference not in by_id.index:
        raise InvalidGeometryError(f"reference line '{reference}' is not among the lines")
    region = shapely.union_all(oblasts.geometry.values)
    ref = by_id.loc[reference].geometry
    ref_rule = rule_for(lines, reference)
    p_col, q_col = beyond_column(ref_rule.party), beyond_column(ref_rule.other)
    rows = []
    for _, ln in line_versions(lines, kinds).iterrows():
        if ln[S.LINE_ID] == reference:
            held_p = held_q = 0.0
        else:
            own = rule_from_row(ln, line_id=str(ln[S.LINE_ID]))
            areas = contested_between(ref, ln.geometry, region, ref_rule, own, ids=(reference, str(ln[S.LINE_ID])))
            empty = shapely.MultiPolygon()
            held_p = geodesic_area_km2(areas.get(ref_rule.party, empty))
            held_q = geodesic_area_km2(areas.get(ref_rule.other, empty))
        ids = [s for s in str(ln.get(S.LINE_SOURCES) or "").split(";") if s]
        rows.append(
            {
                H_DATE: dt.date.fromisoformat(ln[S.LINE_DATE]),
                H_LINE_ID: ln[S.LINE_ID],
                H_LINE_NAME: ln[S.LINE_NAME],
                p_col: held_p,
                q_col: held_q,
                H_NET: held_p - held_q,
                H_SOURCES: ids,
                H_SOURCE_URLS: _source_urls(ids, sources),
            }
        )
    return pd.DataFrame(rows, columns=history_columns(ref_rule.party, ref_rule.other))


def load_sources(path=None) -> pd.DataFrame:
    """``data/sources.csv`` (all columns as text), to link each version to its sources."""
    p = Path(path) if path else SOURCES_FILE
    if not p.exists():
        raise DataFileError(f"{p}: file not found")
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in (S.SOURCE_ID, S.SOURCE_URL) if c not in df.columns]
    if missing:
        raise DataFileError(f"{p}: missing columns {missing}")
    return df


def source_links(series: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per (version, source): ``date``, ``line_id``, ``source_id``, ``title``, ``url`` (http(s) or empty)."""
    by_id = sources.set_index(S.SOURCE_ID)
    rows = []
    for _, r in series.iterrows():
        for sid in r[H_SOURCES]:
            known = sid in by_id.index
            rows.append(
                {
                    H_DATE: r[H_DATE],
                    H_LINE_ID: r[H_LINE_ID],
                    S.SOURCE_ID: sid,
                    S.SOURCE_TITLE: str(by_id.loc[sid].get(S.SOURCE_TITLE, "")) if known else "",
                    S.SOURCE_URL: (safe_url(by_id.loc[sid].get(S.SOURCE_URL)) or "") if known else "",
                }
            )
    return pd.DataFrame(rows, columns=[H_DATE, H_LINE_ID, S.SOURCE_ID, S.SOURCE_TITLE, S.SOURCE_URL])


def history_chart_spec(series: pd.DataFrame, names: dict[str, str] | None = None) -> dict:
    """A Vega-Lite spec of :func:`beyond_agreed_series` on a real time axis.

    One point per (version, party): ``date`` (ISO ``YYYY-MM-DD``, encoded
    ``temporal`` so that versions a month apart sit a month apart, not evenly
    spaced), ``party`` and ``km2``, plus the line's name for the tooltip. The
    spec carries its data inline and needs no Streamlit. ``party`` is ``names[party id]``
    (e.g. the theatre's short names), else the id's label (:func:`geo.labels.label`).

    Examples
    --------
    >>> s = pd.DataFrame({H_DATE: [dt.date(2014, 9, 19)], H_LINE_NAME: ["Minsk"], "a_beyond_km2": [0.0], "b_beyond_km2": [0.0]})
    >>> spec = history_chart_spec(s)
    >>> spec["encoding"]["x"]["type"], spec["data"]["values"][0]["date"]
    ('temporal', '2014-09-19')
    """
    names = names or {}
    chart_parties = {}
    for col in beyond_columns(series):
        pid = col[: -len(BEYOND_SUFFIX)]
        chart_parties[col] = names.get(pid) or label("party", pid)
    values = [
        {
            "date": pd.Timestamp(r[H_DATE]).date().isoformat(),
            "party": who,
            "km2": float(r[col]),
            "line": str(r[H_LINE_NAME]),
        }
        for _, r in series.iterrows()
        for col, who in chart_parties.items()
    ]
    return {
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "date of the line", "axis": {"format": "%d %b %Y"}},
            "y": {"field": "km2", "type": "quantitative", "title": "km² beyond the Memorandum line"},
            "color": {"field": "party", "type": "nominal", "title": "held by"},
            "tooltip": [
                {"field": "date", "type": "temporal", "format": "%d %b %Y"},
                {"field": "line", "type": "nominal"},
                {"field": "party", "type": "nominal"},
                {"field": "km2", "type": "quantitative", "format": ",.0f"},
            ],
        },
    }
