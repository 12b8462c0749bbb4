"""From extractor proposals to registry claims: editable rows, records, highlights.

:func:`geo.text.extract.extract` proposes claims from prose; the analyst edits the
proposals as table rows and saves the ticked ones. This module turns a
:class:`geo.text.extract.Proposal` into such a row (:func:`proposal_row`), a row
plus the source fields into a claim record for
:meth:`geo.claims.store.Store.add_claims` (:func:`row_to_record`), saves the ticked
rows all or none (:func:`save_rows`), and renders a sentence with its figure
marked (:func:`highlight_html`, every piece escaped).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from geo import schema as S
from geo.cells import cell_text
from geo.claims.theatre_rules import default_sides
from geo.errors import DataFileError, ValidationError
from geo.html import esc
from geo.text import Proposal
from geo.text.actors import ACTOR_PARTIES, ActorTable, actor_table

#: Column of the editable table telling whether a row is saved.
SAVE = "save"
#: Read-only columns of the editable table.
SENTENCE = "sentence"
TARGET = "target"
WARNINGS = "warnings"
REFERENCE = "reference"
#: Columns stored in the claim's own fields (the interval's upper bound, dimension, period).
VALUE_MAX = S.CLAIM_VALUE_MAX
DIMENSION = S.CLAIM_DIMENSION
PERIOD_START = S.CLAIM_PERIOD_START
PERIOD_END = S.CLAIM_PERIOD_END
#: Column for what the registry has no field of its own for: saved in the claim's notes.
QUALIFIER_DETAIL = "qualifier_detail"

#: Columns of an editable row, in display order.
ROW_COLUMNS = (
    SAVE,
    SENTENCE,
    S.CLAIM_KIND,
    S.CLAIM_VALUE,
    VALUE_MAX,
    S.CLAIM_UNIT,
    S.CLAIM_VALUE_KM2,
    S.CLAIM_VALUE_KM,
    S.CLAIM_QUALIFIER,
    QUALIFIER_DETAIL,
    DIMENSION,
    PERIOD_START,
    PERIOD_END,
    REFERENCE,
    S.CLAIM_REFERENCE_LINE,
    S.CLAIM_ACTOR,
    TARGET,
    S.CLAIM_PARTY,
    S.CLAIM_SIDE,
    S.CLAIM_STANCE,
    S.CLAIM_EVENT_DATE,
    WARNINGS,
)


#: Parties a proposal may name: the party ids of the actors tables (:mod:`geo.text.actors`), and "" (none).
PARTIES = (*dict.fromkeys(ACTOR_PARTIES.values()), "")


def guess_party(target: str, actors: ActorTable | None = None) -> str:
    """The party id (:data:`PARTIES`) the target stands for (the actors tables' ``party`` column), or ``""``.

    A canonical actor is looked up; any other phrase by the first actor it names.

    Parameters
    ----------
    target : str
        Who the sentence says acted, e.g. ``"rebels"`` (a canonical actor) or ``"the DNR"``.
    actors : ActorTable, optional
        The actors to look in (a theatre's own with the shipped ones); default the shipped ones.

    Returns
    -------
    str

    Examples
    --------
    >>> guess_party("rebels"), guess_party("pro-Russian rebels"), guess_party("OSCE"), guess_party("")
    ('separatists', 'separatists', '', '')
    """
    return (actors or actor_table()).party_of(target)


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


#: Largest text file accepted on the extract page.
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: Longest text (pasted or uploaded) the extract page analyses: the extractor
#: takes linear time, and this bounds one request to well under a second.
MAX_TEXT_CHARS = 100_000


def check_text_size(text: str, name: str = "the text", *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return ``text`` when it has at most ``max_chars`` characters.

    Raises
    ------
    DataFileError
        Naming ``name``, its length and the limit.

    Examples
    --------
    >>> check_text_size("500 sq km")
    '500 sq km'
    """
    if len(text) > max_chars:
        raise DataFileError(
            f"{name}: {len(text):,} characters is over the {max_chars:,}-character limit; "
            "split it and propose each part"
        )
    return text


def decode_text(data: bytes, filename: str, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Decode an uploaded text file: UTF-8 (a BOM is dropped), size-limited.

    Raises
    ------
    DataFileError
        Over ``max_bytes``, or not UTF-8 (naming the offset of the first bad byte).

    Examples
    --------
    >>> decode_text("Київ".encode(), "a.txt")
    'Київ'
    """
    if len(data) > max_bytes:
        raise DataFileError(f"{filename}: {len(data):,} bytes is over the {max_bytes:,}-byte limit")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{filename}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8 and upload again"
        ) from None


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """``"2024-05-24 – 2024-05-31"`` for a period, ``""`` when there is none.

    Examples
    --------
    >>> period_text(dt.date(2024, 1, 1), dt.date(2024, 5, 31))
    '2024-01-01 – 2024-05-31'
    """
    if start is None or end is None:
        return ""
    return f"{start.isoformat()} – {end.isoformat()}"


def proposal_row(p: Proposal, actors: ActorTable | None = None) -> dict[str, Any]:
    """An editable table row (:data:`ROW_COLUMNS`) for one proposal, not ticked.

    ``party`` is guessed from the target (in ``actors``, default the shipped
    actors); ``side`` (who holds the ground beyond the line) defaults to it
    when it is a side; stance is ``asserts``.
    """
    party = guess_party(p.target, actors)
    return {
        SAVE: False,
        SENTENCE: p.sentence,
        S.CLAIM_KIND: p.kind,
        S.CLAIM_VALUE: _num(p.value),
        VALUE_MAX: _num(p.value_max),
        S.CLAIM_UNIT: p.unit,
        S.CLAIM_VALUE_KM2: _num(p.value_km2),
        S.CLAIM_VALUE_KM: _num(p.value_km),
        S.CLAIM_QUALIFIER: p.qualifier,
        QUALIFIER_DETAIL: p.qualifier_detail,
        DIMENSION: p.dimension,
        PERIOD_START: p.period_start,
        PERIOD_END: p.period_end,
        REFERENCE: p.reference,
        S.CLAIM_REFERENCE_LINE: p.reference_line,
        S.CLAIM_ACTOR: p.actor,
        TARGET: p.target,
        S.CLAIM_PARTY: party,
        S.CLAIM_SIDE: party if party in default_sides() else "",
        S.CLAIM_STANCE: S.STANCES[0],
        S.CLAIM_EVENT_DATE: p.event_date,
        WARNINGS: "; ".join(p.warnings),
    }


def source_record(
    *,
    publisher: str,
    title: str = "",
    url: str = "",
    published: dt.date | str | None = None,
    language: str = "",
    source_kind: str = S.SOURCE_KINDS[0],
) -> dict[str, str]:
    """The inline source fields a claim record carries (validated by the store)."""
    pub = published.isoformat() if isinstance(published, dt.date) else (published or "")
    fields = {
        S.SOURCE_PUBLISHER: publisher,
        S.SOURCE_TITLE: title,
        S.SOURCE_URL: url,
        S.SOURCE_PUBLISHED: pub,
        S.SOURCE_LANGUAGE: language,
        S.SOURCE_KIND: source_kind,
    }
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def _text(value: Any) -> str:
    return cell_text(value).strip()


def _date(value: Any) -> str:
    if _text(value) == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(value)[:10]


def row_to_record(row: Mapping[str, Any], source: Mapping[str, Any], *, proposal: Proposal | None = None) -> dict:
    """A claim record for :meth:`geo.claims.store.Store.add_claims` from an edited row.

    Parameters
    ----------
    row : mapping
        An edited row (:data:`ROW_COLUMNS`).
    source : mapping
        Inline source fields (:func:`source_record`).
    proposal : Proposal, optional
        The proposal the row came from: when the figure and unit were not
        edited, its normalised ``value_km2``/``value_km`` are kept (they cover
        units the registry does not convert itself); otherwise the registry
        converts the edited figure.

    Returns
    -------
    dict
        Claim columns plus the inline source; the quote is the sentence; the
        interval (``value`` .. ``value_max``), dimension and period of the
        change go to the claim's own fields; the notes say the claim was
        extracted and carry the reference phrase, target, qualifier as read,
        places and warnings.
    """
    value = _num(row.get(S.CLAIM_VALUE))
    unit = _text(row.get(S.CLAIM_UNIT))
    kind = _text(row.get(S.CLAIM_KIND))
    record: dict[str, Any] = {
        S.CLAIM_QUOTE: _text(row.get(SENTENCE)),
        S.CLAIM_ACTOR: _text(row.get(S.CLAIM_ACTOR)),
        S.CLAIM_PARTY: _text(row.get(S.CLAIM_PARTY)),
        S.CLAIM_STANCE: _text(row.get(S.CLAIM_STANCE)) or S.STANCES[0],
        S.CLAIM_KIND: kind,
        S.CLAIM_VALUE: value,
        S.CLAIM_UNIT: unit,
        S.CLAIM_QUALIFIER: _text(row.get(S.CLAIM_QUALIFIER)),
        S.CLAIM_REFERENCE_LINE: _text(row.get(S.CLAIM_REFERENCE_LINE)),
        S.CLAIM_SIDE: _text(row.get(S.CLAIM_SIDE)),
        S.CLAIM_EVENT_DATE: _date(row.get(S.CLAIM_EVENT_DATE)),
        S.CLAIM_VALUE_MIN: value,
        S.CLAIM_VALUE_MAX: _num(row.get(VALUE_MAX)),
        S.CLAIM_DIMENSION: "" if kind == "area" else _text(row.get(DIMENSION)),
        S.CLAIM_PERIOD_START: _date(row.get(PERIOD_START)),
        S.CLAIM_PERIOD_END: _date(row.get(PERIOD_END)),
    }
    unchanged = (
        proposal is not None
        and value is not None
        and _num(proposal.value) is not None
        and math.isclose(value, float(proposal.value))
        and unit == proposal.unit
        and kind == proposal.kind
    )
    if unchanged:
        if kind == "area" and _num(proposal.value_km2) is not None:
            record[S.CLAIM_VALUE_KM2] = float(proposal.value_km2)
        if kind != "area" and _num(proposal.value_km) is not None:
            record[S.CLAIM_VALUE_KM] = float(proposal.value_km)
    notes = ["extracted from text"]
    if _text(row.get(REFERENCE)):
        notes.append(f"reference phrase: {_text(row.get(REFERENCE))}")
    if _text(row.get(TARGET)):
        notes.append(f"target: {_text(row.get(TARGET))}")
    if _text(row.get(QUALIFIER_DETAIL)):
        notes.append(f"qualifier as read: {_text(row.get(QUALIFIER_DETAIL))}")
    if proposal is not None:
        if proposal.places:
            notes.append("places: " + ", ".join(str(p.get("name", "")) for p in proposal.places))
    if _text(row.get(WARNINGS)):
        notes.append(f"warnings: {_text(row.get(WARNINGS))}")
    record[S.CLAIM_NOTES] = "; ".join(notes)
    record.update({k: v for k, v in source.items() if _text(v)})
    return record


def selected_records(
    rows: Sequence[Mapping[str, Any]],
    source: Mapping[str, Any],
    proposals: Sequence[Proposal] | None = None,
) -> tuple[list[dict], list[int]]:
    """Records of the ticked rows, and each one's 1-based row number in ``rows``."""
    records, numbers = [], []
    for i, row in enumerate(rows):
        if not bool(row.get(SAVE)):
            continue
        p = proposals[i] if proposals is not None and i < len(proposals) else None
        records.append(row_to_record(row, source, proposal=p))
        numbers.append(i + 1)
    return records, numbers


def save_rows(
    store: Any,
    rows: Sequence[Mapping[str, Any]],
    source: Mapping[str, Any],
    user: str,
    proposals: Sequence[Proposal] | None = None,
    *,
    theatre: str | None = None,
) -> list[str]:
    """Store the ticked rows as claims of ``theatre`` (default the store's) with the source attached, all or none.

    Returns
    -------
    list of str
        The new claim ids (empty when no row is ticked).

    Raises
    ------
    ValidationError
        Naming the table row (1-based, as shown) and the field; nothing stored.
    """
    records, numbers = selected_records(rows, source, proposals)
    if not records:
        return []
    try:
        return store.add_claims(records, user, theatre=theatre)
    except ValidationError as exc:
        if exc.row is None or not 1 <= exc.row <= len(numbers):
            raise
        message = str(exc).split(": ", 1)[1] if ": " in str(exc) else str(exc)
        raise ValidationError(message, field=exc.field, row=numbers[exc.row - 1]) from None


_MARKDOWN_RE = re.compile(r"[*_\[\]#~|!{}]")


def _inert(text: str) -> str:
    """Escape HTML and markdown punctuation, and fold line breaks to spaces."""
    text = re.sub(r"\s+", " ", text)
    out, last = [], 0
    for m in _MARKDOWN_RE.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append(f"&#{ord(m.group(0))};")
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def highlight_html(sentence: str, span: tuple[int, int]) -> str:
    """The sentence as one HTML block with ``span`` wrapped in ``<mark>``.

    Every piece of text is escaped (HTML, template-literal and markdown
    characters) and line breaks become spaces, so the block is safe for
    ``st.markdown(..., unsafe_allow_html=True)``. A span outside the sentence
    marks nothing.

    Examples
    --------
    >>> highlight_html("took <b>500 sq km</b>", (8, 17))
    '<div class="proposal-sentence">took &lt;b&gt;<mark>500 sq km</mark>&lt;/b&gt;</div>'
    """
    sentence = "" if sentence is None else str(sentence)
    a, b = (int(span[0]), int(span[1])) if span else (0, 0)
    if not 0 <= a < b <= len(sentence):
        return f'<div class="proposal-sentence">{_inert(sentence)}</div>'
    return (
        f'<div class="proposal-sentence">{_inert(sentence[:a])}'
        f"<mark>{_inert(sentence[a:b])}</mark>{_inert(sentence[b:])}</div>"
    )
