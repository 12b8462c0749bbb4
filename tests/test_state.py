"""The pages' caches follow the registry: per location and per revision."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import open_store

REPO = Path(__file__).resolve().parent.parent


def _claims_table(at):
    return next(t.value for t in at.dataframe if "quote" in t.value.columns)


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
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert _claims_table(at)["quote"].eq("Only in registry A.").any()

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(b))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not _claims_table(at)["quote"].eq("Only in registry A.").any()


def test_a_write_elsewhere_shows_on_the_next_rerun(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    n = len(_claims_table(at))
    with open_store(tmp_path / "claims.sqlite") as s:
        s.add_claims([_record("Added by another process.")], "tester")
    at.run()
    table = _claims_table(at)
    assert len(table) == n + 1 and table["quote"].eq("Added by another process.").any()


def test_as_known_on_shows_the_registry_as_recorded_then(tmp_path, monkeypatch):
    import datetime as dt
    import time

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    with open_store(tmp_path / "claims.sqlite") as s:  # seeded now
        n_seed = len(s.list_claims())
        time.sleep(0.01)
        s.add_claims([_record("Recorded after the seed.")], "tester")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert len(_claims_table(at)) == n_seed + 1
    at.date_input(key="as_known_on").set_value(dt.date.today() - dt.timedelta(days=1)).run()
    assert not at.exception
    assert len(_claims_table(at)) == 0  # nothing was recorded before today
    # AppTest reruns the page itself (not dashboard.py), so clear the date through the state.
    at.session_state["as_known_on"] = None
    at.run()
    assert len(_claims_table(at)) == n_seed + 1
