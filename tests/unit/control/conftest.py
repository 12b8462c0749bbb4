"""Shared fixtures: a small synthetic series on disk and a store in a temporary directory."""

from __future__ import annotations

import pytest

from geo.control import ControlStore
from geo.reference.boundaries import oblasts
from tests.support.synthetic_control import write_series


@pytest.fixture(scope="module")
def series_dir(tmp_path_factory):
    """Eight synthetic days; day 3 repeats day 2, day 5 is a corrupt file."""
    d = tmp_path_factory.mktemp("series")
    paths = write_series(d, 8, duplicates=(3,), corrupt=(5,))
    return d, paths


@pytest.fixture
def store(tmp_path):
    with ControlStore(tmp_path / "control.sqlite") as s:
        yield s


@pytest.fixture(scope="module")
def regions():
    """All 27 of Ukraine's oblasts (the shipped boundaries file), as the synthetic series spans several."""
    return oblasts()
