"""Issue 16 acceptance: a theatre of a country no shipped theatre uses (Georgia), made with the CLI on the
real world extract, two lines with side rules, contested area checked against an independent geodesic
computation."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box

from geo import schema as S
from geo.__main__ import main
from geo.analysis.contested import contested_areas
from geo.reference.lines import load_lines
from geo.reference.regions import regions
from geo.theatres import get_theatre, theatre_regions, user_root

GEOD = Geod(ellps="WGS84")


def test_a_georgian_theatre_built_with_the_cli_matches_an_independent_geodesic_computation(tmp_path, capsys):
    assert os.environ.get("CONTESTED_DATA_DIR")  # the suite's autouse fixture points it at a temp dir
    assert "GE" not in {c for t in _listed(capsys) for c in t["countries"]}
    code = main(["theatre", "create", "ge-sk", "--name", "Shida Kartli", "--countries", "GE", "--admin1", "GE-SK",
                 "--party", "Georgia", "--party", "South Ossetia"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    theatre = get_theatre("ge-sk")
    unit = regions(["GE"], ["GE-SK"]).geometry.union_all()
    minx, miny, maxx, maxy = unit.bounds
    x = round((minx + maxx) / 2, 4)
    # line A: north to south across the unit, beyond both borders; B the same with a bulge east
    a = [(x, maxy + 0.2), (x, miny - 0.2)]
    cy = round(unit.centroid.y, 4)
    bulge = box(x, cy - 0.05, x + 0.1, cy + 0.05)
    b = [(x, maxy + 0.2), (x, cy + 0.05), (x + 0.1, cy + 0.05), (x + 0.1, cy - 0.05), (x, cy - 0.05), (x, miny - 0.2)]
    west, east = theatre.party_ids
    inside_west = shapely.intersection(unit, box(minx, miny, x - 0.01, maxy)).representative_point()
    side = [S.LINE_SIDE_RULE, S.LINE_SIDE_PARTY, S.LINE_SIDE_OTHER, S.LINE_SIDE_LON, S.LINE_SIDE_LAT]
    lines = pd.DataFrame(
        [
            ["line_a", "Line A", "2008-08-01", "contact", "test", "", "1", "", "test", "point", west, east, str(round(inside_west.x, 4)), str(round(inside_west.y, 4))],
            ["line_b", "Line B", "2008-09-01", "contact", "test", "", "1", "", "test", "right", west, east, "", ""],
        ],
        columns=S.LINE_COLUMNS + side,
    )  # fmt: skip
    verts = pd.DataFrame(
        [[lid, i, px, py, "", "authored", "test"] for lid, pts in (("line_a", a), ("line_b", b)) for i, (px, py) in enumerate(pts)],
        columns=S.VERTEX_COLUMNS,
    )  # fmt: skip
    folder = user_root() / "ge-sk"
    lines.to_csv(folder / "lines.csv", index=False)
    verts.to_csv(folder / "line_vertices.csv", index=False)
    loaded = load_lines(folder / "lines.csv", folder / "line_vertices.csv")
    got = contested_areas(loaded, theatre_regions(theatre), reference="line_a").set_index(S.C_HELD_BY)
    # independently: the bulge, clipped to the unit, measured on the ellipsoid
    expected = abs(GEOD.geometry_area_perimeter(shapely.intersection(bulge, unit))[0]) / 1e6
    assert 50 < expected < 100  # 0.1° x 0.1° at 42° N: about 92 km²
    assert list(got.index) == [west]
    assert got.loc[west, S.AREA_KM2] == pytest.approx(expected, rel=1e-3)
    assert got.loc[west, S.C_TO_LINE] == "line_b"


def _listed(capsys) -> list[dict]:
    assert main(["theatre", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)
