"""The dashboard's pages on Neo4j read the answers stored at push, and the impact page only the cut's closure.

Against a real Neo4j server (tests/neo4j_server.py). Every page is compared with the same page on the
workspace backend (the same inventory, computed in memory), and a counting stand-in for
:func:`sovmap.store.neo4j.pull` shows that no whole graph was pulled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import neo4j
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sovmap.dashboard import remote
from sovmap.dashboard.i18n import t
from sovmap.dashboard.impact_table import PAGE_SIZE
from sovmap.dashboard.tables import impact_columns, impact_rows
from sovmap.graph.impact import impact
from sovmap.graph.scenarios import Scenario
from sovmap.store.closure import ordered
from sovmap.dashboard.analysis import answers_of, compute_analysis, named_ids, stored_answers_of
from sovmap.graph.concentration import reaching_members
from sovmap.store import Version, Workspace, demo_files
from sovmap.store import neo4j as store
from sovmap.store.answers import ANSWERS, SUMMARY_ACTIONS, SUMMARY_GAPS, stored_answers
from tests.neo4j_server import clean_database

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
STORED, BARE = "zuiderwaard", "kaal"  # pushed with, and without, the answers


@pytest.fixture(scope="module")
def driver(neo4j_server, demo_g):
    d = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None)
    clean_database(d)
    store.push(d, demo_g, STORED, "v1")
    store.push(d, demo_g, BARE, "v1", answers=False)
    yield d
    d.close()


@pytest.fixture(scope="module")
def local_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("local")
    Workspace(root).add(demo_files())
    return root


@pytest.fixture
def pulls(monkeypatch):
    """The sources pulled whole from Neo4j during a test (with the dashboard's caches emptied first)."""
    st.cache_resource.clear()
    pulled: list[str] = []
    real = store.pull

    def counting(driver, source, database=None):
        pulled.append(source)
        return real(driver, source, database)

    monkeypatch.setattr(store, "pull", counting)
    yield pulled
    st.cache_resource.clear()


@pytest.fixture
def open_page(monkeypatch, tmp_path, local_root):
    """Open a page on Neo4j (``uri`` and ``source``) or, with ``uri`` None, on the workspace holding the demo."""

    def _open(uri: str | None, page: str, source: str = STORED, query: dict | None = None,
              lang: str = "en") -> AppTest:
        if uri:
            monkeypatch.setenv("SOVMAP_WORKSPACE", str(tmp_path / "ws"))
            monkeypatch.setenv("SOVMAP_NEO4J", uri)
            monkeypatch.setenv("SOVMAP_NEO4J_SOURCE", source)
        else:
            monkeypatch.setenv("SOVMAP_WORKSPACE", str(local_root))
            monkeypatch.delenv("SOVMAP_NEO4J", raising=False)
            monkeypatch.delenv("SOVMAP_NEO4J_SOURCE", raising=False)
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params["lang"] = lang
        at.run()
        at.query_params.update(query or {})
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def shown(at: AppTest) -> dict:
    """What a page shows, less the captions that say where its data came from."""
    return {"title": [e.value for e in at.title], "metrics": {m.label: m.value for m in at.metric},
            "markdown": [e.value for e in at.markdown], "info": [e.value for e in at.info],
            "tables": [df.value.to_dict("records") for df in at.dataframe],
            "charts": len(at.get("arrow_vega_lite_chart"))}


def captions(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.caption)


class TestStoredAnswers:
    def test_the_pages_answers_from_neo4j_equal_those_computed_from_the_inventory(self, driver, demo_g):
        stored = stored_answers(driver, STORED)
        assert set(stored) == set(ANSWERS)
        g = remote.parties(driver, STORED, sorted(named_ids(stored["assess"])))
        got = stored_answers_of(stored, g)
        version = Version(id="v1", created=dt.datetime.now(dt.timezone.utc), files=[], checksums={}, path=Path("."))
        want = answers_of(compute_analysis(version, demo_g))
        def plain(rows):  # the stored rows also carry each process's blind spots, which the CLI shows
            return [{k: v for k, v in p.items() if k not in ("systems_without_party", "depends_on_nothing")}
                    for p in rows]

        assert (got.counts, plain(got.spof), plain(got.spof_all), got.ranking, got.coverage) == (
            want.counts, want.spof, want.spof_all, want.ranking, want.coverage)
        for key in ("matrix", "reach", "laws", "incomplete", "gaps_total", "actions_total", "by_actual"):
            assert got.assessment[key] == want.assessment[key], key
        assert got.assessment["gaps"] == want.assessment["gaps"][:len(got.assessment["gaps"])]
        assert got.assessment["actions"] == want.assessment["actions"][:SUMMARY_ACTIONS]
        via: dict = {}
        for p in want.spof_all:
            for s in p["single_points_of_failure"]:
                used = [m for m in reaching_members(demo_g, p["id"], s["members"]) if m != s["supplier_group"]]
                if used:
                    via.setdefault(p["id"], {})[s["supplier_group"]] = used
        assert got.via == via
        assert any(got.via.values())  # the demo has groups reached through a subsidiary

    def test_the_parties_carry_every_supplier_location_and_country_and_the_named_nodes(self, driver, demo_g):
        process = next(n for n, k in demo_g.nodes(data="kind") if k == "process")
        g = remote.parties(driver, STORED, [process, "SYS-BRP", "NOT-THERE"])
        kinds = ("supplier", "location", "country")
        assert g.nodes[process] == demo_g.nodes[process]
        assert {n for n in g if n not in (process, "SYS-BRP")} == {
            n for n, k in demo_g.nodes(data="kind") if k in kinds}
        assert g.nodes["SYS-BRP"] == demo_g.nodes["SYS-BRP"]
        ownership = {(u, v, k, d.get("share")) for u, v, k, d in demo_g.edges(keys=True, data=True)
                     if k in ("owned_by", "co_owned_by")}
        assert {(u, v, k, d.get("share")) for u, v, k, d in g.edges(keys=True, data=True)} == ownership

    def test_a_version_pushed_without_answers_has_none(self, driver):
        assert stored_answers(driver, BARE) is None


class TestPages:
    @pytest.mark.parametrize("page", ["overview", "spof", "gaps"])
    def test_a_page_shows_the_same_from_stored_answers_without_pulling_the_graph(self, driver, neo4j_server,
                                                                               open_page, pulls, page):
        on_neo4j = open_page(neo4j_server.uri, page)
        assert pulls == []
        assert "Read from the answers stored in Neo4j" in captions(on_neo4j)
        a = shown(on_neo4j)
        if page == "gaps":  # every gap, computed from the pulled graph (Neo4j stores the most severe)
            on_neo4j.toggle(key="gaps_all").set_value(True).run()
            assert pulls == [STORED] and "computed from the whole graph" in captions(on_neo4j)
            every = shown(on_neo4j)
        b = shown(open_page(None, page))
        if page == "gaps":
            steps, gaps = b["tables"][0][:SUMMARY_ACTIONS], b["tables"][1][:SUMMARY_GAPS]
            assert (a["tables"], len(b["tables"][1])) == ([steps, gaps], int(b["markdown"][0].split()[0]))
            assert a["info"][0].startswith(f"The {SUMMARY_GAPS} most severe of {len(b['tables'][1])} gaps and the "
                                           f"first {SUMMARY_ACTIONS} of {len(b['tables'][0])} steps")
            assert a["markdown"] == [f"{SUMMARY_GAPS} of {SUMMARY_GAPS} gaps shown."]
            a = every
        assert a == b
        assert b["metrics"] or b["tables"]  # the comparison compared something

    def test_the_spof_page_names_the_subsidiaries_a_process_uses(self, driver, neo4j_server, open_page, pulls):
        at = open_page(neo4j_server.uri, "spof")
        groups = " ".join(r[t("spof.col.groups", "en")] for r in shown(at)["tables"][0])
        assert "owned by" in groups and pulls == []

    @pytest.mark.parametrize("page", ["overview", "spof", "gaps"])
    def test_a_version_pushed_without_answers_is_computed_from_the_pulled_graph(self, driver, neo4j_server,
                                                                               open_page, pulls, page):
        at = open_page(neo4j_server.uri, page, source=BARE)
        assert pulls == [BARE]
        assert "pushed with --no-answers or by an earlier sovmap): computed from the whole graph" in captions(at)
        assert shown(at) == shown(open_page(None, page))

    def test_the_impact_page_answers_from_the_cut_closure_as_the_workspace_does(self, driver, neo4j_server,
                                                                                open_page, pulls, demo_g):
        for query in ({"supplier": ["S-KYN"]}, {"supplier": ["S-KYN"], "country": ["CN"]},
                      {"supplier": ["S-KYN"], "subsidiaries": "false"}, {"country": ["US"]}):
            on_neo4j = shown(open_page(neo4j_server.uri, "impact", query=query))
            assert pulls == []
            same_impact(on_neo4j, shown(open_page(None, "impact", query=query)), query, demo_g)

    def test_the_impact_page_on_a_version_without_answers_still_fetches_only_the_closure(
            self, driver, neo4j_server, open_page, pulls, monkeypatch, demo_g):
        fetched = []
        from sovmap.store import closure

        real = closure.cut_graph
        monkeypatch.setattr(closure, "cut_graph", lambda *a, **k: fetched.append(a[1]) or real(*a, **k))
        query = {"supplier": ["S-KYN"]}
        on_neo4j = shown(open_page(neo4j_server.uri, "impact", source=BARE, query=query))
        assert fetched == [BARE] and pulls == [BARE]  # the pull gives the ranking and the options
        same_impact(on_neo4j, shown(open_page(None, "impact", query=query)), query, demo_g)


def same_impact(on_neo4j: dict, local: dict, query: dict, g) -> None:
    """The impact page on Neo4j shows what the workspace's shows; its why-chains are as long, and those of the
    whole graph in id order (the closure breaks ties between equally short chains in id order)."""
    why = dict(impact_columns("en"))["why"]
    in_id_order = ordered(g)
    scenario = Scenario(suppliers=query.get("supplier", []), countries=query.get("country", []),
                        include_subsidiaries="subsidiaries" not in query)
    r = impact(in_id_order, scenario)
    # each table shows its first page of rows (the rest: tests/test_dashboard_impact_table.py)
    assert [[x[why] for x in table] for table in on_neo4j["tables"]] == [
        [x["why"] for x in impact_rows(in_id_order, r[key][:PAGE_SIZE], "en")] for key in ("failed", "degraded")]
    for table in (*on_neo4j["tables"], *local["tables"]):
        for x in table:
            x[why] = x[why].count(" → ")
    assert on_neo4j == local and local["tables"][0], query
