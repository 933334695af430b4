"""The RDF export written as a stream: Turtle or JSON-LD, a slice of nodes at a time, in bounded memory.

rdflib's serialisers need the whole graph in one rdflib Graph (gigabytes for
a national inventory) and its Turtle writer then sorts and cross-references
every subject. Here :func:`~sovmap.graph.rdf.to_rdf` itself is run on slices
of the graph: each slice holds some nodes with their outgoing edges, plus
the nodes those edges reach (so that ``to_rdf`` sees a complete graph); the
triples ``to_rdf`` makes for those reached nodes alone are taken out again,
as their own slice writes them. The union over the slices is exactly
``to_rdf`` of the whole graph, whatever triples it makes, as long as a
node's triples depend on the node and an edge's on the edge and its source.
Each subject's triples are written as one block, in the order to_rdf makes them.

Examples
--------
>>> import io
>>> import networkx as nx
>>> from rdflib import Graph
>>> from rdflib.compare import isomorphic
>>> from sovmap.graph.rdf import to_rdf
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS-1", kind="system", name='Mail "quoted"\\n', exit_plan="no")
>>> g.add_node("S-1", kind="supplier", name="Kynthos")
>>> _ = g.add_edge("SYS-1", "S-1", key="provided_by")
>>> buf = io.BytesIO()
>>> write_turtle(g, buf)
>>> isomorphic(Graph().parse(data=buf.getvalue(), format="turtle"), to_rdf(g))
True
>>> buf = io.BytesIO()
>>> write_jsonld(g, buf)
>>> isomorphic(Graph().parse(data=buf.getvalue(), format="json-ld"), to_rdf(g))
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, BNode, Literal
from rdflib.namespace import SKOS

from sovmap.ontology.vocab import SOV

from .rdf import EXTRA, to_rdf

__all__ = ["write_turtle", "write_jsonld", "rdf_slices", "SLICE"]

SLICE = 10_000  # nodes per slice: big enough that to_rdf's fixed cost is spread, small enough to stay in memory

PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "sov": str(SOV), "x": str(EXTRA), "xsd": str(XSD)}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a local name that needs no escaping in Turtle
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# In literals: what Turtle requires escaped, plus what could steer a terminal (controls, bidi overrides).
_ESCAPE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\"\\\\\u202a-\u202e\u2066-\u2069]")
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class _Triples(dict):
    """The triples :func:`~sovmap.graph.rdf.to_rdf` adds, without repeats, in the order it adds them."""

    def add(self, triple) -> None:
        self[triple] = None

    def bind(self, prefix, namespace) -> None:
        pass


def rdf_slices(g: nx.MultiDiGraph, size: int = SLICE) -> Iterator[dict]:
    """The triples of :func:`~sovmap.graph.rdf.to_rdf` of ``g``, per slice of nodes (dict keys, in to_rdf's order)."""
    nodes = list(g.nodes)
    for start in range(0, len(nodes), size):
        part = nodes[start:start + size]
        own = set(part)
        h = nx.MultiDiGraph()
        reached = nx.MultiDiGraph()
        h.add_nodes_from((n, g.nodes[n]) for n in part)
        for n in part:
            for _, t, key, d in g.out_edges(n, keys=True, data=True):
                if t not in h:
                    h.add_node(t, **g.nodes[t])
                if t not in own and t not in reached:
                    reached.add_node(t, **g.nodes[t])
                h.add_edge(n, t, key=key, **d)
        triples = to_rdf(h, _Triples())
        if len(reached):
            for t in to_rdf(reached, _Triples()):  # the reached nodes' own triples: written with their own slice
                triples.pop(t, None)
        yield triples


class _Terms:
    """Turtle text of terms; vocabulary IRIs (few, repeated) are remembered."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        text = self._iris.get(iri)
        if text is not None:
            return text
        for prefix, base in PREFIXES.items():
            if iri.startswith(base) and _LOCAL.fullmatch(iri[len(base):]):
                text = f"{prefix}:{iri[len(base):]}"
                if len(self._iris) < 100_000:
                    self._iris[iri] = text
                return text
        return _iriref(iri)

    def term(self, t) -> str:
        if isinstance(t, Literal):
            text = '"' + _ESCAPE.sub(_escape_char, str(t)) + '"'
            if t.language:
                return f"{text}@{t.language}"
            if t.datatype is not None and t.datatype != XSD.string:
                return f"{text}^^{self.iri(str(t.datatype))}"
            return text
        if isinstance(t, BNode):
            return f"_:{t}"
        return self.iri(str(t))


def _escape_char(m: re.Match) -> str:
    c = m.group()
    return _SHORT.get(c) or f"\\u{ord(c):04X}"


def _iriref(iri: str) -> str:
    """``<iri>``, with any character an IRI may not hold percent-encoded (node IRIs never have one)."""
    if _NOT_IRI.search(iri):
        iri = _NOT_IRI.sub(lambda m: quote(m.group(), safe=""), iri)
    return f"<{iri}>"


def _by_subject(triples) -> dict:
    """subject → predicate → objects, each in the order the triples came."""
    out: dict = {}
    for s, p, o in triples:
        preds = out.get(s)
        if preds is None:
            preds = out[s] = {}
        objs = preds.get(p)
        if objs is None:
            preds[p] = [o]
        else:
            objs.append(o)
    return out


def write_turtle(g: nx.MultiDiGraph, out: BinaryIO, size: int = SLICE) -> None:
    """Write :func:`~sovmap.graph.rdf.to_rdf` of ``g`` to ``out`` as Turtle (UTF-8), a slice of nodes at a time."""
    vocab = _Terms()
    out.write("".join(f"@prefix {p}: <{base}> .\n" for p, base in PREFIXES.items()).encode("utf-8"))
    for triples in rdf_slices(g, size):
        seen: dict = {}  # this slice's terms as text: a node reached by many edges is written out once

        def term(t):
            text = seen.get(t)
            if text is None:
                text = seen[t] = vocab.term(t)
            return text

        lines = []
        for s, preds in _by_subject(triples).items():
            lines.append("\n" + term(s) + " ")
            lines.append(" ;\n    ".join(("a" if p == RDF.type else term(p)) + " " + ",\n        ".join(map(term, objs))
                                         for p, objs in preds.items()))
            lines.append(" .\n")
        out.write("".join(lines).encode("utf-8"))


def _json_object(t) -> dict:
    if isinstance(t, Literal):
        obj: dict = {"@value": str(t)}
        if t.language:
            obj["@language"] = t.language
        elif t.datatype is not None and t.datatype != XSD.string:
            obj["@type"] = str(t.datatype)
        return obj
    return {"@id": f"_:{t}" if isinstance(t, BNode) else str(t)}


def write_jsonld(g: nx.MultiDiGraph, out: BinaryIO, size: int = SLICE) -> None:
    """Write :func:`~sovmap.graph.rdf.to_rdf` of ``g`` to ``out`` as expanded JSON-LD, a slice of nodes at a time.

    The document is one JSON array with an object per subject (full IRIs, no
    context), as rdflib writes JSON-LD without a context.
    """
    out.write(b"[")
    first = True
    for triples in rdf_slices(g, size):
        parts = []
        for s, preds in _by_subject(triples).items():
            node: dict = {"@id": f"_:{s}" if isinstance(s, BNode) else str(s)}
            for p, objs in preds.items():
                for o in objs:
                    if p == RDF.type and not isinstance(o, Literal):
                        node.setdefault("@type", []).append(str(o))
                    else:
                        node.setdefault(str(p), []).append(_json_object(o))
            parts.append(json.dumps(node, ensure_ascii=False))
        if parts:
            out.write((("\n" if first else ",\n") + ",\n".join(parts)).encode("utf-8"))
            first = False
    out.write(b"\n]\n")
