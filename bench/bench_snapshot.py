"""Snapshot benchmark: open a national workspace version from its CSV files, write its snapshot, reopen from it.

Run from the repository root (a few minutes on a 2-core machine)::

    python bench/bench_snapshot.py --data /tmp/nat      # an inventory folder, e.g. from `sovmap generate`
    git archive main | tar -x -C /tmp/base              # another sovmap's sources, to compare with:
    python bench/bench_snapshot.py --data /tmp/nat --baseline /tmp/base --csv-rounds 1 --spof

The inventory is stored as a version of a temporary workspace (``Workspace.add``, as an upload is).
Then, each in a fresh process and side by side in the same run:

- **from CSV**: what opening a version cost before snapshots: read and check the version's files,
  validate them (``load_files``) and build the graph, then the garbage collection that loading defers;
  then the snapshot is written (timed on its own);
- **reopen**: ``Workspace.load_graph()`` with the snapshot in place (the files are still read and their
  checksums checked; validation is not run: the child refuses any call to it), then the deferred collection,
  then the first ``dependency_index(g)`` (what the first spof, rank or impact on the reopened graph waits for);
- **reopen as the command**: the same as the ``sovmap`` command does it: its modules imported first (not
  counted: every command has them before it opens anything), then what it opened frozen out of the collector
  (``sovmap.cli.common.kept``);
- **reopen, baseline** (``--baseline SRC``): both reopens with the sovmap sources in SRC (e.g. ``git archive
  main``), on its own copy of the version (the two may write different snapshot formats), each alternating with
  the same reopen of this code, so that both see the same load on a shared machine; CPU seconds are given next
  to wall seconds;
- **spof** (``--spof``): ``sovmap spof WORKSPACE`` end to end in a fresh process (the CLI reads the current
  version from its snapshot), with its output compared with ``sovmap spof DATA`` from the CSV files.

It prints a results table and rewrites the generated part of ``docs/benchmarks.md`` between the
``bench_snapshot`` markers (text outside them is kept). This is a script, not a test: speed is never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import child as common_child
from common import machine as common_machine
from common import verdict, write_block

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
from sovmap.store import workspace as _ws
from sovmap.store.workspace import SNAPSHOT_FILE
snapshot_source = getattr(_ws, "snapshot_source", None) or _ws._snapshot_source  # a --baseline tree: the older name
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
    write_snapshot(g, v.path / SNAPSHOT_FILE, snapshot_source(v))
    out["write_s"] = time.perf_counter() - t5
    out["write_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["snapshot_mb"] = (v.path / SNAPSHOT_FILE).stat().st_size / 1e6
print(json.dumps(out))
"""

CHILD_REOPEN = r"""
import gc, json, resource, sys, time
import sovmap.store.workspace as workspace
from sovmap.graph.dependency_index import dependency_index
from sovmap.store import Workspace
command = sys.argv[2:] == ["command"]
if command:  # the `sovmap` command has imported itself before it opens anything: not counted in the reopen
    import sovmap.cli
    from sovmap.cli import common
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def refuse(files):
    raise SystemExit("the version was validated again: the snapshot was not used")

workspace.load_files = refuse
ws = Workspace(sys.argv[1])
c0, t0 = time.process_time(), time.perf_counter()
g = ws.load_graph()
if command:  # as the `sovmap` command keeps it: one process per command
    common.ONE_SHOT = True
    common.kept(g)
t1 = time.perf_counter()
gc.collect()
c2, t2 = time.process_time(), time.perf_counter()
dependency_index(g)
c3, t3 = time.process_time(), time.perf_counter()
print(json.dumps({"open_s": t1 - t0, "gc_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c2 - c0, "index_s": t3 - t2,
                  "index_cpu_s": c3 - c2, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "base_mb": imported / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "code": workspace.__file__}))
"""

