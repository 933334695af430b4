"""The dashboard on the Neo4j backend, against a real Neo4j server (tests/neo4j_server.py), and the store's search."""

from __future__ import annotations

import html
import json
import os
import sys
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.dashboard.tables import md_escape
from sovmap.graph.impact import impact
from sovmap.graph.scenarios import Scenario
from sovmap.store import Workspace, demo_files
from sovmap.store import neo4j as store
from tests.neo4j_server import clean_database

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
SOURCE = "zuiderwaard"


@pytest.fixture(scope="module")
def driver(neo4j_server, demo_g):
    """A database holding the demo municipality as source "zuiderwaard" (version v1)."""
    d = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None)
    clean_database(d)
    store.push(d, demo_g, SOURCE, "v1")
    yield d
    d.close()


@pytest.fixture
def open_page(monkeypatch, tmp_path):
    """Open a page with `sovmap dashboard --neo4j URI --source NAME` settings over an empty workspace."""

    def _open(uri: str, page: str, *, source: str | None = SOURCE, query: dict | None = None,
              lang: str = "nl", root: Path | None = None) -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root or tmp_path / "ws"))
        monkeypatch.setenv("SOVMAP_NEO4J", uri)
        if source:
            monkeypatch.setenv("SOVMAP_NEO4J_SOURCE", source)
        else:
            monkeypatch.delenv("SOVMAP_NEO4J_SOURCE", raising=False)
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        at.query_params.update(query or {})
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def component_elements(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)["elements"]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


class TestSearch:
    def test_an_exact_id_comes_first_and_case_does_not_matter(self, driver):
        rows = store.search(driver, SOURCE, "s-kyn")
        assert rows[0] == {"id": "S-KYN", "name": "Kynthos Cloud Inc.", "kind": "supplier", "code": None}
        assert {r["id"] for r in rows} >= {"S-KYN-IE", "S-KYN-NL", "S-KYN-DE"}

    def test_names_match_anywhere_and_the_limit_holds(self, driver, demo_g):
        rows = store.search(driver, SOURCE, "KYNTHOS", limit=3)
        assert len(rows) == 3
        assert all("kynthos" in (demo_g.nodes[r["id"]].get("name") or "").lower() for r in rows)
        assert rows[0]["name"].lower().startswith("kynthos")
        assert len(store.search(driver, SOURCE, "kynthos", limit=500)) == sum(
            "kynthos" in (d.get("name") or "").lower() or "kynthos" in n.lower() for n, d in demo_g.nodes(data=True))

    def test_every_word_must_match_in_any_order(self, driver):
        assert [r["id"] for r in store.search(driver, SOURCE, "ireland KYNTHOS")] == ["S-KYN-IE"]
        assert store.search(driver, SOURCE, "kynthos nergens") == []

    def test_empty_text_finds_nothing_and_an_unknown_source_says_so(self, driver):
        assert store.search(driver, SOURCE, "  ") == []
        with pytest.raises(LookupError, match='No inventory "elders"'):
            store.search(driver, "elders", "kyn")

    def test_the_text_is_a_value_never_query_text(self, driver, demo_g):
        assert store.search(driver, SOURCE, "') DETACH DELETE n //") == []
        assert store.search(driver, SOURCE, "$text") == []
        assert next(s for s in store.sources(driver) if s["name"] == SOURCE)["nodes"] == demo_g.number_of_nodes()
        assert len(store.search(driver, SOURCE, "SYS-", limit=10_000)) == sum(1 for n in demo_g if "sys-" in n.lower())


class TestOutward:
    def test_it_brings_everything_the_nodes_point_to_with_their_relationships(self, driver, demo_g):
        start = ["SYS-BRP", next(n for n, k in demo_g.nodes(data="kind") if k == "process")]
        nodes, edges = store.outward(driver, SOURCE, start)
        wanted = set(start).union(*(nx.descendants(demo_g, n) for n in start))
        assert {n["id"] for n in nodes} == wanted and len(nodes) == len(wanted)  # once each, though shared
        assert sorted((e["source"], e["target"]) for e in edges) == sorted(
            (u, v) for u, v in demo_g.subgraph(wanted).edges())


