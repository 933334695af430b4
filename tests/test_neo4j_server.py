"""Integration tests against a real Neo4j 5.26 server (tests/neo4j_server.py).

These never skip: without Java/Maven, or if the server cannot start, they error with
the server's own output.
"""

from __future__ import annotations

import time

import neo4j
import pytest
from neo4j import GraphDatabase

from tests.neo4j_server import (  # noqa: F401  (neo4j_server is a fixture)
    Neo4jServer,
    parse_settings,
    clean_database,
    neo4j_server,
)

TRICKY_VALUES = [
    "x'}) DETACH DELETE n //",
    'x"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "`; DROP CONSTRAINT x; //",
    "$param {x} \\u0027 \\ \n\t line two",
    "Ünïcødé – 中文 – 🚀",
    "",
]


@pytest.fixture
def neo4j_driver(neo4j_server):  # noqa: F811
    with GraphDatabase.driver(neo4j_server.uri, auth=None) as driver:
        clean_database(driver)
        yield driver
        clean_database(driver)


def _count(driver, query: str = "MATCH (n) RETURN count(n) AS c", **params) -> int:
    records, _, _ = driver.execute_query(query, **params)
    return records[0]["c"]


def test_server_is_neo4j_5_26_community(neo4j_server, neo4j_driver):  # noqa: F811
    assert neo4j_server.uri.startswith("bolt://127.0.0.1:")
    records, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
    )
    assert records[0]["name"] == "Neo4j Kernel"
    assert records[0]["versions"][0].startswith("5.26.")
    assert records[0]["edition"] == "community"


def test_write_then_read_round_trip_with_parameters(neo4j_driver):
    summary = neo4j_driver.execute_query(
        "CREATE (s:Supplier {id: $id, name: $name, country: $country, share: $share, tags: $tags})"
        "-[:SUPPLIES {since: $since}]->(:Service {id: $service})",
        id="sup-1",
        name="Acme Cloud",
        country="US",
        share=0.42,
        tags=["cloud", "iaas"],
        since=2019,
        service="svc-mail",
    ).summary
    assert summary.counters.nodes_created == 2
    assert summary.counters.relationships_created == 1

    records, _, _ = neo4j_driver.execute_query(
        "MATCH (s:Supplier {id: $id})-[r:SUPPLIES]->(svc:Service) "
        "RETURN s.name AS name, s.country AS country, s.share AS share, s.tags AS tags, "
        "r.since AS since, svc.id AS service",
        id="sup-1",
        routing_=neo4j.RoutingControl.READ,
    )
    assert [r.data() for r in records] == [
        {
            "name": "Acme Cloud",
            "country": "US",
            "share": 0.42,
            "tags": ["cloud", "iaas"],
            "since": 2019,
            "service": "svc-mail",
        }
    ]


@pytest.mark.parametrize("value", TRICKY_VALUES)
def test_injection_like_values_are_stored_verbatim(neo4j_driver, value):
    neo4j_driver.execute_query("CREATE (:Canary {id: 'keep-me'})")
    neo4j_driver.execute_query("CREATE (n:Thing {name: $name})", name=value)

    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Thing) WHERE n.name = $name RETURN n.name AS name", name=value
    )
    assert [r["name"] for r in records] == [value]
    # Nothing was deleted or altered by the payload.
    assert _count(neo4j_driver, "MATCH (c:Canary {id: 'keep-me'}) RETURN count(c) AS c") == 1
    assert _count(neo4j_driver) == 2


def test_unique_constraint_if_not_exists_is_idempotent(neo4j_driver):
    ddl = "CREATE CONSTRAINT supplier_id_unique IF NOT EXISTS FOR (s:Supplier) REQUIRE s.id IS UNIQUE"
    neo4j_driver.execute_query(ddl)
    neo4j_driver.execute_query(ddl)  # second time: no error, no duplicate

    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "WHERE name = 'supplier_id_unique' RETURN type, labelsOrTypes, properties"
    )
    assert [r.data() for r in records] == [
        {"type": "UNIQUENESS", "labelsOrTypes": ["Supplier"], "properties": ["id"]}
    ]

    neo4j_driver.execute_query("CREATE (:Supplier {id: $id})", id="dup")
    with pytest.raises(neo4j.exceptions.ConstraintError):
        neo4j_driver.execute_query("CREATE (:Supplier {id: $id})", id="dup")
    assert _count(neo4j_driver, "MATCH (s:Supplier) RETURN count(s) AS c") == 1


