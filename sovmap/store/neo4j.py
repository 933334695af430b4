"""Neo4j as the shared graph store: push an inventory graph, pull it back, query neighbourhoods.

Each inventory is a *source* (a name such as ``gemeente-zuiderwaard``). A push
writes the whole graph under a new *tag*, then switches the source's current
tag in one transaction, then removes the old tag's nodes. Readers only see
the current tag, so a push that fails half-way leaves the earlier state
readable and complete; its leftovers are removed by the next push.

Every value travels as a query parameter; labels and relationship types come
from the ontology through :mod:`sovmap.store.cypher`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from sovmap.graph.model import build_graph, edge_rows
from sovmap.ingest.validate import EdgeRecord, Inventory, NodeRecord
from sovmap.ontology.vocab import vocabulary

from .cypher import CONSTRAINTS, NODE_LABEL, SOURCE_LABEL, node_merge, reach_query, relationship_merge

__all__ = ["Connection", "PushResult", "connect", "derived_properties", "push", "pull", "sources", "neighbourhood",
           "search", "outward", "reach"]

BATCH = 10_000
# Bookkeeping and derived properties: written for Neo4j Browser users, dropped again on pull.
DERIVED = ("supplier_group", "european", "single_points_of_failure", "non_european_spof")
_META = ("uid", "source", "tag") + DERIVED


@dataclass
class Connection:
    """Where the Neo4j server is: options first, then NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE."""

    uri: str | None = None
    username: str | None = None
    password: str | None = None
    database: str | None = None

    def resolved(self) -> "Connection":
        return Connection(
            uri=self.uri or os.environ.get("NEO4J_URI") or "bolt://127.0.0.1:7687",
            username=self.username or os.environ.get("NEO4J_USERNAME"),
            password=self.password or os.environ.get("NEO4J_PASSWORD"),
            database=self.database or os.environ.get("NEO4J_DATABASE"),
        )


def connect(conn: Connection):
    """Open a driver (the official neo4j driver) and check that the server answers."""
    import neo4j

    c = conn.resolved()
    auth = (c.username, c.password or "") if c.username else None
    driver = neo4j.GraphDatabase.driver(c.uri, auth=auth)
    driver.verify_connectivity()
    return driver


@dataclass
class PushResult:
    source: str
    tag: str
    version: str
    nodes: int
    relationships: int
    removed_tags: int


def _kw(database: str | None) -> dict:
    return {"database_": database} if database else {}


def _uid(source: str, tag: str, node: str) -> str:
    return f"{source}\x1f{tag}\x1f{node}"


def _scalar(value):
    if isinstance(value, list):
        return [str(x) for x in value]
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def derived_properties(g: nx.MultiDiGraph) -> dict[str, dict]:
    """Answers of the in-memory engine stored on nodes so that plain Cypher can ask for them.

    Suppliers get ``supplier_group`` (the ultimate parent) and ``european``;
    vital and high processes get ``single_points_of_failure`` (supplier group ids)
    and ``non_european_spof``.
    """
    from sovmap.graph.concentration import group_info, single_points_of_failure
    from sovmap.graph.ownership import supplier_groups

    out: dict[str, dict] = defaultdict(dict)
    for root, members in supplier_groups(g).items():
        european = group_info(g, root, members)["european"]
        for m in members:
            out[m].update(supplier_group=root, european=european)
    for p in single_points_of_failure(g):
        spofs = p["single_points_of_failure"]
        out[p["id"]].update(single_points_of_failure=[s["supplier_group"] for s in spofs],
                            non_european_spof=any(not s["european"] for s in spofs))
    return out


def push(driver, g: nx.MultiDiGraph, source: str, version: str = "", database: str | None = None,
         batch_size: int = BATCH, derived: bool = True) -> PushResult:
    """Write ``g`` as the new current state of ``source``; see the module docstring for the steps.

    With ``derived`` the engine's ownership groups and single points of failure
    are stored on the nodes too (see :func:`derived_properties`).
    """
    kw = _kw(database)
    extra = derived_properties(g) if derived else {}
    for stmt in CONSTRAINTS:
        driver.execute_query(stmt, **kw)
    tag = uuid.uuid4().hex
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        props = {k: _scalar(v) for k, v in d.items() if v is not None}
        props.update(extra.get(n, {}))
        props.update(id=n, uid=_uid(source, tag, n), source=source, tag=tag)
        by_kind[d["kind"]].append(props)
    by_rel: dict[str, list[dict]] = defaultdict(list)
    for u, v, rel, d in g.edges(keys=True, data=True):
        props = {k: _scalar(x) for k, x in d.items() if x is not None and k not in ("required", "groups")}
        props.update(source=source, tag=tag)
        # One relationship per meaning, as the dependencies file has one row per meaning: the required one
        # and one per group of alternatives (with group and min_required); pull merges them again.
        for group, k in edge_rows(d):
            row = {**props, "group": group, "min_required": k} if group else props
            by_rel[rel].append({"a": _uid(source, tag, u), "b": _uid(source, tag, v), "props": row})
    relationships = sum(len(rows) for rows in by_rel.values())
    for kind, rows in by_kind.items():
        query = node_merge(kind)
        for i in range(0, len(rows), batch_size):
            driver.execute_query(query, rows=rows[i:i + batch_size], **kw)
    for rel, rows in by_rel.items():
        query = relationship_merge(rel)
        for i in range(0, len(rows), batch_size):
            driver.execute_query(query, rows=rows[i:i + batch_size], **kw)
    # Switch atomically: from here on readers see the new tag.
    pushed_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    driver.execute_query(
        f"MERGE (s:{SOURCE_LABEL} {{name: $source}}) "
        "SET s.current_tag = $tag, s.version = $version, s.pushed_at = $at, s.nodes = $n, s.relationships = $r",
        source=source, tag=tag, version=version, at=pushed_at, n=g.number_of_nodes(), r=relationships, **kw)
    removed = _remove_stale(driver, source, tag, database, batch_size)
    return PushResult(source, tag, version, g.number_of_nodes(), relationships, removed)


def _remove_stale(driver, source: str, keep_tag: str, database: str | None, batch_size: int) -> int:
    """Delete the nodes (and their relationships) of every other tag of ``source``; return how many tags."""
    kw = _kw(database)
    records, _, _ = driver.execute_query(
        f"MATCH (n:{NODE_LABEL} {{source: $source}}) WHERE n.tag <> $tag RETURN count(DISTINCT n.tag) AS tags",
        source=source, tag=keep_tag, **kw)
    while True:
        recs, _, _ = driver.execute_query(
            f"MATCH (n:{NODE_LABEL} {{source: $source}}) WHERE n.tag <> $tag "
            "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
            source=source, tag=keep_tag, limit=batch_size, **kw)
        if not recs or recs[0]["deleted"] == 0:
            break
    return records[0]["tags"] if records else 0


def sources(driver, database: str | None = None) -> list[dict]:
    """Every pushed source with its version, time and size."""
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL}) RETURN s.name AS name, s.version AS version, s.pushed_at AS pushed_at, "
        "s.nodes AS nodes, s.relationships AS relationships ORDER BY name", **_kw(database))
    return [dict(r) for r in records]


def _current_tag(driver, source: str, database: str | None) -> str:
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) RETURN s.current_tag AS tag", source=source, **_kw(database))
    if not records:
        known = ", ".join(s["name"] for s in sources(driver, database)) or "none"
        raise LookupError(f'No inventory "{source}" in Neo4j. Pushed inventories: {known}.')
    return records[0]["tag"]


def pull(driver, source: str, database: str | None = None) -> nx.MultiDiGraph:
    """Rebuild the in-memory graph of ``source``'s current state."""
    tag = _current_tag(driver, source, database)
    nodes: dict[str, NodeRecord] = {}
    edges: list[EdgeRecord] = []
    rel_of = {r.neo4j_type: r.id for r in vocabulary().relations}
    with driver.session(fetch_size=50_000, **({"database": database} if database else {})) as session:
        result = session.run(f"MATCH (n:{NODE_LABEL} {{source: $source, tag: $tag}}) RETURN properties(n) AS p",
                             source=source, tag=tag)
        for (p,) in result:
            node = p.pop("id")
            for k in _META:
                p.pop(k, None)
            nodes[node] = NodeRecord(node, p.pop("kind"), p.pop("name"), p)
        result = session.run(
            f"MATCH (a:{NODE_LABEL} {{source: $source, tag: $tag}})-[r]->(b:{NODE_LABEL}) "
            "RETURN a.id, type(r), b.id, r.group, r.min_required",
            source=source, tag=tag)
        edges = [EdgeRecord(a, rel_of[t], b, group, k) for a, t, b, group, k in result]
    # Countries are nodes of their own in Neo4j; build_graph adds the same nodes from the edges.
    countries = {n: r for n, r in nodes.items() if r.kind == "country"}
    for n in countries:
        del nodes[n]
    g = build_graph(Inventory(nodes=nodes, edges=edges, files=[]))
    for n, r in countries.items():
        g.add_node(n, kind=r.kind, name=r.name, **r.attrs)  # updates the node when build_graph made it
    del g.graph["files"]
    return g


