"""Data access shared by the pages: the registry store, cached layers, sidebar state.

Pages never load data themselves; they call these functions. Cached values
are keyed by the registry revision (the number of audit records), so an
edit made on any page shows everywhere on the next rerun, and by the two
sidebar dates:

* "As reported by" (valid time, :func:`as_of`, URL ``as_of``): only the claims
  that had been published by that date
  (:func:`geo.claims.store.filter_claims` ``reported_by``). The registry stays
  editable: an analyst working on what was known in February 2015 still
  corrects and adds claims.
* "As recorded in this registry by" (record time, :func:`recorded_by`, URL
  ``recorded``): the audit view, the registry as it was stored at the end of
  that day (``Store.list_claims(as_of=...)``). Read-only (:func:`read_only`).

Who is working, the store and signing in: :mod:`pages._identity`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import schema as S
from geo.analysis.layers import build_layers, user_lines_signature
from geo.auth import Action
from geo.claims.store import filter_claims
from geo.claims.theatre_rules import DEFAULT_THEATRE
from geo.errors import GeoError
from geo.html import md_escape
from geo.theatres import MANIFEST, Theatre, get_theatre, list_theatres, shipped_root, user_root
from geo.theatres.tables import in_registry, theatre_lines
from pages._identity import location, principal, revision, store, store_at

AS_OF_KEY = "as_known_on"  # "As reported by" (valid time); URL as_of
RECORDED_KEY = "recorded_by"  # "As recorded in this registry by" (record time); URL recorded
FIRST_DAY = dt.date(2014, 1, 1)
THEATRE_KEY = "theatre_id"  # the sidebar's theatre widget; URL theatre (absent: the default theatre)
CHOSEN_THEATRE_KEY = "theatre_chosen"  # the choice itself, kept when a run does not draw the widget
SWITCHES_KEY = "theatre_switches"  # how often the theatre changed in this session (see theatre_switches)
#: Page state that names a theatre's lines, claims or parties: forgotten when the theatre changes.
THEATRE_SCOPED_KEYS = (
    "map_to_lines",
    "map_claim",
    "map_claim_zoom",
    "map_claim_find",
    "compare_a",
    "compare_b",
    "cf_ref",
    "cf_party",
    "add_party",
    "add_ref",
)
#: URL values that name a theatre's lines: dropped when the theatre changes.
THEATRE_SCOPED_PARAMS = ("lines", "a", "b")


def may(action: Action | str) -> bool:
    """Whether the current principal may do ``action`` now (read-only mode and the audit view included)."""
    who = principal()
    if who is None or (recorded_by() is not None and str(action) not in ("read", "export")):
        return False
    return who.may(action)


def as_of() -> dt.date | None:
    """The sidebar's "As reported by" date (valid time), or None for everything."""
    return st.session_state.get(AS_OF_KEY) or None


def recorded_by() -> dt.date | None:
    """The sidebar's "As recorded in this registry by" date (record time, audit view), or None."""
    return st.session_state.get(RECORDED_KEY) or None


def read_only() -> bool:
    """True when the pages show no forms: the audit view, read-only mode, a role that may not add,
    or a theatre whose claims are read from its files rather than the registry."""
    return recorded_by() is not None or not may(Action.ADD) or not theatre_in_registry()


@st.cache_data(show_spinner=False, max_entries=8)
def _theatres(user_dir: str, stamp: tuple) -> list[Theatre]:
    return list_theatres()


def theatres() -> list[Theatre]:
    """Every theatre that loads (shipped, then the user's), read again when a manifest is added or changed."""
    roots = (shipped_root(), user_root())
    stamp = tuple((str(m), m.stat().st_mtime_ns) for r in roots if r.is_dir() for m in sorted(r.glob(f"*/{MANIFEST}")))
    return _theatres(str(user_root()), stamp)


def theatre() -> Theatre:
    """The theatre chosen in the sidebar (the default theatre when none or an unknown one is chosen)."""
    chosen = st.session_state.get(CHOSEN_THEATRE_KEY) or st.session_state.get(THEATRE_KEY)
    for t in theatres():
        if t.id == chosen:
            return t
    return default_theatre()


def default_theatre() -> Theatre:
    """The theatre shown when none is chosen (:func:`geo.theatres.default_theatre`, from the cached list)."""
    listed = theatres()
    if not listed:
        from geo.theatres import default_theatre as find_default

        return find_default()  # raises, naming where it looked
    return next((t for t in listed if t.shipped and t.default), listed[0])


