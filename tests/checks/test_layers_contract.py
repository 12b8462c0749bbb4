"""The shape of ``geo``: layer order, import rules, module size and tests (see docs/architecture.md).

Each rule is one test over the real tree; each failure lists every offender as ``file:line``.
``test_layers_contract_meta.py`` plants a violation of each rule in a temporary tree to show
the checkers catch it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import layers

REPO = Path(__file__).resolve().parents[2]


def _assert_none(offenders: list[str], rule: str) -> None:
    if offenders:
        pytest.fail(f"{rule}: {len(offenders)} offender(s)\n" + "\n".join(offenders), pytrace=False)


def test_layer_order():
    _assert_none(
        layers.layer_violations(REPO),
        "a geo module imports from its own or a later layer "
        "(foundation <- reference | text <- theatres <- claims <- analysis <- io <- control <- maps <- commands)",
    )


def test_geo_never_imports_the_app_and_map_libraries_only_in_maps():
    _assert_none(
        layers.forbidden_import_violations(REPO),
        "geo imports pages/dashboard/streamlit, or folium/branca outside geo.maps and geo.commands",
    )


def test_no_import_inside_a_function():
    _assert_none(
        layers.function_import_violations(REPO),
        f"import inside a function (allowed only for {sorted(layers.LAZY_IMPORTS_ALLOWED)})",
    )


def test_no_private_name_imported_across_modules():
    _assert_none(layers.private_import_violations(REPO), "underscore name used from another module")


def test_no_import_cycles():
    _assert_none(layers.import_cycles(REPO), "import cycle between geo modules")


def test_no_module_over_the_line_limit():
    _assert_none(layers.long_modules(REPO), f"geo module over {layers.MAX_LINES} lines")


def test_top_level_is_only_the_foundation():
    _assert_none(layers.top_level_violations(REPO), "unexpected top-level geo module or package")


def test_every_module_has_tests():
    _assert_none(layers.untested_modules(REPO), "geo module without tests")
