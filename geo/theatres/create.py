"""Creating a user theatre: a new directory ``$CONTESTED_DATA_DIR/theatres/<id>/`` with its ``theatre.json``.

The theatre is written in a staging directory beside its final place and renamed into place
in one step, so a failure leaves nothing behind and a reader never sees half a theatre.

Examples
--------
>>> t = create_theatre("south-caucasus", "South Caucasus", ["GE"], parties=["Georgia", "South Ossetia"])
>>> t.id, t.countries, t.party_ids, t.shipped
('south-caucasus', ('GE',), ('georgia', 'south_ossetia'), False)
>>> get_theatre("south-caucasus").parties[1].name
'South Ossetia'
>>> create_theatre("south-caucasus", "Again", ["GE"])
Traceback (most recent call last):
...
geo.errors.TheatreError: theatre id 'south-caucasus' is already taken (a user theatre); choose another id
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from geo.atomic import write_atomic
from geo.auth import Action, Principal, authorize
from geo.errors import TheatreError
from geo.reference.regions import is_country, missing_regions, no_regions_message, unit_codes
from geo.theatres.catalogue import get_theatre, is_taken, shipped_root, user_root
from geo.theatres.model import (
    ADMIN1_RE,
    COUNTRY_RE,
    ID_RE,
    MANIFEST,
    PALETTE,
    Party,
    Theatre,
    manifest_text,
    parse_json,
)

#: Parties of a new theatre when the user names none (rename them in ``theatre.json``).
DEFAULT_PARTY_NAMES = ("Side A", "Side B")


def party_id_for(name: str, taken: Iterable[str] = ()) -> str:
    """A party id made from a party name, unique among ``taken``.

    >>> party_id_for("Russia-backed separatists (DPR/LPR)")
    'russia_backed_separatists_dpr_lpr'
    >>> party_id_for("Side A", taken=["side_a"])
    'side_a_2'
    """
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "party"
    taken = set(taken)
    pid, n = base, 1
    while pid in taken:
        n += 1
        pid = f"{base}_{n}"
    return pid


def make_parties(parties: Iterable[Party | str]) -> tuple[Party, ...]:
    """Parties from :class:`Party` objects or names (ids made from the names, colours from the palette).

    >>> [(p.id, p.colour) for p in make_parties(["India", "China"])]
    [('india', '#b2182b'), ('china', '#2166ac')]
    """
    out: list[Party] = []
    for i, item in enumerate(parties):
        if isinstance(item, Party):
            out.append(item)
            continue
        name = str(item).strip()
        if not name:
            raise TheatreError(f"party {i + 1}: the name is empty")
        pid = party_id_for(name, [p.id for p in out])
        out.append(Party(pid, name, name, PALETTE[i % len(PALETTE)]))
    return tuple(out)


def check_new_id(theatre_id: str, data_dir: str | Path | None = None) -> None:
    """Refuse an id that is malformed, shipped, or already used by a user theatre."""
    if not ID_RE.match(theatre_id or ""):
        raise TheatreError(
            f"{theatre_id!r} is not a theatre id: use 2-63 of a-z, 0-9, '_' and '-', starting with a letter or digit"
        )
    if (shipped_root() / theatre_id).exists():
        raise TheatreError(f"theatre id '{theatre_id}' is already taken (a shipped theatre); choose another id")
    if is_taken(theatre_id, data_dir):
        raise TheatreError(f"theatre id '{theatre_id}' is already taken (a user theatre); choose another id")


def check_codes(countries: Iterable[str], admin1: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Upper-cased, de-duplicated country and admin-1 codes, checked for their form.

    >>> check_codes(["ge", "GE"], ["ge-ab"])
    (('GE',), ('GE-AB',))
    >>> check_codes(["Georgia"], [])
    Traceback (most recent call last):
    ...
    geo.errors.TheatreError: country 'GEORGIA' is not an ISO 3166-1 alpha-2 code (e.g. 'GE')
    >>> check_codes(["QZ"], [])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.TheatreError: unknown country code 'QZ' (not an ISO 3166-1 alpha-2 code of data/world/countries.csv)...

    Each code must be a country of the world extract (:func:`geo.reference.regions.is_country`)
    and each admin-1 code a unit of it, so that the theatre has regions.
    """
    cs = tuple(dict.fromkeys(c.strip().upper() for c in countries if c.strip()))
    if not cs:
        raise TheatreError("a theatre needs at least one country (ISO 3166-1 alpha-2 code, e.g. 'GE')")
    for c in cs:
        if not COUNTRY_RE.match(c):
            raise TheatreError(f"country {c!r} is not an ISO 3166-1 alpha-2 code (e.g. 'GE')")
    a1 = tuple(dict.fromkeys(a.strip().upper() for a in admin1 if a.strip()))
    for a in a1:
        if not ADMIN1_RE.match(a):
            raise TheatreError(f"admin-1 unit {a!r} is not an ISO 3166-2 code (e.g. 'GE-AB')")
        if a[:2] not in cs:
            raise TheatreError(f"admin-1 unit {a!r} is not in the theatre's countries ({', '.join(cs)})")
    for c in cs:
        if not is_country(c):
            raise TheatreError(
                f"unknown country code {c!r} (not an ISO 3166-1 alpha-2 code of data/world/countries.csv); "
                "use a code such as 'GE', 'KR' or 'AM'"
            )
    absent = missing_regions(cs)
    if absent:
        raise TheatreError(no_regions_message(absent))
    if a1:
        known = unit_codes(cs)
        for a in a1:
            if a not in known:
                raise TheatreError(f"admin-1 unit {a!r} is not a unit of {', '.join(cs)} in the world extract")
    return cs, a1


