r"""The one table of file formats, and the limits every reader applies to hostile files.

Each :class:`Format` names a format once: its suffixes, MIME type, the
container its bytes must start with (magic bytes), its reader and writer and a
one-line description. Format detection (:func:`detect`,
:func:`format_from_path`), the "use GeoJSON, GeoPackage, ..." error texts and
the CLI ``--format`` choices (:data:`EXPORT_FORMATS`) are generated from
:data:`FORMATS`; to add a format, add a reader (and writer) and one row here.
The hostile-file bounds are one :class:`Limits` (defined beside the readers'
request in :mod:`geo.io.common`, which every reader imports, and re-exported here).

Examples
--------
>>> [f.name for f in FORMATS.values()]
['geojson', 'gpkg', 'csv', 'kml', 'kmz', 'shapefile']
>>> EXPORT_FORMATS
('geojson', 'gpkg', 'csv', 'kml')
>>> detect(b'{"type": "FeatureCollection", "features": []}', "a.json")
'geojson'
>>> by_magic(b"PK\x03\x04..."), by_magic(b"SQLite format 3\x00..."), by_magic(b"{}")
('zip', 'sqlite', None)
>>> detect(b"{}", "a.gpkg")
Traceback (most recent call last):
...
geo.errors.DataFileError: a.gpkg: not a GeoPackage (no SQLite header)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataFileError, UnsupportedFormatError
from geo.io.common import DEFAULT_LIMITS, Limits, Parsed, ReadRequest
from geo.io.read_csv import read_csv
from geo.io.read_gis import read_geojson, read_gpkg, read_shapefile_zip
from geo.io.read_kml import read_kml, read_kmz
from geo.io.write import write_csv, write_geojson_bytes, write_gpkg, write_kml

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "EXPORT_FORMATS",
    "FORMATS",
    "MAGIC",
    "Format",
    "Limits",
    "by_magic",
    "check_export_format",
    "detect",
    "format_from_path",
    "supported_text",
]

Reader = Callable[[bytes, ReadRequest], Parsed]
Writer = Callable[..., bytes]

#: Leading bytes of each container; a format with ``container=None`` is text and must match none.
MAGIC = {
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "sqlite": (b"SQLite format 3\x00",),
}


DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes


@dataclass(frozen=True)
class Format:
    """One file format.

    Attributes
    ----------
    name : str
        Key in :data:`FORMATS` and ``ImportResult.source_format``.
    label : str
        How messages name it.
    suffixes : tuple of str
        File name endings read as this format (the first is the one written).
    mime : str
    container : {"zip", "sqlite", None}
        The magic bytes the content must start with (:data:`MAGIC`); None for text.
    reader : callable
        ``(bytes, ReadRequest) -> Parsed``.
    writer : callable or None
        ``(frame, features, meta, layer) -> bytes`` (:mod:`geo.io.write`).
    description : str
    write_suffixes : tuple of str
        Output names that imply this format (default: none).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    mime: str
    container: str | None
    reader: Reader
    writer: Writer | None
    description: str
    write_suffixes: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        """The suffix of files written in this format."""
        return self.suffixes[0]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "geojson",
            "GeoJSON",
            (".geojson", ".json"),
            "application/geo+json",
            None,
            read_geojson,
            write_geojson_bytes,
            "RFC 7946 GeoJSON: a FeatureCollection, a Feature or a bare geometry",
            (".geojson", ".json"),
        ),
        Format(
            "gpkg",
            "GeoPackage",
            (".gpkg",),
            "application/geopackage+sqlite3",
            "sqlite",
            read_gpkg,
            write_gpkg,
            "OGC GeoPackage (SQLite); one layer is read, the first unless one is chosen",
            (".gpkg",),
        ),
        Format(
            "csv",
            "CSV",
            (".csv", ".tsv", ".txt", ".wkt"),
            "text/csv",
            None,
            read_csv,
            write_csv,
            "delimited text with a WKT column or lon/lat columns",
            (".csv",),
        ),
        Format(
            "kml",
            "KML",
            (".kml",),
            "application/vnd.google-earth.kml+xml",
            None,
            read_kml,
            write_kml,
            "Keyhole Markup Language 2.2 (Google Earth), without DTDs or entities",
            (".kml",),
        ),
        Format(
            "kmz",
            "KMZ",
            (".kmz",),
            "application/vnd.google-earth.kmz",
            "zip",
            read_kmz,
            None,
            "zipped KML (doc.kml, else the first .kml member)",
        ),
        Format(
            "shapefile",
            "zipped Shapefile",
            (".zip",),
            "application/zip",
            "zip",
            read_shapefile_zip,
            None,
            "ESRI Shapefile zipped with its .shx, .dbf and (optional) .prj",
        ),
    )
}

