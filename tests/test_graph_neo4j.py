"""The graph browser on the Neo4j backend: the same chain view, path mode, expand and panel as on a workspace,
from only the closure fetched (sovmap/store/chains.py), against a real Neo4j server (tests/neo4j_server.py)."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard import data, graphview_chain
from sovmap.dashboard.graphview_panel import dependants
from sovmap.dashboard.remote import local_graph
from sovmap.dashboard.state import GRAPH_CHAIN_EVENT, GRAPH_EXPANDED
from sovmap.graph.model import build_graph
from sovmap.graph.paths import chain_highlight, chain_view, shortest_chains
from sovmap.ingest.validate import load_files
from sovmap.store import chains
from sovmap.store import neo4j as store
from tests.neo4j_server import clean_database

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
CHAIN5 = Path(__file__).parent / "fixtures" / "chain5"


@pytest.fixture(scope="module")
def chain5_g():
    return build_graph(load_files([(p.name, p.read_bytes()) for p in sorted(CHAIN5.glob("*.csv"))])[0])


@pytest.fixture(scope="module")
def driver(neo4j_server, demo_g, chain5_g):
    """The demo as source "demo" and the chain5 fixture (5-step chain, k-of-N group) as "chain5"."""
    d = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None)
    clean_database(d)
    store.push(d, demo_g, "demo", "v1")
    store.push(d, chain5_g, "chain5", "v1")
    yield d
    d.close()


def fetched(driver, source, focus, direction="down", expanded=(), limit=chains.FETCH_LIMIT):
    parts = [chains.closure(driver, source, focus, direction, limit)]
    if expanded:
        parts.append(chains.neighbours(driver, source, list(expanded), limit))
    return local_graph((p.nodes, p.edges) for p in parts), any(p.capped for p in parts)


def same_view(a, b) -> None:
    """Two chain views draw the same: nodes (id, kind, layer, badges, label, members), edges, flags.

    Order within a layer follows the order relationships come in (the files' rows in a workspace, Neo4j's
    own order on the server), so nodes and edges are compared as sets.
    """
    def key(v):
        return sorted((n.id, n.kind, n.layer, n.badges, n.label, n.count, tuple(sorted(n.members)), n.of)
                      for n in v.nodes)

    assert key(a) == key(b)
    assert set(a.edges) == set(b.edges) and len(a.edges) == len(b.edges)
    assert (a.aggregated, a.truncated_at_depth) == (b.aggregated, b.truncated_at_depth)


def same_elements(a: dict, b: dict) -> None:
    """The component's elements, in any order."""
    for part in ("nodes", "edges"):
        assert sorted(a[part], key=lambda e: e["data"]["id"]) == sorted(b[part], key=lambda e: e["data"]["id"])


def foci(g, kinds=("process", "system", "location", "supplier", "country", "organisation", "dataset")):
    return [n for n in sorted(g) if g.nodes[n]["kind"] in kinds]


class TestClosure:
    @pytest.mark.parametrize("direction", ["down", "up"])
    def test_every_view_of_the_demo_equals_the_workspace_view(self, driver, demo_g, direction):
        checked = 0
        for focus in foci(demo_g)[::3]:  # every third node of each kind: processes to countries
            local, capped = fetched(driver, "demo", focus, direction)
            assert not capped
            want, got = chain_view(demo_g, focus, direction), chain_view(local, focus, direction)
            same_view(got, want)
            # names, badges, non-European and unknown-owner marks, groups: what is drawn
            for groups in ("separate", "collapsed"):
                same_elements(graphview_chain.chain_elements(local, got, "nl", groups=groups),
                              graphview_chain.chain_elements(demo_g, want, "nl", groups=groups))
            checked += 1
        assert checked > 20

    def test_depths_and_the_fixtures_junctions_equal(self, driver, chain5_g):
        for focus in foci(chain5_g):
            local, _ = fetched(driver, "chain5", focus)
            for depth in (None, 1, 3):
                same_view(chain_view(local, focus, "down", depth), chain_view(chain5_g, focus, "down", depth))
        assert any(n.kind == "junction" for f in foci(chain5_g, ("process",))
                   for n in chain_view(fetched(driver, "chain5", f)[0], f).nodes)

    def test_expanded_nodes_add_the_same_neighbours(self, driver, demo_g):
        focus = "P-BURGERZAKEN" if "P-BURGERZAKEN" in demo_g else foci(demo_g, ("process",))[0]
        view = chain_view(demo_g, focus)
        expanded = [n.id for n in view.nodes if n.kind in ("system", "supplier")][:2]
        local, _ = fetched(driver, "demo", focus, "down", expanded)
        same_view(chain_view(local, focus, "down", None, expanded), chain_view(demo_g, focus, "down", None, expanded))

    def test_path_mode_finds_the_same_chains_and_highlight(self, driver, demo_g, chain5_g):
        pairs = 0
        for g, source in ((demo_g, "demo"), (chain5_g, "chain5")):
            for a in foci(g, ("process",)):
                local, _ = fetched(driver, source, a)
                for b in foci(g, ("supplier", "country", "location")):
                    want = shortest_chains(g, a, b)
                    got = shortest_chains(local, a, b) if b in local else []
                    assert got == want, (a, b)
                    if want:
                        pairs += 1
                        assert chain_highlight(chain_view(local, a), got) == chain_highlight(chain_view(g, a), want)
        assert pairs > 10

    def test_what_depends_on_a_node_is_counted_as_on_the_whole_graph(self, driver, demo_g):
        for node in foci(demo_g, ("supplier", "country", "location"))[::2]:
            local, _ = fetched(driver, "demo", node, "up")
            assert dependants(local, node) == dependants(demo_g, node)
            bare = chains.closure(driver, "demo", node, "up", context=False)  # what the panel fetches
            assert dependants(local_graph([(bare.nodes, bare.edges)]), node) == dependants(demo_g, node)
            assert len(bare.nodes) <= len(local)

    def test_the_servers_count_of_what_depends_on_a_node_equals_the_whole_graphs(self, driver, demo_g, chain5_g):
        for source, g in (("demo", demo_g), ("chain5", chain5_g)):
            for node in foci(g):
                direct, processes = dependants(g, node)
                got = chains.dependants(driver, source, node, shown=3)
                assert (got.direct, got.processes) == (len(direct), processes), (source, node)
                assert [n["id"] for n in got.shown] == direct[:3]
                assert all(n["kind"] == g.nodes[n["id"]]["kind"] for n in got.shown)
        assert any(chains.dependants(driver, "demo", n).processes > 1 for n in foci(demo_g, ("country",)))
        with pytest.raises(LookupError):
            chains.dependants(driver, "demo", "X' }) DETACH DELETE (n) //")

    def test_a_fetch_beyond_the_limit_stops_and_says_so(self, driver, demo_g):
        country = max(foci(demo_g, ("country",)), key=lambda c: demo_g.in_degree(c))
        local, capped = fetched(driver, "demo", country, "up", limit=5)
        assert capped and len(local) == 5 and country in local
        assert not fetched(driver, "demo", country, "up")[1]

    def test_an_unknown_focus_is_a_lookup_error_and_values_are_never_query_text(self, driver):
        with pytest.raises(LookupError):
            chains.closure(driver, "demo", "X' }) DETACH DELETE (n) //")
        assert store.sources(driver)  # still there


