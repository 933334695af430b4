"""The interactive graph view: the only module that knows the graph component (st-link-analysis, Cytoscape.js).

It chooses what to draw (a node's neighbourhood, or the part of the graph a
scenario breaks), never more than :data:`MAX_ELEMENTS` nodes and edges, turns
that into the component's elements and styles, and reads the component's events
(a tap selects a node, a double-click expands it).

st-link-analysis bundles Cytoscape.js in its package (no CDN). Its side panel
writes every data field except ``label`` into the page as HTML, so every field
but ``label`` is HTML-escaped here; ``label`` (the node's name) is written as
text. Kinds, non-European control and impact states travel as classes, which
the panel does not show.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P", kind="process", name="Burgerzaken", criticality="vital")
>>> g.add_node("SYS", kind="system", name="Zaken <b>")
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("P", "SYS", key="uses")
>>> _ = g.add_edge("SYS", "S", key="provided_by")
>>> view = neighbourhood(g, "SYS", radius=1)
>>> view.nodes, view.omitted_nodes
(['SYS', 'P', 'S'], 0)
>>> els = elements(g, view, "en")
>>> [n["classes"] for n in els["nodes"]]
['system noneu focus key', 'process key', 'supplier noneu']
>>> els["nodes"][0]["data"]["label"], els["nodes"][0]["data"]["id"]
('Zaken <b>', 'SYS')
>>> parse_event({"action": "expand", "data": {"node_ids": ["SYS"]}, "timestamp": 7})
Event(action='expand', node='SYS', timestamp=7)
"""

from __future__ import annotations

import hashlib
import html
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from sovmap.graph.ownership import european_verdict, is_european
from sovmap.ontology.countries import country

from . import palette
from .escape import html_escape
from .i18n import country_label, kind_label, relation_label, t, value_label, yes_no
from .tables import name_of

__all__ = ["MAX_ELEMENTS", "HUB_KINDS", "Filters", "View", "Event", "non_european_control", "ownership_unknown",
           "neighbourhood", "impact_view", "elements", "parse_event", "show", "legend_html"]

