"""Three-level sovereignty assessment: is each process, data set and system geographically, legally and operationally in control?

The questions are those of the Dutch guidance "Sturen op digitale soevereiniteit".
Each dimension gets a level, ``in_control``, ``partial``, ``not_in_control`` or
``unknown``, with reasons. Where several places, parties or single points of
failure count, the level is the worst *known* one; it is ``unknown`` only when
nothing is known, and ``complete`` is False (with a reason naming the unknown
parts) when something is missing.

What a node runs on
    A system runs on itself and, transitively, on the systems it depends on; a
    data set on the systems it is stored in; a process on the systems and data
    sets it uses. Every member of a group of alternatives counts. Cycles are
    allowed (strongly connected parts are taken together).

Geographic: where is it?
    A system is where its locations are (hosted_at → location → country); a
    system without a location is where the systems it depends on are,
    transitively. A data set is where the systems that store it are; a process
    where the data sets and systems it uses are. Per place: EU/EEA →
    in_control; a country with an EU adequacy decision (GDPR art. 45) →
    partial; elsewhere → not_in_control. A country whose adequacy rests only on
    the EU-US Data Privacy Framework (the US) counts as not_in_control: it
    covers only certified organisations, and the inventory does not record
    certification. A location without a country, or a system with no location
    at all, is an unknown part.

Legal: whose law can compel access?
    The parties are the supplier (provided_by), the operator (operated_by) and
    the location's operator of every system it runs on, each with its legal
    reach (:func:`sovmap.graph.ownership.legal_reach`: registration,
    headquarters, controlling owners and significant co-owners, as the policy's
    ``reach`` says). Per supplier group, over the reach of its parties
    involved: only EU/EEA → in_control, unless the ownership of a party is
    unknown (then ``unknown``: never in control on missing facts); a jurisdiction with a law that reaches
    data abroad (``country(c).laws``: US CLOUD Act, FISA 702; CN) →
    not_in_control; an adequacy country without such a law → partial; any
    other non-EU/EEA country → not_in_control. The jurisdictions (codes) and
    the laws (ids, names) are listed. Customer-held keys (key_control customer)
    are reported as a mitigation but do not raise the level: the inventory does
    not say whether the provider can read the data while processing it.
    No party known → unknown. A node is legally in control only when every
    group involved is: one of unknown ownership makes it ``unknown`` unless
    another already makes it partial or not in control.

Operational: can a non-European party cut it off, and can we leave?
    A supplier group (an ultimate parent with all it owns) is a single point of
    failure of a node when cutting the whole group alone makes the node fail
    (:func:`sovmap.graph.concentration.blast_radius`, computed once, with the
    k-of-N groups of alternatives). A group is non-European when some party in
    it is registered outside the EU/EEA. Per single point of failure: European
    → in_control; non-European with a prepared exit from it (every system of
    the group that the node runs on has open-standard data export and an exit
    plan) → partial; non-European without → not_in_control; country unknown →
    unknown part (as is a group of unknown ownership; a node whose other
    single points of failure are European is then ``unknown``, not in
    control). No single point of failure → in_control (non-European groups
    that alternatives can replace are reported). No supplier known → unknown.

Requirements come from a policy (:mod:`sovmap.graph.policy`); a gap is a
dimension whose level is below the requirement (``unknown`` always is), with
the steps that would close it. Reasons and steps are dicts ``{"code", "text",
"params"}`` (steps also ``"closes"``): ``text`` is English; render Dutch with
:func:`sovmap.graph.levels.reason_text`.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("D", kind="dataset", name="Case files", classification="confidential")
>>> g.add_node("SYS", kind="system", name="Cases", data_export="proprietary", exit_plan="no")
>>> g.add_node("L", kind="location", name="Amsterdam DC", country="NL")
>>> g.add_node("S-NL", kind="supplier", name="Hoster B.V.", country="NL")
>>> g.add_node("S-US", kind="supplier", name="Parent Inc.", country="US")
>>> for u, v, rel in [("D", "SYS", "stored_in"), ("SYS", "L", "hosted_at"), ("SYS", "S-NL", "provided_by"),
...                   ("L", "S-NL", "operated_by"), ("S-NL", "S-US", "owned_by")]:
...     _ = g.add_edge(u, v, key=rel)
>>> d = assess(g)["items"][0]
>>> d["id"], d["geographic"]["level"], d["legal"]["level"], d["legal"]["jurisdictions"]
('D', 'in_control', 'not_in_control', ['NL', 'US'])
>>> [law["id"] for law in d["legal"]["laws"]]
['US-CLOUD-ACT', 'US-FISA-702']
>>> d["operational"]["level"]
'not_in_control'
>>> [(x["dimension"], x["required"], x["actual"]) for x in assess(g)["gaps"] if x["id"] == "D"]
[('legal', 'in_control', 'not_in_control'), ('operational', 'partial', 'not_in_control')]
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary

from .concentration import blast_radius, group_infos
from .contracts import Contract, change_of_control, covering, foreign_law, open_return
from .levels import UNKNOWN, below, dimensions, distance, rank, reason, step, worst
from .ownership import reach_countries, root_of, supplier_groups, verdicts
from .policy import Policy, default_policy, requirements, strictest

__all__ = [
    "ASSESSED_KINDS",
    "Party",
    "SupplierGroup",
    "Place",
    "Exposure",
    "Cutoff",
    "GeographicDetail",
    "LegalDetail",
    "OperationalDetail",
    "Facts",
    "assessment_facts",
    "geographic_level",
    "legal_level",
    "assess",
    "actions",
    "level_changes",
]

ASSESSED_KINDS = ("process", "dataset", "system")
_KIND_ORDER = {k: i for i, k in enumerate(ASSESSED_KINDS)}
_ATTRIBUTES = ("criticality", "classification", "personal_data")
_OPEN_EXPORT = "open-standard"


def geographic_level(code: str) -> str:
    """The geographic level of a place in country ``code``.

    >>> geographic_level("DE"), geographic_level("CH"), geographic_level("US"), geographic_level("IN")
    ('in_control', 'partial', 'not_in_control', 'not_in_control')
    """
    c = country(code)
    if c.eea:
        return "in_control"
    if c.adequacy and not c.dpf:
        return "partial"
    return "not_in_control"


def legal_level(code: str) -> str:
    """The legal level of a jurisdiction ``code``.

    >>> legal_level("NL"), legal_level("JP"), legal_level("US"), legal_level("CN")
    ('in_control', 'partial', 'not_in_control', 'not_in_control')
    """
    c = country(code)
    if c.eea:
        return "in_control"
    if c.laws:
        return "not_in_control"
    if c.adequacy and not c.dpf:
        return "partial"
    return "not_in_control"


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
class Place:
    """One country's share of where a node is (``country`` None: a location without a country)."""

    country: str | None
    level: str
    locations: list[str]
    systems: list[str]


