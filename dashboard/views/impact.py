"""What breaks if… a supplier (group), a country's legal reach or a location cuts access; the link reproduces the view."""

from urllib.parse import urlencode

import streamlit as st

from sovmap.dashboard import data, graphview, graphview_chain
from sovmap.dashboard.analysis import coverage_caption
from sovmap.dashboard.common import require_answers
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.i18n import country_label, kinds_label, t
from sovmap.dashboard.state import (BACKEND, IMPACT_COUNTRIES, IMPACT_CRITICAL, IMPACT_EVENT, IMPACT_LOCATIONS,
                                    IMPACT_SUBSIDIARIES, IMPACT_SUPPLIERS, LANG, cut_largest_non_european,
                                    seed_from_url)
from sovmap.dashboard.impact_table import PAGE_SIZE, SORTS, LazyTable, page_of, pages, sort_order
from sovmap.dashboard.tables import impact_columns, impact_summary, scenario_params
from sovmap.dashboard.widgets import download_pair, node_options, table

lang = st.session_state[LANG]
backend = st.session_state[BACKEND]
a = require_answers(lang, backend)
g = a.g  # on Neo4j with stored answers: the parties the options name; the cut's own graph comes below
st.title(t("nav.impact", lang))
st.caption(t("impact.intro", lang))
st.caption(coverage_caption(a, "impact", lang))

suppliers, supplier_label = node_options(g, lang, ("supplier",))
locations, location_label = node_options(g, lang, ("location",))
codes = sorted({d["code"] for _, d in g.nodes(data=True) if d.get("kind") == "country"})
for key, options in ((IMPACT_SUPPLIERS, suppliers), (IMPACT_COUNTRIES, codes), (IMPACT_LOCATIONS, locations)):
    seed_from_url(st.session_state, key, st.query_params.get_all(key), options)
seed_from_url(st.session_state, IMPACT_SUBSIDIARIES, [st.query_params.get(IMPACT_SUBSIDIARIES) != "false"],
              (True, False), many=False)
c1, c2, c3 = st.columns([2, 1, 1])
chosen = c1.multiselect(t("impact.suppliers", lang), suppliers, key=IMPACT_SUPPLIERS, format_func=supplier_label.get,
                        placeholder=t("impact.none", lang))
subs = c1.toggle(t("impact.subsidiaries", lang), key=IMPACT_SUBSIDIARIES)
lands = c2.multiselect(t("impact.countries", lang), codes, key=IMPACT_COUNTRIES, placeholder=t("impact.none", lang),
                       format_func=lambda c: country_label(c, lang))
locs = c3.multiselect(t("impact.locations", lang), locations, key=IMPACT_LOCATIONS, format_func=location_label.get,
                      placeholder=t("impact.none", lang))
params = scenario_params(sorted(chosen), subs, sorted(lands), sorted(locs), lang)
st.query_params.from_dict({k: [v for k2, v in params if k2 == k] for k, _ in params})
top = next((r for r in a.ranking if r["european"] is False), None)
if top:
    st.button(t("impact.largest", lang, name=md_escape(top["name"])), on_click=cut_largest_non_european,
              args=(st.session_state, top["supplier_group"]), icon=":material/bolt:")
if not (chosen or lands or locs):
    st.info(t("impact.choose", lang), icon=":material/touch_app:")
    st.stop()

cut = (tuple(sorted(chosen)), subs, tuple(sorted(lands)), tuple(sorted(locs)))
if backend.neo4j:  # only the closure of the cut is fetched from Neo4j
    r, g = data.neo4j_impact(*backend.ref[1:], *cut)
else:
    r = data.impact(backend.ref, *cut)
cols = st.columns(4)  # counts and names from the rows' columns: no why-chain is built for them
for col, kind in zip(cols, ("process", "dataset", "system")):
    col.metric(t("impact.failed_kind", lang, kinds=kinds_label(kind, lang)), len(r["failed"].of_kinds([kind])),
               border=True)
cols[3].metric(t("impact.degraded", lang), len(r["degraded"]), border=True)
processes = r["failed"].of_kinds(["process"])
vital = [n for n, level in zip(processes.ids(), processes.levels()) if level in ("vital", "high")]
st.markdown(impact_summary([x["name"] or x["id"] for x in r["cut"]], [g.nodes[n].get("name") or n for n in vital], lang))

critical = st.toggle(t("impact.critical_only", lang), key=IMPACT_CRITICAL)
view = graphview.impact_view(g, r, critical_only=critical)
graphview_chain.show_chain(graphview_chain.impact_elements(g, view, lang), key=IMPACT_EVENT, lang=lang, height=560,
                           view=graphview_chain.view_id(critical, *sorted(view.states)), focus_first=False,
                           fit="all")
st.html(graphview.legend_html(lang, states=True))
if view.truncated:
    st.warning(t("graph.truncated", lang, nodes=view.omitted_nodes, edges=view.omitted_edges,
                 limit=graphview.MAX_ELEMENTS))

base = (st.context.url or "").split("?")[0]
st.markdown(f"**{t('impact.link', lang)}**")
st.code(f"{base}?{urlencode(params)}", language=None)
for key in ("failed", "degraded"):
    rows = r[key]
    st.subheader(t(f"impact.table.{key}", lang) + f" ({len(rows)})")
    widget = f"impact-{key}-{graphview_chain.view_id(*cut)}"  # another cut starts at its first page
    if len(rows) > PAGE_SIZE:
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        by = c1.selectbox(t("impact.sort", lang), SORTS, key=f"{widget}-sort",
                          format_func=lambda s: t(f"impact.sort.{s}", lang))
        reverse = c2.toggle(t("impact.sort.descending", lang), key=f"{widget}-reverse")
        page = c3.number_input(t("impact.page", lang, pages=pages(len(rows))), min_value=1, max_value=pages(len(rows)),
                               step=1, key=f"{widget}-page") - 1
        st.caption(t("impact.page.rows", lang, first=page * PAGE_SIZE + 1, n=len(rows),
                     last=min(len(rows), (page + 1) * PAGE_SIZE)))
        shown = page_of(g, rows, sort_order(g, rows, by, reverse), page, PAGE_SIZE, lang)
    else:
        shown = page_of(g, rows, sort_order(g, rows), 0, PAGE_SIZE, lang)
    widths = {"kind": 70, "id": 90, "name": 180, "level": 100, "why": 540}
    table(impact_columns(lang), shown, widths=widths, wrap=("why",))
    download_pair(f"sovmap-impact-{key}", impact_columns(lang), LazyTable(g, rows, lang), lang,
                  sheet=t(f"impact.table.{key}", lang)[:31], key=f"impact-{key}")
