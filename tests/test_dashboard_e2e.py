"""End to end: `sovmap dashboard` in headless Chromium, offline.

Starts the real command on a free port with an empty workspace, uploads the demo
inventory through the page, opens the graph browser (a double-click on the focus
adds its neighbours), and asks what breaks if the largest non-European
supplier group cuts access. Every step leaves a screenshot in
test-artifacts/dashboard-e2e/. The test fails if the page asks for anything
outside this computer (127.0.0.1 / localhost).

Needs Debian's chromium (/usr/bin/chromium) and the Python playwright package
(never `playwright install`: no browser download).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sovmap.graph.concentration import rank_supplier_groups
from sovmap.graph.impact import impact
from sovmap.graph.model import build_graph
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load_files
from sovmap.store import demo_files

CHROMIUM = os.environ.get("SOVMAP_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "dashboard-e2e"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}  # not network requests


def _require_browser():
    """Playwright's sync API, or a failure that says how to install what is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The Python package playwright is missing: pip install playwright "
                    "(do not run `playwright install`; the test uses Debian's chromium).")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium "
                    "(or point SOVMAP_CHROMIUM at a Chromium binary).")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sovmap_command() -> list[str]:
    script = Path(sys.executable).parent / "sovmap"
    if script.exists():
        return [str(script)]
    found = shutil.which("sovmap")
    return [found] if found else [sys.executable, "-c", "from sovmap.cli import main; main()"]


def dashboard_at(workspace: Path, log_path: Path):
    """Run `sovmap dashboard` on a free port over ``workspace``; yields its base URL, stops it afterwards."""
    port = _free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen([*_sovmap_command(), "dashboard", "--workspace", str(workspace),
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                log.flush()
                pytest.fail(f"sovmap dashboard did not start:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def server(tmp_path):
    """`sovmap dashboard` on a free port with an empty workspace; yields the base URL."""
    yield from dashboard_at(tmp_path / "ws", tmp_path / "dashboard.log")


def _is_local(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


def test_upload_explore_and_ask_what_breaks_offline(server, tmp_path):
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    files = []
    for name, data in demo_files():
        (tmp_path / name).write_bytes(data)
        files.append(str(tmp_path / name))
    g = build_graph(load_files(demo_files())[0])
    group = next(r for r in rank_supplier_groups(g) if not r["european"])
    expected = impact(g, Scenario(suppliers=[group["supplier_group"]]))
    failed_processes = sum(x["kind"] == "process" for x in expected["failed"])

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1800}, locale="nl-NL")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(60_000)

        def nav(name: str) -> None:
            page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name, exact=True).click()

        def shot(name: str) -> None:
            page.wait_for_timeout(1500)  # let charts and the graph settle
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

        # 1. An empty workspace asks for an inventory.
        page.goto(server)
        page.get_by_text("Er is nog geen inventaris geladen").wait_for()
        shot("01-empty-workspace")

        # 2. Upload the demo inventory's CSV files through the upload page.
        page.get_by_role("link", name="Naar Inventaris laden").click()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files)
        page.get_by_text("datasets.csv").first.wait_for()
        page.get_by_role("button", name="Controleren en opslaan").click()
        page.get_by_text("Opgeslagen als versie v0001").wait_for()
        shot("02-uploaded")

        # 3. The overview with its charts.
        nav("Overzicht")
        page.get_by_text("Hebben we het in de hand?").wait_for()
        page.locator('[data-testid="stVegaLiteChart"]').nth(4).wait_for()
        shot("03-overview")

        # 4. The graph browser draws the chain in sovmap's own component (tests/test_graph_browser_e2e.py
        #    checks it in detail on a small fixture).
        nav("Afhankelijkheden verkennen")
        page.get_by_text("verbindingen getoond").wait_for()
        frame_el = page.locator('iframe[title$="sovmap_graph"]')
        page.frame_locator('iframe[title$="sovmap_graph"]').locator("#cy canvas").first.wait_for()
        shot("04-graph-browser")

        # 5. A double-click on the focus adds its neighbours (its organisation, what depends on it).
        state = lambda: frame_el.element_handle().content_frame().evaluate(  # noqa: E731
            "() => window.sovmapGraph && window.sovmapGraph.state()")
        deadline = time.time() + 30
        while not (state() or {}).get("nodes") and time.time() < deadline:
            page.wait_for_timeout(250)
        before = state()
        focus = next(n["id"] for n in before["nodes"] if "focus" in n["classes"])
        at = frame_el.element_handle().content_frame().evaluate(
            "(id) => { const p = window.sovmapGraph.cy().$id(id).renderedPosition();"
            " const b = document.getElementById('cy').getBoundingClientRect(); return {x: b.left + p.x, y: b.top + p.y}; }",
            focus)
        box = frame_el.bounding_box()
        page.mouse.dblclick(box["x"] + at["x"], box["y"] + at["y"])
        deadline = time.time() + 30
        while len(state()["nodes"]) <= len(before["nodes"]) and time.time() < deadline:
            page.wait_for_timeout(250)
        assert len(state()["nodes"]) > len(before["nodes"]), "the double-click did not add the node's neighbours"
        shot("05-graph-expanded")

        # 6. What breaks if the largest non-European supplier group cuts access?
        nav("Wat valt uit als…")
        page.get_by_text("Kies hierboven een leverancier, land of locatie.").wait_for()
        chooser = page.locator('[data-testid="stMultiSelect"]').first
        chooser.click()
        page.keyboard.type(group["name"])
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.get_by_text("Processen vallen stil").wait_for()
        metric = page.locator('[data-testid="stMetric"]', has_text="Processen vallen stil")
        assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == str(failed_processes)
        link = page.locator('[data-testid="stCode"]').inner_text().strip()
        assert link.endswith(f"supplier={group['supplier_group']}"), link
        page.frame_locator('iframe[title$="sovmap_graph"]').locator("#cy canvas").first.wait_for()
        shot("06-what-breaks")

        # 7. The link reproduces the same view in a fresh session.
        second = context.new_page()
        second.set_default_timeout(60_000)
        second.goto(link)
        second.get_by_text("Processen vallen stil").wait_for()
        again = second.locator('[data-testid="stMetric"]', has_text="Processen vallen stil")
        assert again.locator('[data-testid="stMetricValue"]').inner_text().strip() == str(failed_processes)
        second.wait_for_timeout(1500)
        second.screenshot(path=str(ARTIFACTS / "07-link-reproduces.png"), full_page=True)

        # 8. The board report.
        nav("Bestuurlijke rapportage")
        page.get_by_role("button", name=re.compile("Download rapportage")).wait_for()
        page.frame_locator("iframe").last.get_by_text("Concrete volgende stappen").wait_for()
        shot("08-board-report")
        browser.close()

    outside = sorted({u for u in requests if not _is_local(u)})
    assert outside == [], f"the dashboard asked for resources outside this computer: {outside}"
    # the graph browser and the impact page draw with the same bundled component (no st-link-analysis any more)
    assert any(urlparse(u).path.endswith("/sovmap_graph.js") for u in requests), "the graph component's JS was served"
    assert any(urlparse(u).path.endswith("/cytoscape.min.js") for u in requests), "the graph browser's JS was served"


HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def test_hostile_names_make_the_browser_ask_for_nothing_outside(server, tmp_path):
    """Every page over an inventory whose names are markdown images, HTML and javascript: URLs (the fixture
    tests/fixtures/hostile), and an upload of those files: no request may leave this computer."""
    from sovmap.store import Workspace

    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    paths = sorted(HOSTILE.glob("*.csv"))
    version, problems = Workspace(tmp_path / "ws").add([(p.name, p.read_bytes()) for p in paths])
    assert version is not None, [str(x) for x in problems]
    pages = [("overview", "", "Overview"), ("versions", "", "Versions"), ("graph", "", "Explore dependencies"),
             ("graph", "&node=SYS-MAIL", "Explore dependencies"), ("graph", "&node=S-KYN", "Explore dependencies"),
             ("impact", "", "What breaks if"),
             ("impact", "&supplier=S-KYN&supplier=S-EU&country=US&location=L-FRA", "What breaks if"),
             ("spof", "", "Single points of failure"), ("gaps", "", "Gaps and next steps"),
             ("report", "", "Board report"), ("upload", "", "Upload inventory")]

    requests: list[str] = []
    links: list[str] = []  # links to the hostile host in the page (a click would leave this computer)
    remote_links = """() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)
                          .filter(h => h.includes('evil.example') || h.startsWith('javascript:'))"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1800}, locale="en-GB")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(60_000)
        for i, (name, query, title) in enumerate(pages):
            page.goto(f"{server}/{name}?lang=en{query}")
            page.get_by_role("heading", name=re.compile(title)).first.wait_for()
            page.wait_for_timeout(2500)  # images, fonts and iframes would be asked for by now
            links += [f"{name}{query}: {h}" for h in page.evaluate(remote_links)]
            page.screenshot(path=str(ARTIFACTS / f"hostile-{i:02d}-{name}.png"), full_page=True)
        # Streamlit's own table toolbar offers no "Download as CSV" (it would export raw formulas).
        page.goto(f"{server}/spof?lang=en")
        page.locator('[data-testid="stDataFrame"]').first.hover()
        page.wait_for_timeout(1500)
        toolbar = page.locator('[data-testid="stElementToolbarButton"] button')
        assert toolbar.count() > 0, "the table's toolbar did not appear"
        labels = [toolbar.nth(i).get_attribute("aria-label") or "" for i in range(toolbar.count())]
        assert not [x for x in labels if x.startswith("Download")], labels
        # The largest non-European group's button names the hostile supplier; press it.
        page.goto(f"{server}/impact?lang=en")
        page.get_by_role("button", name=re.compile("What if")).click()
        page.get_by_text("Processes stop").first.wait_for()
        page.wait_for_timeout(2500)
        # Upload the hostile files through the page: the validation report shows their names.
        page.goto(f"{server}/upload?lang=en")
        changed = tmp_path / "changed"  # the same files with one byte more: an identical upload stores nothing
        changed.mkdir()
        for x in paths:
            (changed / x.name).write_bytes(x.read_bytes() + (b"\n" if x == paths[0] else b""))
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            [str(changed / x.name) for x in paths])
        page.get_by_text("suppliers.csv").first.wait_for()
        page.get_by_role("button", name="Check and store").click()
        page.get_by_text("Stored as version v0002").wait_for()
        page.wait_for_timeout(2500)
        page.screenshot(path=str(ARTIFACTS / "hostile-upload.png"), full_page=True)
        browser.close()

    assert links == [], f"hostile names became links: {links}"
    outside = sorted({u for u in requests if not _is_local(u)})
    assert outside == [], f"hostile names made the browser ask for resources outside this computer: {outside}"
    assert len({urlparse(u).path for u in requests}) > 10  # the pages were really loaded