def test_clean_database_removes_data_constraints_and_indexes(neo4j_driver):
    neo4j_driver.execute_query(
        "CREATE CONSTRAINT c_unique IF NOT EXISTS FOR (n:C) REQUIRE n.id IS UNIQUE"
    )
    neo4j_driver.execute_query("CREATE INDEX c_name IF NOT EXISTS FOR (n:C) ON (n.name)")
    neo4j_driver.execute_query(
        "UNWIND range(1, $n) AS i CREATE (a:C {id: i, name: 'c' + i})-[:R]->(:D {i: i})",
        n=2500,
    )
    assert _count(neo4j_driver) == 5000

    clean_database(neo4j_driver, batch_size=1000)  # several batches

    assert _count(neo4j_driver) == 0
    assert _count(neo4j_driver, "MATCH ()-[r]->() RETURN count(r) AS c") == 0
    assert _count(neo4j_driver, "SHOW CONSTRAINTS YIELD name RETURN count(*) AS c") == 0
    assert (
        _count(
            neo4j_driver,
            "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN count(*) AS c",
        )
        == 0
    )


def test_fixture_is_one_shared_server(neo4j_server, request):  # noqa: F811
    assert neo4j_server.running
    assert request.getfixturevalue("neo4j_server") is neo4j_server
    assert neo4j_server.rss_bytes() is not None


def test_server_stops_when_its_stdin_closes_and_stop_cleans_up():
    """Orphan protection: a parent that dies closes the pipe; the JVM must exit."""
    server = Neo4jServer(heap="512m", pagecache="64m")
    server.start()
    try:
        data_dir = server.data_dir
        assert data_dir is not None and data_dir.is_dir()
        proc = server._proc
        assert proc is not None and proc.poll() is None
        proc.stdin.close()  # what the kernel does when the parent process dies
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() == 0, server.output_tail()
    finally:
        server.stop()
    assert not server.running
    assert not data_dir.exists()
    assert "SOVMAP-NEO4J stopped" in server.output_tail()


def test_start_failure_raises_with_server_output():
    server = Neo4jServer(pagecache="not-a-size", startup_timeout=60)
    with pytest.raises(RuntimeError) as excinfo:
        server.start()
    message = str(excinfo.value)
    assert "failed to start" in message
    assert "SOVMAP-NEO4J FAILED" in message
    assert "bad size 'not-a-size'" in message
    assert not server.running


def test_settings_reach_the_server_and_the_launcher_keeps_its_own(monkeypatch):
    """Benchmarks state and change server settings (bench_neo4j.py --setting); the launcher's Bolt port still wins."""
    monkeypatch.setenv("SOVMAP_NEO4J_SETTINGS", "db.tx_log.rotation.size=300m")
    with Neo4jServer(heap="512m", pagecache="64m", settings={"db.checkpoint.interval.volume": "3g",
                                                              "server.bolt.listen_address": "127.0.0.1:1"}) as server:
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.listConfig() YIELD name, value WHERE name IN $names RETURN name, value",
                names=["db.tx_log.rotation.size", "db.checkpoint.interval.volume"])
    assert {r["name"]: r["value"] for r in records} == {"db.tx_log.rotation.size": "300.00MiB",
                                                        "db.checkpoint.interval.volume": "3.00GiB"}


def test_a_setting_without_a_value_is_refused():
    with pytest.raises(ValueError, match="'db.tx_log.rotation.size' is not name=value"):
        parse_settings("db.checkpoint.interval.volume=3g, db.tx_log.rotation.size")
