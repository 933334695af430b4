"""Benchmark the Neo4j store on the national synthetic inventory (not a test).

Measures, side by side in one run on one graph:
  * push rate (nodes + relationships per second; target >= 50,000/s),
  * pull time (target <= 30 s for the national inventory, 600k nodes / 2.2M relationships),
  * impact of a supplier cut: the in-memory engine (k-of-N, with why-chains)
    against a Cypher reachability query in Neo4j (no redundancy), as a ratio.

Usage:  python bench/bench_neo4j.py [--organisations 1500] [--data DIR] [--heap 4g] [--pagecache 3g]
                                    [--setting NAME=VALUE ...] [--batch 10000]
Prints a Markdown table and the server's settings; paste them into docs/benchmarks.md (the script writes no file).
Besides wall-clock time it reports the server's CPU seconds (the Java process, all its threads) and the client's
for the push and the pull: on a shared, loaded machine they move far less than the wall clock does.

Offline first load:  python bench/bench_neo4j.py --data DIR --import-tool
times neo4j-admin database import full into a new database instead (bench/neo4j_import.py; docs/neo4j.md).

Code side by side:  python bench/bench_neo4j.py --data DIR --compare-store /tmp/base --rounds 3
pushes the same graph with another checkout's sovmap/store (e.g. `git archive main | tar -x -C /tmp/base`) and with
this one's in turn on one server (after one untimed push of each), and prints each push's wall clock and the CPU
seconds of the server (all, and until its nodes were written) and of the client. The other store imports this
checkout's sovmap.graph and sovmap.ontology: it compares the store's code only.

Side by side:  python bench/bench_neo4j.py --data DIR --compare-writers 0,2/1 --rounds 2
pushes the same graph with each setting of sovmap.store.writers in turn on one server: N/M is N concurrent node
batches and M relationship batches (N alone: both), 0 one batch after the other with nothing built ahead (the
earlier push); prints each push's time, and where the time goes one batch at a time (client vs server).
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
from sovmap.store import writers  # noqa: E402
from tests.neo4j_server import Neo4jServer, parse_settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--organisations", type=int, default=1500)
    ap.add_argument("--data", type=Path, default=None, help="reuse (or create) the synthetic inventory here")
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="3g")
    ap.add_argument("--cuts", type=int, default=5)
    ap.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                    help="a further Neo4j server setting (repeatable), e.g. db.checkpoint.interval.volume=4g")
    ap.add_argument("--batch", type=int, default=store.BATCH, help="rows per write transaction of the push")
    ap.add_argument("--writers", default=None, metavar="N/M",
                    help="concurrent node/relationship write transactions (default: the store's)")
    ap.add_argument("--compare-writers", default=None, metavar="N/M,...",
                    help="only compare pushes with these writer settings, alternating on one server")
    ap.add_argument("--compare-batches", default=None, metavar="ROWS,...",
                    help="only compare pushes with these batch sizes, alternating on one server (e.g. 10000,2500)")
    ap.add_argument("--compare-store", type=Path, default=None, metavar="CHECKOUT",
                    help="only compare pushes by another checkout's sovmap/store and this one's, alternating")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of --compare-writers, --compare-batches or "
                                                          "--compare-store")
    ap.add_argument("--import-tool", action="store_true",
                    help="instead: time a first load through neo4j-admin database import full (bench/neo4j_import.py)")
    ap.add_argument("--warm-up", type=int, default=20, metavar="ORGANISATIONS",
                    help="before timing, push a generated inventory this size to the fresh server (0: none), as a "
                         "long-running server has its code compiled already")
    args = ap.parse_args()
    if args.writers:
        set_writers(args.writers)

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

    if args.compare_writers:
        compare_writers(g, args.compare_writers.split(","), args)
        return
    if args.compare_store:
        compare_store(g, args.compare_store, args)
        return
    if args.compare_batches:
        compare_batches(g, [int(b) for b in args.compare_batches.split(",")], args)
        return
    if args.import_tool:
        from bench.neo4j_import import import_tool

        result = import_tool(g, "national", args.heap, args.pagecache)
        total = sum(s for step, s in result["times"].items() if not step.startswith("pull"))
        assert (result["nodes"], result["relationships"]) == (g.number_of_nodes(), g.number_of_edges()), result
        print(f"\nGraph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships; importer and server "
              f"heap {args.heap}, page cache {args.pagecache}; load average {os.getloadavg()[0]:.1f} at the end\n")
        print("| step of a first load through the importer | time |")
        print("|---|---|")
        for step, s in result["times"].items():
            print(f"| {step} | {s:.1f} s |")
        print(f"| total until readers can use it (without the pull) | {total:.1f} s: {elements / total:,.0f} elements/s |")
        return

    rows = []
    settings = parse_settings(",".join(args.setting))
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300, settings=settings) as server:
        d = _driver(server)
        warm_up(d, args.warm_up)
        checkpoints = len(_checkpoints(server))
        cpu = Cpu(server.pid)
        t = time.perf_counter()
        store.push(d, g, "national", "bench", derived=False, batch_size=args.batch)
        push_s = time.perf_counter() - t
        push_cpu = cpu.lap()
        checkpoints = _checkpoints(server)[checkpoints:]
        load_push = os.getloadavg()[0]
        rows.append(("push (nodes + relationships)", f"{push_s:.1f} s", f"{elements / push_s:,.0f} /s", ">= 50,000 /s",
                     "met" if elements / push_s >= 50_000 else "NOT met"))
        print(rows[-1], f"CPU: {push_cpu}", flush=True)
        t = time.perf_counter()
        pulled = store.pull(d, "national")
        pull_s = time.perf_counter() - t
        pull_cpu = cpu.lap()
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
          f"neo4j driver {neo4j.__version__}, Neo4j heap {args.heap}, page cache {args.pagecache}, "
          f"concurrent write transactions: {writers.WORKERS} for nodes, {writers.RELATIONSHIP_WORKERS} for "
          f"relationships; warm-up push of {args.warm_up} organisations; "
          f"Neo4j RSS at the end {rss / 2**30:.2f} GiB" if rss else "")
    print(f"Server settings: {SERVER_SETTINGS}; " + (", ".join(f"{k}={v}" for k, v in settings.items()) or
                                                     "no further settings") + f"; batches of {args.batch:,} rows")
    print(f"CPU seconds, push: {push_cpu}; pull: {pull_cpu}")
    print(f"Checkpoints during the push: {len(checkpoints)}" + "".join(f"\n  {c}" for c in checkpoints))
    print(f"Load average (1 min) right after the push {load_push:.1f}, after the pull {load_pull:.1f}")
    print(f"Graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships "
          f"({args.organisations} organisations)\n")
    print("| measurement | time | rate / ratio | target | |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _driver(server):
    """A driver without the server's query notifications (deprecations, unknown property keys), as the store's own."""
    return neo4j.GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")


# What the test suite's launcher sets itself (tests/neo4j/src/main/java/sovmap/neo4j/Launcher.java); the rest are
# Neo4j 5.26's defaults unless --setting says otherwise.
SERVER_SETTINGS = ("Neo4j Community 5.26 embedded (tests/neo4j_server.py), transaction logs not preallocated "
                   "(db.tx_log.preallocate=false) and not kept after a checkpoint (db.tx_log.rotation.retention_policy"
                   "=false), other settings at their defaults (checkpoint every 15 min or 250 MiB of log, log files "
                   "rotated at 256 MiB)")


class Cpu:
    """CPU seconds (user + system) of the server process and of this one since the last lap."""

    def __init__(self, pid: int):
        self.pid = pid
        self.last = self._now()

    def _now(self) -> tuple[float, float]:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        me = os.times()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), me.user + me.system

    def lap(self) -> str:
        now = self._now()
        (server, client), self.last = (a - b for a, b in zip(now, self.last)), now
        return f"server {server:.1f} s, client {client:.1f} s"


def _checkpoints(server) -> list[str]:
    """The user database's completed checkpoints so far, from the server's debug.log."""
    log = Path(server.data_dir) / "logs" / "debug.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [ln[:200] for ln in lines if "checkpoint completed" in ln and "[system/" not in ln]


def set_writers(setting: str) -> None:
    """``N/M``: N concurrent node batches, M relationship batches; ``N``: both."""
    nodes, _, rels = setting.partition("/")
    writers.WORKERS, writers.RELATIONSHIP_WORKERS = int(nodes), int(rels or nodes)


def warm_up(driver, organisations: int) -> None:
    """Push (and pull) a small generated inventory first, so the timed push does not pay for the JVM's warm-up."""
    if organisations <= 0:
        return
    with tempfile.TemporaryDirectory(prefix="sovmap-warm-up-") as tmp:
        write_synthetic(Path(tmp), organisations)
        inv, _ = load(Path(tmp))
        t = time.perf_counter()
        small = build_graph(inv)
        store.push(driver, small, "warm-up", "bench", derived=False)
        store.pull(driver, "warm-up")
        print(f"warm-up: pushed and pulled {small.number_of_nodes() + small.number_of_edges():,} elements in "
              f"{time.perf_counter() - t:.1f} s", flush=True)


