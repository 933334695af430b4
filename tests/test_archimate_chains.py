"""ArchiMate deployment, technology and service chains carry failure: node → artifact → component, service → process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.assessment import assess
from sovmap.graph.model import build_graph
from sovmap.graph.propagation import propagate
from sovmap.ingest.archimate import read_archimate
from sovmap.ingest.archimate_chains import country_in_name, deployables

FIXTURES = Path(__file__).parent / "fixtures" / "archimate"
runner = CliRunner()
NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"
NS21 = "http://www.opengroup.org/xsd/archimate"


def model(elements: str, relationships: str, ns: str = NS3) -> bytes:
    return (f'<model xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">'
            f"<elements>{elements}</elements><relationships>{relationships}</relationships></model>").encode()


def el(ident: str, etype: str, name: str = "") -> str:
    return f'<element identifier="{ident}" xsi:type="{etype}"><name>{name or ident}</name></element>'


def rel(ident: str, rtype: str, source: str, target: str) -> str:
    return f'<relationship identifier="{ident}" source="{source}" target="{target}" xsi:type="{rtype}"/>'


def load(name: str, data: bytes | None = None):
    conv = read_archimate(name, data if data is not None else (FIXTURES / name).read_bytes())
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    return inv, problems


def by_archimate_id(inv) -> dict[str, tuple[str, str]]:
    return {n.attrs["archimate_id"]: (n.id, n.kind) for n in inv.nodes.values() if "archimate_id" in n.attrs}


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


def unmapped(problems) -> list[str]:
    return sorted(p.value for p in problems if p.rule == "unmapped-relationship")


RELATIONSHIPS_IN_DEPLOYMENT_CHAIN = 9
RELATIONSHIPS_IN_SERVICE_CHAIN = 8


@pytest.fixture(scope="module")
def deployment():
    return load("deployment_chain.xml")


@pytest.fixture(scope="module")
def service():
    return load("service_chain.xml")


class TestDeploymentChain:
    """tests/fixtures/archimate/deployment_chain.xml: Node —Assignment→ Artifact —Realization→ ApplicationComponent."""

    def test_deployed_artifact_is_a_system_and_a_data_artifact_stays_data(self, deployment):
        inv, _ = deployment
        ids = by_archimate_id(inv)
        assert ids["art-war"][1] == "system" and inv.nodes[ids["art-war"][0]].attrs["type"] == "Artifact"
        assert ids["art-db"][1] == "dataset"
        assert (ids["art-db"][0], "stored_in", ids["node"][0]) in edges(inv)

    def test_component_depends_on_the_node_through_the_artifact(self, deployment):
        inv, _ = deployment
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert {(ids["app"], "depends_on", ids["art-war"]), (ids["art-war"], "depends_on", ids["node"]),
                (ids["node"], "provided_by", ids["vendor"]), (ids["node"], "hosted_at", ids["loc"]),
                (ids["p-uitk"], "uses", ids["app"])} <= edges(inv)

    def test_every_relationship_is_imported_or_reported(self, deployment):
        inv, problems = deployment
        imported = [e for e in inv.edges if not e.target.startswith("country:")]
        assert unmapped(problems) == ["r-db-data"]  # an artifact realising a data object: data to data
        assert len(imported) + len(unmapped(problems)) == RELATIONSHIPS_IN_DEPLOYMENT_CHAIN

    def test_location_named_after_a_country_lies_there(self, deployment):
        inv, _ = deployment
        loc = inv.nodes[by_archimate_id(inv)["loc"][0]]
        assert loc.attrs["country"] == "IE"

    def test_cutting_the_vendor_fails_the_vital_process(self, deployment):
        inv, _ = deployment
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        r = propagate(build_graph(inv), [ids["vendor"]])
        assert ids["p-uitk"] in r.failed
        assert r.chain(ids["p-uitk"])[-1] == ids["vendor"]

    def test_the_process_is_placed_in_the_nodes_country(self, deployment):
        inv, _ = deployment
        p = next(x for x in assess(build_graph(inv))["items"] if x["id"] == by_archimate_id(inv)["p-uitk"][0])
        assert (p["geographic"]["countries"], p["geographic"]["level"]) == (["IE"], "in_control")

    def test_convert_then_spof_names_the_vendor_group(self, tmp_path):
        out = tmp_path / "inv"
        converted = runner.invoke(app, ["convert", str(FIXTURES / "deployment_chain.xml"), "-o", str(out)])
        assert converted.exit_code == 0, converted.output
        result = runner.invoke(app, ["spof", str(out), "--json"])
        assert result.exit_code == 0, result.output
        [proc] = json.loads(result.stdout)["processes"]
        assert (proc["id"], proc["criticality"]) == ("P-UITKERINGEN-VERSTREKKEN", "vital")
        assert [(s["supplier_group"], s["european"], s["countries"]) for s in proc["single_points_of_failure"]] == [
            ("S-KYNTHOS-CLOUD", False, ["US"])]


class TestServiceChain:
    """tests/fixtures/archimate/service_chain.xml: a BusinessService realised by one process and serving another."""

    def test_serving_process_relies_on_the_realising_one_through_the_service(self, service):
        inv, _ = service
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert {(ids["p-pas"], "relies_on", ids["svc"]), (ids["svc"], "relies_on", ids["p-brp"])} <= edges(inv)

    def test_application_service_chain_is_uses_then_depends_on(self, service):
        inv, _ = service
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert {(ids["p-pas"], "uses", ids["asvc"]), (ids["asvc"], "depends_on", ids["app-rd"])} <= edges(inv)

    def test_triggering_is_reported_not_a_dependency(self, service):
        inv, problems = service
        assert unmapped(problems) == ["r-trigger"]
        imported = [e for e in inv.edges if not e.target.startswith("country:")]
        assert len(imported) + 1 == RELATIONSHIPS_IN_SERVICE_CHAIN

    def test_spof_of_the_serving_process_is_the_vendor_of_the_realising_one(self, tmp_path):
        out = tmp_path / "inv"
        assert runner.invoke(app, ["convert", str(FIXTURES / "service_chain.xml"), "-o", str(out)]).exit_code == 0
        [proc] = json.loads(runner.invoke(app, ["spof", str(out), "--json"]).stdout)["processes"]
        assert proc["id"] == "P-PASPOORT-AANVRAGEN"
        assert {s["supplier_group"]: s["european"] for s in proc["single_points_of_failure"]} == {
            "S-KYNTHOS-SOFTWARE": False, "S-POLDERDATA": True}


class TestTechnologyService:
    def test_technology_service_serving_an_application_carries_failure(self):
        xml = model(el("n", "Node", "VM") + el("t", "TechnologyService", "Object storage") + el("c", "ApplicationComponent")
                    + el("v", "BusinessActor", "Kynthos Cloud") + el("p", "BusinessProcess"),
                    rel("r1", "Realization", "n", "t") + rel("r2", "Serving", "t", "c") + rel("r3", "Serving", "c", "p")
                    + rel("r4", "Serving", "v", "n"))
        inv, problems = load("m.xml", xml)
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert {(ids["c"], "depends_on", ids["t"]), (ids["t"], "depends_on", ids["n"])} <= edges(inv)
        r = propagate(build_graph(inv), [ids["v"]])
        assert r.chain(ids["p"]) == [ids["p"], ids["c"], ids["t"], ids["n"], ids["v"]]
        assert unmapped(problems) == []


class TestDeployables:
    def test_artifact_only_assigned_from_a_node_is_software(self):
        xml = model(el("n", "Device") + el("a", "Artifact", "agent.msi"), rel("r", "Assignment", "n", "a"))
        inv, problems = load("m.xml", xml)
        ids = by_archimate_id(inv)
        assert ids["a"][1] == "system" and (ids["a"][0], "depends_on", ids["n"][0]) in edges(inv)
        assert unmapped(problems) == []

    def test_artifact_on_either_of_two_nodes_through_an_or_junction(self):
        xml = model(el("n1", "Node", "US cloud") + el("n2", "Node", "EU cloud") + el("a", "Artifact", "app.jar")
                    + el("c", "ApplicationComponent", "App") + el("p", "BusinessProcess", "Proc")
                    + '<element identifier="j" xsi:type="Junction" type="or"/>'
                    + el("v1", "BusinessActor", "Kynthos Cloud") + el("v2", "BusinessActor", "Nordlicht"),
                    rel("r1", "Assignment", "n1", "j") + rel("r2", "Assignment", "n2", "j") + rel("r3", "Assignment", "j", "a")
                    + rel("r4", "Realization", "a", "c") + rel("r5", "Serving", "c", "p")
                    + rel("r6", "Serving", "v1", "n1") + rel("r7", "Serving", "v2", "n2"))
        inv, problems = load("m.xml", xml)
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert by_archimate_id(inv)["a"][1] == "system" and unmapped(problems) == []
        assert {(e.target, e.group) for e in inv.edges if e.source == ids["a"]} == {(ids["n1"], "or-j"), (ids["n2"], "or-j")}
        g = build_graph(inv)
        assert ids["p"] not in propagate(g, [ids["v1"]]).failed
        assert ids["p"] in propagate(g, [ids["v1"], ids["v2"]]).failed
        only_assigned = model(el("n1", "Node") + el("n2", "Node") + el("a", "Artifact")
                              + '<element identifier="j" xsi:type="Junction" type="or"/>',
                              rel("r1", "Assignment", "n1", "j") + rel("r2", "Assignment", "n2", "j")
                              + rel("r3", "Assignment", "j", "a"))
        assert deployables(*_parsed(only_assigned)) == {"a"}

    def test_vendor_associated_with_a_deployed_artifact_provides_it(self):
        xml = model(el("n", "Node", "VM") + el("a", "Artifact", "suite.ear") + el("v", "BusinessActor", "Kynthos"),
                    rel("r1", "Assignment", "n", "a") + rel("r2", "Association", "v", "a"))
        inv, problems = load("m.xml", xml)
        ids = by_archimate_id(inv)
        assert ids["v"][1] == "supplier" and (ids["a"][0], "provided_by", ids["v"][0]) in edges(inv)
        assert unmapped(problems) == []

    def test_lonely_artifact_stays_data(self):
        inv, _ = load("m.xml", model(el("a", "Artifact", "export.csv"), ""))
        assert by_archimate_id(inv)["a"][1] == "dataset"

    def test_artifact_realising_system_software_is_software_even_if_it_also_realises_data(self):
        xml = model(el("s", "SystemSoftware", "PostgreSQL") + el("a", "Artifact", "pg.tar") + el("d", "DataObject"),
                    rel("r1", "Realization", "a", "s") + rel("r2", "Realization", "a", "d"))
        assert deployables(*_parsed(xml)) == {"a"}

    def test_archimate_21_names_give_the_same_chain(self):
        xml = model(el("n", "Node", "VM") + el("a", "Artifact", "app.jar") + el("c", "ApplicationComponent", "App")
                    + el("p", "BusinessProcess", "Proc"),
                    rel("r1", "AssignmentRelationship", "n", "a") + rel("r2", "RealisationRelationship", "a", "c")
                    + rel("r3", "UsedByRelationship", "c", "p"), ns=NS21)
        assert deployables(*_parsed(xml)) == {"a"}


def _parsed(xml: bytes):
    """Elements with their kinds and relationships, as read_archimate sees them before deciding artifacts."""
    import xml.etree.ElementTree as ET
    from types import SimpleNamespace

    from sovmap.ingest.archimate import ELEMENT_KINDS, XSI_TYPE

    root = ET.fromstring(xml)
    ns = root.tag[1:].split("}")[0]
    elements = {e.get("identifier"): SimpleNamespace(id=e.get("identifier"), type=e.get(XSI_TYPE),
                                                     kind=ELEMENT_KINDS.get(e.get(XSI_TYPE)))
                for e in root.iter(f"{{{ns}}}element")}
    rels = [SimpleNamespace(type=r.get(XSI_TYPE), source=r.get("source"), target=r.get("target"))
            for r in root.iter(f"{{{ns}}}relationship")]
    return elements, rels


class TestLocationCountry:
    @pytest.mark.parametrize("name,code", [("Nederland", "NL"), ("Rekencentrum Amsterdam, Nederland", "NL"),
                                           ("AWS eu-west-1 (Ireland)", "IE"), ("Datacenter Noord", None),
                                           ("DEN", None), ("Serverruimte - NL", None), ("", None)])
    def test_country_only_from_a_full_name(self, name, code):
        assert country_in_name(name) == code

    @pytest.mark.parametrize("rtype,source,target", [("Aggregation", "l", "n"), ("Assignment", "l", "n"),
                                                     ("Composition", "l", "n")])
    def test_a_location_of_a_node_hosts_it(self, rtype, source, target):
        xml = model(el("n", "Node", "VM") + el("l", "Location", "Frankfurt, Duitsland"), rel("r", rtype, source, target))
        inv, problems = load("m.xml", xml)
        ids = {k: v[0] for k, v in by_archimate_id(inv).items()}
        assert edges(inv) >= {(ids["n"], "hosted_at", ids["l"]), (ids["l"], "located_in", "country:DE")}
        assert unmapped(problems) == []

    def test_a_country_property_wins_over_the_name(self):
        props = ('<properties><property propertyDefinitionRef="pd"><value>DE</value></property></properties>')
        xml = (f'<model xmlns="{NS3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><elements>'
               f'<element identifier="l" xsi:type="Location"><name>Nederland</name>{props}</element></elements>'
               '<propertyDefinitions><propertyDefinition identifier="pd" type="string"><name>land</name>'
               "</propertyDefinition></propertyDefinitions></model>").encode()
        inv, problems = load("m.xml", xml)
        assert inv.nodes[by_archimate_id(inv)["l"][0]].attrs["country"] == "DE"
        assert not [p for p in problems if p.rule == "conflicting-value"]
