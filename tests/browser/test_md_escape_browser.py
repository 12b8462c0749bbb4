"""``geo.html.md_escape`` renders as literal text in Streamlit, checked in Chromium.

A small Streamlit script puts every markdown payload of ``xss_payloads.MD_PAYLOADS``,
escaped with ``md_escape``, into each element that renders markdown (markdown,
caption, alerts, subheader, button, checkbox, expander, tab and metric labels).
The browser must show each payload as exactly its own text: no link, no image,
no emphasis, no LaTeX, no HTML, no icon or emoji, and no request outside
localhost. ``test_unescaped_payloads_are_caught`` runs the same checks on the
raw payloads and must see them fail, so the checks can fail.
"""

from __future__ import annotations

import json

import pytest

from geo.html import WORD_JOINER
from tests.support.browser_util import REPO, running_app
from tests.support.e2e_util import EXCEPTION_BOX, open_offline, wait_idle
from tests.support.xss_payloads import MD_EVIL_HOST, MD_PAYLOADS

pytestmark = pytest.mark.browser

APP = """
import json, os
import streamlit as st
from geo.html import md_escape

st.title("md_escape probe")
payloads = json.loads(open(os.environ["MD_PROBE_FILE"], encoding="utf-8").read())
escape = os.environ.get("MD_PROBE_RAW") != "1"
for i, p in enumerate(payloads):
    t = md_escape(p) if escape else p
    with st.container(key=f"probe{i}"):
        st.markdown(t)
        st.caption(t)
        st.warning(t)
        st.info(t)
        st.subheader(t, anchor=False)
        st.button(t, key=f"b{i}")
        st.checkbox(t, key=f"c{i}")
        with st.expander(t):
            st.text("x")
        st.tabs([t])
        st.metric(t, 1)
"""

# Elements whose text must be the payload itself.
_TEXT_SELECTORS = [
    '[data-testid="stMarkdown"] [data-testid="stMarkdownContainer"]',
    '[data-testid="stCaptionContainer"]',
    '[data-testid="stAlertContentWarning"] [data-testid="stMarkdownContainer"]',
    '[data-testid="stAlertContentInfo"] [data-testid="stMarkdownContainer"]',
    '[data-testid="stHeading"] h3',
    '[data-testid="stButton"] [data-testid="stMarkdownContainer"]',
    '[data-testid="stCheckbox"] [data-testid="stMarkdownContainer"]',
    '[data-testid="stExpander"] summary [data-testid="stMarkdownContainer"]',
    '[role="tab"]',
    '[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]',
]
# Elements markdown produces only from markup (none may appear inside the payload's text).
_MARKUP = "a, img, strong, em, del, code, pre, blockquote, ul, ol, li, table, hr, h1, h2, h3, h4, h5, h6, .katex, svg, sup, span:not([data-heading-text])"


def _probe_app(tmp_path, raw: bool):
    script = tmp_path / "md_probe.py"
    script.write_text(APP, encoding="utf-8")
    data = tmp_path / "payloads.json"
    data.write_text(json.dumps(MD_PAYLOADS), encoding="utf-8")
    env = {"MD_PROBE_FILE": str(data), "MD_PROBE_RAW": "1" if raw else "0", "PYTHONPATH": str(REPO)}
    return running_app(env=env, script=script)


def _problems(op) -> list[str]:
    """Every way a payload rendered as something other than its own text."""
    page = op.page
    out = []
    for i, p in enumerate(MD_PAYLOADS):
        want = " ".join(p.split())
        box = page.locator(f".st-key-probe{i}")
        for sel in _TEXT_SELECTORS:
            found = box.locator(sel).evaluate_all(
                "(els, m) => els.map(e => [e.innerText, [...e.querySelectorAll(m)].map(x => x.outerHTML.slice(0, 120))])",
                _MARKUP,
            )
            if not found:
                out.append(f"payload {i}: no element {sel}")
            for got, markup in found:
                if " ".join(got.replace(WORD_JOINER, "").split()) != want:
                    out.append(f"payload {i} in {sel}: shows {got!r}")
                out += [f"payload {i} in {sel}: markup {m}" for m in markup]
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    out += [f"link {h}" for h in hrefs if MD_EVIL_HOST in h]
    out += [f"image {s}" for s in page.evaluate("() => [...document.images].map(i => i.src)")]
    out += [f"request {u}" for u in op.blocked]
    out += op.executed()
    return out


def _open_probe(chromium, url):
    op = open_offline(chromium, url)
    wait_idle(op.page, timeout_ms=120_000)
    op.page.locator(f".st-key-probe{len(MD_PAYLOADS) - 1}").wait_for(timeout=120_000)
    # Open every expander and wait until its body is shown (lazy content, if any, renders).
    for summary in op.page.locator('[data-testid="stExpander"] summary').all():
        summary.click()
    op.page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=stExpanderDetails]').length >= n",
        arg=len(MD_PAYLOADS),
        timeout=60_000,
    )
    return op


def test_md_escape_renders_every_payload_as_literal_text(chromium, tmp_path):
    with _probe_app(tmp_path, raw=False) as url, _open_probe(chromium, url) as op:
        assert op.page.locator(EXCEPTION_BOX).count() == 0
        problems = _problems(op)
        assert not problems, "\n".join(problems[:40])


def test_unescaped_payloads_are_caught(chromium, tmp_path):
    """The control: the raw payloads do render as links, images and markup, and the checks say so."""
    with _probe_app(tmp_path, raw=True) as url, _open_probe(chromium, url) as op:
        problems = _problems(op)
        assert any(p.startswith("link https://evil.example/login") for p in problems), problems[:20]
        assert any("markup <strong" in p for p in problems), problems[:20]
        assert any("katex" in p for p in problems), problems[:20]
        assert any(p.startswith("request http://evil.example/p.png") or p.startswith("image") for p in problems), (
            problems[:20]
        )
