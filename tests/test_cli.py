"""The command line as a user meets it: exit codes, --json shapes, help texts and the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.ontology.vocab import vocabulary

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def commands():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_is_in_the_readme(name):
    result = run(name, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    assert f"sovmap {name}" in README, f"document `sovmap {name}` in README.md"


def test_readme_lists_every_file_column_and_dutch_alias():
    v = vocabulary()
    for k in v.file_kinds:
        assert f"`{k.files[0]}.csv` ({k.files[1]})" in README
        for c in k.columns:
            assert c.key in README and c.header("nl") in README, c.key
    for c in v.dependency_columns:
        assert f"{c.key} ({c.header('nl')})" in README


def test_validate_exit_codes(mini_path, tmp_path):
    assert run("validate", mini_path).exit_code == 0
    (tmp_path / "systems.csv").write_text("id,name,supplier_id\nSYS-1,Mail,S-GEEN\n", "utf-8")
    bad = run("validate", tmp_path)
    assert bad.exit_code == 1
    assert 'systems.csv line 2, column supplier_id: "S-GEEN" is not a known id of a supplier.' in bad.output


def test_validate_json_lists_problems_as_rows(tmp_path):
    (tmp_path / "processes.csv").write_text("id,name,criticality\nP-1,Proc,extreem\n", "utf-8")
    out = json.loads(run("validate", tmp_path, "--json").stdout)
    assert out["valid"] is False and out["errors"] == 1
    row = out["problems"][0]
    assert (row["file"], row["line"], row["column"], row["value"]) == ("processes.csv", 2, "criticality", "extreem")


def test_commands_refuse_an_invalid_inventory_with_status_1(tmp_path):
    (tmp_path / "systems.csv").write_text("id,name,supplier_id\nSYS-1,Mail,S-GEEN\n", "utf-8")
    for cmd in (["show"], ["spof"], ["rank"], ["impact", "--country", "US"], ["export"]):
        result = run(cmd[0], tmp_path, *cmd[1:])
        assert result.exit_code == 1, cmd
        assert "nothing was loaded" in result.output


def test_show_json(mini_path):
    out = json.loads(run("show", mini_path, "--json").stdout)
    assert out["counts"]["system"] == 4 and out["counts"]["supplier"] == 4
    chains = {c["supplier"]: [x["id"] for x in c["chain"]] for c in out["non_european_chains"]}
    assert chains["S-NORD"] == ["S-NORD", "S-KYN-IE", "S-KYN"]


def test_impact_json_shape_and_why_chain(mini_path):
    out = json.loads(run("impact", mini_path, "--supplier", "S-KYN", "--json").stdout)
    failed = {r["id"]: r for r in out["failed"]}
    assert failed["P-WEB"]["criticality"] == "vital" and failed["P-WEB"]["kind"] == "process"
    assert failed["P-WEB"]["why"] == ["P-WEB", "SYS-WEB", "SYS-DIGID", "L-NORD", "S-NORD"]
    assert [r["id"] for r in out["degraded"]] == ["P-MAIL"]
    only = json.loads(run("impact", mini_path, "--supplier", "S-KYN", "--only-entity", "--json").stdout)
    assert "P-WEB" not in {r["id"] for r in only["failed"]}


def test_impact_text_groups_processes_first(mini_path):
    out = run("impact", mini_path, "--country", "US", "--details").stdout
    assert out.index("Processes") < out.index("Systems") < out.index("Locations")
    assert "why: P-WEB → SYS-WEB → SYS-DIGID → L-NORD → S-NORD (owned by S-KYN, US)" in out


def test_usage_errors_exit_2(mini_path):
    assert run("impact", mini_path).exit_code == 2
    typo = run("impact", mini_path, "--supplier", "S-KYNN")
    assert typo.exit_code == 2 and 'Did you mean "S-KYN"?' in typo.output
    assert run("impact", mini_path, "--country", "Atlantis").exit_code == 2
    assert run("show").exit_code == 2


def test_spof_json_shape(mini_path):
    out = json.loads(run("spof", mini_path, "--json").stdout)
    web = next(p for p in out["processes"] if p["id"] == "P-WEB")
    groups = {s["supplier_group"]: s for s in web["single_points_of_failure"]}
    assert groups["S-KYN"]["european"] is False and groups["S-KYN"]["countries"] == ["IE", "NL", "US"]
    assert set(groups["S-KYN"]["members"]) == {"S-KYN", "S-KYN-IE", "S-NORD"}
    assert groups["S-EU"]["european"] is True


def test_rank_json(mini_path):
    rows = json.loads(run("rank", mini_path, "--json").stdout)["supplier_groups"]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows == sorted(rows, key=lambda r: -r["score"])


@pytest.mark.parametrize("fmt,marker", [("ttl", b"sov:System"), ("jsonld", b'"@id"'), ("graphml", b"<graphml"),
                                        ("gexf", b"<gexf")])
def test_export_formats(mini_path, tmp_path, fmt, marker):
    out = tmp_path / f"g.{fmt}"
    result = run("export", mini_path, "--format", fmt, "-o", out)
    assert result.exit_code == 0 and marker in out.read_bytes()


def test_demo_copies_the_inventory(tmp_path):
    target = tmp_path / "d"
    assert run("demo", "-o", target).exit_code == 0
    assert (target / "systems.csv").exists()
    assert (target / "flatlist" / "applicaties.xlsx").exists()  # the input of the README's convert example
    assert "scripts/" not in (target / "README.md").read_text("utf-8")  # no pointer to what the wheel lacks
    assert run("validate", target).exit_code == 0
    assert run("demo", "-o", target).exit_code == 2  # never overwrites
