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

from sovmap.ingest.validate import Inventory
from sovmap.ontology.countries import country

__all__ = ["build_graph", "country_node", "graph_signature", "kind_counts", "nodes_of_kind"]


def country_node(code: str) -> str:
    """The node id of a country."""
    return f"country:{code}"


def build_graph(inv: Inventory) -> nx.MultiDiGraph:
    """Return the typed graph of a validated inventory."""
    g = nx.MultiDiGraph(files=list(inv.files))
    for n in inv.nodes.values():
        g.add_node(n.id, kind=n.kind, name=n.name, **n.attrs)
    for e in inv.edges:
        if e.target.startswith("country:") and e.target not in g:
            code = e.target.split(":", 1)[1]
            g.add_node(e.target, kind="country", name=country(code).name, code=code)
        attrs = {"group": e.group, "min_required": e.min_required} if e.group else {}
        g.add_edge(e.source, e.target, key=e.relation, **attrs)
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
