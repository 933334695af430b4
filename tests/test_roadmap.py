"""The transition roadmap (sovmap.graph.roadmap) and `sovmap plan`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.assessment import assess
from sovmap.graph.model import build_graph
from sovmap.graph.roadmap import candidates, exhaustive_best, plan, risk
from sovmap.ingest.validate import load_files


def graph(suppliers: str, systems: str, processes: str, deps: str, contracts: str | None = None):
    files = [("suppliers.csv", suppliers.encode()), ("systems.csv", systems.encode()),
             ("processes.csv", processes.encode()), ("dependencies.csv", deps.encode())]
    if contracts:
        files.append(("contracts.csv", contracts.encode()))
    inv, problems = load_files(files)
    assert not [p for p in problems if p.severity == "error"], problems
    return build_graph(inv)


def independent(n: int, export: str = "open-standard", plan_: str = "no", criticality: str = ""):
    """``n`` processes (vital and high in turn, or all ``criticality``), each on its own system from its own US
    supplier."""
    return graph("id,name,country\n" + "".join(f"S-{i},Vendor {i},US\n" for i in range(n)),
                 "id,name,supplier_id,data_export,exit_plan\n"
                 + "".join(f"SYS-{i},App {i},S-{i},{export},{plan_}\n" for i in range(n)),
                 "id,name,criticality\n" + "".join(f"P-{i},Task {i},{criticality or ('vital' if i % 2 else 'high')}\n" for i in range(n)),
                 "from_id,to_id\n" + "".join(f"P-{i},SYS-{i}\n" for i in range(n)))


TODAY = dt.date(2025, 1, 1)


class TestContractDates:
    def test_a_2027_contract_with_six_months_notice_waits_until_mid_2026(self):
        g = graph("id,name,country\nS-US,Kynthos,US\n", "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,open-standard,yes\n",
                  "id,name,criticality\nP,Post,vital\n", "from_id,to_id\nP,SYS\n",
                  "id,supplier_id,system_ids,start_date,end_date,notice_period,renewal\n"
                  "C-1,S-US,SYS,2023-02-01,2027-01-31,6 maanden,manual\n")
        out = plan(g, today=TODAY, capacity=10, until=2027)
        by_year = {p["period"]: [a["key"] for a in p["actions"]] for p in out["phases"]}
        assert by_year == {2025: [], 2026: ["replace:S-US"], 2027: []}
        action = out["phases"][1]["actions"][0]
        assert action["earliest"] == "2026-07-31" and action["earliest"] >= "2026-06-30"
        assert action["waits_for"] == ["C-1"]

    def test_without_a_contract_the_replacement_may_start_now(self):
        g = graph("id,name,country\nS-US,Kynthos,US\n", "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,open-standard,yes\n",
                  "id,name,criticality\nP,Post,vital\n", "from_id,to_id\nP,SYS\n")
        out = plan(g, today=TODAY, capacity=10, until=2025)
        assert [a["key"] for a in out["phases"][0]["actions"]] == ["replace:S-US"]
        assert out["phases"][0]["actions"][0]["earliest"] is None

    def test_an_automatic_renewal_whose_notice_date_passed_rolls_over_one_term(self):
        g = graph("id,name,country\nS-US,Kynthos,US\n", "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,open-standard,yes\n",
                  "id,name,criticality\nP,Post,vital\n", "from_id,to_id\nP,SYS\n",
                  "id,supplier_id,system_ids,start_date,end_date,notice_period,renewal\n"
                  "C-1,S-US,SYS,2023-01-01,2024-12-31,3,automatic\n")
        c = next(c for c in candidates(g, assess(g), TODAY) if c.key == "replace:S-US")
        assert c.earliest == dt.date(2026, 9, 30)  # renewed for its two-year term on 2024-12-31


class TestRenewalWhilePlannedLater:
    """A step that capacity pushes past its contract's notice date must not be shown as if notice could still be
    given: an automatic renewal runs another term first, and the row says so."""

    CONTRACTS = ("id,supplier_id,system_ids,start_date,end_date,notice_period,renewal\n"
                 "C-A,S-A,SYS-A,2025-01-01,2025-12-31,3,{renewal}\n")

    def planned(self, renewal: str):
        g = graph("id,name,country\nS-A,Avendor,US\nS-B,Bvendor,US\n",
                  "id,name,supplier_id,data_export,exit_plan\n"
                  "SYS-A,App A,S-A,open-standard,yes\nSYS-B,App B,S-B,open-standard,yes\n",
                  "id,name,criticality\nP-A,Task A,vital\nP-B,Task B,vital\nP-C,Task C,vital\n",
                  "from_id,to_id\nP-A,SYS-A\nP-B,SYS-B\nP-C,SYS-B\n", self.CONTRACTS.format(renewal=renewal))
        out = plan(g, today=TODAY, capacity=3, until=2027)
        return {a["key"]: (p["period"], a) for p in out["phases"] for a in p["actions"]}

    def test_an_automatic_renewal_moves_the_notice_date_to_the_next_term_and_says_so(self):
        rows = self.planned("automatic")
        assert rows["replace:S-B"][0] == 2025  # two vital processes first: one replacement a year
        year, row = rows["replace:S-A"]
        assert year == 2026
        # notice by 2025-09-30 was missed: the contract renewed to 2026-12-31, notice by 2026-09-30
        assert row["earliest"] == "2026-09-30" and row["start"] == "2026-09-30"
        assert row["renews_first"] == [{"contract": "C-A", "notice_missed": "2025-09-30", "notice_by": "2026-09-30"}]

    def test_a_contract_that_does_not_renew_just_ends(self):
        year, row = self.planned("manual")["replace:S-A"]
        assert year == 2026 and "renews_first" not in row
        assert row["start"] == "2026-01-01"

    def test_the_cli_says_the_contract_renews_first(self, tmp_path):
        folder = tmp_path / "inv"
        folder.mkdir()
        (folder / "suppliers.csv").write_text("id,name,country\nS-A,Avendor,US\nS-B,Bvendor,US\n")
        (folder / "systems.csv").write_text("id,name,supplier_id,data_export,exit_plan\n"
                                            "SYS-A,App A,S-A,open-standard,yes\nSYS-B,App B,S-B,open-standard,yes\n")
        (folder / "processes.csv").write_text("id,name,criticality\nP-A,Task A,vital\nP-B,Task B,vital\n"
                                              "P-C,Task C,vital\n")
        (folder / "dependencies.csv").write_text("from_id,to_id\nP-A,SYS-A\nP-B,SYS-B\nP-C,SYS-B\n")
        (folder / "contracts.csv").write_text(self.CONTRACTS.format(renewal="automatic"))
        out = CliRunner().invoke(app, ["plan", str(folder), "--capacity", "3", "--today", "2025-01-01",
                                       "--until", "2027"])
        assert out.exit_code == 0, out.output
        line = next(x for x in out.output.splitlines() if "replace:S-A" in x)
        assert "C-A renews first (its notice date 2025-09-30 has passed by then)" in line
        assert "notice by 2026-09-30" in line


class TestCapacity:
    def test_one_action_a_year_spreads_the_actions_over_the_years(self):
        out = plan(independent(3, criticality="high"), today=TODAY, capacity=1, until=2028)
        counts = [len(p["actions"]) for p in out["phases"]]
        assert counts == [1, 1, 1, 0]
        keys = [a["key"] for p in out["phases"] for a in p["actions"]]
        assert sorted(keys) == ["exit:SYS-0", "exit:SYS-1", "exit:SYS-2"]  # the cheapest fixes, one a year

    def test_the_in_control_curve_never_decreases_and_risk_never_rises(self):
        out = plan(independent(5, export="proprietary"), today=TODAY, capacity=3, until=2029)
        curve = [out["in_control_before"][0]] + [p["in_control"][0] for p in out["phases"]]
        risks = [out["risk_before"]] + [p["risk_after"] for p in out["phases"]]
        assert curve == sorted(curve) and curve[-1] > curve[0]
        assert risks == sorted(risks, reverse=True) and risks[-1] < risks[0]

    def test_capacity_must_be_positive(self):
        with pytest.raises(ValueError, match="capacity must be above 0"):
            plan(independent(1), today=TODAY, capacity=0)


class TestGreedyAgainstExhaustive:
    @pytest.mark.parametrize("capacity", [1, 2, 3])
    def test_with_unit_efforts_greedy_removes_as_much_risk_as_the_best_choice(self, capacity):
        g = independent(4)
        pool = candidates(g, assess(g), TODAY, {"defaults": {"replace": 1, "exit": 1}})
        assert len(pool) <= 8
        out = plan(g, today=TODAY, capacity=capacity, until=2025, efforts={"defaults": {"replace": 1, "exit": 1}})
        removed = out["risk_before"] - out["phases"][0]["risk_after"]
        assert removed == exhaustive_best(g, pool, capacity)

    @pytest.mark.parametrize("capacity", [2, 3, 4, 5])
    def test_with_general_efforts_greedy_removes_at_least_half_of_the_best_choice(self, capacity):
        # Bound: greedy by risk per effort, or the best single action that fits when it removes more, removes at
        # least half of what the best set within the capacity removes when gains add up (here: independent systems).
        g = independent(4)
        efforts = {"defaults": {"replace": 3, "exit": 1}, "systems": {"SYS-0": 2}}
        pool = candidates(g, assess(g), TODAY, efforts)
        out = plan(g, today=TODAY, capacity=capacity, until=2025, efforts=efforts)
        removed = out["risk_before"] - out["phases"][0]["risk_after"]
        best = exhaustive_best(g, pool, capacity)
        assert best > 0 and removed >= best / 2

    def test_risk_counts_gaps_and_non_european_single_points_of_vital_processes(self):
        g = independent(1)
        result = assess(g)
        assert risk(result) == sum(x["severity"] for x in result["gaps"]) + 8  # P-0 is high: weight 8


class TestCommand:
    def test_plan_demo_fits_on_one_screen(self):
        result = CliRunner().invoke(app, ["plan", "--demo", "--today", "2026-11-29", "--until", "2028"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) <= 40 and lines[0].startswith("Roadmap from 2026-11-29")
        assert any(line.startswith("2028:") for line in lines)
        steps = [line for line in lines if line.startswith("    ")]  # each shown action says what it is in words
        assert steps and len(steps) == sum(line.startswith("  ") and not line.startswith("    ")
                                           and "..." not in line for line in lines)
        assert all(len(line) <= 104 for line in steps) and any(line.startswith("    Replace ") or
                                                               line.startswith("    Make ") for line in steps)

    def test_json_and_efforts_file(self, tmp_path, demo_path):
        efforts = tmp_path / "efforts.yaml"
        efforts.write_text("defaults: {replace: 2}\nsuppliers: {S-KYN: 9}\n", "utf-8")
        result = CliRunner().invoke(app, ["plan", str(demo_path), "--today", "2026-11-29", "--until", "2027",
                                          "--efforts", str(efforts), "--json"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout)
        assert [p["period"] for p in out["phases"]] == [2026, 2027]
        planned = [a for p in out["phases"] for a in p["actions"]] + out["not_scheduled"]
        assert next(a for a in planned if a["key"] == "replace:S-KYN")["effort"] == 9
        assert {a["effort"] for a in planned if a["kind"] == "replace" and a["key"] != "replace:S-KYN"} == {2}

    @pytest.mark.parametrize("content,message", [
        ("defaults: {rewrite: 2}\n", '"rewrite" is not a kind of action'),
        ("systems: {SYS-1: -1}\n", 'the effort of "SYS-1" must be a number above 0'),
        ("- a\n", "expected sections defaults, suppliers and systems"),
    ])
    def test_a_bad_efforts_file_is_a_usage_error(self, tmp_path, content, message):
        efforts = tmp_path / "efforts.yaml"
        efforts.write_text(content, "utf-8")
        result = CliRunner().invoke(app, ["plan", "--demo", "--efforts", str(efforts)])
        assert result.exit_code == 2 and message in result.output


def write_inventory(folder, n: int) -> None:
    """``n`` vital/high processes, each on its own system (exit plan and open export) from its own US supplier."""
    folder.mkdir()
    (folder / "suppliers.csv").write_text("id,name,country\n" + "".join(f"S-{i},Vendor {i},US\n" for i in range(n)))
    (folder / "systems.csv").write_text("id,name,supplier_id,data_export,exit_plan\n"
                                        + "".join(f"SYS-{i},App {i},S-{i},open-standard,yes\n" for i in range(n)))
    (folder / "processes.csv").write_text("id,name,criticality\n" + "".join(f"P-{i},Task {i},vital\n" for i in range(n)))
    (folder / "dependencies.csv").write_text("from_id,to_id\n" + "".join(f"P-{i},SYS-{i}\n" for i in range(n)))


class TestQuarters:
    def test_a_replacement_shows_in_the_quarter_its_notice_date_falls_in(self):
        g = graph("id,name,country\nS-US,Kynthos,US\n",
                  "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,open-standard,yes\n",
                  "id,name,criticality\nP,Post,vital\n", "from_id,to_id\nP,SYS\n",
                  "id,supplier_id,system_ids,start_date,end_date,notice_period,renewal\n"
                  "C-1,S-US,SYS,2023-02-01,2027-01-31,6 maanden,manual\n")
        out = plan(g, today=dt.date(2026, 2, 10), capacity=10, until=2026, per="quarter")
        assert [p["period"] for p in out["phases"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        assert [[a["key"] for a in p["actions"]] for p in out["phases"]] == [[], [], ["replace:S-US"], []]
        assert out["phases"][2]["actions"][0]["start"] == "2026-07-31"
        assert out["phases"][0]["start"] == "2026-02-10" and out["phases"][2]["end"] == "2026-09-30"
        # the risk and the processes in control change in the quarter of the action, not before
        assert out["phases"][1]["risk_after"] == out["risk_before"] > out["phases"][2]["risk_after"] == 0
        assert [p["in_control"][0] for p in out["phases"]] == [0, 0, 1, 1]

    def test_quarters_keep_the_years_choice(self):
        g = independent(4)
        yearly = plan(g, today=TODAY, capacity=3, until=2026)
        quarterly = plan(g, today=TODAY, capacity=3, until=2026, per="quarter")
        by_year = {y["period"]: sorted(a["key"] for a in y["actions"]) for y in yearly["phases"]}
        for year in by_year:
            assert sorted(a["key"] for q in quarterly["phases"] if q["period"].startswith(f"{year}-")
                          for a in q["actions"]) == by_year[year]
        assert quarterly["phases"][-1]["risk_after"] == yearly["phases"][-1]["risk_after"]

    def test_an_unknown_period_is_refused(self):
        with pytest.raises(ValueError, match='per must be "year" or "quarter"'):
            plan(independent(1), today=TODAY, per="month")


class TestBudgetAndLanguage:
    COSTS = "defaults: {replace: 120000, move: 80000, exit: 20000, contract_law: 15000}\n"

    def test_a_budget_counts_efforts_as_money(self, tmp_path):
        write_inventory(tmp_path / "inv", 3)
        (tmp_path / "costs.yaml").write_text(self.COSTS, "utf-8")
        args = ["plan", str(tmp_path / "inv"), "--today", "2026-01-01", "--until", "2028", "--budget", "150000",
                "--efforts", str(tmp_path / "costs.yaml")]
        out = json.loads(CliRunner().invoke(app, args + ["--json"]).stdout)
        assert out["unit"] == "money" and out["capacity"] == 150000
        assert [len(p["actions"]) for p in out["phases"]] == [1, 1, 1]  # one replacement of 120000 a year
        assert {a["effort"] for p in out["phases"] for a in p["actions"]} == {120000}
        text = CliRunner().invoke(app, args)
        assert text.exit_code == 0, text.output
        assert text.stdout.startswith("Roadmap from 2026-01-01, budget 150000 a year")
        assert "(cost 120000, removes " in text.stdout

    @pytest.mark.parametrize("extra,message", [
        (["--capacity", "3"], "Give either --capacity (effort a year) or --budget (money a year), not both."),
        ([], "--budget counts efforts as money: give an efforts file (--efforts) whose defaults give a cost for "
             "every kind of action (replace, move, exit, contract_law); missing: replace, move, exit, contract_law."),
    ])
    def test_a_budget_needs_costs_and_no_capacity(self, tmp_path, extra, message):
        write_inventory(tmp_path / "inv", 1)
        result = CliRunner().invoke(app, ["plan", str(tmp_path / "inv"), "--budget", "1000", *extra])
        assert result.exit_code == 2 and message in result.output

    def test_per_quarter_in_dutch(self, tmp_path):
        write_inventory(tmp_path / "inv", 2)
        result = CliRunner().invoke(app, ["plan", str(tmp_path / "inv"), "--today", "2026-05-01", "--until", "2026",
                                          "--per", "quarter", "--capacity", "3", "--lang", "nl", "--details"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0] == ("Routekaart vanaf 2026-05-01, inspanning 3 per jaar (alternatieven aangenomen in NL: "
                            "een planningsaanname)")
        assert [x.split(":")[0] for x in lines if x.startswith("2026-Q")] == ["2026-Q2", "2026-Q3", "2026-Q4"]
        assert any(x.startswith("  replace:S-") and "(inspanning 3, neemt " in x for x in lines)
        assert any(x.startswith("    Vervang leveranciersgroep S-") for x in lines)  # the step, in Dutch
        assert "Niet ingepland (1):" in lines and "removes" not in result.stdout
        assert "stap(pen) gepland over 3 kwarta(a)l(en) met inspanning 3 per jaar; 1 voor later." in result.output


class TestScopedGains:
    def test_re_assessing_only_the_affected_part_gives_the_whole_graphs_gain(self):
        """The planner re-assesses only the items an action may change, on the part of the graph they rest on;
        on the demo (every kind of contract, ownership chain and shared platform in it) each candidate's gain
        must equal a re-assessment of the whole graph."""
        from sovmap.graph.assessment import assessment_facts
        from sovmap.graph.roadmap import _gain, apply_action
        from sovmap.store import demo_files

        g = build_graph(load_files(demo_files())[0])
        result = assess(g)
        pool = candidates(g, result, dt.date(2026, 11, 29))
        assert {"replace", "exit", "move"} <= {c.kind for c in pool}
        for c in pool:
            h = apply_action(g, c)
            full = risk(result) - risk(assess(h, None, assessment_facts(h)))
            assert _gain(g, result, c, None, "NL")[0] == full, c.key

    def test_a_contracts_law_is_read_for_the_systems_it_covers(self):
        from sovmap.graph.roadmap import _gain

        g = graph("id,name,country\nS-EU,Noord,NL\n",
                  "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-EU,open-standard,yes\n"
                  "SYS-2,Agenda,S-EU,open-standard,yes\n",
                  "id,name,criticality\nP,Post,vital\nP-2,Raad,high\n", "from_id,to_id\nP,SYS\nP-2,SYS-2\n",
                  "id,supplier_id,system_ids,end_date,governing_law,court\nC-1,S-EU,SYS | SYS-2,2030-01-31,US,US\n")
        from sovmap.graph.policy import parse_policy

        policy, problems = parse_policy("requirements:\n  criticality:\n"
                                        "    vital: {legal: in_control, weight: 64}\n"
                                        "    high: {legal: in_control, weight: 16}\n")
        assert policy is not None, problems
        result = assess(g, policy)
        law = next(c for c in candidates(g, result, TODAY) if c.kind == "contract_law")
        got = _gain(g, result, law, policy, "NL")[0]
        assert got == risk(result) > 0  # the processes and systems of both covered systems lose their legal gap
