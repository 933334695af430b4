"""SHACL shapes generated from the vocabulary; ``shapes.ttl`` is their committed copy.

A test regenerates the shapes and compares them with ``shapes.ttl``, so the
file never drifts from the ontology.

Examples
--------
>>> g = shapes_graph()
>>> from rdflib import Namespace
>>> SH = Namespace("http://www.w3.org/ns/shacl#")
>>> len(set(g.subjects(SH.targetClass, None)))
9
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .vocab import SOV, vocabulary

__all__ = ["SH", "SHAPES", "shapes_graph", "shapes_turtle", "packaged_shapes"]

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/sovmap/shapes#")


def _prop(g: Graph, shape: URIRef, path: URIRef, **kw) -> BNode:
    p = BNode(f"{shape.split('#')[-1]}_{path.split('#')[-1]}")
    g.add((shape, SH.property, p))
    g.add((p, SH.path, path))
    for key, value in kw.items():
        if key == "in_":
            lst = BNode(f"{p}_in")
            Collection(g, lst, list(value))
            g.add((p, SH["in"], lst))
        elif key == "or_":
            lst = BNode(f"{p}_or")
            items = []
            for i, cls in enumerate(value):
                b = BNode(f"{p}_or{i}")
                g.add((b, SH["class"], cls))
                items.append(b)
            Collection(g, lst, items)
            g.add((p, SH["or"], lst))
        else:
            g.add((p, SH[key], value if isinstance(value, (URIRef, Literal)) else Literal(value)))
    return p


_PATTERNS = {"date": r"^\d{4}-\d{2}-\d{2}$", "months": r"^\d+$", "country": "^[A-Z]{2}$",
             "region": "^([A-Z]{2}|EU|EEA)$"}


def shapes_graph() -> Graph:
    """Build the SHACL shapes for every kind, relation and value list of the vocabulary."""
    v = vocabulary()
    kind_iri = {k.id: k.iri for k in v.kinds}
    g = Graph()
    g.bind("sh", SH)
    g.bind("sov", SOV)
    g.bind("shapes", SHAPES)
    for k in v.kinds:
        shape = SHAPES[k.iri.split("#")[-1] + "Shape"]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, k.iri))
        if k.id == "country":
            _prop(g, shape, URIRef("http://www.w3.org/2004/02/skos/core#notation"), minCount=1, maxCount=1,
                  datatype=XSD.string, pattern="^[A-Z]{2}$")
            continue
        for c in k.columns:
            if c.relation or c.country:
                continue
            kw = {"maxCount": 1}
            if c.required:
                kw["minCount"] = 1
            if c.enum:
                kw["in_"] = [ev.iri for ev in v.enum(c.enum).values]
            else:
                kw["datatype"] = XSD.string
                if c.cell_format in _PATTERNS:  # stored normalised: an ISO date, whole months, a code
                    kw["pattern"] = _PATTERNS[c.cell_format]
            _prop(g, shape, c.iri, **kw)
        for r in v.relations:
            if k.id not in r.domain:
                continue
            kw = {"nodeKind": SH.IRI}
            if r.id in ("owned_by", "part_of", "contracted_from") or r.range == ("country",):
                kw["maxCount"] = 1
            if len(r.range) == 1:
                kw["class"] = kind_iri[r.range[0]]
            else:
                kw["or_"] = [kind_iri[x] for x in r.range]
            _prop(g, shape, r.iri, **kw)
    gs = SHAPES.RequirementGroupShape
    g.add((gs, RDF.type, SH.NodeShape))
    g.add((gs, SH.targetClass, SOV.RequirementGroup))
    _prop(g, gs, SOV.groupOf, minCount=1, maxCount=1, nodeKind=SH.IRI)
    _prop(g, gs, SOV.alternativeGroup, minCount=1, maxCount=1, datatype=XSD.string)
    _prop(g, gs, SOV.minRequired, minCount=1, maxCount=1, datatype=XSD.integer, minInclusive=1)
    _prop(g, gs, SOV.groupMember, minCount=1, nodeKind=SH.IRI)
    cs = SHAPES.CoOwnershipShape
    g.add((cs, RDF.type, SH.NodeShape))
    g.add((cs, SH.targetObjectsOf, SOV.coOwnership))
    _prop(g, cs, SOV.coOwner, minCount=1, maxCount=1, nodeKind=SH.IRI)
    _prop(g, cs, SOV.share, maxCount=1, datatype=XSD.decimal, minExclusive=Literal(0), maxInclusive=Literal(100))
    return g


def shapes_turtle() -> str:
    """The generated shapes as Turtle (what ``shapes.ttl`` must contain)."""
    return shapes_graph().serialize(format="turtle")


@cache
def _packaged_shapes_text() -> str:
    return resources.files("sovmap.ontology").joinpath("shapes.ttl").read_text("utf-8")


def packaged_shapes() -> Graph:
    """The committed ``shapes.ttl``, a fresh graph on every call.

    pyshacl adds triples to the shapes graph it is given, so a shared cached
    graph would change with every validation.
    """
    g = Graph()
    g.parse(data=_packaged_shapes_text(), format="turtle")
    return g
