"""A failing page shows a message, not a traceback (unless CONTESTED_DEBUG is set)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


def test_broken_registry_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DEBUG", "0")
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    (tmp_path / "claims.sqlite").write_bytes(b"this is not a database" * 100)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    assert at.error, "expected a user-facing error message"
    msg = at.error[0].value
    assert "could not be shown" in msg and "Traceback" not in msg
    assert (tmp_path / "claims.sqlite").read_bytes() == b"this is not a database" * 100


def test_with_debug_the_exception_is_visible(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DEBUG", "1")
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    (tmp_path / "claims.sqlite").write_bytes(b"this is not a database" * 100)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    assert at.exception