@pytest.fixture
def open_page(monkeypatch, tmp_path, neo4j_server):
    def _open(query: dict, *, source: str = "demo", lang: str = "nl") -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(tmp_path / "ws"))
        monkeypatch.setenv("SOVMAP_NEO4J", neo4j_server.uri)
        monkeypatch.setenv("SOVMAP_NEO4J_SOURCE", source)
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.query_params.update(query)
        at.switch_page("views/graph_neo4j.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def elements(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)["elements"]


def shown(at: AppTest) -> str:
    return " ".join(str(e.value) for k in ("markdown", "caption", "info", "warning") for e in getattr(at, k))


class TestPage:
    def test_it_draws_the_workspace_pages_chain_view(self, driver, open_page, demo_g):
        focus = foci(demo_g, ("process",))[0]
        at = open_page({"node": focus})
        same_elements(elements(at), graphview_chain.chain_elements(demo_g, chain_view(demo_g, focus), "nl"))
        assert at.radio(key="graph_mode").value == "down"
        direct, processes = dependants(demo_g, focus)
        assert f"{len(direct)} direct; in totaal {processes} proces(sen)." in shown(at) or not direct
        at.radio(key="graph_mode").set_value("up").run()
        same_elements(elements(at), graphview_chain.chain_elements(demo_g, chain_view(demo_g, focus, "up"), "nl"))

    def test_path_mode_highlights_the_same_chains(self, driver, open_page, chain5_g):
        process = foci(chain5_g, ("process",))[0]
        at = open_page({"node": process}, source="chain5")
        at.radio(key="graph_mode").set_value("path").run()
        target = at.selectbox(key="graph_target").value
        want_chains = shortest_chains(chain5_g, process, target)
        assert want_chains
        view = chain_view(chain5_g, process, unfolded={n for c in want_chains for n in c.nodes})
        want = graphview_chain.chain_elements(chain5_g, view, "nl", highlight=chain_highlight(view, want_chains))
        same_elements(elements(at), want)
        assert f"{len(want_chains)} kortste keten(s)" in shown(at)

    def test_a_double_click_expands_in_place_and_the_panel_follows(self, driver, open_page, demo_g):
        focus = foci(demo_g, ("process",))[0]
        at = open_page({"node": focus})
        far = next(n.id for n in chain_view(demo_g, focus).nodes if n.kind == "supplier")
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "expand", "node": far, "ts": 21}
        at.run()
        assert at.session_state[GRAPH_EXPANDED] == [far]
        same_elements(elements(at), graphview_chain.chain_elements(
            demo_g, chain_view(demo_g, focus, "down", None, [far]), "nl"))
        direct, processes = dependants(demo_g, far)
        assert f"{len(direct)} direct; in totaal {processes} proces(sen)." in shown(at)

    def test_a_large_view_is_aggregated_as_on_a_workspace(self, driver, open_page):
        systems = "id,name,supplier_id\n" + "".join(f"SYS-{i:04d},System {i},S-BIG\n" for i in range(1600))
        g = build_graph(load_files([("suppliers.csv", b"id,name,country\nS-BIG,Big Cloud Inc.,US\n"),
                                    ("systems.csv", systems.encode())])[0])
        store.push(driver, g, "groot", "v1")
        at = open_page({"node": "S-BIG"}, source="groot")
        at.radio(key="graph_mode").set_value("up").run()
        view = chain_view(g, "S-BIG", "up")
        assert view.aggregated and len(elements(at)["nodes"]) <= 150
        same_elements(elements(at), graphview_chain.chain_elements(g, view, "nl"))
        assert "Neo4j heeft" not in shown(at)

    def test_a_capped_fetch_is_said(self, driver, open_page, demo_g, monkeypatch):
        monkeypatch.setattr(chains, "FETCH_LIMIT", 4)
        data.neo4j_chain_graph.clear()
        try:
            at = open_page({"node": foci(demo_g, ("process",))[0]})
            assert "Neo4j heeft voor deze weergave meer dan 4 onderdelen" in shown(at)
        finally:
            data.neo4j_chain_graph.clear()
