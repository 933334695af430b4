"""Ownership decides jurisdiction: verified, stated or unknown facts, co-owners, headquarters, and no false reassurance.

The fixture ``tests/fixtures/ownership`` is the five-supplier list of issue 9 as an
inventory looks after a verified catalogue match: Exact owned by KKR (US), Odido
co-owned by Apax (GB) and Warburg Pincus (US), PinkRoccade of unknown ownership,
Centric Dutch, Microsoft US.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.assessment import assess
from sovmap.graph.concentration import rank_supplier_groups, single_points_of_failure
from sovmap.graph.impact import impact
from sovmap.graph.model import build_graph, graph_signature
from sovmap.graph.ownership import (DEFAULT_REACH, ReachPolicy, european_verdict, legal_reach, ownership_status,
                                    reach_cut, supplier_groups, verdicts)
from sovmap.graph.policy import default_policy, parse_policy
from sovmap.graph.rdf import from_rdf, to_rdf
from sovmap.graph.scenarios import Scenario, country_cut
from sovmap.graph.summary import inventory_summary
from sovmap.ingest.validate import load, load_files
from sovmap.ingest.write import inventory_tables

FIXTURE = Path(__file__).parent / "fixtures" / "ownership"
runner = CliRunner()


def inventory(**files: str) -> nx.MultiDiGraph:
    inv, problems = load_files([(f"{name}.csv", text.encode("utf-8")) for name, text in files.items()])
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


def problems_of(**files: str) -> list:
    _, problems = load_files([(f"{name}.csv", text.encode("utf-8")) for name, text in files.items()])
    return problems


@pytest.fixture(scope="module")
def five() -> nx.MultiDiGraph:
    inv, problems = load(FIXTURE)
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


def spof_of(g: nx.MultiDiGraph, process: str) -> list[dict]:
    return next(p for p in single_points_of_failure(g) if p["id"] == process)["single_points_of_failure"]


def run_json(*args) -> dict:
    result = runner.invoke(app, [str(a) for a in args] + ["--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class TestTheFiveSuppliers:
    def test_exact_is_not_european_through_its_owner_kkr(self, five):
        (s,) = spof_of(five, "P-FIN")
        assert (s["supplier_group"], s["european"], s["countries"]) == ("S-KKR", False, ["NL", "US"])
        assert "S-KKR" in s["european_reason"] and "US" in s["european_reason"]

    def test_odido_is_not_european_through_its_co_owners(self, five):
        (s,) = spof_of(five, "P-NET")
        assert (s["supplier_group"], s["european"], s["countries"]) == ("S-ODIDO", False, ["GB", "NL", "US"])
        # every foreign jurisdiction is named with its own path
        assert s["european_reason"] == "S-ODIDO → S-APAX (co-owner 50%): GB; S-ODIDO → S-WARBURG (co-owner 50%): US"

    def test_pinkroccade_of_unknown_ownership_is_never_european(self, five):
        (s,) = spof_of(five, "P-ZAAK")
        assert (s["european"], s["european_reason"]) == (None, "ownership of S-PINK unknown")

    def test_centric_is_european_and_microsoft_is_not(self, five):
        assert [s["european"] for s in spof_of(five, "P-BURGER")] == [True]
        assert [s["european"] for s in spof_of(five, "P-MAIL")] == [False]

    def test_rank_counts_unknown_ownership_apart(self, five):
        rows = {r["supplier_group"]: r for r in rank_supplier_groups(five)}
        assert rows["S-PINK"]["european"] is None and rows["S-CENTRIC"]["european"] is True
        assert sorted(g for g, r in rows.items() if r["european"] is False) == [
            "S-APAX", "S-KKR", "S-MS", "S-ODIDO", "S-WARBURG"]

    def test_assessment_legal_level_is_unknown_not_in_control(self, five):
        items = {i["id"]: i for i in assess(five)["items"]}
        assert items["P-ZAAK"]["legal"]["level"] == "unknown"
        assert "legal.unknown_ownership" in [r["code"] for r in items["P-ZAAK"]["legal"]["reasons"]]
        assert items["P-ZAAK"]["operational"]["level"] == "unknown"
        assert items["P-BURGER"]["legal"]["level"] == "in_control"
        assert items["P-NET"]["legal"]["level"] == "not_in_control"
        assert items["P-NET"]["legal"]["jurisdictions"] == ["GB", "NL", "US"]

    def test_unknown_ownership_gap_asks_to_verify_the_owner(self, five):
        gap = next(x for x in assess(five)["gaps"] if x["id"] == "P-ZAAK" and x["dimension"] == "operational")
        assert gap["actual"] == "unknown"
        assert [s["code"] for s in gap["steps"]][0] == "verify_ownership"

    def test_a_us_cut_reaches_odido_through_its_co_owner_with_the_path(self, five):
        assert country_cut(five, ["US"]) == {"S-EXACT", "S-KKR", "S-ODIDO", "S-WARBURG", "S-MS"}
        failed = {r["id"]: r["why_text"] for r in impact(five, Scenario(countries=["US"]))["failed"]}
        assert failed["P-NET"] == "P-NET → SYS-NET → S-ODIDO (owned by S-WARBURG, US, co-owner 50%)"
        assert failed["P-FIN"] == "P-FIN → SYS-FIN → S-EXACT (owned by S-KKR, US)"
        assert "P-ZAAK" not in failed and "P-BURGER" not in failed

    def test_a_supplier_cut_names_unknown_ownership_and_the_co_owner_path(self, five):
        why = impact(five, Scenario(suppliers=["S-PINK"]))["failed"][0]["why_text"]
        assert why == "P-ZAAK → SYS-ZAAK → S-PINK (NL; ownership unknown: ownership of S-PINK unknown)"
        why = impact(five, Scenario(suppliers=["S-ODIDO"]))["failed"][0]["why_text"]
        assert why == "P-NET → SYS-NET → S-ODIDO (NL; S-ODIDO → S-APAX (co-owner 50%): GB)"

    def test_cutting_a_co_owner_does_not_cut_what_it_co_owns(self, five):
        assert impact(five, Scenario(suppliers=["S-WARBURG"]))["failed"] == []

    def test_the_details_panel_shows_a_chain_through_each_co_owner(self, five):
        from sovmap.dashboard.details import node_details

        chains = node_details(five, "SYS-NET", None, "en").chains
        assert [[(p["id"], p["european"]) for p in c] for c in chains] == [
            [("S-ODIDO", True)], [("S-ODIDO", True), ("S-APAX", False)], [("S-ODIDO", True), ("S-WARBURG", False)]]

    def test_the_graph_view_marks_unknown_ownership_apart(self, five):
        from sovmap.dashboard import graphview

        assert graphview.ownership_unknown(five, "S-PINK") and not graphview.ownership_unknown(five, "S-CENTRIC")
        # unknown is never drawn as European: no mark either way, the dashed "ownership unknown" ring instead
        assert graphview.non_european_control(five, "S-PINK") is None
        assert graphview.non_european_control(five, "S-CENTRIC") is False

    def test_summary_lists_co_owned_and_unknown_suppliers(self, five):
        s = inventory_summary(five)
        assert {r["supplier"]: r["reason"] for r in s["non_european_chains"]}["S-ODIDO"].startswith("S-ODIDO → S-APAX")
        assert [r["supplier"] for r in s["ownership_unknown"]] == ["S-PINK"]


class TestCommandLine:
    def test_spof_json_says_null_with_a_reason(self):
        out = run_json("spof", FIXTURE)
        groups = {s["supplier_group"]: s for p in out["processes"] for s in p["single_points_of_failure"]}
        assert groups["S-PINK"]["european"] is None
        assert groups["S-PINK"]["european_reason"] == "ownership of S-PINK unknown"
        assert groups["S-ODIDO"]["european"] is False

    def test_spof_text_says_ownership_unknown_and_counts_it_apart(self):
        result = runner.invoke(app, ["spof", str(FIXTURE)])
        assert "S-PINK PinkRoccade Local Government B.V. (OWNERSHIP UNKNOWN: NL)" in result.stdout
        assert "3 a non-European one; 1 one of unknown ownership" in result.stderr

    def test_rank_json_and_text(self):
        rows = {r["supplier_group"]: r for r in run_json("rank", FIXTURE)["supplier_groups"]}
        assert rows["S-PINK"]["european"] is None
        text = runner.invoke(app, ["rank", str(FIXTURE)]).stdout
        assert any(line.split()[1] == "S-PINK" and line.split()[7] == "?" for line in text.splitlines()[1:])

    def test_assess_and_impact_json(self):
        items = {i["id"]: i for i in run_json("assess", FIXTURE)["items"]}
        assert items["P-ZAAK"]["legal"]["level"] == "unknown"
        cut = {i["id"]: i for i in run_json("impact", FIXTURE, "--country", "US")["failed"]}
        assert cut["P-NET"]["why_text"].endswith("S-ODIDO (owned by S-WARBURG, US, co-owner 50%)")


    def test_a_policy_file_changes_the_reach_of_spof_and_impact(self, tmp_path):
        policy = tmp_path / "reach.yaml"
        policy.write_text("requirements:\n  criticality:\n    vital: {operational: in_control}\n"
                          "reach:\n  co_owner_share: 60\n", encoding="utf-8")
        groups = {s["supplier_group"]: s for p in run_json("spof", FIXTURE, "--policy", policy)["processes"]
                  for s in p["single_points_of_failure"]}
        assert groups["S-ODIDO"]["european"] is True  # its co-owners hold 50% each: below the policy's 60%
        failed = {r["id"] for r in run_json("impact", FIXTURE, "--country", "US", "--policy", policy)["failed"]}
        assert "P-NET" not in failed and "P-FIN" in failed


class TestReachPolicy:
    @staticmethod
    def graph() -> nx.MultiDiGraph:
        return inventory(suppliers="id,name,country,hq_country,listing_country,co_owner_ids\n"
                                   "S-IE,Dublin Holdings,IE,US,,\n"
                                   "S-LU,Luxlist,LU,,US,\n"
                                   "S-NL,Minority,NL,,,S-US 10%\n"
                                   "S-US,Fund,US,,,\n")

    def test_headquarters_counts_and_listing_does_not_by_default(self):
        g = self.graph()
        assert country_cut(g, ["US"]) == {"S-IE", "S-US"}
        assert european_verdict(g, "S-IE") == (False, "S-IE: headquarters US")
        assert european_verdict(g, "S-LU").european is True

    def test_switches_change_the_reach(self):
        g = self.graph()
        listing = ReachPolicy(listing=True, headquarters=False)
        assert country_cut(g, ["US"], listing) == {"S-LU", "S-US"}
        low = ReachPolicy(co_owner_share=10)
        assert country_cut(g, ["US"], low) == {"S-IE", "S-NL", "S-US"}
        assert country_cut(g, ["US"], ReachPolicy(co_owners=False, co_owner_share=0)) == {"S-IE", "S-US"}

    def test_a_co_owner_of_unknown_share_counts(self):
        g = inventory(suppliers="id,name,country,co_owner_ids\nS-NL,Target,NL,S-US\nS-US,Fund,US,\n")
        assert g["S-NL"]["S-US"]["co_owned_by"].get("share") is None
        assert country_cut(g, ["US"]) == {"S-NL", "S-US"}
        assert european_verdict(g, "S-NL").reason == "S-NL → S-US (co-owner, share unknown): US"

    def test_not_following_owners_keeps_a_subsidiary_european(self):
        g = inventory(suppliers="id,name,country,parent_id\nS-NL,Sub,NL,S-US\nS-US,Parent,US,\n")
        assert european_verdict(g, "S-NL", ReachPolicy(owners=False)).european is True
        assert european_verdict(g, "S-NL").european is False

    def test_the_policy_file_section_and_its_default(self):
        assert default_policy().reach == DEFAULT_REACH
        text = ("requirements:\n  criticality:\n    vital: {operational: in_control}\n"
                "reach:\n  beursnotering: true\n  minimaal_aandeel: 10\n")
        policy, problems = parse_policy(text, "mine.yaml")
        assert problems == [] and policy.reach == ReachPolicy(listing=True, co_owner_share=10.0)
        g = self.graph()
        items = {i["id"]: i for i in assess(inventory(
            suppliers="id,name,country,listing_country\nS-LU,Luxlist,LU,US\n",
            systems="id,name,supplier_id\nSYS,App,S-LU\n"), policy)["items"]}
        assert items["SYS"]["legal"]["level"] == "not_in_control"
        assert legal_reach(g, "S-LU", policy)[1][0] == "US"

    def test_bad_reach_settings_are_reported_by_line(self):
        text = ("requirements:\n  criticality:\n    vital: {operational: in_control}\n"
                "reach:\n  listing: maybe\n  co_owner_share: 150\n  owner: true\n")
        policy, problems = parse_policy(text, "mine.yaml")
        assert policy is None
        assert [str(p) for p in problems] == [
            'mine.yaml line 5, key reach.listing: "maybe" is not true or false. Write true or false.',
            'mine.yaml line 6, key reach.co_owner_share: "150" is not a share in percent. Give a number from 0 to 100, e.g. 25.',
            'mine.yaml line 7, key reach.owner: "owner" is not a key of reach. Did you mean "owners"? Accepted: '
            'registration, headquarters, listing, owners, co_owners, co_owner_share.']


class TestStatus:
    def test_empty_status_is_stated_with_a_country_else_unknown(self):
        g = inventory(suppliers="id,name,country,eigendom\nS-A,A,NL,\nS-B,B,,\nS-C,C,DE,onbekend\nS-D,D,DE,geverifieerd\n")
        assert [ownership_status(g, s) for s in ("S-A", "S-B", "S-C", "S-D")] == ["stated", "unknown", "unknown", "verified"]

    def test_a_european_subsidiary_of_an_unknown_owner_is_not_european(self):
        g = inventory(suppliers="id,name,country,parent_id,ownership\nS-NL,Sub,NL,S-TOP,\nS-TOP,Top,NL,,unknown\n")
        v = european_verdict(g, "S-NL")
        assert v.european is None and v.reason == "ownership of S-TOP unknown (S-NL → S-TOP)"
        assert verdicts(g)["S-NL"].european is None

    def test_a_known_non_european_owner_wins_over_unknown(self):
        g = inventory(suppliers="id,name,country,parent_id,ownership\nS-NL,Sub,NL,S-US,unknown\nS-US,Top,US,,\n")
        assert european_verdict(g, "S-NL").european is False and verdicts(g)["S-NL"].european is False


class TestValidation:
    HEADER = "id,name,country,parent_id,co_owner_ids\n"

    def test_dutch_headers_and_shares(self):
        g = inventory(suppliers="id,naam,land,mede_eigenaren,land_hoofdkantoor,land_beursnotering,eigendom,"
                                "bron_eigendom,eigendom_gecontroleerd\n"
                                "S-ODIDO,Odido,NL,S-APAX 50%; S-WP (50 %),,,geverifieerd,https://example.org,2026-03\n"
                                "S-APAX,Apax,GB,,,,,,\nS-WP,Warburg,VS,,Verenigde Staten,US,,,\n")
        assert {t: d["share"] for _, t, k, d in g.out_edges("S-ODIDO", keys=True, data=True) if k == "co_owned_by"} == {
            "S-APAX": 50.0, "S-WP": 50.0}
        assert (g.nodes["S-WP"]["hq_country"], g.nodes["S-WP"]["listing_country"]) == ("US", "US")
        assert g.has_edge("S-WP", "country:US", key="headquartered_in")
        assert g.nodes["S-ODIDO"]["ownership"] == "verified"

    def test_unknown_co_owner_bad_share_and_bad_date_are_reported_by_line(self):
        problems = problems_of(suppliers="id,name,country,co_owner_ids,ownership_checked\n"
                                         "S-A,A,NL,S-APX 50%,\nS-APAX,Apax,GB,,2026-13-01\nS-B,B,NL,S-APAX fifty%,\n")
        assert [str(p) for p in problems if p.severity == "error"] == [
            'suppliers.csv line 4, column co_owner_ids: "fifty%" is not a share between 0 and 100 percent. '
            'Write each co-owner as an id with an optional share, e.g. "S-APAX 50% | S-WARBURG 50%".',
            'suppliers.csv line 2, column co_owner_ids: "S-APX" is not a known id of a supplier. Did you mean "S-APAX"?',
            'suppliers.csv line 3, column ownership_checked: "2026-13-01" is not a date. '
            'Write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2026-03-01.']

    def test_a_co_owner_that_is_also_the_parent_is_a_warning_and_counted_once(self):
        inv, problems = load_files([("suppliers.csv", (self.HEADER + "S-A,A,NL,S-P,S-P 60% | S-Q\n"
                                                       "S-P,P,US,,\nS-Q,Q,DE,,\n").encode())])
        assert [(p.rule, p.severity, p.line) for p in problems] == [("co-owner-is-parent", "warning", 2)]
        g = build_graph(inv)
        assert sorted((t, k) for _, t, k in g.out_edges("S-A", keys=True) if t.startswith("S-")) == [
            ("S-P", "owned_by"), ("S-Q", "co_owned_by")]

    def test_duplicate_co_owner_self_reference_and_shares_over_100(self):
        problems = problems_of(suppliers=self.HEADER + "S-A,A,NL,,S-B 70% | S-B | S-A | S-C 40%\nS-B,B,NL,,\nS-C,C,NL,,\n")
        assert sorted((p.rule, p.severity) for p in problems) == [
            ("duplicate-co-owner", "warning"), ("self-reference", "error"), ("shares-over-100", "warning")]

    def test_verified_without_source_is_a_warning(self):
        problems = problems_of(suppliers="id,name,country,ownership\nS-A,A,NL,verified\n")
        assert [(p.rule, p.severity, p.column) for p in problems] == [("verified-without-source", "warning", "ownership")]

    def test_written_inventory_reads_back_the_same(self, five, tmp_path):
        for lang in ("en", "nl"):
            tables = inventory_tables(five, lang)
            name = "leveranciers" if lang == "nl" else "suppliers"
            row = next(r for r in tables[name] if r[0] == "S-ODIDO")
            assert "S-APAX 50% | S-WARBURG 50%" in row
            files = [(f"{n}.csv", "\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode())
                     for n, rows in tables.items()]
            inv, problems = load_files(files)
            assert inv is not None, [str(p) for p in problems]
            h = build_graph(inv)
            del h.graph["files"]
            g = five.copy()
            del g.graph["files"]
            assert graph_signature(h) == graph_signature(g)

    def test_rdf_round_trip_keeps_shares_and_headquarters(self):
        g = inventory(suppliers="id,name,country,hq_country,co_owner_ids\nS-A,A,NL,,S-B 30%\nS-B,B,IE,US,\n")
        h = from_rdf(to_rdf(g))
        assert h["S-A"]["S-B"]["co_owned_by"]["share"] == 30.0
        assert h.nodes["S-B"]["hq_country"] == "US" and h.has_edge("S-B", "country:US", key="headquartered_in")


class TestLinearTime:
    N = 5000

    def chain_csv(self, relation: str = "parent_id") -> str:
        rows = ["id,name,country,parent_id,co_owner_ids"]
        for i in range(self.N):
            owner = f"S-{i + 1}" if i + 1 < self.N else ""
            country = "US" if i == self.N - 1 else "NL"
            parent, co = (owner, "") if relation == "parent_id" else ("", f"{owner} 50%" if owner else "")
            rows.append(f"S-{i},Party {i},{country},{parent},{co}")
        return "\n".join(rows) + "\n"

    @pytest.mark.parametrize("relation", ["parent_id", "co_owner_ids"])
    def test_a_5000_deep_ownership_chain(self, relation):
        started = time.perf_counter()
        g = inventory(suppliers=self.chain_csv(relation),
                      systems="id,name,supplier_id\nSYS,App,S-0\n", processes="id,name,criticality\nP,Pay,vital\n",
                      dependencies="from_id,to_id\nP,SYS\n")
        verdict = european_verdict(g, "S-0")
        co = " (co-owner 50%)" if relation == "co_owner_ids" else ""
        assert verdict == (False, f"S-0 → S-1{co} → S-2{co} → … ({self.N - 5} more) → S-{self.N - 2}{co} → "
                                  f"S-{self.N - 1}{co}: US")
        assert len(country_cut(g, ["US"])) == self.N
        assert all(v.european is False for v in verdicts(g).values())
        groups = supplier_groups(g)
        assert len(groups) == (1 if relation == "parent_id" else self.N)
        (s,) = spof_of(g, "P")
        assert s["european"] is False
        why = impact(g, Scenario(countries=["US"]))["failed"][0]["why_text"]
        assert len(why) < 300 and why.startswith("P → SYS → S-0 (owned by S-4999")
        assert assess(g)["items"][0]["legal"]["level"] == "not_in_control"
        assert time.perf_counter() - started < 10  # loose: quadratic took minutes (issue 10)

    def test_ownership_cycles_end(self):
        g = nx.MultiDiGraph()
        for n, c in (("A", "NL"), ("B", "DE"), ("C", "US")):
            g.add_node(n, kind="supplier", name=n, country=c)
        g.add_edge("A", "B", key="co_owned_by", share=50.0)
        g.add_edge("B", "A", key="co_owned_by", share=50.0)
        g.add_edge("B", "C", key="owned_by")
        g.add_edge("C", "B", key="owned_by")
        assert european_verdict(g, "A").european is False
        assert set(reach_cut(g, ["US"])) == {"A", "B", "C"}
        assert supplier_groups(g) == {"A": ["A"], "C": ["B", "C"]}  # the controlling cycle B ⇄ C is one group


class TestKeptSupplierList:
    """The supplier list kept in the graph's cache follows nodes and edges added or removed."""

    def test_groups_and_verdicts_follow_changes(self):
        from sovmap.graph.ownership import supplier_groups, verdicts

        g = nx.MultiDiGraph()
        g.add_node("S-NL", kind="supplier", name="Noord", country="NL")
        assert supplier_groups(g) == {"S-NL": ["S-NL"]}
        assert verdicts(g)["S-NL"].european is True
        g.add_node("S-US", kind="supplier", name="Kynthos", country="US")
        g.add_edge("S-NL", "S-US", key="owned_by")
        assert supplier_groups(g) == {"S-US": ["S-NL", "S-US"]}
        assert verdicts(g)["S-NL"].european is False
        g.remove_node("S-US")
        assert supplier_groups(g) == {"S-NL": ["S-NL"]}
        assert verdicts(g)["S-NL"].european is True

    def test_owned_parties_keep_the_predecessor_order(self):
        from sovmap.graph.ownership import _owned, _owned_memo

        g = nx.MultiDiGraph()
        g.add_node("P", kind="supplier", country="US")
        for c in ("C-B", "C-A", "C-C"):
            g.add_node(c, kind="supplier", country="NL")
        g.add_node("SYS", kind="system")
        g.add_edge("SYS", "P", key="provided_by")
        g.add_edge("C-B", "P", key="owned_by")
        g.add_edge("C-A", "P", key="co_owned_by", share=30.0)
        g.add_edge("C-C", "P", key="owned_by")
        g.add_edge("C-C", "P", key="co_owned_by", share=10.0)
        from sovmap.graph.ownership import DEFAULT_REACH

        assert _owned_memo(g, DEFAULT_REACH)("P") == list(_owned(g, "P", DEFAULT_REACH))
        assert [s.party for s in _owned_memo(g, DEFAULT_REACH)("P")] == ["C-B", "C-A", "C-C"]