def theatre_switches() -> int:
    """How often the sidebar's theatre changed in this session: part of a theatre map's key, so that
    each switch mounts a new map (the map component keeps what it drew last under one key)."""
    return int(st.session_state.get(SWITCHES_KEY, 0))


def theatre_in_registry() -> bool:
    """Whether the chosen theatre's claims are the registry's (editable); the others are read from their files."""
    return in_registry(theatre())


def table_stamp(t: Theatre) -> tuple:
    """What identifies the content of a theatre's files: their names, sizes and modification times."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(t.path.iterdir()) if p.is_file())


@st.cache_data(show_spinner=False, max_entries=16)
def _theatre_lines(theatre_id: str, path: str, stamp: tuple):
    return theatre_lines(get_theatre(theatre_id))


def chosen_theatre_lines():
    """The chosen theatre's reference lines from its own tables (cached until a table changes)."""
    t = theatre()
    return _theatre_lines(t.id, str(t.path), table_stamp(t))


def chosen_theatre_claims() -> pd.DataFrame:
    """The chosen theatre's claims in the registry (each claim names its theatre), as of the sidebar dates."""
    return registry_claims(theatre().id)


def party_label(party_id: str) -> str:
    """The chosen theatre's short name of a party ("" for none; the id itself for a party it does not list)."""
    if not party_id:
        return ""
    return next((p.short for p in theatre().parties if p.id == party_id), str(party_id))


def view_dates() -> tuple[dt.date | None, dt.date | None]:
    """``(as reported by, as recorded by)``: the part of every cache key the sidebar sets."""
    return as_of(), recorded_by()


# The claims and layers are shared objects (st.cache_resource), not copies: with 100k claims,
# unpickling a copy on every run cost seconds. Nothing may change them in place
# (tests/app/test_shared_frames.py runs the pages and compares them with a fresh build).
@st.cache_resource(show_spinner="Loading claims…", max_entries=16)
def _claims(
    loc: str, rev: int, as_of_date: dt.date | None, recorded: dt.date | None = None, theatre_id: str = DEFAULT_THEATRE
) -> pd.DataFrame:
    frame = store_at(loc).list_claims(as_of=recorded, theatre=theatre_id)
    return filter_claims(frame, reported_by=as_of_date) if as_of_date else frame


def registry_claims(theatre_id: str) -> pd.DataFrame:
    """The registry's claims of one theatre, as reported by / as recorded by the sidebar dates."""
    return _claims(location(), revision(), *view_dates(), theatre_id)


def claims_table() -> pd.DataFrame:
    """Claims (as reported by / as recorded by the sidebar dates), joined with their sources.

    The registry's claims for the registry's theatre; another theatre's from its own files.
    """
    if not theatre_in_registry():
        return chosen_theatre_claims()
    return _claims(location(), revision(), *view_dates())


@st.cache_resource(show_spinner="Building layers…", max_entries=16)
def _layers(loc: str, rev: int, as_of_date: dt.date | None, user_lines_sig: tuple, recorded: dt.date | None = None):
    return build_layers(_claims(loc, rev, as_of_date, recorded))


def layers():
    """All layers; rebuilt when the registry, the sidebar dates or the imported/drawn lines change."""
    return _layers(location(), revision(), as_of(), user_lines_signature(), recorded_by())


@st.cache_resource(show_spinner=False, max_entries=16)
def _view_claims(
    loc: str, rev: int, as_of_date, user_lines_sig: tuple, recorded, to_lines: tuple
) -> tuple[pd.DataFrame, dict[str, str], str | None]:
    from geo.maps import claim_choice_labels, claims_in_view, default_claim

    contested = _layers(loc, rev, as_of_date, user_lines_sig, recorded)["contested"]
    view = claims_in_view(contested[contested[S.C_TO_LINE].isin(to_lines)], _claims(loc, rev, as_of_date, recorded))
    labels = {
        cid: md_escape(text) for cid, text in zip(view[S.CLAIM_ID].tolist(), claim_choice_labels(view), strict=True)
    }
    return view, labels, default_claim(view)


