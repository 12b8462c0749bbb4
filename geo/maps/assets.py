"""Leaflet and jQuery served by the app itself, so the map works offline.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs;
with no internet (or behind a firewall) the map stays blank. We copy Leaflet
(PyPI ``XStatic-Leaflet``) and jQuery (PyPI ``XStatic-jQuery``, needed by
folium's popups) into the app's ``static/`` folder, which Streamlit serves at
``/app/static/`` (``server.enableStaticServing``), and point folium at them.
Bootstrap and Font Awesome are not needed by the elements we draw and are
dropped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.jquery as xjq
import xstatic.pkg.leaflet as xl

STATIC_URL = "/app/static"
ASSET_DIR = "vendor"


def _sources() -> dict[str, Path]:
    leaflet = Path(xl.BASE_DIR)
    jquery = Path(xjq.BASE_DIR)
    files = {
        "leaflet.js": leaflet / "leaflet.js",
        "leaflet.css": leaflet / "leaflet.css",
        "jquery.min.js": jquery / "jquery.min.js",
    }
    for img in (leaflet / "images").glob("*.png"):
        files[f"images/{img.name}"] = img
    return files


def copy_files(files: dict[str, Path], dest: str | Path) -> list[Path]:
    """Copy ``{relative name: source}`` into ``dest`` unless an equal-size copy is there."""
    out = []
    for rel, src in files.items():
        target = Path(dest) / rel
        if not target.exists() or target.stat().st_size != src.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        out.append(target)
    return out


def install_static_assets(static_dir: str | Path) -> list[Path]:
    """Copy the vendored assets into ``static_dir/vendor`` (idempotent). Returns the files."""
    return copy_files(_sources(), Path(static_dir) / ASSET_DIR)


def offline_js(base_url: str = STATIC_URL) -> list[tuple[str, str]]:
    """Folium ``default_js`` entries pointing at the app's own files."""
    return [
        ("leaflet", f"{base_url}/{ASSET_DIR}/leaflet.js"),
        ("jquery", f"{base_url}/{ASSET_DIR}/jquery.min.js"),
    ]


def offline_css(base_url: str = STATIC_URL) -> list[tuple[str, str]]:
    """Folium ``default_css`` entries pointing at the app's own files."""
    return [("leaflet_css", f"{base_url}/{ASSET_DIR}/leaflet.css")]
