"""Reading the shipped claims and sources tables (the seed of the registry)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo import schema as S
from geo.config import CLAIMS_FILE, SOURCES_FILE
from geo.errors import DataFileError
from geo.reference.tables import read_table


def load_seed_claims(claims_path: str | Path | None = None, sources_path: str | Path | None = None) -> pd.DataFrame:
    """Claims joined with their sources, as shipped in ``data/``.

    One row per claim; source columns (publisher, title, url, published,
    language, source_kind) are joined on ``source_id``; figures are numeric.
    """
    claims = read_table(Path(claims_path) if claims_path else CLAIMS_FILE, S.CLAIM_FILE_COLUMNS)
    for col in S.CLAIM_INTERVAL_COLUMNS:  # files written before these columns existed
        if col not in claims.columns:
            claims[col] = ""
    sources = read_table(Path(sources_path) if sources_path else SOURCES_FILE, S.SOURCE_COLUMNS)
    unknown = sorted(set(claims[S.CLAIM_SOURCE_ID]) - set(sources[S.SOURCE_ID]))
    if unknown:
        raise DataFileError(f"claims refer to unknown source ids {unknown}")
    df = claims.merge(sources, on=S.SOURCE_ID, how="left", validate="many_to_one")
    for col in (S.CLAIM_VALUE, S.CLAIM_VALUE_KM2, S.CLAIM_VALUE_KM, S.CLAIM_VALUE_MIN, S.CLAIM_VALUE_MAX):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return fill_interval(df)


def fill_interval(claims: pd.DataFrame) -> pd.DataFrame:
    """Give every claim with a figure but no stated interval the figure itself as its bounds.

    The rule :func:`geo.claims.interval.interval` applies to one claim, applied to a
    table: a missing ``value_min`` becomes ``value`` (else ``value_max``), a missing
    ``value_max`` becomes the lower bound; stated bounds are kept. A qualifier such
    as ``more_than`` does not widen the interval (the figure stays its bound).
    """
    out = claims.copy()
    lo = out[S.CLAIM_VALUE_MIN].fillna(out[S.CLAIM_VALUE]).fillna(out[S.CLAIM_VALUE_MAX])
    out[S.CLAIM_VALUE_MAX] = out[S.CLAIM_VALUE_MAX].fillna(lo)
    out[S.CLAIM_VALUE_MIN] = lo
    return out