@dataclass
class GeographicDetail:
    level: str
    places: list[Place]
    unplaced: list[str]  # systems with no known location
    missing: list[tuple[str, str]]  # (reason code, node id): no_storage, no_use
    reasons: list[dict]

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.missing and all(p.country for p in self.places)


@dataclass
class Exposure:
    """One supplier group's legal hold on a node, through the chains of its parties involved."""

    group: str
    name: str
    level: str
    countries: list[str]
    laws: list[str]
    suppliers: list[str]
    systems: list[str]
    unknown: list[str] = field(default_factory=list)  # why the ownership of some of its parties is unknown


@dataclass
class LegalDetail:
    level: str
    exposures: list[Exposure]
    no_party: list[str]  # systems without any party
    customer_keys: list[str]  # exposed systems whose keys the customer holds
    provider_keys: list[str]  # exposed systems whose keys the provider holds (or not recorded)
    reasons: list[dict]
    foreign_law: dict[str, list[str]] = field(default_factory=dict)  # contract → governing law/court outside the EU/EEA

    @property
    def complete(self) -> bool:
        return not self.no_party and all(e.level != UNKNOWN for e in self.exposures)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({c for e in self.exposures for c in e.countries})


@dataclass
class Cutoff:
    """A supplier group that can cut a node off on its own, and the node's exit from it."""

    group: str
    name: str
    status: str
    level: str
    countries: list[str]
    systems: list[str]  # the systems of the group that the node runs on
    no_export: list[str] = field(default_factory=list)  # of those, without open-standard export
    no_plan: list[str] = field(default_factory=list)  # of those, without an exit plan
    returned: dict[str, list[str]] = field(default_factory=dict)  # system → contracts returning its data openly
    terminable: dict[str, list[str]] = field(default_factory=dict)  # system → contracts with a change-of-control clause


