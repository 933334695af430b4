"""The typed dependency graph: one networkx MultiDiGraph built from a validated inventory.

Nodes carry ``kind`` and ``name`` plus their attributes; edges are keyed by
relation id and carry ``group`` and ``min_required`` when they are one of a
group of alternatives. Countries are nodes ``country:CC``.

Examples
--------
>>> from sovmap.ingest.validate import load_files
>>> inv, _ = load_files([("suppliers.csv", b"id,name,country\\nS-1,Kynthos,US\\n"),
...                      ("systems.csv", b"id,name,supplier_id\\nSYS-1,Mail,S-1\\n")])
>>> g = build_graph(inv)
>>> sorted(g.nodes)
['S-1', 'SYS-1', 'country:US']
>>> sorted(g.edges(keys=True))
[('S-1', 'country:US', 'registered_in'), ('SYS-1', 'S-1', 'provided_by')]
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from sovmap.ingest.read import gc_paused
from sovmap.ingest.validate import Inventory
from sovmap.ontology.countries import country

__all__ = ["build_graph", "country_node", "graph_signature", "kind_counts", "nodes_of_kind"]


def country_node(code: str) -> str:
    """The node id of a country."""
    return f"country:{code}"


@gc_paused()
def build_graph(inv: Inventory) -> nx.MultiDiGraph:
    """Return the typed graph of a validated inventory.

    The result is what ``add_node``/``add_edge`` would build, in the same
    order; the adjacency dicts are filled directly because a national
    inventory has two million edges and the per-call overhead of
    ``add_edge`` dominated the load.
    """
    g = nx.MultiDiGraph(files=list(inv.files))
    node, succ, pred = g._node, g._succ, g._pred

    def new_node(n: str, attrs: dict) -> None:
        succ[n] = {}
        pred[n] = {}
        node[n] = attrs

    for n in inv.nodes.values():
        attrs = dict(kind=n.kind, name=n.name, **n.attrs)
        if n.id in succ:
            node[n.id].update(attrs)
        else:
            new_node(n.id, attrs)
    for e in inv.edges:
        u, v = e.source, e.target
        if v not in succ and v.startswith("country:"):
            code = v.split(":", 1)[1]
            new_node(v, {"kind": "country", "name": country(code).name, "code": code})
        if u not in succ:
            new_node(u, {})
        if v not in succ:
            new_node(v, {})
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = {}
            pred[v][u] = keydict
        data = keydict.get(e.relation)
        attrs = {"group": e.group, "min_required": e.min_required} if e.group else {}
        if getattr(e, "share", None) is not None:  # a co-owner's share (co_owned_by)
            attrs["share"] = e.share
        if data is None:
            keydict[e.relation] = attrs
        else:
            data.update(attrs)
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches on the graph
    if clear is not None:
        clear(g)
    return g


def nodes_of_kind(g: nx.MultiDiGraph, kind: str) -> list[str]:
    """Ids of the nodes of one kind, sorted."""
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def kind_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes per kind."""
    return dict(Counter(k for _, k in g.nodes(data="kind")))


def graph_signature(g: nx.MultiDiGraph) -> tuple[frozenset, frozenset]:
    """Nodes and edges with all their attributes, for comparing two graphs for equality."""
    def freeze(d: dict) -> frozenset:
        return frozenset((k, v) for k, v in d.items() if v is not None)

    nodes = frozenset((n, freeze(d)) for n, d in g.nodes(data=True))
    edges = frozenset((u, v, k, freeze(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return nodes, edges
