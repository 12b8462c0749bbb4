from hypothesis import given
from hypothesis import strategies as st

from geo.html import esc, link, safe_url


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
