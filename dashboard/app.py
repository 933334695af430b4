"""The dashboard's entry point: language, sidebar and navigation; every page is a file in views/.

Run it with ``sovmap dashboard`` (which sets the workspace folder and Streamlit's
offline settings), not with ``streamlit run`` directly.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.i18n import LANGS, t
from sovmap.dashboard.state import LANG, LANG_SWITCH, init_state, switch_language
from sovmap.dashboard.tables import md_escape

# A local icon: Material icon names would make the browser fetch the favicon from fonts.gstatic.com.
st.set_page_config(page_title="sovmap", page_icon=str(Path(__file__).parent / "static" / "icon.png"), layout="wide")
init_state(st.session_state, st.query_params, st.context.locale, st.context.headers.get("Accept-Language"))

with st.sidebar:
    st.segmented_control(t("lang.label", st.session_state[LANG]), LANGS, key=LANG_SWITCH, required=True,
                         format_func=str.upper, on_change=switch_language, args=(st.session_state,))
lang = st.session_state[LANG]
st.query_params["lang"] = lang

PAGES = {
    "nav.section.inventory": [("overview", ":material/dashboard:"), ("upload", ":material/upload_file:"),
                              ("versions", ":material/history:")],
    "nav.section.analysis": [("graph", ":material/hub:"), ("impact", ":material/bolt:"),
                             ("spof", ":material/warning:"), ("gaps", ":material/checklist:")],
    "nav.section.report": [("report", ":material/description:")],
}
navigation = st.navigation({
    t(section, lang): [st.Page(f"views/{name}.py", title=t(f"nav.{name}", lang), icon=icon, url_path=name,
                               default=name == "overview") for name, icon in pages]
    for section, pages in PAGES.items()
})

with st.sidebar:
    root = data.workspace_root()
    current = data.workspace(str(root)).current()
    if current is None:
        st.caption(t("sidebar.no_version", lang))
    else:
        st.caption(t("sidebar.version", lang, version=current.id, created=f"{current.created:%Y-%m-%d %H:%M} UTC"))
    st.caption(t("sidebar.workspace", lang, path=md_escape(root)))

navigation.run()
