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
propagation then runs level by level, a small level as a plain loop over those
arrays and a large one with numpy, on scratch arrays kept with the index and
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

import weakref
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sovmap.ontology.vocab import vocabulary

from .model import edge_meaning

__all__ = ["CHAIN_HEAD", "CHAIN_TAIL", "DependencyIndex", "Propagation", "dependency_index", "failed_positions",
           "propagate", "reference_fixpoint"]

CHAIN_HEAD = 3  # a long why-chain is shown as its first CHAIN_HEAD nodes, "…", and its last CHAIN_TAIL nodes
CHAIN_TAIL = 3


FAILED, DEGRADED, SEEN = 1, 2, 4  # bits of the per-node scratch state
SMALL_WORK = 256  # memberships in a level below which a plain loop beats numpy's fixed cost per call


class _Scratch:
    """Work space for one call at a time: arrays as long as the graph, allocated once and reused.

    ``state`` (FAILED | DEGRADED | SEEN bits) and ``lost`` (members lost per
    group) are zero at rest: a call resets exactly the entries it touched
    before the space is reused. ``where`` and ``slots`` hold anything at rest.
    """

    __slots__ = ("state", "lost", "where", "slots", "state_mv", "lost_mv")

    def __init__(self, nodes: int, groups: int):
        self.state = np.zeros(nodes, dtype=np.uint8)
        self.lost = np.zeros(groups, dtype=np.int64)
        self.where = np.zeros(nodes, dtype=np.int64)
        self.slots = np.zeros(nodes, dtype=np.int64)
        self.state_mv = memoryview(self.state)  # element access from Python without numpy's per-item cost
        self.lost_mv = memoryview(self.lost)


@dataclass
class DependencyIndex:
    """The dependency structure of a graph as flat arrays.

    Groups are numbered 0..G-1; ``group_owner[g]`` is the dependent node,
    ``group_k[g]`` its min_required, ``group_size[g]`` its number of members
    (distinct nodes: one node reached through two relations counts once).
    ``member_ptr``/``member_groups`` is a CSR list: for node i, the groups it
    is a member of are ``member_groups[member_ptr[i]:member_ptr[i+1]]``.

    The index also keeps a pool of scratch spaces (:class:`_Scratch`), one per
    call running at the same time: threads never share one, and each call
    resets only what it touched, so its work is proportional to what the cut
    reaches, not to the size of the graph.
    """

    ids: list[str]
    pos: dict[str, int]
    group_owner: np.ndarray
    group_k: np.ndarray
    group_size: np.ndarray
    member_ptr: np.ndarray
    member_groups: np.ndarray
    stamp: tuple
    _pool: list = field(default_factory=list, repr=False)
    memo: dict = field(default_factory=dict, repr=False)  # results derived from the structure alone (blast radius)

    def __getstate__(self) -> dict:  # memoryviews and scratch do not pickle: rebuilt on load
        state = {k: v for k, v in self.__dict__.items() if k not in ("_views", "ids_array", "_pool", "memo")}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._pool, self.memo = [], {}
        self.__post_init__()

    def __post_init__(self):
        # A group breaks when it loses more members than it can spare.
        self.group_spare = np.ascontiguousarray(self.group_size - self.group_k, dtype=np.int64)
        self.member_ptr = np.ascontiguousarray(self.member_ptr, dtype=np.int64)
        self.member_groups = np.ascontiguousarray(self.member_groups, dtype=np.int64)
        self.group_owner = np.ascontiguousarray(self.group_owner, dtype=np.int64)
        self.ids_array = np.array(self.ids, dtype=object)  # ids of many positions at once, at C speed
        self._views = tuple(memoryview(a) for a in (self.member_ptr, self.member_groups, self.group_owner,
                                                    self.group_spare))

    def names(self, positions) -> list[str]:
        """The ids at ``positions`` (a list or an array of node positions)."""
        if isinstance(positions, list):
            return list(map(self.ids.__getitem__, positions))
        return self.ids_array[positions].tolist()

    def _take(self) -> _Scratch:
        """A clean scratch space: one from the pool, or a new one when every pooled one is in use."""
        try:
            return self._pool.pop()  # atomic: two threads never get the same one
        except IndexError:
            return _Scratch(len(self.ids), len(self.group_owner))

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
    failed: list[str]
    degraded: list[str]
    tree_pos: np.ndarray
    tree_par: np.ndarray
    tree_levels: np.ndarray
    failed_pos: np.ndarray | None = None  # the positions of ``failed`` and ``degraded`` in the index, ascending
    degraded_pos: np.ndarray | None = None
    _at: object = field(default=None, init=False, repr=False)  # node position → tree index (dict or array)
    _anchor: np.ndarray | None = field(default=None, init=False, repr=False)  # where the last CHAIN_TAIL nodes start

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
    cut_ids = sorted({c for c in cut if c in idx.pos})
    cut_pos = np.asarray([idx.pos[c] for c in cut_ids], dtype=np.int64)
    s = idx._take()
    failed_pos, degraded_pos, tree = _run(idx, s, cut_pos, explain)
    idx._pool.append(s)  # only once reset: a call that raised leaves its scratch to the collector
    return Propagation(
        index=idx,
        cut=cut_ids,
        failed=idx.names(failed_pos),
        degraded=idx.names(degraded_pos),
        tree_pos=tree[0],
        tree_par=tree[1],
        tree_levels=tree[2],
        failed_pos=np.asarray(failed_pos, dtype=np.int64),
        degraded_pos=np.asarray(degraded_pos, dtype=np.int64),
    )


