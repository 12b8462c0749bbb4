"""Reading the registry: "as known on" time stamps, filters on a claims frame.

Two clocks
----------
* **Record time** (transaction time): when a claim entered this registry.
  Audit times are UTC text (:func:`utc_stamp`), sortable as strings;
  ``Store.list_claims(as_of=...)`` takes :func:`as_of_bound` of a moment.
* **Valid time** ("as reported by"): when a claim had been published, from its
  source's ``published`` date or its ``event_date`` (``filter_claims(reported_by=...)``).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"claim_id": ["a", "b"], "stance": ["asserts", "denies"], "actor": ["x", "y"]})
>>> filter_claims(frame, stance="denies")["claim_id"].tolist()
['b']
>>> as_of_bound("2024-05-01")
'2024-05-02T00:00:00.000000Z'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import schema as S
from geo.claims.model import DELETED, VERSION, Claim, Source
from geo.claims.store.base import FLOAT_COLUMNS, JOINED_SOURCE_COLUMNS, LIST_COLUMNS
from geo.errors import ValidationError

#: Columns :func:`filter_claims` searches for its ``text`` filter.
TEXT_SEARCH_COLUMNS = (
    S.CLAIM_QUOTE,
    S.CLAIM_ACTOR,
    S.CLAIM_PARTY,
    S.CLAIM_NOTES,
    S.CLAIM_TAGS,
    S.SOURCE_PUBLISHER,
    S.SOURCE_TITLE,
)
#: The keyword filters :meth:`Store.list_claims` passes to :func:`filter_claims`.
FILTER_NAMES = frozenset(
    {
        "actor",
        "party",
        "stance",
        "kind",
        "reference_line",
        "source_id",
        "reliability_source",
        "reliability_info",
        "claim_ids",
        "date_from",
        "date_to",
        "text",
    }
)


def utc_stamp(moment: _dt.datetime) -> str:
    """Format an aware or naive-UTC datetime as the store's sortable UTC text.

    >>> utc_stamp(_dt.datetime(2024, 5, 1, 12, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=2))))
    '2024-05-01T10:30:00.000000Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> _dt.datetime:
    """Parse :func:`utc_stamp` text back into an aware UTC datetime.

    >>> parse_stamp("2024-05-01T10:30:00.000000Z").isoformat()
    '2024-05-01T10:30:00+00:00'
    """
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_dt.UTC)


def as_of_bound(as_of: _dt.datetime | _dt.date | str) -> str:
    """Return the exclusive upper bound (UTC text) for an "as known on" moment.

    Parameters
    ----------
    as_of : date, datetime or str
        A date means the end of that day (UTC); a naive datetime is taken as
        UTC; a string is parsed as an ISO date or datetime.

    Returns
    -------
    str
        The first :func:`utc_stamp` after the moment: audit records with
        ``at < bound`` were known then.

    Raises
    ------
    ValidationError
        If ``as_of`` is not a date, a datetime or an ISO string of one.

    Examples
    --------
    >>> as_of_bound(_dt.datetime(2024, 5, 1, 8, 0))
    '2024-05-01T08:00:00.000001Z'
    """
    if isinstance(as_of, str):
        text = as_of.strip()
        try:
            if len(text) == 10:
                as_of = _dt.date.fromisoformat(text)
            else:
                as_of = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{text!r} is not an ISO date or date-time", field="as_of") from None
    if isinstance(as_of, _dt.datetime):
        return utc_stamp(as_of + _dt.timedelta(microseconds=1))
    if isinstance(as_of, _dt.date):
        return utc_stamp(_dt.datetime.combine(as_of + _dt.timedelta(days=1), _dt.time()))
    raise ValidationError("must be a date, a datetime or an ISO string", field="as_of")


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value}


