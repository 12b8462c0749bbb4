"""geo/ is a library: it never imports streamlit."""

import ast
import subprocess
import sys
from pathlib import Path

GEO = Path(__file__).resolve().parents[2] / "geo"


def test_no_streamlit_import_statement_in_geo():
    offenders = []
    for path in GEO.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") or n.startswith("streamlit_") for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_importing_every_geo_module_loads_no_streamlit():
    modules = sorted(
        "geo." + ".".join(p.relative_to(GEO).with_suffix("").parts)
        for p in GEO.rglob("*.py")
        if p.name not in ("__main__.py",)
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m.removesuffix('.__init__'))\n"
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=GEO.parent, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
