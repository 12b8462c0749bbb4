"""From prose to proposed claims: figures with units, dates, the extractor and its scoring.

The pipeline of :func:`extract`, one module per step:

- :mod:`geo.text.sentences`: cut the text into sentences;
- :mod:`geo.text.quantities`: figures with a unit of area or length (units from :mod:`geo.units`);
- :mod:`geo.text.figures`: which figures are claims, their kind and dimension;
- :mod:`geo.text.qualifiers`: the qualifier read from the words before a figure;
- :mod:`geo.text.measures`: the words right around a figure that say what it measures (not ground,
  the breadth of a front, the depth or width of an advance, a country's own area);
- :mod:`geo.text.depths`, :mod:`geo.text.incursions`, :mod:`geo.text.zones`, :mod:`geo.text.ellipsis`: a depth
  named by a noun, how far into the other side, what a zone's figure measures, a verb left out of a clause;
- :mod:`geo.text.conversions`: a conversion in brackets, checked against its figure;
- :mod:`geo.text.actors`: who asserts the claim and who is said to have acted;
- :mod:`geo.text.gazetteer`: reference phrases (``data/aliases.csv``) and places
  (``data/settlements.csv``);
- :mod:`geo.text.dates`: event dates; :mod:`geo.text.periods`: the period of a change;
- :mod:`geo.text.extract`: the pipeline and its result, :class:`Proposal`.

:mod:`geo.text.evaluate` scores the extractor on a labelled set and :mod:`geo.text.rewrites` rewrites a
sentence in ways that keep its claims, to find rules tied to one wording (neither is imported here).

Examples
--------
>>> p = extract("Rebels seized 500 sq km, Kiev said.", "2015-01-21")[0]
>>> (p.kind, p.value_km2, p.actor)
('area', 500.0, 'Kiev')
"""

from geo.text.actors import ACTORS, PERSONS, find_actor_target, find_actors
from geo.text.dates import date_candidates, find_event_date, nearest_date, to_date
from geo.text.extract import JSON_KEYS, LEGACY_JSON_KEYS, MAX_CLAIMS_PER_SENTENCE, Proposal, extract
from geo.text.figures import (
    CONVERSION_TOLERANCE,
    DIMENSIONS,
    KIND_AREA,
    KIND_DISTANCE,
    KIND_WITHDRAWAL,
    QUALIFIER_DETAILS,
    find_qualifier,
    qualifier_detail,
)
from geo.text.gazetteer import ALIASES_PATH, SETTLEMENTS_PATH, Alias, Gazetteer, find_reference, load_aliases
from geo.text.periods import find_period
from geo.text.quantities import Quantity, find_quantities, parse_number
from geo.text.sentences import MAX_SENTENCE_CHARS, split_sentences

__all__ = [
    "ACTORS",
    "ALIASES_PATH",
    "CONVERSION_TOLERANCE",
    "DIMENSIONS",
    "JSON_KEYS",
    "KIND_AREA",
    "KIND_DISTANCE",
    "KIND_WITHDRAWAL",
    "LEGACY_JSON_KEYS",
    "MAX_CLAIMS_PER_SENTENCE",
    "MAX_SENTENCE_CHARS",
    "PERSONS",
    "QUALIFIER_DETAILS",
    "SETTLEMENTS_PATH",
    "Alias",
    "Gazetteer",
    "Proposal",
    "Quantity",
    "date_candidates",
    "extract",
    "find_actor_target",
    "find_actors",
    "find_event_date",
    "find_period",
    "find_quantities",
    "find_qualifier",
    "find_reference",
    "load_aliases",
    "nearest_date",
    "parse_number",
    "qualifier_detail",
    "split_sentences",
    "to_date",
]
