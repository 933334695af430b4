"""The Neo4j store against a real Neo4j server (embedded Community 5.26, see tests/neo4j_server.py)."""

from __future__ import annotations

import json
import shutil

import neo4j
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph, graph_signature
from sovmap.ingest.validate import load
from sovmap.store import cypher
from sovmap.store import neo4j as store
from sovmap.store.lease import HELD
from tests.neo4j_server import Neo4jServer

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_graph(demo_path):
    inv, _ = load(demo_path)
    return build_graph(inv)


@pytest.fixture(scope="module")
def mini_graph(mini_path):
    inv, _ = load(mini_path)
    return build_graph(inv)


def counts(d, source):
    rec, _, _ = d.execute_query("MATCH (n:SovmapNode {_sov_source: $s}) RETURN count(n) AS n", s=source)
    rel, _, _ = d.execute_query("MATCH (:SovmapNode {_sov_source: $s})-[r]->() RETURN count(r) AS n", s=source)
    return rec[0]["n"], rel[0]["n"]


def test_golden_cypher_uses_only_vocabulary_names_and_parameters():
    assert cypher.node_merge("location") == (
        "UNWIND $rows AS row\nCREATE (n:SovmapNode:Location)\n"
        "SET n = row, n._sov_uid = $prefix + row.id, n._sov_source = $source, n._sov_tag = $tag\n"
        "RETURN collect(row.id) AS keys, collect(id(n)) AS ids")
    lines = cypher.relationship_merge("owned_by").splitlines()
    assert lines[0] == HELD.rstrip() and "CREATE (a)-[r:OWNED_BY]->(b)" in lines and "SET r = $p[i]" not in lines
    assert "SET r = $p[i]" in cypher.relationship_merge("owned_by", props=True).splitlines()
    with pytest.raises(KeyError):
        cypher.label_of("x'}) DETACH DELETE n //")


def test_push_then_pull_gives_an_equal_graph(driver, demo_graph):
    result = store.push(driver, demo_graph, "demo", "v1")
    assert (result.nodes, result.relationships) == (demo_graph.number_of_nodes(), demo_graph.number_of_edges())
    assert counts(driver, "demo") == (demo_graph.number_of_nodes(), demo_graph.number_of_edges())
    assert graph_signature(store.pull(driver, "demo")) == graph_signature(demo_graph)
    labels, _, _ = driver.execute_query("MATCH (n:System {_sov_source: 'demo'}) RETURN count(n) AS n")
    assert labels[0]["n"] == sum(1 for _, k in demo_graph.nodes(data="kind") if k == "system")


def test_pull_reads_pages_without_losing_or_repeating_an_element(driver, demo_graph, monkeypatch):
    store.push(driver, demo_graph, "demo", "v1", batch_size=50)  # many node and relationship batches too
    monkeypatch.setattr(store, "PAGE", 7)  # the demo's 441 nodes in 63 pages, the last one short
    assert graph_signature(store.pull(driver, "demo")) == graph_signature(demo_graph)


def test_pushing_twice_gives_the_same_graph(driver, mini_graph):
    store.push(driver, mini_graph, "mini", "v1")
    first = counts(driver, "mini")
    second = store.push(driver, mini_graph, "mini", "v1")
    assert second.removed_tags == 1
    assert counts(driver, "mini") == first
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)


def test_leftovers_of_an_earlier_push_are_removed(driver, mini_graph):
    store.push(driver, mini_graph, "mini", "v1")
    changed = mini_graph.copy()
    changed.remove_node("SYS-MAIL")
    changed.remove_edge("D-ZAAK", "SYS-ZAAK", key="stored_in")
    store.push(driver, changed, "mini", "v2")
    pulled = store.pull(driver, "mini")
    assert "SYS-MAIL" not in pulled and not pulled.has_edge("D-ZAAK", "SYS-ZAAK")
    assert graph_signature(pulled) == graph_signature(changed)
    assert counts(driver, "mini") == (changed.number_of_nodes(), changed.number_of_edges())
    assert store.sources(driver)[0]["version"] == "v2"


def test_a_co_owners_share_comes_back(driver):
    from pathlib import Path

    g = build_graph(load(Path(__file__).parent / "fixtures" / "ownership")[0])
    assert any("share" in d for *_, d in g.edges(data=True))
    store.push(driver, g, "owned", "v1")
    assert graph_signature(store.pull(driver, "owned")) == graph_signature(g)


