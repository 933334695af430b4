"""Exchange files as real tools write them (Archi, Sparx EA, Visual Paradigm, ARIS; ArchiMate 2.1 and 3.x).

Every relationship in a file is either imported or reported one by one, and
named relationships keep the direction failure travels. The fixtures and
their sources are listed in tests/fixtures/archimate/README.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovmap.ingest.archimate import read_archimate
from sovmap.ingest.convert import convert_path, detect_source

FIXTURES = Path(__file__).parent / "fixtures" / "archimate"

#: file → (tool, ArchiMate version, relationships in the file)
FILES = {
    "archisurance.xml": ("Archi (Open Group exchange plug-in)", "3.x", 178),
    "archisurance_2_1.xml": ("Archi (Open Group exchange plug-in)", "2.1", 178),
    "archi_5_3_1.xml": ("Archi 5.0.2", "3.x", 42),
    "sparx_ea_3_0.xml": ("Sparx Enterprise Architect", "3.x", 45),
    "visual_paradigm_3_1.xml": ("Visual Paradigm", "3.x", 46),
    "opengroup_sample1.xml": ("The Open Group", "3.x", 1),
    "archimetal_2_1_shape.xml": ("Archi 3/4 (shape of ArchiMetal)", "2.1", 24),
    "aris_shape.xml": ("ARIS (shape of an AML export)", "3.x", 13),
}


def relationships_in(name: str) -> list[dict[str, str]]:
    """The relationships of a fixture as written (identifier, source, target, type), read independently of sovmap."""
    root = ET.parse(FIXTURES / name).getroot()
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    return [{"id": r.get("identifier"), "source": r.get("source"), "target": r.get("target"), "type": r.get(xsi)}
            for r in root.iter() if r.tag.endswith("}relationship")]


def load(name: str):
    conv = read_archimate(name, (FIXTURES / name).read_bytes())
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    return conv, inv, problems


def node_of(inv, archimate_id: str) -> str:
    return next(n.id for n in inv.nodes.values() if n.attrs.get("archimate_id") == archimate_id)


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


def test_the_fixtures_cover_four_tools_and_both_versions():
    tools = {tool.split(" (")[0].split(" ")[0] for tool, _, _ in FILES.values()} - {"The"}
    assert len(tools) >= 4 and {v for _, v, _ in FILES.values()} == {"2.1", "3.x"}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_relationship_is_imported_or_reported_once(name):
    conv, _, problems = load(name)
    in_file = [r["id"] for r in relationships_in(name)]
    reported = [p.value for p in problems if p.rule == "unmapped-relationship"]
    assert len(in_file) == conv.relationships == FILES[name][2]
    assert len(conv.imported_relationships) + len(reported) == len(in_file)
    assert sorted(conv.imported_relationships + reported) == sorted(in_file)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_version_is_read_from_the_namespace(name):
    assert read_archimate(name, (FIXTURES / name).read_bytes()).version == FILES[name][1]


def test_detected_and_converted_by_the_command_path():
    for name in FILES:
        assert detect_source(FIXTURES / name) == "archimate"
    inv, _ = convert_path(FIXTURES / "sparx_ea_3_0.xml").load()
    _, direct, _ = load("sparx_ea_3_0.xml")
    assert inv is not None and sum(n.kind == "system" for n in inv.nodes.values()) >= 20
    assert sorted(inv.nodes) == sorted(direct.nodes) and edges(inv) == edges(direct)


class TestArchisurance21:
    """The 2.1 export of Archisurance reads as the 3.0 export does: UsedByRelationship is Serving."""

    def test_same_inventory_as_the_3_0_export(self):
        _, inv21, _ = load("archisurance_2_1.xml")
        _, inv30, _ = load("archisurance.xml")
        assert Counter(n.kind for n in inv21.nodes.values()) == Counter(n.kind for n in inv30.nodes.values())
        assert edges(inv21) == edges(inv30)
        assert len(edges(inv21)) > 20

    def test_used_by_makes_the_served_depend_on_the_server(self):
        _, inv, _ = load("archisurance_2_1.xml")
        # id-1128 Database Service (an InfrastructureService) is realised by id-986 Mainframe;
        # id-1414 Claim InfoServ serves id-1399 Financial Application.
        assert inv.nodes[node_of(inv, "id-1128")].attrs["type"] == "TechnologyService"
        assert (node_of(inv, "id-1128"), "depends_on", node_of(inv, "id-986")) in edges(inv)
        assert (node_of(inv, "id-1399"), "depends_on", node_of(inv, "id-1414")) in edges(inv)
        assert (node_of(inv, "id-612"), "uses", node_of(inv, "id-1407")) in edges(inv)  # Create Contract uses CIS

    def test_a_reported_relationship_names_its_2_1_type(self):
        _, _, problems = load("archisurance_2_1.xml")
        assert any(p.message.startswith("FlowRelationship (Flow) ") for p in problems)


class TestArchiMetalShape:
    """ArchiMate 2.1 as Archi 3/4 wrote it: labels, propertydefs, Junction with a JunctionType property."""

    @pytest.fixture(scope="class")
    @classmethod
    def model(cls):
        return load("archimetal_2_1_shape.xml")

    def test_2_1_relationship_names_keep_their_direction(self, model):
        _, inv, _ = model
        n = lambda i: node_of(inv, i)  # noqa: E731
        assert (n("id-110"), "uses", n("id-120")) in edges(inv)  # UsedBy: Handle order uses ERP
        assert (n("id-122"), "depends_on", n("id-120")) in edges(inv)  # Realisation: service through ERP
        assert (n("id-142"), "depends_on", n("id-140")) in edges(inv)  # Assignment: DBMS on the mainframe
        assert (n("id-130"), "stored_in", n("id-120")) in edges(inv)  # Access: order data in ERP
        assert (n("id-101"), "part_of", n("id-100")) in edges(inv)  # Composition of organisations
        assert (n("id-145"), "depends_on", n("id-144")) not in edges(inv)
        assert (n("id-144"), "depends_on", n("id-145")) in edges(inv)  # Aggregation: the WAN needs its path

    def test_2_1_technology_names_are_systems(self, model):
        _, inv, _ = model
        assert [inv.nodes[node_of(inv, i)].attrs["type"] for i in ("id-143", "id-144", "id-145")] == [
            "TechnologyService", "CommunicationNetwork", "Path"]

    def test_supplier_and_hosting(self, model):
        _, inv, _ = model
        mainframe = node_of(inv, "id-140")
        assert (mainframe, "provided_by", node_of(inv, "id-150")) in edges(inv)
        assert inv.nodes[node_of(inv, "id-150")].kind == "supplier"
        assert (mainframe, "hosted_at", node_of(inv, "id-160")) in edges(inv)
        assert inv.nodes[node_of(inv, "id-160")].attrs["country"] == "NL"

    def test_or_junction_by_property_is_a_group_of_alternatives(self, model):
        _, inv, _ = model
        crm = node_of(inv, "id-121")
        group = {(e.target, e.group, e.min_required) for e in inv.edges if e.source == crm}
        assert group == {(node_of(inv, "id-140"), "or-id-170", 1), (node_of(inv, "id-141"), "or-id-170", 1)}

    def test_each_leg_of_a_junction_is_reported_on_its_own(self, model):
        _, _, problems = model
        legs = {p.value: p for p in problems if p.rule == "unmapped-relationship" and p.value in ("id-217", "id-218", "id-219")}
        assert set(legs) == {"id-217", "id-218", "id-219"}
        assert all("Triggering" in p.message and "orders work" in p.message for p in legs.values())


class TestToolExports:
    def test_sparx_windows_1252_file_with_or_junction(self):
        conv, inv, problems = load("sparx_ea_3_0.xml")
        assert conv.version == "3.x" and inv.nodes
        or_junction = "EAID_3652DB96_2006_4154_B037_F5A21123AB2F"
        legs = [r["id"] for r in relationships_in("sparx_ea_3_0.xml") if or_junction in (r["source"], r["target"])]
        reported = [p.value for p in problems if p.rule == "unmapped-relationship"]
        assert len(legs) >= 2
        assert all((leg in conv.imported_relationships) != (leg in reported) for leg in legs)

    @pytest.mark.parametrize("name", ["archi_5_3_1.xml", "sparx_ea_3_0.xml", "visual_paradigm_3_1.xml"])
    def test_realization_and_serving_directions(self, name):
        """In each tool's file an application component realises a service that serves a process."""
        conv, inv, _ = load(name)
        found = 0
        pairs = {(e.source, e.target) for e in inv.edges}
        for r in relationships_in(name):
            if r["type"] not in ("Serving", "Realization") or r["id"] not in conv.imported_relationships:
                continue
            s, t = node_of(inv, r["source"]), node_of(inv, r["target"])
            found += 1
            assert (t, s) in pairs and (s, t) not in pairs, r  # the target depends on the source
        assert found >= 2

    def test_aris_shape_teams_and_applications(self):
        conv, inv, problems = load("aris_shape.xml")
        n = lambda i: node_of(inv, i)  # noqa: E731
        engine, service = n("id-657d6a43-0a0e-11eb-4ee3-0050568b5c9f"), n("id-657d6a52-0a0e-11eb-4ee3-0050568b5c9f")
        assert (service, "depends_on", engine) in edges(inv)
        assert (n("id-f22b9b43-2009-11ea-26bc-0050568bd295"), "uses", service) in edges(inv)
        team = inv.nodes[n("id-a534bf03-09c8-11ed-1459-0a0027000004")]
        assert team.kind in ("supplier", "organisation")  # which one: see the roles rules
        unmapped = {p.value for p in problems if p.rule == "unmapped-element"}
        assert "id-eee004a6-2007-11ea-26bc-0050568bd295" in unmapped  # a Capability


