"""Criticality when models lack it: where it is read from, and what spof, rank and assess say about processes without one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.concentration import single_points_of_failure
from sovmap.graph.coverage import coverage, coverage_text, left_out, left_out_text

MINI = Path(__file__).parent / "fixtures" / "mini"
runner = CliRunner()


@pytest.fixture()
def unrated(tmp_path) -> Path:
    """The mini inventory with both processes' criticality left empty."""
    out = tmp_path / "unrated"
    shutil.copytree(MINI, out)
    (out / "processes.csv").write_text("id,name,organisation_id,criticality\n"
                                       "P-WEB,Digitale dienstverlening,ORG-ZW,\n"
                                       "P-MAIL,Communicatie,ORG-ZW,\n", "utf-8")
    return out


class TestSinglePointsOfFailure:
    def test_none_in_the_criticalities_includes_processes_without_one_last(self):
        g = nx.MultiDiGraph()
        g.add_node("P-A", kind="process", name="A")
        g.add_node("P-B", kind="process", name="B", criticality="low")
        g.add_node("P-C", kind="process", name="C", criticality="")
        assert [p["id"] for p in single_points_of_failure(g, ("vital", "high"))] == []
        rows = single_points_of_failure(g, ("low", None))
        assert [(p["id"], p["criticality"]) for p in rows] == [("P-B", "low"), ("P-A", None), ("P-C", None)]


class TestLeftOut:
    def test_spof_counts_what_it_left_out_and_spof_all_nothing(self):
        cov = {"processes": 3, "processes_without_criticality": ["P1", "P2"]}
        assert left_out(cov, "spof") == {"no_criticality": 2}
        assert left_out(cov, "spof --all") == {"no_criticality": 0}
        assert left_out_text(cov, "spof --all") == ""
        assert left_out_text(cov, "spof", "nl").startswith("2 processen hebben geen kritikaliteit en zijn niet meegenomen")

    def test_the_rests_on_line_says_how_to_include_them_per_surface(self):
        g = nx.MultiDiGraph()
        g.add_node("P", kind="process", name="P")
        c = coverage(g)
        assert coverage_text(c, "spof").endswith("or run with --all.")
        assert coverage_text(c, "spof", surface="dashboard").endswith('or choose "no criticality" in the criticality '
                                                                       "filter.")
        assert coverage_text(c, "spof", "nl", surface="dashboard").endswith(
            'of kies "geen kritikaliteit" in het filter op kritikaliteit.')
        assert "(included, marked [no criticality])." in coverage_text(c, "spof --all")
        assert "--all" not in coverage_text(c, "spof --all")
        assert coverage_text(c, "rank").endswith("To weigh the processes without a criticality, set a criticality in "
                                                 "processes.csv (column criticality).")

    def test_a_derived_criticality_is_counted_and_named(self):
        g = nx.MultiDiGraph()
        g.add_node("P1", kind="process", name="P1", criticality="high", criticality_source='derived: BIV "3-2-2"')
        g.add_node("P2", kind="process", name="P2", criticality="low")
        c = coverage(g)
        assert c["processes_criticality_derived"] == ["P1"]
        assert coverage_text(c, "spof") == ("Rests on: 1 of 2 processes with a criticality derived from other data "
                                            "(see criticality_source).")


