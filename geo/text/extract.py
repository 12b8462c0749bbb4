"""Propose structured claims from prose: figure, unit, qualifier, line, actor, date, places.

The pipeline for one text:

1. :func:`split_sentences` cuts the text into sentences, not at the full stops
   of abbreviations ("sq.", "km.", "Mr.", "U.S.", "Jan."); a run longer than
   :data:`MAX_SENTENCE_CHARS` is cut at a comma or blank, so that the work per
   sentence is bounded and a whole text takes linear time.
2. In each sentence :func:`geo.text.quantities.find_quantities` finds figures with a
   unit of area or length. A sentence gives a claim only when it also speaks of
   territory changing hands or being held (seize, capture, gain, lose, hold,
   control, occupy, liberate, advance, withdraw, pull back, buffer zone...);
   figures for casualties, calibres, money or counts have no such unit and are
   never proposed. A distance that only locates a place ("20 km north of
   Donetsk", "30 km away from Donetsk", "within 1 km of"), a length of
   trenches, roads or a front, and the size of a whole country are not claims.
   Every other figure is its own claim (several per sentence, each with its
   span); a bracketed conversion ("500 sq km (194 sq mi)") is checked, not
   proposed.
3. The claim's ``kind`` is ``area`` for a surface, ``withdrawal_distance`` for a
   length in a sentence about pulling back or a buffer/security zone, and
   ``distance`` for a length in a sentence about an advance or ground held; a
   length's ``dimension`` is ``depth``, ``width``, ``length`` or ``withdrawal``.
4. The interval (``value_min``/``value_max``) comes from ranges ("300-400",
   "between 300 and 400", "from 10 to 15", "600 metres to 1,000 metres"), the
   period of the change from :func:`geo.text.dates.find_period` ("in 2024", "since
   January", "over the past week"), both resolved against the publication date.
   The qualifier is read from the words just before the figure, the reference
   phrase from the alias table ``data/aliases.csv`` (longest phrase first; the
   line id chosen by the ``valid_from``/``valid_to`` columns against the event
   date, or the publication date when the sentence gives none), the actor from
   the speech verb ("Kiev accused", "according to NATO", "..., Lavrov said") and
   the target from "accused X of", "by X" or the party named before the action
   verb, the event date with :func:`geo.text.dates.find_event_date`, and places from the
   gazetteer (``data/settlements.csv``, loaded lazily).

Nothing here touches the network, and :func:`extract` never raises on a string.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo import schema
from geo.config import DATA_DIR, SETTLEMENTS_FILE
from geo.text.dates import date_candidates, find_period, nearest_date, to_date
from geo.text.quantities import AREA, LENGTH, Quantity, find_quantities

ALIASES_PATH = DATA_DIR / "aliases.csv"
SETTLEMENTS_PATH = SETTLEMENTS_FILE

KIND_AREA = "area"
KIND_DISTANCE = "distance"
KIND_WITHDRAWAL = "withdrawal_distance"

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

#: Qualifiers of a figure as the extractor reads them (the stored ``qualifier``
#: keeps the registry's vocabulary, :data:`geo.schema.QUALIFIERS`).
QUALIFIER_DETAILS = ("about", "more_than", "at_least", "up_to", "at_most", "range", "exact", "")
#: What a length measures.
DIMENSIONS = ("depth", "width", "length", "distance", "withdrawal", "")

#: Relative tolerance when checking a parenthesised conversion ("500 sq km (194 sq mi)").
CONVERSION_TOLERANCE = 0.03


@dataclass
class Proposal:
    """A claim proposed from one sentence, for an analyst to confirm.

    The first thirteen attributes are the legacy JSON keys; ``value_min`` /
    ``value_max`` (the interval as written), ``qualifier_detail``
    (:data:`QUALIFIER_DETAILS`), ``dimension`` (:data:`DIMENSIONS`, lengths only) and
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