class TestGraphBrowser:
    # The chain view itself on Neo4j: tests/test_graph_neo4j.py
    def test_a_search_centres_on_the_best_hit(self, driver, neo4j_server, open_page):
        at = open_page(neo4j_server.uri, "graph_neo4j")
        assert at.info[0].value.startswith("Zoek hierboven een proces")
        assert not at.get("component_instance")
        at.text_input(key="graph_query").input("s-kyn-ie").run()
        assert at.selectbox(key="node").value == "S-KYN-IE"
        assert at.query_params["node"] == "S-KYN-IE"
        focus = [n for n in component_elements(at)["nodes"] if "focus" in n["classes"]]
        assert [html.unescape(n["data"]["id"]) for n in focus] == ["S-KYN-IE"]
        at.text_input(key="graph_query").input("bestaat-niet").run()
        assert 'Niets gevonden voor "bestaat\\-niet".' in texts(at)
        assert at.selectbox(key="node").value == "S-KYN-IE"  # the view stays where it was

    def test_an_unknown_node_in_the_url_asks_for_a_search(self, driver, neo4j_server, open_page):
        at = open_page(neo4j_server.uri, "graph_neo4j", query={"node": "BESTAAT-NIET"})
        assert at.info[0].value.startswith("Zoek hierboven een proces")
        assert not at.get("component_instance")


class TestAnalysisPages:
    def test_the_impact_page_gives_the_same_failed_counts_as_the_embedded_backend(self, driver, neo4j_server,
                                                                                  open_page, demo_g, tmp_path,
                                                                                  monkeypatch):
        query = {"supplier": ["S-KYN"], "country": ["CN"]}
        remote = open_page(neo4j_server.uri, "impact", query=query)
        Workspace(tmp_path / "local").add(demo_files())
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(tmp_path / "local"))
        monkeypatch.delenv("SOVMAP_NEO4J")
        embedded = AppTest.from_file(APP, default_timeout=120)
        embedded.query_params["lang"] = "nl"
        embedded.run()
        embedded.query_params.update(query)
        embedded.switch_page("views/impact.py").run()
        assert not embedded.exception and embedded.sidebar.caption[0].value.startswith("Inventaris: versie v0001")
        expected = impact(demo_g, Scenario(suppliers=["S-KYN"], countries=["CN"]))
        assert metrics(remote) == metrics(embedded)
        assert metrics(remote)["Processen vallen stil"] == str(sum(x["kind"] == "process" for x in expected["failed"]))
        assert len(remote.dataframe[0].value) == len(expected["failed"]) > 0

    @pytest.mark.parametrize("page, title", [("overview", "Overview"), ("spof", "Single points of failure"),
                                             ("gaps", "Gaps and next steps"), ("report", "Board report")])
    def test_every_analysis_page_reads_the_pulled_graph(self, driver, neo4j_server, open_page, page, title):
        at = open_page(neo4j_server.uri, page, lang="en")
        assert at.title[0].value == title
        assert at.sidebar.caption[0].value == f"Neo4j: {md_escape(neo4j_server.uri)}"
        assert at.sidebar.caption[1].value.startswith("Version v1, pushed to Neo4j on ")

    def test_a_new_push_is_pulled_afresh(self, driver, neo4j_server, open_page, demo_g):
        store.push(driver, demo_g, "wisselend", "v1")
        at = open_page(neo4j_server.uri, "overview", source="wisselend")
        before = metrics(at)["Systemen"]
        smaller = demo_g.copy()
        smaller.remove_node("SYS-BRP")
        store.push(driver, smaller, "wisselend", "v2")
        at.run()
        assert int(metrics(at)["Systemen"]) == int(before) - 1
        assert at.sidebar.caption[1].value.startswith("Versie v2,")

    def test_the_sidebar_switches_source_and_to_the_workspace(self, driver, neo4j_server, open_page, demo_g):
        store.push(driver, demo_g.subgraph([n for n in demo_g if not n.startswith("P-")]).copy(), "zonder", "v1")
        at = open_page(neo4j_server.uri, "overview")
        assert metrics(at)["Processen"] != "0"
        at.sidebar.selectbox(key="neo4j_source").set_value("zonder").run()
        assert metrics(at)["Processen"] == "0"
        at.sidebar.radio(key="data_source").set_value("workspace").run()
        assert at.info[0].value.startswith("Er is nog geen inventaris geladen")  # the workspace is empty
        assert at.sidebar.caption[0].value == "Nog geen inventaris geladen."


