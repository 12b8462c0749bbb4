"""The store package's shape: no import cycle, backends independent, psycopg only on demand."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import geo.claims.store as store_pkg

PACKAGE = Path(store_pkg.__file__).parent
REPO = Path(__file__).resolve().parents[3]
BACKENDS = {"sqlite", "postgis"}


def _imports() -> dict[str, set[str]]:
    """Module name -> the modules of this package it imports (at any depth of its code)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "geo.claims.store":
                deps |= {alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geo.claims.store."):
                deps.add(node.module.rsplit(".", 1)[1])
            elif isinstance(node, ast.Import):
                deps |= {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("geo.claims.store.")}
        graph[path.stem] = deps
    return graph


def test_the_modules_import_each_other_without_a_cycle():
    graph = _imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for dep in graph[module]:
            visit(dep, (*path, module))
        done.add(module)

    for module in graph:
        if module != "__init__":
            visit(module, ())
    assert "core" not in graph  # split up, no shim left


def test_backends_never_import_each_other_and_migrate_only_the_interface():
    graph = _imports()
    for backend in BACKENDS:
        assert not graph[backend] & BACKENDS, backend
    assert graph["migrate"] <= {"base", "sql_base"}
    assert not graph["base"] and graph["registry"] <= {"base"}


def test_no_module_is_over_600_lines():
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name


def test_importing_the_store_does_not_import_psycopg():
    code = "import sys, geo.claims.store; print('psycopg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_package_exports_its_public_api():
    for name in store_pkg.__all__:
        assert getattr(store_pkg, name) is not None, name
    assert {"open_store", "Store", "filter_claims", "copy_store", "default_store_location"} <= set(store_pkg.__all__)
