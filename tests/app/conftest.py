"""Fixtures shared by the AppTest modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def media(monkeypatch) -> Callable[[object], bytes]:
    """Keep AppTest's in-memory media storages so download contents can be read.

    Returns a function of a download button giving the bytes it serves.
    """
    storages = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, endpoint):
            super().__init__(endpoint)
            storages.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)

    def content(button) -> bytes:
        name = button.proto.url.rsplit("/", 1)[-1]
        return storages[-1].get_file(name).content

    return content


@pytest.fixture(scope="module")
def router_ran(tmp_path_factory):
    """Run the router once first: the first run of a process turns off Streamlit's legacy
    pages/ mode (pages._state.ensure_navigation) and reruns onto the default page."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONTESTED_DATA_DIR", str(tmp_path_factory.mktemp("warmup")))
        mp.delenv("CONTESTED_DB_URL", raising=False)
        AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def fresh_caches():
    """Clear Streamlit's caches, so a page's cached store is this test's data directory
    (the root conftest gives every test its own)."""
    st.cache_resource.clear()
    st.cache_data.clear()
