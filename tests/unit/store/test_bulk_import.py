"""Adding many claims in one call stores what adding them one call each stores; a bad row stores nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import schema as S
from geo.claims.store import open_store
from geo.errors import ValidationError
from tests.support.claims_helpers import SEED_SOURCE, claim_row, write_seed
from tests.support.pg_server import pg_server_url, pg_store_url  # noqa: F401 (fixtures)


def rows(n: int) -> list[dict]:
    out = []
    for i in range(n):
        row = claim_row(
            i + 1,
            claim_id=f"bulk{i:04d}",
            actor=("Kiev", "DPR", "OSCE SMM")[i % 3],
            qualifier=("more_than", "about", "")[i % 3],
            event_date=f"2015-0{1 + i % 6}-{10 + i % 17}",
            notes="line one\nline two" if i % 5 == 0 else "",
        )
        if i % 4 == 0:  # an inline source, new the first time, matched by URL afterwards
            del row[S.CLAIM_SOURCE_ID]
            row.update(publisher="Bench Wire", title="A report", url="https://example.org/r", source_kind="news")
        if i % 7 == 0:
            row[S.CLAIM_VALUE_MAX] = i + 10
            row[S.CLAIM_QUALIFIER] = ""
        out.append(row)
    return out


@pytest.fixture(params=["sqlite", "postgis"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return lambda name: str(tmp_path / f"{name}.sqlite")
    return lambda name: request.getfixturevalue("pg_store_url") if name == "bulk" else _second(request)


def _second(request):
    from tests.support.pg_server import fresh_schema

    manager = fresh_schema(request.getfixturevalue("pg_server_url"))
    url = manager.__enter__()
    request.addfinalizer(lambda: manager.__exit__(None, None, None))
    return url


def _comparable(store) -> pd.DataFrame:
    frame = store.list_claims()
    sources = store.list_sources().set_index(S.SOURCE_ID)
    # generated source ids differ between stores: compare the sources' URLs instead
    frame[S.CLAIM_SOURCE_ID] = frame[S.CLAIM_SOURCE_ID].map(lambda s: sources.loc[s, S.SOURCE_URL])
    return frame.drop(columns=["record_time"])


def test_one_call_stores_what_one_call_per_row_stores(target, tmp_path):
    seed = write_seed(tmp_path / "seed")
    data = rows(60)
    bulk = open_store(target("bulk"), seed_dir=seed)
    one = open_store(target("one"), seed_dir=seed)
    try:
        assert bulk.add_claims(data, user="ana", keep_ids=True) == [r[S.CLAIM_ID] for r in data]
        for row in data:
            one.add_claims([row], user="ana", keep_ids=True)
        pd.testing.assert_frame_equal(_comparable(bulk), _comparable(one))
        audit = bulk.audit_log(entity="claim")
        assert (audit["action"] == "insert").sum() == len(data) + 2  # 2 seed claims
        assert bulk.verify_audit()["ok"]
    finally:
        bulk.close()
        one.close()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"event_date": "2015-13-01"}, r"row 41, field 'event_date': '2015-13-01' is not a valid calendar date"),
        ({"actor": "Ki\x07ev"}, r"row 41, field 'actor': contains a control or invalid character \(U\+0007\)"),
        ({"value": "1,000"}, r"row 41, field 'value': '1,000' is not a number"),
        ({"source_id": "nowhere"}, r"row 41, field 'source_id': unknown source 'nowhere'"),
    ],
)
def test_a_bad_row_names_row_and_field_and_stores_nothing(target, tmp_path, bad, message):
    store = open_store(target("bulk"), seed_dir=write_seed(tmp_path / "seed"))
    try:
        before = store.list_claims()
        revision = store.revision()
        data = rows(60)
        data[40] = {**claim_row(41, claim_id="bad41"), **bad}
        with pytest.raises(ValidationError, match=message):
            store.add_claims(data, user="ana", keep_ids=True)
        pd.testing.assert_frame_equal(store.list_claims(), before)
        assert store.revision() == revision
        assert len(store.list_sources()) == 1 and store.list_sources()[S.SOURCE_ID][0] == SEED_SOURCE[S.SOURCE_ID]
    finally:
        store.close()
