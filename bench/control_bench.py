"""Benchmark of control series (issue 17): import, area series cold and after one more day, memory.

A synthetic series shaped like DeepState's daily files (``tests/support/synthetic_control.py``:
a 3,000-vertex multipolygon moving a little each day) is written to a temporary directory,
imported into a fresh store and measured. Each figure stands beside a naive baseline run on
the same machine in the same process, so the ratios do not depend on the machine:

- **import**: ``read_series`` + ``import_series`` of every day; the naive import reads each file
  with ``geopandas.read_file`` and stores its GeoJSON text as it is, one row per day (timed on
  a sample of days, extrapolated linearly). Store size against the GeoJSON bytes.
- **area series, cold**: ``area_series`` (total and per oblast) over every date with nothing
  measured yet; the naive one measures each date afresh with plain shapely and ``pyproj.Geod``
  (the whole polygon, then its intersection with every oblast), timed on a sample of dates and
  extrapolated. The totals of both are compared on the sample (``naive_rel_diff``); long edges
  (a real series has some) differ between the two readings of an edge, a geodesic for plain
  ``Geod`` and a straight lon/lat line for GeoJSON, so ``naive_rel_diff_dense`` compares with the
  naive outline densified first.
- **one more day**: the last day is imported afterwards and the series asked again; only that
  day is measured (``measured_on_add``). Its time is reported against the cold run and against
  the cold run's cost per day.
- ``drift_rel``: the last day's total, reached by adding gains and losses day after day, against
  that day measured afresh.
- ``*_cpu_s``: the CPU seconds this process spent (``time.process_time``) beside the wall-clock
  seconds, which on a shared machine depend on its load (``load_average`` is printed).
- ``peak_rss_mb``: peak resident memory of this process (``resource.getrusage``) after each step.
- ``import_read_serial_s``: the same read with one process, beside the read over ``--jobs``
  processes (default 2). Where wall time far above CPU time goes: on an idle machine the two
  are equal (the import is one transaction, so one fsync; the process hardly sleeps), so a gap
  is time spent waiting for a core while other work runs; parsing over both cores shortens it.

Prints a table, then the figures as one JSON object on the last line.

Run: ``python bench/control_bench.py [--days 800] [--sample 40]`` (``--days 30`` for a quick run;
``--series DIR`` runs the same steps on the first days of a real series of daily GeoJSON files,
e.g. a local copy of the DeepState mirror, which is never shipped).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from bench.run import reference_area_km2  # noqa: E402 - plain Geod, polygon by polygon
from geo.control import ControlStore, area_series, change, import_series, read_series, regions_for  # noqa: E402
from geo.control.measure import area_in_regions  # noqa: E402
from geo.control.postgis import PostgisControl  # noqa: E402
from tests.support.pg_server import with_search_path  # noqa: E402
from tests.support.synthetic_control import write_series  # noqa: E402

THEATRE = "ukraine-2022"
PARTY = "russia"
#: Edge length (degrees) the naive outline is densified to for the second comparison.
DENSE_DEG = 0.002
#: Goals of issue 17 (seconds, MB).
GOALS = {"import_s": 120.0, "store_mb": 100.0, "series_cold_s": 10.0}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_measure(geom, regions: gpd.GeoDataFrame) -> dict:
    """Total and per-region area, every region intersected afresh (no index, no cache, no increments)."""
    per = {}
    for name, region in zip(regions["name"], regions.geometry.values, strict=True):
        km2 = reference_area_km2(shapely.intersection(geom, region))
        if km2 > 0:
            per[str(name)] = km2
    return {"total_km2": reference_area_km2(geom), "per_region": per}


def naive_import(paths: list[Path], db: Path) -> float:
    """Seconds to read ``paths`` with geopandas and store each file's text (no dedup, no checks)."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS days (name TEXT PRIMARY KEY, geojson TEXT)")
    for path in paths:
        gpd.read_file(path)
        conn.execute("INSERT OR REPLACE INTO days VALUES (?, ?)", (path.name, path.read_text(encoding="utf-8")))
    conn.commit()
    conn.close()
    return time.perf_counter() - t0


