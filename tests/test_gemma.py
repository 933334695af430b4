"""GEMMA Softwarecatalogus JSON: organisations, suppliers with owners, uses as systems, BIV read, the rest reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph, graph_signature
from sovmap.ingest.convert import convert_path, detect_source
from sovmap.ingest.gemma import read_gemma
from sovmap.ingest.validate import load

FIXTURE = Path(__file__).parent / "fixtures" / "gemma" / "softwarecatalogus.json"
runner = CliRunner()


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


@pytest.fixture(scope="module")
def result():
    conv = read_gemma([(FIXTURE.name, FIXTURE.read_bytes())], lang="nl")
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems]
    return conv, inv, problems


def supplier(inv, name: str) -> str:
    return next(n.id for n in inv.nodes.values() if n.kind == "supplier" and n.name == name)


class TestCombinedFile:
    def test_the_using_organisation_is_an_organisation_with_its_country(self, result):
        _, inv, _ = result
        org = inv.nodes["ORG-GEMEENTE-VOORBEELDSTAD"]
        assert org.kind == "organisation"
        assert (org.attrs["country"], org.attrs["type"], org.attrs["oidn"]) == ("NL", "Gemeente", "00000001003214345000")

    def test_each_current_use_is_a_system_of_the_organisation(self, result):
        _, inv, _ = result
        systems = {n.name for n in inv.nodes.values() if n.kind == "system"}
        assert systems == {"Key2Burgerzaken", "Squit XO", "Microsoft 365", "Zaakafhandelcomponent"}
        assert ("SYS-SQUIT-XO", "belongs_to", "ORG-GEMEENTE-VOORBEELDSTAD") in edges(inv)

    def test_mother_organisations_become_ownership(self, result):
        _, inv, _ = result
        assert (supplier(inv, "Visma Roxit B.V."), "owned_by", supplier(inv, "Visma AS")) in edges(inv)
        ms_nl, ms_us = supplier(inv, "Microsoft B.V."), supplier(inv, "Microsoft Corporation")
        assert ms_nl != ms_us and (ms_nl, "owned_by", ms_us) in edges(inv)
        assert (inv.nodes[ms_nl].attrs["country"], inv.nodes[ms_us].attrs["country"]) == ("NL", "US")
        assert inv.nodes[supplier(inv, "Visma AS")].attrs["country"] == "NO"  # "Noorwegen"

    def test_offer_types_decide_supplier_operator_and_hosting(self, result):
        _, inv, _ = result
        centric = supplier(inv, "Centric Netherlands B.V.")
        assert {("SYS-KEY2BURGERZAKEN", "provided_by", centric), ("SYS-KEY2BURGERZAKEN", "operated_by", centric)} <= edges(inv)
        # Squit XO: the contract names the Visma offer (development) and the Previder offer (hosting).
        assert ("SYS-SQUIT-XO", "provided_by", supplier(inv, "Visma Roxit B.V.")) in edges(inv)
        assert ("SYS-SQUIT-XO", "hosted_at", "L-DATACENTER-PREVIDER") in edges(inv)
        assert ("L-DATACENTER-PREVIDER", "operated_by", supplier(inv, "Previder B.V.")) in edges(inv)

    def test_hosting_options_give_the_type_only_when_there_is_one(self, result):
        _, inv, _ = result
        assert inv.nodes["SYS-KEY2BURGERZAKEN"].attrs["type"] == "SaaS"
        squit = inv.nodes["SYS-SQUIT-XO"].attrs
        assert "type" not in squit and squit["hostingopties"] == "SaaS, on-premises, PaaS"

    def test_the_version_used_chooses_the_offer(self, result):
        _, inv, _ = result
        assert inv.nodes["SYS-MICROSOFT-365"].attrs["versie"] == "2502"
        assert ("SYS-MICROSOFT-365", "provided_by", supplier(inv, "Microsoft B.V.")) in edges(inv)

    def test_business_critical_and_biv_become_criticality_and_classification(self, result):
        _, inv, _ = result
        assert inv.nodes["P-KEY2BURGERZAKEN"].attrs["criticality"] == "high"  # bedrijfsKritisch
        assert inv.nodes["P-SQUIT-XO"].attrs["criticality"] == "medium"  # not critical, B Midden
        assert "P-ZAAKAFHANDELCOMPONENT" not in inv.nodes  # neither critical nor a B rating
        assert inv.nodes["D-KEY2BURGERZAKEN"].attrs == {"classification": "secret", "personal_data": "personal"}  # V Hoog
        assert inv.nodes["D-MICROSOFT-365"].attrs["classification"] == "confidential"  # BBN 2
        assert inv.nodes["D-ZAAKAFHANDELCOMPONENT"].attrs == {"personal_data": "none"}

    def test_what_is_not_imported_is_reported(self, result):
        _, _, problems = result
        messages = [p.message for p in problems if p.rule == "unmapped-value"]
        assert any("Several organisations offer \"Zaakafhandelcomponent\" as supplier (Decos Information Solutions B.V., "
                   "Exxellence Group B.V.)" in m for m in messages)
        assert any("status Gepland" in m for m in messages) and any("status Beëindigd" in m for m in messages)
        assert any("only as Consultancy" in m for m in messages)
        assert any('"5b000000-0000-4000-8000-0000000000ff" is not in the data' in m for m in messages)
        assert any(m.startswith("4 organisation(s) and 0 voorziening(en)") for m in messages)

    def test_contact_persons_are_never_imported(self, result):
        conv, _, _ = result
        cells = {c for t in conv.tables for _, row in t.rows for c in row} | {h for t in conv.tables for h in t.header}
        assert not any("Jansen" in c or "Ambtenaar" in c or "@" in c for c in cells)


class TestFilesPerCollection:
    def test_one_file_per_collection_gives_the_same_inventory(self, tmp_path, result):
        doc = json.loads(FIXTURE.read_text("utf-8"))
        folder = tmp_path / "api"
        folder.mkdir()
        for key, items in doc.items():
            body = {"results": items} if key == "voorzieningen" else items  # both answer shapes
            (folder / f"{key}.json").write_text(json.dumps(body), "utf-8")
        assert detect_source(folder) == "gemma"
        inv, _ = convert_path(folder, lang="nl").load()
        assert graph_signature(build_graph(inv)) == graph_signature(build_graph(result[1]))

    def test_a_bare_array_is_recognised_by_its_fields(self, tmp_path):
        doc = json.loads(FIXTURE.read_text("utf-8"))
        files = [(f"export-{i}.json", json.dumps(items).encode()) for i, items in enumerate(doc.values())]
        inv, _ = read_gemma(files).load()
        assert {n.name for n in inv.nodes.values() if n.kind == "system"} >= {"Key2Burgerzaken", "Squit XO"}

    def test_uses_inside_an_organisation_are_read(self):
        doc = {"leveranciersorganisaties": [
                   {"id": "o", "naam": "Waterschap Voorbeeld", "type": "Waterschap",
                    "gebruik": [{"id": "g", "voorzieningId": "v", "status": "Actief", "bedrijfsKritisch": True}]},
                   {"id": "l", "naam": "Unit4 Business Software B.V.", "type": "Leverancier"}],
               "voorzieningen": [{"id": "v", "naam": "Unit4 ERP", "beschrijving": ""}],
               "voorzieningaanbiedingen": [{"id": "a", "naam": "", "omschrijving": "", "type": ["(door)ontwikkeling"],
                                            "voorzieningId": "v", "organisatieId": "l"}]}
        inv, _ = read_gemma([("w.json", json.dumps(doc).encode())]).load()
        assert ("SYS-UNIT4-ERP", "belongs_to", "ORG-WATERSCHAP-VOORBEELD") in edges(inv)
        assert inv.nodes["P-UNIT4-ERP"].name == "Processes using Unit4 ERP"


class TestBadInput:
    def test_not_json(self):
        conv = read_gemma([("x.json", b"{not json")])
        assert conv.problems[0].rule == "unreadable-source" and conv.problems[0].line == 1

    def test_json_without_catalogue_collections(self):
        conv = read_gemma([("x.json", b'{"hello": [1, 2]}')])
        assert [p.rule for p in conv.problems] == ["unreadable-source"]
        assert "leveranciersorganisaties" in conv.problems[0].hint


def test_convert_command_and_matching(tmp_path):
    out, reviewed = tmp_path / "inv", tmp_path / "reviewed"
    result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(out), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["suppliers", "match", str(out), "--apply", "-o", str(reviewed)])
    assert result.exit_code == 0, result.output
    inv, _ = load(reviewed)
    g = build_graph(inv)
    visma = next(n for n, d in g.nodes(data=True) if d.get("name") == "Visma AS")
    assert g.nodes[visma]["catalogue_id"] == "CAT-VISMA"
    # GEMMA's own owner (Visma AS) is kept; the catalogue only fills what is empty.
    roxit = next(n for n, d in g.nodes(data=True) if d.get("name") == "Visma Roxit B.V.")
    assert [t for _, t, k in g.out_edges(roxit, keys=True) if k == "owned_by"] == [visma]



def test_gemma_criticality_is_marked_derived(result):
    """bedrijfsKritisch and the BIV's B give a criticality that says where it came from, as flat lists do."""
    _, inv, _ = result
    procs = {n.id: n.attrs for n in inv.nodes.values() if n.kind == "process"}
    key2 = procs["P-KEY2BURGERZAKEN"]
    assert key2["criticality"] == "high"
    assert "bedrijfsKritisch" in key2["criticality_source"] and "derived" in key2["criticality_source"]
    marked = [a for a in procs.values() if a.get("criticality")]
    assert marked and all(a.get("criticality_source") for a in marked)
