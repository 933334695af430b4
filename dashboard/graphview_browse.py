"""The graph browser's page body, shared by the workspace page and the Neo4j page.

Both pages choose a focus (and in path mode a target), then call :func:`controls`
and :func:`browse`. ``graph_for(start, direction, expanded)`` gives the graph a
view is drawn from: the whole graph of a workspace version, or on Neo4j the
closure of ``start`` fetched from the server (:mod:`sovmap.store.chains`). The
view itself, the shortest chains and their highlight are the same
:mod:`sovmap.graph.paths` functions either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import networkx as nx
import streamlit as st

from . import graphview, graphview_chain
from .details import node_details
from .escape import md_escape
from .graphview_panel import detail_panel
from .i18n import t
from .state import (GRAPH_CHAIN_EVENT, GRAPH_DEPTH, GRAPH_EVENT_SEEN, GRAPH_EXPANDED, GRAPH_FOCUS, GRAPH_GROUPS,
                    GRAPH_MODE, GRAPH_SELECTED, GRAPH_UNFOLDED, GRAPH_VIEW_SEEN, focus_on, take_event)
from .tables import name_of
from sovmap.graph.paths import MAX_VIEW_NODES, chain_highlight, chain_view, shortest_chains

__all__ = ["DEPTHS", "mode_control", "depth_controls", "browse"]

DEPTHS = ["all", 1, 2, 3, 4, 5, 6, 8]
GraphFor = Callable[[str, str, Sequence[str]], nx.MultiDiGraph]


def mode_control(lang: str) -> str:
    """The direction/mode radio: "down", "up" or "path"."""
    st.session_state.setdefault(GRAPH_MODE, "down")
    st.session_state.setdefault(GRAPH_DEPTH, "all")
    st.session_state.setdefault(GRAPH_GROUPS, "separate")
    return st.radio(t("graph.mode", lang), ["down", "up", "path"], key=GRAPH_MODE, horizontal=True,
                    format_func=lambda m: t(f"graph.mode.{m}", lang))


def depth_controls(lang: str, where) -> None:
    """Depth and supplier groups, side by side in ``where``."""
    c3, c4 = where.columns(2)
    c3.selectbox(t("graph.depth", lang), DEPTHS, key=GRAPH_DEPTH,
                 format_func=lambda d: t("graph.depth.all", lang) if d == "all" else str(d))
    c4.selectbox(t("graph.groups", lang), graphview_chain.GROUP_MODES, key=GRAPH_GROUPS,
                 format_func=lambda m: t(f"graph.groups.{m}", lang))


def browse(lang: str, focus: str, mode: str, target: str | None, graph_for: GraphFor, *,
           panel_graph: Callable[[nx.MultiDiGraph, str], tuple[nx.MultiDiGraph, tuple | None]]
           = lambda g, _n: (g, None),
           item_of: Callable[[str], dict | None] = lambda _n: None) -> nx.MultiDiGraph:
    """Draw the chain view (or the shortest chains), the path text, the captions, the detail panel and the legend.

    ``panel_graph(g, selected)`` is the graph the detail panel reads, with what depends on the selected node when
    that was counted elsewhere (see :func:`~sovmap.dashboard.graphview_panel.detail_panel`'s ``counted``);
    ``item_of`` its assessment row. Returns the graph the view was drawn from.
    """
    depth = None if mode == "path" or st.session_state[GRAPH_DEPTH] == "all" else int(st.session_state[GRAPH_DEPTH])
    groups = st.session_state[GRAPH_GROUPS]
    asked = (focus, mode, target)
    if st.session_state.get(GRAPH_VIEW_SEEN) != asked:  # another question: start from its own chain again
        st.session_state.update({GRAPH_VIEW_SEEN: asked, GRAPH_FOCUS: focus, GRAPH_EXPANDED: [],
                                 GRAPH_SELECTED: focus, GRAPH_UNFOLDED: []})
    direction = "up" if mode == "up" else "down"
    chains, start = [], focus
    if mode == "path" and target != focus:
        g = graph_for(focus, "down", ())
        chains = shortest_chains(g, focus, target) if target in g else []
        if not chains:
            back = graph_for(target, "down", ())
            chains = shortest_chains(back, target, focus) if focus in back else []
            if chains:
                start = target
    g = graph_for(start, direction, tuple(st.session_state[GRAPH_EXPANDED]))
    event = graphview_chain.parse_chain_event(st.session_state.get(GRAPH_CHAIN_EVENT))
    opened = event is not None and event.action == "expand" and event.node.startswith("aggregate:") \
        and event.node not in g and event.timestamp != st.session_state.get(GRAPH_EVENT_SEEN)
    if not opened:
        before = list(st.session_state[GRAPH_EXPANDED])
        take_event(st.session_state, event, g)
        if st.session_state[GRAPH_EXPANDED] != before:  # a double-click: fetch what it adds
            g = graph_for(start, direction, tuple(st.session_state[GRAPH_EXPANDED]))
    expanded = [n for n in st.session_state[GRAPH_EXPANDED] if n in g]
    on_chains = {n for c in chains for n in c.nodes}  # never folded into an aggregate

    def current_view(extra=()):
        return chain_view(g, start, direction, depth, [*expanded, *extra],
                          unfolded=[*(st.session_state.get(GRAPH_UNFOLDED) or ()), *on_chains])

    view = current_view()
    if on_chains - set(view.ids):  # a chain's last step into a country shown as a badge: draw that country
        view = current_view([c.nodes[-2] for c in chains if c.nodes[-1] not in view.ids])
    if opened:  # a double-click on an aggregate opens it: its members are drawn one by one from now on
        st.session_state[GRAPH_EVENT_SEEN] = event.timestamp
        members = next((n.members for n in view.nodes if n.id == event.node), ())
        if members:
            st.session_state[GRAPH_UNFOLDED] = [*(st.session_state.get(GRAPH_UNFOLDED) or []), *members]
            view = current_view()
    highlight = chain_highlight(view, chains) if chains else None
    els = graphview_chain.chain_elements(g, view, lang, highlight=highlight, groups=groups)

    graphview_chain.show_chain(els, key=GRAPH_CHAIN_EVENT, lang=lang, height=600, view=graphview_chain.view_id(
        start, mode, target, depth, groups), anchor=event.node if opened else expanded[-1] if expanded else None,
        focus_first=mode != "up")
    if mode == "path":
        _path_text(g, lang, focus, target, start, chains)
    st.caption(t("graph.shown", lang, nodes=len(els["nodes"]), edges=len(els["edges"])) + " "
               + t("graph.chain.howto", lang))
    if view.aggregated:
        st.info(t("graph.chain.aggregated", lang, limit=MAX_VIEW_NODES), icon=":material/stacks:")
    if view.truncated_at_depth:
        st.caption(t("graph.chain.depth_cut", lang, depth=depth))

    selected = st.session_state[GRAPH_SELECTED] if st.session_state[GRAPH_SELECTED] in g else focus
    pg, counted = panel_graph(g, selected)
    detail_panel(pg, node_details(pg, selected, item_of(selected), lang), lang, counted)
    if selected != focus:
        st.button(t("graph.centre", lang), on_click=focus_on, args=(st.session_state, selected),
                  icon=":material/center_focus_strong:")
    st.html(graphview.legend_html(lang))
    st.caption(" · ".join(t(k, lang) for k in ("graph.legend.junction", "graph.legend.badges", "graph.legend.path")))
    return g


def _path_text(g: nx.MultiDiGraph, lang: str, focus: str, target: str, start: str, chains: list) -> None:
    a_name, b_name = md_escape(name_of(g, focus, lang)), md_escape(name_of(g, target, lang))
    if target == focus:
        st.info(t("graph.path.same", lang), icon=":material/info:")
    elif not chains:
        st.info(t("graph.path.none", lang, a=a_name, b=b_name), icon=":material/link_off:")
    else:
        if start != focus:
            st.caption(t("graph.path.reversed", lang, a=a_name, b=b_name))
        lines = []
        for c in chains:
            notes = [t("graph.path.alternative", lang, step=i + 1, n=s.groups[0][2], group=md_escape(s.groups[0][0]),
                       k=s.groups[0][1]) for i, s in enumerate(c.steps) if s.redundant]
            text = " → ".join(md_escape(name_of(g, n, lang)) for n in c.nodes)
            lines.append(f"- {text} — {'; '.join(notes) or t('graph.path.single', lang)}")
        st.markdown(t("graph.path.found", lang, count=len(chains), steps=len(chains[0].steps)) + "\n"
                    + "\n".join(lines))
