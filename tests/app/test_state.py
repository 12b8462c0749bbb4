"""The pages' caches follow the registry: per location and per revision."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.claims.store import open_store
from tests.support.map_tabs import TAB_KEY

REPO = Path(__file__).resolve().parents[2]


def _claims_table(at):
    return next(t.value for t in at.dataframe if "quote" in t.value.columns)


def _dashboard(tab: str | None = None, **query):
    """A new session of the app on the Map page, opened on ``tab`` of its tables, with the link's ``query``."""
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    if tab:
        at.session_state[TAB_KEY] = tab  # before the first run: the router's run opens the tab
    return at.run()


def _record(quote):
    return {
        "quote": quote,
        "actor": "Tester",
        "stance": "asserts",
        "event_date": "2015-01-25",
        "publisher": "Test Wire",
        "title": "t",
        "url": "https://example.org/state",
        "published": "2015-01-26",
        "source_kind": "news",
    }


def test_each_data_directory_gets_its_own_registry(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(a))
    with open_store(a / "claims.sqlite") as s:
        s.add_claims([_record("Only in registry A.")], "tester")
    at = _dashboard("Claims")
    assert _claims_table(at)["quote"].eq("Only in registry A.").any()

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(b))
    at = _dashboard("Claims")
    assert not _claims_table(at)["quote"].eq("Only in registry A.").any()


def test_a_write_elsewhere_shows_on_the_next_rerun(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    at = _dashboard("Claims")
    n = len(_claims_table(at))
    with open_store(tmp_path / "claims.sqlite") as s:
        s.add_claims([_record("Added by another process.")], "tester")
    at.run()
    table = _claims_table(at)
    assert len(table) == n + 1 and table["quote"].eq("Added by another process.").any()


def _published_by(day):
    """Claim ids whose source was published on/before ``day``, read from the shipped files."""
    import pandas as pd

    claims = pd.read_csv(REPO / "data" / "theatres" / "donbas-2014-15" / "claims.csv", dtype=str).fillna("")
    sources = pd.read_csv(REPO / "data" / "theatres" / "donbas-2014-15" / "sources.csv", dtype=str).fillna("")
    joined = claims.merge(sources[["source_id", "published"]], on="source_id", how="left").fillna("")
    when = joined["published"].where(joined["published"] != "", joined["event_date"])
    return set(joined.loc[(when != "") & (when <= day), "claim_id"])


def test_as_reported_by_shows_what_had_been_published_then(tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    expected = _published_by("2015-02-01")
    assert 0 < len(expected) < 30
    at = _dashboard("Claims", as_of="2015-02-01")  # a shared link: as_of means "as reported by"
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["as_known_on"] == dt.date(2015, 2, 1)
    # the map page (default) lists only those claims and builds its layers from them
    assert set(_claims_table(at)["claim"]) == expected
    areas = _dashboard(as_of="2015-02-01")  # the first tab: contested areas
    contested = next(d.value for d in areas.dataframe if "claims (ids)" in d.value.columns)
    joined = {c.strip() for ids in contested["claims (ids)"] for c in str(ids).split(",") if c.strip()}
    assert joined and joined <= expected
    # the claims page too, and editing stays possible in this (valid-time) view
    at.switch_page("pages/claims.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(_claims_table(at)["claim"]) == expected
    assert any("reported by" in i.value for i in at.info)
    assert [b for b in at.button if b.label == "Add claim"]


def test_recorded_by_shows_the_registry_as_recorded_then_read_only(tmp_path, monkeypatch):
    import datetime as dt
    import time

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    with open_store(tmp_path / "claims.sqlite") as s:  # seeded now
        n_seed = len(s.list_claims(theatre=s.default_theatre))  # the map page shows the default theatre's
        time.sleep(0.01)
        s.add_claims([_record("Recorded after the seed.")], "tester")
    at = _dashboard("Claims")
    assert len(_claims_table(at)) == n_seed + 1
    assert at.date_input(key="recorded_by").label == "As recorded in this registry by"
    assert at.date_input(key="as_known_on").label == "As reported by"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    # A link with recorded=... opens the audit view, on the map page and then on the claims page.
    view = _dashboard("Claims", recorded=yesterday)
    assert view.session_state["recorded_by"] == dt.date.fromisoformat(yesterday)
    assert len(_claims_table(view)) == 0  # nothing was recorded in this registry before today
    view.switch_page("pages/claims.py").run()
    assert not view.exception, [e.value for e in view.exception]
    assert len(_claims_table(view)) == 0
    assert not [b for b in view.button if b.label == "Add claim"]  # the audit view is read-only
    assert any("recorded in this registry" in i.value for i in view.info)


def _count_map_builds(monkeypatch) -> list:
    """Patch the map build the pages' cache calls; the returned list grows by one per build."""
    import geo.maps as maps

    calls, real = [], maps.build_map

    def counting(*args, **kwargs):
        calls.append(kwargs.get("to_lines"))
        return real(*args, **kwargs)

    monkeypatch.setattr(maps, "build_map", counting)
    return calls


def test_the_map_is_built_once_per_registry_and_view_state(tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    builds = _count_map_builds(monkeypatch)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(builds) == 1  # the legend and the map share one build
    at.run()
    AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()  # another session, same state
    assert len(builds) == 1

    at.session_state["as_known_on"] = dt.date(2015, 2, 1)  # a sidebar date
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(builds) == 2
    shown = list(at.session_state["map_to_lines"])
    assert len(shown) > 1
    at.multiselect(key="map_to_lines").set_value(shown[:-1]).run()  # the view's lines
    assert len(builds) == 3 and builds[-1] == shown[:-1]
    at.multiselect(key="map_to_lines").set_value(shown).run()  # back to a view built before
    assert len(builds) == 3

    with open_store(tmp_path / "claims.sqlite") as s:  # the registry changes
        s.add_claims([_record("Changes the registry revision.")], "tester")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(builds) == 4
    at.run()
    assert len(builds) == 4


def test_map_head_start_waits_once_per_session_and_only_for_a_browser(monkeypatch):
    import streamlit as st

    from pages import _state

    monkeypatch.setattr(st, "session_state", {})
    assert _state.map_head_start("map", headers={}) == 0.0  # AppTest: no browser, nothing to wait for
    monkeypatch.setattr(st, "session_state", {})
    browser = {"Host": "127.0.0.1:8501", "User-Agent": "Chromium"}
    assert _state.map_head_start("map", headers=browser) == _state.MAP_HEAD_START_S > 0
    assert _state.map_head_start("map", headers=browser) == 0.0  # the grid is loaded now
    assert _state.map_head_start("compare", headers=browser) == _state.MAP_HEAD_START_S
