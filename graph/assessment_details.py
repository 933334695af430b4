"""The assessment's three dimensions for one node: where it is, whose law reaches it, who can cut it off.

Each function reads the :class:`~sovmap.graph.assessment_facts.Facts` of a
graph and returns a detail with the level and its reasons
(:mod:`sovmap.graph.assessment` explains the rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sovmap.ontology.countries import country

from .contracts import change_of_control, foreign_law, open_return
from .levels import UNKNOWN, reason, worst

if TYPE_CHECKING:
    from .assessment_facts import Facts

__all__ = ["geographic_level", "legal_level", "Place", "GeographicDetail", "Exposure", "LegalDetail", "Cutoff",
           "OperationalDetail", "geographic", "legal", "operational"]

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




# --- geographic ------------------------------------------------------------
def _geo_inputs(f: Facts, n: str, places: set, unplaced: set, missing: list, seen: set) -> None:
    if n in seen:
        return
    seen.add(n)
    kind = f.g.nodes[n]["kind"]
    if kind == "system":
        places |= f.places[n]
        unplaced |= f.unplaced[n]
        return
    targets = f.needs[n]
    if not targets:
        missing.append(("geo.no_storage" if kind == "dataset" else "geo.no_use", n))
    for t in targets:
        _geo_inputs(f, t, places, unplaced, missing, seen)

def geographic(f: Facts, n: str) -> GeographicDetail:
    """Where ``n`` is, per country, with its level."""
    found: set[tuple[str, str]] = set()
    unplaced: set[str] = set()
    missing: list[tuple[str, str]] = []
    _geo_inputs(f, n, found, unplaced, missing, set())
    by_country: dict[str | None, tuple[set, set]] = {}
    for loc, host in found:
        locs, hosts = by_country.setdefault(f.g.nodes[loc].get("country"), (set(), set()))
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
def legal(f: Facts, n: str) -> LegalDetail:
    """Which supplier groups' jurisdictions can compel access to ``n``, with the level."""
    systems = sorted(f.runs_on[n]) or [n]
    by_group: dict[str, tuple[set, list]] = {}
    no_party = []
    for s in systems:
        own = _groups_of(f, s)
        if not own:
            no_party.append(s)
        for root, suppliers in own:
            found, via = by_group.setdefault(root, (set(), []))
            found.update(suppliers)
            via.append(s)  # systems are visited in order: via stays sorted
    exposures = []
    for root, (suppliers, via) in by_group.items():
        codes, level, laws, unknown = _exposure(f, root, frozenset(suppliers))
        exposures.append(Exposure(group=root, name=f.groups[root].name, level=level, countries=list(codes),
                                  laws=list(laws), suppliers=sorted(suppliers), systems=via, unknown=list(unknown)))
    exposures.sort(key=lambda e: (_level_order(e.level), e.group))
    exposed = sorted({s for e in exposures if e.level != "in_control" for s in e.systems})
    customer = [s for s in exposed if f.g.nodes[s].get("key_control") == "customer"]
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
    law = foreign_law(f.cover, systems)
    for cid, codes in law.items():
        covered = [s for s in systems if any(c.id == cid for c in f.cover.get(s, ()))]
        reasons.append(reason("legal.contract_foreign_law", contract=cid, countries=codes, systems=covered))
    if no_party:
        reasons.append(reason("no_party", systems=no_party))
    level = _known_worst([e.level for e in exposures] + (["partial"] if law else []))
    return LegalDetail(level, exposures, no_party, customer, provider, reasons, law)


# --- operational -----------------------------------------------------------
def operational(f: Facts, n: str) -> OperationalDetail:
    """Which supplier groups can cut ``n`` off on their own, and whether an exit from them is prepared."""
    systems = sorted(f.runs_on[n])
    by_group: dict[str, list[str]] = {}
    for s in systems:
        for root, _ in _groups_of(f, s):
            by_group.setdefault(root, []).append(s)
    used_groups = set(by_group)
    no_party = [s for s in systems if not f.parties.get(s)] if systems else [n]
    cutoffs = []
    for root in f.spof.get(n, []):
        grp = f.groups[root]
        via = by_group.get(root, [])
        returned, terminable, no_export, no_plan = {}, {}, [], []
        for s in via:
            ret, term, export, plan = _exit_of(f, s, root)
            if ret:
                returned[s] = list(ret)
            if term:
                terminable[s] = list(term)
            if not export:
                no_export.append(s)
            if not plan:
                no_plan.append(s)
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
                          if f.groups[r].status == "non_eu" and r not in f.spof.get(n, []))
    reasons = []
    for c in cutoffs:
        params = {"group": c.group, "group_name": c.name, "countries": c.countries}
        if c.status == "unknown" and c.countries:
            reasons.append(reason("op.spof_ownership_unknown", group=c.group, group_name=c.name,
                                  countries=c.countries, why=f.groups[c.group].reason))
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
        grp = f.groups[root]
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
    return _LEVEL_ORDER[level]


_LEVEL_ORDER = {"not_in_control": 0, "partial": 1, UNKNOWN: 2, "in_control": 3}


def _groups_of(f: Facts, s: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The supplier groups of ``s``'s own parties, in the order of its parties: (root, its suppliers), memoised."""
    memo = f.memo.setdefault("groups_of", {})
    found = memo.get(s)
    if found is None:
        by_root: dict[str, list[str]] = {}
        for p in f.parties.get(s, ()):
            by_root.setdefault(f.root_of[p.supplier], []).append(p.supplier)
        found = memo[s] = tuple((root, tuple(suppliers)) for root, suppliers in by_root.items())
    return found


def _exposure(f: Facts, root: str, suppliers: frozenset[str]) -> tuple:
    """A supplier group's legal hold through ``suppliers``: (countries, level, laws, why ownership is unknown)."""
    memo = f.memo.setdefault("exposure", {})
    key = (root, suppliers)
    found = memo.get(key)
    if found is None:
        codes = tuple(sorted({c for x in suppliers for c in f.chains[x]}))
        unknown = tuple(sorted(f.unknown_ownership[x] for x in suppliers if x in f.unknown_ownership))
        level = worst(legal_level(c) for c in codes)
        if level == "in_control" and unknown:
            level = UNKNOWN  # EU/EEA as far as known, but not every owner is known
        laws = tuple(law.id for c in codes for law in country(c).laws)
        found = memo[key] = (codes, level, laws, unknown)
    return found


def _exit_of(f: Facts, s: str, root: str) -> tuple:
    """The exit from group ``root`` for system ``s``: (contracts returning its data openly, contracts with a
    change-of-control clause that counts, open export or returned, exit plan or terminable), memoised."""
    memo = f.memo.setdefault("exit_of", {})
    key = (s, root)
    found = memo.get(key)
    if found is None:
        data = f.g.nodes[s]
        ret = tuple(open_return(f.cover, [s]).get(s, ()))
        own = [p.supplier for p in f.parties.get(s, ()) if f.root_of[p.supplier] == root]
        term = tuple(change_of_control(f.g, f.cover, {s: own}).get(s, ()))
        found = memo[key] = (ret, term, data.get("data_export") == _OPEN_EXPORT or bool(ret),
                             data.get("exit_plan") == "yes" or bool(term))
    return found
