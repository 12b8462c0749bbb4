"""Dates of KML placemarks: their own ``<TimeStamp>``/``<TimeSpan>``, else those of an enclosing folder, else a dated folder name.

The placemarks are visited in document order, the order in which
:func:`geo.io.read_kml.read_kml` lists them, so the result lines up with the
rows of the imported table.

Examples
--------
>>> kml = b'''<kml><Document><Folder><name>2024-07-08</name>
... <Placemark><name>a</name></Placemark>
... <Placemark><TimeStamp><when>2024-07-09</when></TimeStamp></Placemark>
... </Folder></Document></kml>'''
>>> placemark_dates(kml, "a.kml")
[datetime.date(2024, 7, 8), datetime.date(2024, 7, 9)]
"""

from __future__ import annotations

import datetime as dt

from geo.control.dates import date_from_kml_time, date_from_name, date_from_value
from geo.io import parse_xml_safely
from geo.io.archive import open_zip, read_member, safe_members
from geo.io.common import DEFAULT_LIMITS, Limits

_CONTAINERS = ("Document", "Folder")


def _child_text(node, tag: str) -> str | None:
    child = node.find(tag)
    return child.value() if child is not None else None


def _own_time(node) -> dt.date | None:
    stamp = node.find("TimeStamp")
    if stamp is not None:
        return date_from_kml_time(_child_text(stamp, "when"))
    span = node.find("TimeSpan")
    if span is not None:
        return date_from_kml_time(None, _child_text(span, "begin"), _child_text(span, "end"))
    return None


def _name_date(node) -> dt.date | None:
    name = _child_text(node, "name")
    if not name:
        return None
    return date_from_value(name) or date_from_name(name)


def placemark_dates(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> list[dt.date | None]:
    """The date of each Placemark of a KML document, in document order (``None``: none found).

    Parameters
    ----------
    data : bytes
        The KML document.
    filename : str
        Name for messages.
    limits : Limits
        Nesting limit of the XML parser.
    """
    root = parse_xml_safely(data, filename, limits.max_xml_depth)
    out: list[dt.date | None] = []
    # (node, inherited time, inherited folder-name date); children pushed reversed = document order
    stack = [(root, None, None)]
    while stack:
        node, time, named = stack.pop()
        if node.tag == "Placemark":
            out.append(_own_time(node) or time or named)
            continue
        if node.tag in _CONTAINERS:
            time = _own_time(node) or time
            named = _name_date(node) or named
        stack.extend((child, time, named) for child in reversed(node.children))
    return out


def kmz_document(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The KML document of a KMZ archive (``doc.kml``, else the first ``.kml``), as :func:`geo.io.read_kml.read_kmz` picks it."""
    with open_zip(data, filename) as zf:
        kmls = [m for m in safe_members(zf, filename, limits) if m.filename.lower().endswith(".kml")]
        if not kmls:
            return b""
        doc = next((m for m in kmls if m.filename.lower() == "doc.kml"), kmls[0])
        return read_member(zf, doc, filename)
