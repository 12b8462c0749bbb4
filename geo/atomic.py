r"""Crash-safe writes of user files, and the one lock all writers of user lines share.

Imported lines (``user_lines.csv`` + ``user_line_vertices.csv``), drawn lines
(``drawn_lines.geojson``) and their audit file sit in one data directory. Every
read-modify-write of any of them happens inside :func:`locked` on that
directory, so two processes saving at once cannot lose each other's changes,
and every file is replaced with :func:`write_atomic` (temporary file in the
same directory, flushed to disk, then ``os.replace``), so a reader sees the old
file or the new one, never a half-written one.

A test may set ``CONTESTED_CRASH_AT=<step>``: :func:`crash_point` then kills
the process with SIGKILL at that step, to show that a crash there loses nothing.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> with locked(d):
...     _ = write_atomic(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
>>> write_atomic(d / "b.bin", bytes([0, 1])).read_bytes()
b'\x00\x01'
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

LOCK_FILENAME = ".user_lines.lock"
ENV_CRASH_AT = "CONTESTED_CRASH_AT"


def write_atomic(
    path: str | os.PathLike[str], content: str | bytes | Callable[[IO[str]], object], *, mode: int = 0o644
) -> Path:
    """Replace ``path`` with ``content`` (text, bytes, or a function writing to a text handle) in one step.

    The data is written to a temporary file beside ``path``, flushed and
    fsync'ed, then renamed over ``path``; on any error the temporary file is
    removed and ``path`` is unchanged.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        binary = isinstance(content, (bytes, bytearray, memoryview))
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; these are ordinary data files
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_dir(p.parent)
    return p


def _sync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the exclusive lock of the user-lines files in ``directory`` (POSIX ``flock``).

    Blocks until no other process or thread holds it. Every writer of imported
    lines, drawn lines and the lines audit file takes this one lock.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / LOCK_FILENAME).open("a") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX: no lock
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def crash_point(step: str) -> None:
    """Kill this process (SIGKILL) if ``$CONTESTED_CRASH_AT`` names ``step``; for crash tests only."""
    if os.environ.get(ENV_CRASH_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)
