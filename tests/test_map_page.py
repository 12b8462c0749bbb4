"""AppTest of the map page: it runs, shows the seed claim, and its popups are escaped."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import schema as S
from geo.layers import build_layers
from geo.mapview import build_map, contested_popup_html
from geo.sources import load_seed_claims

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def map_app():
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
    frames = [t.value for t in map_app.dataframe]
    claims = next(f for f in frames if "quote" in f.columns)
    contested = next(f for f in frames if "claim_ids" in f.columns)
    seed = claims[claims["quote"].str.contains("more than 500 square km", regex=False)]
    assert len(seed) >= 1
    assert seed["figure"].iloc[0] == "> 500 km²"
    assert seed["event date"].iloc[0] == "2015-01-20"
    assert str(seed["source link"].iloc[0]).startswith("https://")
    assert (contested["claim_ids"].str.contains(seed["claim"].iloc[0])).any()
    assert contested["by oblast"].str.contains(r"^(?:Donetsk|Luhansk) [\d,.]+ km²", regex=True).all()


def test_seed_claim_popup_has_claimed_and_measured():
    layers = build_layers()
    claims = load_seed_claims()
    c = layers["contested"]
    row = c[(c[S.C_TO_LINE] == S.LINE_CONTACT_2015_01) & (c[S.C_HELD_BY] == S.PARTY_SEPARATISTS)].iloc[0]
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
        assert url.startswith("/app/static/")
    assert "cdn.jsdelivr" not in " ".join(u for _, u in m.default_js)
    assert "tile.openstreetmap.org" in html  # available as an option