def test_unknown_ownership_is_stored_as_unknown_not_as_european(driver):
    from pathlib import Path

    g = build_graph(load(Path(__file__).parent / "fixtures" / "ownership")[0])
    store.push(driver, g, "owned", "v1")
    derived = store.derived_properties(g)
    records, _, _ = driver.execute_query(
        "MATCH (s:SovmapSource {name: 'owned'}) MATCH (x:SovmapNode {_sov_source: s.name, _sov_tag: s.current_tag}) "
        "RETURN x.id AS id, x._sov_european AS european, x._sov_unknown_ownership_spof AS unknown_spof")
    stored = {r["id"]: r for r in records}
    unknown = [n for n, d in derived.items() if "european" in d and d["european"] is None]
    assert unknown, "the fixture has a supplier of unknown ownership"
    assert all(stored[n]["european"] is None for n in unknown)  # absent in Neo4j, never true
    assert stored["P-ZAAK"]["unknown_spof"] is True  # PinkRoccade, owner unknown
    assert stored["P-BURGER"]["unknown_spof"] is False  # Centric, verified Dutch


def test_two_inventories_live_side_by_side(driver, mini_graph, demo_graph):
    store.push(driver, mini_graph, "mini", "v1")
    store.push(driver, demo_graph, "demo", "v1")
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)
    assert [s["name"] for s in store.sources(driver)] == ["demo", "mini"]


def test_a_bad_batch_half_way_leaves_the_earlier_state_intact(driver, mini_graph, monkeypatch):
    store.push(driver, mini_graph, "mini", "v1")
    changed = mini_graph.copy()
    changed.remove_node("SYS-WEB")
    original = store.relationship_merge

    def broken(relation, *args):
        return "THIS IS NOT CYPHER" if relation == "uses" else original(relation, *args)

    monkeypatch.setattr(store, "relationship_merge", broken)
    with pytest.raises(neo4j.exceptions.CypherSyntaxError):
        store.push(driver, changed, "mini", "v2")
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)
    assert store.sources(driver)[0]["version"] == "v1"
    monkeypatch.undo()
    store.push(driver, changed, "mini", "v3")  # the next push cleans up the half-written state
    assert counts(driver, "mini") == (changed.number_of_nodes(), changed.number_of_edges())


def test_relationships_never_attach_to_nodes_that_another_push_removed(driver, mini_graph):
    store.push(driver, mini_graph, "mini", "v1")

    class Removing:  # as if a push that took over removed this push's nodes before its relationships were written
        def execute_query(self, query, *args, **kwargs):
            if "CREATE (a)" in query:
                driver.execute_query("MATCH (n:SovmapNode {_sov_tag: $tag}) DETACH DELETE n", tag=kwargs["tag"])
            return driver.execute_query(query, *args, **kwargs)

    with pytest.raises(store.PushConflict, match="another push took over"):
        store.push(Removing(), mini_graph, "mini", "v2")
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)
    assert store.sources(driver)[0]["version"] == "v1"


def test_a_push_whose_lease_was_taken_over_writes_no_relationship(driver, mini_graph):
    """The relationship batches find their ends by internal id, safe only while the push holds the lease."""
    store.push(driver, mini_graph, "mini", "v1")
    seen = {}

    class TakenOver:  # as if another push took the lease over after this push's nodes were written
        def execute_query(self, query, *args, **kwargs):
            if "CREATE (a)" in query and not seen:
                seen["tag"] = kwargs["tag"]
                driver.execute_query("MATCH (l:SovmapLease {name: 'mini'}) SET l.tag = 'another push'")
            return driver.execute_query(query, *args, **kwargs)

    with pytest.raises(store.PushConflict, match="another push took over"):
        store.push(TakenOver(), mini_graph, "mini", "v2")
    rels, _, _ = driver.execute_query("MATCH (a:SovmapNode {_sov_tag: $tag})-[r]-() RETURN count(r) AS n",
                                      tag=seen["tag"])
    assert rels[0]["n"] == 0
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)


def test_relationships_carry_only_the_inventory_s_properties(driver, demo_graph):
    store.push(driver, demo_graph, "demo", "v1")
    keys, _, _ = driver.execute_query(
        "MATCH (:SovmapNode {_sov_source: 'demo'})-[r]->() UNWIND keys(r) AS k RETURN collect(DISTINCT k) AS keys")
    assert set(keys[0]["keys"]) == {"group", "min_required"}  # the demo's alternatives; nothing of the store's own


