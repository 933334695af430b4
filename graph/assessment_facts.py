"""What the assessment needs of a graph, compiled once: what each node runs on, its places, parties and groups.

:func:`assessment_facts` walks the graph once; :mod:`sovmap.graph.assessment`
and the CSF scores (:mod:`sovmap.graph.csf`) read the result.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from sovmap.ingest.read import gc_paused
from sovmap.ontology.vocab import vocabulary

from .assessment_details import GeographicDetail, LegalDetail, OperationalDetail, geographic, legal, operational
from .concentration import blast_radius, group_infos
from .contracts import Contract, covering
from .ownership import reach_countries, root_of, supplier_groups, verdicts

__all__ = ["ASSESSED_KINDS", "Party", "SupplierGroup", "Facts", "assessment_facts"]

ASSESSED_KINDS = ("process", "dataset", "system")
_KIND_ORDER = {k: i for i, k in enumerate(ASSESSED_KINDS)}


@dataclass(frozen=True)
class Party:
    """A supplier with a hand in a system: its ``role`` is provider, operator or location_operator."""

    supplier: str
    role: str
    system: str
    location: str | None = None


@dataclass
class SupplierGroup:
    """A supplier group: ``status`` is ``eu``, ``non_eu`` or ``unknown`` (ownership or country unknown in its reach)."""

    root: str
    name: str
    members: frozenset[str]
    countries: list[str]
    status: str
    reason: str = ""



@dataclass
class Facts:
    """What the assessment needs of a graph, computed once: reach, places, parties, groups, single points of failure."""

    g: nx.MultiDiGraph
    runs_on: dict[str, frozenset[str]]  # node → systems it runs on (a system: itself included)
    needs: dict[str, list[str]]  # node → the processes, data sets and systems it directly needs
    places: dict[str, frozenset[tuple[str, str]]]  # system → {(location, system hosted there)}
    unplaced: dict[str, frozenset[str]]  # system → systems whose location is unknown
    parties: dict[str, tuple[Party, ...]]  # system → its own parties
    chains: dict[str, list[str]]  # supplier → countries along its ownership chain
    root_of: dict[str, str]  # supplier → its group's ultimate parent
    groups: dict[str, SupplierGroup]
    spof: dict[str, list[str]]  # node → roots of the groups whose cut alone makes it fail
    unknown_ownership: dict[str, str] = field(default_factory=dict)  # supplier → why its ownership is unknown
    cover: dict[str, tuple[Contract, ...]] = field(default_factory=dict)  # system → the contracts covering it
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # per-system parts of the details, filled lazily

    def nodes(self) -> list[str]:
        """The assessed nodes: processes, data sets, systems, in that order, each by id."""
        return sorted(self.runs_on, key=lambda n: (_KIND_ORDER[self.g.nodes[n]["kind"]], n))

    def geographic(self, n: str) -> GeographicDetail:
        """Where ``n`` is, per country, with its level (:func:`sovmap.graph.assessment_details.geographic`)."""
        return geographic(self, n)

    def legal(self, n: str) -> LegalDetail:
        """Which supplier groups' jurisdictions can compel access to ``n`` (:func:`~sovmap.graph.assessment_details.legal`)."""
        return legal(self, n)

    def operational(self, n: str) -> OperationalDetail:
        """Which supplier groups can cut ``n`` off alone (:func:`~sovmap.graph.assessment_details.operational`)."""
        return operational(self, n)


def _needs(g: nx.MultiDiGraph, kinds: dict[str, str]) -> dict[str, list[str]]:
    propagating = vocabulary().propagating()
    out: dict[str, list[str]] = {n: [] for n, k in kinds.items() if k in ASSESSED_KINDS}
    for u, v, rel in g.edges(keys=True):
        if rel in propagating and u in out and kinds.get(v) in ASSESSED_KINDS and v not in out[u]:
            out[u].append(v)
    return out


