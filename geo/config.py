"""Where the shipped data lives."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
BOUNDARIES_FILE = DATA_DIR / "boundaries.geojson"
LINES_FILE = DATA_DIR / "lines.csv"
VERTICES_FILE = DATA_DIR / "line_vertices.csv"
CLAIMS_FILE = DATA_DIR / "claims.csv"
SOURCES_FILE = DATA_DIR / "sources.csv"
SETTLEMENTS_FILE = DATA_DIR / "settlements.csv"
