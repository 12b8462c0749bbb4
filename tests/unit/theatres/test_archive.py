"""Export a theatre to one zip file and import it back; a bad archive is refused and changes nothing."""

from __future__ import annotations

import json
import stat
import zipfile

import pandas as pd
import pytest

from geo import config
from geo.errors import DataFileError, TheatreError
from geo.theatres import create_theatre, export_theatre, get_theatre, import_theatre, list_theatres, user_root
from geo.theatres.archive import MAX_RATIO, lines_feature_collection

DONBAS = config.SEED_THEATRE_DIR


def _snapshot():
    root = user_root()
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def donbas_copy(tmp_path):
    """The shipped Donbas theatre exported and imported as the user theatre ``donbas-copy``."""
    out = export_theatre("donbas-2014-15", tmp_path / "donbas.zip")
    return import_theatre(out, new_id="donbas-copy"), out


def test_export_holds_manifest_tables_and_lines_geojson(tmp_path):
    out = export_theatre("donbas-2014-15", tmp_path / "d.zip")
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        fc = json.loads(zf.read("lines.geojson"))
        manifest = json.loads(zf.read("theatre.json"))
    assert {
        "theatre.json",
        "lines.csv",
        "line_vertices.csv",
        "claims.csv",
        "sources.csv",
        "boundaries.geojson",
    } <= names
    assert manifest["id"] == "donbas-2014-15"
    assert [f["properties"]["line_id"] for f in fc["features"]] == [
        "minsk_2014_09_19",
        "contact_2015_01_20",
        "contact_2015_02_20",
    ]
    assert all(f["geometry"]["type"] == "LineString" for f in fc["features"])


def test_round_trip_is_equal(donbas_copy, tmp_path):
    copy, _ = donbas_copy
    shipped = get_theatre("donbas-2014-15")
    assert copy.id == "donbas-copy" and not copy.shipped and not copy.default
    fields = ("name", "countries", "admin1", "parties", "agreements", "official_areas", "reference_line", "region_word")
    assert all(getattr(copy, f) == getattr(shipped, f) for f in fields)
    for p in shipped.path.iterdir():
        if p.name != "theatre.json":
            assert copy.table_path(p.name).read_bytes() == p.read_bytes(), p.name
    assert not copy.has_table("lines.geojson")  # derived on export, never stored
    # export the copy and import it again under its own id: the same theatre, the same files
    again_zip = export_theatre("donbas-copy", tmp_path / "again.zip")
    before = _snapshot()
    again = import_theatre(again_zip, replace=True)
    assert again == copy and _snapshot() == before


def test_existing_id_is_refused_unless_replace(donbas_copy):
    copy, out = donbas_copy
    before = _snapshot()
    with pytest.raises(TheatreError, match="already exists; import with --replace"):
        import_theatre(out, new_id="donbas-copy")
    assert _snapshot() == before
    with pytest.raises(TheatreError, match="shipped theatre and cannot be replaced"):
        import_theatre(out, replace=True)
    assert _snapshot() == before
    assert import_theatre(out, new_id="donbas-copy", replace=True) == copy


def test_lines_from_geojson_when_vertices_are_missing(tmp_path):
    src = export_theatre("donbas-2014-15", tmp_path / "d.zip")
    out = tmp_path / "no-vertices.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            if name != "line_vertices.csv":
                zout.writestr(name, zin.read(name))
    t = import_theatre(out, new_id="from-geojson")
    assert t.has_table("line_vertices.csv")
    a = pd.read_csv(t.table_path("line_vertices.csv"))
    b = pd.read_csv(DONBAS / "line_vertices.csv")
    assert a[["line_id", "seq"]].equals(b[["line_id", "seq"]])
    assert (a["lon"] - b["lon"]).abs().max() < 1e-6 and (a["lat"] - b["lat"]).abs().max() < 1e-6


def _zip(path, members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED, symlink: str | None = None):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _manifest(tid="evil-one", **extra) -> bytes:
    raw = {
        "format": "contested-lines-theatre/1",
        "id": tid,
        "name": "Evil",
        "countries": ["GE"],
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        **extra,
    }
    return json.dumps(raw).encode()