def write_new_theatre(theatre: Theatre, files: dict[str, bytes] | None = None, data_dir=None) -> Theatre:
    """Write ``theatre`` (and ``files``: name -> content) as a new user theatre, in one rename.

    Raises
    ------
    geo.errors.TheatreError
        When the id is taken (nothing is written).
    """
    check_new_id(theatre.id, data_dir)
    root = user_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".new-{theatre.id}-", dir=root))
    try:
        for name, content in (files or {}).items():
            write_atomic(staging / name, content)
        write_atomic(staging / MANIFEST, manifest_text(theatre))
        read_manifest_as(staging, theatre.id)
        os.rename(staging, root / theatre.id)  # fails if the id appeared meanwhile
    except FileExistsError:
        raise TheatreError(f"theatre id '{theatre.id}' is already taken (a user theatre); choose another id") from None
    except OSError as exc:
        if (root / theatre.id).exists():
            raise TheatreError(f"theatre id '{theatre.id}' is already taken (a user theatre)") from None
        raise TheatreError(f"cannot write theatre '{theatre.id}' in {root}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return get_theatre(theatre.id, data_dir)


def read_manifest_as(directory: Path, theatre_id: str) -> Theatre:
    """Read and check the manifest of a staging directory, whose name is not the id yet."""
    where = directory / MANIFEST
    theatre = parse_json(where.read_text(encoding="utf-8"), where, path=directory)
    if theatre.id != theatre_id:
        raise TheatreError(f"{where}: field 'id': {theatre.id!r} differs from {theatre_id!r}")
    return theatre


def create_theatre(
    theatre_id: str,
    name: str,
    countries: Iterable[str],
    admin1: Iterable[str] = (),
    parties: Iterable[Party | str] = (),
    *,
    region_word: str = "",
    region_word_plural: str = "",
    description: str = "",
    data_dir: str | Path | None = None,
    user: Principal | str | None = None,
) -> Theatre:
    """Create a user theatre and return it as loaded back from disk.

    ``user`` must be an admin (:func:`geo.auth.authorize`; None: the embedded mode's
    local admin); read-only mode refuses.

    Parameters
    ----------
    theatre_id : str
        New id (``^[a-z0-9][a-z0-9_-]{1,62}$``), not used by a shipped or user theatre.
    name : str
        Display name.
    countries : iterable of str
        ISO 3166-1 alpha-2 codes.
    admin1 : iterable of str, optional
        ISO 3166-2 codes narrowing the region (empty: every admin-1 unit of ``countries``).
    parties : iterable of Party or str, optional
        Two or more parties or party names (default :data:`DEFAULT_PARTY_NAMES`).
    region_word, region_word_plural : str, optional
        What the admin-1 units are called ("region"/"regions" by default).
    description : str, optional
    data_dir : str or Path, optional
        The user data directory (default ``$CONTESTED_DATA_DIR``).

    Raises
    ------
    geo.errors.TheatreError
        For a malformed or taken id, a bad code, fewer than two parties or an empty name.
    """
    authorize(user, Action.MANAGE_THEATRES)
    check_new_id(theatre_id, data_dir)
    if not (name or "").strip():
        raise TheatreError("a theatre needs a name (--name)")
    cs, a1 = check_codes(countries, admin1)
    ps = make_parties(list(parties) or DEFAULT_PARTY_NAMES)
    if len(ps) < 2:
        raise TheatreError(f"a theatre needs at least two parties, {len(ps)} given")
    word = (region_word or "region").strip()
    theatre = Theatre(
        id=theatre_id,
        name=name.strip(),
        description=description.strip(),
        countries=cs,
        admin1=a1,
        region_word=word,
        region_word_plural=(region_word_plural or word + "s").strip(),
        parties=ps,
    )
    return write_new_theatre(theatre, data_dir=data_dir)
