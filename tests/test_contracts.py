"""Contracts: the optional contracts file, its validation, the graph, and the clauses in the assessment."""

from __future__ import annotations

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
