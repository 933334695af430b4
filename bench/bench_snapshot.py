"""Snapshot benchmark: open a national workspace version from its CSV files, write its snapshot, reopen from it.

Run from the repository root (a few minutes on a 2-core machine)::

    python bench/bench_snapshot.py --data /tmp/nat      # an inventory folder, e.g. from `sovmap generate`

The inventory is stored as a version of a temporary workspace (``Workspace.add``, as an upload is).
Then, each in a fresh process and side by side in the same run:

- **from CSV**: what opening a version cost before snapshots: read and check the version's files,
  validate them (``load_files``) and build the graph, then the garbage collection that loading defers;
  then the snapshot is written (timed on its own);
- **reopen**: ``Workspace.load_graph()`` with the snapshot in place (the files are still read and their
  checksums checked; validation is not run: the child refuses any call to it), then the deferred collection.

It prints a results table and rewrites the generated part of ``docs/benchmarks.md`` between the
``bench_snapshot`` markers (text outside them is kept). This is a script, not a test: speed is never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench_snapshot:begin -->", "<!-- bench_snapshot:end -->"
HEADING = "## Reopening a workspace version (`bench/bench_snapshot.py`)"
AFTER = "## Neo4j store"  # the section goes before this heading (after the national one) when it is new

TARGET_REOPEN_S = 3.0
TARGET_LOAD_S = 10.0

CHILD_ADD = r"""
import json, sys, time
from pathlib import Path
from sovmap.store import Workspace
t0 = time.perf_counter()
version, problems = Workspace(sys.argv[1]).add([(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[2]).glob("*.csv"))])
print(json.dumps({"add_s": time.perf_counter() - t0, "version": version and version.id,
                  "problems": [str(p) for p in problems[:3]]}))