ELEMENT_TYPES = ["ApplicationComponent", "Node", "BusinessProcess", "BusinessService", "DataObject", "Artifact",
                 "BusinessActor", "Location", "AndJunction", "OrJunction", "Junction", "BusinessRole", "InfrastructureService"]
RELATIONSHIP_TYPES = ["Serving", "UsedByRelationship", "Realization", "Assignment", "Access", "Aggregation",
                      "Association", "Triggering", "Flow", "Specialization"]


@st.composite
def junction_models(draw) -> tuple[bytes, int]:
    n = draw(st.integers(1, 7))
    types = [draw(st.sampled_from(ELEMENT_TYPES)) for _ in range(n)]
    els = "".join(f'<element identifier="e{i}" xsi:type="{t}"><name>E {i}</name></element>' for i, t in enumerate(types))
    rels = []
    for k in range(draw(st.integers(0, 12))):
        s, t = draw(st.integers(0, n)), draw(st.integers(0, n))  # n: an id no element has
        rels.append(f'<relationship identifier="r{k}" source="e{s}" target="e{t}" '
                    f'xsi:type="{draw(st.sampled_from(RELATIONSHIP_TYPES))}"/>')
    xml = (f'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           f' identifier="m"><elements>{els}</elements><relationships>{"".join(rels)}</relationships></model>')
    return xml.encode(), len(rels)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junction_models())
def test_any_model_accounts_for_each_relationship_exactly_once(model):
    xml, count = model
    conv = read_archimate("m.xml", xml)
    reported = [p.value for p in conv.problems if p.rule == "unmapped-relationship"]
    assert conv.relationships == count
    assert sorted(conv.imported_relationships + reported) == sorted(f"r{k}" for k in range(count))