@dataclass
class OperationalDetail:
    level: str
    cutoffs: list[Cutoff]
    alternatives: list[str]  # non-European groups it uses that cannot cut it off alone
    no_party: list[str]
    reasons: list[dict]

    @property
    def complete(self) -> bool:
        return not self.no_party and all(c.level != UNKNOWN for c in self.cutoffs)


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

    def nodes(self) -> list[str]:
        """The assessed nodes: processes, data sets, systems, in that order, each by id."""
        return sorted(self.runs_on, key=lambda n: (_KIND_ORDER[self.g.nodes[n]["kind"]], n))

    # --- geographic ------------------------------------------------------------
    def _geo_inputs(self, n: str, places: set, unplaced: set, missing: list, seen: set) -> None:
        if n in seen:
            return
        seen.add(n)
        kind = self.g.nodes[n]["kind"]
        if kind == "system":
            places |= self.places[n]
            unplaced |= self.unplaced[n]
            return
        targets = self.needs[n]
        if not targets:
            missing.append(("geo.no_storage" if kind == "dataset" else "geo.no_use", n))
        for t in targets:
            self._geo_inputs(t, places, unplaced, missing, seen)

    def geographic(self, n: str) -> GeographicDetail:
        """Where ``n`` is, per country, with its level."""
        found: set[tuple[str, str]] = set()
        unplaced: set[str] = set()
        missing: list[tuple[str, str]] = []
        self._geo_inputs(n, found, unplaced, missing, set())
        by_country: dict[str | None, tuple[set, set]] = {}
        for loc, host in found:
            locs, hosts = by_country.setdefault(self.g.nodes[loc].get("country"), (set(), set()))
            locs.add(loc)
            hosts.add(host)
        places = [Place(c, geographic_level(c) if c else UNKNOWN, sorted(locs), sorted(hosts))
                  for c, (locs, hosts) in by_country.items()]
        places.sort(key=lambda p: (_level_order(p.level), p.country or ""))
        reasons = []
        for p in places:
            params = {"systems": p.systems, "locations": p.locations}
            if p.country is None:
                reasons.append(reason("geo.location_without_country", **params))
                continue
            c = country(p.country)
            params["country"] = p.country
            if c.eea:
                reasons.append(reason("geo.eea", **params))
            elif c.adequacy and not c.dpf:
                reasons.append(reason("geo.adequacy", decision=c.adequacy_decision, **params))
            elif c.dpf:
                reasons.append(reason("geo.dpf_only", **params))
            else:
                reasons.append(reason("geo.third_country", **params))
        if unplaced:
            reasons.append(reason("geo.unknown_location", systems=sorted(unplaced)))
        for code, node in sorted(missing):
            reasons.append(reason(code, id=node))
        level = worst(p.level for p in places)
        return GeographicDetail(level, places, sorted(unplaced), sorted(missing), reasons)

    # --- legal -----------------------------------------------------------------
    def legal(self, n: str) -> LegalDetail:
        """Which supplier groups' jurisdictions can compel access to ``n``, with the level."""
        systems = sorted(self.runs_on[n]) or [n]
        by_group: dict[str, tuple[set, set, list]] = {}
        no_party = []
        for s in systems:
            own = self.parties.get(s, ())
            if not own:
                no_party.append(s)
            for p in own:
                suppliers, via, countries = by_group.setdefault(self.root_of[p.supplier], (set(), set(), []))
                suppliers.add(p.supplier)
                via.add(s)
                for c in self.chains[p.supplier]:
                    if c not in countries:
                        countries.append(c)
        exposures = []
        for root, (suppliers, via, countries) in by_group.items():
            codes = sorted(countries)
            unknown = sorted(self.unknown_ownership[s] for s in suppliers if s in self.unknown_ownership)
            level = worst(legal_level(c) for c in codes)
            if level == "in_control" and unknown:
                level = UNKNOWN  # EU/EEA as far as known, but not every owner is known
            exposures.append(Exposure(
                group=root, name=self.groups[root].name,
                level=level,
                countries=codes,
                laws=[law.id for c in codes for law in country(c).laws],
                suppliers=sorted(suppliers), systems=sorted(via), unknown=unknown))
        exposures.sort(key=lambda e: (_level_order(e.level), e.group))
        exposed = sorted({s for e in exposures if e.level != "in_control" for s in e.systems})
        customer = [s for s in exposed if self.g.nodes[s].get("key_control") == "customer"]
        provider = [s for s in exposed if s not in customer]
        reasons = []
        eu = [e for e in exposures if e.level == "in_control"]
        for e in exposures:
            params = {"group": e.group, "group_name": e.name, "countries": e.countries, "systems": e.systems}
            if e.level == UNKNOWN and e.countries:
                reasons.append(reason("legal.unknown_ownership", group=e.group, group_name=e.name,
                                      countries=e.countries, why=e.unknown, systems=e.systems))
            elif e.level == UNKNOWN:
                reasons.append(reason("legal.unknown_country", suppliers=e.suppliers, systems=e.systems))
            elif e.level == "in_control":
                continue
            elif e.laws:
                reasons.append(reason("legal.extraterritorial", laws=e.laws, suppliers=e.suppliers, **params))
            elif e.level == "partial":
                reasons.append(reason("legal.adequacy", **params))
            else:
                reasons.append(reason("legal.third_country", **params))
        if eu:
            reasons.append(reason("legal.eea", groups=[e.group for e in eu],
                                  countries=sorted({c for e in eu for c in e.countries})))
        if customer:
            reasons.append(reason("legal.customer_keys", systems=customer))
        if provider:
            reasons.append(reason("legal.provider_keys", systems=provider))
        law = foreign_law(self.cover, systems)
        for cid, codes in law.items():
            covered = [s for s in systems if any(c.id == cid for c in self.cover.get(s, ()))]
            reasons.append(reason("legal.contract_foreign_law", contract=cid, countries=codes, systems=covered))
        if no_party:
            reasons.append(reason("no_party", systems=no_party))
        level = _known_worst([e.level for e in exposures] + (["partial"] if law else []))
        return LegalDetail(level, exposures, no_party, customer, provider, reasons, law)

    # --- operational -----------------------------------------------------------
    def operational(self, n: str) -> OperationalDetail:
        """Which supplier groups can cut ``n`` off on their own, and whether an exit from them is prepared."""
        systems = sorted(self.runs_on[n])
        by_group: dict[str, list[str]] = {}
        for s in systems:
            for root in dict.fromkeys(self.root_of[p.supplier] for p in self.parties.get(s, ())):
                by_group.setdefault(root, []).append(s)
        used_groups = set(by_group)
        no_party = [s for s in systems if not self.parties.get(s)] if systems else [n]
        cutoffs = []
        for root in self.spof.get(n, []):
            grp = self.groups[root]
            via = by_group.get(root, [])
            nodes = self.g.nodes
            returned = open_return(self.cover, via)
            own = {s: [p.supplier for p in self.parties.get(s, ()) if self.root_of[p.supplier] == root] for s in via}
            terminable = change_of_control(self.g, self.cover, own)
            no_export = [s for s in via if nodes[s].get("data_export") != _OPEN_EXPORT and s not in returned]
            no_plan = [s for s in via if nodes[s].get("exit_plan") != "yes" and s not in terminable]
            if grp.status == "eu":
                level = "in_control"
            elif grp.status == "unknown":
                level = UNKNOWN
            else:
                level = "partial" if via and not no_export and not no_plan else "not_in_control"
            cutoffs.append(Cutoff(root, grp.name, grp.status, level, grp.countries, via, no_export, no_plan,
                                  returned, terminable))
        cutoffs.sort(key=lambda c: (_level_order(c.level), c.group))
        alternatives = sorted(r for r in used_groups
                              if self.groups[r].status == "non_eu" and r not in self.spof.get(n, []))
        reasons = []
        for c in cutoffs:
            params = {"group": c.group, "group_name": c.name, "countries": c.countries}
            if c.status == "unknown" and c.countries:
                reasons.append(reason("op.spof_ownership_unknown", group=c.group, group_name=c.name,
                                      countries=c.countries, why=self.groups[c.group].reason))
            elif c.status == "unknown":
                reasons.append(reason("op.spof_unknown", group=c.group, group_name=c.name))
            elif c.status == "eu":
                reasons.append(reason("op.spof_eu", **params))
            else:
                reasons.append(reason("op.spof_non_eu", systems=c.systems, **params))
                if c.level == "partial":
                    reasons.append(reason("op.exit_ready", group=c.group, systems=c.systems))
                if c.terminable:
                    reasons.append(reason("op.change_of_control", group=c.group, systems=sorted(c.terminable),
                                          contracts=sorted({x for ids in c.terminable.values() for x in ids})))
                if c.returned:
                    reasons.append(reason("op.contract_data_return", systems=sorted(c.returned),
                                          contracts=sorted({x for ids in c.returned.values() for x in ids})))
                if c.no_export:
                    reasons.append(reason("op.no_open_export", systems=c.no_export))
                if c.no_plan:
                    reasons.append(reason("op.no_exit_plan", systems=c.no_plan))
        if used_groups and not cutoffs:
            reasons.append(reason("op.no_spof"))
        for root in alternatives:
            grp = self.groups[root]
            reasons.append(reason("op.alternatives", group=root, group_name=grp.name, countries=grp.countries))
        if not used_groups:
            level = UNKNOWN
            reasons.append(reason("op.no_supplier"))
        else:
            level = _known_worst([c.level for c in cutoffs] or ["in_control"])
            if no_party:
                reasons.append(reason("no_party", systems=no_party))
        return OperationalDetail(level, cutoffs, alternatives, no_party, reasons)