MAX_ELEMENTS = 1500
HUB_KINDS = frozenset({"country", "organisation"})  # drawn, but not walked through: they connect everything
_PARTIES = ("provided_by", "operated_by")


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to; an empty set means no narrowing."""

    kinds: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    control: str = "all"  # "all", "non_eu" (only non-European control) or "eu"
    criticalities: frozenset[str] = frozenset()

    def keeps(self, g: nx.MultiDiGraph, node: str) -> bool:
        """True when the node passes every filter that applies to its kind."""
        d = g.nodes[node]
        if self.kinds and d["kind"] not in self.kinds:
            return False
        if self.countries and d["kind"] in ("supplier", "location", "country", "organisation"):
            if (d.get("country") or d.get("code")) not in self.countries:
                return False
        if self.criticalities and d["kind"] == "process" and d.get("criticality") not in self.criticalities:
            return False
        if self.control != "all":
            mark = non_european_control(g, node)
            if mark is not None and mark != (self.control == "non_eu"):
                return False
            if self.control == "eu" and ownership_unknown(g, node):  # unknown is never shown as European
                return False
        return True


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


def _neighbours(g: nx.MultiDiGraph, node: str) -> Iterable[str]:
    seen = set()
    for n in (*g.successors(node), *g.predecessors(node)):
        if n not in seen:
            seen.add(n)
            yield n


def _edges_between(g: nx.MultiDiGraph, kept: set[str], node: str) -> list[tuple[str, str, str]]:
    out = [(node, v, k) for _, v, k in g.out_edges(node, keys=True) if v in kept]
    out += [(u, node, k) for u, _, k in g.in_edges(node, keys=True) if u in kept and u != node]
    return out


def _capped(g: nx.MultiDiGraph, ordered: Sequence[str], limit: int) -> View:
    """Take nodes in order while nodes plus the edges among them stay within ``limit``."""
    kept: set[str] = set()
    nodes: list[str] = []
    edges: list[tuple[str, str, str]] = []
    full = False
    for n in ordered:
        if full:
            break
        kept.add(n)
        new = _edges_between(g, kept, n)
        if len(nodes) + len(edges) + 1 + len(new) > limit:
            kept.discard(n)
            full = True
            continue
        nodes.append(n)
        edges.extend(new)
    all_nodes = set(ordered)
    total_edges = sum(1 for u, v in g.subgraph(all_nodes).edges())
    return View(nodes, edges, omitted_nodes=len(all_nodes) - len(nodes), omitted_edges=total_edges - len(edges))


def neighbourhood(g: nx.MultiDiGraph, focus: str, radius: int = 1, expanded: Iterable[str] = (),
                  filters: Filters = Filters(), limit: int = MAX_ELEMENTS) -> View:
    """The nodes within ``radius`` steps of ``focus`` (either direction), plus the neighbours of ``expanded`` nodes.

    Countries and organisations are drawn but not walked through, unless they are
    the focus or expanded. Nodes the filters reject are left out (never the focus
    or an expanded node). The nearest nodes are kept when the view would exceed
    ``limit`` nodes plus edges.
    """
    if focus not in g:
        return View([], [], focus=None)
    expanded = [n for n in expanded if n in g]
    pinned = {focus, *expanded}
    dist = {focus: 0}
    queue = deque([focus])
    while queue:
        cur = queue.popleft()
        if dist[cur] >= radius or (g.nodes[cur]["kind"] in HUB_KINDS and cur not in pinned):
            continue
        for n in _neighbours(g, cur):
            if n not in dist:
                dist[n] = dist[cur] + 1
                queue.append(n)
    order = sorted(dist, key=lambda n: (dist[n], n != focus, n))
    for e in expanded:
        for n in [e, *_neighbours(g, e)]:
            if n not in dist:
                dist[n] = radius + 1
                order.append(n)
    order = [n for n in order if n in pinned or filters.keeps(g, n)]
    view = _capped(g, order, limit)
    view.focus = focus
    return view


def impact_view(g: nx.MultiDiGraph, result: dict, limit: int = MAX_ELEMENTS, critical_only: bool = False) -> View:
    """The part of the graph a scenario breaks: what is cut, what fails and what degrades, and their why-chains.

    ``critical_only`` draws only what was cut, the vital and high processes that fail or degrade, and
    their why-chains.
    """
    rows = [*result["failed"], *result["degraded"]]
    if critical_only:
        rows = [r for r in rows if r["kind"] == "process" and r.get("criticality") in ("vital", "high")]
    state = {r["id"]: "cut" for r in result["cut"]}
    state.update({r["id"]: "failed" for r in result["failed"]})
    state.update({r["id"]: "degraded" for r in result["degraded"]})
    order: list[str] = [r["id"] for r in result["cut"]]
    for r in rows:
        for n in [r["id"], *reversed(r.get("why", []))]:
            if n not in order:
                order.append(n)
    if not critical_only:
        order += [n for n in state if n not in order]
    view = _capped(g, order, limit)
    kept = set(view.nodes)
    view.states = {n: s for n, s in state.items() if n in kept}
    return view


_esc = html_escape


def _node_data(g: nx.MultiDiGraph, node: str, lang: str) -> dict:
    d = g.nodes[node]
    kind = d["kind"]
    data = {"id": _esc(node), "label": name_of(g, node, lang), t("col.kind", lang): _esc(kind_label(kind, lang)),
            t("col.id", lang): _esc(node)}
    if d.get("country"):
        data[t("col.country", lang)] = _esc(country_label(d["country"], lang))
    if kind == "process" and d.get("criticality"):
        data[t("col.criticality", lang)] = _esc(value_label("criticality", d["criticality"], lang))
    if kind == "dataset" and d.get("classification"):
        data[t("col.classification", lang)] = _esc(value_label("classification", d["classification"], lang))
    mark = non_european_control(g, node)
    if mark is not None:
        data[t("non_european", lang)] = _esc(yes_no(mark, lang))
    elif ownership_unknown(g, node):
        data[t("non_european", lang)] = _esc(t("ownership_unknown", lang))
    return data


def elements(g: nx.MultiDiGraph, view: View, lang: str) -> dict:
    """The component's elements: nodes coloured by kind (classes), edges labelled with their relation."""
    nodes = []
    for n in view.nodes:
        classes = [g.nodes[n]["kind"]]
        if non_european_control(g, n):
            classes.append("noneu")
        elif ownership_unknown(g, n):
            classes.append("unknownowner")
        if n == view.focus:
            classes.append("focus")
        if n == view.focus or view.states.get(n) == "cut" or g.nodes[n].get("criticality") in ("vital", "high"):
            classes.append("key")
        if view.states:
            classes.append(view.states.get(n, "context"))
        nodes.append({"data": _node_data(g, n, lang), "classes": " ".join(classes)})
    edges = [{"data": {"id": _esc(f"{u}|{k}|{v}"), "source": _esc(u), "target": _esc(v),
                       "label": relation_label(k, lang)}, "classes": k} for u, v, k in view.edges]
    return {"nodes": nodes, "edges": edges}