def neighbourhood(driver, source: str, node: str, hops: int = 1, limit: int = 1500,
                  database: str | None = None) -> tuple[list[dict], list[dict], bool]:
    """Nodes and relationships within ``hops`` (1–3) of ``node``, at most ``limit`` nodes.

    Returns (nodes, edges, truncated); runs in Neo4j so a national graph need not be in memory.
    """
    hops = max(1, min(int(hops), 3))
    tag = _current_tag(driver, source, database)
    queries = {h: (f"MATCH (c:{NODE_LABEL} {{uid: $uid}}) "
                   f"OPTIONAL MATCH (c)-[*1..{h}]-(m:{NODE_LABEL}) "
                   "WITH c, collect(DISTINCT m) AS ms "
                   "WITH [c] + [x IN ms WHERE x <> c] AS found "
                   "RETURN [x IN found[0..$limit] | properties(x)] AS nodes, size(found) > $limit AS truncated")
               for h in (1, 2, 3)}
    records, _, _ = driver.execute_query(queries[hops], uid=_uid(source, tag, node), limit=limit, **_kw(database))
    if not records or not records[0]["nodes"]:
        raise LookupError(f'"{node}" is not in inventory "{source}".')
    nodes = records[0]["nodes"]
    uids = [n["uid"] for n in nodes]
    edges, _, _ = driver.execute_query(
        f"MATCH (a:{NODE_LABEL})-[r]->(b:{NODE_LABEL}) WHERE a.uid IN $uids AND b.uid IN $uids "
        "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props",
        uids=uids, **_kw(database))
    clean = [{k: v for k, v in n.items() if k not in _META} for n in nodes]
    return clean, [dict(e) for e in edges], bool(records[0]["truncated"])