class TestCommandLine:
    def test_spof_without_criticalities_says_how_many_it_left_out_and_how_to_include_them(self, unrated):
        out = runner.invoke(app, ["spof", str(unrated)])
        assert out.exit_code == 0, out.output
        lines = out.stdout.splitlines()
        assert lines[0] == "No vital or high processes to check."
        assert lines[1] == ("2 processes have no criticality and were left out: set one in processes.csv (column "
                            "criticality) or run with --all to include them.")
        assert "0 of 0 vital/high processes have a single point of failure" in out.stderr
        assert "2 of 2 processes without a criticality (left out)" in out.stderr
        assert out.stderr.rstrip().endswith("or run with --all.")

    def test_spof_json_carries_the_count(self, unrated):
        out = runner.invoke(app, ["spof", str(unrated), "--json"])
        data = json.loads(out.stdout)
        assert data["left_out"] == {"no_criticality": 2}
        assert data["processes"] == []
        everything = json.loads(runner.invoke(app, ["spof", str(unrated), "--json", "--all"]).stdout)
        assert everything["left_out"] == {"no_criticality": 0}
        assert sorted((p["id"], p["criticality"]) for p in everything["processes"]) == [("P-MAIL", None),
                                                                                          ("P-WEB", None)]

    def test_spof_all_includes_them_marked(self, unrated):
        out = runner.invoke(app, ["spof", str(unrated), "--all", "--details"])
        assert out.exit_code == 0, out.output
        web = next(line for line in out.stdout.splitlines() if line.startswith("P-WEB"))
        assert web.startswith("P-WEB [no criticality] Digitale dienstverlening: 2 single point(s) of failure")
        summary = runner.invoke(app, ["spof", str(unrated), "--all"]).stdout.splitlines()[0]
        assert summary == "1 of 2 processes (2 no criticality) have single point(s) of failure."
        assert "(included, marked [no criticality])" in out.stderr

    def test_a_rated_inventory_gets_no_hint(self):
        out = runner.invoke(app, ["spof", str(MINI)])
        assert "left out" not in out.output and "--all" not in out.stderr

    @pytest.mark.parametrize("command, how", [("rank", "To weigh the processes without a criticality"),
                                              ("assess", "To give the processes without a criticality a requirement")])
    def test_rank_and_assess_say_how_they_treat_them_and_what_to_do(self, unrated, command, how):
        out = runner.invoke(app, [command, str(unrated)])
        assert out.exit_code == 0, out.output
        assert "2 of 2 processes without a criticality (" in out.stderr
        assert f"{how}, set a criticality in processes.csv (column criticality)." in out.stderr


APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")


@pytest.fixture()
def spof_page(unrated, tmp_path, monkeypatch):
    """Open the dashboard's spof page (in ``lang``) on a workspace holding the unrated inventory."""
    from streamlit.testing.v1 import AppTest

    from sovmap.store import Workspace

    root = tmp_path / "ws"
    files = sorted((p.name, p.read_bytes()) for p in unrated.iterdir() if p.suffix == ".csv")
    version, problems = Workspace(root).add(files)
    assert version is not None, [str(p) for p in problems]
    monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))

    def open_(lang: str):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("views/spof.py").run()
        assert not at.exception, at.exception
        return at
    return open_


class TestDashboard:
    def test_the_page_says_how_many_it_left_out_and_the_filter_includes_them(self, spof_page):
        at = spof_page("en")
        assert [i.value for i in at.info] == [
            '2 process(es) without a criticality left out: choose "no criticality" in the filter above, or set one '
            "in processes.csv (column criticality)."]
        assert any(c.value.endswith('or choose "no criticality" in the criticality filter.') for c in at.caption)
        at.multiselect[0].set_value(["vital", "high", "none"]).run()
        assert not at.info
        table = at.dataframe[0].value
        assert sorted(table["id"]) == ["P-WEB"] and set(table["criticality"]) == {"no criticality"}
        assert any("(included, marked [no criticality])" in c.value for c in at.caption)

    def test_in_dutch(self, spof_page):
        at = spof_page("nl")
        assert at.info[0].value.startswith('2 proces(sen) zonder kritikaliteit niet meegenomen: kies "geen '
                                           'kritikaliteit" in het filter hierboven')
        assert "geen kritikaliteit" in at.multiselect[0].options

    def test_the_overview_does_not_say_0_of_0_without_a_reason(self, spof_page):
        at = spof_page("en")
        at.switch_page("views/overview.py").run()
        assert not at.exception, at.exception
        assert [i.value for i in at.info] == [
            "2 process(es) without a criticality are not counted here: include them on the Single points of failure "
            "page, or set one in processes.csv (column criticality)."]


