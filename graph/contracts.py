"""Contracts in the graph: which contracts cover a system, and what their clauses promise.

A contract is a node of kind ``contract`` with ``covers`` edges to the systems
it covers and a ``contracted_from`` edge to its supplier. Neither relation
carries failure. The assessment reads the clauses through these functions:

- ``data_return`` ``open_format``: the contract promises the data back in an
  open format, which counts as an open-standard export of the systems it covers;
- ``change_of_control`` ``yes``: the customer may terminate when the supplier is
  sold, which counts as an exit plan for the systems it covers *towards a group
  that gained control through a sale* (a what-if :func:`sovmap.graph.whatif.acquire`
  marks the bought supplier with ``acquired_by``);
- ``governing_law`` or ``court`` outside the EU/EEA: disputes are settled under
  foreign law or before foreign courts, which lowers legal control to partial.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS", kind="system", name="Mail")
>>> g.add_node("C-1", kind="contract", name="Mail licence", data_return="open_format", governing_law="US")
>>> _ = g.add_edge("C-1", "SYS", key="covers")
>>> [c.id for c in covering(g)["SYS"]], open_return(covering(g), ["SYS"])
(['C-1'], {'SYS': ['C-1']})
>>> foreign_law(covering(g), ["SYS"])
{'C-1': ['US']}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from sovmap.ontology.countries import country

__all__ = ["Contract", "contracts", "covering", "open_return", "foreign_law", "change_of_control",
           "ACQUIRED_BY"]

#: Node attribute a what-if sale puts on the bought supplier: the id of its new parent.
ACQUIRED_BY = "acquired_by"


@dataclass(frozen=True)
class Contract:
    """One contract with its clauses as the inventory gives them (None: not recorded)."""

    id: str
    name: str
    supplier: str | None
    systems: tuple[str, ...]
    start_date: str | None = None
    end_date: str | None = None
    notice_months: int | None = None
    renewal: str | None = None
    change_of_control: str | None = None
    data_return: str | None = None
    governing_law: str | None = None
    court: str | None = None
    data_location: str | None = None
    escrow: str | None = None


def contracts(g: nx.MultiDiGraph) -> dict[str, Contract]:
    """The contracts of ``g`` by id, with their supplier and the systems they cover (sorted)."""
    out = {}
    for n, d in g.nodes(data=True):
        if d.get("kind") != "contract":
            continue
        supplier = next((t for _, t, k in g.out_edges(n, keys=True) if k == "contracted_from"), None)
        systems = tuple(sorted({t for _, t, k in g.out_edges(n, keys=True) if k == "covers"}))
        notice = d.get("notice_period")
        out[n] = Contract(n, d.get("name") or n, supplier, systems, d.get("start_date"), d.get("end_date"),
                          int(notice) if notice not in (None, "") else None, d.get("renewal"),
                          d.get("change_of_control"), d.get("data_return"), d.get("governing_law"), d.get("court"),
                          d.get("data_location"), d.get("escrow"))
    return out


def covering(g: nx.MultiDiGraph) -> dict[str, tuple[Contract, ...]]:
    """System → the contracts that cover it (by id); systems no contract covers are left out."""
    out: dict[str, list[Contract]] = {}
    for c in sorted(contracts(g).values(), key=lambda c: c.id):
        for s in c.systems:
            out.setdefault(s, []).append(c)
    return {s: tuple(cs) for s, cs in out.items()}


def open_return(cover: dict[str, tuple[Contract, ...]], systems: Iterable[str]) -> dict[str, list[str]]:
    """Of ``systems``, those a contract promises to return the data of in an open format → those contracts."""
    out = {}
    for s in systems:
        ids = [c.id for c in cover.get(s, ()) if c.data_return == "open_format"]
        if ids:
            out[s] = ids
    return out


def foreign_law(cover: dict[str, tuple[Contract, ...]], systems: Iterable[str]) -> dict[str, list[str]]:
    """Contracts covering ``systems`` whose governing law or court is outside the EU/EEA → those countries."""
    out: dict[str, list[str]] = {}
    for s in systems:
        for c in cover.get(s, ()):
            codes = sorted({x for x in (c.governing_law, c.court) if x and not country(x).eea})
            if codes:
                out[c.id] = codes
    return dict(sorted(out.items()))


def _sold(g: nx.MultiDiGraph, supplier: str) -> bool:
    """Whether ``supplier`` or one of its owners up the chain was bought in a what-if (its control changed)."""
    seen = set()
    cur: str | None = supplier
    while cur is not None and cur not in seen:
        if g.nodes.get(cur, {}).get(ACQUIRED_BY):
            return True
        seen.add(cur)
        cur = next((t for _, t, k in g.out_edges(cur, keys=True) if k == "owned_by"), None) if cur in g else None
    return False


def change_of_control(g: nx.MultiDiGraph, cover: dict[str, tuple[Contract, ...]], parties: dict[str, Iterable[str]]
                      ) -> dict[str, list[str]]:
    """Of the systems in ``parties`` (system → its suppliers in one group), those covered by a contract with a
    change-of-control clause whose supplier's control changed in a what-if sale → those contracts.

    The clause counts when the contract's supplier, or an owner of it, was bought; a contract without a
    supplier counts when one of the system's own suppliers was.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("S-NL", kind="supplier", name="Rijnstad", acquired_by="acquirer:US")
    >>> g.add_node("C-1", kind="contract", name="Hosting", change_of_control="yes")
    >>> _ = g.add_edge("C-1", "SYS", key="covers"); _ = g.add_edge("C-1", "S-NL", key="contracted_from")
    >>> change_of_control(g, covering(g), {"SYS": ["S-NL"]})
    {'SYS': ['C-1']}
    """
    out = {}
    for s, suppliers in parties.items():
        ids = [c.id for c in cover.get(s, ()) if c.change_of_control == "yes"
               and (_sold(g, c.supplier) if c.supplier else any(_sold(g, x) for x in suppliers))]
        if ids:
            out[s] = ids
    return out
