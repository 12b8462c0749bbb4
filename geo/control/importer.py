"""Importing a read series into the store: new days stored, duplicated days detected, conflicts refused.

Rules, per party, with the snapshots taken in date order:

* a day whose geometry equals the snapshot in force on that day (the latest
  held on or before it, stored or just imported) is **skipped as a
  duplicate**: it changes no answer (every query reads the latest snapshot on
  or before a date);
* a day already held with a different geometry is **refused** (nothing
  stored is changed: delete that day first to replace it);
* any other day is **imported**; a geometry identical to one held on another
  day is stored once.

All of it is one transaction: if anything fails, nothing is stored.

Examples
--------
>>> import shapely, tempfile, datetime as dt
>>> from geo.control.series import SeriesRead, Snapshot
>>> a, b = shapely.box(37, 48, 38, 49), shapely.box(37, 48, 38.1, 49)
>>> days = [Snapshot(dt.date(2024, 7, d), "ru", g, f"f{d}") for d, g in ((8, a), (9, a), (10, b))]
>>> with tempfile.TemporaryDirectory() as tmp, ControlStore(tmp + "/c.sqlite") as store:
...     print(import_series(store, SeriesRead(days, files=3), "donbas-2014-15").summary())
imported 2 snapshot(s), skipped 1 as duplicate(s), refused 0
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from dataclasses import dataclass, field

import shapely

from geo.auth import Action, Principal, authorize
from geo.control.series import Refusal, SeriesRead
from geo.control.store import DEFAULT_SERIES, ControlStore, canonical


@dataclass
class ImportReport:
    """What an import did: dates imported, duplicates skipped (with the day they repeat), refusals."""

    imported: list[tuple[str, dt.date]] = field(default_factory=list)
    duplicates: list[tuple[str, dt.date, dt.date, str]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0

    def summary(self) -> str:
        """One line: how many imported, skipped as duplicates, refused."""
        return (
            f"imported {len(self.imported)} snapshot(s), skipped {len(self.duplicates)} as duplicate(s), "
            f"refused {len(self.refused)}"
        )

    def lines(self) -> list[str]:
        """The summary, then one line per duplicate and per refusal."""
        out = [self.summary()]
        out += [
            f"duplicate: {src} ({party}, {day.isoformat()}): same geometry as {same.isoformat()}"
            for party, day, same, src in self.duplicates
        ]
        out += [f"refused: {r}" for r in self.refused]
        return out

    def as_dict(self) -> dict:
        """The report as JSON-ready data."""
        return {
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "refused": [{"name": r.name, "reason": r.reason} for r in self.refused],
            "dates": sorted({d.isoformat() for _, d in self.imported}),
            "warnings": list(self.warnings),
        }


def import_series(
    store: ControlStore,
    read: SeriesRead,
    theatre: str,
    series: str = DEFAULT_SERIES,
    *,
    user: Principal | str | None = None,
) -> ImportReport:
    """Store the snapshots of ``read`` for ``theatre``/``series`` (one transaction); see the module rules.

    ``user`` must be an editor (:func:`geo.auth.authorize`; None: the embedded mode's
    local admin); read-only mode refuses.

    Parameters
    ----------
    store : ControlStore
    read : SeriesRead
        From :func:`geo.control.series.read_series`; its refusals are carried into the report.
    theatre, series : str
        Where the snapshots go.

    Returns
    -------
    ImportReport
    """
    authorize(user, Action.IMPORT)
    report = ImportReport(refused=list(read.refused), warnings=list(read.warnings), files=read.files)
    held: dict[str, tuple[list[dt.date], list[str]]] = {}
    with store.transaction() as conn:
        for snap in sorted(read.snapshots, key=lambda s: (s.party, s.date)):
            party, day = snap.party, snap.date
            canon = canonical(snap.geometry)  # normalised once: hashed, then stored as is
            wkb = shapely.to_wkb(canon, byte_order=1)
            key = hashlib.sha256(wkb).hexdigest()
            if party not in held:
                rows = store.held(theatre, series, party)
                held[party] = ([d for d, _ in rows], [h for _, h in rows])
            dates, keys = held[party]
            i = bisect.bisect_right(dates, day)
            if i and dates[i - 1] == day:
                if keys[i - 1] == key:
                    report.duplicates.append((party, day, day, snap.source))
                else:
                    report.refused.append(
                        Refusal(
                            snap.source,
                            f"{day.isoformat()} is already held for {party!r} with a different geometry; "
                            "delete that day first to replace it (nothing stored was changed)",
                        )
                    )
                continue
            if i and keys[i - 1] == key:
                report.duplicates.append((party, day, dates[i - 1], snap.source))
                continue
            stored_key = store.put_canonical(conn, wkb, int(shapely.get_num_coordinates(canon)))
            store.put_snapshot(conn, theatre, series, party, day, stored_key, snap.source)
            dates.insert(i, day)
            keys.insert(i, stored_key)
            report.imported.append((party, day))
    return report
