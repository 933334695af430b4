"""Explore dependencies in Neo4j: search the server, fetch only the neighbourhood that is drawn, expand, details."""

import streamlit as st

from sovmap.dashboard import data, graphview
from sovmap.dashboard.common import neo4j_problem, require_source
from sovmap.dashboard.details import node_details
from sovmap.dashboard.i18n import t
from sovmap.dashboard.remote import option_labels
from sovmap.dashboard.state import (BACKEND, GRAPH_COUNTRIES, GRAPH_EVENT, GRAPH_EXPANDED, GRAPH_FOCUS, GRAPH_QUERY,
                                    GRAPH_QUERY_SEEN, GRAPH_SEARCH, GRAPH_SELECTED, LANG, focus_on,
                                    take_event)
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.widgets import chosen_filters, details_panel, graph_canvas, graph_filters

lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
source = require_source(lang, backend)["name"]
ref = backend.ref[1:]  # server, database, source, version, time of push: new pushes are fetched afresh
st.title(t("nav.graph", lang))
st.caption(t("graph.intro", lang))


def fetched(call, *args):
    """A cached Neo4j answer, or the page stops with what went wrong."""
    try:
        return call(*ref, *args)
    except data.Neo4jUnavailable as exc:
        neo4j_problem(lang, backend, str(exc))
    except LookupError as exc:  # the node (or, during a push, the source) is not there
        st.warning(t("graph.gone", lang, node=md_escape(args[0]), source=md_escape(source))
                   if call in (data.neo4j_surroundings, data.neo4j_context) else md_escape(exc))
        st.stop()


text = st.text_input(t("graph.query", lang), key=GRAPH_QUERY, placeholder=t("graph.query_hint", lang)).strip()
found = fetched(data.neo4j_search, text)
if text and not found:
    st.caption(t("graph.no_hits", lang, text=md_escape(text)))
wanted = st.session_state.get(GRAPH_SEARCH) or st.query_params.get(GRAPH_SEARCH)
if text != st.session_state.get(GRAPH_QUERY_SEEN):  # a new search centres on its best hit
    st.session_state[GRAPH_QUERY_SEEN] = text
    wanted = found[0]["id"] if found else wanted
hits = found
if wanted and wanted not in {r["id"] for r in found}:  # keep the centre (also from the URL) while it is there
    hits = [r for r in [fetched(data.neo4j_lookup, wanted)] if r] + found
label = option_labels(hits, lang)
if not label:
    st.info(t("graph.search_first", lang), icon=":material/search:")
    st.stop()
st.session_state[GRAPH_SEARCH] = wanted if wanted in label else next(iter(label))
focus = st.selectbox(t("graph.focus", lang), list(label), format_func=label.get, key=GRAPH_SEARCH)
st.query_params[GRAPH_SEARCH] = focus
if st.session_state[GRAPH_FOCUS] != focus:
    st.session_state.update({GRAPH_FOCUS: focus, GRAPH_EXPANDED: [], GRAPH_SELECTED: focus})


def within_reach():
    """What the view is picked from: the nodes within reach, fetched from Neo4j (the widgets' values from state)."""
    radius, filters = chosen_filters(st.session_state)
    reach = (focus, radius, tuple(st.session_state[GRAPH_EXPANDED]), data.NEO4J_FETCH)
    if radius > 1 and filters.control == "all":  # control needs more than the nodes: see below
        first = fetched(data.neo4j_surroundings, focus, 1, *reach[2:])
        if graphview.neighbourhood(first.g, focus, 1, (), filters).truncated:
            return first, reach[:1] + (1,) + reach[2:]  # the first step fills the view: further ones add nothing
    return fetched(data.neo4j_surroundings, *reach), reach


near, reach = within_reach()
take_event(st.session_state, graphview.parse_event(st.session_state.get(GRAPH_EVENT)), near.g)
near, reach = within_reach()  # the same, unless a double-click expanded a node

codes = {d["code"] for _, d in near.g.nodes(data=True) if d.get("kind") == "country"}
radius, filters = graph_filters(lang, sorted(codes | set(st.session_state[GRAPH_COUNTRIES])))
# Who controls a node, and its details, need what it points to: fetched for the nodes drawn (for all within
# reach when filtering on control). The view is picked again on that graph, which holds every relationship
# between them.
selected = st.session_state[GRAPH_SELECTED] if st.session_state[GRAPH_SELECTED] in near.g else focus
needed = set(near.g) if filters.control != "all" else {
    *graphview.neighbourhood(near.g, focus, radius, st.session_state[GRAPH_EXPANDED], filters).nodes, selected}
g = fetched(data.neo4j_context, *reach, tuple(sorted(needed)))
view = graphview.neighbourhood(g, focus, radius, st.session_state[GRAPH_EXPANDED], filters)

left, right = st.columns([3, 1])
with left:
    graph_canvas(g, view, lang, view_key=f"{focus}|{radius}|{filters}")
    if near.truncated or reach[1] < radius:
        st.warning(t("graph.neo4j_truncated", lang, limit=data.NEO4J_FETCH, radius=radius),
                   icon=":material/visibility_off:")
with right:
    details_panel(node_details(g, selected, None, lang), lang)
    st.caption(t("graph.neo4j_assessment", lang))
    if selected != focus:
        st.button(t("graph.centre", lang), on_click=focus_on, args=(st.session_state, selected),
                  icon=":material/center_focus_strong:")
