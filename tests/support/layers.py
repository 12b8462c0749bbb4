"""Static checks of the ``geo`` package's shape: its layers, imports, size and tests.

Every checker takes the *root* of a tree (the directory that holds ``geo/``; ``tests/`` too for
:func:`untested_modules`) and returns a sorted list of offenders as ``"path:line: what"`` strings,
so a test can assert the list is empty and print all of it, and a meta-test can plant a
violation in a temporary tree and see it reported.

The layer order (each layer imports only from layers before it)::

    foundation <- reference | text <- claims (incl. claims.store) <- analysis <- io <- maps <- commands

``reference`` and ``text`` share a rank and must not import each other. ``pages/`` sits above
all of them and is not checked here (it may import anything in ``geo``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: The top-level ``geo/*.py`` modules: they import nothing from the sub-packages.
FOUNDATION = (
    "errors",
    "schema",
    "vocab",
    "cells",
    "config",
    "units",
    "measure",
    "shapes",
    "atomic",
    "html",
    "labels",
    "auth",
)

#: Sub-package -> rank; a module may import from a strictly lower rank or its own package.
LAYER_RANK = {
    "foundation": 0,
    "reference": 1,
    "text": 1,
    "theatres": 2,
    "claims": 3,
    "analysis": 4,
    "io": 5,
    "control": 6,
    "maps": 7,
    "commands": 8,
}

#: Third-party modules that may be imported inside a function, with the reason.
#: Today only ``fcntl`` is (geo/atomic.py); ``psycopg`` is imported at module level under ``try`` in
#: ``geo/claims/store/postgis.py``; ``quantulum3`` (bench/extract_scores.py) and ``playwright``
#: (tests/browser, bench/browser_timing.py) are never imported by ``geo`` at all.
LAZY_IMPORTS_ALLOWED = {
    "psycopg": "PostgreSQL driver, only needed when a postgresql:// store URL is opened",
    "fcntl": "POSIX-only standard module: geo.atomic skips the file lock where it is missing",
}

#: Third-party map libraries and the geo packages allowed to import them.
MAP_LIBRARIES = ("folium", "branca", "streamlit_folium")
MAP_LIBRARY_USERS = ("geo.maps", "geo.commands")

#: Longest module allowed, in lines.
MAX_LINES = 600

#: Where tests that run ``python -m geo COMMAND`` live (a command is tested by one running it).
CLI_TEST_DIRS = ("tests/cli", "tests/unit")

#: geo package -> test directories whose files count as that package's tests.
TEST_DIRS = {
    "foundation": ("tests/unit/foundation",),
    "reference": ("tests/unit/reference",),
    "text": ("tests/unit/text",),
    "claims": ("tests/unit/claims",),
    "claims.store": ("tests/unit/store", "tests/unit/claims/store"),
    "analysis": ("tests/unit/analysis",),
    "theatres": ("tests/unit/theatres",),
    "io": ("tests/unit/io",),
    "control": ("tests/unit/control",),
    "maps": ("tests/unit/maps",),
    "commands": ("tests/cli",),
}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from the module that has it."""

    source: str  # importing module, dotted ("geo.io.export")
    path: str  # its file, relative to the root
    line: int
    target: str  # imported module, dotted, resolved ("geo.schema", "folium.plugins")
    names: tuple[str, ...]  # names taken from it by ``from ... import``; () for ``import``
    in_function: bool


def _by_place(offenders) -> list[str]:
    """Offenders ``"path:line: ..."`` sorted by path, then line number.

    >>> _by_place(["b.py:2: x", "a.py:10: y", "a.py:9: z"])
    ['a.py:9: z', 'a.py:10: y', 'b.py:2: x']
    """

    def key(o: str):
        path, line, _ = (o.split(":", 2) + ["", ""])[:3]
        return (path, int(line) if line.isdigit() else 0, o)

    return sorted(offenders, key=key)


