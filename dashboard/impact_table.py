"""The impact page's tables a page at a time: a cut that fails 100,000 items builds only the rows shown.

:func:`sort_order` orders the rows of :class:`sovmap.graph.impact_rows.ImpactRows`
by a column from the rows' columns and the node names, without building a row;
:func:`page_of` builds the shown page's table rows; :class:`LazyTable` is every
table row for the downloads, built only when a download is clicked.

Examples
--------
>>> import networkx as nx
>>> from sovmap.graph.impact import impact
>>> from sovmap.graph.scenarios import Scenario
>>> g = nx.MultiDiGraph()
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> for i, level in enumerate(["low", "vital", "high"]):
...     g.add_node(f"P{i}", kind="process", name=f"Proces {2 - i}", criticality=level)
...     _ = g.add_edge(f"P{i}", "S", key="provided_by")
>>> rows = impact(g, Scenario(suppliers=["S"]))["failed"]
>>> rows.ids()
['P1', 'P2', 'P0']
>>> [rows.ids()[i] for i in sort_order(g, rows, "name")]
['P2', 'P1', 'P0']
>>> [r["id"] for r in page_of(g, rows, sort_order(g, rows, "level", descending=True), 0, 2, "nl")]
['P0', 'P2']
>>> [r["level"] for r in LazyTable(g, rows, "nl")]
['vitaal', 'hoog', 'laag']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import networkx as nx
import numpy as np

from sovmap.graph.impact_rows import ImpactRows
from sovmap.ontology.vocab import vocabulary

from .tables import impact_rows

__all__ = ["PAGE_SIZE", "SORTS", "sort_order", "page_of", "pages", "LazyTable"]

PAGE_SIZE = 200  # rows shown at a time
SORTS = ("kind", "level", "name", "id")  # "kind": the report's order (kind, then the most critical first)
_CHUNK = 4096


def _ids(rows: Sequence[dict]) -> list[str]:
    return rows.ids() if isinstance(rows, ImpactRows) else [r["id"] for r in rows]


def _levels(rows: Sequence[dict]) -> list[str | None]:
    if isinstance(rows, ImpactRows):
        return rows.levels()
    return [r.get("criticality") or r.get("classification") for r in rows]


def _rank(level: str | None) -> int:
    """A criticality's or classification's rank in the vocabulary (higher is more critical); 0 without one."""
    if not level:
        return 0
    for enum in ("criticality", "classification"):
        if level in vocabulary().enum(enum).accepted():
            return vocabulary().enum(enum).get(level).rank
    return 0


def sort_order(g: nx.MultiDiGraph, rows: Sequence[dict], by: str = "kind", descending: bool = False) -> np.ndarray:
    """The positions of ``rows`` sorted by the column ``by`` (one of :data:`SORTS`); builds no row.

    "kind" keeps the report's order; "level" puts the most critical first (ties in the report's order);
    "name" and "id" sort as text. ``descending`` reverses the order.
    """
    if by not in SORTS:
        raise ValueError(f"cannot sort impact rows by {by!r}: choose one of {', '.join(SORTS)}")
    n = len(rows)
    if by == "kind":
        order = np.arange(n)
    elif by == "level":
        ranks = {level: _rank(level) for level in set(_levels(rows))}
        order = np.argsort(-np.fromiter(map(ranks.__getitem__, _levels(rows)), dtype=np.int64, count=n),
                           kind="stable")
    else:
        ids = _ids(rows)
        nodes = g._node
        keys = ids if by == "id" else [(nodes[i].get("name") or i).casefold() for i in ids]
        order = np.asarray(sorted(range(n), key=keys.__getitem__), dtype=np.int64)
    return order[::-1] if descending else order


def pages(n: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``n`` rows take (at least one).

    >>> pages(0), pages(200), pages(201)
    (1, 1, 2)
    """
    return max(1, -(-n // size))


def page_of(g: nx.MultiDiGraph, rows: Sequence[dict], order: np.ndarray, page: int, size: int, lang: str) -> list[dict]:
    """The table rows (:func:`sovmap.dashboard.tables.impact_rows`) of page ``page`` (from 0) in ``order``."""
    at = order[page * size:(page + 1) * size]
    if len(at) and isinstance(rows, ImpactRows) and np.array_equal(at, np.arange(at[0], at[0] + len(at))):
        shown = rows[int(at[0]):int(at[0]) + len(at)]  # a run of rows: built in one go
    else:
        shown = [rows[i] for i in at.tolist()]
    return impact_rows(g, shown, lang)


class LazyTable(Sequence):
    """Every table row of ``rows`` (:func:`sovmap.dashboard.tables.impact_rows`), built chunk by chunk when read.

    The downloads take it: their files, and so these rows, are made only when a download is clicked.
    """

    def __init__(self, g: nx.MultiDiGraph, rows: Sequence[dict], lang: str):
        self._g, self._rows, self._lang = g, rows, lang

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return impact_rows(self._g, list(self._rows[i]), self._lang)
        return impact_rows(self._g, [self._rows[i]], self._lang)[0]

    def __iter__(self) -> Iterator[dict]:
        for start in range(0, len(self._rows), _CHUNK):
            yield from impact_rows(self._g, self._rows[start:start + _CHUNK], self._lang)