class TestFlatList:
    def load(self, text: str):
        from sovmap.ingest.flatlist import read_flatlist

        inv, problems = read_flatlist("apps.csv", text.encode()).load()
        assert inv is not None, [str(p) for p in problems]
        return inv, problems

    def test_biv_availability_gives_a_marked_criticality(self):
        inv, _ = self.load("Applicatie;Proces;BIV\nZaaksysteem;Vergunningen;BIV 3-2-2\nWebsite;Communicatie;BBN2\n")
        p = inv.nodes["P-VERGUNNINGEN"].attrs
        assert p["criticality"] == "high"
        assert p["criticality_source"] == 'derived from BIV "BIV 3-2-2": availability 3 → high'
        assert "criticality" not in inv.nodes["P-COMMUNICATIE"].attrs  # a BBN level says nothing about availability

    def test_bedrijfskritisch_yes_and_no(self):
        inv, problems = self.load("Applicatie;Proces;Bedrijfskritisch\nZaaksysteem;Vergunningen;ja\n"
                                  "Intranet;Nieuws;nee\nKantine;Lunch;misschien\n")
        assert inv.nodes["P-VERGUNNINGEN"].attrs["criticality"] == "high"
        assert inv.nodes["P-NIEUWS"].attrs["criticality"] == "low"
        assert inv.nodes["P-NIEUWS"].attrs["criticality_source"] == 'derived from Bedrijfskritisch "nee" → low'
        assert "criticality" not in inv.nodes["P-LUNCH"].attrs
        bad = [p for p in problems if p.value == "misschien"]
        assert len(bad) == 1 and bad[0].line == 4 and bad[0].column == "Bedrijfskritisch"

    def test_a_given_criticality_wins_and_is_not_marked(self):
        inv, _ = self.load("Applicatie;Proces;Kritikaliteit;Beschikbaarheid\n"
                           "Zaaksysteem;Vergunningen;vitaal;laag\nArchief;Vergunningen;;hoog\n")
        p = inv.nodes["P-VERGUNNINGEN"].attrs
        assert p["criticality"] == "vital" and "criticality_source" not in p

    def test_a_higher_derived_value_than_the_given_one_is_marked(self):
        inv, _ = self.load("Applicatie;Proces;Kritikaliteit;Beschikbaarheid\n"
                           "Zaaksysteem;Vergunningen;laag;\nArchief;Vergunningen;;hoog\n")
        p = inv.nodes["P-VERGUNNINGEN"].attrs
        assert p["criticality"] == "high"
        assert p["criticality_source"] == 'derived from Beschikbaarheid "hoog": availability 3 → high'