class _Timed:
    """A driver whose statements run in explicit transactions, timed per kind of statement in three parts.

    send: packing the rows and sending them until the server has planned and started the statement; run: the
    server executing it (until the result is consumed); commit: the server applying it to the store and indexes.
    """

    PARTS = ("send", "run", "commit")

    def __init__(self, driver):
        self.driver, self.times = driver, {}

    def execute_query(self, query, parameters=None, **kwargs):
        kind = "node batches" if "CREATE (n:" in query else "relationship batches" if "CREATE (a)" in query else "other"
        session_kw = {"database": kwargs.pop("database_")} if "database_" in kwargs else {}
        t0 = time.perf_counter()
        with self.driver.session(**session_kw) as session, session.begin_transaction() as tx:
            result = tx.run(query, {**(parameters or {}), **kwargs})
            t1 = time.perf_counter()
            records = list(result)
            summary = result.consume()
            t2 = time.perf_counter()
            tx.commit()
            t3 = time.perf_counter()
        entry = self.times.setdefault(kind, [0, 0.0, 0.0, 0.0])
        entry[0] += 1
        for i, x in enumerate((t1 - t0, t2 - t1, t3 - t2)):
            entry[i + 1] += x
        return records, summary, result.keys()

    def split(self) -> str:
        return "; ".join(f"{k}: {v[0]} calls, " + ", ".join(f"{p} {x:.1f} s" for p, x in zip(self.PARTS, v[1:]))
                         for k, v in self.times.items())


