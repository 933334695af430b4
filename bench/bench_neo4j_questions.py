"""Benchmark the questions asked of the Neo4j store on the national inventory, against the same from CSV (not a test).

Measures, side by side in one run on one graph:
  * push, then computing and storing the answers (sovmap.store.answers; the
    assessment only with --assess: bench/bench_assess.py measures what it
    adds; with --impact-only only the coverage, which `impact` reads);
  * impact of 20 suppliers spread over market ranks (by the number of items
    that depend on them directly): via Neo4j (stored coverage + the closure of
    the cut, sovmap.store.closure, + the same propagation and report) against
    the in-memory engine on the graph loaded from CSV (load time not counted);
    median and largest, the fetch and the report apart, and the answers
    compared; with --baseline, also the closure fetch of another sovmap
    checkout (e.g. main's, unpacked with `git archive`) on the same server,
    alternating with this one;
  * spof, rank and assess as commands: via Neo4j (stored answers) against from
    the CSV folder (load + compute).

Usage:  python bench/bench_neo4j_questions.py --data /tmp/nat --heap 4g --pagecache 3g
        (--store DIR keeps the Neo4j store in DIR and reuses a push of the same graph found there)
Prints a Markdown table; paste it into docs/benchmarks.md (between the bench_neo4j_questions markers).
"""

from __future__ import annotations

import argparse
import importlib.util
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
from sovmap.graph.model import build_graph, edge_rows  # noqa: E402
from sovmap.graph.policy import default_policy  # noqa: E402
from sovmap.graph.scenarios import Scenario  # noqa: E402
from sovmap.ingest.validate import load  # noqa: E402
from sovmap.ontology.vocab import vocabulary  # noqa: E402
from sovmap.store import neo4j as store  # noqa: E402
from sovmap.store.answers import ANSWERS, store_answers, stored_answer  # noqa: E402
from sovmap.store.closure import cut_graph  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402



