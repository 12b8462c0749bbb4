"""AppTest of the map page: it runs, shows the seed claim, and its popups are escaped."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.analysis.layers import build_layers
from geo.maps import build_map, contested_popup_html
from geo.reference.seed import load_seed_claims
from tests.support.map_tabs import map_table
from tests.support.parties import PARTY_SEPARATISTS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    # Module-scoped, so before the root conftest's per-test data directory: give it its own, never
    # the user's store (~/.local/share/contested-lines, which another version may have migrated).
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONTESTED_DATA_DIR", str(tmp_path_factory.mktemp("map_app")))
        mp.delenv("CONTESTED_DB_URL", raising=False)
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
        at.run()
    return at


def test_map_page_runs_without_exception(map_app):
    assert not map_app.exception, [e.value for e in map_app.exception]
    assert map_app.title[0].value == "Contested Lines"


def _all_text(at) -> str:
    parts = []
    for kind in ("markdown", "text", "caption", "subheader", "title"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def test_map_page_shows_the_seed_claim(map_app):
    contested = map_table(map_app, "Contested areas", "claims (ids)")
    claims = map_table(map_app, "Claims", "quote")
    seed = claims[claims["quote"].str.contains("more than 500 square km", regex=False)]
    assert len(seed) >= 1
    assert seed["figure"].iloc[0] == "> 500 km²"
    assert seed["event date"].iloc[0] == "2015-01-20"
    assert str(seed["source link"].iloc[0]).startswith("https://")
    assert (contested["claims (ids)"].str.contains(seed["claim"].iloc[0])).any()
    assert contested["by oblast"].str.contains(r"^(?:Donetsk|Luhansk) [\d,.]+ km²", regex=True).all()


def test_seed_claim_popup_has_claimed_and_measured():
    layers = build_layers()
    claims = load_seed_claims()
    c = layers["contested"]
    row = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (c[S.C_HELD_BY] == PARTY_SEPARATISTS)].iloc[0]
    html = contested_popup_html(row, claims)
    assert "claimed &gt; 500 km² / measured" in html
    assert f"{row[S.AREA_KM2]:,.0f} km²" in html
    assert 'href="https://' in html


def test_popup_escapes_html_and_template_literals():
    layers = build_layers()
    claims = load_seed_claims().copy()
    c = layers["contested"]
    row = c.iloc[0]
    first = row[S.C_CLAIM_IDS].split(";")[0]
    payload = "<img src=x onerror=alert(1)>${alert(2)}`"
    claims.loc[claims[S.CLAIM_ID] == first, S.CLAIM_QUOTE] = payload
    claims.loc[claims[S.CLAIM_ID] == first, S.SOURCE_URL] = "javascript:alert(3)"
    html = contested_popup_html(row, claims)
    assert "<img" not in html and "${" not in html and "`" not in html
    assert "javascript:" not in html


def test_map_uses_only_local_assets():
    m = build_map(build_layers(), load_seed_claims())
    html = m.get_root().render()
    for url in [u for _, u in m.default_js + m.default_css]:
        assert url.startswith(("/app/static/", "data:text/javascript")), url  # the app's files, or inline
    assert "cdn.jsdelivr" not in " ".join(u for _, u in m.default_js)
    assert "tile.openstreetmap.org" in html  # available as an option


def test_first_load_selects_the_seed_claim_beside_the_map(map_app):
    choice = map_app.radio(key="map_claim")
    assert choice.value == "c001"
    # options are markdown, escaped: what a person reads is the text without the escapes
    assert choice.options[0].replace("\\", "").startswith("Kiev, 2015-01-20: > 500 km²")
    assert not any(o.startswith("c0") for o in choice.options)  # people read labels, not ids


def test_map_page_tables_show_labels_not_stored_values(map_app):
    areas = map_table(map_app, "Contested areas", "held by")
    assert set(areas["held by"]) == {"Separatists", "Ukraine"}
    implied = map_table(map_app, "Implied by figures", "bound")
    assert "more_than" not in set(implied["qualifier"]) and "more than" in set(implied["qualifier"])
    assert set(implied["bound"]) <= {"lower bound", "upper bound", "estimate"}
    zones = map_table(map_app, "Security zones", "weapons")
    assert not set(zones["side"]) & {"separatists", "ukraine"}
    claims = map_table(map_app, "Claims", "quote")
    assert "minsk_2014_09_19" not in set(claims["reference line"])


def _sent(fc) -> dict:
    out = {}
    for f in fc["features"]:
        out.setdefault(f["properties"]["layer"], []).append(f["properties"])
    return out


def test_download_exports_what_the_view_shows(media):
    import json

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.run()
    sent = _sent(json.loads(media(at.download_button(key="map_download_geojson"))))
    assert set(sent) == {"boundaries", "lines", "contested"}
    assert {p["to_line"] for p in sent["contested"]} == {S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02}

    at.multiselect(key="map_to_lines").set_value([S.LINE_CONTACT_2015_01]).run()
    at.multiselect(key="map_extra_layers").set_value(["zones"]).run()
    assert not at.exception, [e.value for e in at.exception]
    button = at.download_button(key="map_download_geojson")
    assert "Security zones" in button.proto.help
    sent = _sent(json.loads(media(button)))
    assert set(sent) == {"boundaries", "lines", "contested", "zones"}
    assert {p["to_line"] for p in sent["contested"]} == {S.LINE_CONTACT_2015_01}


def test_show_map_sends_what_st_folium_sends(monkeypatch):
    """pages/_state.show_map caches st_folium's work per view; the component gets the same arguments."""
    import folium
    import streamlit_folium

    from geo.maps import basemap_switch_js, claim_areas, claim_focus, highlight_group, split_map
    from pages import _state

    layers = build_layers()
    areas = claim_areas(layers["contested"], "c001")
    (lat, lon), zoom = claim_focus(areas)

    def parts():
        base, groups = split_map(build_map(layers, load_seed_claims(), optional_layers=()))
        base.get_root().render()
        return base, groups

    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    base, groups = parts()
    streamlit_folium.st_folium(
        base,
        key="main_map",
        feature_group_to_add=[*groups, highlight_group(areas)],
        layer_control=folium.LayerControl(collapsed=True, position="topright"),
        center=(lat, lon),
        zoom=zoom,
        **_state.MAP_OPTIONS,
    )
    base, groups = parts()
    cached = _state._st_folium_args(
        base,
        key="main_map",
        feature_group_to_add=groups,
        layer_control=folium.LayerControl(collapsed=True, position="topright"),
        **_state.MAP_OPTIONS,
    )
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    monkeypatch.setattr(
        _state,
        "_map_component_args",
        lambda *a: ({k: v for k, v in cached.items() if k != "on_change"}, len(groups), ()),
    )
    for name, value in (("location", "x"), ("revision", 0), ("as_of", None), ("user_lines_signature", ())):
        monkeypatch.setattr(_state, name, lambda v=value: v)
    _state.show_map("blank", [], (), key="main_map", feature_group=highlight_group(areas), center=(lat, lon), zoom=zoom)
    theirs, ours = sent
    assert theirs.keys() == ours.keys()

    def same(value):  # two builds differ only in folium's random element ids inside popups
        return re.sub(r"_[0-9a-f]{32}", "_ID", value) if isinstance(value, str) else value

    switch = basemap_switch_js(cached["script"], "blank")
    assert switch in ours["feature_group"]  # shows the chosen basemap; the base map stays as it is
    ours["feature_group"] = ours["feature_group"].replace(switch, "")
    for k in theirs:
        if k not in ("on_change", "layer_control"):
            assert same(ours[k]) == same(theirs[k]), k
    # The layer control lists the view's layers; the chosen claim's outline is not a layer to toggle.
    assert same(ours["layer_control"]) == same(cached["layer_control"])
    assert "Selected claim" in theirs["layer_control"] and "Selected claim" not in ours["layer_control"]
    assert f"feature_group_feature_group_{len(groups)}" in ours["feature_group"]


