"""The list of claims beside the map: which claims it offers, and what it says about the rest.

A view can hold tens of thousands of claims; a radio list of all of them is
slow to send and useless to scroll. The list offers at most a limit of them,
in the view's order, narrowed by what the user types; the claim on screen is
always offered, so choosing another claim never loses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice

#: At most this many claims are listed beside the map at once; a search box narrows a longer list.
CLAIM_LIST_LIMIT = 200


def _plain(label: str) -> str:
    """A markdown-escaped label as a person reads it, folded for matching."""
    return label.replace("\\", "").casefold()


def claims_to_list(
    labels: Mapping[str, str], query: str = "", chosen: str | None = None, limit: int = CLAIM_LIST_LIMIT
) -> tuple[list[str], int]:
    """``(ids to offer, how many match)``.

    ``labels`` maps each claim id of the view to its (markdown-escaped) label, in
    the view's order. A claim matches when its label, as read, holds every
    word of ``query`` (case-insensitive; an empty query matches all). The first
    ``limit`` matches are offered; ``chosen``, when it is a claim of the view
    and not among them, is offered first.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    words = [w.casefold() for w in str(query or "").split()]
    if words:
        plain = ((cid, _plain(text)) for cid, text in labels.items())  # each label folded once
        matches = [cid for cid, text in plain if all(w in text for w in words)]
        n_match, listed = len(matches), matches[:limit]
    else:
        n_match, listed = len(labels), list(islice(labels, limit))
    if chosen is not None and chosen in labels and chosen not in listed:
        listed = [chosen, *listed[: limit - 1]]
    return listed, n_match


def claim_list_caption(n_match: int, n_total: int, limit: int = CLAIM_LIST_LIMIT, query: str = "") -> str:
    """What the list says about what it leaves out (plain text, no markdown)."""
    if query and n_match == 0:
        return f"No claim of the {n_total:,} on this map matches; the chosen claim stays listed."
    shown = min(n_match, limit)
    of = f"{n_match:,} matching claims" if query else f"{n_total:,} claims on this map"
    if n_match > limit:
        return f"The first {shown:,} of {of} are listed; type in Find a claim to narrow the list."
    return f"All {shown:,} of {of} are listed."
