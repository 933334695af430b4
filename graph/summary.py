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
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary

from .model import kind_counts, nodes_of_kind
from .ownership import is_european, ownership_chain

__all__ = ["inventory_summary"]


def inventory_summary(g: nx.MultiDiGraph) -> dict:
    """Counts per kind, suppliers per country, and ownership chains ending outside the EU/EEA.

    A chain is listed for each supplier that has an owner and whose chain has a
    party registered outside the EU/EEA.
    """
    counts = kind_counts(g)
    ordered = {k.id: counts.get(k.id, 0) for k in vocabulary().kinds}
    by_country = Counter(g.nodes[s].get("country") or "" for s in nodes_of_kind(g, "supplier"))
    rows = []
    for code, n in sorted(by_country.items(), key=lambda x: (-x[1], x[0])):
        info = country(code) if code else None
        rows.append({"country": code or "?", "name": info.name if info else "(unknown)",
                     "european": bool(info and info.eea), "suppliers": n})
    chains = []
    for s in nodes_of_kind(g, "supplier"):
        chain = ownership_chain(g, s)
        if len(chain) > 1 and is_european(g, s) is False:
            chains.append({"supplier": s, "chain": [
                {"id": x, "name": g.nodes[x]["name"], "country": g.nodes[x].get("country")} for x in chain]})
    return {"counts": ordered, "suppliers_by_country": rows, "non_european_chains": chains}
