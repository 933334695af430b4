"""Contracts: the optional contracts file, its validation, the graph, and the clauses in the assessment."""

from __future__ import annotations

import json

import pytest

from sovmap.graph.model import build_graph
from sovmap.graph.propagation import propagate
from sovmap.ingest.validate import load_files
from sovmap.ingest.write import inventory_tables

SUPPLIERS = b"id,name,country\nS-US,Kynthos,US\nS-NL,Rijnstad,NL\n"
SYSTEMS = b"id,name,supplier_id\nSYS-A,Mail,S-US\nSYS-B,Web,S-NL\n"
HEADER = ("id,supplier_id,system_ids,start_date,end_date,notice_period,renewal,change_of_control,data_return,"
          "governing_law,court,data_location,escrow\n")


def load(contracts: str, name: str = "contracts.csv"):
    return load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", SYSTEMS), (name, contracts.encode())])


def errors(problems) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


class TestContractsFile:
    def test_a_contract_loads_with_normalised_values(self):
        inv, problems = load(HEADER + "C-1,S-US,SYS-A | SYS-B,01-01-2024,2027-12-31,6 maanden,automatisch,ja,"
                                      "open formaat,Verenigde Staten,US,EER,nee\n")
        assert errors(problems) == []
        c = inv.nodes["C-1"]
        assert (c.kind, c.name) == ("contract", "C-1")  # no name column: named by its id
        assert c.attrs == {"start_date": "2024-01-01", "end_date": "2027-12-31", "notice_period": "6",
                           "renewal": "automatic", "change_of_control": "yes", "data_return": "open_format",
                           "governing_law": "US", "court": "US", "data_location": "EEA", "escrow": "no"}
        assert sorted((e.relation, e.target) for e in inv.edges if e.source == "C-1") == [
            ("contracted_from", "S-US"), ("covers", "SYS-A"), ("covers", "SYS-B")]

    def test_dutch_file_and_headers_are_accepted(self):
        inv, problems = load("id;naam;leverancier;systemen;einddatum;opzegtermijn;verlenging\n"
                             "C-1;Licentie mail;S-US;SYS-A;2027-12-31;1 jaar;handmatig\n", "Contracten.csv")
        assert errors(problems) == []
        assert inv.nodes["C-1"].name == "Licentie mail"
        assert inv.nodes["C-1"].attrs["notice_period"] == "12"
        assert inv.nodes["C-1"].attrs["renewal"] == "manual"

    def test_an_inventory_without_contracts_loads_unchanged(self):
        inv, problems = load_files([("suppliers.csv", SUPPLIERS), ("systems.csv", SYSTEMS)])
        assert errors(problems) == [] and not any(n.kind == "contract" for n in inv.nodes.values())

    @pytest.mark.parametrize("column,value,message", [
        ("start_date", "2024-13-01", 'line 2, column start_date: "2024-13-01" is not a date. Write the date as YYYY-MM-DD'),
        ("end_date", "eind 2027", 'line 2, column end_date: "eind 2027" is not a date.'),
        ("notice_period", "90 dagen", 'line 2, column notice_period: "90 dagen" is not a notice period in months'),
        ("renewal", "soms", '"soms" is not an accepted value. Accepted: automatic (automatisch) | manual (handmatig).'),
        ("change_of_control", "misschien", 'Accepted: yes (ja) | no (nee) | unknown (onbekend).'),
        ("data_return", "pdf", 'Accepted: open_format (open formaat) | proprietary (eigen formaat) | none (geen) | unknown (onbekend).'),
        ("governing_law", "Mars", 'column governing_law: "Mars" is not a known country.'),
        ("data_location", "Azië", 'column data_location: "Azië" is not a known country. Use the two-letter ISO code, e.g. NL, DE, US, IE, or EU / EEA.'),
        ("escrow", "deels", 'column escrow: "deels" is not an accepted value.'),
        ("supplier_id", "S-NX", 'column supplier_id: "S-NX" is not a known id of a supplier. Did you mean "S-NL"?'),
        ("system_ids", "SYS-A | SYS-C", 'column system_ids: "SYS-C" is not a known id of a system.'),
        ("system_ids", "S-NL", 'column system_ids: "S-NL" is not a known id of a system (S-NL is a supplier).'),
    ])
    def test_a_bad_cell_is_named_by_file_line_and_column(self, column, value, message):
        inv, problems = load(f"id,{column}\nC-1,{value}\n")
        assert inv is None
        found = errors(problems)
        assert len(found) == 1 and found[0].startswith("contracts.csv line 2, column") and message in found[0], found

    def test_end_before_start_is_an_error(self):
        inv, problems = load("id,start_date,end_date\nC-1,2026-01-01,2025-12-31\n")
        assert inv is None
        assert errors(problems) == ["contracts.csv line 2, column end_date: The end date 2025-12-31 is before the "
                                    "start date 2026-01-01. Check both dates; write them as YYYY-MM-DD."]

    def test_problems_name_the_column_as_the_file_writes_it(self):
        _, problems = load("id;einddatum\nC-1;morgen\n", "contracten.csv")
        assert errors(problems)[0].startswith('contracten.csv line 2, column einddatum: "morgen" is not a date.')


