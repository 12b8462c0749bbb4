"""Cut a text into sentences, not at the full stops of abbreviations.

"sq.", "km.", "Mr.", "U.S.", "Jan." do not end a sentence; a run longer than
:data:`MAX_SENTENCE_CHARS` is cut at a comma or blank, so that the work per
sentence is bounded and a whole text takes linear time.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

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
