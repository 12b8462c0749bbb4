"""Benchmark: the whole map path with many figure claims in the registry (issue 19 item 5).

For each size N (default 1,000 and 10,000 synthetic figure claims; ``--claims``
or ``--sizes`` takes any, e.g. 100000) the script fills a fresh registry in a
temporary directory and times every stage the map page goes through:

``generate``    drawing the synthetic claims (numpy);
``import``      claims CSV read and stored (one ``add_claims`` call, one transaction);
                its baseline adds ``--baseline-max`` rows one call (one transaction)
                each, scaled to N, and ``import_agree`` checks both store the same claims;
``listing``     ``list_claims()`` of the whole registry, and ``listing_filtered`` with
                :data:`LIST_FILTER`; their baseline is the listing before it filtered in
                SQL (:func:`old_listing`, a ``Claim`` per row), on the whole registry,
                and ``listing_agree`` checks both give the same frames;
``verdicts``    claimed vs measured (:func:`geo.analysis.layers.verdict_table`),
                cold (every cache of ``geo`` emptied), warm (again), and after
                an edit of one claim's figure;
``implied``     the implied bands (:func:`geo.analysis.layers.implied_layer`), the same three;
``layers``      :func:`geo.analysis.layers.build_layers` cold and warm;
``map``         :func:`geo.maps.build_map` with the implied layer drawn, rendered to
                HTML: build time and bytes (``map_default_bytes``: the default view);
                ``map_warm`` the same again;
``peak_rss_mb`` the peak resident memory of the process after this size.

``--lines`` sizes (default 100, 500, 2,000 lines of 20 vertices) time the line
import (:func:`geo.reference.lines.lines_from_frames`) against its code at
:data:`LINES_BASELINE_COMMIT`, which scanned every vertex for each line.

The *baseline* is the code of commit :data:`BASELINE_COMMIT` (before the
per-combination caches), loaded from git into this same process, on the same
registry. The baseline costs grow per claim, so above ``--baseline-max``
claims it runs on ``--baseline-max`` claims and its times are extrapolated
from there and from half of them: a fixed cost plus a cost per claim (marked
``~`` in the table, ``baseline_extrapolated`` in the JSON). The sample is spread
evenly over the registry (its listing follows the event dates).

Synthetic claims follow the shipped Donbas theatre: reference lines of the
theatre, both sides (and none), event dates between Sep 2014 and Jun 2015,
figures drawn from rounded values as reports give them (:data:`FIGURES`),
every qualifier, one in ten a range. Generated with a fixed seed.

Prints a table, then one JSON line. Run: ``python bench/scale_bench.py``
(``--claims 200 --baseline-max 50 --lines 20`` for a smoke run).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import importlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The code before the per-combination caches (main at the time this bench was written).
BASELINE_COMMIT = "a99c788"
#: The line import before it found each line's vertices in one pass (the integration head of this work).
LINES_BASELINE_COMMIT = "9c35a2b"
#: Modules replaced by their baseline version, in import order (each may import the ones before it).
#: Other modules (contested areas, sides, settlements, simplification, the store) are shared: unchanged.
BASELINE_MODULES = (
    "geo.schema",  # it named the Donbas parties then (they are theatre data now)
    "geo.measure",  # its transformers were built per call then
    "geo.analysis.join",  # its line in force was looked up per date then
    "geo.analysis.implied",
    "geo.analysis.verdict",
    "geo.analysis.security_zones",  # the Minsk zones were code then (their data is in theatre.json now)
    "geo.analysis.layers",
    "geo.maps.popups",
    "geo.maps.mapview",
)
#: Figures as reports round them (km²).
FIGURES = (10, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 750, 1000, 1500, 2000)
QUALIFIERS = ("more_than", "about", "", "at_least", "up_to", "less_than", "exactly")
SIDES = ("separatists", "ukraine", "")
N_SOURCES = 25
STAGES = (
    "import",
    "listing",
    "listing_filtered",
    "verdicts_cold",
    "verdicts_warm",
    "verdicts_edit",
    "implied_cold",
    "implied_warm",
    "implied_edit",
    "layers_cold",
    "layers_warm",
    "map",
    "map_warm",
)
#: The filtered listing timed (a desk's everyday question: one actor's claims since a date, against one line).
LIST_FILTER = {"actor": ["DPR"], "date_from": "2015-01-01"}


# --- synthetic registry ---------------------------------------------------------
def synthetic_sources(n: int = N_SOURCES) -> list[dict]:
    """``n`` sources (publisher, title, https URL, date)."""
    return [
        {
            "source_id": f"bench_src_{i:03d}",
            "publisher": f"Bench Wire {i % 7}",
            "title": f"Report {i} on the line of contact",
            "url": f"https://example.org/bench/{i}",
            "published": f"2015-{1 + i % 6:02d}-{1 + i % 27:02d}",
            "language": "en",
            "source_kind": "news",
        }
        for i in range(n)
    ]


def synthetic_claims(n: int, line_ids: list[str], seed: int = 19) -> list[dict]:
    """``n`` figure claims as CSV rows of the claims schema (deterministic for a seed).

    Every column is drawn at once with numpy (100,000 rows in well under a second).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    refs = np.array([line_ids[0]] * 6 + list(line_ids[1:]))  # most claims name the agreed line
    value = rng.choice(np.array(FIGURES), n)
    side = rng.choice(np.array(SIDES), n)
    day = rng.integers(0, 280, n)
    dates = (np.datetime64("2014-09-20") + day).astype(str)  # from 2014-09-20
    actor = rng.choice(np.array(("Kiev", "DPR", "OSCE SMM", "NSDC", "LPR")), n)
    qualifier = rng.choice(np.array(QUALIFIERS), n)
    ref = rng.choice(refs, n)
    source = rng.integers(0, N_SOURCES, n)
    rel_source = rng.choice(np.array(list("ABC")), n)
    rel_info = rng.choice(np.array(list("123")), n)
    ranged = rng.random(n) < 0.1
    rows = []
    for i in range(n):
        v = int(value[i])
        row = {
            "claim_id": f"b{i:06d}",
            "quote": f"They hold {v} square km more beyond the line (bench claim {i}).",
            "actor": str(actor[i]),
            "party": str(side[i]),
            "stance": "asserts",
            "kind": "area",
            "value": v,
            "unit": "sq km",
            "qualifier": "" if ranged[i] else str(qualifier[i]),
            "reference_line": str(ref[i]),
            "side": str(side[i]),
            "event_date": str(dates[i]),
            "source_id": f"bench_src_{int(source[i]):03d}",
            "reliability_source": str(rel_source[i]),
            "reliability_info": str(rel_info[i]),
        }
        if ranged[i]:
            row["value_max"] = v * 3 // 2
        rows.append(row)
    return rows


