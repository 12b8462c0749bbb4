"""geo/claim_history: a claim's audit log for people, and reverting to an earlier version."""

import doctest

import pandas as pd
import pytest

import geo.claims.history as H
from geo.claims.store import open_store
from geo.labels import label_claims_view


def test_doctests():
    assert doctest.testmod(H).failed == 0


def test_history_and_revert_through_a_store(tmp_path):
    with open_store(tmp_path / "claims.sqlite") as s:
        first = s.get_claim("c004")
        s.update_claim("c004", {"quote": "Second.", "notes": "n2"}, user="ana", expected_version=first.version)
        s.delete_claim("c004", "bo")
        s.undo_delete("c004", "bo")
        records = s.history("c004")
        table = H.history_table(records)
        assert list(table.columns) == H.HISTORY_COLUMNS
        assert list(table["what"]) == ["added", "edited", "deleted", "restored"]
        assert table["changed"].iloc[1] == "quote, notes"
        assert list(table["who"])[1:] == ["ana", "bo", "bo"]
        now = s.get_claim("c004")
        versions = H.revertible_versions(records, now.version)
        assert first.version in versions and now.version not in versions
        assert 3 not in versions  # the delete is not a state to go back to
        changes = H.revert_changes(records, first.version, now.to_dict())
        assert set(changes) == {"quote", "notes"}
        back = s.update_claim("c004", changes, user="ana", expected_version=now.version)
        assert back.quote == first.quote and back.notes == first.notes


def test_revert_to_an_unknown_version_is_refused():
    with pytest.raises(ValueError, match="version 9"):
        H.revert_changes([], 9, {})


def test_claims_view_labels():
    view = pd.DataFrame({"claim": ["c1", "c2"], "stance": ["asserts", "denies"], "reference line": ["l1", ""]})
    out = label_claims_view(view, {"l1": "Line one"})
    assert list(out["reference line"]) == ["Line one", ""] and list(out["claim"]) == ["c1", "c2"]
    assert list(view["reference line"]) == ["l1", ""]  # a copy
