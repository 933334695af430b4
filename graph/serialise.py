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
import re
from typing import BinaryIO

import networkx as nx

from .model import edge_rows
from .rdf_stream import write_jsonld, write_turtle

__all__ = ["FORMATS", "serialise", "write", "xml_text"]

FORMATS = ("ttl", "jsonld", "graphml", "gexf")


# Characters that XML 1.0 does not allow anywhere, not even escaped: C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    r"""``value`` with the characters XML 1.0 forbids replaced by U+FFFD; other values unchanged.

    >>> xml_text("Kynthos\x1b[31m\x00") == "Kynthos\ufffd[31m\ufffd", xml_text(3)
    (True, 3)
    """
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


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


def _xml_safe(h: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``h`` with ids, keys, attribute names and text values through :func:`xml_text`.

    A control character in a name would otherwise make the file ill-formed XML.
    """
    out = nx.MultiDiGraph()
    for n, d in h.nodes(data=True):
        out.add_node(xml_text(n), **{xml_text(k): xml_text(v) for k, v in d.items()})
    for u, v, k, d in h.edges(keys=True, data=True):
        out.add_edge(xml_text(u), xml_text(v), key=xml_text(k), **{xml_text(a): xml_text(b) for a, b in d.items()})
    return out


def serialise(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """Return the graph in format ``fmt`` (one of :data:`FORMATS`)."""
    buf = io.BytesIO()
    write(g, fmt, buf)
    return buf.getvalue()


def write(g: nx.MultiDiGraph, fmt: str, out: BinaryIO) -> None:
    """Write the graph in format ``fmt`` to the binary stream ``out``; Turtle and JSON-LD are streamed.

    The RDF triples are those of :func:`~sovmap.graph.rdf.to_rdf`, written a
    slice of nodes at a time (:mod:`sovmap.graph.rdf_stream`), so a national
    inventory never sits in memory as one rdflib graph.
    """
    if fmt == "ttl":
        write_turtle(g, out)
        return
    if fmt == "jsonld":
        write_jsonld(g, out)
        return
    if fmt == "graphml":
        nx.write_graphml(_xml_safe(_plain(g)), out)
    elif fmt == "gexf":
        nx.write_gexf(_xml_safe(_plain(g)), out)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