def filter_claims(
    frame: pd.DataFrame,
    *,
    actor: str | Iterable[str] | None = None,
    party: str | Iterable[str] | None = None,
    stance: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    reference_line: str | Iterable[str] | None = None,
    source_id: str | Iterable[str] | None = None,
    reliability_source: str | Iterable[str] | None = None,
    reliability_info: str | Iterable[str] | None = None,
    claim_ids: Iterable[str] | None = None,
    date_from: _dt.date | str | None = None,
    date_to: _dt.date | str | None = None,
    text: str | None = None,
    reported_by: _dt.date | str | None = None,
) -> pd.DataFrame:
    """Filter a claims frame as returned by :meth:`Store.list_claims`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Claims with the columns :data:`LIST_COLUMNS`.
    actor, party, stance, kind, reference_line, source_id, reliability_source, reliability_info
        A value or a collection of accepted values (exact match).
    claim_ids : iterable of str, optional
        Keep only these claims.
    date_from, date_to : date or ISO str, optional
        Inclusive bounds on ``event_date``.
    text : str, optional
        Case-insensitive substring searched in quote, actor, party, notes,
        tags, publisher and title.
    reported_by : date or ISO str, optional
        Valid time, "as reported by this date": keep the claims that had
        been published on or before it. The rule: a claim counts from its
        source's ``published`` date; a claim whose source has no publication
        date counts from its ``event_date`` (it cannot have been reported
        before the event); a claim with neither date is left out, since
        nothing says it was known by then. This is not the record time
        (when the claim entered this registry): for that audit view use
        ``Store.list_claims(as_of=...)``.

    Returns
    -------
    pandas.DataFrame
        The matching rows, index reset.
    """
    mask = pd.Series(True, index=frame.index)
    for column, wanted in (
        (S.CLAIM_ACTOR, actor),
        (S.CLAIM_PARTY, party),
        (S.CLAIM_STANCE, stance),
        (S.CLAIM_KIND, kind),
        (S.CLAIM_REFERENCE_LINE, reference_line),
        (S.CLAIM_SOURCE_ID, source_id),
        (S.CLAIM_REL_SOURCE, reliability_source),
        (S.CLAIM_REL_INFO, reliability_info),
        (S.CLAIM_ID, claim_ids),
    ):
        values = _as_set(wanted)
        if values is not None:
            mask &= frame[column].isin(values)
    if date_from:
        mask &= frame[S.CLAIM_EVENT_DATE] >= str(date_from)
    if date_to:
        mask &= frame[S.CLAIM_EVENT_DATE] <= str(date_to)
    if text and text.strip():
        needle = text.strip().casefold()
        hit = pd.Series(False, index=frame.index)
        for column in TEXT_SEARCH_COLUMNS:
            hit |= frame[column].fillna("").astype(str).str.casefold().str.contains(needle, regex=False)
        mask &= hit
    if reported_by is not None and str(reported_by).strip():
        mask &= _reported_by_mask(frame, reported_by)
    return frame[mask].reset_index(drop=True)


def _reported_by_mask(frame: pd.DataFrame, reported_by: _dt.date | str) -> pd.Series:
    """Rows first reported on or before ``reported_by`` (see :func:`filter_claims`)."""
    if isinstance(reported_by, _dt.datetime):
        day = reported_by.date()
    elif isinstance(reported_by, _dt.date):
        day = reported_by
    else:
        try:
            day = _dt.date.fromisoformat(str(reported_by).strip()[:10])
        except ValueError:
            raise ValidationError(f"{str(reported_by)[:40]!r} is not an ISO date", field="reported_by") from None
    empty = pd.Series("", index=frame.index)
    published = frame[S.SOURCE_PUBLISHED] if S.SOURCE_PUBLISHED in frame else empty
    event = frame[S.CLAIM_EVENT_DATE] if S.CLAIM_EVENT_DATE in frame else empty
    published = published.fillna("").astype(str).str.strip().str[:10]
    event = event.fillna("").astype(str).str.strip().str[:10]
    when = published.where(published != "", event)
    return (when != "") & (when <= day.isoformat())


