"""Reading the shipped CSV tables with a clear message when one is missing or malformed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import DataFileError


def read_table(path: str | Path, columns: list[str]) -> pd.DataFrame:
    """Read a CSV as strings (empty cells stay ``""``) and check it has ``columns``.

    Raises
    ------
    DataFileError
        naming the file when it is missing, unreadable or lacks a column.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: file not found")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise DataFileError(f"{path}: cannot read CSV: {exc}") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataFileError(f"{path}: missing columns {missing}")
    return df