def _known_worst(found: list[str]) -> str:
    """The worst known level, but ``unknown`` rather than in_control when some part is unknown."""
    level = worst(found)
    return UNKNOWN if level == "in_control" and UNKNOWN in found else level


def _level_order(level: str) -> int:
    """Sort key: not in control first, then partial, unknown, in control."""
    return {"not_in_control": 0, "partial": 1, UNKNOWN: 2, "in_control": 3}[level]


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


# --- gaps and their steps --------------------------------------------------------

def _geo_steps(d: GeographicDetail, required: str) -> list[dict]:
    out = []
    for p in d.places:
        if p.country and below(p.level, required):
            code = "move_eea" if required == "in_control" else "move_adequate"
            out.append(step(code, True, systems=p.systems, locations=p.locations, countries=[p.country]))
    no_country = sorted({loc for p in d.places if not p.country for loc in p.locations})
    if no_country:
        out.append(step("record_country", False, locations=no_country))
    if d.unplaced:
        out.append(step("find_location", False, systems=d.unplaced))
    for code, node in d.missing:
        out.append(step("record_storage" if code == "geo.no_storage" else "record_use", False, id=node))
    return out


def _legal_steps(d: LegalDetail, required: str) -> list[dict]:
    out = []
    keys_for = set(d.provider_keys)
    for e in d.exposures:
        if e.level == UNKNOWN and e.countries:
            out.append(step("verify_ownership", False, suppliers=e.suppliers))
        elif e.level == UNKNOWN:
            out.append(step("find_supplier_country", False, suppliers=e.suppliers))
        elif below(e.level, required):
            code = "replace_legal" if required == "in_control" else "replace_legal_adequate"
            out.append(step(code, True, group=e.group, group_name=e.name, countries=e.countries, systems=e.systems))
            weak = [s for s in e.systems if s in keys_for]
            if weak:
                out.append(step("customer_keys", False, group=e.group, systems=weak))
    if d.foreign_law:
        closes = not any(below(e.level, required) or e.level == UNKNOWN for e in d.exposures) and not d.no_party
        for cid, codes in d.foreign_law.items():
            out.append(step("contract_eu_law", closes, contract=cid, countries=codes))
    if d.no_party:
        out.append(step("record_supplier", False, systems=d.no_party))
    return out


