import re

from hypothesis import given
from hypothesis import strategies as st

from geo.html import WORD_JOINER, esc, link, md_escape, safe_url


@given(st.text())
def test_escaped_text_has_no_live_html_or_template_characters(s):
    out = esc(s)
    for ch in "<>\"'`$\\":
        assert ch not in out


def test_links_only_for_http_urls():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        " javascript:alert(1)",
        "http://",
        "ftp://x",
        "//x.org",
        None,
        5,
    ]:
        assert safe_url(bad) is None
    assert "<a" not in link("javascript:alert(1)", "x")
    assert 'href="https://e.org/?a=1&amp;b=&quot;"' in link('https://e.org/?a=1&b="', "t")


# ---------------------------------------------------------------- md_escape
_UNESCAPE = re.compile(r"\\(.)")


@given(st.text())
def test_md_escape_shows_the_same_text_and_leaves_no_live_markup(s):
    out = md_escape(s, max_len=None)
    # What markdown shows: backslash escapes resolved, word joiners invisible.
    shown = _UNESCAPE.sub(r"\1", out).replace(WORD_JOINER, "")
    assert shown == " ".join(s.split()).replace(WORD_JOINER, "")
    # Every character that starts markup anywhere in a line is escaped.
    bare = _UNESCAPE.sub("", out)
    for ch in "\\`*[]<>~$&|#":
        assert ch not in bare, (ch, out)
    assert "\n" not in out
    # Nothing Streamlit would auto-link or turn into an emoji/icon survives.
    assert not re.search(f"https?:/|[:@][^\\s{WORD_JOINER}]|(?<![^\\W_])(?i:www)\\.", out.replace("\\", ""))


def test_md_escape_keeps_ordinary_text_and_breaks_line_starts():
    assert md_escape("latin.csv: not UTF-8 text (byte 0xef at offset 11)") == (
        "latin.csv: not UTF-8 text (byte 0xef at offset 11)"
    )
    assert md_escape("user_test_line_20150201") == "user_test_line_20150201"
    assert md_escape("_em_ __init__") == "\\_em\\_ \\_\\_init\\_\\_"
    assert md_escape("1. item") == "1\\. item" and md_escape("12) item") == "12\\) item"
    assert md_escape("- item") == "\\- item" and md_escape("+ item") == "\\+ item"
    assert md_escape("--- x") == "\\--- x"  # a thematic break needs the whole line
    assert md_escape("x" * 3000).endswith("…") and len(md_escape("x" * 3000)) == 2001
