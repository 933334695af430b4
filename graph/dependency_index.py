"""The dependency structure of a graph compiled into flat integer arrays, built once per graph and reused.

:func:`dependency_index` gives the compiled :class:`DependencyIndex` of a
graph: its k-of-N requirement groups (a required dependency is a group of
one), which groups each node is a member of (a CSR list), and a pool of
scratch spaces for :mod:`sovmap.graph.propagation`, which runs every cut on
it. Only relations marked ``propagatesFailure`` in the ontology count. The
index is kept per graph and rebuilt when nodes or edges are added or removed.
An index stored earlier (a workspace snapshot keeps :data:`INDEX_ARRAYS`) is
given to a graph with :func:`attach_index`, under the same rule.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from(["proc", "app-a", "app-b", "cloud"], kind="system")
>>> _ = g.add_edge("proc", "app-a", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("proc", "app-b", key="uses", groups=(("mail", 1),))
>>> _ = g.add_edge("app-a", "cloud", key="depends_on")
>>> idx = dependency_index(g)
>>> [idx.ids[o] for o in idx.group_owner], idx.group_k.tolist(), idx.group_size.tolist()
(['proc', 'app-a'], [1, 1], [2, 1])
>>> dependency_index(g) is idx  # nothing changed: the same index
True
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sovmap.ontology.vocab import vocabulary

from .model import edge_meaning

__all__ = ["DependencyIndex", "INDEX_ARRAYS", "Scratch", "attach_index", "dependency_index"]


class Scratch:
    """Work space for one call at a time: arrays as long as the graph, allocated once and reused.

    ``state`` (the kernel's FAILED | DEGRADED | SEEN | CUT bits) and ``lost``
    (members lost per group) are zero at rest: a call resets exactly the
    entries it touched before the space is reused. ``where`` and ``queue``
    hold anything at rest.
    """

    __slots__ = ("state", "lost", "where", "queue")

    def __init__(self, nodes: int, groups: int):
        self.state = np.zeros(nodes, dtype=np.uint8)
        self.lost = np.zeros(groups, dtype=np.int64)
        self.where = np.empty(nodes, dtype=np.int64)
        self.queue = np.empty(nodes, dtype=np.int64)


@dataclass
class DependencyIndex:
    """The dependency structure of a graph as flat arrays.

    Groups are numbered 0..G-1; ``group_owner[g]`` is the dependent node,
    ``group_k[g]`` its min_required, ``group_size[g]`` its number of members
    (distinct nodes: one node reached through two relations counts once).
    ``member_ptr``/``member_groups`` is a CSR list: for node i, the groups it
    is a member of are ``member_groups[member_ptr[i]:member_ptr[i+1]]``.

    The index also keeps a pool of scratch spaces (:class:`Scratch`), one per
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

    def __getstate__(self) -> dict:  # the scratch pool and memo are not pickled: rebuilt on load
        state = {k: v for k, v in self.__dict__.items() if k not in ("ids_array", "_pool", "memo", "_targets")}
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
        self._targets = None

    def member_targets(self) -> np.ndarray:
        """``member_groups`` as the cut kernel reads it: a group that breaks at its first lost member (a required
        dependency, nearly every group) as its owner's position, any other group g as ``-1 - g`` (int32).

        Made on first use and kept: the kernel then finds the node a required dependency brings down in one
        read instead of three.
        """
        targets = self._targets
        if targets is None:
            mg = self.member_groups
            targets = np.where(self.group_spare[mg] > 0, -1 - mg, self.group_owner[mg]).astype(np.int32)
            self._targets = targets
        return targets

    def names(self, positions) -> list[str]:
        """The ids at ``positions`` (a list or an array of node positions)."""
        if isinstance(positions, list):
            return list(map(self.ids.__getitem__, positions))
        return self.ids_array[positions].tolist()

    def _take(self) -> Scratch:
        """A clean scratch space: one from the pool, or a new one when every pooled one is in use."""
        try:
            return self._pool.pop()  # atomic: two threads never get the same one
        except IndexError:
            return Scratch(len(self.ids), len(self.group_owner))

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


INDEX_ARRAYS = ("group_owner", "group_k", "group_size", "member_ptr", "member_groups")
"""The arrays that, with the graph's node order, make a :class:`DependencyIndex` (what a snapshot stores)."""

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


def attach_index(g: nx.MultiDiGraph, arrays: dict[str, np.ndarray], ids: list[str] | None = None) -> DependencyIndex:
    """Give ``g`` an index built earlier from a graph equal to it (``arrays``: the :data:`INDEX_ARRAYS`).

    :func:`dependency_index` then returns it instead of building one, until nodes or edges of ``g``
    are added or removed (the same rule as for an index it built). ``ids``: the list of ``g``'s
    nodes in order, when the caller has it. Raises ``ValueError`` when the arrays cannot be an index
    of ``g`` (other lengths, positions out of range, group sizes that do not add up); that they
    describe *this* graph's dependencies is the caller's promise (a snapshot checks its source and
    checksum).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("proc", "app", key="uses")
    >>> built = DependencyIndex.build(g)
    >>> h = nx.MultiDiGraph(g)
    >>> idx = attach_index(h, {name: getattr(built, name) for name in INDEX_ARRAYS})
    >>> dependency_index(h) is idx
    True
    >>> _ = h.add_edge("app", "cloud", key="hosted_at")
    >>> dependency_index(h) is idx  # the graph changed: built again
    False
    """
    ids = list(g) if ids is None else ids
    n = len(ids)
    owner, k, size, ptr, members = (np.asarray(arrays[name], dtype=np.int64) for name in INDEX_ARRAYS)
    groups = len(owner)
    if n != len(g) or len(k) != groups or len(size) != groups or len(ptr) != n + 1:
        raise ValueError("the index arrays do not match the graph's size")
    if (ptr[0] != 0 or (np.diff(ptr) < 0).any() or ptr[-1] != len(members)
            or (groups and (owner.min() < 0 or owner.max() >= n))
            or (len(members) and (members.min() < 0 or members.max() >= groups))
            or (np.bincount(members, minlength=groups) != size).any()):
        raise ValueError("the index arrays are inconsistent")
    idx = DependencyIndex(ids=ids, pos=dict(zip(ids, range(n))), group_owner=owner, group_k=k, group_size=size,
                          member_ptr=ptr, member_groups=members, stamp=_version(g))
    _cache[g] = idx
    return idx
