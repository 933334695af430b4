"""Roadmap (routekaart): which steps in which year, against the contract ends, and the curve of processes in control."""

import datetime as dt

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_analysis
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import BACKEND, LANG, ROADMAP_DIMENSIONS, ROADMAP_ORGANISATIONS
from sovmap.dashboard.tables import name_of
from sovmap.dashboard.timeline import (action_rows, curve_chart, filter_rows, organisations, roadmap_columns,
                                       timeline_chart)
from sovmap.dashboard.widgets import table_with_downloads
from sovmap.graph.levels import dimension_label, dimensions

# The table fits the main column at 1440 px (about 1,000 px): the step wraps, the figures stay narrow.
WIDTHS = {"period": 55, "start": 85, "kind": 100, "target": 130, "action": 290, "dimensions": 85,
          "organisations": 120, "waits_for": 100, "notice_by": 150, "effort": 50, "risk_removed": 55}
lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
a = require_analysis(lang, backend)
with st.spinner(t("roadmap.computing", lang)):
    plan = data.roadmap(backend.ref, dt.date.today().isoformat())
st.title(t("nav.roadmap", lang))
st.caption(t("roadmap.intro", lang, capacity=plan["capacity"], home=plan["home"]))
st.caption(coverage_caption(a, "assess", lang))
all_rows = action_rows(plan, a.g, lang)
if not all_rows:
    st.info(t("roadmap.none", lang))
    st.stop()

c1, c2 = st.columns(2)
dims = c1.multiselect(t("col.dimension", lang).capitalize(), list(dimensions()), key=ROADMAP_DIMENSIONS,
                      placeholder=t("all", lang), format_func=lambda d: dimension_label(d, lang))
orgs = c2.multiselect(t("roadmap.organisations", lang), organisations(all_rows), key=ROADMAP_ORGANISATIONS,
                      placeholder=t("all", lang), format_func=lambda o: name_of(a.g, o, lang))
rows = filter_rows(all_rows, dims, orgs)
st.markdown(t("roadmap.summary", lang, n=len(rows), total=len(all_rows), later=len(plan["not_scheduled"])))

st.subheader(t("roadmap.timeline", lang))
st.caption(t("roadmap.timeline_help", lang))
st.altair_chart(timeline_chart(rows, plan["contracts"], lang))

st.subheader(t("roadmap.curve", lang))
st.caption(t("roadmap.curve_help", lang, of=plan["in_control_before"][1], now=plan["in_control_before"][0]))
st.altair_chart(curve_chart(plan, lang))

st.subheader(t("roadmap.actions", lang))
table_with_downloads(t("roadmap.file", lang) + ("-demo" if backend.demo else ""), roadmap_columns(lang), rows, lang,
                     sheet=t("roadmap.sheet", lang), key="roadmap", widths=WIDTHS, wrap=("action",), height=520)
