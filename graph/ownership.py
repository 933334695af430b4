"""Ownership chains of suppliers: who owns whom, and under whose law each party falls.

A supplier's parent_id is an ``owned_by`` edge. A supplier group is an
ultimate parent with everything it owns, directly or indirectly.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, c in [("S-NORD", "NL"), ("S-HOLD", "IE"), ("S-KYN", "US")]:
...     g.add_node(n, kind="supplier", name=n, country=c)
>>> _ = g.add_edge("S-NORD", "S-HOLD", key="owned_by")
>>> _ = g.add_edge("S-HOLD", "S-KYN", key="owned_by")
>>> ownership_chain(g, "S-NORD")
['S-NORD', 'S-HOLD', 'S-KYN']
>>> chain_countries(g, "S-NORD")
['NL', 'IE', 'US']
>>> is_european(g, "S-NORD")
False
>>> sorted(group_members(g, "S-KYN"))
['S-HOLD', 'S-KYN', 'S-NORD']
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from sovmap.ontology.countries import country

__all__ = [
    "ownership_chain",
    "ultimate_parent",
    "chain_countries",
    "is_european",
    "group_members",
    "supplier_groups",
    "subsidiaries",
]


def _parent(g: nx.MultiDiGraph, node: str) -> str | None:
    if node in g:  # the adjacency directly: an edge view per call was most of an impact report's time
        for t, keyed in g._adj[node].items():
            if "owned_by" in keyed:
                return t
        return None
    for _, t, rel in g.out_edges(node, keys=True):
        if rel == "owned_by":
            return t
    return None


def ownership_chain(g: nx.MultiDiGraph, supplier: str) -> list[str]:
    """The supplier followed by its owners up to the ultimate parent."""
    chain = [supplier]
    cur = _parent(g, supplier)
    while cur is not None and cur not in chain:  # validated inventories have no cycles
        chain.append(cur)
        cur = _parent(g, cur)
    return chain


def ultimate_parent(g: nx.MultiDiGraph, supplier: str) -> str:
    """The top of the supplier's ownership chain (itself when it has no owner)."""
    return ownership_chain(g, supplier)[-1]


def chain_countries(g: nx.MultiDiGraph, supplier: str) -> list[str]:
    """Countries of registration along the chain, in chain order, without repeats or blanks."""
    out: list[str] = []
    for s in ownership_chain(g, supplier):
        c = g.nodes[s].get("country")
        if c and c not in out:
            out.append(c)
    return out


def is_european(g: nx.MultiDiGraph, supplier: str) -> bool | None:
    """True when every party in the chain is registered in the EU/EEA; None when no country is known."""
    codes = chain_countries(g, supplier)
    if not codes:
        return None
    return all(country(c).eea for c in codes)


def subsidiaries(g: nx.MultiDiGraph, supplier: str) -> set[str]:
    """Every supplier the given one owns, directly or indirectly (not itself)."""
    out: set[str] = set()
    stack = [supplier]
    while stack:
        cur = stack.pop()
        for child, _, rel in g.in_edges(cur, keys=True):
            if rel == "owned_by" and child not in out and child != supplier:
                out.add(child)
                stack.append(child)
    return out


def group_members(g: nx.MultiDiGraph, root: str) -> set[str]:
    """The group of an ultimate parent: itself and all it owns."""
    return {root} | subsidiaries(g, root)


def supplier_groups(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Every supplier group: ultimate parent id → sorted member ids."""
    groups: dict[str, list[str]] = defaultdict(list)
    for n, k in g.nodes(data="kind"):
        if k == "supplier":
            groups[ultimate_parent(g, n)].append(n)
    return {root: sorted(m) for root, m in sorted(groups.items())}
