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

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np

from sovmap.ingest.read import gc_paused
from sovmap.ontology.vocab import vocabulary

from .model import nodes_of_kind
from .ownership import group_reach, group_verdicts, supplier_groups
from .propagation import DependencyIndex, dependency_index, failed_positions

__all__ = ["GroupBlast", "group_info", "group_infos", "blast_radius", "single_points_of_failure", "rank_supplier_groups",
           "reaching_members", "CRITICALITY_WEIGHT", "VERDICT_ORDER"]

# Non-European first, then ownership unknown, then European.
VERDICT_ORDER = {False: 0, None: 1, True: 2}

# vital > high > medium > low: each level weighs as much as four of the next.
CRITICALITY_WEIGHT = {"vital": 64, "high": 16, "medium": 4, "low": 1, None: 1}


@dataclass(eq=False)
class GroupBlast:
    """What one supplier group's cut breaks: ``positions`` of the failed nodes in ``index`` (ascending)."""

    root: str
    members: list[str]
    positions: np.ndarray
    index: DependencyIndex = field(repr=False)

    @cached_property
    def failed(self) -> list[str]:
        """The ids of the failed nodes (in graph order), built on first use."""
        return self.index.names(self.positions)


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
    """For every supplier group, the nodes that fail when the whole group is cut.

    One propagation per group on the shared index, each in time proportional to
    what the group's cut reaches. The answer depends on the graph's structure
    only, so it is kept with the index for the same groups (spof, rank and the
    assessment ask the same question) and recomputed when nodes or edges change.
    """
    groups = groups if groups is not None else supplier_groups(g)
    idx = dependency_index(g)
    key = tuple((root, tuple(members)) for root, members in groups.items())
    known = idx.memo.get("blast_radius")
    if known is None or known[0] != key:
        pos = idx.pos
        found = []
        for members in groups.values():
            cut = np.asarray(sorted({pos[m] for m in members if m in pos}), dtype=np.int64)
            failed = np.sort(failed_positions(idx, cut))
            failed.flags.writeable = False  # shared between callers
            found.append(failed)
        known = idx.memo["blast_radius"] = (key, found)
    return [GroupBlast(root, members, failed, idx) for (root, members), failed in zip(groups.items(), known[1])]


def _stacked(blasts: list[GroupBlast]) -> tuple[np.ndarray, np.ndarray]:
    """Every blast's failed positions end to end, and for each the number of its blast in ``blasts``."""
    if not blasts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lens = [len(b.positions) for b in blasts]
    return np.concatenate([b.positions for b in blasts]), np.repeat(np.arange(len(blasts)), lens)


@gc_paused()  # hundreds of thousands of small rows: collections would walk the whole graph again and again
def single_points_of_failure(g: nx.MultiDiGraph, criticalities=("vital", "high"),
                             blasts: list[GroupBlast] | None = None, policy=None) -> list[dict]:
    """For each process of the given criticalities, the supplier groups whose cut alone breaks it.

    Non-European groups (some party in their legal reach outside the EU/EEA) come
    first, then groups whose ownership is unknown, then European ones. None in
    ``criticalities`` includes the processes without a criticality (last, with
    criticality None). A criticality an importer derived carries its
    ``criticality_source``.

    The (process, group) pairs come from all blasts stacked end to end, in
    bulk; only the groups that break some wanted process get a verdict.
    """
    blasts = blasts if blasts is not None else blast_radius(g)
    nodes = g._node
    idx = blasts[0].index if blasts else None
    if idx is not None:
        processes = idx.names(np.flatnonzero(_kind_codes(g, idx) == 1))
    else:
        processes = nodes_of_kind(g, "process")
    crit = {p: nodes[p].get("criticality") or None for p in processes}
    wanted = [p for p in processes if crit[p] in criticalities]
    rank = {v.id: v.rank for v in vocabulary().enum("criticality").values}
    wanted.sort(key=lambda p: (-rank.get(crit[p], 0), p))
    spans: dict[int, tuple[int, int]] = {}  # process position → its slice of ``found``
    found: list[int] = []  # per pair, the number of its group in ``shown``
    shown: list[dict] = []  # the group rows, in the order a process lists them
    if idx is not None and wanted:
        mask = np.zeros(len(idx.ids), dtype=bool)  # the wanted processes, by position
        mask[[idx.pos[p] for p in wanted]] = True
        pos, which = _stacked(blasts)
        sel = mask[pos]
        hit_pos, hit_blast = pos[sel], which[sel]  # only the (process, group) pairs that break it
        used = np.unique(hit_blast).tolist()
        infos = group_infos(g, {blasts[b].root: blasts[b].members for b in used}, policy)
        used.sort(key=lambda b: (VERDICT_ORDER[infos[blasts[b].root]["european"]], blasts[b].root))
        order = np.zeros(len(blasts), dtype=np.int64)
        order[used] = np.arange(len(used))
        shown = [infos[blasts[b].root] for b in used]
        hit_order = order[hit_blast]
        by = np.lexsort((hit_order, hit_pos))  # by process, then in the order rows list groups
        hit_pos, found = hit_pos[by], hit_order[by].tolist()
        bounds = np.flatnonzero(np.diff(hit_pos)) + 1
        starts = np.concatenate(([0], bounds)).tolist() if len(hit_pos) else []
        ends = np.concatenate((bounds, [len(hit_pos)])).tolist() if len(hit_pos) else []
        spans = dict(zip(hit_pos[starts].tolist() if starts else [], zip(starts, ends)))
    out = []
    pos_of = idx.pos if idx is not None else {}
    for p in wanted:
        s, e = spans.get(pos_of.get(p, -1), (0, 0))
        d = nodes[p]
        out.append({"id": p, "name": d.get("name"), "criticality": crit[p],
                    **({"criticality_source": d["criticality_source"]} if d.get("criticality_source") else {}),
                    "single_points_of_failure": [dict(shown[k]) for k in found[s:e]]})
    return out


