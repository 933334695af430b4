"""Benchmark the Neo4j store on the national synthetic inventory (not a test).

Measures, side by side in one run on one graph:
  * push rate (nodes + relationships per second; target >= 50,000/s),
  * pull time (target <= 30 s for the national inventory, 600k nodes / 2.2M relationships),
  * impact of a supplier cut: the in-memory engine (k-of-N, with why-chains)
    against a Cypher reachability query in Neo4j (no redundancy), as a ratio.

Usage:  python bench/bench_neo4j.py [--organisations 1500] [--data DIR] [--heap 4g] [--pagecache 3g]
Prints a Markdown table; paste it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import neo4j  # noqa: E402

from sovmap.graph.model import build_graph  # noqa: E402
from sovmap.graph.ownership import supplier_groups  # noqa: E402
from sovmap.graph.propagation import dependency_index, propagate  # noqa: E402
from sovmap.ingest.synthetic import write_synthetic  # noqa: E402
from sovmap.ingest.validate import load  # noqa: E402
from sovmap.store import neo4j as store  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--organisations", type=int, default=1500)
    ap.add_argument("--data", type=Path, default=None, help="reuse (or create) the synthetic inventory here")
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="3g")
    ap.add_argument("--cuts", type=int, default=5)
    args = ap.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="sovmap-national-"))
    if not (data / "systems.csv").exists():
        t = time.perf_counter()
        write_synthetic(data, args.organisations)
        print(f"generated {data} in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    inv, problems = load(data)
    assert inv is not None, [str(p) for p in problems if p.severity == "error"][:5]
    g = build_graph(inv)
    del inv
    elements = g.number_of_nodes() + g.number_of_edges()
    print(f"loaded {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships in "
          f"{time.perf_counter() - t:.1f} s", flush=True)

    rows = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300) as server:
        d = neo4j.GraphDatabase.driver(server.uri, auth=None)
        t = time.perf_counter()
        store.push(d, g, "national", "bench", derived=False)
        push_s = time.perf_counter() - t
        load_push = os.getloadavg()[0]
        rows.append(("push (nodes + relationships)", f"{push_s:.1f} s", f"{elements / push_s:,.0f} /s", ">= 50,000 /s",
                     "met" if elements / push_s >= 50_000 else "NOT met"))
        print(rows[-1], flush=True)
        t = time.perf_counter()
        pulled = store.pull(d, "national")
        pull_s = time.perf_counter() - t
        load_pull = os.getloadavg()[0]
        assert pulled.number_of_nodes() == g.number_of_nodes() and pulled.number_of_edges() == g.number_of_edges()
        del pulled
        rows.append(("pull", f"{pull_s:.1f} s", f"{elements / pull_s:,.0f} /s", "<= 30 s", "met" if pull_s <= 30 else "NOT met"))
        print(rows[-1], flush=True)

        groups = sorted(supplier_groups(g).items(), key=lambda kv: -len(kv[1]))
        step = max(1, len(groups) // args.cuts)
        picks = [groups[i] for i in range(0, len(groups), step)][: args.cuts]
        idx = dependency_index(g)
        engine, cypher = [], []
        for root, members in picks:
            t = time.perf_counter()
            r = propagate(g, members, idx)
            for n in r.failed:
                r.chain(n)
            engine.append(time.perf_counter() - t)
            t = time.perf_counter()
            reached = store.reach(d, "national", members)
            cypher.append(time.perf_counter() - t)
            assert set(r.failed) <= reached
        e, c = statistics.median(engine), statistics.median(cypher)
        rows.append((f"impact of a supplier group cut, median of {len(picks)}: engine (k-of-N, why-chains)",
                     f"{e * 1000:.1f} ms", "", "", ""))
        rows.append(("  same cuts, Cypher reachability in Neo4j (no redundancy)", f"{c * 1000:.1f} ms",
                     f"engine {c / e:.0f}x faster", "", ""))
        rss = server.rss_bytes()
        d.close()

    print()
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"neo4j driver {neo4j.__version__}, Neo4j heap {args.heap}, page cache {args.pagecache}; "
          f"Neo4j RSS at the end {rss / 2**30:.2f} GiB" if rss else "")
    print(f"Load average (1 min) right after the push {load_push:.1f}, after the pull {load_pull:.1f}")
    print(f"Graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships "
          f"({args.organisations} organisations)\n")
    print("| measurement | time | rate / ratio | target | |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
