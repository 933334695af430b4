"""The three-level assessment: each level of each dimension, inheritance, gaps and their order, the CLI."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.assessment import actions, assess, assessment_facts, level_changes
from sovmap.graph.levels import reason_text
from sovmap.graph.model import build_graph
from sovmap.graph.policy import parse_policy
from sovmap.ingest.validate import load_files

SUPPLIERS_HEADER = "id,name,country,parent_id\n"
SYSTEMS_HEADER = "id,name,supplier_id,operator_id,location_id,data_export,exit_plan,key_control\n"


def inventory(**files: str) -> nx.MultiDiGraph:
    """A graph from inline CSV texts, named by file (suppliers=..., systems=...)."""
    inv, problems = load_files([(f"{name}.csv", text.encode("utf-8")) for name, text in files.items()])
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


def item(result: dict, node: str) -> dict:
    return next(i for i in result["items"] if i["id"] == node)


def codes(dimension: dict) -> list[str]:
    return [r["code"] for r in dimension["reasons"]]


def one_system(country: str, supplier_country: str = "NL", **system) -> nx.MultiDiGraph:
    """SYS provided by S, hosted at L in ``country`` (operated by S)."""
    cols = {"data_export": "", "exit_plan": "", "key_control": ""} | system
    return inventory(
        suppliers=SUPPLIERS_HEADER + f"S,Supplier,{supplier_country},\n",
        locations=f"id,name,country,operator_id\nL,Data centre,{country},S\n",
        systems=SYSTEMS_HEADER + f"SYS,App,S,,L,{cols['data_export']},{cols['exit_plan']},{cols['key_control']}\n",
    )


class TestGeographic:
    @pytest.mark.parametrize("code, level, reason", [
        ("NL", "in_control", "geo.eea"),
        ("NO", "in_control", "geo.eea"),
        ("CH", "partial", "geo.adequacy"),
        ("JP", "partial", "geo.adequacy"),
        ("IN", "not_in_control", "geo.third_country"),
        ("US", "not_in_control", "geo.dpf_only"),
    ])
    def test_level_follows_the_country_of_the_location(self, code, level, reason):
        geo = item(assess(one_system(code)), "SYS")["geographic"]
        assert (geo["level"], geo["countries"], codes(geo)) == (level, [code], [reason])
        assert geo["complete"] is True

    def test_system_without_any_location_is_unknown(self):
        g = inventory(systems="id,name\nSYS,App\n")
        geo = item(assess(g), "SYS")["geographic"]
        assert (geo["level"], geo["complete"], codes(geo)) == ("unknown", False, ["geo.unknown_location"])
        assert geo["reasons"][0]["params"]["systems"] == ["SYS"]

    def test_system_without_location_is_where_the_systems_it_depends_on_are(self):
        g = inventory(locations="id,name,country\nL-TYO,Tokyo,JP\n",
                      systems="id,name,location_id\nAPP,App,\nIAAS,Cloud,L-TYO\n",
                      dependencies="from_id,to_id\nAPP,IAAS\n")
        geo = item(assess(g), "APP")["geographic"]
        assert (geo["level"], geo["countries"]) == ("partial", ["JP"])
        assert geo["reasons"][0]["params"]["systems"] == ["IAAS"]

    def test_own_location_wins_over_the_locations_of_dependencies(self):
        g = inventory(locations="id,name,country\nL-AMS,Amsterdam,NL\nL-IN,Pune,IN\n",
                      systems="id,name,location_id\nAPP,App,L-AMS\nSMS,Texting,L-IN\n",
                      dependencies="from_id,to_id\nAPP,SMS\n")
        assert item(assess(g), "APP")["geographic"]["level"] == "in_control"

    def test_data_set_takes_the_worst_place_of_the_systems_storing_it(self):
        g = inventory(locations="id,name,country\nL-AMS,Amsterdam,NL\nL-ZRH,Zurich,CH\n",
                      datasets="id,name\nD,Files\n",
                      systems="id,name,location_id\nA,Store A,L-AMS\nB,Store B,L-ZRH\n",
                      dependencies="from_id,to_id,alternative_group\nD,A,copies\nD,B,copies\n")
        geo = item(assess(g), "D")["geographic"]
        assert (geo["level"], geo["countries"]) == ("partial", ["CH", "NL"])
        assert codes(geo) == ["geo.adequacy", "geo.eea"]  # worst first

    def test_partly_unknown_place_keeps_the_worst_known_level_and_names_what_is_unknown(self):
        g = inventory(locations="id,name,country\nL-AMS,Amsterdam,NL\n",
                      datasets="id,name\nD,Files\n",
                      systems="id,name,location_id\nA,Store A,L-AMS\nB,Store B,\n",
                      dependencies="from_id,to_id\nD,A\nD,B\n")
        geo = item(assess(g), "D")["geographic"]
        assert (geo["level"], geo["complete"]) == ("in_control", False)
        unknown = [r for r in geo["reasons"] if r["code"] == "geo.unknown_location"]
        assert unknown[0]["params"]["systems"] == ["B"]

    def test_process_inherits_the_place_of_the_data_it_uses(self):
        g = inventory(locations="id,name,country\nL-IN,Pune,IN\nL-AMS,Amsterdam,NL\n",
                      processes="id,name\nP,Billing\n",
                      datasets="id,name\nD,Invoices\n",
                      systems="id,name,location_id\nERP,ERP,L-AMS\nINV,Invoicing,L-IN\n",
                      dependencies="from_id,to_id\nP,ERP\nP,D\nD,INV\n")
        geo = item(assess(g), "P")["geographic"]
        assert (geo["level"], geo["countries"]) == ("not_in_control", ["IN", "NL"])

    def test_process_that_uses_nothing_is_unknown(self):
        g = inventory(processes="id,name\nP,Billing\n")
        geo = item(assess(g), "P")["geographic"]
        assert (geo["level"], codes(geo)) == ("unknown", ["geo.no_use"])

    def test_a_dependency_cycle_without_locations_is_unknown_and_with_one_exit_takes_its_place(self):
        g = inventory(locations="id,name,country\nL-FRA,Frankfurt,DE\n",
                      systems="id,name,location_id\nA,A,\nB,B,\nC,C,L-FRA\n",
                      dependencies="from_id,to_id\nA,B\nB,A\n")
        assert item(assess(g), "A")["geographic"]["level"] == "unknown"
        g.add_edge("B", "C", key="depends_on")
        out = assess(g)
        assert [item(out, n)["geographic"]["countries"] for n in ("A", "B")] == [["DE"], ["DE"]]


class TestLegal:
    def test_eu_only_ownership_chain_is_in_control(self):
        leg = item(assess(one_system("NL", "DE")), "SYS")["legal"]
        assert (leg["level"], leg["jurisdictions"], leg["laws"]) == ("in_control", ["DE"], [])
        assert codes(leg) == ["legal.eea"]

    def test_data_on_a_dutch_hoster_owned_by_a_us_group_is_legally_not_in_control(self):
        g = inventory(
            suppliers=SUPPLIERS_HEADER + "S-US,Parent Inc.,US,\nS-NL,Hoster B.V.,NL,S-US\n",
            locations="id,name,country,operator_id\nL-AMS,Amsterdam,NL,S-NL\n",
            datasets="id,name\nD,Case files\n",
            systems="id,name,supplier_id,location_id\nSYS,Cases,S-NL,L-AMS\n",
            dependencies="from_id,to_id\nD,SYS\n")
        d = item(assess(g), "D")
        assert d["geographic"]["level"] == "in_control"
        assert (d["legal"]["level"], d["legal"]["jurisdictions"]) == ("not_in_control", ["NL", "US"])
        assert [law["id"] for law in d["legal"]["laws"]] == ["US-CLOUD-ACT", "US-FISA-702"]
        assert all(law["name"] for law in d["legal"]["laws"])
        exposure = d["legal"]["reasons"][0]
        assert exposure["code"] == "legal.extraterritorial"
        assert (exposure["params"]["group"], exposure["params"]["suppliers"]) == ("S-US", ["S-NL"])

    @pytest.mark.parametrize("code", ["CH", "JP"])
    def test_adequacy_jurisdiction_without_extraterritorial_law_is_partial(self, code):
        leg = item(assess(one_system("NL", code)), "SYS")["legal"]
        assert (leg["level"], leg["jurisdictions"], codes(leg)[0]) == ("partial", [code], "legal.adequacy")

    def test_jurisdiction_without_adequacy_is_not_in_control_even_without_a_listed_law(self):
        leg = item(assess(one_system("NL", "SG")), "SYS")["legal"]  # SG: no adequacy, no law listed in countries.yaml
        assert (leg["level"], leg["laws"], codes(leg)[0]) == ("not_in_control", [], "legal.third_country")

    def test_chinese_supplier_lists_the_national_intelligence_law(self):
        leg = item(assess(one_system("NL", "CN")), "SYS")["legal"]
        assert (leg["level"], [law["id"] for law in leg["laws"]]) == ("not_in_control", ["CN-NIL-ART7", "CN-DSL"])

    def test_no_supplier_at_all_is_unknown(self):
        leg = item(assess(inventory(systems="id,name\nSYS,App\n")), "SYS")["legal"]
        assert (leg["level"], leg["jurisdictions"], codes(leg)) == ("unknown", [], ["no_party"])

    def test_supplier_without_a_country_is_an_unknown_part(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-X,Mystery,,\n",
                      systems="id,name,supplier_id,operator_id\nSYS,App,S-DE,S-X\n")
        leg = item(assess(g), "SYS")["legal"]
        # Not in control: one of its two parties could fall under any law (was in_control: false reassurance).
        assert (leg["level"], leg["complete"]) == ("unknown", False)
        assert "legal.unknown_country" in codes(leg)

    def test_the_operator_of_the_location_counts(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-US,Kynthos,US,\n",
                      locations="id,name,country,operator_id\nL,Frankfurt,DE,S-US\n",
                      systems="id,name,supplier_id,location_id\nSYS,App,S-DE,L\n")
        assert item(assess(g), "SYS")["legal"]["jurisdictions"] == ["DE", "US"]

    def test_legal_reach_follows_what_it_runs_on(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-US,Kynthos,US,\n",
                      processes="id,name\nP,Permits\n",
                      systems="id,name,supplier_id\nAPP,App,S-DE\nIDP,Login,S-US\n",
                      dependencies="from_id,to_id\nP,APP\nAPP,IDP\n")
        out = assess(g)
        assert [item(out, n)["legal"]["level"] for n in ("P", "APP", "IDP")] == ["not_in_control"] * 3

    def test_customer_held_keys_are_reported_as_a_mitigation_but_do_not_raise_the_level(self):
        leg = item(assess(one_system("NL", "US", key_control="customer")), "SYS")["legal"]
        assert (leg["level"], leg["customer_keys"]) == ("not_in_control", ["SYS"])
        assert "legal.customer_keys" in codes(leg)
        leg = item(assess(one_system("NL", "US", key_control="provider")), "SYS")["legal"]
        assert (leg["customer_keys"], "legal.provider_keys" in codes(leg)) == ([], True)


class TestOperational:
    def test_non_european_single_point_of_failure_without_exit_is_not_in_control(self):
        op = item(assess(one_system("NL", "US", data_export="proprietary", exit_plan="no")), "SYS")["operational"]
        assert op["level"] == "not_in_control"
        assert [s["supplier_group"] for s in op["single_points_of_failure"]] == ["S"]
        assert codes(op) == ["op.spof_non_eu", "op.no_open_export", "op.no_exit_plan"]

    def test_non_european_single_point_with_a_prepared_exit_is_partial(self):
        op = item(assess(one_system("NL", "US", data_export="open-standard", exit_plan="yes")), "SYS")["operational"]
        assert (op["level"], codes(op)) == ("partial", ["op.spof_non_eu", "op.exit_ready"])

    @pytest.mark.parametrize("export, plan", [("open-standard", "no"), ("proprietary", "yes"), ("", "")])
    def test_an_exit_needs_both_open_export_and_an_exit_plan(self, export, plan):
        op = item(assess(one_system("NL", "US", data_export=export, exit_plan=plan)), "SYS")["operational"]
        assert op["level"] == "not_in_control"

    def test_european_single_point_of_failure_is_in_control(self):
        op = item(assess(one_system("NL", "DE")), "SYS")["operational"]
        assert (op["level"], codes(op)) == ("in_control", ["op.spof_eu"])

    def test_a_subsidiary_makes_its_whole_group_the_single_point(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-US,Parent Inc.,US,\nS-NL,Daughter B.V.,NL,S-US\n",
                      systems="id,name,supplier_id\nSYS,App,S-NL\n")
        op = item(assess(g), "SYS")["operational"]
        assert (op["level"], op["single_points_of_failure"][0]["supplier_group"]) == ("not_in_control", "S-US")

    def test_an_alternative_from_another_group_keeps_it_in_control(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-US,Kynthos,US,\nS-DE,Rijnstroom,DE,\n",
                      processes="id,name,criticality\nP,Mail,vital\n",
                      systems="id,name,supplier_id\nA,Mail A,S-US\nB,Mail B,S-DE\n",
                      dependencies="from_id,to_id,alternative_group,min_required\nP,A,mail,1\nP,B,mail,1\n")
        op = item(assess(g), "P")["operational"]
        assert (op["level"], op["single_points_of_failure"]) == ("in_control", [])
        assert codes(op) == ["op.no_spof", "op.alternatives"]

    def test_no_supplier_at_all_is_unknown(self):
        op = item(assess(inventory(systems="id,name\nSYS,App\n")), "SYS")["operational"]
        assert (op["level"], codes(op)) == ("unknown", ["op.no_supplier"])


POLICY = """
name: test policy
requirements:
  classification:
    confidential: {legal: in_control, weight: 10}
    public: {}
  criticality:
    high: {operational: partial, weight: 3}
