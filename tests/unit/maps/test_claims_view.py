"""The claims table (``claims_view``) reads its figure and link columns column-wise, as the row-by-row code did."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from geo import schema as S
from geo.html import safe_url
from geo.maps import claim_figure, claims_view
from geo.maps.style import QUALIFIER_SIGNS
from geo.reference.seed import load_seed_claims


def _row_by_row(claims: pd.DataFrame) -> tuple[list, list]:
    """The two columns as the table made them row by row (a None link reads as missing in the frame)."""
    links = pd.DataFrame({"source link": [safe_url(u) for u in claims[S.SOURCE_URL]]})["source link"]
    return [claim_figure(r) for _, r in claims.iterrows()], links.tolist()


def _seed_and_odd_rows() -> pd.DataFrame:
    claims = load_seed_claims()
    odd = claims.iloc[[0, 0, 0, 0]].copy()
    odd[S.CLAIM_ID] = ["o1", "o2", "o3", "o4"]
    odd[S.CLAIM_QUALIFIER] = ["about", "", "up_to", "no_such_qualifier"]
    odd[S.CLAIM_VALUE_KM2] = [np.nan, 12.5, np.nan, 1e6]
    odd[S.CLAIM_VALUE_KM] = [15.0, np.nan, np.nan, 3.0]
    odd[S.SOURCE_URL] = ["javascript:alert(1)", "https://example.org/a", "https://example.org/a", np.nan]
    return pd.concat([claims, odd], ignore_index=True)


def test_the_figure_and_link_columns_equal_the_row_by_row_ones():
    claims = _seed_and_odd_rows()
    figures, links = _row_by_row(claims)
    view = claims_view(claims)
    assert view["figure"].tolist() == figures
    assert view["source link"].tolist() == links
    assert view["figure"].tolist()[-4:] == ["≈ 15 km", "12 km²", "", "1,000,000 km²"]
    assert view["source link"].isna().tolist()[-4:] == [True, False, False, True]
    assert view["source link"].tolist()[-3] == "https://example.org/a"


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["", *QUALIFIER_SIGNS]),
            st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False)),
            st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False)),
            st.sampled_from(["https://a.example/x", "http://b.example", "ftp://c.example", "", "not a url"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_figures_and_urls_read_as_row_by_row(rows):
    base = load_seed_claims().iloc[[0] * len(rows)].reset_index(drop=True)
    base[S.CLAIM_QUALIFIER] = [r[0] for r in rows]
    base[S.CLAIM_VALUE_KM2] = pd.array([r[1] for r in rows], dtype="float64")
    base[S.CLAIM_VALUE_KM] = pd.array([r[2] for r in rows], dtype="float64")
    base[S.SOURCE_URL] = [r[3] for r in rows]
    figures, links = _row_by_row(base)
    view = claims_view(base)
    assert view["figure"].tolist() == figures and view["source link"].tolist() == links
