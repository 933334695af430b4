"""Pushes and reads of one source at the same time, against a real Neo4j server (tests/neo4j_server.py).

Each push is either whole or not there: the graph pulled afterwards (and every graph pulled meanwhile) is
exactly one of the pushed inventories, never an empty or half-written one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import neo4j
import pytest

from sovmap.graph.model import build_graph, edge_rows, graph_signature
from sovmap.ingest.validate import load
from sovmap.store import cypher
from sovmap.store import neo4j as store
from sovmap.store.lease import Lease, PushConflict

SOURCE = "zuiderwaard"


@pytest.fixture(scope="module")
def variants(demo_path):
    """Three different inventories of one municipality: the demo, one without a few systems, one renamed."""
    demo = build_graph(load(demo_path)[0])
    fewer = demo.copy()
    fewer.remove_nodes_from(sorted(n for n, k in demo.nodes(data="kind") if k == "system")[:5])
    renamed = demo.copy()
    for n, k in renamed.nodes(data="kind"):
        if k == "supplier":
            renamed.nodes[n]["name"] += " (renamed)"
    return [demo, fewer, renamed]


def leftovers(d, source=SOURCE):
    """(nodes, relationships, held leases) of ``source`` in the database, whatever their tag."""
    n, _, _ = d.execute_query(f"MATCH (n:SovmapNode {{{cypher.SOURCE}: $s}}) RETURN count(n) AS n", s=source)
    r, _, _ = d.execute_query(f"MATCH (:SovmapNode {{{cypher.SOURCE}: $s}})-[r]->() RETURN count(r) AS n", s=source)
    lease, _, _ = d.execute_query("MATCH (l:SovmapLease {name: $s}) WHERE l.tag IS NOT NULL RETURN count(l) AS n",
                                  s=source)
    return n[0]["n"], r[0]["n"], lease[0]["n"]


def relationships(g):
    """How many relationships a push of ``g`` writes: one per meaning of each edge."""
    return sum(len(edge_rows(d)) for _, _, d in g.edges(data=True))


def assert_is_exactly(d, g):
    assert graph_signature(store.pull(d, SOURCE)) == graph_signature(g)
    assert leftovers(d) == (g.number_of_nodes(), relationships(g), 0)
    row = next(s for s in store.sources(d) if s["name"] == SOURCE)
    assert (row["nodes"], row["relationships"]) == (g.number_of_nodes(), relationships(g))


def run_all(targets):
    """Run the callables in threads at once; return their exceptions (None for those that returned)."""
    errors = [None] * len(targets)
    start = threading.Barrier(len(targets))

    def run(i, fn):
        start.wait()
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001  (the test asserts on them)
            errors[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_concurrent_pushes_of_one_source_leave_exactly_one_of_them(neo4j_server, driver, variants):
    signatures = [graph_signature(g) for g in variants]
    drivers = [neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None) for _ in variants]  # as separate machines
    try:
        for round_ in range(2):
            order = variants[round_:] + variants[:round_]
            errors = run_all([lambda d=d, g=g: store.push(d, g, SOURCE, f"v{i}", batch_size=150)
                              for i, (d, g) in enumerate(zip(drivers, order))])
            assert errors == [None, None, None], [str(e) for e in errors]
            final = store.pull(driver, SOURCE)
            assert graph_signature(final) in signatures
            assert_is_exactly(driver, variants[signatures.index(graph_signature(final))])
    finally:
        for d in drivers:
            d.close()


def test_every_pull_during_pushes_gets_a_whole_inventory(driver, variants):
    signatures = {graph_signature(g) for g in variants[:2]}
    store.push(driver, variants[0], SOURCE, "v0")
    done = threading.Event()

    def pushes():
        try:
            for i in range(4):
                store.push(driver, variants[(i + 1) % 2], SOURCE, f"v{i}", batch_size=150)
        finally:
            done.set()

    pusher = threading.Thread(target=pushes)
    pusher.start()
    pulled = []
    while not done.is_set():
        pulled.append(graph_signature(store.pull(driver, SOURCE)))
    pusher.join()
    assert len(pulled) >= 3
    assert all(p in signatures for p in pulled), [len(p[0]) for p in pulled]
    assert_is_exactly(driver, variants[0])  # the last push was of variants[0]


@pytest.fixture
def push_during_first_read(driver, monkeypatch):
    """Make the next read of SOURCE run a whole push of ``g`` just after it looked up the current tag."""
    def arm(g):
        real = store._state
        calls = {"n": 0}

        def state(*args):
            before = real(*args)
            calls["n"] += 1
            if calls["n"] == 1:
                store.push(driver, g, SOURCE, "meanwhile")  # switches, then removes the tag just looked up
            return before

        monkeypatch.setattr(store, "_state", state)
    return arm


def test_a_pull_overlapped_by_a_push_reads_the_new_state_again(driver, variants, push_during_first_read):
    store.push(driver, variants[0], SOURCE, "v0")
    push_during_first_read(variants[1])
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(variants[1])


def test_a_neighbourhood_overlapped_by_a_push_is_not_reported_missing(driver, variants, push_during_first_read):
    store.push(driver, variants[0], SOURCE, "v0")
    push_during_first_read(variants[2])
    nodes, _, _ = store.neighbourhood(driver, SOURCE, "S-KYN", hops=1)
    assert next(n for n in nodes if n["id"] == "S-KYN")["name"] == variants[2].nodes["S-KYN"]["name"]


def test_a_push_waits_for_the_running_push_then_gives_up_with_a_message(driver, variants):
    store.push(driver, variants[0], SOURCE, "v0")
    Lease(driver, SOURCE, "running", lease_s=60).acquire()  # another push is writing
    with pytest.raises(PushConflict, match=r'Another push of "zuiderwaard" has been running since .*waited 1 s'):
        store.push(driver, variants[1], SOURCE, "v1", wait_s=1)
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(variants[0])
    store.push(driver, variants[1], "elsewhere", "v1", wait_s=1)  # another source does not wait


def test_the_cli_says_in_one_line_that_another_push_is_running(neo4j_server, driver, mini_path):
    from typer.testing import CliRunner

    from sovmap.cli import app

    Lease(driver, "mini", "running", lease_s=60).acquire()
    result = CliRunner().invoke(app, ["neo4j", "push", str(mini_path), "--uri", neo4j_server.uri, "--wait", "0.5"])
    assert result.exit_code == 2 and 'Another push of "mini" has been running since' in result.output
    assert "Traceback" not in result.output and store.sources(driver) == []


def test_the_lease_of_a_crashed_push_expires_and_the_next_push_removes_its_nodes(driver, variants):
    store.push(driver, variants[0], SOURCE, "v0")

    class Crash(neo4j.exceptions.ServiceUnavailable):
        pass

    class Crashing:  # a driver whose process dies after two node batches: no clean-up, no release
        def __init__(self):
            self.batches = 0

        def execute_query(self, query, *args, **kwargs):
            if "CREATE (n:SovmapNode" in query:
                self.batches += 1
                if self.batches == 3:
                    raise Crash("the pushing process died")
            return driver.execute_query(query, *args, **kwargs)

    with pytest.raises(Crash):
        store.push(Crashing(), variants[1], SOURCE, "crashed", batch_size=100, lease_s=2)
    assert leftovers(driver)[2] == 1 and leftovers(driver)[0] > variants[0].number_of_nodes()  # lease and nodes
    assert graph_signature(store.pull(driver, SOURCE)) == graph_signature(variants[0])
    t = time.monotonic()
    result = store.push(driver, variants[2], SOURCE, "v2", wait_s=30)
    assert 0.5 < time.monotonic() - t < 30  # it waited for the lease to expire
    assert result.removed_tags == 2  # the earlier state and the crashed push's nodes
    assert_is_exactly(driver, variants[2])


def test_a_push_whose_lease_was_taken_over_never_becomes_current(neo4j_server, driver, variants):
    store.push(driver, variants[0], SOURCE, "v0")
    other = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None)

    class Stalling:  # stops for longer than its lease after the first batch (a long pause, a network stall)
        def __init__(self):
            self.stalled = False

        def execute_query(self, query, *args, **kwargs):
            result = driver.execute_query(query, *args, **kwargs)
            if "CREATE (n:SovmapNode" in query and not self.stalled:
                self.stalled = True
                time.sleep(3)
            return result

    def later():
        deadline = time.monotonic() + 60
        while leftovers(other)[2] == 0 and time.monotonic() < deadline:  # until the stalling push holds the lease
            time.sleep(0.05)
        store.push(other, variants[2], SOURCE, "v2", wait_s=30)

    try:
        errors = run_all([lambda: store.push(Stalling(), variants[1], SOURCE, "v1", batch_size=100, lease_s=1),
                          later])
    finally:
        other.close()
    assert isinstance(errors[0], PushConflict) and "another push took over" in str(errors[0])
    assert errors[1] is None
    assert_is_exactly(driver, variants[2])


def test_user_columns_named_like_the_stores_properties_round_trip(driver, mini_path):
    g = build_graph(load(mini_path)[0])
    clashing = {"source": "CMDB", "tag": "prod", "uid": "42", "european": "unknown", "supplier_group": "own",
                "_sov_tag": "mine", "_sov_user_x": "y", "current_tag": "t"}
    g.nodes["S-KYN"].update(clashing)
    g.nodes["SYS-MAIL"].update(source="inkoop", uid="42")
    store.push(driver, g, SOURCE, "v1")
    store.push(driver, g, SOURCE, "v2")  # again: user "uid" values repeat across tags, nothing is unique there
    back = store.pull(driver, SOURCE)
    assert {k: back.nodes["S-KYN"].get(k) for k in clashing} == clashing
    assert graph_signature(back) == graph_signature(g)
    nodes, _, _ = store.neighbourhood(driver, SOURCE, "S-KYN")
    assert {k: v for k, v in next(n for n in nodes if n["id"] == "S-KYN").items() if k in clashing} == clashing
    derived, _, _ = driver.execute_query(
        "MATCH (n:Supplier {id: 'S-KYN', _sov_source: $s}) RETURN n._sov_european AS e, n.european AS user", s=SOURCE)
    assert derived[0]["e"] is False and derived[0]["user"] == "unknown"


def test_an_inventory_pushed_by_an_earlier_sovmap_is_refused_then_replaced(driver, mini_path):
    # The earlier layout: plain uid/source/tag and a uniqueness constraint on uid.
    driver.execute_query("CREATE CONSTRAINT sovmap_node_uid IF NOT EXISTS FOR (n:SovmapNode) REQUIRE n.uid IS UNIQUE")
    driver.execute_query(
        "CREATE (:SovmapSource {name: $s, current_tag: 't0', version: 'old', nodes: 1, relationships: 0}) "
        "CREATE (:SovmapNode:System {id: 'SYS-OLD', kind: 'system', name: 'Old', uid: 'x', source: $s, tag: 't0'})",
        s=SOURCE)
    with pytest.raises(store.SourceUnreadable, match=r'"zuiderwaard" in Neo4j was pushed by another version of sovmap'):
        store.pull(driver, SOURCE)
    g = build_graph(load(mini_path)[0])
    g.nodes["S-KYN"]["uid"] = g.nodes["S-EU"]["uid"] = "x"  # a user column, no longer bound by the old constraint
    assert store.push(driver, g, SOURCE, "new").removed_tags == 1
    assert_is_exactly(driver, g)
    old, _, _ = driver.execute_query("MATCH (n:SovmapNode {source: $s}) RETURN count(n) AS n", s=SOURCE)
    assert old[0]["n"] == 0


def test_two_cli_pushes_at_once_both_succeed_and_leave_one_whole_inventory(neo4j_server, driver, mini_path, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(mini_path, other)
    systems = other / "systems.csv"
    systems.write_text(systems.read_text("utf-8").replace("Zaaksysteem", "Zaaksysteem 2"), "utf-8")
    expected = {graph_signature(build_graph(load(p)[0])) for p in (mini_path, other)}
    cli = [sys.executable, "-c", "from sovmap.cli import main; main()", "neo4j", "push", "--source", SOURCE,
           "--uri", neo4j_server.uri]
    procs = [subprocess.Popen([*cli, str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (mini_path, other)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    pulled = store.pull(driver, SOURCE)
    assert graph_signature(pulled) in expected
    assert leftovers(driver) == (pulled.number_of_nodes(), relationships(pulled), 0)


def test_a_push_that_waited_for_a_release_holds_the_lease_alone(driver):
    """The release commits while the next push's take waits for the lease's lock: that push then holds the
    lease, and a third push has to wait. (It once saw a free lease on a node the release had deleted, so it
    held nothing, and the third push took the lease too: two pushes at once.)"""
    from sovmap.store import lease as lease_module

    first = Lease(driver, SOURCE, "first", lease_s=60)
    first.acquire()
    with driver.session() as session, session.begin_transaction() as tx:
        tx.run(lease_module._RELEASE, source=SOURCE, tag="first", ttl=60).consume()  # not committed yet
        second = Lease(driver, SOURCE, "second", lease_s=60)
        waiter = threading.Thread(target=second.acquire, kwargs={"wait_s": 30})
        waiter.start()
        time.sleep(1.0)  # the take has found the lease and waits for its lock
        assert waiter.is_alive()
        tx.commit()
    waiter.join(30)
    assert not waiter.is_alive()
    second.renew()  # it holds the lease: no PushConflict
    with pytest.raises(PushConflict, match="Another push"):
        Lease(driver, SOURCE, "third", lease_s=60).acquire(wait_s=0.5)
    second.release()
    Lease(driver, SOURCE, "third", lease_s=60).acquire(wait_s=0.5)  # free again after the release
