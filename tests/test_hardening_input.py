"""Hostile and damaged input at the ingest boundary: bounded, never silently lost, never a traceback."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.ingest.archimate import read_archimate
from sovmap.ingest.gemma import read_gemma
from sovmap.ingest.read import Limits, read_files, read_path
from sovmap.ingest.validate import load, load_files
from sovmap.ingest.write import csv_bytes, neutralise, xlsx_bytes

runner = CliRunner()
SUPPLIERS = b"id,name,country\nS-1,Kynthos,US\n"
SYSTEMS = b"id,name,supplier_id\nSYS-1,Mail,S-1\n"
MB = 1024 * 1024


def zip_of(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def rules(problems) -> list[str]:
    return [p.rule for p in problems]


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


# --- defect 2: bounded input -----------------------------------------------------------------------------------

class TestBoundedZip:
    def test_total_uncompressed_size_is_checked_from_the_headers(self):
        bomb = zip_of({f"m{i}/systems.csv": b"a" * (2 * MB) for i in range(3)})
        tracemalloc.start()
        tables, problems = read_files([("bomb.zip", bomb)], limits=Limits(max_bytes=4 * MB))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        p = only(problems, "too-large")
        assert p.file == "bomb.zip" and tables == []
        assert "6.0 MB uncompressed" in p.message and "4 MB" in p.message and "SOVMAP_MAX_INPUT_MB" in p.hint
        assert peak < 2 * MB  # nothing was decompressed

    def test_compression_ratio(self):
        bomb = zip_of({"systems.csv": b"\0" * (3 * MB)})
        p = only(read_files([("x.zip", bomb)], limits=Limits(max_ratio=50))[1], "too-large")
        assert p.file == "x.zip/systems.csv" and "compressed" in p.message and "zip bomb" in p.message

    def test_a_header_that_lies_about_the_size_does_not_help(self):
        data = bytearray(zip_of({"systems.csv": SYSTEMS + b"x" * (5 * MB)}))
        real = (len(SYSTEMS) + 5 * MB).to_bytes(4, "little")
        for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header and central directory
            at = data.find(sig)
            assert data[at + offset:at + offset + 4] == real
            data[at + offset:at + offset + 4] = (100).to_bytes(4, "little")
        tracemalloc.start()
        tables, problems = read_files([("liar.zip", bytes(data))], limits=Limits(max_bytes=2 * MB))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert tables == [] and rules(problems) == ["not-text"]
        assert problems[0].file == "liar.zip/systems.csv" and "damaged" in problems[0].message
        assert peak < 3 * MB

    def test_member_count(self):
        z = zip_of({f"x{i}/systems.csv": SYSTEMS for i in range(5)})
        p = only(read_files([("many.zip", z)], limits=Limits(max_members=3))[1], "too-large")
        assert "5 members" in p.message and "3" in p.message

    def test_400_deep_nesting_is_a_problem_not_a_recursion_error(self):
        data, name = SYSTEMS, "systems.csv"
        for i in range(400):
            data, name = zip_of({name: data}), f"level{i}.zip"
        p = only(read_files([("deep.zip", data)])[1], "too-large")
        assert "nested" in p.message and p.file.count(".zip") == 4

    def test_corrupt_member_is_a_problem_not_badzipfile(self):
        data = bytearray(zip_of({"suppliers.csv": SUPPLIERS * 50, "systems.csv": SYSTEMS}))
        data[60] ^= 0xFF  # inside the first member's compressed data
        tables, problems = read_files([("inv.zip", bytes(data))])
        p = only(problems, "not-text")
        assert p.file == "inv.zip/suppliers.csv" and "damaged" in p.message

    def test_names_are_checked_before_decompressing(self):
        z = zip_of({"photo.bin": b"\0" * (8 * MB), "systems.csv": SYSTEMS})
        tables, problems = read_files([("inv.zip", z)], limits=Limits(max_bytes=MB))
        assert rules(problems) == ["unknown-file"] and problems[0].file == "inv.zip/photo.bin"
        assert [t.file for t in tables] == ["inv.zip/systems.csv"]


class TestSizeLimits:
    def test_environment_setting_names_the_file_and_the_limit(self, monkeypatch):
        monkeypatch.setenv("SOVMAP_MAX_INPUT_MB", "1")
        inv, problems = load_files([("systems.csv", SYSTEMS + b"SYS-2,x,S-1\n" * 100_000)])
        p = only(problems, "too-large")
        assert inv is None and p.file == "systems.csv" and "1 MB" in p.message and "SOVMAP_MAX_INPUT_MB (now 1 MB)" in p.hint

    def test_folder_sizes_are_checked_before_reading(self, tmp_path):
        (tmp_path / "systems.csv").write_bytes(SYSTEMS + b"x" * (2 * MB))
        p = only(read_path(tmp_path, limits=Limits(max_bytes=MB))[1], "too-large")
        assert p.file.endswith("systems.csv")

    def test_csv_cells(self):
        p = only(read_files([("systems.csv", SYSTEMS * 4)], limits=Limits(max_cells=7))[1], "too-large")
        assert p.line == 3 and "more than 7 cells" in p.message

    def test_xlsx_cells_and_sheets(self):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "systems"
        for i in range(50):
            ws.append([f"SYS-{i}", "Mail", "S-1"])
        for i in range(5):
            wb.create_sheet(f"extra{i}")
        buf = io.BytesIO()
        wb.save(buf)
        p = only(read_files([("b.xlsx", buf.getvalue())], limits=Limits(max_cells=60))[1], "too-large")
        assert p.file == "b.xlsx [systems]" and p.line == 21
        p = only(read_files([("b.xlsx", buf.getvalue())], limits=Limits(max_sheets=3))[1], "too-large")
        assert "6 sheets" in p.message

    def test_xlsx_zip_bomb(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", b" " * (5 * MB))
        p = only(read_files([("b.xlsx", buf.getvalue())], limits=Limits(max_bytes=2 * MB))[1], "too-large")
        assert p.file == "b.xlsx" and "uncompressed" in p.message


# --- defect 3: no silent read loss ------------------------------------------------------------------------------

class TestNoSilentLoss:
    def test_unclosed_quote_that_swallows_rows(self):
        data = b'id,name,supplier_id\nSYS-1,"Mail,S-1\nSYS-2,Web,S-1\nSYS-3,Zaak,S-1\n'
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        p = only(problems, "unclosed-quote")
        assert inv is None and (p.file, p.line) == ("systems.csv", 2)
        assert "runs to line 4" in p.message and p.value.startswith("Mail,S-1 SYS-2,Web")

    def test_a_quote_closed_on_the_next_row_is_not_merged_silently(self):
        """The quote closes on line 3: two rows read as one record of the right width, and SYS-2 is gone."""
        data = b'id,name,supplier_id\nSYS-1,"Mail,S-1\nSYS-2,Web",S-1\nSYS-3,Zaak,S-1\n'
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        p = only(problems, "quote-spans-rows")
        assert p.severity == "warning" and (p.file, p.line) == ("systems.csv", 2)
        assert "closes on line 3" in p.message and "row on line 3 may be missing" in p.message
        assert "close the quote" in p.hint and p.value == "Mail,S-1 SYS-2,Web"
        assert "SYS-2" not in inv.nodes  # what was read; the warning says so

    @pytest.mark.parametrize("value", [b'"Mail\nserver"', b'"Mail\nserver, backup"', b'"Mail, web\nserver"'])
    def test_a_value_that_spans_lines_without_a_whole_row_on_both_is_quiet(self, value):
        data = b"id,name,supplier_id\nSYS-1," + value + b",S-1\nSYS-2,Web,S-1\n"
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        assert problems == [] and sorted(n for n in inv.nodes if n.startswith("SYS")) == ["SYS-1", "SYS-2"]

    def test_a_value_with_a_line_break_and_no_delimiters_is_kept(self):
        data = b'id,name,supplier_id\nSYS-1,"Mail\nserver",S-1\n'
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        assert inv is not None and inv.nodes["SYS-1"].name == "Mail\nserver"

    def test_unclosed_quote_at_the_end(self):
        data = b'id,name,supplier_id\nSYS-1,Mail,S-1\nSYS-2,"Web\n'
        p = only(load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])[1], "unclosed-quote")
        assert p.line == 3 and "runs to the end of the file" in p.message

    def test_damaged_utf8_is_reported_with_the_byte_offset(self):
        data = "id,name,supplier_id\nSYS-1,Zoë,S-1\n".encode() + b"SYS-2,Caf\xe9,S-1\n"
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        p = only(problems, "bad-encoding")
        offset = data.index(b"\xe9")
        assert inv is None and p.line == 3 and p.value == "0xE9" and f"Byte {offset:,} (0xE9)" in p.message

    def test_windows_1252_is_read_when_it_plausibly_is(self):
        data = "id;naam;leverancier\r\nSYS-1;Café Zoë – €;S-1\r\n".encode("cp1252")
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systemen.csv", data)])
        assert inv.nodes["SYS-1"].name == "Café Zoë – €"

    def test_bytes_that_are_not_cp1252_text_are_not_guessed(self):
        data = b"id,name,supplier_id\nSYS-1,Mail\x81\x8d,S-1\n"
        assert "bad-encoding" in rules(load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])[1])

    def _book(self, build) -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "systems"
        build(ws)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def test_formula_without_cached_value_is_reported_per_cell(self):
        def build(ws):
            ws.append(["id", "name", "supplier_id"])
            ws.append(["SYS-1", "Mail", '=CONCAT("S-","1")'])  # openpyxl stores no calculated value
        p = only(read_files([("b.xlsx", self._book(build))])[1], "formula-without-value")
        assert (p.file, p.line, p.column, p.value) == ("b.xlsx [systems]", 2, "supplier_id", '=CONCAT("S-","1")')
        assert "Cell C2" in p.message

    def test_merged_cells_are_reported(self):
        def build(ws):
            ws.append(["id", "name", "supplier_id"])
            ws.append(["SYS-1", "Mail", "S-1"])
            ws.append(["SYS-2", "Web", None])
            ws.merge_cells("C2:C3")
        p = only(read_files([("b.xlsx", self._book(build))])[1], "merged-cells")
        assert (p.file, p.line, p.value) == ("b.xlsx [systems]", 2, "S-1") and "C2:C3" in p.message

    def test_duplicate_archimate_ids_are_reported_not_overwritten(self):
        xml = (b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
               b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><elements>'
               b'<element identifier="a" xsi:type="ApplicationComponent"><name>Mail</name></element>\n'
               b'<element identifier="a" xsi:type="ApplicationComponent"><name>Web</name></element>'
               b'</elements></model>')
        conv = read_archimate("m.xml", xml)
        p = only(conv.problems, "duplicate-id")
        assert (p.line, p.value) == (2, "a") and 'ApplicationComponent "Mail" (a)' in p.message
        assert [r[1][1] for t in conv.tables for r in t.rows] == ["Mail"]

    def test_duplicate_gemma_ids_that_differ_are_reported(self):
        doc = {"voorzieningen": [{"id": "v1", "naam": "Key2"}, {"id": "v1", "naam": "Other"}, {"id": "v1", "naam": "Key2"}]}
        p = only(read_gemma([("c.json", json.dumps(doc).encode())]).problems, "conflicting-value")
        assert (p.column, p.value) == ("voorzieningen[1].id", "v1")

    def test_tsv_is_read_and_txt_is_reported(self, tmp_path):
        (tmp_path / "suppliers.csv").write_bytes(SUPPLIERS)
        (tmp_path / "systems.tsv").write_bytes(b"id\tname\tsupplier_id\nSYS-1\tMail\tS-1\n")
        (tmp_path / "notes.txt").write_bytes(b"remember the milk\n")
        inv, problems = load(tmp_path)
        assert "SYS-1" in inv.nodes
        assert [(p.rule, p.file) for p in problems] == [("unknown-file", "notes.txt")]

    def test_dash_header_is_reported(self):
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", b"id,name,supplier_id,-\nSYS-1,Mail,S-1,vital\n")])
        p = only(problems, "unnamed-column")
        assert (p.file, p.value) == ("systems.csv", "-") and "Column 4" in p.message


# --- defect 4: formula injection in exports ---------------------------------------------------------------------

class TestExports:
    def test_every_cell_and_header_is_neutralised(self):
        assert [neutralise(x) for x in ("=1", "+1", "-1", "@x", "\tx", "\rx", "a=1")] == \
               ["'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=1"]
        text = csv_bytes([["=HEADER", "\tname"], ["-5", "@SUM(A1)"]]).decode()
        assert text == "'=HEADER,'\tname\n'-5,'@SUM(A1)\n"
        ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"t": [["=HEADER", "\tx"], ["+1", "ok\x01"]]})))["t"]
        assert [[c.value for c in r] for r in ws.iter_rows()] == [["'=HEADER", "'\tx"], ["'+1", "ok\ufffd"]]
        assert all(c.data_type == "s" for r in ws.iter_rows() for c in r)

    def test_convert_to_xlsx_neutralises_headers_and_reads_back_the_same(self, tmp_path):
        (tmp_path / "apps.csv").write_text('Applicatie,Leverancier,=HYPERLINK("http://x"),Saldo\nMail,Kynthos,a,-5\n')
        out = tmp_path / "inv.xlsx"
        result = runner.invoke(app, ["convert", str(tmp_path / "apps.csv"), "-o", str(out)])
        assert result.exit_code == 0, result.output
        ws = openpyxl.load_workbook(out)["systems"]
        header = [c.value for c in ws[1]]
        assert "'=HYPERLINK(\"http://x\")" in header and all(c.data_type != "f" for r in ws.iter_rows() for c in r)
        inv, problems = load(out)
        attrs = inv.nodes["SYS-MAIL"].attrs
        assert attrs['=HYPERLINK("http://x")'] == "a" and attrs["Saldo"] == "-5"


# --- defect 8: messages, not tracebacks -------------------------------------------------------------------------

class TestMessages:
    @pytest.mark.parametrize("column", ["kind", "__registered_in", "Country"])
    def test_reserved_column_names(self, column):
        data = f"id,name,supplier_id,{column}\nSYS-1,Mail,S-1,x\n".encode()
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", data)])
        p = only(problems, "reserved-name")
        assert inv is None and (p.file, p.line, p.value) == ("systems.csv", 1, column) and "Rename" in p.hint

    def test_country_id_is_refused(self):
        inv, problems = load_files([("suppliers.csv", b"id,name,country\ncountry:US,Kynthos,US\n")])
        p = only(problems, "reserved-id")
        assert inv is None and (p.line, p.value) == (2, "country:US")

    def test_convert_renames_reserved_columns_so_its_output_validates(self, tmp_path):
        (tmp_path / "apps.csv").write_text("Applicatie,Leverancier,kind,__x\nMail,Kynthos,a,b\n")
        result = runner.invoke(app, ["convert", str(tmp_path / "apps.csv"), "-o", str(tmp_path / "out.xlsx")])
        assert result.exit_code == 0, result.output
        inv, problems = load(tmp_path / "out.xlsx")
        assert inv is not None and inv.nodes["SYS-MAIL"].attrs["kind (column)"] == "a"
        assert inv.nodes["SYS-MAIL"].attrs["x (column)"] == "b"

    def test_convert_keeps_a_dash_column(self, tmp_path):
        (tmp_path / "apps.csv").write_text("Applicatie,Leverancier,-\nMail,Kynthos,vital\n")
        result = runner.invoke(app, ["convert", str(tmp_path / "apps.csv"), "-o", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        inv, problems = load(tmp_path / "out")
        assert inv.nodes["SYS-MAIL"].attrs["column 3"] == "vital" and "unnamed-column" not in rules(problems)

    def test_convert_writes_control_characters_a_workbook_cannot_hold(self, tmp_path):
        (tmp_path / "apps.csv").write_bytes(b"Applicatie,Leverancier\nMail\x01box,Kynthos\n")
        result = runner.invoke(app, ["convert", str(tmp_path / "apps.csv"), "-o", str(tmp_path / "out.xlsx")])
        assert result.exit_code == 0, result.output
        inv, problems = load(tmp_path / "out.xlsx")
        assert inv is not None and "Mail\ufffdbox" in [n.name for n in inv.nodes.values()]

    @pytest.mark.parametrize("doc, where", [
        ({"leveranciersorganisaties": [{"id": "o1", "naam": "X", "type": ["Gemeente"]}]}, "leveranciersorganisaties[0].type"),
        ({"leveranciersorganisaties": [{"id": "o1", "naam": "X", "adres": "Nederland"}]}, "leveranciersorganisaties[0].adres"),
        ({"leveranciersorganisaties": [{"id": "o1", "adres": {"land": 5}}]}, "leveranciersorganisaties[0].adres.land"),
        ({"voorzieningaanbiedingen": [{"id": "a1", "type": 3}]}, "voorzieningaanbiedingen[0].type"),
        ({"voorzieningaanbiedingen": [{"id": "a1", "hostingopties": {"x": 1}}]}, "voorzieningaanbiedingen[0].hostingopties"),
        ({"gebruik": [{"id": "g1", "status": 1, "organisatieId": "o1", "voorzieningId": "v1"}]}, "gebruik[0].status"),
        ({"gebruik": [{"id": "g1", "bivClassificatie": "Hoog"}]}, "gebruik[0].bivClassificatie"),
        ({"contracten": [{"voorzieningGebruik": "g1", "voorzieningAanbod": {"id": "a1"}}]}, "contracten[0].voorzieningGebruik"),
        ({"leveranciersorganisaties": [{"id": {"x": 1}}]}, "leveranciersorganisaties[0].id"),
    ])
    def test_gemma_fields_of_the_wrong_type(self, doc, where):
        conv = read_gemma([("c.json", json.dumps(doc).encode())])
        p = next(p for p in conv.problems if p.column == where)
        assert p.rule == "unmapped-value" and "should be a" in p.message

    def test_gemma_deeply_nested_json(self):
        text = '{"voorzieningen": ' + "[" * 100_000 + "]" * 100_000 + "}"
        p = read_gemma([("c.json", text.encode())]).problems[0]
        assert (p.rule, p.file) == ("unreadable-source", "c.json") and "nested too deeply" in p.message

    def test_gemma_long_ownership_chain(self):
        orgs = [{"id": f"l{i}", "naam": f"L{i}", "type": "Leverancier", "moederOrganisatie": f"l{i + 1}"} for i in range(3000)]
        doc = {"leveranciersorganisaties": orgs + [{"id": "o", "naam": "Gemeente", "type": "Gemeente"}],
               "voorzieningen": [{"id": "v", "naam": "Zaak"}],
               "voorzieningaanbiedingen": [{"id": "a", "voorzieningId": "v", "organisatieId": "l0"}],
               "gebruik": [{"id": "g", "organisatieId": "o", "voorzieningId": "v"}]}
        inv, problems = read_gemma([("c.json", json.dumps(doc).encode())]).load()
        assert inv is not None and sum(e.relation == "owned_by" for e in inv.edges) == 2999

    def test_archimate_unknown_encoding(self):
        p = only(read_archimate("m.xml", b'<?xml version="1.0" encoding="klingon"?><model/>').problems, "unreadable-source")
        assert p.line == 1 and "klingon" in p.message

    def test_archimate_relationship_without_type(self):
        xml = (b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><relationships>'
               b'<relationship identifier="r1" source="a" target="b"/></relationships></model>')
        p = only(read_archimate("m.xml", xml).problems, "unmapped-relationship")
        assert p.value == "r1" and "has no type" in p.message