# --- sentence splitting -----------------------------------------------------
_ABBREVIATIONS = {
    "sq",
    "km",
    "mi",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "st",
    "mt",
    "no",
    "nos",
    "vs",
    "approx",
    "ca",
    "est",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "corp",
    "ltd",
    "co",
    "dept",
    "gov",
    "sen",
    "rep",
    "pres",
    "ft",
    "kv",
    "кв",
    "тис",
    "тыс",
    "ст",
    "пл",
    "ім",
    "им",
    "р",
    "г",
    "с",
    "м",
}
_BOUNDARY_RE = re.compile(r"(?<![.!?…])([.!?…]++)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-ZА-ЯІЇЄҐ0-9])|\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cut text into sentences.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (start, end)
        Character spans of the sentences (stripped of surrounding blanks).

    Examples
    --------
    >>> t = "Mr. Lavrov spoke. Rebels took 500 sq. km. Kiev disagreed."
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Mr. Lavrov spoke.', 'Rebels took 500 sq. km.', 'Kiev disagreed.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group(1) is not None and m.group(1) == ".":
            # only the word before the stop matters: a bounded look-back keeps a
            # long run of abbreviations ("sq. km. sq. km. ...") linear
            before = text[max(start, m.start() - 40) : m.start()]
            word = re.search(r"([\w.]+)$", before)
            token = word.group(1).lower() if word else ""
            last = token.split(".")[-1] if token else ""
            if last in _ABBREVIATIONS:
                # "sq. km" or "500 sq. km. Kiev...": an abbreviation ends a
                # sentence only when a capitalised non-unit word follows
                nxt = text[m.end() : m.end() + 12]
                if last not in ("km", "mi") or re.match(r"(?:km|mi|kilomet|miles)", nxt, re.IGNORECASE):
                    continue
            if re.fullmatch(r"(?:[a-zа-я]\.)*[a-zа-я]", token) and len(last) == 1:
                continue  # initials and U.S., U.N.
        end = m.start() + (len(m.group(1) or "") + len(m.group(2) or "") if m.group(1) else 0)
        _push(text, start, end, spans)
        start = m.end()
    _push(text, start, len(text), spans)
    return [piece for span in spans for piece in _bounded(text, span)]


#: Longest sentence analysed as one: a longer run (a paste without full stops)
#: is cut at the last ";", "," or blank before this many characters, so that
#: the work per sentence is bounded and the whole text takes linear time.
MAX_SENTENCE_CHARS = 1000


def _bounded(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Cut one sentence span into pieces of at most :data:`MAX_SENTENCE_CHARS`."""
    a, b = span
    out: list[tuple[int, int]] = []
    while b - a > MAX_SENTENCE_CHARS:
        window = text[a : a + MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < MAX_SENTENCE_CHARS // 2:
            cut = window.rfind(" ")
        if cut < MAX_SENTENCE_CHARS // 2:
            cut = MAX_SENTENCE_CHARS - 1
        piece = text[a : a + cut + 1].strip()
        if piece:
            lead = len(text[a : a + cut + 1]) - len(text[a : a + cut + 1].lstrip())
            out.append((a + lead, a + lead + len(piece)))
        a += cut + 1
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        out.append((a, b))
    return out


def _push(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    seg = text[a:b]
    stripped = seg.strip()
    if stripped:
        lead = len(seg) - len(seg.lstrip())
        spans.append((a + lead, a + lead + len(stripped)))


# --- cues ---------------------------------------------------------------------
_TERRITORY_CUE = re.compile(
    r"\b(?:seiz\w*|captur\w*|recaptur\w*|gain\w*|los[te]\w*|lose|losing|took|tak(?:e|en|es|ing)|"
    r"retak\w*|retook|hold\w*|held|control\w*|occup\w*|liberat\w*|freed|free(?:d|ing)?|"
    r"reclaim\w*|regain\w*|annex\w*|grab\w*|overr?an|overrun|conquer\w*|territor\w*|land|"
    r"ground|advanc\w*|push\w*|withdr[ae]w\w*|pull\w*|retreat\w*|cede\w*|ceding|"
    r"buffer|seized|expand\w*|cleared|de-?occup\w*|counter-?offensive|offensive|"
    r"shr[ai]nk|shrunk|reduced\s+to|incursion|intru\w*|penetrat\w*|"
    r"звільн\w*|захопи\w*|захопл\w*|захоплено|окуп\w*|контрол\w*|відвед\w*|відвест\w*|"
    r"занима\w*|занял\w*|взял\w*|взят\w*|просун\w*|просува\w*|продвину\w*|продвига\w*|відвел\w*|отвел\w*|"
    r"освобо\w*|захват\w*|захвач\w*|оккуп\w*|отвод\w*|отвест\w*|отошл\w*|територ\w*|территор\w*)",
    re.IGNORECASE,
)
_WITHDRAWAL_CUE = re.compile(
    r"\b(?:withdr[ae]w\w*|pull(?:ed|ing|s)?[\s-]+(?:back|out)|pullback|pull-back|"
    r"buffer|security\s+zone|demilitari[sz]\w*|heavy\s+weapons|disengage\w*|"
    r"mov\w*\s+(?:[\w-]+\s+){0,4}back|away\s+from|remov(?:ed|al)\s+(?:[\w-]+\s+){0,3}(?:to|from)|"
    r"відвед\w*|відвест\w*|відвел\w*|буферн\w*|безпеки|отвод\w*|отвест\w*|отвел\w*|безопасности)",
    re.IGNORECASE,
)
_ADVANCE_CUE = re.compile(
    r"\b(?:advanc\w*|push\w*|moved|deep|depth|penetrat\w*|intru\w*|incursion|breakthrough|broke\s+through|"
    r"gain\w*|captur\w*|seiz\w*|liberat\w*|recaptur\w*|retak\w*|retook|took|taken|"
    r"control\w*|held|hold\w*|occup\w*|retreat\w*|forward|просун\w*|продвину\w*|"
    r"звільн\w*|освобо\w*|захопи\w*|захват\w*|контрол\w*)",
    re.IGNORECASE,
)
# a figure that only locates something: "20 km north of Donetsk", "km from", "km away"
_LOCATION_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?"
    r"(?:to\s+the\s+(?:north|south|east|west)(?:-?(?:east|west))?\s+of|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?(?!\s*(?:in|over|within)\s)|"
    r"[NSEW]{1,3}|outside|away|from|off|long|high|wide\s+river|on\s+foot|of\s+(?:the\s+)?(?:city|town|village))\b"
    r"|\s*(?:на\s+)?(?:північ|південь|схід|захід|север|юг|восток|запад)\w*",
    re.IGNORECASE,
)

_COMPASS_AFTER = re.compile(
    r"\s*(?:to\s+the\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|[NSEW]{1,3}\s+of)\b"
    r"|\s*(?:на\s+)?(?:північ|південь|схід|захід|север|юг|восток|запад)\w*",
    re.IGNORECASE,
)

# --- qualifiers -----------------------------------------------------------------
_QUALIFIERS: list[tuple[str, str]] = [
    (
        r"no\s+more\s+than|not\s+more\s+than|at\s+most|no\s+(?:greater|further)\s+than|a\s+maximum\s+of|"
        r"не\s+більше(?:\s+ніж)?|не\s+більш\s+ніж|не\s+более(?:\s+чем)?|не\s+больше",
        "up_to",
    ),
    (
        r"at\s+least|no\s+(?:less|fewer)\s+than|not\s+less\s+than|a\s+minimum\s+of|minimum\s+of|"
        r"щонайменше|не\s+менше(?:\s+ніж)?|не\s+менее|как\s+минимум|по\s+меньшей\s+мере|минимум",
        "at_least",
    ),
    (
        (
            r"more\s+than|over|above|in\s+excess\s+of|upwards\s+of|exceeding|beyond|"
            r"понад|більше(?:\s+ніж)?|більш\s+ніж|свыше|более(?:\s+чем)?|больше(?:\s+чем)?"
        ),
        "more_than",
    ),
    (
        (
            r"about|some|around|approximately|roughly|circa|ca\.|an\s+estimated|estimated|"
            r"~|approx\.?|близько|приблизно|майже\s+близько|около|примерно|порядка|почти\s+около"
        ),
        "about",
    ),
    (
        (
            r"nearly|almost|up\s+to|as\s+much\s+as|as\s+many\s+as|close\s+to|as\s+far\s+as|"
            r"майже|до|почти|вплоть\s+до"
        ),
        "up_to",
    ),
    (
        (
            r"less\s+than|under|fewer\s+than|below|no\s+more\s+than|not\s+more\s+than|"
            r"менше(?:\s+ніж)?|менее|меньше"
        ),
        "less_than",
    ),
    (r"exactly|precisely|рівно|ровно", "exactly"),
]
_QUALIFIER_RES = [
    (re.compile(r"(?:^|[\s(,])(?:" + p + r")\s*(?:the\s+|of\s+)?$", re.IGNORECASE), q) for p, q in _QUALIFIERS
]


_AT_MOST_RE = re.compile(
    r"(?:^|[\s(,])(?:no\s+more\s+than|not\s+more\s+than|at\s+most|no\s+(?:greater|further)\s+than|"
    r"a\s+maximum\s+of|не\s+більше(?:\s+ніж)?|не\s+більш\s+ніж|не\s+более(?:\s+чем)?|не\s+больше)\s*$",
    re.IGNORECASE,
)
_DETAIL_OF = {"more_than": "more_than", "at_least": "at_least", "about": "about", "up_to": "up_to"}
_DETAIL_OF.update({"less_than": "at_most", "exactly": "exact", "": ""})


def qualifier_detail(before: str, stored: str, is_range: bool) -> str:
    """The qualifier in the extractor's vocabulary (:data:`QUALIFIER_DETAILS`).

    ``range`` for an interval ("300-400 sq km"); ``at_most`` for "no more than",
    "at most", "less than"; ``exact`` for "exactly"; else the stored qualifier.

    Examples
    --------
    >>> qualifier_detail("no more than ", "up_to", False)
    'at_most'
    """
    if is_range:
        return "range"
    if stored == "up_to" and _AT_MOST_RE.search(before[-40:]):
        return "at_most"
    return _DETAIL_OF.get(stored, "")


def find_qualifier(before: str) -> str:
    """The qualifier of a figure from the words just before it.

    Parameters
    ----------
    before : str
        Text immediately before the figure.

    Returns
    -------
    str
        One of :data:`geo.schema.QUALIFIERS`; ``""`` when none.
        "nearly", "almost" and "up to" all give ``up_to`` (the figure is a
        ceiling that is approached, not passed).

    Examples
    --------
    >>> find_qualifier("seizing more than ")
    'more_than'
    """
    tail = before[-40:]
    for rx, q in _QUALIFIER_RES:
        if rx.search(tail):
            return q
    return ""


# --- actors ---------------------------------------------------------------------
#: canonical actor -> spellings (regex) in English, Ukrainian and Russian
ACTORS: dict[str, str] = {
    "Poroshenko": r"(?:President\s+)?(?:Petro\s+)?Poroshenko|Порошенк\w*",
    "Zelensky": r"(?:President\s+)?(?:Volodymyr\s+)?Zelensk[yi]y?|Зеленськ\w*|Зеленск\w*",
    "Putin": r"(?:President\s+)?(?:Vladimir\s+)?Putin|Путін\w*|Путин\w*",
    "Lavrov": r"(?:Sergei\s+|Sergey\s+)?Lavrov|Лавров\w*",
    "Zakharchenko": r"(?:Alexander\s+|Oleksandr\s+)?Zakharchenko|Захарченк\w*",
    "Lysenko": r"(?:Andriy\s+)?Lysenko|Лисенк\w*|Лысенк\w*",
    "Klimkin": r"(?:Pavlo\s+)?Klimkin|Клімкін\w*|Климкин\w*",
    "Stelmakh": r"(?:Anatoly\s+)?Stelmakh",
    "Basurin": r"(?:Eduard\s+)?Basurin|Басурин\w*",
    "Pushilin": r"(?:Denis\s+)?Pushilin|Пушилин\w*",
    "Maliar": r"(?:Hanna\s+)?Maliar|Маляр",
    "Poltorak": r"Poltorak",
    "Syrskyi": r"(?:Oleksandr\s+)?Syrskyi?|Сирськ\w*|Сырск\w*",
    "Belousov": r"(?:Andrei\s+)?Belousov|Белоусов\w*",
    "Shoigu": r"(?:Sergei\s+)?Shoigu|Шойгу",
    "Gerasimov": r"Gerasimov",
    "Hagari": r"Hagari",
    "Aliyev": r"Aliyev",
    "Pashinyan": r"Pashinyan",
    "Netanyahu": r"Netanyahu",
    "NSDC": r"NSDC|National\s+Security\s+and\s+Defen[cs]e\s+Council|РНБО",
    "OSCE": r"OSCE|ОБСЄ|ОБСЕ",
    "NATO": r"NATO|НАТО",
    "ISW": r"ISW|Institute\s+for\s+the\s+Study\s+of\s+War",
    "AFP": r"AFP|Agence\s+France-Presse",
    "DPR": r"DPR|DNR|Donetsk\s+People['’]?s\s+Republic|ДНР",
    "LPR": r"LPR|LNR|Luhansk\s+People['’]?s\s+Republic|Lugansk\s+People['’]?s\s+Republic|ЛНР",
    "Ukrainian military": (
        r"Ukrainian\s+(?:military|forces|troops|army|soldiers|defenders|General\s+Staff|defen[cs]e\s+ministry|"
        r"armed\s+forces|commanders?|officials?)|Ukraine['’]?s\s+(?:\w+\s+)?(?:military|army|forces|troops|"
        r"defen[cs]e\s+ministry|General\s+Staff|armed\s+forces)|Armed\s+Forces\s+of\s+Ukraine|"
        r"ATO\s+(?:headquarters|press\s+centre|press\s+center|spokesman)|Ukrainian\s+Armed\s+Forces|"
        r"government\s+(?:forces|troops)|Kyiv['’]?s\s+forces|Kiev['’]?s\s+forces|ЗСУ|ВСУ|Генштаб\w*"
    ),
    "Russian military": (
        r"Russian\s+(?:military|forces|troops|army|soldiers|defen[cs]e\s+ministry|Defen[cs]e\s+Ministry|"
        r"armed\s+forces)|Russia['’]?s\s+(?:military|army|forces|troops|defen[cs]e\s+ministry)|Міноборони\s+РФ|"
        r"Минобороны\s+России|Российск\w+\s+(?:арми\w+|войск\w*)|российск\w+\s+(?:арми\w+|войск\w*)|"
        r"Вооруж[её]нн\w+\s+сил\w*\s+России|ВС\s+РФ|Russian\s+army"
    ),
    "Kiev": r"Kiev|Kyiv|Київ\w*|Киев\w*",
    "Moscow": r"Moscow|Kremlin|Москв\w*|Кремл\w*",
    "separatists": r"(?:pro-Russian\s+|Russian-backed\s+|Moscow-backed\s+)?separatists?|сепаратист\w*",
    "rebels": (
        r"(?:pro-Russian\s+|Russian-backed\s+|Moscow-backed\s+)?(?:rebels?|insurgents?|militants?|militias?)|"
        r"бойовик\w*|ополченц\w*|боевик\w*"
    ),
    "Israel": r"Israeli\s+(?:military|army|forces|troops)|IDF|Israel\b",
    "Hamas": r"Hamas",
    "Azerbaijan": r"Azerbaijani\s+(?:forces|army|troops|military)|Azerbaijan|Baku",
    "Armenia": r"Armenian\s+(?:forces|army|troops|military)|Armenia|Yerevan",
    "China": r"Chinese\s+(?:forces|army|troops|military)|PLA|China|Beijing|Chinese",
    "India": r"Indian\s+(?:forces|army|troops|military)|India|New\s+Delhi",
    "United States": r"United\s+States|U\.S\.|Washington|Pentagon",
    "Ukraine": r"Ukraine|Ukrainians|Україн[аиоуі]|Украин[аыуе]",
    "Russia": r"Russia|Russians|Росі[яїю]|Росси[яию]",
}
#: actors that are people (preferred over organisations named in apposition)
PERSONS = frozenset(
    {
        "Poroshenko",
        "Zelensky",
        "Putin",
        "Lavrov",
        "Zakharchenko",
        "Lysenko",
        "Klimkin",
        "Stelmakh",
        "Basurin",
        "Pushilin",
        "Maliar",
        "Poltorak",
        "Syrskyi",
        "Belousov",
        "Shoigu",
        "Gerasimov",
        "Hagari",
        "Aliyev",
        "Pashinyan",
        "Netanyahu",
    }
)
# one word-start check before the alternatives: tried only where a word begins
_ACTOR_RE = re.compile(
    r"(?<!\w)(?=\w)(?:" + "|".join(f"(?P<a{i}>(?:{p})(?!\\w))" for i, p in enumerate(ACTORS.values())) + ")",
    re.IGNORECASE,
)
_ACTOR_NAMES = list(ACTORS)

_SPEECH = (
    r"said|says|say|claimed|claims|claim|stated|states|announced|announces|reported|reports|"
    r"told|tells|insisted|insists|estimated|estimates|alleged|alleges|asserted|asserts|"
    r"acknowledged|acknowledges|admitted|admits|added|wrote|writes|declared|declares|"
    r"boasted|confirmed|confirms|noted|assessed|accused|accuses|charged|charge|warned|"
    r"revealed|suggest|suggests|showed|shows|acknowledged|"
    r"заяв\w*|повідоми\w*|сообщ\w*|наголоси\w*|підкреслив|подчеркнул|розповів|рассказал"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b", re.IGNORECASE)
_ACCORDING_RE = re.compile(
    r"\b(?:according\s+to|per|за\s+даними|за\s+словами|по\s+данным|по\s+словам|по\s+информации)\s+",
    re.IGNORECASE,
)
_ACCUSED_RE = re.compile(r"\b(?:accus\w+|blam\w+|обвину\w+|обвини\w+)\s+", re.IGNORECASE)
# a party named after one of these words is a place or an object, not the doer
_OBJECT_WORDS = (
    r"in|of|from|into|inside|to|against|within|across|toward|towards|near|over|with|"
    r"у|в|із|з|від|против|проти|из|от"
)
_OBJECT_BEFORE = re.compile(rf"\b(?:{_OBJECT_WORDS})\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
# for the asserting party, "under X control" does not make X speak either
_OBJECT_BEFORE_ACTOR = re.compile(rf"\b(?:{_OBJECT_WORDS}|under|під|под)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_BY_RE = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass
class _Mention:
    name: str
    start: int
    end: int


def find_actors(sentence: str) -> list[_Mention]:
    """Every actor mention in a sentence, in order, with its canonical name."""
    out: list[_Mention] = []
    for m in _ACTOR_RE.finditer(sentence):
        for key, val in m.groupdict().items():
            if val is not None:
                out.append(_Mention(_ACTOR_NAMES[int(key[1:])], m.start(), m.end()))
                break
    return out


def _first_of_coordination(sentence: str, mentions: list[_Mention], chosen: _Mention) -> _Mention:
    """For "DPR and LPR announced", the first party of the coordination."""
    i = mentions.index(chosen)
    while i > 0 and re.fullmatch(r"\s*(?:and|&|і|и|та)\s*", sentence[mentions[i - 1].end : mentions[i].start]):
        i -= 1
    return mentions[i]


def _prefer_person(cands: list[_Mention]) -> _Mention | None:
    people = [x for x in cands if x.name in PERSONS]
    return people[0] if people else (cands[0] if cands else None)


def find_actor_target(
    sentence: str,
    action_pos: int,
    mentions: list[_Mention] | None = None,
    cache: dict[Any, Any] | None = None,
) -> tuple[str, str]:
    """Who asserts (actor) and who is said to have acted (target).

    Rules, in order: "according to X" and "X accused Y of" give the actor (and
    the target); otherwise the party named nearest before a speech verb ("...,
    Lavrov said"), or just after it ("said Lavrov", "заявив Сирський"), a named
    person winning over an organisation in apposition ("Syrskyi, commander of
    the Ukrainian army, said"); a party named after a trailing dash ("..., -
    Сирський") is the actor too. The target is the party named by "by X", else
    the one named last before the action verb preceding the figure, else the
    first after it; parties after "in", "of", "from"... are places or objects
    and are skipped. When only the actor is named and the claim refers back to
    it ("it had taken", "claimed to have"), the target is the actor.

    Parameters
    ----------
    sentence : str
        One sentence.
    action_pos : int
        Position of the figure in the sentence.
    mentions : list, optional
        :func:`find_actors` of the sentence, when already computed.
    cache : dict, optional
        Shared by the calls for the figures of one sentence: what does not depend
        on ``action_pos`` is computed once.

    Returns
    -------
    (actor, target)
        Canonical names from :data:`ACTORS`; ``""`` when not found.
    """
    mentions = find_actors(sentence) if mentions is None else mentions
    if not mentions:
        return _unknown_speaker(sentence), ""
    actor: _Mention | None = None
    target: _Mention | None = None

    def free(x: _Mention, rx: re.Pattern[str] = _OBJECT_BEFORE_ACTOR) -> bool:
        # the object words sit just before the mention: a bounded look-back keeps this linear
        return not rx.search(sentence[max(0, x.start - 48) : x.start])

    key = ("actor", id(mentions))
    if cache is not None and key in cache:
        actor, target, unnamed = cache[key]
    else:
        actor, target, unnamed = _asserting_party(sentence, mentions, free)
        if cache is not None:
            cache[key] = (actor, target, unnamed)
    if target is None:
        if cache is not None and "others" in cache:
            others = cache["others"]
        else:
            others = [x for x in mentions if (actor is None or x.name != actor.name) and free(x, _OBJECT_BEFORE)]
            if cache is not None:
                cache["others"] = others
        for x in others:  # passive "seized by the rebels", close to the figure
            if _BY_RE.search(sentence[max(0, x.start - 12) : x.start]) and x.start - action_pos <= 50:
                target = x
                break
        if target is None:
            if cache is not None and "cues" in cache:
                cue_starts = cache["cues"]
            else:
                cue_starts = [c.start() for c in _TERRITORY_CUE.finditer(sentence)]
                if cache is not None:
                    cache["cues"] = cue_starts
            cues = [c for c in cue_starts if c < action_pos]
            limit = cues[-1] if cues else action_pos
            before = [x for x in others if x.end <= limit] or [x for x in others if x.start < action_pos]
            after = [x for x in others if x.start >= action_pos]
            if before:
                target = _first_of_coordination(sentence, mentions, before[-1])
            elif after:
                target = after[0]
        if target is None and actor is not None and actor.name not in PERSONS:
            if re.search(r"\b(?:it|they|its|their|we|our)\b|\bto\s+have\b", sentence[actor.end : action_pos], re.I):
                target = actor
    return (actor.name if actor else unnamed), (target.name if target else "")


def _asserting_party(sentence: str, mentions: list[_Mention], free: Any) -> tuple[Any, Any, str]:
    """The actor (and a target named by "accused X of"), which do not depend on the figure's position."""
    actor: _Mention | None = None
    target: _Mention | None = None
    for m in _ACCORDING_RE.finditer(sentence):
        actor = _prefer_person([x for x in mentions if m.end() <= x.start <= m.end() + 45])
        if actor is not None:
            break
    for m in _ACCUSED_RE.finditer(sentence):
        before = [x for x in mentions if x.end <= m.start() and free(x)]
        after = [x for x in mentions if m.end() <= x.start <= m.end() + 40]
        if before and actor is None:
            actor = before[-1]
        if after:
            target = after[0]
        break
    if actor is None:
        dash = re.search(r"[,.]?\s+[-–—]\s*([^-–—]{1,40})$", sentence)
        if dash:
            tail = [x for x in mentions if x.start >= dash.start(1)]
            actor = _prefer_person(tail)
    if actor is None:
        for m in _SPEECH_RE.finditer(sentence):
            if re.search(r"\b(?:was|were|is|are|been|be)\s+$", sentence[max(0, m.start() - 12) : m.start()], re.I):
                continue  # passive "it was reported": no asserting party here
            before = [
                x
                for x in mentions
                if x.end <= m.start()
                and m.start() - x.end <= 60
                and free(x)
                and (x.name in PERSONS or "," not in sentence[x.end : m.start()])
            ]
            after = [x for x in mentions if m.end() <= x.start <= m.end() + 45]
            people_before = [x for x in before if x.name in PERSONS]
            if people_before:
                actor = people_before[-1]
            elif before:
                actor = _first_of_coordination(sentence, mentions, before[-1])
            elif after:
                actor = _prefer_person(after)
            if actor is not None:
                break
    unnamed = _unknown_speaker(sentence) if actor is None else ""
    return actor, target, unnamed


_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_SPEAKER_VERBS = (
    r"said|says|told|announced|added|stated|declared|wrote|claimed|insisted|reported|noted|"
    r"warned|accused|acknowledged|admitted|confirmed"
)
_SPEAKER_BEFORE = re.compile(
    rf"(?<![\w-])(?<!the\s)(?<!The\s)({_NAME})\s+(?:also\s+|later\s+|earlier\s+)?(?:{_SPEAKER_VERBS})\b"
)
_SPEAKER_AFTER = re.compile(rf"\b(?:said|says|told|announced|declared)\s+(?:{_NAME}\s+)?({_NAME})(?=\s*[,.;:]|\s*$)")
_NOT_NAMES = frozenset(
    "The This That It He She They We Officials Official Reuters Interfax Minister President "
    "General Spokesman Ministry Army Military Police Sources Source Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday".split()
)


def _unknown_speaker(sentence: str) -> str:
    """A capitalised surname right before (or after) a speech verb, for speakers not in ACTORS."""
    for rx in (_SPEAKER_BEFORE, _SPEAKER_AFTER):
        for m in rx.finditer(sentence):
            name = m.group(1)
            if name not in _NOT_NAMES:
                return name
    return ""


# --- aliases ----------------------------------------------------------------------
@dataclass(frozen=True)
class Alias:
    """One row of ``data/aliases.csv``."""

    phrase: str
    line_id: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str = ""


def load_aliases(path: str | Path = ALIASES_PATH) -> list[Alias]:
    """Read the alias table (columns ``phrase, line_id, valid_from, valid_to, note``).

    Raises
    ------
    geo.errors.DataFileError
        If the file lacks a column, names an unknown line id or has a bad date.
    """
    from geo.errors import DataFileError

    known = {
        schema.LINE_MINSK_2014,
        schema.LINE_CONTACT_2015_01,
        schema.LINE_CONTACT_2015_02,
        "",
    }
    out: list[Alias] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"phrase", "line_id"} - set(reader.fieldnames or ())
        if missing:
            raise DataFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row_no, row in enumerate(reader, start=2):
            phrase = (row.get("phrase") or "").strip()
            line_id = (row.get("line_id") or "").strip()
            if not phrase:
                continue
            if line_id not in known:
                raise DataFileError(f"{path}: row {row_no}, field 'line_id': unknown line {line_id!r}")
            dates = []
            for col in ("valid_from", "valid_to"):
                val = (row.get(col) or "").strip()
                try:
                    dates.append(dt.date.fromisoformat(val) if val else None)
                except ValueError:
                    raise DataFileError(f"{path}: row {row_no}, field '{col}': bad date {val!r}") from None
            out.append(Alias(phrase, line_id, dates[0], dates[1], (row.get("note") or "").strip()))
    return out


@functools.lru_cache(maxsize=1)
def _default_aliases() -> tuple[Alias, ...]:
    return tuple(load_aliases(ALIASES_PATH)) if ALIASES_PATH.exists() else ()


def find_reference(
    sentence: str,
    when: dt.date | None,
    aliases: Iterable[Alias],
    patterns: list[tuple[str, re.Pattern[str]]] | None = None,
) -> tuple[str, str, tuple[int, int] | None]:
    """The reference phrase in ``sentence`` and the line id it maps to at ``when``.

    The longest alias phrase found (case-insensitive, whole words) wins; among
    rows with that phrase, the one whose ``valid_from``/``valid_to`` contain
    ``when`` (or the first when ``when`` is None). When no row is in force at
    ``when`` (a "front line" in 2024) the phrase is returned with line id ``""``.

    Returns
    -------
    (phrase as written, line id or "", span or None)

    ``patterns`` (from :func:`_alias_patterns` of the same rows) saves
    compiling them again for every sentence.
    """
    rows = tuple(aliases)
    for phrase, rx in patterns if patterns is not None else _alias_patterns(rows):
        m = rx.search(sentence)
        if not m:
            continue
        same = [a for a in rows if a.phrase.lower() == phrase]
        for a in same:
            if when is None or not ((a.valid_from and when < a.valid_from) or (a.valid_to and when > a.valid_to)):
                return m.group(0), a.line_id, m.span()
        # the phrase names a line, but none of its rows is in force at that date
        return m.group(0), "", m.span()
    return "", "", None


@functools.lru_cache(maxsize=8)
def _alias_patterns(rows: tuple[Alias, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Each distinct phrase (lower case), longest first, with its whole-word pattern; compiled once."""
    out: list[tuple[str, re.Pattern[str]]] = []
    seen: set[str] = set()
    for alias in sorted(rows, key=lambda a: -len(a.phrase)):
        key = alias.phrase.lower()
        if key in seen:
            continue
        seen.add(key)
        rx = re.compile(r"(?<!\w)" + re.escape(alias.phrase).replace(r"\ ", r"\s+") + r"(?!\w)", re.IGNORECASE)
        out.append((key, rx))
    return out


_REGION_AFTER = re.compile(
    r"\s+(?:People['’]?s|region|oblast|province|Oblast|Region|and\s+\w+\s+(?:People['’]?s|regions|oblasts))",
)


# --- gazetteer ----------------------------------------------------------------------
@dataclass
class Gazetteer:
    """Settlement names with coordinates, matched as whole words."""

    entries: dict[str, tuple[str, float, float]]  # lowercase name -> (name, lon, lat)
    pattern: re.Pattern[str] | None

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Gazetteer:
        """Build from rows with ``name``, ``name_alt`` (``;`` or ``,`` separated), ``lon``, ``lat``.

        When a name recurs, the row in a front-line oblast (Donetsk, Luhansk),
        then the most populous, wins.
        """
        ranked: dict[str, tuple[tuple[int, float], tuple[str, float, float]]] = {}
        for rec in records:
            try:
                name = str(rec.get(schema.S_NAME) or "").strip()
                lon = float(rec.get(schema.S_LON))  # type: ignore[arg-type]
                lat = float(rec.get(schema.S_LAT))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            if not name:
                continue
            try:
                pop = float(rec.get(schema.S_POPULATION) or 0)
            except (TypeError, ValueError):
                pop = 0.0
            front = 1 if str(rec.get(schema.S_OBLAST) or "") in schema.FRONT_OBLASTS else 0
            alts = re.split(r"[;,|]", str(rec.get(schema.S_NAME_ALT) or ""))
            for n in [name, *alts]:
                n = n.strip()
                if len(n) < 3 or not n[0].isupper():
                    continue
                rank = (front, pop)
                key = n.lower()
                if key not in ranked or rank > ranked[key][0]:
                    ranked[key] = (rank, (name, lon, lat))
        entries = {k: v[1] for k, v in ranked.items()}
        names = sorted((k for k in entries), key=len, reverse=True)
        # a name counts only when capitalised in the text: checking the first
        # letter (case-sensitively) before the long alternation keeps it fast
        initials = "".join(sorted({entries[k][0][:1] for k in entries} | {k[:1].upper() for k in entries}))
        pattern = (
            re.compile(
                r"(?<!\w)(?-i:(?=["
                + re.escape(initials)
                + r"]))("
                + "|".join(re.escape(n) for n in names)
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if names
            else None
        )
        return cls(entries, pattern)

    def find(self, sentence: str) -> list[dict[str, Any]]:
        """Places named in ``sentence`` (capitalised there), each once, in order."""
        if self.pattern is None:
            return []
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        for m in self.pattern.finditer(sentence):
            if not m.group(0)[:1].isupper():
                continue
            if _REGION_AFTER.match(sentence, m.end()):
                continue  # "Donetsk People's Republic", "Kharkiv region": not the town
            name, lon, lat = self.entries[m.group(0).lower()]
            if name in seen:
                continue
            seen.add(name)
            out.append({"name": name, "lon": lon, "lat": lat})
        return out


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    if not SETTLEMENTS_PATH.exists():
        return Gazetteer({}, None)
    try:
        with open(SETTLEMENTS_PATH, newline="", encoding="utf-8") as fh:
            return Gazetteer.from_records(list(csv.DictReader(fh)))
    except (OSError, csv.Error, UnicodeDecodeError):
        return Gazetteer({}, None)


def _as_gazetteer(gazetteer: Any) -> Gazetteer:
    if gazetteer is None:
        return _default_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if hasattr(gazetteer, "to_dict"):  # a pandas DataFrame
        return Gazetteer.from_records(gazetteer.to_dict("records"))
    return Gazetteer.from_records(gazetteer)


def _as_aliases(aliases: Any) -> list[Alias]:
    if aliases is None:
        return list(_default_aliases())
    if isinstance(aliases, (str, Path)):
        return load_aliases(aliases)
    out = []
    for a in aliases:
        if isinstance(a, Alias):
            out.append(a)
        else:
            vf, vt = a.get("valid_from") or None, a.get("valid_to") or None
            out.append(
                Alias(
                    str(a["phrase"]),
                    str(a.get("line_id") or ""),
                    to_date(vf) if vf else None,
                    to_date(vt) if vt else None,
                    str(a.get("note") or ""),
                )
            )
    return out


# --- the claim ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cues:
    """Which cue families a sentence holds: scanned once per sentence, not per figure."""

    territory: bool
    withdrawal: bool
    advance: bool

    @classmethod
    def of(cls, sentence: str) -> _Cues:
        return cls(
            bool(_TERRITORY_CUE.search(sentence)),
            bool(_WITHDRAWAL_CUE.search(sentence)),
            bool(_ADVANCE_CUE.search(sentence)),
        )


def _classify(sentence: str, q: Quantity, cues: _Cues | None = None) -> str:
    """The kind of claim a figure makes in its sentence, or ``""``."""
    cues = cues or _Cues.of(sentence)
    withdrawal = cues.withdrawal
    if not cues.territory and not (withdrawal and q.dimension == LENGTH):
        return ""
    if q.dimension == AREA:
        return KIND_AREA
    if q.dimension != LENGTH:
        return ""
    tail = re.sub(r"^\s*[(\[][^()\[\]]{1,25}[)\]]", "", sentence[q.end : q.end + 70])[:45]
    located = _LOCATION_AFTER.match(tail)
    if withdrawal:
        if _COMPASS_AFTER.match(tail):
            return ""  # "10 km north of ..." locates a place even in a pull-back story
        return KIND_WITHDRAWAL
    if located:
        return ""
    if cues.advance:
        return KIND_DISTANCE
    return ""


def _conversion_warning(sentence: str, q: Quantity, others: list[Quantity]) -> tuple[str | None, Quantity | None]:
    """Check a conversion in brackets right after ``q`` ("500 sq km (194 sq mi)")."""
    for o in others:
        if o.start <= q.end:
            continue
        gap = sentence[q.end : o.start]
        if not re.fullmatch(r"\s*[(\[]\s*(?:\w+\s+){0,3}", gap):
            return None, None
        if o.dimension != q.dimension:
            what = "an area" if q.dimension == AREA else "a length"
            return f"bracketed figure {sentence[o.start : o.end]!r} is not {what}", o
        a, b = q.in_base, o.in_base
        if a <= 0 or b <= 0:
            return None, o
        a_hi = (q.value_max * q.canonical.factor) if q.value_max else a
        lo_a, hi_a = (
            (a - q.rounding) * (1 - CONVERSION_TOLERANCE),
            (a_hi + q.rounding) * (1 + CONVERSION_TOLERANCE),
        )
        lo_b, hi_b = (
            b - o.rounding,
            (o.value_max * o.canonical.factor if o.value_max else b) + o.rounding,
        )
        if hi_b < lo_a or lo_b > hi_a:
            unit = "km²" if q.dimension == AREA else "km"
            message = (
                f"conversion mismatch: {sentence[q.start : q.end]} = {a:.1f} {unit} but "
                f"{sentence[o.start : o.end]} = {b:.1f} {unit}"
            )
            return message, o
        return None, o
    return None, None


# a figure that measures something other than ground: "40 km of trenches", "a 1,000-km front"
_NOT_GROUND_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:-?long\s+|-?wide\s+)?"
    r"(?:of\s+(?:new\s+|the\s+)?(?:trench\w*|roads?|railways?|rail|fortification\w*|defen[cs]ive\s+lines?|"
    r"fences?|walls?|pipelines?|power\s+lines?|coastline|border|frontier|front(?:\s*line)?)|"
    r"front(?:\s*line)?\b|(?:-|\s)?range\b)",
    re.IGNORECASE,
)
# before the figure: a distance that locates ("within 1 km of", "the distance between A and B is")
_LOCATION_BEFORE = re.compile(
    r"(?:\bwithin|\bdistance\s+(?:between|from)\b[^,;]{0,60}?|\blocated\b[^,;]{0,30}?|\blies\b[^,;]{0,20}?|"
    r"\bsituated\b[^,;]{0,20}?|\bwhich\s+(?:are|is)\b[^,;]{0,15}?)\s*(?:some\s+|about\s+|around\s+|only\s+|just\s+)?$",
    re.IGNORECASE,
)
# after the figure, even in a withdrawal story: "30 km away from Donetsk", "20 km from the buffer zone"
_PLACE_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:away\b(?!\s+from\s+(?:the\s+)?(?:\w+\s+)?(?:line|contact|front|border|positions?))|"
    r"from\s+(?:the\s+)?(?:buffer|facility|city|town|village|"
    r"(?!Minsk|Ukrain|Russia)[A-ZА-ЯІЇЄҐ][\w'’-]+)|of\s+the\s+buffer)",
)
_WIDTH_AFTER = re.compile(r"\s*(?:-|\s)?(?:wide|width|broad|across)\b|\s*(?:завширшки|шириной|ширин\w*)", re.I)
_DEPTH_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:deep|depth|into|inside|in\s+depth|forward|ahead|westwards?|eastwards?|to\s+the\s+(?:west|east))\b|"
    r"\s*(?:углуб\w*|вглубь|вглиб\w*)",
    re.I,
)
_LENGTH_AFTER = re.compile(r"\s*(?:-|\s)?(?:long|length)\b|\s*(?:завдовжки|протяжен\w*|длин\w*)", re.I)
_WIDTH_BEFORE = re.compile(r"\b(?:width|wide|widening)\b[^,;]{0,20}$", re.I)


def _dimension(sentence: str, q: Quantity, kind: str) -> str:
    """What a length measures: depth, width, length or withdrawal (``""`` for areas)."""
    if q.dimension != LENGTH:
        return ""
    tail = sentence[q.end : q.end + 30]
    if _WIDTH_AFTER.match(tail) or _WIDTH_BEFORE.search(sentence[max(0, q.start - 30) : q.start]):
        return "width"
    if _LENGTH_AFTER.match(tail):
        return "length"
    if kind == KIND_WITHDRAWAL:
        return "withdrawal"
    if _DEPTH_AFTER.match(tail) or kind == KIND_DISTANCE:
        return "depth"
    return "distance"


# before the figure: the size of a whole country or region, not ground that changed hands
_SIZE_BEFORE = re.compile(
    r"\b(?:a\s+country|a\s+nation|total\s+(?:area|landmass)|landmass|the\s+size|an\s+area\s+the\s+size)\s+of\s+"
    r"(?:about\s+|some\s+|roughly\s+|around\s+)?$|\b(?:covers|spans)\s+(?:about\s+|some\s+|roughly\s+)?$",
    re.IGNORECASE,
)


def _is_claim_figure(sentence: str, q: Quantity, kind: str) -> bool:
    """False for a figure that measures trenches, roads, a front or a country, or that locates a place."""
    tail = sentence[q.end : q.end + 60]
    if _NOT_GROUND_AFTER.match(tail):
        return False
    if _SIZE_BEFORE.search(sentence[max(0, q.start - 40) : q.start]):
        return False
    if q.dimension == LENGTH:
        if _LOCATION_BEFORE.search(sentence[max(0, q.start - 80) : q.start]):
            return False
        if _PLACE_AFTER.match(tail):
            return False
    return bool(kind)


#: Most claims proposed from one sentence (a longer list is a table, not prose).
MAX_CLAIMS_PER_SENTENCE = 12


def _extract_sentence(
    sentence: str,
    published: dt.date,
    aliases: list[Alias],
    gazetteer: Gazetteer,
    alias_patterns: list[tuple[str, re.Pattern[str]]] | None = None,
) -> list[Proposal]:
    """Every claim of one sentence: each figure that states ground, skipping bracketed conversions."""
    quantities = find_quantities(sentence)
    if not quantities:
        return []
    cues = _Cues.of(sentence)
    chosen: list[tuple[Quantity, str, str | None]] = []
    skip: set[int] = set()
    for i, q in enumerate(quantities):
        if i in skip:
            continue
        warning, conv = _conversion_warning(sentence, q, quantities[i + 1 : i + 2])
        if conv is not None:
            skip.add(i + 1)
        kind = _classify(sentence, q, cues)
        if _is_claim_figure(sentence, q, kind):
            chosen.append((q, kind, warning))
    if not chosen:
        return []
    patterns = _alias_patterns(tuple(aliases)) if alias_patterns is None else alias_patterns
    reference, _line, ref_span = find_reference(sentence, None, aliases, patterns)
    places = gazetteer.find(sentence)
    period_start, period_end = find_period(sentence, published)
    dates = date_candidates(sentence, published, [ref_span] if ref_span else [])
    mentions = find_actors(sentence)
    lines: dict[dt.date, tuple[str, str]] = {}
    party_cache: dict[Any, Any] = {}
    out = []
    for q, kind, warning in chosen[:MAX_CLAIMS_PER_SENTENCE]:
        event_date, _ = nearest_date(dates, q.start)
        when = event_date or published
        if when not in lines:
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
                dimension=_dimension(sentence, q, kind),
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
    alias_rows = _as_aliases(aliases)
    patterns = _alias_patterns(tuple(alias_rows))
    gaz = _as_gazetteer(gazetteer)
    proposals: list[Proposal] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        try:
            found = _extract_sentence(sentence, pub, alias_rows, gaz, patterns)
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
