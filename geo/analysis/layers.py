"""The named layers the app shows and exports, built from the shipped data.

``boundaries``: oblasts (``name``, ``iso_3166_2``, ``area_km2``, ``disputed``);
``outline``: Ukraine's national outline; ``lines``: reference lines
(``name``, ``date``, ``kind`` ...); ``contested``: areas between the agreed line
and each later line (``area_km2``, ``from_line``, ``to_line``, ``held_by``,
``claim_ids``); ``claims``: one feature per claim with its source, geometry
taken from the claim itself or, failing that, from the contested area it is
joined to; ``implied``: bands implied by area figures (:mod:`geo.analysis.implied`) with
each claim's claimed-vs-measured verdict (:mod:`geo.analysis.verdict`); ``zones``: the
security zones of the registry theatre's agreements (:mod:`geo.analysis.security_zones`); ``settlements``: the gazetteer
(:mod:`geo.reference.settlements`). Contested areas, implied bands and zones carry
``n_settlements``, ``settlement_population`` and ``settlements``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import config
from geo import schema as S
from geo.analysis.contested import contested_areas
from geo.analysis.implied import BAND_KEY, implied_areas
from geo.analysis.join import attach_claim_ids, join_claims
from geo.analysis.security_zones import theatre_zones
from geo.analysis.settlements import attach_settlements, settlement_sides
from geo.analysis.verdict import claimed_vs_measured
from geo.claims.provenance import attach_sources, encoded_sources
from geo.errors import UnknownLayerError
from geo.measure import geodesic_area_km2, geodesic_length_km
from geo.reference.boundaries import front_oblasts, national_outline, oblasts
from geo.reference.lines import reference_lines
from geo.reference.regions import country_table
from geo.reference.seed import load_seed_claims
from geo.reference.settlements import settlements
from geo.reference.user_lines import drawn_file, load_drawn, load_user_lines, user_lines_paths
from geo.theatres.model import read_manifest
from geo.vocab import Layer, UserLineOrigin

LAYER_NAMES = Layer.values()
USER_KINDS = UserLineOrigin.values()


def layer_names() -> tuple[str, ...]:
    """Names accepted by :func:`get_layer` and ``python -m geo export --layer``."""
    return LAYER_NAMES


@functools.lru_cache(maxsize=1)
def base_contested() -> gpd.GeoDataFrame:
    """Contested areas of the shipped lines (no claims attached), cached."""
    return contested_areas(reference_lines(), front_oblasts())


@functools.lru_cache(maxsize=1)
def zones_with_settlements() -> gpd.GeoDataFrame:
    """The ``zones`` layer: Minsk security zones with the settlements in each, cached."""
    return attach_settlements(zones_layer())


@functools.lru_cache(maxsize=1)
def front_region():
    """The union of the shipped front oblasts: the region sides and bands are decided in (cached)."""
    return shapely.union_all(front_oblasts().geometry.values)


@functools.lru_cache(maxsize=1)
def zones_layer() -> gpd.GeoDataFrame:
    """:func:`geo.analysis.security_zones.theatre_zones` of the registry theatre's agreements, cached.

    The agreements come from its ``theatre.json``; the bands are drawn from the shipped lines
    within the national outline.
    """
    return theatre_zones(read_manifest(config.SEED_THEATRE_DIR, shipped=True), reference_lines(), national_outline())


@functools.lru_cache(maxsize=1)
def settlements_layer() -> gpd.GeoDataFrame:
    """The ``settlements`` layer: the shipped gazetteer with the side of each shipped line it lies on.

    :func:`geo.analysis.settlements.settlement_sides` against the front
    oblasts. Cached; treat as read-only.
    """
    return settlement_sides(settlements(), reference_lines(), front_region())


def implied_layer(claims: pd.DataFrame) -> gpd.GeoDataFrame:
    """:func:`geo.analysis.implied.implied_areas` for the shipped lines and front oblasts.

    Each band is solved once per (line version, side, figure) and cached
    (:mod:`geo.analysis.figure_cache`), so a call with edited claims solves
    only figures not seen before. Rows sharing a band share its geometry
    object: treat the result as read-only.
    """
    return implied_areas(claims, reference_lines(), front_region())


def verdict_table(claims: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.analysis.verdict.claimed_vs_measured` against the shipped lines.

    The measured areas are cached per (line versions, side)
    (:mod:`geo.analysis.figure_cache`); the per-claim part is vectorised.
    For the claims page and exports.
    """
    return claimed_vs_measured(claims, base_contested(), reference_lines(), front_oblasts())


def _per_band(bands: gpd.GeoDataFrame, attach) -> gpd.GeoDataFrame:
    """``attach`` (a function adding columns to a frame of polygons) run once per distinct band, spread to its rows."""
    if bands.empty:
        return attach(bands)
    codes, _ = pd.factorize(pd.MultiIndex.from_frame(bands[BAND_KEY].astype(str)))
    first = pd.Series(np.arange(len(bands))).groupby(codes).first().to_numpy()
    distinct = attach(bands.iloc[first].reset_index(drop=True))
    added = [c for c in distinct.columns if c not in bands.columns]
    out = bands.copy()
    for col in added:
        out[col] = distinct[col].to_numpy()[codes]
    return out


