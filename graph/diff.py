"""What changed between two versions of an inventory: nodes and edges, and the dependence on non-European suppliers.

Examples
--------
>>> import networkx as nx
>>> old = nx.MultiDiGraph()
>>> old.add_node("P", kind="process", name="Mail", criticality="vital")
>>> old.add_node("SYS", kind="system", name="Mail")
>>> old.add_node("S-US", kind="supplier", name="Kynthos", country="US")
>>> _ = old.add_edge("P", "SYS", key="uses")
>>> _ = old.add_edge("SYS", "S-US", key="provided_by")
>>> new = old.copy()
>>> new.remove_edge("SYS", "S-US", key="provided_by")
>>> new.add_node("S-DE", kind="supplier", name="Rijnstroom", country="DE")
>>> _ = new.add_edge("SYS", "S-DE", key="provided_by")
>>> new.nodes["P"]["name"] = "E-mail"
>>> d = graph_diff(old, new)
>>> d["nodes"]["added"], d["nodes"]["removed"]
(['S-DE'], [])
>>> d["nodes"]["changed"][0]["changes"]
{'name': ['Mail', 'E-mail']}
>>> [(e["source"], e["relation"], e["target"]) for e in d["edges"]["added"]]
[('SYS', 'provided_by', 'S-DE')]
>>> s = d["sovereignty"]
>>> s["before"]["non_european_spof"], s["after"]["non_european_spof"], s["resolved"]
(1, 0, ['P'])
"""

from __future__ import annotations

import networkx as nx

from .concentration import single_points_of_failure
from .model import edge_meaning

__all__ = ["graph_diff", "node_changes", "edge_changes", "sovereignty_change"]


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "")}


def _changes(before: dict, after: dict) -> dict[str, list]:
    a, b = _clean(before), _clean(after)
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def node_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict[str, list]:
    """Node ids added and removed, and the nodes whose attributes changed (attribute → [before, after])."""
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = []
    for n in sorted(set(old) & set(new)):
        ch = _changes(old.nodes[n], new.nodes[n])
        if ch:
            d = new.nodes[n]
            changed.append({"id": n, "kind": d.get("kind"), "name": d.get("name"), "changes": ch})
    return {"added": added, "removed": removed, "changed": changed}


def _edges(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict]:
    """Each edge's meaning: ``required`` and ``groups`` (group → min_required, empty when in none)."""
    out = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        required, groups = edge_meaning(d)
        out[(u, k, v)] = {"required": required, "groups": dict(groups)}
    return out


def _edge_row(key: tuple[str, str, str], d: dict | None = None) -> dict:
    row = {"source": key[0], "relation": key[1], "target": key[2]}
    if d is not None:
        row.update(d)
    return row


def edge_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict[str, list]:
    """Edges (source, relation, target) added and removed, and those that became or stopped being required
    or whose groups of alternatives (group → min_required) changed."""
    a, b = _edges(old), _edges(new)
    changed = []
    for key in sorted(set(a) & set(b)):
        ch = _changes(a[key], b[key])
        if ch:
            changed.append({**_edge_row(key), "changes": ch})
    return {"added": [_edge_row(k, b[k]) for k in sorted(set(b) - set(a))],
            "removed": [_edge_row(k, a[k]) for k in sorted(set(a) - set(b))],
            "changed": changed}


def _non_european_spof(g: nx.MultiDiGraph, criticalities: tuple[str, ...]) -> tuple[set[str], int]:
    rows = single_points_of_failure(g, criticalities)
    hit = {r["id"] for r in rows if any(not s["european"] for s in r["single_points_of_failure"])}
    return hit, len(rows)


def sovereignty_change(old: nx.MultiDiGraph, new: nx.MultiDiGraph,
                       criticalities: tuple[str, ...] = ("vital", "high")) -> dict:
    """How the number of critical processes with a non-European single point of failure changed.

    Returns ``before`` and ``after`` (``processes``: vital/high processes,
    ``non_european_spof``: how many of them a non-European supplier group alone
    can break), ``new`` (processes that gained such a dependence) and
    ``resolved`` (processes that lost it, including removed ones).
    """
    hit_old, n_old = _non_european_spof(old, criticalities)
    hit_new, n_new = _non_european_spof(new, criticalities)
    return {
        "criticalities": list(criticalities),
        "before": {"processes": n_old, "non_european_spof": len(hit_old)},
        "after": {"processes": n_new, "non_european_spof": len(hit_new)},
        "new": sorted(hit_new - hit_old),
        "resolved": sorted(hit_old - hit_new),
    }


def graph_diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict:
    """Everything that changed from ``old`` to ``new``: nodes, edges and sovereignty figures."""
    return {"nodes": node_changes(old, new), "edges": edge_changes(old, new),
            "sovereignty": sovereignty_change(old, new)}
