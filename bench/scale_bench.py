"""Benchmark: the whole map path with many figure claims in the registry (issue 19 item 5).

For each size N (default 1,000 and 10,000 synthetic figure claims; ``--sizes``
takes any, e.g. 100000) the script fills a fresh registry in a temporary
directory and times every stage the map page goes through:

``import``      claims CSV read and stored (one ``add_claims`` call);
``listing``     ``list_claims()`` of the whole registry;
``verdicts``    claimed vs measured (:func:`geo.analysis.layers.verdict_table`),
                cold (every cache of ``geo`` emptied), warm (again), and after
                an edit of one claim's figure;
``implied``     the implied bands (:func:`geo.analysis.layers.implied_layer`), the same three;
``layers``      :func:`geo.analysis.layers.build_layers` cold and warm;
``map``         :func:`geo.maps.build_map` with the implied layer drawn, rendered to
                HTML: build time and bytes (``map_default_bytes``: the default view).

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
(``--sizes 200 --baseline-max 50`` for a smoke run).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import importlib
import json
import os
import random
import resource
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
#: Modules replaced by their baseline version, in import order (each may import the ones before it).
#: Other modules (contested areas, sides, settlements, simplification, the store) are shared: unchanged.
BASELINE_MODULES = (
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
    "verdicts_cold",
    "verdicts_warm",
    "verdicts_edit",
    "implied_cold",
    "implied_warm",
    "implied_edit",
    "layers_cold",
    "layers_warm",
    "map",
)


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
    """``n`` figure claims as CSV rows of the claims schema (deterministic for a seed)."""
    rnd = random.Random(seed)
    refs = [line_ids[0]] * 6 + list(line_ids[1:])  # most claims name the agreed line
    rows = []
    for i in range(n):
        value = rnd.choice(FIGURES)
        side = rnd.choice(SIDES)
        day = rnd.randrange(0, 280)
        date = time.strftime("%Y-%m-%d", time.gmtime(1411171200 + day * 86400))  # from 2014-09-20
        row = {
            "claim_id": f"b{i:06d}",
            "quote": f"They hold {value} square km more beyond the line (bench claim {i}).",
            "actor": rnd.choice(("Kiev", "DPR", "OSCE SMM", "NSDC", "LPR")),
            "party": side,
            "stance": "asserts",
            "kind": "area",
            "value": value,
            "unit": "sq km",
            "qualifier": rnd.choice(QUALIFIERS),
            "reference_line": rnd.choice(refs),
            "side": side,
            "event_date": date,
            "source_id": f"bench_src_{rnd.randrange(N_SOURCES):03d}",
            "reliability_source": rnd.choice("ABC"),
            "reliability_info": rnd.choice("123"),
        }
        if rnd.random() < 0.1:
            row["value_max"] = value * 3 // 2
            row["qualifier"] = ""
        rows.append(row)
    return rows


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
            exec(compile(text, f"<baseline {commit}:{path}>", "exec"), mod.__dict__)
            out[name] = mod
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
    return out


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
            if key in at_k and key != "map":
                slope = max(0.0, (at_k[key] - at_half[key]) / (k - len(half)))
                out[f"baseline_{key}"] = at_k[key] + slope * (n - k)
    for key, value in at_k.items():
        if not key.startswith("_"):
            out.setdefault(f"baseline_{key}", value)
    reset_caches(mods)
    out.update(_agree(ours, at_k, k))
    return out


def run_size(n: int, baseline, baseline_max: int, workdir: Path) -> dict:
    """Every stage at ``n`` claims, ours and (when available) the baseline's."""
    from geo.analysis import layers as layers_mod
    from geo.claims.store import open_store
    from geo.commands.claims_cmd import read_records
    from geo.maps import mapview as mapview_mod
    from geo.reference.lines import reference_lines

    lines = list(reference_lines()["line_id"])
    rows = synthetic_claims(n, lines)
    csv_path = workdir / f"claims_{n}.csv"
    write_csv(csv_path, rows)
    store = open_store(workdir / f"claims_{n}.sqlite", seed=False)  # only the synthetic claims
    store.add_sources(synthetic_sources(), user="bench")
    result: dict = {"n_claims": n}

    def do_import():
        return store.add_claims(read_records(str(csv_path)), user="bench")

    _, result["import"] = timed(do_import)
    claims, result["listing"] = timed(store.list_claims)
    sources = store.list_sources()
    ours = map_path(claims, sources, layers_mod, mapview_mod)
    result.update({k: v for k, v in ours.items() if not k.startswith("_")})
    if baseline is not None:
        result.update(run_baseline(claims, sources, baseline, baseline_max, ours))
    store.close()
    return result


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
        *STAGES,
        "map_bytes",
        "map_default_bytes",
        "implied_rows",
        "implied_bands_drawn",
        "verdicts_agree",
        "implied_agree",
    ):
        row = [stage]
        for r in results:
            ext = r.get("baseline_extrapolated", False) and stage in STAGES and stage != "map"
            note = stage == "map" and r.get("baseline_extrapolated")
            base = r.get(f"baseline_{stage}")
            cell = _fmt(base, ext)
            if note and base is not None:
                cell += f" (at {r['baseline_claims_run']:,})"
            if stage.endswith("bytes") or stage.startswith("implied_r") or stage.startswith("implied_b"):
                if r.get("baseline_extrapolated") and base is not None:
                    cell += f" (at {r['baseline_claims_run']:,})"
            row += [_fmt(r.get(stage)), cell]
        rows.append(row)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of figure claims")
    parser.add_argument("--baseline-max", type=int, default=1000, help="largest registry the baseline runs on")
    parser.add_argument("--no-baseline", action="store_true", help="time only the current code")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.baseline_max < 1:
        parser.error("sizes and --baseline-max must be positive")
    saved = os.environ.get("CONTESTED_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="scale_bench_") as tmp:
        os.environ["CONTESTED_DATA_DIR"] = tmp  # never touch a shared store
        try:
            baseline = None if args.no_baseline else load_baseline()
            results = [run_size(n, baseline, args.baseline_max, Path(tmp)) for n in args.sizes]
        finally:
            if saved is None:
                os.environ.pop("CONTESTED_DATA_DIR", None)
            else:
                os.environ["CONTESTED_DATA_DIR"] = saved
    print(table(results))
    if baseline is None and not args.no_baseline:
        print(f"(baseline commit {BASELINE_COMMIT} not available from git: baseline columns empty)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"baseline_commit": BASELINE_COMMIT, "peak_rss_mb": round(peak, 1), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
