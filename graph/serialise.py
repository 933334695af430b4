"""The graph written as Turtle, JSON-LD, GraphML or GEXF bytes.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS-1", kind="system", name="Mail", exit_plan=None)
>>> b"SYS-1" in serialise(g, "graphml")
True
"""

from __future__ import annotations

import io

import networkx as nx

from .model import edge_rows
from .rdf import to_rdf

__all__ = ["FORMATS", "serialise"]

FORMATS = ("ttl", "jsonld", "graphml", "gexf")


def _plain(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy without empty attributes, with the relation as an edge attribute (GraphML/GEXF need both).

    An edge with several meanings becomes one edge per meaning, as the
    dependencies file lists them: the required one, and one per group with
    ``group`` and ``min_required`` (the formats hold no tuples).
    """
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: v for k, v in d.items() if v is not None})
    for u, v, k, d in g.edges(keys=True, data=True):
        plain = {a: b for a, b in d.items() if b is not None and a not in ("required", "groups")}
        for group, need in edge_rows(d):
            extra = {"group": group, "min_required": need} if group else {}
            h.add_edge(u, v, key=f"{k}/{group}" if group else k, relation=k, **plain, **extra)
    return h


def serialise(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """Return the graph in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "ttl":
        return to_rdf(g).serialize(format="turtle").encode("utf-8")
    if fmt == "jsonld":
        return to_rdf(g).serialize(format="json-ld", indent=2).encode("utf-8")
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(_plain(g), buf)
    elif fmt == "gexf":
        nx.write_gexf(_plain(g), buf)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return buf.getvalue()
