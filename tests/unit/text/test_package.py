"""The shape of geo.text: public names, module sizes, imports, and table cells read the one way."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pandas as pd

import geo.text
from geo.text import Gazetteer, extract
from geo.text.gazetteer import as_aliases

TEXT_DIR = Path(geo.text.__file__).parent


def test_every_public_name_is_importable_from_geo_text():
    assert len(set(geo.text.__all__)) == len(geo.text.__all__)
    for name in geo.text.__all__:
        assert getattr(geo.text, name) is not None, name


def test_modules_are_at_most_600_lines_and_import_at_the_top():
    for path in sorted(TEXT_DIR.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert source.count("\n") <= 600, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{path.name}: import inside {node.name}()"


def test_text_imports_only_foundation_modules_of_geo():
    foundation = {"geo", "geo.cells", "geo.config", "geo.errors", "geo.schema", "geo.units", "geo.vocab"}
    for path in sorted(TEXT_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo"):
                assert node.module in foundation or node.module.startswith("geo.text"), (path.name, node.module)


def test_a_frame_gazetteer_with_missing_cells_skips_them():
    frame = pd.DataFrame(
        {
            "name": ["Debaltseve", math.nan],
            "name_alt": [math.nan, "Nowhere"],
            "lon": [38.41, 30.0],
            "lat": [48.34, 50.0],
            "population": [math.nan, 10.0],
            "oblast": ["Donetsk", math.nan],
        }
    )
    g = Gazetteer.from_records(frame.to_dict("records"))
    assert set(g.entries) == {"debaltseve"}
    (p,) = extract("Rebels seized 30 sq km near Debaltseve, Kiev said.", "2015-01-21", gazetteer=frame)
    assert [x["name"] for x in p.places] == ["Debaltseve"]


def test_alias_dicts_with_missing_cells_have_no_dates():
    (a,) = as_aliases([{"phrase": "old line", "line_id": math.nan, "valid_from": math.nan, "valid_to": ""}])
    assert (a.line_id, a.valid_from, a.valid_to, a.note) == ("", None, None, "")


def test_proposal_strings_are_plain_for_json():
    (p,) = extract("Rebels seized more than 30 sq km, Kiev said.", "2015-01-21")
    assert type(p.kind) is str and type(p.qualifier) is str
    assert json.loads(json.dumps(p.to_json_dict()))["qualifier"] == "more_than"
