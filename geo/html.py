"""Safe HTML for popups, tooltips and tables.

Everything that comes from data or users is escaped here. Folium places
popup and tooltip HTML inside JavaScript template literals, so besides HTML
escaping we also neutralise the characters that are live inside a template
literal: backtick, ``$`` and backslash (as HTML entities, which the browser
renders as the same characters once the HTML is parsed). Folium also passes
popup and tooltip text through Jinja on the server, where ``{{ 7*7 }}`` would
be evaluated and ``{%`` would break the page, so ``{`` and ``}`` become
entities too.

Examples
--------
>>> esc('<img src=x onerror=alert(1)> ${alert(1)} `x`')
'&lt;img src=x onerror=alert(1)&gt; &#36;&#123;alert(1)&#125; &#96;x&#96;'
>>> safe_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_TEMPLATE = {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}
_TEMPLATE_RE = re.compile(r"[`$\\{}]")


def esc(value) -> str:
    """HTML-escape ``value`` (quotes too) and neutralise template-literal and Jinja characters."""
    text = "" if value is None else str(value)
    text = html.escape(text, quote=True)
    return _TEMPLATE_RE.sub(lambda m: _TEMPLATE[m.group(0)], text)


def safe_url(url) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else ``None``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 32 or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url, text) -> str:
    """An escaped ``<a>`` to an http(s) URL opening in a new tab, or escaped text alone."""
    u = safe_url(url)
    if u is None:
        return esc(text)
    return f'<a href="{esc(u)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


# Markdown (st.markdown, st.caption, st.warning, st.info...). The text is one line (newlines
# become spaces), so only what starts markup inside a line, or at its start, is escaped with
# a backslash: code, emphasis, links and images ([ ]), HTML and entities (< > &), strikethrough,
# LaTeX ($), tables, headings; "_" only where it can start or end emphasis (not inside
# user_test_line); "-", "+", "=" and "1." / "1)" only at the start. Ordinary ids, file names
# and sentences ("latin.csv: not UTF-8 (byte 0xef)") stay as they are, so messages read the
# same in the markdown source. Streamlit also turns patterns in the *text* into links, emoji,
# icons and colours after the escapes are resolved (GFM autolinks of "http://", "www." and
# e-mail addresses; ":smile:", ":material/x:", ":red[x]"), which no escape prevents: an
# invisible WORD JOINER (U+2060) after a ":" or "@" followed by a non-space, and after a
# "www" before a dot, breaks those patterns without changing the visible text.
WORD_JOINER = "\u2060"
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>~$&|#]|(?<![^\W_])_|_(?![^\W_])")
_MD_LINE_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")
_MD_JOIN = re.compile(r"(?<=[:@])(?=\S)")
_MD_WWW = re.compile(r"(?i)(?<![^\W_])www(?=\.)")


def md_escape(value, max_len: int | None = 2000) -> str:
    """``value`` as literal text inside Streamlit markdown (no links, images, markup).

    Long values are cut to ``max_len`` characters with an ellipsis (a 100 kB
    query value is never echoed in full). Newlines become spaces. The result
    shows exactly ``value``'s text; it may carry invisible word joiners
    (U+2060) that stop Streamlit from auto-linking URLs and e-mail addresses
    and from turning ``:name:`` into emoji or icons.

    >>> md_escape("**bold** $x$ user_line_1 _em_")
    '\\\\*\\\\*bold\\\\*\\\\* \\\\$x\\\\$ user_line_1 \\\\_em\\\\_'
    >>> md_escape("[Sign in](https://evil.example)").replace(WORD_JOINER, "|")
    '\\\\[Sign in\\\\](https:|//evil.example)'
    >>> md_escape("latin.csv: not UTF-8 (byte 0xef)")
    'latin.csv: not UTF-8 (byte 0xef)'
    >>> md_escape("1. first"), md_escape("- item")
    ('1\\\\. first', '\\\\- item')
    >>> md_escape("x" * 10, max_len=4)
    'xxxx…'
    """
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if max_len is not None and len(text) > max_len:
        text = text[:max_len] + "…"
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    m = _MD_LINE_START.match(text)
    if m:
        k = m.end() if m.group(0)[0].isdigit() else 0
        text = text[:k] + "\\" + text[k:]
    text = _MD_JOIN.sub(WORD_JOINER, text)
    return _MD_WWW.sub(lambda w: w.group(0) + WORD_JOINER, text)


# Characters that start markdown syntax or an autolink, as numeric character references:
# the browser shows the same characters, the markdown parser sees literal text.
_MD_IN_HTML = {c: f"&#{ord(c)};" for c in "[]()!*_~:@#|<>"}


def esc_html_in_markdown(value) -> str:
    """:func:`esc`, plus markdown syntax characters as entities, for HTML passed to ``st.markdown``.

    ``st.markdown(..., unsafe_allow_html=True)`` still reads markdown (links, images,
    autolinks) in the text between tags; with these entities it reads none.

    >>> esc_html_in_markdown("![x](http://e.example/p.png)")
    '&#33;&#91;x&#93;&#40;http&#58;//e.example/p.png&#41;'
    """
    text = esc(value)  # & < > " ' already entities; their own '&#...;' contain no specials
    return "".join(_MD_IN_HTML.get(ch, ch) for ch in text.replace("&#", "\0")).replace("\0", "&#")
