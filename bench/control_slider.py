"""Benchmark of the Control maps page: a date-slider step and the map payload, against naive baselines.

A synthetic series (:mod:`tests.support.synthetic_control`, DeepState-sized
days) is imported into a fresh store; the page runs in AppTest. Measured in
the same run:

- ``step_warm_s``: median time of a slider step to a date already shown
  (caches warm); ``step_cold_s``: to a date not shown yet (the change between
  two snapshots computed and the map built); ``step_naive_s``: a step with
  every Streamlit cache cleared first (what a page without caches costs);
  ``step_ratio``: naive over warm.
- ``payload_bytes_small`` / ``payload_bytes_big``: bytes of the map sent for
  the same two dates with a few and with all the dates held (they do not
  grow with the dates); ``payload_naive_bytes``: a map with every snapshot
  held at full resolution (what a page that switches dates in the browser
  would send); ``payload_ratio``: naive over ours.
- ``peak_mb``: peak resident memory of this process.

Run: ``python bench/control_slider.py`` (``--days N``, ``--quick`` for a smoke run). Prints
a table and, as its last line, ``key=value`` pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THEATRE = "donbas-2014-15"
PARTY = "separatists"
SERIES = "DeepState"


def _store_with(days: int, where: Path) -> Path:
    from geo.control import ControlStore, import_series, read_series
    from tests.support import synthetic_control as SC

    SC.write_series(where / f"series{days}", days)
    path = where / f"control{days}.sqlite"
    with ControlStore(path) as store:
        import_series(store, read_series(where / f"series{days}", party=PARTY), THEATRE, SERIES)
    return path


def _payload_bytes(path: Path, d_from: dt.date, d_to: dt.date) -> int:
    from geo.control import ControlStore, regions_for
    from geo.control.view import Pick, control_view
    from geo.maps.controlmap import control_map

    regions = regions_for(THEATRE)
    with ControlStore(path) as store:
        v = control_view(store, THEATRE, Pick(SERIES, PARTY), d_from, d_to, regions)
    return len(control_map(regions, v["state"], gained=v["gained"], lost=v["lost"]).get_root().render())


def _naive_payload_bytes(path: Path) -> int:
    import folium

    from geo.control import ControlStore

    m = folium.Map(tiles=None)
    with ControlStore(path) as store:
        for day, key in store.held(THEATRE, SERIES, PARTY):
            folium.GeoJson(store.geometry(key).__geo_interface__, name=day.isoformat()).add_to(m)
    return len(m.get_root().render())


def _steps(data_dir: Path, dates: list[dt.date], clear: bool) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CONTESTED_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "pages" / "control.py"), default_timeout=900).run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    out = []
    for day in dates:
        if clear:
            st.cache_data.clear()
            st.cache_resource.clear()
        t = time.perf_counter()
        at.select_slider(key="control_date").set_value(day).run()
        out.append(time.perf_counter() - t)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    return out


def main(argv: list[str] | None = None) -> int:
    from tests.support import synthetic_control as SC

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=120, help="dates held in the big store (default 120)")
    ap.add_argument("--quick", action="store_true", help="tiny inputs: a smoke run")
    args = ap.parse_args(argv)
    days = 6 if args.quick else max(args.days, 8)
    small = 4
    n_steps = 2 if args.quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small_store = _store_with(small, tmp / "small")
        data_dir = tmp / "big"
        data_dir.mkdir()
        big_store = _store_with(days, data_dir)
        big_store.rename(data_dir / "control.sqlite")
        big_store = data_dir / "control.sqlite"
        d_from, d_to = SC.START, SC.START + dt.timedelta(days=small - 1)
        payload_small = _payload_bytes(small_store, d_from, d_to)
        payload_big = _payload_bytes(big_store, d_from, d_to)
        payload_naive = _naive_payload_bytes(big_store)
        targets = [SC.START + dt.timedelta(days=days - 2 - k) for k in range(n_steps)]
        cold = _steps(data_dir, targets, clear=False)
        # the same dates again in a fresh session: every step is warm
        warm = _steps(data_dir, targets, clear=False)
        naive = _steps(data_dir, targets, clear=True)
    figures = {
        "days": days,
        "step_warm_s": statistics.median(warm),
        "step_cold_s": statistics.median(cold),
        "step_naive_s": statistics.median(naive),
        "step_ratio": statistics.median(naive) / max(statistics.median(warm), 1e-9),
        "payload_bytes_small": payload_small,
        "payload_bytes_big": payload_big,
        "payload_naive_bytes": payload_naive,
        "payload_ratio": payload_naive / payload_big,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    for key, value in figures.items():
        print(f"{key:22s} {value:,.3f}" if isinstance(value, float) else f"{key:22s} {value}")
    print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))
    print(json.dumps({"cold": cold, "warm": warm, "naive": naive}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
