"""Fixtures of the browser tests (the settings shared with the doctests are in the root conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def chromium():
    """A Playwright Chromium (Debian's binary); skips without it unless CI=true."""
    from tests.support.browser_util import CHROMIUM, CHROMIUM_ARGS, browser_missing_reason

    reason = browser_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
        pytest.skip(reason)  # only outside CI: under CI=true this failed above
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory):
    """The data directory (``claims.sqlite``) of the app that :func:`app_url` runs."""
    return tmp_path_factory.mktemp("contested-app")


@pytest.fixture(scope="session")
def app_url(chromium, app_data_dir):
    """The dashboard running on a free localhost port for the whole session."""
    from tests.support.browser_util import running_app

    (REPO / "test-artifacts").mkdir(exist_ok=True)
    with running_app(env={"CONTESTED_DATA_DIR": str(app_data_dir)}) as url:
        yield url


@pytest.fixture(scope="session")
def screenshot_dir():
    d = REPO / "test-artifacts" / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d
