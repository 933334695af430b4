"""End to end: the Roadmap page of `sovmap dashboard` in headless Chromium, on the demo municipality, offline.

Starts the real command (the server fixture of tests/test_dashboard_e2e.py) with an empty workspace, opens the
demo from the welcome page, goes to the Roadmap page and checks that its two charts (timeline and curve) and its
table are drawn with the planned steps. Leaves a 1440×900 screenshot in test-artifacts/roadmap-e2e/. Fails if
the page asks for anything outside this computer.

Needs Debian's chromium (/usr/bin/chromium) and the Python playwright package (never `playwright install`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sovmap.graph.model import build_graph
from sovmap.graph.roadmap import plan
from sovmap.ingest.validate import load_files
from sovmap.store import demo_files

from .test_dashboard_e2e import CHROMIUM, FLAGS, _is_local, _require_browser, server  # noqa: F401 (fixture)

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "roadmap-e2e"


def test_the_roadmap_page_draws_the_timeline_the_curve_and_the_table_on_the_demo(server):  # noqa: F811
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expected = plan(build_graph(load_files(demo_files())[0]), today=dt.date.today())
    first = next(a for p in expected["phases"] for a in p["actions"])

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(180_000)  # the first visit computes the plan (seconds; more on a busy machine)
        page.goto(f"{server}/?lang=en")
        page.get_by_role("button", name="Look at the demo municipality").click()
        page.get_by_text("fictional").first.wait_for()
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Roadmap", exact=True).click()
        page.get_by_role("heading", name="Roadmap", exact=True).wait_for()

        charts = page.locator('[data-testid="stVegaLiteChart"]')
        charts.nth(1).wait_for()
        assert charts.count() == 2
        for i in range(2):  # Vega drew each chart (a canvas or svg with a size), not an empty frame
            drawn = charts.nth(i).locator("canvas, svg").first
            drawn.wait_for()
            box = drawn.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 100, (i, box)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for()
        page.get_by_text("Timeline", exact=True).wait_for()
        page.wait_for_timeout(2000)  # let the charts settle
        page.screenshot(path=str(ARTIFACTS / "roadmap-en-1440x900.png"))
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "roadmap-en-table.png"), full_page=True)
        # the table lists the first planned step's period (a glide-data-grid canvas: read its accessible cells)
        assert table.get_by_role("gridcell", name=str(first["start"] or "")).count() + \
            table.get_by_text(str(expected["phases"][0]["period"])).count() > 0
        browser.close()
    outside = [u for u in requests if not _is_local(u)]
    assert not outside, outside
