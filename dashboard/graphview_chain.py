"""The graph browser's own component: a layered chain view (sovmap.graph.paths) drawn by dashboard/component/.

This module turns a :class:`sovmap.graph.paths.ChainView` into the component's
elements (names, badges and classes in the chosen language), draws them with
the component, and reads its events back (a click selects a node, a
double-click expands it). The component is Cytoscape.js with the dagre
layered layout, bundled in the package (see dashboard/component/README.md).

Names travel as data and are drawn on the canvas as text; nothing here is
written into the page as HTML.

Examples
--------
>>> import networkx as nx
>>> from sovmap.graph.paths import chain_view
>>> g = nx.MultiDiGraph()
>>> g.add_node("P", kind="process", name="Vergunningen <b>", criticality="vital")
>>> g.add_node("SYS", kind="system", name="Zaken")
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> g.add_node("country:US", kind="country", name="United States", code="US")
>>> for u, v, k in [("P", "SYS", "uses"), ("SYS", "S", "provided_by"), ("S", "country:US", "registered_in")]:
...     _ = g.add_edge(u, v, key=k)
>>> els = chain_elements(g, chain_view(g, "P"), "nl")
>>> [(n["data"]["id"], n["data"]["label"], n["classes"]) for n in els["nodes"]]
[('P', 'Vergunningen <b>', 'process focus'), ('SYS', 'Zaken', 'system noneu'), ('S', 'Kynthos', 'supplier noneu'), ('country:US', 'Verenigde Staten (US)', 'country noneu')]
>>> parse_chain_event({"action": "expand", "node": "SYS", "ts": 5})
Event(action='expand', node='SYS', timestamp=5)
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import networkx as nx

from sovmap.graph.ownership import root_of
from sovmap.graph.paths import ChainNode, ChainView

from . import palette
from .graphview import Event, View, non_european_control, ownership_unknown
from .i18n import kinds_label, relation_label, t
from .tables import name_of

__all__ = ["GROUP_MODES", "COMPONENT_PATH", "group_suppliers", "chain_elements", "impact_elements", "view_id",
           "parse_chain_event", "show_chain"]

COMPONENT_PATH = Path(__file__).parent / "component"
GROUP_MODES = ("separate", "boxed", "collapsed")  # supplier groups: as drawn, in a box, or folded into one node
_JUNCTION_COLOUR = "#ffffff"
_AGGREGATE_COLOUR = "#cfd3dc"
_component = None


def group_suppliers(g: nx.MultiDiGraph, view: ChainView, mode: str) -> dict[str, str]:
    """Drawn suppliers of one group (two or more in the view) → the group's box id ``group:<ultimate parent>``.

    With ``mode`` "separate" nothing is grouped.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", kind="supplier"); g.add_node("B", kind="supplier"); g.add_node("C", kind="supplier")
    >>> _ = g.add_edge("A", "B", key="owned_by")
    >>> from sovmap.graph.paths import chain_view
    >>> group_suppliers(g, chain_view(g, "A"), "boxed")
    {'A': 'group:B', 'B': 'group:B'}
    """
    if mode == "separate":
        return {}
    roots = root_of(g)
    members: dict[str, list[str]] = defaultdict(list)
    for n in view.nodes:
        if n.kind == "supplier":
            members[roots.get(n.id, n.id)].append(n.id)
    return {m: f"group:{root}" for root, ms in members.items() if len(ms) > 1 for m in ms}


def _badge_text(g: nx.MultiDiGraph, badges: Iterable[str], lang: str) -> str:
    parts = []
    for b in badges:
        d = g.nodes[b] if b in g else {}
        parts.append(d["code"] if d.get("kind") == "country" and d.get("code") else name_of(g, b, lang))
    return " · ".join(parts)


def _label(g: nx.MultiDiGraph, n: ChainNode, lang: str, roots: dict[str, str]) -> str:
    if n.kind == "junction":
        return n.label
    if n.kind == "aggregate":
        if n.of == "supplier" and n.members:
            return f"{n.count} × {name_of(g, roots.get(n.members[0], n.members[0]), lang)}"
        what = kinds_label(n.of, lang) if n.of in palette.KIND else t("graph.chain.items", lang)
        return f"{n.count} × {what[:1].lower()}{what[1:]}"
    name = name_of(g, n.id, lang)
    badges = _badge_text(g, n.badges, lang)
    return f"{name}\n[{badges}]" if badges else name


def _classes(g: nx.MultiDiGraph, n: ChainNode, focus: str) -> list[str]:
    classes = [n.kind]
    if n.kind not in ("junction", "aggregate"):
        if non_european_control(g, n.id):
            classes.append("noneu")
        elif ownership_unknown(g, n.id):
            classes.append("unknownowner")
    if n.id == focus:
        classes.append("focus")
    return classes


def chain_elements(g: nx.MultiDiGraph, view: ChainView, lang: str, *, highlight: tuple[set, set] | None = None,
                   groups: str = "separate") -> dict:
    """The component's elements for a view: labelled nodes (name and badges), edges, and supplier groups.

    ``highlight`` is (node ids, (source, target) pairs) from :func:`sovmap.graph.paths.chain_highlight`: those
    get the class ``hl`` and everything else ``dim``. ``groups`` is one of :data:`GROUP_MODES`.
    """
    roots = root_of(g)
    boxes = group_suppliers(g, view, groups)
    focus_orgs = {b for b in view.node(view.focus).badges if g.nodes[b].get("kind") == "organisation"} \
        if view.focus in view.ids else set()
    hl_nodes, hl_edges = highlight if highlight is not None else (set(), set())
    nodes: list[dict] = []
    alias: dict[str, str] = {}  # collapsed suppliers → their group node
    if groups == "collapsed":
        alias = dict(boxes)
    seen_boxes: set[str] = set()
    for box in dict.fromkeys(boxes.values()):
        root = box.split(":", 1)[1]
        count = sum(1 for b in boxes.values() if b == box)
        label = name_of(g, root, lang) + (f"\n({t('graph.chain.group_of', lang, count=count)})"
                                           if groups == "collapsed" else "")
        classes = ["supplier" if groups == "collapsed" else "group"]
        if groups == "collapsed":
            if non_european_control(g, root):
                classes.append("noneu")
            if any(m in hl_nodes for m, b in boxes.items() if b == box):
                classes.append("hl")
            elif highlight is not None:
                classes.append("dim")
        nodes.append({"data": {"id": box, "label": label, "colour": palette.KIND["supplier"], "kind": "group"},
                      "classes": " ".join(classes)})
        seen_boxes.add(box)
    for n in view.nodes:
        if n.id in alias:
            continue
        classes = _classes(g, n, view.focus)
        if highlight is not None:
            classes.append("hl" if n.id in hl_nodes else "dim")
        colour = {"junction": _JUNCTION_COLOUR, "aggregate": _AGGREGATE_COLOUR}.get(n.kind) or palette.KIND.get(
            n.kind, _AGGREGATE_COLOUR)
        if n.id != view.focus:  # organisations on processes and data sets only, and never the focus's own again
            n = replace(n, badges=tuple(b for b in n.badges if b not in focus_orgs and (
                n.kind in ("process", "dataset") or g.nodes[b].get("kind") != "organisation")))
        data = {"id": n.id, "label": _label(g, n, lang, roots), "colour": colour, "kind": n.kind,
                "layer": n.layer}
        if n.id in boxes and groups == "boxed":
            data["parent"] = boxes[n.id]
        nodes.append({"data": data, "classes": " ".join(classes)})
    edges: list[dict] = []
    done: set[tuple[str, str, str]] = set()
    for e in view.edges:
        s, tgt = alias.get(e.source, e.source), alias.get(e.target, e.target)
        if s == tgt or (s, tgt, e.relation) in done:
            continue
        done.add((s, tgt, e.relation))
        classes = [e.relation] + (["alternative"] if not e.required else [])
        if highlight is not None:
            lit = (e.source, e.target) in hl_edges
            classes.append("hl" if lit else "dim")
        edges.append({"data": {"id": f"{s}|{e.relation}|{tgt}", "source": s, "target": tgt,
                               "label": relation_label(e.relation, lang)}, "classes": " ".join(classes)})
    return {"nodes": nodes, "edges": edges}


def impact_elements(g: nx.MultiDiGraph, view: View, lang: str) -> dict:
    """The component's elements for a scenario's view (:func:`sovmap.dashboard.graphview.impact_view`).

    What was cut, what fails and what degrades are filled with their state's colour (cut ones drawn larger,
    as the focus); the rest of their why-chains is drawn faded in its kind's colour. Edges point along
    dependencies, so drawn right to left (``focus_first=False``) what was cut comes first and what fails
    because of it follows, step by step.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Burgerzaken"); g.add_node("S", kind="supplier", name="K", country="US")
    >>> _ = g.add_edge("P", "S", key="provided_by")
    >>> els = impact_elements(g, View(["S", "P"], [("P", "S", "provided_by")], states={"S": "cut"}), "en")
    >>> [(n["data"]["id"], n["classes"]) for n in els["nodes"]]
    [('S', 'supplier noneu focus cut'), ('P', 'process dim context')]
    """
    nodes = []
    for n in view.nodes:
        state = view.states.get(n, "context")
        classes = _classes(g, ChainNode(n, g.nodes[n].get("kind", "unknown"), 0), "")
        classes += ["focus" if state == "cut" else "dim" if state == "context" else "", state]  # state last
        colour = palette.STATE.get(state) or palette.KIND.get(g.nodes[n].get("kind"), _AGGREGATE_COLOUR)
        nodes.append({"data": {"id": n, "label": name_of(g, n, lang), "colour": colour,
                               "kind": g.nodes[n].get("kind", "unknown")},
                      "classes": " ".join(c for c in classes if c)})
    edges = [{"data": {"id": f"{u}|{k}|{v}", "source": u, "target": v, "label": relation_label(k, lang)},
              "classes": k} for u, v, k in view.edges]
    return {"nodes": nodes, "edges": edges}


def view_id(*parts: object) -> str:
    """A short stable id of what the user asked to see; a new id makes the component lay out afresh."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def parse_chain_event(value: object) -> Event | None:
    """The component's value (``{"action", "node", "ts"}``) as an :class:`Event`, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    action, node, ts = value.get("action"), value.get("node"), value.get("ts")
    if action not in ("select", "expand") or not isinstance(node, str) or not isinstance(ts, (int, float)):
        return None
    return Event(action, node, int(ts))


def _declared():
    global _component
    if _component is None:
        import streamlit.components.v1 as components

        _component = components.declare_component("sovmap_graph", path=str(COMPONENT_PATH))
    return _component


def show_chain(els: dict, *, key: str, view: str, lang: str, anchor: str | None = None,
               height: int = 640, focus_first: bool = True, fit: str = "readable") -> Event | None:
    """Draw the elements with the bundled component; return its last event (also kept under ``key``).

    The component stays mounted across reruns (a stable ``key``): for the same ``view`` it keeps the drawn
    nodes' positions, the zoom and the pan, and places only new nodes (next to ``anchor`` when given).
    Edges point along dependencies; the layers run left to right from their sources, or, when
    ``focus_first`` is False (what depends on the focus), right to left so that the focus still comes first.
    A new view opens fitted: with ``fit`` "readable" never smaller than labels can be read (the user pans to
    the rest, the focus in view), with "all" the whole drawing inside the frame (an overview to zoom into).
    The fit button sits above the drawing, never over a node.
    """
    if fit not in ("readable", "all"):
        raise ValueError(f"fit must be 'readable' or 'all', not {fit!r}")
    value = _declared()(elements=els, view=view, anchor=anchor, height=height, rank_dir="LR" if focus_first else "RL",
                        texts={"fit": t("graph.chain.fit", lang)}, fit=fit, key=key, default=None)
    return parse_chain_event(value)
