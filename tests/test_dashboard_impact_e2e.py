"""End to end: the "what breaks if…" page's chain drawing in headless Chromium opens with every node inside its
frame, and no control of the component covers a node. Screenshots go to test-artifacts/impact/.

Needs Debian's chromium (/usr/bin/chromium) and the Python playwright package (no browser download).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sovmap.dashboard import graphview
from sovmap.graph.concentration import rank_supplier_groups
from sovmap.graph.impact import impact
from sovmap.graph.model import build_graph
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load_files
from sovmap.store import demo_files

from .test_dashboard_e2e import CHROMIUM, FLAGS, _require_browser
from .test_graph_browser_e2e import FRAME, _start, _wait_for

ARTIFACTS = Path(os.environ.get("SOVMAP_ARTIFACTS") or Path(__file__).parents[1] / "test-artifacts") / "impact"

# Inside the component's frame: the drawing's size, every node's drawn box (labels included) and every control's
# box, all in the frame's coordinates.
MEASURE = """() => {
  const cy = window.sovmapGraph.cy();
  const c = document.getElementById('cy').getBoundingClientRect();
  const box = r => ({x1: r.left, y1: r.top, x2: r.right, y2: r.bottom});
  return {
    canvas: box(c), width: cy.width(), height: cy.height(), bodyHeight: document.documentElement.clientHeight,
    controls: Array.from(document.querySelectorAll('#bar button')).map(b => box(b.getBoundingClientRect())),
    nodes: cy.nodes().map(n => { const b = n.renderedBoundingBox({includeLabels: true});
      return {id: n.id(), x1: b.x1 + c.left, y1: b.y1 + c.top, x2: b.x2 + c.left, y2: b.y2 + c.top}; })
  };
}"""


def _overlaps(a: dict, b: dict) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def _check_inside(m: dict, what: str) -> None:
    c = m["canvas"]
    assert c["y2"] <= m["bodyHeight"] + 1, f"{what}: the drawing is taller than its frame: {c} vs {m['bodyHeight']}"
    outside = [n["id"] for n in m["nodes"]
               if n["x1"] < c["x1"] - 1 or n["y1"] < c["y1"] - 1 or n["x2"] > c["x2"] + 1 or n["y2"] > c["y2"] + 1]
    assert not outside, (f"{what}: {len(outside)} of {len(m['nodes'])} nodes lie (partly) outside the frame: "
                         f"{outside[:10]}")
    covered = [(n["id"], k) for n in m["nodes"] for k, b in enumerate(m["controls"]) if _overlaps(n, b)]
    assert not covered, f"{what}: a control covers nodes: {covered[:10]}"


@pytest.fixture
def demo_server(tmp_path):
    yield from _start(tmp_path, demo_files())


def test_the_chain_drawing_opens_inside_its_frame_with_no_control_over_a_node(demo_server):
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    g = build_graph(load_files(demo_files())[0])
    largest = next(r for r in rank_supplier_groups(g) if not r["european"])["supplier_group"]
    cases = [(f"supplier={largest}", Scenario(suppliers=[largest])), ("country=US", Scenario(countries=["US"]))]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL").new_page()
        page.set_default_timeout(60_000)
        for i, (query, scenario) in enumerate(cases):
            view = graphview.impact_view(g, impact(g, scenario), critical_only=True)  # the page's default drawing
            page.goto(f"{demo_server}/impact?lang=nl&{query}")
            _wait_for(page, lambda s: len(s["nodes"]) == len(view.nodes) and s["fit"] == "all", "drew the cut")
            page.locator(FRAME).scroll_into_view_if_needed()
            page.wait_for_timeout(1500)  # the frame's final height has arrived
            frame = page.locator(FRAME).element_handle().content_frame()
            m = frame.evaluate(MEASURE)
            page.locator(FRAME).screenshot(path=str(ARTIFACTS / f"{i + 1:02d}-{query.replace('=', '-')}.png"))
            assert len(m["nodes"]) == len(view.nodes) > 10
            _check_inside(m, f"{query}, first render")
            # the fit button ("Alles in beeld") keeps it so, after the user zoomed in
            frame.evaluate("() => { const cy = window.sovmapGraph.cy(); cy.zoom(2.5); cy.pan({x: -400, y: -300}); }")
            frame.locator("#fit").click()
            page.wait_for_timeout(300)
            _check_inside(frame.evaluate(MEASURE), f"{query}, after the fit button")
        browser.close()
