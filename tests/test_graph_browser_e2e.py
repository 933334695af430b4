"""End to end: the graph browser's own component in headless Chromium, on the chain5 fixture, offline.

The default view shows the whole chain from the process to the non-European owner's country; path mode
highlights exactly the shortest chains; a double-click adds neighbours without moving what is drawn.
Assertions read the component's state (``window.sovmapGraph.state()`` inside its iframe). Screenshots at
1440×900 go to test-artifacts/graph-browser/ (or $SOVMAP_ARTIFACTS).

Needs Debian's chromium (/usr/bin/chromium) and the Python playwright package (no browser download).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sovmap.graph.model import build_graph
from sovmap.graph.paths import chain_highlight, chain_view, shortest_chains
from sovmap.ingest.validate import load_files
from sovmap.store import Workspace, demo_files

from .test_dashboard_e2e import CHROMIUM, FLAGS, _is_local, _require_browser, dashboard_at

CHAIN5 = Path(__file__).parent / "fixtures" / "chain5"
ARTIFACTS = Path(os.environ.get("SOVMAP_ARTIFACTS") or Path(__file__).parents[1] / "test-artifacts") / "graph-browser"
FILES = [(p.name, p.read_bytes()) for p in sorted(CHAIN5.glob("*.csv"))]
FRAME = 'iframe[title$="sovmap_graph"]'
CHAIN = ["P-AANVRAAG", "SYS-PORTAAL", "SYS-ZAAK", "L-DUB", "S-NORD", "S-KYN", "country:US"]


def _start(tmp_path, files):
    """`sovmap dashboard` on a free port over a workspace holding ``files``; yields the base URL."""
    version, problems = Workspace(tmp_path / "ws").add(files)
    assert version is not None, [str(p) for p in problems]
    yield from dashboard_at(tmp_path / "ws", tmp_path / "dashboard.log")


@pytest.fixture
def server(tmp_path):
    yield from _start(tmp_path, FILES)


@pytest.fixture
def demo_server(tmp_path):
    yield from _start(tmp_path, demo_files())


STAR = [("suppliers.csv", b"id,name,country\nS-BIG,Big Cloud Inc.,US\n"),
        ("systems.csv", ("id,name,supplier_id\n" + "".join(f"SYS-{i:04d},System {i},S-BIG\n"
                                                          for i in range(200))).encode())]


@pytest.fixture
def star_server(tmp_path):
    yield from _start(tmp_path, STAR)


def _state(page) -> dict | None:
    frame = page.locator(FRAME).element_handle().content_frame()
    return frame.evaluate("() => window.sovmapGraph ? window.sovmapGraph.state() : null")


def _wait_for(page, test, what: str, timeout: float = 30) -> dict:
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        try:
            state = _state(page)
        except Exception:  # the iframe is being (re)attached
            state = None
        if state and test(state):
            return state
        page.wait_for_timeout(250)
    pytest.fail(f"the graph never {what}; last state: {json.dumps(state)[:2000]}")


def _screen_point(page, node: str) -> tuple[float, float]:
    frame = page.locator(FRAME).element_handle().content_frame()
    at = frame.evaluate(f"() => {{ const p = window.sovmapGraph.cy().$id({json.dumps(node)}).renderedPosition();"
                        " const b = document.getElementById('cy').getBoundingClientRect();"
                        " return {x: b.left + p.x, y: b.top + p.y}; }")
    box = page.locator(FRAME).bounding_box()
    return box["x"] + at["x"], box["y"] + at["y"]


def test_chain_path_and_stable_expand_in_chromium(server):
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    g = build_graph(load_files(FILES)[0])
    chains = shortest_chains(g, "P-AANVRAAG", "S-NORD")
    want_nodes, want_edges = chain_highlight(chain_view(g, "P-AANVRAAG"), chains)
    assert len(want_nodes) == 4  # the fixture's point: the two-step chain through the 1-of-2 junction

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(60_000)

        def shot(name: str) -> None:
            page.wait_for_timeout(800)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

        # 1. The default view: the whole chain, left to right, to the owner's country.
        page.goto(f"{server}/graph?lang=nl")
        page.get_by_text("verbindingen getoond").wait_for()
        state = _wait_for(page, lambda s: s["nodes"], "drew anything")
        pos = {n["id"]: n for n in state["nodes"]}
        assert set(CHAIN) <= set(pos), sorted(pos)
        assert "junction:P-AANVRAAG:sms" in pos and pos["junction:P-AANVRAAG:sms"]["label"] == "1 / 2"
        xs = [pos[n]["x"] for n in CHAIN]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), f"not left to right: {list(zip(CHAIN, xs))}"
        assert "focus" in pos["P-AANVRAAG"]["classes"] and "noneu" in pos["S-KYN"]["classes"]
        assert "ORG-GEM" not in pos  # the organisation is a badge
        assert state["zoom"] >= 0.75, "labels are drawn too small to read"
        shot("01-chain-default")

        # 2. A double-click adds the node's neighbours; nothing already drawn moves; zoom and pan stay.
        x, y = _screen_point(page, "SYS-ZAAK")
        page.mouse.dblclick(x, y)
        after = _wait_for(page, lambda s: any(n["id"] == "ORG-GEM" for n in s["nodes"]), "expanded SYS-ZAAK")
        moved = {n["id"]: (pos[n["id"]]["x"], pos[n["id"]]["y"], n["x"], n["y"]) for n in after["nodes"]
                 if n["id"] in pos and (abs(n["x"] - pos[n["id"]]["x"]) > 0.5 or abs(n["y"] - pos[n["id"]]["y"]) > 0.5)}
        assert moved == {}, f"expanding moved drawn nodes: {moved}"
        assert after["layouts"] == state["layouts"] and after["renders"] > state["renders"]
        assert after["zoom"] == pytest.approx(state["zoom"]) and after["pan"] == pytest.approx(state["pan"])
        new = next(n for n in after["nodes"] if n["id"] == "ORG-GEM")
        near = pos["SYS-ZAAK"]
        assert abs(new["x"] - near["x"]) < 400 and abs(new["y"] - near["y"]) < 600, "the new node is far away"
        page.locator("h4", has_text="Zaaksysteem").wait_for()  # the double-clicked node's details
        shot("02-expanded-in-place")

        # 3. Path mode: every shortest chain from the process to the subsidiary, through the junction.
        page.get_by_text("Hoe hangen twee onderdelen samen?").click()
        page.get_by_text("Naar", exact=True).wait_for()
        target = page.locator('[data-testid="stSelectbox"]').filter(has_text="Naar")
        target.click()
        page.keyboard.type("Nordhost")
        page.keyboard.press("Enter")
        lit = _wait_for(page, lambda s: set(s["highlighted"]) == want_nodes, "highlighted the shortest chain")
        assert {tuple(e) for e in lit["highlightedEdges"]} == want_edges
        dims = {n["id"] for n in lit["nodes"] if "dim" in n["classes"]}
        assert {"SYS-ZAAK", "L-DUB", "SYS-PORTAAL"} <= dims  # the longer chain is not highlighted
        page.get_by_text("1 kortste keten(s) van 2 stap(pen)").wait_for()
        page.get_by_text("stap 1 is één van 2 alternatieven").wait_for()
        shot("03-path-mode")

        # 4. A click on the subsidiary shows the one details panel (below the drawing) with its owner.
        x, y = _screen_point(page, "S-NORD")
        page.mouse.click(x, y)
        page.locator("h4", has_text="Nordhost B.V.").wait_for()
        page.get_by_text("Wat hiervan afhangt").scroll_into_view_if_needed()
        shot("04-details-panel")

        # 5. The fit button is the component's own, in Dutch; it keeps labels readable.
        page.frame_locator(FRAME).get_by_role("button", name="Alles in beeld").click()
        assert _state(page)["zoom"] >= 0.75

        # 6. The supplier group boxed: the subsidiary and its owner inside one compound node.
        page.get_by_text("Waar hangt dit van af?").click()
        groups = page.locator('[data-testid="stSelectbox"]').filter(has_text="Leveranciersgroepen")
        groups.click()
        page.get_by_role("option", name="in een kader").click()
        boxed = _wait_for(page, lambda s: any(n["id"] == "group:S-KYN" for n in s["nodes"]), "boxed the group")
        parents = {n["id"]: n["parent"] for n in boxed["nodes"]}
        assert parents["S-NORD"] == parents["S-KYN"] == "group:S-KYN" and parents["S-TELCO"] is None
        page.locator(FRAME).scroll_into_view_if_needed()
        shot("05-supplier-group-boxed")
        browser.close()

    outside = sorted({u for u in requests if not _is_local(u)})
    assert outside == [], f"the dashboard asked for resources outside this computer: {outside}"
    assert any(u.endswith("/cytoscape.min.js") for u in requests), "the bundled Cytoscape.js was not served"


def test_the_demos_largest_chain_and_an_aggregated_view_stay_readable(demo_server):
    """The demo's process with the longest chains (about 70 items) and what depends on its busiest supplier."""
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    g = build_graph(load_files(demo_files())[0])
    process = max((n for n, k in g.nodes(data="kind") if k == "process"), key=lambda n: len(chain_view(g, n).nodes))
    supplier = max((n for n, k in g.nodes(data="kind") if k == "supplier"),
                   key=lambda n: len(chain_view(g, n, "up", max_nodes=10**6).nodes))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL").new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{demo_server}/graph?lang=nl&node={process}")
        state = _wait_for(page, lambda s: len(s["nodes"]) == len(chain_view(g, process).nodes), "drew the chain")
        assert state["zoom"] >= 0.75
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "05-demo-longest-chain.png"))

        page.goto(f"{demo_server}/graph?lang=nl&node={supplier}")
        _wait_for(page, lambda s: any(n["id"] == supplier for n in s["nodes"]), "drew the supplier")
        page.get_by_text("Wat hangt hiervan af?").click()
        up = chain_view(g, supplier, "up")
        state = _wait_for(page, lambda s: {n["id"] for n in s["nodes"]} >= set(up.ids), "drew the dependants")
        assert len(state["nodes"]) <= 160 and state["zoom"] >= 0.75
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "06-demo-dependants.png"))
        browser.close()


