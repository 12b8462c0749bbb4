"""Control maps over time (issue 17): dated control snapshots of a theatre's parties, stored and measured.

* :mod:`geo.control.dates`, :mod:`geo.control.kml_time`: the date of a file, feature or placemark.
* :mod:`geo.control.series`: reading a series (file, directory, zip) through :func:`geo.io.read_vector`.
* :mod:`geo.control.store`, :mod:`geo.control.importer`: the SQLite store and importing into it.
* :mod:`geo.control.measure`, :mod:`geo.control.delta`: areas per date and region, change, periods,
  settlements that changed hands, two states compared.
* :mod:`geo.control.regions`: the regions of a theatre.
* :mod:`geo.control.view`: what the Control maps page shows (uploads, two dates, two monitors).
* :mod:`geo.control.postgis`: the same areas and changes computed in PostGIS (team mode).
"""

from geo.control.importer import ImportReport, import_series
from geo.control.measure import (
    PERIODS,
    area_in_regions,
    area_on,
    area_series,
    change,
    change_between,
    compare_series,
    disagreement,
    resample,
    settlements_changed,
)
from geo.control.regions import regions_for
from geo.control.series import Refusal, SeriesRead, Snapshot, read_series, read_series_bytes
from geo.control.store import DEFAULT_SERIES, ControlStore, store_path

__all__ = [
    "DEFAULT_SERIES",
    "PERIODS",
    "ControlStore",
    "ImportReport",
    "Refusal",
    "SeriesRead",
    "Snapshot",
    "area_in_regions",
    "area_on",
    "area_series",
    "change",
    "change_between",
    "compare_series",
    "disagreement",
    "import_series",
    "read_series",
    "read_series_bytes",
    "regions_for",
    "resample",
    "settlements_changed",
    "store_path",
]
