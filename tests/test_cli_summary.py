"""Summary first: assess, impact, spof and rank fit on a screen by default; --details and --json keep everything."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.cli.common import load_graph
from sovmap.graph.concentration import reaching_members
from sovmap.graph.ownership import ownership_chain

SCREEN = 60


@lru_cache(maxsize=None)
def run(*args: str):
    r = CliRunner().invoke(app, [*args, "--demo"])
    assert r.exit_code == 0, r.output
    return r


def lines(*args: str) -> list[str]:
    return run(*args).stdout.splitlines()


def data(*args: str) -> dict:
    return json.loads(run(*args, "--json").stdout)


COMMANDS = [("assess",), ("impact", "--country", "US"), ("spof",), ("rank",)]


@pytest.mark.parametrize("args", COMMANDS)
def test_the_default_output_fits_on_one_screen(args):
    out = lines(*args)
    assert 0 < len(out) <= SCREEN, (args, len(out))
    assert "--details" in run(*args).stdout


@pytest.mark.parametrize("args", COMMANDS)
def test_the_details_are_longer_than_the_summary(args):
    assert len(lines(*args, "--details")) > len(lines(*args))


def test_assess_details_list_every_gap_of_the_json_in_order():
    gaps = data("assess")["gaps"]
    shown = re.findall(r"^\s*\d+\. (\S+) ", run("assess", "--details").stdout.split("\nGAPS (")[1], re.M)
    assert shown == [x["id"] for x in gaps]


def test_impact_details_list_every_failed_and_degraded_item_of_the_json():
    d = data("impact", "--country", "US")
    text = run("impact", "--country", "US", "--details").stdout
    fails, degraded = text.split("\nFAILS (")[1].split("\nDEGRADED (")
    ids = lambda part: re.findall(r"^    (\S+)", part, re.M)  # noqa: E731
    assert ids(fails) == [r["id"] for r in d["failed"]]
    assert ids(degraded) == [r["id"] for r in d["degraded"]]


def test_spof_details_list_every_process_and_group_of_the_json():
    d = data("spof")
    text = run("spof", "--details").stdout
    shown = [(m[0], m[1]) for m in re.findall(r"^(\S+) \[\w+\] .*$|^    (\S+) ", text, re.M)]
    expected = []
    for p in d["processes"]:
        expected.append((p["id"], ""))
        expected += [("", s["supplier_group"]) for s in p["single_points_of_failure"]]
    assert shown == expected


def test_rank_details_list_every_group_of_the_json():
    groups = [r["supplier_group"] for r in data("rank")["supplier_groups"]]
    shown = re.findall(r"^\s*\d+ (\S+) ", run("rank", "--details").stdout, re.M)
    assert shown == groups and len(groups) > len(re.findall(r"^\s*\d+ (\S+) ", run("rank").stdout, re.M))


def _blocks(text: str) -> list[str]:
    return re.split(r"\n\s*\d+\. \S+ ", text.split("\nGAPS (")[1])[1:]


def test_repeated_steps_and_reasons_within_an_item_are_printed_once():
    gaps = data("assess")["gaps"]
    assert any(len({s["text"] for s in x["steps"]}) < len(x["steps"]) for x in gaps)  # the demo has repeats
    blocks = _blocks(run("assess", "--details").stdout)
    assert len(blocks) == len(gaps)
    steps: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}
    for x, block in zip(gaps, blocks):
        steps.setdefault(x["id"], []).extend(re.findall(r"^\s+(?:do:)?\s+[-~] (.*)$", block, re.M))
        reasons.setdefault(x["id"], []).append(block)
    for item, shown in steps.items():
        expected = {s["text"] for x in gaps if x["id"] == item for s in x["steps"]}
        assert sorted(shown) == sorted(expected), item  # each step once per item, none lost
        text = "\n".join(reasons[item])
        for r in {r["text"] for x in gaps if x["id"] == item for r in x["reasons"] if r["tone"] != "good"}:
            assert text.count(r) == 1, (item, r)


def test_top_limits_the_summary_lists():
    assert "GAPS (" in run("assess", "--top", "3").stdout
    gap_lines = re.findall(r"^\s*\d+\. [PDS]", run("assess", "--top", "3").stdout.split("\nGAPS (")[1], re.M)
    assert len(gap_lines) == 3
    assert len(re.findall(r"^\s*\d+ \S+ ", run("rank", "--top", "4").stdout, re.M)) == 4
    failed_processes = [r["id"] for r in data("impact", "--country", "US")["failed"] if r["kind"] == "process"]
    out = run("impact", "--country", "US", "--top", "2").stdout
    assert f"{failed_processes[0]}, {failed_processes[1]}, and {len(failed_processes) - 2} more" in out
    assert failed_processes[2] not in out.split("FAILS")[1].split("Data sets")[0]
    assert len(re.findall(r"^  \S+ .*: \d+ process\(es\)$", run("spof", "--top", "3").stdout, re.M)) == 3


def test_kinds_keeps_only_those_kinds():
    d = data("impact", "--country", "US", "--kinds", "process,dataset")
    assert {r["kind"] for r in d["failed"]} == {"process", "dataset"}
    out = run("impact", "--country", "US", "--kinds", "process,dataset").stdout
    assert "Processes" in out and "Data sets" in out and "Systems" not in out and "Locations" not in out
    gaps = data("assess", "--kinds", "process")["gaps"]
    assert gaps and {x["kind"] for x in gaps} == {"process"}
    assert re.findall(r"^\s*\d+\. \S+ .*\[(\w+)", run("assess", "--kinds", "process").stdout.split("\nGAPS (")[1],
                      re.M) == ["process"] * 10


def test_an_unknown_kind_is_a_usage_error():
    r = CliRunner().invoke(app, ["impact", "--demo", "--country", "US", "--kinds", "proces"])
    assert r.exit_code == 2 and "proces is not a kind" in r.stderr


def test_only_non_european_keeps_only_non_european_groups():
    rows = data("rank", "--only", "non-european")["supplier_groups"]
    assert rows and all(r["european"] is False for r in rows)
    assert len(rows) < len(data("rank")["supplier_groups"])
    eu_column = re.findall(r"^\s*\d+ \S+ +\d+ +\d+ +\d+ +\d+ +\d+ +(\S+)", run("rank", "--only", "non-european").stdout, re.M)
    assert eu_column and set(eu_column) == {"NO"}
    procs = data("spof", "--only", "non-european")["processes"]
    assert all(s["european"] is False for p in procs for s in p["single_points_of_failure"])
    out = run("spof", "--only", "non-european").stdout
    assert "(European" not in out and "OWNERSHIP UNKNOWN" not in out and "NON-EUROPEAN" in out


def test_spof_groups_show_the_member_through_which_the_process_reaches_them():
    g = load_graph(None, demo=True)
    found = None
    for p in data("spof")["processes"]:
        for s in p["single_points_of_failure"]:
            used = reaching_members(g, p["id"], s["members"])
            if used and s["supplier_group"] not in used:
                found = p, s, used
                break
        if found:
            break
    assert found, "the demo has a group reached only through a subsidiary"
    p, s, used = found
    chain = ownership_chain(g, used[0])
    assert chain[-1] == s["supplier_group"] and len(chain) >= 2
    via = " → ".join(g.nodes[n]["name"] for n in chain[:-1])
    block = ("\n" + run("spof", "--details").stdout).split(f"\n{p['id']} [")[1].split("\nP-")[0]
    line = next(x for x in block.splitlines() if x.startswith(f"    {s['supplier_group']} "))
    assert f" via {via}" in line


@pytest.mark.parametrize("args, listing", [(("assess",), "\nGAPS ("), (("impact", "--country", "US"), "\nFAILS ("),
                                           (("spof",), "SUPPLIER GROUPS")])
def test_what_changes_after_a_sale_comes_first(args, listing):
    out = run(*args, "--acquire", "S-RIJN=US").stdout
    assert "WHAT IF S-RIJN=US" in out and listing in out
    assert out.index("WHAT IF") < out.index(listing)
