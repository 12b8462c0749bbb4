"""Shared fixtures: a small synthetic series on disk and a store in a temporary directory."""

from __future__ import annotations

import pytest

from geo.control import ControlStore, regions_for
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
    return regions_for("donbas-2014-15")
