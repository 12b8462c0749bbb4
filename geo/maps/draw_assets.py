"""Leaflet.draw served by the app itself, so the Draw control works offline.

folium's ``plugins.Draw`` links Leaflet.draw from a public CDN. Leaflet.draw
1.0.4 (MIT licence) is shipped inside the PyPI package ``django-leaflet``
(``leaflet/static/leaflet/draw/``); installed with ``pip install --no-deps
django-leaflet`` it brings only static files and is never imported. These
files are copied into the app's ``static/vendor/draw/`` and the Draw control
is pointed at them. Without them the Compare page offers the pasted
coordinates / WKT input instead and says how to enable drawing.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from geo.maps.assets import ASSET_DIR, STATIC_URL, copy_files

DRAW_DIR = "draw"
DRAW_PACKAGE = "django-leaflet"
_PREFIX = "leaflet/static/leaflet/draw/"
_NEEDED = ("leaflet.draw.js", "leaflet.draw.css")
INSTALL_HINT = "pip install --no-deps django-leaflet"


def _sources() -> dict[str, Path]:
    """Relative name -> file of the installed Leaflet.draw (empty if not installed)."""
    try:
        files = importlib.metadata.files(DRAW_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    out = {}
    for f in files:
        name = str(f).replace("\\", "/")
        if not name.startswith(_PREFIX):
            continue
        rel = name[len(_PREFIX) :]
        if rel in _NEEDED or (rel.startswith("images/") and rel.endswith((".png", ".svg"))):
            out[rel] = Path(f.locate())
    return out if all(n in out for n in _NEEDED) else {}


def install_draw_assets(static_dir: str | Path) -> list[Path]:
    """Copy Leaflet.draw into ``static_dir/vendor/draw`` (idempotent); [] if unavailable."""
    return copy_files(_sources(), Path(static_dir) / ASSET_DIR / DRAW_DIR)


def draw_assets_present(static_dir: str | Path) -> bool:
    """True if the Draw control's files are in ``static_dir/vendor/draw``."""
    dest = Path(static_dir) / ASSET_DIR / DRAW_DIR
    return all((dest / n).is_file() for n in _NEEDED)


def draw_js(base_url: str = STATIC_URL) -> list[tuple[str, str]]:
    """``default_js`` of a ``folium.plugins.Draw`` pointing at the app's own copy."""
    return [("leaflet_draw_js", f"{base_url}/{ASSET_DIR}/{DRAW_DIR}/leaflet.draw.js")]


def draw_css(base_url: str = STATIC_URL) -> list[tuple[str, str]]:
    """``default_css`` of a ``folium.plugins.Draw`` pointing at the app's own copy."""
    return [("leaflet_draw_css", f"{base_url}/{ASSET_DIR}/{DRAW_DIR}/leaflet.draw.css")]
