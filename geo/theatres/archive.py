"""A theatre in one file: export to a zip archive and import it back, without trusting the file.

The archive holds, at its top level, ``theatre.json``, every table of the theatre
(``lines.csv``, ``line_vertices.csv``, ``claims.csv`` ...) and ``lines.geojson``: the reference
lines as a GeoJSON FeatureCollection (EPSG:4326), for opening in a GIS. On import the tables are
authoritative; ``lines.geojson`` stands in for ``line_vertices.csv`` only when that is absent.

:func:`read_archive` checks everything before anything is written: the archive itself (size,
member count, unpacked size and compression ratio, so a zip bomb is refused before it is
unpacked; member names must be plain file names, so no path can leave the theatre directory;
no symbolic links, no encryption), the manifest (:func:`geo.theatres.model.parse_manifest`),
every table (it must parse; the lines must build) and the line ids the manifest cites.
:func:`import_theatre` then writes the theatre in a staging directory and renames it into
place, so a refused or failed import changes nothing that was stored.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.theatres.create import create_theatre
>>> t = create_theatre("demo-archive", "Demo", ["GE"], parties=["North", "South"])
>>> out = export_theatre("demo-archive", pathlib.Path(tempfile.mkdtemp()) / "demo.zip")
>>> sorted(zipfile.ZipFile(out).namelist())
['theatre.json']
>>> import_theatre(out)
Traceback (most recent call last):
...
geo.errors.TheatreError: theatre 'demo-archive' already exists; import with --replace to overwrite it, or with --id NEW_ID
>>> import_theatre(out, replace=True) == t
True
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import replace as dc_replace
from pathlib import Path, PurePosixPath

import pandas as pd

from geo import schema as S
from geo.atomic import write_atomic
from geo.auth import Action, Principal, authorize
from geo.errors import DataFileError, TheatreError
from geo.reference.lines import lines_from_frames
from geo.theatres.catalogue import get_theatre, shipped_root, user_root
from geo.theatres.create import check_new_id, read_manifest_as
from geo.theatres.model import FILE_NAME_RE, ID_RE, MANIFEST, Theatre, manifest_text, parse_json

MB = 1024 * 1024
#: Largest archive file read.
MAX_ARCHIVE_BYTES = 200 * MB
#: Most members an archive may have.
MAX_MEMBERS = 200
#: Largest total unpacked size.
MAX_UNPACKED_BYTES = 500 * MB
#: Highest compression ratio of a member larger than 1 MB (text compresses about 5-20:1).
MAX_RATIO = 100
#: The derived GeoJSON of the reference lines written into every export.
LINES_GEOJSON = "lines.geojson"
LINES_CSV = "lines.csv"
VERTICES_CSV = "line_vertices.csv"


def _theatre_files(theatre: Theatre) -> dict[str, bytes]:
    out = {}
    for p in sorted(theatre.path.iterdir()):
        if p.is_file() and not p.is_symlink() and FILE_NAME_RE.match(p.name):
            out[p.name] = p.read_bytes()
    return out


def lines_feature_collection(meta: pd.DataFrame, vertices: pd.DataFrame, origin: str = "lines") -> dict:
    """The reference lines of ``meta``/``vertices`` as a GeoJSON FeatureCollection (properties: the metadata).

    >>> meta = pd.DataFrame({"line_id": ["a"], "name": ["A"], "precision_km": ["5"]})
    >>> v = pd.DataFrame({"line_id": ["a", "a"], "seq": ["0", "1"], "lon": ["40", "41"], "lat": ["42", "42.5"]})
    >>> fc = lines_feature_collection(meta, v)
    >>> fc["features"][0]["geometry"], fc["features"][0]["properties"]["line_id"]
    ({'type': 'LineString', 'coordinates': [[40.0, 42.0], [41.0, 42.5]]}, 'a')
    """
    gdf = lines_from_frames(meta, vertices, origin=origin)
    features = []
    for _, row in gdf.iterrows():
        props = {k: ("" if pd.isna(v) else v) for k, v in row.items() if k not in ("geometry", "length_km")}
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
        coords = [[round(x, 6), round(y, 6)] for x, y in row.geometry.coords]
        features.append(
            {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}
        )
    return {"type": "FeatureCollection", "features": features}


def export_theatre(
    theatre_id: str, path: str | Path, data_dir: str | Path | None = None, *, tables: dict[str, bytes] | None = None
) -> Path:
    """Write theatre ``theatre_id`` to the zip archive ``path`` (replaced in one step); return ``path``.

    ``tables`` (file name: bytes) replace the theatre's own tables of those names in the archive,
    e.g. its claims as the registry holds them now (:func:`geo.claims.store.seed.registry_tables`).

    Raises
    ------
    geo.errors.UnknownTheatreError
        For an unknown id.
    geo.errors.DataFileError
        When its line tables cannot be read.
    """
    theatre = get_theatre(theatre_id, data_dir)
    files = {**_theatre_files(theatre), **(tables or {})}
    if LINES_CSV in files and VERTICES_CSV in files and LINES_GEOJSON not in files:
        meta, vertices = _csv(files[LINES_CSV], LINES_CSV), _csv(files[VERTICES_CSV], VERTICES_CSV)
        fc = lines_feature_collection(meta, vertices, origin=str(theatre.path))
        files[LINES_GEOJSON] = (json.dumps(fc, ensure_ascii=False) + "\n").encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in [MANIFEST] + sorted(n for n in files if n != MANIFEST):
            zf.writestr(name, files[name])
    return write_atomic(Path(path), buf.getvalue())


def _csv(data: bytes, where: str) -> pd.DataFrame:
    try:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:  # noqa: BLE001 - pandas raises many types for a bad CSV
        raise TheatreError(
            f"{where}: not a readable CSV table: {str(exc).splitlines()[0] if str(exc) else exc}"
        ) from None


def _open(path: Path) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TheatreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_ARCHIVE_BYTES:
        raise TheatreError(
            f"{path}: {size // MB} MB is larger than the {MAX_ARCHIVE_BYTES // MB} MB a theatre file may be"
        )
    data = path.read_bytes()
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise TheatreError(f"{path}: not a theatre archive (not a readable zip file: {exc})") from None


def _member_names(zf: zipfile.ZipFile, where: Path) -> dict[str, zipfile.ZipInfo]:
    """Checked members, by plain file name (a single top directory, as left by zipping a folder, is dropped)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise TheatreError(f"{where}: archive has {len(infos)} members (limit {MAX_MEMBERS}); refused")
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise TheatreError(
                f"{where}: archive member {name[:80]!r} has an unsafe path (absolute or with '..'); refused"
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise TheatreError(f"{where}: archive member {name[:80]!r} is a symbolic link; refused")
        if info.flag_bits & 0x1:
            raise TheatreError(f"{where}: archive member {name[:80]!r} is encrypted; refused")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise TheatreError(
                f"{where}: archive unpacks to more than {MAX_UNPACKED_BYTES // MB} MB; refused (possible zip bomb)"
            )
        if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TheatreError(
                f"{where}: archive member {name[:80]!r} is compressed {info.file_size // max(info.compress_size, 1)}:1 "
                f"(limit {MAX_RATIO}:1); refused (possible zip bomb)"
            )
    files = [i for i in infos if not i.is_dir()]
    split = [PurePosixPath(i.filename.replace("\\", "/")).parts for i in files]
    tops = {p[0] for p in split if len(p) > 1}
    if len(tops) == 1 and all(len(p) == 2 for p in split):
        split = [p[1:] for p in split]
    out: dict[str, zipfile.ZipInfo] = {}
    for info, parts in zip(files, split, strict=True):
        if len(parts) != 1:
            raise TheatreError(
                f"{where}: archive member {info.filename[:80]!r} is in a sub-directory; "
                "a theatre archive holds only files at its top level"
            )
        name = parts[0]
        if not FILE_NAME_RE.match(name):
            raise TheatreError(
                f"{where}: archive member {name[:80]!r} is not a theatre file (a .json, .csv or .geojson name); refused"
            )
        if name in out:
            raise TheatreError(f"{where}: archive holds {name!r} twice; refused")
        out[name] = info
    return out


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out += chunk
                if len(out) > info.file_size:
                    raise TheatreError(f"{where}: larger than the archive declares; refused")
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError, NotImplementedError) as exc:
        raise TheatreError(f"{where}: cannot unpack: {exc}") from None
    return bytes(out)


