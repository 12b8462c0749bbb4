"""``lines_from_frames`` finds each line's vertices in one pass: the same lines and errors as a scan per line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo import schema as S
from geo.errors import DataFileError
from geo.measure import geodesic_length_km
from geo.reference.lines import lines_from_frames


def frames(n_lines: int, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_lines`` simple lines (west to east), their vertex rows shuffled, seq numbers with gaps."""
    rng = np.random.default_rng(seed)
    meta, rows = [], []
    for i in range(n_lines):
        line_id = f"line_{i:03d}"
        meta.append({S.LINE_ID: line_id, S.LINE_NAME: f"Line {i}", S.LINE_DATE: "2015-01-20", S.LINE_PRECISION_KM: "2"})
        k = int(rng.integers(2, 12))
        lons = 36 + np.sort(rng.uniform(0, 3, k))
        lats = 47 + i * 0.01 + rng.uniform(0, 0.005, k)
        seqs = np.sort(rng.choice(1000, size=k, replace=False))
        rows += [
            {S.V_LINE_ID: line_id, S.V_SEQ: str(s), S.V_LON: str(lon), S.V_LAT: str(lat)}
            for s, lon, lat in zip(seqs, lons, lats, strict=True)
        ]
    vertices = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return pd.DataFrame(meta), vertices


def reference(meta: pd.DataFrame, vertices: pd.DataFrame) -> list[tuple[str, shapely.LineString, float]]:
    """Each line by a scan of every vertex row (the definition)."""
    out = []
    for line_id in meta[S.LINE_ID]:
        pts = vertices[vertices[S.V_LINE_ID] == line_id].copy()
        pts[S.V_SEQ] = pts[S.V_SEQ].astype(int)
        pts = pts.sort_values(S.V_SEQ)
        geom = shapely.LineString(pts[[S.V_LON, S.V_LAT]].astype(float).to_numpy())
        out.append((line_id, geom, geodesic_length_km(geom)))
    return out


def test_lines_equal_the_scan_per_line_in_meta_order():
    meta, vertices = frames(80)
    got = lines_from_frames(meta, vertices)
    want = reference(meta, vertices)
    assert list(got[S.LINE_ID]) == [w[0] for w in want]
    for geom, (_, expected, _) in zip(got.geometry, want, strict=True):
        assert shapely.equals_exact(geom, expected, tolerance=0)
        assert len(geom.coords) == len(expected.coords)
    assert np.allclose(got["length_km"], [w[2] for w in want], rtol=0, atol=0)
    assert got[S.LINE_PRECISION_KM].tolist() == [2.0] * 80


def test_errors_name_the_first_bad_line_as_before():
    meta, vertices = frames(6)
    keep = vertices[vertices[S.V_LINE_ID] == "line_002"].head(1)
    one = pd.concat([vertices[vertices[S.V_LINE_ID] != "line_002"], keep])
    with pytest.raises(DataFileError, match=r"^lines: line 'line_002' has 1 vertices, needs at least 2$"):
        lines_from_frames(meta, one)
    none = vertices[vertices[S.V_LINE_ID] != "line_004"]
    with pytest.raises(DataFileError, match=r"line 'line_004' has 0 vertices"):
        lines_from_frames(meta, none)
    dup = vertices.copy()
    rows = dup.index[dup[S.V_LINE_ID] == "line_003"]
    dup.loc[rows[1], S.V_SEQ] = dup.loc[rows[0], S.V_SEQ]
    with pytest.raises(DataFileError, match=r"line 'line_003' repeats a seq number"):
        lines_from_frames(meta, dup)
    orphan = pd.concat([vertices, vertices.head(2).assign(**{S.V_LINE_ID: "ghost"})])
    with pytest.raises(DataFileError, match=r"vertices for unknown line ids \['ghost'\]"):
        lines_from_frames(meta, orphan)
