"""``python -m geo control check`` reads the claims registry of the theatre, not only its shipped claims.csv."""

from __future__ import annotations

import json

import pytest

from geo import schema as S
from geo.__main__ import main
from geo.claims.store import open_store
from geo.control.claims_check import figure_claims, theatre_claims
from geo.errors import UnknownTheatreError

THEATRE = "ukraine-2022"


def _claim(party: str) -> dict:
    return {
        S.CLAIM_QUOTE: "Test office: 1,234 km² taken in 2024.",
        S.CLAIM_ACTOR: "Test office",
        S.CLAIM_PARTY: party,
        S.CLAIM_STANCE: "asserts",
        S.CLAIM_KIND: "area",
        S.CLAIM_VALUE: 1234,
        S.CLAIM_UNIT: "km2",
        S.CLAIM_EVENT_DATE: "2025-01-03",
        S.SOURCE_PUBLISHER: "Wire",
        S.SOURCE_URL: "https://example.org/registry-claim",
        S.SOURCE_PUBLISHED: "2025-01-03",
        S.SOURCE_KIND: "news",
    }


def test_added_claims_are_checked_and_other_theatres_are_not(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "data"))
    with open_store() as store:
        (mine,) = store.add_claims([_claim("russia")], user="tester", theatre=THEATRE)
        shipped = figure_claims(theatre_claims(THEATRE, store), "russia")
    assert mine in {c[S.CLAIM_ID] for c in shipped}
    assert all(str(c[S.CLAIM_THEATRE]) == THEATRE for c in shipped)
    capsys.readouterr()
    assert main(["control", "check", "--theatre", THEATRE, "--party", "russia", "--json"]) == 0
    got = {c["claim_id"]: c for c in json.loads(capsys.readouterr().out)}
    assert mine in got and got[mine]["verdict"] == "needs a control series"
    assert (got[mine]["period_start"], got[mine]["period_end"]) == ("2024-01-01", "2024-12-31")
    assert len(got) == len(shipped)
    # the Donbas theatre's claims never show in the Ukraine check
    donbas_ids = set(theatre_claims("donbas-2014-15")[S.CLAIM_ID])
    assert donbas_ids and not donbas_ids & set(got)


def test_unknown_theatre_is_an_error():
    with pytest.raises(UnknownTheatreError):
        theatre_claims("atlantis")
