"""Where the shipped data lives."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
BOUNDARIES_FILE = DATA_DIR / "boundaries.geojson"
LINES_FILE = DATA_DIR / "lines.csv"
VERTICES_FILE = DATA_DIR / "line_vertices.csv"
CLAIMS_FILE = DATA_DIR / "claims.csv"
SOURCES_FILE = DATA_DIR / "sources.csv"
SETTLEMENTS_FILE = DATA_DIR / "settlements.csv"

#: Environment variable naming the user data directory (claims store, imported and drawn lines).
ENV_DATA_DIR = "CONTESTED_DATA_DIR"
#: Name of the user data directory under ``$XDG_DATA_HOME`` (or ``~/.local/share``).
APP_DIRNAME = "contested-lines"


def user_data_dir() -> Path:
    """The directory of the analyst's own data (the embedded store, imported and drawn lines).

    ``$CONTESTED_DATA_DIR`` if set, else ``$XDG_DATA_HOME/contested-lines``,
    else ``~/.local/share/contested-lines``.

    Examples
    --------
    >>> import os
    >>> os.environ["CONTESTED_DATA_DIR"] = "/tmp/cl-doctest"
    >>> str(user_data_dir())
    '/tmp/cl-doctest'
    >>> del os.environ["CONTESTED_DATA_DIR"]
    """
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_DIRNAME