"""

CHILD_CSV = r"""
import gc, json, resource, sys, time
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load_files
from sovmap.store import Workspace
from sovmap.store.snapshot import write_snapshot
from sovmap.store.workspace import SNAPSHOT_FILE, _snapshot_source
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ws = Workspace(sys.argv[1])
v = ws.current()
t0 = time.perf_counter()
files = ws.files(v.id)
t1 = time.perf_counter()
inv, problems = load_files(files)
del files
t2 = time.perf_counter()
g = build_graph(inv)
del inv
t3 = time.perf_counter()
gc.collect()
t4 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {"files_s": t1 - t0, "validate_s": t2 - t1, "build_s": t3 - t2, "gc_s": t4 - t3, "total_s": t4 - t0,
       "nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "base_mb": imported / 1024, "peak_mb": peak / 1024}
if sys.argv[2] == "write":
    t5 = time.perf_counter()
    write_snapshot(g, v.path / SNAPSHOT_FILE, _snapshot_source(v))
    out["write_s"] = time.perf_counter() - t5
    out["write_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["snapshot_mb"] = (v.path / SNAPSHOT_FILE).stat().st_size / 1e6
print(json.dumps(out))
"""

CHILD_REOPEN = r"""
import gc, json, resource, sys, time
import sovmap.store.workspace as workspace
from sovmap.store import Workspace
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def refuse(files):
    raise SystemExit("the version was validated again: the snapshot was not used")

workspace.load_files = refuse
ws = Workspace(sys.argv[1])
t0 = time.perf_counter()
g = ws.load_graph()
t1 = time.perf_counter()
gc.collect()
t2 = time.perf_counter()
print(json.dumps({"open_s": t1 - t0, "gc_s": t2 - t1, "total_s": t2 - t0, "nodes": g.number_of_nodes(),
                  "edges": g.number_of_edges(), "base_mb": imported / 1024,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError((out.stdout + out.stderr)[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "?")
    mem_kb = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                   if ln.startswith("MemTotal")), 0)
    import networkx as nx
    import numpy as np

    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu,
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "ram_gb": mem_kb / 1024 / 1024, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "numpy": np.__version__, "networkx": nx.__version__,
            "load_avg_start": os.getloadavg()[0]}


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(m: dict, data: Path, add_s: float, csv: list[dict], reopen: list[dict], elapsed_s: float) -> str:
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    load_s, open_s = med(csv, "total_s"), med(reopen, "total_s")
    write_s = csv[0]["write_s"]
    lines = [
        f"Run of `python bench/bench_snapshot.py --data {data}` on {m['date']}, {elapsed_s / 60:.1f} minutes in all.",
        "",
        f"**Machine.** {m['cpu']}, {m['nproc']} CPUs available, {m['ram_gb']:.1f} GB RAM, {m['os']}; Python "
        f"{m['python']}, numpy {m['numpy']}, networkx {m['networkx']}. The machine is shared: load average "
        f"{m['load_avg_start']:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 = both cores busy), "
        "so the seconds below are inflated by whatever else ran; the ratios were measured side by side.",
        "",
        f"**Data.** {csv[0]['nodes']:,} nodes and {csv[0]['edges']:,} edges; stored as a workspace version "
        f"(`Workspace.add`: reading, validation, writing the files) in {add_s:.1f} s. The snapshot file is "
        f"{csv[0]['snapshot_mb']:.1f} MB.",
        "",
        "| what | target | measured | verdict |",
        "|---|---|---|---|",
        f"| open the version from its CSV files (check the files, validate, build the graph, deferred "
        f"garbage collection), median of {len(csv)} | ≤ {TARGET_LOAD_S:.0f} s | {load_s:.1f} s | "
        f"{verdict(load_s <= TARGET_LOAD_S)} |",
        f"| write the snapshot once, after the first open from CSV | (report) | {write_s:.1f} s | – |",
        f"| reopen the version from the snapshot in a fresh process (`Workspace.load_graph()`: files read and "
        f"checked, snapshot read and checked, graph rebuilt, deferred collection), median of {len(reopen)} | "
        f"≤ {TARGET_REOPEN_S:.0f} s | {open_s:.2f} s | {verdict(open_s <= TARGET_REOPEN_S)} |",
        f"| ratio: open from CSV / reopen from the snapshot | (report) | {load_s / open_s:.1f}× faster | – |",
        f"| peak memory (resident set, `ru_maxrss`): from CSV / writing the snapshot / reopen | (report) | "
        f"{med(csv, 'peak_mb') / 1024:.2f} / {csv[0]['write_peak_mb'] / 1024:.2f} / "
        f"{med(reopen, 'peak_mb') / 1024:.2f} GB | – |",
        "",
        "**Each run** (seconds; peak and after-imports resident memory in MB; runs alternate, CSV first):",
        "",
        "| run | from CSV: files | validate | build | gc | total | peak MB | reopen: open | gc | total | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, (c, r) in enumerate(zip(csv, reopen), 1):
        lines.append(f"| {i} | {c['files_s']:.2f} | {c['validate_s']:.1f} | {c['build_s']:.1f} | {c['gc_s']:.1f} | "
                     f"{c['total_s']:.1f} | {c['peak_mb']:.0f} | {r['open_s']:.2f} | {r['gc_s']:.2f} | "
                     f"{r['total_s']:.2f} | {r['peak_mb']:.0f} |")
    same = all((r["nodes"], r["edges"]) == (csv[0]["nodes"], csv[0]["edges"]) for r in reopen + csv)
    lines += ["", f"Every run found the same {csv[0]['nodes']:,} nodes and {csv[0]['edges']:,} edges: "
              f"{'yes' if same else '**no**'} (tests/test_snapshot.py compares the graphs item by item)."]
    return "\n".join(lines)


def write_docs(path: Path, body: str) -> None:
    block = f"{BEGIN}\n{body}\n{END}"
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    elif AFTER in text:
        i = text.index(AFTER)
        text = text[:i] + f"{HEADING}\n\n{block}\n\n" + text[i:]
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{block}\n"
    path.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="The inventory folder (e.g. from `sovmap generate`).")
    ap.add_argument("--rounds", type=int, default=3, help="Runs of each (each in a fresh process).")
    ap.add_argument("--docs", type=Path, default=DOCS)
    ap.add_argument("--no-docs", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    m = machine()
    print(f"Machine: {m['cpu']}, {m['nproc']} CPUs; load average {m['load_avg_start']:.1f}", flush=True)
    root = Path(tempfile.mkdtemp(prefix="sovmap-snapshot-"))
    try:  # every step in a fresh process, so that each peak memory is its own (ru_maxrss survives fork + exec)
        added = child(CHILD_ADD, str(root), str(args.data))
        if added["version"] is None:
            raise SystemExit(f"{args.data} did not load: {added['problems']}")
        add_s = added["add_s"]
        print(f"stored as {added['version']} in {add_s:.1f} s", flush=True)
        csv, reopen = [], []
        for i in range(args.rounds):
            csv.append(child(CHILD_CSV, str(root), "write" if i == 0 else "no"))
            print(f"from CSV {i + 1}: {json.dumps(csv[-1])}", flush=True)
            reopen.append(child(CHILD_REOPEN, str(root)))
            print(f"reopen {i + 1}: {json.dumps(reopen[-1])}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    body = report(m, args.data, add_s, csv, reopen, time.perf_counter() - started)
    print(body)
    if not args.no_docs:
        write_docs(args.docs, body)
        print(f"\nwrote {args.docs}")


if __name__ == "__main__":
    main()