BAD_ARCHIVES = {
    "not a zip": (lambda p: _write(p, b"PK\x03\x04 this is not really a zip"), "not a readable zip file"),
    "truncated": (
        lambda p: _write(p, export_theatre("donbas-2014-15", p.with_suffix(".full")).read_bytes()[:5000]),
        "not a readable zip file",
    ),
    "no manifest": (lambda p: _zip(p, {"lines.csv": b"line_id\n"}), "no theatre.json"),
    "path traversal": (lambda p: _zip(p, {"theatre.json": _manifest(), "../../evil.csv": b"a\n1\n"}), "unsafe path"),
    "absolute path": (lambda p: _zip(p, {"theatre.json": _manifest(), "/tmp/evil.csv": b"a\n"}), "unsafe path"),
    "sub-directory": (lambda p: _zip(p, {"theatre.json": _manifest(), "x/y/z.csv": b"a\n"}), "sub-directory"),
    "executable": (lambda p: _zip(p, {"theatre.json": _manifest(), "run.sh": b"rm -rf /"}), "not a theatre file"),
    "symlink": (lambda p: _zip(p, {"theatre.json": _manifest()}, symlink="claims.csv"), "symbolic link"),
    "zip bomb": (
        lambda p: _zip(p, {"theatre.json": _manifest(), "claims.csv": b"0" * (20 * 1024 * 1024)}),
        "possible zip bomb",
    ),
    "bad manifest": (lambda p: _zip(p, {"theatre.json": _manifest(countries=["Georgia"])}), "field 'countries[0]'"),
    "manifest not json": (lambda p: _zip(p, {"theatre.json": b"{"}), "theatre.json: not valid JSON"),
    "bad csv": (
        lambda p: _zip(p, {"theatre.json": _manifest(), "claims.csv": b'a,b\n"1,2\n3,4,5,6\n'}),
        "claims.csv: not a readable CSV",
    ),
    "bad vertices": (
        lambda p: _zip(
            p,
            {
                "theatre.json": _manifest(),
                "lines.csv": b"line_id,name\nl1,L\n",
                "line_vertices.csv": b"line_id,seq,lon,lat\nl1,0,44,42\nl1,1,400,42\n",
            },
        ),
        "not a WGS84 coordinate",
    ),
    "unknown reference line": (
        lambda p: _zip(
            p,
            {
                "theatre.json": _manifest(reference_line="nope"),
                "lines.csv": b"line_id,name\nl1,L\n",
                "line_vertices.csv": b"line_id,seq,lon,lat\nl1,0,44,42\nl1,1,44.5,42\n",
            },
        ),
        "field 'reference_line': no line 'nope'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_bad_archive_is_refused_and_nothing_changes(case, tmp_path):
    create_theatre("evil-one", "Kept as it was", ["AM"])
    before, ids = _snapshot(), [t.id for t in list_theatres()]
    make, words = BAD_ARCHIVES[case]
    path = make(tmp_path / "bad.zip")
    with pytest.raises(TheatreError) as err:
        import_theatre(path, replace=True)
    assert words in str(err.value) and str(path) in str(err.value)
    assert _snapshot() == before and [t.id for t in list_theatres()] == ids
    assert get_theatre("evil-one").name == "Kept as it was"
    assert not any(p.name.startswith(".") for p in user_root().iterdir())  # no staging left behind
    assert not (tmp_path / "evil.csv").exists()


def test_zip_bomb_limit_is_a_ratio():
    assert 20 * 1024 * 1024 / 25_000 > MAX_RATIO  # 20 MB of zeros deflate to about 20 kB


def test_zipped_folder_is_accepted(tmp_path):
    path = _zip(
        tmp_path / "folder.zip", {"new-one/theatre.json": _manifest("new-one"), "new-one/claims.csv": b"claim_id\nc1\n"}
    )
    t = import_theatre(path)
    assert t.id == "new-one" and t.has_table("claims.csv")


def test_lines_feature_collection_refuses_bad_lines():
    meta = pd.DataFrame({"line_id": ["a"], "precision_km": [""]})
    with pytest.raises(DataFileError, match="line 'a' has 1 vertices"):
        lines_feature_collection(meta, pd.DataFrame({"line_id": ["a"], "seq": ["0"], "lon": ["1"], "lat": ["2"]}))