def _runs_on(kinds: dict[str, str], needs: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    h = nx.DiGraph()
    h.add_nodes_from(needs)
    h.add_edges_from((u, v) for u, vs in needs.items() for v in vs)
    c = nx.condensation(h)
    reach: dict[int, frozenset[str]] = {}
    for scc in reversed(list(nx.topological_sort(c))):
        systems = {m for m in c.nodes[scc]["members"] if kinds[m] == "system"}
        for t in c.successors(scc):
            systems |= reach[t]
        reach[scc] = frozenset(systems)
    return {n: reach[c.graph["mapping"][n]] for n in needs}


def _own_parties(g: nx.MultiDiGraph, s: str) -> tuple[Party, ...]:
    out = []
    for _, t, rel in g.out_edges(s, keys=True):
        if rel == "provided_by":
            out.append(Party(t, "provider", s))
        elif rel == "operated_by":
            out.append(Party(t, "operator", s))
        elif rel == "hosted_at":
            out += [Party(op, "location_operator", s, t)
                    for _, op, r in g.out_edges(t, keys=True) if r == "operated_by"]
    return tuple(dict.fromkeys(out))


def _places(g: nx.MultiDiGraph, systems: list[str], needs: dict[str, list[str]]):
    """Each system's (location, host) pairs and its systems of unknown location, through depends_on."""
    own = {s: frozenset((t, s) for _, t, r in g.out_edges(s, keys=True) if r == "hosted_at") for s in systems}
    deps = {s: [t for t in needs[s] if t in own] for s in systems}
    places = {s: set(own[s]) for s in systems}
    unplaced: dict[str, set[str]] = {s: set() for s in systems}
    dependants: dict[str, list[str]] = {s: [] for s in systems}
    for s in systems:
        if not own[s]:
            if not deps[s]:
                unplaced[s].add(s)
            for t in deps[s]:
                dependants[t].append(s)
    work = deque(s for s in systems if not own[s] and deps[s])
    while work:  # monotone: sets only grow, so this ends
        s = work.popleft()
        p = set().union(*(places[t] for t in deps[s]))
        u = set().union(*(unplaced[t] for t in deps[s]))
        if p != places[s] or u != unplaced[s]:
            places[s], unplaced[s] = p, u
            work.extend(dependants[s])
    for s in systems:
        if not places[s] and not unplaced[s]:  # a cycle with no location anywhere
            unplaced[s].add(s)
    return ({s: frozenset(v) for s, v in places.items()}, {s: frozenset(v) for s, v in unplaced.items()})


@gc_paused(long_lived=True)
def assessment_facts(g: nx.MultiDiGraph, policy=None) -> Facts:
    """Compile what the assessment needs from ``g`` (once; pass it to :func:`assess` and the CSF scores).

    ``policy`` (a :class:`~sovmap.graph.policy.Policy` or its ``reach``) sets the legal reach; the default when None.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", kind="system", name="App")
    >>> g.add_node("B", kind="system", name="Platform")
    >>> _ = g.add_edge("A", "B", key="depends_on")
    >>> _ = g.add_edge("B", "A", key="depends_on")
    >>> sorted(assessment_facts(g).runs_on["A"])
    ['A', 'B']
    """
    kinds = dict(g.nodes(data="kind"))
    needs = _needs(g, kinds)
    runs_on = _runs_on(kinds, needs)
    systems = sorted(n for n in needs if kinds[n] == "system")
    places, unplaced = _places(g, systems, needs)
    parties = {s: _own_parties(g, s) for s in systems}
    grouped = supplier_groups(g)
    groups = {}
    for root, info in group_infos(g, grouped, policy).items():
        members = info["members"]
        status = {True: "eu", False: "non_eu", None: "unknown"}[info["european"]]
        groups[root] = SupplierGroup(root, info["name"] or root, frozenset(members), info["countries"], status,
                                     info["european_reason"])
    chains: dict[str, list[str]] = {}
    for own in parties.values():
        for p in own:
            if p.supplier not in chains:
                chains[p.supplier] = reach_countries(g, p.supplier, policy)
    roots = root_of(g)
    unknown = {s: v.reason for s, v in verdicts(g, policy).items() if v.european is None}
    spof: dict[str, list[str]] = {}
    for b in blast_radius(g, grouped):
        for n in b.failed:
            if n in needs:
                spof.setdefault(n, []).append(b.root)
    return Facts(g, runs_on, needs, places, unplaced, parties, chains, roots, groups, spof, unknown, covering(g))

