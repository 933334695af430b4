"""Validation problems name the file, line, column and value, with a hint; bad input never half-loads."""

from __future__ import annotations

import io
import zipfile

import pytest

from sovmap.graph.model import build_graph, graph_signature
from sovmap.ingest.problems import RULES, has_errors
from sovmap.ingest.validate import load, load_files

SUPPLIERS = "id,name,country,parent_id\nS-KYN,Kynthos Cloud Inc.,US,\nS-NORD,Noordhaven B.V.,NL,S-KYN\n"
SYSTEMS = "id,name,supplier_id,location_id\nSYS-MAIL,E-mail,S-KYN,\nSYS-WEB,Website,S-NORD,\n"


def run(files: dict[str, str]):
    return load_files([(name, text.encode("utf-8")) for name, text in files.items()])


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} in {[str(p) for p in problems]}"
    return found[0]


class TestEachProblem:
    def test_missing_required_column(self):
        inv, problems = run({"systems.csv": "id,naam_fout\nSYS-1,Mail\n"})
        p = only(problems, "missing-column")
        assert inv is None
        assert (p.file, p.line, p.column) == ("systems.csv", 1, "name")
        assert str(p).startswith('systems.csv line 1, column name: The required column "name" is missing.')
        assert '"naam"' in p.hint

    def test_duplicate_id_within_a_file(self):
        inv, problems = run({"systems.csv": "id,name\nSYS-1,Mail\nSYS-1,Web\n"})
        p = only(problems, "duplicate-id")
        assert (p.file, p.line, p.value) == ("systems.csv", 3, "SYS-1")
        assert "systems.csv line 2" in p.message

    def test_duplicate_id_across_files(self):
        inv, problems = run({"suppliers.csv": "id,name\nX-1,Kynthos\n", "systems.csv": "id,name\nX-1,Mail\n"})
        p = only(problems, "duplicate-id")
        assert p.value == "X-1"
        assert {p.file} | {p.message.split(" in ")[1].split(" line")[0]} == {"systems.csv", "suppliers.csv"}

    def test_unknown_reference_in_an_id_column_suggests_the_close_id(self):
        inv, problems = run({"suppliers.csv": "id,name\nS-ATLAS,Atlas\n",
                             "systems.csv": "id,name,supplier_id\nSYS-1,Mail,S-ATLASS\n"})
        p = only(problems, "unknown-reference")
        assert str(p) == ('systems.csv line 2, column supplier_id: "S-ATLASS" is not a known id of a supplier. '
                          'Did you mean "S-ATLAS"?')

    def test_reference_to_an_id_of_the_wrong_kind(self):
        inv, problems = run({"locations.csv": "id,name\nL-1,DC\n", "systems.csv": "id,name,supplier_id\nSYS-1,Mail,L-1\n"})
        p = only(problems, "unknown-reference")
        assert p.value == "L-1" and "is a location" in p.message

    def test_unknown_reference_in_dependencies(self):
        inv, problems = run({"systems.csv": "id,name\nSYS-1,Mail\n",
                             "processes.csv": "id,name\nP-1,Proc\n",
                             "dependencies.csv": "from_id,to_id\nP-1,SYS-2\n"})
        p = only(problems, "unknown-reference")
        assert (p.file, p.line, p.column, p.value) == ("dependencies.csv", 2, "to_id", "SYS-2")
        assert p.hint == 'Did you mean "SYS-1"?'

    def test_unknown_enum_value_lists_the_accepted_values(self):
        inv, problems = run({"processes.csv": "id,name,criticality\nP-1,Proc,vitale\n"})
        p = only(problems, "unknown-value")
        assert (p.file, p.line, p.column, p.value) == ("processes.csv", 2, "criticality", "vitale")
        assert "vital (vitaal)" in p.hint and "Did you mean" in p.hint

    def test_unknown_country_suggests_a_code(self):
        inv, problems = run({"suppliers.csv": "id,name,country\nS-1,Kynthos,Nederlnd\n"})
        p = only(problems, "unknown-country")
        assert (p.line, p.column, p.value) == (2, "country", "Nederlnd")
        assert '"NL"' in p.hint

    def test_country_names_in_dutch_and_english_are_normalised(self):
        inv, problems = run({"suppliers.csv": "id,name,country\nS-1,A,Verenigde Staten\nS-2,B,germany\nS-3,C,nl\n"})
        assert not has_errors(problems)
        assert [inv.nodes[s].attrs["country"] for s in ("S-1", "S-2", "S-3")] == ["US", "DE", "NL"]

    def test_cycle_in_parent_chain(self):
        inv, problems = run({"suppliers.csv": "id,name,parent_id\nS-A,A,S-B\nS-B,B,S-C\nS-C,C,S-A\n"})
        p = only(problems, "parent-cycle")
        assert (p.file, p.line, p.column) == ("suppliers.csv", 2, "parent_id")
        assert "S-A → S-B → S-C → S-A" in p.message

    def test_cycle_in_organisation_parents(self):
        inv, problems = run({"organisations.csv": "id,name,parent_id\nO-1,Gemeente,O-2\nO-2,Dienst,O-1\n"})
        assert only(problems, "parent-cycle").file == "organisations.csv"

    def test_min_required_larger_than_its_group(self):
        inv, problems = run({"processes.csv": "id,name\nP-1,Proc\n", "systems.csv": "id,name\nA,A\nB,B\n",
                             "dependencies.csv": "from_id,to_id,alternative_group,min_required\nP-1,A,g,3\nP-1,B,g,3\n"})
        p = only(problems, "min-required-too-large")
        assert (p.file, p.column, p.value) == ("dependencies.csv", "min_required", "3")
        assert p.line in (2, 3) and "only 2 alternatives" in p.message

    def test_min_required_disagreeing_within_a_group(self):
        inv, problems = run({"processes.csv": "id,name\nP-1,Proc\n", "systems.csv": "id,name\nA,A\nB,B\nC,C\n",
                             "dependencies.csv": "from_id,to_id,alternative_group,min_required\n"
                                                 "P-1,A,g,1\nP-1,B,g,2\nP-1,C,g,2\n"})
        p = only(problems, "min-required-disagrees")
        assert p.file == "dependencies.csv" and p.line == 4 and "[1, 2]" in p.message

    def test_min_required_not_a_number(self):
        inv, problems = run({"processes.csv": "id,name\nP-1,Proc\n", "systems.csv": "id,name\nA,A\nB,B\n",
                             "dependencies.csv": "from_id,to_id,alternative_group,min_required\nP-1,A,g,twee\n"})
        p = only(problems, "bad-min-required")
        assert (p.line, p.value) == (2, "twee")

    def test_binary_file_is_not_text(self):
        inv, problems = load_files([("systems.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")])
        p = only(problems, "not-text")
        assert inv is None and p.file == "systems.csv" and "not a text" in p.message

    def test_damaged_workbook(self):
        inv, problems = load_files([("inventaris.xlsx", b"PK\x03\x04 not really a workbook")])
        assert only(problems, "not-text").file == "inventaris.xlsx" and inv is None

    def test_missing_value(self):
        inv, problems = run({"systems.csv": "id,name\n,Mail\n"})
        p = only(problems, "missing-value")
        assert (p.line, p.column) == (2, "id")

    def test_type_that_does_not_fit_the_kinds(self):
        inv, problems = run({"processes.csv": "id,name\nP-1,Proc\n", "suppliers.csv": "id,name\nS-1,Sup\n",
                             "dependencies.csv": "from_id,to_id,type\nP-1,S-1,hosted_at\n"})
        p = only(problems, "type-mismatch")
        assert (p.line, p.value) == (2, "hosted_at")

    def test_type_that_cannot_be_implied(self):
        inv, problems = run({"processes.csv": "id,name\nP-1,Proc\n", "suppliers.csv": "id,name\nS-1,Sup\n",
                             "dependencies.csv": "from_id,to_id\nP-1,S-1\n"})
        assert only(problems, "type-not-implied").line == 2

    def test_shifted_row_with_extra_cells(self):
        inv, problems = run({"systems.csv": "id,name\nSYS-1,Mail,extra\n"})
        assert only(problems, "extra-cells").line == 2

    def test_every_rule_has_a_description_and_severity(self):
        for rule in RULES.values():
            assert rule.severity in ("error", "warning") and rule.description


