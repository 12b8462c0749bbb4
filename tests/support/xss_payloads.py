"""Script-injection payloads for the XSS browser suite (tests/test_xss.py).

Each template holds ``JS`` (replaced by a statement that marks payload ``n`` as
executed) and may hold ``NUM`` (replaced by ``n``). The mark is one of a
global ``window.__xss_<n>``, an ``alert(<n>)`` dialog or a console message
``XSS<n>``, in rotation, so the suite checks all three detectors. The
statements use no quotes, so they fit unquoted, single- and double-quoted
attribute contexts alike.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

TEMPLATES: list[str] = [
    # plain script tags and variants
    "<script>JS</script>",
    "<SCRIPT>JS</SCRIPT>",
    "<script src=data:text/javascript,JS></script>",
    "<scr<script>ipt>JS</scr</script>ipt>",
    "<<script>JS//<</script>",
    "<script>/*</script><script>*/JS</script>",
    # event handlers
    "<img src=x onerror=JS>",
    '<img src="x" onerror="JS">',
    "<img src=x onerror='JS'>",
    "<img src=x onerror=JS//",
    "<img/src=x/onerror=JS>",
    "<img src=x:NUM onerror=eval(`window.__xss_`+src.slice(2)+`=1`)>",
    "<body onload=JS>",
    "<details open ontoggle=JS>",
    "<input autofocus onfocus=JS>",
    "<select autofocus onfocus=JS>",
    "<video><source onerror=JS></video>",
    "<audio src=x onerror=JS>",
    "<marquee onstart=JS>x</marquee>",
    "<div onpointerenter=JS style=position:fixed;inset:0>x</div>",
    "<style onload=JS></style>",
    # SVG
    "<svg onload=JS>",
    "<svg/onload=JS>",
    "<svg><script>JS</script></svg>",
    "<svg><animate onbegin=JS attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:JS"><text x=9 y=9>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=JS>",
    # javascript: and data: URLs
    '<a href="javascript:JS">link</a>',
    '<a href="JaVaScRiPt:JS">link</a>',
    '<a href="java&#x09;script:JS">link</a>',
    '<a href="data:text/html,<script>JS</script>">link</a>',
    '<iframe src="javascript:JS"></iframe>',
    '<iframe srcdoc="<script>JS</script>"></iframe>',
    '<object data="javascript:JS"></object>',
    '<embed src="javascript:JS">',
    '<form action="javascript:JS"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:JS">',
    '<base href="javascript:JS//">',
    "javascript:JS",
    "data:text/html;base64,B64",
    "[link](javascript:JS)",
    '![x](x" onerror="JS)',
    # broken quoting and context escapes
    '"><script>JS</script>',
    "'><img src=x onerror=JS>",
    '" onmouseover="JS" x="',
    "' autofocus onfocus='JS' x='",
    "</script><script>JS</script>",
    "</textarea><script>JS</script>",
    "</title><svg onload=JS>",
    "--><script>JS</script><!--",
    "]]><script>JS</script>",
    '<noscript><p title="</noscript><img src=x onerror=JS>">',
    # template literals (folium popups and tooltips live inside them)
    "${JS}",
    "`;JS;`",
    "\\`;JS;//",
    "\\${JS}",
    "</div>${JS}<div>",
    "`+JS+`",
    "{{constructor.constructor(`JS`)()}}",
    # encodings and Unicode tricks
    "%3Cscript%3EJS%3C/script%3E",
    "&lt;script&gt;JS&lt;/script&gt;",
    "＜script＞JS＜/script＞",
    "\u202e<script>JS</script>",
    "\u2067<img src=x onerror=JS>\u2069",
    "<img\u200bsrc=x onerror=JS>",
    "<ſcript>JS</ſcript>",
    "<img src=x onerror=\\u0061lert(NUM)>",
]


def mark(n: int) -> str:
    """The statement that payload ``n`` runs: a global, a dialog or a console message."""
    return (f"window.__xss_{n}=1", f"alert({n})", f"console.log(String.fromCharCode(88,83,83)+{n})")[n % 3]


def render(template: str, n: int) -> str:
    js = mark(n)
    b64 = base64.b64encode(f"<script>{js}</script>".encode()).decode()
    return template.replace("B64", b64).replace("JS", js).replace("NUM", str(n))


# Payloads numbered from 1 (a payload's number is in its mark).
PAYLOADS: list[tuple[int, str]] = [(i, render(t, i)) for i, t in enumerate(TEMPLATES, start=1)]


def url_payloads() -> list[tuple[int, str]]:
    """Payloads carried inside an http(s) URL (the store accepts only those, without spaces)."""
    out = []
    for n, p in PAYLOADS:
        raw = f"https://example.org/{n}/{p}"
        out.append((n, raw if not any(c.isspace() for c in raw) else f"https://example.org/{n}/{quote(p)}"))
    return out


NOT_HTTP_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//example.org/no-scheme",
]


# Markdown payloads: not scripts, but links, images, markup and LaTeX that Streamlit's
# markdown (st.markdown, st.caption, st.warning, labels...) would render if a data or
# URL value reached it unescaped. Each must show as exactly its own text.
MD_PAYLOADS: list[str] = [
    "[Session expired - sign in again](https://evil.example/login)",
    "![x](http://evil.example/p.png)",
    "<img src=http://evil.example/x>",
    '<a href="https://evil.example/html">sign in</a>',
    "**bold** __bold__ *em* _em_ ~~struck~~ `code`",
    "$x^2$ and $$\\frac{1}{2}$$",
    "https://evil.example/autolink www.evil.example analyst@evil.example",
    "<https://evil.example/angle> <analyst@evil.example>",
    "[sign in][evil] [evil]: https://evil.example/ref",
    "[sign in]( https://evil.example/spaced ) [x](<https://evil.example/x>)",
    "&lt;b&gt;entity&lt;/b&gt; &#60;img src=http://evil.example/e&#62; &amp; &copy; &#x41;",
    ":red[red text] :material/warning: :smile: :blue-background[x]",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| a | b |",
    "--- === ***",
    "\\[escaped\\](https://evil.example/bs) \\\\ \\*",
    "footnote[^1] [^1]: https://evil.example/fn",
    "<!-- comment --> <b>bold</b> <script>window.__md=1</script>",
    "100 kB? x" + "y" * 50,
]
MD_EVIL_HOST = "evil.example"
