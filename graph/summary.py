"""Key figures of an inventory graph: counts, suppliers by country, non-European chains.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("S-1", kind="supplier", name="Kynthos IE", country="IE")
>>> g.add_node("S-2", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("S-1", "S-2", key="owned_by")
>>> s = inventory_summary(g)
>>> [(r["country"], r["suppliers"]) for r in s["suppliers_by_country"]]
[('IE', 1), ('US', 1)]
>>> [[x["id"] for x in r["chain"]] for r in s["non_european_chains"]]
[['S-1', 'S-2']]
>>> s["non_european_chains"][0]["reason"]
'S-1 → S-2: US'
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary

from .model import kind_counts, nodes_of_kind
from .ownership import ownership_chain, owners, verdicts

__all__ = ["inventory_summary"]


def inventory_summary(g: nx.MultiDiGraph, policy=None) -> dict:
    """Counts per kind, suppliers per country, ownership chains reaching outside the EU/EEA, and unknown ownership.

    A chain is listed for each supplier that has an owner or co-owner and whose
    legal reach (:func:`sovmap.graph.ownership.legal_reach`) has a country outside
    the EU/EEA, with the path as ``reason``. ``ownership_unknown`` lists the
    suppliers whose European verdict is unknown, with the reason.
    """
    counts = kind_counts(g)
    ordered = {k.id: counts.get(k.id, 0) for k in vocabulary().kinds}
    by_country = Counter(g.nodes[s].get("country") or "" for s in nodes_of_kind(g, "supplier"))
    rows = []
    for code, n in sorted(by_country.items(), key=lambda x: (-x[1], x[0])):
        info = country(code) if code else None
        rows.append({"country": code or "?", "name": info.name if info else "(unknown)",
                     "european": info.eea if info else None, "suppliers": n})  # no country: unknown, not non-European
    chains = []
    unknown = []
    verdict = verdicts(g, policy)
    for s in nodes_of_kind(g, "supplier"):
        v = verdict[s]
        if v.european is None:
            unknown.append({"supplier": s, "name": g.nodes[s]["name"], "reason": v.reason})
        if v.european is False and owners(g, s, policy):
            chain = ownership_chain(g, s)
            chains.append({"supplier": s, "reason": v.reason, "chain": [
                {"id": x, "name": g.nodes[x]["name"], "country": g.nodes[x].get("country")} for x in chain]})
    return {"counts": ordered, "suppliers_by_country": rows, "non_european_chains": chains,
            "ownership_unknown": unknown}