def parse_event(value: object) -> Event | None:
    """The component's return value as an :class:`Event`, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    action, data = value.get("action"), value.get("data") or {}
    node = (data.get("node_ids") or [None])[0] if action == "expand" else data.get("target_id")
    if action not in ("expand", "select") or not isinstance(node, str):
        return None
    return Event(action, html.unescape(node), int(value.get("timestamp") or 0))


class _Style:
    """A Cytoscape style rule in the shape st-link-analysis expects (anything with ``dump()``)."""

    def __init__(self, selector: str, style: dict) -> None:
        self.selector, self.style = selector, style

    def dump(self) -> dict:
        return {"selector": self.selector, "style": self.style}


def _styles() -> list[_Style]:
    rules = [_Style("node", {"label": "data(label)", "width": 22, "height": 22, "font-size": 7,
                             "text-wrap": "ellipsis", "text-max-width": 110, "color": palette.INK,
                             "border-width": 1.5, "border-color": "#ffffff", "min-zoomed-font-size": 6}),
             _Style("edge", {"width": 1.2, "curve-style": "bezier", "target-arrow-shape": "triangle",
                             "arrow-scale": 0.7, "line-color": "#b8bcc6", "target-arrow-color": "#b8bcc6"})]
    rules += [_Style(f"node.{kind}", {"background-color": colour}) for kind, colour in palette.KIND.items()]
    rules += [_Style("node.process", {"shape": "round-rectangle", "width": 30}),
              _Style("node.dataset", {"shape": "barrel"}),
              _Style("node.supplier", {"shape": "diamond", "width": 26, "height": 26}),
              _Style("node.location", {"shape": "hexagon"}),
              _Style("node.noneu", {"border-width": 4, "border-color": palette.NON_EU, "border-style": "solid"}),
              _Style("node.unknownowner", {"border-width": 4, "border-color": palette.OWNERSHIP_UNKNOWN,
                                           "border-style": "dashed"}),
              _Style("node.key", {"min-zoomed-font-size": 0, "font-weight": "bold"}),
              _Style("node.focus", {"width": 34, "height": 34, "font-size": 9}),
              _Style("edge.owned_by", {"line-style": "dashed"}),
              _Style("node.context", {"opacity": 0.35}),
              _Style("node.cut", {"background-color": palette.STATE["cut"]}),
              _Style("node.failed", {"background-color": palette.STATE["failed"]}),
              _Style("node.degraded", {"background-color": palette.STATE["degraded"]})]
    return rules


def _layout(view_key: str, layered: bool) -> dict:
    # The key makes the layout differ per view, so the component lays a new view out afresh.
    stamp = hashlib.sha1(view_key.encode()).hexdigest()[:12]
    if layered:  # what was cut on top, then what fails because of it, step by step
        return {"name": "breadthfirst", "roots": ".cut", "directed": False, "animate": False, "fit": True,
                "padding": 30, "spacingFactor": 1.1, "nodeDimensionsIncludeLabels": False, "sovmapView": stamp}
    return {"name": "fcose", "animate": False, "fit": True, "padding": 30, "randomize": True,
            "nodeDimensionsIncludeLabels": True, "idealEdgeLength": 70, "nodeRepulsion": 6500, "sovmapView": stamp}


def show(els: dict, *, key: str, view_key: str, height: int = 640, layered: bool = False) -> Event | None:
    """Draw the elements; return the event that brought the user here, if any (also kept under ``key``).

    ``layered`` draws what was cut on top and what fails in rows below it (for a scenario's view).
    """
    from st_link_analysis import Event as ComponentEvent
    from st_link_analysis import st_link_analysis

    value = st_link_analysis(els, layout=_layout(view_key, layered), node_styles=_styles(), height=height, key=key,
                             node_actions=["expand"], events=[ComponentEvent("select", "tap", "node")])
    return parse_event(value)


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