def contract_graph(contracts: str):
    inv, problems = load(contracts)
    assert errors(problems) == []
    return build_graph(inv)


class TestContractsInTheGraph:
    def test_a_contract_carries_no_failure(self):
        g = contract_graph("id,supplier_id,system_ids\nC-1,S-US,SYS-A | SYS-B\n")
        assert propagate(g, ["C-1"]).failed == []  # a contract ending breaks no system
        assert propagate(g, ["S-US"]).failed == ["SYS-A"]  # nor does the contract fail with its supplier
        assert propagate(g, ["SYS-B"]).failed == []

    def test_written_inventory_reads_back_the_same_contract(self):
        g = contract_graph(HEADER + "C-1,S-US,SYS-A | SYS-B,2024-01-01,2027-12-31,6,manual,yes,none,NL,NL,EU,unknown\n")
        tables = inventory_tables(g)
        rows = tables["contracts"]
        assert rows[0][:4] == ["id", "name", "supplier_id", "system_ids"]
        assert rows[1][:4] == ["C-1", "C-1", "S-US", "SYS-A | SYS-B"]
        assert not any("C-1" in row for row in tables["dependencies"])  # covers is written in its own column
        files = [(f"{name}.csv", "\n".join(",".join(r) for r in rows_).encode()) for name, rows_ in tables.items()]
        inv, problems = load_files(files)
        assert errors(problems) == []
        assert inv.nodes["C-1"].attrs == {k: v for k, v in g.nodes["C-1"].items() if k not in ("kind", "name")}


# --- clauses in the assessment --------------------------------------------------------------------

from sovmap.graph.assessment import assess, level_changes  # noqa: E402
from sovmap.graph.csf import csf_scores  # noqa: E402
from sovmap.graph.whatif import acquire  # noqa: E402


def graph(systems: str, contracts: str | None = None, suppliers: bytes = SUPPLIERS):
    files = [("suppliers.csv", suppliers), ("systems.csv", systems.encode()),
             ("processes.csv", b"id,name,criticality\nP,Payments,vital\n"),
             ("datasets.csv", b"id,name,classification\nD,Case files,confidential\n"),
             ("dependencies.csv", b"from_id,to_id\nP,SYS\nD,SYS\n")]
    if contracts is not None:
        files.append(("contracts.csv", contracts.encode()))
    inv, problems = load_files(files)
    assert errors(problems) == []
    return build_graph(inv)


def item(result: dict, node: str) -> dict:
    return next(i for i in result["items"] if i["id"] == node)


def codes(reasons: list[dict]) -> list[str]:
    return [r["code"] for r in reasons]


