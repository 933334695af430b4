"""The dashboard's pure modules: texts, downloads, templates, tables, figures, graph view, details and the board report."""

from __future__ import annotations

import csv
import io
import re
import string
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from sovmap.dashboard import graphview, i18n
from sovmap.dashboard.analysis import compute_analysis
from sovmap.dashboard.details import node_details
from sovmap.dashboard.downloads import csv_download, xlsx_download
from sovmap.dashboard.figures import jurisdiction_rows, key_figures, level_matrix, non_european_spof, top_groups
from sovmap.dashboard.report import build_report, organisation_name
from sovmap.dashboard.tables import (diff_rows, impact_rows, md_escape, named, scenario_params, spof_rows,
                                     version_rows)
from sovmap.dashboard.templates import demo_xlsx, demo_zip, explanation_rows, template_xlsx, template_zip
from sovmap.dashboard.upload import handle_upload, problem_rows
from sovmap.graph.diff import graph_diff
from sovmap.graph.impact import impact
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load_files
from sovmap.ontology.vocab import vocabulary
from sovmap.store import Workspace, demo_files

DASHBOARD = Path(__file__).parents[1] / "dashboard"


def small_graph() -> nx.MultiDiGraph:
    """A process on a system of a US-owned Irish supplier, hosted in Amsterdam; names with HTML in them."""
    g = nx.MultiDiGraph()
    g.add_node("P-WEB", kind="process", name="Web <script>alert(1)</script>", criticality="vital")
    g.add_node("P-LOW", kind="process", name="Intranet", criticality="low")
    g.add_node("SYS-WEB", kind="system", name="Website & portal", exit_plan="no")
    g.add_node("L-AMS", kind="location", name="Amsterdam DC", country="NL")
    g.add_node("S-IE", kind="supplier", name="Kynthos Ireland", country="IE")
    g.add_node("S-US", kind="supplier", name="Kynthos Inc.", country="US")
    g.add_node("S-NL", kind="supplier", name="Hoster B.V.", country="NL")
    g.add_node("country:NL", kind="country", name="Netherlands", code="NL")
    for u, v, k in [("P-WEB", "SYS-WEB", "uses"), ("P-LOW", "SYS-WEB", "uses"), ("SYS-WEB", "S-IE", "provided_by"),
                    ("SYS-WEB", "L-AMS", "hosted_at"), ("L-AMS", "S-NL", "operated_by"),
                    ("S-IE", "S-US", "owned_by"), ("S-NL", "country:NL", "registered_in")]:
        g.add_edge(u, v, key=k)
    return g


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("ws"))
    version, _ = ws.add(demo_files())
    return compute_analysis(version, ws.load_graph())


class TestTexts:
    def test_every_text_has_dutch_and_english_with_the_same_placeholders(self):
        for key, (nl, en) in i18n.TEXTS.items():
            assert nl and en, key
            fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
            assert fields(nl) == fields(en), key

    def test_every_text_key_used_in_the_dashboard_exists(self):
        used = set()
        for path in DASHBOARD.rglob("*.py"):
            used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_.]+|[a-z_]+)"', path.read_text()))
        assert used, "no texts found"
        assert used - set(i18n.TEXTS) == set()

    def test_kind_and_value_labels_come_from_the_ontology(self):
        assert i18n.kind_label("system", "nl") == vocabulary().kind("system").label("nl").capitalize()
        assert i18n.value_label("criticality", "high", "nl") == "hoog"
        assert i18n.value_label("criticality", None, "nl") == ""
        assert i18n.relation_label("provided_by", "nl") == "geleverd door"

    @pytest.mark.parametrize("query, locale, accept, expected", [
        ("en", "nl-NL", None, "en"),
        ("xx", "nl-NL", None, "nl"),
        (None, "nl-BE", None, "nl"),
        (None, "de-DE", None, "en"),
        (None, None, "fr-FR,fr;q=0.9,nl;q=0.8", "nl"),
        (None, None, "fr-FR", "en"),
        (None, None, None, "nl"),
    ])
    def test_the_language_comes_from_the_url_then_the_browser_then_dutch(self, query, locale, accept, expected):
        assert i18n.pick_language(query, locale, accept) == expected


