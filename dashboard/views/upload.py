"""Upload an inventory; see the validation report; download empty templates and the demo."""

from functools import partial

import streamlit as st

from sovmap.dashboard import data
from sovmap.dashboard.common import uploads_note
from sovmap.dashboard.i18n import t
from sovmap.dashboard.state import BACKEND, LANG, UPLOAD_RESULT, UPLOADER
from sovmap.dashboard.templates import demo_xlsx, demo_zip, template_xlsx, template_zip
from sovmap.dashboard.upload import handle_upload, problem_columns, problem_rows
from sovmap.dashboard.widgets import table_with_downloads
from sovmap.store import demo_files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = st.session_state[LANG]
ws = data.workspace(str(data.workspace_root()))
st.title(t("nav.upload", lang))
uploads_note(lang, st.session_state[BACKEND])
st.markdown(t("upload.intro", lang))

files = st.file_uploader(t("upload.label", lang), type=["csv", "zip", "xlsx", "xml", "archimate"], accept_multiple_files=True,
                         key=f"{UPLOADER}-{st.session_state[UPLOADER]}")
check, demo = st.columns([1, 3])
upload = check.button(t("upload.check", lang), type="primary", disabled=not files, icon=":material/fact_check:")
try_demo = demo.button(t("upload.demo", lang), icon=":material/play_circle:")
if upload or try_demo:
    chosen = [(f.name, f.getvalue()) for f in files] if upload else demo_files()
    with st.status(t("upload.checking", lang, n=len(chosen)), expanded=True) as status:
        bar = st.progress(0)
        steps = {"read": 10, "validate": 40, "done": 100}
        result = handle_upload(ws, chosen, lambda s: bar.progress(steps[s], t(f"upload.step.{s}", lang)))
        status.update(label=t("upload.done" if result.stored else "upload.failed", lang),
                      state="complete" if result.stored else "error")
    st.session_state[UPLOAD_RESULT] = result
    # A fresh, empty uploader, also after a rejection: corrected files added next to the rejected ones
    # would otherwise be uploaded together with them (and refused as two files of one name).
    st.session_state[UPLOADER] += 1
    st.rerun()

result = st.session_state[UPLOAD_RESULT]
if result is not None:
    if result.stored:
        st.success(t("upload.stored", lang, version=result.version_id, files=len(result.files),
                     warnings=result.warnings), icon=":material/check_circle:")
    else:
        st.error(t("upload.rejected", lang, errors=result.errors, files=len(result.files)), icon=":material/error:")
    if result.problems:
        st.subheader(t("upload.report", lang))
        table_with_downloads(f"sovmap-validation-{result.version_id or 'rejected'}", problem_columns(lang),
                             problem_rows(result.problems, lang), lang, sheet=t("upload.report", lang)[:31],
                             key="problems")

st.divider()
st.subheader(t("upload.templates", lang))
st.markdown(t("upload.templates_intro", lang))
a, b = st.columns(2, width=420)
a.download_button(t("upload.template_zip", lang), partial(template_zip, lang), file_name="sovmap-template.zip",
                  mime="application/zip", on_click="ignore", icon=":material/folder_zip:")
b.download_button(t("upload.template_xlsx", lang), partial(template_xlsx, lang), file_name="sovmap-template.xlsx",
                  mime=XLSX, on_click="ignore", icon=":material/table:")
st.markdown(t("upload.demo_intro", lang))
a, b = st.columns(2, width=420)
a.download_button(t("upload.demo_zip", lang), partial(demo_zip, lang), file_name="sovmap-demo.zip",
                  mime="application/zip", on_click="ignore", icon=":material/folder_zip:")
b.download_button(t("upload.demo_xlsx", lang), partial(demo_xlsx, lang), file_name="sovmap-demo.xlsx",
                  mime=XLSX, on_click="ignore", icon=":material/table:")
