"""AppTest of the Compare page: figures, permalinks, and a drawing saved and compared.

A drawing reaches the page the way st_folium hands it over: the page reads the
st_folium return value and, failing that, ``st.session_state["compare_draw_map"]``
(the key st_folium writes its last value to). AppTest does not run the map's
JavaScript, so the tests set that key to ``{"last_active_drawing": <Feature>}``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.io import drawn as D
from tests.support.parties import PARTY_SEPARATISTS

REPO = Path(__file__).resolve().parents[2]
PAGE = str(REPO / "pages" / "compare.py")
DRAW_KEY = "compare_draw_map"
SKETCH = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "LineString", "coordinates": [[38.55, 48.62], [38.30, 48.45], [38.22, 48.30], [38.05, 48.15]]},
}


def _app(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_default_view_compares_sep_2014_with_feb_2015():
    at = _app()
    assert at.selectbox(key="compare_a").value == S.LINE_MINSK_2014
    assert at.selectbox(key="compare_b").value == S.LINE_CONTACT_2015_02
    m = _metrics(at)
    assert m["Gained by Separatists"].endswith("km²") and m["Gained by Separatists"] != "0 km²"
    settlements = next(d.value for d in at.dataframe if "from_side" in d.value.columns)
    assert "Debaltseve" in set(settlements["name"])
    assert at.query_params["a"] == [S.LINE_MINSK_2014] or at.query_params["a"] == S.LINE_MINSK_2014
    assert not at.error


def test_permalink_restores_the_selection():
    at = _app(a=S.LINE_CONTACT_2015_01, b=S.LINE_MINSK_2014, date="2015-02-01", claim="c001")
    assert at.selectbox(key="compare_a").value == S.LINE_CONTACT_2015_01
    assert at.selectbox(key="compare_b").value == S.LINE_MINSK_2014
    # 1 Feb 2015 is between versions: the slider snaps to the line in force, 20 Jan 2015.
    assert at.select_slider(key="compare_date").value == "2015-01-20"
    assert at.selectbox(key="compare_claim").value == "c001"
    text = " ".join(str(md.value) for md in at.markdown)
    assert "Line of contact (20 Jan 2015)" in text and "Claimed" in text
    # Going from Jan 2015 back to Sep 2014 the separatists "gain" what Ukraine held beyond the line.
    forward = _metrics(_app(a=S.LINE_MINSK_2014, b=S.LINE_CONTACT_2015_01))
    m = _metrics(at)
    assert m["Gained by Ukraine"] == forward["Gained by Separatists"]
    assert m["Gained by Separatists"] == forward["Gained by Ukraine"]
    # The URL written back is the same selection.
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["a"] == S.LINE_CONTACT_2015_01 and qp["b"] == S.LINE_MINSK_2014 and qp["date"] == "2015-01-20"


def test_unknown_line_in_a_link_falls_back_with_a_warning():
    at = _app(a="no_such_line")
    assert at.selectbox(key="compare_a").value == S.LINE_MINSK_2014
    assert any("no_such_line" in str(w.value) for w in at.warning)


def test_a_drawn_line_is_saved_and_compared():
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state[DRAW_KEY] = {"last_active_drawing": SKETCH}
    at.run()
    at.text_input(key="compare_draw_name").input("Sketch west of Debaltseve")
    at.text_input(key="compare_draw_url").input("https://example.org/statement")
    at.text_area(key="compare_draw_quote").input("more than 500 sq km beyond the agreed lines")
    at.button(key="compare_draw_save").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    saved = D.load_drawn(Path(os.environ["CONTESTED_DATA_DIR"]) / D.DRAWN_FILENAME)
    assert list(saved[S.LINE_NAME]) == ["Sketch west of Debaltseve"]
    new_id = saved[S.LINE_ID].iloc[0]
    assert saved[S.SOURCE_URL].iloc[0] == "https://example.org/statement"
    # Compared at once: it is now line B and the figures are shown.
    assert at.selectbox(key="compare_b").value == new_id
    assert any(new_id in str(s.value) for s in at.success)
    assert _metrics(at)["Gained by Separatists"] != "0 km²"


def test_pasted_coordinates_are_the_fallback_and_bad_urls_are_refused():
    at = _app()
    at.text_area(key="compare_draw_text").input("38.55 48.62\n38.30 48.45\n38.05 48.15")
    at.text_input(key="compare_draw_name").input("Pasted")
    at.text_input(key="compare_draw_url").input("javascript:alert(1)")
    at.button(key="compare_draw_save").click()
    at.run()
    assert any("http" in str(e.value) for e in at.error)
    path = Path(os.environ["CONTESTED_DATA_DIR"]) / D.DRAWN_FILENAME
    assert not path.exists()
    at.text_input(key="compare_draw_url").input("https://example.org/ok")
    at.button(key="compare_draw_save").click()
    at.run()
    assert not at.exception
    assert list(D.load_drawn(path)[S.LINE_NAME]) == ["Pasted"]


def test_nothing_drawn_is_an_error_not_a_traceback():
    at = _app()
    at.text_input(key="compare_draw_name").input("Empty")
    at.button(key="compare_draw_save").click()
    at.run()
    assert not at.exception
    assert any("draw a line" in str(e.value) for e in at.error)


@pytest.mark.parametrize("key", ["compare_overlay_map", "compare_map_left"])
def test_map_view_survives_reruns(key):
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state["compare_center"] = (48.4, 38.3)
    at.session_state["compare_zoom"] = 10
    if key == "compare_map_left":
        at.run()
        at.radio(key="compare_view").set_value("Side by side")
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["compare_center"] == (48.4, 38.3) and at.session_state["compare_zoom"] == 10


def test_a_drawn_area_can_be_added_to_the_claims_registry():
    from geo.claims.store import open_store

    polygon = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[38.3, 48.3], [38.5, 48.3], [38.5, 48.45], [38.3, 48.45], [38.3, 48.3]]],
        },
    }
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state[DRAW_KEY] = {"last_active_drawing": polygon}
    at.run()
    at.text_input(key="compare_draw_name").input("Held near Debaltseve")
    at.text_input(key="compare_draw_url").input("https://example.org/claim")
    at.text_area(key="compare_draw_quote").input("the separatists hold this ground")
    at.checkbox(key="compare_draw_register").check()
    at.text_input(key="compare_draw_actor").input("Kiev")
    at.button(key="compare_draw_save").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    claim_id = at.session_state["compare_last_claim"]
    claims = open_store().list_claims()
    row = claims[claims[S.CLAIM_ID] == claim_id].iloc[0]
    assert row[S.CLAIM_GEOMETRY].startswith("POLYGON") and row[S.CLAIM_SIDE] == PARTY_SEPARATISTS
    assert row[S.CLAIM_QUOTE] == "the separatists hold this ground"
    # An area is compared as ground added to the separatists' side of the chosen line.
    assert at.selectbox(key="compare_a").value == S.LINE_MINSK_2014
    assert _metrics(at)["Gained by Ukraine"] == "0 km²" or _metrics(at)["Gained by Ukraine"] == "0.0 km²"


def test_without_leaflet_draw_the_page_offers_pasting(monkeypatch):
    import geo.maps.draw_assets as DA

    monkeypatch.setattr(DA, "install_draw_assets", lambda static_dir: [])
    monkeypatch.setattr(DA, "draw_assets_present", lambda static_dir: False)
    at = _app()
    assert any("paste coordinates instead" in str(i.value) for i in at.info)
    at.text_area(key="compare_draw_text").input("LINESTRING (38.55 48.62, 38.30 48.45, 38.05 48.15)")
    at.text_input(key="compare_draw_name").input("From WKT")
    at.button(key="compare_draw_save").click()
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="compare_b").value.startswith(D.DRAWN_PREFIX)
