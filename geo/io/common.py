"""What the readers of :mod:`geo.io` share: the import targets, the request, the result, message helpers.

A reader (one per family of formats, see :mod:`geo.io.formats`) gets the raw
bytes and a :class:`ReadRequest` and returns a :class:`Parsed`: property
table, raw geometries, declared CRS and file-level warnings.
:func:`geo.io.validate.finalise` then checks and repairs them into an
:class:`ImportResult`.

Examples
--------
>>> pick(["Name", "Date"], GUESSES["name"])
'Name'
>>> decode_text("hi".encode("utf-8-sig"), "a.csv")
'hi'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo import schema as S
from geo.errors import DataFileError, UnsupportedFormatError

MB = 1024 * 1024

AS_LINE = "line"
AS_CLAIM_GEOMETRY = "claim-geometry"
AS_CLAIMS = "claims"
IMPORT_TARGETS = (AS_LINE, AS_CLAIM_GEOMETRY, AS_CLAIMS)
#: Geometry types each import target accepts (``None``: any, or none).
ALLOWED = {
    AS_LINE: {"LineString", "MultiLineString"},
    AS_CLAIM_GEOMETRY: {"Polygon", "MultiPolygon"},
    AS_CLAIMS: None,
}

#: Fields the user maps before saving, and the column names guessed for each.
MAP_FIELDS = ("name", "date", "party", "source")
GUESSES = {
    "name": ("name", "title", "label", "line_name", "quote"),
    "date": ("date", "event_date", "valid_from", "published", "timestamp", "begin"),
    "party": ("party", "held_by", "drawn_by", "side", "actor"),
    "source": ("source", "sources", "source_id", "url", "link"),
}

Progress = Callable[[float], Any] | None


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting the machine.

    Attributes
    ----------
    max_bytes : int
        Largest file read (50 MB); checked before reading.
    max_zip_members : int
        Most members of a zip archive.
    max_zip_ratio : int
        Highest compression ratio of a member over 1 MB (zip bombs).
    max_features : int
        Most features (rows, placemarks) in a file.
    max_feature_vertices, max_total_vertices : int
        Most vertices in one feature and in the whole file.
    max_xml_depth : int
        Deepest element nesting of an XML document.
    """

    max_bytes: int = 50 * MB
    max_zip_members: int = 1_000
    max_zip_ratio: int = 100
    max_features: int = 100_000
    max_feature_vertices: int = 200_000
    max_total_vertices: int = 2_000_000
    max_xml_depth: int = 100

    @property
    def max_uncompressed(self) -> int:
        """Largest declared uncompressed total of an archive: four times :attr:`max_bytes`."""
        return 4 * self.max_bytes


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ReadRequest:
    """What a reader needs besides the bytes.

    Attributes
    ----------
    filename : str
        Name for messages (and, before, for format detection).
    limits : Limits
        The hostile-file limits (:class:`Limits`).
    as_ : str
        Import target (:data:`IMPORT_TARGETS`).
    layer : str, optional
        GeoPackage layer or shapefile of a zip.
    wkt_column, lonlat_columns : optional
        CSV geometry columns, overriding detection by header names.
    sidecar : Path, optional
        The ``.meta.json`` an export wrote beside a CSV file.
    progress : callable, optional
        Called with the fraction done.
    """

    filename: str
    limits: Limits
    as_: str = AS_LINE
    layer: str | None = None
    wkt_column: str | None = None
    lonlat_columns: tuple[str, str] | None = None
    sidecar: Path | None = None
    progress: Progress = None


class Parsed(NamedTuple):
    """What a reader found: properties, raw geometries, the declared CRS and warnings."""

    frame: pd.DataFrame
    geoms: list
    crs: str | None
    warnings: list[str]


