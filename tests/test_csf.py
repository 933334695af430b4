"""EU Cloud Sovereignty Framework scores: graph facts map to rungs conservatively, unknowns stay unknown."""

from __future__ import annotations

import networkx as nx
import pytest

from sovmap.graph.csf import QUESTION_IDS, csf_scores, framework, questions
from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load_files

SUPPLIERS_HEADER = "id,name,country,parent_id\n"
SYSTEMS_HEADER = "id,name,supplier_id,operator_id,location_id,data_export,exit_plan,key_control\n"


def inventory(**files: str) -> nx.MultiDiGraph:
    """A graph from inline CSV texts, named by file (suppliers=..., systems=...)."""
    inv, problems = load_files([(f"{name}.csv", text.encode("utf-8")) for name, text in files.items()])
    assert inv is not None, [str(p) for p in problems]
    return build_graph(inv)


def one_system(country: str, supplier_country: str = "NL", **system) -> nx.MultiDiGraph:
    """SYS provided by S, hosted at L in ``country`` (operated by S)."""
    cols = {"data_export": "", "exit_plan": "", "key_control": ""} | system
    return inventory(
        suppliers=SUPPLIERS_HEADER + f"S,Supplier,{supplier_country},\n",
        locations=f"id,name,country,operator_id\nL,Data centre,{country},S\n",
        systems=SYSTEMS_HEADER + f"SYS,App,S,,L,{cols['data_export']},{cols['exit_plan']},{cols['key_control']}\n",
    )


def scores(g: nx.MultiDiGraph, system: str = "SYS") -> dict:
    return next(r for r in csf_scores(g)["systems"] if r["id"] == system)["scores"]


def seal_rungs(answer: dict) -> tuple:
    return answer["seal"], answer["rungs"]


class TestFramework:
    def test_the_output_cites_the_framework_version_and_its_source(self):
        out = csf_scores(one_system("NL"))
        fw = out["framework"]
        assert (fw["publisher"], fw["version"], fw["date"]) == ("European Commission", "1.2.1", "October 2025")
        assert "SUSE/csf-self-assessment" in fw["source"]
        assert [q["id"] for q in out["questions"]] == list(QUESTION_IDS)
        assert out["seal_levels"][0] == "No sovereignty" and out["seal_levels"][4] == "Full digital sovereignty"

    def test_answers_quote_the_rung_texts_from_the_data_file(self):
        answer = scores(one_system("NL", key_control="provider"))["SOV-3.1"]
        assert answer["answer"] == questions()["SOV-3.1"]["rungs"][0]["text"] == "Provider only"

    def test_only_systems_are_scored(self):
        g = one_system("NL")
        g.add_node("D", kind="dataset", name="Files")
        g.add_edge("D", "SYS", key="stored_in")
        assert [r["id"] for r in csf_scores(g)["systems"]] == ["SYS"]
        assert framework()["name"] == "Cloud Sovereignty Framework"


class TestKeyControl:
    @pytest.mark.parametrize("kc, expected", [("provider", (0, [1])), ("customer", (3, [4, 5])), ("", (None, []))])
    def test_key_control(self, kc, expected):
        assert seal_rungs(scores(one_system("NL", key_control=kc))["SOV-3.1"]) == expected


class TestDataLocation:
    def test_all_places_in_the_eea(self):
        assert seal_rungs(scores(one_system("DE"))["SOV-3.4"]) == (4, [5])

    def test_third_country_without_adequacy(self):
        assert seal_rungs(scores(one_system("US"))["SOV-3.4"]) == (0, [1, 2])

    def test_mainly_eu_with_an_adequacy_country(self):
        g = inventory(locations="id,name,country\nL-AMS,Amsterdam,NL\nL-ZRH,Zurich,CH\n",
                      systems="id,name,location_id\nSYS,App,L-AMS\nBACKUP,Backup,L-ZRH\n")
        g.add_edge("SYS", "L-ZRH", key="hosted_at")
        assert seal_rungs(scores(g)["SOV-3.4"]) == (1, [3])

    def test_unknown_location_is_unknown_not_guessed(self):
        g = inventory(systems="id,name\nSYS,App\n")
        answer = scores(g)["SOV-3.4"]
        assert (answer["seal"], answer["answer"]) == (None, None)
        assert "not recorded" in answer["basis"]

    def test_eu_places_with_one_unknown_part_are_not_claimed_as_exclusively_eu(self):
        g = inventory(locations="id,name,country\nL-AMS,Amsterdam,NL\n",
                      systems="id,name,location_id\nSYS,App,\nA,Store A,L-AMS\nB,Store B,\n",
                      dependencies="from_id,to_id\nSYS,A\nSYS,B\n")
        assert scores(g)["SOV-3.4"]["seal"] is None


class TestExtraterritorialLaws:
    def test_a_us_supplier_exposes_the_system(self):
        answer = scores(one_system("NL", "US", key_control="customer"))["SOV-2.2"]
        assert seal_rungs(answer) == (1, [1, 2])
        assert "US-CLOUD-ACT" in answer["basis"] and "customer" in answer["basis"]

    def test_an_eu_only_chain(self):
        assert seal_rungs(scores(one_system("NL", "DE"))["SOV-2.2"]) == (4, [5])

    @pytest.mark.parametrize("code", ["CH", "SG"])  # no law of cross-border reach listed in countries.yaml
    def test_other_non_eu_jurisdictions_are_unknown(self, code):
        assert scores(one_system("NL", code))["SOV-2.2"]["seal"] is None

    def test_no_supplier_is_unknown(self):
        assert scores(inventory(systems="id,name\nSYS,App\n"))["SOV-2.2"]["seal"] is None


