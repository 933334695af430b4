"""The dependency graph as RDF (sovmap ontology terms), and back.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS-1", kind="system", name="Mail", exit_plan="no")
>>> g.add_node("S-1", kind="supplier", name="Kynthos")
>>> _ = g.add_edge("SYS-1", "S-1", key="provided_by")
>>> rdf = to_rdf(g)
>>> len(rdf)
8
>>> from_rdf(rdf).nodes["SYS-1"]["exit_plan"]
'no'
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote, unquote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from sovmap.ontology.countries import EU_AUTHORITY, country, country_iri
from sovmap.ontology.vocab import NODE_BASE, SOV, vocabulary

from .model import add_meaning, edge_meaning

__all__ = ["to_rdf", "from_rdf", "node_iri", "EXTRA"]

EXTRA = Namespace("https://w3id.org/sovmap/ns/extra#")


def node_iri(node_id: str) -> URIRef:
    """The IRI of an inventory node; countries use the EU Publications Office authority table."""
    if node_id.startswith("country:"):
        return URIRef(country_iri(node_id.split(":", 1)[1]))
    return URIRef(NODE_BASE + quote(node_id, safe=""))


def _group_iri(node_id: str, group: str) -> URIRef:
    return URIRef(NODE_BASE + quote(node_id, safe="") + "/group/" + quote(group, safe=""))


def _co_ownership_iri(node_id: str, owner: str) -> URIRef:
    return URIRef(NODE_BASE + quote(node_id, safe="") + "/co-owner/" + quote(owner, safe=""))


def _columns():
    v = vocabulary()
    cols = {}
    for k in v.kinds:
        for c in k.columns:
            if not c.relation and not c.country and c.key not in ("id", "name"):
                cols[(k.id, c.key)] = c
    return cols


def to_rdf(g: nx.MultiDiGraph, out=None) -> Graph:
    """Return the graph as RDF triples in the sovmap vocabulary.

    ``out``: where to add the triples instead of a new rdflib Graph, any
    object with ``add(triple)`` and ``bind(prefix, namespace)`` (the streamed
    export collects them in a set: an rdflib store costs most of the time).
    """
    v = vocabulary()
    kinds = {k.id: k for k in v.kinds}
    cols = _columns()
    rels = {r.id: r for r in v.relations}
    country_keys = {c.key for k in v.kinds for c in k.columns if c.country}
    out = Graph() if out is None else out
    out.bind("sov", SOV)
    out.bind("x", EXTRA)
    out.bind("skos", SKOS)
    for n, d in g.nodes(data=True):
        s = node_iri(n)
        kind = d["kind"]
        out.add((s, RDF.type, kinds[kind].iri))
        if kind == "country":
            out.add((s, SKOS.notation, Literal(d["code"])))
            out.add((s, RDFS.label, Literal(d["name"], lang="en")))
            continue
        out.add((s, SOV.id, Literal(n)))
        out.add((s, SOV.name, Literal(d["name"])))
        for key, value in d.items():
            if key in ("kind", "name") or key in country_keys or value is None:
                continue
            col = cols.get((kind, key))
            if col is None:
                out.add((s, EXTRA[quote(key, safe="")], Literal(str(value))))
            elif col.enum:
                out.add((s, col.iri, v.enum(col.enum).get(value).iri))
            else:
                out.add((s, col.iri, Literal(value)))
    # A required dependency is a triple of its own; a membership of a group of alternatives is the group's
    # groupMember plus the relation from the group node to the member (which relation makes it one).
    for u, t, rel, d in g.edges(keys=True, data=True):
        required, groups = edge_meaning(d)
        if required:
            out.add((node_iri(u), rels[rel].iri, node_iri(t)))
        if rel == "co_owned_by" and d.get("share") is not None:  # the share qualifies the relation
            q = _co_ownership_iri(u, t)
            out.add((node_iri(u), SOV.coOwnership, q))
            out.add((q, SOV.coOwner, node_iri(t)))
            out.add((q, SOV.share, Literal(Decimal(str(d["share"])), datatype=XSD.decimal)))
        for name, k in groups:
            gi = _group_iri(u, name)
            out.add((gi, RDF.type, SOV.RequirementGroup))
            out.add((gi, SOV.groupOf, node_iri(u)))
            out.add((gi, SOV.alternativeGroup, Literal(name)))
            out.add((gi, SOV.minRequired, Literal(int(k), datatype=XSD.integer)))
            out.add((gi, SOV.groupMember, node_iri(t)))
            out.add((gi, rels[rel].iri, node_iri(t)))
    return out


def _node_id(iri: URIRef) -> str:
    text = str(iri)
    if text.startswith(EU_AUTHORITY):
        import pycountry

        return "country:" + pycountry.countries.get(alpha_3=text[len(EU_AUTHORITY):]).alpha_2
    return unquote(text[len(NODE_BASE):])


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """Rebuild the networkx graph from RDF written by :func:`to_rdf`."""
    v = vocabulary()
    kind_by_iri = {k.iri: k.id for k in v.kinds}
    rel_by_iri = {r.iri: r.id for r in v.relations}
    col_by_iri = {c.iri: c for c in _columns().values()}
    value_by_iri = {ev.iri: ev.id for e in v.enums.values() for ev in e.values}
    country_key = {c.country_relation: c.key for k in v.kinds for c in k.columns if c.country}
    g = nx.MultiDiGraph()
    for s, kind_iri in rdf.subject_objects(RDF.type):
        kind = kind_by_iri.get(kind_iri)
        if kind is None:
            continue
        n = _node_id(s)
        if kind == "country":
            code = str(rdf.value(s, SKOS.notation))
            g.add_node(n, kind="country", name=country(code).name, code=code)
            continue
        attrs = {"kind": kind, "name": str(rdf.value(s, SOV.name))}
        for p, o in rdf.predicate_objects(s):
            if p in col_by_iri:
                attrs[col_by_iri[p].key] = value_by_iri.get(o, str(o))
            elif str(p).startswith(str(EXTRA)):
                attrs[unquote(str(p)[len(str(EXTRA)):])] = str(o)
        g.add_node(n, **attrs)
    group_iris = set(rdf.subjects(RDF.type, SOV.RequirementGroup))
    for s, p, o in rdf:
        rel = rel_by_iri.get(p)
        if rel is None or s in group_iris:
            continue
        u, t = _node_id(s), _node_id(o)
        if rel in country_key:
            g.nodes[u][country_key[rel]] = t.split(":", 1)[1]
        g.add_edge(u, t, key=rel)
    for s, q in rdf.subject_objects(SOV.coOwnership):
        u, t = _node_id(s), _node_id(rdf.value(q, SOV.coOwner))
        if g.has_edge(u, t, key="co_owned_by"):
            g[u][t]["co_owned_by"]["share"] = float(rdf.value(q, SOV.share))
    for gi in group_iris:
        u = _node_id(rdf.value(gi, SOV.groupOf))
        name = str(rdf.value(gi, SOV.alternativeGroup))
        k = int(rdf.value(gi, SOV.minRequired))
        typed = [(rel_by_iri[p], _node_id(o)) for p, o in rdf.predicate_objects(gi) if p in rel_by_iri]
        if typed:
            for rel, t in typed:
                if g.has_edge(u, t, rel):
                    add_meaning(g[u][t][rel], name, k)
                else:
                    g.add_edge(u, t, key=rel, required=False, groups=((name, k),))
            continue
        # Written before memberships named their relation: the member's own triples were the membership.
        for m in rdf.objects(gi, SOV.groupMember):
            t = _node_id(m)
            for d in (g[u][t].values() if g.has_edge(u, t) else ()):
                add_meaning(d, name, k)
                d["required"] = False
    return g
