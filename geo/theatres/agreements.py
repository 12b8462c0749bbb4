"""Agreements of a theatre and the zone rules they set, as data (``theatre.json``, ``agreements``).

An agreement (armistice, memorandum, ceasefire statement) names who signed it, the parties it
binds, the line it fixes and the quote of its rule with the address it was read at; each of its
zones is a band ``distance_km`` from a line on one side or on each side, for one class of weapons
(or forces), inside a zone the agreement calls ``zone_width_km`` wide. Nothing here knows any
particular agreement: :mod:`geo.analysis.security_zones` draws the bands from these records.

:func:`parse_agreements` reads the ``agreements`` list of a decoded manifest through the
manifest's field reader (:class:`geo.theatres.model._Reader`), so every refusal names the file
and the field (``agreements[1].zones[0].zone_width_km``); :func:`agreement_dicts` is its inverse;
:func:`check_agreement_lines` refuses zones drawn from a line the theatre does not hold.

Examples
--------
>>> from geo.theatres.model import FORMAT, parse_manifest
>>> raw = {"format": FORMAT, "id": "demo", "name": "Demo", "countries": ["GE"],
...        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
...        "agreements": [{"id": "truce", "name": "Truce", "date": "2001-02-03", "line": "l1",
...                        "signatories": ["Commander A", "Commander B"],
...                        "quote": "Both sides withdraw 3 km.", "quote_url": "https://example.org/truce",
...                        "zones": [{"id": "z", "name": "Buffer", "weapon_class": "all forces",
...                                   "distance_km": 3}]}]}
>>> a = parse_manifest(raw, "demo/theatre.json").agreements[0]
>>> a.parties, a.zones[0].side, a.zones[0].zone_width_km, zone_line(a, a.zones[0])
(('a', 'b'), 'each', 6.0, 'l1')
>>> agreement_label(a), zone_quote(a, a.zones[0])
('Truce (3 Feb 2001)', ('Both sides withdraw 3 km.', 'https://example.org/truce'))
>>> raw["agreements"][0]["zones"][0]["zone_width_km"] = 2
>>> parse_manifest(raw, "demo/theatre.json")
Traceback (most recent call last):
...
geo.errors.TheatreError: demo/theatre.json: field 'agreements[0].zones[0].zone_width_km': 2.0 km is narrower than the 3.0 km pull-back distance_km
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from geo.errors import TheatreError

#: ``zones[].side`` value for a band on both sides of the line.
SIDE_EACH = "each"
#: Longest distance or zone width accepted, in km.
MAX_KM = 20_000.0
URL_PREFIXES = ("https://", "http://")


@dataclass(frozen=True)
class Zone:
    """A band an agreement sets along a line: ``distance_km`` from ``line`` on ``side``.

    ``side`` is :data:`SIDE_EACH` or a party id (only that party's side); ``line`` is the
    agreement's line unless the zone names its own; ``zone_width_km`` is the width of the whole
    zone the agreement names (default: twice ``distance_km``, equal distances on both sides);
    ``quote``/``quote_url`` the rule's words for this zone when the agreement's own quote does
    not cover it.
    """

    id: str
    name: str
    weapon_class: str
    distance_km: float
    side: str
    line: str = ""
    zone_width_km: float = 0.0
    quote: str = ""
    quote_url: str = ""


@dataclass(frozen=True)
class Agreement:
    """An agreement with the parties it binds, its signatories, the line it fixes and its zone rules."""

    id: str
    name: str
    date: str
    line: str = ""
    sources: tuple[str, ...] = ()
    zones: tuple[Zone, ...] = ()
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    quote: str = ""
    quote_url: str = ""


def zone_line(agreement: Agreement, zone: Zone) -> str:
    """The line a zone is measured from: its own, else the agreement's ('' when neither names one)."""
    return zone.line or agreement.line


def zone_quote(agreement: Agreement, zone: Zone) -> tuple[str, str]:
    """``(quote, url)`` of the rule behind ``zone``: the zone's own, else the agreement's."""
    if zone.quote:
        return zone.quote, zone.quote_url
    return agreement.quote, agreement.quote_url


def agreement_label(agreement: Agreement) -> str:
    """``"Name (19 Sep 2014)"``; the bare name when the agreement has no date.

    >>> agreement_label(Agreement("x", "Accord", ""))
    'Accord'
    """
    if not agreement.date:
        return agreement.name
    d = dt.date.fromisoformat(agreement.date)
    return f"{agreement.name} ({d.day} {d:%b %Y})"


def _date(r, obj: dict, prefix: str) -> str:
    value = r.get(obj, "date", prefix, str, default="")
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            r.fail(prefix + "date", f"{value!r} is not a date YYYY-MM-DD")
    return value


def _km(r, obj: dict, key: str, prefix: str, default: Any = ...) -> float:
    value = r.get(obj, key, prefix, float, default=default)
    if value is not None and not 0 < value < MAX_KM:
        r.fail(prefix + key, f"{value} is not a distance in km above 0")
    return value


def _quote(r, obj: dict, prefix: str) -> tuple[str, str]:
    quote = r.get(obj, "quote", prefix, str, default="")
    url = r.get(obj, "quote_url", prefix, str, default="")
    if url and not url.startswith(URL_PREFIXES):
        r.fail(prefix + "quote_url", f"{url!r} is not a web address")
    if quote and not url:
        r.fail(prefix + "quote_url", "missing: a quote needs the address it was read at")
    if url and not quote:
        r.fail(prefix + "quote", "missing: quote_url is given without the quote")
    return quote, url


def _zone(r, z: dict, zprefix: str, party_ids: tuple[str, ...]) -> Zone:
    distance = _km(r, z, "distance_km", zprefix)
    side = r.get(z, "side", zprefix, str, default=SIDE_EACH) or SIDE_EACH
    if side != SIDE_EACH and side not in party_ids:
        r.fail(zprefix + "side", f"{side!r} is neither 'each' nor a party id ({', '.join(party_ids)})")
    width = _km(r, z, "zone_width_km", zprefix, default=None)
    if width is None:
        width = 2.0 * distance
    elif width < distance:
        r.fail(zprefix + "zone_width_km", f"{width} km is narrower than the {distance} km pull-back distance_km")
    quote, url = _quote(r, z, zprefix)
    return Zone(
        id=r.get(z, "id", zprefix, str, required=True),
        name=r.get(z, "name", zprefix, str, default=""),
        weapon_class=r.get(z, "weapon_class", zprefix, str, default=""),
        distance_km=distance,
        side=side,
        line=r.get(z, "line", zprefix, str, default=""),
        zone_width_km=width,
        quote=quote,
        quote_url=url,
    )


def _unique(r, items: list, field: str, what: str) -> None:
    ids = [x.id for x in items]
    dup = sorted({x for x in ids if ids.count(x) > 1})
    if dup:
        r.fail(field, f"{what} id {dup[0]!r} is used twice")


def parse_agreements(r, raw: dict, party_ids: tuple[str, ...]) -> tuple[Agreement, ...]:
    """The ``agreements`` of the decoded manifest ``raw``, checked field by field.

    ``r`` is the manifest's field reader (``get``, ``strings``, ``objects``, ``fail``), whose
    failures raise :class:`geo.errors.TheatreError` naming the file and the field; ``party_ids``
    are the theatre's parties (a zone's ``side`` and an agreement's ``parties`` must be among them).
    """
    out = []
    for prefix, obj in r.objects(raw, "agreements"):
        zones = [_zone(r, z, zprefix, party_ids) for zprefix, z in r.objects(obj, "zones", prefix)]
        _unique(r, zones, prefix + "zones", "zone")
        parties = r.strings(obj, "parties", prefix)
        for i, p in enumerate(parties):
            if p not in party_ids:
                r.fail(f"{prefix}parties[{i}]", f"{p!r} is not a party of the theatre ({', '.join(party_ids)})")
        quote, url = _quote(r, obj, prefix)
        out.append(
            Agreement(
                id=r.get(obj, "id", prefix, str, required=True),
                name=r.get(obj, "name", prefix, str, required=True),
                date=_date(r, obj, prefix),
                line=r.get(obj, "line", prefix, str, default=""),
                sources=r.strings(obj, "sources", prefix),
                zones=tuple(zones),
                parties=parties or tuple(party_ids),
                signatories=r.strings(obj, "signatories", prefix),
                quote=quote,
                quote_url=url,
            )
        )
    _unique(r, out, "agreements", "agreement")
    return tuple(out)


def agreement_dicts(agreements: tuple[Agreement, ...]) -> list[dict]:
    """The ``agreements`` list of ``theatre.json`` for ``agreements`` (inverse of :func:`parse_agreements`)."""
    out = []
    for a in agreements:
        zones = []
        for z in a.zones:
            zd = {
                "id": z.id,
                "name": z.name,
                "weapon_class": z.weapon_class,
                "distance_km": z.distance_km,
                "zone_width_km": z.zone_width_km,
                "side": z.side,
            }
            zd.update({k: v for k, v in (("line", z.line), ("quote", z.quote), ("quote_url", z.quote_url)) if v})
            zones.append(zd)
        ad: dict[str, Any] = {
            "id": a.id,
            "name": a.name,
            "date": a.date,
            "line": a.line,
            "parties": list(a.parties),
            "signatories": list(a.signatories),
        }
        if a.quote:
            ad.update(quote=a.quote, quote_url=a.quote_url)
        ad.update(sources=list(a.sources), zones=zones)
        out.append(ad)
    return out


def check_agreement_lines(agreements: tuple[Agreement, ...], line_ids, where: str) -> None:
    """Refuse a zone whose line (its own or its agreement's) is not among ``line_ids``.

    >>> a = Agreement("t", "Truce", "", zones=(Zone("z", "", "", 1.0, SIDE_EACH, line="gone"),))
    >>> check_agreement_lines((a,), ["l1"], "demo/theatre.json")
    Traceback (most recent call last):
    ...
    geo.errors.TheatreError: demo/theatre.json: field 'agreements[0].zones[0].line': 'gone' is not a line of the theatre (lines: l1)
    """
    known = set(line_ids)
    for i, a in enumerate(agreements):
        for j, z in enumerate(a.zones):
            lid = zone_line(a, z)
            field = f"agreements[{i}].zones[{j}].line" if z.line else f"agreements[{i}].line"
            if not lid:
                raise TheatreError(f"{where}: field '{field}': missing: zone {z.id!r} needs a line to be measured from")
            if lid not in known:
                names = ", ".join(sorted(known)) or "none"
                raise TheatreError(f"{where}: field '{field}': {lid!r} is not a line of the theatre (lines: {names})")