def implied_with_verdicts(claims: pd.DataFrame, encoded: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """The ``implied`` layer: implied bands with each claim's verdict and settlements.

    :func:`geo.analysis.implied.implied_layer` plus ``measured_km2``,
    ``measured_low_km2``, ``measured_high_km2``, ``ratio``, ``verdict``,
    ``to_line``, ``to_line_name`` (from :func:`verdict_table`), the settlement columns of
    :func:`geo.analysis.settlements.settlement_summary` and ``sources`` (:func:`geo.claims.provenance.attach_sources`;
    ``encoded``: the claims' :func:`geo.claims.provenance.encoded_sources`, if already made).
    """
    bands = implied_layer(claims)
    v = verdict_table(claims)[
        [
            S.CLAIM_ID,
            S.M_MEASURED_KM2,
            S.M_MEASURED_LOW_KM2,
            S.M_MEASURED_HIGH_KM2,
            S.M_RATIO,
            S.M_VERDICT,
            S.C_TO_LINE,
        ]
    ]
    out = bands.merge(v, on=S.CLAIM_ID, how="left")
    lines = reference_lines()
    out["to_line_name"] = out[S.C_TO_LINE].map(dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME])))
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=S.CRS)
    return attach_sources(_per_band(out, attach_settlements), encoded=encoded or encoded_sources(claims))


def _country_name() -> str:
    """The name of the seed theatre's (first) country, from ``data/world/countries.csv``."""
    code = read_manifest(config.SEED_THEATRE_DIR, shipped=True).countries[0]
    return str(country_table().set_index("iso_a2").loc[code, "name"])


def outline_layer() -> gpd.GeoDataFrame:
    """The national outline as one feature (``name``, ``area_km2``)."""
    geom = national_outline()
    return gpd.GeoDataFrame(
        {S.B_NAME: [_country_name()], S.AREA_KM2: [geodesic_area_km2(geom)]},
        geometry=[geom],
        crs=S.CRS,
    )


