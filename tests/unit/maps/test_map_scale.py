"""The map does not grow per claim: one drawn band per distinct band, popups capped at 10 claims."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from geo import schema as S
from geo.analysis.layers import build_layers
from geo.maps import build_map
from geo.maps.mapview import band_groups
from geo.maps.popups import POPUP_CLAIMS, band_group_popup_html, contested_popup_html
from geo.reference.seed import load_seed_claims
from tests.support.parties import PARTY_SEPARATISTS, PARTY_UKRAINE

FIGURES = (50.0, 100.0, 200.0, 500.0, 1000.0)


def _claims(n: int, seed: int = 3) -> pd.DataFrame:
    """The seed claims plus ``n`` figure claims on a few figures, lines in force and sides."""
    rnd = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        row = {c: "" for c in S.CLAIM_COLUMNS}
        row.update(
            {
                S.CLAIM_ID: f"z{i:05d}",
                S.CLAIM_KIND: "area",
                S.CLAIM_VALUE_KM2: float(rnd.choice(FIGURES)),
                S.CLAIM_QUALIFIER: str(rnd.choice(["more_than", "", "about"])),
                S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
                S.CLAIM_SIDE: str(rnd.choice([PARTY_SEPARATISTS, PARTY_UKRAINE])),
                S.CLAIM_EVENT_DATE: str(rnd.choice(["2015-01-25", "2015-02-25"])),
                S.CLAIM_ACTOR: f"Actor {i}",
                S.CLAIM_QUOTE: f"They took {i} more villages",
            }
        )
        rows.append(row)
    return pd.concat([load_seed_claims(), pd.DataFrame(rows)], ignore_index=True)


def _html(claims: pd.DataFrame) -> str:
    layers = build_layers(claims)
    return build_map(layers, claims, optional_layers=("implied",)).get_root().render()


@pytest.fixture(scope="module")
def maps():
    return {n: _html(_claims(n)) for n in (200, 1000)}


def test_map_html_does_not_grow_with_the_number_of_claims(maps):
    small, large = (len(maps[n].encode("utf-8")) for n in (200, 1000))
    # 5x the claims: the same bands and areas, each popup capped; only a few counts get longer.
    assert large / small < 1.05, (small, large)


def test_each_distinct_band_is_drawn_once_with_its_claim_count(maps):
    claims = _claims(1000)
    implied = build_layers(claims)["implied"]
    groups = band_groups(implied)
    drawn = implied[[g is not None and not g.is_empty for g in implied.geometry]]
    assert len(groups) == len(drawn.drop_duplicates([S.CLAIM_REFERENCE_LINE, S.CLAIM_SIDE, S.I_CLAIMED_KM2, S.I_BOUND]))
    assert len(groups) < 40 < len(drawn)
    assert sum(len(g) for g in groups) == len(drawn)
    html = maps[1000]
    counts = [int(c.replace(",", "")) for c in re.findall(r"<b>([\d,]+) claims give this figure</b>", html)]
    assert counts and max(counts) > POPUP_CLAIMS
    assert "more (all of them in the tables below the map and in exports)" in html


def test_a_band_popup_lists_the_first_ten_claims_then_the_rest_as_a_count():
    implied = build_layers(_claims(300))["implied"]
    rows = max(band_groups(implied), key=len)
    assert len(rows) > POPUP_CLAIMS + 2
    rows = rows.copy()
    rows.iloc[0, rows.columns.get_loc(S.CLAIM_ACTOR)] = "<script>alert(1)</script>"
    html = band_group_popup_html(rows)
    assert html.count("Claim id ") == POPUP_CLAIMS
    assert f"… and {len(rows) - POPUP_CLAIMS:,} more" in html
    assert f"<b>{len(rows):,} claims give this figure</b>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_contested_popup_lists_ten_claims_of_many():
    claims = _claims(120)
    layers = build_layers(claims)
    contested = layers["contested"]
    area = contested.loc[contested[S.C_CLAIM_IDS].str.count(";").idxmax()]
    n = len(area[S.C_CLAIM_IDS].split(";"))
    assert n > POPUP_CLAIMS
    html = contested_popup_html(area, claims)
    assert html.count("Claim id ") == POPUP_CLAIMS
    assert f"<b>{n:,} claim(s) about this area</b>" in html
    assert f"… and {n - POPUP_CLAIMS:,} more" in html


def test_a_band_of_one_claim_keeps_the_single_claim_popup():
    implied = build_layers(load_seed_claims())["implied"]
    for rows in band_groups(implied):
        if len(rows) == 1:
            assert f"Claim id {rows.iloc[0][S.CLAIM_ID]}" in band_group_popup_html(rows)
            assert "claims give this figure" not in band_group_popup_html(rows)
