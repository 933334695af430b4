"""The compiled cut kernel: failure propagation and the why-chain tree in one pass over the index arrays.

:func:`run_cut` is the whole engine behind :func:`sovmap.graph.propagation.propagate`:
given a cut (node positions) it marks what fails, counts lost members per
k-of-N group, collects the degraded nodes, and builds the breadth-first chain
tree, on the flat arrays of a :class:`~sovmap.graph.dependency_index.DependencyIndex`
and the scratch arrays kept with it (reset before it returns, only where it
wrote). It is written once, in the subset of Python that numba compiles
(``@njit(cache=True)``): compiled it runs a national cut of a few thousand
failed items in tens of microseconds, where the same steps as interpreted
Python or numpy calls cost a few hundred nanoseconds each. Called as plain
Python the very same function gives the same answers, slowly; the tests run
it both ways against the plain fixpoint. Sorting is left to numpy (its sort
is several times faster than numba's).

numba is imported only when the compiled kernel pays off (:data:`JIT`): once
the cuts of a process have reached enough nodes; until then the same function
runs interpreted, so a command on a small inventory never loads numba. The compiled machine code is cached beside this
module, or in the user's cache folder when the installed package is read-only
(numba's own fallback); when neither can be written the kernel is compiled in
memory for each process (a few seconds). :func:`kernel_info` says which.

Examples
--------
>>> import numpy as np
>>> # two nodes: node 0 depends on node 1 (one group of one, owned by node 0: it breaks at once)
>>> ptr, targets = np.array([0, 0, 1]), np.array([0], dtype=np.int32)
>>> owner, spare = np.array([0]), np.array([0])
>>> state, lost = np.zeros(2, dtype=np.uint8), np.zeros(1, dtype=np.int64)
>>> where, queue = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int64)
>>> failed, degraded, pos, par, levels = run_cut(ptr, targets, owner, spare, state, lost, where, queue,
...                                              np.array([1]), True)
>>> failed.tolist(), degraded.tolist(), pos.tolist(), par.tolist(), levels.tolist()
([0], [], [1, 0], [-1, 0], [0, 1, 2])
>>> bool(state.any() or lost.any())  # the scratch is clean again
False
"""

from __future__ import annotations

import threading
import time
import warnings

import numpy as np

__all__ = ["DEGRADED", "FAILED", "SEEN", "kernel_info", "run_cut"]

FAILED, DEGRADED, SEEN = 1, 2, 4  # bits of the per-node scratch state (zero at rest)

_compiled = None  # the dispatcher numba made of _cut, once
_making = threading.Lock()
_info: dict = {}


def _cut(ptr, targets, owner, spare, state, lost, where, queue, cut_pos, explain):
    """The kernel itself (see :func:`run_cut`); compiled by numba on first use."""
    n_cut = len(cut_pos)
    # 1. What fails: each failed node enters the queue once (the cut first) and passes failure to its groups' owners.
    nq = 0
    for i in range(n_cut):
        c = cut_pos[i]
        state[c] = FAILED
        queue[nq] = c
        nq += 1
    head = 0
    while head < nq:
        v = queue[head]
        head += 1
        for j in range(ptr[v], ptr[v + 1]):
            o = targets[j]  # the owner of a group that breaks at once (a required dependency)
            if o < 0:  # a group that can spare members (-1 - its number): count
                gi = -1 - o
                k = lost[gi] + 1
                lost[gi] = k
                if k <= spare[gi]:
                    continue
                o = owner[gi]
            if state[o] == 0:
                state[o] = FAILED
                queue[nq] = o
                nq += 1
    # 2. Degraded: the owner of a group that lost members, neither failed nor cut; queued after the failed nodes.
    # Every such group has a failed member: one more pass over their groups finds each (and zeroes its count).
    nd = 0
    for i in range(nq):
        v = queue[i]
        for j in range(ptr[v], ptr[v + 1]):
            gi = -1 - targets[j]
            if gi >= 0 and lost[gi] > 0:
                lost[gi] = 0
                o = owner[gi]
                if state[o] == 0:
                    state[o] = DEGRADED
                    queue[nq + nd] = o
                    nd += 1
    failed = queue[n_cut:nq].copy()
    degraded = queue[nq:nq + nd].copy()
    # 3. The chain tree: breadth-first from the cut through failed nodes to failed and degraded ones.
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
                    o = targets[j]
                    if o < 0:
                        o = owner[-1 - o]
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
    # 4. Reset exactly what was written (the counts already are): the scratch is zero again.
    for i in range(nq + nd):
        state[queue[i]] = 0
    return failed, degraded, tree_pos, tree_par, levels