def _area_sets(pairs: pd.DataFrame) -> pd.Series:
    """Claim id -> the sorted tuple of the contested areas (``area_index``) it is joined to.

    One sort and one split of the whole table, not a Python function per claim (a groupby
    with a lambda took 1.2 s for 42,000 claims).
    """
    if pairs.empty:
        return pd.Series(dtype=object)
    ordered = pairs[[S.CLAIM_ID, "area_index"]].sort_values([S.CLAIM_ID, "area_index"], kind="stable")
    ids = ordered[S.CLAIM_ID].to_numpy()
    index = ordered["area_index"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    groups = np.split(index, starts[1:])
    return pd.Series([tuple(g.tolist()) for g in groups], index=ids[starts], dtype=object)


def claims_layer(claims: pd.DataFrame, contested: gpd.GeoDataFrame, pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Claims as features: own geometry if given, else the union of their contested areas.

    The union is computed once per distinct set of contested areas (many
    claims are about the same areas), never once per claim.
    """
    by_claim = _area_sets(pairs)
    wkt = claims[S.CLAIM_GEOMETRY].fillna("").astype(str)
    own = wkt != ""
    area_sets = claims[S.CLAIM_ID].map(by_claim)
    joined = ~own & area_sets.notna()
    unions = {key: shapely.union_all(contested.geometry.values[list(key)]) for key in dict.fromkeys(area_sets[joined])}
    geoms = np.full(len(claims), None, dtype=object)
    if own.any():
        geoms[own.to_numpy()] = shapely.from_wkt(wkt[own].to_numpy(), on_invalid="ignore")
    geoms[joined.to_numpy()] = [unions[k] for k in area_sets[joined]]
    origin = np.where(own, "claim", np.where(joined, "contested_area", "none"))
    out = gpd.GeoDataFrame(claims.copy(), geometry=list(geoms), crs=S.CRS)
    out["geometry_from"] = origin
    return out.drop(columns=[S.CLAIM_GEOMETRY])


def _user_line_files(data_dir=None) -> list[Path]:
    return [*user_lines_paths(data_dir), drawn_file(data_dir)]


def user_lines_signature(data_dir=None) -> tuple:
    """(name, size, mtime) of the files holding imported and drawn lines: a cache key."""
    out = []
    for p in _user_line_files(data_dir):
        st = p.stat() if p.exists() else None
        out.append((p.name, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return tuple(out)


def user_lines_layer(data_dir=None) -> gpd.GeoDataFrame:
    """Lines the analyst imported (``user_lines.csv``) or drew (``drawn_lines.geojson``).

    Columns ``line_id``, ``name``, ``date``, ``kind`` (imported | drawn),
    ``sources`` and ``length_km``; empty when there are none.
    """
    cols = [S.LINE_ID, S.LINE_NAME, S.LINE_DATE, S.LINE_KIND, S.LINE_SOURCES]
    frames = []
    imported = load_user_lines(data_dir)
    if imported is not None and len(imported):
        frames.append(imported.assign(**{S.LINE_KIND: UserLineOrigin.IMPORTED.value})[cols + ["geometry"]])
    drawn = load_drawn(drawn_file(data_dir))
    if len(drawn):
        frames.append(drawn.assign(**{S.LINE_KIND: UserLineOrigin.DRAWN.value})[cols + ["geometry"]])
    if not frames:
        return gpd.GeoDataFrame({c: pd.Series(dtype=str) for c in cols}, geometry=[], crs=S.CRS).assign(length_km=[])
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=S.CRS)
    out["length_km"] = [geodesic_length_km(g.boundary if g.geom_type.endswith("Polygon") else g) for g in out.geometry]
    return out


def build_layers(claims: pd.DataFrame | None = None, *, data_dir=None) -> dict[str, gpd.GeoDataFrame]:
    """All layers, with ``claims`` (default: the shipped seed claims) joined in.

    ``user_lines`` comes from ``data_dir`` (default: ``$CONTESTED_DATA_DIR``).
    """
    claims = load_seed_claims() if claims is None else claims
    lines = reference_lines()
    contested = base_contested()
    pairs = join_claims(claims, contested, lines)
    # Every claim's source object as JSON text, made once for the three layers that cite claims.
    encoded = encoded_sources(claims)
    return {
        Layer.BOUNDARIES.value: oblasts(),
        Layer.OUTLINE.value: outline_layer(),
        Layer.LINES.value: lines,
        Layer.CONTESTED.value: attach_sources(attach_settlements(attach_claim_ids(contested, pairs)), encoded=encoded),
        Layer.CLAIMS.value: attach_sources(claims_layer(claims, contested, pairs), encoded=encoded),
        Layer.IMPLIED.value: implied_with_verdicts(claims, encoded),
        Layer.ZONES.value: zones_with_settlements(),
        Layer.SETTLEMENTS.value: settlements_layer(),
        Layer.USER_LINES.value: user_lines_layer(data_dir),
    }


def get_layer(name: str, claims: pd.DataFrame | None = None, *, data_dir=None) -> gpd.GeoDataFrame:
    """One layer by name; :class:`UnknownLayerError` lists the valid names."""
    if name not in LAYER_NAMES:
        raise UnknownLayerError(f"unknown layer '{name}'; choose one of: {', '.join(LAYER_NAMES)}")
    return build_layers(claims, data_dir=data_dir)[name]


#: Layers the map page always draws, and the ones it draws only when asked for ("Also draw").
MAP_BASE_LAYERS = tuple(k.value for k in (Layer.BOUNDARIES, Layer.LINES, Layer.CONTESTED, Layer.USER_LINES))
MAP_OPTIONAL_LAYERS = tuple(k.value for k in (Layer.IMPLIED, Layer.ZONES, Layer.SETTLEMENTS))


def view_layers(layers: dict[str, gpd.GeoDataFrame], to_lines=None, optional_layers=()) -> dict[str, gpd.GeoDataFrame]:
    """The layers a map view shows, filtered as the map filters them.

    ``layers`` is what :func:`build_layers` returned for the view's date (so
    the "as known on" date is already applied). ``contested`` keeps only the
    areas against the chosen later lines ``to_lines`` (None: all);
    ``optional_layers`` adds any of :data:`MAP_OPTIONAL_LAYERS`; empty layers
    are left out. Unknown optional layers raise :class:`UnknownLayerError`.
    """
    unknown = [k for k in optional_layers if k not in MAP_OPTIONAL_LAYERS]
    if unknown:
        raise UnknownLayerError(f"unknown map layer(s) {unknown}; choose from {', '.join(MAP_OPTIONAL_LAYERS)}")
    out = {}
    for name in (*MAP_BASE_LAYERS, *[k for k in MAP_OPTIONAL_LAYERS if k in optional_layers]):
        frame = layers.get(name)
        if frame is None or frame.empty:
            continue
        if name == Layer.CONTESTED and to_lines is not None:
            frame = frame[frame[S.C_TO_LINE].isin(list(to_lines))]
            if frame.empty:
                continue
        out[name] = frame
    return out


def view_frame(layers: dict[str, gpd.GeoDataFrame], to_lines=None, optional_layers=()) -> gpd.GeoDataFrame:
    """One frame of every feature a map view shows, with a ``layer`` column naming its layer.

    Columns are the union of the layers' columns (blank where a layer has
    none); geometry in EPSG:4326, full resolution (not the simplified drawing).
    """
    parts = []
    for name, frame in view_layers(layers, to_lines, optional_layers).items():
        part = frame.to_crs(S.CRS) if frame.crs is not None and str(frame.crs) != str(S.CRS) else frame
        part = part.copy()
        part.insert(0, "layer", name)
        parts.append(pd.DataFrame(part))
    if not parts:
        return gpd.GeoDataFrame({"layer": pd.Series(dtype=str)}, geometry=[], crs=S.CRS)
    out = pd.concat(parts, ignore_index=True, sort=False)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=S.CRS)