def _vertices_from_geojson(data: bytes, where: str) -> bytes:
    fc = _geojson(data, where)
    rows = []
    for i, feat in enumerate(fc.get("features") or []):
        geom = (feat or {}).get("geometry") or {}
        line_id = str(((feat or {}).get("properties") or {}).get(S.LINE_ID) or "").strip()
        if geom.get("type") != "LineString" or not line_id:
            raise TheatreError(f"{where}: feature {i}: needs a LineString geometry and a 'line_id' property")
        for seq, pt in enumerate(geom.get("coordinates") or []):
            if not isinstance(pt, list) or len(pt) < 2:
                raise TheatreError(f"{where}: feature {i}: vertex {seq} is not a [lon, lat] pair")
            rows.append({S.V_LINE_ID: line_id, S.V_SEQ: seq, S.V_LON: pt[0], S.V_LAT: pt[1]})
    return pd.DataFrame(rows, columns=[S.V_LINE_ID, S.V_SEQ, S.V_LON, S.V_LAT]).to_csv(index=False).encode("utf-8")


def _geojson(data: bytes, where: str) -> dict:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TheatreError(f"{where}: not valid GeoJSON ({exc})") from None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise TheatreError(f"{where}: not a GeoJSON FeatureCollection")
    return obj


def _check_tables(theatre: Theatre, files: dict[str, bytes], where: Path) -> None:
    for name, data in files.items():
        if name.endswith(".csv"):
            _csv(data, f"{where}:{name}")
        elif name.endswith(".geojson"):
            _geojson(data, f"{where}:{name}")
    cited = [("reference_line", theatre.reference_line)]
    for i, a in enumerate(theatre.agreements):
        cited.append((f"agreements[{i}].line", a.line))
        cited += [(f"agreements[{i}].zones[{j}].line", z.line) for j, z in enumerate(a.zones)]
    cited = [(f, v) for f, v in cited if v]
    if LINES_CSV not in files:
        if VERTICES_CSV in files:
            raise TheatreError(f"{where}: holds {VERTICES_CSV} without {LINES_CSV}")
        if cited:
            raise TheatreError(f"{where}:{MANIFEST}: field '{cited[0][0]}': line {cited[0][1]!r} but no {LINES_CSV}")
        return
    meta = _csv(files[LINES_CSV], f"{where}:{LINES_CSV}")
    if S.LINE_ID not in meta.columns:
        raise TheatreError(f"{where}:{LINES_CSV}: missing column '{S.LINE_ID}'")
    if VERTICES_CSV in files:
        vertices = _csv(files[VERTICES_CSV], f"{where}:{VERTICES_CSV}")
    else:
        raise TheatreError(f"{where}: holds {LINES_CSV} without {VERTICES_CSV} or {LINES_GEOJSON}")
    missing = {S.V_LINE_ID, S.V_SEQ, S.V_LON, S.V_LAT} - set(vertices.columns)
    if missing:
        raise TheatreError(f"{where}:{VERTICES_CSV}: missing columns {sorted(missing)}")
    if S.LINE_PRECISION_KM not in meta.columns:
        meta[S.LINE_PRECISION_KM] = ""
    try:
        lines_from_frames(meta, vertices, origin=f"{where}:{VERTICES_CSV}")
    except DataFileError as exc:
        raise TheatreError(str(exc)) from None
    ids = set(meta[S.LINE_ID])
    for field_name, line in cited:
        if line not in ids:
            raise TheatreError(f"{where}:{MANIFEST}: field '{field_name}': no line {line!r} in {LINES_CSV}")


