"""Single points of failure: processes that one supplier group alone can stop, and the groups ranked by impact."""

import streamlit as st

from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_answers
from sovmap.dashboard.i18n import t, value_label
from sovmap.dashboard.state import BACKEND, LANG, SPOF_CRITICALITY, SPOF_NON_EU, SPOF_SORT
from sovmap.dashboard.tables import ranking_columns, ranking_rows, spof_columns, spof_rows
from sovmap.dashboard.widgets import table_with_downloads

SORTS = {"criticality": lambda r: 0, "count": lambda r: -r["count"], "non_european": lambda r: -r["non_european"],
         "name": lambda r: r["name"].lower()}
NONE = "none"  # the filter's choice for processes without a criticality
# The tables fit 1440 px: names and groups wide enough to read, the figures narrow (their header is the tooltip).
# Widths add up to about 1,000 px, the main column at 1440 px with the sidebar open.
SPOF_WIDTHS = {"id": 90, "name": 170, "criticality": 80, "count": 70, "non_european": 70, "unknown_ownership": 70,
               "groups": 430}
RANKING_WIDTHS = {"rank": 40, "name": 230, "supplier_group": 100, "countries": 100, "european": 80,
                  **dict.fromkeys(("failed_processes", "failed_vital_high", "failed_systems", "failed_datasets",
                                   "score"), 85)}
lang = st.session_state[LANG]
a = require_answers(lang, st.session_state[BACKEND])
st.title(t("nav.spof", lang))
st.caption(t("spof.intro", lang))
st.caption(coverage_caption(a, "spof --all" if NONE in st.session_state[SPOF_CRITICALITY] else "spof", lang))

c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
levels = c1.multiselect(t("col.criticality", lang).capitalize(), ["vital", "high", "medium", "low", NONE],
                        key=SPOF_CRITICALITY, format_func=lambda v: t("spof.no_criticality", lang) if v == NONE
                        else value_label("criticality", v, lang))
sort = c2.selectbox(t("spof.sort", lang), list(SORTS), key=SPOF_SORT, format_func=lambda k: t(f"spof.sort.{k}", lang))
only = c3.toggle(t("spof.only_non_eu", lang), key=SPOF_NON_EU)
# One list of rows gives both the table and its counts; with the toggle, only non-European groups are listed.
chosen = [p for p in a.spof_all if (p["criticality"] or NONE) in levels]
rows = [r for r in spof_rows(chosen, lang, a.g, only_non_european=only, via=a.via) if r["count"]]
rows.sort(key=SORTS[sort])  # stable: the criticality order of single_points_of_failure stays within ties
verb = t("spof.verb.one" if len(rows) == 1 else "spof.verb.many", lang)
if only:
    st.markdown(t("spof.summary.non_eu", lang, n=len(rows), total=len(chosen), verb=verb))
    hidden = sum(1 for p in chosen if not any(s["european"] is False for s in p["single_points_of_failure"])
                 and any(s["european"] is None for s in p["single_points_of_failure"]))
    if hidden:
        st.caption(t("spof.unknown_hidden", lang, n=hidden))
else:
    st.markdown(t("spof.summary.all", lang, n=len(rows), total=len(chosen), verb=verb,
                  non_eu=sum(bool(r["non_european"]) for r in rows)))
left_out = 0 if NONE in levels else sum(p["criticality"] is None for p in a.spof_all)
if left_out:
    st.info(t("spof.left_out", lang, n=left_out))
table_with_downloads("sovmap-single-points-of-failure", spof_columns(lang), rows, lang, sheet="spof", key="spof",
                     widths=SPOF_WIDTHS, wrap=("groups",))

st.subheader(t("spof.ranking", lang))
st.caption(t("spof.ranking_help", lang))
table_with_downloads("sovmap-supplier-groups", ranking_columns(lang), ranking_rows(a.ranking, lang), lang,
                     sheet=t("spof.ranking", lang)[:31], key="ranking", widths=RANKING_WIDTHS, wrap=("name",))
