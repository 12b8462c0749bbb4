import geopandas as gpd
import pytest
import shapely

from geo import schema as S
from geo.errors import DataFileError
from geo.measure import geodesic_area_km2
from geo.reference.boundaries import front_oblasts, load_oblasts, national_outline, oblasts

OFFICIAL_KM2 = {S.OBLAST_DONETSK: 26_517.0, S.OBLAST_LUHANSK: 26_684.0}


def within_official(areas: dict[str, float], tolerance: float = 0.03) -> bool:
    """True when every oblast area is within ``tolerance`` of the official figure."""
    return all(abs(areas[iso] - km2) / km2 <= tolerance for iso, km2 in OFFICIAL_KM2.items())


def test_geodesic_areas_match_official_figures():
    g = front_oblasts()
    areas = dict(zip(g[S.B_ISO], g[S.AREA_KM2]))
    assert set(areas) == set(OFFICIAL_KM2)
    assert within_official(areas), areas


def test_web_mercator_areas_are_rejected_by_the_same_check():
    g = front_oblasts()
    mercator = dict(zip(g[S.B_ISO], g.to_crs(3857).area / 1e6))
    assert not within_official(mercator), mercator
    # Web Mercator inflates areas at 48°N by about 1/cos²(48°) ≈ 2.2
    assert 2.0 < mercator[S.OBLAST_DONETSK] / OFFICIAL_KM2[S.OBLAST_DONETSK] < 2.5


def test_ukraine_in_recognised_borders_with_crimea_marked_disputed():
    g = oblasts()
    assert g.crs.to_epsg() == 4326
    isos = set(g[S.B_ISO])
    assert {"UA-43", "UA-40"} <= isos and len(g) == 27
    disputed = set(g.loc[g[S.B_DISPUTED].astype(bool), S.B_ISO])
    assert disputed == {"UA-43", "UA-40"}
    assert shapely.is_valid(g.geometry.values).all()
    total = geodesic_area_km2(national_outline())
    assert 595_000 < total < 610_000  # Ukraine: 603,628 km² officially


def test_invalid_geometry_is_repaired_and_reported(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    gdf = gpd.GeoDataFrame({"name": ["x"], "iso_3166_2": ["UA-99"]}, geometry=[bowtie], crs=4326)
    path = tmp_path / "b.geojson"
    gdf.to_file(path)
    out = load_oblasts(path)
    assert bool(out["repaired"].iloc[0]) is True
    assert out.geometry.iloc[0].is_valid


def test_missing_or_broken_file_gives_clear_error(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        load_oblasts(tmp_path / "nope.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataFileError, match="bad.geojson"):
        load_oblasts(bad)
