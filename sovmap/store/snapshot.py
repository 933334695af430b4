"""A compiled snapshot of a built graph: plain arrays and JSON in one checked file, reopened in seconds.

A national inventory takes many seconds to read and validate from its CSV files; the graph built
from it is written once as a snapshot and read back from that on every later open. The file is::

    SOVMAP-SNAPSHOT\\n          16 bytes of magic
    header length              8 bytes, little-endian
    header                     JSON: format, sovmap version, source, payload length and sha256
    payload                    plain numeric arrays: their table (JSON: name, type, length each),
                               then their bytes, each at an 8-byte boundary (no pickled objects)

The header's ``source`` names what the graph was built from (for a workspace version: its id and its
files' sha256 checksums). :func:`read_snapshot` gives the graph only when the format version, the
sovmap version and the source all match and the payload's checksum holds; otherwise it raises
:class:`SnapshotUnusable` saying why ("missing", "stale" or "corrupted"), and the caller builds the
graph from the source again. Nothing in the file is unpickled: every string lives in one JSON list
and every structure is an index array into it, so a file from a shared folder cannot run code. The
arrays are read in place from the file's bytes (no copy, no second checksum: the payload's sha256
covers their table and their bytes).

The graph read back equals the one written: the same nodes in the same order with the same
attributes, and the same edges (keys and attributes) in the same adjacency order, both directions.
The graph's dependency index (:mod:`sovmap.graph.dependency_index`) is stored with it and attached
on reading, so the first analysis of a reopened graph does not build it; it is dropped, as any
index is, as soon as nodes or edges are added or removed.

Examples
--------
>>> import tempfile, pathlib
>>> from sovmap.graph.model import graph_signature
>>> g = nx.MultiDiGraph(files=["systems.csv"])
>>> g.add_node("app", kind="system", name="Mail")
>>> g.add_edge("app", "S-1", key="provided_by")
'provided_by'
>>> path = pathlib.Path(tempfile.mkdtemp()) / "graph.snapshot"
>>> write_snapshot(g, path, {"version": "v0001"})
>>> h = read_snapshot(path, {"version": "v0001"})
>>> graph_signature(h) == graph_signature(g), h.graph
(True, {'files': ['systems.csv']})
>>> try:
...     read_snapshot(path, {"version": "v0002"})
... except SnapshotUnusable as exc:
...     exc.reason
'stale'
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import os
import struct
import uuid
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, islice
from pathlib import Path

import networkx as nx
import numpy as np

from sovmap import __version__
from sovmap.graph.dependency_index import INDEX_ARRAYS, attach_index, dependency_index
from sovmap.graph.errors import SovmapError
from sovmap.ingest.read import gc_paused

__all__ = ["SNAPSHOT_FORMAT", "SnapshotUnusable", "SnapshotUnsupported", "builder_fingerprint", "read_snapshot",
           "write_snapshot"]

SNAPSHOT_FORMAT = 3  # 2: the dependency index is stored with the graph; 3: arrays in place of an .npz


@functools.cache
def builder_fingerprint() -> str:
    """A checksum of the code and reference data that turn files into a graph and its dependency index.

    The files are ingest/, graph/model.py, graph/dependency_index.py and the ontology.

    Part of every snapshot's stamp, so that a snapshot built before sovmap's reading or
    building changed is rebuilt even when the version number did not change.
    """
    import sovmap.graph.dependency_index as dependency_index
    import sovmap.graph.model as model
    import sovmap.ingest as ingest
    import sovmap.ontology as ontology

    files = [Path(model.__file__), Path(dependency_index.__file__)]
    for package in (ingest, ontology):
        root = Path(package.__file__).parent
        files += [f for f in root.rglob("*") if f.suffix in {".py", ".ttl", ".yaml"} and f.is_file()]
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.as_posix()):
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()
_MAGIC = b"SOVMAP-SNAPSHOT\n"
_LENGTH = struct.Struct("<Q")
_ALIGN = 8
_DTYPES = {"<i4": np.dtype("<i4"), "|i1": np.dtype("i1"), "|u1": np.dtype("u1")}  # all a payload holds
_EDGE_KEYS = ("required", "groups", "share")  # what build_graph puts on an edge, in the order it puts them
_SCALARS = (str, bool, int, float, type(None))


class SnapshotUnusable(SovmapError):
    """A snapshot that must not be used: ``reason`` is "missing", "stale" or "corrupted"."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"The snapshot is {reason}: {detail}")
        self.reason = reason