def failed_positions(idx: DependencyIndex, cut_pos: np.ndarray) -> np.ndarray:
    """The positions of the nodes that fail when the nodes at ``cut_pos`` are cut (not the cut), unsorted.

    The bare core of :func:`propagate`, for callers that cut many groups (blast radius).
    """
    s = idx._take()
    levels, touched = _spread(idx, s, cut_pos)
    out = _as_array(levels)
    _reset(s, cut_pos, levels, (), touched)
    idx._pool.append(s)
    return out


def _as_array(parts: list) -> np.ndarray:
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    if len(parts) == 1:
        return np.asarray(parts[0], dtype=np.int64)
    return np.concatenate([np.asarray(p, dtype=np.int64) for p in parts])


def _run(idx: DependencyIndex, s: _Scratch, cut_pos: np.ndarray, explain: bool):
    """(sorted failed positions, sorted degraded positions, chain tree) as lists or arrays; ``s`` reset after."""
    levels, touched = _spread(idx, s, cut_pos)
    count = sum(len(x) for x in levels)
    if count + sum(len(x) for x in touched) <= SMALL_WORK:  # a small cut: plain Python on short lists
        owner, state = idx._views[2], s.state_mv
        failed_pos = sorted(i for x in levels for i in (x if isinstance(x, list) else x.tolist()))
        degraded_pos = sorted({o for x in touched for o in map(owner.__getitem__, x if isinstance(x, list)
                                                                else x.tolist()) if not state[o]})
    else:
        touched_owners = idx.group_owner[_as_array(touched)]
        degraded_pos = np.sort(_distinct(touched_owners[s.state[touched_owners] == 0], s.slots))
        if count > len(idx.ids) // 32:  # many failed: one pass over the states beats sorting them
            s.state[cut_pos] = 0
            failed_pos = np.flatnonzero(s.state)
            s.state[cut_pos] = FAILED
        else:
            failed_pos = np.sort(_as_array(levels))
    if explain:
        tree = _tree(idx, s, cut_pos, degraded_pos)
    else:
        tree = (cut_pos, np.full(len(cut_pos), -1, dtype=np.int64), np.asarray([0, len(cut_pos)], dtype=np.int64))
    _reset(s, cut_pos, levels, degraded_pos, touched)
    return failed_pos, degraded_pos, tree


