"""The graph browser page under AppTest: the chain view, its modes, expand, details, and state kept across pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard.graphview_chain import COMPONENT_PATH
from sovmap.dashboard.state import GRAPH_CHAIN_EVENT, GRAPH_EXPANDED, GRAPH_SELECTED
from sovmap.graph.model import build_graph
from sovmap.graph.paths import MAX_VIEW_NODES, chain_highlight, chain_view, shortest_chains
from sovmap.ingest.validate import load_files
from sovmap.store import Workspace, demo_files

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
CHAIN5 = Path(__file__).parent / "fixtures" / "chain5"
FILES = [(p.name, p.read_bytes()) for p in sorted(CHAIN5.glob("*.csv"))]


@pytest.fixture(scope="module")
def chain_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("chain5-ws")
    Workspace(root).add(FILES)
    return root


@pytest.fixture(scope="module")
def g():
    return build_graph(load_files(FILES)[0])


@pytest.fixture
def open_graph(monkeypatch):
    def _open(root: Path, *, lang: str = "nl", query: dict | None = None) -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.query_params.update(query or {})
        at.switch_page("views/graph.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def args(at: AppTest) -> dict:
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args)


def nodes(at: AppTest) -> dict[str, dict]:
    return {n["data"]["id"]: n for n in args(at)["elements"]["nodes"]}


def shown(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning")
                    for e in getattr(at, kind))


class TestChainView:
    def test_the_default_is_a_vital_process_and_its_whole_chain_to_the_owners_country(self, open_graph, chain_root):
        at = open_graph(chain_root)
        assert at.selectbox(key="node").value == "P-AANVRAAG" and at.radio(key="graph_mode").value == "down"
        drawn = nodes(at)
        assert {"P-AANVRAAG", "SYS-PORTAAL", "SYS-ZAAK", "L-DUB", "S-NORD", "S-KYN", "country:US"} <= set(drawn)
        assert drawn["junction:P-AANVRAAG:sms"]["data"]["label"] == "1 / 2"
        assert drawn["S-KYN"]["classes"] == "supplier noneu" and "ORG-GEM" not in drawn
        assert drawn["P-AANVRAAG"]["data"]["label"] == "Vergunning aanvragen\n[Gemeente Voorbeeld]"
        assert drawn["L-DUB"]["data"]["label"] == "Datacentrum Dublin\n[IE]"  # the organisation is not repeated
        assert at.query_params["node"] == "P-AANVRAAG"
        assert args(at)["texts"] == {"fit": "Alles in beeld"}

    def test_the_component_is_our_own_bundled_one(self, open_graph, chain_root):
        at = open_graph(chain_root)
        assert at.get("component_instance")[0].proto.component_name.endswith("sovmap_graph")
        assert {"index.html", "sovmap_graph.js", "cytoscape.min.js", "dagre.min.js", "cytoscape-dagre.js"} <= {
            p.name for p in COMPONENT_PATH.iterdir()}

    def test_what_depends_on_the_owner(self, open_graph, chain_root):
        at = open_graph(chain_root, query={"node": "S-KYN"})
        at.radio(key="graph_mode").set_value("up").run()
        drawn = nodes(at)
        assert {"S-KYN", "S-NORD", "L-DUB", "SYS-ZAAK", "SYS-SMS-A", "P-AANVRAAG"} <= set(drawn)
        assert "S-TELCO" not in drawn and "focus" in drawn["S-KYN"]["classes"]

    def test_depth_stops_and_says_how_to_see_the_whole_chain(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.selectbox(key="graph_depth").set_value(2).run()
        assert "L-DUB" not in nodes(at)
        assert 'Na 2 stap(pen) afgebroken. Kies "hele keten"' in shown(at)

    def test_a_large_view_is_aggregated_with_counts(self, open_graph, tmp_path):
        systems = "id,name,supplier_id\n" + "".join(f"SYS-{i:04d},System {i},S-BIG\n" for i in range(400))
        Workspace(tmp_path).add([("suppliers.csv", b"id,name,country\nS-BIG,Big Cloud Inc.,US\n"),
                                 ("systems.csv", systems.encode())])
        at = open_graph(tmp_path, query={"node": "S-BIG"})
        at.radio(key="graph_mode").set_value("up").run()
        drawn = nodes(at)
        assert len(drawn) <= MAX_VIEW_NODES
        assert any(n["data"]["label"] == "400 × systemen" for n in drawn.values())
        assert "Meer dan 150 onderdelen" in shown(at)

    def test_a_double_click_opens_an_aggregate(self, open_graph, tmp_path):
        systems = "id,name,supplier_id\n" + "".join(f"SYS-{i:04d},System {i},S-BIG\n" for i in range(200))
        Workspace(tmp_path).add([("suppliers.csv", b"id,name,country\nS-BIG,Big Cloud Inc.,US\n"),
                                 ("systems.csv", systems.encode())])
        at = open_graph(tmp_path, query={"node": "S-BIG"})
        at.radio(key="graph_mode").set_value("up").run()
        block = next(i for i, n in nodes(at).items() if n["data"]["label"] == "200 × systemen")
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "expand", "node": block, "ts": 21}
        at.run()
        drawn = nodes(at)
        assert block not in drawn and {f"SYS-{i:04d}" for i in range(200)} <= set(drawn)
        assert args(at)["anchor"] == block  # the component puts the members where the block was

    def test_supplier_groups_boxed_or_collapsed(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.selectbox(key="graph_groups").set_value("boxed").run()
        drawn = nodes(at)
        assert drawn["S-NORD"]["data"]["parent"] == drawn["S-KYN"]["data"]["parent"] == "group:S-KYN"
        assert drawn["group:S-KYN"]["data"]["label"] == "Kynetic Corp"
        at.selectbox(key="graph_groups").set_value("collapsed").run()
        drawn = nodes(at)
        assert "S-NORD" not in drawn and "S-KYN" not in drawn
        assert drawn["group:S-KYN"]["data"]["label"] == "Kynetic Corp\n(groep van 2)"
        edges = {(e["data"]["source"], e["data"]["target"]) for e in args(at)["elements"]["edges"]}
        assert ("L-DUB", "group:S-KYN") in edges and ("group:S-KYN", "country:US") in edges


class TestExpandAndSelect:
    def test_a_double_click_adds_neighbours_in_the_same_view(self, open_graph, chain_root):
        at = open_graph(chain_root)
        view = args(at)["view"]
        assert "ORG-GEM" not in nodes(at)
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "expand", "node": "SYS-ZAAK", "ts": 11}
        at.run()
        assert "ORG-GEM" in nodes(at)
        assert args(at)["view"] == view and args(at)["anchor"] == "SYS-ZAAK"  # the component keeps its layout
        assert at.session_state[GRAPH_EXPANDED] == ["SYS-ZAAK"] and at.session_state[GRAPH_SELECTED] == "SYS-ZAAK"

    def test_an_event_on_a_junction_or_an_old_event_changes_nothing(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "expand", "node": "junction:P-AANVRAAG:sms", "ts": 3}
        at.run()
        assert at.session_state[GRAPH_EXPANDED] == []

    def test_a_click_shows_one_panel_with_short_sections(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "select", "node": "SYS-ZAAK", "ts": 12}
        at.run()
        text = shown(at)
        assert "#### Zaaksysteem" in text
        assert "**Wat het is**" in text and "**Zeggenschap**" in text and "**Wat hiervan afhangt**" in text
        assert "Nordhost B\\.V\\. · Nederland \\(NL\\) → :red[Kynetic Corp · Verenigde Staten \\(US\\)]" in text
        assert "1 direct; in totaal 1 proces(sen)." in text and "Aanvraagportaal" in text
        assert [b.value for b in at.markdown if "-badge[" in b.value][:1] == [":green-badge[geografisch: in controle]"]
        assert at.expander[0].label == "Alle redenen"

    def test_centre_on_the_selected_item(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.session_state[GRAPH_CHAIN_EVENT] = {"action": "select", "node": "S-NORD", "ts": 13}
        at.run()
        next(b for b in at.button if b.label == "Maak dit het middelpunt").click().run()
        assert at.selectbox(key="node").value == "S-NORD" and "focus" in nodes(at)["S-NORD"]["classes"]


class TestPathMode:
    def test_every_shortest_chain_is_highlighted_with_its_redundancy(self, open_graph, chain_root, g):
        at = open_graph(chain_root)
        at.radio(key="graph_mode").set_value("path").run()
        at.selectbox(key="graph_target").set_value("S-NORD").run()
        want, _ = chain_highlight(chain_view(g, "P-AANVRAAG"), shortest_chains(g, "P-AANVRAAG", "S-NORD"))
        drawn = nodes(at)
        assert {i for i, n in drawn.items() if "hl" in n["classes"].split()} == want
        assert "dim" in drawn["SYS-ZAAK"]["classes"].split()
        text = shown(at)
        assert "1 kortste keten(s) van 2 stap(pen)" in text
        assert ("Vergunning aanvragen → Sms\\-dienst Noord → Nordhost B\\.V\\. — stap 1 is één van 2 alternatieven "
                "(groep sms, 1 nodig)") in text

    def test_a_country_reached_through_a_location_is_drawn_and_highlighted(self, open_graph, chain_root):
        at = open_graph(chain_root)
        at.radio(key="graph_mode").set_value("path").run()
        at.selectbox(key="graph_target").set_value("country:IE").run()
        lit = {i for i, n in nodes(at).items() if "hl" in n["classes"].split()}
        assert lit == {"P-AANVRAAG", "SYS-PORTAAL", "SYS-ZAAK", "L-DUB", "country:IE"}
        assert "1 kortste keten(s) van 4 stap(pen)" in shown(at)

    def test_the_other_way_round_the_chain_is_reversed_and_said(self, open_graph, chain_root):
        at = open_graph(chain_root, query={"node": "S-KYN"})
        at.radio(key="graph_mode").set_value("path").run()
        at.selectbox(key="graph_target").set_value("P-AANVRAAG").run()
        assert "Vergunning aanvragen hangt af van Kynetic Corp" in shown(at)
        assert "hl" in nodes(at)["S-KYN"]["classes"].split()

    def test_no_chain_is_said_plainly(self, open_graph, chain_root):
        at = open_graph(chain_root, query={"node": "S-TELCO"})
        at.radio(key="graph_mode").set_value("path").run()
        at.selectbox(key="graph_target").set_value("S-KYN").run()
        assert "Er loopt geen afhankelijkheidsketen tussen Telco Nederland B\\.V\\. en Kynetic Corp" in shown(at)


class TestKeptAcrossPages:
    def test_focus_mode_and_target_survive_another_page(self, open_graph, chain_root):
        at = open_graph(chain_root, query={"node": "S-KYN"})
        at.radio(key="graph_mode").set_value("path").run()
        at.selectbox(key="graph_target").set_value("P-AANVRAAG").run()
        at.switch_page("views/overview.py").run()
        at.switch_page("views/graph.py").run()
        assert not at.exception
        assert at.selectbox(key="node").value == "S-KYN"
        assert at.radio(key="graph_mode").value == "path" and at.selectbox(key="graph_target").value == "P-AANVRAAG"

    def test_english(self, open_graph, chain_root):
        at = open_graph(chain_root, lang="en")
        assert at.radio(key="graph_mode").options == ["What does this depend on?", "What depends on this?",
                                                     "How are two items connected?"]
        assert args(at)["texts"] == {"fit": "Fit to view"}

    def test_another_version_made_current_meanwhile_falls_back_to_the_default_focus(self, open_graph, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(demo_files())
        ws.add([(n, d + b"SYS-NEW,Nieuw systeem\n" if n == "systems.csv" else d) for n, d in demo_files()])
        at = open_graph(tmp_path, query={"node": "SYS-NEW"})
        assert at.selectbox(key="node").value == "SYS-NEW"
        ws.set_current("v0001")
        at.run()
        assert not at.exception
        assert at.selectbox(key="node").value != "SYS-NEW" and "SYS-NEW" not in nodes(at)