#: Filters on a column with a set of accepted values (exact match), as :func:`filter_claims` names them.
SET_FILTERS = {
    "actor": S.CLAIM_ACTOR,
    "party": S.CLAIM_PARTY,
    "stance": S.CLAIM_STANCE,
    "kind": S.CLAIM_KIND,
    "reference_line": S.CLAIM_REFERENCE_LINE,
    "source_id": S.CLAIM_SOURCE_ID,
    "reliability_source": S.CLAIM_REL_SOURCE,
    "reliability_info": S.CLAIM_REL_INFO,
    "claim_ids": S.CLAIM_ID,
}
#: Above this many accepted values a set filter is applied to the frame, not in SQL (parameter limits).
MAX_SQL_VALUES = 500


def sql_filters(filters: Mapping[str, Any], *, alias: str = "c", collate: str = "") -> tuple[list[str], list, dict]:
    """Translate :func:`filter_claims` keywords into SQL conditions on the ``claims`` table.

    Parameters
    ----------
    filters : mapping
        Keywords of :func:`filter_claims`.
    alias : str, default "c"
        The alias of the ``claims`` table in the query.
    collate : str, default ""
        A ``COLLATE`` clause for date comparisons, so that they compare
        code points as Python does (``' COLLATE "C"'`` in PostgreSQL; SQLite
        compares text that way already).

    Returns
    -------
    (list of str, list, dict)
        SQL conditions with ``?`` placeholders (to be joined with ``AND``),
        their parameters in order, and the filters left for :func:`filter_claims`
        on the selected rows (the text search, "reported by", very large sets).
        Together they select the same rows as :func:`filter_claims` alone.

    Examples
    --------
    >>> sql_filters({"actor": ["DPR", "LPR"], "date_from": "2015-01-01", "text": "km"})
    (['c.actor IN (?, ?)', 'c.event_date >= ?'], ['DPR', 'LPR', '2015-01-01'], {'text': 'km'})
    """
    clauses: list[str] = []
    params: list = []
    rest: dict = {}
    for name, wanted in filters.items():
        column = SET_FILTERS.get(name)
        if column is not None:
            values = _as_set(wanted)
            if values is None:
                continue
            if len(values) > MAX_SQL_VALUES:
                rest[name] = wanted
                continue
            if not values:
                clauses.append("1 = 0")
                continue
            ordered = sorted(values)
            test = f"{alias}.{column} IN ({', '.join('?' for _ in ordered)})"
            if "" in values:  # a missing cell is "" in the frame
                test = f"({test} OR {alias}.{column} IS NULL)"
            clauses.append(test)
            params.extend(ordered)
        elif name in ("date_from", "date_to"):
            if wanted:
                op = ">=" if name == "date_from" else "<="
                clauses.append(f"{alias}.{S.CLAIM_EVENT_DATE}{collate} {op} ?")
                params.append(str(wanted))
        else:
            rest[name] = wanted
    return clauses, params, rest


