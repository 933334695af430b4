"""relies_on: one process needs another (or the service it provides); failure flows along it like any dependency."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph

from sovmap.graph.assessment import assess, assessment_facts
from sovmap.graph.concentration import rank_supplier_groups, reaching_members, single_points_of_failure
from sovmap.graph.impact import impact
from sovmap.graph.model import build_graph, graph_signature
from sovmap.graph.propagation import propagate, reference_fixpoint
from sovmap.graph.rdf import from_rdf, node_iri, to_rdf
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load_files
from sovmap.ingest.write import write_csv_folder
from sovmap.ontology.shapes import packaged_shapes
from sovmap.ontology.vocab import SOV, ontology_graph, vocabulary
from sovmap.store.cypher import reach_query, relationship_merge, type_of

SUPPLIERS = "id,name,country\nS-US,Kynthos Cloud,US\nS-EU,Nordlicht,DE\n"
SYSTEMS = "id,name,supplier_id\nSYS-US,Cloud mail,S-US\nSYS-EU,Mail,S-EU\n"


def load(processes: str, dependencies: str):
    inv, problems = load_files([("suppliers.csv", SUPPLIERS.encode()), ("systems.csv", SYSTEMS.encode()),
                                ("processes.csv", processes.encode()), ("dependencies.csv", dependencies.encode())])
    return inv, [p for p in problems if p.severity == "error"]


def graph(processes: str, dependencies: str):
    inv, errors = load(processes, dependencies)
    assert not errors, errors
    return build_graph(inv)


# A (vital) relies on B (no criticality), B uses a system of a US supplier.
CHAIN = ("id,name,criticality\nP-A,Permits,vital\nP-B,Registry,\n",
         "from_id,to_id,type\nP-A,P-B,relies_on\nP-B,SYS-US,\n")


class TestVocabulary:
    def test_relation_is_named_as_agreed(self):
        r = vocabulary().relation("relies_on")
        assert (r.iri, r.neo4j_type, r.labels["en"], r.labels["nl"]) == (SOV.reliesOn, "RELIES_ON", "relies on", "steunt op")
        assert r.propagates and r.dependency_type
        assert (r.domain, r.range, r.implied) == (("process",), ("process",), (("process", "process"),))
        assert "relies_on" in vocabulary().propagating()

    def test_neo4j_type_comes_from_the_ontology(self):
        assert type_of("relies_on") == "RELIES_ON"
        assert "CREATE (a)-[r:RELIES_ON]->(b)" in relationship_merge("relies_on").splitlines()
        assert "RELIES_ON" in reach_query().split("|")


class TestValidation:
    def test_named_dutch_and_implied_types_are_accepted(self):
        inv, errors = load("id,name\nP-A,A\nP-B,B\nP-C,C\nP-D,D\n",
                           "van,naar,soort\nP-A,P-B,relies_on\nP-B,P-C,steunt op\nP-C,P-D,\n")
        assert not errors
        assert sorted((e.source, e.relation, e.target) for e in inv.edges if e.source.startswith("P-")) == [
            ("P-A", "relies_on", "P-B"), ("P-B", "relies_on", "P-C"), ("P-C", "relies_on", "P-D")]

    @pytest.mark.parametrize("row,line_value", [("P-A,SYS-US,relies_on", "A process cannot be \"relies_on\" a system."),
                                                ("SYS-US,P-A,relies_on", "A system cannot be \"relies_on\" a process.")])
    def test_wrong_kinds_are_reported_on_their_line(self, row, line_value):
        _, errors = load("id,name\nP-A,A\nP-B,B\n", f"from_id,to_id,type\nP-A,P-B,relies_on\n{row}\n")
        assert [(p.rule, p.file, p.line, p.column, p.value) for p in errors] == [
            ("type-mismatch", "dependencies.csv", 3, "type", "relies_on")]
        assert errors[0].message == line_value
        assert '"relies_on" goes from process to process.' in errors[0].hint

    def test_unknown_type_lists_relies_on_among_the_accepted(self):
        _, errors = load("id,name\nP-A,A\nP-B,B\n", "from_id,to_id,type\nP-A,P-B,leans_on\n")
        assert errors[0].rule == "unknown-type" and "relies_on (steunt op)" in errors[0].hint


class TestPropagation:
    def test_cutting_the_supplier_of_a_relied_on_process_fails_both(self):
        g = graph(*CHAIN)
        r = propagate(g, ["S-US"])
        assert sorted(r.failed) == ["P-A", "P-B", "SYS-US"]
        assert r.chain("P-A") == ["P-A", "P-B", "SYS-US", "S-US"]
        assert reference_fixpoint(g, ["S-US"])[0] == set(r.failed)

    def test_a_cycle_of_processes_does_not_loop(self):
        g = graph("id,name,criticality\nP-A,A,vital\nP-B,B,high\nP-C,C,low\n",
                  "from_id,to_id,type\nP-A,P-B,relies_on\nP-B,P-A,relies_on\nP-B,P-C,\nP-C,P-A,\nP-C,SYS-EU,\n")
        assert sorted(propagate(g, ["S-US"]).failed) == ["SYS-US"]
        r = propagate(g, ["S-EU"])
        assert sorted(r.failed) == ["P-A", "P-B", "P-C", "SYS-EU"]
        assert r.chain("P-A") == ["P-A", "P-B", "P-C", "SYS-EU", "S-EU"]
        facts = assessment_facts(g)
        assert facts.runs_on["P-A"] == facts.runs_on["P-C"] == frozenset({"SYS-EU"})

    def test_a_k_of_n_group_of_processes_only_degrades(self):
        g = graph("id,name,criticality\nP-A,A,vital\nP-B,B,\nP-C,C,\n",
                  "from_id,to_id,type,alternative_group,min_required\n"
                  "P-A,P-B,relies_on,registry,1\nP-A,P-C,relies_on,registry,1\nP-B,SYS-US,,,\nP-C,SYS-EU,,,\n")
        assert g.edges["P-A", "P-B", "relies_on"] == {"required": False, "groups": (("registry", 1),)}
        r = propagate(g, ["S-US"])
        assert sorted(r.failed) == ["P-B", "SYS-US"] and sorted(r.degraded) == ["P-A"]
        assert sorted(propagate(g, ["S-US", "S-EU"]).failed) == ["P-A", "P-B", "P-C", "SYS-EU", "SYS-US"]
        assert single_points_of_failure(g)[0]["single_points_of_failure"] == []


class TestAnalyses:
    def test_spof_of_the_relying_process_is_the_supplier_group(self):
        g = graph(*CHAIN)
        [row] = single_points_of_failure(g)
        assert row["id"] == "P-A"
        assert [(s["supplier_group"], s["european"], s["countries"]) for s in row["single_points_of_failure"]] == [
            ("S-US", False, ["US"])]
        assert reaching_members(g, "P-A", ["S-US", "S-EU"]) == ["S-US"]

    def test_rank_counts_both_processes(self):
        rows = {r["supplier_group"]: r for r in rank_supplier_groups(graph(*CHAIN))}
        assert (rows["S-US"]["failed_processes"], rows["S-US"]["failed_vital_high"]) == (2, 1)
        assert rows["S-EU"]["failed_processes"] == 0

    def test_impact_why_chain_runs_through_the_relied_on_process(self):
        r = impact(graph(*CHAIN), Scenario(suppliers=["S-US"]))
        a = next(x for x in r["failed"] if x["id"] == "P-A")
        assert a["why_text"].startswith("P-A → P-B → SYS-US → S-US")

    def test_assessment_follows_the_relation(self):
        g = graph(*CHAIN)
        a = next(x for x in assess(g)["items"] if x["id"] == "P-A")
        assert a["operational"]["level"] == "not_in_control"
        assert assessment_facts(g).runs_on["P-A"] == frozenset({"SYS-US"})


class TestRoundTrips:
    def test_rdf_round_trip_and_shacl(self):
        g = graph(*CHAIN)
        rdf = to_rdf(g)
        assert (node_iri("P-A"), SOV.reliesOn, node_iri("P-B")) in rdf
        parsed = Graph().parse(data=rdf.serialize(format="turtle"), format="turtle")
        assert graph_signature(from_rdf(parsed)) == graph_signature(g)
        conforms, _, report = pyshacl.validate(parsed, shacl_graph=packaged_shapes(), ont_graph=ontology_graph(),
                                               inference="none")
        assert conforms, report[:2000]

    def test_shacl_refuses_relies_on_a_system(self):
        rdf = to_rdf(graph(*CHAIN))
        rdf.add((node_iri("P-A"), SOV.reliesOn, node_iri("SYS-EU")))
        conforms, _, report = pyshacl.validate(rdf, shacl_graph=packaged_shapes(), inference="none")
        assert not conforms and "reliesOn" in report

    def test_written_inventory_loads_to_the_same_graph(self, tmp_path):
        g = graph(*CHAIN)
        write_csv_folder(g, tmp_path)
        deps = (tmp_path / "dependencies.csv").read_text("utf-8")
        assert "P-A,P-B" in deps
        from sovmap.ingest.validate import load as load_path
        inv, _ = load_path(tmp_path)
        assert graph_signature(build_graph(inv)) == graph_signature(g)
