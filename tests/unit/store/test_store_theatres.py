"""Claims per theatre in the registry: the theatre column and its migration, filters, checks, seeding.

Each test taking ``target`` runs on both backends (SQLite, and PostGIS when
``CONTESTED_TEST_PG_URL`` names a server).
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import psycopg
import pytest

from geo import schema as S
from geo.claims.store import copy_store, open_store
from geo.claims.store.seed import read_seed_tables
from geo.claims.theatre_rules import LEGACY_THEATRE, rules_for
from geo.errors import DataFileError, ValidationError
from geo.theatres import create_theatre, get_theatre
from tests.support.claims_helpers import claim_row, write_seed
from tests.support.old_store import build_old_store, old_claim
from tests.support.parties import PARTY_SEPARATISTS
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[3]
KOREA, DONBAS, ARMENIA = "korea-1953", "donbas-2014-15", "armenia-azerbaijan-2020"


@pytest.fixture(params=["sqlite", "postgis"])
def backend(request):
    return request.param


@pytest.fixture
def target(backend, tmp_path, request):
    return str(tmp_path / "claims.sqlite") if backend == "sqlite" else request.getfixturevalue("pg_store_url")


def _korea_row(n: int = 1, **changes) -> dict:
    """A valid claim of the Korea theatre: its line, one of its parties as the side."""
    return claim_row(
        n,
        **{
            S.CLAIM_QUOTE: f"Korea claim {n}: the zone is 2 km each side",
            S.CLAIM_PARTY: "kpa_cpv",
            S.CLAIM_KIND: "withdrawal_distance",
            S.CLAIM_VALUE: 2,
            S.CLAIM_UNIT: "km",
            S.CLAIM_QUALIFIER: "exactly",
            S.CLAIM_REFERENCE_LINE: "mdl_1953_07_27",
            S.CLAIM_SIDE: "unc",
            S.CLAIM_EVENT_DATE: "1953-07-27",
            **changes,
        },
    )


def _dated_claim_ids(theatre_id: str) -> set[str]:
    with (REPO / "data" / "theatres" / theatre_id / "claims.csv").open(newline="", encoding="utf-8") as fh:
        return {r[S.CLAIM_ID] for r in csv.DictReader(fh) if r[S.CLAIM_EVENT_DATE].strip()}


# ------------------------------------------------------------------ seeding
def test_a_new_default_store_holds_every_shipped_theatre_each_under_its_id(target):
    with open_store(target) as store:
        counts = store.claim_counts()
        for theatre_id in (DONBAS, KOREA, ARMENIA, "ukraine-2022"):
            frame = store.list_claims(theatre=theatre_id)
            assert set(frame[S.CLAIM_ID]) == _dated_claim_ids(theatre_id)
            assert set(frame[S.CLAIM_THEATRE]) == {theatre_id} and counts[theatre_id] == len(frame) >= 5
        assert len(store.list_claims()) == sum(counts.values())


def test_undated_shipped_rows_are_reported_with_file_row_and_field_not_dropped_silently(tmp_path):
    tables = read_seed_tables(get_theatre(KOREA).path)
    with (REPO / "data" / "theatres" / KOREA / "claims.csv").open(newline="", encoding="utf-8") as fh:
        undated = [(i, r[S.CLAIM_ID]) for i, r in enumerate(csv.DictReader(fh), start=1) if not r[S.CLAIM_EVENT_DATE]]
    assert undated, "the Korea table has rows without a date (no date on their source pages)"
    assert len(tables.skipped) == len(undated)
    for (row, cid), message in zip(undated, tables.skipped, strict=True):
        assert "korea-1953/claims.csv" in message and f"row {row}," in message
        assert "field 'event_date'" in message and repr(cid) in message
    with open_store(tmp_path / "claims.sqlite") as store:
        assert store.seed_problems == tables.skipped
        assert not set(store.list_claims()[S.CLAIM_ID]) & {cid for _, cid in undated}


def _user_theatre(tmp_path, monkeypatch, rows: list[dict], tid: str = "ladakh-test") -> Path:
    """A user theatre (parties 'China', 'India') whose claims.csv holds ``rows``, citing the seed source."""
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path / "home"))
    theatre = create_theatre(tid, "Ladakh test", ["IN"], [], ["China", "India"])
    folder = Path(theatre.path)
    write_seed(tmp_path / "seedfiles")
    (folder / "sources.csv").write_bytes((tmp_path / "seedfiles" / "sources.csv").read_bytes())
    with (folder / "claims.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=S.CLAIM_FILE_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in S.CLAIM_FILE_COLUMNS})
    return folder


def _ladakh_row(cid: str, **changes) -> dict:
    return claim_row(
        3,
        **{S.CLAIM_ID: cid, S.CLAIM_PARTY: "china", S.CLAIM_REFERENCE_LINE: "", S.CLAIM_SIDE: "china", **changes},
    )


def test_seed_theatre_adds_a_user_theatre_and_reports_undated_rows(target, tmp_path, monkeypatch):
    folder = _user_theatre(tmp_path, monkeypatch, [_ladakh_row("l1"), _ladakh_row("l2", event_date="")])
    with open_store(target, seed_dir=write_seed(tmp_path / "seed")) as store:
        report = store.seed_theatre("ladakh-test", "ana")
        assert report.claims == ["l1"] and report.sources == []  # the source was stored already
        assert len(report.skipped) == 1 and f"{folder / 'claims.csv'}: row 2, field 'event_date'" in report.skipped[0]
        frame = store.list_claims(theatre="ladakh-test")
        assert list(frame[S.CLAIM_ID]) == ["l1"] and frame[S.CLAIM_SIDE].tolist() == ["china"]
        assert store.history("l1")[0]["user"] == "ana"
        with pytest.raises(ValidationError, match="holds 1 claims of theatre 'ladakh-test' already"):
            store.seed_theatre("ladakh-test", "ana")


def test_seed_theatre_refuses_a_bad_row_by_its_file_row_and_writes_nothing(target, tmp_path, monkeypatch):
    rows = [_ladakh_row("l1"), _ladakh_row("l2", event_date=""), _ladakh_row("l3", side="separatists")]
    folder = _user_theatre(tmp_path, monkeypatch, rows)
    with open_store(target, seed_dir=write_seed(tmp_path / "seed")) as store:
        before = store.revision()
        with pytest.raises(DataFileError) as info:
            store.seed_theatre("ladakh-test", "ana")
        assert f"{folder / 'claims.csv'}: row 3, field 'side'" in str(info.value)  # the file's row, not the batch's
        assert store.revision() == before and store.list_claims(theatre="ladakh-test").empty
    # an undated row is still checked for its other fields
    _user_theatre(tmp_path, monkeypatch, [_ladakh_row("m1", event_date="", quote="")], tid="ladakh-two")
    with open_store(target) as store, pytest.raises(DataFileError, match="row 1, field 'quote'"):
        store.seed_theatre("ladakh-two", "ana")


# ------------------------------------------------------------ adding, listing
def test_claims_of_one_theatre_are_not_listed_under_another(target, tmp_path):
    with open_store(target, seed_dir=write_seed(tmp_path / "seed")) as store:
        (kid,) = store.add_claims([_korea_row()], user="ana", theatre=KOREA)
        (did,) = store.add_claims([claim_row(9)], user="ana")  # no theatre: the store's default theatre
        assert store.default_theatre == DONBAS
        korea, donbas = store.list_claims(theatre=KOREA), store.list_claims(theatre=DONBAS)
        assert kid in set(korea[S.CLAIM_ID]) and kid not in set(donbas[S.CLAIM_ID])
        assert did in set(donbas[S.CLAIM_ID]) and did not in set(korea[S.CLAIM_ID])
        assert store.get_claim(kid).theatre == KOREA
        assert store.claim_counts()[KOREA] == 1
        # as recorded at a moment: the same filter over the rebuilt registry
        assert list(store.list_claims(theatre=KOREA, as_of="2999-01-01")[S.CLAIM_ID]) == [kid]
        store.delete_claim(kid, "ana")
        assert store.list_claims(theatre=KOREA).empty and KOREA not in store.claim_counts()
        assert list(store.list_claims(theatre=KOREA, include_deleted=True)[S.CLAIM_ID]) == [kid]


def test_lines_and_sides_are_checked_against_the_claims_theatre(target, tmp_path):
    with open_store(target, seed_dir=write_seed(tmp_path / "seed")) as store:
        with pytest.raises(ValidationError, match="row 1, field 'reference_line': unknown reference line 'minsk"):
            store.add_claims([_korea_row(reference_line=S.LINE_MINSK_2014)], user="ana", theatre=KOREA)
        with pytest.raises(ValidationError, match="row 1, field 'side'"):
            store.add_claims([_korea_row(side=PARTY_SEPARATISTS)], user="ana", theatre=KOREA)
        with pytest.raises(ValidationError, match="row 1, field 'side'"):
            store.add_claims([claim_row(1, side="unc")], user="ana")  # Donbas has no party 'unc'
        with pytest.raises(ValidationError, match="row 2, field 'theatre': no theatre 'atlantis'"):
            store.add_claims([claim_row(1), claim_row(2, theatre="atlantis")], user="ana")
        with pytest.raises(ValidationError, match="row 1, field 'theatre': the row is a claim of theatre 'donbas"):
            store.add_claims([_korea_row(theatre=DONBAS)], user="ana", theatre=KOREA)
        assert store.list_claims(theatre=KOREA).empty
        # a row naming its theatre (as claims list prints it) goes there
        (kid,) = store.add_claims([_korea_row(theatre=KOREA)], user="ana")
        # an edit is checked against the claim's own theatre
        with pytest.raises(ValidationError, match="unknown reference line"):
            store.update_claim(kid, {S.CLAIM_REFERENCE_LINE: S.LINE_MINSK_2014}, user="ana", expected_version=1)
        with pytest.raises(ValidationError, match="field 'theatre': cannot be changed by an edit"):
            store.update_claim(kid, {S.CLAIM_THEATRE: DONBAS}, user="ana", expected_version=1)
        edited = store.update_claim(kid, {S.CLAIM_SIDE: "kpa_cpv"}, user="ana", expected_version=1)
        assert edited.theatre == KOREA and edited.side == "kpa_cpv"


def test_copy_keeps_each_claims_theatre(tmp_path):
    with open_store(tmp_path / "a.sqlite") as a, open_store(tmp_path / "b.sqlite", seed=False) as b:
        a.add_claims([_korea_row(source_id="vdocuments_armistice_text")], user="ana", theatre=KOREA)
        copy_store(a, b)
        assert b.claim_counts() == a.claim_counts()
        assert b.claim_counts()[KOREA] == len(_dated_claim_ids(KOREA)) + 1


# ----------------------------------------------------------------- migration
def _old_store(target: str, backend: str) -> None:
    """A store as the release before claims had a theatre left it (migrations 1-4, one claim)."""
    if backend == "sqlite":
        from geo.claims.store.sqlite import MIGRATIONS

        conn = sqlite3.connect(target, isolation_level=None)
        build_old_store(conn.cursor(), MIGRATIONS, 4, [old_claim(1)])
        conn.close()
    else:
        from geo.claims.store.postgis import MIGRATIONS

        with psycopg.connect(target, autocommit=True) as conn:  # before the audit triggers of migration 5
            build_old_store(conn.cursor(), MIGRATIONS, 4, [old_claim(1)], mark="%s")


def test_migration_gives_existing_claims_the_legacy_theatre_and_keeps_their_history(target, backend, tmp_path):
    _old_store(target, backend)
    with open_store(target, seed_dir=write_seed(tmp_path / "seed")) as store:
        assert store.schema_version() == len(store._migrations())
        claim = store.get_claim("old1")
        assert claim.theatre == LEGACY_THEATRE == DONBAS and claim.version == 1  # filled, not rewritten
        assert list(store.list_claims(theatre=DONBAS)[S.CLAIM_ID]) == ["old1"]
        assert store.list_claims(theatre=KOREA).empty  # a seed directory given: nothing else is seeded
        # the audit record written before the migration has no theatre: read as the legacy one
        (record,) = store.history("old1")
        assert S.CLAIM_THEATRE not in record["after"]
        assert list(store.list_claims(as_of="2999-01-01", theatre=DONBAS)[S.CLAIM_ID]) == ["old1"]
        assert store.verify_audit()["ok"]
        (cid,) = store.add_claims([_korea_row(source_id="srcold")], user="ana", theatre=KOREA)
        assert store.history(cid)[0]["after"][S.CLAIM_THEATRE] == KOREA


def test_an_upgraded_default_store_gets_the_other_shipped_theatres_once(target, backend):
    _old_store(target, backend)
    with open_store(target) as store:
        counts = store.claim_counts()
        assert counts[DONBAS] == 1  # the Donbas claims it held are kept, and not seeded again
        assert counts[KOREA] == len(_dated_claim_ids(KOREA)) and counts[ARMENIA] == len(_dated_claim_ids(ARMENIA))
        n = len(store.audit_log())
    with open_store(target) as store:  # opened again: nothing is seeded twice
        assert len(store.audit_log()) == n


def test_rules_for_a_shipped_theatre_name_its_lines_and_parties():
    rules = rules_for(ARMENIA)
    assert "contact_2020_12_01" in rules.lines and "azerbaijan" in rules.sides and "" in rules.sides


def test_a_given_seed_directory_names_its_undated_rows_too(tmp_path):
    seed = write_seed(tmp_path / "seed")
    with (seed / "claims.csv").open("a", newline="", encoding="utf-8") as fh:
        row = {**claim_row(5), S.CLAIM_ID: "undated", S.CLAIM_EVENT_DATE: ""}
        csv.DictWriter(fh, fieldnames=S.CLAIM_COLUMNS).writerow({c: row.get(c, "") for c in S.CLAIM_COLUMNS})
    with open_store(tmp_path / "claims.sqlite", seed_dir=seed) as store:
        (problem,) = store.seed_problems
        assert f"{seed / 'claims.csv'}: row 3, field 'event_date'" in problem and "'undated'" in problem
        assert "undated" not in set(store.list_claims()[S.CLAIM_ID])
