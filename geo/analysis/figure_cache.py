"""Caches of the geometric part of figure claims, keyed by line versions.

A verdict (:mod:`geo.analysis.verdict`) and an implied band
(:mod:`geo.analysis.implied`) depend on two kinds of input:

- the *geometric part*: the reference line, the line in force, the side, the
  region (a measured area and its precision range; a band solver and the band
  of one figure). A registry holds a handful of such combinations however many
  claims it has;
- the *per-claim part*: the figure, its qualifier and interval, applied to the
  geometric part with vectorised table operations.

The geometric part is cached here under keys built from *versions* of the
lines (a digest of the line's geometry and of every cell of its row), never
from the claim list: editing, adding or deleting a claim leaves every cached
combination valid, and editing a line changes its version, so only the
combinations that use that line are computed again.

The caches are bounded (least recently used entries go first) and shared by
every caller in the process. :func:`stats` counts hits and misses (what the
tests of invalidation read); :func:`clear` empties them.

Examples
--------
>>> from shapely.geometry import LineString
>>> geometry_key(LineString([(0, 0), (1, 1)])) == geometry_key(LineString([(0, 0), (1, 1)]))
True
>>> geometry_key(LineString([(0, 0), (1, 1)])) == geometry_key(LineString([(0, 0), (1, 2)]))
False
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import shapely

from geo import schema as S
from geo.cells import cell_text

__all__ = [
    "BoundedCache",
    "MEASURES",
    "SOLVERS",
    "BANDS",
    "CONTESTED",
    "clear",
    "geometry_key",
    "line_versions",
    "stats",
]


class BoundedCache:
    """A least-recently-used mapping of at most ``size`` entries, counting hits and misses.

    >>> c = BoundedCache("demo", 2)
    >>> c.get_or_compute("a", lambda: 1), c.get_or_compute("a", lambda: 2), (c.hits, c.misses)
    (1, 1, (1, 1))
    """

    def __init__(self, name: str, size: int):
        self.name = name
        self.size = int(size)
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, else ``compute()`` stored under it (an exception is not stored)."""
        if key in self._data:
            self.hits += 1
            self._data.move_to_end(key)
            return self._data[key]
        self.misses += 1
        value = compute()
        self._data[key] = value
        if len(self._data) > self.size:
            self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry and reset the counters."""
        self._data.clear()
        self.hits = self.misses = 0


#: (reference version, line-in-force version, side, selection digest) -> (measured km², half-width km²).
MEASURES = BoundedCache("measures", 4096)
#: (all line versions, region digest, reference id) -> contested areas against that reference.
CONTESTED = BoundedCache("contested", 32)
#: (reference version, side, region digest) -> BandSolver or the error that prevented it.
SOLVERS = BoundedCache("solvers", 256)
#: (solver key, figure km²) -> Band or the error that prevented it.
BANDS = BoundedCache("bands", 20_000)
_ALL = (MEASURES, CONTESTED, SOLVERS, BANDS)


def clear() -> None:
    """Empty every cache of this module (a cold start)."""
    for cache in _ALL:
        cache.clear()


def stats() -> dict[str, dict[str, int]]:
    """``{cache name: {"hits", "misses", "size"}}``."""
    return {c.name: {"hits": c.hits, "misses": c.misses, "size": len(c)} for c in _ALL}


def geometry_key(geom) -> str:
    """A digest of ``geom`` (its WKB): equal for identical geometries, different after any vertex moves."""
    if geom is None:
        return "none"
    return hashlib.blake2b(shapely.to_wkb(geom, hex=False), digest_size=12).hexdigest()


def line_versions(lines: pd.DataFrame) -> dict[str, str]:
    """``{line_id: version}``: a digest of each line's geometry and of every other cell of its row.

    Changing a line's vertices, date, precision or side rule changes its version;
    other lines keep theirs.
    """
    cols = sorted(c for c in lines.columns if c != lines.geometry.name)
    out: dict[str, str] = {}
    geoms = lines.geometry.values
    at = cols.index(S.LINE_ID)
    for row, geom in zip(lines[cols].itertuples(index=False, name=None), geoms):
        h = hashlib.blake2b(digest_size=12)
        h.update(geometry_key(geom).encode())
        for col, value in zip(cols, row):
            h.update(f"\x1f{col}\x1e{cell_text(value)}".encode())
        out[str(row[at])] = h.hexdigest()
    return out
