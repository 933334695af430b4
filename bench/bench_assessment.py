"""Benchmark: the three-level assessment and CSF scores on the demo and on a larger generated graph.

Target: assess() on the demo municipality in at most 1 s. Run:

    python bench/bench_assessment.py

and copy the printed Markdown rows into docs/benchmarks.md.
"""

from __future__ import annotations

import platform
import random
import time

import networkx as nx

from sovmap.cli.common import demo_path
from sovmap.graph.assessment import actions, assess, assessment_facts
from sovmap.graph.csf import csf_scores
from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load

COUNTRIES = ["NL", "NL", "DE", "IE", "FR", "US", "US", "CH", "IN"]


def generated(systems: int, seed: int = 1) -> nx.MultiDiGraph:
    """A layered graph: systems depend on later systems only (no cycles), ~1.5 dependencies each."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    n_sup = max(20, systems // 15)
    for i in range(n_sup):
        g.add_node(f"S{i}", kind="supplier", name=f"Supplier {i}", country=rnd.choice(COUNTRIES))
        if i >= 10 and rnd.random() < 0.3:
            g.add_edge(f"S{i}", f"S{rnd.randrange(10)}", key="owned_by")
    for i in range(40):
        g.add_node(f"L{i}", kind="location", name=f"DC {i}", country=rnd.choice(COUNTRIES))
        g.add_edge(f"L{i}", f"S{rnd.randrange(n_sup)}", key="operated_by")
    for i in range(systems):
        g.add_node(f"Y{i}", kind="system", name=f"System {i}", data_export=rnd.choice(["open-standard", "none"]),
                   exit_plan=rnd.choice(["yes", "no"]), key_control=rnd.choice(["customer", "provider"]))
        g.add_edge(f"Y{i}", f"S{rnd.randrange(n_sup)}", key="provided_by")
        if rnd.random() < 0.7:
            g.add_edge(f"Y{i}", f"L{rnd.randrange(40)}", key="hosted_at")
        for _ in range(rnd.randint(0, 3)):
            j = rnd.randrange(systems)
            if j > i:
                g.add_edge(f"Y{i}", f"Y{j}", key="depends_on")
    for i in range(systems // 3):
        g.add_node(f"D{i}", kind="dataset", name=f"Data {i}",
                   classification=rnd.choice(["secret", "confidential", "internal", "public"]))
        g.add_edge(f"D{i}", f"Y{rnd.randrange(systems)}", key="stored_in")
    for i in range(systems // 4):
        g.add_node(f"P{i}", kind="process", name=f"Process {i}", criticality=rnd.choice(["vital", "high", "low"]))
        for _ in range(4):
            g.add_edge(f"P{i}", f"Y{rnd.randrange(systems)}", key="uses")
    return g


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(name: str, g: nx.MultiDiGraph) -> str:
    facts = assessment_facts(g)
    result = assess(g, facts=facts)
    whole = best_of(lambda: assess(g))
    csf = best_of(lambda: csf_scores(g, facts))
    acts = best_of(lambda: actions(result))
    return (f"| assess | {name} | {g.number_of_nodes()} | {g.number_of_edges()} | {whole:.3f} s | "
            f"{csf:.3f} s | {acts:.3f} s | {len(result['gaps'])} |")


def main() -> None:
    inv, _ = load(demo_path())
    print(f"Python {platform.python_version()}, {platform.machine()}; best of 3")
    print("| bench | graph | nodes | edges | assess() incl. facts | csf_scores() | actions() | gaps |")
    print("|---|---|---|---|---|---|---|---|")
    print(run("demo municipality", build_graph(inv)))
    for n in (1000, 5000):
        print(run(f"generated, {n} systems", generated(n)))


if __name__ == "__main__":
    main()
