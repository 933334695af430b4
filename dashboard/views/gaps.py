"""Gaps and next steps: where the assessment falls short of the policy, and what to do, most severe first."""

import streamlit as st

from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_answers
from sovmap.dashboard.i18n import kind_label, t
from sovmap.dashboard.state import BACKEND, GAPS_ALL, GAPS_DIMENSIONS, GAPS_KINDS, GAPS_SORT, LANG
from sovmap.dashboard.tables import action_columns, action_rows, gap_columns, gap_rows
from sovmap.dashboard.widgets import table_with_downloads
from sovmap.graph.levels import dimension_label, dimensions

SORTS = {"severity": lambda r: -r["severity"], "kind": lambda r: r["kind"], "name": lambda r: r["name"].lower()}
lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
a = require_answers(lang, backend, computed=backend.neo4j and st.session_state.get(GAPS_ALL, False))
st.title(t("nav.gaps", lang))
st.caption(coverage_caption(a, "assess", lang))
if a.assessment is None:
    st.info(t("overview.no_assessment", lang))
    st.stop()
st.caption(t("gaps.intro", lang))
gaps, actions = a.assessment["gaps"], a.assessment["actions"]
shortened = len(gaps) < a.assessment["gaps_total"] or len(actions) < a.assessment["actions_total"]
if shortened:
    st.info(t("gaps.top_stored", lang, n=len(gaps), total=a.assessment["gaps_total"], steps=len(actions),
              steps_total=a.assessment["actions_total"]), icon=":material/filter_list:")
if backend.neo4j and (shortened or st.session_state.get(GAPS_ALL)):  # every gap: from the graph pulled
    st.toggle(t("gaps.all", lang), key=GAPS_ALL, help=t("gaps.all_help", lang))

st.subheader(t("gaps.actions", lang))
st.caption(t("gaps.actions_help", lang))
table_with_downloads("sovmap-next-steps", action_columns(lang), action_rows(a.g, actions, lang), lang,
                     sheet=t("gaps.actions", lang)[:31], key="actions", height=380,
                     widths={"step": 480, "closes": 70, "severity": 60, "fixes": 90, "items": 270},
                     wrap=("step", "items"))

st.subheader(t("gaps.gaps", lang))
c1, c2, c3 = st.columns(3)
dims = c1.multiselect(t("col.dimension", lang).capitalize(), list(dimensions()), key=GAPS_DIMENSIONS,
                      placeholder=t("all", lang), format_func=lambda d: dimension_label(d, lang))
kinds = c2.multiselect(t("graph.kinds", lang), ["process", "dataset", "system"], key=GAPS_KINDS,
                       placeholder=t("all", lang), format_func=lambda k: kind_label(k, lang))
sort = c3.selectbox(t("spof.sort", lang), list(SORTS), key=GAPS_SORT, format_func=lambda k: t(f"gaps.sort.{k}", lang))
rows = [r for r in gap_rows(a.g, gaps, lang)
        if (not dims or r["dimension_id"] in dims) and (not kinds or r["kind_id"] in kinds)]
rows.sort(key=SORTS[sort])
st.markdown(t("gaps.summary", lang, n=len(rows), total=len(gaps)))
table_with_downloads("sovmap-gaps", gap_columns(lang), rows, lang, sheet=t("gaps.gaps", lang)[:31], key="gaps",
                     widths={"kind": 70, "id": 80, "name": 140, "level": 70, "dimension": 100, "required": 80,
                             "actual": 80, "severity": 50, "steps": 300}, wrap=("steps",))
