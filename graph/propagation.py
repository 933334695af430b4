"""Failure propagation with redundancy (k-of-N requirement groups), fast on large graphs.

A node works unless it is cut, or one of its requirement groups keeps fewer
than ``min_required`` working members. A required dependency is a group of
one; an edge that is required and also a member of groups (see
:func:`sovmap.graph.model.edge_meaning`) counts in each of them.
Only relations marked ``propagatesFailure`` in the ontology carry failure
(``owned_by`` does not). Cycles are allowed: nodes in a cycle stay up while
nothing under them fails (the least set of failures that is closed under the
rule, computed by propagating forward from the cut).

The graph is compiled once into flat integer arrays (:class:`DependencyIndex`);
propagation then runs level by level with numpy.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from(["proc", "app-a", "app-b", "cloud"], kind="system", name="")
>>> _ = g.add_edge("proc", "app-a", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("proc", "app-b", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("app-a", "cloud", key="depends_on")
>>> r = propagate(g, ["cloud"])
>>> sorted(r.failed), sorted(r.degraded)
(['app-a'], ['proc'])
>>> r.chain("proc")
['proc', 'app-a', 'cloud']
>>> _ = g.add_edge("app-b", "cloud", key="depends_on")
>>> sorted(propagate(g, ["cloud"]).failed)
['app-a', 'app-b', 'proc']
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sovmap.ontology.vocab import vocabulary

from .model import edge_meaning

__all__ = ["CHAIN_HEAD", "CHAIN_TAIL", "DependencyIndex", "Propagation", "dependency_index", "propagate",
           "reference_fixpoint"]

CHAIN_HEAD = 3  # a long why-chain is shown as its first CHAIN_HEAD nodes, "…", and its last CHAIN_TAIL nodes
CHAIN_TAIL = 3


@dataclass
class DependencyIndex:
    """The dependency structure of a graph as flat arrays.

    Groups are numbered 0..G-1; ``group_owner[g]`` is the dependent node,
    ``group_k[g]`` its min_required, ``group_size[g]`` its number of members
    (distinct nodes: one node reached through two relations counts once).
    ``member_ptr``/``member_groups`` is a CSR list: for node i, the groups it
    is a member of are ``member_groups[member_ptr[i]:member_ptr[i+1]]``.
    """

    ids: list[str]
    pos: dict[str, int]
    group_owner: np.ndarray
    group_k: np.ndarray
    group_size: np.ndarray
    member_ptr: np.ndarray
    member_groups: np.ndarray
    stamp: tuple
    _scratch: threading.local = field(default_factory=threading.local, repr=False)

    def lost_counts(self) -> np.ndarray:
        """A zeroed per-group counter, reused between calls in the same thread (reset by the caller)."""
        arr = getattr(self._scratch, "lost", None)
        if arr is None:
            arr = self._scratch.lost = np.zeros(len(self.group_owner), dtype=np.int64)
        return arr

    def node_slots(self) -> np.ndarray:
        """A per-node scratch array of arbitrary contents, reused between calls in the same thread."""
        arr = getattr(self._scratch, "slots", None)
        if arr is None:
            arr = self._scratch.slots = np.zeros(len(self.ids), dtype=np.int64)
        return arr

    @classmethod
    def build(cls, g: nx.MultiDiGraph) -> "DependencyIndex":
        propagating = vocabulary().propagating()
        stamp = _version(g)
        ids = list(g.nodes)
        pos = {n: i for i, n in enumerate(ids)}
        groups: dict[tuple[int, str], int] = {}
        grouped: set[tuple[int, int]] = set()  # (member, group) pairs already counted
        owners: list[int] = []
        ks: list[int] = []
        pairs_member: list[int] = []
        pairs_group: list[int] = []
        # The adjacency in g.edges(keys=True, data=True) order, without the edge view's per-edge overhead.
        edges = ((u, t, rel, d) for u, nbrs in g._adj.items() for t, keyed in nbrs.items() for rel, d in keyed.items())
        for u, t, rel, d in edges:
            if rel not in propagating:
                continue
            ui = pos[u]
            if not d:  # a plain required dependency: a group of one (nearly every edge; kept fast)
                pairs_member.append(pos[t])
                pairs_group.append(len(owners))
                owners.append(ui)
                ks.append(1)
                continue
            required, memberships = edge_meaning(d)
            ti = pos[t]
            if required:
                pairs_member.append(ti)
                pairs_group.append(len(owners))
                owners.append(ui)
                ks.append(1)
            for name, k in memberships:
                key = (ui, name)
                gi = groups.get(key)
                if gi is None:
                    gi = groups[key] = len(owners)
                    owners.append(ui)
                    ks.append(int(k or 1))
                if (ti, gi) not in grouped:
                    grouped.add((ti, gi))
                    pairs_member.append(ti)
                    pairs_group.append(gi)
        n = len(ids)
        member = np.asarray(pairs_member, dtype=np.int64)
        group = np.asarray(pairs_group, dtype=np.int64)
        order = np.argsort(member, kind="stable")
        counts = np.bincount(member, minlength=n) if len(member) else np.zeros(n, dtype=np.int64)
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        size = np.bincount(group, minlength=len(owners)) if len(group) else np.zeros(0, dtype=np.int64)
        return cls(
            ids=ids,
            pos=pos,
            group_owner=np.asarray(owners, dtype=np.int64),
            group_k=np.asarray(ks, dtype=np.int64),
            group_size=size.astype(np.int64),
            member_ptr=ptr,
            member_groups=group[order],
            stamp=stamp,
        )

    def groups_of(self, nodes: np.ndarray) -> np.ndarray:
        """All groups that any of ``nodes`` is a member of (with repeats)."""
        if len(nodes) == 0:
            return np.zeros(0, dtype=np.int64)
        starts = self.member_ptr[nodes]
        lens = self.member_ptr[nodes + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # indices start..start+len for each node, without a Python loop
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
        return self.member_groups[np.arange(total) + offsets]


_cache: "weakref.WeakKeyDictionary[nx.MultiDiGraph, DependencyIndex]" = weakref.WeakKeyDictionary()


def _version(g: nx.MultiDiGraph) -> tuple:
    """A value that changes when nodes or edges of ``g`` are added or removed.

    networkx (3.3 and later) empties ``g.__networkx_cache__`` on every such
    change, so a token kept there is a constant-time check; counting the
    edges instead takes a second on a national graph. A view (``_graph``)
    changes with the graph under it without emptying its own cache, so it is
    counted.
    """
    cache = getattr(g, "__networkx_cache__", None)
    if isinstance(cache, dict) and hasattr(nx, "_clear_cache") and not hasattr(g, "_graph"):
        return (len(g), cache.setdefault("sovmap_dependency_index", object()))
    return (g.number_of_nodes(), g.number_of_edges())


def dependency_index(g: nx.MultiDiGraph) -> DependencyIndex:
    """The compiled index of ``g``, built once and rebuilt when nodes or edges are added or removed."""
    idx = _cache.get(g)
    if idx is None or idx.stamp != _version(g):
        idx = _cache[g] = DependencyIndex.build(g)
    return idx


@dataclass
class Propagation:
    """The outcome of a cut: what fails, what only loses alternatives, and why."""

    index: DependencyIndex
    cut: list[str]
    failed: list[str]
    degraded: list[str]
    parent: np.ndarray  # for each node, the next node on a shortest chain towards the cut (-1: none)
    _length: np.ndarray | None = field(default=None, init=False, repr=False)  # chain lengths found so far (0: not yet)
    _anchor: np.ndarray | None = field(default=None, init=False, repr=False)  # where the last CHAIN_TAIL nodes start

    def chain(self, node: str) -> list[str]:
        """One shortest chain from ``node`` to a cut node through failed nodes.

        Its length is that of the chain; for every failed node of a long
        cycle that adds up to quadratic work: use :meth:`brief_chain` to show
        many chains.
        """
        idx = self.index
        i = idx.pos[node]
        out = [node]
        while self.parent[i] >= 0:
            i = int(self.parent[i])
            out.append(idx.ids[i])
        return out

    def chain_length(self, node: str) -> int:
        """The number of nodes on :meth:`chain` of ``node``, in amortised constant time per node.

        Each node's chain is its parent's chain plus itself, so the lengths
        are remembered along the way: asking for every failed node costs time
        linear in the graph, however long the chains.
        """
        return self._walk(self.index.pos[node])[0]

    def brief_chain(self, node: str) -> tuple[list[str], int]:
        """The chain of ``node`` abbreviated when long: (shown nodes, number of nodes left out).

        A chain of more than ``CHAIN_HEAD + CHAIN_TAIL + 2`` nodes keeps its
        first ``CHAIN_HEAD`` and last ``CHAIN_TAIL`` nodes; the nodes left out
        lie between ``shown[CHAIN_HEAD - 1]`` and ``shown[CHAIN_HEAD]``. Time
        and output are bounded per node.

        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> _ = [g.add_edge(f"S{i}", f"S{i + 1}", key="depends_on") for i in range(1, 12)]
        >>> r = propagate(g, ["S12"])
        >>> r.brief_chain("S1")
        (['S1', 'S2', 'S3', 'S10', 'S11', 'S12'], 6)
        >>> r.brief_chain("S9"), r.chain_length("S1")
        ((['S9', 'S10', 'S11', 'S12'], 0), 12)
        """
        idx = self.index
        i = idx.pos[node]
        length, anchor = self._walk(i)
        if length <= CHAIN_HEAD + CHAIN_TAIL + 2:
            return self.chain(node), 0
        head = [node]
        while len(head) < CHAIN_HEAD:
            i = int(self.parent[i])
            head.append(idx.ids[i])
        return head + self.chain(idx.ids[anchor]), length - CHAIN_HEAD - CHAIN_TAIL

    def _walk(self, i: int) -> tuple[int, int]:
        """(chain length, first node of the chain's last CHAIN_TAIL nodes) of node position ``i``, remembered."""
        if self._length is None:
            self._length = np.zeros(len(self.parent), dtype=np.int64)
            self._anchor = np.zeros(len(self.parent), dtype=np.int64)
        length, anchor, parent = self._length, self._anchor, self.parent
        todo = []
        while length[i] == 0 and parent[i] >= 0:  # up to the first node already known, or the cut
            todo.append(i)
            i = int(parent[i])
        if length[i] == 0:
            length[i], anchor[i] = 1, i
        n, a = int(length[i]), int(anchor[i])
        for j in reversed(todo):  # back down: each node's chain is its parent's plus itself
            n += 1
            length[j] = n
            if n <= CHAIN_TAIL:
                a = j
            anchor[j] = a
        return n, a


def propagate(g: nx.MultiDiGraph, cut, index: DependencyIndex | None = None, explain: bool = True) -> Propagation:
    """Return what fails and what is degraded when the nodes in ``cut`` stop working.

    With ``explain=False`` the why-chains are not computed (``chain`` then
    returns the node alone); that is faster when only the sets are needed.
    """
    idx = index or dependency_index(g)
    n = len(idx.ids)
    cut_ids = sorted({c for c in cut if c in idx.pos})
    cut_pos = np.asarray([idx.pos[c] for c in cut_ids], dtype=np.int64)
    failed = np.zeros(n, dtype=bool)
    failed[cut_pos] = True
    lost = idx.lost_counts()
    slots = idx.node_slots()
    frontier = cut_pos
    newly: list[np.ndarray] = []  # the nodes each level adds; together with the cut, every failed node
    while len(frontier):
        hit = idx.groups_of(frontier)  # with repeats: a group loses one member per repeat
        if len(hit) == 0:
            break
        np.add.at(lost, hit, 1)
        broken = hit[idx.group_size[hit] - lost[hit] < idx.group_k[hit]]
        owners = idx.group_owner[broken]
        frontier = _distinct(owners[~failed[owners]], slots)
        failed[frontier] = True
        newly.append(frontier)
    # Work on the nodes reached rather than on whole-graph arrays: most cuts touch a sliver of the graph.
    reached = np.concatenate([cut_pos] + newly)
    touched_groups = idx.groups_of(reached)
    lost[touched_groups] = 0
    touched_owners = idx.group_owner[touched_groups]
    degraded_pos = np.sort(_distinct(touched_owners[~failed[touched_owners]], slots))
    if len(reached) - len(cut_pos) > n // 32:  # many failed: one pass over the mask beats sorting them
        failed[cut_pos] = False
        failed_pos = np.flatnonzero(failed)
        failed[cut_pos] = True
    else:
        failed_pos = np.sort(reached[len(cut_pos):])
    if explain:
        degraded_mask = np.zeros(n, dtype=bool)
        degraded_mask[degraded_pos] = True
        parent = _shortest_parents(idx, cut_pos, failed, degraded_mask)
    else:
        parent = np.full(n, -1, dtype=np.int64)
    ids = idx.ids
    return Propagation(
        index=idx,
        cut=cut_ids,
        failed=list(map(ids.__getitem__, failed_pos.tolist())),
        degraded=list(map(ids.__getitem__, degraded_pos.tolist())),
        parent=parent,
    )


def _distinct(a: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """The distinct values of ``a`` (node positions), in no particular order, in time linear in ``len(a)``.

    ``slots`` is scratch space with an entry for every possible value; its
    contents before and after do not matter.

    >>> sorted(_distinct(np.array([3, 1, 3, 2]), np.zeros(4, dtype=np.int64)).tolist())
    [1, 2, 3]
    """
    if len(a) < 2:
        return a
    at = np.arange(len(a))
    slots[a] = at  # of repeated values one write survives, and exactly that position matches below
    return a[slots[a] == at]


def _shortest_parents(idx: DependencyIndex, cut_pos: np.ndarray, failed: np.ndarray, degraded: np.ndarray) -> np.ndarray:
    """Breadth-first from the cut through failed nodes: each reached node's parent on a shortest chain."""
    parent = np.full(len(idx.ids), -1, dtype=np.int64)
    seen = np.zeros(len(idx.ids), dtype=bool)
    seen[cut_pos] = True
    frontier = cut_pos
    while len(frontier):
        starts = idx.member_ptr[frontier]
        lens = idx.member_ptr[frontier + 1] - starts
        groups = idx.groups_of(frontier)
        sources = np.repeat(frontier, lens)
        owners = idx.group_owner[groups]
        keep = (failed[owners] | degraded[owners]) & ~seen[owners]
        owners, sources = owners[keep], sources[keep]
        if len(owners) == 0:
            break
        uniq, first = np.unique(owners, return_index=True)
        parent[uniq] = sources[first]
        seen[uniq] = True
        frontier = uniq[failed[uniq]]  # degraded nodes still work: they pass nothing on
    return parent


def reference_fixpoint(g: nx.MultiDiGraph, cut) -> tuple[set[str], set[str]]:
    """A plain, slow statement of the rule, for tests: iterate until nothing changes.

    Start with every node working except the cut; repeatedly mark failed any
    node with a failed required dependency or a requirement group that has
    fewer than min_required working members. Returns (failed, degraded),
    neither including the cut.
    """
    propagating = vocabulary().propagating()
    groups: dict[tuple, list] = {}
    for u, t, rel, d in g.edges(keys=True, data=True):
        if rel in propagating:
            required, memberships = edge_meaning(d)
            if required:
                groups[(u, "required", t, rel)] = [1, {t}]
            for name, k in memberships:
                groups.setdefault((u, "group", name), [int(k or 1), set()])[1].add(t)
    down = set(cut)
    changed = True
    while changed:
        changed = False
        for (owner, *_), (k, members) in groups.items():
            if owner not in down and sum(m not in down for m in members) < k:
                down.add(owner)
                changed = True
    degraded = {owner for (owner, *_), (_, members) in groups.items()
                if owner not in down and any(m in down for m in members)}
    return down - set(cut), degraded
