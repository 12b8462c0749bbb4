"""What the import/export page shows: import previews and export selections.

Pure helpers (no Streamlit): a table and a folium map previewing what
:func:`geo.io.read_vector` found, labels to pick features of a layer by
id, and the "current view" of the map page (contested areas against the lines
it shows, and those lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import folium
import geopandas as gpd
import pandas as pd
import shapely

import geo.io as imp
from geo import schema as S
from geo.claims.model import EMBEDDED_SOURCE_COLUMNS
from geo.html import esc
from geo.io import ImportResult
from geo.maps.basemap import base_map
from geo.vocab import Layer

#: Columns tried, in order, to label a feature for selection.
ID_COLUMNS = (S.CLAIM_ID, S.LINE_ID, S.B_NAME)
#: Most features drawn on a preview map (the table lists them all).
MAX_PREVIEW_FEATURES = 2_000


def preview_table(result: ImportResult) -> pd.DataFrame:
    """One row per imported feature: label, geometry type, vertices, notes, properties.

    Parameters
    ----------
    result : ImportResult
        From :func:`geo.io.read_vector`.

    Returns
    -------
    DataFrame
        ``feature``, ``geometry``, ``vertices``, ``notes`` and the file's fields.
    """
    gdf = result.gdf
    geoms = gdf.geometry.values
    head = pd.DataFrame(
        {
            "feature": [result.label(i) for i in range(len(gdf))],
            "geometry": [g.geom_type if g is not None else "none" for g in geoms],
            "vertices": shapely.get_num_coordinates(geoms),
            "notes": ["; ".join(result.notes.get(i, [])) for i in range(len(gdf))],
        }
    )
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    props = props[[c for c in props.columns if c not in head.columns]].astype(str)
    return pd.concat([head, props], axis=1)


def preview_map(gdf: gpd.GeoDataFrame, labels: Sequence[str] | None = None, *, offline: bool = True) -> folium.Map:
    """A folium map of ``gdf`` (EPSG:4326) fitted to its bounds, tooltips escaped.

    Only geometries and the given labels reach the map; at most
    :data:`MAX_PREVIEW_FEATURES` features are drawn.
    """
    m = base_map((48.3, 38.0), 7, offline=offline, basemaps=())
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(gdf))]
    feats = []
    for i, geom in enumerate(gdf.geometry.values[:MAX_PREVIEW_FEATURES]):
        if geom is None or geom.is_empty:
            continue
        feats.append(
            {
                "type": "Feature",
                "properties": {"label": esc(labels[i] if i < len(labels) else i + 1)},
                "geometry": geom.__geo_interface__,
            }
        )
    if feats:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            name="Import preview",
            style_function=lambda f: {"color": "#d62728", "weight": 3, "fillOpacity": 0.2},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(m)
        x0, y0, x1, y1 = gdf.total_bounds
        m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def feature_labels(gdf: pd.DataFrame) -> list[str]:
    """A unique label per feature, ``"<n>: <id or name>"`` (n counts from 1).

    The id is the first of :data:`ID_COLUMNS` present; contested areas also
    show the line they are measured against.
    """
    col = next((c for c in ID_COLUMNS if c in gdf.columns), None)
    out = []
    for i in range(len(gdf)):
        text = "" if col is None else str(gdf[col].iloc[i])
        if S.C_TO_LINE in gdf.columns and col != S.LINE_ID:
            text = f"{text} (to {gdf[S.C_TO_LINE].iloc[i]})"
        out.append(f"{i + 1}: {text}".rstrip(": "))
    return out


def select_features(gdf: gpd.GeoDataFrame, labels: Iterable[str]) -> gpd.GeoDataFrame:
    """The features of ``gdf`` whose :func:`feature_labels` are in ``labels``, in layer order."""
    wanted = set(labels)
    keep = [lab in wanted for lab in feature_labels(gdf)]
    return gdf[keep]


def current_view(layers: Mapping[str, gpd.GeoDataFrame], to_lines: Iterable[str] | None) -> gpd.GeoDataFrame:
    """The map page's view: contested areas against ``to_lines`` and the lines involved.

    Parameters
    ----------
    layers : mapping
        From :func:`geo.analysis.layers.build_layers`.
    to_lines : iterable of str or None
        Line ids the map shows contested areas against (``None``: all).

    Returns
    -------
    GeoDataFrame
        The lines (agreed line and the shown ones) then the contested areas,
        with a ``layer`` column saying which.
    """
    lines, contested = layers[Layer.LINES], layers[Layer.CONTESTED]
    shown = set(lines[S.LINE_ID]) if to_lines is None else set(to_lines)
    area = contested[contested[S.C_TO_LINE].isin(shown)].assign(layer=Layer.CONTESTED.value)
    ln = lines[lines[S.LINE_ID].isin(shown | {S.AGREED_LINE})].assign(layer=Layer.LINES.value)
    frame = pd.concat([ln, area], ignore_index=True, sort=False)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=S.CRS)


def field_guesses(result: ImportResult) -> dict[str, str]:
    """The fields to map for an import and the column guessed for each (``""``: none).

    The import's own guesses (:attr:`ImportResult.mapping`), except that for
    claims a column already read as the inline source (publisher, url, ...)
    is not offered as a source id. Lines also map their ``kind``.
    """
    names = list(imp.MAP_FIELDS) + (["kind"] if result.as_ == imp.AS_LINE else [])
    guesses = {}
    for name in names:
        guess = result.mapping.get(name) or ""
        if result.as_ == imp.AS_CLAIMS and guess in EMBEDDED_SOURCE_COLUMNS:
            guess = ""
        guesses[name] = guess
    return guesses
