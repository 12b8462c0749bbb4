"""Every text from data or a URL that reaches Streamlit markdown goes through ``md_escape``.

An AST walk over ``pages/*.py`` and ``dashboard.py`` finds each call of an element
that renders its text as markdown (``st.markdown``, ``st.caption``, the alerts,
headings, labels of buttons, expanders, tabs, metrics...) and checks the text
argument: a constant string, an f-string whose every ``{...}`` is a call of
``md_escape`` (or a number formatted with a format spec, or ``len(...)``), or a
name in CAPITALS (a module constant). Anything else is reported with its file
and line. ``test_the_checker_flags_unescaped_text`` shows that it can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FILES = sorted((REPO / "pages").glob("*.py")) + [REPO / "dashboard.py"]

# Elements whose first argument (or ``label=``/``body=``) Streamlit renders as markdown.
MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "title",
    "header",
    "subheader",
    "write",
    "metric",
    "button",
    "form_submit_button",
    "download_button",
    "link_button",
    "page_link",
    "checkbox",
    "toggle",
    "radio",
    "expander",
    "popover",
    "status",
    "tabs",
    # pages/_dialogs.py: confirm(label, message=..., yes_label=...) and Done(message, undo_label)
    # put their texts in buttons, the dialog and st.success; the calling page escapes them.
    "confirm",
    "Done",
}
TEXT_KEYWORDS = ("body", "label", "help", "message", "yes_label", "undo_label")
# Texts that are escaped before they get here, with the reason; (file name, source of the argument).
_CALLERS_ESCAPE = "a parameter of confirm/Done: the calling page escapes it (checked at the call)"
ALLOWED = {
    ("_dialogs.py", "message"): _CALLERS_ESCAPE,
    ("_dialogs.py", "yes_label"): _CALLERS_ESCAPE,
    ("_dialogs.py", "label"): _CALLERS_ESCAPE,
    ("_dialogs.py", "help"): _CALLERS_ESCAPE,
    ("_dialogs.py", "done.message"): _CALLERS_ESCAPE,
    ("_dialogs.py", "str(result)"): _CALLERS_ESCAPE,
    ("_dialogs.py", 'done.undo_label or "Undo"'): _CALLERS_ESCAPE,
}
SAFE_CALLS = {"md_escape", "len"}


def _safe(node: ast.AST) -> bool:
    """True if ``node`` can only produce constant or escaped text."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_safe(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        if node.conversion != -1:  # !r, !s, !a: raw text of the value
            return False
        if node.format_spec is not None and not isinstance(node.value, ast.Constant):
            return True  # {x:.1f}, {d:%d %b %Y}: numbers and dates (a str would raise)
        return _safe(node.value)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        # geo's HTML builders (legend_html, highlight_html...) escape every piece of text.
        return name in SAFE_CALLS or name.endswith("_html")
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() or node.attr == "__name__"  # constants; a class's name
    if isinstance(node, ast.BoolOp):
        return all(_safe(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _safe(node.left) and _safe(node.right)
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_safe(e) for e in node.elts)
    return False


def unescaped_texts(source: str, filename: str) -> list[str]:
    """``file:line: call(text)`` of every markdown-rendering call whose text is not known safe."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in MARKDOWN_CALLS:
            continue
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for arg in args:
            text = ast.get_source_segment(source, arg) or ""
            if _safe(arg) or (filename, text) in ALLOWED:
                continue
            out.append(f"{filename}:{arg.lineno}: {name}({text[:100]})")
    return out


def test_every_markdown_text_in_the_pages_is_escaped():
    problems = []
    for path in FILES:
        problems += unescaped_texts(path.read_text(encoding="utf-8"), path.name)
    assert not problems, "text reaches markdown without md_escape:\n" + "\n".join(problems)


def test_the_checker_flags_unescaped_text():
    bad = """
st.warning(f"Ignored unknown values in the link: {', '.join(unknown)}")
st.caption(row["quote"])
col.metric(f"{name}", 3)
st.error(str(exc))
st.tabs([f"Claims ({n})", title])
st.button(label=f"Delete {cid}", key="k")
st.info("x", help=f"{name}")
st.markdown(f"**{label!r}**")
_dialogs.confirm(f"Delete {cid}", key="d", message=f"Delete **{quote}**?", action=f)
Done(f"Deleted {cid}", undo_label=f"Restore {cid}")
"""
    found = unescaped_texts(bad, "bad.py")
    assert len(found) == 12, found
    good = """
st.warning(f"Ignored unknown values in the link: {md_escape(', '.join(unknown))}")
st.caption(md_escape(row["quote"]))
col.metric(f"{md_escape(name)}", 3)
st.info(f"{len(rows)} rows, {share:.1f} % on {day:%d %b %Y}", help=HELP_TEXT)
st.tabs(["Import", "Export"])
st.markdown(TITLE + " " + md_escape(x))
st.dataframe(df)
st.markdown(legend_html(items), unsafe_allow_html=True)
st.error(f"Unexpected {type(exc).__name__}: {md_escape(exc)}")
_dialogs.confirm(f"Delete {md_escape(cid)}", key="d", message=f"Delete **{md_escape(q)}**?", action=f)
"""
    assert unescaped_texts(good, "good.py") == []
