"""The claims registry store: open one with :func:`open_store`, use it through :class:`Store`.

Modules, in the order a reader meets them:

* :mod:`~geo.claims.store.base`: the :class:`Store` interface, list columns,
  the audit vocabularies and the row <-> record helpers;
* :mod:`~geo.claims.store.query`: :func:`filter_claims` and the "as known on"
  time stamps;
* :mod:`~geo.claims.store.sql_base`, :mod:`~geo.claims.store.sql_claims`,
  :mod:`~geo.claims.store.sql_sources`, :mod:`~geo.claims.store.sql`: the
  shared SQL implementation :class:`SQLStore` (row helpers, claim writes,
  source writes, then migrations, seeding and reads);
* :mod:`~geo.claims.store.registry`: URL scheme -> backend;
* the backends :mod:`~geo.claims.store.sqlite` (a file) and
  :mod:`~geo.claims.store.postgis` (a shared server), which never import each other;
* :mod:`~geo.claims.store.migrate`: :func:`copy_store` between any two stores;
* :mod:`~geo.claims.store.seed`: a theatre's seed tables (``sources.csv``, ``claims.csv``);
* :mod:`~geo.claims.store.locate`: :func:`open_store` and where the store's files are.

Import from this package (``from geo.claims.store import open_store``), not
from the modules.

Examples
--------
>>> import tempfile
>>> row = {"quote": "more than 500 sq km", "actor": "Kiev", "party": "separatists", "stance": "asserts",
...        "kind": "area", "value": 500, "unit": "sq km", "reference_line": "minsk_2014_09_19",
...        "event_date": "2015-01-20", "reliability_source": "B", "reliability_info": "3",
...        "publisher": "Reuters", "source_kind": "news"}
>>> with open_store(tempfile.mkdtemp(), seed=False) as store:
...     (cid,) = store.add_claims([row], user="ana")  # the source is added from the row's fields
...     store.update_claim(cid, {"value": 600}, user="bo", expected_version=1).value_km2
...     [(r["action"], r["user"]) for r in store.history(cid)]
600.0
[('insert', 'ana'), ('update', 'bo')]
"""

from geo.claims.store.base import LIST_COLUMNS, SOURCE_LIST_COLUMNS, AuditAction, AuditEntity, Store
from geo.claims.store.locate import (
    STORE_FILENAME,
    default_store_location,
    is_claims_store_file,
    is_database_url,
    open_store,
    refuse_live_store_output,
    store_files,
)
from geo.claims.store.migrate import MigrationReport, copy_store
from geo.claims.store.query import as_of_bound, filter_claims, parse_stamp, utc_stamp
from geo.claims.store.registry import backend_for
from geo.claims.store.seed import SeedReport, read_seed_tables
from geo.claims.store.sql import SQLStore

__all__ = [
    "LIST_COLUMNS",
    "SOURCE_LIST_COLUMNS",
    "STORE_FILENAME",
    "AuditAction",
    "AuditEntity",
    "MigrationReport",
    "SQLStore",
    "SeedReport",
    "Store",
    "as_of_bound",
    "backend_for",
    "copy_store",
    "default_store_location",
    "filter_claims",
    "is_claims_store_file",
    "is_database_url",
    "open_store",
    "parse_stamp",
    "read_seed_tables",
    "refuse_live_store_output",
    "store_files",
    "utc_stamp",
]
