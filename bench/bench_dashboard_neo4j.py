"""The dashboard's first page on the Neo4j backend: read from stored answers (new) against pulled and computed (old).

Pushes one inventory twice to a real Neo4j server (tests/neo4j_server.py): as
source "stored" with the answers every reader asks (:mod:`sovmap.store.answers`),
and as "bare" with ``answers=False`` (``sovmap neo4j push --no-answers``). A
version without stored answers takes exactly the dashboard's earlier path: pull
the whole graph, compute every analysis. Then, side by side and alternating,
with the dashboard's caches emptied before each: the overview page opened under
Streamlit's AppTest on either source (the first page a user sees: the
dashboard's first run), the impact page (after that first run) with the
largest supplier group cut, and the data functions behind them
(stored answers + the parties they name, against the pull; the old page adds compute_analysis).
Prints a Markdown table and the load average; writes nothing.

    python bench/bench_dashboard_neo4j.py --data /tmp/inv250 [--repeat 2] [--heap 2g] [--pagecache 1g]
    python bench/bench_dashboard_neo4j.py --organisations 250      # generates the inventory first
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.neo4j_server

import neo4j  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from sovmap.dashboard import remote  # noqa: E402
from sovmap.dashboard.analysis import named_ids  # noqa: E402
from sovmap.store import neo4j as store  # noqa: E402
from sovmap.store.answers import stored_answers  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def page(uri: str, source: str, name: str = "overview", query: dict | None = None) -> float:
    """Seconds to open page ``name`` on ``source`` with nothing cached (AppTest: the server's part of a page).

    The overview is the page the dashboard opens on: its first run is timed. Another page is timed when
    switched to after that first run (whose answers it shares).
    """
    st.cache_resource.clear()
    os.environ.update(SOVMAP_NEO4J=uri, SOVMAP_NEO4J_SOURCE=source)
    at = AppTest.from_file(APP, default_timeout=3600)
    at.query_params["lang"] = "en"
    at.query_params.update(query or {})
    seconds, _ = timed(at.run)
    if name != "overview":
        seconds, _ = timed(lambda: at.switch_page(f"views/{name}.py").run())
    assert not at.exception, at.exception
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="an inventory folder (else one is generated)")
    ap.add_argument("--organisations", type=int, default=250, help="public bodies to generate without --data")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    args = ap.parse_args()
    data = args.data
    if data is None:
        data = Path(tempfile.mkdtemp(prefix="sovmap-bench-dash-")) / "inv"
        subprocess.run([str(Path(sys.executable).parent / "sovmap"), "generate", "-o", str(data), "--organisations",
                        str(args.organisations), "--seed", "1"], check=True)
    os.environ.update(SOVMAP_NEO4J_HEAP=args.heap, SOVMAP_NEO4J_PAGECACHE=args.pagecache,
                      SOVMAP_WORKSPACE=tempfile.mkdtemp(prefix="sovmap-bench-ws-"))
    from sovmap.cli.common import load_graph
    from tests.neo4j_server import Neo4jServer

    load_s, g = timed(lambda: load_graph(data))
    print(f"{data}: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges (loaded in {load_s:.1f} s)")
    top = None
    with Neo4jServer() as server:
        d = neo4j.GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")
        bare_s, _ = timed(lambda: store.push(d, g, "bare", "v1", answers=False))
        stored_s, _ = timed(lambda: store.push(d, g, "stored", "v1"))
        print(f"push without answers {bare_s:.1f} s, with answers {stored_s:.1f} s", flush=True)
        rank = stored_answers(d, "stored", ("rank",))["rank"]
        top = next(r["supplier_group"] for r in rank if r["failed_systems"] or r["score"])
        del g
        rows: dict[str, list[float]] = {}

        def add(key, seconds):
            rows.setdefault(key, []).append(seconds)
            print(f"  {key}: {seconds:.2f} s", flush=True)

        pulled: list[str] = []
        real_pull = store.pull
        store.pull = lambda *a, **k: pulled.append(a[1]) or real_pull(*a, **k)
        for i in range(args.repeat):
            print(f"round {i + 1}, load average {os.getloadavg()[0]:.1f}", flush=True)
            add("overview page, new (stored answers)", page(server.uri, "stored"))
            add("overview page, old (pull + compute)", page(server.uri, "bare"))
            add("impact page, new (stored answers + closure)",
                page(server.uri, "stored", "impact", {"supplier": [top]}))
            add("data, new: stored answers + parties", timed(lambda: remote.parties(
                d, "stored", sorted(named_ids(stored_answers(d, "stored")["assess"]))))[0])
            add("data, old: pull (the rest of the old page is compute_analysis)",
                timed(lambda: real_pull(d, "bare"))[0])
        store.pull = real_pull
        d.close()
    print(f"\nwhole-graph pulls by the pages: {pulled.count('stored')} of 'stored', {pulled.count('bare')} of 'bare'")
    print(f"load average at the end {os.getloadavg()[0]:.1f}; impact page cut: {top}\n")
    print("| measurement | median s | runs |\n|---|---|---|")
    for key, values in rows.items():
        print(f"| {key} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
    new, old = (statistics.median(rows[k]) for k in ("overview page, new (stored answers)",
                                                      "overview page, old (pull + compute)"))
    print(f"\noverview page: old / new = {old / new:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
