"""The claims and layers the pages share (``st.cache_resource``: one object for every session, not a
copy) are never changed in place: after the pages ran over them they equal a fresh build."""

from pathlib import Path

import pandas as pd
from geopandas import GeoDataFrame
from geopandas.testing import assert_geodataframe_equal
from streamlit.testing.v1 import AppTest

from geo.analysis.layers import build_layers, user_lines_signature
from geo.claims.theatre_rules import DEFAULT_THEATRE
from geo.maps import OPTIONAL_LAYERS
from pages import _state
from pages._identity import location, store_at
from tests.support.map_tabs import open_map_tab

REPO = Path(__file__).resolve().parents[2]
MAP_TABS = ("Claimed vs measured", "Implied by figures", "Security zones", "Settlements", "Claims", "Contested areas")


def _ran(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _assert_same(cached, fresh, what):
    if isinstance(fresh, GeoDataFrame):
        try:
            assert_geodataframe_equal(cached, fresh)
        except AssertionError as err:
            raise AssertionError(f"{what} changed: {err}") from err
    else:
        pd.testing.assert_frame_equal(cached, fresh, obj=what)


def test_the_pages_leave_the_shared_claims_and_layers_as_built(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTESTED_DATA_DIR", str(tmp_path))
    at = _ran(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=180).run())
    # Everything the Map page can do with them: every optional layer, every tab, another claim.
    _ran(at.multiselect(key="map_extra_layers").set_value(list(OPTIONAL_LAYERS)).run())
    for tab in MAP_TABS:
        open_map_tab(at, tab)
    radio = at.radio(key="map_claim")
    _ran(radio.set_value(radio.options and at.session_state["map_claim"]).run())
    for page in ("pages/claims.py", "pages/compare.py", "pages/import_export.py", "pages/registry.py"):
        _ran(at.switch_page(page).run())

    loc = location()
    rev = int(store_at(loc).revision())
    builds = []
    real = _state.build_layers
    monkeypatch.setattr(_state, "build_layers", lambda *a, **k: builds.append(1) or real(*a, **k))
    claims = _state._claims(loc, rev, None, None)
    layers = _state._layers(loc, rev, None, user_lines_signature(), None)
    assert builds == []  # the objects the pages used, from the cache, not new ones
    assert _state._layers(loc, rev, None, user_lines_signature(), None) is layers  # shared, not copied

    fresh_claims = store_at(loc).list_claims(theatre=DEFAULT_THEATRE)
    _assert_same(claims, fresh_claims, "claims")
    fresh = real(fresh_claims)
    assert set(layers) == set(fresh)
    for name in fresh:
        _assert_same(layers[name], fresh[name], f"layer {name}")
    assert build_layers is real
