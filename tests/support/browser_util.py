"""Shared helpers for the browser tests: start the app, launch Debian's Chromium.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright through
``executable_path`` (Playwright's own browser download does not work here).
Without Chromium the browser tests skip with a reason, except under
``CI=true`` where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
INSTALL_HINT = "install it with: apt-get install -y chromium chromium-driver && pip install playwright"


def browser_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None if they can."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}; {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Python package playwright is missing; {INSTALL_HINT}"
    return None


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict | None = None, timeout: float = 90.0, script: Path | None = None):
    """Run ``streamlit run dashboard.py`` (or ``script``) on a free localhost port; yield its base URL."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or REPO / "dashboard.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    full_env = {**os.environ, **(env or {})}
    log = (
        open(REPO / "test-artifacts" / f"streamlit-{port}.log", "w")
        if (REPO / "test-artifacts").is_dir()
        else subprocess.DEVNULL
    )
    proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not become healthy in time")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


#: URLs the page may not fetch: all but localhost, ``data:``, ``blob:`` and ``about:``. A regular expression
#: (not a Python function), so Playwright matches it inside the browser: only these requests are stopped
#: on their way and sent to Python; the app's own requests go straight to the server, as in a user's browser.
OUTSIDE_URL = re.compile(r"^(?!(?:data:|blob:|about:|https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:[/?#]|$)))")


def is_local(url: str) -> bool:
    """True for URLs the page may fetch: localhost, data:, blob:, about: (the complement of :data:`OUTSIDE_URL`)."""
    return not OUTSIDE_URL.search(url)


@contextlib.contextmanager
def chromium_browser():
    """Debian's headless Chromium under Playwright; closed on exit. RuntimeError if it cannot run here."""
    reason = browser_missing_reason()
    if reason:
        raise RuntimeError(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
