"""The parts the SQL store is assembled from: shared base, claim writes, source writes."""

from __future__ import annotations

import pytest

from geo import schema as S
from geo.claims.store import SQLStore, open_store
from geo.claims.store.base import AuditAction, AuditEntity, source_from_record
from geo.claims.store.sql_base import SQLBase, source_insert_audit
from geo.claims.store.sql_claims import ClaimWrites
from geo.claims.store.sql_sources import SourceWrites
from tests.support.claims_helpers import SEED_SOURCE, claim_row, write_seed


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "claims.sqlite"), seed_dir=write_seed(tmp_path / "seed"))
    yield s
    s.close()


def test_sql_store_is_the_claim_and_source_writes_over_the_shared_base(store):
    assert issubclass(SQLStore, ClaimWrites) and issubclass(SQLStore, SourceWrites)
    assert issubclass(ClaimWrites, SQLBase) and issubclass(SourceWrites, SQLBase)
    assert isinstance(store, SQLStore)
    # each write lives in one part, not redefined by the assembled class
    assert SQLStore.add_claims is ClaimWrites.add_claims
    assert SQLStore.delete_claim is ClaimWrites.delete_claim
    assert SQLStore.update_source is SourceWrites.update_source


def test_claim_writes_round_trip_with_audit(store):
    (cid,) = store.add_claims([claim_row(claim_id="c-parts")], "ana", keep_ids=True)
    assert cid == "c-parts" and store.get_claim(cid).version == 1
    store.delete_claim(cid, "ana")
    assert cid not in set(store.list_claims()[S.CLAIM_ID])
    assert store.undo_delete(cid, "ana").version == 3
    assert [(h["action"], h["version"]) for h in store.history(cid)] == [("insert", 1), ("delete", 2), ("restore", 3)]


def test_source_writes_update_with_version_and_citing_claims(store):
    sid = SEED_SOURCE[S.SOURCE_ID]
    before = store.get_source(sid)
    after = store.update_source(sid, {S.SOURCE_TITLE: "A new title"}, user="ana", expected_version=before.version)
    assert after.title == "A new title" and after.version == before.version + 1
    assert store.claims_citing(sid)  # the seed claims cite it


def test_source_insert_audit_rows_are_version_one_inserts():
    src = source_from_record(SEED_SOURCE)
    (row,) = source_insert_audit([src], "2026-12-02T00:00:00Z", "ana")
    assert row[:6] == ("2026-12-02T00:00:00Z", "ana", AuditAction.INSERT, AuditEntity.SOURCE, src.source_id, 1)
    assert row[6] is None and row[7][S.SOURCE_ID] == src.source_id
