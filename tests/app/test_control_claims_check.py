"""AppTest: the Control maps page checks the claims registry's claims of the sidebar's theatre.

A claim added to the registry (as the Claims or Import page would) under the Ukraine
theatre shows in the page's claims check beside the theatre's shipped claims, with a
verdict measured on the series held.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.__main__ import main
from geo.claims.store import open_store
from geo.commands.import_control import AS_CONTROL
from tests.support.synthetic_control import write_series

REPO = Path(__file__).resolve().parents[2]
PAGE = str(REPO / "pages" / "control.py")
THEATRE = "ukraine-2022"
PARTY = "russia"

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _added_claim() -> dict:
    return {
        S.CLAIM_QUOTE: "Test office: Russian forces hold 500,000 km² of Ukraine.",
        S.CLAIM_ACTOR: "Test office",
        S.CLAIM_PARTY: PARTY,
        S.CLAIM_STANCE: "asserts",
        S.CLAIM_KIND: "area",
        S.CLAIM_VALUE: 500000,
        S.CLAIM_UNIT: "km2",
        S.CLAIM_EVENT_DATE: "2025-02-28",
        S.SOURCE_PUBLISHER: "Wire",
        S.SOURCE_URL: "https://example.org/test-claim",
        S.SOURCE_PUBLISHED: "2025-02-28",
        S.SOURCE_KIND: "news",
    }


def _check_table(at: AppTest):
    for el in at.dataframe:
        if "verdict" in el.value.columns and "claim_id" in el.value.columns:
            return el.value
    raise AssertionError(f"no claims check table; tables: {[list(el.value.columns) for el in at.dataframe]}")


def test_a_claim_added_to_the_registry_is_checked_on_the_page(tmp_path):
    write_series(tmp_path / "series", 4, start=dt.date(2025, 2, 26))
    args = ["import", tmp_path / "series", "--theatre", THEATRE, "--as", AS_CONTROL, "--party", PARTY, "--quiet"]
    assert main([str(a) for a in args]) == 0
    with open_store() as store:
        shipped = set(store.list_claims(theatre=THEATRE)[S.CLAIM_ID])
        (added,) = store.add_claims([_added_claim()], user="tester", theatre=THEATRE)
    assert added not in shipped
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["theatre_chosen"] = THEATRE
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = _check_table(at).set_index("claim_id")
    assert added in table.index and shipped & set(table.index)
    row = table.loc[added]
    # the synthetic series holds well under 500,000 km² (about 88,000) on that day
    assert row["to"] == "2025-02-28" and row["claimed_km2"] == 500000
    assert row["measured_km2"] < 250000 and row["verdict"] == "overstated", row["explanation"]
