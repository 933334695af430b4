"""Flat application lists: columns recognised, rows converted, what could not be mapped reported; `sovmap convert`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph, graph_signature
from sovmap.ingest.convert import convert_path, detect_source
from sovmap.ingest.biv import parse_biv
from sovmap.ingest.flatlist import field_for, load_mapping, map_columns, mapping_yaml, read_flatlist
from sovmap.ingest.validate import load

FIXTURE = Path(__file__).parent / "fixtures" / "flatlist" / "applicaties.csv"
runner = CliRunner()


def convert(text: str, name: str = "apps.csv", **kw):
    return read_flatlist(name, text.encode("utf-8"), **kw)


def loaded(text: str, **kw):
    inv, problems = convert(text, **kw).load()
    assert inv is not None, [str(p) for p in problems]
    return inv, problems


def edges(inv) -> set[tuple[str, str, str]]:
    return {(e.source, e.relation, e.target) for e in inv.edges}


def by_rule(problems, rule: str) -> list:
    return [p for p in problems if p.rule == rule]


class TestMapColumns:
    def test_dutch_and_english_headers_name_the_same_fields(self):
        nl, _ = map_columns(["Applicatie", "Leverancier", "Kritikaliteit", "BIV-classificatie", "Persoonsgegevens"])
        en, _ = map_columns(["Application", "Vendor", "Criticality", "Classification", "Personal data"])
        assert [f for _, f in nl] == [f for _, f in en] == [
            "application", "supplier", "criticality", "classification", "personal_data"]

    def test_names_come_from_the_ontology_labels_too(self):
        # "geleverd door" and "gehost op" are the ontology's Dutch labels of provided_by and hosted_at.
        assert field_for("Geleverd door") == "supplier"
        assert field_for("gehost op") == "location"
        assert field_for("Kriticiteit") == "criticality"  # a sov:columnAlias

    def test_punctuation_and_case_do_not_matter(self):
        assert field_for("  EIGENAAR / AFDELING ") == "organisation"
        assert field_for("Land (leverancier)") == "supplier_country"

    def test_the_more_specific_name_wins_and_the_other_is_kept_as_extra(self):
        pairs, notes = map_columns(["Eigenaar", "Afdeling"])
        assert pairs == [("Eigenaar", "extra"), ("Afdeling", "organisation")]
        assert notes == ['"Eigenaar" also names organisation, which is read from "Afdeling"']

    def test_overrides_choose_the_field(self):
        pairs, _ = map_columns(["Pakket", "Partij", "Opmerking"],
                               {"Partij": "supplier", "Opmerking": "ignore"})
        assert pairs == [("Pakket", "application"), ("Partij", "supplier"), ("Opmerking", "ignore")]

    def test_unknown_columns_are_extra(self):
        pairs, _ = map_columns(["Applicatie", "Licentiekosten"])
        assert pairs[1] == ("Licentiekosten", "extra")


class TestParseBiv:
    @pytest.mark.parametrize("text, classification, b", [
        ("BBN1", "internal", None), ("BBN 2", "confidential", None), ("bbn-3", "secret", None),
        ("BIV 3-2-2", "confidential", 3), ("3/2/1", "internal", 3), ("322", "confidential", 3),
        ("B3 I2 V3", "secret", 3), ("B: hoog, I: midden, V: laag", "internal", 3), ("H-M-L", "internal", 3),
        ("hoog/midden/geen", "public", 3), ("midden", "confidential", None),
    ])
    def test_reads_the_ways_people_write_biv_and_bbn(self, text, classification, b):
        biv = parse_biv(text)
        assert biv.classification == classification
        assert biv.availability == b

    @pytest.mark.parametrize("text", ["BBN4", "BIV 4-2-2", "zeer geheim", "3-2", "B3 I2"])
    def test_refuses_what_it_cannot_read(self, text):
        assert parse_biv(text) is None


@pytest.fixture(scope="module")
def result():
    conv = read_flatlist(FIXTURE.name, FIXTURE.read_bytes(), lang="nl")
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems]
    return conv, inv, problems


class TestReadFlatList:
    """The fixture: a Dutch-Excel CSV with a title row, messy values and a row without a name."""

    def test_the_header_below_the_title_row_is_found(self, result):
        conv, _, problems = result
        assert conv.mapping[0] == ("Applicatie", "application")
        assert [p.line for p in by_rule(problems, "unmapped-value") if "above the column names" in p.message] == [1]

    def test_every_row_with_a_name_becomes_one_system(self, result):
        _, inv, _ = result
        systems = {n.name for n in inv.nodes.values() if n.kind == "system"}
        # "Zaaksysteem" appears twice and is merged; the nameless row is not converted.
        assert systems == {"Zaaksysteem", "Burgerzaken", "Microsoft 365", "Financien", "Website", "GIS-viewer"}

    def test_suppliers_are_deduplicated_by_name_whatever_the_legal_form_spelling(self, result):
        _, inv, _ = result
        centric = [n for n in inv.nodes.values() if n.kind == "supplier" and "centric" in n.name.lower()]
        # "Centric Netherlands B.V." and "centric netherlands bv" are one; plain "Centric" (a hosting party) is another.
        assert sorted(n.name for n in centric) == ["Centric", "Centric Netherlands B.V."]
        assert ("SYS-BURGERZAKEN", "provided_by", "S-CENTRIC-NETHERLANDS") in edges(inv)
        assert ("SYS-ZAAKSYSTEEM", "provided_by", "S-CENTRIC-NETHERLANDS") in edges(inv)

    def test_hosting_column_holds_a_model_or_a_party(self, result):
        _, inv, _ = result
        assert inv.nodes["SYS-BURGERZAKEN"].attrs["type"] == "On-premises"
        assert inv.nodes["SYS-MICROSOFT-365"].attrs["type"] == "SaaS"
        loc = next(t for s, r, t in edges(inv) if s == "SYS-MICROSOFT-365" and r == "hosted_at")
        assert inv.nodes[loc].name == "Datacenter Microsoft Ireland Operations Ltd (IE)"
        assert inv.nodes[loc].attrs["country"] == "IE"
        assert (loc, "operated_by", "S-MICROSOFT-IRELAND-OPERATIONS") in edges(inv)

    def test_supplier_countries_are_read_in_dutch(self, result):
        _, inv, _ = result
        assert inv.nodes["S-MICROSOFT"].attrs["country"] == "US"  # "Verenigde Staten"
        assert "country" not in inv.nodes["S-ONBEKEND-WEBBUREAU"].attrs  # "Nederlandd" is reported, not guessed

    def test_processes_get_the_highest_criticality_of_their_applications(self, result):
        _, inv, _ = result
        assert inv.nodes["P-ZAAKGERICHT-WERKEN"].attrs["criticality"] == "vital"
        assert inv.nodes["P-VERGUNNINGEN"].attrs["criticality"] == "high"
        # Two processes in one cell, separated by ";".
        assert {("P-BIJHOUDEN-BRP", "uses", "SYS-BURGERZAKEN"), ("P-VERHUIZINGEN", "uses", "SYS-BURGERZAKEN")} <= edges(inv)

    def test_a_row_without_process_gets_a_stand_in_process(self, result):
        _, inv, _ = result
        assert inv.nodes["P-WEBSITE"].name == "Processen die Website gebruiken"
        assert inv.nodes["P-WEBSITE"].attrs["criticality"] == "low"

    def test_biv_becomes_the_classification_of_a_stand_in_data_set(self, result):
        _, inv, _ = result
        assert inv.nodes["D-ZAAKSYSTEEM"].attrs == {"classification": "confidential", "personal_data": "personal"}
        assert inv.nodes["D-BURGERZAKEN"].attrs["classification"] == "confidential"  # BBN2
        assert inv.nodes["D-BURGERZAKEN"].attrs["personal_data"] == "special"
        assert inv.nodes["D-WEBSITE"].attrs["classification"] == "public"  # "openbaar" is an ontology value
        assert ("D-ZAAKSYSTEEM", "stored_in", "SYS-ZAAKSYSTEEM") in edges(inv)

    def test_the_original_biv_and_unknown_columns_stay_on_the_system(self, result):
        _, inv, _ = result
        attrs = inv.nodes["SYS-ZAAKSYSTEEM"].attrs
        assert attrs["BIV"] == "BIV 3-2-2"
        assert attrs["Eigenaar"] == "J. de Vries"

    def test_a_contract_number_becomes_a_contract_covering_the_system(self, result):
        _, inv, _ = result
        assert "Contractnummer" not in inv.nodes["SYS-ZAAKSYSTEEM"].attrs
        assert inv.nodes["C-2019-004"].kind == "contract"
        assert ("C-2019-004", "covers", "SYS-ZAAKSYSTEEM") in edges(inv)

    def test_departments_become_organisations(self, result):
        _, inv, _ = result
        assert ("SYS-ZAAKSYSTEEM", "belongs_to", "ORG-DIENSTVERLENING") in edges(inv)
        assert inv.nodes["ORG-DIENSTVERLENING"].kind == "organisation"

    def test_what_could_not_be_mapped_is_reported_line_by_line(self, result):
        _, _, problems = result
        unmapped = {(p.line, p.column, p.value) for p in by_rule(problems, "unmapped-value")}
        assert (5, "Exitplan", "in ontwikkeling") in unmapped
        assert (7, "Land leverancier", "Nederlandd") in unmapped
        assert (10, "Kritikaliteit", "zeer belangrijk") in unmapped
        nameless = [p for p in by_rule(problems, "unmapped-value") if p.line == 9]
        assert nameless and "Visma Roxit" in nameless[0].message
        assert {p.column for p in by_rule(problems, "unmapped-column")} == {"Eigenaar"}

    def test_the_hint_for_a_misspelt_country_names_it(self, result):
        _, _, problems = result
        p = next(p for p in problems if p.value == "Nederlandd")
        assert str(p).startswith("applicaties.csv line 7, column Land leverancier:")
        assert 'Did you mean "NL"?' in p.hint


class TestReadFlatListOddities:
    def test_english_list_with_english_stand_in_names(self):
        inv, _ = loaded("Application,Vendor,Country,Criticality\nPayroll,AFAS Software B.V.,Netherlands,high\n")
        assert inv.nodes["P-PAYROLL"].name == "Processes using Payroll"
        assert inv.nodes["S-AFAS-SOFTWARE"].attrs["country"] == "NL"

    def test_different_legal_forms_are_different_companies(self):
        inv, _ = loaded("Applicatie;Leverancier\nA;Microsoft B.V.\nB;Microsoft Corporation\nC;microsoft\n")
        suppliers = sorted((n.id, n.name) for n in inv.nodes.values() if n.kind == "supplier")
        assert suppliers == [("S-MICROSOFT", "Microsoft B.V."), ("S-MICROSOFT-CORPORATION", "Microsoft Corporation")]
        assert ("SYS-C", "provided_by", "S-MICROSOFT") in edges(inv)  # no legal form: the first one

    def test_an_application_id_column_gives_the_ids(self):
        inv, _ = loaded("Nr;Applicatie;Leverancier\nA-01;Zaaksysteem;Centric\nA-02;Zaaksysteem;Centric\n")
        assert sorted(n.id for n in inv.nodes.values() if n.kind == "system") == ["A-01", "A-02"]

    def test_no_application_column_is_an_error_with_a_hint(self):
        inv, problems = convert("Leverancier;Land\nCentric;NL\n").load()
        assert inv is None
        p = by_rule(problems, "missing-column")[0]
        assert p.column == "application" and "Applicatie" in p.hint

    def test_extra_values_beyond_the_header_are_reported(self):
        _, problems = loaded("Applicatie;Leverancier\nZaaksysteem;Centric;vergeten kolom\n")
        assert any(p.line == 2 and p.value == "vergeten kolom" for p in problems)

    def test_extra_columns_with_the_same_or_no_name_are_all_kept(self):
        inv, problems = loaded("Applicatie;Opmerking;Opmerking;\nZaaksysteem;eerste;tweede;derde\n")
        attrs = inv.nodes["SYS-ZAAKSYSTEEM"].attrs
        assert (attrs["Opmerking"], attrs["Opmerking (2)"], attrs["column 4"]) == ("eerste", "tweede", "derde")
        assert not [p for p in problems if p.rule == "conflicting-value"]

    def test_a_list_without_any_application_name_says_so(self):
        inv, problems = convert("Applicatie;Leverancier\n;Centric\n").load()
        assert inv is None
        assert [p.message for p in problems if p.rule == "unreadable-source"] == ["The list has no rows with an application name."]

    def test_an_extra_column_named_like_a_systems_column_is_renamed(self):
        inv, _ = loaded("Nummer;Applicatie;ID\nA-1;Zaaksysteem;oud-17\n")
        assert inv.nodes["A-1"].attrs["ID (source)"] == "oud-17"

    def test_a_catalogue_id_as_supplier_is_resolved_by_convert(self, tmp_path):
        path = tmp_path / "apps.csv"
        path.write_text("Applicatie;Leverancier\nE-mail;CAT-MICROSOFT-IE\n", "utf-8")
        inv, problems = convert_path(path).load()
        assert inv.nodes["CAT-MICROSOFT-IE"].attrs["country"] == "IE"
        assert ("CAT-MICROSOFT-IE", "owned_by", "CAT-MICROSOFT") in edges(inv)
        assert ("SYS-E-MAIL", "provided_by", "CAT-MICROSOFT-IE") in edges(inv)

    def test_a_misspelt_catalogue_id_is_an_error(self, tmp_path):
        path = tmp_path / "apps.csv"
        path.write_text("Applicatie;Leverancier\nE-mail;CAT-MICROSOFTT\n", "utf-8")
        inv, problems = convert_path(path).load()
        assert inv is None
        p = by_rule(problems, "unknown-catalogue-id")[0]
        assert p.value == "CAT-MICROSOFTT" and 'Did you mean "CAT-MICROSOFT"?' in p.hint


def test_a_quote_that_joins_two_rows_of_a_flat_list_is_named():
    """A list like the municipality's own export: a quote opened in the Proces cell of one row closes in the next."""
    lines = FIXTURE.read_text("utf-8").split("\n")
    lines[2] = lines[2].replace(";Zaakgericht werken;", ';"Zaakgericht werken;')
    lines[3] = lines[3].replace('"Bijhouden BRP; Verhuizingen"', 'Bijhouden BRP"')
    conv = convert("\n".join(lines), name="applicaties.csv")
    p, = by_rule(conv.problems, "quote-spans-rows")
    assert p.line == 3 and "closes on line 4" in p.message
    inv, problems = conv.load()
    assert inv is not None and any(q.rule == "quote-spans-rows" for q in problems)


