"""Dashboard benchmark on a national workspace version: its reopen, and its first page, each in a fresh process.

Run from the repository root, under the national lock when the inventory is the national one::

    git archive main | tar -x -C /tmp/base              # another sovmap's sources, to compare with
    flock /tmp/national.lock python bench/bench_dashboard_national.py --data /tmp/nat --baseline /tmp/base

The inventory is stored as a version of a temporary workspace (``Workspace.add``, as an upload is) and
opened once, which writes its snapshot (``--workspace DIR`` reuses a workspace whose current version is
the inventory). The baseline gets its own copy of the workspace (without the figures this code stores). Then, each in a fresh process, this
code and the baseline alternating, so that both see the same load on a shared machine:

- **reopen**: the graph of the version as the dashboard opens it, cache cold
  (``sovmap.dashboard.data.graph``), then the full garbage collection that a long-running process runs
  some time later (``gc.collect()``), which walks whatever the collector tracks;
- **first page**: the dashboard's first page (the overview) under Streamlit's AppTest
  (``streamlit.testing.v1.AppTest``: the app's script run as the server runs it, in this process, without
  a browser; a headless server and one HTTP request would time the same script run plus a websocket
  round trip and the browser's drawing, which is not the server's work and needs a browser to be
  measured), nothing cached in the process, split into: the files check, the graph's reopen, the
  analyses, reading stored figures, the garbage collections that ran meanwhile, and the rest
  (Streamlit running the script and building the page: "render"). The first page of a version is
  opened once beforehand (untimed: it computes and, with this code, stores the overview's figures);
  the time it took is reported apart, as once per version.

Each child has a time limit (``--timeout``); one that runs past it is reported as not finished (and when the
first page of a version does not finish, the later first pages of that side are not run: without figures
stored, they would do the same work again).
It prints a results table and rewrites the generated part of ``docs/benchmarks.md`` between the
``bench_dashboard_national`` markers. This is a script, not a test: speed is never asserted in the suite.
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

from bench_snapshot import CHILD_ADD, baseline_env
from common import machine, verdict, write_block

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench_dashboard_national:begin -->", "<!-- bench_dashboard_national:end -->"
HEADING = "## The dashboard on a national workspace version (`bench/bench_dashboard_national.py`)"
AFTER = "## Neo4j store"

TARGET_REOPEN_S = 3.0
TARGET_PAGE_S = 5.0

CHILD_FIRST_OPEN = r"""
import json, sys, time
from sovmap.store import Workspace
t0 = time.perf_counter()
Workspace(sys.argv[1]).load_graph()  # builds the graph from the files and writes this code's snapshot
print(json.dumps({"first_open_s": time.perf_counter() - t0}))
"""

CHILD_REOPEN = r"""
import gc, json, resource, sys, time
from sovmap.dashboard import data
from sovmap.store import Workspace
root = sys.argv[1]
vid = Workspace(root).current().id
T = time.perf_counter
t0 = T()
g = data.graph(root, vid)
t1 = T()
gc.collect()  # the full collection a long-running process runs some time later
t2 = T()
print(json.dumps({"open_s": t1 - t0, "gc_s": t2 - t1, "total_s": t2 - t0, "nodes": g.number_of_nodes(),
                  "edges": g.number_of_edges(), "frozen": gc.get_freeze_count(),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "code": data.__file__}))
"""

CHILD_PAGE = r"""
import gc, json, os, resource, sys, time
T = time.perf_counter
os.environ["SOVMAP_WORKSPACE"] = sys.argv[1]
from streamlit.testing.v1 import AppTest
from sovmap.dashboard import data
from sovmap.store import Workspace

app = os.path.join(os.path.dirname(data.__file__), "app.py")
gc_spent = [0.0, None]

def on_gc(phase, info):
    if phase == "start":
        gc_spent[1] = T()
    elif gc_spent[1] is not None:
        gc_spent[0] += T() - gc_spent[1]
        gc_spent[1] = None

gc.callbacks.append(on_gc)
spent = {"check": 0.0, "reopen": 0.0, "analyses": 0.0, "stored": 0.0}

def timed(owner, name, key):  # the time in the call, less the collections that ran during it
    if not hasattr(owner, name):
        return
    fn = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t, g = T(), gc_spent[0]
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += (T() - t) - (gc_spent[0] - g)

    setattr(owner, name, wrapper)

timed(Workspace, "check", "check")
timed(Workspace, "load_graph", "reopen")
timed(data, "compute_analysis", "analyses")
timed(data, "answers_of", "analyses")
timed(data, "read_overview", "stored")
at = AppTest.from_file(app, default_timeout=float(sys.argv[2]))
at.query_params["lang"] = "en"
t0, gc0 = T(), gc_spent[0]
at.run()
total, collected = T() - t0, gc_spent[0] - gc0
if at.exception:
    raise SystemExit(at.exception[0].message)