class TestChangeOfControl:
    SYSTEM = "id,name,supplier_id,data_export,exit_plan\nSYS,Hosting,S-NL,open-standard,no\n"
    CLAUSE = "id,supplier_id,system_ids,change_of_control\nC-12,S-NL,SYS,{}\n"

    def test_a_change_of_control_clause_changes_the_acquire_result_and_its_reasons(self):
        without = graph(self.SYSTEM)
        with_clause = graph(self.SYSTEM, self.CLAUSE.format("yes"))
        after_without = assess(acquire(without, "S-NL", "US"))
        after_with = assess(acquire(with_clause, "S-NL", "US"))
        assert item(after_without, "SYS")["operational"]["level"] == "not_in_control"
        op = item(after_with, "SYS")["operational"]
        assert op["level"] == "partial"
        clause = next(r for r in op["reasons"] if r["code"] == "op.change_of_control")
        assert clause["params"]["contracts"] == ["C-12"] and clause["params"]["systems"] == ["SYS"]
        assert "Contract C-12 lets you terminate on change of control" in clause["text"]
        changes = {(c["id"], c["dimension"]): c["after"] for c in level_changes(assess(with_clause), after_with)}
        assert changes[("P", "operational")] == "partial"
        changes = {(c["id"], c["dimension"]): c["after"] for c in level_changes(assess(without), after_without)}
        assert changes[("P", "operational")] == "not_in_control"

    def test_the_clause_counts_only_for_a_sale_not_for_an_owner_already_in_place(self):
        g = graph(self.SYSTEM.replace("S-NL", "S-US"), self.CLAUSE.format("yes").replace("S-NL", "S-US"))
        op = item(assess(g), "SYS")["operational"]
        assert op["level"] == "not_in_control" and "op.change_of_control" not in codes(op["reasons"])

    @pytest.mark.parametrize("answer", ["no", "unknown"])
    def test_no_or_unknown_clause_does_not_mitigate(self, answer):
        g = acquire(graph(self.SYSTEM, self.CLAUSE.format(answer)), "S-NL", "US")
        assert item(assess(g), "SYS")["operational"]["level"] == "not_in_control"

    def test_without_open_data_the_clause_alone_is_no_exit(self):
        system = self.SYSTEM.replace("open-standard", "proprietary")
        g = acquire(graph(system, self.CLAUSE.format("yes")), "S-NL", "US")
        op = item(assess(g), "SYS")["operational"]
        assert op["level"] == "not_in_control" and "op.change_of_control" in codes(op["reasons"])

    def test_a_clause_with_a_subsidiary_counts_when_its_parent_is_bought(self):
        suppliers = b"id,name,country,parent_id\nS-NL,Rijnstad,NL,\nS-NL-SUB,Rijnstad Zuid,NL,S-NL\n"
        g = graph(self.SYSTEM.replace("S-NL", "S-NL-SUB"), self.CLAUSE.format("yes").replace("S-NL", "S-NL-SUB"),
                  suppliers)
        assert item(assess(acquire(g, "S-NL", "US")), "SYS")["operational"]["level"] == "partial"


class TestDataReturn:
    SYSTEM = "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,proprietary,yes\n"

    def test_an_open_format_data_return_clause_raises_operational_control(self):
        assert item(assess(graph(self.SYSTEM)), "SYS")["operational"]["level"] == "not_in_control"
        g = graph(self.SYSTEM, "id,supplier_id,system_ids,data_return\nC-1,S-US,SYS,open formaat\n")
        op = item(assess(g), "SYS")["operational"]
        assert op["level"] == "partial"
        r = next(r for r in op["reasons"] if r["code"] == "op.contract_data_return")
        assert r["params"] == {"contracts": ["C-1"], "systems": ["SYS"]}

    @pytest.mark.parametrize("value", ["proprietary", "none", "unknown"])
    def test_other_data_return_values_do_not(self, value):
        g = graph(self.SYSTEM, f"id,supplier_id,system_ids,data_return\nC-1,S-US,SYS,{value}\n")
        assert item(assess(g), "SYS")["operational"]["level"] == "not_in_control"


class TestGoverningLaw:
    SYSTEM = "id,name,supplier_id\nSYS,Hosting,S-NL\n"

    def test_non_eu_governing_law_lowers_legal_control_with_a_reason_and_a_step(self):
        assert item(assess(graph(self.SYSTEM)), "SYS")["legal"]["level"] == "in_control"
        g = graph(self.SYSTEM, "id,supplier_id,system_ids,governing_law,court\nC-7,S-NL,SYS,US,NL\n")
        result = assess(g)
        legal = item(result, "SYS")["legal"]
        assert legal["level"] == "partial"
        r = next(r for r in legal["reasons"] if r["code"] == "legal.contract_foreign_law")
        assert r["params"] == {"contract": "C-7", "countries": ["US"], "systems": ["SYS"]}
        gap = next(x for x in result["gaps"] if x["id"] == "D" and x["dimension"] == "legal")
        assert [(s["code"], s["closes"]) for s in gap["steps"]] == [("contract_eu_law", True)]

    def test_a_foreign_court_counts_too(self):
        g = graph(self.SYSTEM, "id,system_ids,governing_law,court\nC-7,SYS,NL,GB\n")
        assert item(assess(g), "SYS")["legal"]["level"] == "partial"

    def test_eu_law_and_court_change_nothing(self):
        g = graph(self.SYSTEM, "id,system_ids,governing_law,court\nC-7,SYS,DE,NL\n")
        assert item(assess(g), "SYS")["legal"] == item(assess(graph(self.SYSTEM)), "SYS")["legal"]


