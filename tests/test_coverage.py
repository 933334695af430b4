"""Every answer says what it rests on: the coverage counts, the CLI line and --json object, the dashboard and report."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.dashboard.analysis import compute_analysis
from sovmap.dashboard.report import build_report
from sovmap.graph.coverage import coverage, coverage_text
from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load
from sovmap.store import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "ownership"
APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
runner = CliRunner()

EXPECTED = {"processes": 6, "processes_without_criticality": ["P-ARCHIEF"], "processes_criticality_derived": [],
            "suppliers": 8,
            "ownership_unknown": ["S-PINK"], "systems": 6, "systems_without_party": ["SYS-LOOSE"], "unmapped": None}


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    inv, problems = load(FIXTURE)
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


class TestCoverage:
    def test_counts_what_is_missing(self, g):
        assert coverage(g) == EXPECTED

    def test_a_supplier_without_country_counts_as_unknown_ownership(self):
        g = nx.MultiDiGraph()
        g.add_node("S-X", kind="supplier", name="X")
        g.add_node("S-Y", kind="supplier", name="Y", country="NL", ownership="verified")
        assert coverage(g)["ownership_unknown"] == ["S-X"]

    def test_each_analysis_says_how_it_treats_a_process_without_criticality(self, g):
        c = coverage(g)
        assert "(left out)" in coverage_text(c, "spof")
        assert "(counted with the lowest weight)" in coverage_text(c, "rank")
        assert "(no requirement from criticality)" in coverage_text(c, "assess")
        assert "(niet meegenomen)" in coverage_text(c, "spof", "nl")

    def test_nothing_missing_says_so(self):
        g = nx.MultiDiGraph()
        g.add_node("P", kind="process", name="P", criticality="low")
        assert coverage_text(coverage(g), "spof") == (
            "Rests on: every process has a criticality, every supplier's ownership is known and every system has "
            "a supplier, operator or location.")

    def test_unmapped_items_are_named_when_known(self, g):
        assert coverage_text(coverage(g, unmapped=4), "impact").endswith("; 4 import item(s) left unmapped.")


class TestCommandLine:
    @pytest.mark.parametrize("args", [("spof",), ("rank",), ("assess",), ("impact", "--supplier", "S-PINK")])
    def test_json_has_the_coverage_object_and_text_the_line(self, args):
        out = runner.invoke(app, [args[0], str(FIXTURE), *args[1:], "--json"])
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["coverage"] == EXPECTED
        text = runner.invoke(app, [args[0], str(FIXTURE), *args[1:]])
        assert text.stderr.strip().splitlines()[-1].startswith(
            "Rests on: 1 of 6 processes without a criticality (")
        unknown = ("(a country's cut takes them only where a known party is in its reach: the real impact may be "
                   "larger)" if args[0] == "impact" else "(never counted as European)")
        assert f"1 of 8 suppliers of unknown ownership {unknown}; 1 of 6 systems without supplier, " \
               "operator or location." in text.stderr


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A workspace holding the five-supplier inventory."""
    root = tmp_path_factory.mktemp("ownership-ws")
    files = sorted((p.name, p.read_bytes()) for p in FIXTURE.iterdir() if p.suffix == ".csv")
    version, problems = Workspace(root).add(files)
    assert version is not None, [str(p) for p in problems]
    return root


class TestDashboard:
    @pytest.mark.parametrize("page, treatment", [("overview", "niet meegenomen bij single points of failure"),
                                                 ("spof", "niet meegenomen"),
                                                 ("gaps", "geen eis vanuit kritikaliteit"),
                                                 ("impact", "zonder kritikaliteit vermeld")])
    def test_each_analysis_page_has_the_coverage_caption(self, root, monkeypatch, page, treatment):
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = "nl"
        at.run()
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        captions = [str(c.value) for c in at.caption]
        unknown = ("(een land raakt ze alleen waar een bekende partij binnen zijn bereik valt: de werkelijke impact "
                   "kan groter zijn)" if page == "impact" else "(nooit als Europees geteld)")
        assert any(c.startswith(f"Gebaseerd op: 1 van 6 processen zonder kritikaliteit ({treatment}); 1 van 8 "
                                f"leveranciers met onbekend eigendom {unknown}; 1 van 6 systemen zonder leverancier, "
                                "beheerder of locatie.") for c in captions), captions

    def test_spof_page_shows_ownership_unknown_apart(self, root, monkeypatch):
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = "en"
        at.run()
        at.switch_page("views/spof.py").run()
        ranking = at.dataframe[1].value
        row = ranking[ranking.iloc[:, 2] == "S-PINK"].iloc[0]
        assert "ownership unknown" in list(row)

    def test_the_board_report_says_it_in_plain_words(self, root):
        ws = Workspace(root)
        a = compute_analysis(ws.current(), ws.load_graph())
        html = build_report(a, "en")
        assert "What this rests on" in html
        assert "1 of 8 suppliers of unknown ownership (never counted as European)" in html
        assert "ownership unknown" in html.split("What this rests on")[0]  # the groups' legend


