"""The board report: a preview and a self-contained, printable HTML download, in the chosen language."""

import datetime as dt

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.i18n import t
from sovmap.dashboard.report import build_report
from sovmap.dashboard.state import BACKEND, LANG

lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
a = require_analysis(lang, backend)
st.title(t("nav.report", lang))
st.caption(t("report.intro", lang))
st.caption(coverage_caption(a, "overview", lang))
with st.spinner(t("roadmap.computing", lang)):
    plan = data.roadmap(backend.ref, dt.date.today().isoformat())
html = build_report(a, lang, roadmap=plan)
st.download_button(t("report.download", lang), html.encode("utf-8"), type="primary", on_click="ignore",
                   file_name=f"{t('report.file', lang)}-{'demo-' if backend.demo else ''}{a.version.id}-{lang}.html", mime="text/html",
                   icon=":material/download:")
st.caption(t("report.print", lang))
st.iframe(html, height=1400)  # every inventory value in it is HTML-escaped by build_report
