"""Benchmark incremental against full Neo4j pushes of a version with 1 % of its items changed (not a test).

Side by side in one run against the embedded Neo4j 5.26, on a generated inventory:
  * ``full``: ``sovmap neo4j push --full`` (new tag, switch, removal of the previous tag),
  * ``incremental``: ``sovmap neo4j push`` writing only what changed (sovmap.store.incremental),
alternating, each pushing a version that differs from the current one in 1 % of its nodes (names changed,
systems removed, systems added with their relationships). Target (issue 16): incremental <= 10 % of full.
Both without the stored answers (``--no-answers``), which cost the same in both (they are recomputed from the
whole graph); ``--answers`` includes them. The pulled graph is compared with the pushed version at the end.

Usage:  python bench/bench_neo4j_incremental.py [--organisations 250] [--data DIR] [--heap 2g] [--pagecache 1g]
        [--rounds 2] [--answers] [--no-docs]
National:  flock /tmp/national.lock python bench/bench_neo4j_incremental.py --data /tmp/nat --heap 4g --pagecache 3g
Prints a Markdown table and (unless --no-docs) writes it into docs/benchmarks.md between its markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import neo4j  # noqa: E402

from sovmap.graph.model import build_graph, graph_signature  # noqa: E402
from sovmap.ingest.synthetic import write_synthetic  # noqa: E402
from sovmap.ingest.validate import load  # noqa: E402
from sovmap.store import neo4j as store  # noqa: E402
from sovmap.store import incremental  # noqa: E402
from sovmap.store.incremental import node_hashes, push_changes  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402

BEGIN, END = "<!-- bench_neo4j_incremental:begin -->", "<!-- bench_neo4j_incremental:end -->"
# The steps of an incremental push, timed by wrapping the functions push_changes calls (same names in earlier code).
PHASES = {"derived_properties": "derived answers (Python)", "node_hashes": "content hashes (Python)",
          "_stored_hashes": "reading the stored hashes (alongside the two above)", "_apply": "the delta's transaction"}
spent: dict[str, float] = {}


def _timed(name: str):
    fn = getattr(incremental, name)

    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
    return wrapper


for _name in PHASES:
    setattr(incremental, _name, _timed(_name))


def changed(g, share: float, seed: int):
    """A version of ``g`` with ``share`` of its nodes touched: 60 % renamed, 20 % (systems) removed, 20 % added."""
    rnd = random.Random(seed)
    h = g.copy()
    k = max(3, round(share * g.number_of_nodes()))
    named = sorted(n for n, d in g.nodes(data=True) if d.get("kind") != "country")
    for n in rnd.sample(named, int(k * 0.6)):
        h.nodes[n]["name"] = f"{h.nodes[n].get('name', n)} (v{seed})"
    systems = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "system")
    h.remove_nodes_from(rnd.sample(systems, int(k * 0.2)))
    processes = sorted(n for n, d in h.nodes(data=True) if d.get("kind") == "process")
    suppliers = sorted(n for n, d in h.nodes(data=True) if d.get("kind") == "supplier")
    for i in range(int(k * 0.2)):
        new = f"SYS-BENCH-{seed}-{i}"
        h.add_node(new, kind="system", name=f"Bench {seed}.{i}", hosting="saas")
        h.add_edge(rnd.choice(processes), new, key="uses")
        h.add_edge(new, rnd.choice(suppliers), key="provided_by")
    return h


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--organisations", type=int, default=250)
    ap.add_argument("--data", type=Path, default=None, help="reuse (or create) the generated inventory here")
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--rounds", type=int, default=2, help="pairs of (incremental, full) pushes")
    ap.add_argument("--share", type=float, default=0.01, help="share of the nodes changed per version")
    ap.add_argument("--answers", action="store_true", help="also compute and store the answers in both")
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="sovmap-incr-"))
    if not (data / "systems.csv").exists():
        write_synthetic(data, args.organisations)
    inv, problems = load(data)
    assert inv is not None, [str(p) for p in problems if p.severity == "error"][:5]
    g = build_graph(inv)
    del inv
    versions = [g] + [changed(g, args.share, seed) for seed in range(1, 2 * args.rounds + 1)]
    touched = [len(set(v) ^ set(g)) + sum(1 for n in set(v) & set(g) if v.nodes[n] != g.nodes[n]) for v in versions[1:]]
    print(f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges; nodes touched per version: {touched}", flush=True)

    full, incr, stats, phases = [], [], [], []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300) as server:
        d = neo4j.GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")
        store.push(d, g, "bench", "v0", answers=args.answers)  # the starting version (not timed)
        # One untimed round of each, so both kinds run with their queries compiled and the page cache warm.
        push_changes(d, changed(g, args.share, 0), "bench", "warm", answers=args.answers)
        store.push(d, g, "bench", "v0", answers=args.answers)
        previous = g
        for i, v in enumerate(versions[1:]):
            # Against the same previous version each time: incremental from ``previous``, then a full push back.
            spent.clear()
            t = time.perf_counter()
            r = push_changes(d, v, "bench", f"v{i}", answers=args.answers)
            incr.append((time.perf_counter() - t, os.getloadavg()[0]))
            # The stored hashes are read while the derived answers and hashes are computed: count only what it
            # took beyond them.
            computing = spent.get("derived_properties", 0.0) + spent.get("node_hashes", 0.0)
            beyond = max(0.0, spent.get("_stored_hashes", 0.0) - computing)
            phases.append({**spent, "rest": incr[-1][0] - computing - beyond - spent.get("_apply", 0.0)})
            assert r.mode == "incremental", r.reason
            stats.append(r)
            print(f"incremental {incr[-1][0]:.1f} s (load {incr[-1][1]:.1f}): +{r.added} ~{r.changed} -{r.removed_nodes} "
                  f"nodes, +{r.relationships_written} -{r.relationships_removed} relationships; "
                  + ", ".join(f"{k} {x:.2f} s" for k, x in phases[-1].items()), flush=True)
            t = time.perf_counter()
            store.push(d, previous, "bench", f"back{i}", answers=args.answers)
            full.append((time.perf_counter() - t, os.getloadavg()[0]))
            print(f"full {full[-1][0]:.1f} s (load {full[-1][1]:.1f})", flush=True)
        last = versions[-1]
        push_changes(d, last, "bench", "last", answers=args.answers)
        same = graph_signature(store.pull(d, "bench")) == graph_signature(last)
        d.close()
    assert same, "the pulled graph differs from the last pushed version"
    t = time.perf_counter()  # the Python part both kinds of push share, measured alone
    extra = store.derived_properties(g)
    derived_s = time.perf_counter() - t
    t = time.perf_counter()
    node_hashes(g, extra)
    hash_s = time.perf_counter() - t

    f, n = statistics.median(x for x, _ in full), statistics.median(x for x, _ in incr)
    loads = [x for _, x in full + incr]
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    r0 = stats[0]
    lines = [
        f"Run {when}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships "
        f"({data}), embedded Neo4j 5.26 heap {args.heap}, page cache {args.pagecache}; "
        f"{'with' if args.answers else 'without'} the stored answers; load average (1 min) "
        f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} shared cores. Each version changes "
        f"{args.share:.0%} of the nodes (e.g. +{r0.added} ~{r0.changed} -{r0.removed_nodes} nodes and "
        f"+{r0.relationships_written} -{r0.relationships_removed} relationships; derived answers that moved with "
        "them count as changed). Pushes alternate: incremental to the new version, full back to the base, after "
        "one untimed round of each (compiled queries, warm page cache).",
        "",
        "| measurement | median time | times | side by side | target | verdict |",
        "|---|---|---|---|---|---|",
        f"| full push (`--full`: new tag, switch, old tag removed) | {f:.1f} s | "
        + ", ".join(f"{x:.1f}" for x, _ in full) + " | – | – | – |",
        f"| incremental push (1 % changed) | {n:.1f} s | " + ", ".join(f"{x:.1f}" for x, _ in incr)
        + f" | {n / f:.1%} of full | ≤ 10 % | {'met' if n <= 0.1 * f else '**not met**'} |",
        *(f"| incremental, of which {PHASES.get(k, 'the rest (lease, schema, stored answers if asked)')} | "
          f"{statistics.median(p.get(k, 0.0) for p in phases):.2f} s | "
          + ", ".join(f"{p.get(k, 0.0):.2f}" for p in phases) + " | – | – | – |" for k in [*PHASES, "rest"]),
        f"| part of both, in Python: derived answers | {derived_s:.1f} s | – | – | – | – |",
        f"| part of both, in Python: content hashes | {hash_s:.1f} s | – | – | – | – |",
        "",
        "Incremental / full, pair by pair: " + ", ".join(f"{a / b:.1%}" for (a, _), (b, _) in zip(incr, full))
        + f". The pulled graph equals the last pushed version: {same}.",
    ]
    text = "\n".join(lines)
    print("\n" + text)
    if not args.no_docs:
        path = ROOT / "docs" / "benchmarks.md"
        doc = path.read_text("utf-8")
        section = (f"{BEGIN}\n## Incremental Neo4j push (`bench/bench_neo4j_incremental.py`)\n\n```sh\n"
                   f"python bench/bench_neo4j_incremental.py --organisations 250 --heap 2g --pagecache 1g\n"
                   "flock /tmp/national.lock python bench/bench_neo4j_incremental.py --data /tmp/nat --heap 4g "
                   f"--pagecache 3g\n```\n\n{text}\n{END}")
        if BEGIN in doc:
            doc = doc[:doc.index(BEGIN)] + section + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n" + section + "\n"
        path.write_text(doc, "utf-8")


if __name__ == "__main__":
    main()