def module_name(root: Path, path: Path) -> str:
    """Dotted name of the module in ``path`` (``geo/io/__init__.py`` -> ``geo.io``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def geo_files(root: Path) -> list[Path]:
    """Every ``.py`` file of the ``geo`` package under ``root``, sorted."""
    return sorted((Path(root) / "geo").rglob("*.py"))


def _modules(root: Path) -> dict[str, Path]:
    return {module_name(root, p): p for p in geo_files(root)}


def layer_of(module: str) -> str | None:
    """Layer name of a ``geo`` module, ``None`` for one outside the known layout."""
    parts = module.split(".")
    if parts[0] != "geo":
        return None
    if len(parts) == 1:
        return "foundation"
    if parts[1] == "__main__":
        return "commands"
    if len(parts) == 2 and parts[1] in FOUNDATION:
        return "foundation"
    if parts[1] in LAYER_RANK and parts[1] != "foundation":
        return parts[1]
    return None


def package_of(module: str) -> str:
    """The package a module's tests are looked for under (``claims.store`` is its own)."""
    parts = module.split(".")
    layer = layer_of(module)
    if layer == "claims" and len(parts) > 3 and parts[2] == "store":
        return "claims.store"
    return layer or ""


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, path: str, is_package: bool, known: set[str]):
        self.module, self.path, self.is_package, self.known = module, path, is_package, known
        self.depth = 0
        self.imports: list[Import] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self.imports.append(Import(self.module, self.path, node.lineno, alias.name, (), self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom):
        target = _resolve(self.module, self.is_package, node)
        plain = [a.name for a in node.names if f"{target}.{a.name}" not in self.known]
        for alias in node.names:  # ``from geo.io import export`` imports the module geo.io.export
            if f"{target}.{alias.name}" in self.known:
                self.imports.append(
                    Import(self.module, self.path, node.lineno, f"{target}.{alias.name}", (), self.depth > 0)
                )
        if plain or not node.names:
            self.imports.append(Import(self.module, self.path, node.lineno, target, tuple(plain), self.depth > 0))


@cache
def _parse(text: str, filename: str) -> ast.Module:
    return ast.parse(text, filename=filename)


def _tree(path: Path) -> ast.Module:
    return _parse(path.read_text(encoding="utf-8"), str(path))


def imports(root: Path) -> list[Import]:
    """Every import statement in ``geo`` under ``root`` (module level and inside functions)."""
    root = Path(root)
    modules = _modules(root)
    known = set(modules)
    found: list[Import] = []
    for name, path in modules.items():
        c = _Collector(name, path.relative_to(root).as_posix(), path.name == "__init__.py", known)
        c.visit(_tree(path))
        found.extend(c.imports)
    return found


def _is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _top(module: str) -> str:
    return module.split(".")[0]


def layer_violations(root: Path) -> list[str]:
    """Imports of a geo module from the same or a later layer (other than its own package)."""
    out = []
    for imp in imports(root):
        if not _is_under(imp.target, "geo"):
            continue
        src, dst = layer_of(imp.source), layer_of(imp.target)
        if src is None or dst is None or src == dst:
            continue  # unknown modules are reported by top_level_violations
        if LAYER_RANK[dst] >= LAYER_RANK[src]:
            out.append(f"{imp.path}:{imp.line}: {imp.source} ({src}) imports {imp.target} ({dst})")
    return _by_place(out)


def forbidden_import_violations(root: Path) -> list[str]:
    """geo importing ``pages``/``dashboard``/streamlit, or a map library outside geo.maps/commands."""
    out = []
    for imp in imports(root):
        top = _top(imp.target)
        if top in ("pages", "dashboard", "streamlit") or (top.startswith("streamlit_") and top not in MAP_LIBRARIES):
            out.append(f"{imp.path}:{imp.line}: {imp.source} imports {imp.target} (geo never imports the app)")
        elif top in MAP_LIBRARIES and not any(_is_under(imp.source, p) for p in MAP_LIBRARY_USERS):
            out.append(f"{imp.path}:{imp.line}: {imp.source} imports {imp.target} (map libraries only in geo.maps)")
    return _by_place(out)


def function_import_violations(root: Path) -> list[str]:
    """``import`` statements inside a function or method, except of :data:`LAZY_IMPORTS_ALLOWED`."""
    return _by_place(
        f"{imp.path}:{imp.line}: {imp.source} imports {imp.target} inside a function"
        for imp in imports(root)
        if imp.in_function and _top(imp.target) not in LAZY_IMPORTS_ALLOWED
    )


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_import_violations(root: Path) -> list[str]:
    """A geo module taking an underscore name from another module (or a private module from outside its package).

    ``from geo.x import _y`` and ``import geo._x`` are both caught, as is ``mod._y`` where
    ``mod`` is a geo module imported by name. A private module (``geo/p/_m.py``) may be
    imported by the other modules of its package ``geo.p``.
    """
    root = Path(root)
    out = []
    all_imports = imports(root)
    for imp in all_imports:
        if not _is_under(imp.target, "geo"):
            continue
        for name in imp.names:
            if _private(name):
                out.append(f"{imp.path}:{imp.line}: {imp.source} imports {name} from {imp.target}")
        parts = imp.target.split(".")
        for i, part in enumerate(parts):
            if _private(part) and not _is_under(imp.source, ".".join(parts[:i])):
                out.append(f"{imp.path}:{imp.line}: {imp.source} imports private module {imp.target}")
                break
    out.extend(_private_attribute_uses(root))
    return _by_place(set(out))


def _private_attribute_uses(root: Path) -> list[str]:
    """``alias._name`` where ``alias`` is a geo module bound at module level by an import."""
    modules = _modules(root)
    out = []
    for name, path in modules.items():
        tree = _tree(path)
        aliases: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname and a.name in modules:
                        aliases[a.asname] = a.name
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, path.name == "__init__.py", node)
                for a in node.names:
                    if f"{target}.{a.name}" in modules:
                        aliases[a.asname or a.name] = f"{target}.{a.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
                and aliases[node.value.id] != name
            ):
                rel = path.relative_to(root).as_posix()
                out.append(f"{rel}:{node.lineno}: {name} uses {aliases[node.value.id]}.{node.attr}")
    return out


