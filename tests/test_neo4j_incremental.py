"""Incremental push (sovmap.store.incremental) against a real Neo4j server (tests/neo4j_server.py).

An incremental push must leave exactly what a full push of the same version leaves (compared item by item,
the store's own derived properties and content hashes included), and readers must see the old or the new
version complete, however the push ends.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import neo4j
import pytest

from sovmap.graph.model import add_meaning, build_graph, graph_signature
from sovmap.ingest.validate import load
from sovmap.store import cypher, incremental
from sovmap.store import neo4j as store
from sovmap.store.answers import compute_answers, stored_answer, store_answers
from sovmap.store.incremental import push_changes
from tests.test_neo4j_concurrency import assert_is_exactly, leftovers, run_all

SOURCE = "zuiderwaard"  # as in test_neo4j_concurrency, whose helpers check it
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(demo_path):
    return build_graph(load(demo_path)[0])


def of_kind(g, kind):
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def edited(g, seed: int):
    """A new version of ``g`` with a few random edits: nodes added, removed and changed, edges added, removed,
    and turned into (or moved between) k-of-N groups."""
    rnd = random.Random(seed)
    h = g.copy()
    for i in range(rnd.randint(4, 12)):
        op = rnd.choice(["rename", "criticality", "country", "remove_node", "add_system", "remove_edge",
                         "group", "add_edge"])
        processes, systems, suppliers = of_kind(h, "process"), of_kind(h, "system"), of_kind(h, "supplier")
        if op == "rename":
            n = rnd.choice(sorted(n for n in h if h.nodes[n].get("kind") != "country"))
            h.nodes[n]["name"] = f"{h.nodes[n].get('name', n)} ({seed}.{i})"
        elif op == "criticality":
            h.nodes[rnd.choice(processes)]["criticality"] = rnd.choice(["vital", "high", "medium", "low"])
        elif op == "country":  # changes whether groups are European: derived answers elsewhere change too
            h.nodes[rnd.choice(suppliers)]["country"] = rnd.choice(["US", "NL", "CN", "DE"])
        elif op == "remove_node":
            h.remove_node(rnd.choice(systems + suppliers))
        elif op == "add_system":
            new = f"SYS-NEW-{seed}-{i}"
            h.add_node(new, kind="system", name=f"New {i}", hosting="saas")
            h.add_edge(rnd.choice(processes), new, key="uses")
            h.add_edge(new, rnd.choice(suppliers), key="provided_by")
        elif op == "remove_edge":
            u, v, k = rnd.choice(sorted(h.edges(keys=True)))
            h.remove_edge(u, v, key=k)
        elif op == "group":  # two or three of a process's systems become alternatives, k of them needed
            p = rnd.choice([p for p in processes if h.out_degree(p) >= 2] or processes)
            uses = sorted((v for _, v, k in h.out_edges(p, keys=True) if k == "uses"))[:3]
            k = rnd.randint(1, max(1, len(uses) - 1))
            for v in uses:
                d = h.edges[p, v, "uses"]
                d.pop("groups", None), d.pop("required", None)
                add_meaning(d, f"alt-{seed}-{i}", k)
        elif op == "add_edge":
            s = rnd.choice(systems)
            if s in h:
                h.add_edge(s, rnd.choice(suppliers), key="operated_by")
    return h


def items(d, source):
    """Every node (labels, properties) and relationship (ends, type, properties) of ``source``'s current version,
    without the tag they are stored under: what a full and an incremental push must leave alike."""
    skip = {cypher.UID, cypher.SOURCE, cypher.TAG}
    current = "MATCH (s:SovmapSource {name: $s}) "
    nodes, _, _ = d.execute_query(
        current + "MATCH (n:SovmapNode {_sov_source: s.name, _sov_tag: s.current_tag}) "
        "RETURN labels(n) AS labels, properties(n) AS props", s=source)
    rels, _, _ = d.execute_query(
        current + "MATCH (a:SovmapNode {_sov_source: s.name, _sov_tag: s.current_tag})-[r]->(b) "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props", s=source)

    def clean(props):
        return sorted((k, repr(v)) for k, v in props.items() if k not in skip)

    return (sorted((sorted(r["labels"]), clean(r["props"])) for r in nodes),
            sorted((r["a"], r["type"], r["b"], clean(r["props"])) for r in rels))


def revision(d, source=SOURCE):
    return d.execute_query("MATCH (s:SovmapSource {name: $s}) RETURN s.revision AS r", s=source)[0][0]["r"]


@pytest.mark.parametrize("seed", range(6))
def test_an_incremental_push_leaves_what_a_full_push_of_the_same_version_leaves(driver, demo, seed):
    new = edited(demo, seed)
    assert graph_signature(new) != graph_signature(demo)
    push_changes(driver, demo, SOURCE, "v1")
    result = push_changes(driver, new, SOURCE, "v2", max_change=1.0, batch_size=[10_000, 7][seed % 2])
    assert result.mode == "incremental" and result.added + result.changed + result.removed_nodes > 0
    store.push(driver, new, "full", "v2")
    assert items(driver, SOURCE) == items(driver, "full")
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(new)
    assert_is_exactly(driver, new)
    written = [r for r in store.sources(driver) if r["name"] == SOURCE][0]
    assert written["version"] == "v2"


def test_only_what_changed_is_written(driver, demo):
    push_changes(driver, demo, SOURCE, "v1")
    same = push_changes(driver, demo, SOURCE, "v1 again")
    assert (same.mode, same.added, same.changed, same.removed_nodes, same.relationships_written) == (
        "incremental", 0, 0, 0, 0)
    new = demo.copy()
    system = of_kind(demo, "system")[0]
    new.nodes[system]["name"] = "Renamed"
    result = push_changes(driver, new, SOURCE, "v2")
    assert (result.added, result.changed, result.removed_nodes) == (0, 1, 0)
    assert result.relationships_written == result.relationships_removed == 0  # its relationships did not change
    assert store.pull(driver, SOURCE).nodes[system]["name"] == "Renamed"
    rewired = new.copy()
    u, v, key = next(iter(rewired.out_edges(system, keys=True)))
    rewired.remove_edge(u, v, key)
    result = push_changes(driver, rewired, SOURCE, "v3")
    assert (result.added, result.changed, result.removed_nodes) == (0, 1, 0)
    assert (result.relationships_removed, result.relationships_written) == (demo.out_degree(system),
                                                                           demo.out_degree(system) - 1)
    assert_is_exactly(driver, rewired)


def test_a_large_change_a_first_push_or_a_push_without_hashes_falls_back_to_a_full_push(driver, demo):
    first = push_changes(driver, demo, SOURCE, "v1")
    assert (first.mode, first.reason) == ("full", "first push of this inventory")
    renamed = demo.copy()
    for n in renamed:
        renamed.nodes[n]["name"] = "x"
    big = push_changes(driver, renamed, SOURCE, "v2")
    assert big.mode == "full" and "100% of the nodes changed" in big.reason and big.removed_tags == 1
    assert_is_exactly(driver, renamed)
    driver.execute_query("MATCH (n:SovmapNode {id: $id}) REMOVE n._sov_hash", id=of_kind(demo, "system")[0])
    old = push_changes(driver, demo, SOURCE, "v3")
    assert old.mode == "full" and "no content hashes" in old.reason
    assert_is_exactly(driver, demo)


def test_hashes_made_another_way_fall_back_to_a_full_push_that_says_so(driver, demo):
    push_changes(driver, demo, SOURCE, "v1")
    stamp = "MATCH (s:SovmapSource {name: $s}) RETURN s.hash_format AS f"
    assert driver.execute_query(stamp, s=SOURCE)[0][0]["f"] == incremental.HASH_FORMAT
    # As an earlier sovmap left it: no stamp (its hashes were made by the first recipe).
    driver.execute_query("MATCH (s:SovmapSource {name: $s}) REMOVE s.hash_format", s=SOURCE)
    old = push_changes(driver, demo, SOURCE, "v2")
    assert old.mode == "full" and "computed its content hashes another way" in old.reason
    assert driver.execute_query(stamp, s=SOURCE)[0][0]["f"] == incremental.HASH_FORMAT  # the full push stamped it
    assert_is_exactly(driver, demo)
    again = push_changes(driver, demo, SOURCE, "v3")
    assert (again.mode, again.added, again.changed, again.removed_nodes) == ("incremental", 0, 0, 0)
    assert driver.execute_query(stamp, s=SOURCE)[0][0]["f"] == incremental.HASH_FORMAT  # and so did the delta


def test_content_hashes_are_the_same_in_another_process(demo_path, demo):
    """Stored hashes are compared by a later process (another machine): no per-process seed may enter them."""
    script = ("import json, sys\n"
              "from sovmap.graph.model import build_graph\n"
              "from sovmap.ingest.validate import load\n"
              "from sovmap.store.neo4j import derived_properties\n"
              "from sovmap.store.content_hash import node_hashes\n"
              "g = build_graph(load(sys.argv[1])[0])\n"
              "print(json.dumps(node_hashes(g, derived_properties(g))))\n")
    runs = [subprocess.run([sys.executable, "-c", script, str(demo_path)], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2")]
    mine = incremental.node_hashes(demo, store.derived_properties(demo))
    assert json.loads(runs[0]) == json.loads(runs[1]) == mine
    assert len(set(mine.values())) == len(mine)


def test_every_kind_of_change_changes_the_hash_of_its_node_only(demo):
    base = incremental.node_hashes(demo, store.derived_properties(demo))
    system, supplier = of_kind(demo, "system")[0], of_kind(demo, "supplier")[0]
    u, v, k = sorted(demo.out_edges(system, keys=True))[0]
    edits = {
        "an attribute": lambda h: h.nodes[system].update(name="Other"),
        "an attribute's type": lambda h: h.nodes[system].update(exit_plan=1),
        "a new attribute": lambda h: h.nodes[system].update(note="x"),
        "an edge's properties": lambda h: add_meaning(h.edges[u, v, k], "alt-x", 1),
        "an edge removed": lambda h: h.remove_edge(u, v, key=k),
        "an edge's relation": lambda h: (h.remove_edge(u, v, key=k), h.add_edge(u, v, key="operated_by")),
    }
    for what, edit in edits.items():
        h = demo.copy()
        edit(h)
        new = incremental.node_hashes(h, store.derived_properties(h))
        assert [n for n in base if new[n] != base[n]] == [system], what
    derived = store.derived_properties(demo)
    derived[supplier] = {**derived[supplier], "european": not derived[supplier].get("european")}
    new = incremental.node_hashes(demo, derived)
    assert [n for n in base if new[n] != base[n]] == [supplier]


@pytest.fixture
def small_change(demo):
    """A version with a node removed, one added and one changed (so every step of the delta runs)."""
    new = demo.copy()
    new.remove_node(of_kind(demo, "system")[1])
    new.nodes["S-KYN"]["name"] = "Kynthos (renamed)"
    new.add_node("SYS-NEW", kind="system", name="New")
    new.add_edge("SYS-NEW", "S-KYN", key="provided_by")
    return new


def test_a_push_interrupted_inside_its_transaction_leaves_the_previous_version(driver, demo, small_change,
                                                                              monkeypatch):
    push_changes(driver, demo, SOURCE, "v1")
    before = items(driver, SOURCE), revision(driver)

    def fail(kind):  # runs after the removals and updates of the same transaction
        raise RuntimeError("the writer failed half-way")

    monkeypatch.setattr(incremental, "node_merge", fail)
    with pytest.raises(RuntimeError, match="half-way"):
        push_changes(driver, small_change, SOURCE, "v2")
    assert (items(driver, SOURCE), revision(driver)) == before
    assert_is_exactly(driver, demo)  # readable, complete, and the lease given back
    monkeypatch.undo()
    assert push_changes(driver, small_change, SOURCE, "v2").mode == "incremental"
    assert_is_exactly(driver, small_change)


def test_a_writer_killed_inside_its_transaction_leaves_the_previous_version(neo4j_server, driver, demo, demo_path,
                                                                           small_change, tmp_path):
    push_changes(driver, demo, SOURCE, "v1")
    before = items(driver, SOURCE)
    script = tmp_path / "writer.py"
    script.write_text(
        "import sys, time, neo4j\n"
        "from sovmap.graph.model import build_graph\n"
        "from sovmap.ingest.validate import load\n"
        "from sovmap.store import incremental\n"
        "g = build_graph(load(sys.argv[2])[0])\n"
        "g.nodes['S-KYN']['name'] = 'Kynthos (killed)'\n"
        "g.add_node('SYS-KILLED', kind='system', name='Killed')\n"
        "def stall(kind):\n"
        "    print('inside', flush=True)\n"
        "    time.sleep(300)\n"
        "incremental.node_merge = stall\n"
        "incremental.push_changes(neo4j.GraphDatabase.driver(sys.argv[1], auth=None), g, sys.argv[3], lease_s=2)\n",
        "utf-8")
    proc = subprocess.Popen([sys.executable, str(script), neo4j_server.uri, str(demo_path), SOURCE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
    finally:
        proc.kill()
        proc.wait(30)
    assert items(driver, SOURCE) == before
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(demo)
    result = push_changes(driver, small_change, SOURCE, "v2", wait_s=60)  # after the killed writer's lease expired
    assert result.mode == "incremental"
    assert_is_exactly(driver, small_change)


def test_a_read_that_overlaps_the_commit_reads_again(driver, demo, small_change, monkeypatch):
    push_changes(driver, demo, SOURCE, "v1")
    real = store.relationship_pages
    calls = []

    def pages():  # between the node pages and the relationship pages of the first read, a push commits
        calls.append(1)
        if len(calls) == 1:
            assert push_changes(driver, small_change, SOURCE, "v2").mode == "incremental"
        return real()

    monkeypatch.setattr(store, "relationship_pages", pages)
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(small_change)
    assert len(calls) == 2  # the first read (old nodes, new relationships) was thrown away


def test_every_pull_during_incremental_pushes_gets_a_whole_version(driver, demo, small_change):
    versions = [demo, small_change, edited(demo, 7)]
    signatures = {graph_signature(g) for g in versions}
    push_changes(driver, demo, SOURCE, "v0")
    done = threading.Event()

    def pushes():
        try:
            for i in range(6):
                assert push_changes(driver, versions[(i + 1) % 3], SOURCE, f"v{i}", batch_size=20).mode == "incremental"
        finally:
            done.set()

    pusher = threading.Thread(target=pushes)
    pusher.start()
    pulled = []
    while not done.is_set():
        pulled.append(graph_signature(store.pull(driver, SOURCE)))
    pusher.join()
    assert len(pulled) >= 3 and all(p in signatures for p in pulled)
    assert_is_exactly(driver, versions[0])  # the last push (i = 5) was of versions[0]


@pytest.mark.parametrize("full", [False, True])
def test_concurrent_pushes_of_one_source_serialise_and_leave_one_version(neo4j_server, driver, demo, full):
    push_changes(driver, demo, SOURCE, "v0")
    versions = [edited(demo, 11), edited(demo, 12)]
    signatures = [graph_signature(g) for g in versions]
    drivers = [neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None) for _ in versions]
    results = [None, None]

    def pusher(i):
        def run():  # the second one a full push when ``full``: the two ways of pushing take turns too
            how = store.push if full and i == 1 else push_changes
            results[i] = how(drivers[i], versions[i], SOURCE, f"v{i + 1}", batch_size=15)
        return run

    try:
        errors = run_all([pusher(0), pusher(1)])
    finally:
        for d in drivers:
            d.close()
    assert errors == [None, None], [str(e) for e in errors]
    final = graph_signature(store.pull(driver, SOURCE))
    assert final in signatures
    assert_is_exactly(driver, versions[signatures.index(final)])
    assert leftovers(driver)[2] == 0


def test_stored_answers_follow_the_incremental_version_and_a_stale_one_is_refused(driver, demo, small_change):
    push_changes(driver, demo, SOURCE, "v1")
    old_revision = revision(driver)
    push_changes(driver, small_change, SOURCE, "v2")
    assert stored_answer(driver, SOURCE, "rank") == compute_answers(small_change, ["rank"])["rank"]
    assert stored_answer(driver, SOURCE, "rank") != compute_answers(demo, ["rank"])["rank"]
    # A slow earlier push storing its answers only now: refused, the current ones stay.
    tag = driver.execute_query("MATCH (s:SovmapSource {name: $s}) RETURN s.current_tag AS t", s=SOURCE)[0][0]["t"]
    assert not store_answers(driver, demo, SOURCE, tag, revision=old_revision)
    assert stored_answer(driver, SOURCE, "rank") == compute_answers(small_change, ["rank"])["rank"]


def test_the_cli_says_which_push_it_did(neo4j_server, driver, mini_path):
    from typer.testing import CliRunner

    from sovmap.cli import app

    args = ["neo4j", "push", str(mini_path), "--uri", neo4j_server.uri, "--no-answers"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0 and "Full push: all" in first.output and "first push" in first.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and "Incremental push: 0 nodes added, 0 changed, 0 removed" in again.output
    full = CliRunner().invoke(app, [*args, "--full"])
    assert full.exit_code == 0 and "relationships written.\n" in full.output  # no reason: it was asked for
