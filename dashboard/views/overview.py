"""Overview: key figures, the three-level assessment, the supplier groups that break most, and foreign jurisdictions."""

import streamlit as st

from sovmap.dashboard.charts import groups_chart, jurisdiction_chart, level_chart, level_legend_html
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_overview
from sovmap.dashboard.figures import jurisdiction_table, level_rows
from sovmap.dashboard.i18n import kinds_label, t
from sovmap.dashboard.state import BACKEND, LANG
from sovmap.graph.levels import dimension_label, dimension_question, dimensions

lang = st.session_state[LANG]
a = require_overview(lang, st.session_state[BACKEND])  # figures stored per version: no graph, no analysis
st.title(t("nav.overview", lang))
st.caption(t("app.tagline", lang))
st.caption(coverage_caption(a, "overview", lang))

f = a.figures
for col, kind in zip(st.columns(5), ("process", "dataset", "system", "supplier", "location")):
    col.metric(kinds_label(kind, lang), f.counts[kind], border=True)
left, right = st.columns(2)
left.metric(t("overview.share", lang), f"{f.share:.0%}", border=True,
            help=t("overview.share_help", lang, n=f.non_eu_spof, total=f.vital_high))
right.metric(t("overview.non_eu_groups", lang), f"{f.non_eu_groups} / {f.groups}", border=True)
st.markdown(t("overview.share_text", lang, n=f.non_eu_spof, total=f.vital_high))
if not f.vital_high and a.coverage.get("processes_without_criticality"):
    st.info(t("overview.left_out", lang, n=len(a.coverage["processes_without_criticality"])))

st.subheader(t("overview.assessment", lang))
if a.assessment is None:
    st.warning(t("overview.no_assessment", lang))
else:
    for col, dim in zip(st.columns(3), dimensions()):
        with col:
            st.markdown(f"##### {dimension_label(dim, lang).capitalize()}")
            st.caption(dimension_question(dim, lang))
            st.altair_chart(level_chart(level_rows(a.assessment["matrix"], dim), lang))
    st.html(level_legend_html(lang))

st.subheader(t("overview.groups", lang))
st.caption(t("overview.groups_help", lang))
st.altair_chart(groups_chart(a.groups, lang))

if a.assessment is not None:
    st.subheader(t("overview.jurisdictions", lang))
    st.caption(t("overview.jurisdictions_help", lang))
    rows = jurisdiction_table(a.assessment["reach"], a.assessment["laws"])
    if rows:
        st.altair_chart(jurisdiction_chart(rows, lang))
    else:
        st.success(t("overview.no_jurisdictions", lang))
