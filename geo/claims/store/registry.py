r"""Which backend opens a store: a small table from URL scheme to a factory.

A backend module registers its store class when it is imported
(:mod:`geo.claims.store.sqlite` for file paths, :mod:`geo.claims.store.postgis`
for ``postgresql://`` and ``postgres://`` URLs); the package imports both, so
the table is full once ``geo.claims.store`` is imported. Backends never
import each other: one that needs another kind of store (PostGIS backs up to
an embedded file) asks this table for it.

Examples
--------
>>> scheme_of("postgresql+psycopg://db.example.org/claims")
'postgresql'
>>> scheme_of("/home/ana/claims.sqlite"), scheme_of(r"C:\\data\\claims.sqlite")
('file', 'file')
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from geo.claims.store.base import Store
from geo.errors import StoreError

#: The scheme of a target that is not a URL: a file path.
FILE = "file"

#: ``factory(target, *, seed_dir, seed, timeout) -> Store``
Factory = Callable[..., Store]

_BACKENDS: dict[str, Factory] = {}
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9.+-]*)://")


def register(scheme: str, factory: Factory) -> None:
    """Make ``factory`` open the targets of ``scheme``.

    Parameters
    ----------
    scheme : str
        A URL scheme such as ``"postgresql"`` (case ignored), or :data:`FILE`
        for file paths.
    factory : Factory
        Called as ``factory(target, seed_dir=..., seed=..., timeout=...)``
        and returning an open :class:`~geo.claims.store.base.Store`; usually
        the backend's store class. A later registration replaces an earlier one.
    """
    _BACKENDS[scheme.lower()] = factory


def scheme_of(target: str | os.PathLike[str]) -> str:
    """The URL scheme of ``target``.

    Parameters
    ----------
    target : str or PathLike
        A file path or a URL.

    Returns
    -------
    str
        The scheme in lower case without a ``+driver`` suffix
        (``postgresql+psycopg://`` gives ``postgresql``), or :data:`FILE`
        when ``target`` is not a URL.
    """
    match = _URL.match(str(target).strip())
    if match is None:
        return FILE
    return match.group(1).lower().split("+", 1)[0]


def schemes() -> list[str]:
    """The registered schemes, sorted."""
    return sorted(_BACKENDS)


def backend(scheme: str) -> Factory:
    """The factory registered for ``scheme``.

    Raises
    ------
    StoreError
        If none is; the message names the URL schemes that are known.

    >>> backend("mysql")
    Traceback (most recent call last):
    ...
    geo.errors.StoreError: no claims store backend for mysql:// URLs; give a file path or a postgres://, postgresql:// URL
    """
    factory = _BACKENDS.get(scheme.lower())
    if factory is None:
        urls = ", ".join(f"{s}://" for s in schemes() if s != FILE)
        raise StoreError(
            f"no claims store backend for {scheme}:// URLs; give a file path" + (f" or a {urls} URL" if urls else "")
        )
    return factory


def backend_for(target: str | os.PathLike[str]) -> Factory:
    """The factory that opens ``target`` (a file path or a database URL).

    Parameters
    ----------
    target : str or PathLike
        A file path or a URL such as ``postgresql://host/db``.

    Returns
    -------
    Factory
        Called as ``factory(target, seed_dir=..., seed=..., timeout=...)``.

    Raises
    ------
    StoreError
        If no backend is registered for the target's scheme; the message
        names the scheme and the known ones.
    """
    return backend(scheme_of(target))


__all__ = ["FILE", "Factory", "backend", "backend_for", "register", "scheme_of", "schemes"]