def read_archive(path: str | Path, new_id: str | None = None) -> tuple[Theatre, dict[str, bytes]]:
    """Check a theatre archive completely and return its theatre and the files to store.

    Parameters
    ----------
    path : str or Path
        The zip file.
    new_id : str, optional
        Store the theatre under this id instead of the manifest's.

    Raises
    ------
    geo.errors.TheatreError
        Naming the archive (and member, field or row) for the first problem found.
    """
    path = Path(path)
    with _open(path) as zf:
        infos = _member_names(zf, path)
        if MANIFEST not in infos:
            raise TheatreError(f"{path}: not a theatre archive: no {MANIFEST} at its top level")
        files = {name: _read(zf, info, f"{path}:{name}") for name, info in infos.items()}
    try:
        text = files[MANIFEST].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TheatreError(f"{path}:{MANIFEST}: not UTF-8 text") from None
    theatre = parse_json(text, f"{path}:{MANIFEST}")
    if new_id:
        if not ID_RE.match(new_id):
            raise TheatreError(f"{new_id!r} is not a theatre id (2-63 of a-z, 0-9, '_', '-')")
        theatre = dc_replace(theatre, id=new_id)
    theatre = dc_replace(theatre, default=False)
    if LINES_CSV in files and VERTICES_CSV not in files and LINES_GEOJSON in files:
        files[VERTICES_CSV] = _vertices_from_geojson(files[LINES_GEOJSON], f"{path}:{LINES_GEOJSON}")
    if VERTICES_CSV in files:
        files.pop(LINES_GEOJSON, None)  # derived from the tables on export; not stored
    _check_tables(theatre, files, path)
    files[MANIFEST] = manifest_text(theatre).encode("utf-8")
    return theatre, files