def run_cut(ptr, targets, owner, spare, state, lost, where, queue, cut_pos, explain):
    """Propagate the cut at ``cut_pos`` (distinct positions, in the order the chain tree takes them).

    ``ptr``/``targets``: for node i, the groups it is a member of are
    ``targets[ptr[i]:ptr[i+1]]``, each given as its owner (a node position)
    when the group breaks at the first member lost, else as ``-1 - g`` for
    group g (int32; see :meth:`~sovmap.graph.dependency_index.DependencyIndex.member_targets`);
    ``owner`` and ``spare`` (members a group can lose) per group; ``state``
    (uint8) and ``lost`` per node and group, zero before and after; ``where``
    and ``queue`` per node, any contents. The others are int64.

    Returns (failed, degraded, tree_pos, tree_par, tree_levels): the positions
    that fail and those that only lose members of a group, both without the
    cut and in no particular order; the breadth-first chain tree over the
    cut, failed and degraded nodes (cut first in its own order, then level
    by level; within a level in the order reached) with for each the tree
    index of its next node towards the cut (-1 for the cut) and the start of
    each level. A node's parent is the lowest position of the level before
    that it depends on (in level 1: the first of the cut). With ``explain``
    false the tree holds the cut only.

    Runs compiled or interpreted as :data:`JIT` says.
    """
    global _spent
    fn = _compiled
    if fn is None:
        if JIT is False or (JIT is None and _spent < INTERPRET_BUDGET):
            out = _cut(ptr, targets, owner, spare, state, lost, where, queue, cut_pos, explain)
            _spent += len(cut_pos) + len(out[0]) + len(out[1])
            return out
        fn = compiled()
    return fn(ptr, targets, owner, spare, state, lost, where, queue, cut_pos, explain)


JIT: bool | None = None
"""True: always run the compiled kernel; False: always interpreted (for tests); None: as below.

Loading the compiled kernel costs a process about half a second of CPU time
(numba's import and its cached machine code; compiling it, once per
installation, a few seconds), while the interpreted kernel costs a few
microseconds per node a cut reaches. So cuts run interpreted until those of
this process have reached :data:`INTERPRET_BUDGET` nodes in all (about what
loading costs), then compiled: a command on a small inventory, or one small
cut on a large one, never loads numba, and a session that cuts a lot pays the
load once, when it pays off (a rent-or-buy rule: never much more than twice
the better choice, plus the one cut that crosses the budget).
"""
INTERPRET_BUDGET = 100_000  # about a third of a second of interpreted cuts: what loading the compiled kernel costs
_spent = 0  # nodes reached by interpreted cuts in this process (approximate under threads: it only steers)


def compiled():
    """numba's dispatcher for the kernel, made once per process: imported, then loaded from its cache or compiled.

    The machine code is cached on disk where a cache folder can be written
    (numba's rule: beside this module, else the user's cache folder; the
    ``NUMBA_CACHE_DIR`` environment variable chooses another); where none can,
    it is compiled in memory for each process. With ``NUMBA_DISABLE_JIT=1``
    numba hands back the interpreted function.
    """
    global _compiled
    with _making:  # one thread makes it; the others wait for it
        if _compiled is None:
            _compiled = _make()
    return _compiled


def _make():
    t = time.perf_counter()
    import numba

    _info["import_s"] = time.perf_counter() - t
    _info["jit"] = not numba.config.DISABLE_JIT
    z = np.zeros(2, dtype=np.int64)  # one tiny cut of the callers' types: load the cached code or compile it now
    tiny = (z, np.zeros(0, dtype=np.int32), z[:0], z[:0], np.zeros(1, dtype=np.uint8), z[:0], z[:1].copy(),
            z[:1].copy(), z[:1].copy(), True)

    def make(cache: bool):
        fn = numba.njit(cache=cache, nogil=True, boundscheck=False)(_cut)
        fn(*tiny)
        return fn

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", numba.NumbaWarning)  # a cache that cannot be written is not the user's concern
        try:
            fn, _info["cache"] = make(True), True
        except Exception:  # noqa: BLE001 - no cache folder can be written, or an entry does not load (one made
            try:           # from another copy of this file, under another module name): empty the cache, once
                numba.njit(cache=True)(_cut)._cache.flush()
                fn, _info["cache"] = make(True), True
            except Exception:  # noqa: BLE001 - no usable cache at all: compiled in memory, for this process
                fn, _info["cache"] = make(False), False
    _info["first_call_s"] = time.perf_counter() - t - _info["import_s"]
    return fn


def kernel_info(warm: bool = False) -> dict:
    """How the compiled kernel was made in this process; with ``warm`` it is made now (see :func:`compiled`).

    ``import_s``: numba's import; ``first_call_s``: loading the cached machine
    code, or compiling it when there was none; ``cache``: whether a cache
    folder could be used; ``jit``: whether it is compiled at all. Empty while
    this process has only run the kernel interpreted.

    >>> sorted(kernel_info(warm=True))
    ['cache', 'first_call_s', 'import_s', 'jit']
    """
    if warm:
        compiled()
    return dict(_info)
