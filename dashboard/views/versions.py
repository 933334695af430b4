"""Versions of the inventory: which is current, make an earlier one current again, and what changed between two."""

from functools import partial

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.common import uploads_note
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import BACKEND, DIFF_FROM, DIFF_TO, LANG
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.tables import diff_columns, diff_rows, files_zip, version_columns, version_rows
from sovmap.dashboard.widgets import frame, table_with_downloads

lang = st.session_state[LANG]
root = str(data.workspace_root())
ws = data.workspace(root)
st.title(t("nav.versions", lang))
uploads_note(lang, st.session_state[BACKEND])
versions, current = ws.versions(), ws.current()
if not versions:
    st.info(t("no_inventory", lang), icon=":material/upload_file:")
    st.stop()
st.markdown(t("versions.intro", lang))
st.dataframe(frame(version_columns(lang), version_rows(versions, current and current.id)), hide_index=True)
damaged = {v.id: problem for v in versions if (problem := data.damage(root, v.id))}
for vid, problem in damaged.items():
    st.error(t("versions.damaged", lang, version=vid, problem=md_escape(problem)), icon=":material/gpp_bad:")

ids = [v.id for v in reversed(versions)]
label = {v.id: f"{v.id} · {v.created:%Y-%m-%d %H:%M}" for v in versions}
pick, act, get = st.columns([2, 1, 1], vertical_alignment="bottom")
chosen = pick.selectbox(t("versions.choose", lang), ids, format_func=label.get)
if act.button(t("versions.make_current", lang), icon=":material/restore:",
              disabled=(current is not None and chosen == current.id) or chosen in damaged):
    ws.set_current(chosen)
    st.rerun()
get.download_button(t("versions.download", lang), partial(lambda v: files_zip(ws.files(v), v), chosen),
                    file_name=f"sovmap-{chosen}.zip", mime="application/zip", on_click="ignore",
                    icon=":material/download:", disabled=chosen in damaged)

st.subheader(t("versions.diff", lang))
ids = [i for i in ids if i not in damaged]  # only whole versions can be compared
if len(ids) < 2:
    st.info(t("versions.one", lang))
    st.stop()
a, b = st.columns(2)
old = a.selectbox(t("versions.from", lang), ids, index=1, format_func=label.get, key=DIFF_FROM)
new = b.selectbox(t("versions.to", lang), ids, index=0, format_func=label.get, key=DIFF_TO)
d = data.diff(root, old, new)
s = d["sovereignty"]
c1, c2, c3 = st.columns(3)
c1.metric(t("versions.nodes_changed", lang), sum(len(d["nodes"][k]) for k in ("added", "removed", "changed")))
c2.metric(t("versions.edges_changed", lang), sum(len(d["edges"][k]) for k in ("added", "removed", "changed")))
c3.metric(t("versions.non_eu_spof", lang), s["after"]["non_european_spof"],
          delta=s["after"]["non_european_spof"] - s["before"]["non_european_spof"], delta_color="inverse",
          help=t("versions.non_eu_spof_help", lang, before=s["before"]["non_european_spof"],
                 n=s["after"]["processes"]))
g_old, g_new = data.graph(root, old), data.graph(root, new)
for key, ids_, g in (("versions.new_spof", s["new"], g_new), ("versions.resolved_spof", s["resolved"], g_old)):
    if ids_:
        st.markdown(t(key, lang) + " " + ", ".join(f"**{md_escape(g.nodes[p]['name'])}** ({md_escape(p)})" for p in ids_))
table_with_downloads(f"sovmap-changes-{old}-{new}", diff_columns(lang), diff_rows(d, g_old, g_new, lang), lang,
                     sheet=t("versions.diff", lang)[:31], key="diff")
