"""Everything the pages and the board report show about one version, computed once by graph/ functions.

No Streamlit here: :mod:`sovmap.dashboard.data` caches these objects per version,
and the board report and the benchmark use them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import networkx as nx

from sovmap.graph.concentration import GroupBlast, blast_radius, rank_supplier_groups, single_points_of_failure
from sovmap.graph.coverage import coverage, coverage_text
from sovmap.graph.summary import inventory_summary
from sovmap.store import Version

__all__ = ["Analysis", "assess", "compute_analysis", "coverage_caption", "roadmap"]


@dataclass(frozen=True)
class Analysis:
    """The analyses of one version. Treat every field as read-only: it is shared between sessions."""

    version: Version
    g: nx.MultiDiGraph
    blasts: list[GroupBlast]
    ranking: list[dict]  # rank_supplier_groups
    spof: list[dict]  # single_points_of_failure, vital and high processes
    spof_all: list[dict]  # single_points_of_failure, every criticality and none (criticality None)
    summary: dict  # inventory_summary
    assessment: dict | None  # sovmap.graph.assessment.assess(g)
    actions: list[dict]  # sovmap.graph.assessment.actions(assessment)
    coverage: dict = field(default_factory=dict)  # sovmap.graph.coverage.coverage(g): what the answers rest on


def assess(g: nx.MultiDiGraph) -> tuple[dict | None, list[dict]]:
    """The three-level assessment of the graph and its next steps merged into actions.

    (None, []) while sovmap.graph.assessment is not installed.
    """
    try:
        from sovmap.graph.assessment import actions, assess as run
    except ImportError:  # pragma: no cover - the assessment module ships with sovmap
        return None, []
    result = run(g)
    return result, actions(result)


def compute_analysis(version: Version, g: nx.MultiDiGraph) -> Analysis:
    """The analyses of a version's graph."""
    blasts = blast_radius(g)
    assessment, actions = assess(g)
    return Analysis(
        version=version,
        g=g,
        blasts=blasts,
        ranking=rank_supplier_groups(g, blasts),
        spof=single_points_of_failure(g, ("vital", "high"), blasts),
        spof_all=single_points_of_failure(g, ("vital", "high", "medium", "low", None), blasts),
        summary=inventory_summary(g),
        assessment=assessment,
        actions=actions,
        coverage=coverage(g),
    )


def coverage_caption(a: Analysis, analysis: str, lang: str) -> str:
    """The line saying what a page's answers rest on (:func:`sovmap.graph.coverage.coverage_text`)."""
    return coverage_text(a.coverage or coverage(a.g), analysis, lang, surface="dashboard")


def roadmap(g: nx.MultiDiGraph, today: dt.date) -> dict:
    """The transition roadmap from ``today`` (:func:`sovmap.graph.roadmap.plan`: default policy, capacity and
    efforts, per year). Kept apart from :class:`Analysis`: it takes seconds, so only the roadmap page and the
    board report ask for it."""
    from sovmap.graph.roadmap import plan

    return plan(g, today=today)