def test_an_application_list_given_as_an_inventory_file_says_to_convert_it():
    """The dashboard's upload reads inventories only: an application list gets the answer `sovmap convert` gives."""
    from sovmap.ingest.validate import load_files

    inv, problems = load_files([("applicaties.csv", FIXTURE.read_bytes())])
    p = next(p for p in problems if p.file == "applicaties.csv")
    assert inv is None and p.rule == "unknown-file"
    assert 'application list (column "Applicatie")' in p.message
    assert "sovmap convert applicaties.csv -o inventory" in p.hint
    _, problems = load_files([("telefoonlijst.csv", b"naam,telefoon\nJan,0612345678\n")])
    assert [p.message for p in problems if p.file == "telefoonlijst.csv"] == [
        "This file is not part of the inventory and was not read."]


class TestWorkbooks:
    def _workbook(self, path: Path) -> Path:
        wb = openpyxl.Workbook()
        notes = wb.active
        notes.title = "Toelichting"
        notes.append(["Dit overzicht is bijgewerkt in maart."])
        ws = wb.create_sheet("Overzicht")
        ws.append(["Applicatieoverzicht 2025"])
        ws.append([])
        ws.append(["Applicatie", "Leverancier", "Kritikaliteit", "Exitplan"])
        ws.append(["Zaaksysteem", "Centric", "Vitaal", True])
        ws.append(["Financiën", "Unit4", "hoog", False])  # a formula without a calculated value is an error now
        wb.save(path)
        return path

    def test_the_sheet_that_looks_like_the_list_is_read(self, tmp_path):
        path = self._workbook(tmp_path / "lijst.xlsx")
        conv = read_flatlist(path.name, path.read_bytes())
        assert conv.source == "lijst.xlsx [Overzicht]"
        inv, _ = conv.load()
        assert inv.nodes["SYS-ZAAKSYSTEEM"].attrs["exit_plan"] == "yes"  # a TRUE cell
        assert inv.nodes["P-ZAAKSYSTEEM"].attrs["criticality"] == "vital"

    def test_a_named_sheet_that_does_not_exist_is_reported(self, tmp_path):
        path = self._workbook(tmp_path / "lijst.xlsx")
        conv = read_flatlist(path.name, path.read_bytes(), sheet="Blad9")
        assert conv.problems[0].rule == "unreadable-source" and '"Overzicht"' in conv.problems[0].hint

    def test_a_workbook_of_inventory_sheets_is_detected_as_an_inventory(self, tmp_path, mini_path):
        from sovmap.ingest.write import inventory_tables, xlsx_bytes

        inv, _ = load(mini_path)
        path = tmp_path / "inventaris.xlsx"
        path.write_bytes(xlsx_bytes(inventory_tables(build_graph(inv), "nl")))
        assert detect_source(path) == "inventory"
        assert detect_source(self._workbook(tmp_path / "lijst.xlsx")) == "flat"