class TestSinglePointOfDependency:
    def test_no_non_eu_vendor_or_facility(self):
        assert seal_rungs(scores(one_system("NL", "DE"))["SOV-5.6"]) == (4, [5])

    def test_only_non_eu_vendors_and_facilities(self):
        assert seal_rungs(scores(one_system("NL", "US"))["SOV-5.6"]) == (1, [1])

    def test_a_facility_in_the_eu_operated_by_a_non_eu_group_counts_as_non_eu(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-US,Kynthos,US,\n",
                      locations="id,name,country,operator_id\nL,Frankfurt,DE,S-US\n",
                      systems="id,name,supplier_id,location_id\nSYS,App,S-DE,L\n")
        # vendors S-DE (EU), S-US (non-EU); facility L (non-EU by its operator): 2 of 3 non-EU → mostly
        assert seal_rungs(scores(g)["SOV-5.6"]) == (1, [2])

    def test_a_few_non_eu_vendors(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-FR,Gaulois,FR,\nS-US,Kynthos,US,\n",
                      locations="id,name,country,operator_id\nL,Frankfurt,DE,S-DE\n",
                      systems="id,name,supplier_id,operator_id,location_id\nSYS,App,S-DE,S-FR,L\nMON,Monitoring,S-US,,\n",
                      dependencies="from_id,to_id\nSYS,MON\n")
        # S-DE, S-FR, L (EU) and S-US (non-EU): 1 of 4
        assert seal_rungs(scores(g)["SOV-5.6"]) == (3, [3, 4])

    def test_eu_vendors_with_one_of_unknown_country_are_unknown(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-DE,Rijnstroom,DE,\nS-X,Mystery,,\n",
                      systems="id,name,supplier_id,operator_id\nSYS,App,S-DE,S-X\n")
        assert scores(g)["SOV-5.6"]["seal"] is None


class TestCutOff:
    def test_single_point_without_exit(self):
        s = scores(one_system("NL", "US", data_export="proprietary", exit_plan="no"))
        assert (seal_rungs(s["SOV-1.8"]), seal_rungs(s["SOV-4.6"])) == ((0, [1, 2]), (0, [1]))

    def test_single_point_with_a_prepared_exit(self):
        s = scores(one_system("NL", "US", data_export="open-standard", exit_plan="yes"))
        assert (seal_rungs(s["SOV-1.8"]), seal_rungs(s["SOV-4.6"])) == ((2, [4]), (3, [4]))

    def test_european_single_point_without_exit_is_weak_on_cut_off_but_not_on_jurisdiction(self):
        s = scores(one_system("NL", "DE"))
        assert (seal_rungs(s["SOV-1.8"]), seal_rungs(s["SOV-4.6"])) == ((0, [1, 2]), (3, [4]))

    def test_alternatives_from_different_groups(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-US,Kynthos,US,\nS-DE,Rijnstroom,DE,\n",
                      systems=SYSTEMS_HEADER + "SYS,Mail,,,,,,\nA,Relay A,S-US,,,,,\nB,Relay B,S-DE,,,,,\n",
                      dependencies="from_id,to_id,alternative_group\nSYS,A,relay\nSYS,B,relay\n")
        s = scores(g)
        # SYS itself has no supplier recorded: that could hide a single point, so 1.8 stays unknown
        assert s["SOV-1.8"]["seal"] is None
        assert seal_rungs(s["SOV-4.6"]) == (None, [])
        g.add_node("S-NL", kind="supplier", name="Own IT", country="NL")
        g.add_edge("SYS", "S-NL", key="operated_by")
        assert seal_rungs(scores(g)["SOV-1.8"]) == (0, [1, 2])  # S-NL alone can cut it off, no exit
        g.nodes["SYS"].update(data_export="open-standard", exit_plan="yes")
        s = scores(g)
        assert (seal_rungs(s["SOV-1.8"]), seal_rungs(s["SOV-4.6"])) == ((2, [4]), (3, [4]))

    def test_single_point_of_unknown_country_is_unknown_for_jurisdiction(self):
        g = inventory(suppliers=SUPPLIERS_HEADER + "S-X,Mystery,,\n", systems="id,name,supplier_id\nSYS,App,S-X\n")
        assert scores(g)["SOV-4.6"]["seal"] is None

    def test_no_supplier_is_unknown(self):
        s = scores(inventory(systems="id,name\nSYS,App\n"))
        assert (s["SOV-1.8"]["seal"], s["SOV-4.6"]["seal"]) == (None, None)


class TestSummary:
    def test_lowest_seal_and_the_unknown_questions(self):
        row = csf_scores(inventory(systems="id,name\nSYS,App\n"))["systems"][0]
        assert (row["lowest_seal"], row["unknown"]) == (None, list(QUESTION_IDS))
        row = csf_scores(one_system("NL", "US", key_control="customer"))["systems"][0]
        known = [a["seal"] for a in row["scores"].values() if a["seal"] is not None]
        assert row["lowest_seal"] == min(known) == 0