def baseline_cut_graph(root: Path):
    """``cut_graph`` of another sovmap checkout at ``root`` (its closure module on this checkout's other modules)."""
    spec = importlib.util.spec_from_file_location("sovmap.store.closure_baseline", root / "sovmap/store/closure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cut_graph


def spread(g, n: int) -> list[str]:
    """``n`` suppliers spread evenly over the market ranks (most direct dependents first), the largest included."""
    failure = vocabulary().propagating()
    deps = {s: sum(1 for _, _, k in g.in_edges(s, keys=True) if k in failure)
            for s, kind in g.nodes(data="kind") if kind == "supplier"}
    ranked = sorted((s for s in deps if deps[s]), key=lambda s: (-deps[s], s))
    return [ranked[round(i * (len(ranked) - 1) / max(1, n - 1))] for i in range(n)]


def cpu_seconds(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far (Linux), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, TypeError):
        return 0.0


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def command(args: list[str]) -> float:
    result, s = timed(lambda: CliRunner().invoke(app, args))
    assert result.exit_code == 0, (args, result.output[-2000:])
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/tmp/nat"))
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="3g")
    ap.add_argument("--suppliers", type=int, default=20)
    ap.add_argument("--source", default="national", help="source name in Neo4j (default national)")
    ap.add_argument("--store", type=Path, help="keep the Neo4j store in this folder; a push of the same graph "
                    "(same source, node and relationship counts) found there is reused instead of pushed again")
    ap.add_argument("--baseline", type=Path, help="another sovmap checkout whose closure fetch is timed side by side")
    ap.add_argument("--impact-only", action="store_true", help="leave out the commands (spof, rank, assess) and "
                    "store only the coverage")
    ap.add_argument("--assess", action="store_true", help="also store and read the assessment (its cost: "
                    "bench/bench_assess.py --phases answers; off by default on a shared machine)")
    args = ap.parse_args()
    reach = default_policy().reach
    source = args.source
    old_cut_graph = baseline_cut_graph(args.baseline) if args.baseline else None

    (inv, problems), load_s = timed(lambda: load(args.data))
    assert inv is not None, [str(p) for p in problems if p.severity == "error"][:5]
    g = build_graph(inv)
    del inv
    print(f"loaded {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships in {load_s:.1f} s", flush=True)
    picks = spread(g, args.suppliers)
    rows = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300, data_dir=args.store) as server:
        d = neo4j.GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")
        found = next((s for s in store.sources(d) if s["name"] == source), None) if args.store else None
        pushed_rows = sum(len(edge_rows(e)) for _, _, e in g.edges(data=True))  # a relationship per meaning
        if found and (found["nodes"], found["relationships"]) == (g.number_of_nodes(), pushed_rows):
            tag = store._state(d, source, None)["tag"]
            rows.append(("push", f"reused ({found['nodes']:,} nodes, {found['relationships']:,} relationships, "
                         f"pushed {found['pushed_at']})", "", ""))
        else:
            result, push_s = timed(lambda: store.push(d, g, source, "bench", derived=False))
            tag = result.tag
            rows.append(("push (without derived properties)", f"{push_s:.1f} s", "", ""))
        print(rows[-1], flush=True)
        names = ["coverage"] if args.impact_only else [n for n in ANSWERS if n != "assess" or args.assess]
        _, answers_s = timed(lambda: store_answers(d, g, source, tag, names=names))
        rows.append((f"computing and storing the answers ({', '.join(names)})", f"{answers_s:.1f} s", "", ""))
        print(rows[-1], flush=True)

        runs = []  # (supplier, failed, nodes fetched, fetch s, report s, in memory s, baseline fetch s)
        for s in picks:
            def fetch(cut_graph=cut_graph):
                stored_answer(d, source, "coverage")
                return cut_graph(d, source, Scenario(suppliers=[s]), reach)

            if old_cut_graph:
                old, old_s = timed(lambda: fetch(old_cut_graph))
                want_old = impact(*old, reach)["failed"]
                del old
            cpu = time.process_time(), cpu_seconds(server.pid)
            (sub, sc), fetch_s = timed(fetch)
            cpu = time.process_time() - cpu[0], cpu_seconds(server.pid) - cpu[1]  # load-independent: CPU seconds
            got, report_s = timed(lambda: impact(sub, sc, reach))
            want, b = timed(lambda: impact(g, Scenario(suppliers=[s]), reach))
            for key in ("cut", "failed", "degraded"):
                assert [r["id"] for r in got[key]] == [r["id"] for r in want[key]], (s, key)
            if old_cut_graph:
                assert [r["id"] for r in want_old] == [r["id"] for r in got["failed"]], s
            runs.append((s, len(want["failed"]), sub.number_of_nodes(), fetch_s, report_s, b,
                         old_s if old_cut_graph else None, cpu))
            print(f"{s}: {len(want['failed']):,} failed, {sub.number_of_nodes():,} nodes fetched; Neo4j fetch "
                  f"{fetch_s:.2f} s (CPU: sovmap {cpu[0]:.2f} s, Neo4j {cpu[1]:.2f} s) + report {report_s:.2f} s"
                  + (f" (baseline fetch {old_s:.2f} s)" if old_cut_graph else "") + f"; in memory {b:.2f} s; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            del sub, got, want
        total = [r[3] + r[4] for r in runs]
        med = statistics.median(total)
        big = max(runs, key=lambda r: r[1])
        rows.append((f"`impact` of {len(picks)} suppliers via Neo4j (closure fetch + report), median", f"{med:.2f} s",
                     f"in memory from CSV (loaded): {statistics.median(r[5] for r in runs):.3f} s", "<= 1 s"))
        rows.append(("  fetch / report, median", f"{statistics.median(r[3] for r in runs):.2f} s / "
                     f"{statistics.median(r[4] for r in runs):.3f} s", "", ""))
        rows.append((f"  largest ({big[0]}: {big[1]:,} failed, {big[2]:,} nodes fetched)",
                     f"{big[3] + big[4]:.2f} s (fetch {big[3]:.2f} s + report {big[4]:.2f} s)",
                     f"in memory: {big[5]:.2f} s", "<= 10 s"))
        rows.append(("  slowest via Neo4j", f"{max(total):.2f} s", "", "<= 10 s"))
        rows.append(("  CPU seconds of the largest's fetch: sovmap / Neo4j server",
                     f"{big[7][0]:.2f} s / {big[7][1]:.2f} s",
                     "busy time, which a loaded machine does not inflate as much as the wall clock", ""))
        if old_cut_graph:
            olds = [r[6] for r in runs]
            rows.append(("  baseline closure fetch, median / largest",
                         f"{statistics.median(olds):.2f} s / {big[6]:.2f} s",
                         f"this fetch {statistics.median(r[3] for r in runs):.2f} s / {big[3]:.2f} s "
                         f"({big[6] / big[3]:.1f}x on the largest)", ""))
        where = ["--neo4j", server.uri, "--source", source]
        a = command(["impact", "--supplier", big[0], *where])
        rows.append((f"  `sovmap impact --supplier {big[0]}` via Neo4j as a command (summary printed)", f"{a:.2f} s",
                     f"fetch + report above: {big[3] + big[4]:.2f} s", "<= 10 s"))
        print(rows[-1], flush=True)
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
