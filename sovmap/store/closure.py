"""Closure fetch: the part of a pushed graph that a cut can reach, enough to answer "what breaks if…" exactly.

A cut fails only nodes that depend on it, directly or further on, through
relations that carry failure (``propagatesFailure`` in the ontology). So the
answer of :func:`sovmap.graph.impact.impact` needs, besides the cut:

- the *upstream closure*: every node with a chain of failure-carrying
  relations to a cut node, with the properties the report reads;
- the failure-carrying relations among those nodes, and every k-of-N
  membership out of them with the member's id, kind and name (a group counts
  its members that lie outside the closure: they keep working, but they
  count). A required relation to a node outside the closure is not needed:
  that node never fails;
- the *parties*: every supplier with its ownership relations (``owned_by``,
  ``co_owned_by``), which decide subsidiaries, a country's legal reach and the
  owner named in a why-text; and every location, so that ids can be resolved.

:func:`cut_graph` fetches exactly that with parameterised Cypher (labels and
relationship types come from the vocabulary; values travel as parameters) and
returns an in-memory graph on which :func:`sovmap.graph.impact.impact` gives
the same answer as on the whole graph (a subgraph for that question only: the
closure's systems, processes and data sets carry only :data:`REPORTED`).
Nodes and relationships are inserted in id order (:func:`ordered`): among
equally short why-chains the propagation picks by insertion order, so the
closure picks the same chain as the whole graph in that order.
"""

from __future__ import annotations

from typing import Callable

import networkx as nx

from sovmap.graph.model import build_graph
from sovmap.graph.scenarios import Scenario, scenario_cut
from sovmap.ingest.read import gc_paused
from sovmap.ingest.validate import EdgeRecord, Inventory, NodeRecord
from sovmap.ontology.vocab import vocabulary

from .cypher import NODE_LABEL, SOURCE, TAG, UID, label_of, type_of
from .neo4j import _columns, _consistent, _kw, _uid

__all__ = ["OWNERSHIP", "REPORTED", "WHOLE", "closure_query", "cut_graph", "ordered", "parties_queries"]

OWNERSHIP = ("owned_by", "co_owned_by")


def _types(relations) -> str:
    return "|".join(type_of(r) for r in sorted(relations))


def _failure_types() -> str:
    return _types(vocabulary().propagating())


_OUT = "[b.id, type(r), r.group, r.min_required, r.share, b.kind, b.name]"  # a relationship and its other end
PAGE = 20_000  # closure nodes per record (with their relationships as columns in the same record)


# What the impact report reads of the nodes a cut fails (besides id, kind and name): only these travel for
# systems, processes and data sets; suppliers and locations come with all their properties (ownership, country).
REPORTED = ("criticality", "classification", "personal_data", "country")
WHOLE = ("supplier", "location")


def closure_query() -> str:
    """Cypher for the upstream closure of the cut uids ($cut): one record per ``$page`` nodes, in columns.

    Every node that depends on the cut nodes, and they: each page holds their
    ids, kinds, names and the properties the report reads (:data:`REPORTED`;
    all properties for the kinds in :data:`WHOLE`), and the failure-carrying
    relations the propagation needs, as rows of (start id, type, end id,
    group, min_required, share):

    - ``inside``: every one *into* a page node. Its start node depends on the
      cut too, so both ends lie in the closure; a required relation to a node
      outside the closure never fails anything and is left out;
    - ``grouped``: every one *out of* a page node that makes it a member of a
      k-of-N group, with the other end's kind and name (members outside the
      closure keep working, and they count).

    Few large records of plain lists instead of a record and a property map
    per node: the Bolt driver spends its time per record and per map entry.

    The traversal is one breadth-first search in the server (a pruning
    var-length expand). From several cut nodes it may yield a node more than
    once and Neo4j 5.26 then drops a plain ``DISTINCT n``; ``DISTINCT n, 1``
    keeps the Distinct (and the reader skips repeats anyway).

    >>> print(closure_query().splitlines()[1])
    MATCH (n:SovmapNode)-[:DEPENDS_ON|HOSTED_AT|OPERATED_BY|PROVIDED_BY|RELIES_ON|STORED_IN|USES*0..]->(c)
    """
    whole = " OR ".join(f"n:{label_of(k)}" for k in WHOLE)
    columns = ", ".join(f"[n IN p | n.{c}]" for c in ("id", "kind", "name", *REPORTED))
    types = _failure_types()
    return (
        f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $cut\n"
        f"MATCH (n:{NODE_LABEL})-[:{types}*0..]->(c)\n"
        "WITH DISTINCT n, 1 AS one\n"
        "WITH collect(n) AS nodes\n"
        "UNWIND range(0, size(nodes) - 1, $page) AS i\n"
        "CALL (nodes, i) {\n"
        "  UNWIND nodes[i..i + $page] AS b\n"
        f"  MATCH (a:{NODE_LABEL})-[r:{types}]->(b)\n"
        "  RETURN collect([a.id, type(r), b.id, r.group, r.min_required, r.share]) AS inside\n"
        "}\n"
        "CALL (nodes, i) {\n"
        "  UNWIND nodes[i..i + $page] AS a\n"
        f"  MATCH (a)-[r:{types}]->(b:{NODE_LABEL}) WHERE r.group IS NOT NULL\n"
        "  RETURN collect([a.id, type(r), b.id, r.group, r.min_required, r.share, b.kind, b.name]) AS grouped\n"
        "}\n"
        "WITH nodes[i..i + $page] AS p, inside, grouped\n"
        f"RETURN [{columns}] AS nodes, [n IN p WHERE {whole} | properties(n)] AS whole, inside, grouped"
    )


