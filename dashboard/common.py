"""What every analysis page starts with: the shown version's analysis, or a message that says what is missing."""

from __future__ import annotations

import shlex

import streamlit as st

from sovmap.store import WorkspaceError

from . import data
from .i18n import t
from .escape import md_escape
from .state import open_demo

__all__ = ["require_analysis", "require_answers", "require_overview", "require_source", "push_command", "neo4j_problem", "uploads_note",
           "welcome"]


def push_command(backend: data.Backend, source: str | None = None) -> str:
    """The command that pushes the workspace's current version to the backend's Neo4j server."""
    words = ["sovmap", "neo4j", "push", "--workspace", str(backend.root), "--uri", backend.uri or ""]
    return shlex.join(words + (["--source", source] if source else []))


def uploads_note(lang: str, backend: data.Backend) -> None:
    """On the Neo4j backend: say that uploads go to the workspace, and how to push them to Neo4j."""
    if not backend.neo4j:
        return
    shown = backend.source["name"] if backend.source else backend.wanted or "–"
    st.info(t("neo4j.uploads", lang, source=md_escape(shown), uri=md_escape(backend.uri),
              root=md_escape(backend.root), name=md_escape(backend.root.name)), icon=":material/cloud_upload:")
    st.code(push_command(backend), language="bash")


def neo4j_problem(lang: str, backend: data.Backend, error: str) -> None:
    """Say that the Neo4j server cannot be read, and stop the page."""
    st.error(t("neo4j.unreachable", lang, uri=md_escape(backend.uri), error=md_escape(error)), icon=":material/error:")
    st.stop()


def require_source(lang: str, backend: data.Backend) -> dict:
    """The chosen source's row of sources(); stops the page with what to do when the server or source is missing."""
    if backend.problem:
        neo4j_problem(lang, backend, backend.problem)
    if backend.source is None:
        if backend.sources:
            st.warning(t("neo4j.unknown_source", lang, source=md_escape(backend.wanted), uri=md_escape(backend.uri),
                         known=md_escape(", ".join(backend.sources))), icon=":material/help:")
        else:
            st.info(t("neo4j.no_sources", lang, uri=md_escape(backend.uri)), icon=":material/upload_file:")
        st.code(push_command(backend, backend.wanted), language="bash")
        st.stop()
    return backend.source


def welcome(lang: str) -> None:
    """A page without an inventory: what sovmap answers, the way to upload one, and the demo; the page stops."""
    st.title(t("app.title", lang))
    st.markdown(t("welcome.what", lang))
    st.info(t("no_inventory", lang), icon=":material/upload_file:")
    upload, demo = st.columns(2, width=640)
    with upload:
        st.page_link("views/upload.py", label=t("go_upload", lang), icon=":material/upload_file:")
    demo.button(t("welcome.demo", lang), on_click=open_demo, args=(st.session_state,), icon=":material/play_circle:",
                help=t("welcome.demo_help", lang), key="welcome_demo")
    st.stop()


def require_analysis(lang: str, backend: data.Backend) -> data.Analysis:
    """The analysis of the shown version (workspace or Neo4j); stops the page with a hint when there is none."""
    if backend.neo4j:
        src = require_source(lang, backend)
        try:
            with st.spinner(t("neo4j.pulling", lang, source=md_escape(src["name"]), nodes=src["nodes"])):
                return data.neo4j_analysis(*backend.ref[1:])
        except (data.Neo4jUnavailable, LookupError) as exc:
            neo4j_problem(lang, backend, str(exc))
    if backend.version is None:
        welcome(lang)
    try:
        return data.analysis(str(backend.root), backend.version.id)
    except WorkspaceError as exc:  # the current version's files were changed or lost on disk
        _damaged(lang, backend, str(exc))


def _damaged(lang: str, backend: data.Backend, problem: str) -> None:
    """Say that the shown version is damaged, link to the versions, and stop the page."""
    st.error(t("versions.damaged", lang, version=backend.version.id, problem=md_escape(problem)),
             icon=":material/gpp_bad:")
    st.page_link("views/versions.py", label=t("nav.versions", lang), icon=":material/history:")
    st.stop()


def require_answers(lang: str, backend: data.Backend, computed: bool = False) -> data.Answers:
    """What the overview, SPOF, gaps and impact pages show of the shown version; stops the page with a hint when
    there is none. On Neo4j the answers stored at push are read (else they are computed from the pulled graph);
    :func:`sovmap.dashboard.analysis.coverage_caption` says which. ``computed``: computed on Neo4j too."""
    if not backend.neo4j:
        require_analysis(lang, backend)  # the same messages when there is no version, or it is damaged
        return data.answers(str(backend.root), backend.version.id)
    src = require_source(lang, backend)
    try:
        with st.spinner(t("neo4j.pulling" if computed else "neo4j.reading", lang, source=md_escape(src["name"]),
                          nodes=src["nodes"])):
            answers = (data.neo4j_computed if computed else data.neo4j_answers)(*backend.ref[1:])
    except (data.Neo4jUnavailable, LookupError) as exc:
        neo4j_problem(lang, backend, str(exc))
    return answers


def require_overview(lang: str, backend: data.Backend) -> data.Overview:
    """What the overview page shows of the shown version; stops the page with a hint when there is none.

    On the workspace the figures stored in the version's folder are read (no graph, no analysis) once its
    files are checked (:func:`sovmap.dashboard.data.damage`); on Neo4j they are counted from
    :func:`require_answers`."""
    if backend.neo4j:
        return data.overview_of(require_answers(lang, backend))
    if backend.version is None:
        welcome(lang)
    problem = data.damage(str(backend.root), backend.version.id)
    if problem is None:
        try:
            return data.overview(str(backend.root), backend.version.id)
        except WorkspaceError as exc:  # the files were changed since they were checked, or fail validation now
            problem = str(exc)
    _damaged(lang, backend, problem)
