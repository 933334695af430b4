"""Cut scenarios: which nodes stop working when a supplier, a country's reach or a location is cut.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, c in [("S-NORD", "NL"), ("S-KYN", "US"), ("S-EU", "DE")]:
...     g.add_node(n, kind="supplier", name=n, country=c)
>>> _ = g.add_edge("S-NORD", "S-KYN", key="owned_by")
>>> sorted(supplier_cut(g, ["S-KYN"]))
['S-KYN', 'S-NORD']
>>> sorted(supplier_cut(g, ["S-KYN"], include_subsidiaries=False))
['S-KYN']
>>> sorted(country_cut(g, ["US"]))
['S-KYN', 'S-NORD']
>>> g.add_node("S-CO", kind="supplier", name="Co-owned", country="NL")
>>> _ = g.add_edge("S-CO", "S-KYN", key="co_owned_by", share=50.0)
>>> sorted(country_cut(g, ["US"]))
['S-CO', 'S-KYN', 'S-NORD']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from .errors import UnknownNodeError
from .model import nodes_of_kind
from .ownership import reach_cut, subsidiaries

__all__ = ["Scenario", "supplier_cut", "owned_children", "country_cut", "scenario_cut", "require_kind"]


def require_kind(g: nx.MultiDiGraph, node_id: str, kind: str) -> None:
    """Raise :class:`UnknownNodeError` unless ``node_id`` is a node of ``kind``."""
    if g.nodes.get(node_id, {}).get("kind") != kind:
        raise UnknownNodeError(node_id, kind, nodes_of_kind(g, kind))


def supplier_cut(g: nx.MultiDiGraph, suppliers, include_subsidiaries: bool = True,
                 children: Callable[[], dict[str, list[str]]] | None = None) -> set[str]:
    """The suppliers that stop serving: each named one and, by default, every supplier it owns.

    ``children``: gives each supplier's direct subsidiaries (:func:`owned_children`) when the caller keeps
    them; called once the suppliers are known to be suppliers.
    """
    suppliers = list(suppliers)
    for s in suppliers:
        require_kind(g, s, "supplier")
    out = set(suppliers)
    if include_subsidiaries and suppliers:
        known = children() if children is not None else None
        for s in suppliers:
            out |= subsidiaries(g, s, known)
    return out


def owned_children(g: nx.MultiDiGraph, suppliers: Iterable[str]) -> dict[str, list[str]]:
    """Each owner's direct subsidiaries: the ``suppliers`` with an owned_by relation to it.

    One pass over the suppliers' own relations (a few each), where finding a
    supplier's subsidiaries from its side scans all its incoming relations.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["S-NORD", "S-KYN", "S-EU"], kind="supplier")
    >>> _ = g.add_edge("S-NORD", "S-KYN", key="owned_by")
    >>> _ = g.add_edge("SYS", "S-KYN", key="provided_by")
    >>> owned_children(g, ["S-NORD", "S-KYN", "S-EU"])
    {'S-KYN': ['S-NORD']}
    """
    out: dict[str, list[str]] = {}
    succ = g._succ
    for s in suppliers:
        for owner, keys in succ[s].items():
            if "owned_by" in keys:
                out.setdefault(owner, []).append(s)
    return out


def country_cut(g: nx.MultiDiGraph, countries, policy=None) -> set[str]:
    """Suppliers within the legal reach of the countries (:func:`sovmap.graph.ownership.legal_reach`).

    Registered or (by the reach policy) headquartered or listed there, or owned or
    significantly co-owned, up the chain, by such a party.
    """
    codes = {c.upper() for c in countries}
    if not codes:  # a supplier-only scenario would otherwise walk every node of a national graph
        return set()
    return set(reach_cut(g, codes, policy))


@dataclass
class Scenario:
    """What to cut, as a user states it."""

    suppliers: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    include_subsidiaries: bool = True

    def describe(self) -> str:
        parts = []
        if self.suppliers:
            extra = " and their subsidiaries" if self.include_subsidiaries else " (only these entities)"
            parts.append("supplier " + ", ".join(self.suppliers) + extra)
        if self.countries:
            parts.append("legal reach of " + ", ".join(c.upper() for c in self.countries))
        if self.locations:
            parts.append("location " + ", ".join(self.locations))
        if self.systems:
            parts.append("system " + ", ".join(self.systems))
        return "; ".join(parts) or "nothing"


def scenario_cut(g: nx.MultiDiGraph, sc: Scenario, policy=None,
                 children: Callable[[], dict[str, list[str]]] | None = None) -> set[str]:
    """The set of nodes a scenario cuts (``policy``: the legal reach of a country cut; default reach if None).

    ``children``: as for :func:`supplier_cut`.
    """
    cut = supplier_cut(g, sc.suppliers, sc.include_subsidiaries, children)
    cut |= country_cut(g, sc.countries, policy)
    for loc in sc.locations:
        require_kind(g, loc, "location")
        cut.add(loc)
    for s in sc.systems:
        require_kind(g, s, "system")
        cut.add(s)
    return cut
