"""What the dashboard's graph drawings share: who controls a node, the scenario view of "what breaks if…", the legend.

The drawings themselves are the project's own component (dashboard/component/,
see :mod:`sovmap.dashboard.graphview_chain`). :func:`impact_view` chooses the
part of the graph a scenario breaks, never more than :data:`MAX_ELEMENTS` nodes
and edges; :func:`non_european_control` and :func:`ownership_unknown` mark nodes.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P", kind="process", name="Burgerzaken", criticality="vital")
>>> g.add_node("SYS", kind="system", name="Zaken <b>")
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("P", "SYS", key="uses")
>>> _ = g.add_edge("SYS", "S", key="provided_by")
>>> non_european_control(g, "SYS"), non_european_control(g, "P")
(True, None)
>>> view = impact_view(g, {"cut": [{"id": "S"}], "failed": [{"id": "SYS", "kind": "system", "why": ["S"]}],
...                        "degraded": []})
>>> view.nodes, view.states
(['S', 'SYS'], {'S': 'cut', 'SYS': 'failed'})
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import networkx as nx

from sovmap.graph.impact_rows import ImpactRows
from sovmap.graph.ownership import european_verdict, is_european
from sovmap.ontology.countries import country

from . import palette
from .escape import html_escape
from .i18n import kind_label, t

__all__ = ["MAX_ELEMENTS", "View", "Event", "non_european_control", "ownership_unknown", "impact_view",
           "legend_html"]

MAX_ELEMENTS = 1500
_PARTIES = ("provided_by", "operated_by")
_CRITICAL = ("vital", "high")


@dataclass
class View:
    """The nodes and edges to draw, and how many were left out."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]
    focus: str | None = None
    omitted_nodes: int = 0
    omitted_edges: int = 0
    states: dict[str, str] = field(default_factory=dict)  # node → "cut" / "failed" / "degraded"

    @property
    def truncated(self) -> bool:
        return bool(self.omitted_nodes or self.omitted_edges)


@dataclass(frozen=True)
class Event:
    """Something the user did in the graph: ``select`` (tap) or ``expand`` (double-click) a node."""

    action: str
    node: str
    timestamp: int


def ownership_unknown(g: nx.MultiDiGraph, node: str) -> bool:
    """True for a supplier whose European verdict is unknown (:func:`sovmap.graph.ownership.european_verdict`)."""
    return g.nodes[node].get("kind") == "supplier" and european_verdict(g, node).european is None


def non_european_control(g: nx.MultiDiGraph, node: str) -> bool | None:
    """True when a party outside the EU/EEA controls the node; None when that does not apply or is unknown.

    A supplier: its ownership chain. A location: its country or its operator.
    A system: its supplier, its operator or its location. A country: itself.
    Processes, data sets and organisations are not marked (they are affected, not in control).
    """
    d = g.nodes[node]
    kind = d.get("kind")
    if kind == "supplier":
        eu = is_european(g, node)
        return None if eu is None else not eu
    if kind == "country":
        return not country(d["code"]).eea if d.get("code") else None
    if kind not in ("location", "system"):
        return None
    marks: list[bool | None] = []
    if kind == "location" and d.get("country"):
        marks.append(not country(d["country"]).eea)
    for _, target, rel in g.out_edges(node, keys=True):
        if rel in _PARTIES or rel == "hosted_at":
            marks.append(non_european_control(g, target))
    if any(m is True for m in marks):
        return True
    return False if marks and all(m is False for m in marks) else None


def _edges_between(g: nx.MultiDiGraph, kept: set[str], node: str) -> list[tuple[str, str, str]]:
    out = [(node, v, k) for _, v, k in g.out_edges(node, keys=True) if v in kept]
    out += [(u, node, k) for u, _, k in g.in_edges(node, keys=True) if u in kept and u != node]
    return out


def _capped(g: nx.MultiDiGraph, ordered: Iterable[str], limit: int, all_nodes: set[str] | None = None) -> View:
    """Take nodes in order while nodes plus the edges among them stay within ``limit``.

    ``all_nodes``: every node that could be drawn (``ordered``'s own when None), for the omitted counts;
    ``ordered`` is read only up to the first node that does not fit.
    """
    ordered = list(ordered) if all_nodes is None else ordered
    kept: set[str] = set()
    nodes: list[str] = []
    edges: list[tuple[str, str, str]] = []
    for n in ordered:
        kept.add(n)
        new = _edges_between(g, kept, n)
        if len(nodes) + len(edges) + 1 + len(new) > limit:
            kept.discard(n)
            break
        nodes.append(n)
        edges.extend(new)
    all_nodes = set(ordered) if all_nodes is None else all_nodes
    total_edges = _edges_among(g, all_nodes)
    return View(nodes, edges, omitted_nodes=len(all_nodes) - len(nodes), omitted_edges=total_edges - len(edges))


