"""Explore dependencies: the neighbourhood of a node, filters, expand by double-click, and a details panel."""

import streamlit as st

from sovmap.dashboard import graphview
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.details import node_details
from sovmap.dashboard.i18n import country_label, kind_label, t, value_label
from sovmap.dashboard.state import (GRAPH_CONTROL, GRAPH_COUNTRIES, GRAPH_CRITICALITY, GRAPH_EVENT, GRAPH_EVENT_SEEN,
                                    GRAPH_EXPANDED, GRAPH_FOCUS, GRAPH_KINDS, GRAPH_RADIUS, GRAPH_SEARCH,
                                    GRAPH_SELECTED, LANG, focus_on, seed_from_url)
from sovmap.dashboard.widgets import details_panel, node_options

lang = st.session_state[LANG]
a = require_analysis(lang)
g = a.g
st.title(t("nav.graph", lang))
st.caption(t("graph.intro", lang))

ids, label = node_options(g, lang)
seed_from_url(st.session_state, GRAPH_SEARCH, st.query_params.get_all(GRAPH_SEARCH), label, many=False)
seed_from_url(st.session_state, GRAPH_SEARCH, [a.ranking[0]["supplier_group"] if a.ranking else ids[0]], label, False)
focus = st.selectbox(t("graph.search", lang), ids, format_func=label.get, key=GRAPH_SEARCH)
st.query_params[GRAPH_SEARCH] = focus
if st.session_state[GRAPH_FOCUS] != focus:
    st.session_state.update({GRAPH_FOCUS: focus, GRAPH_EXPANDED: [], GRAPH_SELECTED: focus})
event = graphview.parse_event(st.session_state.get(GRAPH_EVENT))
if event and event.timestamp != st.session_state.get(GRAPH_EVENT_SEEN) and event.node in g:
    st.session_state[GRAPH_EVENT_SEEN] = event.timestamp
    st.session_state[GRAPH_SELECTED] = event.node
    if event.action == "expand" and event.node not in st.session_state[GRAPH_EXPANDED]:
        st.session_state[GRAPH_EXPANDED] = [*st.session_state[GRAPH_EXPANDED], event.node]

with st.expander(t("graph.filters", lang), icon=":material/filter_alt:"):
    c1, c2, c3 = st.columns(3)
    radius = c1.slider(t("graph.radius", lang), 1, 3, key=GRAPH_RADIUS)
    control = c1.radio(t("graph.control", lang), ["all", "non_eu", "eu"], key=GRAPH_CONTROL, horizontal=True,
                       format_func=lambda x: t(f"graph.control.{x}", lang))
    kinds = c2.multiselect(t("graph.kinds", lang), [k for k in graphview.palette.KIND], key=GRAPH_KINDS,
                           format_func=lambda k: kind_label(k, lang), placeholder=t("all", lang))
    crit = c2.multiselect(t("col.criticality", lang).capitalize(), ["vital", "high", "medium", "low"],
                          key=GRAPH_CRITICALITY, placeholder=t("all", lang),
                          format_func=lambda v: value_label("criticality", v, lang))
    codes = sorted({d["code"] for _, d in g.nodes(data=True) if d.get("kind") == "country"})
    countries = c3.multiselect(t("col.countries", lang).capitalize(), codes, key=GRAPH_COUNTRIES,
                               placeholder=t("all", lang), format_func=lambda c: country_label(c, lang))
filters = graphview.Filters(frozenset(kinds), frozenset(countries), control, frozenset(crit))
view = graphview.neighbourhood(g, focus, radius, st.session_state[GRAPH_EXPANDED], filters)

left, right = st.columns([3, 1])
with left:
    graphview.show(graphview.elements(g, view, lang), key=GRAPH_EVENT, view_key=f"{focus}|{radius}|{filters}")
    st.caption(t("graph.shown", lang, nodes=len(view.nodes), edges=len(view.edges)) + " " + t("graph.howto", lang))
    if view.truncated:
        st.warning(t("graph.truncated", lang, nodes=view.omitted_nodes, edges=view.omitted_edges,
                     limit=graphview.MAX_ELEMENTS), icon=":material/visibility_off:")
    st.html(graphview.legend_html(lang))
with right:
    selected = st.session_state[GRAPH_SELECTED] if st.session_state[GRAPH_SELECTED] in g else focus
    item = next((i for i in (a.assessment or {}).get("items", []) if i["id"] == selected), None)
    details_panel(node_details(g, selected, item, lang), lang)
    if selected != focus:
        st.button(t("graph.centre", lang), on_click=focus_on, args=(st.session_state, selected),
                  icon=":material/center_focus_strong:")
