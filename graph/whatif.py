"""What-if changes to a graph: a supplier is bought by another party.

The Dutch guidance advises agreeing terms for a sale of a supplier to unwanted
parties; this shows what would change. The new parent is a supplier id in the
graph or a country code (a new, unnamed acquirer registered there).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("S-NL", kind="supplier", name="Rijnstad Hosting", country="NL")
>>> h = acquire(g, "S-NL", "US")
>>> h.nodes["acquirer:US"]["country"], list(h.successors("S-NL"))
('US', ['acquirer:US'])
>>> list(g.successors("S-NL"))  # the original graph is unchanged
[]
"""

from __future__ import annotations

import networkx as nx

from sovmap.ontology.countries import country, parse_country

from .contracts import ACQUIRED_BY
from .errors import SovmapError
from .model import country_node, nodes_of_kind
from .scenarios import require_kind

__all__ = ["acquire", "parse_acquisition"]


def parse_acquisition(text: str) -> tuple[str, str]:
    """Split ``SUPPLIER=PARENT``; raise :class:`SovmapError` with a hint when it is malformed."""
    supplier, sep, parent = text.partition("=")
    if not sep or not supplier.strip() or not parent.strip():
        raise SovmapError(f'"{text}" is not SUPPLIER=PARENT, e.g. S-RIJN=S-KYN or S-RIJN=US.')
    return supplier.strip(), parent.strip()


def acquire(g: nx.MultiDiGraph, supplier: str, parent: str) -> nx.MultiDiGraph:
    """A copy of ``g`` in which ``supplier`` is owned by ``parent`` (a supplier id or a country).

    The supplier's earlier owner link is replaced; what it owns comes along. The supplier is marked
    ``acquired_by`` the new parent, so that the assessment counts the change-of-control clauses of its
    contracts (:mod:`sovmap.graph.contracts`).
    """
    require_kind(g, supplier, "supplier")
    h = g.copy()
    if g.nodes.get(parent, {}).get("kind") == "supplier":
        new_parent = parent
        chain = [parent]
        cur = parent
        while True:  # refuse a purchase by one's own subsidiary (it would make a cycle)
            nxt = [t for _, t, k in h.out_edges(cur, keys=True) if k == "owned_by"]
            if not nxt:
                break
            cur = nxt[0]
            chain.append(cur)
        if supplier in chain:
            raise SovmapError(f"{parent} is owned by {supplier}; it cannot buy its own parent.")
    else:
        code = parse_country(parent)
        if code is None:
            raise SovmapError(f'"{parent}" is neither a supplier id nor a country. Suppliers: '
                              + ", ".join(nodes_of_kind(g, "supplier")[:5]) + ", ...; countries like US, CN.")
        new_parent = f"acquirer:{code}"
        if new_parent not in h:
            h.add_node(new_parent, kind="supplier", name=f"Acquirer registered in {country(code).name}", country=code)
            if country_node(code) not in h:
                h.add_node(country_node(code), kind="country", name=country(code).name, code=code)
            h.add_edge(new_parent, country_node(code), key="registered_in")
    for _, t, k in list(h.out_edges(supplier, keys=True)):
        if k == "owned_by":
            h.remove_edge(supplier, t, key=k)
    h.add_edge(supplier, new_parent, key="owned_by")
    h.nodes[supplier][ACQUIRED_BY] = new_parent  # its control changes: change-of-control clauses apply
    return h
