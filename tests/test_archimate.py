"""ArchiMate exchange files: elements and relationships as dependencies, what is not imported reported, hostile XML refused."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.ingest.archimate import read_archimate

FIXTURES = Path(__file__).parent / "fixtures" / "archimate"
runner = CliRunner()


def read(name: str, **kw):
    return read_archimate(name, (FIXTURES / name).read_bytes(), **kw)


def model(elements: str, relationships: str = "") -> bytes:
    return (f'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">'
            f"<elements>{elements}</elements><relationships>{relationships}</relationships></model>").encode()


def el(ident: str, etype: str, name: str = "", props: str = "") -> str:
    return f'<element identifier="{ident}" xsi:type="{etype}"><name>{name or ident}</name>{props}</element>'


def rel(ident: str, rtype: str, source: str, target: str) -> str:
    return f'<relationship identifier="{ident}" source="{source}" target="{target}" xsi:type="{rtype}"/>'


def node_of(inv, archimate_id: str) -> str:
    return next(n.id for n in inv.nodes.values() if n.attrs.get("archimate_id") == archimate_id)


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


@pytest.fixture(scope="module")
def archisurance():
    conv = read("archisurance.xml")
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    return conv, inv, problems


class TestArchisurance:
    """The Open Group's sample model, as exported by Archi."""

    def test_elements_become_the_kinds_of_the_mapping_table(self, archisurance):
        _, inv, _ = archisurance
        kinds = {}
        for n in inv.nodes.values():
            kinds[n.kind] = kinds.get(n.kind, 0) + 1
        # 10 components + 3 application services + 5 devices + 4 system software + 4 nodes + 5 technology
        # services + 3 networks; 9 processes + 6 business services; 4 data objects; 17 actors, none a supplier.
        assert kinds == {"system": 34, "process": 15, "dataset": 4, "organisation": 17}

    def test_serving_makes_the_served_depend_on_the_server(self, archisurance):
        _, inv, _ = archisurance
        # id-1128 Database Service is realised by id-986 Mainframe; id-1414 Claim InfoServ serves id-1399 Financial Application.
        assert (node_of(inv, "id-1128"), "depends_on", node_of(inv, "id-986")) in edges(inv)
        assert (node_of(inv, "id-1399"), "depends_on", node_of(inv, "id-1414")) in edges(inv)

    def test_an_application_service_serving_a_process_is_used_by_it(self, archisurance):
        _, inv, _ = archisurance
        assert (node_of(inv, "id-612"), "uses", node_of(inv, "id-1407")) in edges(inv)  # Create Contract uses CIS

    def test_access_by_a_component_stores_the_data_in_it(self, archisurance):
        _, inv, _ = archisurance
        assert (node_of(inv, "id-837"), "stored_in", node_of(inv, "id-855")) in edges(inv)  # Customer File Data

    def test_every_relationship_is_imported_or_reported(self, archisurance):
        conv, inv, problems = archisurance
        text = (FIXTURES / "archisurance.xml").read_text("utf-8")
        total = len(re.findall(r"<relationship ", text))
        reported = [p.value for p in problems if p.rule == "unmapped-relationship"]
        assert total == conv.relationships == 178
        assert len(conv.imported_relationships) + len(reported) == total
        assert not set(conv.imported_relationships) & set(reported)

    def test_every_element_is_imported_or_reported_with_its_line(self, archisurance):
        _, inv, problems = archisurance
        text = (FIXTURES / "archisurance.xml").read_text("utf-8")
        total = len(re.findall(r"<element ", text))
        reported = [p for p in problems if p.rule == "unmapped-element"]
        assert len(inv.nodes) + len(reported) == total == 120
        customer = next(p for p in reported if p.value == "id-791")
        assert 'BusinessObject "Customer" (id-791)' in customer.message
        assert text.splitlines()[customer.line - 1].strip().startswith('<element identifier="id-791"')

    def test_a_service_realised_by_a_process_relies_on_it_and_triggering_is_reported(self, archisurance):
        _, inv, problems = archisurance
        # id-1329: Collect Premium (id-1311) realises Premium Payment Service (id-1208): the service relies on the process
        assert not [p for p in problems if p.value == "id-1329"]
        assert (node_of(inv, "id-1208"), "relies_on", node_of(inv, "id-1311")) in edges(inv)
        trig = next(p for p in problems if "Triggering" in p.message and "Register" in p.message and "Accept" in p.message)
        assert "does not make one depend on the other" in trig.message


@pytest.fixture(scope="module")
def result():
    inv, problems = read("gemeente.xml", lang="nl").load()
    assert inv is not None, [str(p) for p in problems]
    return inv, problems


