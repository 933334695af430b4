"""Benchmark the questions asked of the Neo4j store on the national inventory, against the same from CSV (not a test).

Measures, side by side in one run on one graph:
  * push, then computing and storing the answers (sovmap.store.answers; the
    assessment only with --assess: on the national inventory it needs about
    8 GB and 10 minutes more);
  * impact of 20 suppliers spread over market ranks (by the number of items
    that depend on them directly): via Neo4j (stored coverage + the closure of
    the cut, sovmap.store.closure, + the same propagation) against the
    in-memory engine on the graph loaded from CSV (load time not counted);
    median and largest, and the answers compared;
  * spof, rank and assess as commands: via Neo4j (stored answers) against from
    the CSV folder (load + compute).

Usage:  python bench/bench_neo4j_questions.py --data /tmp/nat --heap 4g --pagecache 3g
Prints a Markdown table; paste it into docs/benchmarks.md (between the bench_neo4j_questions markers).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import neo4j  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from sovmap.cli import app  # noqa: E402
from sovmap.graph.impact import impact  # noqa: E402
from sovmap.graph.model import build_graph  # noqa: E402
from sovmap.graph.policy import default_policy  # noqa: E402
from sovmap.graph.scenarios import Scenario  # noqa: E402
from sovmap.ingest.validate import load  # noqa: E402
from sovmap.ontology.vocab import vocabulary  # noqa: E402
from sovmap.store import neo4j as store  # noqa: E402
from sovmap.store.answers import ANSWERS, store_answers, stored_answer  # noqa: E402
from sovmap.store.closure import cut_graph  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402

SOURCE = "national"


def spread(g, n: int) -> list[str]:
    """``n`` suppliers spread evenly over the market ranks (most direct dependents first), the largest included."""
    failure = vocabulary().propagating()
    deps = {s: sum(1 for _, _, k in g.in_edges(s, keys=True) if k in failure)
            for s, kind in g.nodes(data="kind") if kind == "supplier"}
    ranked = sorted((s for s in deps if deps[s]), key=lambda s: (-deps[s], s))
    return [ranked[round(i * (len(ranked) - 1) / max(1, n - 1))] for i in range(n)]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def command(args: list[str]) -> float:
    result, s = timed(lambda: CliRunner().invoke(app, args))
    assert result.exit_code == 0, (args, result.output[-2000:])
    return s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/nat"))
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="3g")
    ap.add_argument("--suppliers", type=int, default=20)
    ap.add_argument("--impact-only", action="store_true", help="leave out the commands (spof, rank, assess)")
    ap.add_argument("--assess", action="store_true", help="also store and read the assessment (national: about "
                    "10 minutes and 8 GB more; off by default on a shared machine)")
    args = ap.parse_args()
    reach = default_policy().reach

    (inv, problems), load_s = timed(lambda: load(args.data))
    assert inv is not None, [str(p) for p in problems if p.severity == "error"][:5]
    g = build_graph(inv)
    del inv
    print(f"loaded {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships in {load_s:.1f} s", flush=True)
    picks = spread(g, args.suppliers)
    rows = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300) as server:
        d = neo4j.GraphDatabase.driver(server.uri, auth=None)
        result, push_s = timed(lambda: store.push(d, g, SOURCE, "bench", derived=False))
        rows.append(("push (without derived properties)", f"{push_s:.1f} s", "", ""))
        print(rows[-1], flush=True)
        names = [n for n in ANSWERS if n != "assess" or args.assess]
        _, answers_s = timed(lambda: store_answers(d, g, SOURCE, result.tag, names=names))
        rows.append((f"computing and storing the answers ({', '.join(names)})", f"{answers_s:.1f} s", "", ""))
        print(rows[-1], flush=True)

        via_neo4j, in_memory, failed = [], [], []
        for s in picks:
            def closure():
                stored_answer(d, SOURCE, "coverage")
                sub, sc = cut_graph(d, SOURCE, Scenario(suppliers=[s]), reach)
                return impact(sub, sc, reach), sub.number_of_nodes()

            (got, fetched), a = timed(closure)
            want, b = timed(lambda: impact(g, Scenario(suppliers=[s]), reach))
            for key in ("cut", "failed", "degraded"):
                assert [r["id"] for r in got[key]] == [r["id"] for r in want[key]], (s, key)
            via_neo4j.append(a)
            in_memory.append(b)
            failed.append(len(want["failed"]))
            print(f"{s}: {len(want['failed']):,} failed, {fetched:,} nodes fetched; Neo4j {a:.2f} s, "
                  f"in memory {b:.2f} s", flush=True)
        big = max(range(len(picks)), key=lambda i: failed[i])
        rows.append((f"impact of {len(picks)} suppliers via Neo4j (closure), median", f"{statistics.median(via_neo4j):.2f} s",
                     f"in memory from CSV (loaded): {statistics.median(in_memory):.2f} s", "<= 1 s"))
        rows.append((f"  largest ({picks[big]}, {failed[big]:,} failed)", f"{via_neo4j[big]:.2f} s",
                     f"in memory: {in_memory[big]:.2f} s", "<= 10 s"))
        rows.append(("  slowest via Neo4j", f"{max(via_neo4j):.2f} s", "", "<= 10 s"))
        where = ["--neo4j", server.uri, "--source", SOURCE]
        for name, extra in (("spof", []), ("rank", []), ("assess", [])):
            if name not in names or args.impact_only:
                continue
            a = command([name, *extra, *where])
            b = command([name, *extra, str(args.data)])
            rows.append((f"`{name}` via Neo4j (stored answers)", f"{a:.2f} s", f"from CSV: {b:.1f} s ({b / a:.0f}x)",
                         "<= 5 s"))
            print(rows[-1], flush=True)
        rss = server.rss_bytes()
        d.close()

    print()
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}, neo4j driver {neo4j.__version__}, "
          f"Neo4j heap {args.heap}, page cache {args.pagecache}"
          + (f"; Neo4j RSS at the end {rss / 2**30:.2f} GiB" if rss else ""))
    print(f"Graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships; CSV load {load_s:.1f} s\n")
    print("| measurement | time | side by side | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
