"""Propose structured claims from prose: figure, unit, qualifier, line, actor, date, places.

The pipeline for one text:

1. :func:`geo.text.sentences.split_sentences` cuts the text into sentences, not at the full stops
   of abbreviations ("sq.", "km.", "Mr.", "U.S.", "Jan."); a run longer than
   :data:`geo.text.sentences.MAX_SENTENCE_CHARS` is cut at a comma or blank, so that the work per
   sentence is bounded and a whole text takes linear time.
2. In each sentence :func:`geo.text.quantities.find_quantities` finds figures with a
   unit of area or length. A sentence gives a claim only when it also speaks of
   territory changing hands or being held (seize, capture, gain, lose, hold,
   control, occupy, liberate, advance, withdraw, pull back, buffer zone...);
   figures for casualties, calibres, money or counts have no such unit and are
   never proposed (:mod:`geo.text.figures`). A distance that only locates a place ("20 km north of
   Donetsk", "30 km away from Donetsk", "within 1 km of", "withdrew from Khiam, a town 6 km
   from the border"), a length of trenches, roads or a front, a zone's length along itself, a
   weapon's range, and the size of a whole country are not claims (:mod:`geo.text.measures`).
   Every other figure is its own claim (several per sentence, each with its
   span); a bracketed conversion ("500 sq km (194 sq mi)") is checked, not
   proposed.
3. The claim's ``kind`` is ``area`` for a surface, ``withdrawal_distance`` for a
   length in a sentence about pulling back or a buffer/security zone, and
   ``distance`` for a length in a sentence about an advance or ground held; a
   length's ``dimension`` is ``depth``, ``width``, ``length`` or ``withdrawal``.
4. The interval (``value_min``/``value_max``) comes from ranges ("300-400",
   "between 300 and 400", "from 10 to 15", "600 metres to 1,000 metres"), the
   period of the change from :func:`geo.text.periods.find_period` ("in 2024", "since
   January", "over the past week"), both resolved against the publication date.
   The qualifier is read from the words just before the figure, the reference
   phrase from the alias table ``data/aliases.csv`` (longest phrase first; the
   line id chosen by the ``valid_from``/``valid_to`` columns against the event
   date, or the publication date when the sentence gives none), the actor from
   the speech verb (:mod:`geo.text.actors`; "Kiev accused", "according to NATO", "..., Lavrov said") and
   the target from "accused X of", "by X" or the party named before the action
   verb, the event date with :func:`geo.text.dates.find_event_date`, and places from the
   gazetteer (``data/settlements.csv``, loaded lazily; :mod:`geo.text.gazetteer`).

Nothing here touches the network, and :func:`extract` never raises on a string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.text.actors import ActorTable, actor_table, find_actor_target, find_actors
from geo.text.dates import date_candidates, nearest_date, to_date
from geo.text.figures import (
    Cues,
    classify,
    conversion_warning,
    dimension_of,
    find_qualifier,
    is_claim_figure,
    qualifier_detail,
)
from geo.text.gazetteer import Alias, Gazetteer, alias_patterns, as_aliases, as_gazetteer, find_reference
from geo.text.periods import find_period
from geo.text.quantities import Quantity, find_quantities
from geo.text.sentences import split_sentences
from geo.units import AREA

__all__ = ["JSON_KEYS", "LEGACY_JSON_KEYS", "MAX_CLAIMS_PER_SENTENCE", "Proposal", "extract"]


#: The keys of a proposal written out as JSON, in this order.
JSON_KEYS = (
    "sentence",
    "kind",
    "value",
    "unit",
    "value_km2",
    "value_km",
    "qualifier",
    "reference",
    "reference_line",
    "actor",
    "target",
    "event_date",
    "places",
    "value_min",
    "value_max",
    "qualifier_detail",
    "dimension",
    "period_start",
    "period_end",
)
#: The first thirteen keys, in the order the command line has always printed them.
LEGACY_JSON_KEYS = JSON_KEYS[:13]


@dataclass
class Proposal:
    """A claim proposed from one sentence, for an analyst to confirm.

    The first thirteen attributes are the legacy JSON keys; ``value_min`` /
    ``value_max`` (the interval as written), ``qualifier_detail``
    (:data:`geo.text.figures.QUALIFIER_DETAILS`), ``dimension``
    (:data:`geo.text.figures.DIMENSIONS`, lengths only) and
    ``period_start``/``period_end`` (of the change) are JSON keys too; ``span``
    (of the figure, relative to the sentence), ``start``/``end`` (of the sentence
    in the text) and ``warnings`` exist only on the Python object.
    """

    sentence: str
    kind: str
    value: float
    unit: str
    value_km2: float | None
    value_km: float | None
    qualifier: str = ""
    reference: str = ""
    reference_line: str = ""
    actor: str = ""
    target: str = ""
    event_date: dt.date | None = None
    places: list[dict[str, Any]] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    start: int = 0
    end: int = 0
    value_max: float | None = None
    warnings: list[str] = field(default_factory=list)
    qualifier_detail: str = ""
    dimension: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None

    @property
    def value_min(self) -> float:
        """The lower bound of the figure as written (the figure itself when not a range)."""
        return self.value

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON keys (:data:`JSON_KEYS`), dates as ISO strings, missing numbers as ``None``."""
        out = {k: getattr(self, k) for k in JSON_KEYS}
        for k in ("event_date", "period_start", "period_end"):
            out[k] = out[k].isoformat() if out[k] else None
        out["places"] = [dict(p) for p in self.places]
        return out