CHILD_FIRST_OPEN = r"""
import json, sys, time
from sovmap.store import Workspace
t0 = time.perf_counter()
Workspace(sys.argv[1]).load_graph()  # builds the graph from the files and writes this code's snapshot
print(json.dumps({"first_open_s": time.perf_counter() - t0}))
"""


def child(code: str, *args: str, env: dict | None = None) -> dict:
    # `python -c` looks in its working folder first: a baseline child runs where its sources are
    return common_child(code, *args, env=env, cwd=env["PYTHONPATH"] if env else REPO)


def baseline_env(src: Path, into: Path) -> dict:
    """The environment that makes a child import sovmap from the sources in ``src`` (a repository's layout).

    The top-level folders that install as sovmap.graph, sovmap.ingest, ... are linked into a copy of
    ``src/sovmap``, so that every sovmap module a child imports comes from ``src``.
    """
    pkg = into / "sovmap"
    shutil.copytree(src / "sovmap", pkg)
    for name in ("graph", "ingest", "dashboard", "ontology"):
        if (src / name).is_dir() and not (pkg / name).exists():
            (pkg / name).symlink_to((src / name).resolve(), target_is_directory=True)
    return {**os.environ, "PYTHONPATH": str(into)}


def spof_run(target: Path) -> dict:
    """``sovmap spof TARGET`` in a fresh process: wall seconds and its output."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "import sys; from sovmap.cli import main; sys.argv[0] = 'sovmap'; main()",
                          "spof", str(target)], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError((out.stdout + out.stderr)[-3000:])
    return {"total_s": time.perf_counter() - t0, "stdout": out.stdout}


def machine() -> dict:
    return common_machine("numpy", "networkx")


def report(m: dict, data: Path, add_s: float, csv: list[dict], reopen: list[dict], elapsed_s: float,
           command: str, base: list[dict] | None = None, spof: dict | None = None,
           as_command: list[dict] | None = None, base_command: list[dict] | None = None) -> str:
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    load_s, open_s = med(csv, "total_s"), med(reopen, "total_s")
    write_s = csv[0]["write_s"]
    lines = [
        f"Run of `python bench/bench_snapshot.py {command}` on {m['date']}, {elapsed_s / 60:.1f} minutes in all.",
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
        f"| reopen the version from the snapshot in a fresh process, as a long-running process (the dashboard) "
        f"keeps it (`Workspace.load_graph()`: files read and checked, snapshot read and checked, graph rebuilt; "
        f"then the deferred full collection, which walks the whole graph once), median of {len(reopen)} | "
        f"≤ {TARGET_REOPEN_S:.0f} s | {open_s:.2f} s | {verdict(open_s <= TARGET_REOPEN_S)} |",
        f"| ratio: open from CSV / reopen from the snapshot | (report) | {load_s / open_s:.1f}× faster | – |",
    ]
    if as_command:
        cmd_s = med(as_command, "total_s")
        lines.append(
            f"| the same reopen as the `sovmap` command keeps it (one process per command: what it opened is "
            f"frozen out of the garbage collector, `sovmap.cli.common.kept`, so the deferred collection walks "
            f"none of it; the command's own imports come before, as in `sovmap spof WORKSPACE`), median of "
            f"{len(as_command)} | ≤ {TARGET_REOPEN_S:.0f} s | {cmd_s:.2f} s | "
            f"{verdict(cmd_s <= TARGET_REOPEN_S)} |")
    lines += [
        f"| the first `dependency_index(g)` on the reopened graph (what the first spof, rank or impact waits "
        f"for), median of {len(reopen)} | (report) | {med(reopen, 'index_s'):.2f} s | – |",
        f"| peak memory (resident set, `ru_maxrss`): from CSV / writing the snapshot / reopen | (report) | "
        f"{med(csv, 'peak_mb') / 1024:.2f} / {csv[0]['write_peak_mb'] / 1024:.2f} / "
        f"{med(reopen, 'peak_mb') / 1024:.2f} GB | – |",
    ]
    if base:
        b_open, b_cpu, n_cpu = med(base, "total_s"), med(base, "cpu_s"), med(reopen, "cpu_s")
        b_first, n_first = med(base, "total_s") + med(base, "index_s"), med(reopen, "total_s") + med(reopen, "index_s")
        lines += [
            f"| reopen with the baseline code (`--baseline`), alternating with the reopen above, median of "
            f"{len(base)}: wall / CPU seconds | (report) | {b_open:.2f} / {b_cpu:.2f} s | – |",
            f"| ratio: baseline reopen / this reopen, wall (CPU) | (report) | {b_open / open_s:.2f}× "
            f"({b_cpu / n_cpu:.2f}×) | – |",
            f"| ratio: baseline / this, reopen and the first `dependency_index(g)` | (report) | "
            f"{b_first / n_first:.2f}× ({b_first:.2f} s / {n_first:.2f} s) | – |",
        ]
    if base_command and as_command:
        b_cmd, b_cpu = med(base_command, "total_s"), med(base_command, "cpu_s")
        n_cmd, n_cpu = med(as_command, "total_s"), med(as_command, "cpu_s")
        lines += [
            f"| reopen as the `sovmap` command keeps it, with the baseline code, alternating with this code's, "
            f"median of {len(base_command)}: wall / CPU seconds; this code's | (report) | {b_cmd:.2f} / "
            f"{b_cpu:.2f} s; {n_cmd:.2f} / {n_cpu:.2f} s | – |",
            f"| ratio: baseline / this, as the command, wall (CPU) | (report) | {b_cmd / n_cmd:.2f}× "
            f"({b_cpu / n_cpu:.2f}×) | – |",
        ]
    if spof and spof["csv_s"] is not None:
        lines.append(f"| `sovmap spof WORKSPACE` end to end in a fresh process (interpreter start, imports, reopen from "
                     f"the snapshot, the analysis, the output; the same output as `sovmap spof DATA`: "
                     f"{'yes' if spof['same'] else '**no**'}), against `sovmap spof DATA` from the CSV files | "
                     f"(report) | {spof['workspace_s']:.1f} s against {spof['csv_s']:.1f} s | – |")
    elif spof:
        lines.append(f"| `sovmap spof WORKSPACE` end to end in a fresh process (interpreter start, imports, reopen from "
                     f"the snapshot, the analysis, the output) | (report) | {spof['workspace_s']:.1f} s | – |")
    lines += [
        "",
        "**Each run** (seconds; peak and after-imports resident memory in MB; runs alternate, CSV first):",
        "",
        "| run | from CSV: files | validate | build | gc | total | peak MB | reopen: open | gc | total | CPU | "
        "first index | peak MB |" + (" baseline reopen: total | CPU | first index |" if base else ""),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|---|" if base else ""),
    ]
    fmt = lambda v, f: "–" if v is None else format(v, f)  # noqa: E731
    for i, r in enumerate(reopen):
        c = csv[i] if i < len(csv) else {}
        row = (f"| {i + 1} | {fmt(c.get('files_s'), '.2f')} | {fmt(c.get('validate_s'), '.1f')} | "
               f"{fmt(c.get('build_s'), '.1f')} | {fmt(c.get('gc_s'), '.1f')} | {fmt(c.get('total_s'), '.1f')} | "
               f"{fmt(c.get('peak_mb'), '.0f')} | {r['open_s']:.2f} | {r['gc_s']:.2f} | {r['total_s']:.2f} | "
               f"{r['cpu_s']:.2f} | {r['index_s']:.2f} | {r['peak_mb']:.0f} |")
        if base:
            b = base[i]
            row += f" {b['total_s']:.2f} | {b['cpu_s']:.2f} | {b['index_s']:.2f} |"
        lines.append(row)
    same = all((r["nodes"], r["edges"]) == (csv[0]["nodes"], csv[0]["edges"]) for r in reopen + csv + (base or []))
    lines += ["", f"Every run found the same {csv[0]['nodes']:,} nodes and {csv[0]['edges']:,} edges: "
              f"{'yes' if same else '**no**'} (tests/test_snapshot.py compares the graphs item by item)."]
    return "\n".join(lines)


def write_docs(path: Path, body: str) -> None:
    write_block(path, BEGIN, END, body, HEADING, AFTER)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="The inventory folder (e.g. from `sovmap generate`).")
    ap.add_argument("--rounds", type=int, default=3, help="Runs of each reopen (each in a fresh process).")
    ap.add_argument("--csv-rounds", type=int, default=None,
                    help="Runs of the open from CSV (default: --rounds; at least 1, which writes the snapshot).")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="Sources of another sovmap (e.g. `git archive main | tar -x -C DIR`) whose reopen is timed "
                         "alternating with this one's.")
    ap.add_argument("--spof", action="store_true", help="Also time `sovmap spof` on the workspace.")
    ap.add_argument("--spof-csv", action="store_true",
                    help="With --spof: also time `sovmap spof DATA` (from the CSV files) and compare the outputs.")
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
        env = None
        if args.baseline:
            base_root = Path(tempfile.mkdtemp(prefix="sovmap-snapshot-base-"))
            shutil.copytree(root, base_root / "ws")  # before any snapshot: each code writes its own
            env = baseline_env(args.baseline, base_root)
            first = child(CHILD_FIRST_OPEN, str(base_root / "ws"), env=env)
            print(f"baseline first open (writes its snapshot): {json.dumps(first)}", flush=True)
        csv_rounds = max(1, args.rounds if args.csv_rounds is None else args.csv_rounds)
        csv, reopen, base, as_command, base_command = [], [], [], [], []
        for i in range(max(args.rounds, csv_rounds)):
            if i < csv_rounds:
                csv.append(child(CHILD_CSV, str(root), "write" if i == 0 else "no"))
                print(f"from CSV {i + 1}: {json.dumps(csv[-1])}", flush=True)
            if i >= args.rounds:
                continue
            runs = [("this", root, None, "keep", reopen), ("this, as the command", root, None, "command", as_command)]
            if env:  # each of this code's runs next to the baseline's same run
                runs = [runs[0], ("baseline", base_root / "ws", env, "keep", base),
                        runs[1], ("baseline, as the command", base_root / "ws", env, "command", base_command)]
            for name, where, e, mode, into in (runs if i % 2 == 0 else runs[::-1]):  # alternate which goes first
                into.append(child(CHILD_REOPEN, str(where), mode, env=e))
                print(f"reopen {i + 1} ({name}): {json.dumps(into[-1])}", flush=True)
        if env and not all(str(args.baseline.resolve()) in b["code"] or str(base_root) in b["code"]
                           for b in base + base_command):
            raise SystemExit(f"the baseline children did not run the code in {args.baseline}: {base[0]['code']}")
        spof = None
        if args.spof:
            on_ws = spof_run(root)
            on_csv = spof_run(args.data) if args.spof_csv else None
            spof = {"workspace_s": on_ws["total_s"], "csv_s": on_csv and on_csv["total_s"],
                    "same": on_csv and on_ws["stdout"] == on_csv["stdout"]}
            print(f"spof: {json.dumps(spof)}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if args.baseline:
            shutil.rmtree(base_root, ignore_errors=True)
    command = " ".join(["--data", str(args.data), "--rounds", str(args.rounds)]
                       + (["--csv-rounds", str(csv_rounds)] if csv_rounds != args.rounds else [])
                       + (["--baseline", str(args.baseline)] if args.baseline else []) + (["--spof"] if args.spof else [])
                       + (["--spof-csv"] if args.spof and args.spof_csv else []))
    body = report(m, args.data, add_s, csv, reopen, time.perf_counter() - started, command, base or None, spof,
                  as_command, base_command or None)
    print(body)
    if not args.no_docs:
        write_docs(args.docs, body)
        print(f"\nwrote {args.docs}")


if __name__ == "__main__":
    main()