def frame_from_rows(
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """A claims frame (as :func:`claims_frame` builds it) straight from claim rows.

    Parameters
    ----------
    names : sequence of str
        The column names of ``rows``: :data:`LIST_COLUMNS` in any order, or
        the claim columns only when ``sources`` is given.
    rows : sequence of tuples
        ``claims`` rows, with their source's :data:`JOINED_SOURCE_COLUMNS`
        (NULL where the claim's source is not stored) unless ``sources`` is given.
    sources : mapping, optional
        ``{source_id: {column: value}}`` holding :data:`JOINED_SOURCE_COLUMNS`:
        each claim's source columns are looked up there by its ``source_id``
        (empty for a source not in it).

    Returns
    -------
    pandas.DataFrame
        Columns ``LIST_COLUMNS``, missing text as ``""``, figures as float,
        sorted by ``event_date`` then ``claim_id``; no :class:`Claim` is built.

    Notes
    -----
    The rows are sorted first (a list sort on the two keys, in code-point order
    as pandas sorts), then each column is built in one call: text through
    Arrow, numbers through NumPy, so no value passes through pandas' per-value
    checks. Where a column does not fit (text in a figure column, pandas
    without Arrow text) it falls back to pandas' own conversion.
    """
    if not rows or not _ARROW_TEXT:
        return _frame_by_pandas(names, rows, sources)
    if sources is not None:
        frame = _frame_from_rows_in_arrow(names, rows, sources)
        if frame is not None:
            return frame
    date_at, id_at = list(names).index(S.CLAIM_EVENT_DATE), list(names).index(S.CLAIM_ID)
    rows = sorted(rows, key=lambda row: (row[date_at] or "", row[id_at] or ""))
    columns: dict[str, Any] = dict(zip(names, zip(*rows), strict=True))
    n = len(rows)
    if sources is not None:
        codes, keys = pd.factorize(pd.Series(columns[S.CLAIM_SOURCE_ID], dtype=object))
        picks = pa.array(np.where(codes < 0, len(keys), codes))
        for column in JOINED_SOURCE_COLUMNS:
            values = [sources.get(key, {}).get(column) for key in keys] + [None]
            columns[column] = pa.array(values, type=pa.large_string()).take(picks)
    data: dict[str, Any] = {}
    for column in LIST_COLUMNS:
        values = columns.get(column)
        if values is None:
            values = pa.nulls(n, pa.large_string()) if column not in FLOAT_COLUMNS else [None] * n
        if column in FLOAT_COLUMNS:
            data[column] = _numbers(values, "float64")
        elif column == VERSION:
            data[column] = _numbers(values, "int64")
        elif column == DELETED:
            data[column] = _numbers(values, "int64").astype(bool)
        else:
            text = _arrow_text(values)
            data[column] = text if text is not None else pd.Series(values, dtype=object).fillna("").infer_objects()
    return pd.DataFrame(data, columns=LIST_COLUMNS)


def _frame_from_rows_in_arrow(
    names: Sequence[str], rows: Sequence[Sequence[Any]], sources: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame | None:
    """:func:`frame_from_rows` in Arrow from the first step to the last (claim columns and ``sources``).

    The rows become one Arrow struct array in one call (each column in its type: text, float or
    integer), are sorted and joined to their sources in Arrow. None when a value does not fit its
    column's type (text in a figure column, a number in a text column): :func:`frame_from_rows`
    then takes its per-column path.
    """
    kind = pa.struct([(name, _ARROW_TYPES.get(name, pa.large_string())) for name in names])
    try:
        struct = pa.array(rows, type=kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None
    n = len(rows)
    arrays: dict[str, pa.Array] = dict(zip(names, struct.flatten(), strict=True))
    keys = {name: pc.fill_null(arrays[column], "") for name, column in (("d", S.CLAIM_EVENT_DATE), ("i", S.CLAIM_ID))}
    order = pc.sort_indices(pa.table(keys), sort_keys=[("d", "ascending"), ("i", "ascending")])
    arrays = {column: array.take(order) for column, array in arrays.items()}
    encoded = arrays[S.CLAIM_SOURCE_ID].dictionary_encode()  # a NULL source id has a NULL code: no source
    ids = encoded.dictionary.to_pylist()
    for column in JOINED_SOURCE_COLUMNS:
        values = [sources.get(key, {}).get(column) for key in ids]
        arrays[column] = pa.array(values, type=pa.large_string()).take(encoded.indices)
    data: dict[str, Any] = {}
    for column in LIST_COLUMNS:
        array = arrays.get(column)
        if column in FLOAT_COLUMNS:
            data[column] = _float_array(array, n)
        elif column in (VERSION, DELETED):  # NULL as 0
            whole = np.zeros(n, dtype="int64") if array is None else pc.fill_null(array, 0).to_numpy()
            data[column] = whole.astype(bool) if column == DELETED else whole
        else:
            text = pa.nulls(n, pa.large_string()) if array is None else array
            data[column] = pd.array(pc.fill_null(text, ""), dtype=_TEXT_DTYPE)
    return pd.DataFrame(data, index=pd.RangeIndex(n), columns=LIST_COLUMNS, copy=False)


def _float_array(array: pa.Array | None, n: int) -> np.ndarray:
    """A float64 figure column as NumPy (NULL as NaN); all NaN when the rows lack it."""
    return np.full(n, np.nan) if array is None else array.to_numpy(zero_copy_only=False)


#: The Arrow type of each claim column that is not text.
_ARROW_TYPES = {**dict.fromkeys(FLOAT_COLUMNS, pa.float64()), VERSION: pa.int64(), DELETED: pa.int64()}
#: The dtype pandas gives a column of Python strings (``str``, Arrow-backed in pandas 3).
_TEXT_DTYPE = pd.Series(["text"]).infer_objects().dtype
#: Whether text columns can be built through Arrow in one call each (no per-value checks in Python).
_ARROW_TEXT = isinstance(_TEXT_DTYPE, pd.StringDtype) and _TEXT_DTYPE.storage == "pyarrow"


def _numbers(values: Sequence[Any], dtype: str) -> pd.Series:
    """``values`` as a number column (NULL as NaN, or 0 for integers); text that is no number as NaN."""
    try:
        array = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        array = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="float64")
    if dtype == "int64":
        array = np.nan_to_num(array, nan=0.0).astype("int64")
    return pd.Series(array, dtype=dtype)


def _arrow_text(values: Sequence[Any] | pa.Array) -> pd.Series | None:
    """A text column of ``values`` (None as ``""``) in pandas' string dtype; None if they are not all text."""
    try:
        array = values if isinstance(values, pa.Array) else pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type) or pa.types.is_null(array.type)):
        return None
    return pd.Series(pc.fill_null(array.cast(pa.large_string()), ""), dtype=_TEXT_DTYPE)


