"""The failed or degraded rows of an impact report: sorted as columns, each row built only when it is read.

A national cut fails a few hundred thousand items; a row with its why-chain
and why-text costs a microsecond or more in Python, far more than the
propagation itself. :class:`ImpactRows` keeps the rows as columns (node
positions, kinds, and the level of processes and data sets, sorted in bulk with numpy), so that
counting them, listing the first ids of each kind or reading one page costs
what is shown; a row dict with its chain is made only when that row is read.
Reading every row (iterating, ``list``, JSON) builds the chains in bulk,
chunk by chunk, at the old per-row cost, and keeps them for the next reading.

Examples
--------
>>> import networkx as nx
>>> from sovmap.graph.propagation import propagate
>>> g = nx.MultiDiGraph()
>>> g.add_node("P-WEB", kind="process", name="Web", criticality="vital")
>>> g.add_node("P-INT", kind="process", name="Intranet", criticality="low")
>>> g.add_node("SYS-WEB", kind="system", name="Website")
>>> g.add_node("S-KYN", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("P-INT", "SYS-WEB", key="uses")
>>> _ = g.add_edge("P-WEB", "SYS-WEB", key="uses")
>>> _ = g.add_edge("SYS-WEB", "S-KYN", key="provided_by")
>>> prop = propagate(g, ["S-KYN"])
>>> rows = ImpactRows.by_severity(g, prop, prop.failed_pos)
>>> len(rows), rows.ids(), rows.kinds()
(3, ['P-WEB', 'P-INT', 'SYS-WEB'], ['process', 'process', 'system'])
>>> rows.levels()
['vital', 'low', None]
>>> rows[0]["why_text"]
'P-WEB → SYS-WEB → S-KYN (US)'
>>> [r["id"] for r in rows.of_kinds({"system"})]
['SYS-WEB']
>>> rows == list(rows)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import repeat

import networkx as nx
import numpy as np

from sovmap.ingest.read import gc_paused
from sovmap.ontology.vocab import vocabulary

from .propagation import CHAIN_HEAD, Propagation

__all__ = ["ImpactRows", "KIND_ORDER", "LEVEL_OF", "CHUNK"]

KIND_ORDER = {"process": 0, "dataset": 1, "system": 2, "location": 3, "supplier": 4, "organisation": 5, "country": 6}
LEVEL_OF = {"process": "criticality", "dataset": "classification"}
"""The attribute that ranks the rows of a kind and that a row shows (the ontology's ``columnIn``); others have none."""
CHUNK = 4096  # rows built together when many are read: large enough for numpy, small enough to stay lazy


def _rank(enum_id: str, value: str | None) -> int:
    """The rank of ``value`` in the enumeration ``enum_id``; 0 for none or a value outside the vocabulary."""
    if not value:
        return 0
    return next((v.rank for v in vocabulary().enum(enum_id).values if v.id == value), 0)


def _coded(values: list) -> tuple[tuple, np.ndarray]:
    """A column as (its distinct values, each row's index into them): numpy compares and counts the indexes."""
    names = tuple(set(values))
    code = {v: i for i, v in enumerate(names)}
    return names, np.fromiter(map(code.__getitem__, values), dtype=np.int64, count=len(values))


def _read(attrs: Iterable[dict], name: str, expected: tuple) -> tuple[tuple, np.ndarray]:
    """The attribute ``name`` of every node as :func:`_coded` gives it: in one pass when every value is ``expected``."""
    values = list(map(dict.get, attrs, repeat(name)))
    code = {v: i for i, v in enumerate(expected)}
    try:
        return expected, np.fromiter(map(code.__getitem__, values), dtype=np.int64, count=len(values))
    except KeyError:  # a value outside the vocabulary: code the values found
        return _coded(values)


def _read_levels(nodes: list[dict], kinds: tuple[tuple, np.ndarray]) -> tuple[tuple, np.ndarray, np.ndarray]:
    """Each node's level (criticality of a process, classification of a data set, else None) and its rank.

    ``nodes``: attribute dicts; ``kinds``: their kinds as :func:`_coded` gives them.
    Returns (distinct values, each node's index into them, each node's rank).
    Only the nodes of a kind that has a level are read (:data:`LEVEL_OF`):
    reading a value from a node's dict is a cache miss (the dicts are spread
    over memory) and most nodes are systems, which carry none.
    """
    kind_names, kind = kinds
    names: list = [None]
    code = np.zeros(len(nodes), dtype=np.int64)  # 0: None
    rank = np.zeros(len(nodes), dtype=np.int64)
    for k, attr in LEVEL_OF.items():
        if k not in kind_names:
            continue
        rows = np.flatnonzero(kind == kind_names.index(k))
        if not len(rows):
            continue
        expected, codes, ranks = _level_table(attr)
        values = list(map(dict.get, map(nodes.__getitem__, rows.tolist()), repeat(attr)))
        try:
            found, at = expected, np.fromiter(map(codes.__getitem__, values), dtype=np.int64, count=len(values))
        except KeyError:  # a value outside the vocabulary: code the values found, each ranked
            found, at = _coded(values)
            ranks = np.fromiter((_rank(attr, v) for v in found), dtype=np.int64, count=len(found))
        code[rows] = at + len(names)
        rank[rows] = ranks[at]
        names.extend(found)
    return tuple(names), code, rank


@cache
def _level_table(attr: str) -> tuple[tuple, dict, np.ndarray]:
    """A level's values as the vocabulary has them (then None and ""), each one's code and each one's rank.

    >>> values, codes, ranks = _level_table("criticality")
    >>> codes[values[0]], int(ranks[codes["vital"]]) > int(ranks[codes["low"]]) > int(ranks[codes[None]])
    (0, True)
    """
    expected = (*vocabulary().enum(attr).accepted(), None, "")
    ranks = np.fromiter((_rank(attr, v) for v in expected), dtype=np.int64, count=len(expected))
    return expected, {v: i for i, v in enumerate(expected)}, ranks


class ImpactRows(Sequence):
    """Report rows of the nodes of a propagation, most critical first, each built when read.

    Behaves as a read-only list of the dicts :func:`sovmap.graph.impact.item`
    makes (``len``, indexing, slicing to a list, iteration, ``==`` with a
    list); :meth:`ids`, :meth:`kinds` and :meth:`levels` give whole columns
    without building rows, and :meth:`of_kinds` a lazy subset. The rows read
    the graph when they are built: do not change the graph while using them.
    """

    def __init__(self, g: nx.MultiDiGraph, prop: Propagation, pos: np.ndarray,
                 columns: dict[str, tuple[tuple, np.ndarray]], notes: dict[str, str], tails: dict[str, str],
                 full_chain: bool = False):
        self._g, self._prop, self._notes, self._tails, self._full = g, prop, notes, tails, full_chain
        self._pos = pos  # node positions in the index, in row order (the ids are read from them when asked)
        self._columns = columns  # kind, level (:data:`LEVEL_OF`): (distinct values, each row's index into them)
        self._all: list[dict] | None = None  # every row, kept once all were read (a dashboard reruns its page)

    @classmethod
    def by_severity(cls, g: nx.MultiDiGraph, prop: Propagation, positions: np.ndarray,
                    notes: dict[str, str] | None = None, tails: dict[str, str] | None = None,
                    full_chain: bool = False) -> "ImpactRows":
        """The rows of the nodes at ``positions`` in the order of :func:`sovmap.graph.impact.severity_key`.

        Kind first (processes, data sets, systems, ...), then the most critical
        (a process's criticality, a data set's classification), then the id; sorted in bulk.
        ``notes``/``tails``: supplier note caches shared by the rows of one report.
        """
        positions = np.asarray(positions, dtype=np.int64)
        _, (kind_names, kinds) = _per_node(g, prop.index)
        level_names, levels, key = _severity(g, prop.index)
        positions = positions[np.argsort(key[positions])]
        columns = {"kind": (kind_names, kinds[positions]), "level": (level_names, levels[positions])}
        return cls(g, prop, positions, columns, {} if notes is None else notes, {} if tails is None else tails,
                   full_chain)

    def _subset(self, keep) -> "ImpactRows":
        return ImpactRows(self._g, self._prop, self._pos[keep],
                          {k: (names, code[keep]) for k, (names, code) in self._columns.items()},
                          self._notes, self._tails, self._full)

    # --- columns, without building rows -----------------------------------------------------------

    def ids(self, first: int | None = None) -> list[str]:
        """The ids of the rows (the first ``first`` of them), in row order."""
        return self._prop.index.ids_array[self._pos[:first]].tolist()

    def _column(self, name: str) -> np.ndarray:
        """The values of a column (kind or level) as an object array, in row order."""
        names, code = self._columns[name]
        values = np.empty(len(names), dtype=object)
        values[:] = names
        return values[code]

    def kinds(self) -> list[str]:
        """The kind of each row, in row order."""
        return self._column("kind").tolist()

    def levels(self) -> list[str | None]:
        """Each row's criticality (a process) or classification (a data set); None for other kinds or none given."""
        return self._column("level").tolist()

    def of_kinds(self, kinds: Iterable[str]) -> "ImpactRows":
        """The rows of the given kinds, in the same order (lazy as well)."""
        kinds = set(kinds)
        names, code = self._columns["kind"]
        return self._subset(np.isin(code, [i for i, k in enumerate(names) if k in kinds]))

    # --- rows ---------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._pos)

    def __getitem__(self, i):
        if self._all is not None:
            return self._all[i]
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return [self[j] for j in range(start, stop, step)]
            return self._build(start, stop)
        n = len(self)
        if not -n <= i < n:
            raise IndexError("impact row index out of range")
        i = i + n if i < 0 else i
        return self._build(i, i + 1)[0]

    def __iter__(self) -> Iterator[dict]:
        if self._all is not None:
            yield from self._all
            return
        built: list[dict] = []
        for start in range(0, len(self), CHUNK):
            chunk = self._build(start, min(start + CHUNK, len(self)))
            built.extend(chunk)
            yield from chunk
        self._all = built

    def __eq__(self, other) -> bool:
        if isinstance(other, ImpactRows) or (isinstance(other, Sequence) and not isinstance(other, (str, bytes))):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # like a list

    def __add__(self, other) -> list[dict]:  # like a list: rows + rows (or + a list) is a list of every row
        if isinstance(other, ImpactRows) or isinstance(other, list):
            return list(self) + list(other)
        return NotImplemented

    def __radd__(self, other) -> list[dict]:
        if isinstance(other, list):
            return other + list(self)
        return NotImplemented

    def __repr__(self) -> str:
        return f"<ImpactRows: {len(self)} rows>"

    @gc_paused()  # many small dicts and lists that form no cycles
    def _build(self, start: int, stop: int) -> list[dict]:
        """The row dicts of rows ``start`` to ``stop``, their chains built in bulk."""
        if start >= stop:
            return []
        g, prop, nodes = self._g, self._prop, self._g._node
        ids = self._prop.index.ids_array[self._pos[start:stop]].tolist()
        if self._full:
            from .impact import item

            return [item(g, n, prop, self._notes, full_chain=True) for n in ids]
        chains, skipped = prop.brief_chains(self._pos[start:stop])
        tails = self._tails
        out = []
        for node, chain, skip in zip(ids, chains, skipped):
            d = nodes[node]
            kind = d["kind"]
            row = {"id": node, "kind": kind, "name": d.get("name")}
            if kind == "process":
                row["criticality"] = d.get("criticality")
            elif kind == "dataset":
                row["classification"] = d.get("classification")
                row["personal_data"] = d.get("personal_data")
            row["why"] = chain
            row["chain_length"] = len(chain) + skip
            last = chain[-1]
            tail = tails.get(last)
            if tail is None:
                from .impact import chain_text

                tail = tails[last] = chain_text(g, [last], self._notes)[len(last):]
            if skip:
                row["why_skipped"] = skip
                shown = [*chain[:CHAIN_HEAD], f"… {skip:,} more …", *chain[CHAIN_HEAD:]]
                row["why_text"] = " → ".join(shown) + tail
            else:
                row["why_text"] = " → ".join(chain) + tail
            out.append(row)
        return out


def _per_node(g: nx.MultiDiGraph, idx) -> tuple[list[dict], tuple[tuple, np.ndarray]]:
    """Each node's attribute dict and kind (:func:`_coded`), in index order, once per index.

    The dicts are networkx's own, so values read from them are always
    current; a node's kind is part of what it is (as for the blast radius).
    """
    known = idx.memo.get("node_attrs")
    if known is None:
        nodes = list(map(g._node.__getitem__, idx.ids))
        known = idx.memo["node_attrs"] = (nodes, _read(nodes, "kind", (*KIND_ORDER, None, "")))
    return known


def _severity(g: nx.MultiDiGraph, idx) -> tuple[tuple, np.ndarray, np.ndarray]:
    """Each node's level and its place in report order, in index order, once per index.

    Returns (the levels' distinct values, each node's index into them, each
    node's sort key). The key is one int64 per node: its kind
    (:data:`KIND_ORDER`), then the highest level first, then its id's place in
    string order, so that sorting a cut's positions by it gives the order of
    :func:`sovmap.graph.impact.severity_key` with no ties.

    Kept with the index, as the kinds are: networkx's methods that change a
    node (``add_node`` of a node already there, ``set_node_attributes``) or
    add and remove nodes and relations start a new index, so their edits are
    seen. A value written straight into a node's dict is not, until the
    graph's cache is cleared (``g.__networkx_cache__.clear()``): networkx's own
    rule for what it caches per graph.
    """
    known = idx.memo.get("severity")
    if known is None:
        nodes, (kind_names, kinds) = _per_node(g, idx)
        level_names, levels, rank = _read_levels(nodes, (kind_names, kinds))
        kind = np.fromiter((KIND_ORDER.get(k, 9) for k in kind_names), dtype=np.int64, count=len(kind_names))[kinds]
        span = int(rank.max()) + 1 if len(rank) else 1
        key = (kind * span + (span - 1 - rank)) * len(idx.ids) + _id_order(idx)
        known = idx.memo["severity"] = (level_names, levels, key)
    return known


def _id_order(idx) -> np.ndarray:
    """Each node's place among all ids in string order, once per index."""
    order = idx.memo.get("id_order")
    if order is None:
        order = np.empty(len(idx.ids), dtype=np.int64)
        order[sorted(range(len(idx.ids)), key=idx.ids.__getitem__)] = np.arange(len(idx.ids))
        idx.memo["id_order"] = order
    return order
