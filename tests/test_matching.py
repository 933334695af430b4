"""Supplier names matched to the catalogue: common spellings found, weak matches refused, reviewed matches applied."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph, edge_rows
from sovmap.graph.ownership import ownership_chain
from sovmap.ingest.catalogue import Catalogue, CatalogueSupplier, load_catalogue
from sovmap.ingest.matching import apply_matches, match_name, match_suppliers, resolve_catalogue_ids
from sovmap.ingest.names import fold_name, legal_form
from sovmap.ingest.read import read_files
from sovmap.ingest.validate import load, load_files, validate
from tests.conftest import write_inventory

runner = CliRunner()


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def best(name: str, cat: Catalogue) -> tuple[str, float]:
    c = match_name(name, cat)[0]
    return c.entry.id, c.score


def graph(suppliers_csv: str, systems_csv: str = "") -> nx.MultiDiGraph:
    files = [("suppliers.csv", suppliers_csv.encode())]
    if systems_csv:
        files.append(("systems.csv", systems_csv.encode()))
    inv, problems = load_files(files)
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


class TestNames:
    @pytest.mark.parametrize("a, b", [
        ("Centric Netherlands B.V.", "centric netherlands bv"), ("Microsoft Corp.", "MICROSOFT"),
        ("Huaxing Vision Technology Co., Ltd.", "Huaxing Vision Technology"), ("Centric Nederland BV", "Centric Netherlands"),
        ("Coöperatie Gemeentelijke Realisatie U.A.", "Cooperatie Gemeentelijke Realisatie"),
    ])
    def test_spellings_of_one_company_fold_alike(self, a, b):
        assert fold_name(a) == fold_name(b)

    def test_legal_forms_are_one_spelling(self):
        assert legal_form("X B.V.") == legal_form("X BV") == "bv"
        assert legal_form("X Corp.") == legal_form("X Corporation") == "corporation"
        assert legal_form("X Ltd") == legal_form("X Limited")


class TestMatchName:
    @pytest.mark.parametrize("name, entry", [
        ("Microsoft Corp.", "CAT-MICROSOFT"), ("microsoft", "CAT-MICROSOFT"), ("MICROSOFT CORPORATION", "CAT-MICROSOFT"),
        ("Microsoft Inc", "CAT-MICROSOFT"), ("Microsoft B.V.", "CAT-MICROSOFT-NL"),
        ("Microsoft Ireland Operations Ltd", "CAT-MICROSOFT-IE"), ("Centric Netherlands B.V.", "CAT-CENTRIC"),
        ("Centric Nederland BV", "CAT-CENTRIC"), ("Amazon Web Services EMEA SARL", "CAT-AWS-EMEA"), ("AWS", "CAT-AWS"),
        ("Pinkroccade Local Government BV", "CAT-PINKROCCADE-LG"), ("Visma | Roxit", "CAT-VISMA-ROXIT"),
        ("KPN B.V.", "CAT-KPN"), ("NorthC Datacenters B.V.", "CAT-NORTHC"), ("Key2Burgerzaken", "CAT-CENTRIC"),
        ("cat-microsoft-ie", "CAT-MICROSOFT-IE"),
    ])
    def test_common_spellings_find_the_entry_with_a_score_that_applies(self, name, entry, cat):
        found, score = best(name, cat)
        assert found == entry and score >= 90

    def test_a_typo_is_found_but_not_good_enough_to_apply(self, cat):
        assert best("Microsfot", cat) == ("CAT-MICROSOFT", 89.0)

    @pytest.mark.parametrize("name, entry, score", [
        ("Atos Medical", "CAT-ATOS", 85.0),  # another company that only contains the name
        ("Sopra Steria Nederland B.V.", "CAT-SOPRA-STERIA", 88.0),  # a national company: maybe a subsidiary, maybe not
        ("Google Cloud Netherlands B.V.", "CAT-GOOGLE", 88.0),
    ])
    def test_weak_matches_score_below_the_default(self, name, entry, score, cat):
        assert best(name, cat) == (entry, score)

    @pytest.mark.parametrize("name", ["Onbekend Webbureau", "Gemeente Amsterdam", "Belastingsamenwerking Voorbeeld", "Bakkerij Jansen"])
    def test_names_that_are_not_in_the_catalogue_find_nothing(self, name, cat):
        assert match_name(name, cat) == []

    def test_tickers_and_ids_match_exactly_only(self, cat):
        assert "CAT-ALPHABET" not in [c.entry.id for c in match_name("Google Cloud Netherlands", cat)]  # not via GOOGL
        assert best("MSFT", cat) == ("CAT-MICROSOFT", 100.0)


class TestMatchSuppliers:
    def test_equal_candidates_from_different_groups_are_ambiguous_and_never_applied(self):
        a = CatalogueSupplier("CAT-NORDWIND-DE", "Nordwind Software GmbH", "DE", "saas")
        b = CatalogueSupplier("CAT-NORDWIND-SE", "Nordwind Software AB", "SE", "saas")
        g = graph("id,name\nS-1,Nordwind Software\n")
        [m] = match_suppliers(g, Catalogue((a, b)))
        assert m.ambiguous and m.best.score == 97.0
        assert not m.accepted(0)
        g2, applied, _ = apply_matches(g, [m], Catalogue((a, b)), min_score=0)
        assert applied == [] and "country" not in g2.nodes["S-1"]

    def test_equal_candidates_in_one_group_go_to_the_top_of_the_chain(self, cat):
        g = graph("id,name\nS-1,Microsoft Inc\n")
        [m] = match_suppliers(g, cat)
        assert not m.ambiguous and m.best.entry.id == "CAT-MICROSOFT"

    def test_a_supplier_that_names_its_catalogue_entry_matches_it(self, cat):
        g = graph("id,name,catalogue_id\nS-1,Onze hoster,CAT-LEASEWEB\n")
        [m] = match_suppliers(g, cat)
        assert (m.best.entry.id, m.best.score) == ("CAT-LEASEWEB", 100.0)


class TestApplyMatches:
    SUPPLIERS = ("id,name,country,parent_id\n"
                 "S-MSIE,Microsoft Ireland Operations Ltd,,\n"
                 "S-CENTRIC,Centric,DE,\n"
                 "S-ROXIT,Visma Roxit B.V.,,S-EIGEN\n"
                 "S-EIGEN,Eigen Holding B.V.,NL,\n"
                 "S-ATOS,Atos Medical,,\n"
                 "S-AFAS,AFAS,,\n"
                 "S-AFAS2,AFAS Software B.V.,,\n")
    SYSTEMS = "id,name,supplier_id,operator_id\nSYS-HR,HR,S-AFAS2,S-AFAS\nSYS-MAIL,Mail,S-MSIE,\n"

    @pytest.fixture()
    def applied(self, cat):
        g = graph(self.SUPPLIERS, self.SYSTEMS)
        return apply_matches(g, match_suppliers(g, cat), cat, min_score=90)

    def test_empty_countries_and_the_ownership_chain_are_filled_in(self, applied):
        g, _, _ = applied
        assert g.nodes["S-MSIE"]["country"] == "IE" and g.nodes["S-MSIE"]["catalogue_id"] == "CAT-MICROSOFT-IE"
        assert ownership_chain(g, "S-MSIE") == ["S-MSIE", "CAT-MICROSOFT"]
        assert (g.nodes["CAT-MICROSOFT"]["country"], g.nodes["CAT-MICROSOFT"]["lei"]) == ("US", "INR2EJN1ERAN0W5ZP974")
        assert g.has_edge("CAT-MICROSOFT", "country:US", key="registered_in")

    def test_the_users_values_win_and_differences_are_reported(self, applied):
        g, _, problems = applied
        assert g.nodes["S-CENTRIC"]["country"] == "DE"
        assert ownership_chain(g, "S-ROXIT") == ["S-ROXIT", "S-EIGEN"]
        reported = {(p.column, p.value) for p in problems if p.rule == "catalogue-disagrees"}
        assert reported == {("country", "DE"), ("parent_id", "S-EIGEN")}

    def test_merging_two_names_of_one_company_keeps_every_meaning_of_both(self, cat):
        # SYS-HR needs AFAS outright, and also lists "AFAS Software B.V." as one of two alternatives
        files = [("suppliers.csv", b"id,name\nS-AFAS,AFAS\nS-AFAS2,AFAS Software B.V.\nS-ALT,Eigen Beheer B.V.\n"),
                 ("systems.csv", b"id,name,supplier_id\nSYS-HR,HR,S-AFAS\n"),
                 ("dependencies.csv", b"from_id,to_id,type,alternative_group\n"
                                      b"SYS-HR,S-AFAS2,provided_by,hr\nSYS-HR,S-ALT,provided_by,hr\n")]
        inv, problems = load_files(files)
        assert inv is not None, [str(p) for p in problems]
        g = build_graph(inv)
        g2, _, _ = apply_matches(g, match_suppliers(g, cat), cat, min_score=90)
        [kept] = [n for n in ("S-AFAS", "S-AFAS2") if n in g2]
        d = g2.edges["SYS-HR", kept, "provided_by"]
        assert edge_rows(d) == [(None, None), ("hr", 1)]  # required, and still an alternative in "hr"

    def test_weak_matches_are_not_applied(self, applied):
        g, records, _ = applied
        assert "catalogue_id" not in g.nodes["S-ATOS"]
        assert "S-ATOS" not in {r.supplier_id for r in records}

    def test_suppliers_that_are_one_catalogue_entry_are_merged(self, applied):
        g, records, _ = applied
        assert "S-AFAS" not in g
        assert g.has_edge("SYS-HR", "S-AFAS2", key="provided_by") and g.has_edge("SYS-HR", "S-AFAS2", key="operated_by")
        assert next(r for r in records if r.supplier_id == "S-AFAS2").merged == ["S-AFAS"]

    def test_the_result_is_a_valid_inventory(self, applied, tmp_path):
        from sovmap.ingest.write import write_csv_folder

        write_csv_folder(applied[0], tmp_path)
        inv, problems = load(tmp_path)
        assert inv is not None, [str(p) for p in problems if p.severity == "error"]
        assert inv.nodes["CAT-MICROSOFT"].attrs["catalogue_id"] == "CAT-MICROSOFT"

    def test_a_higher_threshold_applies_less(self, cat):
        g = graph("id,name\nS-1,Microsoft Ireland Operations Ltd\nS-2,Microsoft\n")
        _, records, _ = apply_matches(g, match_suppliers(g, cat), cat, min_score=99)
        assert [r.supplier_id for r in records] == ["S-2"]


class TestResolveCatalogueIds:
    def test_references_become_rows_with_their_owners(self, cat):
        tables, _ = read_files([
            ("systems.csv", b"id,name,supplier_id,location_id\nSYS-1,Cloud,CAT-AWS-EMEA,L-1\n"),
            ("locations.csv", b"id,name,country,operator_id\nL-1,Frankfurt,DE,CAT-NORTHC\n"),
            ("dependencies.csv", b"from_id,to_id,type\nSYS-1,CAT-STACKIT,provided_by\n"),
        ])
        tables, problems = resolve_catalogue_ids(tables, cat)
        inv, problems = validate(tables, problems)
        assert inv is not None, [str(p) for p in problems]
        g = build_graph(inv)
        assert ownership_chain(g, "CAT-NORTHC") == ["CAT-NORTHC", "CAT-DWS", "CAT-DEUTSCHE-BANK"]
        assert ownership_chain(g, "CAT-STACKIT") == ["CAT-STACKIT", "CAT-SCHWARZ-DIGITS", "CAT-SCHWARZ"]
        assert g.nodes["CAT-AWS-EMEA"]["country"] == "LU"

    def test_the_users_own_row_for_a_catalogue_id_keeps_its_values(self, cat):
        tables, _ = read_files([("suppliers.csv", b"id,name,country\nCAT-KPN,KPN Zakelijk,\n"),
                                ("systems.csv", b"id,name,supplier_id\nSYS-1,Glas,CAT-KPN\n")])
        tables, _ = resolve_catalogue_ids(tables, cat)
        inv, _ = validate(tables)
        assert (inv.nodes["CAT-KPN"].name, inv.nodes["CAT-KPN"].attrs["country"]) == ("KPN Zakelijk", "NL")

    def test_an_unknown_catalogue_id_is_an_error_with_a_suggestion(self, cat):
        tables, _ = read_files([("systems.csv", b"id,name,supplier_id\nSYS-1,Glas,CAT-KPNN\n")])
        _, problems = resolve_catalogue_ids(tables, cat)
        assert [(p.rule, p.line, p.value) for p in problems] == [("unknown-catalogue-id", 2, "CAT-KPNN")]
        assert 'Did you mean "CAT-KPN"?' in problems[0].hint


class TestSuppliersCommand:
    @pytest.fixture()
    def inventory(self, tmp_path):
        return write_inventory(tmp_path / "inv", {
            "suppliers.csv": "id,name,country\nS-1,Microsoft Corp.,\nS-2,Atos Medical,SE\nS-3,Onbekend Webbureau,NL\n",
            "systems.csv": "id,name,supplier_id\nSYS-1,Mail,S-1\nSYS-2,Zorg,S-2\nSYS-3,Web,S-3\n",
        })

    def test_lists_proposals_with_scores_and_changes_nothing(self, inventory):
        before = (inventory / "suppliers.csv").read_text("utf-8")
        result = runner.invoke(app, ["suppliers", "match", str(inventory)])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert any(l.startswith("S-1 Microsoft Corp.") and "apply" in l and "CAT-MICROSOFT " in l for l in lines)
        assert any(l.startswith("S-2 Atos Medical") and "review" in l and "85" in l for l in lines)
        assert any(l.startswith("S-3 Onbekend Webbureau") and "no match" in l for l in lines)
        assert (inventory / "suppliers.csv").read_text("utf-8") == before

    def test_json(self, inventory):
        result = runner.invoke(app, ["suppliers", "match", str(inventory), "--json"])
        data = json.loads(result.stdout)
        assert [(r["supplier_id"], r["status"], r["catalogue_id"]) for r in data["suppliers"]] == [
            ("S-1", "apply", "CAT-MICROSOFT"), ("S-2", "review", "CAT-ATOS"), ("S-3", "no match", None)]

    def test_apply_needs_an_output(self, inventory):
        result = runner.invoke(app, ["suppliers", "match", str(inventory), "--apply"])
        assert result.exit_code == 2 and "-o" in result.output

    def test_apply_writes_a_reviewed_inventory(self, inventory, tmp_path):
        out = tmp_path / "reviewed.xlsx"
        result = runner.invoke(app, ["suppliers", "match", str(inventory), "--apply", "--min-score", "80", "-o", str(out)])
        assert result.exit_code == 0, result.output
        inv, _ = load(out)
        assert inv.nodes["S-1"].attrs["country"] == "US"
        # At 80 the Atos match is applied, but the user's own country stays.
        assert (inv.nodes["S-2"].attrs["catalogue_id"], inv.nodes["S-2"].attrs["country"]) == ("CAT-ATOS", "SE")
        assert "the catalogue (CAT-ATOS, Atos SE) says \"FR\"" in result.stdout

    def test_an_invalid_inventory_is_refused(self, tmp_path):
        bad = write_inventory(tmp_path / "bad", {"systems.csv": "id,name,supplier_id\nSYS-1,Mail,S-9\n"})
        result = runner.invoke(app, ["suppliers", "match", str(bad)])
        assert result.exit_code == 1 and '"S-9" is not a known id' in result.output


class TestApplyOwnership:
    """Issue 9: apply fills the ownership facts, headquarters/listing countries and co-owners; the user's values win."""

    def test_ownership_facts_and_countries_are_filled_in(self, cat):
        g = graph("id,name\nS-ODIDO,Odido\nS-EL,Elastic N.V.\nS-PR,PinkRoccade Local Government\n")
        g2, records, problems = apply_matches(g, match_suppliers(g, cat), cat)
        odido, elastic, prlg = g2.nodes["S-ODIDO"], g2.nodes["S-EL"], g2.nodes["S-PR"]
        entry = cat.get("CAT-ODIDO")
        assert (odido["ownership"], odido["ownership_source"], odido["ownership_checked"]) == (
            "verified", entry.ownership_source.url, entry.ownership_verified)
        assert (elastic["hq_country"], elastic["listing_country"], elastic["country"]) == ("US", "US", "NL")
        assert prlg["ownership"] == "unknown" and "ownership_checked" not in prlg
        assert "parent_id=" not in " ".join(next(r for r in records if r.supplier_id == "S-PR").filled)
        assert problems == []

    def test_co_owners_become_suppliers_with_co_owned_by_edges_and_shares(self, cat):
        g = graph("id,name\nS-VZ,VodafoneZiggo\n")
        g2, [rec], _ = apply_matches(g, match_suppliers(g, cat), cat)
        edges = {t: d.get("share") for _, t, k, d in g2.out_edges("S-VZ", keys=True, data=True) if k == "co_owned_by"}
        assert edges == {"CAT-VODAFONE": 50.0, "CAT-LIBERTY-GLOBAL": 50.0}
        assert ownership_chain(g2, "S-VZ") == ["S-VZ"]  # co-owners do not control
        assert (g2.nodes["CAT-LIBERTY-GLOBAL"]["country"], g2.nodes["CAT-LIBERTY-GLOBAL"]["listing_country"]) == ("BM", "US")
        assert set(rec.added) == {"CAT-VODAFONE", "CAT-LIBERTY-GLOBAL"}
        assert "co_owner=CAT-VODAFONE 50%" in rec.filled

    def test_unknown_shares_stay_unknown(self, cat):
        g = graph("id,name\nS-ODIDO,Odido\n")
        g2, _, _ = apply_matches(g, match_suppliers(g, cat), cat)
        edges = {t: d.get("share") for _, t, k, d in g2.out_edges("S-ODIDO", keys=True, data=True) if k == "co_owned_by"}
        assert edges == {"CAT-APAX": None, "CAT-WARBURG-PINCUS": None}
        assert g2.nodes["CAT-WARBURG-PINCUS"]["country"] == "US" and g2.nodes["CAT-APAX"]["country"] == "GB"

    def test_the_users_own_ownership_values_win(self, cat):
        g = graph("id,name,country,ownership,ownership_source,hq_country\n"
                  "S-EL,Elastic N.V.,NL,stated,https://example.org/contract,NL\n")
        g2 = graph("id,name\nS-VZ,VodafoneZiggo\n")
        g2.add_node("S-MINE", kind="supplier", name="Eigen Beheer B.V.")
        g2.add_edge("S-VZ", "S-MINE", key="co_owned_by", share=100.0)
        out, _, problems = apply_matches(g, match_suppliers(g, cat), cat)
        assert (out.nodes["S-EL"]["ownership"], out.nodes["S-EL"]["ownership_source"]) == ("stated", "https://example.org/contract")
        assert out.nodes["S-EL"]["hq_country"] == "NL"
        assert {(p.column, p.value) for p in problems} == {("hq_country", "NL")}
        out2, _, problems2 = apply_matches(g2, match_suppliers(g2, cat), cat)
        assert [t for _, t, k in out2.out_edges("S-VZ", keys=True) if k == "co_owned_by"] == ["S-MINE"]
        assert "CAT-VODAFONE" not in out2
        assert [p.column for p in problems2] == ["co_owner_ids"]

    def test_a_country_that_disagrees_leaves_the_ownership_status_to_the_user(self, cat):
        g = graph("id,name,country\nS-EXACT,Exact,DE\n")
        out, _, problems = apply_matches(g, match_suppliers(g, cat), cat)
        assert "ownership" not in out.nodes["S-EXACT"]
        assert ("country", "DE") in {(p.column, p.value) for p in problems}

    def test_written_and_read_back_the_ownership_columns_survive(self, cat, tmp_path):
        from sovmap.ingest.write import write_csv_folder

        g = graph("id,name\nS-VZ,VodafoneZiggo\nS-EL,Elastic N.V.\n")
        out, _, _ = apply_matches(g, match_suppliers(g, cat), cat)
        write_csv_folder(out, tmp_path)
        rows = {r["id"]: r for r in csv.DictReader((tmp_path / "suppliers.csv").open(encoding="utf-8"))}
        assert rows["S-EL"]["hq_country"] == "US" and rows["S-EL"]["ownership"] == "unknown"
        assert _co_owner_ids(rows["S-VZ"]) == {"CAT-VODAFONE": "50", "CAT-LIBERTY-GLOBAL": "50"}
        inv, problems = load(tmp_path)
        assert inv is not None, [str(p) for p in problems if p.severity == "error"]