def view_claims(to_lines) -> tuple[pd.DataFrame, dict[str, str], str | None]:
    """The registry's claims about the contested areas against ``to_lines`` (:func:`geo.maps.claims_in_view`),
    how each is listed beside the map (markdown-escaped) and the one a first load selects
    (:func:`geo.maps.default_claim`): computed once per view and shared by every session (not copied;
    read-only): with many claims the labels cost more than the rest of a warm run."""
    return _view_claims(location(), revision(), as_of(), user_lines_signature(), recorded_by(), tuple(to_lines))


class _Recorder:
    """Stands in for streamlit-folium's component function: records what it would send."""

    def __init__(self):
        self.kwargs = None

    def __call__(self, **kwargs):
        self.kwargs = kwargs
        return kwargs.get("default")


def _st_folium_args(m, **options) -> dict:
    """The arguments ``st_folium(m, **options)`` passes to its component (nothing is drawn)."""
    import streamlit_folium

    real, rec = streamlit_folium._component_func, _Recorder()
    streamlit_folium._component_func = rec
    try:
        streamlit_folium.st_folium(m, **options)
    finally:
        streamlit_folium._component_func = real
    return rec.kwargs


def show_recorded_map(args: dict):
    """Send a map component the arguments :func:`recorded_map_args` recorded (no map is built or rendered)."""
    import streamlit_folium

    return streamlit_folium._component_func(**args)


def recorded_map_args(m, **options) -> dict:
    """What ``st_folium(m, **options)`` sends its component, ready to cache and replay with
    :func:`show_recorded_map` (a folium map renders differently a second time, so it is rendered once)."""
    args = _st_folium_args(m, **options)
    args.pop("on_change", None)
    return args


MAP_OPTIONS = {"height": 640, "use_container_width": True, "returned_objects": [], "render": False}


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def _map_component_args(
    loc: str, rev: int, as_of_date, to_lines: tuple, optional: tuple, user_lines_sig: tuple, key: str, recorded=None
) -> tuple[dict, int, tuple]:
    import folium

    from geo.maps import build_map, drawn_legend, split_map

    m = build_map(
        _layers(loc, rev, as_of_date, user_lines_sig, recorded),
        _claims(loc, rev, as_of_date, recorded),
        sources=store_at(loc).list_sources(as_of=recorded),
        basemap="blank",  # the base is the same for every basemap; show_map switches them
        to_lines=list(to_lines),
        optional_layers=optional,
    )
    base, groups = split_map(m)
    base.get_root().render()
    control = folium.LayerControl(collapsed=True, position="topright")
    args = _st_folium_args(base, key=key, feature_group_to_add=groups, layer_control=control, **MAP_OPTIONS)
    args.pop("on_change", None)
    return args, len(groups), tuple(drawn_legend(m))


def _view_map(to_lines, optional_layers, key: str) -> tuple[dict, int, tuple]:
    """The cached build of the view's map for the registry and sidebar state now:
    ``(component arguments, number of layer groups, legend)``."""
    return _map_component_args(
        location(),
        revision(),
        as_of(),
        tuple(to_lines),
        tuple(optional_layers),
        user_lines_signature(),
        key,
        recorded_by(),
    )


#: Seconds a session's first run of a map page waits after sending the map, before what is below it.
MAP_HEAD_START_S = 1.5


def map_head_start(page: str, headers=None) -> float:
    """Seconds to wait, once the map is sent, before sending the rest of ``page`` (and mark it sent).

    A session's first map needs the browser's main thread: the map's frame,
    Leaflet and the drawing of its shapes. The first table of a session makes
    the browser load and compile Streamlit's data grid (over 1 MB of
    JavaScript), which, sent together with the map, delays the map by about
    as much. So, on the first run of ``page`` in a session opened by a browser
    (``headers``, default ``st.context.headers``), the page waits
    :data:`MAP_HEAD_START_S` after the map and then sends its tables; every
    later run (the grid is loaded) and a session without a browser (AppTest)
    does not wait. The page shows the same content.
    """
    flag = f"_head_start_{page}"
    if st.session_state.get(flag):
        return 0.0
    st.session_state[flag] = True
    headers = st.context.headers if headers is None else headers
    return MAP_HEAD_START_S if headers else 0.0


def let_the_map_draw(page: str, waited: float = 0.0) -> None:
    """Give the browser :func:`map_head_start` seconds to draw the map before the rest of ``page`` is sent
    (less the ``waited`` seconds the page already spent after sending the map)."""
    wait = map_head_start(page) - waited
    if wait > 0:
        time.sleep(wait)


