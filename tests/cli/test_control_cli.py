"""python -m geo import --as control and python -m geo control dates|area|change: the contract forms."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pyproj import Geod
from shapely.geometry import shape

from geo.__main__ import main
from geo.commands.import_control import AS_CONTROL
from tests.support.synthetic_control import START, write_series

GEOD = Geod(ellps="WGS84")


def _run(*args, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def imported(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    paths = write_series(tmp_path / "series", 6, duplicates=(2,), corrupt=(4,))
    code, out, err = _run(
        "import",
        tmp_path / "series",
        "--theatre",
        "donbas-2014-15",
        "--as",
        AS_CONTROL,
        "--party",
        "russia",
        capsys=capsys,
    )
    return paths, code, out, err


def test_import_reports_imported_duplicates_and_refused_files(imported):
    paths, code, out, err = imported
    text = out + err
    assert "4" in text and "duplicate" in text and paths[4].name in text, text


def test_dates_area_and_change_follow_the_contract(imported, capsys):
    paths = imported[0]
    code, out, _ = _run("control", "dates", "--theatre", "donbas-2014-15", "--party", "russia", "--json", capsys=capsys)
    assert code == 0
    dates = json.loads(out)
    corrupt_day = (START + dt.timedelta(days=4)).isoformat()
    assert START.isoformat() in dates and corrupt_day not in dates and len(dates) == 4
    code, out, _ = _run(
        "control",
        "area",
        "--theatre",
        "donbas-2014-15",
        "--party",
        "russia",
        "--date",
        dates[0],
        "--json",
        capsys=capsys,
    )
    area = json.loads(out)
    assert code == 0 and area["date"] == dates[0]
    geom = shape(json.loads(paths[0].read_text())["features"][0]["geometry"])
    expected = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
    assert area["total_km2"] == pytest.approx(expected, rel=1e-6)
    assert sum(area["per_region"].values()) <= area["total_km2"] * (1 + 1e-9)
    code, out, _ = _run(
        "control",
        "change",
        "--theatre",
        "donbas-2014-15",
        "--party",
        "russia",
        "--from",
        dates[0],
        "--to",
        dates[-1],
        "--json",
        capsys=capsys,
    )
    change = json.loads(out)
    assert code == 0 and {"from", "to", "gained_km2", "lost_km2", "net_km2", "per_region"} <= set(change)
    assert change["gained_km2"] - change["lost_km2"] == pytest.approx(change["net_km2"], rel=1e-9, abs=1e-9)


def test_an_unknown_theatre_is_refused_with_a_message(imported, capsys):
    code, out, err = _run("control", "dates", "--theatre", "atlantis", "--party", "russia", "--json", capsys=capsys)
    assert code != 0 and "atlantis" in err and "Traceback" not in err
