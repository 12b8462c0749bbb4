"""The claims listed beside the map: at most a limit, narrowed by a search, the chosen claim kept."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import schema as S
from geo.html import md_escape
from geo.maps import CLAIM_LIST_LIMIT, claim_list_caption, claims_to_list

LABELS = {
    "c1": md_escape("Kiev, 2015-01-20: > 500 km² (Reuters)"),
    "c2": md_escape("Zakharchenko, 2015-02-03: ~ 1,000 km² (TASS)"),
    "c3": md_escape("Kyiv, 2015-02-10: 15 km deep (Ukrinform)"),
    "c4": md_escape("OSCE SMM, 2015-02-21: (reports)"),
}


def test_an_empty_search_lists_the_first_claims_in_the_views_order():
    assert claims_to_list(LABELS, "", None, 2) == (["c1", "c2"], 4)
    assert claims_to_list(LABELS, "   ", None, 10) == (["c1", "c2", "c3", "c4"], 4)


def test_a_search_matches_every_word_case_insensitively_on_the_text_as_read():
    assert claims_to_list(LABELS, "kiev", None, 10) == (["c1"], 1)
    assert claims_to_list(LABELS, "2015-02 KM", None, 10) == (["c2", "c3"], 2)
    # the labels are markdown-escaped; the search reads them as a person does
    assert claims_to_list(LABELS, "> 500", None, 10)[0] == ["c1"]
    assert claims_to_list(LABELS, "1,000 tass", None, 10)[0] == ["c2"]
    assert claims_to_list(LABELS, "nowhere", None, 10) == ([], 0)


def test_the_chosen_claim_stays_listed_first_when_the_list_leaves_it_out():
    assert claims_to_list(LABELS, "", "c4", 2) == (["c4", "c1"], 4)
    assert claims_to_list(LABELS, "kyiv", "c1", 10) == (["c1", "c3"], 1)
    assert claims_to_list(LABELS, "nowhere", "c2", 10) == (["c2"], 0)
    assert claims_to_list(LABELS, "", "c2", 2) == (["c1", "c2"], 4)  # already listed: not moved
    assert claims_to_list(LABELS, "", "gone", 2) == (["c1", "c2"], 4)  # not a claim of the view


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="limit"):
        claims_to_list(LABELS, "", None, 0)


def test_the_caption_says_how_many_are_listed_of_how_many():
    assert claim_list_caption(42_445, 42_445, 200) == (
        "The first 200 of 42,445 claims on this map are listed; type in Find a claim to narrow the list."
    )
    assert claim_list_caption(1_234, 42_445, 200, "kiev") == (
        "The first 200 of 1,234 matching claims are listed; type in Find a claim to narrow the list."
    )
    assert claim_list_caption(12, 42_445, 200, "kiev 2015") == "All 12 of 12 matching claims are listed."
    assert claim_list_caption(0, 42_445, 200, "zzz").startswith("No claim of the 42,445 on this map matches")
    assert CLAIM_LIST_LIMIT >= 50  # a person can still scan the list


labels_st = st.dictionaries(
    st.text("abc123 ,.-", min_size=1, max_size=4), st.text("abcAB12 ,.>*_-", max_size=12), max_size=30
)


@given(labels_st, st.text("abAB1 ,>", max_size=6), st.integers(1, 8), st.data())
def test_the_list_is_bounded_ordered_and_keeps_the_choice(labels, query, limit, data):
    chosen = data.draw(st.sampled_from([None, "absent", *labels]))
    listed, n_match = claims_to_list(labels, query, chosen, limit)
    assert len(listed) <= limit and len(set(listed)) == len(listed)
    words = [w.casefold() for w in query.split()]
    matching = [k for k, v in labels.items() if all(w in v.replace("\\", "").casefold() for w in words)]
    assert n_match == len(matching)
    rest = [k for k in listed if k != chosen or k in matching[:limit]]
    assert rest == matching[: len(rest)]  # the matches, in the view's order
    if chosen in labels:
        assert chosen in listed
    else:
        assert listed == matching[:limit]


def test_the_labels_of_a_frame_are_each_rows_label():
    """``claim_choice_labels`` (records of a few columns) labels each claim as ``claim_choice_label`` of its row."""
    from geo.maps import claim_choice_label, claim_choice_labels
    from geo.reference.seed import load_seed_claims

    claims = load_seed_claims()
    claims = pd.concat([claims, claims.head(3).assign(**{S.CLAIM_ACTOR: None, S.SOURCE_PUBLISHER: ""})])
    claims.iloc[-1, claims.columns.get_loc(S.CLAIM_VALUE_KM2)] = float("nan")
    claims.iloc[-2, claims.columns.get_loc(S.CLAIM_EVENT_DATE)] = None
    want = [claim_choice_label(row) for _, row in claims.iterrows()]
    assert claim_choice_labels(claims) == want
    assert len(set(want)) > 5 and any("unknown actor" in w for w in want) and any("undated" in w for w in want)
    assert claim_choice_labels(claims.iloc[:0]) == []