def synthetic_lines(n: int, seed: int = 7):
    """``n`` simple reference lines (metadata and vertex frames, 20 vertices each, rows shuffled)."""
    import numpy as np
    import pandas as pd

    from geo import schema as S

    rng = np.random.default_rng(seed)
    k = 20
    ids = np.repeat([f"bench_line_{i:05d}" for i in range(n)], k)
    lon = 36 + np.sort(rng.uniform(0, 3, (n, k)), axis=1).ravel()
    lat = (47 + np.arange(n)[:, None] * 1e-3 + rng.uniform(0, 5e-4, (n, k))).ravel()
    seq = np.tile(np.arange(k), n)
    vertices = pd.DataFrame({S.V_LINE_ID: ids, S.V_SEQ: seq, S.V_LON: lon, S.V_LAT: lat})
    vertices = vertices.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    meta = pd.DataFrame(
        {
            S.LINE_ID: [f"bench_line_{i:05d}" for i in range(n)],
            S.LINE_NAME: [f"Bench line {i}" for i in range(n)],
            S.LINE_DATE: "2015-01-20",
            S.LINE_PRECISION_KM: "1",
        }
    )
    return meta, vertices


def write_csv(path: Path, rows: list[dict]) -> None:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)


# --- baseline code ---------------------------------------------------------------
def load_baseline(commit: str = BASELINE_COMMIT) -> dict[str, types.ModuleType] | None:
    """The modules of :data:`BASELINE_MODULES` as they were at ``commit`` (None if git cannot give them).

    Each is executed under its own name while the previous baseline modules
    stand in ``sys.modules``, so they import each other; ``sys.modules`` is
    restored afterwards and the current code is untouched.
    """
    for name in BASELINE_MODULES:  # the packages' own imports resolve to the current code first
        importlib.import_module(name)
    sources = {}
    for name in BASELINE_MODULES:
        path = name.replace(".", "/") + ".py"
        done = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            return None
        sources[name] = (path, done.stdout)
    saved = {name: sys.modules.get(name) for name in BASELINE_MODULES}
    out = {}
    try:
        for name, (path, text) in sources.items():
            mod = types.ModuleType(name)
            mod.__file__ = f"{commit}:{path}"
            sys.modules[name] = mod
            _set_in_package(name, mod)  # ``from geo import schema`` reads the package's attribute
            exec(compile(text, f"<baseline {commit}:{path}>", "exec"), mod.__dict__)
            out[name] = mod
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
                _set_in_package(name, mod)
    return out


