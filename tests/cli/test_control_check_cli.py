"""python -m geo control check --theatre ID --party NAME [--series S] --json: the theatre's claims with verdicts."""

from __future__ import annotations

import datetime as dt
import json

from geo.__main__ import main
from geo.commands.import_control import AS_CONTROL
from tests.support.synthetic_control import write_series

THEATRE = "ukraine-2022"


def _run(*args, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_lists_the_claims_needing_a_series_then_their_verdicts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    code, out, err = _run("control", "check", "--theatre", THEATRE, "--party", "russia", "--json", capsys=capsys)
    assert code == 0, err
    before = json.loads(out)
    assert len(before) >= 10
    assert {c["verdict"] for c in before} == {"needs a control series"}
    assert {"claim_id", "quote", "url", "period_start", "period_end", "claimed_km2", "measured_km2"} <= set(before[0])
    # March 2025 (u009: 133 km² "in March") is covered by a synthetic series from 27 Feb to 2 Apr 2025
    write_series(tmp_path / "series", 35, start=dt.date(2025, 2, 26))
    code, out, err = _run(
        "import",
        tmp_path / "series",
        "--theatre",
        THEATRE,
        "--as",
        AS_CONTROL,
        "--party",
        "russia",
        "--quiet",
        capsys=capsys,
    )
    assert code == 0, err
    code, out, err = _run("control", "check", "--theatre", THEATRE, "--party", "russia", "--json", capsys=capsys)
    assert code == 0, err
    after = {c["claim_id"]: c for c in json.loads(out)}
    march = after["u009"]
    assert march["verdict"] in ("consistent", "overstated", "understated")
    assert (march["period_start"], march["period_end"], march["from"], march["to"]) == (
        "2025-03-01",
        "2025-03-31",
        "2025-02-28",
        "2025-03-31",
    )
    assert after["u001"]["verdict"] == "not covered by the series"  # 2025 as a whole is not held
    # a party with no series: every claim still needs one; the text form prints one line per claim
    code, out, _ = _run("control", "check", "--theatre", THEATRE, "--party", "ukraine", capsys=capsys)
    assert code == 0 and "no claims about 'ukraine'" in out
    code, out, _ = _run("control", "check", "--theatre", THEATRE, "--party", "russia", capsys=capsys)
    assert code == 0 and "u009:" in out and len(out.strip().splitlines()) == len(after)
