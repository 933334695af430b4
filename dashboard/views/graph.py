"""Explore dependencies: the chain from an item to the ultimate owner and its country, what depends on it, or the
shortest chains between two items; double-click expands in place; one details panel."""

import streamlit as st

from sovmap.dashboard import graphview, graphview_chain
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.details import node_details
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.graphview_panel import detail_panel
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import (BACKEND, GRAPH_CHAIN_EVENT, GRAPH_DEPTH, GRAPH_EXPANDED, GRAPH_FOCUS,
                                    GRAPH_EVENT_SEEN, GRAPH_GROUPS, GRAPH_MODE, GRAPH_SEARCH, GRAPH_SELECTED,
                                    GRAPH_TARGET, GRAPH_UNFOLDED, GRAPH_VIEW_SEEN, LANG, focus_on, seed_from_url,
                                    take_event)
from sovmap.dashboard.tables import name_of
from sovmap.dashboard.widgets import node_options
from sovmap.graph.paths import MAX_VIEW_NODES, chain_highlight, chain_view, shortest_chains

DEPTHS = ["all", 1, 2, 3, 4, 5, 6, 8]

lang = st.session_state[LANG]
a = require_analysis(lang, st.session_state[BACKEND])
g = a.g
st.title(t("nav.graph", lang))
st.caption(t("graph.chain.intro", lang))
st.caption(coverage_caption(a, "overview", lang))

ids, label = node_options(g, lang)
seed_from_url(st.session_state, GRAPH_SEARCH, st.query_params.get_all(GRAPH_SEARCH), label, many=False)
if GRAPH_SEARCH not in st.session_state:  # the first visit: a vital process shows the longest chains
    processes = [n for n in ids if g.nodes[n]["kind"] == "process"]
    vital = [n for n in processes if g.nodes[n].get("criticality") == "vital"]
    st.session_state[GRAPH_SEARCH] = (vital or processes or ids)[0]
st.session_state.setdefault(GRAPH_MODE, "down")
st.session_state.setdefault(GRAPH_DEPTH, "all")
st.session_state.setdefault(GRAPH_GROUPS, "separate")
if st.session_state.get(GRAPH_TARGET) not in label:
    st.session_state.pop(GRAPH_TARGET, None)

mode = st.radio(t("graph.mode", lang), ["down", "up", "path"], key=GRAPH_MODE, horizontal=True,
                format_func=lambda m: t(f"graph.mode.{m}", lang))
c1, c2 = st.columns(2)
focus = c1.selectbox(t("graph.search", lang), ids, format_func=label.get, key=GRAPH_SEARCH)
target = None
if mode == "path":
    if GRAPH_TARGET not in st.session_state:
        ends = [n.id for n in chain_view(g, focus).nodes if n.kind == "supplier"]
        st.session_state[GRAPH_TARGET] = ends[-1] if ends else ids[-1]
    target = c2.selectbox(t("graph.target", lang), ids, format_func=label.get, key=GRAPH_TARGET)
else:
    c3, c4 = c2.columns(2)
    c3.selectbox(t("graph.depth", lang), DEPTHS, key=GRAPH_DEPTH,
                 format_func=lambda d: t("graph.depth.all", lang) if d == "all" else str(d))
    c4.selectbox(t("graph.groups", lang), graphview_chain.GROUP_MODES, key=GRAPH_GROUPS,
                 format_func=lambda m: t(f"graph.groups.{m}", lang))
st.query_params[GRAPH_SEARCH] = focus
depth = None if mode == "path" or st.session_state[GRAPH_DEPTH] == "all" else int(st.session_state[GRAPH_DEPTH])
groups = st.session_state[GRAPH_GROUPS]

asked = (focus, mode, target)
if st.session_state.get(GRAPH_VIEW_SEEN) != asked:  # another question: start from its own chain again
    st.session_state.update({GRAPH_VIEW_SEEN: asked, GRAPH_FOCUS: focus, GRAPH_EXPANDED: [], GRAPH_SELECTED: focus,
                             GRAPH_UNFOLDED: []})
event = graphview_chain.parse_chain_event(st.session_state.get(GRAPH_CHAIN_EVENT))
opened = event is not None and event.action == "expand" and event.node.startswith("aggregate:") \
    and event.node not in g and event.timestamp != st.session_state.get(GRAPH_EVENT_SEEN)
if not opened:
    take_event(st.session_state, event, g)
expanded = [n for n in st.session_state[GRAPH_EXPANDED] if n in g]

chains, start, highlight = [], focus, None
if mode == "path" and target != focus:
    chains = shortest_chains(g, focus, target)
    if not chains:
        chains = shortest_chains(g, target, focus)
        start = target if chains else focus


on_chains = {n for c in chains for n in c.nodes}  # never folded into an aggregate


def current_view(extra=()):
    return chain_view(g, start, "up" if mode == "up" else "down", depth, [*expanded, *extra],
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
if chains:
    highlight = chain_highlight(view, chains)
els = graphview_chain.chain_elements(g, view, lang, highlight=highlight, groups=groups)

graphview_chain.show_chain(els, key=GRAPH_CHAIN_EVENT, lang=lang, height=600, view=graphview_chain.view_id(
    start, mode, target, depth, groups), anchor=event.node if opened else expanded[-1] if expanded else None,
    focus_first=mode != "up")
if mode == "path":
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
st.caption(t("graph.shown", lang, nodes=len(els["nodes"]), edges=len(els["edges"])) + " "
           + t("graph.chain.howto", lang))
if view.aggregated:
    st.info(t("graph.chain.aggregated", lang, limit=MAX_VIEW_NODES), icon=":material/stacks:")
if view.truncated_at_depth:
    st.caption(t("graph.chain.depth_cut", lang, depth=depth))

selected = st.session_state[GRAPH_SELECTED] if st.session_state[GRAPH_SELECTED] in g else focus
item = next((i for i in (a.assessment or {}).get("items", []) if i["id"] == selected), None)
detail_panel(g, node_details(g, selected, item, lang), lang)
if selected != focus:
    st.button(t("graph.centre", lang), on_click=focus_on, args=(st.session_state, selected),
              icon=":material/center_focus_strong:")
st.html(graphview.legend_html(lang))
st.caption(" · ".join(t(k, lang) for k in ("graph.legend.junction", "graph.legend.badges", "graph.legend.path")))
