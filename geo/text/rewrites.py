"""Meaning-preserving rewrites of a sentence, to find rules tied to one wording (issue 18).

A rule written for "pulled back 15 km" should read "withdrew 15 km" the same way; a figure "15 mi"
should be read as "15 miles" is. :func:`rewrites` gives, for one sentence, the rewrites that keep its
claims unchanged: a unit spelled another way, a verb or noun swapped for a synonym, a small number
written in words or digits, an attribution added before or after. :func:`reading_changes` runs the
extractor on a sentence and on each rewrite and returns the rewrites whose reading differs.

Run on the ``tune`` split of the evaluation set (``bench/extract_invariance.py``), it shows where the
rules are brittle without reading the ``holdout`` split. The tables are this project's own word lists.

Examples
--------
>>> [name for name, _ in rewrites("Rebels pulled back 15 km.", "en")][:2]
['unit km->kilometers', 'lex pulled back->withdrew']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from geo.text.quantities import WORD_NUMBERS, parse_number

__all__ = ["FAMILIES", "Change", "reading_changes", "rewrites"]

#: The families of rewrites, in the order :func:`rewrites` yields them.
FAMILIES = ("unit", "lex", "tense", "num", "convert", "suffix", "prefix", "dateline")

# (pattern, replacement) pairs per language; each is applied alone, to every match in the sentence
_UNITS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"\bkilometres\b", "kilometers"),
        (r"\bkilometers\b", "km"),
        (r"\bkilometre\b", "kilometer"),
        (r"\bkm\b(?!²)", "kilometers"),
        (r"\bmetres\b", "meters"),
        (r"\bmeters\b", "metres"),
        (r"\bsquare kilometres\b", "sq km"),
        (r"\bsquare kilometers\b", "sq km"),
        (r"\bsq km\b", "square kilometers"),
        (r"\bmiles\b", "mi"),
        (r"\bsquare miles\b", "sq mi"),
    ],
    "uk": [
        (r"\bкілометрів\b", "км"),
        (r"\bкм\b(?!²|\s+кв)", "кілометрів"),
        (r"\bкв\. км\b", "квадратних кілометрів"),
        (r"\bкілометри\b", "км"),
        (r"\bметрів\b", "м"),
    ],
    "ru": [
        (r"\bкилометров\b", "км"),
        (r"\bкм\b(?!²|\s+кв)", "километров"),
        (r"\bкв\. км\b", "квадратных километров"),
        (r"\bкилометра\b", "км"),
        (r"\bметров\b", "м"),
    ],
}

_LEX: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"\bwithdrew\b", "pulled back"),
        (r"\bpulled back\b", "withdrew"),
        (r"\bwithdraw\b", "pull back"),
        (r"\bpull back\b", "withdraw"),
        (r"\bwithdrawn\b", "pulled back"),
        (r"\bwithdrawing\b", "pulling back"),
        (r"\bpulling back\b", "withdrawing"),
        (r"\bretreated\b", "fell back"),
        (r"\bwithdrawal\b", "pullback"),
        (r"\bpullback\b", "withdrawal"),
        (r"\bpull-back\b", "withdrawal"),
        (r"\bmoved back\b", "pulled back"),
        (r"\bpulled out\b", "withdrew"),
        (r"\bfall back\b", "pull back"),
        (r"\badvanced\b", "pushed forward"),
        (r"\bpushed\b", "advanced"),
        (r"\bmoved forward\b", "advanced"),
        (r"\bcaptured\b", "seized"),
        (r"\bseized\b", "took"),
        (r"\bliberated\b", "recaptured"),
        (r"\brecaptured\b", "liberated"),
        (r"\btroops\b", "forces"),
        (r"\bforces\b", "troops"),
        (r"\bsoldiers\b", "troops"),
        (r"\bbuffer zone\b", "security zone"),
        (r"\bsecurity zone\b", "buffer zone"),
        (r"\bdemilitari[sz]ed zone\b", "buffer zone"),
        (r"\bsafe zone\b", "buffer zone"),
        (r"\bexclusion zone\b", "buffer zone"),
        (r"\bbuffer zone\b", "demilitarised zone"),
        (r"\bthe border\b", "the frontier"),
        (r"\bthe line of contact\b", "the contact line"),
        (r"\bthe contact line\b", "the front line"),
        (r"\bthe front line\b", "the contact line"),
        (r"\bthe frontline\b", "the front line"),
        (r"\bkm away from\b", "km from"),
        (r"\bkm from\b", "km away from"),
        (r"\bkilomet(?:re|er)s from\b", "kilometres away from"),
        (r"\bkilomet(?:re|er)s away from\b", "kilometers from"),
        (r"\bnorth of\b", "south of"),
        (r"\bsouth of\b", "east of"),
        (r"\beast of\b", "west of"),
        (r"\b(?:km|kilomet(?:re|er)s) deep\b", "km in depth"),
        (r"\b(?:km|kilomet(?:re|er)s) wide\b", "km in width"),
        (r"\bin depth\b", "deep"),
        (r"\bdeep into\b", "into"),
        (r"\bvillages\b", "settlements"),
        (r"\bheavy weapons\b", "artillery"),
        (r"\bweapons\b", "heavy weapons"),
        (r"\bpositions\b", "lines"),
        (r"\bsaid\b", "claimed"),
        (r"\bclaimed\b", "said"),
        (r"\bapproximately\b", "about"),
        (r"\babout\b(?=\s+\d)", "around"),
        (r"\baround\b(?=\s+\d)", "roughly"),
        (r"(?<!no )\bmore than\b", "upwards of"),
        (r"\bnearly\b", "almost"),
        (r"\balmost\b", "nearly"),
        (r"\bas much as\b", "up to"),
    ],
    "uk": [
        (r"\bвідвели\b", "відтягнули"),
        (r"\bвідвести\b", "відтягнути"),
        (r"\bвідійшли\b", "відступили"),
        (r"\bвідступили\b", "відійшли"),
        (r"\bвідійти\b", "відступити"),
        (r"\bпросунулися\b", "просунулись"),
        (r"\bпросунулись\b", "просунулися"),
        (r"\bвійськ\b", "сил"),
        (r"\bлінії зіткнення\b", "лінії розмежування"),
        (r"\bлінії розмежування\b", "лінії зіткнення"),
        (r"\bкордону\b", "державного кордону"),
        (r"\bвглиб\b", "в глибину"),
        (r"\bна глибину\b", "вглиб"),
        (r"\bзвільнили\b", "визволили"),
        (r"\bзахопили\b", "окупували"),
        (r"\bнаселених пунктів\b", "сіл"),
        (r"\bпонад\b", "більше ніж"),
        (r"\bблизько\b", "приблизно"),
        (r"\bприблизно\b", "близько"),
        (r"\bщонайменше\b", "принаймні"),
    ],
    "ru": [
        (r"\bотошли\b", "отступили"),
        (r"\bотступили\b", "отошли"),
        (r"\bпродвинулись\b", "продвинулися"),
        (r"\bвойск\b", "сил"),
        (r"\bлинии соприкосновения\b", "линии разграничения"),
        (r"\bлинии разграничения\b", "линии соприкосновения"),
        (r"\bграницы\b", "государственной границы"),
        (r"\bвглубь\b", "в глубину"),
        (r"\bна глубину\b", "вглубь"),
        (r"\bосвободили\b", "взяли под контроль"),
        (r"\bзахватили\b", "заняли"),
        (r"\bотвод\b", "отведение"),
        (r"\bнаселенных пунктов\b", "сел"),
        (r"\bотвести\b", "отодвинуть"),
        (r"\bотойти\b", "отступить"),
        (r"\bболее\b(?! чем)", "свыше"),
        (r"\bсвыше\b", "более"),
        (r"\bоколо\b(?! до)", "примерно"),
        (r"\bпримерно\b(?! до)", "около"),
        (r"\bне менее\b", "по меньшей мере"),
    ],
}

# English verbs of gain and pull-back put in another tense (a verb already after an auxiliary is left alone)
_TENSES = [
    (r"(?<!had )(?<!have )(?<!has )\badvanced\b", "had advanced"),
    (r"(?<!had )(?<!have )(?<!has )\bwithdrew\b", "had withdrawn"),
    (r"(?<!had )(?<!have )(?<!has )(?<!be )\bpulled back\b", "have pulled back"),
    (r"(?<!had )(?<!have )(?<!has )\bcaptured\b", "have captured"),
    (r"(?<!had )(?<!have )(?<!has )\bretreated\b", "were retreating"),
    (r"\bhave advanced\b", "advanced"),
    (r"\bhas advanced\b", "advanced"),
    (r"\bhad advanced\b", "advanced"),
    (r"\bhave withdrawn\b", "withdrew"),
    (r"\bhad withdrawn\b", "withdrew"),
    (r"\bwill withdraw\b", "are to withdraw"),
    (r"\bwill pull back\b", "are to pull back"),
]

# the English number words of the quantity reader for 1 to 12, 15 and 20
_NUMBER_WORDS = {
    w: int(n)
    for w, n in WORD_NUMBERS.items()
    if w.isascii() and w.isalpha() and w != "dozen" and n in {*range(1, 13), 15, 20}
}
_LENGTH_UNIT = r"(km|kilomet(?:re|er)s?|miles?|met(?:re|er)s)"

_SUFFIX = {"en": ", the report said", "uk": ", йдеться у звіті", "ru": ", говорится в сообщении"}
_DATELINE = {"en": "LONDON, March 3 (Reuters) - ", "uk": "ЛОНДОН, 3 березня – ", "ru": "ЛОНДОН, 3 марта – "}
_PREFIX = {"en": "Officials said that ", "uk": "Офіційні особи заявили, що ", "ru": "Официальные лица заявили, что "}
# a sentence may take the prefix when its first word is a common noun or adjective (lower-cased after it)
_PREFIXABLE = {
    "the",
    "a",
    "an",
    "troops",
    "forces",
    "сили",
    "армія",
    "войска",
    "силы",
    "армия",
}


def _swaps(sentence: str, table: list[tuple[str, str]], family: str) -> Iterator[tuple[str, str]]:
    for pattern, replacement in table:
        if re.search(pattern, sentence):
            yield f"{family} {_label(pattern)}->{replacement}", re.sub(pattern, replacement, sentence)
        elif re.search(pattern, sentence, re.IGNORECASE) and pattern[2:3].islower():
            # the word opens the sentence: keep its capital
            cap = replacement[:1].upper() + replacement[1:]
            yield f"{family} {_label(pattern)}->{replacement}", re.sub(pattern, cap, sentence, flags=re.IGNORECASE)


def _label(pattern: str) -> str:
    return re.sub(r"\\b|\(\?![^)]*\)|\\", "", pattern)


def _numbers(sentence: str) -> Iterator[tuple[str, str]]:
    for word, n in _NUMBER_WORDS.items():
        spelled = rf"(?<![\d.,])\b{word} {_LENGTH_UNIT}\b"
        if re.search(spelled, sentence, re.IGNORECASE):
            yield f"num {word}->{n}", re.sub(spelled, lambda m, n=n: f"{n} {m.group(1)}", sentence, flags=re.IGNORECASE)
        digits = rf"(?<![\d.,])\b{n} {_LENGTH_UNIT}\b"
        if n <= 12 and re.search(digits, sentence):
            yield f"num {n}->{word}", re.sub(digits, lambda m, w=word: f"{w} {m.group(1)}", sentence)


_KM_FIGURE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*)(square kilomet(?:re|er)s|sq km|kilomet(?:re|er)s|km)\b"
    r"(?![-\w²]|\s*[(\[]|\s+or\b)",
    re.IGNORECASE,
)


def _conversions(sentence: str) -> Iterator[tuple[str, str]]:
    """Each kilometre figure with its conversion to miles added in brackets, as English agencies write it."""
    for m in _KM_FIGURE.finditer(sentence):
        if sentence.rfind("(", 0, m.start()) > sentence.rfind(")", 0, m.start()):
            continue  # the figure is itself a conversion in brackets
        value = parse_number(m.group(1))
        square = m.group(3).lower().startswith("sq")
        miles = value / (1.609344**2 if square else 1.609344)
        text = f"{miles:.0f}" if miles >= 10 else f"{miles:.1f}".rstrip("0").rstrip(".")
        unit = "square miles" if square else ("mile" if text == "1" else "miles")
        yield f"convert {m.group(0)}", sentence[: m.end()] + f" ({text} {unit})" + sentence[m.end() :]


def rewrites(sentence: str, lang: str, extra: dict[str, list[tuple[str, str]]] | None = None) -> list[tuple[str, str]]:
    """The meaning-preserving rewrites of ``sentence`` (``en``, ``uk`` or ``ru``; blank is ``en``).

    Returns ``(name, rewritten)`` pairs; ``name`` starts with its family (:data:`FAMILIES`). ``extra``
    adds ``lex`` swaps per language (the bench adds the names of the theatres' parties there, which
    this package does not hold).

    >>> dict(rewrites("Forces advanced two km.", "en"))["num two->2"]
    'Forces advanced 2 km.'
    >>> dict(rewrites("Сили відійшли на 3 км.", "uk"))["suffix"]
    'Сили відійшли на 3 км, йдеться у звіті.'
    """
    lang = lang if lang in _LEX else "en"
    out = list(_swaps(sentence, _UNITS[lang], "unit"))
    out += _swaps(sentence, _LEX[lang] + (extra or {}).get(lang, []), "lex")
    if lang == "en":
        out += _swaps(sentence, _TENSES, "tense")
    if lang == "en":
        out += _numbers(sentence)
    if lang == "en":
        out += _conversions(sentence)
    if sentence.endswith("."):
        out.append(("suffix", sentence[:-1] + _SUFFIX[lang] + "."))
    first = sentence.split(" ", 1)[0]
    if first[:1].isupper() and first.lower() in _PREFIXABLE:
        out.append(("prefix", _PREFIX[lang] + sentence[0].lower() + sentence[1:]))
    out.append(("dateline", _DATELINE[lang] + sentence))
    return [(name, text) for name, text in out if text != sentence]


@dataclass(frozen=True)
class Change:
    """A rewrite whose reading differs from the sentence's."""

    name: str
    rewritten: str
    before: tuple[tuple[str, float, str, str], ...]
    after: tuple[tuple[str, float, str, str], ...]

    @property
    def family(self) -> str:
        """The rewrite's family (:data:`FAMILIES`)."""
        return self.name.split(" ", 1)[0]


def reading_changes(
    sentence: str,
    lang: str,
    read: Callable[[str], list[tuple[str, float, str, str]]],
    extra: dict[str, list[tuple[str, str]]] | None = None,
) -> tuple[list[str], list[Change]]:
    """The names of the rewrites of ``sentence``, and those rewrites whose reading by ``read`` differs from its own.

    ``read`` gives a sentence's claims as comparable tuples (kind, value in km or km², qualifier, dimension).

    >>> read = lambda s: [("distance", 15.0, "", "")] if "15" in s else []
    >>> names, changes = reading_changes("Rebels pulled back 15 km.", "en", read)
    >>> len(names) > 2, changes
    (True, [])
    """
    base = tuple(sorted(read(sentence)))
    pairs = rewrites(sentence, lang, extra)
    changes = []
    for name, text in pairs:
        got = tuple(sorted(read(text)))
        if got != base:
            changes.append(Change(name, text, base, got))
    return [name for name, _ in pairs], changes