def _operational_steps(d: OperationalDetail, required: str) -> list[dict]:
    out = []
    for c in d.cutoffs:
        if c.level == UNKNOWN and c.countries:
            out.append(step("verify_ownership", False, suppliers=[c.group]))
        elif c.level == UNKNOWN:
            out.append(step("find_supplier_country", False, suppliers=[c.group]))
        elif below(c.level, required):
            out.append(step("replace_operational", True, group=c.group, group_name=c.name, countries=c.countries,
                            systems=c.systems))
            exit_closes = required == "partial"
            if c.no_plan:
                out.append(step("exit_plan", exit_closes, systems=c.no_plan))
            if c.no_export:
                out.append(step("open_export", exit_closes, systems=c.no_export))
    if d.level == UNKNOWN or d.no_party:
        out.append(step("record_supplier", False, systems=d.no_party))
    return out


_STEPS = {"geographic": _geo_steps, "legal": _legal_steps, "operational": _operational_steps}


def _gap(item: dict, dim: str, detail, sources: list[dict]) -> dict | None:
    required = strictest(sources)
    actual = detail.level
    if not below(actual, required):
        return None
    missed = [s for s in sources if below(actual, s["level"])]
    severity = max(distance(actual, s["level"]) * s["weight"] for s in missed)
    gap = {"id": item["id"], "kind": item["kind"], "name": item["name"], "dimension": dim,
           "required": required, "actual": actual, "severity": severity,
           "steps": _STEPS[dim](detail, required), "required_by": missed, "reasons": detail.reasons}
    gap.update({a: item[a] for a in _ATTRIBUTES if a in item})
    return gap


