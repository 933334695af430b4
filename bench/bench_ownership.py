"""Benchmark: deep ownership chains (issue 10: a 2,000-deep chain took 93 s in spof, 5,000 never finished).

Each analysis that judges ownership walks every party once, so time grows linearly
with the depth. Run:

    python bench/bench_ownership.py

and compare the rows: doubling the depth should about double the time.
"""

from __future__ import annotations

import platform
import time

import networkx as nx

from sovmap.graph.assessment import assess
from sovmap.graph.concentration import rank_supplier_groups, single_points_of_failure
from sovmap.graph.impact import impact
from sovmap.graph.ownership import verdicts
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load_files
from sovmap.graph.model import build_graph


def chain(depth: int, relation: str) -> nx.MultiDiGraph:
    """A supplier S-0 owned (or co-owned, 50 %) by S-1, ... by S-<depth-1> in the US; one vital process on S-0."""
    rows = ["id,name,country,parent_id,co_owner_ids"]
    for i in range(depth):
        owner = f"S-{i + 1}" if i + 1 < depth else ""
        parent, co = (owner, "") if relation == "parent_id" else ("", f"{owner} 50%" if owner else "")
        rows.append(f"S-{i},Party {i},{'US' if i == depth - 1 else 'NL'},{parent},{co}")
    files = [("suppliers.csv", "\n".join(rows).encode()), ("systems.csv", b"id,name,supplier_id\nSYS,App,S-0\n"),
             ("processes.csv", b"id,name,criticality\nP,Pay,vital\n"), ("dependencies.csv", b"from_id,to_id\nP,SYS\n")]
    inv, problems = load_files(files)
    assert inv is not None, problems
    return build_graph(inv)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print("| relation | depth | validate+build s | spof s | rank s | assess s | impact --country US s | all verdicts s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for relation in ("parent_id", "co_owner_ids"):
        for depth in (1_000, 2_000, 5_000, 20_000):
            start = time.perf_counter()
            g = chain(depth, relation)
            load_s = time.perf_counter() - start
            cols = [timed(lambda: single_points_of_failure(g)), timed(lambda: rank_supplier_groups(g)),
                    timed(lambda: assess(g)), timed(lambda: impact(g, Scenario(countries=["US"]))),
                    timed(lambda: verdicts(g))]
            print(f"| {relation} | {depth:,} | {load_s:.2f} | " + " | ".join(f"{c:.2f}" for c in cols) + " |")


if __name__ == "__main__":
    main()
