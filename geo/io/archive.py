"""Opening zip archives (KMZ, zipped Shapefile) from users without trusting them.

Before anything is decompressed the member count, the declared uncompressed
total and each member's compression ratio are checked against
:class:`geo.io.common.Limits`; members with absolute paths, ``..``, symlinks
or encryption are refused; decompression stops at a member's declared size.

Examples
--------
>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as zf:
...     zf.writestr("doc.kml", "<kml/>")
...     zf.writestr("../evil.kml", "<kml/>")
>>> safe_members(open_zip(buf.getvalue(), "a.kmz"), "a.kmz", Limits())
Traceback (most recent call last):
...
geo.errors.DataFileError: a.kmz: archive member '../evil.kml' has an unsafe path (absolute or with '..'); refused
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from geo.errors import DataFileError, UnsupportedFormatError
from geo.io.common import MB, Limits, first_line


def safe_members(zf: zipfile.ZipFile, filename: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """The file members of ``zf`` after the archive passed every check (directories left out).

    Raises
    ------
    DataFileError
        Too many members, unsafe paths, symlinks, encryption, or a possible zip bomb.
    """
    max_uncompressed = limits.max_uncompressed
    infos = zf.infolist()
    if len(infos) > limits.max_zip_members:
        raise DataFileError(f"{filename}: archive has {len(infos)} members (limit {limits.max_zip_members})")
    total = 0
    for info in infos:
        name = info.filename
        posix, win = PurePosixPath(name), PureWindowsPath(name)
        if (
            posix.is_absolute()
            or win.is_absolute()
            or win.drive
            or name.startswith(("/", "\\"))
            or ".." in posix.parts
            or ".." in win.parts
        ):
            raise DataFileError(
                f"{filename}: archive member {name[:80]!r} has an unsafe path (absolute or with '..'); refused"
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise DataFileError(f"{filename}: archive member {name[:80]!r} is a symbolic link; refused")
        if info.flag_bits & 0x1:
            raise DataFileError(f"{filename}: archive member {name[:80]!r} is encrypted; refused")
        total += info.file_size
        if total > max_uncompressed:
            raise DataFileError(
                f"{filename}: archive unpacks to more than {max_uncompressed // MB} MB; refused (possible zip bomb)"
            )
        if info.file_size > MB and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise DataFileError(
                f"{filename}: archive member {name[:80]!r} is compressed "
                f"{info.file_size // max(info.compress_size, 1)}:1 "
                f"(limit {limits.max_zip_ratio}:1); refused (possible zip bomb)"
            )
    return [i for i in infos if not i.is_dir()]


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> bytes:
    """Decompress one member, never more than its declared size."""
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out += chunk
                if len(out) > info.file_size:
                    raise DataFileError(f"{filename}: member {info.filename[:80]!r} is larger than declared; refused")
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        raise DataFileError(f"{filename}: cannot unpack {info.filename[:80]!r}: {first_line(exc)}") from None
    except NotImplementedError as exc:
        raise UnsupportedFormatError(
            f"{filename}: unsupported compression in {info.filename[:80]!r}: {first_line(exc)}"
        ) from None
    return bytes(out)


def open_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    """``data`` as a :class:`zipfile.ZipFile`; DataFileError when it is not a readable archive."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataFileError(f"{filename}: not a readable zip archive (truncated?): {first_line(exc)}") from None