class TestDownloads:
    def test_csv_cells_that_start_a_formula_are_neutralised(self):
        data = csv_download([("a", "A"), ("b", "B")], [{"a": "=1+1", "b": "@SUM(A1)"}, {"a": "-3", "b": "+x"}], "en")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows == [["A", "B"], ["'=1+1", "'@SUM(A1)"], ["'-3", "'+x"]]

    def test_dutch_csv_uses_semicolons_for_dutch_excel(self):
        assert csv_download([("a", "naam")], [{"a": "x;y"}], "nl").decode("utf-8-sig") == 'naam\r\n"x;y"\r\n'

    def test_xlsx_cells_that_start_a_formula_are_text(self):
        data = xlsx_download({"gaps": ([("a", "A")], [{"a": "=HYPERLINK(\"http://x\")"}])})
        ws = openpyxl.load_workbook(io.BytesIO(data))["gaps"]
        assert ws["A2"].value == "'=HYPERLINK(\"http://x\")"
        assert ws["A2"].data_type == "s"


class TestTemplates:
    def test_the_explanation_covers_every_column_of_every_file_in_both_languages(self):
        rows = explanation_rows()
        v = vocabulary()
        expected = sum(len(k.columns) for k in v.file_kinds) + len(v.dependency_columns)
        assert len(rows) == expected + 1
        assert all(r[4] and r[5] for r in rows[1:]), "every column has a meaning in English and Dutch"
        dep_type = next(r for r in rows if r[0].startswith("dependencies") and r[1] == "type")
        assert "provided_by (geleverd_door)" in dep_type[6]

    @pytest.mark.parametrize("lang, name", [("nl", "systemen"), ("en", "systems")])
    def test_the_csv_template_has_headers_in_the_language(self, lang, name):
        zf = zipfile.ZipFile(io.BytesIO(template_zip(lang)))
        header = zf.read(f"sovmap-template/{name}.csv").decode().splitlines()
        assert header[0].startswith("id,naam" if lang == "nl" else "id,name")
        assert len(header) == 1
        assert "sovmap-template/uitleg-explanation.csv" in zf.namelist()

    def test_the_xlsx_template_has_a_sheet_per_file_and_the_explanation(self):
        wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("nl")))
        assert "leveranciers" in wb.sheetnames and "afhankelijkheden" in wb.sheetnames
        assert wb["uitleg-explanation"]["A1"].value == "file / bestand"

    @pytest.mark.parametrize("make, name", [(demo_zip, "demo.zip"), (demo_xlsx, "demo.xlsx")])
    def test_the_demo_downloads_load_back_without_errors(self, make, name):
        for lang in ("nl", "en"):
            inv, problems = load_files([(name, make(lang))])
            assert inv is not None, [str(p) for p in problems if p.severity == "error"]
            assert sum(n.kind == "process" for n in inv.nodes.values()) > 10


class TestUpload:
    def test_a_bad_upload_is_reported_and_not_stored(self, tmp_path):
        ws = Workspace(tmp_path)
        steps = []
        r = handle_upload(ws, [("systems.csv", b"id,name,supplier_id\nSYS-1,Mail,S-9\n")], steps.append)
        assert steps == ["read", "validate", "done"]
        assert (r.stored, r.errors, r.files) == (False, 1, [("systems.csv", 35)])
        rows = problem_rows(r.problems, "en")
        assert rows[0]["severity"] == "error" and rows[0]["column"] == "supplier_id" and rows[0]["value"] == "S-9"
        assert ws.versions() == []

    def test_a_good_upload_becomes_the_current_version(self, tmp_path):
        ws = Workspace(tmp_path)
        r = handle_upload(ws, demo_files())
        assert r.stored and r.errors == 0 and ws.current().id == r.version_id