def test_opening_an_aggregate_puts_its_members_where_it_was(star_server):
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL").new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{star_server}/graph?lang=nl&node=S-BIG")
        _wait_for(page, lambda s: any(n["id"] == "S-BIG" for n in s["nodes"]), "drew the supplier")
        page.get_by_text("Wat hangt hiervan af?").click()
        state = _wait_for(page, lambda s: any(n["label"] == "200 × systemen" for n in s["nodes"]), "aggregated")
        block = next(n for n in state["nodes"] if n["label"] == "200 × systemen")
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "07-aggregated.png"))
        x, y = _screen_point(page, block["id"])
        page.mouse.dblclick(x, y)
        opened = _wait_for(page, lambda s: len(s["nodes"]) > 200, "opened the block")
        focus = next(n for n in opened["nodes"] if n["id"] == "S-BIG")
        was = next(n for n in state["nodes"] if n["id"] == "S-BIG")
        assert (focus["x"], focus["y"]) == pytest.approx((was["x"], was["y"]))  # the rest stays where it was
        members = [n for n in opened["nodes"] if n["id"].startswith("SYS-")]
        assert len(members) == 200 and opened["layouts"] == state["layouts"]
        nearest = min(abs(n["x"] - block["x"]) + abs(n["y"] - block["y"]) for n in members)
        assert nearest < 10, "the members were not put where the block was"
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "08-aggregate-opened.png"))
        browser.close()
