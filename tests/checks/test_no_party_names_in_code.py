"""Issue 16 item 1: nothing in ``geo/`` or ``pages/`` names a party or a country of a theatre.

Parties, their names and colours come from each theatre's ``theatre.json``; actors' spellings
from ``data/text/actors.csv`` and the theatres' ``actors.csv``. This check reads every Python
file of ``geo/`` and ``pages/`` token by token and fails on an identifier or a string literal
naming a party of a shipped theatre or one of the disputes' countries. Comments and docstrings
(doctests included: they show the shipped data) may name them.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THEATRES = ROOT / "data" / "theatres"
#: Countries and parties of the disputes the app ships or the issue names (stems, case-insensitive).
WORDS = ("separatist", "ukrain", "russia", "armenia", "azerbaijan", "korea", "china", "chinese", "india")


def _shipped_party_words() -> set[str]:
    words = set()
    for manifest in THEATRES.glob("*/theatre.json"):
        for party in json.loads(manifest.read_text(encoding="utf-8")).get("parties", []):
            words.add(party["id"].lower())
    return words


def _pattern() -> re.Pattern[str]:
    ids = sorted(w for w in _shipped_party_words() if len(w) >= 4)
    stems = "|".join(map(re.escape, WORDS))
    exact = "|".join(map(re.escape, ids))
    return re.compile(rf"(?:{stems})|(?<![a-z0-9])(?:{exact})(?![a-z0-9])", re.IGNORECASE)


def _docstring_starts(source: str) -> set[tuple[int, int]]:
    """(line, column) of every docstring token (module, class and function)."""
    import ast

    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    out.add((body[0].lineno, body[0].col_offset))
    return out


def offenders(source: str, rx: re.Pattern[str] | None = None) -> list[tuple[int, str]]:
    """``(line, token)`` of each identifier or non-docstring string literal naming a party."""
    rx = rx or _pattern()
    docs = _docstring_starts(source)
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME or (tok.type == tokenize.STRING and tok.start not in docs):
            if rx.search(tok.string):
                out.append((tok.start[0], tok.string[:60]))
        elif tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1) and rx.search(tok.string):
            out.append((tok.start[0], tok.string[:60]))
    return out


def _files() -> list[Path]:
    return sorted(p for d in ("geo", "pages") for p in (ROOT / d).rglob("*.py"))


def test_the_check_sees_identifiers_and_literals_but_not_comments_or_docstrings():
    source = (
        '"""Module docstring: the separatists and Ukraine."""\n'
        "# a comment on Russia\n"
        "def f():\n"
        '    """Korea in a docstring."""\n'
        "    UKRAINE = 1\n"
        "    x = 'armenia'\n"
        '    y = f"{x} of Azerbaijan"\n'
        "    return 'neutral'\n"
    )
    got = [line for line, _ in offenders(source)]
    assert got == [5, 6, 7], offenders(source)
    assert _pattern().search("kpa_cpv") and not _pattern().search("unconstrained")


def test_no_party_or_country_named_in_geo_or_pages():
    rx = _pattern()
    found = {}
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        hits = offenders(path.read_text(encoding="utf-8"), rx)
        if hits:
            found[rel] = hits[:5]
    assert not found, "parties or countries named in code (move them to the theatre data):\n" + "\n".join(
        f"{f}: {h}" for f, h in found.items()
    )
