"""The Neo4j pages' local graphs: rows fetched with Cypher turned into a small networkx graph, never the whole inventory.

:func:`local_graph` builds a graph from (nodes, edges) rows as the store returns
them (:mod:`sovmap.store.chains` fetches what a chain view needs), shaped as
:func:`sovmap.store.neo4j.pull` shapes them, so graph/ reads them the same way.
:func:`lookup` finds one node's search row; :func:`parties` fetches what the pages that read stored
answers name: every supplier with its owners, location and country, and the nodes asked for. No Streamlit here:
:mod:`sovmap.dashboard.data` caches the results.

Examples
--------
>>> g = local_graph([([{"id": "SYS", "kind": "system", "name": "Zaken"}, {"id": "S", "kind": "supplier"}],
...                   [{"source": "SYS", "target": "S", "type": "PROVIDED_BY", "props": {"tag": "x"}}])])
>>> sorted(g.edges(keys=True)), g.nodes["SYS"]
([('SYS', 'S', 'provided_by')], {'kind': 'system', 'name': 'Zaken'})
>>> option_labels([{"id": "S-KYN", "name": "Kynthos", "kind": "supplier"}], "en")
{'S-KYN': 'Kynthos (S-KYN) · Supplier'}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from sovmap.graph.model import add_meaning
from sovmap.ontology.vocab import vocabulary
from sovmap.store import neo4j as store
from sovmap.store.cypher import NODE_LABEL, SOURCE, TAG, UID, label_of, type_of

from .i18n import country_label, kind_label

__all__ = ["local_graph", "lookup", "option_labels", "parties", "parties_queries"]

OWNERSHIP = ("owned_by", "co_owned_by")


def local_graph(parts: Iterable[tuple[Sequence[dict], Sequence[dict]]]) -> nx.MultiDiGraph:
    """One graph from (nodes, edges) rows as :func:`sovmap.store.neo4j.neighbourhood` returns them.

    Nodes and edges are shaped as :func:`sovmap.store.neo4j.pull` shapes them, so the graph/ and
    dashboard functions read them the same way.
    """
    return _add(nx.MultiDiGraph(), parts)


def _add(g: nx.MultiDiGraph, parts: Iterable[tuple[Sequence[dict], Sequence[dict]]]) -> nx.MultiDiGraph:
    rel_of = {r.neo4j_type: r.id for r in vocabulary().relations}
    edges: list[dict] = []
    for nodes, part_edges in parts:
        for n in nodes:
            props = dict(n)
            g.add_node(props.pop("id"), **props)
        edges.extend(part_edges)
    for e in edges:
        if e["source"] in g and e["target"] in g:
            props = e.get("props") or {}
            u, v, rel = e["source"], e["target"], rel_of[e["type"]]
            # One relationship per meaning (required, or a member of a group): merged into one edge as pull does.
            if g.has_edge(u, v, rel):
                add_meaning(g.edges[u, v, rel], props.get("group"), props.get("min_required"))
            elif props.get("group"):
                g.add_edge(u, v, key=rel, required=False, groups=((props["group"], props.get("min_required") or 1),))
            elif props.get("share") is not None:  # a co-owner's share decides whether it counts
                g.add_edge(u, v, key=rel, share=props["share"])
            else:
                g.add_edge(u, v, key=rel)
    return g


def parties_queries() -> dict[str, str]:
    """Cypher for :func:`parties`: the nodes of each party kind with their ownership, and the nodes asked for.

    >>> print(parties_queries()["supplier"].splitlines()[0])
    MATCH (n:SovmapNode:Supplier {_sov_source: $source, _sov_tag: $tag})
    """
    own = "|".join(type_of(r) for r in OWNERSHIP)
    out = (f"RETURN properties(n) AS node, [(n)-[r:{own}]->(b:{NODE_LABEL}) | "
           "{source: n.id, target: b.id, type: type(r), props: properties(r)}] AS out")
    queries = {kind: f"MATCH (n:{NODE_LABEL}:{label_of(kind)} {{{SOURCE}: $source, {TAG}: $tag}})\n{out}"
               for kind in ("supplier", "location", "country")}
    queries["named"] = f"MATCH (n:{NODE_LABEL}) WHERE n.{UID} IN $uids\nRETURN properties(n) AS node, [] AS out"
    return queries


def parties(driver, source: str, ids=(), database: str | None = None) -> nx.MultiDiGraph:
    """Every supplier (with its ownership relations), location and country of ``source``, and the nodes ``ids``.

    Enough to name the items, steps and supplier groups of the stored answers, to judge each supplier's
    ownership (:func:`sovmap.graph.ownership.european_verdict`) and to offer the parties a cut can name;
    a few per cent of a national graph.
    """
    queries = parties_queries()

    def read(tag: str):
        params = {"source": source, "tag": tag, **store._kw(database)}
        parts = []
        for kind in ("supplier", "location", "country"):
            records = driver.execute_query(queries[kind], **params)[0]
            parts.append(([store._columns(r["node"]) for r in records],
                          store._edge_rows(e for r in records for e in r["out"])))
        uids = [store._uid(source, tag, n) for n in sorted(ids)]
        records = driver.execute_query(queries["named"], uids=uids, **store._kw(database))[0]
        parts.append(([store._columns(r["node"]) for r in records], []))
        return local_graph(parts)

    return store._consistent(driver, source, database, read)[0]


def lookup(driver, source: str, node: str, database: str | None = None) -> dict | None:
    """The search row (id, name, kind, code) of ``node``; None when it is not in ``source``.

    An index lookup (no search through every name), for a node named by the URL or chosen before.
    """
    nodes, _ = store.outward(driver, source, [node], database)
    row = next((n for n in nodes if n["id"] == node), None)
    return None if row is None else {k: row.get(k) for k in ("id", "name", "kind", "code")}


def option_labels(rows: Iterable[dict], lang: str) -> dict[str, str]:
    """Labels "name (id) · kind" for search results (rows of :func:`sovmap.store.neo4j.search`), as the embedded
    chooser shows them; a country is named in ``lang``."""
    def name(r: dict) -> str:
        if r.get("kind") == "country" and r.get("code"):
            return country_label(r["code"], lang)
        return r.get("name") or r["id"]

    return {r["id"]: f"{name(r)} ({r['id']}) · {kind_label(r['kind'], lang)}" for r in rows}
