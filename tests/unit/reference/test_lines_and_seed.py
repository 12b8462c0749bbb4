"""The shipped reference lines and the seed claims tables."""

from __future__ import annotations

import pytest

from geo import schema as S
from geo.errors import DataFileError
from geo.reference.lines import line_in_force, load_lines, reference_lines
from geo.reference.seed import load_seed_claims


def test_shipped_lines_are_the_three_dated_lines_in_wgs84():
    lines = reference_lines()
    assert lines.crs.to_epsg() == 4326
    assert list(lines[S.LINE_ID]) == [S.LINE_MINSK_2014, S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02]
    assert set(lines[S.LINE_KIND]) == {"agreed", "contact"}
    assert (lines.geometry.geom_type == "LineString").all()
    assert (lines["length_km"] > 100).all()  # each crosses the front oblasts


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2014-09-19", S.LINE_MINSK_2014),
        ("2015-01-19", S.LINE_MINSK_2014),
        ("2015-01-20", S.LINE_CONTACT_2015_01),
        ("2015-03-01", S.LINE_CONTACT_2015_02),
        ("2014-01-01", None),
    ],
)
def test_line_in_force_is_the_latest_on_or_before_the_date(date, expected):
    assert line_in_force(reference_lines(), date) == expected


def test_missing_vertices_file_names_the_file(tmp_path):
    (tmp_path / "lines.csv").write_text(",".join(S.LINE_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line_vertices"):
        load_lines(tmp_path / "lines.csv", tmp_path / "line_vertices.csv")


def test_seed_claims_carry_their_sources():
    claims = load_seed_claims()
    assert len(claims) >= 1 and claims[S.CLAIM_ID].is_unique
    assert (claims[S.CLAIM_SOURCE_ID] != "").all()
    assert S.SOURCE_URL in claims.columns and claims[S.SOURCE_URL].str.startswith("http").all()


def test_seed_claims_fill_the_interval_from_the_figure():
    claims = load_seed_claims()
    with_figure = claims[claims[S.CLAIM_VALUE].notna()]
    assert len(with_figure) >= 1
    assert with_figure[S.CLAIM_VALUE_MIN].notna().all() and with_figure[S.CLAIM_VALUE_MAX].notna().all()
    assert (with_figure[S.CLAIM_VALUE_MIN] <= with_figure[S.CLAIM_VALUE_MAX]).all()
    more_than = with_figure[with_figure[S.CLAIM_QUALIFIER] == "more_than"].iloc[0]
    assert more_than[S.CLAIM_VALUE_MIN] == more_than[S.CLAIM_VALUE] == more_than[S.CLAIM_VALUE_MAX]
    assert claims.loc[claims[S.CLAIM_VALUE].isna(), S.CLAIM_VALUE_MIN].isna().all()


def test_fill_interval_keeps_stated_bounds_and_matches_the_claim_rule():
    import pandas as pd

    from geo.claims.interval import interval
    from geo.reference.seed import fill_interval

    nan = float("nan")
    rows = [(500.0, nan, nan), (300.0, nan, 400.0), (10.0, 8.0, nan), (nan, nan, nan), (nan, nan, 7.0)]
    frame = pd.DataFrame(rows, columns=[S.CLAIM_VALUE, S.CLAIM_VALUE_MIN, S.CLAIM_VALUE_MAX])
    filled = fill_interval(frame)
    for (value, lo, hi), (_, got) in zip(rows, filled.iterrows()):
        want = interval(*(None if pd.isna(x) else x for x in (value, lo, hi)))
        assert tuple(None if pd.isna(x) else x for x in (got[S.CLAIM_VALUE_MIN], got[S.CLAIM_VALUE_MAX])) == want
    assert frame[S.CLAIM_VALUE_MIN].isna().sum() == 4  # the input is not changed
