"""Where the dashboard gets its data: the workspace, the graph of a version and its analyses, cached in one place.

A version never changes once stored, so everything computed from it is cached
by (workspace folder, version id) and shared between browser sessions. Pages
treat the cached objects as read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import streamlit as st

from sovmap.graph.diff import graph_diff
from sovmap.graph.impact import impact as impact_of
from sovmap.graph.scenarios import Scenario
from sovmap.store import Workspace

from .analysis import Analysis, compute_analysis

__all__ = ["ENV_WORKSPACE", "DEFAULT_WORKSPACE", "Analysis", "workspace_root", "workspace", "graph", "analysis",
           "diff", "impact"]

ENV_WORKSPACE = "SOVMAP_WORKSPACE"
DEFAULT_WORKSPACE = Path("~/.sovmap/workspace")


def workspace_root() -> Path:
    """The workspace folder: $SOVMAP_WORKSPACE (set by `sovmap dashboard --workspace`), else ~/.sovmap/workspace."""
    return Path(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE).expanduser().resolve()


@st.cache_resource(show_spinner=False)
def workspace(root: str) -> Workspace:
    """The workspace in folder ``root`` (created when missing)."""
    return Workspace(root)


@st.cache_resource(show_spinner=False, max_entries=8)
def graph(root: str, version_id: str) -> nx.MultiDiGraph:
    """The graph of one stored version."""
    return workspace(root).load_graph(version_id)


@st.cache_resource(show_spinner=False, max_entries=8)
def analysis(root: str, version_id: str) -> Analysis:
    """The analyses of one stored version."""
    return compute_analysis(workspace(root).version(version_id), graph(root, version_id))


@st.cache_resource(show_spinner=False, max_entries=16)
def diff(root: str, old_id: str, new_id: str) -> dict:
    """What changed from one stored version to another."""
    return graph_diff(graph(root, old_id), graph(root, new_id))


@st.cache_resource(show_spinner=False, max_entries=64)
def impact(root: str, version_id: str, suppliers: tuple[str, ...], include_subsidiaries: bool,
           countries: tuple[str, ...], locations: tuple[str, ...]) -> dict:
    """What breaks in one stored version when the suppliers, the countries' legal reach and the locations are cut."""
    scenario = Scenario(suppliers=list(suppliers), countries=list(countries), locations=list(locations),
                        include_subsidiaries=include_subsidiaries)
    return impact_of(graph(root, version_id), scenario)