def import_cycles(root: Path) -> list[str]:
    """Strongly connected components (more than one module) of the geo import graph."""
    graph: dict[str, set[str]] = {m: set() for m in _modules(root)}
    where: dict[tuple[str, str], str] = {}
    for imp in imports(root):
        if imp.target in graph and imp.target != imp.source:
            graph[imp.source].add(imp.target)
            where.setdefault((imp.source, imp.target), f"{imp.path}:{imp.line}")
    out = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        members = set(component)
        edges = _by_place(f"{where[(a, b)]} ({a} -> {b})" for a in component for b in graph[a] if b in members)
        out.append("cycle " + " <-> ".join(sorted(component)) + ": " + "; ".join(edges))
    return _by_place(out)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph`` (node -> successors), iteratively.

    >>> sorted(map(sorted, strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}})))
    [['a', 'b'], ['c']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def long_modules(root: Path, limit: int = MAX_LINES) -> list[str]:
    """geo modules longer than ``limit`` lines."""
    root = Path(root)
    out = []
    for path in geo_files(root):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{path.relative_to(root).as_posix()}:{n}: {n} lines (limit {limit})")
    return _by_place(out)


def top_level_violations(root: Path) -> list[str]:
    """``geo/*.py`` files that are not foundation modules, ``__init__`` or ``__main__``;
    and sub-packages that are not a layer."""
    root = Path(root)
    allowed = set(FOUNDATION) | {"__init__", "__main__"}
    out = [
        f"{p.relative_to(root).as_posix()}:1: top-level module {p.stem} is not in the foundation list"
        for p in sorted((root / "geo").glob("*.py"))
        if p.stem not in allowed
    ]
    out += [
        f"{d.relative_to(root).as_posix()}/__init__.py:1: package geo.{d.name} is not a layer"
        for d in sorted((root / "geo").iterdir())
        if d.is_dir() and (d / "__init__.py").exists() and (d.name not in LAYER_RANK or d.name == "foundation")
    ]
    return _by_place(out)


def _has_doctest(path: Path) -> bool:
    return any(line.lstrip().startswith(">>>") for line in path.read_text(encoding="utf-8").splitlines())


def _is_trivial(path: Path) -> bool:
    """A module with nothing to test: only a docstring, imports and dunder names (``__all__``, ``__version__``)."""
    for node in _tree(path).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and t.id.startswith("__") and t.id.endswith("__") for t in node.targets
        ):
            continue
        return False
    return True