class TestMappingFile:
    def test_saved_mapping_reads_back_the_same(self, tmp_path):
        conv = read_flatlist(FIXTURE.name, FIXTURE.read_bytes())
        path = tmp_path / "mapping.yaml"
        path.write_text(mapping_yaml(conv.mapping, conv.source), "utf-8")
        mapping, problems = load_mapping(path)
        assert problems == []
        assert list(mapping["columns"].items()) == conv.mapping

    def test_a_mapping_corrects_columns_and_values(self, tmp_path):
        path = tmp_path / "mapping.yaml"
        path.write_text("columns:\n  Eigenaar: organisation\n  Afdeling: extra\n"
                        "values:\n  criticality:\n    zeer belangrijk: vital\n  exit_plan:\n    in ontwikkeling: nee\n", "utf-8")
        mapping, problems = load_mapping(path)
        assert problems == []
        conv = read_flatlist(FIXTURE.name, FIXTURE.read_bytes(), mapping=mapping)
        inv, problems = conv.load()
        assert ("SYS-ZAAKSYSTEEM", "belongs_to", "ORG-J-DE-VRIES") in edges(inv)
        assert inv.nodes["SYS-ZAAKSYSTEEM"].attrs["Afdeling"] == "Dienstverlening"
        assert inv.nodes["P-GIS-VIEWER"].attrs["criticality"] == "vital"
        assert inv.nodes["SYS-MICROSOFT-365"].attrs["exit_plan"] == "no"
        assert not any(p.value in ("zeer belangrijk", "in ontwikkeling") for p in problems)

    def test_mistakes_in_the_mapping_file_are_reported(self, tmp_path):
        path = tmp_path / "mapping.yaml"
        path.write_text("columns:\n  Leverancier: leveranciers\nvalues:\n  criticality:\n    x: supervital\n"
                        "  supplier:\n    a: b\n", "utf-8")
        _, problems = load_mapping(path)
        assert [(p.rule, p.value) for p in problems] == [
            ("bad-mapping", "leveranciers"), ("bad-mapping", "supervital"), ("bad-mapping", None)]

    def test_a_mapping_naming_a_missing_column_is_an_error(self):
        conv = read_flatlist(FIXTURE.name, FIXTURE.read_bytes(), mapping={"columns": {"Kostenplaats": "extra"}})
        inv, problems = conv.load()
        assert inv is None and by_rule(problems, "bad-mapping")[0].column == "Kostenplaats"


