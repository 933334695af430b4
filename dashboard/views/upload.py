"""Upload an inventory; see the validation report; download empty templates and the demo."""

from functools import partial

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.common import uploads_note
from sovmap.dashboard.i18n import t
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.state import (BACKEND, LANG, UPLOAD_LABEL, UPLOAD_RESULT, UPLOADER, forget_result, leave_demo,
                                    open_demo)
from sovmap.dashboard.templates import demo_xlsx, demo_zip, template_xlsx, template_zip
from sovmap.dashboard.upload import copy_of, handle_upload, problem_columns, problem_rows
from sovmap.dashboard.widgets import table_with_downloads
from sovmap.store.workspace import LABEL_MAX

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM_WIDTHS = {"severity": 70, "file": 120, "line": 50, "column": 100, "value": 130, "problem": 260, "hint": 260}
lang = st.session_state[LANG]
ws = data.workspace(str(data.workspace_root()))
st.title(t("nav.upload", lang))
uploads_note(lang, st.session_state[BACKEND])
st.markdown(t("upload.intro", lang))

if lang == "nl":  # Streamlit's own texts in the upload box ("Drag and drop", "Browse files") cannot be translated
    st.caption(t("upload.drop_hint", lang))
files = st.file_uploader(t("upload.label", lang), type=["csv", "zip", "xlsx", "xml", "archimate"], accept_multiple_files=True,
                         key=f"{UPLOADER}-{st.session_state[UPLOADER]}", help=t("upload.help", lang),
                         on_change=forget_result, args=(st.session_state,))
label = st.text_input(t("upload.name", lang), key=f"{UPLOAD_LABEL}-{st.session_state[UPLOADER]}",
                      placeholder=t("upload.name_hint", lang), max_chars=LABEL_MAX)
check, demo = st.columns([1, 3])
upload = check.button(t("upload.check", lang), type="primary", disabled=not files, icon=":material/fact_check:")
if demo.button(t("upload.demo", lang), icon=":material/play_circle:", help=t("upload.demo_help", lang)):
    open_demo(st.session_state)  # the demo in a workspace of its own: the user's current version stays
    st.switch_page("views/overview.py")
if upload:
    chosen = [(f.name, f.getvalue()) for f in files]
    with st.status(t("upload.checking", lang, n=len(chosen)), expanded=True) as status:
        bar = st.progress(0)
        steps = {"read": 10, "validate": 40, "done": 100}
        result = handle_upload(ws, chosen, lambda s: bar.progress(steps[s], t(f"upload.step.{s}", lang)), label)
        status.update(label=t("upload.failed" if result.errors else "upload.done", lang),
                      state="error" if result.errors else "complete")
    st.session_state[UPLOAD_RESULT] = result
    # A fresh, empty uploader, also after a rejection: corrected files added next to the rejected ones
    # would otherwise be uploaded together with them (and refused as two files of one name). The name
    # field is drawn afresh with it, but keeps a name that was not used.
    st.session_state[UPLOADER] += 1
    if not result.stored:
        st.session_state[f"{UPLOAD_LABEL}-{st.session_state[UPLOADER]}"] = label
    if result.stored:
        leave_demo(st.session_state)  # the user's own inventory is what the pages show now
    st.rerun()

result = st.session_state[UPLOAD_RESULT]
if result is not None:
    if result.same_as:
        st.info(t("upload.unchanged" if result.same_is_current else "upload.unchanged_old", lang,
                  version=result.same_as), icon=":material/difference:")
    elif result.stored:
        st.success(t("upload.stored", lang, version=result.version_id, files=len(result.files),
                     warnings=result.warnings), icon=":material/check_circle:")
    else:
        st.error(t("upload.rejected", lang, errors=result.errors, files=len(result.files)), icon=":material/error:")
        st.markdown(t("upload.rejected_files", lang, names=md_escape(", ".join(n for n, _ in result.files))))
        for name, _ in result.files:
            if copy_of(name):
                st.warning(t("upload.copy_name", lang, name=md_escape(name), original=md_escape(copy_of(name))),
                           icon=":material/content_copy:")
    if result.problems:
        st.subheader(t("upload.report", lang))
        table_with_downloads(f"sovmap-validation-{result.version_id or 'rejected'}", problem_columns(lang),
                             problem_rows(result.problems, lang), lang, sheet=t("upload.report", lang)[:31],
                             key="problems", widths=PROBLEM_WIDTHS, wrap=("problem", "hint"))

st.divider()
st.subheader(t("upload.templates", lang))
st.markdown(t("upload.templates_intro", lang))
a, b = st.columns(2, width=560)
a.download_button(t("upload.template_zip", lang), partial(template_zip, lang), file_name="sovmap-template.zip",
                  mime="application/zip", on_click="ignore", icon=":material/folder_zip:")
b.download_button(t("upload.template_xlsx", lang), partial(template_xlsx, lang), file_name="sovmap-template.xlsx",
                  mime=XLSX, on_click="ignore", icon=":material/table:")
st.markdown(t("upload.demo_intro", lang))
a, b = st.columns(2, width=560)
a.download_button(t("upload.demo_zip", lang), partial(demo_zip, lang), file_name="sovmap-demo.zip",
                  mime="application/zip", on_click="ignore", icon=":material/folder_zip:")
b.download_button(t("upload.demo_xlsx", lang), partial(demo_xlsx, lang), file_name="sovmap-demo.xlsx",
                  mime=XLSX, on_click="ignore", icon=":material/table:")
