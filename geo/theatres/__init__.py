"""Theatres as data: a dispute's manifest (``theatre.json``), its tables and its regions.

A theatre is a directory under ``data/theatres/`` (shipped) or ``$CONTESTED_DATA_DIR/theatres/``
(created or imported by the user): :mod:`geo.theatres.model` reads and checks the manifest,
:mod:`geo.theatres.catalogue` lists and finds theatres, :mod:`geo.theatres.create` makes a new
one, :mod:`geo.theatres.archive` exports one to a zip file and imports it back,
:mod:`geo.theatres.regions` gives its admin-1 regions and :mod:`geo.theatres.summary` its
lines and claim counts.

Examples
--------
>>> from geo import theatres
>>> theatres.default_theatre().id
'donbas-2014-15'
>>> [p.short for p in theatres.get_theatre("donbas-2014-15").parties]
['Separatists', 'Ukraine']
"""

from geo.theatres.archive import export_theatre, import_theatre, read_archive
from geo.theatres.catalogue import (
    catalogue_problems,
    default_theatre,
    get_theatre,
    list_theatres,
    shipped_root,
    theatre_ids,
    user_root,
)
from geo.theatres.create import create_theatre
from geo.theatres.model import (
    FORMAT,
    MANIFEST,
    TABLES,
    Agreement,
    OfficialArea,
    Party,
    Theatre,
    Zone,
    manifest_dict,
    parse_manifest,
    read_manifest,
)
from geo.theatres.regions import theatre_regions
from geo.theatres.summary import line_ids, summary

__all__ = [
    "FORMAT",
    "MANIFEST",
    "TABLES",
    "Agreement",
    "OfficialArea",
    "Party",
    "Theatre",
    "Zone",
    "catalogue_problems",
    "create_theatre",
    "default_theatre",
    "export_theatre",
    "get_theatre",
    "import_theatre",
    "line_ids",
    "list_theatres",
    "manifest_dict",
    "parse_manifest",
    "read_archive",
    "read_manifest",
    "shipped_root",
    "summary",
    "theatre_ids",
    "theatre_regions",
    "user_root",
]