def _archimate(elements: str, relationships: str = "", props: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-model"><name>Test</name>
  <elements>{elements}</elements>
  <relationships>{relationships}</relationships>
  <propertyDefinitions>{props}</propertyDefinitions>
</model>""".encode()


def _element(ident: str, xtype: str, name: str, **props: str) -> str:
    ps = "".join(f'<property propertyDefinitionRef="pd-{k}"><value>{v}</value></property>' for k, v in props.items())
    return (f'<element identifier="{ident}" xsi:type="{xtype}"><name>{name}</name>'
            + (f"<properties>{ps}</properties>" if ps else "") + "</element>")


_PROPS = "".join(f'<propertyDefinition identifier="pd-{k}" type="string"><name>{n}</name></propertyDefinition>'
                 for k, n in [("biv", "BIV"), ("b", "Beschikbaarheid"), ("bk", "Bedrijfskritisch"),
                              ("krit", "Kritikaliteit")])


@pytest.fixture(scope="module")
def inv():
    """A model whose processes carry BIV, Beschikbaarheid, Bedrijfskritisch, a criticality, nothing, or nonsense."""
    from sovmap.ingest.archimate import read_archimate

    data = _archimate(
        _element("p1", "BusinessProcess", "Vergunningen", biv="3-2-2")
        + _element("p2", "BusinessProcess", "Uitkeringen", b="midden", bk="ja")
        + _element("p3", "BusinessProcess", "Nieuwsbrief", bk="nee")
        + _element("p4", "BusinessProcess", "Paspoorten", krit="vitaal", b="laag")
        + _element("p5", "BusinessProcess", "Archiveren")
        + _element("p6", "BusinessProcess", "Lunch", b="ontzettend")
        + _element("d1", "DataObject", "Dossiers", biv="3-3-3"),
        '<relationship identifier="r1" source="p5" target="d1" xsi:type="Access" />', _PROPS)
    conv = read_archimate("model.xml", data, lang="nl")
    inv, problems = conv.load()
    assert inv is not None, [str(p) for p in problems]
    return inv, problems


class TestArchiMate:
    def process(self, inv, name: str) -> dict:
        return next(n.attrs for n in inv[0].nodes.values() if n.kind == "process" and n.name == name)

    def test_biv_on_a_process_gives_a_marked_criticality(self, inv):
        p = self.process(inv, "Vergunningen")
        assert p["criticality"] == "high"
        assert p["criticality_source"] == 'derived from BIV "3-2-2": availability 3 → high'

    def test_the_highest_derived_value_counts(self, inv):
        p = self.process(inv, "Uitkeringen")
        assert (p["criticality"], p["criticality_source"]) == ("high", 'derived from Bedrijfskritisch "ja" → high')
        assert self.process(inv, "Nieuwsbrief")["criticality"] == "low"

    def test_a_given_criticality_wins(self, inv):
        p = self.process(inv, "Paspoorten")
        assert p["criticality"] == "vital" and "criticality_source" not in p

    def test_not_inherited_from_the_data_a_process_uses(self, inv):
        assert "criticality" not in self.process(inv, "Archiveren")

    def test_an_unreadable_rating_is_reported(self, inv):
        assert "criticality" not in self.process(inv, "Lunch")
        bad = [p for p in inv[1] if p.value == "ontzettend"]
        assert len(bad) == 1 and bad[0].column == "Beschikbaarheid" and "no criticality was derived" in bad[0].message


class TestConvertedModel:
    def test_spof_on_a_converted_model_without_criticalities_says_what_it_left_out(self, tmp_path):
        source = Path(__file__).parent / "fixtures" / "archimate" / "archisurance.xml"  # Archi's sample, no criticality
        out = tmp_path / "archisurance"
        converted = runner.invoke(app, ["convert", str(source), "-o", str(out)])
        assert converted.exit_code == 0
        processes = len((out / "processes.csv").read_text("utf-8").splitlines()) - 1
        assert (f"{processes} of {processes} processes have no criticality: spof leaves them out until you set one"
                in converted.stderr)  # said already at convert, not only at the first spof
        result = runner.invoke(app, ["spof", str(out)])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[:2] == [
            "No vital or high processes to check.",
            f"{processes} processes have no criticality and were left out: set one in processes.csv (column "
            "criticality) or run with --all to include them."]
        assert f"Rests on: {processes} of {processes} processes without a criticality (left out)" in result.stderr
        data = json.loads(runner.invoke(app, ["spof", str(out), "--json"]).stdout)
        assert data["left_out"] == {"no_criticality": processes} and processes > 10
        everything = json.loads(runner.invoke(app, ["spof", str(out), "--json", "--all"]).stdout)
        assert len(everything["processes"]) == processes


class TestDerivedInTheAnswers:
    @pytest.fixture()
    def derived(self, unrated) -> Path:
        (unrated / "processes.csv").write_text(
            "id,name,organisation_id,criticality,criticality_source\n"
            'P-WEB,Digitale dienstverlening,ORG-ZW,high,"derived from BIV ""3-2-2"": availability 3 → high"\n'
            "P-MAIL,Communicatie,ORG-ZW,high,\n", "utf-8")
        return unrated

    def test_spof_marks_a_derived_criticality(self, derived):
        out = runner.invoke(app, ["spof", str(derived), "--details"])
        assert out.exit_code == 0, out.output
        lines = out.stdout.splitlines()
        assert any(line.startswith("P-WEB [high, derived] Digitale dienstverlening") for line in lines)
        assert any(line.startswith("P-MAIL [high] Communicatie") for line in lines)
        assert "1 of 2 processes with a criticality derived from other data (see criticality_source)" in out.stderr
        rows = {p["id"]: p for p in json.loads(runner.invoke(app, ["spof", str(derived), "--json"]).stdout)["processes"]}
        assert rows["P-WEB"]["criticality_source"] == 'derived from BIV "3-2-2": availability 3 → high'
        assert "criticality_source" not in rows["P-MAIL"]

    def test_the_dashboard_table_marks_it(self):
        from sovmap.dashboard.tables import spof_rows

        rows = spof_rows([{"id": "P", "name": "P", "criticality": "high", "criticality_source": "derived from x",
                           "single_points_of_failure": []}], "nl")
        assert rows[0]["criticality"] == "hoog (afgeleid)"


def test_spof_says_it_in_dutch(unrated):
    out = runner.invoke(app, ["spof", str(unrated), "--lang", "nl"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[:2] == [
        "Geen vitale of hoge processen om na te gaan.",
        "2 processen hebben geen kritikaliteit en zijn niet meegenomen: geef ze er een in processes.csv (kolom "
        "kritikaliteit) of gebruik --all om ze mee te nemen."]
    assert "0 van de 0 vitale/hoge processen hebben een single point of failure" in out.stderr
    assert out.stderr.rstrip().endswith("of gebruik --all.")
    everything = runner.invoke(app, ["spof", str(unrated), "--lang", "nl", "--all", "--details"]).stdout
    assert "P-WEB [geen kritikaliteit] Digitale dienstverlening" in everything