def search(driver, source: str, text: str, limit: int = 50, database: str | None = None) -> list[dict]:
    """Nodes whose id or name contains every word of ``text`` (ignoring case): rows of id, name, kind and code.

    Best matches first: an exact id, then names that start with the text, then shorter names. Empty text
    finds nothing.
    """
    words = text.split()
    if not words:
        return []
    tag = _current_tag(driver, source, database)
    records, _, _ = driver.execute_query(
        f"MATCH (n:{NODE_LABEL} {{source: $source, tag: $tag}}) "
        "WITH n, toLower(n.id) AS id, toLower(coalesce(n.name, '')) AS name, toLower($text) AS text "
        "WHERE all(w IN $words WHERE id CONTAINS toLower(w) OR name CONTAINS toLower(w)) "
        "RETURN n.id AS id, n.name AS name, n.kind AS kind, n.code AS code "
        "ORDER BY id = text DESC, name STARTS WITH text DESC, size(name), name, n.id LIMIT $limit",
        source=source, tag=tag, text=" ".join(words), words=words, limit=int(limit), **_kw(database))
    return [dict(r) for r in records]


def outward(driver, source: str, nodes: list[str], database: str | None = None) -> tuple[list[dict], list[dict]]:
    """The given nodes and everything they point to, directly or further on, with those nodes' outgoing relationships.

    What they use and run on, their suppliers, operators and locations up to the ultimate owners: what
    judging who controls a node needs. Returns (nodes, edges) shaped as :func:`neighbourhood` returns them.
    """
    tag = _current_tag(driver, source, database)
    # Grouped with count(*): Neo4j 5.26 drops a DISTINCT after a pruning var-length expand from several nodes.
    records, _, _ = driver.execute_query(
        f"MATCH (c:{NODE_LABEL}) WHERE c.uid IN $uids "
        f"MATCH (c)-[*0..]->(m:{NODE_LABEL}) WITH m, count(*) AS paths "
        f"RETURN properties(m) AS node, [(m)-[r]->(b:{NODE_LABEL}) | "
        "{source: m.id, target: b.id, type: type(r), props: properties(r)}] AS out",
        uids=[_uid(source, tag, n) for n in nodes], **_kw(database))
    found = {r["node"]["id"]: r for r in records}
    clean = [{k: v for k, v in r["node"].items() if k not in _META} for r in found.values()]
    return clean, [e for r in found.values() for e in r["out"]]


def reach(driver, source: str, cut: list[str], database: str | None = None) -> set[str]:
    """Ids of everything that depends on ``cut`` (Cypher reachability, no redundancy)."""
    tag = _current_tag(driver, source, database)
    records, _, _ = driver.execute_query(reach_query(), cut=[_uid(source, tag, c) for c in cut], **_kw(database))
    return {r["id"] for r in records} - set(cut)