class TestMunicipalModel:
    """A small municipal model with properties, suppliers, a location and an Or-junction."""

    def test_an_actor_is_a_supplier_by_property_by_serving_or_by_being_named(self, result):
        inv, _ = result
        assert inv.nodes[node_of(inv, "id-centric")].kind == "supplier"  # property Leverancier: ja (and Serving)
        assert inv.nodes[node_of(inv, "id-msft")].kind == "supplier"  # named in Exchange Online's Leverancier
        assert inv.nodes[node_of(inv, "id-bz")].kind == "organisation"

    def test_a_supplier_property_points_at_the_actor(self, result):
        inv, _ = result
        assert (node_of(inv, "id-app-mail"), "provided_by", node_of(inv, "id-msft")) in edges(inv)
        assert (node_of(inv, "id-app-bz"), "provided_by", node_of(inv, "id-centric")) in edges(inv)
        assert sum(n.kind == "supplier" for n in inv.nodes.values()) == 2

    def test_or_junction_makes_a_group_of_alternatives(self, result):
        inv, _ = result
        app_, a, b = node_of(inv, "id-app-bz"), node_of(inv, "id-node-a"), node_of(inv, "id-node-b")
        group = [e for e in inv.edges if e.source == app_ and e.target in (a, b)]
        assert {(e.relation, e.group, e.min_required) for e in group} == {("depends_on", "or-id-or", 1)}
        assert len(group) == 2

    def test_location_aggregation_hosts_the_node_there(self, result):
        inv, _ = result
        loc = node_of(inv, "id-loc")
        assert (node_of(inv, "id-node-a"), "hosted_at", loc) in edges(inv)
        assert inv.nodes[loc].attrs["country"] == "NL"

    def test_organisation_structure_and_who_performs_a_process(self, result):
        inv, _ = result
        assert (node_of(inv, "id-bz"), "part_of", node_of(inv, "id-org")) in edges(inv)
        assert (node_of(inv, "id-proc-brp"), "belongs_to", node_of(inv, "id-bz")) in edges(inv)

    def test_access_in_both_directions(self, result):
        inv, _ = result
        data = node_of(inv, "id-data-brp")
        assert (node_of(inv, "id-proc-brp"), "uses", data) in edges(inv)
        assert (data, "stored_in", node_of(inv, "id-app-bz")) in edges(inv)

    def test_properties_are_read_by_name(self, result):
        inv, _ = result
        assert inv.nodes[node_of(inv, "id-proc-brp")].attrs["criticality"] == "vital"
        data = inv.nodes[node_of(inv, "id-data-brp")].attrs
        assert (data["classification"], data["personal_data"], data["BIV"]) == ("confidential", "personal", "BBN2")
        app_ = inv.nodes[node_of(inv, "id-app-bz")].attrs
        assert (app_["exit_plan"], app_["type"]) == ("no", "ApplicationComponent")
        # the Contractnummer property becomes a contract covering the application (sovmap.ingest.flatlist)
        assert inv.nodes["C-2017-011"].kind == "contract"
        assert any(e.source == "C-2017-011" and e.relation == "covers" and e.target == node_of(inv, "id-app-bz")
                   for e in inv.edges)

    def test_what_is_not_imported_is_reported(self, result):
        _, problems = result
        assert [(p.rule, p.value, p.line) for p in problems if p.rule == "unmapped-element"] == [
            ("unmapped-element", "id-role", 68)]
        assert {p.value for p in problems if p.rule == "unmapped-relationship"} == {"r-role", "r-trigger"}
        bad = next(p for p in problems if p.rule == "unmapped-value")
        assert (bad.column, bad.value, bad.line) == ("Kritikaliteit", "heel erg", 30)


