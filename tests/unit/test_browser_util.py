"""The harness's pattern of what a page may not fetch (matched by the browser itself)."""

import pytest

from tests.support.browser_util import OUTSIDE_URL, is_local


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8501/static/js/main.js",
        "http://localhost/",
        "http://127.0.0.1",
        "http://[::1]:8501/_stcore/health",
        "data:image/png;base64,iVBORw0",
        "blob:http://127.0.0.1:8501/4f2c",
        "about:blank",
    ],
)
def test_local_urls_pass(url):
    assert is_local(url)
    assert not OUTSIDE_URL.search(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://tile.openstreetmap.org/1/2/3.png",
        "http://127.0.0.1.evil.example/",
        "http://localhost.evil.example/x",
        "https://evil.example/login?next=http://127.0.0.1/",
        "wss://outside.example/socket",
    ],
)
def test_outside_urls_are_stopped(url):
    assert not is_local(url)
    assert OUTSIDE_URL.search(url)