def compare_batches(g, sizes: list[int], args) -> None:
    """Push ``g`` with each batch size in turn, ``args.rounds`` times, on one server: wall clock and CPU seconds."""
    elements = g.number_of_nodes() + g.number_of_edges()
    results: dict[int, list[tuple[float, str]]] = {n: [] for n in sizes}
    loads = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300,
                     settings=parse_settings(",".join(args.setting))) as server:
        d = _driver(server)
        warm_up(d, args.warm_up)
        store.push(d, g, "warm", "bench", derived=False)  # the first push of a fresh server is slow whatever its code
        cpu = Cpu(server.pid)
        for r in range(args.rounds):
            for n in sizes:
                cpu.lap()
                t = time.perf_counter()
                store.push(d, g, f"r{r}-b{n}", "bench", derived=False, batch_size=n)
                s = time.perf_counter() - t
                results[n].append((s, cpu.lap()))
                loads.append(os.getloadavg()[0])
                print(f"round {r + 1}, batches of {n}: {s:.1f} s, {elements / s:,.0f} /s, CPU {results[n][-1][1]}, "
                      f"load {loads[-1]:.1f}", flush=True)
        d.close()
    print(f"\nGraph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships; Neo4j heap {args.heap}, "
          f"page cache {args.pagecache}; load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| rows per batch | push times (CPU seconds) |")
    print("|---|---|")
    for n in sizes:
        print(f"| {n:,} | " + "; ".join(f"{s:.1f} s ({c})" for s, c in results[n]) + " |")