"""


def gap_graph() -> nx.MultiDiGraph:
    """D (confidential) in SYS-A from a US supplier; P (high) uses SYS-B from a US supplier without exit."""
    return inventory(
        suppliers=SUPPLIERS_HEADER + "S-US,Kynthos,US,\nS-DE,Rijnstroom,DE,\n",
        processes="id,name,criticality\nP,Mail,high\n",
        datasets="id,name,classification\nD,Case files,confidential\nD-PUB,Open data,public\n",
        systems=SYSTEMS_HEADER + "SYS-A,Cases,S-US,,,open-standard,yes,provider\n"
                                 "SYS-B,Mail,S-US,,,proprietary,no,provider\nSYS-C,Portal,S-DE,,,,,\n",
        dependencies="from_id,to_id\nD,SYS-A\nP,SYS-B\nD-PUB,SYS-C\n")


class TestGaps:
    def test_gaps_and_their_order_under_a_custom_policy(self):
        policy, problems = parse_policy(POLICY, "test.yaml")
        assert problems == []
        gaps = assess(gap_graph(), policy)["gaps"]
        # legal: 2 levels short x weight 10; operational: 1 level short x weight 3
        assert [(x["id"], x["dimension"], x["required"], x["actual"], x["severity"]) for x in gaps] == [
            ("D", "legal", "in_control", "not_in_control", 20),
            ("SYS-A", "legal", "in_control", "not_in_control", 20),
            ("P", "operational", "partial", "not_in_control", 3),
            ("SYS-B", "operational", "partial", "not_in_control", 3),
        ]

    def test_public_data_has_no_requirement_and_no_gap(self):
        policy, _ = parse_policy(POLICY)
        out = assess(gap_graph(), policy)
        assert item(out, "D-PUB")["required"] == {"geographic": None, "legal": None, "operational": None}
        assert not [x for x in out["gaps"] if x["id"] in ("D-PUB", "SYS-C")]

    def test_a_system_inherits_the_strictest_requirement_of_what_runs_on_it(self):
        policy, _ = parse_policy(POLICY)
        sys_a = item(assess(gap_graph(), policy), "SYS-A")
        assert sys_a["required"]["legal"] == "in_control"
        assert [(s["id"], s["attribute"], s["value"]) for s in sys_a["required_by"]["legal"]] == [
            ("D", "classification", "confidential")]

    def test_requirements_reach_the_systems_a_system_depends_on(self):
        g = gap_graph()
        g.add_node("IAAS", kind="system", name="Cloud")
        g.add_edge("SYS-A", "IAAS", key="depends_on")
        policy, _ = parse_policy(POLICY)
        assert item(assess(g, policy), "IAAS")["required"]["legal"] == "in_control"

    def test_legal_gap_steps_replace_the_group_and_offer_customer_keys_as_a_mitigation(self):
        policy, _ = parse_policy(POLICY)
        gap = assess(gap_graph(), policy)["gaps"][0]
        assert [(s["code"], s["closes"]) for s in gap["steps"]] == [("replace_legal", True), ("customer_keys", False)]
        assert gap["steps"][0]["params"] | {} == {"group": "S-US", "group_name": "Kynthos", "countries": ["US"],
                                                   "systems": ["SYS-A"]}
        assert gap["steps"][0]["text"] == ("Replace supplier group S-US (Kynthos; US) for SYS-A by a supplier whose "
                                           "whole ownership chain is in the EU/EEA.")

    def test_operational_gap_steps_for_a_partial_requirement_include_the_exit(self):
        policy, _ = parse_policy(POLICY)
        gap = next(x for x in assess(gap_graph(), policy)["gaps"] if x["id"] == "P")
        assert [(s["code"], s["closes"], s["params"].get("systems")) for s in gap["steps"]] == [
            ("replace_operational", True, ["SYS-B"]), ("exit_plan", True, ["SYS-B"]), ("open_export", True, ["SYS-B"])]

    def test_exit_steps_only_help_when_in_control_is_required(self):
        policy, _ = parse_policy("requirements:\n  criticality:\n    high: {operational: in_control}\n")
        gap = next(x for x in assess(gap_graph(), policy)["gaps"] if x["id"] == "P")
        assert [(s["code"], s["closes"]) for s in gap["steps"]] == [
            ("replace_operational", True), ("exit_plan", False), ("open_export", False)]

    def test_geographic_gap_step_moves_to_the_eea_or_an_adequacy_country(self):
        g = one_system("IN")
        g.add_node("D", kind="dataset", name="Files", personal_data="personal")
        g.add_edge("D", "SYS", key="stored_in")
        gap = next(x for x in assess(g)["gaps"] if x["id"] == "D" and x["dimension"] == "geographic")
        assert (gap["required"], gap["actual"]) == ("partial", "not_in_control")
        assert [(s["code"], s["params"]["countries"]) for s in gap["steps"]] == [("move_adequate", ["IN"])]

    def test_an_unknown_level_is_a_gap_with_a_find_out_step(self):
        g = inventory(datasets="id,name,classification\nD,Secrets,secret\n", systems="id,name\nSYS,Safe\n",
                      dependencies="from_id,to_id\nD,SYS\n")
        gaps = [x for x in assess(g)["gaps"] if x["id"] == "D"]
        assert [(x["dimension"], x["actual"], x["severity"]) for x in gaps] == [
            ("geographic", "unknown", 64), ("legal", "unknown", 64), ("operational", "unknown", 64)]
        assert [s["code"] for s in gaps[0]["steps"]] == ["find_location"]
        assert [s["code"] for s in gaps[1]["steps"]] == ["record_supplier"]

    def test_actions_merge_one_step_across_the_gaps_it_fixes(self):
        policy, _ = parse_policy(POLICY)
        acts = actions(assess(gap_graph(), policy))
        first = acts[0]
        assert (first["code"], first["params"]["group"], first["severity"]) == ("replace_legal", "S-US", 40)
        assert sorted(x["id"] for x in first["fixes"]) == ["D", "SYS-A"]
        keys = next(a for a in acts if a["code"] == "customer_keys")
        assert (keys["fixes"], len(keys["helps"]), keys["closes"]) == ([], 2, False)


class TestLevelChanges:
    def test_a_sale_to_a_us_parent_shows_the_levels_that_drop_worst_first(self):
        g = gap_graph()
        h = g.copy()
        h.add_node("S-X", kind="supplier", name="Buyer Inc.", country="US")
        h.add_edge("S-DE", "S-X", key="owned_by")
        rows = level_changes(assess(g), assess(h))
        assert [(r["id"], r["dimension"], r["before"], r["after"]) for r in rows] == [
            ("D-PUB", "legal", "in_control", "not_in_control"),
            ("D-PUB", "operational", "in_control", "not_in_control"),
            ("SYS-C", "legal", "in_control", "not_in_control"),
            ("SYS-C", "operational", "in_control", "not_in_control"),
        ]
        assert not any(r["gap_after"] for r in rows)  # public data: open where possible

    def test_the_same_assessment_has_no_changes(self):
        out = assess(gap_graph())
        assert level_changes(out, out) == []


class TestShape:
    def test_items_have_the_documented_keys_and_the_result_is_json(self):
        out = assess(gap_graph())
        json.dumps(out)
        d = item(out, "D")
        assert {"id", "kind", "name", "geographic", "legal", "operational", "required", "required_by"} <= set(d)
        assert {"level", "reasons", "complete", "countries"} <= set(d["geographic"])
        assert {"level", "reasons", "jurisdictions", "laws", "customer_keys"} <= set(d["legal"])
        assert {"level", "reasons", "single_points_of_failure"} <= set(d["operational"])
        assert {"id", "kind", "name", "dimension", "required", "actual", "severity", "steps"} <= set(out["gaps"][0])
        assert [i["kind"] for i in out["items"]] == ["process", "dataset", "dataset", "system", "system", "system"]

    def test_every_reason_renders_in_dutch_from_its_code_and_params(self):
        out = assess(gap_graph())
        reasons = [r for i in out["items"] for d in ("geographic", "legal", "operational") for r in i[d]["reasons"]]
        steps = [s for x in out["gaps"] for s in x["steps"]]
        assert reasons and steps
        for r in reasons + steps:
            nl = reason_text(r, "nl")
            assert nl != r["text"]
            assert all(str(v) in nl for v in r["params"].values() if isinstance(v, str) and v.startswith("S"))

    def test_facts_are_computed_once_and_reused(self):
        g = gap_graph()
        facts = assessment_facts(g)
        assert assess(g, facts=facts) == assess(g)


class TestCommand:
    runner = CliRunner()

    def test_text_output_has_the_matrix_and_the_gaps_of_the_mini_inventory(self, mini_path):
        r = self.runner.invoke(app, ["assess", str(mini_path)])
        assert r.exit_code == 0, r.output
        assert "processes" in r.stdout and "GAPS (4)" in r.stdout
        assert "Replace supplier group S-KYN" in r.stdout

    def test_json_output_is_the_assessment(self, mini_path):
        r = self.runner.invoke(app, ["assess", str(mini_path), "--json", "--csf"])
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        assert {i["id"] for i in out["items"]} == {"P-WEB", "P-MAIL", "D-ZAAK", "SYS-MAIL", "SYS-DIGID", "SYS-WEB",
                                                   "SYS-ZAAK"}
        assert out["csf"]["framework"]["version"] == "1.2.1"
        assert out["gaps"][0]["severity"] >= out["gaps"][-1]["severity"]

    def test_gaps_only_json_has_only_the_gaps(self, mini_path):
        r = self.runner.invoke(app, ["assess", str(mini_path), "--json", "--gaps-only"])
        assert list(json.loads(r.stdout)) == ["gaps"]

    def test_a_custom_policy_changes_the_gaps(self, mini_path, tmp_path):
        f = tmp_path / "strict.yaml"
        f.write_text("requirements:\n  criticality:\n    high: {legal: in_control, weight: 5}\n", "utf-8")
        r = self.runner.invoke(app, ["assess", str(mini_path), "--json", "--policy", str(f)])
        gaps = json.loads(r.stdout)["gaps"]
        assert ("P-MAIL", "legal", 10) in [(x["id"], x["dimension"], x["severity"]) for x in gaps]
        assert all(x["dimension"] == "legal" for x in gaps)

    def test_acquire_shows_what_changes_after_a_sale(self, mini_path):
        r = self.runner.invoke(app, ["assess", str(mini_path), "--json", "--acquire", "S-EU=US"])
        assert r.exit_code == 0, r.output
        whatif = json.loads(r.stdout)["whatif"]
        assert whatif["acquisitions"] == ["S-EU=US"]
        assert ("D-ZAAK", "legal", "in_control", "not_in_control", True) in [
            (c["id"], c["dimension"], c["before"], c["after"], c["gap_after"]) for c in whatif["changes"]]

    def test_acquire_with_an_unknown_supplier_is_a_usage_error(self, mini_path):
        r = self.runner.invoke(app, ["assess", str(mini_path), "--acquire", "S-NOPE=US"])
        assert r.exit_code == 2
        assert 'Did you mean "S-NORD" (Noordhaven Datacenters B.V.)?' in r.stderr