class TestSmallModels:
    def test_archimate_2_used_by_is_serving(self):
        xml = model(el("a", "ApplicationComponent") + el("p", "BusinessProcess"), rel("r", "UsedBy", "a", "p"))
        xml = xml.replace(b"archimate/3.0/", b"archimate/2.1/")
        inv, _ = read_archimate("m.xml", xml).load()
        assert ("P-P", "uses", "SYS-A") in edges(inv)

    def test_relationships_chained_through_two_junctions(self):
        xml = model(el("a", "Node") + el("b", "Node") + el("c", "ApplicationComponent")
                    + '<element identifier="j1" xsi:type="OrJunction"/><element identifier="j2" xsi:type="AndJunction"/>',
                    rel("r1", "Serving", "a", "j1") + rel("r2", "Serving", "b", "j1") + rel("r3", "Serving", "j1", "j2")
                    + rel("r4", "Serving", "j2", "c"))
        inv, problems = read_archimate("m.xml", xml).load()
        assert {(e.source, e.target, e.group) for e in inv.edges} == {("SYS-C", "SYS-A", "or-j1"), ("SYS-C", "SYS-B", "or-j1")}

    def test_a_relationship_to_a_missing_element_is_reported(self):
        xml = model(el("a", "ApplicationComponent"), rel("r", "Serving", "a", "nowhere"))
        conv = read_archimate("m.xml", xml)
        assert [p.value for p in conv.problems if p.rule == "unmapped-relationship"] == ["r"]

    def test_a_supplier_serving_a_process_is_reported(self):
        xml = model(el("s", "BusinessActor", "Leverancier X") + el("a", "ApplicationComponent") + el("p", "BusinessProcess"),
                    rel("r1", "Serving", "s", "a") + rel("r2", "Serving", "s", "p"))
        conv = read_archimate("m.xml", xml)
        p = next(p for p in conv.problems if p.value == "r2")
        assert "no relation from a process to a supplier" in p.message

    def test_not_an_archimate_file(self):
        conv = read_archimate("page.xml", b"<html><body/></html>")
        assert [p.rule for p in conv.problems] == ["unreadable-source"] and conv.tables == []

    def test_malformed_xml_names_the_line(self):
        conv = read_archimate("broken.xml", model(el("a", "Node")).replace(b"</elements>", b"</elementz>"))
        assert conv.problems[0].rule == "unreadable-source" and conv.problems[0].line == 1


class TestHostileFiles:
    @pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "external_dtd.xml"])
    def test_refused_quickly_with_a_clear_message(self, name):
        start = time.perf_counter()
        conv = read(name)
        assert time.perf_counter() - start < 2
        assert [p.rule for p in conv.problems] == ["unsafe-xml"]
        assert conv.tables == []
        assert "refused for safety" in conv.problems[0].message

    def test_no_local_file_is_read(self):
        conv = read("external_entity.xml")
        assert "root:" not in str([str(p) for p in conv.problems])

    def test_the_command_refuses_and_writes_nothing(self, tmp_path):
        out = tmp_path / "out"
        result = runner.invoke(app, ["convert", str(FIXTURES / "billion_laughs.xml"), "-o", str(out)])
        assert result.exit_code == 1
        assert "refused for safety" in result.output and not out.exists()


