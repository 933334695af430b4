"""What every analysis page starts with: the current version's analysis, or a pointer to the upload page."""

from __future__ import annotations

import streamlit as st

from . import data
from .i18n import t

__all__ = ["require_analysis"]


def require_analysis(lang: str) -> data.Analysis:
    """The analysis of the workspace's current version; stops the page with a hint when there is none."""
    root = str(data.workspace_root())
    current = data.workspace(root).current()
    if current is None:
        st.info(t("no_inventory", lang), icon=":material/upload_file:")
        st.page_link("views/upload.py", label=t("go_upload", lang), icon=":material/upload_file:")
        st.stop()
    return data.analysis(root, current.id)
