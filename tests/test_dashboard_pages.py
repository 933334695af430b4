"""Every dashboard page under AppTest: what it shows for injected state, and what its widgets do."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard.analysis import compute_analysis
from sovmap.dashboard.escape import md_escape
from sovmap.dashboard.figures import key_figures
from sovmap.dashboard.tables import owner_note
from sovmap.dashboard.templates import demo_xlsx
from sovmap.graph.impact import impact
from sovmap.graph.scenarios import Scenario
from sovmap.store import Workspace, demo_files

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def demo(demo_root):
    ws = Workspace(demo_root)
    return compute_analysis(ws.current(), ws.load_graph())


@pytest.fixture
def open_page(monkeypatch):
    """Open a page of the app on a workspace, with the language, URL and session state a test gives."""

    def _open(root: Path, page: str, *, lang: str | None = "nl", query: dict | None = None,
              state: dict | None = None, locale: str | None = None) -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        if locale:
            at.context = {"locale": locale}
        if lang:
            at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.query_params.update(query or {})
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return _open


def texts(at: AppTest) -> list[str]:
    """Everything the page wrote as markdown, captions, titles and alerts."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def component_elements(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("component_instance")[index].proto.json_args)["elements"]


def chart_values(at: AppTest, index: int) -> list[dict]:
    """The rows a chart draws (Streamlit moves the chart's data out of the spec into an Arrow table)."""
    return pa.ipc.open_stream(at.get("vega_lite_chart")[index].proto.data.data).read_all().to_pylist()


ANALYSIS_PAGES = ["overview", "graph", "impact", "spof", "gaps", "report"]


class TestEveryPage:
    @pytest.mark.parametrize("page", ANALYSIS_PAGES + ["versions"])
    def test_an_empty_workspace_points_to_the_upload(self, open_page, tmp_path, page):
        at = open_page(tmp_path, page)
        assert at.info[0].value.startswith("Er is nog geen inventaris geladen")
        assert not at.get("vega_lite_chart") and not at.get("component_instance")

    @pytest.mark.parametrize("page, title", [("overview", "Overview"), ("upload", "Upload inventory"),
                                             ("versions", "Versions"), ("graph", "Explore dependencies"),
                                             ("impact", "What breaks if…"), ("spof", "Single points of failure"),
                                             ("gaps", "Gaps and next steps"), ("report", "Board report")])
    def test_every_page_speaks_english_when_asked(self, open_page, demo_root, page, title):
        at = open_page(demo_root, page, lang="en")
        assert at.title[0].value == title


