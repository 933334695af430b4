"""Failure propagation with redundancy (k-of-N requirement groups), fast on large graphs.

A node works unless it is cut, or one of its requirement groups keeps fewer
than ``min_required`` working members. A required dependency is a group of
one; an edge that is required and also a member of groups (see
:func:`sovmap.graph.model.edge_meaning`) counts in each of them.
Only relations marked ``propagatesFailure`` in the ontology carry failure
(``owned_by`` does not). Cycles are allowed: nodes in a cycle stay up while
nothing under them fails (the least set of failures that is closed under the
rule, computed by propagating forward from the cut).

The graph is compiled once into flat integer arrays (:class:`~sovmap.graph.dependency_index.DependencyIndex`);
each cut then runs as one compiled kernel over those arrays
(:mod:`sovmap.graph.kernel`, numba), on scratch arrays kept with the index and
reset only where a call touched them: a call's work is proportional to what
the cut reaches, not to the size of the graph.

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

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sovmap.ontology.vocab import vocabulary

from .dependency_index import DependencyIndex, dependency_index
from .kernel import run_cut
from .model import edge_meaning

__all__ = ["CHAIN_HEAD", "CHAIN_TAIL", "DependencyIndex", "Propagation", "dependency_index", "failed_positions",
           "propagate", "reference_fixpoint"]

CHAIN_HEAD = 3  # a long why-chain is shown as its first CHAIN_HEAD nodes, "…", and its last CHAIN_TAIL nodes
CHAIN_TAIL = 3


@dataclass
class Propagation:
    """The outcome of a cut: what fails, what only loses alternatives, and why.

    The why-chains form a breadth-first tree over the failed and degraded
    nodes reached, rooted at the cut, kept as arrays as long as that tree
    (not as the graph): ``tree_pos`` the node positions, cut first, level by
    level; ``tree_par`` the index in ``tree_pos`` of each node's next node
    towards the cut (-1 for a cut node); ``tree_levels`` the start of each
    level, so a node in level d has a chain of d + 1 nodes.
    """

    index: DependencyIndex
    cut: list[str]
    failed_pos: np.ndarray  # the positions of :attr:`failed` and :attr:`degraded` in the index, ascending
    degraded_pos: np.ndarray
    tree_pos: np.ndarray
    tree_par: np.ndarray
    tree_levels: np.ndarray
    _failed: list[str] | None = field(default=None, init=False, repr=False)  # the ids, listed when first asked
    _degraded: list[str] | None = field(default=None, init=False, repr=False)
    _at: object = field(default=None, init=False, repr=False)  # node position → tree index (dict or array)
    _anchor: np.ndarray | None = field(default=None, init=False, repr=False)  # where the last CHAIN_TAIL nodes start

    @property
    def failed(self) -> list[str]:
        """The ids of the nodes that stop working (not the cut), in index order.

        Listed from :attr:`failed_pos` when first asked: a report sorts the
        positions and never needs this list (a few hundred thousand strings nationally).
        """
        if self._failed is None:
            self._failed = self.index.ids_array[self.failed_pos].tolist()
        return self._failed

    @property
    def degraded(self) -> list[str]:
        """The ids of the nodes that still work but lost alternatives, in index order (listed when first asked)."""
        if self._degraded is None:
            self._degraded = self.index.ids_array[self.degraded_pos].tolist()
        return self._degraded

    def tree_index(self, node: str) -> int:
        """The index of ``node`` in the chain tree, -1 when it has no chain (it works, or explain was off)."""
        at = self._tree_lookup()
        i = self.index.pos[node]
        if isinstance(at, dict):
            return at.get(i, -1)
        return int(at[i])

    def _tree_lookup(self):
        """Node position → tree index: an array for a large tree, a dict for a small one (-1 or absent: none)."""
        at = self._at
        if at is None:
            n, t = len(self.index.ids), len(self.tree_pos)
            if t * 64 > n:  # a large tree: one array lookup beats a dict of that size
                at = np.full(n, -1, dtype=np.int64)
                at[self.tree_pos] = np.arange(t)
            else:
                at = dict(zip(self.tree_pos.tolist(), range(t)))
            self._at = at
        return at

    def chain(self, node: str) -> list[str]:
        """One shortest chain from ``node`` to a cut node through failed nodes.

        Its length is that of the chain; for every failed node of a long
        cycle that adds up to quadratic work: use :meth:`brief_chain` to show
        many chains.
        """
        t = self.tree_index(node)
        if t < 0:
            return [node]
        return self._ids_up(t, -1)

    def _ids_up(self, t: int, count: int) -> list[str]:
        """The ids from tree index ``t`` towards the cut: ``count`` of them, or all when -1."""
        ids, pos, par = self.index.ids, self.tree_pos, self.tree_par
        out = []
        while t >= 0 and count != 0:
            out.append(ids[int(pos[t])])
            t = int(par[t])
            count -= 1
        return out

    def chain_length(self, node: str) -> int:
        """The number of nodes on :meth:`chain` of ``node``: its level in the tree plus one (constant time)."""
        t = self.tree_index(node)
        return 1 if t < 0 else self._depth(t) + 1

    def _depth(self, t: int) -> int:
        return int(np.searchsorted(self.tree_levels, t, side="right")) - 1

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
        t = self.tree_index(node)
        if t < 0:
            return [node], 0
        length = self._depth(t) + 1
        if length <= CHAIN_HEAD + CHAIN_TAIL + 2:
            return self._ids_up(t, -1), 0
        return (self._ids_up(t, CHAIN_HEAD) + self._ids_up(int(self.anchors()[t]), CHAIN_TAIL),
                length - CHAIN_HEAD - CHAIN_TAIL)

    def brief_chains(self, positions: np.ndarray) -> tuple[list[list[str]], list[int]]:
        """:meth:`brief_chain` of many nodes at once (node positions): (shown ids per node, ids left out per node).

        Built in bulk from the tree's arrays; the only per-node work left is
        cutting each row of an id matrix to its length.
        """
        positions = np.asarray(positions, dtype=np.int64)
        at = self._tree_lookup()
        t = at[positions] if not isinstance(at, dict) else np.asarray([at.get(i, -1) for i in positions.tolist()],
                                                                    dtype=np.int64)
        width = CHAIN_HEAD + CHAIN_TAIL + 2
        par = np.append(self.tree_par, -1)  # index -1 reads this last entry: -1 stays -1
        length = np.where(t >= 0, self._depth_of(t) + 1, 1)
        up = np.empty((len(t), width), dtype=np.int64)
        col = t
        for j in range(width):
            up[:, j] = col
            col = par[col]
        long = length > width
        if long.any():
            a = self.anchors()[t[long]]
            tail = up[long]
            for j in range(CHAIN_TAIL):
                tail[:, CHAIN_HEAD + j] = a
                a = par[a]
            up[long] = tail
        shown = np.where(long, CHAIN_HEAD + CHAIN_TAIL, length).tolist()
        names = self.index.ids_array[np.append(self.tree_pos, 0)[up]].tolist()
        chains = [row[:k] for row, k in zip(names, shown)]
        for i in np.flatnonzero(t < 0).tolist():  # not in the tree: the node alone
            chains[i] = [self.index.ids[int(positions[i])]]
        return chains, np.where(long, length - CHAIN_HEAD - CHAIN_TAIL, 0).tolist()

    def _depth_of(self, t: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.tree_levels, t, side="right") - 1

    def depths(self) -> np.ndarray:
        """For each tree index, its level (chain length minus one)."""
        return np.repeat(np.arange(len(self.tree_levels) - 1), np.diff(self.tree_levels))

    def anchors(self) -> np.ndarray:
        """For each tree index, the tree index where its chain's last CHAIN_TAIL nodes start (level by level)."""
        if self._anchor is None:
            anchor = np.arange(len(self.tree_pos))
            lv = self.tree_levels
            for d in range(CHAIN_TAIL, len(lv) - 1):  # parents lie in the level before: already final
                anchor[lv[d]:lv[d + 1]] = anchor[self.tree_par[lv[d]:lv[d + 1]]]
            self._anchor = anchor
        return self._anchor


