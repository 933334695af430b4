"""GLEIF golden copy as a refresh source (ingest/gleif.py, `sovmap suppliers refresh`), on fixtures in the published layout."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import yaml
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph
from sovmap.ingest.gleif import LEVEL1, RR, apply_gleif, apply_gleif_to_catalogue, publish_date, read_gleif
from sovmap.ingest.validate import load

HERE = Path(__file__).parent / "fixtures" / "gleif"
PREFIX = "20261120-0800-gleif-goldencopy-"
LEI1 = HERE / f"{PREFIX}lei2-golden-copy.csv"
RR1 = HERE / f"{PREFIX}rr-golden-copy.csv"
REPEX = HERE / f"{PREFIX}repex-golden-copy.csv"
INVENTORY = HERE / "inventory"

ATLAS, HOLDING, NORTHWIND = "724500ATLASZAAK00168", "724500ATLASHOLD00158", "5493NORTHWINDCAP0136"
DELTA, EVERPEAK, BRUGWERK, OUDE = "635400DELTAHOST00145", "213800EVERPEAK000132", "724500BRUGWERK000151", "213800OUDEFONDS00178"

runner = CliRunner()


def inventory() -> nx.MultiDiGraph:
    inv, problems = load(INVENTORY)
    assert inv is not None, problems
    return build_graph(inv)


def refreshed(repex: bool = False):
    g = inventory()
    data = read_gleif(g, LEI1, RR1, REPEX if repex else None)
    return g, data, *apply_gleif(g, data)


def changed(changes, supplier, column):
    hits = [c for c in changes if c.supplier_id == supplier and c.column == column]
    assert len(hits) <= 1
    return hits[0] if hits else None


def parent(g, n):
    return next((t for _, t, k in g.out_edges(n, keys=True) if k == "owned_by"), None)


class TestFixturesMirrorThePublishedLayout:
    def test_headers_carry_the_published_column_names(self):
        lei_header = LEI1.read_text().splitlines()[0]
        rr_header = RR1.read_text().splitlines()[0].split(",")
        assert all(f'"{c}"' in lei_header for c in LEVEL1.values())
        assert all(f'"{c}"' in rr_header for c in RR.values())
        assert len(rr_header) == 54  # RR-CDF 2.1 CSV: 5 periods, 5 qualifiers, 5 quantifiers, 8 registration columns

    def test_publish_date_is_read_from_the_golden_copy_file_name(self):
        assert publish_date(RR1.name) == "2026-11-20"
        assert publish_date("my-download.csv") is None


class TestReadGleif:
    def test_only_rows_for_the_inventory_and_its_parents_are_kept(self):
        _, data, *_ = refreshed()
        assert set(data.records) == {ATLAS, HOLDING, NORTHWIND, DELTA, EVERPEAK, BRUGWERK, OUDE,
                                     "724500KADESYS0000137", "724500KADESYS0000234"}
        assert "529900UNRELATED00148" not in data.records and "529900UNRELATED00148" not in data.direct

    def test_inactive_and_fund_relationships_are_ignored(self):
        _, data, *_ = refreshed()
        assert data.direct[ATLAS].parent == HOLDING  # not the INACTIVE row to Oude Fonds on line 3
        assert data.direct[ATLAS].line == 4
        assert DELTA not in data.direct  # the direct row is cut off; the fund-manager row is not ownership
        assert data.ultimate[DELTA].parent == EVERPEAK

    def test_a_zipped_download_is_read_from_inside(self, tmp_path):
        for src in (LEI1, RR1):
            with zipfile.ZipFile(tmp_path / f"{src.name}.zip", "w") as zf:
                zf.write(src, src.name)
        data = read_gleif(inventory(), tmp_path / f"{LEI1.name}.zip", tmp_path / f"{RR1.name}.zip")
        assert data.direct[ATLAS].parent == HOLDING and data.published == "2026-11-20"

    def test_a_zip_without_a_csv_file_is_an_error_not_a_traceback(self, tmp_path):
        with zipfile.ZipFile(tmp_path / "empty.zip", "w") as zf:
            zf.writestr("readme.txt", "no data")
        data = read_gleif(inventory(), tmp_path / "empty.zip", RR1)
        assert [(p.rule, p.file) for p in data.problems if p.severity == "error"] == [("gleif-wrong-file", "empty.zip")]

    def test_a_file_of_the_wrong_kind_is_an_error_naming_the_missing_column(self):
        data = read_gleif(inventory(), RR1, RR1)
        wrong = [p for p in data.problems if p.rule == "gleif-wrong-file"]
        assert wrong and wrong[0].severity == "error" and wrong[0].column == "LEI" and wrong[0].line == 1


class TestMalformedRows:
    def test_each_malformed_row_is_reported_once_by_file_and_line(self):
        *_, problems = refreshed()
        bad = sorted((p.file, p.line) for p in problems if p.rule == "gleif-malformed-row")
        assert bad == [(LEI1.name, 6), (RR1.name, 8)]
        assert all("download it again" in p.hint for p in problems if p.rule == "gleif-malformed-row")

    def test_a_bad_country_code_is_reported_and_not_used(self):
        text = LEI1.read_text().replace('"Utrecht","","NL","1000 AA"', '"Utrecht","","XQ","1000 AA"', 1)
        g = inventory()
        data = read_gleif(g, (LEI1.name, text), RR1)
        g2, _, problems = apply_gleif(g, data)
        bad = [p for p in problems if p.value == "XQ"]
        assert [(p.line, p.column) for p in bad] == [(3, "Entity.LegalAddress.Country")]
        assert g2.nodes["S-ATLAS"]["country"] == "NL"


class TestApplyGleif:
    def test_a_parent_change_replaces_the_inventory_owner_and_names_the_row(self):
        g, _, g2, changes, _ = refreshed()
        assert parent(g, "S-ATLAS") == "S-OUDE"
        assert parent(g2, "S-ATLAS") == f"LEI-{HOLDING}"
        c = changed(changes, "S-ATLAS", "parent_id")
        assert (c.old, c.new, c.file, c.line) == ("S-OUDE", f"LEI-{HOLDING}", RR1.name, 4)
        assert "S-OUDE" in g2  # the former owner stays a supplier

    def test_the_chain_is_climbed_to_a_new_ultimate_parent_with_its_country(self):
        _, _, g2, changes, _ = refreshed()
        top = f"LEI-{NORTHWIND}"
        assert parent(g2, f"LEI-{HOLDING}") == top
        assert (g2.nodes[top]["name"], g2.nodes[top]["country"], g2.nodes[top]["lei"]) == ("NORTHWIND CAPITAL, INC.", "US", NORTHWIND)
        assert g2.has_edge(top, "country:US", key="registered_in")
        assert changed(changes, top, "id").line == 5  # added, from line 5 of the level-1 file

    def test_only_an_ultimate_parent_recorded_makes_it_the_owner(self):
        _, _, g2, changes, _ = refreshed()
        assert parent(g2, "S-DELTA") == f"LEI-{EVERPEAK}"
        assert g2.nodes[f"LEI-{EVERPEAK}"]["country"] == "GB"
        assert changed(changes, "S-DELTA", "parent_id").line == 9

    def test_headquarters_country_is_set_only_where_it_differs(self):
        _, _, g2, changes, _ = refreshed()
        assert g2.nodes["S-DELTA"]["hq_country"] == "US" and g2.nodes["S-DELTA"]["country"] == "IE"
        assert "hq_country" not in g2.nodes["S-ATLAS"]
        assert changed(changes, "S-DELTA", "hq_country").new == "US"

    def test_verified_ownership_carries_the_file_and_its_publication_date(self):
        _, _, g2, _, _ = refreshed()
        d = g2.nodes["S-ATLAS"]
        assert (d["ownership"], d["ownership_checked"]) == ("verified", "2026-11-20")
        assert d["ownership_source"] == f"GLEIF golden copy {LEI1.name}, {RR1.name}"

    def test_a_supplier_without_lei_is_matched_by_exact_legal_name(self):
        _, _, g2, changes, _ = refreshed()
        assert g2.nodes["S-BRUG"]["lei"] == BRUGWERK
        assert changed(changes, "S-BRUG", "lei").line == 9
        assert "lei" not in g2.nodes["S-LOCAL"]  # no GLEIF record of that name

    def test_an_lei_without_relationships_is_reported_and_not_verified(self):
        _, _, g2, _, problems = refreshed()
        hit = [p for p in problems if p.rule == "gleif-no-parent" and p.value == BRUGWERK]
        assert len(hit) == 1 and "no parent recorded by GLEIF" in hit[0].message and "--gleif-repex" in hit[0].hint
        assert "ownership" not in g2.nodes["S-BRUG"]

    def test_a_natural_persons_exception_verifies_that_there_is_no_parent(self):
        _, _, g2, changes, problems = refreshed(repex=True)
        assert g2.nodes["S-BRUG"]["ownership"] == "verified" and parent(g2, "S-BRUG") is None
        assert changed(changes, "S-BRUG", "ownership").file == REPEX.name
        assert not [p for p in problems if p.rule == "gleif-no-parent" and p.value == BRUGWERK]
        assert [p.value for p in problems if p.rule == "gleif-no-parent"] == [OUDE]  # no exception recorded for it

    def test_an_exception_that_withholds_the_parent_is_named_and_not_verified(self):
        text = REPEX.read_text() + f'"{OUDE}","DIRECT_ACCOUNTING_CONSOLIDATION_PARENT","NON_CONSOLIDATING"' + ',""' * 9 + "\n"
        g = inventory()
        g2, _, problems = apply_gleif(g, read_gleif(g, LEI1, RR1, (REPEX.name, text)))
        hit = [p for p in problems if p.rule == "gleif-no-parent" and p.value == OUDE]
        assert len(hit) == 1 and f"NON_CONSOLIDATING ({REPEX.name} line 6)" in hit[0].message
        assert "ownership" not in g2.nodes["S-OUDE"]

    def test_two_records_with_the_same_name_are_ambiguous_and_not_applied(self):
        _, _, g2, _, problems = refreshed()
        assert [p.value for p in problems if p.rule == "gleif-ambiguous-name"] == ["Kade Systems B.V."]
        assert "lei" not in g2.nodes["S-KADE"]

    def test_an_lei_missing_from_the_file_is_reported(self):
        g = inventory()
        g.nodes["S-LOCAL"]["lei"] = "724500NOTINFILE00001"
        g2, changes, problems = apply_gleif(g, read_gleif(g, LEI1, RR1))
        assert [p.value for p in problems if p.rule == "gleif-unknown-lei"] == ["724500NOTINFILE00001"]
        assert not [c for c in changes if c.supplier_id == "S-LOCAL"]

    def test_the_input_graph_is_not_changed(self):
        g, _, g2, _, _ = refreshed()
        assert parent(g, "S-ATLAS") == "S-OUDE" and f"LEI-{HOLDING}" not in g and g2 is not g

    def test_running_twice_changes_nothing_the_second_time(self):
        _, _, g2, _, _ = refreshed()
        _, changes, _ = apply_gleif(g2, read_gleif(g2, LEI1, RR1))
        assert changes == []


class TestCatalogue:
    def test_entries_with_an_lei_get_country_headquarters_and_a_catalogued_parent(self):
        raw = {"suppliers": [{"id": "CAT-DELTA", "name": "Delta", "country": "NL", "lei": DELTA, "parent": None},
                             {"id": "CAT-EVERPEAK", "name": "Everpeak", "country": "GB", "lei": EVERPEAK, "parent": None},
                             {"id": "CAT-ATLAS", "name": "Atlas", "country": "NL", "lei": ATLAS, "parent": None}]}
        data = read_gleif(nx.MultiDiGraph(), LEI1, RR1, extra_leis=[DELTA, EVERPEAK, ATLAS])
        new, changes = apply_gleif_to_catalogue(raw, data)
        delta = new["suppliers"][0]
        assert (delta["country"], delta["hq_country"], delta["parent"]) == ("IE", "US", "CAT-EVERPEAK")
        assert delta["ownership_source"]["verified"] == "2026-11-20"
        assert raw["suppliers"][0]["country"] == "NL"  # the input is not changed
        atlas = [c for c in changes if c.supplier_id == "CAT-ATLAS"]
        assert [(c.column, c.new) for c in atlas] == [("parent (not catalogued)", f"{HOLDING} ATLAS HOLDING B.V.")]


class TestCli:
    def args(self, *extra):
        return ["suppliers", "refresh", str(INVENTORY), "--gleif-lei", str(LEI1), "--gleif-rr", str(RR1), *extra]

    def test_refresh_writes_a_valid_inventory_and_lists_the_changes(self, tmp_path):
        out = tmp_path / "refreshed"
        result = runner.invoke(app, self.args("-o", str(out), "--json"))
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["valid"] is True and report["files"]["published"] == "2026-11-20"
        assert {"supplier_id": "S-ATLAS", "name": "Atlas Zaaksysteem B.V.", "column": "parent_id", "old": "S-OUDE",
                "new": f"LEI-{HOLDING}", "file": RR1.name, "line": 4} in report["changes"]
        assert {(p["file"], p["line"]) for p in report["problems"] if p["rule"] == "gleif-malformed-row"} == {
            (LEI1.name, 6), (RR1.name, 8)}
        g = build_graph(load(out)[0])
        assert parent(g, "S-ATLAS") == f"LEI-{HOLDING}" and g.nodes[f"LEI-{NORTHWIND}"]["country"] == "US"
        assert (g.nodes["S-DELTA"]["hq_country"], g.nodes["S-DELTA"]["ownership"]) == ("US", "verified")
        assert (INVENTORY / "suppliers.csv").read_text().count("S-OUDE") == 2  # the input is untouched

    def test_text_output_names_changes_and_findings(self):
        result = runner.invoke(app, self.args())
        assert result.exit_code == 0, result.output
        assert f'Atlas Zaaksysteem B.V. (S-ATLAS), parent_id: "S-OUDE" → "LEI-{HOLDING}" ({RR1.name} line 4)' in result.stdout
        assert "no parent recorded by GLEIF" in result.stdout
        assert "Nothing was written" in result.stderr

    def test_writing_over_the_input_is_refused(self):
        result = runner.invoke(app, self.args("-o", str(INVENTORY)))
        assert result.exit_code == 2 and "never overwritten" in result.stderr

    def test_a_missing_file_is_a_usage_error(self, tmp_path):
        result = runner.invoke(app, ["suppliers", "refresh", str(INVENTORY), "--gleif-lei", str(tmp_path / "nope.csv"),
                                     "--gleif-rr", str(RR1)])
        assert result.exit_code == 2 and "no such file" in result.stderr

    def test_files_of_the_wrong_kind_exit_1_and_write_nothing(self, tmp_path):
        out = tmp_path / "out"
        result = runner.invoke(app, ["suppliers", "refresh", str(INVENTORY), "--gleif-lei", str(RR1), "--gleif-rr", str(RR1),
                                     "-o", str(out)])
        assert result.exit_code == 1 and "Entity.LegalName" in result.stderr and not out.exists()

    def test_an_invalid_inventory_exits_1(self, tmp_path):
        (tmp_path / "suppliers.csv").write_text("id,name,country\nS-1,X,Atlantis\n")
        result = runner.invoke(app, ["suppliers", "refresh", str(tmp_path), "--gleif-lei", str(LEI1), "--gleif-rr", str(RR1)])
        assert result.exit_code == 1 and "nothing was refreshed" in result.stderr

    def test_catalogue_out_writes_a_copy_that_still_loads(self, tmp_path):
        from sovmap.ingest.catalogue import load_catalogue

        out = tmp_path / "catalogue.yaml"
        result = runner.invoke(app, self.args("--catalogue-out", str(out)))
        assert result.exit_code == 0, result.output
        assert len(load_catalogue(out)) == len(load_catalogue())
        assert yaml.safe_load(out.read_text())["suppliers"][0]["id"] == "CAT-MICROSOFT"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_refreshed_inventory_reads_back_in_either_language(tmp_path, lang):
    out = tmp_path / f"out-{lang}.xlsx"
    result = runner.invoke(app, ["suppliers", "refresh", str(INVENTORY), "--gleif-lei", str(LEI1), "--gleif-rr", str(RR1),
                                 "-o", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    inv, problems = load(out)
    assert inv is not None, problems
    assert parent(build_graph(inv), "S-DELTA") == f"LEI-{EVERPEAK}"