class TestUnmappedNote:
    def test_convert_leaves_a_note_the_analyses_count(self, tmp_path):
        source = Path(__file__).parent / "fixtures" / "archimate" / "gemeente.xml"
        out = tmp_path / "gemeente"
        result = runner.invoke(app, ["convert", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        note = tmp_path / "gemeente.unmapped.csv"
        assert note.exists() and f"listed in {note}" in result.stderr
        assert sorted(row.rsplit(",", 1)[-1] for row in note.read_text("utf-8").splitlines()[1:]) == [
            "unmapped-element", "unmapped-relationship", "unmapped-relationship", "unmapped-value"]
        spof = runner.invoke(app, ["spof", str(out), "--json"])
        assert json.loads(spof.stdout)["coverage"]["unmapped"] == 4
        assert "; 4 import item(s) left unmapped." in runner.invoke(app, ["spof", str(out)]).stderr

    def test_a_conversion_without_unmapped_items_removes_the_old_note(self, tmp_path, mini_path):
        out = tmp_path / "inv.zip"
        (tmp_path / "inv.unmapped.csv").write_text("file,line,column,value,problem,hint,rule\nx,1,c,v,p,h,unmapped-value\n",
                                                   encoding="utf-8")
        result = runner.invoke(app, ["convert", str(mini_path), "--from", "inventory", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert not (tmp_path / "inv.unmapped.csv").exists()
        assert json.loads(runner.invoke(app, ["rank", str(out), "--json"]).stdout)["coverage"]["unmapped"] is None

    def test_the_note_travels_with_suppliers_match_apply(self, tmp_path):
        source = Path(__file__).parent / "fixtures" / "archimate" / "gemeente.xml"
        assert runner.invoke(app, ["convert", str(source), "-o", str(tmp_path / "inv")]).exit_code == 0
        (tmp_path / "reviewed.unmapped.csv").write_text("stale", encoding="utf-8")
        applied = runner.invoke(app, ["suppliers", "match", str(tmp_path / "inv"), "--apply", "-o",
                                      str(tmp_path / "reviewed")])
        assert applied.exit_code == 0, applied.output
        assert (tmp_path / "reviewed.unmapped.csv").read_bytes() == (tmp_path / "inv.unmapped.csv").read_bytes()
        spof = runner.invoke(app, ["spof", str(tmp_path / "reviewed"), "--json"])
        assert json.loads(spof.stdout)["coverage"]["unmapped"] == 4


class TestNoAllClearWithoutParties:
    """spof never lets "no single point of failure" stand where a process reaches a system nobody supplies."""

    @pytest.fixture()
    def inv(self, tmp_path):
        (tmp_path / "organisations.csv").write_text("id,name,country\nORG,Gemeente,NL\n", "utf-8")
        (tmp_path / "processes.csv").write_text(
            "id,name,organisation_id,criticality\nP-A,Vergunningen,ORG,vital\nP-B,Archief,ORG,high\n"
            "P-C,Subsidies,ORG,high\n", "utf-8")
        (tmp_path / "suppliers.csv").write_text("id,name,country\nS-NL,Leverancier,NL\nS-NL2,Tweede,NL\n", "utf-8")
        (tmp_path / "systems.csv").write_text(
            "id,name,organisation_id,supplier_id\nSYS-A,Zaken,ORG,S-NL\nSYS-X,Onbekend,ORG,\n"
            "SYS-B,Archief,ORG,S-NL\nSYS-B2,Archief 2,ORG,S-NL2\n", "utf-8")
        (tmp_path / "dependencies.csv").write_text(
            "from_id,to_id,type,alternative_group,min_required\nP-A,SYS-A,uses,,\nSYS-A,SYS-X,depends_on,,\n"
            "P-B,SYS-B,uses,g,1\nP-B,SYS-B2,uses,g,1\n", "utf-8")
        return tmp_path

    def test_graph_functions(self, inv):
        from sovmap.graph.coverage import blind_spots, without_dependencies
        from sovmap.graph.model import build_graph
        from sovmap.ingest.validate import load

        loaded, problems = load(inv)
        assert loaded is not None, problems
        g = build_graph(loaded)
        assert blind_spots(g, ["P-A", "P-B", "P-C"]) == {"P-A": ["SYS-X"]}
        assert without_dependencies(g, ["P-A", "P-B", "P-C"]) == ["P-C"]

    def test_spof_says_so(self, inv):
        import json

        from typer.testing import CliRunner

        from sovmap.cli import app

        runner = CliRunner()
        data = json.loads(runner.invoke(app, ["spof", str(inv), "--json"]).stdout)
        by_id = {p["id"]: p for p in data["processes"]}
        assert by_id["P-A"]["systems_without_party"] == ["SYS-X"] and not by_id["P-A"]["depends_on_nothing"]
        assert by_id["P-B"]["systems_without_party"] == [] and not by_id["P-B"]["single_points_of_failure"]
        assert by_id["P-C"]["depends_on_nothing"]
        text = runner.invoke(app, ["spof", str(inv)]).stdout
        assert "1 of 3 processes depend on systems without supplier, operator or location" in text
        assert "1 of 3 processes depend on nothing in the inventory" in text
        details = runner.invoke(app, ["spof", str(inv), "--details"]).stdout
        line_c = next(line for line in details.splitlines() if line.startswith("P-C"))
        assert "depends on nothing in the inventory" in line_c
        line_b = next(line for line in details.splitlines() if line.startswith("P-B"))
        assert "no single supplier group" in line_b and "incomplete" not in line_b
        dutch = runner.invoke(app, ["spof", str(inv), "--lang", "nl"]).stdout
        assert "hangen af van systemen zonder leverancier, beheerder of locatie" in dutch
