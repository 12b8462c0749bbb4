"""A session's warm run of the Map page does not redo what another session computed (shared caches)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.claims.store import open_store
from geo.html import md_escape
from tests.support.map_tabs import map_table

REPO = Path(__file__).resolve().parents[2]


def _count_labels(monkeypatch):
    """Patch the claim labels of the map's list: (a list that grows by one per label made, the real label)."""
    import geo.maps as maps

    calls, real, real_all = [], maps.claim_choice_label, maps.claim_choice_labels

    def counting(claims):
        calls.extend(claims["claim_id"])
        return real_all(claims)

    monkeypatch.setattr(maps, "claim_choice_labels", counting)
    return calls, real


def _session():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_claims_beside_the_map_are_labelled_once_for_every_session(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    labelled, real = _count_labels(monkeypatch)
    first = _session()
    listed = first.radio(key="map_claim")
    assert len(listed.options) > 0
    assert sorted(labelled) == sorted(set(labelled)) and len(labelled) == len(listed.options)  # once each

    second = _session()  # another browser session on the same registry and view
    assert len(labelled) == len(listed.options)  # nothing labelled again
    assert second.radio(key="map_claim").options == listed.options
    first.run()  # a rerun of the first session
    assert len(labelled) == len(listed.options)

    # The labels are the claims' own (as the page made them one by one before).
    with open_store(tmp_path / "claims.sqlite") as s:
        claims = s.list_claims().set_index("claim_id", drop=False)
    chosen = first.session_state["map_claim"]
    assert md_escape(real(claims.loc[chosen])) in listed.options

    shown = list(first.session_state["map_to_lines"])
    first.multiselect(key="map_to_lines").set_value(shown[:1]).run()  # another view: its own list
    assert not first.exception, [e.value for e in first.exception]
    assert len(labelled) > len(listed.options)


def test_the_implied_areas_table_is_formatted_once_for_every_session(tmp_path, monkeypatch):
    import geo.labels

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    kinds, real = [], geo.labels.labels

    def counting(kind, values):
        kinds.append(kind)
        return real(kind, values)

    monkeypatch.setattr(geo.labels, "labels", counting)
    first = _session()
    assert kinds.count("bound") == 0  # a closed tab's table is not made
    table = map_table(first, "Implied by figures", "band depth (km)")
    assert len(table) > 0 and kinds.count("bound") == 1
    second = _session()  # another session, same registry: the table is not made again
    assert len(map_table(second, "Implied by figures", "band depth (km)")) == len(table)
    first.run()
    assert kinds.count("bound") == 1
    with open_store(tmp_path / "claims.sqlite") as s:  # the registry changes: made again
        s.add_claims(
            [
                {
                    "quote": "They hold 300 square km beyond the line.",
                    "actor": "Tester",
                    "stance": "asserts",
                    "kind": "area",
                    "value": 300,
                    "unit": "sq km",
                    "reference_line": "minsk_2014_09_19",
                    "side": "separatists",
                    "party": "separatists",
                    "event_date": "2015-01-25",
                    "publisher": "Test Wire",
                    "title": "t",
                    "url": "https://example.org/shared",
                    "published": "2015-01-26",
                    "source_kind": "news",
                }
            ],
            "tester",
        )
    first.run()
    assert not first.exception, [e.value for e in first.exception]
    assert kinds.count("bound") == 2
    again = next(t.value for t in first.dataframe if "band depth (km)" in t.value.columns)  # the tab stays open
    assert len(again) == len(table) + 1