def test_a_server_that_stops_half_way_leaves_the_earlier_state_intact(tmp_path, mini_graph, demo_graph):
    server = Neo4jServer(data_dir=tmp_path / "data")
    try:
        server.start()
        # no long retries against a server that is gone
        d = neo4j.GraphDatabase.driver(server.uri, auth=None, max_transaction_retry_time=1, connection_timeout=2)
        store.push(d, mini_graph, "zw", "v1")
        calls = {"n": 0}
        real = d.execute_query

        def dying(query, *args, **kwargs):
            calls["n"] += "CREATE (n:SovmapNode" in query
            if calls["n"] == 3:  # after a few node batches
                server.kill()
            return real(query, *args, **kwargs)

        d.execute_query = dying
        with pytest.raises(Exception):
            store.push(d, demo_graph, "zw", "v2", batch_size=50)
        d.close()
        server.start()  # same data directory
        d = neo4j.GraphDatabase.driver(server.uri, auth=None)
        assert graph_signature(store.pull(d, "zw")) == graph_signature(mini_graph)
        assert store.sources(d)[0]["version"] == "v1"
        d.close()
    finally:
        server.stop()
        shutil.rmtree(tmp_path / "data", ignore_errors=True)


def test_hostile_names_and_ids_are_stored_verbatim_and_harm_nothing(driver, mini_graph):
    store.push(driver, mini_graph, "mini", "v1")
    hostile = mini_graph.copy()
    evil = "x'}) DETACH DELETE n //"
    hostile.add_node(evil, kind="system", name=evil + " `backtick` $param \\ \"quote\"")
    hostile.add_edge(evil, "S-EU", key="provided_by")
    store.push(driver, hostile, evil, "v1")
    back = store.pull(driver, evil)
    assert back.nodes[evil]["name"] == hostile.nodes[evil]["name"]
    assert graph_signature(back) == graph_signature(hostile)
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)


def test_neighbourhood_runs_in_neo4j_and_says_when_it_truncates(driver, demo_graph):
    store.push(driver, demo_graph, "demo", "v1")
    nodes, edges, truncated = store.neighbourhood(driver, "demo", "S-KYN-IE", hops=1)
    ids = {n["id"] for n in nodes}
    assert ids == {"S-KYN-IE"} | set(demo_graph.predecessors("S-KYN-IE")) | set(demo_graph.successors("S-KYN-IE"))
    assert not truncated and all(e["source"] in ids and e["target"] in ids for e in edges)
    few, _, cut_short = store.neighbourhood(driver, "demo", "S-KYN-IE", hops=2, limit=5)
    assert len(few) == 5 and cut_short


def test_cypher_reach_is_a_superset_of_what_fails(driver, demo_graph):
    from sovmap.graph.propagation import propagate
    from sovmap.graph.scenarios import supplier_cut

    store.push(driver, demo_graph, "demo", "v1")
    cut = sorted(supplier_cut(demo_graph, ["S-KYN"]))
    reached = store.reach(driver, "demo", cut)
    failed = set(propagate(demo_graph, cut).failed)
    assert failed <= reached and len(reached) > len(failed)  # reachability ignores redundancy


def test_cli_answers_on_neo4j_equal_the_embedded_answers(neo4j_server, driver, demo_path):
    env = {"NEO4J_URI": neo4j_server.uri}
    pushed = runner.invoke(app, ["neo4j", "push", str(demo_path), "--source", "zuiderwaard"], env=env)
    assert pushed.exit_code == 0, pushed.output
    for cmd in (["impact", "--supplier", "S-KYN", "--json"], ["impact", "--country", "US", "--json"],
                ["spof", "--json"], ["rank", "--json"]):
        embedded = runner.invoke(app, [cmd[0], str(demo_path), *cmd[1:]])
        remote = runner.invoke(app, [cmd[0], "--neo4j", neo4j_server.uri, "--source", "zuiderwaard", *cmd[1:]])
        assert remote.exit_code == 0, remote.output
        remote, embedded = json.loads(remote.stdout), json.loads(embedded.stdout)
        if cmd[0] == "impact":  # from the closure of the cut, built in id order: of equally short why-chains
            # it may show another than the files' order gives (tests/test_neo4j_closure.py compares whole rows)
            for key in ("cut", "failed", "degraded"):
                assert [(r["id"], r.get("chain_length")) for r in remote.pop(key)] == [
                    (r["id"], r.get("chain_length")) for r in embedded.pop(key)], (cmd, key)
        assert remote == embedded, cmd


def test_cli_pull_and_sources(neo4j_server, driver, mini_path, tmp_path):
    env = {"NEO4J_URI": neo4j_server.uri}
    assert runner.invoke(app, ["neo4j", "push", str(mini_path)], env=env).exit_code == 0
    listed = json.loads(runner.invoke(app, ["neo4j", "sources", "--json"], env=env).stdout)
    assert [s["name"] for s in listed] == ["mini"]
    out = tmp_path / "pulled"
    pulled = runner.invoke(app, ["neo4j", "pull", "--source", "mini", "-o", str(out)], env=env)
    assert pulled.exit_code == 0
    inv, problems = load(out)
    assert graph_signature(build_graph(inv)) == graph_signature(build_graph(load(mini_path)[0]))
    missing = runner.invoke(app, ["neo4j", "pull", "--source", "bestaat-niet"], env=env)
    assert missing.exit_code == 2 and 'No inventory "bestaat-niet"' in missing.output


