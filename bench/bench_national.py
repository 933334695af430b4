"""National-scale benchmark: load, supplier cuts against networkx, impact reports, spof and rank, nationally.

Run from the repository root (about 4 minutes on a 2-core machine)::

    python bench/bench_national.py                      # generate into a temporary folder
    python bench/bench_national.py --data /tmp/nat --reuse   # keep and reuse the generated files

It prints a results table and rewrites the generated part of
``docs/benchmarks.md`` (between the ``bench_national`` markers; text outside
them is kept). Every ratio compares two things measured side by side in the
same run on the same data. This is a script, not a test: speed is never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from common import child, replace_block
from common import machine as common_machine
from national_reopen import bench_reopen
from national_report import kernel_line, report, report_lines

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench_national:begin -->", "<!-- bench_national:end -->"
FILES = ("organisations", "suppliers", "locations", "systems", "processes", "datasets", "dependencies")

# Each child process prints one JSON line: its timings and its own peak resident memory.
CHILD_SOVMAP = r"""
import gc, json, resource, sys, time
from sovmap.ingest.validate import load
from sovmap.graph.model import build_graph
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
inv, problems = load(sys.argv[1])
t1 = time.perf_counter()
g = build_graph(inv)
t2 = time.perf_counter()
gc.collect()  # the collection that load and build defer (they pause the collector) is counted here
t3 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "build_s": t2 - t1, "gc_s": t3 - t2, "total_s": t3 - t0,
                  "errors": sum(p.severity == "error" for p in problems), "problems": len(problems),
                  "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "base_mb": base / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
