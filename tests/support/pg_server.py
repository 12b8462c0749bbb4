"""A PostgreSQL/PostGIS server for the store tests, and one empty schema per test.

Where the server comes from, in order:

1. ``$CONTESTED_TEST_PG_URL`` (e.g. what ``.ci/postgres.sh start`` printed): a database
   with PostGIS installed where the user may create schemas;
2. else a private cluster started for the session with ``.ci/postgres.sh`` in a fresh
   directory on a free localhost port, when Debian's server binaries are installed
   (``apt-get install -y postgresql postgis``); stopped and removed at the end;
3. else the PostGIS tests are skipped with the reason, except under ``CI=true``, where
   they fail: CI must exercise both backends.

Each test gets its own schema (``search_path`` set through the URL), dropped afterwards,
so tests never see each other's data and need no database of their own.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_URL = "CONTESTED_TEST_PG_URL"
REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".ci" / "postgres.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _check(url: str) -> str | None:
    """Return why ``url`` cannot be used, or None."""
    try:
        import psycopg
    except ModuleNotFoundError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
            row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
            if row is None:
                return f"PostGIS is not installed in {url} (CREATE EXTENSION postgis)"
    except psycopg.Error as exc:
        return f"cannot connect to {url}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
    return None


@contextlib.contextmanager
def server() -> Iterator[tuple[str | None, str]]:
    """Yield ``(url, "")`` for a usable server, or ``(None, reason)``."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        reason = _check(url)
        yield (None, f"${ENV_URL}: {reason}") if reason else (url, "")
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        yield (
            None,
            (
                f"no PostgreSQL server: set ${ENV_URL} or apt-get install -y postgresql postgis "
                "(then a private cluster is started for the tests)"
            ),
        )
        return
    if shutil.which("bash") is None or not SCRIPT.is_file():
        yield None, f"{SCRIPT} is missing"
        return
    directory = tempfile.mkdtemp(prefix="contested-pg-", dir="/tmp")  # postgres must reach it
    os.chmod(directory, 0o755)
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", directory, str(_free_port())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        if started.returncode != 0:
            yield None, f"the private PostgreSQL cluster did not start: {started.stderr.strip()[-500:]}"
            return
        url = started.stdout.strip().splitlines()[-1]
        reason = _check(url)
        yield (None, reason) if reason else (url, "")
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", directory], capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)


def unavailable(reason: str) -> None:
    """Skip (fail under ``CI=true``) because no PostgreSQL server is available."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the PostGIS tests cannot run: {reason}")
    pytest.skip(reason)  # only outside CI: under CI=true this failed above


def with_search_path(url: str, schema: str) -> str:
    """Return ``url`` with the connection's ``search_path`` set to ``schema, public``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema},public"


_SHARED: dict[str, tuple[str | None, str]] = {}


def shared_server() -> tuple[str | None, str]:
    """:func:`server` entered once per test process and left at exit.

    Several test modules import the fixtures below; a module-level cache (not the
    fixture scope, which is per defining module) keeps it to one private cluster.
    """
    if "server" not in _SHARED:
        manager = server()
        _SHARED["server"] = manager.__enter__()
        atexit.register(manager.__exit__, None, None, None)
    return _SHARED["server"]


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The URL of a PostGIS database for the session (see the module docstring)."""
    url, reason = shared_server()
    if url is None:
        unavailable(reason)
    return url


@contextlib.contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """Create an empty schema, yield a URL using it, drop it afterwards."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(base_url, schema)
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def pg_store_url(pg_server_url: str) -> Iterator[str]:
    """A URL whose store lives in a new, empty schema (dropped after the test)."""
    with fresh_schema(pg_server_url) as url:
        yield url
