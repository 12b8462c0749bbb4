"""Who asserts a claim (actor) and who is said to have acted (target).

:data:`ACTORS` maps each canonical actor to its spellings (a regex), read from data:
``data/text/actors.csv`` (actors of several theatres or of none shipped) and each
theatre's ``actors.csv`` (:func:`load_actors`), so a new theatre carries its own
actors without code; :func:`find_actors` lists the mentions of a sentence and
:func:`find_actor_target` picks the asserting party (speech verb, "according
to", "accused X of") and the party said to have taken or held the ground.

Examples
--------
>>> find_actor_target("Kiev accused separatists of seizing 500 sq km", 32)
('Kiev', 'separatists')
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import config
from geo.errors import DataFileError
from geo.text.figures import TERRITORY_CUE

__all__ = [
    "ACTORS",
    "ACTOR_PARTIES",
    "PERSONS",
    "Actor",
    "ActorTable",
    "Mention",
    "actor_table",
    "find_actor_target",
    "find_actors",
    "load_actors",
    "merge_actors",
    "read_actor_table",
    "shipped_actor_files",
]

# --- actors ---------------------------------------------------------------------
#: Columns of an actors table (``data/text/actors.csv``, ``data/theatres/<id>/actors.csv``);
#: ``party`` (the party id the actor stands for, or blank) may be left out.
ACTOR_COLUMNS = ("name", "kind", "pattern")
_PARTY_ID = re.compile(r"^[a-z0-9_]*$")
#: Kinds of actor, in the order their spellings are tried where two match at the same place
#: (a person before an organisation, "Russian forces" before "Russia").
ACTOR_KINDS = ("person", "organisation", "forces", "capital", "group", "country")
#: The actors table shared by every theatre (actors of several theatres or of none shipped).
SHARED_ACTORS = config.DATA_DIR / "text" / "actors.csv"
#: A theatre's own actors table, beside its ``theatre.json``.
THEATRE_ACTORS = "actors.csv"


@dataclass(frozen=True)
class Actor:
    """One canonical actor: its name, kind (:data:`ACTOR_KINDS`), spellings (a regex) and party id ("" for none)."""

    name: str
    kind: str
    pattern: str
    party: str = ""


def parse_actor_rows(rows: Iterable[dict[str, str]], where: str) -> list[Actor]:
    """Actors from the rows of an actors table; :class:`DataFileError` naming file, row and field.

    >>> [a.name for a in parse_actor_rows([{"name": "Aliyev", "kind": "person", "pattern": "Aliyev"}], "t.csv")]
    ['Aliyev']
    >>> parse_actor_rows([{"name": "X", "kind": "army", "pattern": "X"}], "t.csv")
    Traceback (most recent call last):
    ...
    geo.errors.DataFileError: t.csv: row 2: field 'kind': 'army' is not one of: person, organisation, forces, capital, group, country
    """
    out: list[Actor] = []
    for i, row in enumerate(rows, start=2):
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "").strip()
        pattern = (row.get("pattern") or "").strip()
        party = (row.get("party") or "").strip()
        if not name:
            raise DataFileError(f"{where}: row {i}: field 'name': missing")
        if kind not in ACTOR_KINDS:
            raise DataFileError(f"{where}: row {i}: field 'kind': {kind!r} is not one of: {', '.join(ACTOR_KINDS)}")
        if not pattern:
            raise DataFileError(f"{where}: row {i}: field 'pattern': missing")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"{where}: row {i}: field 'pattern': not a regular expression ({exc})") from None
        if not _PARTY_ID.match(party):
            raise DataFileError(f"{where}: row {i}: field 'party': {party!r} is not a party id (a-z, 0-9, '_')")
        out.append(Actor(name, kind, pattern, party))
    return out


def read_actor_table(path: str | Path) -> list[Actor]:
    """The actors of one table file; an absent file has none."""
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ACTOR_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFileError(f"{path}: missing column(s): {', '.join(missing)}")
        return parse_actor_rows(reader, str(path))


def merge_actors(tables: Iterable[list[Actor]]) -> list[Actor]:
    """One list of the tables' actors: first spelling of a name kept, ordered by kind (stable).

    >>> a = [Actor("Baku", "capital", "Baku"), Actor("Aliyev", "person", "Aliyev")]
    >>> [x.name for x in merge_actors([a, [Actor("Aliyev", "person", "Ilham Aliyev")]])]
    ['Aliyev', 'Baku']
    """
    seen: dict[str, Actor] = {}
    for table in tables:
        for actor in table:
            seen.setdefault(actor.name, actor)
    return sorted(seen.values(), key=lambda a: ACTOR_KINDS.index(a.kind))


def shipped_actor_files(shared: Path = SHARED_ACTORS, theatres_dir: Path = config.THEATRES_DIR) -> list[Path]:
    """The shared actors table, then each shipped theatre's ``actors.csv`` (by theatre id)."""
    return [shared, *sorted(p / THEATRE_ACTORS for p in theatres_dir.iterdir() if (p / THEATRE_ACTORS).is_file())]


def load_actors(paths: Iterable[str | Path]) -> list[Actor]:
    """The merged actors of the given table files (:func:`merge_actors`)."""
    return merge_actors(read_actor_table(p) for p in paths)