def test_convert_command_on_archisurance(tmp_path):
    out = tmp_path / "archisurance"
    result = runner.invoke(app, ["convert", str(FIXTURES / "archisurance.xml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "BusinessObject \"Customer\" (id-791)" in result.stdout
    assert "34 systems" in result.output


class TestNativeArchiFiles:
    """A native Archi model (.archimate) is refused with how to export an exchange file, wherever it is given."""

    NATIVE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<archimate:model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              b'xmlns:archimate="http://www.archimatetool.com/archimate" name="Model" id="id-1" version="5.0.0">\n'
              b'  <folder name="Business" id="id-2" type="business"/>\n</archimate:model>\n')

    def test_convert_refuses_it_with_the_export_hint(self, tmp_path):
        from sovmap.ingest.convert import convert_path, detect_source

        for name in ("model.archimate", "model.xml"):
            path = tmp_path / name
            path.write_bytes(self.NATIVE)
            assert detect_source(path) == "archimate"
            inv, problems = convert_path(path).load()
            assert inv is None and [p.rule for p in problems] == ["unreadable-source"]
            assert "File › Export › Model to Open Exchange File" in problems[0].hint

    def test_the_command_says_so(self, tmp_path):
        path = tmp_path / "model.archimate"
        path.write_bytes(self.NATIVE)
        result = runner.invoke(app, ["convert", str(path), "-o", str(tmp_path / "out")])
        assert result.exit_code == 1 and "Model to Open Exchange File" in result.output
        assert "organisations.csv" not in result.output

    def test_the_dashboard_upload_gives_the_same_answer(self):
        from sovmap.ingest.read import read_files

        tables, problems = read_files([("model.archimate", self.NATIVE)])
        refused = read_archimate("model.archimate", self.NATIVE).problems
        assert tables == [] and len(problems) == len(refused) == 1
        assert (problems[0].rule, problems[0].message, problems[0].hint) == (refused[0].rule, refused[0].message, refused[0].hint)

    def test_an_exchange_file_in_an_upload_is_to_be_converted_first(self):
        from sovmap.ingest.read import read_files

        _, problems = read_files([("archisurance.xml", (FIXTURES / "archisurance.xml").read_bytes())])
        assert [p.rule for p in problems] == ["unknown-file"] and "sovmap convert archisurance.xml" in problems[0].hint


class TestNothingImported:
    """When a file yields nothing, the message names the format read and what it lacked."""

    def test_an_exchange_file_without_importable_elements(self):
        xml = model(el("g", "Goal") + el("c", "Capability"), rel("r", "Realization", "c", "g"))
        inv, problems = read_archimate("goals.xml", xml).load()
        assert inv is None
        p = next(p for p in problems if p.rule == "no-inventory")
        assert "ArchiMate 3.x exchange file" in p.message and "Capability, Goal" in p.message
        assert "organisations.csv" not in str(problems)
        assert [p.value for p in problems if p.rule == "unmapped-relationship"] == ["r"]

    def test_a_2_1_file_says_2_1(self):
        xml = model("").replace(b"archimate/3.0/", b"archimate")
        p = next(p for p in read_archimate("empty.xml", xml).problems if p.rule == "no-inventory")
        assert "ArchiMate 2.1 exchange file" in p.message and "no <elements>" in p.message

    def test_gemma_data_without_collections(self, tmp_path):
        from sovmap.ingest.convert import convert_path

        path = tmp_path / "g.json"
        path.write_text('{"voorzieningen": []}')
        inv, problems = convert_path(path, "gemma").load()
        assert inv is None and [p.rule for p in problems] == ["no-inventory"]
        assert "read as GEMMA Softwarecatalogus data" in problems[0].message
        assert "organisations.csv" not in problems[0].message


class TestNames:
    def test_2_1_relationship_names_with_suffix(self):
        xml = model(el("a", "ApplicationComponent") + el("p", "BusinessProcess") + el("n", "Node") + el("d", "DataObject"),
                    rel("r1", "UsedByRelationship", "a", "p") + rel("r2", "AssignmentRelationship", "n", "a")
                    + rel("r3", "AccessRelationship", "p", "d"))
        conv = read_archimate("m.xml", xml.replace(b"archimate/3.0/", b"archimate"))
        inv, _ = conv.load()
        assert {("P-P", "uses", "SYS-A"), ("SYS-A", "depends_on", "SYS-N"), ("P-P", "uses", "D-D")} <= edges(inv)
        assert sorted(conv.imported_relationships) == ["r1", "r2", "r3"] and conv.version == "2.1"

    def test_junction_with_type_attribute_and_a_dead_end(self):
        xml = model(el("a", "Node") + el("b", "Node") + el("c", "ApplicationComponent")
                    + '<element identifier="j" xsi:type="Junction" type="or"/><element identifier="k" xsi:type="AndJunction"/>',
                    rel("r1", "Serving", "a", "j") + rel("r2", "Serving", "b", "j") + rel("r3", "Serving", "j", "c")
                    + rel("r4", "Serving", "a", "k"))
        conv = read_archimate("m.xml", xml)
        inv, problems = conv.load()
        assert {(e.target, e.group) for e in inv.edges if e.source == "SYS-C"} == {("SYS-A", "or-j"), ("SYS-B", "or-j")}
        assert sorted(conv.imported_relationships) == ["r1", "r2", "r3"]
        dead = next(p for p in problems if p.value == "r4")
        assert "junction k leads to no element" in dead.message

    def test_a_leg_reached_by_two_paths_is_counted_once(self):
        xml = model(el("a", "Node") + el("b", "Node") + el("c", "ApplicationComponent") + el("d", "ApplicationComponent")
                    + '<element identifier="j" xsi:type="AndJunction"/>',
                    rel("r1", "Serving", "a", "j") + rel("r2", "Serving", "b", "j") + rel("r3", "Serving", "j", "c")
                    + rel("r4", "Triggering", "j", "d"))
        conv = read_archimate("m.xml", xml)
        _, problems = conv.load()
        reported = [p.value for p in problems if p.rule == "unmapped-relationship"]
        assert sorted(conv.imported_relationships) == ["r1", "r2", "r3"] and reported == ["r4"]
        assert "different types (Serving, Triggering)" in problems[[p.value for p in problems].index("r4")].message


def test_convert_states_the_relationship_tally(tmp_path):
    """`convert` says how many relationships the file has, how many were imported and that the rest were reported."""
    import json as _json

    source = FIXTURES / "archisurance_2_1.xml"
    result = runner.invoke(app, ["convert", str(source), "-o", str(tmp_path / "inv"), "--json"])
    assert result.exit_code == 0, result.output
    data = _json.loads(result.stdout)
    reported = sum(p["rule"] == "unmapped-relationship" for p in data["problems"])
    assert data["relationships"]["in_file"] == data["relationships"]["imported"] + reported
    assert data["relationships"]["imported"] > 0 and reported > 0
    text = runner.invoke(app, ["convert", str(source), "-o", str(tmp_path / "inv2")])
    assert (f"ArchiMate 2.1 relationships: {data['relationships']['in_file']} in the file, "
            f"{data['relationships']['imported']} imported, {reported} reported") in text.stderr
