"""ArchiMate actors in their true roles: supplier only on evidence, the model's organisation and its teams, the rest to check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph
from sovmap.graph.ownership import verdicts
from sovmap.graph.summary import inventory_summary
from sovmap.ingest.archimate import read_archimate
from sovmap.ingest.archimate_roles import ROLES, decide_roles, read_role_mapping, role_rules
from sovmap.ingest.flatlist import load_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "archimate"
runner = CliRunner()


def model(elements: str, relationships: str = "", name: str = "Model", props: str = "") -> bytes:
    defs = "".join(f'<propertyDefinition identifier="pd-{p}" type="string"><name>{p}</name></propertyDefinition>'
                   for p in ("type", "GEMMA type", "Leverancier", "Eigenaar", "land"))
    return (f'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>{name}</name>{props}'
            f"<elements>{elements}</elements><relationships>{relationships}</relationships>"
            f"<propertyDefinitions>{defs}</propertyDefinitions></model>").encode()


def el(ident: str, etype: str, name: str = "", **props: str) -> str:
    body = "".join(f'<property propertyDefinitionRef="pd-{k.replace("_", " ")}"><value>{v}</value></property>'
                   for k, v in props.items())
    return (f'<element identifier="{ident}" xsi:type="{etype}"><name>{name or ident}</name>'
            f'{f"<properties>{body}</properties>" if body else ""}</element>')


def rel(rtype: str, source: str, target: str) -> str:
    return f'<relationship identifier="r-{source}-{target}" source="{source}" target="{target}" xsi:type="{rtype}"/>'


def node_of(inv, archimate_id: str) -> str:
    return next(n.id for n in inv.nodes.values() if n.attrs.get("archimate_id") == archimate_id)


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


def load(data: bytes, **kw):
    conv = read_archimate("model.xml", data, **kw)
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    return conv, inv, problems


def roles_of(conv) -> dict[str, str]:
    return {a.id: a.role for a in conv.actors}


@pytest.fixture(scope="module")
def landscape():
    conv = read_archimate("softwarecatalogus_landschap.xml", (FIXTURES / "softwarecatalogus_landschap.xml").read_bytes(), lang="nl")
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    return conv, inv, problems


class TestSoftwarecatalogusLandscape:
    """The Gemeente and the Leverancier actor are both Associated with each Pakketversie, typed by GEMMA type."""

    def test_the_vendor_is_the_applications_supplier(self, landscape):
        _, inv, _ = landscape
        assert (node_of(inv, "id-pv-key2"), "provided_by", node_of(inv, "id-lev-centric")) in edges(inv)
        assert (node_of(inv, "id-pv-zaak"), "provided_by", node_of(inv, "id-lev-kynthos")) in edges(inv)
        suppliers = {n.attrs["archimate_id"] for n in inv.nodes.values() if n.kind == "supplier"}
        assert suppliers == {"id-lev-centric", "id-lev-pr", "id-lev-kynthos"}

    def test_the_municipality_is_the_organisation_not_a_supplier(self, landscape):
        conv, inv, _ = landscape
        gem = node_of(inv, "id-gem")
        assert inv.nodes[gem].kind == "organisation"
        assert not any(e.target == gem and e.relation == "provided_by" for e in inv.edges)
        assert (node_of(inv, "id-pv-ibz"), "belongs_to", gem) in edges(inv)
        main = [a for a in conv.actors if a.main]
        assert [(a.id, a.why) for a in main] == [("id-gem", "property GEMMA type = Gemeente; the model's own organisation")]

    def test_a_pakketversie_whose_vendor_is_unknown_is_reported(self, landscape):
        _, inv, problems = landscape
        unknown = [p for p in problems if p.rule == "supplier-unknown"]
        assert [p.value for p in unknown] == ["id-pv-eigen"]
        assert "Pakketversie" in unknown[0].message and "names no supplier" in unknown[0].message
        assert unknown[0].severity == "warning"
        assert not any(e.source == node_of(inv, "id-pv-eigen") and e.relation == "provided_by" for e in inv.edges)

    def test_every_relationship_is_imported_or_reported(self, landscape):
        conv, inv, problems = landscape
        text = (FIXTURES / "softwarecatalogus_landschap.xml").read_text("utf-8")
        total = len(re.findall(r"<relationship ", text))
        reported = [p for p in problems if p.rule == "unmapped-relationship"]
        # 4 belongs_to + 3 provided_by + 2 depends_on; the assignment to the application function is reported.
        assert total == 10 and len(inv.edges) + len(reported) == total
        assert [p.value for p in reported] == ["id-r-af-brp"]

    def test_no_actor_is_left_to_check(self, landscape):
        _, _, problems = landscape
        assert not [p for p in problems if p.rule == "actor-role-unknown"]


class TestSupplierOnlyOnEvidence:
    def test_an_actor_linked_to_applications_with_nothing_said_is_listed_to_check(self):
        apps = "".join(el(f"a{i}", "ApplicationComponent", f"App {i}") for i in range(3))
        links = "".join(rel("Association", "x", f"a{i}") for i in range(3))
        conv, inv, problems = load(model(el("x", "BusinessActor", "Partner Noord") + apps, links))
        [p] = [p for p in problems if p.rule == "actor-role-unknown"]
        assert p.value == "x" and p.severity == "warning"
        assert "Partner Noord (BusinessActor, id x) is linked by Association to 3 applications" in p.message
        assert "nothing says whether it is a supplier or part of your organisation" in p.message
        assert "type=Leverancier or type=Afdeling" in p.hint and "actors:" in p.hint
        assert roles_of(conv) == {"x": "unknown"}
        node = inv.nodes[node_of(inv, "x")]
        assert node.kind == "supplier" and node.attrs["role_to_check"].endswith("(to check)")

    def test_an_actor_to_check_is_counted_neither_european_nor_non_european(self):
        conv, inv, _ = load(model(el("x", "BusinessActor", "Partner Noord") + el("a", "ApplicationComponent"),
                                  rel("Serving", "x", "a")))
        g = build_graph(inv)
        sid = node_of(inv, "x")
        assert verdicts(g)[sid].european is None
        rows = inventory_summary(g)["suppliers_by_country"]
        assert rows == [{"country": "?", "name": "(unknown)", "european": None, "suppliers": 1}]

    def test_serving_alone_no_longer_makes_a_supplier_but_a_catalogue_match_does(self):
        conv, inv, problems = load(model(
            el("aws", "BusinessActor", "Amazon Web Services") + el("x", "BusinessActor", "Beheerteam Noord")
            + el("a", "ApplicationComponent", "Portaal"), rel("Serving", "aws", "a") + rel("Serving", "x", "a")))
        assert roles_of(conv) == {"aws": "supplier", "x": "unknown"}
        why = next(a.why for a in conv.actors if a.id == "aws")
        assert "CAT-AWS" in why
        assert (node_of(inv, "a"), "provided_by", node_of(inv, "aws")) in edges(inv)

    @pytest.mark.parametrize("prop", [{"type": "Leverancier"}, {"GEMMA_type": "Leverancier"}, {"type": "Hoster"},
                                      {"Leverancier": "ja"}, {"type": "vendor"}])
    def test_a_property_makes_a_supplier(self, prop):
        conv, inv, problems = load(model(el("x", "BusinessActor", "Noordhost", **prop)))
        assert roles_of(conv) == {"x": "supplier"}
        assert inv.nodes[node_of(inv, "x")].kind == "supplier"

    def test_an_actor_assigned_to_the_business_role_leverancier_is_a_supplier(self):
        conv, inv, problems = load(model(el("x", "BusinessActor", "Noordhost") + el("r", "BusinessRole", "Leverancier"),
                                         rel("Assignment", "x", "r")))
        assert roles_of(conv) == {"x": "supplier"}
        assert any(p.rule == "unmapped-element" and p.value == "r" for p in problems)  # the role itself is a classification

    def test_a_part_of_a_supplier_is_a_supplier(self):
        conv, _, _ = load(model(el("v", "BusinessActor", "Noordhost", type="Leverancier") + el("s", "BusinessActor", "Noordhost Support"),
                                rel("Composition", "v", "s")))
        assert roles_of(conv) == {"v": "supplier", "s": "supplier"}


class TestTheOrganisationAndItsTeams:
    def test_devops_squads_assigned_to_applications_are_teams_of_the_organisation(self):
        """The ARIS case: squads assigned to application components, no supplier evidence."""
        conv, inv, problems = load(model(
            el("org", "BusinessActor", "Provincie Noordland", type="Provincie")
            + el("sq1", "BusinessActor", "DevOps Squad Vergunningen") + el("sq2", "BusinessActor", "DevOps Squad Platform")
            + el("a1", "ApplicationComponent", "Vergunningen") + el("a2", "ApplicationComponent", "Kubernetes platform")
            + el("p", "BusinessProcess", "Vergunning verlenen"),
            rel("Assignment", "sq1", "a1") + rel("Assignment", "sq2", "a2") + rel("Serving", "a1", "p")))
        assert roles_of(conv) == {"org": "organisation", "sq1": "team", "sq2": "team"}
        org = node_of(inv, "org")
        for squad, app_ in (("sq1", "a1"), ("sq2", "a2")):
            node = inv.nodes[node_of(inv, squad)]
            assert node.kind == "organisation"
            assert (node.id, "part_of", org) in edges(inv)
            assert (node_of(inv, app_), "belongs_to", node.id) in edges(inv)
        assert not [n for n in inv.nodes.values() if n.kind == "supplier"]
        assert not [p for p in problems if p.rule == "actor-role-unknown"]

    def test_the_actor_named_by_the_model_is_the_organisation_and_processes_make_teams(self):
        conv, inv, _ = load(model(
            el("o", "BusinessActor", "Gemeente Zuiderwaard") + el("t", "BusinessActor", "Burgerzaken")
            + el("p", "BusinessProcess", "Paspoort aanvragen"), rel("Assignment", "t", "p"),
            name="Applicatielandschap gemeente Zuiderwaard 2026"))
        assert roles_of(conv) == {"o": "organisation", "t": "team"}
        assert [a.id for a in conv.actors if a.main] == ["o"]
        assert (node_of(inv, "t"), "part_of", node_of(inv, "o")) in edges(inv)

    def test_of_two_actors_the_model_name_holds_the_longest_is_the_organisation(self):
        conv, inv, _ = load(model(el("ict", "BusinessActor", "ICT") + el("o", "BusinessActor", "Gemeente Zuiderwaard")
                                  + el("p", "BusinessProcess"), rel("Assignment", "ict", "p"),
                                  name="ICT-landschap Gemeente Zuiderwaard"))
        assert roles_of(conv) == {"ict": "team", "o": "organisation"}
        assert (node_of(inv, "ict"), "part_of", node_of(inv, "o")) in edges(inv)

    def test_an_application_belongs_to_the_organisation_associated_with_it_not_to_its_users(self):
        conv, inv, problems = load(model(
            el("o", "BusinessActor", "Gemeente Zuiderwaard", type="Gemeente") + el("b", "BusinessActor", "Inwoners", type="Burger")
            + el("a", "ApplicationComponent", "Burgerportaal"), rel("Association", "o", "a") + rel("Association", "b", "a")))
        assert roles_of(conv) == {"o": "organisation", "b": "other"}
        assert {e for e in edges(inv) if e[0] == node_of(inv, "a")} == {(node_of(inv, "a"), "belongs_to", node_of(inv, "o"))}
        assert [p.value for p in problems if p.rule == "unmapped-relationship"] == ["r-b-a"]

    def test_the_models_owner_property_names_the_organisation(self):
        owner = '<properties><property propertyDefinitionRef="pd-Eigenaar"><value>Waterschap Delta</value></property></properties>'
        conv, _, _ = load(model(el("o", "BusinessActor", "Waterschap Delta") + el("x", "BusinessActor", "Delta Partners"),
                                name="Landschap", props=owner))
        assert [(a.id, a.role) for a in conv.actors if a.main] == [("o", "organisation")]
        assert roles_of(conv)["x"] == "other"

    def test_the_actor_assigned_to_most_processes_is_the_organisation(self):
        procs = "".join(el(f"p{i}", "BusinessProcess", f"Proces {i}") for i in range(3))
        conv, inv, _ = load(model(el("o", "BusinessActor", "Noordland") + el("t", "BusinessActor", "Financien") + procs,
                                  rel("Assignment", "o", "p0") + rel("Assignment", "o", "p1") + rel("Assignment", "t", "p2")))
        assert roles_of(conv) == {"o": "organisation", "t": "team"}
        assert (node_of(inv, "t"), "part_of", node_of(inv, "o")) in edges(inv)

    def test_a_team_placed_by_the_model_keeps_its_own_parent(self):
        conv, inv, problems = load(model(
            el("o", "BusinessActor", "Gemeente Zuiderwaard", type="Gemeente") + el("d", "BusinessActor", "Directie Dienstverlening")
            + el("t", "BusinessActor", "Team Burgerzaken") + el("p", "BusinessProcess"),
            rel("Composition", "o", "d") + rel("Composition", "d", "t") + rel("Assignment", "t", "p")))
        assert roles_of(conv) == {"o": "organisation", "d": "team", "t": "team"}
        assert (node_of(inv, "t"), "part_of", node_of(inv, "d")) in edges(inv)
        assert (node_of(inv, "d"), "part_of", node_of(inv, "o")) in edges(inv)
        assert not [p for p in problems if p.rule == "conflicting-value"]

    def test_two_organisations_and_no_name_leave_teams_unplaced(self):
        conv, inv, _ = load(model(
            el("a", "BusinessActor", "Gemeente Noord", type="Gemeente") + el("b", "BusinessActor", "Gemeente Zuid", type="Gemeente")
            + el("t", "BusinessActor", "Team Belastingen") + el("p", "BusinessProcess"), rel("Assignment", "t", "p")))
        assert roles_of(conv) == {"a": "organisation", "b": "organisation", "t": "team"}
        assert not [a for a in conv.actors if a.main]
        assert not any(e.relation == "part_of" for e in inv.edges)


class TestRolesAreData:
    def test_every_word_of_the_rules_is_text_and_every_role_known(self):
        rules = role_rules()
        assert set(rules.values.values()) <= set(ROLES)
        assert {"ja", "yes"} <= rules.yes and "gemma_type" in rules.role_properties

    def test_the_mapping_file_decides_over_everything(self):
        data = model(el("x", "BusinessActor", "Partner Noord", type="Leverancier") + el("y", "BusinessActor", "Partner Zuid")
                     + el("a", "ApplicationComponent"), rel("Association", "y", "a"))
        conv, inv, problems = load(data, mapping={"actors": {"x": "team", "partner zuid": "supplier"}})
        assert roles_of(conv) == {"x": "team", "y": "supplier"}
        assert {a.why for a in conv.actors} == {"the mapping file"}
        assert not [p for p in problems if p.rule == "actor-role-unknown"]

    def test_the_mapping_files_roles_add_words(self):
        data = model(el("x", "BusinessActor", "Partner Noord", type="Contractpartner") + el("a", "ApplicationComponent"),
                     rel("Association", "x", "a"))
        assert roles_of(load(data)[0]) == {"x": "unknown"}
        assert roles_of(load(data, mapping={"roles": {"Contractpartner": "supplier"}})[0]) == {"x": "supplier"}

    def test_a_bad_role_in_the_mapping_file_is_a_problem(self, tmp_path):
        path = tmp_path / "m.yaml"
        path.write_text("actors:\n  Partner Noord: leverancier\n", encoding="utf-8")
        mapping, problems = load_mapping(path)
        assert [(p.rule, p.value) for p in problems] == [("bad-mapping", "leverancier")]
        assert "Roles: supplier, organisation, team, other." in problems[0].hint
        assert read_role_mapping({"actors": ["x"]}, "m.yaml")[1][0].column == "actors"

    def test_save_mapping_then_mapping_round_trip(self, tmp_path):
        src = tmp_path / "model.xml"
        src.write_bytes(model(el("o", "BusinessActor", "Gemeente Zuiderwaard", type="Gemeente")
                              + el("x", "BusinessActor", "Partner Noord") + el("a", "ApplicationComponent", "Portaal"),
                              rel("Association", "x", "a") + rel("Association", "o", "a")))
        saved = tmp_path / "roles.yaml"
        first = runner.invoke(app, ["convert", str(src), "-o", str(tmp_path / "inv1"), "--save-mapping", str(saved)])
        assert first.exit_code == 0, first.output
        assert "Partner Noord" in first.output and "TO CHECK" in first.output
        text = saved.read_text("utf-8")
        assert "  Gemeente Zuiderwaard: organisation" in text and "#  Partner Noord: supplier | team" in text
        assert yaml.safe_load(text)["actors"] == {"Gemeente Zuiderwaard": "organisation"}  # to check stays commented
        saved.write_text(text.replace("#  Partner Noord: supplier | team | organisation | other", "  Partner Noord: team"),
                         encoding="utf-8")
        second = runner.invoke(app, ["convert", str(src), "-o", str(tmp_path / "inv2"), "--mapping", str(saved)])
        assert second.exit_code == 0, second.output
        assert "actor-role-unknown" not in second.output and "TO CHECK" not in second.output
        orgs = (tmp_path / "inv2" / "organisations.csv").read_text("utf-8")
        assert "Partner Noord" in orgs and "Partner Noord" not in (tmp_path / "inv1" / "organisations.csv").read_text("utf-8")


def test_decide_roles_on_plain_elements_needs_no_xml():
    from types import SimpleNamespace as E

    elements = {"v": E(id="v", type="BusinessRole", name="Hostingpartij Noord", line=1, props=[("soort", "hoster")], kind=None)}
    roles, problems = decide_roles(elements, [], source="m.xml")
    assert [(r.id, r.role, r.kind) for r in roles.values()] == [("v", "supplier", "supplier")] and problems == []
