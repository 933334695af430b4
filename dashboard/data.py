"""Where the dashboard gets its data: the workspace or Neo4j, the graph and its analyses, cached in one place.

A version never changes once stored, so everything computed from it is cached
by (workspace folder, version id) and shared between browser sessions. With the
Neo4j backend (`sovmap dashboard --neo4j URI --source NAME`) the overview, SPOF
and gaps pages read the answers stored at push (:mod:`sovmap.store.answers`)
and the parties they name; the impact page fetches the closure of the cut
(:func:`sovmap.store.closure.cut_graph`); the graph browser asks Neo4j only for
the part its view needs. The report and roadmap pages, and a version pushed
without stored answers, pull the source's graph once per push. The cache key
holds the version and time of the push that :func:`sovmap.store.neo4j.sources`
reports, so a new push is read afresh.
Pages treat the cached objects as read-only.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from sovmap.graph.diff import graph_diff
from sovmap.graph.impact import impact as impact_of
from sovmap.graph.scenarios import Scenario
from sovmap.store import Version, Workspace, demo_files
from sovmap.ingest.read import gc_paused
from sovmap.store import chains as chain_store
from sovmap.store import neo4j as store
from sovmap.store.workspace import snapshot_source

from . import remote
from .analysis import (Analysis, Answers, answers_of, compute_analysis, named_ids, roadmap as roadmap_of,
                       stored_answers_of)
from .overview_answers import OVERVIEW_FILE, Overview, overview_of, read_overview, write_overview

__all__ = ["ENV_WORKSPACE", "ENV_NEO4J", "ENV_NEO4J_SOURCE", "DEFAULT_WORKSPACE", "Analysis", "Backend",
           "Neo4jUnavailable", "workspace_root", "demo_workspace",
           "neo4j_setting", "resolve_backend", "workspace", "graph", "analysis", "overview", "Overview", "overview_of",
           "diff", "damage", "impact", "roadmap", "driver", "neo4j_sources", "neo4j_graph", "neo4j_analysis",
           "answers", "neo4j_answers", "neo4j_computed", "neo4j_impact",
           "neo4j_search", "neo4j_lookup", "ChainGraph", "neo4j_chain_graph"]

ENV_WORKSPACE = "SOVMAP_WORKSPACE"
ENV_NEO4J = "SOVMAP_NEO4J"  # Bolt URI, set by `sovmap dashboard --neo4j`
ENV_NEO4J_SOURCE = "SOVMAP_NEO4J_SOURCE"  # the source to show first, set by `--source`
DEFAULT_WORKSPACE = Path("~/.sovmap/workspace")


class Neo4jUnavailable(Exception):
    """The Neo4j server cannot be reached, refused the credentials, or failed a query."""


@dataclass(frozen=True)
class Backend:
    """Where this run's pages read the inventory; app.py decides it once per run.

    The workspace always exists: uploads are stored there. With a Neo4j ``uri`` the
    analysis pages read the chosen source from that server instead.
    """

    root: Path  # the workspace folder
    version: Version | None = None  # the workspace's current version
    uri: str | None = None  # the Neo4j server, when the pages read from Neo4j
    database: str | None = None
    source: dict | None = None  # the chosen source's row of sources(): name, version, pushed_at, nodes, ...
    sources: tuple[str, ...] = ()  # every source in the server
    wanted: str | None = None  # the source asked for (named when it is not in the server)
    problem: str | None = None  # why the server cannot be read: the driver's message
    demo: bool = False  # the pages show the demo municipality from its own workspace (root), not the user's

    @property
    def neo4j(self) -> bool:
        return self.uri is not None

    @property
    def ref(self) -> tuple[str, ...] | None:
        """What identifies the shown graph in the caches; None when there is none to show."""
        if self.neo4j:
            if self.source is None:
                return None
            return ("neo4j", self.uri, self.database or "", self.source["name"], self.source["version"] or "",
                    self.source["pushed_at"] or "")
        return None if self.version is None else ("workspace", str(self.root), self.version.id)


def workspace_root() -> Path:
    """The workspace folder: $SOVMAP_WORKSPACE (set by `sovmap dashboard --workspace`), else ~/.sovmap/workspace."""
    return Path(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE).expanduser().resolve()


def neo4j_setting() -> tuple[str, str | None] | None:
    """(URI, source) from $SOVMAP_NEO4J and $SOVMAP_NEO4J_SOURCE, set by `sovmap dashboard --neo4j`; else None."""
    uri = os.environ.get(ENV_NEO4J)
    return (uri, os.environ.get(ENV_NEO4J_SOURCE) or None) if uri else None


def resolve_backend(use_neo4j: bool, source: str | None, demo: bool = False) -> Backend:
    """The backend for this run: the Neo4j server when one is set and ``use_neo4j``, else the workspace.

    ``demo``: the demo municipality, from a workspace of its own (:func:`demo_workspace`); the user's
    workspace is neither read nor changed.

    ``source`` (the sidebar's choice) overrides the source set on the command line; without either the
    first source in the server is shown. Credentials come from NEO4J_USERNAME, NEO4J_PASSWORD and
    NEO4J_DATABASE, as for the other commands.
    """
    if demo:
        ws = demo_workspace()
        return Backend(ws.root, version=ws.current(), demo=True)
    root = workspace_root()
    setting = neo4j_setting()
    if not use_neo4j or setting is None:
        return Backend(root, version=workspace(str(root)).current())
    uri, default = setting
    database = store.Connection(uri=uri).resolved().database
    wanted = source or default
    try:
        rows = neo4j_sources(uri, database or "")
    except Neo4jUnavailable as exc:
        return Backend(root, uri=uri, database=database, wanted=wanted, problem=str(exc))
    names = tuple(r["name"] for r in rows)
    name = wanted if wanted in names else (names[0] if names and wanted is None else None)
    row = next((r for r in rows if r["name"] == name), None)
    return Backend(root, uri=uri, database=database, source=row, sources=names, wanted=wanted)


@st.cache_resource(show_spinner=False)
def workspace(root: str) -> Workspace:
    """The workspace in folder ``root`` (created when missing)."""
    return Workspace(root)


@st.cache_resource(show_spinner=False)
def demo_workspace() -> Workspace:
    """The fictional demo municipality as the one version of a workspace of its own, in a temporary folder.

    Shared read-only by every session: trying the demo never makes it a version of the user's workspace.
    """
    ws = Workspace(tempfile.mkdtemp(prefix="sovmap-demo-"))
    ws.add(demo_files())
    return ws


def _thaw(_released: object) -> None:
    """What the caches holding a stored version's graph do when they drop an entry: put everything
    :func:`graph` froze back under the garbage collector, so that the dropped graph is freed."""
    gc.unfreeze()


@st.cache_resource(show_spinner=False, max_entries=8, on_release=_thaw)
def graph(root: str, version_id: str) -> nx.MultiDiGraph:
    """The graph of one stored version, kept out of the cyclic garbage collector's walks while it is cached.

    A national graph holds millions of dicts: every full collection would walk them all (about 0.7 s)
    and could free none while the graph is cached. So, as the `sovmap` command does
    (:func:`sovmap.cli.common.kept`), what is alive once the graph is built is frozen (``gc.freeze``);
    unlike the command, the dashboard lives on: every cache that holds a graph thaws it all again
    (``gc.unfreeze``) when it drops an entry, so that a dropped graph, and whatever else became
    garbage meanwhile, is collected (tests/test_dashboard_memory.py).
    """
    with gc_paused():  # nothing walked while it is built: frozen at once
        g = workspace(root).load_graph(version_id)
        gc.freeze()
    return g


@st.cache_resource(show_spinner=False, max_entries=8, on_release=_thaw)
def analysis(root: str, version_id: str) -> Analysis:
    """The analyses of one stored version, frozen out of the collector's walks as :func:`graph` is.

    They build millions of objects that live as long as the cache keeps them; with the collector paused
    meanwhile they take about 30% less CPU on 60k items (bench/bench_dashboard_national.py's first page),
    for about 10% more peak memory (what few cycles they leave is collected once they are dropped).
    """
    g = graph(root, version_id)
    with gc_paused():
        a = compute_analysis(workspace(root).version(version_id), g)
        gc.freeze()
    return a


@st.cache_resource(show_spinner=False, max_entries=8, on_release=_thaw)
def answers(root: str, version_id: str) -> Answers:
    """What the overview, SPOF, gaps and impact pages show of one stored version."""
    return answers_of(analysis(root, version_id))


@st.cache_resource(show_spinner=False, max_entries=8)
def overview(root: str, version_id: str) -> Overview:
    """The overview page's figures of one stored version: read from the version's folder when this code stored
    them there, else counted from its analysis and stored (:mod:`sovmap.dashboard.overview_answers`), so that
    a later open, in any process, needs neither the graph nor an analysis."""
    v = workspace(root).version(version_id)
    source = snapshot_source(v)
    stored = read_overview(v.path / OVERVIEW_FILE, source)
    if stored is not None:
        return stored
    computed = overview_of(answers(root, version_id))
    write_overview(v.path / OVERVIEW_FILE, source, computed)
    return computed


def damage(root: str, version_id: str) -> str | None:
    """Why a stored version is damaged (see :meth:`sovmap.store.Workspace.check`), or None when it is whole.

    The files are read and checked again whenever one of them changes on disk (size or time).
    """
    v = workspace(root).version(version_id)
    files = v.path / "files"
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(files.iterdir())) \
        if files.is_dir() else ()
    return _damage(root, version_id, (v.path / "manifest.json").stat().st_mtime_ns, stamp)


@st.cache_resource(show_spinner=False, max_entries=256)
def _damage(root: str, version_id: str, manifest_time: int, stamp: tuple) -> str | None:
    return workspace(root).check(version_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def diff(root: str, old_id: str, new_id: str) -> dict:
    """What changed from one stored version to another."""
    return graph_diff(graph(root, old_id), graph(root, new_id))


def _graph_of(ref: tuple[str, ...]) -> nx.MultiDiGraph:
    return neo4j_graph(*ref[1:]) if ref[0] == "neo4j" else graph(*ref[1:])


@st.cache_resource(show_spinner=False, max_entries=8)
def roadmap(ref: tuple[str, ...], today: str) -> dict:
    """The roadmap of the graph ``ref`` (:attr:`Backend.ref`) from ``today`` (YYYY-MM-DD): once per version and day."""
    return roadmap_of(_graph_of(ref), dt.date.fromisoformat(today))


@st.cache_resource(show_spinner=False, max_entries=64)
def impact(ref: tuple[str, ...], suppliers: tuple[str, ...], include_subsidiaries: bool,
           countries: tuple[str, ...], locations: tuple[str, ...]) -> dict:
    """What breaks in the graph ``ref`` (:attr:`Backend.ref`) when the suppliers, countries and locations are cut."""
    scenario = Scenario(suppliers=list(suppliers), countries=list(countries), locations=list(locations),
                        include_subsidiaries=include_subsidiaries)
    return impact_of(_graph_of(ref), scenario)


# --- Neo4j ------------------------------------------------------------------------------

def _failed(uri: str, exc: Exception) -> Neo4jUnavailable:
    return Neo4jUnavailable(f"{type(exc).__name__}: {exc}".strip().removesuffix(":"))


@st.cache_resource(show_spinner=False)
def driver(uri: str, database: str):
    """One driver per server, shared by every session; a failed connection is not cached, so it is retried."""
    try:
        return store.connect(store.Connection(uri=uri, database=database or None))
    except Exception as exc:  # the driver raises several kinds (address, auth, protocol); all mean "cannot read"
        raise _failed(uri, exc) from exc


def _query(uri: str, database: str, fn, *args):
    """Run a store function on the server; connection and query failures become Neo4jUnavailable."""
    import neo4j

    d = driver(uri, database)
    try:
        return fn(d, *args, database=database or None)
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
        raise _failed(uri, exc) from exc


def neo4j_sources(uri: str, database: str) -> list[dict]:
    """The sources in the server, asked on every run (cheap) so that a new push is seen at once."""
    return _query(uri, database, store.sources)


@st.cache_resource(show_spinner=False, max_entries=2)
def neo4j_graph(uri: str, database: str, source: str, version: str, pushed_at: str) -> nx.MultiDiGraph:
    """The graph of one push of ``source``, pulled from Neo4j (a national graph takes a while, once per push)."""
    return _query(uri, database, store.pull, source)


@st.cache_resource(show_spinner=False, max_entries=2)
def neo4j_analysis(uri: str, database: str, source: str, version: str, pushed_at: str) -> Analysis:
    """The analyses of one push of ``source``, by the same engine as for a workspace version."""
    created = dt.datetime.fromisoformat(pushed_at) if pushed_at else dt.datetime.now(dt.timezone.utc)
    pushed = Version(id=version or source, created=created, files=[], checksums={}, path=Path(source))
    return compute_analysis(pushed, neo4j_graph(uri, database, source, version, pushed_at))


@st.cache_resource(show_spinner=False, max_entries=2)
def neo4j_answers(uri: str, database: str, source: str, version: str, pushed_at: str) -> Answers:
    """What the overview, SPOF, gaps and impact pages show of one push of ``source``: the answers stored at push
    with the parties and nodes they name (a few queries, no pull); computed from the pulled graph when the push
    stored none (``--no-answers``, or an earlier sovmap): then ``stored`` is False."""
    from sovmap.store.answers import stored_answers

    stored = _query(uri, database, stored_answers, source)
    if stored is None:
        return neo4j_computed(uri, database, source, version, pushed_at)
    g = _query(uri, database, remote.parties, source, sorted(named_ids(stored["assess"])))
    return stored_answers_of(stored, g)


@st.cache_resource(show_spinner=False, max_entries=2)
def neo4j_computed(uri: str, database: str, source: str, version: str, pushed_at: str) -> Answers:
    """:func:`neo4j_answers` computed from the pulled graph, with every gap and action (the stored answers keep
    the most severe)."""
    return answers_of(neo4j_analysis(uri, database, source, version, pushed_at), "computed")


@st.cache_resource(show_spinner=False, max_entries=64)
def neo4j_impact(uri: str, database: str, source: str, version: str, pushed_at: str, suppliers: tuple[str, ...],
                 include_subsidiaries: bool, countries: tuple[str, ...],
                 locations: tuple[str, ...]) -> tuple[dict, nx.MultiDiGraph]:
    """What breaks in one push of ``source`` when the suppliers, countries and locations are cut, and the graph
    that answers it: only the cut's closure is fetched (:func:`sovmap.store.closure.cut_graph`), not the graph."""
    from sovmap.store.closure import cut_graph

    scenario = Scenario(suppliers=list(suppliers), countries=list(countries), locations=list(locations),
                        include_subsidiaries=include_subsidiaries)
    g, _ = _query(uri, database, cut_graph, source, scenario, None)
    return impact_of(g, scenario), g


@st.cache_resource(show_spinner=False, max_entries=128)
def neo4j_search(uri: str, database: str, source: str, version: str, pushed_at: str, text: str,
                 limit: int = 50) -> list[dict]:
    """Nodes of one push whose id or name contains ``text`` (rows of id, name, kind, code), searched in Neo4j."""
    return _query(uri, database, store.search, source, text, limit)


@st.cache_resource(show_spinner=False, max_entries=128)
def neo4j_lookup(uri: str, database: str, source: str, version: str, pushed_at: str, node: str) -> dict | None:
    """The search row of one node of one push (id, name, kind, code), or None when it is not there."""
    return _query(uri, database, remote.lookup, source, node)


@dataclass(frozen=True)
class ChainGraph:
    """The part of a pushed graph one chain view needs (:mod:`sovmap.store.chains`); ``capped`` when Neo4j had more
    than :data:`sovmap.store.chains.FETCH_LIMIT` nodes for it."""

    g: nx.MultiDiGraph
    capped: bool


@st.cache_resource(show_spinner=False, max_entries=64)
def neo4j_dependants(uri: str, database: str, source: str, version: str, pushed_at: str,
                     node: str) -> chain_store.Dependants:
    """What depends on ``node``, counted by the server (LookupError: not there); the detail panel's numbers."""
    return _query(uri, database, chain_store.dependants, source, node)


@st.cache_resource(show_spinner=False, max_entries=64)
def neo4j_chain_graph(uri: str, database: str, source: str, version: str, pushed_at: str, focus: str,
                      direction: str, expanded: tuple[str, ...] = (), limit: int | None = None,
                      context: bool = True) -> ChainGraph:
    """What :func:`sovmap.graph.paths.chain_view` of ``focus`` needs, fetched from Neo4j (LookupError: not there);
    with what double-clicking the ``expanded`` nodes adds; at most ``limit`` nodes each (default: FETCH_LIMIT).
    Without ``context`` an "up" closure holds only what counting the dependants needs (the detail panel)."""
    limit = limit or chain_store.FETCH_LIMIT
    parts = [_query(uri, database, chain_store.closure, source, focus, direction, limit, context)]
    if expanded:
        parts.append(_query(uri, database, chain_store.neighbours, source, list(expanded), limit))
    g = remote.local_graph((p.nodes, p.edges) for p in parts)
    return ChainGraph(g, any(p.capped for p in parts))