class SnapshotUnsupported(SovmapError):
    """A graph holding something a snapshot cannot store exactly (then none is written)."""


# --- writing -------------------------------------------------------------------------------------------


class _Values:
    """The distinct scalar values of a graph, each with its index in one JSON list."""

    def __init__(self) -> None:
        self.items: list = []
        self._str: dict[str, int] = {}
        self._other: dict = {}

    def __call__(self, value) -> int:
        if type(value) is str:
            i = self._str.get(value)
            if i is None:
                i = self._str[value] = len(self.items)
                self.items.append(value)
            return i
        if type(value) not in _SCALARS:
            raise SnapshotUnsupported(f"a value of type {type(value).__name__} ({value!r:.40})")
        if type(value) is float and not math.isfinite(value):
            raise SnapshotUnsupported(f"the number {value!r}")
        key = (type(value), value)  # 1, 1.0 and True are one dict key but three values
        i = self._other.get(key)
        if i is None:
            i = self._other[key] = len(self.items)
            self.items.append(value)
        return i

    def many(self, values: list) -> np.ndarray:
        """The indexes of many values at once (text taken in bulk)."""
        if set(map(type, values)) <= {str}:
            for v in dict.fromkeys(values):
                if v not in self._str:
                    self._str[v] = len(self.items)
                    self.items.append(v)
            return _ints(list(map(self._str.__getitem__, values)))
        return _ints([self(v) for v in values])


def _ints(items) -> np.ndarray:
    a = np.asarray(items, dtype=np.int64)
    if len(a) and a.max() >= 2**31:
        raise SnapshotUnsupported("a graph too large for 32-bit indexes")
    return a.astype(np.int32)