def assess(g: nx.MultiDiGraph, policy: Policy | None = None, facts: Facts | None = None) -> dict:
    """Assess every process, data set and system in three dimensions, and list the gaps against ``policy``.

    Parameters
    ----------
    g : the typed graph (:func:`sovmap.graph.model.build_graph`).
    policy : the requirements; the default policy (``policy.yaml``) when None.
    facts : :func:`assessment_facts` of ``g``, when already computed.

    Returns
    -------
    dict
        ``{"items": [...], "gaps": [...]}``. An item: ``id``, ``kind``, ``name``,
        its criticality / classification / personal_data when set, and per
        dimension ``{"level", "complete", "reasons", ...}`` (geographic adds
        ``countries``; legal ``jurisdictions``, ``laws`` and ``customer_keys``;
        operational ``single_points_of_failure``), ``required`` (dimension →
        level or None) and ``required_by`` (dimension → the requirement
        sources). A gap: ``id``, ``kind``, ``name``, ``dimension``,
        ``required``, ``actual``, ``severity``, ``steps``, ``required_by`` (the
        requirements missed), ``reasons``; the most severe first.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Payments", criticality="vital")
    >>> g.add_node("SYS", kind="system", name="Bank link", data_export="open-standard", exit_plan="yes")
    >>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
    >>> _ = g.add_edge("P", "SYS", key="uses")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> out = assess(g)
    >>> [(i["id"], i["operational"]["level"]) for i in out["items"]]
    [('P', 'partial'), ('SYS', 'partial')]
    >>> gap = out["gaps"][0]
    >>> gap["id"], gap["required"], gap["severity"], gap["steps"][0]["text"]
    ('P', 'in_control', 64, 'Replace supplier group S (Kynthos; US) by an EU/EEA alternative for SYS, or add one as a working alternative (alternative_group).')
    """
    policy = policy or default_policy()
    facts = facts or assessment_facts(g, policy)
    needed = requirements(g, policy, facts.runs_on)
    items, gaps = [], []
    for n in facts.nodes():
        data = g.nodes[n]
        item = {"id": n, "kind": data["kind"], "name": data.get("name")}
        item.update({a: data[a] for a in _ATTRIBUTES if data.get(a)})
        geo, leg, op = facts.geographic(n), facts.legal(n), facts.operational(n)
        item["geographic"] = {"level": geo.level, "complete": geo.complete,
                              "countries": sorted({p.country for p in geo.places if p.country}),
                              "reasons": geo.reasons}
        item["legal"] = {"level": leg.level, "complete": leg.complete, "jurisdictions": leg.jurisdictions,
                         "laws": [{"id": law.id, "name": law.name, "country": law.country}
                                  for c in leg.jurisdictions for law in country(c).laws],
                         "customer_keys": leg.customer_keys, "reasons": leg.reasons}
        item["operational"] = {"level": op.level, "complete": op.complete,
                               "single_points_of_failure": [
                                   {"supplier_group": c.group, "name": c.name, "countries": c.countries,
                                    "european": {"eu": True, "non_eu": False}.get(c.status),
                                    "european_reason": facts.groups[c.group].reason, "level": c.level}
                                   for c in op.cutoffs],
                               "reasons": op.reasons}
        item["required"] = {dim: strictest(needed[n].get(dim, [])) for dim in dimensions()}
        item["required_by"] = needed[n]
        items.append(item)
        for dim, detail in {"geographic": geo, "legal": leg, "operational": op}.items():
            gap = _gap(item, dim, detail, needed[n].get(dim, []))
            if gap:
                gaps.append(gap)
    dim_order = {d: i for i, d in enumerate(dimensions())}
    gaps.sort(key=lambda x: (-x["severity"], _KIND_ORDER[x["kind"]], dim_order[x["dimension"]], x["id"]))
    return {"items": items, "gaps": gaps}


