"""Content hashes of a graph's nodes, computed in bulk (what an incremental push compares).

A node's hash covers what a push stores for it: its attributes, its derived
answers and its outgoing relationships with their properties. Each of the
three is written out by ``marshal`` in its version 2 (which, unlike later
versions, writes no back-references or interning flags, so the bytes depend on
the values alone: deterministic for the strings, numbers, booleans, tuples,
lists and dicts a graph holds; anything else by ``repr``; twice as fast as
``repr`` of the nested relationship dicts), and all of them are hashed in bulk
by ``pandas.util.hash_array``: SipHash-2-4 with fixed keys, so equal on every
machine and in every process (Python's own ``hash()`` of a string is not).
A hash is two 64-bit words, written as 32 hex digits: the first covers the
node's own row (attributes and derived answers), the last 16 digits its
outgoing relationships (:func:`edges_changed`), so that an incremental push
rewrites a node's relationships only when they changed, not when only its
properties did.

Attributes and edges are taken in the graph's own order, without sorting
(sorting cost more than all the rest): a graph built the same way from the same
rows gives the same hashes, and a node whose attributes or edges were only
inserted in another order counts as changed and is rewritten, which is
harmless. No change to a node goes unnoticed.

:data:`HASH_FORMAT` names this recipe. A push stamps it on the source node;
hashes made by another recipe cannot be compared, and an incremental push then
falls back to a full push and says why.
"""

from __future__ import annotations

import marshal
from itertools import repeat

import networkx as nx
import numpy as np
from pandas.util import hash_array

from sovmap.ingest.read import gc_paused

__all__ = ["HASH_FORMAT", "edges_changed", "node_hashes"]

# 1 (no stamp): blake2b of the repr of each node's sorted row (sovmap before this module); 2: written by repr, both
# words over the whole node
HASH_FORMAT = 3
_KEYS = ("sovmap.content.1", "sovmap.content.2")  # SipHash keys (16 characters each); changing one is a new format
_PARTS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every input bit changes about half the output bits (wrapping uint64 arithmetic)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@gc_paused()
def node_hashes(g: nx.MultiDiGraph, extra: dict[str, dict], nodes: list | None = None) -> dict[str, str]:
    """A content hash per node: its attributes, its derived answers ``extra[n]`` and its outgoing edges.

    The same graph gives the same hashes in every process; any change to a
    node, to one of its outgoing edges or to its derived answers changes its hash.
    ``nodes``: only these (each node's hash is its own, so a push can hash a
    batch at a time while earlier batches are written).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", kind="system", name="Mail"); g.add_node("S", kind="supplier", name="Kynthos")
    >>> _ = g.add_edge("A", "S", key="provided_by")
    >>> h = node_hashes(g, {})
    >>> g.edges["A", "S", "provided_by"]["groups"] = (("alt", 1),)
    >>> node_hashes(g, {})["A"] != h["A"], node_hashes(g, {})["S"] == h["S"], len(h["A"])
    (True, True, 32)
    >>> node_hashes(g, {"S": {"european": None}})["S"] != h["S"]
    True
    >>> node_hashes(g, {}, ["S"]) == {"S": node_hashes(g, {})["S"]}
    True
    >>> edges_changed(h["A"], node_hashes(g, {})["A"]), edges_changed(h["S"], node_hashes(g, {"S": {"european": None}})["S"])
    (True, False)
    """
    if nodes is None:
        nodes = list(g._node)
        attrs, succ = g._node.values(), g._succ.values()
    else:
        attrs, succ = map(g._node.__getitem__, nodes), map(g._succ.__getitem__, nodes)
    if not nodes:
        return {}
    own = np.array(_written(attrs), dtype=object)
    edges = np.array(_written(succ), dtype=object)  # {end: {relation: properties}}
    derived = np.array(_written([extra.get(n) for n in nodes]) if extra else [b""] * len(nodes), dtype=object)
    row = _mix(_mix(hash_array(own, hash_key=_KEYS[0], categorize=False) ^ _PARTS[0])
               + _mix(hash_array(derived, hash_key=_KEYS[0], categorize=False) ^ _PARTS[2]))
    out = _mix(hash_array(edges, hash_key=_KEYS[1], categorize=False) ^ _PARTS[1])
    hexed = np.stack([row, out], axis=1).astype(">u8").tobytes().hex()
    return dict(zip(nodes, (hexed[i:i + 32] for i in range(0, 32 * len(nodes), 32))))


def edges_changed(old: str, new: str) -> bool:
    """Whether two hashes of one node (:func:`node_hashes`) differ in its outgoing relationships."""
    return old[16:] != new[16:]


def _written(values) -> list[bytes]:
    """Each value as bytes: ``marshal`` version 2 (see the module docstring), ``repr`` for what it cannot write.

    >>> _written([{"a": 1.5, "b": True}]) == _written([{"a": 1.5, "b": True}]), _written([1]) != _written([True])
    (True, True)
    >>> _written([{"x": object}])[0].startswith(b"{'x': <class")
    True
    """
    values = list(values)
    try:
        return list(map(marshal.dumps, values, repeat(2)))
    except ValueError:  # a type marshal does not know: that value by its repr, the others as before
        return [_one(v) for v in values]


def _one(value) -> bytes:
    try:
        return marshal.dumps(value, 2)
    except ValueError:
        return repr(value).encode("utf-8", "surrogatepass")
