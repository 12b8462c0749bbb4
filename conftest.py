"""Settings and fixtures for every test and every doctest of ``geo`` (``python -m pytest`` from here).

The fixtures that only the browser tests need live in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent
# Tests see the real exception of a failing page (users get a message: pages/_state.page_failed).
os.environ.setdefault("CONTESTED_DEBUG", "1")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Tests never assert timings (bench/ measures speed): Hypothesis's per-example deadline and its
# too-slow health check would fail a correct property on a loaded CI machine (seen: 889 ms for
# an example that takes 0.04 ms when the machine is idle).
settings.register_profile("contested", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("contested")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Every test and doctest gets its own data directory, so none touches a user's store."""
    if "CONTESTED_DATA_DIR_KEEP" not in os.environ:
        monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path_factory.mktemp("datadir")))
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _doctest_names(doctest_namespace):
    """Names every doctest of ``geo`` may use without importing them: ``S`` and ``gpd``."""
    import geopandas as gpd

    from geo import schema as S

    doctest_namespace["S"] = S
    doctest_namespace["gpd"] = gpd
