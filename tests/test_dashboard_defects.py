"""The dashboard defects of issue 12 under AppTest: each one driven through the pages as a user would.

The inventory is the issue's own example: a vital process on a Dutch subsidiary (Nordhost B.V.) of a
US owner (Kynetic Corp), next to a European supplier, a supplier whose ownership is unknown, and a
low-criticality mail supplier whose name ends in a full stop.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard.analysis import compute_analysis
from sovmap.dashboard.charts import jurisdiction_chart
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.report import build_report
from sovmap.dashboard.tables import group_via
from sovmap.dashboard.upload import problem_rows
from sovmap.ingest.problems import Problem
from sovmap.store import Workspace, demo_files

from .test_dashboard_pages import APP, texts

OWN = {
    "organisations.csv": "id,name,type,country,parent_id\nORG-E,Gemeente Eigenstad,gemeente,NL,\n",
    "suppliers.csv": "id,name,country,parent_id\nS-KYN,Kynetic Corp,US,\nS-NORD,Nordhost B.V.,NL,S-KYN\n"
                     "S-EU,Europa Host SE,DE,\nS-UNK,Onbekend Beheer B.V.,,\nS-MAIL,Mailwise Inc.,US,\n",
    "systems.csv": "id,name,supplier_id\nSYS-MAIL,Mail,S-NORD\nSYS-ZAAK,Zaaksysteem,S-EU\nSYS-ARCH,Archief,S-UNK\n"
                   "SYS-NIEUWS,Nieuwsbrief,S-MAIL\n",
    "processes.csv": "id,name,organisation_id,criticality\nP-BURGER,Burgerzaken,ORG-E,vital\n"
                     "P-POST,Postverwerking,ORG-E,high\nP-ARCH,Archivering,ORG-E,high\nP-NIEUWS,Nieuwsbrief,ORG-E,low\n",
    "dependencies.csv": "from_id,to_id\nP-BURGER,SYS-MAIL\nP-BURGER,SYS-ZAAK\nP-POST,SYS-ZAAK\nP-ARCH,SYS-ARCH\n"
                        "P-NIEUWS,SYS-NIEUWS\n",
}


def own_files() -> list[tuple[str, bytes]]:
    return [(name, text.encode("utf-8")) for name, text in OWN.items()]


@pytest.fixture
def own_root(tmp_path) -> Path:
    """The user's own workspace, with their inventory as v0001 (a fresh copy per test: some tests write)."""
    Workspace(tmp_path).add(own_files())
    return tmp_path


@pytest.fixture(scope="module")
def own():
    ws = Workspace(Path(__import__("tempfile").mkdtemp()))
    version, _ = ws.add(own_files())
    return compute_analysis(version, ws.load_graph())


@pytest.fixture
def open_page(monkeypatch):
    """Open a page of the app on a workspace, in a language, with a URL (as in test_dashboard_pages)."""

    def _open(root: Path, page: str, *, lang: str = "nl", query: dict | None = None) -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        at.query_params.update(query or {})
        return switch(at, page)

    return _open


