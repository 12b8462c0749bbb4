"""Safety of the user-lines files under concurrency and crashes (geo.atomic, geo.io.drawn, geo.reference.user_lines, geo.io.save)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo import schema as S
from geo.io import drawn as D
from geo.io import load_user_lines, user_lines_paths

REPO = Path(__file__).resolve().parents[3]

SAVER = textwrap.dedent(
    """
    import sys
    from shapely.geometry import LineString
    from geo.io.drawn import DrawnLine, save_drawn
    worker, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    for i in range(n):
        geom = LineString([(37.0 + worker * 0.1, 48.0 + i * 0.01), (37.05 + worker * 0.1, 48.005 + i * 0.01)])
        save_drawn(DrawnLine(name=f"w{worker} n{i}", geometry=geom), path)
    """
)


def test_four_processes_saving_ten_drawings_each_keep_all_forty(tmp_path):
    path = tmp_path / D.DRAWN_FILENAME
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", SAVER, str(w), "10", str(path)], env=env, cwd=REPO) for w in range(4)
    ]
    for p in procs:
        assert p.wait(timeout=300) == 0
    names = set(D.load_drawn(path)[S.LINE_NAME])
    assert names == {f"w{w} n{i}" for w in range(4) for i in range(10)}


IMPORTER = textwrap.dedent(
    """
    import json, os, signal, sys
    from geo.io import read_vector, save_import
    data_dir, name, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kill_at:
        real, calls = os.replace, [0]
        def replace(a, b):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(a, b)
        os.replace = replace
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
          "properties": {"name": name, "date": "2015-01-20"},
          "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]}}]}
    save_import(read_vector(json.dumps(fc).encode(), "a.geojson"), {}, data_dir)
    """
)


def _import(data_dir, name, kill_at=0):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", IMPORTER, str(data_dir), name, str(kill_at)], env=env, cwd=REPO, timeout=300
    ).returncode


@pytest.mark.parametrize("kill_at", [1, 2])
def test_an_import_killed_between_its_file_writes_leaves_readable_files(tmp_path, kill_at):
    assert _import(tmp_path, "First") == 0
    assert _import(tmp_path, "Killed", kill_at) == -signal.SIGKILL
    names = list(load_user_lines(tmp_path)[S.LINE_NAME])  # later reads work
    assert names[0] == "First" and set(names) <= {"First", "Killed"}
    assert _import(tmp_path, "After") == 0  # and later imports
    assert list(load_user_lines(tmp_path)[S.LINE_NAME])[-1] == "After"
    lp, vp = user_lines_paths(tmp_path)
    assert lp.exists() and vp.exists()


DELETER = textwrap.dedent(
    """
    import sys
    from geo.io.line_registry import delete_line
    delete_line(sys.argv[2], user="ana", data_dir=sys.argv[1])
    """
)


@pytest.mark.parametrize("step", ["user-lines-between-writes", "user-lines-before-cleanup"])
def test_a_line_delete_killed_midway_leaves_readable_files_and_an_undo(tmp_path, step):
    from geo.io import line_registry as R

    assert _import(tmp_path, "Keep") == 0 and _import(tmp_path, "Drop") == 0
    keep, drop = list(load_user_lines(tmp_path)[S.LINE_ID])
    env = {**os.environ, "PYTHONPATH": str(REPO), "CONTESTED_CRASH_AT": step}
    r = subprocess.run([sys.executable, "-c", DELETER, str(tmp_path), drop], env=env, cwd=REPO, timeout=300)
    assert r.returncode == -signal.SIGKILL
    ids = list(load_user_lines(tmp_path)[S.LINE_ID])
    assert ids == ([keep, drop] if step == "user-lines-between-writes" else [keep])
    assert [h["action"] for h in R.line_history(drop, tmp_path)] == ["delete"]  # recorded before the change
    if drop not in ids:
        R.restore_line(drop, user="bo", data_dir=tmp_path)
    assert _import(tmp_path, "After") == 0
    assert list(load_user_lines(tmp_path)[S.LINE_NAME]) == ["Keep", "Drop", "After"]