def _reexports(root: Path, package: str) -> dict[str, str]:
    """Names a package's ``__init__`` imports from its own modules: name -> defining module."""
    path = _modules(root).get(package)
    if path is None or path.name != "__init__.py":
        return {}
    out: dict[str, str] = {}
    for node in _tree(path).body:
        if not isinstance(node, ast.ImportFrom):
            continue
        base = node.module or ""
        if node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
        if base.startswith(package + "."):
            for a in node.names:
                out[a.asname or a.name] = base
    return out


def _tested_modules(root: Path, test_dir: Path) -> set[str]:
    """Modules imported by the test files under ``test_dir``.

    A name imported from a package (``from geo.maps import build_map``) counts for the module
    the package's ``__init__`` re-exports it from (``geo.maps.mapview``).
    """
    known = set(_modules(root))
    seen: set[str] = set()
    for path in sorted(test_dir.rglob("test_*.py")):
        tree = _tree(path)
        c = _Collector(module_name(root, path), path.as_posix(), False, known)
        c.visit(tree)
        seen.update(i.target for i in c.imports)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in known and not node.level:
                table = _reexports(root, node.module)
                seen.update(table[a.name] for a in node.names if a.name in table)
    return seen


def _runs_cli(tree: ast.Module) -> bool:
    """The test file imports ``geo.__main__`` or runs ``python -m geo``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "geo.__main__":
            return True
        if isinstance(node, ast.Import) and any(a.name == "geo.__main__" for a in node.names):
            return True
        if isinstance(node, ast.List | ast.Tuple):
            values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
            if any(values[i : i + 2] == ["-m", "geo"] for i in range(len(values))):
                return True
    return False


def _command_tested(root: Path, module: str, test_dirs: list[Path]) -> bool:
    """A command module counts as tested when a test file that runs the CLI names its command
    first in a list or a call (``main(["claims", ...])``, ``cli("import", ...)``) or right after
    ``-m geo``."""
    command = module.rsplit(".", 1)[-1].removesuffix("_cmd").replace("_", "-")
    for d in test_dirs:
        for path in sorted(d.rglob("test_*.py")):
            tree = _tree(path)
            if not _runs_cli(tree):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.List | ast.Tuple):
                    values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
                elif isinstance(node, ast.Call):
                    values = [e.value if isinstance(e, ast.Constant) else None for e in node.args[:1]]
                else:
                    continue
                if values[:1] == [command] or any(values[i : i + 2] == ["geo", command] for i in range(len(values))):
                    return True
    return False


def untested_modules(root: Path) -> list[str]:
    """geo modules that no test file of their package imports and that have no doctest examples.

    ``geo/<pkg>/<mod>.py`` is tested by a ``test_*.py`` under the directories of
    :data:`TEST_DIRS` for ``<pkg>`` importing it; a command module also by a CLI test that
    runs its command (a list starting with the command name); any module by its own ``>>>``
    examples. Packages' ``__init__`` and ``__main__`` with no code of their own are skipped.
    """
    root = Path(root)
    out = []
    tested_by_dir: dict[Path, set[str]] = {}
    for module, path in _modules(root).items():
        if path.name == "__main__.py" or (path.name == "__init__.py" and _is_trivial(path)):
            continue
        if _has_doctest(path):
            continue
        package = package_of(module)
        dirs = [root / d for d in TEST_DIRS.get(package, ()) if (root / d).is_dir()]
        ok = False
        for d in dirs:
            if d not in tested_by_dir:
                tested_by_dir[d] = _tested_modules(root, d)
            if module in tested_by_dir[d]:
                ok = True
                break
        if not ok and package == "commands":
            ok = _command_tested(root, module, [root / d for d in CLI_TEST_DIRS if (root / d).is_dir()])
        if not ok:
            wanted = " or ".join(TEST_DIRS.get(package, ("tests/unit/?",)))
            out.append(f"{path.relative_to(root).as_posix()}:1: {module} has no doctest and no test in {wanted}")
    return _by_place(out)