def import_theatre(
    path: str | Path,
    *,
    replace: bool = False,
    new_id: str | None = None,
    data_dir: str | Path | None = None,
    user: Principal | str | None = None,
) -> Theatre:
    """Import a theatre archive as a user theatre and return it as loaded back from disk.

    ``user`` must be an admin (:func:`geo.auth.authorize`; None: the embedded mode's
    local admin); read-only mode refuses.

    Parameters
    ----------
    path : str or Path
        A zip written by :func:`export_theatre` (or by hand: ``theatre.json`` plus tables).
    replace : bool
        Overwrite a user theatre of the same id (a shipped theatre is never overwritten).
    new_id : str, optional
        Import under this id.
    data_dir : str or Path, optional
        The user data directory (default ``$CONTESTED_DATA_DIR``).

    Raises
    ------
    geo.errors.TheatreError
        For a bad archive (see :func:`read_archive`) or a taken id; nothing stored is changed.
    """
    authorize(user, Action.MANAGE_THEATRES)
    theatre, files = read_archive(path, new_id)
    tid = theatre.id
    if (shipped_root() / tid).exists():
        raise TheatreError(
            f"theatre '{tid}' is a shipped theatre and cannot be replaced; import with --id NEW_ID to keep a copy"
        )
    root = user_root(data_dir)
    final = root / tid
    if final.exists() and not replace:
        raise TheatreError(
            f"theatre '{tid}' already exists; import with --replace to overwrite it, or with --id NEW_ID"
        )
    if not final.exists():
        check_new_id(tid, data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{tid}-", dir=root))
    old = root / f".old-{tid}-{staging.name.rsplit('-', 1)[-1]}"
    try:
        for name, data in files.items():
            write_atomic(staging / name, data)
        read_manifest_as(staging, tid)
        if final.exists():
            os.rename(final, old)
            try:
                os.rename(staging, final)
            except OSError:
                os.rename(old, final)
                raise
        else:
            os.rename(staging, final)
    except OSError as exc:
        raise TheatreError(f"cannot write theatre '{tid}' in {root}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return get_theatre(tid, data_dir)
