"""The compiled cut kernel: failure propagation and the why-chain tree in one pass over the index arrays.

:func:`run_cut` is the whole engine behind :func:`sovmap.graph.propagation.propagate`:
given a cut (node positions) it marks what fails, counts lost members per
k-of-N group, collects the degraded nodes, and builds the breadth-first chain
tree, on the flat arrays of a :class:`~sovmap.graph.dependency_index.DependencyIndex`
and the scratch arrays kept with it (reset before it returns, only where it
wrote). It is written once, in the subset of Python that numba compiles
(``@njit(cache=True)``): compiled it runs a national cut of a few thousand
failed items in tens of microseconds, where the same steps as interpreted
Python or numpy calls cost a few hundred nanoseconds each. With
``NUMBA_DISABLE_JIT=1`` the very same function runs interpreted (slowly);
the tests run it both ways against the plain fixpoint.

numba is imported on the first cut only (commands that propagate nothing never
pay for it). The compiled machine code is cached beside this module, or in the
user's cache folder when the installed package is read-only (numba's own
fallback); when neither can be written the kernel is compiled in memory for
each process (a second or two, once). :func:`kernel_info` says which.

Examples
--------
>>> import numpy as np
>>> # two nodes: node 0 depends on node 1 (one group of one, owned by node 0)
>>> ptr, members = np.array([0, 0, 1]), np.array([0])
>>> owner, spare = np.array([0]), np.array([0])
>>> state, lost = np.zeros(2, dtype=np.uint8), np.zeros(1, dtype=np.int64)
>>> where, queue = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int64)
>>> failed, degraded, pos, par, levels = run_cut(ptr, members, owner, spare, state, lost, where, queue,
...                                              np.array([1]), True)
>>> failed.tolist(), degraded.tolist(), pos.tolist(), par.tolist(), levels.tolist()
([0], [], [1, 0], [-1, 0], [0, 1, 2])
>>> state.any() or lost.any()  # the scratch is clean again
False
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

__all__ = ["DEGRADED", "FAILED", "SEEN", "kernel_info", "run_cut"]

FAILED, DEGRADED, SEEN, CUT = 1, 2, 4, 8  # bits of the per-node scratch state (zero at rest)

_compiled = None  # the dispatcher numba made of _cut, once
_info: dict = {}


def _cut(ptr, members, owner, spare, state, lost, where, queue, cut_pos, explain):
    """The kernel itself (see :func:`run_cut`); compiled by numba on first use."""
    n_cut = len(cut_pos)
    # 1. What fails: each failed node enters the queue once (the cut first) and passes failure to its groups' owners.
    nq = 0
    for i in range(n_cut):
        c = cut_pos[i]
        state[c] = FAILED | CUT
        queue[nq] = c
        nq += 1
    hit = np.empty(64, dtype=np.int64)  # the groups that can spare members and lost one: their owners may be degraded
    nh = 0
    head = 0
    while head < nq:
        v = queue[head]
        head += 1
        for j in range(ptr[v], ptr[v + 1]):
            gi = members[j]
            sp = spare[gi]
            if sp > 0:  # a group that can spare members: count (a required dependency breaks at once)
                k = lost[gi] + 1
                lost[gi] = k
                if k == 1:
                    if nh == len(hit):
                        grown = np.empty(2 * nh, dtype=np.int64)
                        grown[:nh] = hit
                        hit = grown
                    hit[nh] = gi
                    nh += 1
                if k <= sp:
                    continue
            o = owner[gi]
            if state[o] == 0:
                state[o] = FAILED
                queue[nq] = o
                nq += 1
    n_failed = nq - n_cut
    # 2. Degraded: the owner of a group that lost members, neither failed nor cut.
    degraded = np.empty(nh, dtype=np.int64)
    nd = 0
    for i in range(nh):
        o = owner[hit[i]]
        if state[o] == 0:
            state[o] = DEGRADED
            degraded[nd] = o
            nd += 1
    degraded = np.sort(degraded[:nd])
    # 3. The failed positions in ascending order: sorted when few, one pass over the states when many.
    n = len(state)
    if n_failed * 32 > n:
        failed = np.empty(n_failed, dtype=np.int64)
        f = 0
        for i in range(n):
            if state[i] & (FAILED | CUT) == FAILED:
                failed[f] = i
                f += 1
    else:
        failed = np.sort(queue[n_cut:nq])
    # 4. The chain tree: breadth-first from the cut through failed nodes to failed and degraded ones.
    if explain:
        total = nq + nd
        tree_pos = np.empty(total, dtype=np.int64)
        tree_par = np.empty(total, dtype=np.int64)
        levels = np.empty(total + 2, dtype=np.int64)
        for i in range(n_cut):
            c = cut_pos[i]
            tree_pos[i] = c
            tree_par[i] = -1
            where[c] = i
            state[c] |= SEEN
        levels[0] = 0
        levels[1] = n_cut
        n_levels = 2
        start, end, t = 0, n_cut, n_cut
        while start < end:
            for a in range(start, end):
                v = tree_pos[a]
                if not state[v] & FAILED:
                    continue  # a degraded node ends its chain
                for j in range(ptr[v], ptr[v + 1]):
                    o = owner[members[j]]
                    st = state[o]
                    if not st & (FAILED | DEGRADED):
                        continue
                    if not st & SEEN:
                        state[o] = st | SEEN
                        where[o] = t
                        tree_pos[t] = o
                        tree_par[t] = a
                        t += 1
                    elif start > 0 and where[o] >= end and v < tree_pos[tree_par[where[o]]]:
                        # reached again in this level: the parent is the lowest position of the level before
                        # (of the cut, the first in cut order: met first, never replaced)
                        tree_par[where[o]] = a
            if t == end:
                break
            levels[n_levels] = t
            n_levels += 1
            start, end = end, t
        tree_pos, tree_par, levels = tree_pos[:t].copy(), tree_par[:t].copy(), levels[:n_levels].copy()
    else:
        tree_pos = cut_pos.copy()
        tree_par = np.full(n_cut, -1, dtype=np.int64)
        levels = np.empty(2, dtype=np.int64)
        levels[0] = 0
        levels[1] = n_cut
    # 5. Reset exactly what was written: the scratch is zero again.
    for i in range(nq):
        state[queue[i]] = 0
    for i in range(nd):
        state[degraded[i]] = 0
    for i in range(nh):
        lost[hit[i]] = 0
    return failed, degraded, tree_pos, tree_par, levels


def run_cut(ptr, members, owner, spare, state, lost, where, queue, cut_pos, explain):
    """Propagate the cut at ``cut_pos`` (distinct positions, in the order the chain tree takes them).

    ``ptr``/``members``: for node i, the groups it is a member of are
    ``members[ptr[i]:ptr[i+1]]``; ``owner`` and ``spare`` (members a group
    can lose) per group; ``state`` (uint8) and ``lost`` per node and group,
    zero before and after; ``where`` and ``queue`` per node, any contents.
    All int64 except ``state``.

    Returns (failed, degraded, tree_pos, tree_par, tree_levels): the positions
    that fail and those that only lose members of a group, both ascending and
    without the cut; the breadth-first chain tree over the cut, failed and
    degraded nodes (cut first in its own order, then level by level; within
    a level in the order reached) with for each the tree index of its next
    node towards the cut (-1 for the cut) and the start of each level. A
    node's parent is the lowest position of the level before that it depends
    on (in level 1: the first of the cut). With ``explain`` false the tree
    holds the cut only.
    """
    global _compiled
    if _compiled is None:
        _compiled = _compile()
    return _compiled(ptr, members, owner, spare, state, lost, where, queue, cut_pos, explain)


def _compile():
    """numba's dispatcher for :func:`_cut`, cached on disk where a cache folder can be written."""
    t = time.perf_counter()
    import numba

    _info["import_s"] = time.perf_counter() - t
    _info["jit"] = not numba.config.DISABLE_JIT
    options = {"nogil": True, "boundscheck": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", numba.NumbaWarning)  # a cache that cannot be written is not the user's concern
        try:
            fn = numba.njit(cache=True, **options)(_cut)
            _info["cache"] = True
        except RuntimeError:  # no folder for a cache can be written: compile in memory
            fn = numba.njit(**options)(_cut)
            _info["cache"] = False
    return fn


def kernel_info(warm: bool = True) -> dict:
    """How the kernel was made in this process: numba's import time, whether it is compiled and cached.

    With ``warm`` it is made now (a tiny cut) and ``first_call_s`` says how long
    that took: loading the cached machine code, or compiling it when there is
    none (``NUMBA_CACHE_DIR`` chooses the cache folder; numba's own rule).
    """
    if warm and "first_call_s" not in _info:
        t = time.perf_counter()
        z = np.zeros(2, dtype=np.int64)
        run_cut(z, np.zeros(0, dtype=np.int64), z[:0], z[:0], np.zeros(1, dtype=np.uint8), z[:0], z[:1].copy(),
                z[:1].copy(), np.zeros(1, dtype=np.int64), True)
        _info["first_call_s"] = time.perf_counter() - t
    return dict(_info, cache_dir=os.environ.get("NUMBA_CACHE_DIR"))