@dataclass
class ImportResult:
    """What :func:`read_vector` found in a file.

    Attributes
    ----------
    gdf : GeoDataFrame
        The features in EPSG:4326, geometries repaired, 2D.
    filename : str
    source_format : str
        A name of :data:`geo.io.formats.FORMATS`.
    as_ : str
        What the features are meant to become (``line``, ``claim-geometry``,
        ``claims``).
    source_crs : str or None
        The CRS the file declared (``None``: none, read as WGS84).
    fields : list of str
        Property columns the user can map.
    mapping : dict
        Guessed mapping of :data:`MAP_FIELDS` to columns (``None`` if no guess).
    notes : dict
        ``{feature index (0-based): [note, ...]}``: repairs, Z dropped,
        reprojection.
    warnings : list of str
        File-level remarks (other layers skipped, mixed geometry types ...).
    """

    gdf: gpd.GeoDataFrame
    filename: str
    source_format: str
    as_: str
    source_crs: str | None = None
    fields: list[str] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)
    notes: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def label(self, i: int) -> str:
        """A feature's label for messages: ``feature 3 ('Avdiivka')``."""
        return feature_label(self.gdf, i, self.mapping.get("name"))

    def note_lines(self) -> list[str]:
        """Every note as one line, in feature order."""
        return [f"{self.label(i)}: {note}" for i in sorted(self.notes) for note in self.notes[i]]

    def summary(self) -> str:
        """One line: how many features of which types, from where."""
        kinds = self.gdf.geometry.geom_type.fillna("no geometry").value_counts()
        parts = ", ".join(f"{n} {k}" for k, n in kinds.items())
        crs = f", reprojected from {self.source_crs}" if self._reprojected() else ""
        return f"{self.filename}: {len(self.gdf)} features ({parts}) read as {self.source_format}{crs}"

    def _reprojected(self) -> bool:
        return bool(self.source_crs) and not CRS.from_user_input(self.source_crs).equals(S.CRS)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (at most 300 characters), else its class name."""
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def plain_error(exc: BaseException) -> str:
    """:func:`first_line` without a leading Python/GEOS class name (``ParseException: ...``)."""
    return re.sub(r"^\s*[A-Za-z_.]*(Exception|Error)\s*:\s*", "", first_line(exc))


def coordinate_problem(exc: BaseException) -> str:
    """What is wrong with GeoJSON coordinates that shapely refused, in plain words."""
    if "linearring" in str(exc).lower():
        return "a polygon ring needs at least 4 positions, the last the same as the first"
    return "every position must be a list of 2 or 3 numbers: [lon, lat] or [lon, lat, height]"


def feature_label(gdf: pd.DataFrame, i: int, name_col: str | None = None) -> str:
    """A feature's label for messages.

    >>> feature_label(pd.DataFrame({"name": ["Avdiivka"]}), 0)
    "feature 1 ('Avdiivka')"
    """
    name = None
    if name_col and name_col in gdf.columns:
        name = gdf[name_col].iloc[i]
    elif "name" in gdf.columns:
        name = gdf["name"].iloc[i]
    if isinstance(name, str) and name.strip():
        return f"feature {i + 1} ({name.strip()[:60]!r})"
    return f"feature {i + 1}"


def tick(progress: Progress, fraction: float) -> None:
    """Report ``fraction`` (clipped to 0..1) to ``progress`` if there is one."""
    if progress is not None:
        progress(min(1.0, max(0.0, float(fraction))))


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (BOM optional) or UTF-16 with BOM; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{filename}: broken UTF-16 text: {exc.reason}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{filename}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        raise DataFileError(f"{filename}: contains NUL characters; not a text file")
    return text


def json_safe(value: Any) -> Any:
    """A GeoJSON property value fit for a table cell (objects as JSON text, NaN/inf as None)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def parse_crs(value: Any, filename: str) -> str | None:
    """``EPSG:n`` (or WKT) for a declared CRS, None for none; an unknown CRS raises UnsupportedFormatError."""
    if value in (None, ""):
        return None
    try:
        crs = CRS.from_user_input(value)
    except (CRSError, TypeError, ValueError):
        raise UnsupportedFormatError(
            f"{filename}: unknown CRS {str(value)[:80]!r} (not a coordinate reference system PROJ knows); "
            "declare a known one such as EPSG:4326 for lon/lat, or remove the declaration"
        ) from None
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The first of ``columns`` whose lower-cased name is in ``names``, or None."""
    lower = {c.lower().strip(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)
