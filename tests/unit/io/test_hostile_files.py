"""Hostile and broken files: one-line reasons, geo.errors only, nothing stored.

A corpus of broken or malicious files is generated in ``tmp_path``; each must
be refused by :func:`geo.io.read_vector` / :func:`save_import` with a
:class:`geo.errors.GeoError` whose message is one line naming the file, and
the user-lines target must be byte-for-byte unchanged. A hypothesis fuzz does
the same for 1,000 generated GeoJSON inputs.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import time
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geo.errors import DataFileError, GeoError, InvalidGeometryError, UnsupportedFormatError
from geo.io import AS_CLAIM_GEOMETRY, AS_CLAIMS, AS_LINE, MB, read_vector, save_import

GOOD_LINE = {
    "type": "Feature",
    "properties": {"name": "existing", "date": "2015-01-20"},
    "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]},
}


def geojson(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def line_feature(coords, **props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for item in members:
            if isinstance(item, zipfile.ZipInfo):
                zf.writestr(item, b"target")
            else:
                zf.writestr(*item)
    return buf.getvalue()


def shp_members(tmp_path) -> dict[str, bytes]:
    import geopandas as gpd

    d = tmp_path / "shpsrc"
    d.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString([(37, 48), (38, 48)])], crs=4326)
    pyogrio.write_dataframe(gdf, d / "l.shp")
    return {p.suffix: p.read_bytes() for p in d.iterdir()}


def gpkg_bytes(tmp_path, empty=False) -> bytes:
    import geopandas as gpd

    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString([(37, 48), (38, 48)])], crs=4326)
    if empty:
        gdf = gdf.iloc[:0]
    p = tmp_path / "src.gpkg"
    pyogrio.write_dataframe(gdf, p, driver="GPKG", geometry_type="LineString")
    return p.read_bytes()


KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
KML_LINE = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>x</name>'
    "<LineString><coordinates>37,48 38,48</coordinates></LineString></Placemark></kml>"
)


def big_polygon_geojson(n=1_000_000) -> bytes:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ring = np.column_stack([37.5 + 0.5 * np.cos(t), 48 + 0.5 * np.sin(t)]).round(6)
    coords = ring.tolist() + [ring[0].tolist()]
    return geojson({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [coords]}})


def big_polygon_gpkg(tmp_path, n=1_000_000) -> bytes:
    import geopandas as gpd

    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ring = np.column_stack([37.5 + 0.5 * np.cos(t), 48 + 0.5 * np.sin(t)])
    gdf = gpd.GeoDataFrame({"name": ["huge"]}, geometry=[shapely.Polygon(ring)], crs=4326)
    path = tmp_path / "huge_src.gpkg"
    pyogrio.write_dataframe(gdf, path, driver="GPKG")
    return path.read_bytes()


def _symlink_info():
    info = zipfile.ZipInfo("link.shp")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


# name -> (builder(tmp_path) -> (filename, bytes, kwargs), expected error type, message fragment)
CORPUS = {
    "empty file": (lambda t: ("a.geojson", b"", {}), DataFileError, "empty"),
    "only whitespace": (lambda t: ("a.geojson", b"  \n\t ", {}), DataFileError, "empty"),
    "over size limit": (lambda t: ("big.geojson", b" " * (MB + 1), {"max_bytes": MB}), DataFileError, "limit"),
    "unknown extension": (lambda t: ("virus.exe", b"MZ\x90\x00", {}), UnsupportedFormatError, "unsupported"),
    "lonely .shp": (lambda t: ("roads.shp", b"\x00\x00\x27\x0a", {}), UnsupportedFormatError, ".zip"),
    "truncated geojson": (lambda t: ("t.geojson", geojson(GOOD_LINE)[:-25], {}), DataFileError, "truncated"),
    "cp1251 geojson": (
        lambda t: (
            "c.geojson",
            json.dumps(
                {"type": "Feature", "properties": {"name": "Донецьк"}, "geometry": None}, ensure_ascii=False
            ).encode("cp1251"),
            {},
        ),
        DataFileError,
        "UTF-8",
    ),
    "latin-1 csv": (
        lambda t: ("l.csv", "name,wkt\nSéverodonetsk,POINT (38 49)\n".encode("latin-1"), {}),
        DataFileError,
        "UTF-8",
    ),
    "empty feature collection": (lambda t: ("e.geojson", geojson(), {}), DataFileError, "no features"),
    "json list": (lambda t: ("l.geojson", b"[1, 2, 3]", {}), DataFileError, "must be an object"),
    "topojson": (lambda t: ("t.json", b'{"type": "Topology", "objects": {}}', {}), DataFileError, "not GeoJSON"),
    "deeply nested json": (lambda t: ("d.geojson", b"[" * 100_000 + b"]" * 100_000, {}), DataFileError, "nested"),
    "nan coordinate": (
        lambda t: ("n.geojson", geojson(line_feature([[37, 48], [float("nan"), 48]], name="bad")), {}),
        InvalidGeometryError,
        "feature 1 ('bad'): NaN",
    ),
    "infinite coordinate": (
        lambda t: (
            "i.geojson",
            b'{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[37,48],[1e999,48]]}}',
            {},
        ),
        InvalidGeometryError,
        "infinite",
    ),
    "projected without crs": (
        lambda t: (
            "m.geojson",
            geojson(GOOD_LINE, line_feature([[4187000, 6100000], [4200000, 6120000]], name="metres")),
            {},
        ),
        InvalidGeometryError,
        "feature 2 ('metres'): coordinate (4.187e+06, 6.1e+06) is outside WGS84",
    ),
    "latitude 91": (
        lambda t: ("y.geojson", geojson(line_feature([[37, 48], [37, 91]])), {}),
        InvalidGeometryError,
        "outside WGS84",
    ),
    "unknown crs": (
        lambda t: ("u.geojson", geojson(GOOD_LINE, crs={"type": "name", "properties": {"name": "EPSG:999999"}}), {}),
        UnsupportedFormatError,
        "unknown CRS",
    ),
    "unreprojectable": (
        lambda t: ("r.geojson", geojson(line_feature([[1e30, 1e30], [1e31, 1e30]])), {"crs": "EPSG:32637"}),
        InvalidGeometryError,
        "feature 1",
    ),
    "million-vertex polygon": (
        lambda t: ("huge.geojson", big_polygon_geojson(), {"as_": AS_CLAIM_GEOMETRY}),
        InvalidGeometryError,
        "vertices",
    ),
    "million-vertex polygon in gpkg": (
        lambda t: ("huge.gpkg", big_polygon_gpkg(t), {"as_": AS_CLAIM_GEOMETRY}),
        InvalidGeometryError,
        "feature 1 ('huge'): 1,000,001 vertices (limit 200,000)",
    ),
    "malformed ring": (
        lambda t: (
            "r.geojson",
            geojson(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[37, 48], [38, 48]]]},
                }
            ),
            {"as_": AS_CLAIM_GEOMETRY},
        ),
        InvalidGeometryError,
        "malformed Polygon",
    ),
    "string coordinates": (
        lambda t: ("s.geojson", geojson(line_feature([["a", "b"], [1, 2]])), {}),
        InvalidGeometryError,
        "feature 1",
    ),
    "unknown geometry type": (
        lambda t: (
            "g.geojson",
            geojson({"type": "Feature", "properties": {}, "geometry": {"type": "Circle", "coordinates": [1, 2]}}),
        ),
        InvalidGeometryError,
        "Circle",
    ),
    "mixed geometry types as line": (
        lambda t: (
            "mix.geojson",
            geojson(
                GOOD_LINE,
                {
                    "type": "Feature",
                    "properties": {"name": "pt"},
                    "geometry": {"type": "Point", "coordinates": [37, 48]},
                },
            ),
            {},
        ),
        InvalidGeometryError,
        "feature 2 ('pt'): is a Point",
    ),
    "null geometry as line": (
        lambda t: ("null.geojson", geojson({"type": "Feature", "properties": {}, "geometry": None}), {}),
        InvalidGeometryError,
        "no geometry",
    ),
    "collinear polygon cannot be repaired": (
        lambda t: (
            "flat.geojson",
            geojson(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [39, 48], [37, 48]]]},
                }
            ),
            {"as_": AS_CLAIM_GEOMETRY},
        ),
        InvalidGeometryError,
        "cannot be repaired",
    ),
    "xml external entity": (
        lambda t: (
            "x.kml",
            (
                KML_HEAD
                + '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                + KML_LINE.replace("<name>x", "<name>&xxe;")
            ).encode(),
            {},
        ),
        UnsupportedFormatError,
        "DOCTYPE",
    ),
    "billion laughs": (
        lambda t: (
            "b.kml",
            (
                KML_HEAD
                + '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                + KML_LINE.replace("<name>x", "<name>&lol3;")
            ).encode(),
            {},
        ),
        UnsupportedFormatError,
        "refused",
    ),
    "external dtd": (
        lambda t: ("d.kml", (KML_HEAD + '<!DOCTYPE kml SYSTEM "http://evil.example/kml.dtd">' + KML_LINE).encode(), {}),
        UnsupportedFormatError,
        "DOCTYPE",
    ),
    "truncated kml": (lambda t: ("t.kml", (KML_HEAD + KML_LINE)[:-40].encode(), {}), DataFileError, "truncated"),
    "html as kml": (lambda t: ("h.kml", b"<html><body>hi</body></html>", {}), DataFileError, "not KML"),
    "kml bad coordinates": (
        lambda t: ("c.kml", KML_LINE.replace("37,48", "east,north").encode(), {}),
        InvalidGeometryError,
        "not numeric",
    ),
    "kml deep nesting": (
        lambda t: ("n.kml", b"<kml>" + b"<Folder>" * 5000 + b"</Folder>" * 5000 + b"</kml>", {}),
        UnsupportedFormatError,
        "nested",
    ),
    "kml unknown encoding": (
        lambda t: ("e.kml", b'<?xml version="1.0" encoding="x-klingon"?>' + KML_LINE.encode(), {}),
        DataFileError,
        "XML",
    ),
    "kml no placemarks": (
        lambda t: ("e.kml", b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', {}),
        DataFileError,
        "no features",
    ),
    "zip slip shapefile": (
        lambda t: ("slip.zip", zip_bytes([("../../evil.shp", b"x"), ("ok.dbf", b"x")])),
        DataFileError,
        "unsafe path",
    ),
    "absolute path in zip": (lambda t: ("abs.zip", zip_bytes([("/tmp/evil.shp", b"x")])), DataFileError, "unsafe path"),
    "windows path in zip": (lambda t: ("win.zip", zip_bytes([("C:\\evil.shp", b"x")])), DataFileError, "unsafe path"),
    "symlink in zip": (lambda t: ("ln.zip", zip_bytes([_symlink_info()])), DataFileError, "symbolic link"),
    "zip slip kmz": (
        lambda t: ("slip.kmz", zip_bytes([("../doc.kml", KML_LINE.encode())])),
        DataFileError,
        "unsafe path",
    ),
    "zip bomb ratio": (
        lambda t: ("bomb.zip", zip_bytes([("a.shp", b"\0" * (20 * MB))]), {}),
        DataFileError,
        "zip bomb",
    ),
    "zip bomb total": (
        lambda t: ("bomb2.kmz", zip_bytes([(f"{i}.kml", b" " * (MB - 1000)) for i in range(6)]), {"max_bytes": MB}),
        DataFileError,
        "zip bomb",
    ),
    "truncated zip": (lambda t: ("cut.zip", zip_bytes([("a.shp", b"x" * 1000)])[:60], {}), DataFileError, "zip"),
    "zip without shapefile": (
        lambda t: ("docs.zip", zip_bytes([("readme.txt", b"hello")]), {}),
        UnsupportedFormatError,
        "without a .shp",
    ),
    "shapefile without dbf": (
        lambda t: ("nodbf.zip", zip_bytes([(f"l{k}", v) for k, v in shp_members(t).items() if k != ".dbf"]), {}),
        DataFileError,
        ".dbf",
    ),
    "kmz without kml": (
        lambda t: ("e.kmz", zip_bytes([("icon.png", b"\x89PNG")]), {}),
        DataFileError,
        "without a .kml",
    ),
    "renamed geojson as gpkg": (lambda t: ("fake.gpkg", geojson(GOOD_LINE), {}), DataFileError, "not a GeoPackage"),
    "truncated gpkg": (lambda t: ("cut.gpkg", gpkg_bytes(t)[:3000], {}), DataFileError, "cut.gpkg"),
    "sqlite garbage": (lambda t: ("g.gpkg", b"SQLite format 3\x00" + b"\xff" * 4000, {}), DataFileError, "g.gpkg"),
    "empty gpkg layer": (lambda t: ("e.gpkg", gpkg_bytes(t, empty=True), {}), DataFileError, "no features"),
    "zip disguised as geojson": (lambda t: ("z.geojson", zip_bytes([("a", b"b")]), {}), DataFileError, "binary"),
    "csv ragged rows": (
        lambda t: ("r.csv", b"name,lon,lat\na,37,48\nb,37,48,99,100\n", {"as_": AS_CLAIMS}),
        DataFileError,
        "cannot read CSV",
    ),
    "csv no geometry": (lambda t: ("n.csv", b"name,date\na,2015-01-01\n", {}), DataFileError, "no geometry columns"),
    "csv bad wkt": (
        lambda t: ("w.csv", b'name,wkt\na,"LINESTRING (37 48, 38"\n', {}),
        InvalidGeometryError,
        "row 2: field 'wkt' is not valid WKT",
    ),
    "csv lon not a number": (
        lambda t: ("p.csv", b"name,lon,lat\na,37,48\nb,abc,48\n", {"as_": AS_CLAIMS}),
        InvalidGeometryError,
        "row 3: field 'lon'",
    ),
    "csv single vertex line": (
        lambda t: ("v.csv", b"line_id,lon,lat\na,37,48\n", {}),
        InvalidGeometryError,
        "needs at least 2",
    ),
    "nul bytes": (lambda t: ("z.csv", b"name,wkt\n\x00\x00\x00", {}), DataFileError, "NUL"),
    "save: missing date": (
        lambda t: ("nodate.geojson", geojson(line_feature([[37, 47], [38, 47]], name="x")), {}),
        GeoError,
        "date",
    ),
    "save: self-crossing line": (
        lambda t: (
            "knot.geojson",
            geojson(line_feature([[37, 47], [38, 48], [38, 47], [37, 48]], name="k", date="2015-01-20")),
            {},
        ),
        GeoError,
        "crosses itself",
    ),
}


def digest(directory: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(directory)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def target(tmp_path):
    """A data directory that already holds one imported line."""
    d = tmp_path / "target"
    save_import(read_vector(geojson(GOOD_LINE), "seed.geojson"), {}, d)
    return d


def attempt(data: bytes, filename: str, target: Path, **kwargs):
    result = read_vector(data, filename, **kwargs)
    return save_import(result, {}, target)


def test_corpus_has_at_least_30_files():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("case", list(CORPUS))
def test_hostile_file_refused_with_one_line_and_nothing_stored(tmp_path, target, case):
    builder, error, fragment = CORPUS[case]
    built = builder(tmp_path)
    filename, data, kwargs = built if len(built) == 3 else (*built, {})
    before = digest(target)
    outside = set(tmp_path.parent.iterdir())
    started = time.perf_counter()
    with pytest.raises(error) as info:
        attempt(data, filename, target, **kwargs)
    elapsed = time.perf_counter() - started
    assert isinstance(info.value, GeoError)
    message = str(info.value)
    assert "\n" not in message and 0 < len(message) < 500
    assert fragment in message, message
    if not case.startswith("save:"):
        assert message.startswith(filename), message
    assert digest(target) == before
    assert set(tmp_path.parent.iterdir()) == outside  # nothing extracted beside the test dir
    assert elapsed < 20, f"{case} took {elapsed:.1f} s"


def test_same_files_through_a_path(tmp_path, target):
    """Reading from disk takes the same checks (size before reading, sidecars ignored)."""
    for case in ("over size limit", "zip slip shapefile", "xml external entity", "truncated gpkg"):
        builder, error, fragment = CORPUS[case]
        filename, data, kwargs = (*builder(tmp_path), {})[:3]
        path = tmp_path / filename
        path.write_bytes(data)
        with pytest.raises(error, match=fragment.replace(".", r"\.")):
            read_vector(path, **kwargs)


def test_cli_import_refuses_with_one_line(tmp_path, target):
    import subprocess
    import sys

    path = tmp_path / "x.kml"
    path.write_bytes(CORPUS["xml external entity"][0](tmp_path)[1])
    before = digest(target)
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "import", str(path), "--data-dir", str(target)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: x.kml:"), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert digest(target) == before


# --- fuzz ---------------------------------------------------------------------
coord = st.one_of(
    st.floats(-200, 200, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
    st.sampled_from([None, "1", [], True]),
)
position = st.one_of(st.lists(coord, min_size=2, max_size=3), st.lists(coord, max_size=4), coord)
line = st.lists(position, max_size=8)
ring = st.lists(position, min_size=0, max_size=8)
geometry = st.one_of(
    st.none(),
    st.builds(lambda c: {"type": "Point", "coordinates": c}, position),
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, line),
    st.builds(lambda c: {"type": "MultiLineString", "coordinates": c}, st.lists(line, max_size=3)),
    st.builds(lambda c: {"type": "Polygon", "coordinates": c}, st.lists(ring, max_size=3)),
    st.builds(lambda c: {"type": "MultiPolygon", "coordinates": c}, st.lists(st.lists(ring, max_size=2), max_size=2)),
    st.builds(lambda t, c: {"type": t, "coordinates": c}, st.text(max_size=12), line),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=2),
)
prop_value = st.one_of(
    st.none(), st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.lists(st.integers(), max_size=3)
)
properties = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["name", "date", "party", "source", "geometry", "x", ""]), prop_value, max_size=5),
    st.integers(),
)
feature = st.one_of(
    st.builds(lambda p, g: {"type": "Feature", "properties": p, "geometry": g}, properties, geometry),
    st.builds(lambda g: {"type": "Feature", "geometry": g}, geometry),
    st.sampled_from([{}, {"type": "Feature"}, [], "Feature", None]),
)
lonlat = st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False)).map(list)
good_geometry = st.one_of(
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, st.lists(lonlat, min_size=2, max_size=6)),
    st.builds(lambda c: {"type": "Polygon", "coordinates": [c + c[:1]]}, st.lists(lonlat, min_size=3, max_size=6)),
    st.builds(
        lambda c: {"type": "MultiLineString", "coordinates": c},
        st.lists(st.lists(lonlat, min_size=2, max_size=4), min_size=1, max_size=2),
    ),
)
good_feature = st.builds(
    lambda g, name, z: {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": g if not z else {**g, "coordinates": _add_z(g["coordinates"])},
    },
    good_geometry,
    st.text(max_size=10),
    st.booleans(),
)


def _add_z(c):
    if c and isinstance(c[0], (int, float)):
        return [*c, 100.0]
    return [_add_z(x) for x in c]


document = st.one_of(
    st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(good_feature, min_size=1, max_size=4)),
    st.builds(
        lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(st.one_of(good_feature, feature), max_size=4)
    ),
    st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(feature, max_size=5)),
    feature,
    geometry,
    st.builds(
        lambda fs, crs: {"type": "FeatureCollection", "features": fs, "crs": crs},
        st.lists(feature, max_size=3),
        st.sampled_from(
            [
                None,
                {},
                {"type": "name", "properties": {"name": "EPSG:3857"}},
                {"properties": 5},
                {"type": "name", "properties": {"name": "nonsense"}},
            ]
        ),
    ),
    st.builds(
        lambda f: {"type": "FeatureCollection", "features": f}, st.one_of(st.none(), st.integers(), st.text(max_size=5))
    ),
)


def mutate(raw: bytes, how: int, cut: float) -> bytes:
    if how == 1:
        return raw[: int(len(raw) * cut)]  # truncated
    if how == 2:
        return raw.decode().encode("utf-16-le")  # wrong encoding, no BOM
    if how == 3:
        return b"\xef\xbb\xbf" + raw  # BOM is fine
    return raw


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(
    doc=document,
    how=st.sampled_from([0, 0, 0, 1, 2, 3]),
    cut=st.floats(0, 1),
    as_=st.sampled_from([AS_LINE, AS_CLAIM_GEOMETRY, AS_CLAIMS]),
    date=st.sampled_from(["2015-01-20", "2015-13-45", "", None]),
)
def test_fuzz_geojson_never_crashes_and_never_half_stores(target, doc, how, cut, as_, date):
    raw = json.dumps(doc, allow_nan=True).encode()
    data = mutate(raw, how, cut)
    snapshot = {p: p.read_bytes() for p in target.iterdir()}
    before = digest(target)
    try:
        result = read_vector(data, "fuzz.geojson", as_=as_)
    except GeoError as exc:
        event(f"read refused: {type(exc).__name__}")
        assert str(exc) and "\n" not in str(exc)
        assert digest(target) == before
        return
    event("read ok")
    assert len(result.gdf) > 0 and result.gdf.crs.to_epsg() == 4326
    coords = shapely.get_coordinates(result.gdf.geometry.values)
    assert np.isfinite(coords).all()
    assert (np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()
    assert shapely.is_valid(result.gdf.geometry.dropna().values).all()
    assert not shapely.has_z(result.gdf.geometry.dropna().values).any()
    if as_ != AS_LINE:
        return
    if date is not None:
        result.gdf["date"] = date
    try:
        ids = save_import(result, {"date": "date"}, target)
    except GeoError as exc:
        event("save refused")
        assert str(exc) and "\n" not in str(exc)
        assert digest(target) == before
    else:
        event("saved")
        assert len(ids) == len(result.gdf) and digest(target) != before
        for p, content in snapshot.items():  # back to the seeded state for the next example
            p.write_bytes(content)


# --- item 22: plain-language reasons, degrees under a metre CRS, name lengths ---
_INTERNALS = (
    "Traceback",
    "Error:",
    "Exception",
    "sqlite3_",
    "SELECT",
    "proj_create",
    "ordinate (last)",
    "convert string",
)


def _refusal(data: bytes, filename: str, tmp_path, as_=AS_LINE) -> str:
    with pytest.raises(GeoError) as info:
        save_import(read_vector(data, filename, as_=as_), {}, tmp_path)
    return str(info.value)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_degrees_in_a_file_declaring_a_metre_crs_are_refused(tmp_path, fmt):
    import geopandas as gpd

    line = shapely.LineString([(37.5, 48.0), (37.8, 48.2)])
    gdf = gpd.GeoDataFrame({"name": ["a"], "date": ["2015-01-20"]}, geometry=[line], crs="EPSG:3857")
    path = tmp_path / f"mislabelled.{fmt}"
    pyogrio.write_dataframe(gdf, path, driver="GeoJSON" if fmt == "geojson" else "GPKG")
    store = tmp_path / "store"
    with pytest.raises(InvalidGeometryError) as info:
        save_import(read_vector(path.read_bytes(), path.name), {}, store)
    msg = str(info.value)
    assert path.name in msg and "EPSG:3857" in msg and "degrees" in msg and "EPSG:4326" in msg
    assert not store.exists()


def test_metre_coordinates_in_a_metre_crs_still_import(tmp_path):
    import geopandas as gpd

    line = shapely.LineString([(37.5, 48.0), (37.8, 48.2)])
    gdf = gpd.GeoDataFrame({"name": ["a"], "date": ["2015-01-20"]}, geometry=[line], crs="EPSG:4326").to_crs(3857)
    path = tmp_path / "metres.gpkg"
    pyogrio.write_dataframe(gdf, path, driver="GPKG")
    (line_id,) = save_import(read_vector(path), {}, tmp_path / "store")
    assert line_id.startswith("user_a_")


@pytest.mark.parametrize(
    "filename, data",
    [
        ("damaged.gpkg", b"SQLite format 3\x00" + b"\x00" * 200),
        ("crs.geojson", geojson(GOOD_LINE, crs={"type": "name", "properties": {"name": "EPSG:99999"}})),
        (
            "short.geojson",
            geojson({**GOOD_LINE, "geometry": {"type": "LineString", "coordinates": [[1], [2]]}}),
        ),
        (
            "letters.geojson",
            geojson({**GOOD_LINE, "geometry": {"type": "LineString", "coordinates": "ab"}}),
        ),
        ("bad.csv", b"wkt,name,date\nLINESTRING(1 2, 3,x,2015-01-20\n"),
    ],
)
def test_refusals_speak_plainly_without_python_internals(tmp_path, filename, data):
    msg = _refusal(data, filename, tmp_path)
    assert filename in msg
    assert not [w for w in _INTERNALS if w in msg], msg


def test_an_unexpected_failure_is_reported_without_python_names(tmp_path, monkeypatch):
    import geo.io.reader as I

    def boom(*a, **k):
        raise KeyError("coordinates")

    monkeypatch.setattr(I, "finalise", boom)
    msg = _refusal(geojson(GOOD_LINE), "x.geojson", tmp_path)
    assert "x.geojson" in msg and "KeyError" not in msg and "'coordinates'" not in msg


def test_a_megabyte_line_name_is_refused_and_nothing_stored(tmp_path):
    huge = {**GOOD_LINE, "properties": {"name": "N" * 1_000_000, "date": "2015-01-20"}}
    msg = _refusal(geojson(huge), "huge.geojson", tmp_path)
    assert "huge.geojson" in msg and "name" in msg and "200 characters" in msg and len(msg) < 400
    assert not (tmp_path / "user_lines.csv").exists()
