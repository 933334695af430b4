"""The Roadmap page (routekaart) under AppTest, its neutralised downloads, and the board report's roadmap section."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard.analysis import compute_analysis, roadmap
from sovmap.dashboard.i18n import t
from sovmap.dashboard.downloads import csv_download, xlsx_download
from sovmap.dashboard.report import build_report
from sovmap.dashboard.timeline import action_rows, filter_rows, roadmap_columns
from sovmap.store import Workspace

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
FORMULAS = ("=", "+", "-", "@")

# Two vital processes on systems of US suppliers whose names and ids start like spreadsheet formulas.
HOSTILE = [
    ("organisations.csv", "id,name\n@ORG,=HYPERLINK(\"http://evil.example\")\n"),
    ("suppliers.csv", "id,name,country\nS-A,=cmd|' /C calc'!A0,US\nS-B,+Vendor B,US\n"),
    ("systems.csv", "id,name,supplier_id,data_export,exit_plan,organisation_id\n"
                    "SYS-A,-2+3 App,S-A,open-standard,yes,@ORG\nSYS-B,@SUM(A1),S-B,open-standard,yes,@ORG\n"),
    ("processes.csv", "id,name,criticality,organisation_id\nP-A,=1+1,vital,@ORG\nP-B,Post,high,@ORG\n"),
    ("dependencies.csv", "from_id,to_id\nP-A,SYS-A\nP-B,SYS-B\n"),
]


@pytest.fixture(scope="module")
def demo(demo_root):
    ws = Workspace(demo_root)
    a = compute_analysis(ws.current(), ws.load_graph())
    return a, roadmap(a.g, dt.date.today())


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formula-ws")
    version, problems = Workspace(root).add([(n, d.encode()) for n, d in HOSTILE])
    assert version is not None, [str(p) for p in problems]
    return root


@pytest.fixture
def open_page(monkeypatch):
    def _open(root: Path, page: str, lang: str = "nl") -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def chart_values(at: AppTest, index: int) -> list[dict]:
    return pa.ipc.open_stream(at.get("vega_lite_chart")[index].proto.data.data).read_all().to_pylist()


class TestRoadmapPage:
    @pytest.mark.parametrize("lang, title, column", [("nl", "Routekaart", "wacht op contract"),
                                                     ("en", "Roadmap", "waits for contract")])
    def test_it_renders_the_timeline_the_curve_and_the_table_in_the_language(self, open_page, demo_root, demo,
                                                                            lang, title, column):
        _, plan = demo
        at = open_page(demo_root, "roadmap", lang)
        assert at.title[0].value == title
        planned = sum(len(p["actions"]) for p in plan["phases"])
        assert planned > 0
        table = at.dataframe[0].value
        assert len(table) == planned and column in table.columns
        assert len(at.get("vega_lite_chart")) == 2
        curve = [r[t("roadmap.in_control", lang)] for r in chart_values(at, 1)]
        assert curve == [plan["in_control_before"][0]] + [p["in_control"][0] for p in plan["phases"]]
        assert curve == sorted(curve)  # never down
        assert [d.key for d in at.download_button] == ["roadmap-csv", "roadmap-xlsx"]

    def test_the_filters_change_the_rows(self, open_page, demo_root, demo):
        a, plan = demo
        rows = action_rows(plan, a.g, "nl")
        at = open_page(demo_root, "roadmap")
        at.multiselect(key="roadmap_dimensions").set_value(["legal"]).run()
        legal = at.dataframe[0].value
        assert 0 < len(legal) < len(rows) == len(filter_rows(rows))
        assert len(legal) == len(filter_rows(rows, ["legal"]))
        assert legal["dimensie"].str.contains("juridisch").all()
        org = next(o for r in rows for o in r["organisation_ids"] if len(filter_rows(rows, [], [o])) < len(rows))
        at.multiselect(key="roadmap_dimensions").set_value([]).run()
        at.multiselect(key="roadmap_organisations").set_value([org]).run()
        assert len(at.dataframe[0].value) == len(filter_rows(rows, [], [org])) < len(rows)

    def test_the_download_neutralises_formulas(self, open_page, hostile_root, monkeypatch):
        shown = []
        monkeypatch.setattr("sovmap.dashboard.widgets.download_pair",
                            lambda stem, columns, rows, lang, **kw: shown.append((stem, columns, rows)))
        at = open_page(hostile_root, "roadmap", "en")
        assert len(at.dataframe[0].value) >= 1
        (stem, columns, rows), = shown
        assert stem == "sovmap-roadmap" and columns == roadmap_columns("en")
        assert any(str(r[k])[:1] in FORMULAS for r in rows for k in ("target", "organisations"))  # names reached it
        text = csv_download(columns, rows, "en").decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not [c for c in cells if c[:1] in FORMULAS]
        assert "'=HYPERLINK(" in text  # the organisation's name, kept as text
        ws = openpyxl.load_workbook(io.BytesIO(xlsx_download({"roadmap": (columns, rows)})))["roadmap"]
        assert not [c.value for row in ws.iter_rows() for c in row if str(c.value or "")[:1] in FORMULAS]


class TestReportSection:
    def test_the_report_says_what_we_do_in_which_year(self, demo):
        a, plan = demo
        years = [str(p["period"]) for p in plan["phases"] if p["actions"]]
        html = build_report(a, "nl", roadmap=plan)
        assert f"Routekaart: wat we doen in {', '.join(years)}" in html
        for year in years:
            assert f"<h3>{year}: " in html
        en = build_report(a, "en", roadmap=plan)
        assert "Roadmap: what we do in " in en and "Routekaart" not in en
        assert "Roadmap: what we do" not in build_report(a, "en")  # without a plan, no section

    def test_the_report_page_includes_the_roadmap(self, open_page, demo_root):
        at = open_page(demo_root, "report", "en")
        assert "Roadmap: what we do in " in at.get("iframe")[0].proto.srcdoc


def test_the_timeline_examples_run():
    import doctest

    from sovmap.dashboard import timeline

    result = doctest.testmod(timeline)
    assert result.attempted > 0 and result.failed == 0


def test_the_table_says_which_contract_renews_before_a_step():
    plan = {"phases": [{"period": 2030, "start": "2030-01-01", "end": "2030-12-31", "actions": [
        {"key": "replace:S-A", "kind": "replace", "target": "S-A", "systems": ["SYS-A"], "effort": 3,
         "earliest": "2030-09-30", "waits_for": ["C-A"], "risk_removed": 8, "text": "", "start": "2030-09-30",
         "renews_first": [{"contract": "C-A", "notice_missed": "2027-09-30", "notice_by": "2030-09-30"}]}]}]}
    for lang in ("nl", "en"):
        row = action_rows(plan, None, lang)[0]
        assert row["waits_for"] == "C-A"
        assert row["notice_by"].startswith("2030-09-30 ") and "C-A" in row["notice_by"]
        assert "2027-09-30" in row["notice_by"]