CHILD_PYARROW = r"""
import json, resource, sys, time
from pathlib import Path
import pyarrow.csv as pacsv
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
rows = sum(pacsv.read_csv(p).num_rows for p in sorted(Path(sys.argv[1]).glob("*.csv")))
print(json.dumps({"total_s": time.perf_counter() - t0, "rows": rows, "base_mb": base / 1024,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
CHILD_PANDAS = r"""
import json, resource, sys, time
from pathlib import Path
import pandas as pd
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
rows = sum(len(pd.read_csv(p, dtype=str, keep_default_na=False)) for p in sorted(Path(sys.argv[1]).glob("*.csv")))
print(json.dumps({"total_s": time.perf_counter() - t0, "rows": rows, "base_mb": base / 1024,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
CHILD_KERNEL = r"""
import json, resource, time
t0 = time.perf_counter()
from sovmap.graph.kernel import kernel_info
info = kernel_info(warm=True)
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({**info, "total_s": time.perf_counter() - t0, "cpu_s": r.ru_utime + r.ru_stime}))
"""
CHILD_GENERATE = r"""
import json, sys, time
from sovmap.ingest.synthetic import relation_counts, synthetic_tables, write_tables
t0 = time.perf_counter()
tables = synthetic_tables(int(sys.argv[2]), int(sys.argv[3]))
write_tables(sys.argv[1], tables)
print(json.dumps({"total_s": time.perf_counter() - t0, **relation_counts(tables)}))
"""


def machine() -> dict:
    return common_machine("numpy", "networkx", "pandas", "pyarrow", "numba")


def bench_kernel() -> dict:
    """The compiled cut kernel's cold cost, each in a fresh process: with an empty numba cache (it compiles, as
    the first run after an installation does), then with that cache (it loads the machine code)."""
    with tempfile.TemporaryDirectory(prefix="sovmap-numba-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = {"compile": child(CHILD_KERNEL, env=env), "load": child(CHILD_KERNEL, env=env)}
    print(f"  kernel: numba import {out['load']['import_s']:.2f} s, compile {out['compile']['first_call_s']:.2f} s "
          f"(no cache), load {out['load']['first_call_s']:.2f} s (cached)", flush=True)
    return out


def best_ms(fn, repeat: int) -> float:
    """The fastest of ``repeat`` calls, in ms, with the collector paused as timeit does."""
    times = []
    for _ in range(repeat):
        gc.disable()
        try:
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        finally:
            gc.enable()
    return min(times) * 1000


def pick_suppliers(g: nx.MultiDiGraph, count: int) -> list[tuple[str, int, int]]:
    """(supplier, market rank, systems supplied) at ranks spread evenly on a log scale from the largest to the smallest."""
    share: dict[str, int] = {}
    for _, t, k in g.edges(keys=True):
        if k == "provided_by":
            share[t] = share.get(t, 0) + 1
    ranked = sorted(share, key=lambda s: (-share[s], s))
    ranks: list[int] = []
    for r in np.geomspace(1, len(ranked), count):
        r = int(round(r)) - 1
        if ranks and r <= ranks[-1]:
            r = ranks[-1] + 1
        ranks.append(min(r, len(ranked) - 1))
    return [(ranked[r], r + 1, share[ranked[r]]) for r in dict.fromkeys(ranks)]


def bench_load(data: Path, rounds: int) -> dict:
    runs = {"sovmap": [], "pyarrow": [], "pandas": []}
    for i in range(rounds):
        print(f"  round {i + 1}/{rounds}: pyarrow, pandas, sovmap ...", flush=True)
        runs["pyarrow"].append(child(CHILD_PYARROW, str(data)))
        runs["pandas"].append(child(CHILD_PANDAS, str(data)))
        runs["sovmap"].append(child(CHILD_SOVMAP, str(data)))
    return runs


def bench_cuts(g: nx.MultiDiGraph, count: int, repeat: int) -> list[dict]:
    from sovmap.graph.impact import impact
    from sovmap.graph.kernel import kernel_info
    from sovmap.graph.propagation import dependency_index, propagate
    from sovmap.graph.scenarios import Scenario, scenario_cut

    kernel_info(warm=True)  # the compiled kernel from the first cut on (its cold cost is measured apart)
    idx = dependency_index(g)
    rev = g.reverse(copy=False)
    rows = []
    for s, rank, systems in pick_suppliers(g, count):
        cut = scenario_cut(g, Scenario(suppliers=[s]))
        prop = propagate(g, cut, idx)
        descendants = nx.descendants(rev, s)

        def with_chains():
            p = propagate(g, cut, idx)
            return [p.chain(n) for n in p.failed]

        row = {
            "supplier": s, "rank": rank, "systems": systems, "cut": len(cut),
            "failed": len(prop.failed), "degraded": len(prop.degraded), "descendants": len(descendants),
            "propagate_ms": best_ms(lambda: propagate(g, cut, idx, explain=False), repeat),
            "explain_ms": best_ms(lambda: propagate(g, cut, idx), repeat),
            "chains_ms": best_ms(with_chains, repeat),
            "impact_ms": best_ms(lambda: impact(g, Scenario(suppliers=[s])), repeat),
            "nx_descendants_ms": best_ms(lambda: nx.descendants(rev, s), repeat),
            "nx_paths_ms": best_ms(lambda: nx.single_source_shortest_path(rev, s), repeat),
        }
        rows.append(row)
        print(f"  {s} rank {rank:>5} ({systems:>6} systems): {row['failed']:>7} fail; impact {row['impact_ms']:8.2f} ms, "
              f"propagate+chains {row['explain_ms']:7.2f} ms, nx.descendants {row['nx_descendants_ms']:7.2f} ms", flush=True)
    return rows


def bench_report(g: nx.MultiDiGraph, supplier: str, repeat: int) -> dict:
    """The largest cut's report against its own propagation, side by side (one of each per round, fastest counts).

    ``text_ms``: what `sovmap impact --supplier S` does once the graph is open: ``impact()`` (the cut, the
    propagation with why-chains, the rows sorted as columns) and its text summary (counts per kind and level,
    the first ids of each kind), printed to a buffer. ``json_ms``: `sovmap impact --json`: the same ``impact()``,
    then every row with its chain and why-text, as JSON. ``explain_ms``: ``propagate`` with why-chains of
    the same cut, the dependency index and the sort order of all ids built before the timed calls.
    """
    import contextlib
    import io

    from sovmap.cli.analysis import print_impact
    from sovmap.graph.impact import impact
    from sovmap.graph.propagation import dependency_index, propagate
    from sovmap.graph.scenarios import Scenario, scenario_cut

    idx = dependency_index(g)
    cut = scenario_cut(g, Scenario(suppliers=[supplier]))

    def text():
        sc = Scenario(suppliers=[supplier])
        result = impact(g, sc)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            print_impact(result, sc)
        return out.getvalue()

    def as_json():
        result = impact(g, Scenario(suppliers=[supplier]))
        return json.dumps({**result, "failed": list(result["failed"]), "degraded": list(result["degraded"])},
                          ensure_ascii=False, indent=2, default=str)

    text()
    size = len(as_json())  # warm: the id order of the index, the vocabulary
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for key, fn in (("explain", lambda: propagate(g, cut, idx)), ("text", text), ("json", as_json)):
            gc.disable()  # as best_ms; the thread's CPU time beside the wall clock: on a shared machine
            try:          # a call longer than a time slice waits for the other processes, a short one less
                t, c = time.perf_counter(), time.thread_time()
                fn()
                runs.setdefault(f"{key}_ms", []).append((time.perf_counter() - t) * 1000)
                runs.setdefault(f"{key}_cpu_ms", []).append((time.thread_time() - c) * 1000)
            finally:
                gc.enable()
    from sovmap.graph.coverage import coverage

    t = time.perf_counter()
    coverage(g, None)  # the "rests on" line `sovmap impact` prints: the whole graph, the same for every cut
    coverage_ms = (time.perf_counter() - t) * 1000
    prop = propagate(g, cut, idx)
    out = {"supplier": supplier, "coverage_ms": coverage_ms, "failed": len(prop.failed), "degraded": len(prop.degraded), "json_mb": size / 1e6,
           "load_avg": os.getloadavg()[0], **{k: min(v) for k, v in runs.items()}}
    print(f"  report of {supplier} ({out['failed']:,} failed, {out['degraded']:,} degraded): propagate+why "
          f"{out['explain_ms']:.1f} ms, `sovmap impact` text {out['text_ms']:.1f} ms "
          f"({out['text_ms'] / out['explain_ms']:.1f}×), --json {out['json_ms']:.0f} ms "
          f"({out['json_ms'] / out['explain_ms']:.1f}×; {out['json_mb']:.0f} MB); CPU time {out['explain_cpu_ms']:.1f}, "
          f"{out['text_cpu_ms']:.1f} ({out['text_cpu_ms'] / out['explain_cpu_ms']:.1f}×), {out['json_cpu_ms']:.0f} ms; "
          f"load average {out['load_avg']:.1f}",
          flush=True)
    return out


def _spof_rank_steps(g: nx.MultiDiGraph) -> dict:
    """The blast radius of every supplier group (shared), then spof's and rank's own rows, each step timed apart."""
    from sovmap.graph.concentration import blast_radius, rank_supplier_groups, single_points_of_failure

    out = {}
    t = time.perf_counter()
    blast_radius(g)
    out["blast_s"] = time.perf_counter() - t
    t = time.perf_counter()
    spof = single_points_of_failure(g, ("vital", "high"))
    out["spof_s"] = time.perf_counter() - t
    t = time.perf_counter()
    rank = rank_supplier_groups(g)
    out["rank_s"] = time.perf_counter() - t
    out["processes"] = len(spof)
    out["with_spof"] = sum(bool(p["single_points_of_failure"]) for p in spof)
    out["ranked"] = len(rank)
    out["proper_s"] = out["blast_s"] + out["spof_s"] + out["rank_s"]
    return out


def bench_spof_rank(g: nx.MultiDiGraph, snapshot: bool = False) -> dict:
    """spof and rank as the two commands compute them: on a freshly loaded graph, and on one reopened from a snapshot.

    Fresh: the dependency index is built first (``index_s``, timed apart),
    then :func:`_spof_rank_steps`. With ``snapshot``, the graph is written as
    a workspace snapshot (not timed), read back (``reopen_s``), its dependency
    index taken (``snap_index_s``: read from the snapshot when the snapshot
    format stores it, else built) and the same steps run on the reopened
    graph (``snap``). ``total_s`` is what a user waits for spof + rank on an
    open graph: the reopened one's index plus its steps when measured, else
    the fresh graph's index plus its steps.
    """
    from sovmap.graph.ownership import supplier_groups
    from sovmap.graph.propagation import dependency_index

    out = {}
    t = time.perf_counter()
    dependency_index(g)
    out["index_s"] = time.perf_counter() - t
    out.update(_spof_rank_steps(g))
    out["groups"] = len(supplier_groups(g))
    out["total_s"] = out["index_s"] + out["proper_s"]
    if snapshot:
        from sovmap.store import snapshot as snap

        out["index_stored"] = getattr(snap, "SNAPSHOT_FORMAT", 1) >= 2
        with tempfile.TemporaryDirectory(prefix="sovmap-snap-") as tmp:
            path = Path(tmp) / "graph.snapshot"
            snap.write_snapshot(g, path, {"bench": "national"})
            gc.collect()
            t = time.perf_counter()
            h = snap.read_snapshot(path, {"bench": "national"})
            out["reopen_s"] = time.perf_counter() - t
        t = time.perf_counter()
        dependency_index(h)
        out["snap_index_s"] = time.perf_counter() - t
        out["snap"] = _spof_rank_steps(h)
        out["total_s"] = out["snap_index_s"] + out["snap"]["proper_s"]
        del h
        gc.collect()
    return out


def load_graph(path: Path) -> nx.MultiDiGraph:
    from sovmap.graph.model import build_graph
    from sovmap.ingest.validate import load

    inv, problems = load(path)
    if inv is None:
        raise SystemExit(f"{path} does not load: " + "; ".join(str(p) for p in problems[:5]))
    return build_graph(inv)


DOC_HEAD = """# Benchmarks

Speed and memory targets are checked here, in scripts under `bench/`, never
in the test suite. Numbers come from one run of the script on the machine
described; ratios compare two measurements taken side by side in that run.

## National scale (`bench/bench_national.py`)

"""


def write_docs(path: Path, body: str) -> None:
    text = path.read_text("utf-8") if path.exists() else DOC_HEAD + BEGIN + "\n" + END + "\n"
    text = replace_block(text, BEGIN, END, body) or (
        text.rstrip("\n") + f"\n\n## National scale (`bench/bench_national.py`)\n\n{BEGIN}\n{body}\n{END}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def only_cuts(data: Path, suppliers: int, repeat: int, m: dict) -> None:
    """`--only cuts`: the supplier cuts and the largest cut's report, printed (the docs are left alone)."""
    from sovmap.graph.propagation import dependency_index

    print("Loading in this process for the cuts ...", flush=True)
    g = load_graph(data)
    gc.collect()
    dependency_index(g)
    print("Supplier cuts ...", flush=True)
    cuts = bench_cuts(g, suppliers, repeat)
    rep = bench_report(g, max(cuts, key=lambda r: r["failed"])["supplier"], repeat)
    kern = bench_kernel()
    ratio = statistics.median(r["nx_descendants_ms"] / r["explain_ms"] for r in cuts)
    print(f"\n{m['date']}, load average {m['load_avg_start']:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"median propagate+why against nx.descendants over {len(cuts)} suppliers: {ratio:.2f}×")
    print("| what | target | measured | verdict |\n|---|---|---|---|")
    print("\n".join([kernel_line(kern), *report_lines(rep)]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="Folder for the generated inventory (default: a temporary folder, removed afterwards).")
    ap.add_argument("--reuse", action="store_true", help="Use the inventory already in --data instead of generating it.")
    ap.add_argument("--organisations", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--suppliers", type=int, default=20, help="Number of suppliers to cut, one at a time.")
    ap.add_argument("--repeat", type=int, default=3, help="Timed calls per supplier cut (the fastest counts).")
    ap.add_argument("--rounds", type=int, default=3, help="Load runs (each in a fresh process).")
    ap.add_argument("--demo", type=Path, default=REPO / "sovmap" / "demo" / "municipality")
    ap.add_argument("--docs", type=Path, default=DOCS)
    ap.add_argument("--no-docs", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="Time spof + rank on the freshly loaded graph only, not also on one reopened from a snapshot.")
    ap.add_argument("--only", choices=("cuts",), help="Run only part: `cuts` = the supplier cuts and the largest "
                    "cut's report (no load rounds, spof/rank or demo); prints, never writes the docs. Needs --reuse.")
    args = ap.parse_args(argv)
    if args.only and not (args.data and args.reuse):
        ap.error("--only needs an inventory that is already there: --data DIR --reuse")
    started = time.perf_counter()
    m = machine()
    print(f"Machine: {m['cpu']}, {m['nproc']} CPUs, {m['ram_gb']:.1f} GB; Python {m['python']}, "
          f"numpy {m['numpy']}, networkx {m['networkx']}, numba {m['numba']}; load average {m['load_avg_start']:.1f}",
          flush=True)

    if args.only == "cuts":
        only_cuts(args.data, args.suppliers, args.repeat, m)
        return

    tmp = None
    data = args.data
    if data is None:
        tmp = data = Path(tempfile.mkdtemp(prefix="sovmap-national-"))
    try:
        have = all((data / f"{f}.csv").exists() for f in FILES)
        if args.reuse and have:
            print(f"Reusing {data}", flush=True)
            from sovmap.ingest.synthetic import relation_counts

            tables = {}
            for f in FILES:  # only the counts are needed; read the files as text rows
                import csv

                with (data / f"{f}.csv").open(encoding="utf-8", newline="") as fh:
                    tables[f] = list(csv.reader(fh))
            gen = relation_counts(tables)
            del tables
        else:
            if data.exists() and any(data.iterdir()):
                raise SystemExit(f"{data} is not empty; give an empty folder, or --reuse to use what is there.")
            data.mkdir(parents=True, exist_ok=True)
            print(f"Generating {args.organisations} organisations into {data} ...", flush=True)
            gen = child(CHILD_GENERATE, str(data), str(args.organisations), str(args.seed))
        gen["seed"] = args.seed

        print("Loading (each run in a fresh process) ...", flush=True)
        load = bench_load(data, args.rounds)
        for r in load["sovmap"]:
            if r["errors"]:
                raise SystemExit(f"The generated inventory has {r['errors']} errors.")

        print("Reopening it from a workspace snapshot (each run in a fresh process) ...", flush=True)
        reopen = bench_reopen(data, args.rounds)

        print("The compiled kernel's cold cost (fresh processes) ...", flush=True)
        kern = bench_kernel()
        print("Loading in this process for the cuts ...", flush=True)
        g = load_graph(data)
        gc.collect()
        print("Supplier cuts ...", flush=True)
        national = bench_spof_rank(g, snapshot=not args.no_snapshot)  # builds the dependency index first (timed apart)
        cuts = bench_cuts(g, args.suppliers, args.repeat)
        rep = bench_report(g, max(cuts, key=lambda r: r["failed"])["supplier"], args.repeat)
        del g
        gc.collect()

        demo_note = f"`{args.demo.relative_to(REPO) if args.demo.is_relative_to(REPO) else args.demo}`"
        demo_path = args.demo
        demo_tmp = None
        if not all((demo_path / f"{f}.csv").exists() for f in ("systems", "suppliers")):
            demo_tmp = demo_path = Path(tempfile.mkdtemp(prefix="sovmap-demo-"))
            from sovmap.ingest.synthetic import write_synthetic

            write_synthetic(demo_path, 1, args.seed)
            demo_note = "the demo was missing: `sovmap generate --organisations 1` instead"
        dg = load_graph(demo_path)
        demo = bench_spof_rank(dg)
        demo_note += f", {dg.number_of_nodes()} nodes"
        if demo_tmp:
            shutil.rmtree(demo_tmp, ignore_errors=True)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    body = report(m, gen, load, cuts, rep, national, demo, demo_note, args.organisations, time.perf_counter() - started,
                  kern, reopen)
    print()
    print(body)
    if not args.no_docs:
        write_docs(args.docs, body)
        print(f"\nWrote {args.docs}")


if __name__ == "__main__":
    main()
