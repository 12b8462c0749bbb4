"""The Map page offers at most a limit of claims beside the map, a search box for the rest, and
computes only the open tab's table."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.map_tabs import TAB_KEY, open_map_tab

REPO = Path(__file__).resolve().parents[2]
TABS = {
    "Contested areas": "claims (ids)",
    "Claimed vs measured": "measured (km²)",
    "Implied by figures": "band depth (km)",
    "Security zones": "weapons",
    "Settlements": None,
    "Claims": "quote",
}


def _map(tmp_path, monkeypatch, limit=None):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    if limit is not None:
        import geo.maps

        monkeypatch.setattr(geo.maps, "CLAIM_LIST_LIMIT", limit)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plain(option: str) -> str:
    return option.replace("\\", "")


def test_a_long_list_offers_the_first_claims_and_a_search(tmp_path, monkeypatch):
    at = _map(tmp_path, monkeypatch, limit=5)
    radio = at.radio(key="map_claim")
    assert len(radio.options) == 5
    assert radio.value == "c001" and _plain(radio.options[0]).startswith("Kiev, 2015-01-20")  # the seed claim
    caption = next(c.value for c in at.caption if "Find a claim" in c.value)
    assert caption.startswith("The first 5 of ") and "claims on this map are listed" in caption

    at.text_input(key="map_claim_find").input("lavrov ABC").run()  # words in any order, any case
    assert not at.exception, [e.value for e in at.exception]
    options = [_plain(o) for o in at.radio(key="map_claim").options]
    assert options[0].startswith("Kiev, 2015-01-20")  # the claim on screen stays listed, first
    assert len(options) == 3 and all("Lavrov" in o and "ABC News" in o for o in options[1:])
    assert any(c.value == "All 2 of 2 matching claims are listed." for c in at.caption)
    assert at.radio(key="map_claim").value == "c001"

    at.text_input(key="map_claim_find").input("no such claim anywhere").run()
    assert [_plain(o) for o in at.radio(key="map_claim").options] == options[:1]
    assert any(c.value.startswith("No claim of the ") for c in at.caption)


def test_a_short_list_has_no_search(tmp_path, monkeypatch):
    at = _map(tmp_path, monkeypatch)  # the 30 shipped claims, under the shipped limit
    assert not [t for t in at.text_input if t.key == "map_claim_find"]
    assert not [c for c in at.caption if "Find a claim" in c.value]
    assert len(at.radio(key="map_claim").options) > 5


@pytest.mark.parametrize("tab", list(TABS))
def test_only_the_open_tab_has_a_table(tmp_path, monkeypatch, tab):
    import geo.maps

    at = _map(tmp_path, monkeypatch)
    assert at.session_state[TAB_KEY] == "Contested areas"
    first = [list(t.value.columns) for t in at.dataframe]
    assert len(first) == 1 and "claims (ids)" in first[0]  # the other tabs computed nothing

    made = []
    real = geo.maps.claims_view
    monkeypatch.setattr(geo.maps, "claims_view", lambda *a, **k: made.append(1) or real(*a, **k))
    open_map_tab(at, tab)
    tables = [t.value for t in at.dataframe]
    assert len(tables) == 1, [list(t.columns) for t in tables]
    if TABS[tab]:
        assert TABS[tab] in tables[0].columns and len(tables[0]) > 0
    # the claims and verdict tables are made together, only when one of them is open
    assert bool(made) == (tab in ("Claimed vs measured", "Claims"))