def _co_owner_ids(row: dict) -> dict[str, str | None]:
    """The co_owner_ids cell as {id: share or None}: "S-A 50% | S-B" -> {"S-A": "50", "S-B": None}."""
    cell = row.get("co_owner_ids") or row.get("mede_eigenaren") or ""
    out = {}
    for part in re.split(r"[|;]", cell):
        words = part.split()
        if words:
            out[words[0]] = words[1].rstrip("%") if len(words) > 1 else None
    return out


FIVE_SUPPLIERS = Path(__file__).parent / "fixtures" / "flatlist" / "five_suppliers.csv"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The five-supplier list converted and matched with --apply: (rows by catalogue id, rows by id, folder)."""
    base = tmp_path_factory.mktemp("five")
    converted = runner.invoke(app, ["convert", str(FIVE_SUPPLIERS), "-o", str(base / "inv")])
    assert converted.exit_code == 0, converted.output
    applied = runner.invoke(app, ["suppliers", "match", str(base / "inv"), "--apply", "-o", str(base / "out")])
    assert applied.exit_code == 0, applied.output
    rows = list(csv.DictReader((base / "out" / "suppliers.csv").open(encoding="utf-8")))
    return {r["catalogue_id"]: r for r in rows}, {r["id"]: r for r in rows}, base / "out"


class TestFiveSuppliers:
    """The five-supplier application list of issue 9 through `convert` and `suppliers match --apply`."""

    def test_every_application_is_on_a_vital_process(self, reviewed):
        inv, _ = load(reviewed[2])
        vital = [n for n in inv.nodes.values() if n.kind == "process" and n.attrs.get("criticality") == "vital"]
        assert len(vital) == 5

    def test_exact_is_owned_by_kkr_in_the_us(self, reviewed):
        by_entry, by_id, _ = reviewed
        exact = by_entry["CAT-EXACT"]
        parent = by_id[exact["parent_id"]]
        assert (parent["catalogue_id"], parent["country"]) == ("CAT-KKR", "US")
        assert (exact["ownership"], exact["ownership_checked"]) == ("verified", "2026-11-29")

    def test_odido_is_co_owned_by_apax_and_warburg_pincus(self, reviewed):
        by_entry, by_id, _ = reviewed
        odido = by_entry["CAT-ODIDO"]
        assert odido["parent_id"] == ""
        owners = {by_id[i]["catalogue_id"]: by_id[i]["country"] for i in _co_owner_ids(odido)}
        assert owners == {"CAT-APAX": "GB", "CAT-WARBURG-PINCUS": "US"}

    def test_pinkroccade_ownership_is_unknown(self, reviewed):
        prlg = reviewed[0]["CAT-PINKROCCADE-LG"]
        assert (prlg["ownership"], prlg["parent_id"], prlg["ownership_checked"]) == ("unknown", "", "")

    def test_centric_is_verified_with_its_2024_dutch_owners(self, reviewed):
        by_entry, by_id, _ = reviewed
        centric = by_entry["CAT-CENTRIC"]
        assert centric["ownership"] == "verified" and centric["country"] == "NL"
        owners = {by_id[i]["catalogue_id"]: (by_id[i]["country"], by_id[i]["ownership"]) for i in _co_owner_ids(centric)}
        assert owners == {"CAT-IMKER-CAPITAL": ("NL", "verified")}

    def test_microsoft_is_us(self, reviewed):
        assert reviewed[0]["CAT-MICROSOFT"]["country"] == "US"


@pytest.fixture(scope="module")
def five_spof(reviewed):
    """`sovmap spof --json` on the reviewed five-supplier inventory: catalogue id of each group's member → group row."""
    out = runner.invoke(app, ["spof", str(reviewed[2]), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    by_id = reviewed[1]
    rows = {}
    for p in data["processes"]:
        assert len(p["single_points_of_failure"]) == 1, p  # one application, one supplier each
        group = p["single_points_of_failure"][0]
        for m in group["members"]:
            rows[by_id[m]["catalogue_id"]] = group
    return rows, data


class TestFiveSuppliersSpof:
    """The same list through `spof`: non-European where an owner abroad reaches, unknown where nobody verified."""

    def test_exact_is_not_european_through_kkr(self, five_spof):
        exact = five_spof[0]["CAT-EXACT"]
        assert exact["european"] is False
        assert re.search(r"S-EXACT → CAT-KKR: US", exact["european_reason"]), exact["european_reason"]

    def test_odido_is_not_european_through_both_co_owners(self, five_spof):
        odido = five_spof[0]["CAT-ODIDO"]
        assert odido["european"] is False
        assert "CAT-WARBURG-PINCUS (co-owner" in odido["european_reason"] and ": US" in odido["european_reason"]
        assert "CAT-APAX (co-owner" in odido["european_reason"] and ": GB" in odido["european_reason"]

    def test_pinkroccade_is_ownership_unknown_not_european(self, five_spof):
        prlg = five_spof[0]["CAT-PINKROCCADE-LG"]
        assert prlg["european"] is None
        assert "unknown" in prlg["european_reason"]

    def test_centric_is_european(self, five_spof):
        centric = five_spof[0]["CAT-CENTRIC"]
        assert centric["european"] is True and centric["countries"] == ["NL"]

    def test_microsoft_is_us(self, five_spof):
        ms = five_spof[0]["CAT-MICROSOFT"]
        assert ms["european"] is False and "US" in ms["countries"]

    def test_the_answer_says_what_it_rests_on(self, five_spof):
        coverage = five_spof[1]["coverage"]
        assert "S-PINKROCCADE-LOCAL-GOVERNMENT" in coverage["ownership_unknown"]
        assert coverage["processes_without_criticality"] == []
