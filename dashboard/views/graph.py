"""Explore dependencies: the chain from an item to the ultimate owner and its country, what depends on it, or the
shortest chains between two items; double-click expands in place; one details panel."""

import streamlit as st

from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.graphview_browse import browse, depth_controls, mode_control
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import BACKEND, GRAPH_SEARCH, GRAPH_TARGET, LANG, seed_from_url
from sovmap.dashboard.widgets import node_options
from sovmap.graph.paths import chain_view

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
if st.session_state.get(GRAPH_TARGET) not in label:
    st.session_state.pop(GRAPH_TARGET, None)

mode = mode_control(lang)
c1, c2 = st.columns(2)
focus = c1.selectbox(t("graph.search", lang), ids, format_func=label.get, key=GRAPH_SEARCH)
target = None
if mode == "path":
    if GRAPH_TARGET not in st.session_state:
        ends = [n.id for n in chain_view(g, focus).nodes if n.kind == "supplier"]
        st.session_state[GRAPH_TARGET] = ends[-1] if ends else ids[-1]
    target = c2.selectbox(t("graph.target", lang), ids, format_func=label.get, key=GRAPH_TARGET)
else:
    depth_controls(lang, c2)
st.query_params[GRAPH_SEARCH] = focus
items = {i["id"]: i for i in (a.assessment or {}).get("items", [])}
browse(lang, focus, mode, target, lambda *_: g, item_of=items.get)