def switch(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


class TestChoicesAreKeptAcrossPages:
    def test_the_supplier_chosen_on_what_breaks_if_is_still_chosen_after_another_page(self, open_page, own_root):
        at = open_page(own_root, "impact")
        at.multiselect(key="supplier").set_value(["S-NORD"]).run()
        at.toggle(key="subsidiaries").set_value(False).run()
        switch(at, "spof")
        assert "supplier" not in [w.key for w in at.multiselect]  # the impact page is not drawn
        for key in ("supplier", "subsidiaries"):  # a page switch in the browser leaves the impact page's URL
            at.query_params.pop(key, None)
        switch(at, "impact")
        assert at.multiselect(key="supplier").value == ["S-NORD"]
        assert at.toggle(key="subsidiaries").value is False
        assert at.dataframe[0].value["id"].tolist()[:1] == ["P-BURGER"]

    def test_the_spof_and_gaps_choices_are_kept_too(self, open_page, own_root):
        at = open_page(own_root, "spof")
        at.toggle(key="spof_non_eu").set_value(True).run()
        at.multiselect(key="spof_criticality").set_value(["vital"]).run()
        switch(at, "gaps")
        at.selectbox(key="gaps_sort").set_value("name").run()
        switch(at, "overview")
        switch(at, "spof")
        assert at.toggle(key="spof_non_eu").value is True
        assert at.multiselect(key="spof_criticality").value == ["vital"]
        switch(at, "gaps")
        assert at.selectbox(key="gaps_sort").value == "name"


class TestRejectedUpload:
    def test_the_rejected_files_are_removed_named_and_a_second_copy_explained(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        bad = [("systems (2).csv", b"id,name,supplier_id\nSYS-1,Mail,S-9\n", "text/csv")]
        at.file_uploader[0].set_value(bad).run()
        at.button[0].click().run()
        assert at.file_uploader[0].key == "uploader-1" and not at.file_uploader[0].value  # cleared
        assert any(f"Afgewezen en uit de lijst gehaald: {md_escape('systems (2).csv')}." in s for s in texts(at))
        copy = [w.value for w in at.warning if "tweede kopie" in w.value]
        assert copy and f'"{md_escape("systems.csv")}"' in copy[0]
        assert Workspace(tmp_path).versions() == []

    def test_choosing_new_files_clears_the_old_error(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        at.file_uploader[0].set_value([("systems.csv", b"id,name,supplier_id\nSYS-1,Mail,S-9\n", "text/csv")]).run()
        at.button[0].click().run()
        assert at.error
        at.file_uploader[0].set_value([(n, d, "text/csv") for n, d in own_files()]).run()
        assert not at.error and not at.dataframe  # the old report is gone once corrected files are chosen
        at.button[0].click().run()
        assert at.success[0].value.startswith("Opgeslagen als versie v0001")

    def test_empty_cells_of_the_report_are_empty_not_none(self):
        rows = problem_rows([Problem("duplicate-file", "a.csv", None, None, "a.csv", "twice", "once")], "en")
        assert rows[0]["line"] == "" and rows[0]["column"] == ""
        assert "None" not in json.dumps(rows)


class TestDemoNeedsConsent:
    def test_trying_the_demo_leaves_the_current_version_of_the_workspace(self, open_page, own_root):
        at = open_page(own_root, "upload")
        at.button[1].click().run()  # "try the demo municipality"
        assert Workspace(own_root).current().id == "v0001" and len(Workspace(own_root).versions()) == 1
        assert any(i.value.startswith("U bekijkt de fictieve demo-gemeente") for i in at.info)
        switch(at, "report")
        assert "Gemeente Zuiderwaard" in at.get("iframe")[0].proto.srcdoc  # the demo, said to be the demo
        at.button(key="demo_leave").click().run()
        switch(at, "report")
        srcdoc = at.get("iframe")[0].proto.srcdoc
        assert "Gemeente Eigenstad" in srcdoc and "Zuiderwaard" not in srcdoc

    def test_another_session_of_the_workspace_never_sees_the_demo(self, open_page, own_root):
        demo = open_page(own_root, "upload")
        demo.button[1].click().run()
        report = open_page(own_root, "report")
        srcdoc = report.get("iframe")[0].proto.srcdoc
        assert "Gemeente Eigenstad" in srcdoc and "Zuiderwaard" not in srcdoc

    def test_the_first_page_says_what_sovmap_answers_and_offers_the_demo(self, open_page, tmp_path):
        at = open_page(tmp_path, "overview")
        assert at.title[0].value == "sovmap: digitale soevereiniteit"
        assert any("wat valt uit als een leverancier de toegang afsluit" in s for s in texts(at))
        at.button(key="welcome_demo").click().run()
        assert at.title[0].value == "Overzicht" and at.metric
        assert Workspace(tmp_path).versions() == []


class TestSpofToggle:
    def test_the_count_and_the_list_come_from_the_same_rows(self, open_page, own_root, own):
        at = open_page(own_root, "spof")
        table = at.dataframe[0].value
        assert sorted(table["id"]) == ["P-ARCH", "P-BURGER", "P-POST"]
        assert any(s.startswith("**3** van de 3 gekozen processen hebben") for s in texts(at))
        at.toggle(key="spof_non_eu").set_value(True).run()
        table = at.dataframe[0].value
        assert list(table["id"]) == ["P-BURGER"]
        assert any(s.startswith("**1** van de 3 gekozen processen heeft een niet-Europese") for s in texts(at))
        assert "Europa Host SE" not in table.iloc[0]["leveranciersgroepen"]  # only the non-European group

    def test_unknown_ownership_is_said_not_counted_as_european(self, open_page, own_root):
        at = open_page(own_root, "spof")
        at.toggle(key="spof_non_eu").set_value(True).run()
        notes = [c.value for c in at.caption if "eigendom onbekend" in c.value]
        assert notes and "1 proces(sen)" in notes[0] and "ook niet als Europees" in notes[0]


class TestWhyChainsNameTheOwner:
    def test_spof_names_the_subsidiary_and_the_owner_behind_it(self, open_page, own_root):
        at = open_page(own_root, "spof")
        table = at.dataframe[0].value
        row = table[table["id"] == "P-BURGER"].iloc[0]
        assert "Nordhost B.V. (eigendom van Kynetic Corp, US)" in row["leveranciersgroepen"]

    def test_impact_why_chain_ends_at_the_owner(self, open_page, own_root):
        at = open_page(own_root, "impact", query={"supplier": ["S-NORD"], "subsidiaries": "false"})
        why = at.dataframe[0].value.set_index("id").loc["P-BURGER", "waarom"]
        assert why == "Burgerzaken → Mail → Nordhost B.V. (eigendom van Kynetic Corp, US)"

    @pytest.mark.parametrize("lang, words", [("en", "owned by"), ("nl", "eigendom van")])
    def test_the_board_reports_top_risks_name_the_owner_behind_each_subsidiary(self, own, lang, words):
        html = build_report(own, lang)
        assert f"Nordhost B.V. ({words} Kynetic Corp, US)" in html

    def test_the_report_names_the_owner_on_the_demo_too(self):
        ws = Workspace(Path(__import__("tempfile").mkdtemp()))
        version, _ = ws.add(demo_files())
        a = compute_analysis(version, ws.load_graph())
        via = [group_via(a.g, p["id"], s, "en") for p in a.spof for s in p["single_points_of_failure"]
               if s["european"] is False]
        through = [v for v in via if "(owned by" in v]
        assert through, "the demo has non-European groups reached through subsidiaries"
        html = build_report(a, "en")
        assert any(v.replace("&", "&amp;") in html for v in through)


class TestTexts:
    def test_a_cut_that_stops_nothing_vital_says_so_without_a_double_period(self, open_page, own_root):
        at = open_page(own_root, "impact", query={"supplier": ["S-MAIL"]})
        summary = next(s for s in texts(at) if s.startswith("Weg:"))
        assert summary == "Weg: Mailwise Inc\\. Daardoor valt geen enkel vitaal of hoog proces stil."

    def test_one_process_is_singular(self, open_page, own_root):
        at = open_page(own_root, "impact", query={"supplier": ["S-NORD"], "subsidiaries": "false"}, lang="en")
        summary = next(s for s in texts(at) if s.startswith("Cut:"))
        assert "**1 vital or high process** stops: Burgerzaken." in summary

    def test_the_report_says_1_process_and_leaves_room_for_the_unit(self, own):
        html = build_report(own, "en")
        assert ">1 process<" in html and "1 processes" not in html

    def test_one_term_per_concept(self, open_page, own_root):
        at = open_page(own_root, "impact", query={"supplier": ["S-NORD"]}, lang="en")
        assert "Fewer alternatives" in [m.label for m in at.metric]
        nl = open_page(own_root, "impact", query={"supplier": ["S-NORD"]})
        assert "Minder alternatieven" in [m.label for m in nl.metric]
        spof = open_page(own_root, "spof")
        assert spof.title[0].value == "Single points of failure"
        assert "single points of failure" in list(spof.dataframe[0].value.columns)

    def test_downloads_and_the_uploader_speak_dutch(self, open_page, own_root):
        at = open_page(own_root, "spof")
        assert [d.label for d in at.download_button][:2] == ["CSV downloaden", "Excel downloaden"]
        up = open_page(own_root, "upload")
        assert up.file_uploader[0].help.startswith("CSV-bestanden")
        assert any("alleen in het Engels" in c.value for c in up.caption)

    def test_the_english_report_has_an_english_file_name(self, open_page, own_root, monkeypatch):
        from streamlit.runtime.media_file_manager import MediaFileManager

        names = []
        add = MediaFileManager.add

        def spy(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            names.append(file_name)
            return add(self, data, mimetype, coordinates, file_name, is_for_static_download)

        monkeypatch.setattr(MediaFileManager, "add", spy)
        open_page(own_root, "report", lang="en")
        assert "sovmap-board-report-v0001-en.html" in names
        demo = open_page(own_root, "report")
        assert "sovmap-rapportage-v0001-nl.html" in names
        switch(demo, "upload").button[1].click().run()  # try the demo: its report's file says it is the demo
        switch(demo, "report")
        assert "sovmap-rapportage-demo-v0001-nl.html" in names


class TestVersions:
    def test_an_identical_upload_makes_no_new_version(self, open_page, own_root):
        at = open_page(own_root, "upload")
        at.file_uploader[0].set_value([(n, d, "text/csv") for n, d in own_files()]).run()
        at.button[0].click().run()
        assert at.info[0].value.startswith("Niets nieuws opgeslagen: deze bestanden zijn precies dezelfde als "
                                           "versie v0001, de huidige versie.")
        assert [v.id for v in Workspace(own_root).versions()] == ["v0001"]

    def test_a_version_can_be_named_at_upload_and_renamed(self, open_page, own_root):
        at = open_page(own_root, "upload")
        changed = [(n, d.replace(b"Mailwise Inc.", b"Mailwise Europe")) for n, d in own_files()]
        at.file_uploader[0].set_value([(n, d, "text/csv") for n, d in changed]).run()
        at.text_input(key="upload_label-0").input("na de aanbesteding").run()
        at.button[0].click().run()
        assert Workspace(own_root).version("v0002").label == "na de aanbesteding"
        switch(at, "versions")
        assert list(at.dataframe[0].value["naam"]) == ["na de aanbesteding", ""]
        at.selectbox(key="version_chosen").set_value("v0001").run()
        at.text_input(key="rename-v0001").input("begin")
        at.button(key="FormSubmitter:rename-Naam opslaan").click().run()
        assert Workspace(own_root).version("v0001").label == "begin"

    def test_make_current_can_be_cancelled(self, open_page, own_root):
        Workspace(own_root).add([(n, d.replace(b"Mailwise Inc.", b"Mailwise Europe")) for n, d in own_files()])
        at = open_page(own_root, "versions")
        at.selectbox(key="version_chosen").set_value("v0001").run()
        at.button[0].click().run()
        at.button(key="confirm_current_no").click().run()
        assert Workspace(own_root).current().id == "v0002" and not at.warning


class TestCharts:
    def test_every_jurisdiction_bar_is_labelled_and_counts_step_by_one(self):
        rows = [{"country": "US", "kind": "process", "count": 5, "laws": []},
                {"country": "GB", "kind": "system", "count": 1, "laws": []},
                {"country": "CA", "kind": "dataset", "count": 1, "laws": []}]
        spec = jurisdiction_chart(rows, "en").to_dict()
        bars, totals = spec["layer"]
        assert bars["encoding"]["y"]["axis"]["labelOverlap"] is False
        assert bars["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}
        assert totals["mark"]["type"] == "text" and totals["encoding"]["text"]["aggregate"] == "sum"