class TestLanguage:
    def test_the_browser_locale_chooses_english(self, open_page, demo_root):
        at = open_page(demo_root, "overview", lang=None, locale="en-US")
        assert at.title[0].value == "Overview"
        assert at.query_params["lang"] == "en"

    def test_the_url_overrides_the_browser(self, open_page, demo_root):
        at = open_page(demo_root, "overview", lang="nl", locale="en-US")
        assert at.title[0].value == "Overzicht"

    def test_the_sidebar_switch_changes_the_language_and_the_url(self, monkeypatch, demo_root):
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(demo_root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        assert at.title[0].value == "Overzicht"
        at.button_group(key="lang_switch").set_value("en").run()
        assert at.title[0].value == "Overview"
        assert "Processes" in metrics(at)
        assert at.query_params["lang"] == "en"


class TestOverview:
    def test_it_shows_the_key_figures(self, open_page, demo_root, demo):
        at = open_page(demo_root, "overview")
        m = metrics(at)
        counts = demo.summary["counts"]
        assert (m["Processen"], m["Systemen"], m["Leveranciers"]) == (
            str(counts["process"]), str(counts["system"]), str(counts["supplier"]))
        f = key_figures(counts, demo.spof, demo.ranking)
        assert m["Vitale en hoge processen met een niet-Europese single point of failure"] == f"{f.share:.0%}"
        assert f"**{f.non_eu_spof} van de {f.vital_high}**" in " ".join(texts(at))

    def test_it_charts_the_assessment_per_dimension_the_groups_and_the_jurisdictions(self, open_page, demo_root, demo):
        at = open_page(demo_root, "overview")
        assert [h.value for h in at.subheader] == ["Hebben we het in de hand?",
                                                   "Welke leveranciersgroepen raken het meest?",
                                                   "Buitenlandse wetgeving met bereik tot onze gegevens"]
        assert len(at.get("vega_lite_chart")) == 5
        legal = chart_values(at, 1)
        total = sum(v["aantal"] for v in legal)
        assert total == len(demo.assessment["items"])
        groups = {v["naam"] for v in chart_values(at, 3)}
        assert demo.ranking[0]["name"] in groups
        countries = {v["land"] for v in chart_values(at, 4)}
        assert "Verenigde Staten (US)" in countries


class TestUpload:
    def test_the_page_offers_upload_templates_and_the_demo(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        up = at.file_uploader[0]
        # ArchiMate files are accepted so that the upload can say how to convert them (or export them, for .archimate)
        assert up.accept_multiple_files and sorted(up.allowed_type) == [".archimate", ".csv", ".xlsx", ".xml", ".zip"]
        assert at.button[0].disabled  # nothing to check yet
        assert [d.label for d in at.download_button] == ["Sjabloon (CSV, .zip)", "Sjabloon (Excel)",
                                                         "Demo-inventaris (CSV, .zip)", "Demo-inventaris (Excel)"]

    def test_a_bad_upload_shows_the_report_and_stores_nothing(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        at.file_uploader[0].set_value([("systems.csv", b"id,name,supplier_id\nSYS-1,Mail,S-9\n", "text/csv")])
        at.run()
        at.button[0].click().run()
        assert at.error[0].value.startswith("1 fout(en) in 1 bestand(en): er is niets opgeslagen")
        report = at.dataframe[0].value
        assert list(report.columns) == ["ernst", "bestand", "regel", "kolom", "waarde", "probleem", "oplossing"]
        row = report.iloc[0]
        assert (row["ernst"], row["bestand"], row["regel"], row["kolom"], row["waarde"]) == (
            "fout", "systems.csv", 2, "supplier_id", "S-9")
        assert [d.key for d in at.download_button][:2] == ["problems-csv", "problems-xlsx"]
        assert Workspace(tmp_path).versions() == []
        assert at.file_uploader[0].key == "uploader-1" and not at.file_uploader[0].value  # emptied for the fix
        assert "de lijst met bestanden is leeggemaakt" in at.error[0].value

    def test_two_files_of_one_name_are_refused_and_nothing_is_stored(self, open_page, tmp_path):
        files = demo_files()
        systems = dict(files)["systems.csv"]
        at = open_page(tmp_path, "upload", lang="en")
        at.file_uploader[0].set_value([(n, d, "text/csv") for n, d in files] + [("systems.csv", systems, "text/csv")])
        at.run()
        at.button[0].click().run()
        assert at.error[0].value.startswith(f"1 error(s) in {len(files) + 1} file(s): nothing was stored")
        row = at.dataframe[0].value.iloc[0]
        assert (row["file"], row["value"]) == ("systems.csv", "systems.csv")
        assert row["problem"].startswith('Two files in this upload are named "systems.csv"')
        assert Workspace(tmp_path).versions() == []

    def test_several_csv_files_are_stored_as_a_version(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in demo_files()])
        at.run()
        at.button[0].click().run()
        assert at.success[0].value.startswith(f"Opgeslagen als versie v0001 ({len(demo_files())} bestand(en)")
        assert at.file_uploader[0].key == "uploader-1"  # emptied for the next upload
        assert Workspace(tmp_path).current().files == [name for name, _ in demo_files()]

    def test_a_workbook_is_stored_as_uploaded(self, open_page, tmp_path):
        data = demo_xlsx("nl")
        at = open_page(tmp_path, "upload")
        at.file_uploader[0].set_value(("inventaris.xlsx", data, "application/octet-stream"))
        at.run()
        at.button[0].click().run()
        assert at.success[0].value.startswith("Opgeslagen als versie v0001")
        ws = Workspace(tmp_path)
        assert ws.files() == [("inventaris.xlsx", data)]

    def test_a_zip_is_accepted(self, open_page, tmp_path):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in demo_files():
                zf.writestr(f"export/{name}", data)
        at = open_page(tmp_path, "upload")
        at.file_uploader[0].set_value(("export.zip", buf.getvalue(), "application/zip"))
        at.run()
        at.button[0].click().run()
        assert at.success[0].value.startswith("Opgeslagen als versie v0001")

    def test_the_demo_button_opens_the_demo_in_a_workspace_of_its_own(self, open_page, tmp_path):
        at = open_page(tmp_path, "upload")
        at.button[1].click().run()
        assert at.title[0].value == "Overzicht" and at.metric  # the demo's overview
        assert at.sidebar.caption[0].value.startswith("Demo: fictieve gemeente Zuiderwaard")
        assert Workspace(tmp_path).versions() == []  # the user's workspace is untouched


class TestVersions:
    @pytest.fixture
    def two_versions(self, tmp_path) -> Path:
        ws = Workspace(tmp_path)
        ws.add(demo_files())
        # v0002: the US parent of the office cloud moves to the Netherlands.
        moved = [(n, d.replace(b"S-KYN,Kynthos Cloud Inc.,US", b"S-KYN,Kynthos Cloud Inc.,NL")) for n, d in demo_files()]
        assert moved != demo_files()
        ws.add(moved)
        return tmp_path

    def test_it_lists_the_versions_and_marks_the_current_one(self, open_page, two_versions):
        at = open_page(two_versions, "versions")
        table = at.dataframe[0].value
        assert list(table["versie"]) == ["v0002", "v0001"]
        assert list(table["huidig"]) == [True, False]

    def test_it_shows_what_changed_and_the_change_in_non_european_dependence(self, open_page, two_versions):
        at = open_page(two_versions, "versions")
        m = {x.label: x for x in at.metric}
        spof = m["Vitale/hoge processen met een niet-Europese single point of failure"]
        assert int(spof.delta) < 0
        changes = at.dataframe[1].value
        row = changes[changes["id"] == "S-KYN"].iloc[0]
        assert row["wijziging"] == "gewijzigd"
        assert "Verenigde Staten (US) → Nederland (NL)" in row["details"]
        assert any(s.startswith("Niet meer afhankelijk van één niet-Europese leveranciersgroep:") for s in texts(at))

    def test_an_earlier_version_can_be_made_current(self, open_page, two_versions):
        at = open_page(two_versions, "versions")
        at.selectbox[0].set_value("v0001").run()
        at.button[0].click().run()
        assert at.warning[0].value.startswith("Versie v0001 de huidige maken?")
        assert Workspace(two_versions).current().id == "v0002"  # not before the user confirms
        at.button(key="confirm_current_yes").click().run()
        assert Workspace(two_versions).current().id == "v0001"
        assert list(at.dataframe[0].value["huidig"]) == [False, True]
        assert at.sidebar.caption[0].value.startswith("Inventaris: versie v0001")

    def test_a_damaged_version_is_shown_refused_and_the_others_still_work(self, open_page, two_versions):
        v1 = Workspace(two_versions).version("v0001")
        stored = v1.path / "files" / v1.stored["suppliers.csv"]
        stored.write_bytes(stored.read_bytes() + b"S-EXTRA,Stiekem,NL\n")
        at = open_page(two_versions, "versions", lang="en")
        assert at.error[0].value.startswith("Version v0001 is damaged and is not used; the other versions are.")
        assert "no longer matches the checksum" in at.error[0].value
        at.selectbox[0].set_value("v0001").run()
        assert at.button[0].disabled and at.download_button[0].disabled
        assert at.info[0].value.startswith("There is only one version")  # nothing whole to compare with
        overview = open_page(two_versions, "overview", lang="en")
        assert overview.title[0].value == "Overview" and not overview.error  # v0002 is current and whole

    def test_a_damaged_current_version_points_to_the_versions_page(self, open_page, two_versions):
        v2 = Workspace(two_versions).version("v0002")
        (v2.path / "files" / v2.stored["systems.csv"]).unlink()
        at = open_page(two_versions, "overview", lang="en")
        assert at.error[0].value.startswith("Version v0002 is damaged and is not used")
        assert not at.metric

    def test_one_version_has_nothing_to_compare(self, open_page, demo_root):
        at = open_page(demo_root, "versions")
        assert at.info[0].value.startswith("Er is nog maar één versie")


class TestImpact:
    def test_it_asks_what_to_cut(self, open_page, demo_root, demo):
        at = open_page(demo_root, "impact")
        assert at.info[0].value == "Kies hierboven een leverancier, land of locatie."
        top = next(r for r in demo.ranking if not r["european"])
        assert at.button[0].label == f"Wat als {md_escape(top['name'])} de toegang afsluit?"

    def test_the_largest_non_european_group_cuts_access(self, open_page, demo_root, demo):
        at = open_page(demo_root, "impact")
        top = next(r for r in demo.ranking if not r["european"])
        at.button[0].click().run()
        expected = impact(demo.g, Scenario(suppliers=[top["supplier_group"]]))
        m = metrics(at)
        assert m["Processen vallen stil"] == str(sum(x["kind"] == "process" for x in expected["failed"]))
        assert m["Systemen vallen stil"] == str(sum(x["kind"] == "system" for x in expected["failed"]))
        assert len(at.dataframe[0].value) == len(expected["failed"])
        last = expected["failed"][0]["why"][-1]
        assert at.dataframe[0].value.iloc[0]["waarom"].endswith(f"{demo.g.nodes[last]['name']} ({owner_note(demo.g, last, 'nl')})")
        assert at.code[0].value.endswith(f"?lang=nl&supplier={top['supplier_group']}")
        assert at.query_params["supplier"] == top["supplier_group"]
        states = {n["classes"].split()[-1] for n in component_elements(at)["nodes"]}
        assert {"cut", "failed"} <= states

    def test_the_link_reproduces_the_view(self, open_page, demo_root, demo):
        at = open_page(demo_root, "impact", query={"supplier": ["S-CORV"], "subsidiaries": "false"})
        assert at.multiselect[0].value == ["S-CORV"] and at.toggle[0].value is False
        expected = impact(demo.g, Scenario(suppliers=["S-CORV"], include_subsidiaries=False))
        assert metrics(at)["Processen vallen stil"] == str(sum(x["kind"] == "process" for x in expected["failed"]))
        assert at.code[0].value.endswith("?lang=nl&supplier=S-CORV&subsidiaries=false")
        with_subs = impact(demo.g, Scenario(suppliers=["S-CORV"]))
        at.toggle[0].set_value(True).run()
        assert metrics(at)["Processen vallen stil"] == str(sum(x["kind"] == "process" for x in with_subs["failed"]))

    def test_a_country_and_a_location_can_be_cut(self, open_page, demo_root, demo):
        location = next(n for n, k in demo.g.nodes(data="kind") if k == "location")
        at = open_page(demo_root, "impact", query={"country": ["US"], "location": [location]})
        expected = impact(demo.g, Scenario(countries=["US"], locations=[location]))
        shown = list(at.dataframe[0].value["id"])  # the first page of the table (the rest: tests/test_dashboard_impact_table.py)
        assert shown == expected["failed"].ids(200) and len(expected["failed"]) > 200
        assert at.code[0].value.endswith(f"?lang=nl&country=US&location={location}")

    def test_unknown_ids_in_the_url_are_ignored(self, open_page, demo_root):
        at = open_page(demo_root, "impact", query={"supplier": ["S-NOPE"]})
        assert at.multiselect[0].value == []
        assert at.info[0].value == "Kies hierboven een leverancier, land of locatie."


class TestSpof:
    def test_it_lists_vital_and_high_processes_with_a_single_point_of_failure(self, open_page, demo_root, demo):
        at = open_page(demo_root, "spof")
        table = at.dataframe[0].value
        expected = [p for p in demo.spof if p["single_points_of_failure"]]
        assert list(table["id"]) == [p["id"] for p in expected]
        assert set(table["kritikaliteit"]) <= {"vitaal", "hoog"}
        assert len(at.dataframe[1].value) == len(demo.ranking)

    def test_only_non_european_and_sorted_by_count(self, open_page, demo_root):
        at = open_page(demo_root, "spof")
        at.toggle[0].set_value(True).run()
        at.selectbox[0].set_value("count").run()
        table = at.dataframe[0].value
        assert (table["waarvan niet-Europees"] > 0).all()
        counts = list(table["single points of failure"])
        assert counts == sorted(counts, reverse=True)

    def test_every_criticality_can_be_chosen(self, open_page, demo_root, demo):
        at = open_page(demo_root, "spof")
        at.multiselect[0].set_value(["medium", "low"]).run()
        assert set(at.dataframe[0].value["kritikaliteit"]) <= {"midden", "laag"}
        assert [d.key for d in at.download_button] == ["spof-csv", "spof-xlsx", "ranking-csv", "ranking-xlsx"]


class TestGaps:
    def test_it_shows_the_next_steps_and_the_gaps(self, open_page, demo_root, demo):
        at = open_page(demo_root, "gaps")
        assert len(at.dataframe[0].value) == len(demo.actions)
        assert len(at.dataframe[1].value) == len(demo.assessment["gaps"])
        assert at.dataframe[0].value.iloc[0]["ernst"] == demo.actions[0]["severity"]

    def test_filter_by_dimension_and_sort_by_name(self, open_page, demo_root):
        at = open_page(demo_root, "gaps")
        at.multiselect(key="gaps_dimensions").set_value(["legal"]).run()
        at.selectbox(key="gaps_sort").set_value("name").run()
        table = at.dataframe[1].value
        assert set(table["dimensie"]) == {"juridisch"}
        assert list(table["naam"].str.lower()) == sorted(table["naam"].str.lower())


class TestReport:
    def test_it_previews_and_offers_the_report_in_the_language(self, open_page, demo_root):
        at = open_page(demo_root, "report", lang="en")
        assert at.download_button[0].label == "Download report (HTML)"
        srcdoc = at.get("iframe")[0].proto.srcdoc
        assert srcdoc.startswith('<!DOCTYPE html><html lang="en">')
        assert "Concrete next steps" in srcdoc


class TestGuard:
    @pytest.fixture
    def broken(self, monkeypatch):
        def level_rows(*args, **kwargs):  # what the overview counts as it draws (its key figures are stored)
            raise RuntimeError("figures broke\n  at some/internal/path.py line 12")

        monkeypatch.setattr("sovmap.dashboard.figures.level_rows", level_rows)

    def test_an_unexpected_error_is_one_line_and_a_pointer_to_debug(self, open_page, demo_root, broken, monkeypatch):
        monkeypatch.delenv("SOVMAP_DEBUG", raising=False)
        at = open_page(demo_root, "overview", lang="en")
        assert [e.value for e in at.error] == [
            "Something unexpected went wrong on this page: " + md_escape("RuntimeError: figures broke")]
        assert any("sovmap dashboard \\-\\-debug" in c.value or "sovmap dashboard --debug" in c.value
                   for c in at.caption)
        assert not at.get("exception") and not at.expander
        assert "some/internal/path.py" not in " ".join(texts(at))

    def test_with_debug_the_details_are_in_an_expander(self, demo_root, broken, monkeypatch):
        monkeypatch.setenv("SOVMAP_DEBUG", "1")
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(demo_root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = "en"
        at.run()
        at.switch_page("views/overview.py").run()
        assert at.error[0].value.startswith("Something unexpected went wrong on this page: RuntimeError")
        assert at.expander[0].label == "Technical details"
        assert "figures broke" in at.get("exception")[0].value

    def test_the_other_pages_still_work(self, open_page, demo_root, broken):
        at = open_page(demo_root, "spof", lang="en")
        assert not at.error and at.dataframe
