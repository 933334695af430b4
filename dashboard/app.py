"""The dashboard's entry point: language, sidebar and navigation; every page is a file in views/.

Run it with ``sovmap dashboard`` (which sets the workspace folder, the Neo4j server
if any, and Streamlit's offline settings), not with ``streamlit run`` directly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.guard import page_guard
from sovmap.dashboard.i18n import LANGS, t
from sovmap.dashboard.state import (BACKEND, DATA_SOURCE, DEMO, LANG, LANG_SWITCH, NEO4J_SOURCE, init_state,
                                    keep_choices, leave_demo, switch_language)

# A local icon: Material icon names would make the browser fetch the favicon from fonts.gstatic.com.
st.set_page_config(page_title="sovmap", page_icon=str(Path(__file__).parent / "static" / "icon.png"), layout="wide")
# Streamlit's own table download and copy export cells as they are (a name "=HYPERLINK(...)" stays a formula):
# every table has the project's neutralised CSV and Excel downloads instead (sovmap.dashboard.downloads).
st.set_option("client.disableDataExport", True)
init_state(st.session_state, st.query_params, st.context.locale, st.context.headers.get("Accept-Language"))
keep_choices(st.session_state)  # the pages' choices survive a visit to another page

with st.sidebar:
    st.segmented_control(t("lang.label", st.session_state[LANG]), LANGS, key=LANG_SWITCH, required=True,
                         format_func=str.upper, on_change=switch_language, args=(st.session_state,))
lang = st.session_state[LANG]
st.query_params["lang"] = lang

with page_guard(lang):  # an unexpected error: one line on the page, the details in the log
    # The backend, once per run: the sidebar's earlier choices (its widgets are drawn below) pick the source.
    setting = data.neo4j_setting()
    if setting is not None and st.session_state.get(DATA_SOURCE) not in ("neo4j", "workspace"):
        st.session_state[DATA_SOURCE] = "neo4j"
    backend = data.resolve_backend(st.session_state.get(DATA_SOURCE) == "neo4j", st.session_state.get(NEO4J_SOURCE),
                                   demo=st.session_state[DEMO])
    st.session_state[BACKEND] = backend
    if backend.neo4j and not backend.problem:  # the source shown; None when the one asked for is not there
        st.session_state[NEO4J_SOURCE] = backend.source["name"] if backend.source else None

    PAGES = {
        "nav.section.inventory": [("overview", ":material/dashboard:"), ("upload", ":material/upload_file:"),
                                  ("versions", ":material/history:")],
        "nav.section.analysis": [("graph", ":material/hub:"), ("impact", ":material/bolt:"),
                                 ("spof", ":material/warning:"), ("gaps", ":material/checklist:"),
                                 ("roadmap", ":material/timeline:")],
        "nav.section.report": [("report", ":material/description:")],
    }
    FILES = {"graph": "graph_neo4j"}  # pages with their own file on the Neo4j backend
    navigation = st.navigation({
        t(section, lang): [st.Page(f"views/{FILES.get(name, name) if backend.neo4j else name}.py",
                                   title=t(f"nav.{name}", lang), icon=icon, url_path=name, default=name == "overview")
                           for name, icon in pages]
        for section, pages in PAGES.items()
    })

    if backend.demo:  # on every page: this is the fictional demo, the user's own workspace is untouched
        banner, leave = st.columns([5, 1], vertical_alignment="center")
        banner.info(t("demo.banner", lang), icon=":material/science:")
        leave.button(t("demo.leave", lang), on_click=leave_demo, args=(st.session_state,), icon=":material/logout:",
                     key="demo_leave")

    with st.sidebar:
        if setting is not None and not backend.demo:
            st.radio(t("sidebar.data", lang), ["neo4j", "workspace"], key=DATA_SOURCE,
                     format_func=lambda k: t(f"sidebar.data.{k}", lang))
        if backend.neo4j:
            st.caption(t("sidebar.neo4j", lang, uri=md_escape(backend.uri)))
            if backend.problem:
                st.caption(f":red[{t('sidebar.neo4j_unreachable', lang)}]")
            elif backend.sources:
                st.selectbox(t("sidebar.neo4j_source", lang), backend.sources, key=NEO4J_SOURCE,
                             placeholder=t("sidebar.neo4j_choose", lang))
            if backend.source:
                pushed = backend.source["pushed_at"]
                when = f"{dt.datetime.fromisoformat(pushed):%Y-%m-%d %H:%M} UTC" if pushed else "–"
                st.caption(t("sidebar.neo4j_version", lang, version=md_escape(backend.source["version"] or "–"),
                             pushed_at=when, nodes=backend.source["nodes"]))
        elif backend.demo:
            st.caption(t("sidebar.demo", lang))
        else:
            if backend.version is None:
                st.caption(t("sidebar.no_version", lang))
            else:
                st.caption(t("sidebar.version", lang, version=backend.version.id,
                             created=f"{backend.version.created:%Y-%m-%d %H:%M} UTC"))
            st.caption(t("sidebar.workspace", lang, path=md_escape(backend.root)))

    navigation.run()