class TestProblems:
    @pytest.mark.parametrize("page", ["overview", "graph_neo4j", "impact", "report"])
    def test_an_unreachable_server_is_said_on_the_page(self, open_page, page):
        at = open_page("bolt://127.0.0.1:9", page)
        assert at.error[0].value.startswith("Kan Neo4j op bolt\\://127\\.0\\.0\\.1\\:9 niet bereiken (")
        assert at.sidebar.caption[1].value == ":red[Neo4j is niet bereikbaar.]"
        assert not at.get("component_instance") and not at.metric

    def test_uploads_still_work_and_say_how_to_push_them(self, open_page, tmp_path):
        at = open_page("bolt://127.0.0.1:9", "upload", root=tmp_path / "ws")
        assert at.info[0].value.startswith("De analysepagina's lezen inventaris zuiderwaard uit Neo4j")
        assert at.code[0].value == f"sovmap neo4j push --workspace {tmp_path / 'ws'} --uri bolt://127.0.0.1:9"
        at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in demo_files()]).run()
        at.button[0].click().run()  # check and store
        assert at.success[0].value.startswith("Opgeslagen als versie v0001")
        assert Workspace(tmp_path / "ws").current().id == "v0001"

    def test_an_unknown_source_names_the_known_ones_and_the_push_command(self, driver, neo4j_server, open_page):
        at = open_page(neo4j_server.uri, "overview", source="elders")
        assert at.warning[0].value.startswith('Er staat geen inventaris "elders" in Neo4j op ')
        assert SOURCE in at.warning[0].value
        assert at.code[0].value.endswith(f"--uri {neo4j_server.uri} --source elders")
        assert at.sidebar.selectbox(key="neo4j_source").value is None


class TestCommand:
    @pytest.fixture
    def started(self, monkeypatch):
        """Record what `sovmap dashboard` hands to Streamlit instead of starting it."""
        calls: list[dict] = []
        monkeypatch.setattr(sys, "argv", list(sys.argv))  # the command rewrites sys.argv and the environment
        for name in ("SOVMAP_NEO4J", "SOVMAP_NEO4J_SOURCE", "SOVMAP_WORKSPACE", "STREAMLIT_BROWSER_GATHER_USAGE_STATS"):
            monkeypatch.setenv(name, "before")
        import streamlit.web.cli as streamlit_cli

        monkeypatch.setattr(streamlit_cli, "main", lambda: calls.append(
            {k: os.environ.get(k) for k in ("SOVMAP_NEO4J", "SOVMAP_NEO4J_SOURCE")}))
        return calls

    def test_neo4j_and_source_reach_the_dashboard(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--neo4j", "bolt://db:7687",
                                          "--source", "zuiderwaard"])
        assert result.exit_code == 0, result.output
        assert started == [{"SOVMAP_NEO4J": "bolt://db:7687", "SOVMAP_NEO4J_SOURCE": "zuiderwaard"}]
        assert "Neo4j: bolt://db:7687, inventory zuiderwaard" in result.output

    def test_a_source_without_a_server_is_a_usage_error(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--source", "zuiderwaard"])
        assert result.exit_code == 2 and "give --neo4j" in result.output
        assert started == []

    def test_without_neo4j_the_workspace_is_read(self, started, tmp_path):
        assert CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path)]).exit_code == 0
        assert started == [{"SOVMAP_NEO4J": None, "SOVMAP_NEO4J_SOURCE": None}]
