"""Issue 14 item 23 on the Map page: a claim whose band cannot be drawn says why; the page renders."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.claims.store import open_store
from tests.support.map_tabs import map_table
from tests.support.parties import PARTY_SEPARATISTS

REPO = Path(__file__).resolve().parents[2]


def _add(rows):
    with open_store() as store:  # this test's CONTESTED_DATA_DIR, seeded from data/
        source = str(store.list_claims()[S.CLAIM_SOURCE_ID].iloc[0])
        base = {
            S.CLAIM_ACTOR: "Kiev",
            S.CLAIM_PARTY: PARTY_SEPARATISTS,
            S.CLAIM_STANCE: "asserts",
            S.CLAIM_KIND: "area",
            S.CLAIM_UNIT: "sq km",
            S.CLAIM_EVENT_DATE: "2015-03-01",
            S.CLAIM_SIDE: PARTY_SEPARATISTS,
            S.CLAIM_SOURCE_ID: source,
        }
        return store.add_claims([{**base, **r} for r in rows], user="tester")


def test_map_page_draws_the_february_claim_and_names_the_band_it_cannot_draw():
    st.cache_resource.clear()
    st.cache_data.clear()
    feb, huge = _add(
        [
            {
                S.CLAIM_QUOTE: "They took 300 sq km beyond the February line",
                S.CLAIM_VALUE: 300,
                S.CLAIM_REFERENCE_LINE: S.LINE_CONTACT_2015_02,
            },
            {
                S.CLAIM_QUOTE: "They took 90,000 sq km beyond the Minsk line",
                S.CLAIM_VALUE: 90000,
                S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014,
            },
        ]
    )
    at = AppTest.from_file(str(REPO / "pages" / "map.py"), default_timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    implied = map_table(at, "Implied by figures", "could not be drawn")
    rows = implied.set_index("claim")
    assert rows.loc[feb, "could not be drawn"] == "" and rows.loc[feb, "band depth (km)"] > 0
    assert rows.loc[huge, "could not be drawn"].startswith("could not be drawn: ")
    assert "90,000 km²" in rows.loc[huge, "could not be drawn"]
