"""Control areas and differences computed in PostGIS equal the Python geodesic path (issue 19 item 6).

Against a real PostgreSQL/PostGIS (``$CONTESTED_TEST_PG_URL`` or a private
cluster, see :mod:`tests.support.pg_server`); each test has its own schema.
"""

from __future__ import annotations

import pytest

from geo.control import ControlStore, area_series, change, import_series, read_series
from geo.control.postgis import PostgisControl
from geo.errors import StoreError
from tests.support.geodesic import geod_km2
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)
from tests.support.synthetic_control import geometry_of

THEATRE, SERIES, PARTY = "ukraine-2022", "deepstate", "ru"
REL = 1e-6


@pytest.fixture
def loaded(series_dir, store: ControlStore, pg_store_url):  # noqa: F811 - the fixture above
    directory, paths = series_dir
    import_series(store, read_series(directory, party=PARTY), THEATRE, SERIES)
    with PostgisControl(pg_store_url) as pg:
        yield store, pg, paths


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= REL * scale


def test_area_series_in_the_database_equals_the_python_path(loaded, regions):
    store, pg, paths = loaded
    assert pg.sync(store, THEATRE, SERIES, PARTY) == store.counts()["geometries"]
    in_db = pg.area_series(THEATRE, SERIES, PARTY, regions)
    in_py = area_series(store, THEATRE, PARTY, regions, SERIES)
    assert [r["date"] for r in in_db] == [r["date"] for r in in_py] and len(in_db) == 6  # 8 days: 1 dup, 1 corrupt
    for a, b in zip(in_db, in_py, strict=True):
        scale = b["total_km2"]
        assert _close(a["total_km2"], b["total_km2"], scale)
        assert _close(a["outside_km2"], b["outside_km2"], scale)
        assert a["per_region"].keys() == b["per_region"].keys() and len(a["per_region"]) > 3
        assert all(_close(a["per_region"][k], b["per_region"][k], scale) for k in a["per_region"])
        assert _close(sum(a["per_region"].values()) + a["outside_km2"], a["total_km2"], scale)
    # an independent geodesic computation of the first file (its polygons ring by ring)
    assert _close(in_db[0]["total_km2"], geod_km2(geometry_of(paths[0])), in_db[0]["total_km2"])


def test_measures_are_kept_so_a_new_day_measures_that_day_only(loaded, regions, tmp_path):
    store, pg, paths = loaded
    pg.sync(store, THEATRE, SERIES, PARTY)
    pg.area_series(THEATRE, SERIES, PARTY, regions)
    before = pg.counts()["control_measures"]
    assert pg._measure_missing(THEATRE, SERIES, PARTY, pg.put_regions(regions)) == 0
    from tests.support.synthetic_control import write_series

    extra = write_series(tmp_path / "more", 9)[-1:]  # day 8, not in the fixture's series
    import_series(store, read_series(extra[0], party=PARTY), THEATRE, SERIES)
    assert pg.sync(store, THEATRE, SERIES, PARTY) == 1
    rows = pg.area_series(THEATRE, SERIES, PARTY, regions)
    assert pg.counts()["control_measures"] == before + 1 and len(rows) == 7


def test_change_in_the_database_equals_the_python_path(loaded, regions):
    store, pg, _ = loaded
    pg.sync(store, THEATRE, SERIES, PARTY)
    dates = [d.isoformat() for d in store.dates(THEATRE, SERIES, PARTY)]
    in_db = pg.change(THEATRE, SERIES, PARTY, dates[0], dates[-1], regions)
    in_py = change(store, THEATRE, PARTY, dates[0], dates[-1], regions, SERIES)
    assert (in_db["from"], in_db["to"]) == (in_py["from"], in_py["to"])
    assert in_py["gained_km2"] > 1.0 and in_py["lost_km2"] > 0.0  # the synthetic front moves both ways
    for key in ("gained_km2", "lost_km2", "net_km2"):
        assert _close(in_db[key], in_py[key], in_py["gained_km2"])
    assert _close(in_db["net_km2"], in_db["gained_km2"] - in_db["lost_km2"], in_py["gained_km2"])
    assert in_db["per_region"].keys() == in_py["per_region"].keys()
    for name, v in in_db["per_region"].items():
        assert _close(v["net_km2"], in_py["per_region"][name]["net_km2"], in_py["gained_km2"])
    series = {r["date"]: r["total_km2"] for r in pg.area_series(THEATRE, SERIES, PARTY, regions)}
    assert _close(in_db["net_km2"], series[dates[-1]] - series[dates[0]], series[dates[0]])
    same = pg.change(THEATRE, SERIES, PARTY, dates[2], dates[2], regions)
    assert (same["gained_km2"], same["lost_km2"], same["per_region"]) == (0.0, 0.0, {})


def test_a_date_before_the_series_is_refused_with_a_message(loaded, regions):
    store, pg, _ = loaded
    pg.sync(store, THEATRE, SERIES, PARTY)
    with pytest.raises(Exception, match="no snapshot of 'ru' on or before 2020-01-01"):
        pg.change(THEATRE, SERIES, PARTY, "2020-01-01", "2024-07-10", regions)


def test_cli_area_and_change_in_the_database_print_the_python_figures(
    tmp_path,
    monkeypatch,
    capsys,
    pg_store_url,  # noqa: F811 - the fixture above
):
    import json

    from geo.__main__ import main
    from tests.support.synthetic_control import START, write_series

    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    write_series(tmp_path / "series", 4)
    assert main(["import", str(tmp_path / "series"), "--theatre", THEATRE, "--as", "control", "--party", PARTY]) == 0
    d0, d3 = START.isoformat(), (START.replace(day=START.day + 3)).isoformat()
    common = ["--theatre", THEATRE, "--party", PARTY, "--json"]
    out = {}
    for where in ((), ("--in-db", "--db", pg_store_url)):
        capsys.readouterr()
        assert main(["control", "change", *common, "--from", d0, "--to", d3, *where]) == 0
        assert main(["control", "area", *common, "--date", d3, *where]) == 0
        text = capsys.readouterr().out
        first, second = json.JSONDecoder().raw_decode(text)[0], json.loads(text[text.index("}\n{") + 2 :])
        out[bool(where)] = (first, second)
    (py_change, py_area), (db_change, db_area) = out[False], out[True]
    assert db_change.keys() == py_change.keys() and (db_change["from"], db_change["to"]) == (d0, d3)
    assert _close(db_change["net_km2"], py_change["net_km2"], py_change["gained_km2"])
    assert _close(db_area["total_km2"], py_area["total_km2"], py_area["total_km2"]) and db_area["date"] == d3
    capsys.readouterr()
    assert main(["control", "area", *common, "--date", d3, "--in-db", "--db", "sqlite:///x.db"]) == 1
    assert "--in-db needs a postgresql:// URL" in capsys.readouterr().err


def test_a_server_that_refuses_the_connection_is_named_without_the_password():
    with pytest.raises(StoreError, match="cannot open the PostGIS control tables") as info:
        PostgisControl("postgresql://desk:hunter2@127.0.0.1:1/claims")
    assert "hunter2" not in str(info.value)