def propagate(g: nx.MultiDiGraph, cut, index: DependencyIndex | None = None, explain: bool = True) -> Propagation:
    """Return what fails and what is degraded when the nodes in ``cut`` stop working.

    With ``explain=False`` the why-chains are not computed (``chain`` then
    returns the node alone); that is faster when only the sets are needed.
    The work is proportional to the number of nodes and groups the cut
    reaches; calls from several threads at once are safe.
    """
    idx = index or dependency_index(g)
    pos = idx.pos
    cut_ids = sorted({c for c in cut if c in pos})
    cut_pos = np.fromiter(map(pos.__getitem__, cut_ids), dtype=np.int64, count=len(cut_ids))
    failed_pos, degraded_pos, tree_pos, tree_par, tree_levels = _run(idx, cut_pos, explain)
    failed_pos.sort()
    degraded_pos.sort()
    return Propagation(index=idx, cut=cut_ids, failed_pos=failed_pos, degraded_pos=degraded_pos,
                       tree_pos=tree_pos, tree_par=tree_par, tree_levels=tree_levels)


def failed_positions(idx: DependencyIndex, cut_pos: np.ndarray) -> np.ndarray:
    """The positions of the nodes that fail when the nodes at ``cut_pos`` (distinct) are cut (not the cut), unsorted.

    The bare core of :func:`propagate`, for callers that cut many groups (blast radius).
    """
    return _run(idx, np.ascontiguousarray(cut_pos, dtype=np.int64), False)[0]


def _run(idx: DependencyIndex, cut_pos: np.ndarray, explain: bool) -> tuple:
    """The compiled kernel (:func:`~sovmap.graph.kernel.run_cut`) on the index and a scratch space of its pool."""
    s = idx._take()
    out = run_cut(idx.member_ptr, idx.member_targets(), idx.group_owner, idx.group_spare, s.state, s.lost, s.where,
                  s.queue, cut_pos, explain)
    idx._pool.append(s)  # only once reset: a call that raised leaves its scratch to the collector
    return out


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