#: Most claims proposed from one sentence (a longer list is a table, not prose).
MAX_CLAIMS_PER_SENTENCE = 12


def _extract_sentence(
    sentence: str,
    published: dt.date,
    aliases: list[Alias],
    gazetteer: Gazetteer,
    alias_patterns: list[tuple[str, re.Pattern[str]]] | None = None,
    actors: ActorTable | None = None,
) -> list[Proposal]:
    """Every claim of one sentence: each figure that states ground, skipping bracketed conversions."""
    quantities = find_quantities(sentence)
    if not quantities:
        return []
    cues = Cues.of(sentence)
    chosen: list[tuple[Quantity, str, str | None]] = []
    skip: set[int] = set()
    for i, q in enumerate(quantities):
        if i in skip:
            continue
        warning, conv = conversion_warning(sentence, q, quantities[i + 1 : i + 2])
        if conv is not None:
            skip.add(i + 1)
        kind = classify(sentence, q, cues)
        if is_claim_figure(sentence, q, kind):
            chosen.append((q, kind, warning))
    if not chosen:
        return []
    patterns = alias_patterns(tuple(aliases)) if alias_patterns is None else alias_patterns
    reference, _line, ref_span = find_reference(sentence, None, aliases, patterns)
    places = gazetteer.find(sentence)
    period_start, period_end = find_period(sentence, published)
    dates = date_candidates(sentence, published, [ref_span] if ref_span else [])
    mentions = find_actors(sentence, actors)
    lines: dict[dt.date, tuple[str, str]] = {}
    party_cache: dict[Any, Any] = {}
    out = []
    for q, kind, warning in chosen[:MAX_CLAIMS_PER_SENTENCE]:
        event_date, _ = nearest_date(dates, q.start)
        when = event_date or published
        if ref_span is None:
            lines[when] = ("", "")  # no phrase at all: no line at any date either
        elif when not in lines:
            reference, reference_line, _ = find_reference(sentence, when, aliases, patterns)
            lines[when] = (reference, reference_line)
        reference, reference_line = lines[when]
        actor, target = find_actor_target(sentence, q.start, mentions, party_cache)
        is_area = q.dimension == AREA
        before = sentence[: q.start]
        stored = find_qualifier(before)
        out.append(
            Proposal(
                sentence=sentence,
                kind=kind,
                value=q.value,
                unit=q.unit,
                value_km2=q.in_base if is_area else None,
                value_km=None if is_area else q.in_base,
                qualifier=stored,
                reference=reference,
                reference_line=reference_line,
                actor=actor,
                target=target,
                event_date=event_date,
                places=[dict(x) for x in places],
                span=(q.start, q.end),
                value_max=q.value_max,
                warnings=[warning] if warning else [],
                qualifier_detail=qualifier_detail(before, stored, q.value_max is not None),
                dimension=dimension_of(sentence, q, kind),
                period_start=period_start,
                period_end=period_end,
            )
        )
    return out


def extract(
    text: str,
    published: dt.date | str,
    source: str | None = None,
    aliases: Any = None,
    gazetteer: Any = None,
    actors: ActorTable | Iterable[str | Path] | None = None,
) -> list[Proposal]:
    """Propose claims found in ``text``.

    Parameters
    ----------
    text : str
        Article, statement or paragraph as pasted by the analyst.
    published : datetime.date or str
        Publication date (ISO ``YYYY-MM-DD`` string accepted); relative dates
        ("on Tuesday", "yesterday") are resolved against it.
    source : str, optional
        Source URL or id; kept for the caller, it does not change the result.
    aliases : path, iterable of Alias or dicts, optional
        Reference phrase table; default ``data/aliases.csv``.
    gazetteer : Gazetteer, DataFrame or iterable of dicts, optional
        Settlements with ``name``, ``name_alt``, ``lon``, ``lat``; default
        ``data/settlements.csv`` when present, else no places are found.
    actors : ActorTable or iterable of paths, optional
        Who may assert or act: by default the shipped actors tables; paths of
        more tables (a user theatre's ``actors.csv``) add their actors
        (:func:`geo.text.actors.actor_table`).

    Returns
    -------
    list of Proposal
        One per figure that states a territorial claim (a sentence may give
        several, each with its own span), in text order.

    Raises
    ------
    ValueError
        For a bad ``published`` date; any ``text`` string is accepted.
    geo.errors.DataFileError
        If an alias file given (or ``data/aliases.csv``) is malformed.

    Examples
    --------
    >>> seed = ("Kiev accused separatists on Tuesday of seizing more than 500 sq km "
    ...         "(194 sq mi) of territory beyond agreed separation lines")
    >>> p = extract(seed, "2015-01-21")[0]
    >>> (p.kind, p.value_km2, p.qualifier, p.reference_line, p.actor, p.target)
    ('area', 500.0, 'more_than', 'minsk_2014_09_19', 'Kiev', 'separatists')
    """
    pub = to_date(published)
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    alias_rows = as_aliases(aliases)
    patterns = alias_patterns(tuple(alias_rows))
    gaz = as_gazetteer(gazetteer)
    table = actors if isinstance(actors, ActorTable) else actor_table(actors or ())
    proposals: list[Proposal] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        try:
            found = _extract_sentence(sentence, pub, alias_rows, gaz, patterns, table)
        except (
            ValueError,
            ArithmeticError,
            IndexError,
            KeyError,
            re.error,
        ):  # never raise on text
            found = []
        for p in found:
            p.start, p.end = start, end
            proposals.append(p)
    return proposals