def _edges_among(g: nx.MultiDiGraph, nodes: set[str]) -> int:
    """How many edges run between ``nodes`` (each key of a multi-edge counts), in set operations."""
    total = 0
    for u in nodes:
        out = g._succ[u]
        total += sum(map(len, map(out.__getitem__, out.keys() & nodes)))
    return total


def _ids(rows: Sequence[dict]) -> list[str]:
    return rows.ids() if isinstance(rows, ImpactRows) else [r["id"] for r in rows]


def _critical_rows(rows: Sequence[dict]) -> list[dict]:
    """The vital and high processes among ``rows``; of :class:`ImpactRows` only those rows are built."""
    if not isinstance(rows, ImpactRows):
        return [r for r in rows if r["kind"] == "process" and r.get("criticality") in _CRITICAL]
    processes = rows.of_kinds(["process"])
    at = [i for i, level in enumerate(processes.levels()) if level in _CRITICAL]
    if at == list(range(len(at))):  # most critical first: a prefix, built in one go
        return processes[:len(at)]
    return [processes[i] for i in at]


def _rows_in_chunks(*tables: Sequence[dict], size: int = 256) -> Iterator[dict]:
    """Every row of the tables in turn, built a chunk at a time (a reader that stops early builds no more)."""
    for rows in tables:
        for start in range(0, len(rows), size):
            yield from rows[start:start + size]


def impact_view(g: nx.MultiDiGraph, result: dict, limit: int = MAX_ELEMENTS, critical_only: bool = False) -> View:
    """The part of the graph a scenario breaks: what is cut, what fails and what degrades, and their why-chains.

    ``critical_only`` draws only what was cut, the vital and high processes that fail or degrade, and
    their why-chains.
    """
    failed, degraded = result["failed"], result["degraded"]
    state = {r["id"]: "cut" for r in result["cut"]}
    state.update(dict.fromkeys(_ids(failed), "failed"))
    state.update(dict.fromkeys(_ids(degraded), "degraded"))
    order: dict[str, None] = dict.fromkeys(r["id"] for r in result["cut"])
    if critical_only:  # every critical row: their chains decide what could be drawn
        for r in [*_critical_rows(failed), *_critical_rows(degraded)]:
            order.update(dict.fromkeys([r["id"], *reversed(r.get("why", []))]))
        view = _capped(g, order, limit)
    else:  # the chains run through cut and failed nodes only: the rows past the limit add nothing to draw
        for r in _rows_in_chunks(failed, degraded):
            if len(order) > limit:
                break
            order.update(dict.fromkeys([r["id"], *reversed(r.get("why", []))]))
        order.update(dict.fromkeys(state))
        view = _capped(g, order, limit, all_nodes=set(order))
    kept = set(view.nodes)
    view.states = {n: s for n, s in state.items() if n in kept}
    return view


def legend_html(lang: str, *, states: bool = False) -> str:
    """A small legend of the colours (our own words only), as HTML."""
    def swatch(colour: str, text: str, ring: str | None = None) -> str:
        border = f"border:3px solid {ring};" if ring else ""
        return (f'<span style="display:inline-flex;align-items:center;margin-right:14px;white-space:nowrap">'
                f'<span style="width:12px;height:12px;border-radius:50%;background:{colour};{border}'
                f'display:inline-block;margin-right:5px"></span>{html_escape(text)}</span>')

    if states:
        parts = [swatch(palette.STATE[s], t(f"impact.state.{s}", lang)) for s in ("cut", "failed", "degraded")]
    else:
        parts = [swatch(palette.KIND[k], kind_label(k, lang)) for k in palette.KIND]
    parts.append(swatch("#ffffff", t("graph.legend.noneu", lang), ring=palette.NON_EU))
    parts.append(swatch("#ffffff", t("graph.legend.unknownowner", lang), ring=palette.OWNERSHIP_UNKNOWN))
    return '<div style="font-size:0.85rem;line-height:1.9">' + "".join(parts) + "</div>"
