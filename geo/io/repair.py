"""Repairs of imported geometries, each written into the per-feature report.

The report is the ``notes`` dict of :class:`geo.io.common.ImportResult`:
``{feature index (0-based): [note, ...]}``. The import page and ``python -m
geo import`` show it, so nothing is changed silently.

Examples
--------
>>> import numpy as np, shapely
>>> bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
>>> arr = np.array([bowtie], dtype=object)
>>> notes = {}
>>> repair_invalid(arr, np.array([True]), lambda i: f"feature {i + 1}", notes)
>>> arr[0].geom_type, notes[0]
('MultiPolygon', ['repaired by make_valid (Self-intersection[0.5 0.5]); now MultiPolygon'])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely

from geo.errors import InvalidGeometryError

Notes = dict[int, list[str]]


def note(notes: Notes, i: int, text: str) -> None:
    """Add ``text`` to the report of feature ``i``."""
    notes.setdefault(int(i), []).append(text)


def drop_z(arr: np.ndarray, present: np.ndarray, notes: Notes) -> None:
    """Make every present geometry of ``arr`` 2D, in place, noting each one that had heights."""
    has_z = present.copy()
    has_z[present] = shapely.has_z(arr[present])
    for i in np.flatnonzero(has_z):
        arr[i] = shapely.force_2d(arr[i])
        note(notes, i, "Z (height) values dropped")


def repair_invalid(arr: np.ndarray, present: np.ndarray, label: Callable[[int], str], notes: Notes) -> None:
    """Repair invalid geometries of ``arr`` in place with ``make_valid``, keeping their dimension.

    A polygon stays (multi)polygonal and a line linear; the reason GEOS gave
    and the new type go into the report.

    Raises
    ------
    InvalidGeometryError
        When nothing of the original dimension is left (``label(i)`` names it).
    """
    invalid = present.copy()
    invalid[present] = ~shapely.is_valid(arr[present])
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(arr[i])
        original = arr[i].geom_type
        fixed = shapely.make_valid(arr[i])
        if original in ("Polygon", "MultiPolygon"):
            polys = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
            fixed = shapely.union_all(polys) if polys else shapely.Polygon()
        elif original in ("LineString", "MultiLineString"):
            lines = [p for p in shapely.get_parts(fixed) if "LineString" in p.geom_type]
            fixed = shapely.line_merge(shapely.union_all(lines)) if lines else shapely.LineString()
        if fixed.is_empty:
            raise InvalidGeometryError(f"{label(i)}: invalid {original} ({reason}) that cannot be repaired")
        arr[i] = fixed
        note(notes, i, f"repaired by make_valid ({reason}); now {fixed.geom_type}")