class TestWarnings:
    def test_system_without_supplier_or_location_is_a_warning_that_does_not_fail(self):
        inv, problems = run({"systems.csv": "id,name\nSYS-1,Excel-lijst\n"})
        p = only(problems, "no-supplier-or-location")
        assert p.severity == "warning" and inv is not None and "SYS-1" in p.message

    def test_unknown_file_is_reported_not_read(self):
        inv, problems = run({"systems.csv": "id,name,supplier_id\nSYS-1,Mail,\n", "notities.csv": "a\n"})
        assert only(problems, "unknown-file").file == "notities.csv"


class TestLineNumbers:
    def test_line_numbers_count_physical_lines_with_quoted_newlines_and_blank_lines(self):
        text = 'id,name\r\nSYS-1,"Mail\r\nen agenda"\r\n\r\nSYS-2,Web,\r\n'
        inv, problems = run({"systems.csv": text.replace("Web,", "Web,x")})
        assert only(problems, "extra-cells").line == 5

    def test_xlsx_rows_are_excel_row_numbers(self):
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "systemen"
        ws.append(["id", "naam", "leverancier"])
        ws.append(["SYS-1", "Mail", "S-ONBEKEND"])
        buf = io.BytesIO()
        wb.save(buf)
        inv, problems = load_files([("inventaris.xlsx", buf.getvalue())])
        p = only(problems, "unknown-reference")
        # the column is named as the workbook writes it
        assert (p.file, p.line, p.column) == ("inventaris.xlsx [systemen]", 2, "leverancier")


