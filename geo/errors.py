"""Exception types raised by ``geo``; each carries a message a user can act on."""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error ``geo`` raises on purpose."""


class DataFileError(GeoError):
    """A shipped or user data file is missing, malformed or inconsistent."""


class InvalidGeometryError(GeoError):
    """A geometry cannot be used (empty, not WGS84, cannot be repaired)."""


class UnsupportedFormatError(GeoError):
    """A file format or option that is not supported."""


class ValidationError(GeoError):
    """A record failed validation; ``field`` and ``row`` say where."""

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None):
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)
        self.field = field
        self.row = row


class SideRuleError(ValidationError):
    """A line's side rule cannot turn it into control areas; the message says how to fix it."""


class UnknownLayerError(GeoError):
    """A layer name that does not exist."""


class StoreError(GeoError):
    """The claims store could not complete an operation; nothing was changed."""


class ConflictError(StoreError):
    """An edit was made on stale data and was refused."""


class TheatreError(DataFileError):
    """A theatre's manifest, tables or archive is malformed, or an operation on theatres was refused."""


class UnknownTheatreError(TheatreError):
    """A theatre id that is neither shipped nor in the user data directory."""


class PermissionDenied(GeoError):
    """The caller's role (or read-only mode) does not allow this operation; nothing was changed."""
