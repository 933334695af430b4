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

__all__ = ["Analysis", "Answers", "answers_of", "assess", "compute_analysis", "coverage_caption", "named_ids",
           "roadmap", "stored_answers_of"]


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


@dataclass(frozen=True)
class Answers:
    """What the overview, SPOF, gaps and impact pages show of one version: taken from its :class:`Analysis`
    (:func:`answers_of`), or read from the answers Neo4j stored at push (:func:`stored_answers_of`).

    Treat every field as read-only: it is shared between sessions.
    """

    counts: dict[str, int]  # items per kind
    spof: list[dict]  # single points of failure of vital and high processes
    spof_all: list[dict]  # of every process
    ranking: list[dict]  # rank_supplier_groups
    coverage: dict  # sovmap.graph.coverage.coverage
    assessment: dict | None  # sovmap.store.answers.assess_summary, with its jurisdictions (reach, laws)
    g: nx.MultiDiGraph  # the whole graph; from stored answers only the parties and the nodes the pages name
    via: dict | None = None  # sovmap.store.answers.spof_via; None: found in g
    origin: str = ""  # on Neo4j: "stored" (read from the answers stored at push) or "computed" (none were stored)

    @property
    def stored(self) -> bool:
        return self.origin == "stored"


def answers_of(a: Analysis, origin: str = "") -> Answers:
    """The pages' answers taken from a computed analysis: every gap and every action."""
    from sovmap.store.answers import assess_summary, jurisdictions

    assessment = None
    if a.assessment is not None:
        assessment = {**assess_summary(a.assessment, len(a.assessment["gaps"]), 0),
                      "actions": a.actions, "actions_total": len(a.actions), **jurisdictions(a.assessment["items"])}
    return Answers(counts=a.summary["counts"], spof=a.spof, spof_all=a.spof_all, ranking=a.ranking,
                   coverage=a.coverage or coverage(a.g), assessment=assessment, g=a.g, origin=origin)


def stored_answers_of(stored: dict, g: nx.MultiDiGraph) -> Answers:
    """The pages' answers from :func:`sovmap.store.answers.stored_answers` (every name); ``g``: the parties and
    the nodes the gaps and actions name (:func:`named_ids`)."""
    return Answers(counts=stored["overview"]["counts"], spof=stored["spof"], spof_all=stored["spof_all"],
                   ranking=stored["rank"], coverage=stored["coverage"],
                   assessment={**stored["assess"], "reach": stored["overview"]["reach"],
                               "laws": stored["overview"]["laws"]},
                   g=g, via=stored["via"], origin="stored")


def named_ids(assessment: dict) -> set[str]:
    """The ids that the gaps and actions of an assessment summary name: the items, and their steps' parameters.

    >>> sorted(named_ids({"gaps": [{"id": "P", "steps": [{"params": {"systems": ["SYS"]}}]}],
    ...                   "actions": [{"params": {"suppliers": "S"}, "fixes": [{"id": "D"}], "helps": []}]}))
    ['D', 'P', 'S', 'SYS']
    """
    from .tables import _NAMED_PARAMS

    ids: set[str] = set()

    def add(item: dict) -> None:
        for key in _NAMED_PARAMS:
            value = item.get("params", {}).get(key)
            ids.update(value if isinstance(value, list) else [value] if isinstance(value, str) else [])

    for x in assessment["gaps"]:
        ids.add(x["id"])
        for step in x["steps"]:
            add(step)
    for act in assessment["actions"]:
        add(act)
        ids.update(y["id"] for y in act["fixes"] + act["helps"])
    return ids


def coverage_caption(a: Analysis | Answers, analysis: str, lang: str) -> str:
    """The line saying what a page's answers rest on (:func:`sovmap.graph.coverage.coverage_text`), and on Neo4j
    whether they were stored at push or computed."""
    text = coverage_text(a.coverage or coverage(a.g), analysis, lang, surface="dashboard")
    origin = getattr(a, "origin", "")
    if origin:
        from .i18n import t

        text += " " + t(f"neo4j.{origin}", lang)
    return text


def roadmap(g: nx.MultiDiGraph, today: dt.date) -> dict:
    """The transition roadmap from ``today`` (:func:`sovmap.graph.roadmap.plan`: default policy, capacity and
    efforts, per year). Kept apart from :class:`Analysis`: it takes seconds, so only the roadmap page and the
    board report ask for it."""
    from sovmap.graph.roadmap import plan

    return plan(g, today=today)
