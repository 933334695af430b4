"""The typed dependency graph: one networkx MultiDiGraph built from a validated inventory.

Nodes carry ``kind`` and ``name`` plus their attributes; edges are keyed by
relation id. One edge holds every meaning the inventory gives the pair: a
plain edge (no attributes) is a required dependency; an edge that is a member
of groups of alternatives carries ``groups``, a sorted tuple of
``(group, min_required)``, and ``required`` (True when a row also lists it as
required). :func:`edge_meaning` reads both. Countries are nodes ``country:CC``.

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

A dependency listed as required and again in a group keeps both meanings:

>>> inv, _ = load_files([("systems.csv", b"id,name\\nA,Mail\\nB,Webmail\\n"),
...                      ("processes.csv", b"id,name\\nP,Post\\n"),
...                      ("dependencies.csv", b"from_id,to_id,alternative_group\\nP,A,\\nP,A,alt\\nP,B,alt\\n")])
>>> g = build_graph(inv)
>>> g.edges["P", "A", "uses"], edge_meaning(g.edges["P", "B", "uses"])
({'required': True, 'groups': (('alt', 1),)}, (False, (('alt', 1),)))
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from sovmap.ingest.read import gc_paused
from sovmap.ingest.validate import Inventory
from sovmap.ontology.countries import country

__all__ = ["add_meaning", "build_graph", "country_node", "edge_meaning", "edge_rows", "graph_signature", "kind_counts",
           "nodes_of_kind"]


def country_node(code: str) -> str:
    """The node id of a country."""
    return f"country:{code}"


def edge_meaning(d: dict) -> tuple[bool, tuple[tuple[str, int], ...]]:
    """(required, groups) of an edge's attributes: an edge in no group is required.

    >>> edge_meaning({}), edge_meaning({"groups": (("alt", 1),)})
    ((True, ()), (False, (('alt', 1),)))
    """
    groups = d.get("groups") or ()
    return (not groups or bool(d.get("required"))), groups


def edge_rows(d: dict) -> list[tuple[str | None, int | None]]:
    """The meanings of an edge as dependencies rows give them: (group, min_required), (None, None) for required.

    >>> edge_rows({"required": True, "groups": (("a", 1), ("b", 2))})
    [(None, None), ('a', 1), ('b', 2)]
    """
    required, groups = edge_meaning(d)
    return ([(None, None)] if required else []) + list(groups)


def add_meaning(d: dict, group: str | None = None, min_required: int | None = None) -> None:
    """Add one row's meaning (required, or a member of ``group``) to an edge's attribute dict in place.

    >>> d = {}
    >>> add_meaning(d, "alt", 1); d
    {'required': True, 'groups': (('alt', 1),)}
    >>> e = {"required": False, "groups": (("alt", 1),)}
    >>> add_meaning(e); e["required"]
    True
    """
    groups = d.get("groups") or ()
    if not group:
        if groups:
            d["required"] = True
        return
    if not groups:  # until now a plain, required edge
        d["required"] = True
    merged = dict(groups)
    merged[group] = int(min_required or 1)
    d["groups"] = tuple(sorted(merged.items()))


@gc_paused(long_lived=True)  # the graph is kept: no young collection walks it when the collector resumes
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
        i = n.id
        if i in succ:
            node[i].update(dict(kind=n.kind, name=n.name, **n.attrs))
        else:
            succ[i] = {}
            pred[i] = {}
            node[i] = {"kind": n.kind, "name": n.name, **n.attrs}
    for e in inv.edges:
        u, v = e.source, e.target
        try:
            out, into = succ[u], pred[v]
        except KeyError:  # a country, or an end no record names: made in add_edge's order
            if v not in succ and v.startswith("country:"):
                code = v.split(":", 1)[1]
                new_node(v, {"kind": "country", "name": country(code).name, "code": code})
            if u not in succ:
                new_node(u, {})
            if v not in succ:
                new_node(v, {})
            out, into = succ[u], pred[v]
        keydict = out.get(v)
        if keydict is None:  # the first edge of the pair: most edges
            data = {"required": False, "groups": ((e.group, e.min_required or 1),)} if e.group else {}
            out[v] = into[u] = {e.relation: data}
        else:
            data = keydict.get(e.relation)
            if data is None:
                data = keydict[e.relation] = ({"required": False, "groups": ((e.group, e.min_required or 1),)}
                                              if e.group else {})
            else:
                add_meaning(data, e.group, e.min_required)
        if e.share is not None:  # a co-owner's share (co_owned_by)
            data["share"] = e.share
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

    def meaning(d: dict) -> frozenset:  # an edge's meaning however it is spelt ({} and required=True are one)
        required, groups = edge_meaning(d)
        return freeze({k: v for k, v in d.items() if k not in ("required", "groups")}) | {("meaning", required, groups)}

    nodes = frozenset((n, freeze(d)) for n, d in g.nodes(data=True))
    edges = frozenset((u, v, k, meaning(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return nodes, edges