def _sample(items: list, n: int) -> list:
    step = max(1, len(items) // max(1, n))
    return items[::step][:n]


def _copy_series(source: Path, target: Path, days: int) -> list[Path]:
    """The first ``days`` + 1 GeoJSON files of a real series directory (by name), copied into ``target``."""
    target.mkdir(parents=True)
    paths = []
    for path in sorted(source.glob("*.geojson"))[: days + 1]:
        paths.append(target / path.name)
        shutil.copyfile(path, paths[-1])
    if len(paths) < 3:
        raise SystemExit(f"{source}: fewer than 3 .geojson files")
    return paths


def postgis_steps(url: str, store: ControlStore, regions: gpd.GeoDataFrame, rows: list[dict], sample: int) -> dict:
    """The PostGIS path (:mod:`geo.control.postgis`) against the Python one on the same store, in a fresh schema.

    ``rows``: the Python area series of every date. The database measures a
    sample of ``sample`` dates afresh (extrapolated to all), then the change
    from the first date to the last; both are compared with the Python figures.
    """
    import psycopg

    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        with PostgisControl(with_search_path(url, schema)) as pg:
            t0 = time.perf_counter()
            pg.sync(store, THEATRE, "default", PARTY)
            sync_s = time.perf_counter() - t0
            pg.put_regions(regions)
            # the sample: a copy of the series holding only the sampled dates (so only those are measured)
            held = store.held(THEATRE, "default", PARTY)
            picked = _sample(held, sample)
            pg._conn.execute(
                "INSERT INTO control_snapshots SELECT theatre, 'sample', party, date, hash FROM control_snapshots "
                "WHERE date = ANY(%s)",
                ([d for d, _ in picked],),
            )
            pg._conn.commit()
            t0 = time.perf_counter()
            in_db = pg.area_series(THEATRE, "sample", PARTY, regions)
            sample_s = time.perf_counter() - t0
            by_date = {r["date"]: r for r in rows}
            series_rel = max(
                abs(r["total_km2"] - by_date[r["date"]]["total_km2"]) / by_date[r["date"]]["total_km2"] for r in in_db
            )
            first, last = held[0][0].isoformat(), held[-1][0].isoformat()
            t0 = time.perf_counter()
            change_db = pg.change(THEATRE, "default", PARTY, first, last, regions)
            change_db_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            change_py = change(store, THEATRE, PARTY, first, last, regions)
            change_py_s = time.perf_counter() - t0
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return {
        "pg_sync_s": sync_s,
        "pg_series_cold_s": sample_s * len(held) / len(picked),
        "pg_series_sample": len(picked),
        "pg_series_rel_diff": series_rel,
        "pg_change_s": change_db_s,
        "py_change_s": change_py_s,
        "pg_change_rel_diff": max(
            abs(change_db[k] - change_py[k]) / change_py["gained_km2"] for k in ("gained_km2", "lost_km2", "net_km2")
        ),
        "change_gained_km2": change_py["gained_km2"],
    }


def run(
    days: int = 800,
    sample: int = 40,
    workdir: str | None = None,
    series: str | None = None,
    jobs: int = 2,
    pg_url: str | None = None,
) -> dict:
    """Run every step on ``days`` synthetic days (or a real series' first days); print the table; return the figures."""
    t_start = time.perf_counter()
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmp_path = Path(tmp)
        if series:
            paths = _copy_series(Path(series), tmp_path / "series", days)
            days = len(paths) - 1
        else:
            paths = write_series(tmp_path / "series", days + 1)
        last = tmp_path / "last"
        last.mkdir()
        paths[-1].rename(last / paths[-1].name)
        paths = paths[:-1]
        series_bytes = sum(p.stat().st_size for p in paths)
        regions = regions_for(THEATRE)
        area_in_regions(shapely.box(37, 48, 37.1, 48.1), regions)  # prepare the regions outside the timings
        rss["setup"] = peak_rss_mb()

        # -- import -----------------------------------------------------------------------
        store_file = tmp_path / "control.sqlite"
        t0, c0 = time.perf_counter(), time.process_time()
        read = read_series(tmp_path / "series", party=PARTY, jobs=jobs)
        read_s = time.perf_counter() - t0
        with ControlStore(store_file) as store:
            t0 = time.perf_counter()
            report = import_series(store, read, THEATRE)
            store_s = time.perf_counter() - t0
        import_cpu_s = time.process_time() - c0
        # the same read in this process only (jobs=1), for the before/after of the parallel parse
        t0, c0 = time.perf_counter(), time.process_time()
        serial = read_series(tmp_path / "series", party=PARTY)
        serial_read_s, serial_read_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        assert len(serial.snapshots) == len(read.snapshots)
        del read, serial
        import_s = read_s + store_s
        store_mb = store_file.stat().st_size / 1e6
        rss["import"] = peak_rss_mb()
        naive_paths = _sample(paths, sample)
        naive_import_s = naive_import(naive_paths, tmp_path / "naive.sqlite") * len(paths) / len(naive_paths)

        with ControlStore(store_file) as store:
            # -- area series, cold --------------------------------------------------------
            t0, c0 = time.perf_counter(), time.process_time()
            rows = area_series(store, THEATRE, PARTY, regions)
            cold_s = time.perf_counter() - t0
            cold_cpu_s = time.process_time() - c0
            rss["series_cold"] = peak_rss_mb()
            held = store.held(THEATRE, "default", PARTY)
            picked = _sample(list(range(len(held))), sample)
            t0, c0 = time.perf_counter(), time.process_time()
            naive = [naive_measure(store.geometry(held[i][1]), regions) for i in picked]
            naive_sample_s = time.perf_counter() - t0
            naive_cold_cpu_s = (time.process_time() - c0) * len(held) / len(picked)
            naive_cold_s = naive_sample_s * len(held) / len(picked)
            naive_rel = max(abs(rows[i]["total_km2"] - n["total_km2"]) / n["total_km2"] for i, n in zip(picked, naive))
            # the same with the naive outline densified first (edges straight in lon/lat, as GeoJSON draws them)
            dense_rel = max(
                abs(rows[i]["total_km2"] - dense) / dense
                for i in picked
                for dense in [reference_area_km2(shapely.segmentize(store.geometry(held[i][1]), DENSE_DEG))]
            )
            warm_t0 = time.perf_counter()
            area_series(store, THEATRE, PARTY, regions)
            warm_s = time.perf_counter() - warm_t0

            # -- one more day -------------------------------------------------------------
            t0 = time.perf_counter()
            add_report = import_series(store, read_series(last, party=PARTY), THEATRE)
            add_import_s = time.perf_counter() - t0
            measured: list[str] = []
            t0 = time.perf_counter()
            rows_after = area_series(store, THEATRE, PARTY, regions, progress=lambda d, t, k: measured.append(k))
            add_series_s = time.perf_counter() - t0
            rss["add_day"] = peak_rss_mb()
            fresh = area_in_regions(store.geometry(store.held(THEATRE, "default", PARTY)[-1][1]), regions)
            drift_rel = abs(rows_after[-1]["total_km2"] - fresh["total_km2"]) / fresh["total_km2"]
            region_gap = max(
                abs(r["total_km2"] - sum(r["per_region"].values()) - r["outside_km2"]) / r["total_km2"]
                for r in rows_after
            )
            pg = postgis_steps(pg_url, store, regions, rows_after, sample) if pg_url else {}
            rss["postgis"] = peak_rss_mb()
    per_day_s = cold_s / len(held)
    figures = {
        "days": days,
        "series": "real: " + Path(series).name if series else "synthetic",
        "imported": len(report.imported),
        "import_s": import_s,
        "import_cpu_s": import_cpu_s,
        "import_read_s": read_s,
        "import_store_s": store_s,
        "import_jobs": jobs,
        "import_read_serial_s": serial_read_s,
        "import_read_serial_cpu_s": serial_read_cpu_s,
        "naive_import_s": naive_import_s,
        "import_ratio": naive_import_s / import_s,
        "store_mb": store_mb,
        "series_geojson_mb": series_bytes / 1e6,
        "store_ratio": series_bytes / 1e6 / store_mb,
        "series_cold_s": cold_s,
        "series_cold_cpu_s": cold_cpu_s,
        "naive_series_cpu_s": naive_cold_cpu_s,
        "naive_series_s": naive_cold_s,
        "series_ratio": naive_cold_s / cold_s,
        "series_warm_s": warm_s,
        "naive_rel_diff": naive_rel,
        "naive_rel_diff_dense": dense_rel,
        "add_day_imported": len(add_report.imported),
        "add_day_import_s": add_import_s,
        "add_day_series_s": add_series_s,
        "measured_on_add": len(measured),
        "add_vs_cold": add_series_s / cold_s,
        "add_vs_cold_per_day": add_series_s / per_day_s,
        "naive_add_s": naive_cold_s * (len(held) + 1) / len(held),
        "drift_rel": drift_rel,
        "region_sum_rel_gap": region_gap,
        "sample": len(picked),
        "peak_rss_mb": max(rss.values()),
        "peak_rss_mb_by_step": rss,
        "bench_s": time.perf_counter() - t_start,
        "load_average": os.getloadavg(),
        **pg,
    }
    print(table(figures))
    print(json.dumps(figures, sort_keys=True))
    return figures


def table(f: dict) -> str:
    """The figures as a fixed-width table: measure, ours, naive baseline (same run), ratio / goal."""
    rows = [
        (
            f"import {f['imported']} days (s)",
            f"{f['import_s']:.1f} (read {f['import_read_s']:.1f})",
            f"{f['naive_import_s']:.1f}",
            f"{f['import_ratio']:.2f}x / goal < {GOALS['import_s']:.0f} s",
        ),
        (
            "store (MB)",
            f"{f['store_mb']:.1f}",
            f"{f['series_geojson_mb']:.1f} (GeoJSON text)",
            f"{f['store_ratio']:.1f}x / goal < {GOALS['store_mb']:.0f} MB",
        ),
        (
            f"area series over {f['imported']} dates, cold (s)",
            f"{f['series_cold_s']:.2f}",
            f"{f['naive_series_s']:.1f} ({f['sample']} dates timed)",
            f"{f['series_ratio']:.0f}x / goal < {GOALS['series_cold_s']:.0f} s",
        ),
        (
            "  same, CPU seconds of this process",
            f"{f['series_cold_cpu_s']:.2f}",
            f"{f['naive_series_cpu_s']:.1f}",
            f"{f['naive_series_cpu_s'] / f['series_cold_cpu_s']:.0f}x",
        ),
        ("  same, warm (s)", f"{f['series_warm_s']:.3f}", "", ""),
        (
            "  one more day: series (s)",
            f"{f['add_day_series_s']:.3f} ({f['measured_on_add']} measured)",
            f"{f['naive_add_s']:.1f}",
            f"{f['add_vs_cold']:.4f} of cold, {f['add_vs_cold_per_day']:.1f} cold days",
        ),
        ("  one more day: import (s)", f"{f['add_day_import_s']:.3f}", "", ""),
        ("total vs naive Geod on the sample (rel.)", f"{f['naive_rel_diff']:.1e}", "", "goal <= 1e-6"),
        (f"  same, naive densified to {DENSE_DEG} deg", f"{f['naive_rel_diff_dense']:.1e}", "", "goal <= 1e-6"),
        ("last day, incremental vs fresh (rel.)", f"{f['drift_rel']:.1e}", "", "goal <= 1e-6"),
        ("total - regions - outside (rel.)", f"{f['region_sum_rel_gap']:.1e}", "", ""),
        ("peak RSS (MB)", f"{f['peak_rss_mb']:.0f}", "", ""),
        ("import, CPU seconds of this process", f"{f['import_cpu_s']:.1f}", "", ""),
        (
            f"  read with {f['import_jobs']} process(es) vs 1 (s)",
            f"{f['import_read_s']:.1f}",
            f"{f['import_read_serial_s']:.1f} (CPU {f['import_read_serial_cpu_s']:.1f})",
            f"{f['import_read_serial_s'] / f['import_read_s']:.2f}x",
        ),
        ("load average (1, 5, 15 min) at the end", ", ".join(f"{x:.1f}" for x in f["load_average"]), "", ""),
    ]
    if "pg_sync_s" in f:
        rows += [
            ("PostGIS: copy the series in (s)", f"{f['pg_sync_s']:.1f}", "", ""),
            (
                "PostGIS: area series, cold (s)",
                f"{f['pg_series_cold_s']:.1f} ({f['pg_series_sample']} dates timed)",
                f"{f['series_cold_s']:.1f} (Python, incremental)",
                f"{f['series_cold_s'] / f['pg_series_cold_s']:.2f}x",
            ),
            ("  PostGIS vs Python totals (rel.)", f"{f['pg_series_rel_diff']:.1e}", "", "goal <= 1e-6"),
            (
                "PostGIS: change first -> last date (s)",
                f"{f['pg_change_s']:.2f}",
                f"{f['py_change_s']:.2f} (Python)",
                f"{f['py_change_s'] / f['pg_change_s']:.2f}x",
            ),
            ("  PostGIS vs Python gained/lost/net (rel.)", f"{f['pg_change_rel_diff']:.1e}", "", "goal <= 1e-6"),
        ]
    head = ("measure", "ours", "naive baseline (same run)", "ratio / goal")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=800, help="days in the series (default 800; 30 for a quick run)")
    parser.add_argument("--sample", type=int, default=40, help="days the naive baselines are timed on (default 40)")
    parser.add_argument("--series", help="a directory of real daily GeoJSON files to use instead of the synthetic ones")
    parser.add_argument("--jobs", type=int, default=2, help="processes parsing the series files (default 2)")
    parser.add_argument("--workdir", help="where the temporary series and store go (default the system temp dir)")
    parser.add_argument(
        "--pg", help="a postgresql:// URL (PostGIS): time the database path against the Python one (own schema)"
    )
    args = parser.parse_args(argv)
    if args.days < 2 or args.sample < 1:
        parser.error("--days must be at least 2 and --sample at least 1")
    run(args.days, min(args.sample, args.days), args.workdir, args.series, max(1, args.jobs), args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