class TestConvertCommand:
    def test_converts_a_flat_list_and_prints_the_mapping_and_the_report(self, tmp_path):
        out = tmp_path / "inv"
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert '"Leverancier"      → supplier' in result.stdout
        assert "line 7, column Land leverancier" in result.stdout
        inv, problems = load(out)
        assert inv is not None and len([n for n in inv.nodes.values() if n.kind == "system"]) == 6
        assert (out / "systems.csv").read_text("utf-8").startswith("id,name,")

    def test_dutch_output_and_a_saved_mapping(self, tmp_path):
        out, mapping = tmp_path / "inv", tmp_path / "kolommen.yaml"
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(out), "--lang", "nl", "--save-mapping", str(mapping)])
        assert result.exit_code == 0, result.output
        assert (out / "systemen.csv").read_text("utf-8").startswith("id,naam,")
        assert "  Leverancier: supplier" in mapping.read_text("utf-8")

    def test_xlsx_output_and_json(self, tmp_path):
        out = tmp_path / "inventaris.xlsx"
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(out), "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["kind"] == "flat" and data["counts"]["systems"] == 6
        assert {"column": "BIV", "field": "classification"} in data["mapping"]
        assert any(p["rule"] == "unmapped-column" for p in data["problems"])
        inv, _ = load(out)
        assert inv is not None

    def test_zip_output_and_a_wrong_output_name(self, tmp_path):
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(tmp_path / "inventaris.zip")])
        assert result.exit_code == 0, result.output
        assert load(tmp_path / "inventaris.zip")[0] is not None
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(tmp_path / "systems.csv")])
        assert result.exit_code == 2 and ".xlsx or .zip" in result.output

    def test_a_bad_mapping_file_is_a_usage_error(self, tmp_path):
        mapping = tmp_path / "m.yaml"
        mapping.write_text("columns:\n  Leverancier: nonsense\n", "utf-8")
        result = runner.invoke(app, ["convert", str(FIXTURE), "-o", str(tmp_path / "o"), "--mapping", str(mapping)])
        assert result.exit_code == 2 and '"nonsense" is not a field' in result.output

    def test_an_unrecognised_file_is_an_error_with_a_hint(self, tmp_path):
        path = tmp_path / "notes.docx"
        path.write_bytes(b"PK\x03\x04")
        result = runner.invoke(app, ["convert", str(path), "-o", str(tmp_path / "o")])
        assert result.exit_code == 1 and "--from" in result.output
        assert not (tmp_path / "o").exists()


