"""Explore dependencies: the neighbourhood of a node, filters, expand by double-click, and a details panel."""

import streamlit as st

from sovmap.dashboard import graphview
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.details import node_details
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import (BACKEND, GRAPH_EVENT, GRAPH_EXPANDED, GRAPH_FOCUS, GRAPH_SEARCH, GRAPH_SELECTED,
                                    LANG, focus_on, seed_from_url, take_event)
from sovmap.dashboard.widgets import details_panel, graph_canvas, graph_filters, node_options

lang = st.session_state[LANG]
a = require_analysis(lang, st.session_state[BACKEND])
g = a.g
st.title(t("nav.graph", lang))
st.caption(t("graph.intro", lang))
st.caption(coverage_caption(a, "overview", lang))

ids, label = node_options(g, lang)
seed_from_url(st.session_state, GRAPH_SEARCH, st.query_params.get_all(GRAPH_SEARCH), label, many=False)
seed_from_url(st.session_state, GRAPH_SEARCH, [a.ranking[0]["supplier_group"] if a.ranking else ids[0]], label, False)
focus = st.selectbox(t("graph.search", lang), ids, format_func=label.get, key=GRAPH_SEARCH)
st.query_params[GRAPH_SEARCH] = focus
if st.session_state[GRAPH_FOCUS] != focus:
    st.session_state.update({GRAPH_FOCUS: focus, GRAPH_EXPANDED: [], GRAPH_SELECTED: focus})
take_event(st.session_state, graphview.parse_event(st.session_state.get(GRAPH_EVENT)), g)

codes = sorted({d["code"] for _, d in g.nodes(data=True) if d.get("kind") == "country"})
radius, filters = graph_filters(lang, codes)
view = graphview.neighbourhood(g, focus, radius, st.session_state[GRAPH_EXPANDED], filters)

left, right = st.columns([3, 1])
with left:
    graph_canvas(g, view, lang, view_key=f"{focus}|{radius}|{filters}")
with right:
    selected = st.session_state[GRAPH_SELECTED] if st.session_state[GRAPH_SELECTED] in g else focus
    item = next((i for i in (a.assessment or {}).get("items", []) if i["id"] == selected), None)
    details_panel(node_details(g, selected, item, lang), lang)
    if selected != focus:
        st.button(t("graph.centre", lang), on_click=focus_on, args=(st.session_state, selected),
                  icon=":material/center_focus_strong:")
