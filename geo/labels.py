"""Human labels for the stored vocabularies: what a person reads instead of ``more_than``.

Stored values (``more_than``, ``separatists``, ``withdrawal_distance``) stay
what the CSV files and the stores hold; every page, popup, legend and
download meant for people shows :func:`label` of them. Ids such as ``c009``
are shown only where a person needs to copy one.

Examples
--------
>>> label("qualifier", "more_than")
'more than'
>>> label("party", "separatists")
'Separatists'
>>> label("kind", "withdrawal_distance")
'withdrawal distance'
>>> label("qualifier", "")
''
"""

from __future__ import annotations

import pandas as pd

# field -> stored value -> label. Values not listed fall back to _fallback.
LABELS: dict[str, dict[str, str]] = {
    "qualifier": {
        "more_than": "more than",
        "at_least": "at least",
        "about": "about",
        "up_to": "up to",
        "at_most": "at most",
        "less_than": "less than",
        "exactly": "exactly",
        "exact": "exactly",
        "range": "between",
    },
    "kind": {
        "area": "area",
        "distance": "distance",
        "withdrawal_distance": "withdrawal distance",
    },
    "stance": {"asserts": "asserts", "acknowledges": "acknowledges", "denies": "denies"},
    "line_kind": {
        "agreed": "agreed line",
        "contact": "line of contact",
        "claimed": "claimed line",
        "drawn": "drawn by an analyst",
        "imported": "imported",
    },
    "source_kind": {
        "news": "news report",
        "official": "official statement",
        "monitor": "monitor",
        "social": "social media",
    },
    "bound": {"lower": "lower bound", "upper": "upper bound", "estimate": "estimate"},
    "verdict": {
        "consistent": "consistent with the measured range",
        "larger": "measured more than claimed",
        "smaller": "measured less than claimed",
    },
    "reliability_source": {
        "A": "A: completely reliable",
        "B": "B: usually reliable",
        "C": "C: fairly reliable",
        "D": "D: not usually reliable",
        "E": "E: unreliable",
        "F": "F: reliability cannot be judged",
    },
    "reliability_info": {
        "1": "1: confirmed by other sources",
        "2": "2: probably true",
        "3": "3: possibly true",
        "4": "4: doubtful",
        "5": "5: improbable",
        "6": "6: truth cannot be judged",
    },
}
# Parties are data (each theatre's manifest names its own): a party id with no label here reads
# as its words, capitalised (``separatists`` -> ``Separatists``).


def _fallback(field: str, text: str) -> str:
    words = text.replace("_", " ").strip()
    if field in ("party", "side", "held_by") and words:
        return words[:1].upper() + words[1:]
    return words


def label(field: str, value) -> str:
    """The label a person reads for the stored ``value`` of ``field`` (``''`` for blank)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    if not text:
        return ""
    return LABELS.get(field, {}).get(text) or _fallback(field, text)


def labels(field: str, values) -> list[str]:
    """:func:`label` of each value (a list, Series or any iterable)."""
    return [label(field, v) for v in values]


def label_claims_view(view: pd.DataFrame, line_names: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of a claims display table (:func:`geo.maps.mapview.claims_view`) with labels for people.

    ``stance`` gets its label and ``reference line`` the line's name (from
    ``line_names``, id -> name; an unknown id is shown as it is). The claim id
    column stays: analysts copy it (``python -m geo claims history c001``).
    """
    out = view.copy()
    if "stance" in out:
        out["stance"] = labels("stance", out["stance"])
    if "reference line" in out:
        names = line_names or {}
        out["reference line"] = [names.get(v, v) if v else "" for v in out["reference line"].fillna("")]
    return out