class TestTables:
    def test_markdown_characters_in_user_text_are_escaped(self):
        assert md_escape("**x** [a](http://e.example) :red[y]") == (
            "\\*\\*x\\*\\* \\[a\\]\\(http\u2060\\://e\\.example\\) \\:red\\[y\\]")

    def test_scenario_params_reproduce_the_impact_widgets(self):
        assert scenario_params(["S-A", "S-B"], True, [], ["L-1"], "en") == [
            ("lang", "en"), ("supplier", "S-A"), ("supplier", "S-B"), ("location", "L-1")]

    def test_impact_rows_give_why_chains_as_names(self):
        g = small_graph()
        r = impact(g, Scenario(suppliers=["S-US"]))
        rows = impact_rows(g, r["failed"], "nl")
        assert rows[0] == {"kind": "Proces", "id": "P-WEB", "name": "Web <script>alert(1)</script>", "level": "vitaal",
                           "why": "Web <script>alert(1)</script> → Website & portal → Kynthos Ireland "
                                  "(eigendom van Kynthos Inc., US)"}

    def test_named_steps_use_names_instead_of_ids(self):
        g = small_graph()
        step = {"code": "op.no_exit_plan", "params": {"systems": ["SYS-WEB"]}, "text": ""}
        assert named(step, g)["params"]["systems"] == ["Website & portal"]

    def test_version_rows_are_newest_first_and_mark_the_current_one(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(demo_files())
        ws.add(demo_files())
        ws.set_current("v0001")
        rows = version_rows(ws.versions(), ws.current().id)
        assert [(r["id"], r["current"]) for r in rows] == [("v0002", False), ("v0001", True)]

    def test_diff_rows_name_changes_in_the_language(self):
        old, new = small_graph(), small_graph()
        new.nodes["P-WEB"]["criticality"] = "high"
        new.remove_node("P-LOW")
        rows = diff_rows(graph_diff(old, new), old, new, "nl")
        assert {"change": "verwijderd", "kind": "Proces", "id": "P-LOW", "name": "Intranet", "detail": ""} in rows
        changed = next(r for r in rows if r["change"] == "gewijzigd")
        assert changed["detail"] == "kritikaliteit: vitaal → hoog"

    def test_spof_rows_count_non_european_groups(self, demo):
        rows = spof_rows(demo.spof, "en")
        assert all(r["non_european"] <= r["count"] for r in rows)
        assert sum(bool(r["non_european"]) for r in rows) == len(non_european_spof(demo.spof))


class TestFigures:
    def test_key_figures_count_vital_and_high_processes_with_a_non_european_spof(self, demo):
        f = key_figures(demo.summary["counts"], demo.spof, demo.ranking)
        expected = [p["id"] for p in demo.spof if any(not s["european"] for s in p["single_points_of_failure"])]
        assert f.non_eu_spof == len(expected) and f.vital_high == len(demo.spof)
        assert 0 < f.share <= 1

    def test_the_level_matrix_counts_every_assessed_item_once_per_dimension(self, demo):
        items = demo.assessment["items"]
        for dim in ("geographic", "legal", "operational"):
            assert sum(r["count"] for r in level_matrix(items, dim)) == len(items)

    def test_jurisdictions_outside_the_eea_only(self, demo):
        rows = jurisdiction_rows(demo.assessment["items"])
        assert rows and rows[0]["country"] == "US"
        assert not {"NL", "DE", "IE"} & {r["country"] for r in rows}

    def test_top_groups_keep_the_ranking_order(self, demo):
        assert [r["rank"] for r in top_groups(demo.ranking, 5)] == [1, 2, 3, 4, 5]


class TestGraphView:
    def test_non_european_control_follows_ownership_and_hosting(self):
        g = small_graph()
        assert graphview.non_european_control(g, "S-IE") is True
        assert graphview.non_european_control(g, "S-NL") is False
        assert graphview.non_european_control(g, "L-AMS") is False
        assert graphview.non_european_control(g, "SYS-WEB") is True
        assert graphview.non_european_control(g, "P-WEB") is None

    def test_the_impact_view_marks_cut_failed_and_degraded(self):
        g = small_graph()
        r = impact(g, Scenario(suppliers=["S-US"]))
        view = graphview.impact_view(g, r)
        assert view.states == {"S-US": "cut", "S-IE": "cut", "SYS-WEB": "failed", "P-WEB": "failed",
                               "P-LOW": "failed"}
        critical = graphview.impact_view(g, r, critical_only=True)
        assert set(critical.nodes) == {"P-WEB", "SYS-WEB", "S-IE", "S-US"}

    def test_the_impact_drawing_fills_each_state_and_fades_the_rest(self):
        from sovmap.dashboard import graphview_chain, palette

        g = small_graph()
        view = graphview.impact_view(g, impact(g, Scenario(suppliers=["S-US"])))
        els = graphview_chain.impact_elements(g, view, "en")
        by_id = {n["data"]["id"]: n for n in els["nodes"]}
        assert set(by_id) == set(view.nodes)
        for node, state in view.states.items():
            assert by_id[node]["classes"].split()[-1] == state
            assert by_id[node]["data"]["colour"] == palette.STATE[state]
        assert "focus" in by_id["S-US"]["classes"] and "noneu" in by_id["S-US"]["classes"]
        assert all("dim" in n["classes"] for i, n in by_id.items() if i not in view.states)
        assert {(e["data"]["source"], e["data"]["target"]) for e in els["edges"]} == {(u, v) for u, v, _ in view.edges}


class TestDetails:
    def test_a_system_shows_its_properties_and_its_suppliers_ownership_chain(self):
        d = node_details(small_graph(), "SYS-WEB", None, "en")
        assert ("exit plan", "no") in d.properties
        assert [[p["id"] for p in c] for c in d.chains] == [["S-IE", "S-US"], ["S-NL"]]
        assert d.chains[0][1]["european"] is False

    def test_the_assessment_is_shown_per_dimension_in_the_language(self, demo):
        item = next(i for i in demo.assessment["items"] if i["kind"] == "process")
        d = node_details(demo.g, item["id"], item, "nl")
        assert [x["label"] for x in d.assessment] == ["geografisch", "juridisch", "operationeel"]
        assert all(x["reasons"] for x in d.assessment)


class TestReport:
    def test_the_report_has_no_external_resources_and_no_script(self, demo):
        html = build_report(demo, "nl")
        assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
        assert "<script" not in html.lower()
        assert not re.search(r"(src|href)\s*=", html)
        assert "url(" not in html and "@import" not in html
        assert html.count("<svg") >= 4

    def test_the_report_is_in_the_chosen_language(self, demo):
        assert "Concrete volgende stappen" in build_report(demo, "nl")
        assert "Concrete next steps" in build_report(demo, "en")

    def test_user_values_are_escaped(self, tmp_path):
        files = [(n, d.replace(b"Gemeente Zuiderwaard", b"Gemeente <script>alert('x')</script> & Co"))
                 for n, d in demo_files()]
        ws = Workspace(tmp_path)
        version, _ = ws.add(files)
        a = compute_analysis(version, ws.load_graph())
        html = build_report(a, "en")
        assert "<script>" not in html
        assert "Gemeente &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
        assert organisation_name(a.g).startswith("Bedrijfsvoeringsorganisatie")

    def test_the_top_risks_list_vital_and_high_processes_with_a_non_european_spof(self, demo):
        html = build_report(demo, "en")
        first = next(p for p in demo.spof if p["id"] in non_european_spof(demo.spof))
        assert first["name"] in html


# The dashboard's own modules and the store: their docstring examples run (app.py and views/ are
# Streamlit scripts, tested through AppTest above, so they are not imported here).
DOCTESTED = ["sovmap.store.workspace", "sovmap.store.bundled", "sovmap.dashboard.i18n", "sovmap.dashboard.downloads",
             "sovmap.dashboard.templates", "sovmap.dashboard.upload", "sovmap.dashboard.tables",
             "sovmap.dashboard.figures", "sovmap.dashboard.charts", "sovmap.dashboard.graphview",
             "sovmap.dashboard.details", "sovmap.dashboard.report", "sovmap.dashboard.state",
             "sovmap.dashboard.escape", "sovmap.dashboard.guard"]


@pytest.mark.parametrize("name", DOCTESTED)
def test_docstring_examples_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_an_abbreviated_why_chain_says_how_many_steps_are_left_out():
    from sovmap.dashboard.tables import chain_names
    from sovmap.graph.propagation import CHAIN_HEAD

    g = nx.MultiDiGraph()
    ids = [f"S{i}" for i in range(8)]
    for n in ids:
        g.add_node(n, kind="system", name=f"Systeem {n}")
    text = chain_names(g, ids, "en", skipped=12_345)
    parts = text.split(" → ")
    assert parts[CHAIN_HEAD] == "… 12,345 more steps …"
    assert parts[:CHAIN_HEAD] == [f"Systeem S{i}" for i in range(CHAIN_HEAD)]
    assert "nog 12,345 stappen" in chain_names(g, ids, "nl", skipped=12_345)
    assert "more" not in chain_names(g, ids, "en")
