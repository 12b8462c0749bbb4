"""Where the data lives: the shipped ``data/`` files and the user's data directory.

This module is the one reader of the environment variables that move the
user's data:

* ``CONTESTED_DATA_DIR``: the user data directory (the embedded claims store
  ``claims.sqlite``, drawn and imported lines and their audit files);
  default ``$XDG_DATA_HOME/contested-lines``, else
  ``~/.local/share/contested-lines``. A leading ``~`` is expanded.
* ``CONTESTED_DB_URL``: a database URL (``postgresql://...``) for a shared
  claims registry instead of the embedded file.

Examples
--------
>>> from unittest import mock
>>> with mock.patch.dict(os.environ, {ENV_DATA_DIR: "~/contested"}):
...     data_dir() == Path.home() / "contested"
True
>>> with mock.patch.dict(os.environ, {ENV_DB_URL: " postgresql://db.example.org/claims "}):
...     db_url()
'postgresql://db.example.org/claims'
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
#: Shipped theatres, one directory each (``theatre.json`` plus its tables).
THEATRES_DIR = DATA_DIR / "theatres"
#: The theatre whose tables the app loads when none is chosen (the seed case).
SEED_THEATRE_DIR = THEATRES_DIR / "donbas-2014-15"
BOUNDARIES_FILE = SEED_THEATRE_DIR / "boundaries.geojson"
LINES_FILE = SEED_THEATRE_DIR / "lines.csv"
VERTICES_FILE = SEED_THEATRE_DIR / "line_vertices.csv"
CLAIMS_FILE = SEED_THEATRE_DIR / "claims.csv"
SOURCES_FILE = SEED_THEATRE_DIR / "sources.csv"
SETTLEMENTS_FILE = SEED_THEATRE_DIR / "settlements.csv"
ALIASES_FILE = SEED_THEATRE_DIR / "aliases.csv"

#: Environment variable naming the user data directory.
ENV_DATA_DIR = "CONTESTED_DATA_DIR"
#: Environment variable naming a claims database URL.
ENV_DB_URL = "CONTESTED_DB_URL"
#: The directory the user data lives in below ``$XDG_DATA_HOME``.
APP_DIRNAME = "contested-lines"


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _positive_int(name: str, default: int) -> int:
    """``$name`` as a whole number above zero, else ``default`` (unset, ``"lots"``, ``"0"``, ``"²"``, ``"-3"``)."""
    text = _env(name)
    return int(text) if text.isdecimal() and int(text) > 0 else default


def data_dir() -> Path:
    """Return the user data directory.

    Returns
    -------
    pathlib.Path
        ``$CONTESTED_DATA_DIR`` if set (``~`` expanded), else
        ``$XDG_DATA_HOME/contested-lines``, else
        ``~/.local/share/contested-lines``. Not created here.
    """
    env = _env(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    xdg = _env("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_DIRNAME


#: Environment variable: how many claims one map popup lists before "… and N more" (default 10).
ENV_POPUP_CLAIMS = "CONTESTED_POPUP_CLAIMS"
POPUP_CLAIMS_DEFAULT = 10


def popup_claims() -> int:
    """How many claims one area's popup lists before "… and N more".

    ``$CONTESTED_POPUP_CLAIMS`` if it is a positive whole number, else :data:`POPUP_CLAIMS_DEFAULT`.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {ENV_POPUP_CLAIMS: "250"}):
    ...     popup_claims()
    250
    >>> with mock.patch.dict(os.environ, {ENV_POPUP_CLAIMS: "lots"}):
    ...     popup_claims()
    10
    """
    return _positive_int(ENV_POPUP_CLAIMS, POPUP_CLAIMS_DEFAULT)


#: Environment variable: how many claims of one disagreeing group the Claims page draws (default 8).
ENV_GROUP_CLAIMS = "CONTESTED_GROUP_CLAIMS"
GROUP_CLAIMS_DEFAULT = 8


def group_claims() -> int:
    """How many claims of one disagreeing group the Claims page draws before "… and N more".

    ``$CONTESTED_GROUP_CLAIMS`` if it is a positive whole number, else :data:`GROUP_CLAIMS_DEFAULT`.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {ENV_GROUP_CLAIMS: "40"}):
    ...     group_claims()
    40
    >>> with mock.patch.dict(os.environ, {ENV_GROUP_CLAIMS: "0"}):
    ...     group_claims()
    8
    """
    return _positive_int(ENV_GROUP_CLAIMS, GROUP_CLAIMS_DEFAULT)


def db_url() -> str:
    """Return ``$CONTESTED_DB_URL`` (surrounding space removed), or ``""`` when it is not set."""
    return _env(ENV_DB_URL)
