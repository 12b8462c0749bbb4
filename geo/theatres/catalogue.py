"""Which theatres exist: the shipped ones (``data/theatres/``) and the user's (``$CONTESTED_DATA_DIR/theatres/``).

A theatre is a directory ``<root>/<id>/`` holding ``theatre.json``. Shipped theatres are
read-only; a user theatre may not take a shipped theatre's id (it is reported, not loaded).
A directory whose manifest is broken is left out of :func:`list_theatres` and reported by
:func:`catalogue_problems`, so one bad user theatre never hides the others.

Examples
--------
>>> [t.id for t in list_theatres() if t.default]
['donbas-2014-15']
>>> get_theatre("donbas-2014-15").region_word_plural
'oblasts'
>>> get_theatre("atlantis")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
geo.errors.UnknownTheatreError: no theatre 'atlantis' (known: ...donbas-2014-15...)
"""

from __future__ import annotations

from pathlib import Path

from geo import config
from geo.errors import TheatreError, UnknownTheatreError
from geo.theatres.model import ID_RE, MANIFEST, Theatre, read_manifest

#: The user theatres' directory below the user data directory.
USER_SUBDIR = "theatres"


def shipped_root() -> Path:
    """Directory of the shipped theatres (``geo.config.THEATRES_DIR``)."""
    return config.THEATRES_DIR


def user_root(data_dir: str | Path | None = None) -> Path:
    """Directory of the user's theatres: ``<data_dir>/theatres`` (default ``$CONTESTED_DATA_DIR``); not created."""
    base = Path(data_dir).expanduser() if data_dir else config.data_dir()
    return base / USER_SUBDIR


def _candidates(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and ID_RE.match(p.name) and (p / MANIFEST).exists())


def _scan(data_dir: str | Path | None = None) -> tuple[list[Theatre], list[str]]:
    theatres: list[Theatre] = []
    problems: list[str] = []
    for d in _candidates(shipped_root()):
        try:
            theatres.append(read_manifest(d, shipped=True))
        except TheatreError as exc:
            problems.append(str(exc))
    defaults = [t.id for t in theatres if t.default]
    if len(defaults) > 1:
        problems.append(f"{shipped_root()}: more than one shipped theatre has 'default': true ({', '.join(defaults)})")
    shipped_ids = {t.id for t in theatres}
    for d in _candidates(user_root(data_dir)):
        if d.name in shipped_ids:
            problems.append(f"{d}: a user theatre may not take the shipped id '{d.name}'; it is not loaded")
            continue
        try:
            t = read_manifest(d, shipped=False)
        except TheatreError as exc:
            problems.append(str(exc))
            continue
        theatres.append(t)
    return theatres, problems


def list_theatres(data_dir: str | Path | None = None) -> list[Theatre]:
    """Every theatre that loads: the shipped ones first, then the user's, each group by id.

    Parameters
    ----------
    data_dir : str or Path, optional
        The user data directory (default ``$CONTESTED_DATA_DIR``).
    """
    return _scan(data_dir)[0]


def catalogue_problems(data_dir: str | Path | None = None) -> list[str]:
    """Messages for theatre directories that could not be loaded (file and field named)."""
    return _scan(data_dir)[1]


def theatre_ids(data_dir: str | Path | None = None) -> list[str]:
    """The ids of :func:`list_theatres`."""
    return [t.id for t in list_theatres(data_dir)]


def get_theatre(theatre_id: str, data_dir: str | Path | None = None) -> Theatre:
    """The theatre with id ``theatre_id``.

    Raises
    ------
    geo.errors.UnknownTheatreError
        When there is none; the message lists the known ids, and the reason when a directory
        of that id exists but could not be loaded.
    """
    theatres, problems = _scan(data_dir)
    for t in theatres:
        if t.id == theatre_id:
            return t
    for p in problems:
        if f"/{theatre_id}/" in p.replace("\\", "/") or f"/{theatre_id}:" in p.replace("\\", "/"):
            raise UnknownTheatreError(f"theatre '{theatre_id}' cannot be loaded: {p}")
    known = ", ".join(t.id for t in theatres) or "none"
    raise UnknownTheatreError(f"no theatre '{theatre_id}' (known: {known})")


def default_theatre(data_dir: str | Path | None = None) -> Theatre:
    """The theatre the app opens first: the shipped one marked ``default``, else the first listed.

    Raises
    ------
    geo.errors.UnknownTheatreError
        When no theatre loads at all.
    """
    theatres = list_theatres(data_dir)
    for t in theatres:
        if t.shipped and t.default:
            return t
    if not theatres:
        raise UnknownTheatreError(f"no theatre found in {shipped_root()} or {user_root(data_dir)}")
    return theatres[0]


def is_taken(theatre_id: str, data_dir: str | Path | None = None) -> bool:
    """Whether ``theatre_id`` is used by a shipped theatre or by a directory in the user's theatres."""
    return (shipped_root() / theatre_id).exists() or (user_root(data_dir) / theatre_id).exists()
