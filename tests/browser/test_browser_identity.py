"""Team mode in Chromium through the trusted-header path: no header, the sign-in page; a proxy's header, the desk."""

from __future__ import annotations

import tempfile

import pytest

from tests.support.browser_util import running_app
from tests.support.e2e_util import wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk_app():
    with tempfile.TemporaryDirectory(prefix="contested-desk-") as data_dir:
        env = {
            "CONTESTED_DATA_DIR": data_dir,
            "CONTESTED_AUTH_MODE": "team",
            "CONTESTED_TRUSTED_PROXIES": "127.0.0.1, ::1",  # the test plays the proxy
            "CONTESTED_ROLES": "ed@desk.example=editor",
        }
        with running_app(env=env) as url:
            yield url


def _open(chromium, url, headers=None):
    context = chromium.new_context(extra_http_headers=headers or {})
    page = context.new_page()
    page.goto(url)
    return context, page


def test_without_the_proxy_header_only_the_sign_in_page_shows(chromium, desk_app):
    context, page = _open(chromium, desk_app)
    try:
        page.get_by_text("Sign in to Contested Lines").wait_for(timeout=120_000)
        wait_idle(page)
        assert page.get_by_text("Working as").count() == 0
        assert page.locator('[data-testid="stTextInput"]').count() == 0
    finally:
        context.close()


def test_the_proxy_header_signs_the_editor_in(chromium, desk_app):
    context, page = _open(chromium, f"{desk_app}/claims", {"X-Forwarded-User": "ed@desk.example"})
    try:
        page.get_by_text("Working as").wait_for(timeout=120_000)
        wait_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "desk.example" in sidebar and "editor" in sidebar
        assert page.get_by_text("Sign in to Contested Lines").count() == 0
        assert page.get_by_text("Add a claim").count() >= 1  # an editor may add
    finally:
        context.close()