def _json_bytes(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii"), dtype=np.uint8)


def _payload(g: nx.MultiDiGraph) -> bytes:
    """The payload of a snapshot of ``g``: :func:`_pack` of :func:`_arrays_of`."""
    return _pack(_arrays_of(g))


def _pack(arrays: dict[str, np.ndarray]) -> bytes:
    """One-dimensional integer arrays as one payload: the length of their table, the table (JSON, a
    ``[name, type, length]`` per array), then each array's little-endian bytes, each starting at a
    multiple of 8 bytes (zero bytes between), so that :func:`_unpack` reads them in place.

    >>> a = {"x": np.arange(3, dtype=np.int32), "y": np.array([1], dtype=np.int8)}
    >>> {k: v.tolist() for k, v in _unpack(memoryview(_pack(a))).items()}
    {'x': [0, 1, 2], 'y': [1]}
    """
    parts, table = [], []
    for name, a in arrays.items():
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
        if a.ndim != 1 or a.dtype.str not in _DTYPES:
            raise SnapshotUnsupported(f"an array {name} of type {a.dtype} and shape {a.shape}")
        table.append([name, a.dtype.str, len(a)])
        parts.append(a.tobytes())
    head = json.dumps(table, ensure_ascii=True).encode("ascii")
    out = [_LENGTH.pack(len(head)), head]
    at = _LENGTH.size + len(head)
    for part in parts:
        out.append(bytes(-at % _ALIGN))
        at += -at % _ALIGN
        out.append(part)
        at += len(part)
    return b"".join(out)


def _unpack(payload: memoryview) -> dict[str, np.ndarray]:
    """The arrays of a payload made by :func:`_pack`, as read-only views on its bytes (nothing copied).

    Raises ``ValueError`` when the table cannot be read, names an unknown type or a name twice, or
    does not account for every byte of the payload.
    """
    if len(payload) < _LENGTH.size:
        raise ValueError("the payload is too short for its table")
    (length,) = _LENGTH.unpack_from(payload, 0)
    at = _LENGTH.size + length
    if at > len(payload):
        raise ValueError("the payload is shorter than its table says")
    table = json.loads(bytes(payload[_LENGTH.size:at]).decode("ascii"))
    if type(table) is not list:
        raise ValueError("the array table is not a list")
    arrays = {}
    for entry in table:
        if (type(entry) is not list or len(entry) != 3 or type(entry[0]) is not str or entry[1] not in _DTYPES
                or type(entry[2]) is not int or entry[2] < 0 or entry[0] in arrays):
            raise ValueError(f"an unreadable entry in the array table: {entry!r:.60}")
        name, dtype, count = entry[0], _DTYPES[entry[1]], entry[2]
        at += -at % _ALIGN
        if at + count * dtype.itemsize > len(payload):
            raise ValueError(f"the array {name} runs past the end of the payload")
        arrays[name] = np.frombuffer(payload, dtype=dtype, count=count, offset=at)
        at += count * dtype.itemsize
    if at != len(payload):
        raise ValueError("bytes after the last array")
    return arrays


def _arrays_of(g: nx.MultiDiGraph) -> dict[str, np.ndarray]:
    """The arrays of ``g``; :class:`SnapshotUnsupported` for what they cannot hold.

    Everything is gathered in bulk (C-level iteration over the adjacency dicts); only the few edges
    with attributes (groups, shares) are looked at one by one.
    """
    nodes, succ, pred = g._node, g._succ, g._pred
    ids = list(nodes)
    if not (ids == list(succ) == list(pred)):
        raise SnapshotUnsupported("the adjacency is not in node order")
    if not set(map(type, ids)) <= {str}:
        raise SnapshotUnsupported("a node id that is not text")
    graph_attrs = dict(g.graph)
    if json.loads(json.dumps(graph_attrs)) != graph_attrs:
        raise SnapshotUnsupported("graph attributes that JSON does not keep exactly")
    value = _Values()
    index = {n: i for i, n in enumerate(ids)}
    node_ids = value.many(ids)
    node_keys = list(map(tuple, nodes.values()))
    layouts = {k: i for i, k in enumerate(dict.fromkeys(node_keys))}
    if not set(map(type, chain.from_iterable(layouts))) <= {str}:
        raise SnapshotUnsupported("an attribute name that is not text")
    node_layout = _ints(list(map(layouts.__getitem__, node_keys)))
    del node_keys
    node_values = value.many(list(chain.from_iterable(map(dict.values, nodes.values()))))
    # Edges: the (u, v) pairs in adjacency order, each with its keydict; the edges in keydict order.
    out_degree = _ints(list(map(len, succ.values())))
    pair_target = _ints(list(map(index.__getitem__, chain.from_iterable(succ.values()))))
    keydicts = list(chain.from_iterable(map(dict.values, succ.values())))
    pair_keys = _ints(list(map(len, keydicts)))
    edge_keys = list(chain.from_iterable(keydicts))
    if not set(map(type, edge_keys)) <= {str}:
        raise SnapshotUnsupported("an edge key that is not text")
    edge_key = value.many(edge_keys)
    datas = list(chain.from_iterable(map(dict.values, keydicts)))
    at = [i for i, d in enumerate(datas) if d]  # the edges with attributes: groups, shares
    groups: dict[tuple, int] = {}
    edge_layouts: dict[tuple, int] = {}  # the key orders of their attribute dicts
    lay, required, in_groups, share = [], [], [], []
    for i in at:
        d = datas[i]
        order = tuple(d)
        k = edge_layouts.get(order)
        if k is None:
            if not set(order) <= set(_EDGE_KEYS):
                raise SnapshotUnsupported(f"edge attributes {sorted(map(str, d))}")
            k = edge_layouts[order] = len(edge_layouts)
        lay.append(k)
        r = d.get("required")
        if r is not None and type(r) is not bool:
            raise SnapshotUnsupported("an edge's required that is not True or False")
        required.append(-1 if "required" not in d else 2 if r is None else int(r))
        in_groups.append(_group(d["groups"], groups) if "groups" in d else -1)
        share.append(value(d["share"]) if "share" in d else -1)
    pair_of = {id(kd): i for i, kd in enumerate(keydicts)}  # pred[v][u] is succ[u][v]: the same keydict
    in_degree = _ints(list(map(len, pred.values())))
    pred_pair = list(map(pair_of.get, map(id, chain.from_iterable(map(dict.values, pred.values())))))
    if None in pred_pair:
        raise SnapshotUnsupported("an edge whose two directions are not one object")
    arrays = {
        "values": _json_bytes(value.items),
        "graph": _json_bytes(graph_attrs),
        "layouts": _json_bytes([list(k) for k in layouts]),
        "groups": _json_bytes([[list(m) for m in gs] for gs in groups]),
        "edge_layouts": _json_bytes([list(k) for k in edge_layouts]),
        "node_ids": node_ids, "node_layout": node_layout, "node_values": node_values,
        "out_degree": out_degree, "pair_target": pair_target, "pair_keys": pair_keys, "edge_key": edge_key,
        "attr_edge": _ints(at), "attr_layout": _ints(lay), "attr_required": np.asarray(required, dtype=np.int8),
        "attr_groups": _ints(in_groups), "attr_share": _ints(share),
        "in_degree": in_degree, "pred_pair": _ints(pred_pair),
    }
    index = dependency_index(g)  # built once here (kept with g), so that no reopen builds it again
    arrays.update({f"index_{name}": _ints(getattr(index, name)) for name in INDEX_ARRAYS})
    return arrays


def _group(gs, groups: dict[tuple, int]) -> int:
    """The index of an edge's groups (a tuple of (name, min_required)) in the table of distinct ones."""
    if type(gs) is not tuple or not all(
            type(m) is tuple and len(m) == 2 and type(m[0]) is str and type(m[1]) is int for m in gs):
        raise SnapshotUnsupported(f"edge groups {gs!r:.60}")
    i = groups.get(gs)
    if i is None:
        i = groups[gs] = len(groups)
    return i


@gc_paused()
def write_snapshot(g: nx.MultiDiGraph, path: str | os.PathLike, source: dict) -> None:
    """Write ``g`` as a snapshot at ``path``, marked as built from ``source`` (a JSON-able dict).

    The file is written under a temporary name and renamed over ``path`` in one step, so a reader
    sees the old snapshot or the new one, never half of one. Raises :class:`SnapshotUnsupported`
    (nothing written) when the graph holds something the format cannot store exactly, and
    ``OSError`` when the file cannot be written.
    """
    path = Path(path)
    payload = _payload(g)
    header = json.dumps({"format": SNAPSHOT_FORMAT, "sovmap": __version__, "builder": builder_fingerprint(),
                         "source": source,
                         "payload_bytes": len(payload), "payload_sha256": hashlib.sha256(payload).hexdigest()},
                        ensure_ascii=True, sort_keys=True).encode("ascii")
    header += b" " * (-(len(_MAGIC) + _LENGTH.size + len(header)) % _ALIGN)  # the arrays' bytes aligned in the file
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(_MAGIC + _LENGTH.pack(len(header)) + header)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- reading -------------------------------------------------------------------------------------------


def _header(data: bytes) -> tuple[dict, memoryview]:
    """The header and the payload of a snapshot file's bytes; :class:`SnapshotUnusable` when unreadable."""
    start = len(_MAGIC) + _LENGTH.size
    if len(data) < start or not data.startswith(_MAGIC):
        raise SnapshotUnusable("corrupted", "it does not start as a snapshot does")
    (length,) = _LENGTH.unpack_from(data, len(_MAGIC))
    if length > len(data) - start:
        raise SnapshotUnusable("corrupted", "it is shorter than its header says")
    try:
        header = json.loads(bytes(data[start:start + length]).decode("ascii"))
    except (ValueError, RecursionError) as exc:
        raise SnapshotUnusable("corrupted", f"its header cannot be read ({exc})") from None
    if not isinstance(header, dict):
        raise SnapshotUnusable("corrupted", "its header is not a JSON object")
    return header, memoryview(data)[start + length:]


def _json(a: np.ndarray):
    return json.loads(a.tobytes().decode("ascii"))


def _missing():
    raise ValueError("an edge attribute is missing")


def _table(a: np.ndarray) -> np.ndarray:
    """The JSON list of distinct values as an object array, so that many are looked up at once, at C speed."""
    values = _json(a)
    if type(values) is not list or not set(map(type, values)) <= set(_SCALARS):
        raise ValueError("the value table is not a list of text and numbers")
    table = np.empty(len(values), dtype=object)
    table[:] = values
    return table


def _picked(items: list, at: np.ndarray) -> tuple | list:
    """``items[i]`` for every ``i`` in ``at`` (checked to be in range), in one C-level call.

    >>> _picked(["a", "b", "c"], np.array([2, 0, 2]))
    ('c', 'a', 'c')
    """
    if len(at) < 2:  # itemgetter takes at least one index, and gives one item alone
        return [items[i] for i in at.tolist()]
    return operator.itemgetter(*at.tolist())(items)


def _dict_maker(keys: tuple):
    """A function of ``len(keys)`` values giving the dict of ``keys`` to them, in that order.

    Up to seven keys it is one dict display (a single interpreter step, the size known in advance),
    about a third faster than ``dict(zip(keys, values))`` over the millions of nodes of a national graph.

    >>> _dict_maker(("kind", "name"))("system", "Mail")
    {'kind': 'system', 'name': 'Mail'}
    """
    match keys:
        case (k0,):
            return lambda a: {k0: a}
        case (k0, k1):
            return lambda a, b: {k0: a, k1: b}
        case (k0, k1, k2):
            return lambda a, b, c: {k0: a, k1: b, k2: c}
        case (k0, k1, k2, k3):
            return lambda a, b, c, d: {k0: a, k1: b, k2: c, k3: d}
        case (k0, k1, k2, k3, k4):
            return lambda a, b, c, d, e: {k0: a, k1: b, k2: c, k3: d, k4: e}
        case (k0, k1, k2, k3, k4, k5):
            return lambda a, b, c, d, e, f: {k0: a, k1: b, k2: c, k3: d, k4: e, k5: f}
        case (k0, k1, k2, k3, k4, k5, k6):
            return lambda a, b, c, d, e, f, h: {k0: a, k1: b, k2: c, k3: d, k4: e, k5: f, k6: h}
    return lambda *values: dict(zip(keys, values))


@gc_paused(long_lived=True)
def _graph(a: dict[str, np.ndarray]) -> nx.MultiDiGraph:
    """The graph the arrays describe (any inconsistency raises an IndexError, ValueError or KeyError).

    Every lookup of many values is one numpy take on the object array of distinct values, and every
    dict is made by a C-level constructor over lists prepared in bulk: the only Python-level work per
    edge is making its keydict and its (always distinct, mutable) data dict.

    The millions of dicts inside the graph are built with the cyclic garbage collector paused and then
    counted in its oldest generation at once (:func:`~sovmap.ingest.read.gc_paused` with ``long_lived``):
    no young collection walks them. They are never frozen out of collection for good: a long-running
    dashboard reopens versions again and again, and a graph that was alive at one reopen must still be
    freed when it is dropped later.
    """
    for name in ("node_ids", "node_layout", "node_values", "out_degree", "pair_target", "pair_keys", "edge_key",
                 "attr_edge", "attr_layout", "in_degree", "pred_pair"):
        if a[name].dtype.kind not in "iu" or (len(a[name]) and a[name].min() < 0):
            raise ValueError(f"{name} holds a negative index")
    table = _table(a["values"])
    layouts = [tuple(k) for k in _json(a["layouts"])]
    groups = [tuple(tuple(m) for m in gs) for gs in _json(a["groups"])]
    graph_attrs = _json(a["graph"])
    id_table = table[a["node_ids"]]
    ids = id_table.tolist()
    n = len(ids)
    # Node attributes: the nodes of each layout (key order) together, their values a column each.
    node_layout = a["node_layout"]
    widths = np.array([len(k) for k in layouts], dtype=np.int64)
    per_node = widths[node_layout]
    starts = np.concatenate(([0], np.cumsum(per_node)))
    node_values = a["node_values"]
    if len(node_values) != starts[-1]:
        raise ValueError("node values do not match the layouts")
    attrs = np.empty(n, dtype=object)
    for lay, keys in enumerate(layouts):
        members = np.flatnonzero(node_layout == lay)
        if not len(members):
            continue
        at = starts[members]
        cols = [table[node_values[at + j]].tolist() for j in range(len(keys))]
        dicts = np.empty(len(members), dtype=object)
        dicts[:] = list(map(_dict_maker(keys), *cols)) if keys else [{} for _ in members]
        attrs[members] = dicts
    # Edges: one keydict per (u, v) pair, shared by succ[u][v] and pred[v][u], holding a data dict per key.
    edge_key = a["edge_key"]
    pair_keys = a["pair_keys"]
    if pair_keys.sum() != len(edge_key):
        raise ValueError("edge arrays of different lengths")
    if (pair_keys < 1).any():
        raise ValueError("a pair without an edge")
    first = np.cumsum(pair_keys) - pair_keys  # each pair's first edge
    first_keys = table[edge_key if len(first) == len(edge_key) else edge_key[first]].tolist()
    keydicts = [{k: {}} for k in first_keys]
    del first_keys
    for p in np.flatnonzero(pair_keys > 1).tolist():
        s, count = int(first[p]), int(pair_keys[p])
        keydicts[p] = {k: {} for k in table[edge_key[s:s + count]].tolist()}
        if len(keydicts[p]) != count:
            raise ValueError("one key twice on a pair")
    # The few edges with attributes (groups, shares), in the key order they were written in.
    edge_layouts = [tuple(k) for k in _json(a["edge_layouts"])]
    attr_edge = a["attr_edge"]
    attr_pair = (np.searchsorted(first, attr_edge, side="right") - 1).tolist()
    attr = zip(table[edge_key[attr_edge]].tolist(), attr_pair, a["attr_layout"].tolist(),
               a["attr_required"].tolist(), a["attr_groups"].tolist(), a["attr_share"].tolist(), strict=True)
    for key, p, lay, r, gi, si in attr:
        d = keydicts[p][key]
        if d:
            raise ValueError("an edge listed twice with attributes")
        for k in edge_layouts[lay]:
            if k == "required":
                if r < 0:
                    raise ValueError("an edge's required is missing")
                d[k] = None if r == 2 else bool(r)
            elif k == "groups":
                d[k] = groups[gi] if gi >= 0 else _missing()
            else:
                d[k] = table[si] if si >= 0 else _missing()
        if not d:
            raise ValueError("an edge listed with attributes has none")
    out_degree, in_degree = a["out_degree"], a["in_degree"]
    pair_target, pred_pair = a["pair_target"], a["pred_pair"]
    if len(out_degree) != n or len(in_degree) != n or out_degree.sum() != len(pair_target) \
            or in_degree.sum() != len(pred_pair) or len(pair_target) != len(pred_pair) \
            or len(pair_target) != len(keydicts):
        raise ValueError("adjacency arrays of different lengths")
    if len(pred_pair) and (pred_pair.max() >= len(pair_target)
                           or (np.bincount(pred_pair, minlength=len(pair_target)) != 1).any()):
        raise ValueError("the incoming edges are not each pair once")
    if len(pair_target) and (pair_target.max() >= n
                             or (pair_target[pred_pair] != np.repeat(np.arange(n), in_degree)).any()):
        raise ValueError("incoming and outgoing edges disagree")
    # Each node's dict taken from one stream of (neighbour, keydict) pairs, its degree at a time.
    outgoing = zip(id_table[pair_target].tolist(), keydicts)
    succ = [dict(islice(outgoing, d)) for d in out_degree.tolist()]
    source = np.repeat(np.arange(n, dtype=np.int32), out_degree)[pred_pair]
    incoming = zip(id_table[source].tolist(), _picked(keydicts, pred_pair))
    pred = [dict(islice(incoming, d)) if d else {} for d in in_degree.tolist()]  # many nodes have no dependants
    del keydicts, outgoing, incoming, source
    attrs = attrs.tolist()
    g = nx.MultiDiGraph()
    g.graph.update(graph_attrs)
    g._node.update(zip(ids, attrs))
    if len(g._node) != n:
        raise ValueError("two nodes with one id")
    g._succ.update(zip(ids, succ))
    g._pred.update(zip(ids, pred))
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches on the graph
    if clear is not None:
        clear(g)
    return g


def read_snapshot(path: str | os.PathLike, source: dict) -> nx.MultiDiGraph:
    """The graph in the snapshot at ``path``, when it was built from ``source`` and is whole.

    Raises :class:`SnapshotUnusable` with ``reason`` "missing" (no file), "stale" (another format,
    another sovmap version, or built from another source) or "corrupted" (unreadable, truncated, or
    its checksum does not hold); never gives a graph from such a file.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SnapshotUnusable("missing", f"there is no {path}") from None
    except OSError as exc:
        raise SnapshotUnusable("corrupted", f"{path} cannot be read ({exc.strerror or exc})") from None
    header, payload = _header(data)
    if header.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotUnusable("stale", f"it has format {header.get('format')!r}, this sovmap reads {SNAPSHOT_FORMAT}")
    if header.get("sovmap") != __version__:
        raise SnapshotUnusable("stale", f"it was written by sovmap {header.get('sovmap')!r}, this is {__version__}")
    if header.get("builder") != builder_fingerprint():
        raise SnapshotUnusable("stale", "it was built by other code or reference data (sovmap was updated)")
    if header.get("source") != source:
        raise SnapshotUnusable("stale", "it was built from other files")
    if header.get("payload_bytes") != len(payload):
        raise SnapshotUnusable("corrupted", "its checksum does not match its contents")
    # The checksum is computed in another thread (hashing lets the interpreter lock go) while the graph is
    # built; the graph is given only once it holds. Building from bytes not yet checked runs no code from
    # them (nothing is unpickled) and is bounded by their size.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(lambda: hashlib.sha256(payload).hexdigest())
        try:
            arrays = _unpack(payload)
            g = _graph(arrays)
            attach_index(g, {name: arrays[f"index_{name}"] for name in INDEX_ARRAYS})
            error = None
        except Exception as exc:  # noqa: BLE001 - whatever a damaged file makes go wrong, it is not used
            g, error = None, f"its arrays are inconsistent ({type(exc).__name__}: {exc})"
        if header.get("payload_sha256") != digest.result():
            raise SnapshotUnusable("corrupted", "its checksum does not match its contents")
    if error is not None:
        raise SnapshotUnusable("corrupted", error)
    return g