if not at.metric or at.title[0].value != "Overview":
    raise SystemExit(f"the first page is not the overview with its figures: {[t.value for t in at.title]}")
t1 = T()
gc.collect()  # what a later full collection costs while this stays cached
later_gc = T() - t1
shown = [(m.label, m.value) for m in at.metric]
print(json.dumps({"total_s": total, **{f"{k}_s": v for k, v in spent.items()}, "gc_s": collected,
                  "render_s": total - sum(spent.values()) - collected, "later_gc_s": later_gc, "shown": shown,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "code": data.__file__}))
"""


def child(code: str, *args: str, env: dict | None = None, timeout: float) -> dict:
    """``python -c code args`` in a fresh process (in the folder of the sources it runs); its last line as JSON,
    or ``{"timeout": True}`` when it ran past ``timeout`` seconds."""
    cwd = env["PYTHONPATH"] if env else REPO
    try:
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if out.returncode != 0:
        raise RuntimeError((out.stdout + out.stderr)[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _s(rows: list[dict], key: str, fmt: str = ".2f") -> str:
    done = [r[key] for r in rows if not r.get("timeout")]
    if not done:
        return "did not finish"
    return format(statistics.median(done), fmt) + " s" + ("" if len(done) == len(rows) else
                                                          f" ({len(rows) - len(done)} of {len(rows)} did not finish)")


def _med(rows: list[dict], key: str) -> float | None:
    done = [r[key] for r in rows if not r.get("timeout")]
    return statistics.median(done) if done else None


def report(m: dict, command: str, elapsed_s: float, size: dict, first: dict, reopen: dict, page: dict,
           timeout: float) -> str:
    names = [n for n in ("this", "baseline") if n in reopen]
    lines = [
        f"Run of `python bench/bench_dashboard_national.py {command}` on {m['date']}, {elapsed_s / 60:.1f} minutes "
        "in all.",
        "",
        f"**Machine.** {m['cpu']}, {m['nproc']} CPUs available, {m['ram_gb']:.1f} GB RAM, {m['os']}; Python "
        f"{m['python']}, streamlit {m['streamlit']}, networkx {m['networkx']}. Load average {m['load_avg_start']:.1f} "
        f"at the start, {os.getloadavg()[0]:.1f} at the end (2 = both cores busy): the seconds are inflated by "
        "whatever else ran; the ratios were measured side by side, the runs alternating.",
        "",
        f"**Data.** {size.get('nodes', 0):,} nodes and {size.get('edges', 0):,} edges, stored as a workspace version; "
        f"each child had {timeout:.0f} s.",
        "",
        "| what | target | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
        "| reopen the version as the dashboard does, cache cold (`data.graph`), then the full collection a "
        "long-running process runs later: total | ≤ 3 s | " + " | ".join(_s(reopen[n], "total_s") for n in names) + " |",
        "| … of which the reopen | | " + " | ".join(_s(reopen[n], "open_s") for n in names) + " |",
        "| … of which the full collection | | " + " | ".join(_s(reopen[n], "gc_s") for n in names) + " |",
        "| first page (overview) of a version opened before, in a fresh process, nothing cached: total | ≤ 5 s | "
        + " | ".join(_s(page[n], "total_s") for n in names) + " |",
    ]
    for key, what in (("check", "checking the version's files"), ("reopen", "reopening the graph"),
                      ("analyses", "the analyses"), ("stored", "reading the stored figures"),
                      ("gc", "garbage collections meanwhile"), ("render", "the rest: Streamlit runs the page")):
        lines.append(f"| … {what} | | " + " | ".join(_s(page[n], f"{key}_s") for n in names) + " |")
    lines += [
        "| a full collection after the page, while it stays cached | | "
        + " | ".join(_s(page[n], "later_gc_s") for n in names) + " |",
        "| the first page of a version never opened before (once per version: the analyses, and with this code "
        "storing the figures) | (report) | " + " | ".join(
            "did not finish" if first[n].get("timeout") else f"{first[n]['total_s']:.1f} s" for n in names) + " |",
        "| peak memory (resident set): reopen / first page | (report) | " + " | ".join(
            f"{(_med(reopen[n], 'peak_mb') or 0) / 1024:.2f} / {(_med(page[n], 'peak_mb') or 0) / 1024:.2f} GB"
            for n in names) + " |",
    ]
    this_reopen, this_page = _med(reopen["this"], "total_s"), _med(page["this"], "total_s")
    if "baseline" in names:
        b_reopen, b_page = _med(reopen["baseline"], "total_s"), _med(page["baseline"], "total_s")
        ratio = lambda b, t: "–" if b is None or t is None else f"{b / t:.1f}×"  # noqa: E731
        lines.append(f"| ratio baseline / this: reopen; first page | (report) | {ratio(b_reopen, this_reopen)}; "
                     f"{ratio(b_page, this_page)} | |")
    lines += ["", f"Targets with this code: reopen {verdict(this_reopen is not None and this_reopen <= TARGET_REOPEN_S)}, "
              f"first page {verdict(this_page is not None and this_page <= TARGET_PAGE_S)}."]
    shown = {n: next((r["shown"] for r in page[n] if not r.get("timeout")), None) for n in names}
    if len(names) == 2 and shown["this"] is not None and shown["baseline"] is not None:
        lines.append(f"The key figures shown are the same with both: {'yes' if shown['this'] == shown['baseline'] else '**no**'}"
                     " (tests/test_dashboard_overview_stored.py compares whole pages).")
    return "\n".join(lines)


def write_docs(path: Path, body: str) -> None:
    write_block(path, BEGIN, END, body, HEADING, AFTER)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="The inventory folder (e.g. /tmp/nat, or from `sovmap generate`).")
    ap.add_argument("--workspace", type=Path, help="Instead of --data: a workspace whose current version to open "
                    "(kept; its snapshot and stored figures are written as the dashboard writes them).")
    ap.add_argument("--baseline", type=Path, help="Sources of another sovmap (e.g. `git archive main | tar -x -C "
                    "DIR`), timed alternating with this one, on its own copy of the workspace.")
    ap.add_argument("--rounds", type=int, default=3, help="Runs of each measurement (each in a fresh process).")
    ap.add_argument("--timeout", type=float, default=600, help="Seconds each child may run.")
    ap.add_argument("--docs", type=Path, default=DOCS)
    ap.add_argument("--no-docs", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = ap.parse_args(argv)
    if (args.data is None) == (args.workspace is None):
        ap.error("give --data or --workspace")
    started = time.perf_counter()
    m = machine("networkx", "streamlit")
    print(f"Machine: {m['cpu']}, {m['nproc']} CPUs; load average {m['load_avg_start']:.1f}", flush=True)
    temp = Path(tempfile.mkdtemp(prefix="sovmap-dashnat-"))
    try:
        root = args.workspace
        if root is None:
            root = temp / "ws"
            added = child(CHILD_ADD, str(root), str(args.data), timeout=args.timeout)
            if added.get("timeout") or added["version"] is None:
                raise SystemExit(f"{args.data} was not stored as a version: {added}")
            print(f"stored as {added['version']} in {added['add_s']:.1f} s", flush=True)
        sides = {"this": (root, None)}
        if args.baseline:
            # its snapshot is used only when the baseline's code reads it as its own (else it is built again)
            shutil.copytree(root, temp / "base-ws", ignore=shutil.ignore_patterns("overview.json.gz"))
            sides["baseline"] = (temp / "base-ws", baseline_env(args.baseline.resolve(), temp / "base-src"))
        first = {}
        for name, (where, env) in sides.items():
            print(f"{name}: first open (writes the snapshot): "
                  f"{child(CHILD_FIRST_OPEN, str(where), env=env, timeout=args.timeout)}", flush=True)
            first[name] = child(CHILD_PAGE, str(where), str(args.timeout), env=env, timeout=args.timeout)
            print(f"{name}: first page of the version: {json.dumps(first[name])}", flush=True)
        reopen = {n: [] for n in sides}
        page = {n: [] for n in sides}
        for i in range(args.rounds):
            order = list(sides) if i % 2 == 0 else list(sides)[::-1]
            for name in order:
                where, env = sides[name]
                reopen[name].append(child(CHILD_REOPEN, str(where), env=env, timeout=args.timeout))
                print(f"reopen {i + 1} ({name}): {json.dumps(reopen[name][-1])}", flush=True)
            for name in order:
                where, env = sides[name]
                if first[name].get("timeout"):  # no figures stored, nothing cached: it would only run out again
                    page[name].append({"timeout": True})
                    continue
                page[name].append(child(CHILD_PAGE, str(where), str(args.timeout), env=env, timeout=args.timeout))
                print(f"first page {i + 1} ({name}): {json.dumps(page[name][-1])}", flush=True)
        for name, (_, env) in sides.items():
            codes = {r["code"] for r in reopen[name] + page[name] if not r.get("timeout")}
            expected = str(REPO) if env is None else str(temp / "base-src")
            if not all(c.startswith(expected) for c in codes):
                raise SystemExit(f"the {name} children did not run the code in {expected}: {codes}")
        size = next((r for r in reopen["this"] if not r.get("timeout")), {})
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    command = " ".join((["--data", str(args.data)] if args.data else ["--workspace", str(args.workspace)])
                       + ["--rounds", str(args.rounds), "--timeout", f"{args.timeout:.0f}"]
                       + (["--baseline", str(args.baseline)] if args.baseline else []))
    body = report(m, command, time.perf_counter() - started, size, first, reopen, page, args.timeout)
    print(body)
    if not args.no_docs:
        write_docs(args.docs, body)
        print(f"\nwrote {args.docs}")


if __name__ == "__main__":
    main()
