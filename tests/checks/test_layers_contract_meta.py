"""The checkers of ``test_layers_contract`` catch a planted violation of each rule, and only that.

Each test writes a small, clean ``geo`` tree under ``tmp_path``, plants one violation and
checks the offender (file and line) is reported.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.support import layers

CLEAN = {
    "geo/__init__.py": '"""Root."""\n\n__version__ = "0"\n',
    "geo/__main__.py": "from geo.commands import run_cmd\n",
    "geo/errors.py": "class GeoError(Exception):\n    pass\n",
    "geo/schema.py": "from geo.errors import GeoError\n\nKIND = 'kind'\n",
    "geo/reference/__init__.py": '"""Reference."""\n',
    "geo/reference/lines.py": "from geo import schema as S\n\n\ndef load():\n    return S.KIND\n",
    "geo/text/__init__.py": '"""Text."""\n',
    "geo/text/extract.py": "from geo.schema import KIND\n\n\ndef extract():\n    return KIND\n",
    "geo/claims/__init__.py": '"""Claims."""\n',
    "geo/claims/model.py": "from geo.reference import lines\nfrom geo.text.extract import extract\n",
    "geo/claims/store/__init__.py": '"""Store."""\n',
    "geo/claims/store/core.py": "from .. import model\n\n\nclass Store:\n    pass\n",
    "geo/claims/store/sqlite.py": "from geo.claims.store.core import Store\nfrom ._util import helper\n",
    "geo/claims/store/_util.py": "def helper():\n    return 1\n",
    "geo/analysis/__init__.py": '"""Analysis."""\n',
    "geo/analysis/join.py": "from geo.claims.store import core\n\n\ndef join():\n    return core.Store\n",
    "geo/io/__init__.py": '"""IO."""\n',
    "geo/io/export.py": "import geo.analysis.join\nimport pyogrio\n",
    "geo/maps/__init__.py": '"""Maps."""\n',
    "geo/maps/mapview.py": "import folium\nfrom branca.element import Template\nfrom geo.io import export\n",
    "geo/commands/__init__.py": '"""Commands."""\n',
    "geo/commands/run_cmd.py": (
        "from geo.maps import mapview\n\n\ndef run():\n    try:\n        import psycopg\n"
        "    except ImportError:\n        psycopg = None\n    return psycopg\n"
    ),
    "tests/unit/foundation/test_f.py": "from geo import errors, schema\n",
    "tests/unit/reference/test_lines.py": "from geo.reference.lines import load\n",
    "tests/unit/text/test_extract.py": "import geo.text.extract\n",
    "tests/unit/claims/test_model.py": "from geo.claims import model\n",
    "tests/unit/store/test_store.py": (
        "from geo.claims.store import core, sqlite\nfrom geo.claims.store._util import helper\n"
    ),
    "tests/unit/analysis/test_join.py": "from geo.analysis.join import join\n",
    "tests/unit/io/test_export.py": "from geo.io.export import *\n",
    "tests/unit/maps/test_mapview.py": "from geo.maps import mapview\n",
    "tests/cli/test_cli.py": "from geo.__main__ import main\n\n\ndef test_run():\n    main(['run', '--x'])\n",
}

CHECKERS = [
    layers.layer_violations,
    layers.forbidden_import_violations,
    layers.function_import_violations,
    layers.private_import_violations,
    layers.import_cycles,
    layers.long_modules,
    layers.top_level_violations,
    layers.untested_modules,
]


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def clean(tmp_path):
    return _tree(tmp_path, CLEAN)


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda f: f.__name__)
def test_clean_tree_has_no_offenders(clean, checker):
    assert checker(clean) == []


def _plant(root: Path, rel: str, text: str) -> Path:
    return _tree(root, {rel: text})


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        # a lower layer importing a higher one
        ("geo/schema.py", "import geo.analysis.join\n", "geo/schema.py:1: geo.schema (foundation) imports"),
        ("geo/claims/model.py", "from geo.analysis import join\n", "geo/claims/model.py:1:"),
        # siblings reference | text must not import each other
        ("geo/reference/lines.py", "\n\nfrom geo.text.extract import extract\n", "geo/reference/lines.py:3:"),
        ("geo/text/extract.py", "from geo.reference import lines\n", "geo/text/extract.py:1:"),
        # a relative import resolves to its target
        ("geo/claims/store/core.py", "from ...analysis import join\n", "geo/claims/store/core.py:1:"),
        # the same rule inside a function
        ("geo/io/export.py", "def f():\n    from geo.maps import mapview\n", "geo/io/export.py:2:"),
        ("geo/maps/mapview.py", "import geo.__main__\n", "geo/maps/mapview.py:1:"),
    ],
)
def test_layer_violation_is_caught(clean, rel, text, expected):
    _plant(clean, rel, text)
    found = layers.layer_violations(clean)
    assert any(o.startswith(expected) for o in found), found


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("geo/analysis/join.py", "import streamlit as st\n", "geo/analysis/join.py:1:"),
        ("geo/io/export.py", "\nfrom pages._state import x\n", "geo/io/export.py:2:"),
        ("geo/io/export.py", "import dashboard\n", "geo/io/export.py:1:"),
        ("geo/claims/model.py", "import folium\n", "geo/claims/model.py:1:"),
        ("geo/analysis/join.py", "from branca.element import Template\n", "geo/analysis/join.py:1:"),
        ("geo/io/export.py", "from streamlit_folium import st_folium\n", "geo/io/export.py:1:"),
    ],
)
def test_forbidden_import_is_caught(clean, rel, text, expected):
    _plant(clean, rel, text)
    found = layers.forbidden_import_violations(clean)
    assert any(o.startswith(expected) for o in found), found


def test_function_import_is_caught_but_the_allow_list_is_not(clean):
    _plant(
        clean,
        "geo/analysis/join.py",
        "import psycopg\n\n\ndef f():\n    import json\n\n\nclass C:\n    def m(self):\n"
        "        from geo import schema\n        import psycopg.errors\n        return lambda: 1\n",
    )
    found = layers.function_import_violations(clean)
    assert [o.split(": ")[0] for o in found] == ["geo/analysis/join.py:5", "geo/analysis/join.py:10"], found


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("geo/analysis/join.py", "from geo.claims.store.core import _secret\n", "geo/analysis/join.py:1:"),
        ("geo/analysis/join.py", "from geo.claims.store import core\nx = core._secret\n", "geo/analysis/join.py:2:"),
        ("geo/analysis/join.py", "import geo.claims.store.core as c\nx = c._secret\n", "geo/analysis/join.py:2:"),
        ("geo/analysis/join.py", "from geo.claims.store._util import helper\n", "geo/analysis/join.py:1:"),
        (
            "geo/analysis/join.py",
            "def f():\n    from .. import schema\n    from geo.schema import _K\n",
            "geo/analysis/join.py:3:",
        ),
    ],
)
def test_private_import_is_caught(clean, rel, text, expected):
    _plant(clean, rel, text)
    found = layers.private_import_violations(clean)
    assert any(o.startswith(expected) for o in found), found


def test_dunder_names_and_a_package_private_module_are_allowed(clean):
    _plant(clean, "geo/analysis/join.py", "from geo import __version__\n")
    assert layers.private_import_violations(clean) == []


def test_import_cycle_is_caught(clean):
    _plant(clean, "geo/claims/store/core.py", "from geo.claims import model\n\n\ndef f():\n    from . import sqlite\n")
    found = layers.import_cycles(clean)
    assert len(found) == 1, found
    assert "geo.claims.store.core <-> geo.claims.store.sqlite" in found[0]
    assert "geo/claims/store/core.py:5" in found[0] and "geo/claims/store/sqlite.py:1" in found[0]


def test_longer_cycle_through_a_package_init_is_caught(clean):
    _plant(clean, "geo/analysis/__init__.py", "from geo.analysis.join import join\n")
    _plant(clean, "geo/claims/store/core.py", "import geo.analysis\n")
    found = layers.import_cycles(clean)
    assert len(found) == 1 and found[0].startswith(
        "cycle geo.analysis <-> geo.analysis.join <-> geo.claims.store.core"
    ), found


def test_long_module_is_caught(clean):
    _plant(clean, "geo/io/export.py", "x = 1\n" * (layers.MAX_LINES + 1))
    assert layers.long_modules(clean) == [f"geo/io/export.py:{layers.MAX_LINES + 1}: 601 lines (limit 600)"]
    _plant(clean, "geo/io/export.py", "x = 1\n" * layers.MAX_LINES)
    assert layers.long_modules(clean) == []


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("geo/zones.py", "geo/zones.py:1: top-level module zones"),
        ("geo/extra/__init__.py", "geo/extra/__init__.py:1: package geo.extra"),
    ],
)
def test_unknown_top_level_module_is_caught(clean, rel, expected):
    _plant(clean, rel, "x = 1\n")
    found = layers.top_level_violations(clean)
    assert any(o.startswith(expected) for o in found), found


def test_untested_module_is_caught_and_doctests_count(clean):
    _plant(clean, "geo/analysis/verdict.py", "def v():\n    return 1\n")
    _plant(clean, "geo/claims/store/postgis.py", "def p():\n    return 1\n")
    # imported by a test file, but not one of its package's
    _plant(clean, "tests/unit/io/test_other.py", "from geo.analysis import verdict\n")
    _plant(clean, "geo/commands/other_cmd.py", "def run():\n    return 0\n")
    found = layers.untested_modules(clean)
    assert [o.split(":")[0] for o in found] == [
        "geo/analysis/verdict.py",
        "geo/claims/store/postgis.py",
        "geo/commands/other_cmd.py",
    ], found
    _plant(clean, "geo/analysis/verdict.py", 'def v():\n    """\n    >>> v()\n    1\n    """\n    return 1\n')
    _plant(clean, "tests/unit/store/test_pg.py", "import geo.claims.store.postgis\n")
    _plant(
        clean,
        "tests/unit/io/test_cli.py",
        "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'geo', 'other', '--x'])\n",
    )
    assert layers.untested_modules(clean) == []


def test_a_package_init_with_code_needs_tests(clean):
    _plant(clean, "geo/maps/__init__.py", '"""Maps."""\n\n\ndef helper():\n    return 1\n')
    assert [o.split(":")[0] for o in layers.untested_modules(clean)] == ["geo/maps/__init__.py"]
