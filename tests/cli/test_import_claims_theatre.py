"""``python -m geo import FILE --as claims --theatre ID``: claims go to that theatre, checked against it."""

from __future__ import annotations

import pytest

from geo import schema as S
from geo.__main__ import main
from geo.claims.store import open_store
from geo.claims.theatre_rules import DEFAULT_THEATRE
from geo.theatres import get_theatre

KOREA = "korea-1953"
HEADER = "quote,actor,stance,event_date,reference_line,side,publisher,url,published,source_kind,WKT\n"


def _row(quote: str, line: str, side: str, wkt: str) -> str:
    return (
        f'"{quote}",Test Office,asserts,1953-07-28,{line},{side},Wire,https://example.org/k,1953-07-29,news,"{wkt}"\n'
    )


KOREA_WKT = "POLYGON((126.9 37.9, 127.0 37.9, 127.0 38.0, 126.9 37.9))"
DONBAS_WKT = "POLYGON((37.6 48.0, 37.7 48.0, 37.7 48.1, 37.6 48.0))"


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "home"))
    monkeypatch.delenv("CONTESTED_DB_URL", raising=False)
    monkeypatch.setenv("CONTESTED_USER", "tester")

    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _ids(store, theatre):
    return set(store.list_claims(theatre=theatre)[S.CLAIM_ID])


def test_claims_go_to_the_named_theatre(cli, tmp_path):
    korea = get_theatre(KOREA)
    line, side = korea.reference_line, korea.parties[1].id
    src = tmp_path / "korea.csv"
    src.write_text(HEADER + _row("Ground held north of the line.", line, side, KOREA_WKT), encoding="utf-8")
    store = tmp_path / "claims.sqlite"
    with open_store(store) as s:
        before = {t: _ids(s, t) for t in (KOREA, DEFAULT_THEATRE)}
    code, out, err = cli("import", src, "--as", "claims", "--theatre", KOREA, "--store", store)
    assert code == 0, err
    assert f"into theatre {KOREA}" in out
    with open_store(store) as s:
        new = _ids(s, KOREA) - before[KOREA]
        assert len(new) == 1
        assert _ids(s, DEFAULT_THEATRE) == before[DEFAULT_THEATRE]
        row = s.list_claims(theatre=KOREA).set_index(S.CLAIM_ID).loc[next(iter(new))]
        assert (row[S.CLAIM_REFERENCE_LINE], row[S.CLAIM_SIDE], row[S.CLAIM_THEATRE]) == (line, side, KOREA)


def test_without_theatre_claims_go_to_the_default_theatre(cli, tmp_path):
    default = get_theatre(DEFAULT_THEATRE)
    src = tmp_path / "donbas.csv"
    src.write_text(
        HEADER + _row("Ground held near the line.", default.reference_line, default.parties[0].id, DONBAS_WKT),
        encoding="utf-8",
    )
    store = tmp_path / "claims.sqlite"
    with open_store(store) as s:
        n_default, korea = len(_ids(s, DEFAULT_THEATRE)), _ids(s, KOREA)
    code, out, err = cli("import", src, "--as", "claims", "--store", store)
    assert code == 0, err
    with open_store(store) as s:
        assert len(_ids(s, DEFAULT_THEATRE)) == n_default + 1 and _ids(s, KOREA) == korea


@pytest.mark.parametrize(
    ("what", "expect"),
    [("line", "reference_line"), ("side", "side")],
)
def test_a_line_or_side_of_another_theatre_is_refused_and_nothing_stored(cli, tmp_path, what, expect):
    korea, donbas = get_theatre(KOREA), get_theatre(DEFAULT_THEATRE)
    line = donbas.reference_line if what == "line" else korea.reference_line
    side = donbas.parties[0].id if what == "side" else korea.parties[0].id
    src = tmp_path / "bad.csv"
    src.write_text(
        HEADER
        + _row("A good row.", korea.reference_line, korea.parties[0].id, KOREA_WKT)
        + _row("Bad.", line, side, KOREA_WKT),
        encoding="utf-8",
    )
    store = tmp_path / "claims.sqlite"
    with open_store(store) as s:
        before = _ids(s, KOREA)
    code, out, err = cli("import", src, "--as", "claims", "--theatre", KOREA, "--store", store)
    assert code == 1
    assert expect in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    with open_store(store) as s:
        assert _ids(s, KOREA) == before


def test_unknown_theatre_is_refused_before_reading(cli, tmp_path):
    code, _, err = cli("import", tmp_path / "absent.csv", "--as", "claims", "--theatre", "atlantis")
    assert code == 1 and "atlantis" in err and "absent.csv" not in err


def test_theatre_with_a_line_import_is_refused(cli, tmp_path):
    src = tmp_path / "l.geojson"
    src.write_text('{"type": "LineString", "coordinates": [[37, 47], [38, 48]]}', encoding="utf-8")
    code, _, err = cli("import", src, "--as", "line", "--theatre", KOREA)
    assert code == 1 and "--theatre" in err
    assert not (tmp_path / "home" / "user_lines.csv").exists()