class TestDemoFlatList:
    """The demo: a municipal application list naming real suppliers, converted and matched to the catalogue."""

    DEMO = Path(__file__).parent.parent / "sovmap" / "demo" / "flatlist"

    def test_the_workbook_holds_the_same_list_as_the_csv(self):
        ws = openpyxl.load_workbook(self.DEMO / "applicaties.xlsx", read_only=True).worksheets[0]
        sheet = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
        sheet = [r for r in sheet if any(r)][1:]  # without the title row
        rows = list(csv.reader(io.StringIO((self.DEMO / "applicaties.csv").read_text("utf-8-sig")), delimiter=";"))
        assert sheet == rows
        assert 30 <= len(rows) - 1 <= 50

    def test_convert_then_match_gives_suppliers_with_countries_and_owners(self, tmp_path):
        converted, reviewed = tmp_path / "x", tmp_path / "y"
        result = runner.invoke(app, ["convert", str(self.DEMO / "applicaties.xlsx"), "-o", str(converted)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["suppliers", "match", str(converted), "--apply", "--min-score", "90", "-o", str(reviewed)])
        assert result.exit_code == 0, result.output
        inv, problems = load(reviewed)
        assert inv is not None
        g = build_graph(inv)
        suppliers = [n for n, k in g.nodes(data="kind") if k == "supplier"]
        assert all(g.nodes[n].get("country") for n in suppliers), [n for n in suppliers if not g.nodes[n].get("country")]
        from sovmap.graph.ownership import chain_countries, ownership_chain

        ms = next(n for n in suppliers if g.nodes[n].get("catalogue_id") == "CAT-MICROSOFT-IE")
        assert chain_countries(g, ms) == ["IE", "US"]
        northc = next(n for n in suppliers if g.nodes[n].get("catalogue_id") == "CAT-NORTHC")
        assert [g.nodes[n].get("catalogue_id") for n in ownership_chain(g, northc)] == ["CAT-NORTHC", "CAT-DWS", "CAT-DEUTSCHE-BANK"]
        # "AFAS" (hosting party) and "AFAS Software B.V." (supplier) are one company after matching.
        assert sum(g.nodes[n].get("catalogue_id") == "CAT-AFAS" for n in suppliers) == 1

    def test_the_csv_and_the_workbook_convert_to_the_same_inventory(self):
        a, _ = convert_path(self.DEMO / "applicaties.csv").load()
        b, _ = convert_path(self.DEMO / "applicaties.xlsx").load()
        strip = lambda inv: graph_signature(build_graph(inv))  # noqa: E731
        assert strip(a) == strip(b)


class TestSoftwarecatalogusExport:
    """The Softwarecatalogus CSV exports. The fixture is written for these tests in the shape of the export "Alle
    pakketten", whose header row is the column list https://www.softwarecatalogus.nl/Beschrijving%20exportbestanden
    gives (see tests/fixtures/flatlist/README.md)."""

    SOURCE = Path(__file__).parent / "fixtures" / "flatlist" / "softwarecatalogus_alle_pakketten.csv"

    def test_its_headers_are_recognised(self):
        conv = read_flatlist(self.SOURCE.name, self.SOURCE.read_bytes())
        mapping = dict(conv.mapping)
        assert (mapping["Pakket Naam"], mapping["Leverancier Naam"]) == ("application", "supplier")
        assert mapping["Pakketversie Naam"] == "extra"  # a version, not the package's name
        inv, problems = conv.load()
        assert inv is not None, [str(p) for p in problems]
        systems = {n.name: n for n in inv.nodes.values() if n.kind == "system"}
        assert sorted(systems) == ["Key2Burgerzaken", "Zaaksysteem.nl", "iBurgerzaken"]
        assert systems["Key2Burgerzaken"].attrs["Pakketversie Naam"] == "2024.1"
        suppliers = {inv.nodes[e.target].name for e in inv.edges if e.relation == "provided_by"}
        assert suppliers == {"Centric Netherlands B.V.", "PinkRoccade Local Government B.V.", "Exxellence Group B.V."}

    def test_an_openregister_export_names_suppliers_by_name_not_by_guid(self):
        """The register's export: "aanbieder" holds a GUID, "_aanbieder" the name (see the fixture's README)."""
        source = self.SOURCE.with_name("softwarecatalogus_openregister_applicaties.csv")
        conv = read_flatlist(source.name, source.read_bytes())
        mapping = dict(conv.mapping)
        assert (mapping["naam"], mapping["_aanbieder"], mapping["aanbieder"]) == ("application", "supplier", "extra")
        inv, problems = conv.load()
        assert inv is not None, [str(p) for p in problems]
        provided = {inv.nodes[e.source].name: inv.nodes[e.target].name for e in inv.edges if e.relation == "provided_by"}
        assert provided == {"Zaakregister Noord": "Voorbeeld Software B.V.", "Tijdschrijven": "Voorbeeld Software B.V.",
                            "Raadsinformatie Online": "Griffie Diensten B.V."}
        assert not any(p.rule in ("unclosed-quote", "quote-spans-rows") for p in problems)

    def test_a_gemeente_column_gives_the_organisation(self):
        inv, _ = loaded("Gemeente,Leverancier Naam,Pakket Naam,Pakketversie Naam\n"
                        "Gemeente Voorbeeldstad,Centric Netherlands B.V.,Key2Burgerzaken,2024.1\n")
        assert ("SYS-KEY2BURGERZAKEN", "belongs_to", "ORG-GEMEENTE-VOORBEELDSTAD") in edges(inv)
        assert ("SYS-KEY2BURGERZAKEN", "provided_by", "S-CENTRIC-NETHERLANDS") in edges(inv)


class TestTransposedSheets:
    TEXT = ("Veld;Item 1;Item 2\nApplicatie;Zaaksysteem;Website\nLeverancier;Centric Netherlands B.V.;Acme GmbH\n"
            "Land leverancier;NL;Duitsland\nKritikaliteit;vitaal;heel hoog\n")

    def test_fields_down_the_first_column_are_read_one_item_per_column(self):
        conv = convert(self.TEXT)
        assert conv.source == "apps.csv (transposed: line n = column n)"
        assert ("Leverancier", "supplier") in conv.mapping
        inv, problems = conv.load()
        assert inv is not None, [str(p) for p in problems]
        assert {n.name for n in inv.nodes.values() if n.kind == "system"} == {"Zaaksysteem", "Website"}
        assert ("SYS-WEBSITE", "provided_by", "S-ACME") in edges(inv)
        assert inv.nodes["S-ACME"].attrs["country"] == "DE"
        assert inv.nodes["P-ZAAKSYSTEEM"].attrs["criticality"] == "vital"
        bad = [p for p in problems if p.value == "heel hoog"]
        assert len(bad) == 1 and bad[0].line == 3 and bad[0].column == "Kritikaliteit"  # the third column

    def test_a_transposed_workbook(self, tmp_path):
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in [["Applicatie", "Zaaksysteem", "Website"], ["Leverancier", "Centric", "Acme GmbH"],
                    ["Hosting", "SaaS", "on-premises"]]:
            ws.append(row)
        path = tmp_path / "invulformulier.xlsx"
        wb.save(path)
        inv, problems = read_flatlist(path.name, path.read_bytes()).load()
        assert inv is not None, [str(p) for p in problems]
        assert sorted(n.name for n in inv.nodes.values() if n.kind == "system") == ["Website", "Zaaksysteem"]
        assert inv.nodes["SYS-ZAAKSYSTEEM"].attrs["type"] == "SaaS"

    def test_a_list_whose_first_column_holds_names_like_fields_stays_a_list(self):
        inv, _ = loaded("Applicatie;Leverancier;Land\nData;Centric;NL\nSoftware;Acme;DE\n")
        assert {n.name for n in inv.nodes.values() if n.kind == "system"} == {"Data", "Software"}

    def test_fields_down_the_column_without_the_application_are_refused_with_a_hint(self, tmp_path):
        conv = convert("Leverancier;Centric;Acme\nLand leverancier;NL;DE\nKritikaliteit;hoog;laag\n")
        inv, problems = conv.load()
        assert inv is None
        p = by_rule(problems, "missing-column")[0]
        assert 'The first column seems to hold the fields ("Leverancier", "Land leverancier", "Kritikaliteit")' \
            in p.message
        assert "one item per column" in p.hint
        path = tmp_path / "sjabloon.csv"
        path.write_text("Leverancier;Centric;Acme\nLand leverancier;NL;DE\n", "utf-8")
        result = runner.invoke(app, ["convert", str(path), "-o", str(tmp_path / "out")])
        assert result.exit_code == 1 and not (tmp_path / "out").exists()
