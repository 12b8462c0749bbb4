"""Where the claims store lives, and opening it.

Where the store lives
---------------------
``open_store()`` with no argument uses ``$CONTESTED_DB_URL`` if set, else
``$CONTESTED_DATA_DIR/claims.sqlite``, else
``$XDG_DATA_HOME/contested-lines/claims.sqlite`` (by default
``~/.local/share/contested-lines/claims.sqlite``); :mod:`geo.config` reads
those variables. A new store is created and seeded from the repository's
``data/sources.csv`` and ``data/claims.csv``.

Which backend opens it
----------------------
:mod:`geo.claims.store.registry` maps the target's URL scheme to a backend:
a file path to :mod:`~geo.claims.store.sqlite`, ``postgresql://`` and
``postgres://`` to :mod:`~geo.claims.store.postgis`; this module imports both
backends so that they are registered.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with open_store(folder) as store:  # a directory means <dir>/claims.sqlite
...     store.location.endswith("claims.sqlite"), store.schema_version() >= 1
(True, True)
>>> [p.name for p in store_files(folder)]
['claims.sqlite', 'claims.sqlite-wal', 'claims.sqlite-shm', 'claims.sqlite-journal']
>>> is_claims_store_file(folder / "claims.sqlite"), is_database_url("postgres://db/claims")
(True, True)
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from geo import config
from geo.claims.store import postgis, registry, sqlite  # noqa: F401 - importing a backend registers it
from geo.claims.store.base import Store
from geo.errors import StoreError

#: The embedded store's file name in a data directory.
STORE_FILENAME = "claims.sqlite"
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def default_store_location() -> str:
    """Return what :func:`open_store` opens when given nothing: a URL or a file path.

    Returns
    -------
    str
        :func:`geo.config.db_url` if set, else ``claims.sqlite`` in
        :func:`geo.config.data_dir`.
    """
    return config.db_url() or str(config.data_dir() / STORE_FILENAME)


def is_database_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a database server (a URL such as ``postgresql://...``) rather than a file.

    >>> is_database_url("postgresql://desk@db/claims"), is_database_url("~/claims.sqlite")
    (True, False)
    """
    return registry.scheme_of(target) != registry.FILE


def _store_file(target: str | os.PathLike[str]) -> Path:
    """The embedded store file at ``target`` (a directory means ``<dir>/claims.sqlite``)."""
    path = Path(target).expanduser()
    return path / STORE_FILENAME if path.is_dir() else path


def open_store(
    path_or_url: str | os.PathLike[str] | None = None,
    *,
    seed_dir: str | os.PathLike[str] | None = None,
    seed: bool = True,
    timeout: float = 60.0,
) -> Store:
    """Open (creating and seeding if new) the claims registry.

    Parameters
    ----------
    path_or_url : str or PathLike, optional
        A SQLite file path (a directory means ``<dir>/claims.sqlite``) or a
        ``postgresql://`` URL. Default: :func:`default_store_location`.
    seed_dir : str or PathLike, optional
        Directory with ``sources.csv`` and ``claims.csv`` used to seed a new
        store; the repository's ``data/`` by default. Missing files are skipped.
    seed : bool, default True
        Set False to create an empty store.
    timeout : float, default 60
        Seconds a writer waits for another writer before giving up.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        If the store cannot be opened or is newer than this code, if no
        backend opens URLs of that scheme, or if a ``postgresql://`` URL is
        given and the psycopg driver is not installed.
    DataFileError
        If a new store cannot be seeded because a seed file is invalid.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "claims.sqlite"
    >>> with open_store(path) as store:  # created and seeded from data/
    ...     len(store.list_claims(reference_line="minsk_2014_09_19")) > 0
    True
    >>> open_store("mysql://db.example.org/claims")
    Traceback (most recent call last):
    ...
    geo.errors.StoreError: no claims store backend for mysql:// URLs; give a file path or a postgres://, postgresql:// URL
    """
    target = path_or_url if path_or_url not in (None, "") else default_store_location()
    factory = registry.backend_for(target)
    where = str(target) if is_database_url(target) else _store_file(target)
    return factory(where, seed_dir=seed_dir, seed=seed, timeout=timeout)


def store_files(location: str | os.PathLike[str] | None = None) -> list[Path]:
    """The file of the embedded store at ``location`` and its SQLite side files.

    Parameters
    ----------
    location : str or PathLike, optional
        A store file or its directory; default :func:`default_store_location`.

    Returns
    -------
    list of Path
        The store file, then its ``-wal``, ``-shm`` and ``-journal`` files
        (whether they exist or not); ``[]`` for a database URL.
    """
    target = location if location not in (None, "") else default_store_location()
    if is_database_url(target):
        return []
    path = _store_file(target)
    return [path, *(Path(f"{path}{suffix}") for suffix in _SQLITE_SIDE_FILES)]


def is_claims_store_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a SQLite file holding a claims registry (or a side file of one).

    Read with the file's header and ``sqlite_master`` only; never changes the file.

    Parameters
    ----------
    path : str or PathLike

    Returns
    -------
    bool
        True also for a SQLite file that cannot be read (it might be a
        registry: better not overwrite it).
    """
    p = Path(path).expanduser()
    for suffix in _SQLITE_SIDE_FILES:
        if p.name.endswith(suffix) and is_claims_store_file(p.with_name(p.name[: -len(suffix)])):
            return True
    try:
        with p.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
    except OSError:
        return False
    uri = "file:" + quote(str(p.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # a SQLite file we cannot read: do not risk overwriting a registry
    return {"claims", "sources", "audit_log", "schema_version"} <= names


def refuse_live_store_output(output: str | os.PathLike[str], store_location: str | None = None) -> None:
    """Raise :class:`StoreError` if writing to ``output`` would replace a claims store.

    Parameters
    ----------
    output : str or PathLike
        The file an export is about to write.
    store_location : str, optional
        The store in use (``--db``); the default store is refused as well.

    Raises
    ------
    StoreError
        If ``output`` is the store in use or the default store, one of their
        ``-wal``/``-shm``/``-journal`` files, or any file that is a claims
        store or a side file of one.
    """
    out = Path(output).expanduser()
    resolved = out.resolve()
    for live in store_files(store_location) + (store_files(None) if store_location else []):
        if live.resolve() == resolved:
            raise StoreError(
                f"{out} is the claims store in use (or one of its files); write the export to another file "
                "(a copy of the registry is made with: python -m geo claims backup FILE)"
            )
    if is_claims_store_file(out):
        raise StoreError(f"{out} is a claims store; write the export to another file, the store was not touched")


__all__ = [
    "STORE_FILENAME",
    "default_store_location",
    "is_claims_store_file",
    "is_database_url",
    "open_store",
    "refuse_live_store_output",
    "store_files",
]
