"""Benchmark: the graph browser's chain view and shortest chains on the demo and on larger generated graphs.

Target: every view the graph browser asks for (what a process depends on, what depends on the busiest
supplier, aggregated past 150 items, and the shortest chains between them) in well under 2 s, so that a
rerun of the page stays quick. Run:

    python bench/bench_paths.py [FOLDER ...]

(each FOLDER an inventory to measure as well, e.g. the national one: ``/tmp/nat``) and copy the printed Markdown rows into docs/benchmarks.md.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))
from bench_assessment import best_of, generated  # noqa: E402

from sovmap.cli.common import demo_path  # noqa: E402
from sovmap.graph.model import build_graph  # noqa: E402
from sovmap.graph.paths import chain_view, shortest_chains  # noqa: E402
from sovmap.ingest.validate import load  # noqa: E402


def row(name: str, g: nx.MultiDiGraph) -> str:
    processes = [n for n, k in g.nodes(data="kind") if k == "process"]
    process = max(processes[:200], key=lambda n: g.out_degree(n))
    supplier = max((n for n, k in g.nodes(data="kind") if k == "supplier"), key=lambda n: g.in_degree(n))
    down = chain_view(g, process)
    up = chain_view(g, supplier, "up")
    t_down = best_of(lambda: chain_view(g, process))
    t_up = best_of(lambda: chain_view(g, supplier, "up"))
    t_path = best_of(lambda: shortest_chains(g, process, supplier))
    return (f"| {name} | {g.number_of_nodes():,} / {g.number_of_edges():,} | {t_down * 1000:.1f} ms "
            f"({len(down.nodes)} drawn) | {t_up * 1000:.1f} ms ({len(up.nodes)} drawn, "
            f"{'aggregated' if up.aggregated else 'all'}) | {t_path * 1000:.1f} ms |")


def main() -> None:
    print(f"Python {platform.python_version()}, {platform.machine()}, {time.strftime('%Y-%m-%d')}")
    print("| graph | nodes / edges | what a process depends on | what depends on the busiest supplier "
          "| shortest chains process → supplier |")
    print("|---|---|---|---|---|")
    inv, _ = load(demo_path())
    print(row("demo municipality", build_graph(inv)))
    for systems in (10_000, 100_000):
        print(row(f"generated, {systems:,} systems", generated(systems)))
    for folder in sys.argv[1:]:
        print(row(folder, build_graph(load(Path(folder))[0])))


if __name__ == "__main__":
    main()