class TestCsfFromContracts:
    def scores(self, systems: str, contracts: str | None = None, suppliers: bytes = SUPPLIERS) -> dict:
        out = csf_scores(graph(systems, contracts, suppliers))
        return next(r for r in out["systems"] if r["id"] == "SYS")["scores"]

    STUCK = "id,name,supplier_id,data_export,exit_plan\nSYS,Mail,S-US,proprietary,no\n"

    def test_resilience_rung_3_needs_a_contract_with_notice_and_data_or_escrow(self):
        assert self.scores(self.STUCK)["SOV-1.8"]["rungs"] == [1, 2]
        held = self.scores(self.STUCK, "id,system_ids,notice_period,escrow\nC-1,SYS,6,yes\n")
        assert (held["SOV-1.8"]["rungs"], held["SOV-1.8"]["seal"]) == ([3], 2)
        assert "C-1" in held["SOV-1.8"]["basis"]
        assert held["SOV-4.6"]["rungs"] == [3]
        no_notice = self.scores(self.STUCK, "id,system_ids,escrow\nC-1,SYS,yes\n")
        assert no_notice["SOV-1.8"]["rungs"] == [1, 2] and no_notice["SOV-4.6"]["rungs"] == [1]

    def test_extraterritorial_rungs_follow_the_contract_clauses(self):
        system = "id,name,supplier_id\nSYS,Mail,S-US\n"
        assert self.scores(system)["SOV-2.2"]["rungs"] == [1, 2]  # no contract: cannot narrow
        assert self.scores(system, "id,system_ids,governing_law,court\nC-1,SYS,US,US\n")["SOV-2.2"]["rungs"] == [1]
        assert self.scores(system, "id,system_ids,governing_law,court\nC-1,SYS,NL,NL\n")["SOV-2.2"]["rungs"] == [2]
        # EU law but a US party and no agreed data location: not an EU subsidiary with protections
        assert self.scores(system, "id,system_ids,governing_law,court,data_location\nC-1,SYS,NL,NL,EU\n"
                           )["SOV-2.2"]["rungs"] == [2]

    def test_eu_subsidiary_with_contractual_protections_is_rung_3(self):
        files = [("suppliers.csv", b"id,name,country,parent_id\nS-US,Kynthos,US,\nS-US-NL,Kynthos NL,NL,S-US\n"),
                 ("systems.csv", b"id,name,supplier_id\nSYS,Mail,S-US-NL\n"),
                 ("contracts.csv", b"id,system_ids,governing_law,court,data_location\nC-1,SYS,NL,NL,EU\n")]
        inv, problems = load_files(files)
        assert errors(problems) == []
        s = next(r for r in csf_scores(build_graph(inv))["systems"] if r["id"] == "SYS")["scores"]
        assert (s["SOV-2.2"]["rungs"], s["SOV-2.2"]["seal"]) == ([3], 2)