def parties_queries() -> dict[str, str]:
    """Cypher for the parties: suppliers with their ownership, locations, and the systems named ($systems, lower case).

    ``named``: only the suppliers named ($suppliers, lower case), everything
    they own, and the owners of all these up their chains, each with its
    ownership; ``named_locations``: only the locations named ($locations).
    Enough for a scenario without countries whose names are all ids.
    """
    where = f"{{{SOURCE}: $source, {TAG}: $tag}}"
    own = _types(OWNERSHIP)
    return {
        "named": (f"MATCH (s:{NODE_LABEL}:{label_of('supplier')} {where}) WHERE toLower(s.id) IN $suppliers\n"
                  f"MATCH (sub:{NODE_LABEL})-[:{type_of('owned_by')}*0..]->(s)\n"
                  f"MATCH (sub)-[:{own}*0..]->(m:{NODE_LABEL})\n"
                  f"WITH DISTINCT m\n"
                  f"RETURN properties(m) AS node, [(m)-[r:{own}]->(b:{NODE_LABEL}) | "
                  f"{_OUT}] AS out"),
        "named_locations": (f"MATCH (n:{NODE_LABEL}:{label_of('location')} {where}) WHERE toLower(n.id) IN $locations\n"
                            "RETURN properties(n) AS node, [] AS out"),
        "suppliers": (f"MATCH (n:{NODE_LABEL}:{label_of('supplier')} {where})\n"
                      f"RETURN properties(n) AS node, [(n)-[r:{_types(OWNERSHIP)}]->(b:{NODE_LABEL}) | "
                      f"{_OUT}] AS out"),
        "locations": f"MATCH (n:{NODE_LABEL}:{label_of('location')} {where}) RETURN properties(n) AS node, [] AS out",
        "systems": (f"MATCH (n:{NODE_LABEL}:{label_of('system')} {where}) WHERE toLower(n.id) IN $systems\n"
                    "RETURN properties(n) AS node, [] AS out"),
    }