@gc_paused()
def rank_supplier_groups(g: nx.MultiDiGraph, blasts: list[GroupBlast] | None = None, policy=None) -> list[dict]:
    """Supplier groups ranked by blast radius weighted by criticality of the processes that fail."""
    blasts = blasts if blasts is not None else blast_radius(g)
    infos = group_infos(g, {b.root: b.members for b in blasts}, policy)
    counts = _failed_counts(g, blasts)
    rows = []
    for b, (score, processes, vital_high, systems, datasets) in zip(blasts, counts):
        row = dict(infos[b.root])
        row.update({
            "score": score,
            "failed_processes": processes,
            "failed_vital_high": vital_high,
            "failed_systems": systems,
            "failed_datasets": datasets,
        })
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["failed_systems"], -r["failed_datasets"], r["supplier_group"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def _kind_codes(g: nx.MultiDiGraph, idx: DependencyIndex) -> np.ndarray:
    """Per position in ``idx``: 1 process, 2 system, 3 data set, 0 any other kind.

    A node's kind is part of what it is: coded once and kept with the index.
    """
    kind = idx.memo.get("kind_codes")
    if kind is None:
        nodes = g._node  # the graph's order is the index's while the index is current (rebuilt when nodes change)
        same = len(nodes) == len(idx.ids) and next(iter(nodes), None) == (idx.ids[0] if idx.ids else None)
        kinds = np.array([d.get("kind") for d in (nodes.values() if same else map(nodes.__getitem__, idx.ids))],
                         dtype=object)
        kind = np.zeros(len(idx.ids), dtype=np.int8)
        for code, name in enumerate(("process", "system", "dataset"), start=1):
            kind[kinds == name] = code
        kind.flags.writeable = False
        idx.memo["kind_codes"] = kind
    return kind


def _failed_counts(g: nx.MultiDiGraph, blasts: list[GroupBlast]) -> list[tuple[int, int, int, int, int]]:
    """Per blast: (criticality score, failed processes, of which vital or high, failed systems, failed data sets).

    Kinds are coded once per index and criticality once per process; then every blast is counted in bulk.
    """
    if not blasts:
        return []
    idx = blasts[0].index
    kind = _kind_codes(g, idx)
    weight = np.zeros(len(idx.ids), dtype=np.int64)  # a process's criticality weight; 0 for other kinds
    vital_high = np.zeros(len(idx.ids), dtype=np.int64)
    nodes, ids = g._node, idx.ids
    for i in np.flatnonzero(kind == 1).tolist():  # criticality is read afresh: what-if edits may change it
        c = nodes[ids[i]].get("criticality")
        weight[i] = CRITICALITY_WEIGHT.get(c, 1)
        vital_high[i] = c in ("vital", "high")
    pos, which = _stacked(blasts)
    per = [np.bincount(which, weights=w[pos], minlength=len(blasts)).astype(np.int64).tolist()
           for w in (weight, vital_high)]
    kinds = np.bincount(which * 4 + kind[pos], minlength=4 * len(blasts)).reshape(-1, 4).tolist()
    return [(score, k[1], vh, k[2], k[3]) for score, vh, k in zip(per[0], per[1], kinds)]


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
