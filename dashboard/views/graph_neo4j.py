"""Explore dependencies in Neo4j: the same chain view, path mode, expand and detail panel as the workspace page,
drawn from only the part of the graph the view needs (the focus's closure, fetched from the server)."""

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.common import neo4j_problem, require_source
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.graphview_browse import browse, depth_controls, mode_control
from sovmap.dashboard.i18n import t
from sovmap.dashboard.remote import option_labels
from sovmap.dashboard.state import BACKEND, GRAPH_QUERY, GRAPH_QUERY_SEEN, GRAPH_SEARCH, GRAPH_TARGET, LANG
from sovmap.dashboard.tables import name_of
from sovmap.graph.paths import chain_view

lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
source = require_source(lang, backend)["name"]
ref = backend.ref[1:]  # server, database, source, version, time of push: new pushes are fetched afresh
st.title(t("nav.graph", lang))
st.caption(t("graph.chain.intro", lang))


def fetched(call, *args):
    """A cached Neo4j answer, or the page stops with what went wrong."""
    try:
        return call(*ref, *args)
    except data.Neo4jUnavailable as exc:
        neo4j_problem(lang, backend, str(exc))
    except LookupError as exc:  # the node (or, during a push, the source) is not there
        st.warning(t("graph.gone", lang, node=md_escape(args[0]), source=md_escape(source))
                   if call in (data.neo4j_chain_graph, data.neo4j_dependants) else md_escape(exc))
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

capped = []


def graph_for(start, direction, expanded, context=True):
    """The part of the pushed graph the view of ``start`` needs (noting when Neo4j had more than was fetched)."""
    part = fetched(data.neo4j_chain_graph, start, direction, tuple(expanded), None, context)
    if part.capped:
        capped.append(start)
    return part.g


mode = mode_control(lang)
c1, c2 = st.columns(2)
focus = c1.selectbox(t("graph.focus", lang), list(label), format_func=label.get, key=GRAPH_SEARCH)
st.query_params[GRAPH_SEARCH] = focus
target = None
if mode == "path":  # the target: what the focus depends on, or a search hit
    down = graph_for(focus, "down", ())
    reach = [n.id for n in chain_view(down, focus).nodes if n.id in down and n.id != focus]
    targets = {**{n: f"{name_of(down, n, lang)} ({n})" for n in reach}, **{k: v for k, v in label.items()}}
    if st.session_state.get(GRAPH_TARGET) not in targets:
        ends = [n for n in reach if down.nodes[n].get("kind") == "supplier"]
        st.session_state[GRAPH_TARGET] = ends[-1] if ends else next(iter(targets))
    target = c2.selectbox(t("graph.target", lang), list(targets), format_func=targets.get, key=GRAPH_TARGET)
    st.caption(t("graph.neo4j_target", lang))
else:
    depth_controls(lang, c2)


def panel_graph(g, selected):
    """The view's graph with the first direct dependants of the selected node, and what depends on it as the
    server counted it (one query, however much depends on it)."""
    import networkx as nx

    from sovmap.dashboard.remote import local_graph

    d = fetched(data.neo4j_dependants, selected)
    missing = [n for n in d.shown if n["id"] not in g]
    if missing:  # a new graph: the view's own is cached
        g = nx.compose(g, local_graph([(missing, [])]))
    return g, ([n["id"] for n in d.shown], d.direct, d.processes)


browse(lang, focus, mode, target, graph_for, panel_graph=panel_graph)
if capped:
    st.warning(t("graph.neo4j_capped", lang, limit=data.chain_store.FETCH_LIMIT), icon=":material/visibility_off:")
st.caption(t("graph.neo4j_assessment", lang))