#: Formats that can be written, in table order (the CLI's ``--format`` choices).
EXPORT_FORMATS = tuple(name for name, f in FORMATS.items() if f.writer is not None)
#: Suffixes refused with an explanation instead of "unsupported".
_REFUSED_SUFFIXES = {
    ".shp": "a Shapefile needs its .shx, .dbf and .prj: upload them together as one .zip",
}


def _join(words: list[str], last: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def supported_text() -> str:
    """The readable formats as prose, for messages and help texts.

    >>> supported_text()
    'GeoJSON, GeoPackage, CSV, KML, KMZ or zipped Shapefile'
    """
    return _join([f.label for f in FORMATS.values()])


def by_magic(data: bytes) -> str | None:
    """The container (``zip``, ``sqlite``) whose magic bytes ``data`` starts with, or None (text)."""
    return next((kind for kind, prefixes in MAGIC.items() if data.startswith(prefixes)), None)


def detect(data: bytes, filename: str) -> str:
    """The name of the format of ``data``, from ``filename``'s suffix, checked against its magic bytes.

    Raises
    ------
    UnsupportedFormatError
        For a suffix no format reads (the message lists the formats).
    DataFileError
        When the content is not the container the suffix says (a renamed or
        truncated file).
    """
    suffix = Path(filename).suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise UnsupportedFormatError(f"{filename}: {_REFUSED_SUFFIXES[suffix]}")
    fmt = next((f for f in FORMATS.values() if suffix in f.suffixes), None)
    if fmt is None:
        raise UnsupportedFormatError(
            f"{filename}: unsupported file type '{suffix or 'no extension'}'; use {supported_text()}"
        )
    found = by_magic(data)
    if fmt.container == "zip" and found != "zip":
        raise DataFileError(f"{filename}: not a zip archive (truncated or renamed?)")
    if fmt.container == "sqlite" and found != "sqlite":
        raise DataFileError(f"{filename}: not a {fmt.label} (no SQLite header)")
    if fmt.container is None and found is not None:
        raise DataFileError(f"{filename}: binary content in a {suffix} file")
    return fmt.name


def format_from_path(path: str | Path) -> str:
    """The export format implied by a file name's suffix.

    >>> format_from_path("out/lines.GPKG")
    'gpkg'
    """
    suffix = Path(path).suffix.lower()
    for name in EXPORT_FORMATS:
        if suffix in FORMATS[name].write_suffixes:
            return name
    known = sorted(s for name in EXPORT_FORMATS for s in FORMATS[name].write_suffixes)
    raise UnsupportedFormatError(
        f"{Path(path).name}: cannot tell the format from '{suffix or 'no extension'}'; "
        f"use one of {', '.join(known)} or give the format"
    )


def check_export_format(fmt: str) -> str:
    """``fmt`` as a key of :data:`EXPORT_FORMATS` (case and a leading dot ignored; ``json`` is GeoJSON).

    >>> check_export_format(".JSON")
    'geojson'
    """
    fmt = str(fmt).lower().lstrip(".")
    if fmt == "json":
        fmt = "geojson"
    if fmt not in EXPORT_FORMATS:
        raise UnsupportedFormatError(f"unknown export format '{fmt}'; choose one of: {', '.join(EXPORT_FORMATS)}")
    return fmt
