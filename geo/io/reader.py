"""The front door of importing: :func:`read_vector` reads any supported file into an ImportResult.

It refuses oversized files before reading them, tells the format from the
name and the magic bytes (:func:`geo.io.formats.detect`), hands the bytes to
that format's reader and the result to :func:`geo.io.validate.finalise`.
Every failure is one of the :mod:`geo.errors` types with a one-line reason
naming the file (and the feature); nothing unexpected escapes as a Python
error.

Examples
--------
>>> data = b'{"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]}'
>>> read_vector(data, "a.geojson").summary()
'a.geojson: 1 features (1 LineString) read as geojson'
>>> read_vector(b"x", "a.doc")
Traceback (most recent call last):
...
geo.errors.UnsupportedFormatError: a.doc: unsupported file type '.doc'; use GeoJSON, GeoPackage, CSV, KML, KMZ or zipped Shapefile
"""

from __future__ import annotations

import os
import warnings
from dataclasses import replace
from pathlib import Path

from geo.errors import DataFileError, GeoError, UnsupportedFormatError
from geo.io.common import AS_LINE, IMPORT_TARGETS, MB, ImportResult, Progress, ReadRequest, tick
from geo.io.formats import DEFAULT_LIMITS, FORMATS, Limits, detect
from geo.io.validate import finalise


def read_vector(
    path_or_bytes: str | os.PathLike | bytes,
    filename: str | None = None,
    *,
    max_bytes: int | None = None,
    limits: Limits | None = None,
    as_: str = AS_LINE,
    progress: Progress = None,
    layer: str | None = None,
    crs: str | None = None,
    wkt_column: str | None = None,
    lonlat_columns: tuple[str, str] | None = None,
) -> ImportResult:
    """Read a user GIS file, validate it and bring it to EPSG:4326.

    Parameters
    ----------
    path_or_bytes : path or bytes
        The file, or its content (e.g. a Streamlit upload's ``getvalue()``).
    filename : str, optional
        Name used to tell the format (by extension) and in messages; required
        with bytes, defaults to the path's name.
    max_bytes : int, optional
        Larger files are refused before they are read; default ``limits.max_bytes`` (50 MB).
    limits : Limits, optional
        The hostile-file limits (default :data:`geo.io.formats.DEFAULT_LIMITS`).
    as_ : {"line", "claim-geometry", "claims"}
        ``line`` needs LineStrings, ``claim-geometry`` Polygons, ``claims``
        accepts any geometry or none.
    progress : callable, optional
        Called with the fraction done (0..1) as the work advances.
    layer : str, optional
        Layer of a GeoPackage (or shapefile of a zip); default the first.
    crs : str, optional
        CRS of coordinates when the file declares none (CSV, GeoJSON, a
        Shapefile without .prj); default WGS84 lon/lat.
    wkt_column, lonlat_columns : optional
        CSV geometry columns, overriding detection by header names.

    Returns
    -------
    ImportResult

    Raises
    ------
    DataFileError
        File too large, unreadable, truncated, wrong encoding, empty layer,
        unsafe archive.
    UnsupportedFormatError
        Unknown file type, DTD/entities in XML, unknown CRS.
    InvalidGeometryError
        A feature with NaN/inf or non-WGS84 coordinates, too many vertices,
        an unrepairable or wrong-typed geometry (the message names it).
    """
    if as_ not in IMPORT_TARGETS:
        raise UnsupportedFormatError(f"unknown import target '{as_}'; choose one of: {', '.join(IMPORT_TARGETS)}")
    limits = limits or DEFAULT_LIMITS
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError("max_bytes must be a positive integer")
    tick(progress, 0.0)
    sidecar = None
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        if not filename:
            raise ValueError("filename is needed with bytes (it tells the format)")
        data = bytes(path_or_bytes)
        if len(data) > max_bytes:
            raise DataFileError(f"{filename}: {len(data) / MB:.1f} MB is over the {max_bytes / MB:.0f} MB limit")
    else:
        path = Path(path_or_bytes)
        filename = filename or path.name
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise DataFileError(f"{filename}: not a regular file")
            if size > max_bytes:
                raise DataFileError(f"{filename}: {size / MB:.1f} MB is over the {max_bytes / MB:.0f} MB limit")
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise DataFileError(f"{filename}: file not found") from None
        except OSError as exc:
            raise DataFileError(f"{filename}: cannot read: {exc.strerror}") from None
        if len(data) > max_bytes:
            raise DataFileError(f"{filename}: over the {max_bytes / MB:.0f} MB limit")
        sidecar = path.with_name(path.name + ".meta.json")
        sidecar = sidecar if sidecar.is_file() else None
    filename = Path(str(filename)).name or "upload"
    if not data.strip():
        raise DataFileError(f"{filename}: empty file")
    fmt = detect(data, filename)
    req = ReadRequest(
        filename=filename,
        limits=replace(limits, max_bytes=max_bytes),
        as_=as_,
        layer=layer,
        wkt_column=wkt_column,
        lonlat_columns=lonlat_columns,
        sidecar=sidecar if fmt == "csv" else None,
        progress=progress,
    )
    with warnings.catch_warnings():  # GDAL/shapely warnings become notes or errors
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return finalise(FORMATS[fmt].reader(data, req), req, fmt, crs)
        except GeoError:
            raise
        except MemoryError:
            raise DataFileError(f"{filename}: too large to process in memory") from None
        except RecursionError:
            raise DataFileError(f"{filename}: nested too deeply") from None
        except Exception:  # noqa: BLE001 - last line of defence for user files
            raise DataFileError(
                f"{filename}: cannot import: the file could not be read (damaged, or laid out in a way this "
                "importer does not understand); nothing was stored"
            ) from None
