"""A theatre's own tables (lines, claims), lines added with side rules, and theatres created from a form."""

from __future__ import annotations

import pytest
from pyproj import Geod

from geo.errors import DataFileError, TheatreError
from geo.maps.theatreview import claim_geometries, theatre_map
from geo.theatres import create_theatre, get_theatre, list_theatres
from geo.theatres.forms import create_from_form, party_rows
from geo.theatres.tables import add_line, in_registry, theatre_claims, theatre_lines

LINE = [(32.8, 35.2), (33.4, 35.17), (34.0, 35.1)]


@pytest.fixture
def cyprus(tmp_path):
    return create_theatre("cyprus-unit", "Cyprus", ["CY"], parties=["Republic of Cyprus", "Turkish Cypriots"])


def test_shipped_theatres_give_their_lines_and_claims():
    for tid in ("korea-1953", "armenia-azerbaijan-2020"):
        t = get_theatre(tid)
        lines, claims = theatre_lines(t), theatre_claims(t)
        assert len(lines) >= 1 and lines.crs.to_epsg() == 4326
        assert len(claims) >= 5 and claims["publisher"].ne("").all()  # joined with their sources
        assert not in_registry(t)
    assert in_registry(get_theatre("donbas-2014-15"))


def test_a_new_theatre_has_no_lines_or_claims(cyprus):
    assert theatre_lines(cyprus).empty and theatre_claims(cyprus).empty


def test_add_line_stores_the_side_rule_and_the_geodesic_length(cyprus):
    lines = add_line(
        "cyprus-unit",
        "green_line",
        "Green line",
        LINE,
        date="1974-08-16",
        side=("point", "republic_of_cyprus", "turkish_cypriots", 33.0, 34.7),
    )
    row = lines.iloc[0]
    assert (row["side_rule"], row["side_party"], row["other_party"]) == (
        "point",
        "republic_of_cyprus",
        "turkish_cypriots",
    )
    assert (float(row["side_lon"]), float(row["side_lat"])) == (33.0, 34.7)
    geod = Geod(ellps="WGS84")
    expected = sum(geod.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(LINE, LINE[1:])) / 1000
    assert row["length_km"] == pytest.approx(expected, rel=1e-6)
    lines = add_line(
        "cyprus-unit",
        "buffer_north",
        "North edge",
        LINE[::-1],
        date="1974-08-16",
        side=("left", "turkish_cypriots", "republic_of_cyprus", None, None),
    )
    assert list(lines["line_id"]) == ["green_line", "buffer_north"]
    assert lines.iloc[1]["side_rule"] == "left" and lines.iloc[1]["side_lon"] == ""


@pytest.mark.parametrize(
    "side, message",
    [
        (("east", "republic_of_cyprus", "turkish_cypriots", None, None), "is not one of point, left, right"),
        (("point", "republic_of_cyprus", "turkish_cypriots", None, None), "longitude None is not a number"),
        (("point", "republic_of_cyprus", "turkish_cypriots", 200, 35), "is not a WGS84 longitude/latitude"),
        (("left", "greece", "turkish_cypriots", None, None), "'greece' is not a party of the theatre"),
        (("left", "turkish_cypriots", "turkish_cypriots", None, None), "cannot hold both sides"),
    ],
)
def test_bad_side_rules_are_refused_and_nothing_written(cyprus, side, message):
    with pytest.raises(TheatreError, match=message):
        add_line("cyprus-unit", "green_line", "Green line", LINE, date="1974-08-16", side=side)
    assert not cyprus.has_table("lines.csv")


def test_add_line_refusals(cyprus):
    with pytest.raises(TheatreError, match="read-only"):
        add_line("korea-1953", "x_line", "X", LINE, date="2020-01-01")
    with pytest.raises(TheatreError, match="not a date"):
        add_line("cyprus-unit", "x_line", "X", LINE, date="16/08/1974")
    with pytest.raises(TheatreError, match="not a line id"):
        add_line("cyprus-unit", "X Line", "X", LINE, date="1974-08-16")
    with pytest.raises(DataFileError, match="crosses itself"):
        add_line("cyprus-unit", "x_line", "X", [(33, 35), (34, 36), (34, 35), (33, 36)], date="1974-08-16")
    add_line("cyprus-unit", "x_line", "X", LINE, date="1974-08-16")
    with pytest.raises(TheatreError, match="already has a line 'x_line'"):
        add_line("cyprus-unit", "x_line", "Again", LINE, date="1974-08-16")
    assert len(theatre_lines(get_theatre("cyprus-unit"))) == 1


def test_vertices_left_by_an_interrupted_write_are_ignored(cyprus):
    add_line("cyprus-unit", "green_line", "Green line", LINE, date="1974-08-16")
    path = cyprus.table_path("line_vertices.csv")
    path.write_text(path.read_text() + "orphan,0,33,35,,,\norphan,1,34,35,,,\n")
    assert list(theatre_lines(cyprus)["line_id"]) == ["green_line"]


def test_create_from_form_checks_everything_first():
    with pytest.raises(TheatreError, match="'ZZ' is not a known"):
        create_from_form("form-a", "A", ["CY", "zz"], parties="North\nSouth")
    with pytest.raises(TheatreError, match="at least two parties, 1 named"):
        create_from_form("form-a", "A", ["CY"], parties="North")
    with pytest.raises(TheatreError, match="not '#rrggbb'"):
        create_from_form("form-a", "A", ["CY"], parties="North | N | #12345\nSouth")
    assert "form-a" not in {t.id for t in list_theatres()}
    t = create_from_form(
        "form-a", "A", ["cy"], "CY-01, CY-04", party_rows("North | N | #112233\nSouth"), region_word="district"
    )
    assert t.admin1 == ("CY-01", "CY-04") and t.region_word_plural == "districts"
    assert [(p.id, p.short, p.colour) for p in t.parties] == [("north", "N", "#112233"), ("south", "South", "#2166ac")]


def test_theatre_map_draws_lines_and_claim_areas_in_party_colours():
    t = get_theatre("armenia-azerbaijan-2020")
    claims = theatre_claims(t)
    drawn = claim_geometries(claims)
    assert len(drawn) == (claims["geometry_wkt"] != "").sum() > 0
    m = theatre_map(t, theatre_lines(t), claims)
    colours = {i.colour for i in m.legend if i.kind == "area"}
    assert colours <= {p.colour for p in t.parties} | {"#777777"} and colours
    html = m.get_root().render()
    assert "Lachin corridor" in html