def show_map(basemap: str, to_lines, optional_layers=(), *, key: str, feature_group=None, center=None, zoom=None):
    """Draw the map page's map, keeping it in the browser when only the view's layers change.

    The map is sent as two parts (:func:`geo.maps.mapview.split_map`): the base
    (basemaps, oblasts, labels), whose script is the same for every view
    and basemap, so the browser keeps the map (no new iframe, no reload of
    Leaflet); and the view's layers plus the layer control, which
    streamlit-folium swaps in place (``feature_group_to_add``,
    ``layer_control``). Both are computed once per view and cached; each run
    only adds the small ``feature_group`` (the chosen claim's outline) and
    the ``center``/``zoom`` to move to, and switches to ``basemap``
    (:func:`geo.maps.mapview.basemap_switch_js`). The component gets what ``st_folium``
    would send for the same parts (``tests/test_map_page.py`` checks it).
    """
    import folium
    import streamlit_folium

    from geo.maps import basemap_switch_js

    cached, n_groups, _legend = _view_map(to_lines, optional_layers, key)
    args = dict(cached)
    # Run with the view's layers each time they are (re)drawn: shows the chosen basemap.
    args["feature_group"] = (args.get("feature_group") or "") + basemap_switch_js(args["script"], basemap)
    if feature_group is not None:
        # st_folium adds the group to the map to name it; a blank stand-in map gets the same text.
        extra = streamlit_folium._get_feature_group_string(feature_group, map=folium.Map(tiles=None), idx=n_groups)
        args["feature_group"] = (args.get("feature_group") or "") + extra
    args["center"], args["zoom"] = center, zoom
    hash_key = args["key"]

    def _on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return streamlit_folium._component_func(**args, on_change=_on_change)


def map_legend(to_lines, optional_layers=(), *, key: str) -> list:
    """The legend of the view's map (:func:`geo.maps.mapview.drawn_legend`), from the same cached build
    as :func:`show_map` (call with the same ``key``)."""
    return list(_view_map(to_lines, optional_layers, key)[2])


def sources_table() -> pd.DataFrame:
    return store().list_sources()


@st.cache_data(show_spinner=False, max_entries=16)
def _settlements_by_area(data_key: tuple) -> pd.DataFrame:
    # data_key identifies what layers() returns.
    from geo.analysis.settlements import settlements_by_area

    return settlements_by_area(layers()["contested"])


def settlements_by_area_table() -> pd.DataFrame:
    """Settlements inside each contested area, computed once per registry revision."""
    return _settlements_by_area((location(), revision(), *view_dates(), user_lines_signature()))


@st.cache_data(show_spinner=False, max_entries=16)
def _contested_export(data_key: tuple) -> tuple[bytes, str, str]:
    from geo.io import export_bytes

    return export_bytes(layers()["contested"], "geojson", name="contested")


@st.cache_data(show_spinner=False, max_entries=16)
def _claim_tables(
    loc: str, rev: int, as_of_date: dt.date | None, recorded: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from geo.analysis.layers import verdict_table
    from geo.maps import claims_view, verdict_display
    from geo.reference.lines import reference_lines

    claims = _claims(loc, rev, as_of_date, recorded)
    lines = reference_lines()
    names = dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))
    return verdict_display(verdict_table(claims), names), claims_view(claims, names)


@st.cache_data(show_spinner=False, max_entries=16)
def _implied_display(data_key: tuple) -> pd.DataFrame:
    # data_key identifies what layers() returns.
    from geo.labels import labels
    from geo.maps import fmt_km2

    imp = layers()["implied"]
    return pd.DataFrame(
        {
            "claim": imp["claim_id"],
            "actor": imp["actor"],
            "claimed": imp["claimed_km2"].map(fmt_km2),
            "qualifier": labels("qualifier", imp["qualifier"]),
            "bound": labels("bound", imp["bound"]),
            "band depth (km)": imp["width_km"].round(2),
            "band area": imp["area_km2"].map(fmt_km2),
            "measured": imp["measured_km2"].map(fmt_km2),
            "verdict": labels("verdict", imp["verdict"]),
            "settlements inside": imp["settlements"],
            "could not be drawn": imp["error"].fillna("") if "error" in imp else "",
        }
    )


def implied_view() -> pd.DataFrame:
    """The areas implied by figure claims as a display table, made once per registry revision and
    sidebar dates for every session (one row per figure claim: with many, its formatting is not free)."""
    return _implied_display((location(), revision(), *view_dates(), user_lines_signature()))