def _set_in_package(name: str, mod: types.ModuleType) -> None:
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, mod)


def reset_caches(extra_modules=()) -> None:
    """A cold start: every ``functools`` cache of ``geo`` (and of ``extra_modules``) and the figure caches."""
    from geo.analysis import figure_cache

    figure_cache.clear()
    mods = [m for n, m in list(sys.modules.items()) if n == "geo" or n.startswith("geo.")]
    for mod in [*mods, *extra_modules]:
        for value in list(vars(mod).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    gc.collect()


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def edited(claims):
    """``claims`` with the first figure claim's figure changed (a new figure, as an analyst's edit makes)."""
    import pandas as pd

    out = claims.copy()
    km2 = pd.to_numeric(out["value_km2"], errors="coerce")
    row = int(((km2 > 0) & (out["side"].fillna("") != "")).to_numpy().argmax())
    col = out.columns.get_loc("value_km2")
    out.iloc[row, col] = float(out.iloc[row, col]) + 7.0
    return out


# --- the map path -----------------------------------------------------------------
def map_path(claims, sources, layers_mod, mapview_mod, extra_modules=()) -> dict:
    """Times of verdicts, implied, layers and map for one claims table with one version of the code."""
    out: dict[str, float] = {}
    reset_caches(extra_modules)
    _, out["verdicts_cold"] = timed(layers_mod.verdict_table, claims)
    _, out["verdicts_warm"] = timed(layers_mod.verdict_table, claims)
    _, out["verdicts_edit"] = timed(layers_mod.verdict_table, edited(claims))
    reset_caches(extra_modules)
    implied, out["implied_cold"] = timed(layers_mod.implied_layer, claims)
    _, out["implied_warm"] = timed(layers_mod.implied_layer, claims)
    _, out["implied_edit"] = timed(layers_mod.implied_layer, edited(claims))
    reset_caches(extra_modules)
    layers, out["layers_cold"] = timed(layers_mod.build_layers, claims)
    _, out["layers_warm"] = timed(layers_mod.build_layers, claims)

    def render():
        m = mapview_mod.build_map(layers, claims, sources=sources, optional_layers=("implied",))
        return m.get_root().render()

    html, out["map"] = timed(render)
    _, out["map_warm"] = timed(render)
    default = mapview_mod.build_map(layers, claims, sources=sources, optional_layers=()).get_root().render()
    out["map_bytes"] = len(html.encode("utf-8"))
    out["map_default_bytes"] = len(default.encode("utf-8"))
    out["implied_rows"] = len(implied)
    out["_verdicts"] = layers_mod.verdict_table(claims)
    out["_implied"] = implied
    out["implied_bands_drawn"] = html.count('"cl_stack": "area"') - default.count('"cl_stack": "area"')
    return out


def _agree(ours: dict, base: dict, n: int) -> dict:
    """Whether our verdicts and implied bands equal the baseline's on the baseline's claims."""
    import numpy as np
    import pandas as pd

    v_ours, v_base = ours["_verdicts"], base["_verdicts"]
    v_ours = v_ours[v_ours["claim_id"].isin(set(v_base["claim_id"]))].reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(v_ours, v_base.reset_index(drop=True), check_dtype=False, rtol=1e-9)
        verdicts = True
    except AssertionError:
        verdicts = False
    i_ours, i_base = ours["_implied"], base["_implied"]
    i_ours = i_ours[i_ours["claim_id"].isin(set(i_base["claim_id"]))]
    same_rows = list(i_ours["claim_id"]) == list(i_base["claim_id"])
    a, b = i_ours["area_km2"].to_numpy(float), i_base["area_km2"].to_numpy(float)
    implied = (
        same_rows
        and bool(np.array_equal(np.isnan(a), np.isnan(b)))
        and bool(np.all(np.abs(a - b)[~np.isnan(a)] <= 2e-4 * b[~np.isnan(b)]))
    )
    return {"verdicts_agree": verdicts, "implied_agree": implied, "agree_claims": n}


def run_baseline(claims, sources, baseline: dict, baseline_max: int, ours: dict) -> dict:
    """The baseline's stages on ``claims`` (on the first ``baseline_max`` and half of it, extrapolated, if more)."""
    import numpy as np

    mods = list(baseline.values())
    layers_b, mapview_b = baseline["geo.analysis.layers"], baseline["geo.maps.mapview"]
    n = len(claims)
    k = min(n, baseline_max)
    # An even sample of the registry (its listing order follows the dates, so its head is not typical).
    sample = claims.iloc[np.linspace(0, n - 1, k).round().astype(int)] if k < n else claims
    at_k = map_path(sample.copy(), sources, layers_b, mapview_b, extra_modules=mods)
    out = {"baseline_claims_run": k, "baseline_extrapolated": k < n}
    if k < n:
        # Fixed cost + a cost per claim, from two sizes: t(N) = t(k) + slope * (N - k).
        half = sample.iloc[::2]
        at_half = map_path(half.copy(), sources, layers_b, mapview_b, extra_modules=mods)
        for key in STAGES:
            if key in at_k and not key.startswith("map"):
                slope = max(0.0, (at_k[key] - at_half[key]) / (k - len(half)))
                out[f"baseline_{key}"] = at_k[key] + slope * (n - k)
    for key, value in at_k.items():
        if not key.startswith("_"):
            out.setdefault(f"baseline_{key}", value)
    reset_caches(mods)
    out.update(_agree(ours, at_k, k))
    return out


def old_listing(store, **filters):
    """``list_claims`` as it was before it filtered in SQL: a Claim per stored row, a frame, then the filters."""
    from geo.claims.store.base import claim_from_record
    from geo.claims.store.query import claims_frame, filter_claims

    with store._lock, store._read_cursor() as cur:
        claims = [claim_from_record(r) for r in store._rows(cur, "SELECT * FROM claims WHERE deleted = 0")]
        sources = store._sources_by_id(cur)
    frame = claims_frame(claims, sources)
    return filter_claims(frame, **filters) if filters else frame


def row_by_row_import(rows: list[dict], sources: list[dict], workdir: Path, k: int) -> tuple[float, list]:
    """Seconds to add the first ``k`` rows one ``add_claims`` call (one transaction) each, and the stored claims."""
    from geo.claims.store import open_store

    path = workdir / f"row_by_row_{len(rows)}_{k}.sqlite"
    store = open_store(path, seed=False)
    store.add_sources(sources, user="bench")
    t0 = time.perf_counter()
    for row in rows[:k]:
        store.add_claims([row], user="bench", keep_ids=True)
    seconds = time.perf_counter() - t0
    stored = store.list_claims()
    store.close()
    return seconds, stored


def _same_claims(a, b) -> bool:
    """The same claims in two listings, record times aside."""
    import pandas as pd

    drop = ["record_time"]
    try:
        pd.testing.assert_frame_equal(a.drop(columns=drop), b.drop(columns=drop))
    except AssertionError:
        return False
    return True


def run_size(n: int, baseline, baseline_max: int, workdir: Path) -> dict:
    """Every stage at ``n`` claims, ours and (when available) the baseline's."""
    from geo.analysis import layers as layers_mod
    from geo.claims.store import open_store
    from geo.commands.claims_cmd import read_records
    from geo.maps import mapview as mapview_mod
    from geo.reference.lines import reference_lines

    lines = list(reference_lines()["line_id"])
    rows, gen_seconds = timed(synthetic_claims, n, lines)
    csv_path = workdir / f"claims_{n}.csv"
    write_csv(csv_path, rows)
    store = open_store(workdir / f"claims_{n}.sqlite", seed=False)  # only the synthetic claims
    store.add_sources(synthetic_sources(), user="bench")
    result: dict = {"n_claims": n, "generate": gen_seconds}

    def do_import():
        return store.add_claims(read_records(str(csv_path)), user="bench", keep_ids=True)

    _, result["import"] = timed(do_import)
    claims, result["listing"] = timed(store.list_claims)
    filtered, result["listing_filtered"] = timed(store.list_claims, **LIST_FILTER)
    result["listing_filtered_rows"] = len(filtered)
    if baseline is not None:
        # The old paths of the store in this process: the listing before SQL filters, the import row by row.
        old, result["baseline_listing"] = timed(old_listing, store)
        old_filtered, result["baseline_listing_filtered"] = timed(old_listing, store, **LIST_FILTER)
        result["listing_agree"] = _same_claims(claims, old) and _same_claims(filtered, old_filtered)
        k = min(n, baseline_max)
        seconds, one_by_one = row_by_row_import(read_records(str(csv_path)), synthetic_sources(), workdir, k)
        result["baseline_import"] = seconds * n / k  # one transaction per row: linear
        result["import_agree"] = _same_claims(one_by_one, old_listing(store, claim_ids=list(one_by_one["claim_id"])))
    sources = store.list_sources()
    ours = map_path(claims, sources, layers_mod, mapview_mod)
    result.update({k: v for k, v in ours.items() if not k.startswith("_")})
    if baseline is not None:
        result.update(run_baseline(claims, sources, baseline, baseline_max, ours))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    store.close()
    return result


def load_old_lines(commit: str = LINES_BASELINE_COMMIT) -> types.ModuleType | None:
    """``geo.reference.lines`` as it was at ``commit`` (its scan of every vertex per line), or None."""
    path = "geo/reference/lines.py"
    done = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    mod = types.ModuleType("baseline_lines")
    mod.__file__ = f"{commit}:{path}"
    exec(compile(done.stdout, f"<baseline {commit}:{path}>", "exec"), mod.__dict__)
    return mod


def run_lines(sizes: list[int], with_baseline: bool) -> list[dict]:
    """``lines_from_frames`` on ``n`` synthetic lines, ours and the old code's, with a check that they agree."""
    import shapely

    from geo.reference.lines import lines_from_frames

    old = load_old_lines() if with_baseline else None
    out = []
    for n in sizes:
        meta, vertices = synthetic_lines(n)
        ours, seconds = timed(lines_from_frames, meta, vertices)
        r = {"n_lines": n, "n_vertices": len(vertices), "lines": seconds}
        if old is not None:
            theirs, r["baseline_lines"] = timed(old.lines_from_frames, meta, vertices)
            r["lines_agree"] = bool(
                list(ours["line_id"]) == list(theirs["line_id"])
                and all(shapely.equals_exact(a, b, 0) for a, b in zip(ours.geometry, theirs.geometry, strict=True))
                and list(ours["length_km"]) == list(theirs["length_km"])
            )
        out.append(r)
    return out


# --- output ------------------------------------------------------------------------
def _fmt(value, extrapolated: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        text = f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    else:
        text = f"{value:,}"
    return ("~" if extrapolated else "") + text


def table(results: list[dict]) -> str:
    """One row per stage, two columns (ours, baseline) per size."""
    head = ["stage"]
    for r in results:
        head += [f"ours {r['n_claims']:,}", f"baseline {r['n_claims']:,}"]
    rows = [head]
    for stage in (
        "generate",
        *STAGES,
        "map_bytes",
        "map_default_bytes",
        "implied_rows",
        "implied_bands_drawn",
        "listing_filtered_rows",
        "peak_rss_mb",
        "import_agree",
        "listing_agree",
        "verdicts_agree",
        "implied_agree",
    ):
        row = [stage]
        for r in results:
            ext = r.get("baseline_extrapolated", False) and stage in STAGES and not stage.startswith("map")
            ext = ext and not stage.startswith("listing")  # the old listing runs on the whole registry
            note = stage.startswith("map") and r.get("baseline_extrapolated")
            base = r.get(f"baseline_{stage}")
            cell = _fmt(base, ext)
            if note and base is not None:
                cell += f" (at {r['baseline_claims_run']:,})"
            if stage.endswith("bytes") or stage.startswith("implied_r") or stage.startswith("implied_b"):
                if r.get("baseline_extrapolated") and base is not None and not note:
                    cell += f" (at {r['baseline_claims_run']:,})"
            if stage == "peak_rss_mb":  # of the process when this size was done
                row += [f"{r[stage]:,.0f} MB" if stage in r else "-", "-"]
                continue
            row += [_fmt(r.get(stage)), cell]
        rows.append(row)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of figure claims")
    parser.add_argument("--claims", type=int, nargs="+", help="numbers of figure claims (instead of --sizes)")
    parser.add_argument(
        "--lines", type=int, nargs="*", default=[100, 500, 2000], help="numbers of lines for the line import"
    )
    parser.add_argument("--baseline-max", type=int, default=1000, help="largest registry the baseline runs on")
    parser.add_argument("--no-baseline", action="store_true", help="time only the current code")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep each size's registry as DIR/claims_N.sqlite (for bench/browser_timing.py --registry)",
    )
    args = parser.parse_args(argv)
    sizes = args.claims or args.sizes
    if any(n < 1 for n in [*sizes, *args.lines]) or args.baseline_max < 1:
        parser.error("sizes, lines and --baseline-max must be positive")
    saved = os.environ.get("CONTESTED_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="scale_bench_") as tmp:
        os.environ["CONTESTED_DATA_DIR"] = tmp  # never touch a shared store
        try:
            baseline = None if args.no_baseline else load_baseline()
            results = [run_size(n, baseline, args.baseline_max, Path(tmp)) for n in sizes]
            if args.keep is not None:
                args.keep.mkdir(parents=True, exist_ok=True)
                for n in sizes:
                    with (
                        sqlite3.connect(Path(tmp) / f"claims_{n}.sqlite") as src,
                        sqlite3.connect(args.keep / f"claims_{n}.sqlite") as dst,
                    ):
                        src.backup(dst)
            line_results = run_lines(args.lines, not args.no_baseline)
        finally:
            if saved is None:
                os.environ.pop("CONTESTED_DATA_DIR", None)
            else:
                os.environ["CONTESTED_DATA_DIR"] = saved
    print(table(results))
    for r in line_results:
        base = r.get("baseline_lines")
        print(
            f"lines {r['n_lines']:,} ({r['n_vertices']:,} vertices): ours {_fmt(r['lines'])}, "
            f"baseline {_fmt(base)}, agree {_fmt(r.get('lines_agree'))}"
        )
    if baseline is None and not args.no_baseline:
        print(f"(baseline commit {BASELINE_COMMIT} not available from git: baseline columns empty)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"baseline_commit": BASELINE_COMMIT, "peak_rss_mb": round(peak, 1), "results": results}
    print(json.dumps({**figures, "lines_baseline_commit": LINES_BASELINE_COMMIT, "lines": line_results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
