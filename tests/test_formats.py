"""The demo inventory loads the same from CSV, a Dutch-Excel export, .xlsx and .zip."""

from __future__ import annotations

import pytest

from sovmap.graph.model import build_graph, graph_signature
from sovmap.ingest.problems import has_errors
from sovmap.ingest.validate import load, load_files
from sovmap.ingest.write import inventory_tables, write_csv_folder, xlsx_bytes, zip_bytes


@pytest.fixture(scope="module")
def demo_graph(demo_path):
    inv, problems = load(demo_path)
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


def test_demo_validates_clean(demo_path):
    inv, problems = load(demo_path)
    assert not has_errors(problems)
    assert [p.rule for p in problems] == ["no-supplier-or-location"]  # the documented warning case


def test_demo_meets_the_size_the_issue_asks_for(demo_graph):
    kinds = [k for _, k in demo_graph.nodes(data="kind")]
    suppliers = [n for n, k in demo_graph.nodes(data="kind") if k == "supplier"]
    countries = {demo_graph.nodes[s].get("country") for s in suppliers}
    groups = {(u, name) for u, _, d in demo_graph.edges(data=True) for name, _ in d.get("groups", ())}
    assert kinds.count("system") >= 150 and len(suppliers) >= 40 and len(countries) >= 8
    assert kinds.count("process") >= 30 and kinds.count("dataset") >= 40 and kinds.count("location") >= 1
    assert len(groups) >= 3


def test_dutch_excel_export_gives_an_identical_graph(demo_graph, tmp_path):
    written = write_csv_folder(demo_graph, tmp_path, lang="nl", dutch_excel=True)
    names = sorted(p.name for p in written)
    assert "systemen.csv" in names and "afhankelijkheden.csv" in names
    raw = (tmp_path / "systemen.csv").read_bytes()
    assert b";" in raw.splitlines()[0] and b"\r\n" in raw
    assert raw.splitlines()[0].startswith(b"id;naam;")
    processes = (tmp_path / "processen.csv").read_text("cp1252")
    assert "vitaal" in processes and "kritikaliteit" in processes
    inv, problems = load(tmp_path)
    assert not has_errors(problems), [str(p) for p in problems if p.severity == "error"]
    assert graph_signature(build_graph(inv)) == graph_signature(demo_graph)


def test_non_ascii_survives_windows_1252(tmp_path, demo_graph):
    g = demo_graph.copy()
    g.nodes["SYS-XLS-WMO"]["name"] = "Wmo-lijst (café, één, naïef)"
    write_csv_folder(g, tmp_path, lang="nl", dutch_excel=True)
    inv, _ = load(tmp_path)
    assert inv.nodes["SYS-XLS-WMO"].name == "Wmo-lijst (café, één, naïef)"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_xlsx_workbook_gives_an_identical_graph(demo_graph, lang):
    inv, problems = load_files([("inventaris.xlsx", xlsx_bytes(inventory_tables(demo_graph, lang)))])
    assert not has_errors(problems)
    assert graph_signature(build_graph(inv)) == graph_signature(demo_graph)


def test_zip_gives_an_identical_graph(demo_graph):
    inv, problems = load_files([("inventaris.zip", zip_bytes(demo_graph, lang="nl"))])
    assert not has_errors(problems)
    assert graph_signature(build_graph(inv)) == graph_signature(demo_graph)


def test_formula_like_values_survive_a_spreadsheet_round_trip(demo_graph):
    g = demo_graph.copy()
    g.nodes["SYS-XLS-WMO"]["name"] = "=SUM(A1:A9)"
    tables = inventory_tables(g, "en")
    row = next(r for r in tables["systems"] if r[0] == "SYS-XLS-WMO")
    assert "'=SUM(A1:A9)" in row
    inv, _ = load_files([("x.xlsx", xlsx_bytes(tables))])
    assert inv.nodes["SYS-XLS-WMO"].name == "=SUM(A1:A9)"
