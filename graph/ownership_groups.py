"""Controlling ownership: each supplier's chain of owners up to its ultimate parent, and the supplier groups.

A supplier's ``parent_id`` is an ``owned_by`` edge to its controlling owner. A
supplier group is an ultimate parent with every supplier it controls, directly
or indirectly. Part of :mod:`sovmap.graph.ownership` (which also answers whose
law reaches a supplier) and re-exported there.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n in ("S-A", "S-B", "S-C"):
...     g.add_node(n, kind="supplier")
>>> _ = g.add_edge("S-A", "S-B", key="owned_by"); _ = g.add_edge("S-B", "S-C", key="owned_by")
>>> ownership_chain(g, "S-A"), supplier_groups(g)
(['S-A', 'S-B', 'S-C'], {'S-C': ['S-A', 'S-B', 'S-C']})
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

__all__ = ["chain_countries", "group_members", "ownership_chain", "parent_of", "root_of", "subsidiaries",
           "supplier_groups", "ultimate_parent"]


def _suppliers(g: nx.MultiDiGraph) -> tuple[str, ...]:
    """The ids of the supplier nodes, in graph order.

    Kept in the graph's own networkx cache, which networkx empties whenever a
    node or an edge is added or removed (a view's cache is not: views are
    read afresh). One pass over every node of a national graph costs a few
    tenths of a second; spof, rank and the verdicts each asked for it.
    """
    cache = getattr(g, "__networkx_cache__", None)
    keep = isinstance(cache, dict) and hasattr(nx, "_clear_cache") and not hasattr(g, "_graph")
    found = cache.get("sovmap_suppliers") if keep else None
    if found is None:
        found = tuple(n for n, d in g._node.items() if d.get("kind") == "supplier")
        if keep:
            cache["sovmap_suppliers"] = found
    return found



def parent_of(g: nx.MultiDiGraph, node: str) -> str | None:
    """The controlling owner of a supplier (its ``owned_by`` target), or None."""
    adj = g._adj.get(node)  # the adjacency directly: an edge view per call was most of an impact report's time
    if adj:
        for t, keyed in adj.items():
            if "owned_by" in keyed:
                return t
    return None


_parent = parent_of


def ownership_chain(g: nx.MultiDiGraph, supplier: str) -> list[str]:
    """The supplier followed by its controlling owners up to the ultimate parent."""
    chain = [supplier]
    seen = {supplier}
    cur = _parent(g, supplier)
    while cur is not None and cur not in seen:  # validated inventories have no cycles; stop on one anyway
        chain.append(cur)
        seen.add(cur)
        cur = _parent(g, cur)
    return chain


def ultimate_parent(g: nx.MultiDiGraph, supplier: str) -> str:
    """The top of the supplier's ownership chain (itself when it has no owner)."""
    return ownership_chain(g, supplier)[-1]


def root_of(g: nx.MultiDiGraph) -> dict[str, str]:
    """Every supplier's ultimate parent, each chain walked once (linear in the number of suppliers)."""
    out: dict[str, str] = {}
    for n in _suppliers(g):
        if n in out:
            continue
        path = [n]
        seen = {n}
        cur = _parent(g, n)
        while cur is not None and cur not in out and cur not in seen:
            path.append(cur)
            seen.add(cur)
            cur = _parent(g, cur)
        top = out[cur] if cur is not None and cur in out else path[-1]
        for p in path:
            out[p] = top
    return out


def chain_countries(g: nx.MultiDiGraph, supplier: str) -> list[str]:
    """Countries of registration along the controlling chain, in chain order, without repeats or blanks."""
    out: list[str] = []
    for s in ownership_chain(g, supplier):
        c = g.nodes[s].get("country")
        if c and c not in out:
            out.append(c)
    return out


def subsidiaries(g: nx.MultiDiGraph, supplier: str, children: dict[str, list[str]] | None = None) -> set[str]:
    """Every supplier the given one controls, directly or indirectly (not itself).

    ``children``: each supplier's direct subsidiaries (:func:`sovmap.graph.scenarios.owned_children`), when the
    caller keeps them; otherwise each owner's incoming relations are scanned for owned_by (a large supplier has
    tens of thousands: the systems it provides).
    """
    out: set[str] = set()
    stack = [supplier]
    pred, nodes = g._pred, g._node  # the adjacency dicts, not an edge view
    while stack:
        cur = stack.pop()
        direct = children.get(cur, ()) if children is not None else [
            c for c, keys in pred[cur].items() if "owned_by" in keys and nodes[c].get("kind") == "supplier"]
        for child in direct:
            if child not in out and child != supplier:
                out.add(child)
                stack.append(child)
    return out


def group_members(g: nx.MultiDiGraph, root: str) -> set[str]:
    """The group of an ultimate parent: itself and all it controls."""
    return {root} | subsidiaries(g, root)


def supplier_groups(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Every supplier group: ultimate parent id → sorted member ids."""
    groups: dict[str, list[str]] = defaultdict(list)
    for n, top in root_of(g).items():
        groups[top].append(n)
    return {root: sorted(m) for root, m in sorted(groups.items())}