def _spread(idx: DependencyIndex, s: _Scratch, cut_pos: np.ndarray) -> tuple[list, list]:
    """Mark FAILED in ``s.state`` everything the cut brings down; count lost members in ``s.lost``.

    Returns (the nodes each level newly fails, the groups that can spare
    members each level hits: only those can leave their owner degraded),
    lists or arrays: small levels run as a plain loop over the index's
    arrays, large ones with numpy.
    """
    ptr, members, owner, spare = idx._views
    state, lost, state_mv, lost_mv = s.state, s.lost, s.state_mv, s.lost_mv
    state[cut_pos] = FAILED
    levels: list = []
    touched: list = []
    frontier = cut_pos.tolist()
    while len(frontier):
        if isinstance(frontier, list) and sum(ptr[v + 1] - ptr[v] for v in frontier) <= SMALL_WORK:
            new, hit = [], []
            for v in frontier:
                for j in range(ptr[v], ptr[v + 1]):
                    gi = members[j]
                    sp = spare[gi]
                    if sp > 0:  # a group that can spare members: count (a required dependency breaks at once)
                        c = lost_mv[gi] + 1
                        lost_mv[gi] = c
                        if c == 1:
                            hit.append(gi)
                        if c <= sp:
                            continue
                    o = owner[gi]
                    if not state_mv[o]:
                        state_mv[o] = FAILED
                        new.append(o)
            touched.append(hit)
            frontier = new
        else:
            hit = idx.groups_of(np.asarray(frontier, dtype=np.int64))
            if len(hit) == 0:
                break
            spare_hit = idx.group_spare[hit]
            counted = hit[spare_hit > 0]  # nearly all groups are required dependencies: they break uncounted
            np.add.at(lost, counted, 1)
            touched.append(counted)
            owners = idx.group_owner[np.concatenate((hit[spare_hit <= 0],
                                                     counted[lost[counted] > idx.group_spare[counted]]))]
            frontier = _distinct(owners[state[owners] == 0], s.slots)
            state[frontier] = FAILED
            if len(frontier) * 8 <= SMALL_WORK:
                frontier = frontier.tolist()
        levels.append(frontier)
    return levels, touched


def _reset(s: _Scratch, cut_pos: np.ndarray, levels: list, degraded: list, touched: list) -> None:
    """Zero the entries of ``s`` that a call set: its state and lost arrays are zero again."""
    for arr, mv, parts in ((s.state, s.state_mv, [cut_pos, degraded, *levels]), (s.lost, s.lost_mv, touched)):
        for x in parts:
            if isinstance(x, list) and len(x) < 64:
                for i in x:
                    mv[i] = 0
            elif len(x):
                arr[np.asarray(x, dtype=np.int64)] = 0


def _tree(idx: DependencyIndex, s: _Scratch, cut_pos: np.ndarray, degraded_pos: list):
    """Breadth-first from the cut through failed nodes, to failed and degraded ones: the chain tree.

    A node's parent is the first node of the level before (in ascending
    position; the cut in its own order) that it depends on, through its
    groups in index order: a loop or numpy pick the same.
    """
    ptr, members, owner, _ = idx._views
    state, state_mv = s.state, s.state_mv
    if len(degraded_pos) < 64:
        for i in degraded_pos:
            state_mv[i] = DEGRADED
    else:
        state[np.asarray(degraded_pos, dtype=np.int64)] = DEGRADED
    state[cut_pos] |= SEEN
    nodes: list = [cut_pos]
    parents: list = [cut_pos]  # placeholders: a cut node has no parent
    sizes = [len(cut_pos)]
    frontier = cut_pos.tolist()
    while len(frontier):
        if isinstance(frontier, list) and sum(ptr[v + 1] - ptr[v] for v in frontier) <= SMALL_WORK:
            got, par = [], []
            for v in frontier:
                for j in range(ptr[v], ptr[v + 1]):
                    o = owner[members[j]]
                    st = state_mv[o]
                    if st & (FAILED | DEGRADED) and not st & SEEN:
                        state_mv[o] = st | SEEN
                        got.append(o)
                        par.append(v)
            if not got:
                break
            frontier = sorted(o for o in got if state_mv[o] & FAILED)
        else:
            f = np.asarray(frontier, dtype=np.int64)
            starts = idx.member_ptr[f]
            lens = idx.member_ptr[f + 1] - starts
            owners = idx.group_owner[idx.groups_of(f)]
            sources = np.repeat(f, lens)
            st = state[owners]
            keep = ((st & (FAILED | DEGRADED)) != 0) & ((st & SEEN) == 0)
            owners, sources = owners[keep], sources[keep]
            if len(owners) == 0:
                break
            got, first = np.unique(owners, return_index=True)
            par = sources[first]
            state[got] |= SEEN
            frontier = got[(state[got] & FAILED) != 0]
            if len(frontier) * 8 <= SMALL_WORK:
                frontier = frontier.tolist()
        nodes.append(got)
        parents.append(par)
        sizes.append(len(got))
    tree_pos = _as_array(nodes)
    where = s.where
    where[tree_pos] = np.arange(len(tree_pos))
    tree_par = np.full(len(tree_pos), -1, dtype=np.int64)
    tree_par[len(cut_pos):] = where[_as_array(parents[1:])]
    levels = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=levels[1:])
    return tree_pos, tree_par, levels


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
