"""The ontology, the SHACL shapes and the RDF export agree."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from sovmap.graph.model import build_graph, graph_signature
from sovmap.graph.rdf import from_rdf, node_iri, to_rdf
from sovmap.ingest.validate import load
from sovmap.ontology.shapes import packaged_shapes, shapes_graph
from sovmap.ontology.vocab import SOV, ontology_graph, vocabulary


@pytest.fixture(scope="module")
def demo_rdf(demo_path):
    inv, _ = load(demo_path)
    return build_graph(inv), to_rdf(build_graph(inv))


def test_shapes_file_is_generated_from_the_ontology():
    assert isomorphic(shapes_graph(), packaged_shapes()), "run: python -c 'from sovmap.ontology.shapes import ...' to regenerate ontology/shapes.ttl"


def test_demo_turtle_export_conforms_to_the_shapes(demo_rdf):
    _, rdf = demo_rdf
    text = rdf.serialize(format="turtle")
    parsed = Graph().parse(data=text, format="turtle")
    conforms, _, report = pyshacl.validate(parsed, shacl_graph=packaged_shapes(), ont_graph=ontology_graph(),
                                           inference="none")
    assert conforms, report[:2000]


def test_shapes_catch_a_missing_name_and_a_bad_value(demo_rdf):
    _, rdf = demo_rdf
    broken = Graph()
    for t in rdf:
        broken.add(t)
    s = node_iri("SYS-XLS-WMO")
    broken.remove((s, SOV.name, None))
    broken.add((node_iri("P-BRP"), SOV.criticality, Literal("extreem")))
    conforms, results, report = pyshacl.validate(broken, shacl_graph=packaged_shapes(), inference="none")
    assert not conforms
    assert "SYS-XLS-WMO" in report and "P-BRP" in report


def test_turtle_to_graph_to_turtle_is_isomorphic(demo_rdf):
    g, rdf = demo_rdf
    parsed = Graph().parse(data=rdf.serialize(format="turtle"), format="turtle")
    back = from_rdf(parsed)
    assert graph_signature(back) == graph_signature(g)
    assert isomorphic(to_rdf(back), parsed)


def test_ids_with_spaces_and_quotes_survive(tmp_path):
    from tests.conftest import write_inventory

    write_inventory(tmp_path, {"systems.csv": 'id,name,supplier_id\n"SYS 1/""x""",Mail,S#1\n',
                               "suppliers.csv": "id,name\nS#1,Kynthos\n"})
    inv, problems = load(tmp_path)
    g = build_graph(inv)
    assert graph_signature(from_rdf(to_rdf(g))) == graph_signature(g)


def test_every_kind_relation_and_value_has_english_and_dutch_labels():
    v = vocabulary()
    for thing in list(v.kinds) + list(v.relations) + [ev for e in v.enums.values() for ev in e.values]:
        assert thing.label("en") and thing.label("nl") and "nl" in thing.labels, thing