def test_cli_prints_no_server_notifications(neo4j_server, mini_path, tmp_path):
    """The server warns that no pushed relationship has a `share` (mini has no co-ownership): a user never sees it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NEO4J_URI": neo4j_server.uri}
    cli = [sys.executable, "-c", "from sovmap.cli import main; main()", "neo4j"]
    for args in (["push", str(mini_path), "--source", "quiet"], ["pull", "--source", "quiet", "-o", str(tmp_path / "p")]):
        done = subprocess.run(cli + args, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "notification" not in (done.stdout + done.stderr).lower()
    assert (tmp_path / "p").is_dir()


def test_cli_says_clearly_when_the_server_is_unreachable(mini_path):
    result = runner.invoke(app, ["neo4j", "push", str(mini_path), "--uri", "bolt://127.0.0.1:9"])
    assert result.exit_code == 2 and "Cannot reach Neo4j at bolt://127.0.0.1:9" in result.output


def test_the_ready_queries_in_docs_work(driver, demo_graph):
    import re
    from pathlib import Path

    from sovmap.graph.concentration import single_points_of_failure

    store.push(driver, demo_graph, "municipality", "v1")
    text = (Path(__file__).parent.parent / "docs" / "neo4j.md").read_text("utf-8")
    blocks = re.findall(r"```cypher\n(.*?)```", text, re.S)
    assert len(blocks) == 4
    results = []
    for block in blocks:
        params = {"source": "municipality"}
        for name, value in re.findall(r":param (\w+) => '([^']*)'", block):
            params[name] = value
        query = "\n".join(line for line in block.splitlines() if not line.startswith(":param"))
        records, _, _ = driver.execute_query(query, params)
        results.append(records)
    from sovmap.graph.scenarios import supplier_cut

    reached = {n["id"] for rec in results[0] for n in rec["p"].nodes}
    group = supplier_cut(demo_graph, ["S-KYN"])
    assert len(results[0]) == 500 and reached <= store.reach(driver, "municipality", sorted(group)) | group
    assert results[1][0]["chain"] == ["S-NHV-ZUID (NL)", "S-NHV (NL)", "S-MER-IE (IE)", "S-MER (US)"]
    expected = [p["id"] for p in single_points_of_failure(demo_graph)
                if any(s["european"] is False for s in p["single_points_of_failure"])]
    assert sorted(r["p.id"] for r in results[2]) == sorted(expected)
    assert any(r["group"] == "S-KYN" for r in results[3])


def test_relies_on_between_processes_survives_push_and_pull(driver):
    from sovmap.ingest.validate import load_files

    inv, _ = load_files([("processes.csv", b"id,name,criticality\nP-A,Permits,vital\nP-B,Registry,\n"),
                         ("systems.csv", b"id,name\nSYS-1,Registry app\n"),
                         ("dependencies.csv", b"from_id,to_id,type\nP-A,P-B,relies_on\nP-B,SYS-1,\n")])
    g = build_graph(inv)
    store.push(driver, g, "chain", "v1")
    rels, _, _ = driver.execute_query("MATCH (:Process {id: 'P-A'})-[r:RELIES_ON]->(:Process {id: 'P-B'}) RETURN count(r) AS n")
    assert rels[0]["n"] == 1
    assert graph_signature(store.pull(driver, "chain")) == graph_signature(g)
    assert store.reach(driver, "chain", ["SYS-1"]) >= {"P-A", "P-B"}


def test_a_push_makes_the_schema_once_and_mends_it_when_it_is_not_whole(driver, mini_graph):
    def names():
        return set(driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS n")[0][0]["n"])

    store.push(driver, mini_graph, "mini", "v1")
    assert names() >= cypher.SCHEMA_NAMES
    driver.execute_query("DROP INDEX sovmap_node_sov_source_tag")
    driver.execute_query("CREATE CONSTRAINT sovmap_node_uid FOR (n:SovmapNode) REQUIRE n.uid IS UNIQUE")  # an earlier sovmap's
    store.push(driver, mini_graph, "mini", "v2")
    assert names() >= cypher.SCHEMA_NAMES and "sovmap_node_uid" not in names()
    assert graph_signature(store.pull(driver, "mini")) == graph_signature(mini_graph)
