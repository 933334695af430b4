"""Versions of the inventory: which is current, make an earlier one current again, and what changed between two."""

from functools import partial

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.common import uploads_note, welcome
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import BACKEND, CONFIRM_CURRENT, DIFF_FROM, DIFF_TO, LANG, VERSION_CHOSEN
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.tables import diff_columns, diff_rows, files_zip, version_columns, version_rows
from sovmap.dashboard.widgets import table, table_with_downloads
from sovmap.store.workspace import LABEL_MAX

VERSION_WIDTHS = {"id": 70, "label": 150, "current": 60, "created": 140, "files": 260,
                  **dict.fromkeys(("process", "system", "supplier", "edges"), 75)}  # about 1,000 px in all

lang = st.session_state[LANG]
root = str(data.workspace_root())
ws = data.workspace(root)
st.title(t("nav.versions", lang))
uploads_note(lang, st.session_state[BACKEND])
versions, current = ws.versions(), ws.current()
if not versions:
    welcome(lang)
st.markdown(t("versions.intro", lang))
table(version_columns(lang), version_rows(versions, current and current.id), widths=VERSION_WIDTHS, wrap=("files",))
damaged = {v.id: problem for v in versions if (problem := data.damage(root, v.id))}
for vid, problem in damaged.items():
    st.error(t("versions.damaged", lang, version=vid, problem=md_escape(problem)), icon=":material/gpp_bad:")

ids = [v.id for v in reversed(versions)]
for key in (VERSION_CHOSEN, DIFF_FROM, DIFF_TO):  # a choice kept from an earlier visit must still be there
    if key in st.session_state and st.session_state[key] not in ids:
        del st.session_state[key]
label = {v.id: f"{v.id} · {v.created:%Y-%m-%d %H:%M}" + (f" · {v.label}" if v.label else "") for v in versions}
pick, act, get = st.columns([2, 1, 1], vertical_alignment="bottom")
chosen = pick.selectbox(t("versions.choose", lang), ids, format_func=label.get, key=VERSION_CHOSEN)
if act.button(t("versions.make_current", lang), icon=":material/restore:",
              disabled=(current is not None and chosen == current.id) or chosen in damaged):
    st.session_state[CONFIRM_CURRENT] = chosen
get.download_button(t("versions.download", lang), partial(lambda v: files_zip(ws.files(v), v), chosen),
                    file_name=f"sovmap-{chosen}.zip", mime="application/zip", on_click="ignore",
                    icon=":material/download:", disabled=chosen in damaged)
pending = st.session_state[CONFIRM_CURRENT]
if pending is not None and pending == chosen and (current is None or pending != current.id):
    with st.container(border=True):  # "Make current" changes every page and the board report: ask first
        st.warning(t("versions.confirm", lang, version=pending, current=current.id if current else "–"),
                   icon=":material/help:")
        yes, no = st.columns(2, width=420)
        if yes.button(t("versions.confirm_yes", lang), type="primary", key="confirm_current_yes"):
            ws.set_current(pending)
            st.session_state[CONFIRM_CURRENT] = None
            st.toast(t("versions.made_current", lang, version=pending), icon=":material/check_circle:")
            st.rerun()
        if no.button(t("versions.cancel", lang), key="confirm_current_no"):
            st.session_state[CONFIRM_CURRENT] = None
            st.rerun()
else:
    st.session_state[CONFIRM_CURRENT] = None
chosen_version = next(v for v in versions if v.id == chosen)
with st.form("rename", border=False):
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    new_name = name_col.text_input(t("versions.rename", lang), value=chosen_version.label, max_chars=LABEL_MAX,
                                   placeholder=t("upload.name_hint", lang), key=f"rename-{chosen}")
    if save_col.form_submit_button(t("versions.rename_save", lang), icon=":material/edit:"):
        ws.rename(chosen, new_name)
        st.toast(t("versions.renamed", lang, version=chosen, name=md_escape(new_name.strip())), icon=":material/edit:")
        st.rerun()

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
                     sheet=t("versions.diff", lang)[:31], key="diff", widths={"change": 90, "kind": 110, "id": 150, "name": 200, "detail": 420},
                     wrap=("detail",))