class TestDemo:
    def test_the_demo_has_contracts_for_most_systems_and_loads_clean(self, demo_path):
        from sovmap.ingest.validate import load as load_path

        inv, problems = load_path(demo_path)
        assert errors(problems) == []
        contracts_ = [n for n in inv.nodes.values() if n.kind == "contract"]
        systems = [n for n in inv.nodes.values() if n.kind == "system"]
        covered = {e.target for e in inv.edges if e.relation == "covers"}
        assert len(contracts_) >= 40 and len(covered) > len(systems) / 2
        assert all("2025" <= c.attrs["end_date"] <= "2030-12-31" for c in contracts_)

    def test_demo_acquire_shows_the_change_of_control_clause(self, demo_path):
        from typer.testing import CliRunner

        from sovmap.cli import app

        result = CliRunner().invoke(app, ["assess", str(demo_path), "--acquire", "S-VEENSTRA=US", "--json"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout)
        changes = {(c["id"], c["dimension"]): c["after"] for c in out["whatif"]["changes"]}
        assert changes[("SYS-SUBSIDIE", "operational")] == "partial"  # without the clause: not in control
        reasons = [r for i in out["items"] if i["id"] == "SYS-SUBSIDIE" for r in i["operational"]["reasons"]]
        assert any(r["code"] == "op.change_of_control" and "C-2025-VEENSTRA" in r["params"]["contracts"]
                   for r in reasons)


# --- importers ------------------------------------------------------------------------------------

class TestImporters:
    def test_flat_list_contract_columns_fill_contracts(self):
        from sovmap.ingest.flatlist import read_flatlist

        data = ("Applicatie;Leverancier;Contractnummer;Einddatum contract;Opzegtermijn;Verlenging;Overnameclausule;"
                "Teruglevering;Toepasselijk recht\r\n"
                "Zaaksysteem;Civiq B.V.;2022-001;31-12-2027;12 maanden;stilzwijgend;ja;open standaard;NL\r\n"
                "Burgerzaken;Civiq B.V.;2022-001;31-12-2027;12 maanden;stilzwijgend;ja;open standaard;NL\r\n"
                "Mail;Kynthos Inc.;;2026-06-30;3;nee;nee;geen;Verenigde Staten\r\n").encode()
        conv = read_flatlist("apps.csv", data, lang="nl")
        assert ("Einddatum contract", "contract_end") in conv.mapping and ("Opzegtermijn", "notice_period") in conv.mapping
        inv, problems = conv.load()
        assert errors(problems) == []
        shared = inv.nodes["C-2022-001"]
        assert shared.attrs == {"end_date": "2027-12-31", "notice_period": "12", "renewal": "automatic",
                                "change_of_control": "yes", "data_return": "open_format", "governing_law": "NL"}
        assert sorted((e.relation, e.target) for e in inv.edges if e.source == "C-2022-001") == [
            ("contracted_from", "S-CIVIQ"), ("covers", "SYS-BURGERZAKEN"), ("covers", "SYS-ZAAKSYSTEEM")]
        mail = next(n for n in inv.nodes.values() if n.kind == "contract" and n.name == "Contract Mail")
        assert (mail.attrs["renewal"], mail.attrs["governing_law"]) == ("manual", "US")

    def test_flat_list_bad_contract_cells_are_reported_with_their_line(self):
        from sovmap.ingest.flatlist import read_flatlist

        data = b"Applicatie;Einddatum contract;Opzegtermijn\r\nKaart;eind 2027;90 dagen\r\n"
        inv, problems = read_flatlist("apps.csv", data).load()
        assert inv is None
        assert [(p.line, p.column, p.value) for p in problems if p.severity == "error"] == [
            (2, "end_date", "eind 2027"), (2, "notice_period", "90 dagen")]

    def test_gemma_contracten_fill_contracts(self):
        import json as json_

        from sovmap.ingest.gemma import read_gemma

        doc = {"leveranciersorganisaties": [
            {"id": "o1", "naam": "Gemeente Voorbeeldstad", "type": "Gemeente"},
            {"id": "l1", "naam": "Centric Netherlands B.V.", "type": "Leverancier", "adres": {"land": "Nederland"}}],
            "voorzieningen": [{"id": "v1", "naam": "Key2Burgerzaken"}],
            "voorzieningaanbiedingen": [{"id": "a1", "type": ["(door)ontwikkeling"], "voorzieningId": "v1",
                                         "organisatieId": "l1"}],
            "gebruik": [{"id": "g1", "organisatieId": "o1", "voorzieningId": "v1", "status": "Actief"},
                        {"id": "g2", "organisatieId": "o1", "voorzieningId": "v1", "status": "Gepland"}],
            "contracten": [{"id": "k1", "contractnummer": "2023-17", "voorzieningGebruik": {"id": "g1"},
                            "voorzieningAanbod": {"id": "a1"}, "begindatum": "2023-01-01", "einddatum": "2027-12-31",
                            "opzegtermijn": 6, "stilzwijgendVerlengen": True, "changeOfControl": True,
                            "toepasselijkRecht": "NL"},
                           {"id": "k2", "voorzieningGebruik": {"id": "g2"}, "voorzieningAanbod": {"id": "a1"}}]}
        inv, problems = read_gemma([("catalogus.json", json_.dumps(doc).encode())]).load()
        assert errors(problems) == []
        contracts_ = [n for n in inv.nodes.values() if n.kind == "contract"]
        assert [(c.id, c.name) for c in contracts_] == [("C-2023-17", "2023-17")]  # k2's use was not imported
        assert contracts_[0].attrs == {"start_date": "2023-01-01", "end_date": "2027-12-31", "notice_period": "6",
                                       "renewal": "automatic", "change_of_control": "yes", "governing_law": "NL"}
        assert sorted((e.relation, e.target) for e in inv.edges if e.source == "C-2023-17") == [
            ("contracted_from", "S-CENTRIC-NETHERLANDS"), ("covers", "SYS-KEY2BURGERZAKEN")]
