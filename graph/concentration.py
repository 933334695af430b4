"""Concentration risk: single points of failure per critical process, and supplier groups by blast radius.

A supplier group is an ultimate parent and everything it owns; cutting a group
cuts all its members at once (the parent is ordered, its subsidiaries comply).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P", kind="process", name="Mail", criticality="vital")
>>> for s in ("A", "B"):
...     g.add_node(s, kind="system", name=s)
>>> g.add_node("S-US", kind="supplier", name="Kynthos", country="US")
>>> g.add_node("S-DE", kind="supplier", name="Rijnstroom", country="DE")
>>> _ = g.add_edge("P", "A", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("P", "B", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("A", "S-US", key="provided_by")
>>> _ = g.add_edge("B", "S-DE", key="provided_by")
>>> single_points_of_failure(g)[0]["single_points_of_failure"]
[]
>>> _ = g.add_edge("B", "S-US", key="operated_by")
>>> [s["supplier_group"] for s in single_points_of_failure(g)[0]["single_points_of_failure"]]
['S-US']
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from sovmap.ontology.vocab import vocabulary

from .model import nodes_of_kind
from .ownership import group_reach, group_verdicts, supplier_groups
from .propagation import dependency_index, propagate

__all__ = ["GroupBlast", "group_info", "group_infos", "blast_radius", "single_points_of_failure", "rank_supplier_groups",
           "reaching_members", "CRITICALITY_WEIGHT", "VERDICT_ORDER"]

# Non-European first, then ownership unknown, then European.
VERDICT_ORDER = {False: 0, None: 1, True: 2}

# vital > high > medium > low: each level weighs as much as four of the next.
CRITICALITY_WEIGHT = {"vital": 64, "high": 16, "medium": 4, "low": 1, None: 1}


@dataclass
class GroupBlast:
    """What one supplier group's cut breaks."""

    root: str
    members: list[str]
    failed: list[str]


def group_info(g: nx.MultiDiGraph, root: str, members: list[str], policy=None) -> dict:
    """A supplier group as a report row: id of the ultimate parent, name, European verdict and why, countries.

    ``european`` is True, False, or None when the ownership of a party in the
    group's legal reach is unknown (:func:`sovmap.graph.ownership.group_verdict`);
    ``countries`` are the countries of the group's legal reach.
    """
    verdict, codes = group_reach(g, members, policy)
    return {"supplier_group": root, "name": g.nodes[root].get("name"), "european": verdict.european,
            "european_reason": verdict.reason, "countries": sorted(codes), "members": members}


def group_infos(g: nx.MultiDiGraph, groups: dict[str, list[str]], policy=None) -> dict[str, dict]:
    """:func:`group_info` of many groups at once (root → row), in time linear in the ownership graph."""
    out = {}
    for root, (verdict, codes) in group_verdicts(g, groups, policy).items():
        out[root] = {"supplier_group": root, "name": g.nodes[root].get("name"), "european": verdict.european,
                     "european_reason": verdict.reason, "countries": sorted(codes), "members": groups[root]}
    return out


def blast_radius(g: nx.MultiDiGraph, groups: dict[str, list[str]] | None = None) -> list[GroupBlast]:
    """For every supplier group, the nodes that fail when the whole group is cut."""
    groups = groups if groups is not None else supplier_groups(g)
    idx = dependency_index(g)
    return [GroupBlast(root, members, propagate(g, members, idx, explain=False).failed)
            for root, members in groups.items()]


def single_points_of_failure(g: nx.MultiDiGraph, criticalities=("vital", "high"),
                             blasts: list[GroupBlast] | None = None, policy=None) -> list[dict]:
    """For each process of the given criticalities, the supplier groups whose cut alone breaks it.

    Non-European groups (some party in their legal reach outside the EU/EEA) come
    first, then groups whose ownership is unknown, then European ones. None in
    ``criticalities`` includes the processes without a criticality (last, with
    criticality None). A criticality an importer derived carries its
    ``criticality_source``.
    """
    blasts = blasts if blasts is not None else blast_radius(g)
    wanted = [p for p in nodes_of_kind(g, "process") if (g.nodes[p].get("criticality") or None) in criticalities]
    wanted_set = set(wanted)
    hits: dict[str, list[GroupBlast]] = {p: [] for p in wanted}
    for b in blasts:
        for n in b.failed:
            if n in wanted_set:
                hits[n].append(b)
    rank = {v.id: v.rank for v in vocabulary().enum("criticality").values}
    out = []
    infos = group_infos(g, {b.root: b.members for bs in hits.values() for b in bs}, policy)
    for p in sorted(wanted, key=lambda p: (-rank.get(g.nodes[p].get("criticality") or None, 0), p)):
        spofs = [dict(infos[b.root]) for b in hits[p]]
        spofs.sort(key=lambda s: (VERDICT_ORDER[s["european"]], s["supplier_group"]))
        out.append({"id": p, "name": g.nodes[p].get("name"), "criticality": g.nodes[p].get("criticality") or None,
                    **({"criticality_source": g.nodes[p]["criticality_source"]}
                       if g.nodes[p].get("criticality_source") else {}),
                    "single_points_of_failure": spofs})
    return out


def rank_supplier_groups(g: nx.MultiDiGraph, blasts: list[GroupBlast] | None = None, policy=None) -> list[dict]:
    """Supplier groups ranked by blast radius weighted by criticality of the processes that fail."""
    blasts = blasts if blasts is not None else blast_radius(g)
    infos = group_infos(g, {b.root: b.members for b in blasts}, policy)
    rows = []
    for b in blasts:
        kinds = [g.nodes[n]["kind"] for n in b.failed]
        crit = [g.nodes[n].get("criticality") for n in b.failed if g.nodes[n]["kind"] == "process"]
        score = int(sum(CRITICALITY_WEIGHT.get(c, 1) for c in crit))
        row = dict(infos[b.root])
        row.update({
            "score": score,
            "failed_processes": kinds.count("process"),
            "failed_vital_high": sum(c in ("vital", "high") for c in crit),
            "failed_systems": kinds.count("system"),
            "failed_datasets": kinds.count("dataset"),
        })
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["failed_systems"], -r["failed_datasets"], r["supplier_group"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows




def reaching_members(g: nx.MultiDiGraph, process: str, members) -> list[str]:
    """The members of a supplier group that ``process`` depends on: those in its dependency closure.

    The closure follows the dependency edges (uses, hosted at, provided by, ...), not ownership, so a parent
    that only owns the supplier in use is not counted.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("P", "SYS", key="uses")
    >>> _ = g.add_edge("SYS", "S-NL", key="operated_by")
    >>> _ = g.add_edge("S-NL", "S-US", key="owned_by")
    >>> reaching_members(g, "P", ["S-US", "S-NL", "S-OTHER"])
    ['S-NL']
    """
    propagating = vocabulary().propagating()
    wanted = set(members)
    seen = {process}
    todo = [process]
    while todo:
        u = todo.pop()
        for t, keyed in g._adj.get(u, {}).items():
            if t not in seen and any(rel in propagating for rel in keyed):
                seen.add(t)
                todo.append(t)
    return sorted(seen & wanted)