def _frame_by_pandas(
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sources: Mapping[str, Mapping[str, Any]] | None,
) -> pd.DataFrame:
    """:func:`frame_from_rows` through ``DataFrame.from_records`` (no rows, or pandas without Arrow text)."""
    frame = pd.DataFrame.from_records(rows, columns=list(names))
    if sources is not None:
        ids = frame[S.CLAIM_SOURCE_ID]
        for column in JOINED_SOURCE_COLUMNS:
            frame[column] = ids.map({key: row.get(column) for key, row in sources.items()})
    frame = frame.reindex(columns=LIST_COLUMNS)
    for column in LIST_COLUMNS:
        if column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column == VERSION:
            frame[column] = frame[column].fillna(0).astype("int64")
        elif column == DELETED:
            frame[column] = frame[column].fillna(0).astype(bool)
        else:  # text: "" for NULL, the dtype pandas infers for the same Python strings
            frame[column] = frame[column].fillna("").infer_objects()
    return frame.sort_values([S.CLAIM_EVENT_DATE, S.CLAIM_ID], kind="stable").reset_index(drop=True)


def claims_frame(claims: Iterable[Claim], sources: Mapping[str, Source]) -> pd.DataFrame:
    """Claims joined with their sources, as :meth:`Store.list_claims` returns them.

    Parameters
    ----------
    claims : iterable of Claim
    sources : mapping of str to Source
        Sources by id; a claim whose source is missing gets empty source columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``LIST_COLUMNS``, sorted by ``event_date`` then ``claim_id``.
    """
    rows = []
    for claim in claims:
        row = claim.to_dict()
        source = sources.get(claim.source_id)
        for column in JOINED_SOURCE_COLUMNS:
            row[column] = getattr(source, column) if source is not None else ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=LIST_COLUMNS)
    for column in FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame[VERSION] = frame[VERSION].astype("int64")
    frame[DELETED] = frame[DELETED].astype(bool)
    return frame.sort_values([S.CLAIM_EVENT_DATE, S.CLAIM_ID], kind="stable").reset_index(drop=True)


__all__ = [
    "FILTER_NAMES",
    "TEXT_SEARCH_COLUMNS",
    "as_of_bound",
    "claims_frame",
    "filter_claims",
    "frame_from_rows",
    "parse_stamp",
    "sql_filters",
    "utc_stamp",
]