def other_store(checkout: Path):
    """``sovmap.store.neo4j`` of another checkout, imported beside this one's as ``sovmap_other.store.neo4j``."""
    import importlib
    import types

    folder = Path(checkout).resolve() / "sovmap" / "store"
    assert (folder / "neo4j.py").exists(), f"no sovmap/store/neo4j.py in {checkout}"
    package = types.ModuleType("sovmap_other")
    package.__path__ = []
    sys.modules["sovmap_other"] = package
    spec = importlib.util.spec_from_file_location("sovmap_other.store", folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["sovmap_other.store"] = module
    spec.loader.exec_module(module)
    other = importlib.import_module("sovmap_other.store.neo4j")
    assert Path(other.__file__).resolve().is_relative_to(folder), other.__file__
    return other


def compare_store(g, checkout: Path, args) -> None:
    """Push ``g`` with another checkout's store and this one's in turn, ``args.rounds`` times, on one server."""
    elements = g.number_of_nodes() + g.number_of_edges()
    contenders = {"other": other_store(checkout), "this": store}
    results: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in contenders}
    loads = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300,
                     settings=parse_settings(",".join(args.setting))) as server:
        d = _driver(server)
        warm_up(d, args.warm_up)
        cpu = Cpu(server.pid)
        nodes_done = {}
        for name, module in contenders.items():
            write = module._write_relationships

            def timed(*a, write=write, **k):  # the server's CPU once the nodes are written
                nodes_done["server"] = cpu._now()[0]
                return write(*a, **k)

            module._write_relationships = timed
            module.push(d, g, f"warm-{name}", "bench", derived=False)  # the first push of a fresh server is slow
        for r in range(args.rounds):
            for name, module in contenders.items():
                start = cpu._now()
                t = time.perf_counter()
                module.push(d, g, f"r{r}-{name}", "bench", derived=False)
                s = time.perf_counter() - t
                end = cpu._now()
                pulled = store.pull(d, f"r{r}-{name}")
                assert pulled.number_of_nodes() == g.number_of_nodes()
                assert pulled.number_of_edges() == g.number_of_edges()
                results[name].append((s, end[0] - start[0], nodes_done["server"] - start[0], end[1] - start[1]))
                loads.append(os.getloadavg()[0])
                print(f"round {r + 1}, {name}: {s:.1f} s, {elements / s:,.0f} /s, CPU server {end[0] - start[0]:.1f} s "
                      f"(nodes {nodes_done['server'] - start[0]:.1f} s), client {end[1] - start[1]:.1f} s, "
                      f"load {loads[-1]:.1f}", flush=True)
        d.close()
    print(f"\nGraph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships; Neo4j heap {args.heap}, "
          f"page cache {args.pagecache}; load average {min(loads):.1f}-{max(loads):.1f}; other: {checkout}\n")
    print("| round | other: wall, server CPU (nodes), client CPU | this | this / other: wall, server CPU |")
    print("|---|---|---|---|")
    for r, (o, t) in enumerate(zip(results["other"], results["this"])):
        print(f"| {r + 1} | " + " | ".join(f"{x[0]:.1f} s, {x[1]:.1f} s ({x[2]:.1f} s), {x[3]:.1f} s" for x in (o, t))
              + f" | {t[0] / o[0]:.2f}x, {t[1] / o[1]:.2f}x |")


def compare_writers(g, counts: list[str], args) -> None:
    """Push ``g`` with each writer count in turn, ``args.rounds`` times, on one server; print a table."""
    elements = g.number_of_nodes() + g.number_of_edges()
    results: dict[str, list[float]] = {n: [] for n in counts}
    loads = []
    with Neo4jServer(heap=args.heap, pagecache=args.pagecache, startup_timeout=300) as server:
        d = _driver(server)
        warm_up(d, args.warm_up)  # every contender meets a warm server alike
        for r in range(args.rounds):
            for n in counts:
                set_writers(n)
                t = time.perf_counter()
                store.push(d, g, f"r{r}-w{n}", "bench", derived=False)
                s = time.perf_counter() - t
                results[n].append(s)
                loads.append(os.getloadavg()[0])
                print(f"round {r + 1}, writers {n}: {s:.1f} s, {elements / s:,.0f} /s, load {loads[-1]:.1f}", flush=True)
        # Where the time goes, one batch at a time (the split is meaningless with batches overlapping).
        set_writers("0")
        timed = _Timed(d)
        t = time.perf_counter()
        store.push(timed, g, "split", "bench", derived=False)
        s = time.perf_counter() - t
        parts = sum(sum(v[1:]) for v in timed.times.values())
        print(f"one writer, timed in parts: {s:.1f} s, load {os.getloadavg()[0]:.1f}; client building rows "
              f"{s - parts:.1f} s; {timed.split()}", flush=True)
        d.close()
    print(f"\nGraph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships; Neo4j heap {args.heap}, "
          f"page cache {args.pagecache}; load average {min(loads):.1f}-{max(loads):.1f}\n")
    print(f"| writers (nodes/relationships) | push times | best rate | ratio to {counts[0]} (best) |")
    print("|---|---|---|---|")
    base = min(results[counts[0]])
    for n in counts:
        print(f"| {n} | {', '.join(f'{x:.1f} s' for x in results[n])} | {elements / min(results[n]):,.0f} /s | "
              f"{base / min(results[n]):.2f}x |")


if __name__ == "__main__":
    main()
