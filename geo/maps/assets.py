"""Leaflet served by the app itself, so the map works offline; a few lines instead of jQuery.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs;
with no internet (or behind a firewall) the map stays blank. We copy Leaflet
(PyPI ``XStatic-Leaflet``) into the app's ``static/`` folder, which Streamlit
serves at ``/app/static/`` (``server.enableStaticServing``), and point folium
at it. Bootstrap and Font Awesome are not needed by the elements we draw and
are dropped.

folium's own scripts use jQuery for two things only: ``$(`<html>`)[0]`` to
turn a popup's HTML into an element, and ``$(document).ready(f)``.
:data:`JQUERY_SUBSET_JS` does just these, and is given to the map as a
``data:`` URL: the map component loads its scripts one after the other, so
the 87 kB of jQuery was one more request and parse before anything was drawn.
"""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import xstatic.pkg.leaflet as xl

STATIC_URL = "/app/static"
ASSET_DIR = "vendor"

#: What folium's scripts ask of jQuery: ``$(html)`` (a list of the parsed nodes) and ``$(document).ready(f)``.
JQUERY_SUBSET_JS = """(function () {
  function $(x) {
    if (typeof x === "string") {
      var t = document.createElement("template");
      t.innerHTML = x.trim();
      return Array.prototype.slice.call(t.content.childNodes);
    }
    return {
      ready: function (f) {
        if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", f);
        else f();
      },
    };
  }
  window.jQuery = window.$ = $;
})();
"""


def script_data_url(js: str) -> str:
    """``js`` as a ``data:`` URL a ``<script src>`` runs (nothing fetched).

    >>> script_data_url("var a = 1 + 2;")
    'data:text/javascript;charset=utf-8,var%20a%20%3D%201%20%2B%202%3B'
    """
    return "data:text/javascript;charset=utf-8," + urllib.parse.quote(js, safe="")


def _sources() -> dict[str, Path]:
    leaflet = Path(xl.BASE_DIR)
    files = {
        "leaflet.js": leaflet / "leaflet.js",
        "leaflet.css": leaflet / "leaflet.css",
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
    """Folium ``default_js`` entries: the app's own Leaflet, and :data:`JQUERY_SUBSET_JS` inline."""
    return [
        ("leaflet", f"{base_url}/{ASSET_DIR}/leaflet.js"),
        ("jquery", script_data_url(JQUERY_SUBSET_JS)),
    ]


def offline_css(base_url: str = STATIC_URL) -> list[tuple[str, str]]:
    """Folium ``default_css`` entries pointing at the app's own files."""
    return [("leaflet_css", f"{base_url}/{ASSET_DIR}/leaflet.css")]