def test_base_map_is_the_same_for_every_view_of_a_basemap():
    """The browser keeps the map across sidebar changes only if its base script (and key) stay the same."""
    import folium

    from geo.maps import split_map
    from pages import _state

    layers, claims = build_layers(), load_seed_claims()
    keys, groups = set(), []
    for to_lines, optional in (
        ([S.LINE_CONTACT_2015_01, S.LINE_CONTACT_2015_02], ()),
        ([S.LINE_CONTACT_2015_01], ("zones",)),
        ([], ("settlements", "implied")),
    ):
        base, fgs = split_map(build_map(layers, claims, to_lines=to_lines, optional_layers=optional))
        base.get_root().render()
        args = _state._st_folium_args(
            base, key="main_map", feature_group_to_add=fgs, layer_control=folium.LayerControl(), **_state.MAP_OPTIONS
        )
        keys.add(args["key"])
        groups.append(args["feature_group"])
    assert len(keys) == 1
    assert len(set(groups)) == 3  # what changes travels in the feature groups


def test_basemap_switch_names_the_tile_layers_of_the_script():

    from geo.maps import basemap_switch_js, split_map
    from pages import _state

    base, groups = split_map(build_map(build_layers(), load_seed_claims(), optional_layers=()))
    base.get_root().render()
    script = _state._st_folium_args(base, key="k", feature_group_to_add=groups, **_state.MAP_OPTIONS)["script"]
    js = basemap_switch_js(script, "positron")
    assert '"positron": tile_layer_' in js and '"blank": tile_layer_' in js and '"osm": tile_layer_' in js
    assert 'want = "positron"' in js
    with pytest.raises(ValueError, match="unknown basemap"):
        basemap_switch_js(script, "satellite")
    with pytest.raises(ValueError, match="not in the map"):
        basemap_switch_js("var x = 1;", "osm")