def _action_keys(st: dict) -> list[tuple[tuple, dict]]:
    """The distinct actions in a step: one per supplier group, else one per system, else the step itself."""
    params = st["params"]
    if "group" in params:
        return [((st["code"], params["group"]), params)]
    if "systems" in params:
        return [((st["code"], s), {**params, "systems": [s]}) for s in params["systems"]]
    flat = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(params.items()))
    return [((st["code"], flat), params)]


def actions(result: dict) -> list[dict]:
    """The steps of all gaps merged into distinct actions, the most severe first.

    An action replaces one supplier group (its systems merged), or does one
    thing for one system. ``fixes`` are the gaps it is part of the fix for
    (with the other fixing steps of that gap), ``helps`` those it only helps
    (a mitigation, an interim step, finding out); ``severity`` sums the
    severities of the gaps it fixes.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for p in ("P1", "P2"):
    ...     g.add_node(p, kind="process", name=p, criticality="vital")
    ...     _ = g.add_edge(p, "SYS", key="uses")
    >>> g.add_node("SYS", kind="system", name="Mail")
    >>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> first = actions(assess(g))[0]
    >>> first["code"], first["severity"], [x["id"] for x in first["fixes"]]
    ('replace_operational', 384, ['P1', 'P2', 'SYS'])
    """
    merged: dict[tuple, dict] = {}
    for gap in result["gaps"]:
        ref = {"id": gap["id"], "dimension": gap["dimension"], "severity": gap["severity"]}
        for st in gap["steps"]:
            for key, params in _action_keys(st):
                a = merged.setdefault(key, {"code": st["code"], "params": dict(params), "fixes": [], "helps": []})
                if "systems" in params:
                    a["params"]["systems"] = sorted(set(a["params"]["systems"]) | set(params["systems"]))
                target = a["fixes"] if st["closes"] else a["helps"]
                if ref not in target:
                    target.append(ref)
    out = []
    for a in merged.values():
        made = step(a["code"], bool(a["fixes"]), **a["params"])
        made.update(fixes=a["fixes"], helps=a["helps"], severity=sum(x["severity"] for x in a["fixes"]))
        out.append(made)
    out.sort(key=lambda a: (-a["severity"], -sum(x["severity"] for x in a["helps"]), a["code"], a["text"]))
    return out


def level_changes(before: dict, after: dict) -> list[dict]:
    """The levels that differ between two assessments of the same inventory (e.g. before and after a what-if).

    Each row: ``id``, ``kind``, ``name``, ``dimension``, ``before``, ``after``,
    ``gap_before``, ``gap_after`` (whether that dimension is a gap); items in
    only one of the two are left out. Worse changes come first.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("SYS", kind="system", name="Hosting")
    >>> g.add_node("S", kind="supplier", name="Rijnstad", country="NL")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> h = g.copy()
    >>> h.add_node("S-US", kind="supplier", name="Buyer", country="US")
    >>> _ = h.add_edge("S", "S-US", key="owned_by")
    >>> [(c["dimension"], c["before"], c["after"]) for c in level_changes(assess(g), assess(h))]
    [('legal', 'in_control', 'not_in_control'), ('operational', 'in_control', 'not_in_control')]
    """
    old = {i["id"]: i for i in before["items"]}
    gaps_before = {(x["id"], x["dimension"]) for x in before["gaps"]}
    gaps_after = {(x["id"], x["dimension"]) for x in after["gaps"]}
    rows = []
    for i in after["items"]:
        j = old.get(i["id"])
        if j is None:
            continue
        for dim in dimensions():
            if i[dim]["level"] != j[dim]["level"]:
                rows.append({"id": i["id"], "kind": i["kind"], "name": i["name"], "dimension": dim,
                             "before": j[dim]["level"], "after": i[dim]["level"],
                             "gap_before": (i["id"], dim) in gaps_before, "gap_after": (i["id"], dim) in gaps_after})
    dim_order = {d: i for i, d in enumerate(dimensions())}

    def worse(r: dict) -> int:
        a, b = r["after"], r["before"]
        return (rank(a) if a != UNKNOWN else 0.5) - (rank(b) if b != UNKNOWN else 0.5)

    rows.sort(key=lambda r: (worse(r), _KIND_ORDER[r["kind"]], r["id"], dim_order[r["dimension"]]))
    return rows
