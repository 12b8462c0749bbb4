"""pyproject.toml describes the same package the README installs from requirements*.txt."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import geo
from geo import __main__ as cli

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def _requirements(name: str) -> set[str]:
    """Requirement lines of a requirements file (comments, blanks and ``-r`` includes left out)."""
    lines = (line.split("#", 1)[0].strip() for line in (REPO / name).read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("-")}


def _name(requirement: str) -> str:
    """Normalised distribution name of a requirement (PEP 503)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]).lower()


def _extra(name: str) -> set[str]:
    """An optional-dependency group with ``contested-lines[other]`` expanded."""
    out: set[str] = set()
    for req in PROJECT["optional-dependencies"][name]:
        m = re.fullmatch(r"contested-lines\[(\w+)\]", req)
        out |= _extra(m.group(1)) if m else {req}
    return out


def test_dependencies_are_requirements_txt():
    assert {_name(r) for r in PROJECT["dependencies"]} == {_name(r) for r in _requirements("requirements.txt")}
    assert set(PROJECT["dependencies"]) == _requirements("requirements.txt")


def test_dev_extra_is_requirements_dev_txt():
    assert _extra("dev") == _requirements("requirements-dev.txt")
    assert _extra("test") <= _extra("dev")


def test_version_entry_point_and_packages():
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "geo.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", geo.__version__)
    assert PROJECT["scripts"] == {"contested": "geo.__main__:main"}
    assert callable(cli.main)
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["geo*"]
    assert PROJECT["requires-python"] == ">=3.11"


def test_suite_runs_without_installing_the_package():
    """``geo`` is imported from this checkout (the root conftest puts it on sys.path), not an install."""
    assert Path(geo.__file__).resolve().parent == REPO / "geo"
