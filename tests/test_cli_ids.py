"""Findable ids (issue 13): suppliers list, list --kind, ids in any case, names for --supplier, path mistakes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sovmap.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def stdout_json(result):
    return json.loads(result.stdout)


def _mini_with(tmp_path: Path, mini_path: Path, extra_supplier: str = "") -> Path:
    inv = tmp_path / "inv"
    shutil.copytree(mini_path, inv)
    if extra_supplier:
        with (inv / "suppliers.csv").open("a", encoding="utf-8") as f:
            f.write(extra_supplier + "\n")
    return inv


def test_suppliers_list_columns_unknown_ownership_and_vital_high(tmp_path, mini_path):
    inv = _mini_with(tmp_path, mini_path, "S-UNK,Onbekend Hosting B.V.,,,")
    result = run("suppliers", "list", inv, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in stdout_json(result)["suppliers"]}
    assert set(rows) == {"S-KYN", "S-KYN-IE", "S-NORD", "S-EU", "S-UNK"}
    assert rows["S-UNK"]["ownership_status"] == "unknown" and rows["S-UNK"]["country"] is None
    assert rows["S-UNK"]["vital_high_fail"] == 0 and rows["S-UNK"]["vital_high_processes"] == []
    assert rows["S-NORD"]["group"] == "S-KYN" and rows["S-KYN"]["country"] == "US"
    # the counts agree with impact: the vital/high processes that fail when S-KYN is cut
    impact = stdout_json(run("impact", inv, "--supplier", "S-KYN", "--json"))
    failed_vh = {r["id"] for r in impact["failed"] if r["kind"] == "process" and r.get("criticality") in ("vital", "high")}
    assert failed_vh and rows["S-KYN"]["vital_high_fail"] == len(failed_vh)
    text = run("suppliers", "list", inv)
    assert text.exit_code == 0
    header = text.stdout.splitlines()[0].split()
    assert header[:5] == ["id", "name", "country", "group", "ownership"]
    unk = next(line for line in text.stdout.splitlines() if line.startswith("S-UNK"))
    assert "unknown" in unk and "Onbekend Hosting B.V." in unk


def test_list_kind(mini_path):
    systems = run("list", mini_path, "--kind", "system", "--json")
    assert systems.exit_code == 0, systems.output
    items = {r["id"]: r for r in stdout_json(systems)["items"]}
    assert items["SYS-MAIL"]["name"] == "E-mail" and items["SYS-MAIL"]["provided_by"] == ["S-KYN"]
    assert items["SYS-MAIL"]["hosted_at"] == ["L-DUB"]
    processes = stdout_json(run("list", mini_path, "--kind", "process", "--json"))["items"]
    assert {"id": "P-WEB", "name": "Digitale dienstverlening", "criticality": "vital"} in processes
    text = run("list", mini_path, "--kind", "process")
    assert text.stdout.splitlines()[0].split() == ["id", "name", "criticality"]
    assert run("list", mini_path, "--kind", "nonsense").exit_code == 2


def _cut_ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [r["id"] for r in stdout_json(result)["cut"]]


def test_ids_case_insensitive(mini_path):
    exact = _cut_ids(run("impact", mini_path, "--supplier", "S-KYN", "--json"))
    assert _cut_ids(run("impact", mini_path, "--supplier", "s-kyn", "--json")) == exact
    assert _cut_ids(run("impact", mini_path, "--system", "sys-mail", "--json")) == ["SYS-MAIL"]
    assert _cut_ids(run("impact", mini_path, "--location", "l-dub", "--json")) == ["L-DUB"]
    sold = run("spof", mini_path, "--acquire", "s-eu=s-kyn", "--json")
    assert sold.exit_code == 0, sold.output
    assert stdout_json(sold)["whatif"]["acquisitions"] == ["s-eu=s-kyn"]


def test_name_accepted_for_supplier(mini_path):
    exact = _cut_ids(run("impact", mini_path, "--supplier", "S-EU", "--json"))
    assert _cut_ids(run("impact", mini_path, "--supplier", "Rijnstroom Software GmbH", "--json")) == exact
    assert _cut_ids(run("impact", mini_path, "--supplier", "rijnstroom", "--json")) == exact


def test_name_of_one_group_means_its_parent(mini_path):
    """"Kynthos" fits the group's parent and a subsidiary: the parent is taken, and a note says so and how to pick."""
    group = run("impact", mini_path, "--supplier", "Kynthos", "--json")
    assert group.exit_code == 0, group.output
    assert _cut_ids(group) == _cut_ids(run("impact", mini_path, "--supplier", "S-KYN", "--json"))
    assert 'fits S-KYN (Kynthos Cloud Inc.) and 1 company it owns (S-KYN-IE); taking their parent S-KYN' in group.output
    alone = run("impact", mini_path, "--supplier", "kynthos", "--only-entity", "--json")
    assert alone.exit_code == 0 and "S-KYN-IE" not in _cut_ids(alone) and "S-KYN" in _cut_ids(alone)
    assert "taking their parent" not in run("impact", mini_path, "--supplier", "S-KYN", "--json").output