class ActorTable:
    """Actors and the matcher of their spellings: the shipped ones, or those and a theatre's own.

    :func:`actor_table` makes (and keeps) one per set of table files; the
    module's :data:`ACTORS`, :data:`PERSONS` and :data:`ACTOR_PARTIES` are the
    shipped table's.

    Examples
    --------
    >>> table = ActorTable([Actor("Aliyev", "person", "Aliyev"), Actor("Baku", "capital", "Baku", "az")])
    >>> [(m.name, m.person) for m in table.find("Baku said Aliyev spoke")]
    [('Baku', False), ('Aliyev', True)]
    >>> table.party_of("Baku"), table.party_of("Aliyev")
    ('az', '')
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors: list[Actor] = list(actors)
        #: canonical actor -> spellings (regex)
        self.patterns: dict[str, str] = {a.name: a.pattern for a in self.actors}
        #: actors that are people (preferred over organisations named in apposition)
        self.persons = frozenset(a.name for a in self.actors if a.kind == "person")
        #: canonical actor -> the party id it stands for (actors standing for none left out)
        self.parties: dict[str, str] = {a.name: a.party for a in self.actors if a.party}
        # one word-start check before the alternatives: tried only where a word begins
        alternatives = "|".join(f"(?P<a{i}>(?:{p})(?!\\w))" for i, p in enumerate(self.patterns.values()))
        self._matcher = re.compile(r"(?<!\w)(?=\w)(?:" + (alternatives or "(?!)") + ")", re.IGNORECASE)
        self._names = list(self.patterns)

    def find(self, sentence: str) -> list[Mention]:
        """Every actor mention in ``sentence``, in order, with its canonical name."""
        out: list[Mention] = []
        for m in self._matcher.finditer(sentence):
            for key, val in m.groupdict().items():
                if val is not None:
                    name = self._names[int(key[1:])]
                    out.append(Mention(name, m.start(), m.end(), name in self.persons))
                    break
        return out

    def party_of(self, text: str) -> str:
        """The party id ``text`` stands for: a canonical actor's, else that of the first actor it names; or ``""``."""
        text = (text or "").strip()
        if text in self.parties:
            return self.parties[text]
        mentions = self.find(text)
        return self.parties.get(mentions[0].name, "") if mentions else ""


_SHIPPED = ActorTable(load_actors(shipped_actor_files()))
#: canonical actor -> spellings (regex) in English, Ukrainian and Russian, from the shipped data files
ACTORS: dict[str, str] = _SHIPPED.patterns
#: actors that are people (preferred over organisations named in apposition)
PERSONS = _SHIPPED.persons
#: canonical actor -> the party id it stands for (actors standing for none left out)
ACTOR_PARTIES: dict[str, str] = _SHIPPED.parties


@functools.lru_cache(maxsize=16)
def _table_of(files: tuple[tuple[str, float], ...]) -> ActorTable:
    return ActorTable(load_actors([*shipped_actor_files(), *(Path(f) for f, _ in files)]))


def actor_table(extra: Iterable[str | Path] = ()) -> ActorTable:
    """The shipped actors and those of the ``extra`` table files (a user theatre's ``actors.csv``).

    A spelling of a name already shipped stays the shipped one; files that do
    not exist add nothing. Tables are read once per file and modification
    time. Raises :class:`DataFileError` (file, row, field) for a bad table.
    """
    files = tuple((str(p), Path(p).stat().st_mtime) for p in extra if Path(p).is_file())
    return _SHIPPED if not files else _table_of(files)


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
class Mention:
    """One mention of an actor: canonical name and span in the sentence."""

    name: str
    start: int
    end: int
    person: bool = False  # the actor is a person (preferred over an organisation named in apposition)


def find_actors(sentence: str, table: ActorTable | None = None) -> list[Mention]:
    """Every actor mention in a sentence, in order, with its canonical name (``table``: default the shipped actors).

    Examples
    --------
    >>> [m.name for m in find_actors("Zelensky said Russian forces took 5 sq km")]
    ['Zelensky', 'Russian military']
    """
    return (table or _SHIPPED).find(sentence)


def _first_of_coordination(sentence: str, mentions: list[Mention], chosen: Mention) -> Mention:
    """For "DPR and LPR announced", the first party of the coordination."""
    i = mentions.index(chosen)
    while i > 0 and re.fullmatch(r"\s*(?:and|&|і|и|та)\s*", sentence[mentions[i - 1].end : mentions[i].start]):
        i -= 1
    return mentions[i]


def _prefer_person(cands: list[Mention]) -> Mention | None:
    people = [x for x in cands if x.person]
    return people[0] if people else (cands[0] if cands else None)


def find_actor_target(
    sentence: str,
    action_pos: int,
    mentions: list[Mention] | None = None,
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
    actor: Mention | None = None
    target: Mention | None = None

    def free(x: Mention, rx: re.Pattern[str] = _OBJECT_BEFORE_ACTOR) -> bool:
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
                cue_starts = [c.start() for c in TERRITORY_CUE.finditer(sentence)]
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
        if target is None and actor is not None and not actor.person:
            if re.search(r"\b(?:it|they|its|their|we|our)\b|\bto\s+have\b", sentence[actor.end : action_pos], re.I):
                target = actor
    return (actor.name if actor else unnamed), (target.name if target else "")


def _asserting_party(sentence: str, mentions: list[Mention], free: Any) -> tuple[Any, Any, str]:
    """The actor (and a target named by "accused X of"), which do not depend on the figure's position."""
    actor: Mention | None = None
    target: Mention | None = None
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
                and (x.person or "," not in sentence[x.end : m.start()])
            ]
            after = [x for x in mentions if m.end() <= x.start <= m.end() + 45]
            people_before = [x for x in before if x.person]
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
