"""A compiled snapshot of a built graph: plain arrays and JSON in one checked file, reopened in seconds.

A national inventory takes many seconds to read and validate from its CSV files; the graph built
from it is written once as a snapshot and read back from that on every later open. The file is::

    SOVMAP-SNAPSHOT\\n          16 bytes of magic
    header length              8 bytes, little-endian
    header                     JSON: format, sovmap version, source, payload length and sha256
    payload                    an uncompressed .npz of plain numeric arrays (no pickled objects)

The header's ``source`` names what the graph was built from (for a workspace version: its id and its
files' sha256 checksums). :func:`read_snapshot` gives the graph only when the format version, the
sovmap version and the source all match and the payload's checksum holds; otherwise it raises
:class:`SnapshotUnusable` saying why ("missing", "stale" or "corrupted"), and the caller builds the
graph from the source again. Nothing in the file is unpickled: every string lives in one JSON list
and every structure is an index array into it, so a file from a shared folder cannot run code.

The graph read back equals the one written: the same nodes in the same order with the same
attributes, and the same edges (keys and attributes) in the same adjacency order, both directions.

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

import hashlib
import io
import json
import math
import os
import struct
import uuid
import zipfile
from itertools import repeat
from pathlib import Path

import networkx as nx
import numpy as np

from sovmap import __version__
from sovmap.graph.errors import SovmapError
from sovmap.ingest.read import gc_paused

__all__ = ["SNAPSHOT_FORMAT", "SnapshotUnusable", "SnapshotUnsupported", "read_snapshot", "write_snapshot"]

SNAPSHOT_FORMAT = 1
_MAGIC = b"SOVMAP-SNAPSHOT\n"
_LENGTH = struct.Struct("<Q")
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
        self._index: dict = {}

    def __call__(self, value) -> int:
        if type(value) not in _SCALARS:
            raise SnapshotUnsupported(f"a value of type {type(value).__name__} ({value!r:.40})")
        if type(value) is float and not math.isfinite(value):
            raise SnapshotUnsupported(f"the number {value!r}")
        key = (type(value), value)  # 1, 1.0 and True are one dict key but three values
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.items)
            self.items.append(value)
        return i


def _json_bytes(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii"), dtype=np.uint8)


def _payload(g: nx.MultiDiGraph) -> bytes:
    """The arrays of ``g`` as an uncompressed .npz; :class:`SnapshotUnsupported` for what they cannot hold."""
    nodes, succ, pred = g._node, g._succ, g._pred
    if not (list(nodes) == list(succ) == list(pred)):
        raise SnapshotUnsupported("the adjacency is not in node order")
    graph_attrs = dict(g.graph)
    if json.loads(json.dumps(graph_attrs)) != graph_attrs:
        raise SnapshotUnsupported("graph attributes that JSON does not keep exactly")
    value = _Values()
    index = {n: i for i, n in enumerate(nodes)}
    node_ids = [value(n) for n in nodes]
    if any(type(n) is not str for n in nodes):
        raise SnapshotUnsupported("a node id that is not text")
    layouts: dict[tuple, int] = {}
    node_layout, node_values = [], []
    for d in nodes.values():
        keys = tuple(d)
        lay = layouts.get(keys)
        if lay is None:
            if any(type(k) is not str for k in keys):
                raise SnapshotUnsupported("an attribute name that is not text")
            lay = layouts[keys] = len(layouts)
        node_layout.append(lay)
        node_values.extend(map(value, d.values()))
    groups: dict[tuple, int] = {}
    out_degree, pair_target, pair_keys = [], [], []
    edge_key, edge_required, edge_groups, edge_share = [], [], [], []
    edge_layouts: dict[tuple, int] = {(): 0}  # the key orders of edge attribute dicts
    edge_layout = []
    pair_of: dict[int, int] = {}  # id(keydict) → its pair number: pred shares succ's keydicts
    for nbrs in succ.values():
        out_degree.append(len(nbrs))
        for v, keydict in nbrs.items():
            pair_of[id(keydict)] = len(pair_target)
            pair_target.append(index[v])
            pair_keys.append(len(keydict))
            for k, d in keydict.items():
                if type(k) is not str:
                    raise SnapshotUnsupported("an edge key that is not text")
                order = tuple(d)
                lay = edge_layouts.get(order)
                if lay is None:
                    if not set(order) <= set(_EDGE_KEYS):
                        raise SnapshotUnsupported(f"edge attributes {sorted(map(str, d))}")
                    lay = edge_layouts[order] = len(edge_layouts)
                edge_layout.append(lay)
                edge_key.append(value(k))
                required = d.get("required")
                if required is not None and type(required) is not bool:
                    raise SnapshotUnsupported("an edge's required that is not True or False")
                edge_required.append(-1 if "required" not in d else int(required) if required is not None else 2)
                edge_groups.append(_group(d["groups"], groups) if "groups" in d else -1)
                edge_share.append(value(d["share"]) if "share" in d else -1)
    in_degree, pred_pair = [], []
    for nbrs in pred.values():
        in_degree.append(len(nbrs))
        for keydict in nbrs.values():
            p = pair_of.get(id(keydict))
            if p is None:
                raise SnapshotUnsupported("an edge whose two directions are not one object")
            pred_pair.append(p)
    arrays = {
        "values": _json_bytes(value.items),
        "graph": _json_bytes(graph_attrs),
        "layouts": _json_bytes([list(k) for k in layouts]),
        "groups": _json_bytes([[list(m) for m in gs] for gs in groups]),
        "edge_layouts": _json_bytes([list(k) for k in edge_layouts]),
        "edge_layout": np.asarray(edge_layout, dtype=np.int64),
        "node_ids": np.asarray(node_ids, dtype=np.int64),
        "node_layout": np.asarray(node_layout, dtype=np.int64),
        "node_values": np.asarray(node_values, dtype=np.int64),
        "out_degree": np.asarray(out_degree, dtype=np.int64),
        "pair_target": np.asarray(pair_target, dtype=np.int64),
        "pair_keys": np.asarray(pair_keys, dtype=np.int64),
        "edge_key": np.asarray(edge_key, dtype=np.int64),
        "edge_required": np.asarray(edge_required, dtype=np.int8),
        "edge_groups": np.asarray(edge_groups, dtype=np.int64),
        "edge_share": np.asarray(edge_share, dtype=np.int64),
        "in_degree": np.asarray(in_degree, dtype=np.int64),
        "pred_pair": np.asarray(pred_pair, dtype=np.int64),
    }
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


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
    header = json.dumps({"format": SNAPSHOT_FORMAT, "sovmap": __version__, "source": source,
                         "payload_bytes": len(payload), "payload_sha256": hashlib.sha256(payload).hexdigest()},
                        ensure_ascii=True, sort_keys=True).encode("ascii")
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
    except ValueError as exc:
        raise SnapshotUnusable("corrupted", f"its header cannot be read ({exc})") from None
    if not isinstance(header, dict):
        raise SnapshotUnusable("corrupted", "its header is not a JSON object")
    return header, memoryview(data)[start + length:]


def _arrays(payload: memoryview) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def _json(a: np.ndarray):
    return json.loads(a.tobytes().decode("ascii"))


def _slices(items: list, degrees: list[int]) -> list[list]:
    """``items`` cut into consecutive runs of the given lengths."""
    out, at = [], 0
    for n in degrees:
        out.append(items[at:at + n])
        at += n
    return out


@gc_paused()
def _graph(a: dict[str, np.ndarray]) -> nx.MultiDiGraph:
    """The graph the arrays describe (any inconsistency raises an IndexError, ValueError or KeyError)."""
    values = _json(a["values"])
    layouts = [tuple(k) for k in _json(a["layouts"])]
    groups = [tuple(tuple(m) for m in gs) for gs in _json(a["groups"])]
    g = nx.MultiDiGraph()
    g.graph.update(_json(a["graph"]))
    ids = [values[i] for i in a["node_ids"].tolist()]
    n = len(ids)
    if len(set(ids)) != n:
        raise ValueError("two nodes with one id")
    # Node attributes: the nodes of each layout (key order) together, their values a row each.
    node_layout = a["node_layout"]
    widths = np.array([len(k) for k in layouts], dtype=np.int64)
    per_node = widths[node_layout]
    starts = np.concatenate(([0], np.cumsum(per_node)))
    node_values = a["node_values"]
    if len(node_values) != starts[-1]:
        raise ValueError("node values do not match the layouts")
    attrs: list = [None] * n
    for lay, keys in enumerate(layouts):
        members = np.flatnonzero(node_layout == lay)
        if not len(members):
            continue
        at = starts[members]
        cols = [[values[i] for i in node_values[at + j].tolist()] for j in range(len(keys))]
        dicts = list(map(dict, map(zip, repeat(keys), zip(*cols)))) if keys else [{} for _ in members]
        for m, d in zip(members.tolist(), dicts):
            attrs[m] = d
    # Edges: one data dict each, one keydict per (u, v) pair, shared by succ[u][v] and pred[v][u].
    edge_key = [values[i] for i in a["edge_key"].tolist()]
    datas = [{} for _ in edge_key]
    required = a["edge_required"]
    for i in np.flatnonzero(required >= 0).tolist():
        r = int(required[i])
        datas[i]["required"] = None if r == 2 else bool(r)
    edge_groups = a["edge_groups"]
    for i in np.flatnonzero(edge_groups >= 0).tolist():
        datas[i]["groups"] = groups[edge_groups[i]]
    edge_share = a["edge_share"]
    for i in np.flatnonzero(edge_share >= 0).tolist():
        datas[i]["share"] = values[edge_share[i]]
    edge_layouts = [tuple(k) for k in _json(a["edge_layouts"])]
    canonical = [i for i, k in enumerate(edge_layouts) if list(k) == [x for x in _EDGE_KEYS if x in k]]
    edge_layout = a["edge_layout"]
    for i in np.flatnonzero(~np.isin(edge_layout, canonical)).tolist():  # attributes set in another order
        d = datas[i]
        datas[i] = {k: d[k] for k in edge_layouts[edge_layout[i]]}
    pair_keys = a["pair_keys"]
    if not (pair_keys.sum() == len(edge_key) == len(required) == len(edge_groups) == len(edge_share)
            == len(edge_layout)):
        raise ValueError("edge arrays of different lengths")
    if (pair_keys < 1).any():
        raise ValueError("a pair without an edge")
    first = (np.cumsum(pair_keys) - pair_keys).tolist()
    keydicts = [{edge_key[s]: datas[s]} for s in first]
    for p in np.flatnonzero(pair_keys > 1).tolist():
        s = first[p]
        keydicts[p] = dict(zip(edge_key[s:s + int(pair_keys[p])], datas[s:s + int(pair_keys[p])]))
    out_degree, in_degree = a["out_degree"], a["in_degree"]
    pair_target, pred_pair = a["pair_target"], a["pred_pair"]
    if len(out_degree) != n or len(in_degree) != n or out_degree.sum() != len(pair_target) != len(pred_pair) \
            or in_degree.sum() != len(pred_pair):
        raise ValueError("adjacency arrays of different lengths")
    if len(pred_pair) and (pred_pair.min() < 0 or (np.bincount(pred_pair, minlength=len(pair_target)) != 1).any()):
        raise ValueError("the incoming edges are not each pair once")
    pair_source = np.repeat(np.arange(n), out_degree)
    if len(pair_target) and (pair_target.min() < 0 or (pair_target[pred_pair] != np.repeat(np.arange(n), in_degree)).any()):
        raise ValueError("incoming and outgoing edges disagree")
    targets = [ids[t] for t in pair_target.tolist()]
    sources = [ids[s] for s in pair_source[pred_pair].tolist()]
    pred_keydicts = [keydicts[p] for p in pred_pair.tolist()]
    out_d, in_d = out_degree.tolist(), in_degree.tolist()
    succ = [dict(zip(t, k)) for t, k in zip(_slices(targets, out_d), _slices(keydicts, out_d))]
    pred = [dict(zip(s, k)) for s, k in zip(_slices(sources, in_d), _slices(pred_keydicts, in_d))]
    g._node.update(zip(ids, attrs))
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
    if header.get("source") != source:
        raise SnapshotUnusable("stale", "it was built from other files")
    if header.get("payload_bytes") != len(payload) or header.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
        raise SnapshotUnusable("corrupted", "its checksum does not match its contents")
    try:
        return _graph(_arrays(payload))
    except (ValueError, KeyError, IndexError, TypeError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise SnapshotUnusable("corrupted", f"its arrays are inconsistent ({exc})") from None
