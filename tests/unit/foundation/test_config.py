"""geo.config: the shipped data paths and the one reader of the user data environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import config
from geo.claims.store import default_store_location


def test_data_dir_follows_contested_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # the explicit directory wins
    assert config.data_dir() == tmp_path / "mine"
    assert not (tmp_path / "mine").exists()  # named, not created


def test_data_dir_expands_a_leading_tilde_and_ignores_surrounding_space(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CONTESTED_DATA_DIR", "  ~/contested  ")
    assert config.data_dir() == tmp_path / "contested"
    monkeypatch.delenv("CONTESTED_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", "~/xdg")
    assert config.data_dir() == tmp_path / "xdg" / "contested-lines"


def test_data_dir_defaults_to_xdg_then_local_share(tmp_path, monkeypatch):
    monkeypatch.delenv("CONTESTED_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert config.data_dir() == tmp_path / "xdg" / "contested-lines"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.data_dir() == tmp_path / "home" / ".local" / "share" / "contested-lines"


def test_blank_variables_count_as_unset(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CONTESTED_DATA_DIR", "   ")
    monkeypatch.setenv("XDG_DATA_HOME", "")
    monkeypatch.setenv("CONTESTED_DB_URL", " ")
    assert config.data_dir() == tmp_path / ".local" / "share" / "contested-lines"
    assert config.db_url() == ""


def test_db_url_set_and_unset(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)
    assert config.db_url() == ""
    assert default_store_location() == str(tmp_path / "claims.sqlite")
    monkeypatch.setenv("CONTESTED_DB_URL", " postgresql://desk@db.example.org/claims\n")
    assert config.db_url() == "postgresql://desk@db.example.org/claims"
    assert default_store_location() == "postgresql://desk@db.example.org/claims"


def test_variable_names_and_shipped_paths():
    assert (config.ENV_DATA_DIR, config.ENV_DB_URL) == ("CONTESTED_DATA_DIR", "CONTESTED_DB_URL")
    assert config.DATA_DIR == Path(config.REPO_ROOT) / "data"
    assert config.SEED_THEATRE_DIR.parent == config.THEATRES_DIR == config.DATA_DIR / "theatres"
    shipped = (config.BOUNDARIES_FILE, config.LINES_FILE, config.VERTICES_FILE, config.CLAIMS_FILE)
    shipped += (config.SOURCES_FILE, config.SETTLEMENTS_FILE, config.ALIASES_FILE)
    for path in shipped:
        assert path.parent == config.SEED_THEATRE_DIR and path.is_file()


@pytest.mark.parametrize(
    "reader, name, default",
    [(config.popup_claims, "CONTESTED_POPUP_CLAIMS", 10), (config.group_claims, "CONTESTED_GROUP_CLAIMS", 8)],
)
@pytest.mark.parametrize(
    "text, expected",
    [("25", 25), (" 1000\n", 1000), ("١٢", 12), ("0", None), ("-3", None), ("2.5", None), ("lots", None)]
    + [("²", None), ("", None), ("1e3", None)],
)
def test_count_settings_take_a_positive_whole_number_else_their_default(
    monkeypatch, reader, name, default, text, expected
):
    monkeypatch.setenv(name, text)
    assert reader() == (default if expected is None else expected)


def test_count_settings_default_when_unset(monkeypatch):
    monkeypatch.delenv("CONTESTED_POPUP_CLAIMS", raising=False)
    monkeypatch.delenv("CONTESTED_GROUP_CLAIMS", raising=False)
    assert (config.popup_claims(), config.group_claims()) == (10, 8)