def ordered(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` with nodes, and each node's relationships, inserted in id order.

    The propagation breaks ties between equally short why-chains by insertion
    order; in this order a subgraph and the whole graph break them alike.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("b", "a", key="uses"); _ = g.add_edge("a", "c", key="uses")
    >>> list(ordered(g).nodes), list(ordered(g).edges(keys=True))
    (['a', 'b', 'c'], [('a', 'c', 'uses'), ('b', 'a', 'uses')])
    """
    h = nx.MultiDiGraph()
    h.graph.update(g.graph)
    h.add_nodes_from(sorted(g.nodes(data=True), key=lambda x: x[0]))
    h.add_edges_from(sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])))
    return h


class _Rows:
    """Nodes and relationship rows gathered from several queries, each node and row once."""

    def __init__(self):
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: set[tuple] = set()
        self.ends: dict[str, tuple] = {}  # the other ends of relationships: (kind, name) by id

    def _whole(self, props: dict) -> str:
        props = _columns(props)
        node = props.pop("id")
        self.nodes[node] = NodeRecord(node, props.pop("kind"), props.pop("name", None), props)
        return node

    def add(self, records) -> None:
        """Records of one node each: ``node`` (its property map) and ``out`` (rows as in ``_OUT``)."""
        for r in records:
            node = self._whole(r["node"])
            for target, rel_type, group, k, share, kind, name in r["out"]:
                self.edges.add((node, rel_type, target, group, k, share))
                self.ends[target] = (kind, name)

    def add_pages(self, records) -> None:
        """Records of :func:`closure_query`; a node already read (by :meth:`add`) keeps its properties."""
        nodes, edges, ends = self.nodes, self.edges, self.ends
        for (ids, kinds, names, *reported), whole, inside, grouped in records:
            for p in whole:
                if p["id"] not in nodes:
                    self._whole(p)
            for n, kind, name, *values in zip(ids, kinds, names, *reported):
                if n not in nodes:
                    nodes[n] = NodeRecord(n, kind, name, {c: v for c, v in zip(REPORTED, values) if v is not None})
            edges.update(map(tuple, inside))
            for a, t, b, group, k, share, kind, name in grouped:
                edges.add((a, t, b, group, k, share))
                ends[b] = (kind, name)

    def graph(self) -> nx.MultiDiGraph:
        rel_of = {r.neo4j_type: r.id for r in vocabulary().relations}
        found = {n: NodeRecord(n, kind, name, {}) for n, (kind, name) in self.ends.items() if n not in self.nodes}
        found.update(self.nodes)
        records = {n: found[n] for n in sorted(found)}  # in the order of :func:`ordered`: no copy needed
        rows = sorted(((a, rel_of[t], b, group, k, share) for a, t, b, group, k, share in self.edges),
                      key=lambda e: (e[0], e[2], e[1], e[3] or "", e[4] or 0))
        edges = [EdgeRecord(a, r, b, group, k, "", 0, share) for a, r, b, group, k, share in rows]
        countries = {n: r for n, r in records.items() if r.kind == "country"}
        for n in countries:  # countries are nodes of their own in Neo4j; build_graph adds them from the edges
            del records[n]
        g = build_graph(Inventory(nodes=records, edges=edges, files=[]))
        for n, r in countries.items():
            g.add_node(n, kind=r.kind, name=r.name, **r.attrs)
        del g.graph["files"]
        return g


def cut_graph(driver, source: str, scenario: Scenario, policy=None, database: str | None = None,
              resolve: Callable[[nx.MultiDiGraph, Scenario], Scenario] | None = None, page: int = PAGE
              ) -> tuple[nx.MultiDiGraph, Scenario]:
    """The part of ``source``'s current graph that answers ``scenario`` exactly, and the scenario as resolved.

    ``resolve(parties, scenario)``: turns what the user typed into ids (it sees
    every supplier and location, and the systems the scenario names; or, when
    the scenario names no country and every supplier and location it names
    is an id in some case, only those, what they own and their owners); a
    :class:`sovmap.graph.errors.SovmapError` it raises, or the scenario cut's
    for an unknown id, passes through. ``policy``: the legal reach of a
    country cut, as for :func:`sovmap.graph.impact.impact`. ``page``: closure
    nodes per record (see :func:`closure_query`).
    """
    kw = _kw(database)
    queries = parties_queries()

    def read(tag: str):
        rows = _Rows()
        params = {"source": source, "tag": tag, **kw}
        named = {s.lower() for s in scenario.suppliers}
        places = {x.lower() for x in scenario.locations}
        if not scenario.countries:  # a country's legal reach is found among all suppliers
            rows.add(driver.execute_query(queries["named"], suppliers=sorted(named), **params)[0])
            rows.add(driver.execute_query(queries["named_locations"], locations=sorted(places), **params)[0])
        found = {n.lower() for n in rows.nodes}
        if scenario.countries or not (named | places) <= found:  # a name, or an unknown id: resolve among all
            for name in ("suppliers", "locations"):
                rows.add(driver.execute_query(queries[name], **params)[0])
        rows.add(driver.execute_query(queries["systems"], systems=[s.lower() for s in scenario.systems], **params)[0])
        parties = rows.graph()
        sc = resolve(parties, scenario) if resolve else scenario
        cut = scenario_cut(parties, Scenario(**vars(sc)), policy)
        with driver.session(fetch_size=2, **({"database": database} if database else {})) as session:
            rows.add_pages(session.run(closure_query(), cut=[_uid(source, tag, c) for c in sorted(cut)], page=page))
        return rows.graph(), sc

    with gc_paused():  # a large closure is some hundred thousand small rows: collections would walk them each time
        return _consistent(driver, source, database, read)[0]