def test_ambiguous_and_unknown_names(tmp_path, mini_path):
    inv = _mini_with(tmp_path, mini_path, "S-KYX,Kynthos Logistics B.V.,NL,,")  # a second, unrelated "Kynthos"
    amb = run("impact", inv, "--supplier", "Kynthos")
    assert amb.exit_code == 2
    assert "S-KYN (Kynthos Cloud Inc.)" in amb.output and "S-KYX (Kynthos Logistics B.V.)" in amb.output
    assert "Give one of these ids" in amb.output
    near = run("impact", mini_path, "--supplier", "Rijnstrom Software")
    assert near.exit_code == 2 and 'Did you mean "S-EU"' in near.output
    inside = run("impact", mini_path, "--supplier", "nstroom")  # inside a word: never taken as that supplier
    assert inside.exit_code == 2 and "is not a known supplier id or name" in inside.output
    assert run("impact", mini_path, "--supplier", "Ri").exit_code == 2  # too short to stand for a name
    typo = run("impact", mini_path, "--supplier", "s-kynn")
    assert typo.exit_code == 2 and 'Did you mean "S-KYN"?' in typo.output


def test_one_file_instead_of_folder(mini_path):
    for args in (("spof",), ("validate",), ("suppliers", "list"), ("list", "--kind", "system")):
        result = run(*args, mini_path / "systems.csv")
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, (args, result.output)
        assert "one file of an inventory" in lines[0] and lines[0].endswith(str(mini_path))


def test_no_missing_supplier_warning_for_unresolved_reference(tmp_path, mini_path):
    inv = _mini_with(tmp_path, mini_path)
    systems = inv / "systems.csv"
    rows = systems.read_text("utf-8").splitlines()
    rows.append("SYS-GHOST,Spook,saas,ORG-ZW,S-NOPE,,,proprietary,no,provider")
    rows.append("SYS-BARE,Kaal,saas,ORG-ZW,,,,proprietary,no,provider")
    systems.write_text("\n".join(rows) + "\n", "utf-8")
    result = run("validate", inv)
    assert result.exit_code == 1
    assert '"S-NOPE" is not a known id of a supplier' in result.output
    assert 'The system "SYS-GHOST" has no supplier' not in result.output
    assert 'The system "SYS-BARE" has no supplier' in result.output  # a truly empty row still warns


def test_catalogue_alias_resolves_a_supplier():
    import networkx as nx

    from sovmap.cli.ids import resolve_id
    from sovmap.ingest.catalogue import load_catalogue

    entry = next(e for e in load_catalogue() if e.aliases)
    g = nx.MultiDiGraph()
    g.add_node("S-1", kind="supplier", name="Our own spelling", catalogue_id=entry.id)
    g.add_node("S-2", kind="supplier", name="Another supplier")
    assert resolve_id(g, entry.aliases[-1].upper(), "supplier", by_name=True) == "S-1"