def verdict_view() -> pd.DataFrame:
    """Claimed vs measured for every figure claim, as people read it, once per revision and as-of date."""
    return _claim_tables(location(), revision(), *view_dates())[0]


def claims_display() -> pd.DataFrame:
    """The claims as a display table (:func:`geo.maps.mapview.claims_view`), once per revision."""
    return _claim_tables(location(), revision(), *view_dates())[1]


def contested_geojson() -> tuple[bytes, str, str]:
    """The contested areas as RFC 7946 GeoJSON ``(data, mime, file name)``, once per revision."""
    return _contested_export((location(), revision(), *view_dates(), user_lines_signature()))


@st.cache_data(show_spinner=False, max_entries=16)
def _view_export(data_key: tuple, to_lines: tuple, optional: tuple) -> tuple[bytes, str, str]:
    # data_key identifies what layers() returns.
    from geo.analysis.layers import view_frame
    from geo.io import export_bytes

    return export_bytes(view_frame(layers(), list(to_lines), optional), "geojson", name="map_view")


def view_geojson(to_lines, optional_layers=()) -> tuple[bytes, str, str]:
    """What the map view shows (:func:`geo.analysis.layers.view_frame`) as RFC 7946 GeoJSON, cached per view."""
    key = (location(), revision(), *view_dates(), user_lines_signature())
    return _view_export(key, tuple(to_lines), tuple(optional_layers))


def page_failed(exc: Exception) -> None:
    """Last line of defence: a failing page shows a message, never a traceback.

    The traceback goes to the server log. Developers set ``CONTESTED_DEBUG=1``
    to let the exception through (Streamlit then shows it, and AppTest sees it).
    """
    if os.environ.get("CONTESTED_DEBUG", "").strip() not in ("", "0"):
        raise exc
    logging.getLogger("contested_lines").exception("page failed")
    st.error(
        f"This page could not be shown ({type(exc).__name__}: {md_escape(exc, max_len=300)}). "
        "Nothing stored was changed; the details are in the server log."
    )


def show_error(exc: Exception) -> None:
    """A user-facing message for an expected failure (never a traceback)."""
    if isinstance(exc, GeoError | ValueError):
        st.error(md_escape(exc))
    else:
        st.error(f"Unexpected {type(exc).__name__}: {md_escape(exc)}")


def line_names() -> dict[str, str]:
    lines = layers()["lines"]
    return dict(zip(lines[S.LINE_ID], lines[S.LINE_NAME]))


def view_notice() -> None:
    """One line above a page's content saying which view the sidebar dates select, if any."""
    reported, recorded = view_dates()
    parts = []
    if reported:
        parts.append(f"as reported by {reported:%d %b %Y} (claims published by then)")
    if recorded:
        parts.append(f"as recorded in this registry by {recorded:%d %b %Y} (audit view, read-only)")
    if parts:
        st.info(f"Showing the registry {md_escape(' and '.join(parts))}.")


def ensure_navigation() -> None:
    """Make a deep link (``/claims``) run ``dashboard.py`` first, as st.navigation intends.

    Streamlit 1.67 treats an app with a ``pages/`` folder next to its main
    script as a "v1" multipage app until some run calls ``st.navigation``; the
    first request of a fresh server to ``/claims`` would then run
    ``pages/claims.py`` alone (no shared sidebar, no error boundary). We turn
    that mode off and rerun, so the entry point runs and routes the page.
    Uses Streamlit's internal ``PagesManager`` flag (pinned version).
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the flag needs nothing
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def _static_assets(static_dir: str) -> int:
    """Leaflet copied into ``static/vendor`` once per server process."""
    from geo.maps import install_static_assets

    return len(install_static_assets(static_dir))


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ensure_navigation()
_static_assets(str(STATIC_DIR))


def folium_args(m, **options) -> dict:
    """What ``st_folium(m, **options)`` would send to its component, the map rendered once.

    Cache the result (e.g. in ``st.cache_resource`` keyed by what the map shows)
    and draw it with :func:`show_folium_args`: a rerun that shows a map seen
    before then neither builds nor renders it again.
    """
    args = _st_folium_args(m, **options)
    args.pop("on_change", None)
    return args


def show_folium_args(args: dict):
    """Draw a map from its :func:`folium_args`; returns what the component returns."""
    import streamlit_folium

    return streamlit_folium._component_func(**args)