class TestAllOrNothing:
    def test_a_failing_load_returns_nothing_and_changes_nothing(self, tmp_path, mini_path):
        inv, _ = load(mini_path)
        before = graph_signature(build_graph(inv))
        broken = {p.name: p.read_text("utf-8") for p in mini_path.glob("*.csv")}
        broken["systems.csv"] += "SYS-BAD,Kapot,,S-BESTAAT-NIET,,,,,,\n"
        for name, text in broken.items():
            (tmp_path / name).write_text(text, "utf-8")
        bad, problems = load(tmp_path)
        assert bad is None and has_errors(problems)
        # the good inventory, loaded again, is untouched by the failed attempt
        again, _ = load(mini_path)
        assert graph_signature(build_graph(again)) == before

    def test_errors_in_several_files_are_all_reported_at_once(self):
        inv, problems = run({"systems.csv": "id,name,supplier_id\nSYS-1,Mail,S-X\n",
                             "processes.csv": "id,name,criticality\nP-1,Proc,kritiek\n"})
        assert {p.file for p in problems if p.severity == "error"} == {"systems.csv", "processes.csv"}

    def test_nothing_given(self):
        inv, problems = load_files([])
        assert inv is None and only(problems, "no-inventory")

    def test_missing_path(self, tmp_path):
        inv, problems = load(tmp_path / "bestaat-niet")
        assert inv is None and only(problems, "no-inventory").hint == "Check the path."


class TestDutchExcel:
    def test_semicolons_windows_1252_bom_and_crlf(self):
        text = "id;naam;land\r\nS-1;Société Générale;Frankrijk\r\n"
        inv, problems = load_files([("leveranciers.csv", text.encode("cp1252"))])
        assert not problems and inv.nodes["S-1"].name == "Société Générale"
        inv2, _ = load_files([("Leveranciers.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))])
        assert inv2.nodes["S-1"].name == "Société Générale" and inv2.nodes["S-1"].attrs["country"] == "FR"

    def test_unknown_extra_columns_are_kept_as_properties(self):
        inv, problems = run({"systems.csv": "id,name,supplier_id,Contractnummer\nSYS-1,Mail,,C-2024-17\n"})
        assert inv.nodes["SYS-1"].attrs["Contractnummer"] == "C-2024-17"

    def test_zip_of_a_folder_with_macos_junk(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("inventaris/systemen.csv", "id;naam\nSYS-1;Mail\n")
            zf.writestr("__MACOSX/inventaris/._systemen.csv", b"\x00\x05\x16\x07")
        inv, problems = load_files([("inventaris.zip", buf.getvalue())])
        assert inv is not None and list(inv.nodes) == ["SYS-1"]


@pytest.mark.parametrize("value,expected", [("Vitaal", "vital"), (" HOOG ", "high"), ("midden", "medium"), ("low", "low")])
def test_enum_values_are_case_insensitive_and_trimmed(value, expected):
    inv, _ = run({"processes.csv": f"id,name,criticality\nP-1,Proc,{value}\n"})
    assert inv.nodes["P-1"].attrs["criticality"] == expected
