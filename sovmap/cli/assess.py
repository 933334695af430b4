"""The `assess` command: geographic, legal and operational control per process, data set and system, and the gaps."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.assessment import ASSESSED_KINDS, actions, assess as assess_graph, assessment_facts, level_changes
from sovmap.graph.coverage import coverage, coverage_text
from sovmap.graph.csf import csf_scores
from sovmap.graph.levels import UNKNOWN, dimension_label, level_label, levels
from sovmap.graph.policy import Policy, default_policy, parse_policy
from sovmap.ingest.unmapped import read_note
from sovmap.ontology.vocab import vocabulary

from .common import (AcquireOpt, DemoOpt, JsonOpt, Neo4jOpt, PathArg, SourceOpt, apply_acquisitions, emit_json,
                     err, load_graph)
from .summary_text import SUMMARY_TOP, DetailsOpt, KindsOpt, details_hint, distinct, parse_kinds

__all__ = ["register"]

_SHORT = {"in_control": "in", "partial": "part", "not_in_control": "not", UNKNOWN: "?"}
_SHOWN_SOURCES = 3
_SHOWN_ACTIONS = 10


def _load_policy(path: Path | None) -> Policy:
    """The policy in ``path`` (or the default); problems are printed and end the command."""
    if path is None:
        return default_policy()
    if not path.is_file():
        err(f"{path}: no such policy file. Give a YAML file like the default policy (see `sovmap assess --help`).")
        raise typer.Exit(2)
    policy, problems = parse_policy(path.read_bytes(), path.name)
    if policy is None:
        for p in problems:
            err(f"ERROR   {p}")
        err(f"\n{path}: {len(problems)} problem(s) in the policy; nothing was assessed.")
        raise typer.Exit(1)
    return policy


def _kind_title(kind: str) -> str:
    label = vocabulary().kind(kind).label("en")
    return label + ("es" if label.endswith("s") else "s")


def _print_matrix(result: dict) -> None:
    dims = ("geographic", "legal", "operational")
    cols = [*levels(), UNKNOWN]
    width = 5 * len(cols)
    print((" " * 20 + "".join(f"{dimension_label(d):<{width + 3}}" for d in dims)).rstrip())
    print(f"{'':14}{'n':>5} " + "   ".join("".join(f"{_SHORT[c]:>5}" for c in cols) for _ in dims))
    for kind in ASSESSED_KINDS:
        rows = [i for i in result["items"] if i["kind"] == kind]
        counts = {d: Counter(i[d]["level"] for i in rows) for d in dims}
        cells = "   ".join("".join(f"{counts[d][c]:>5}" for c in cols) for d in dims)
        print(f"{_kind_title(kind):14}{len(rows):>5} {cells}")
    print("\n" + ", ".join(f"{_SHORT[c]} = {level_label(c)}" for c in cols)
          + ". Incomplete (some part unknown): "
          + ", ".join(f"{dimension_label(d)} {sum(not i[d]['complete'] for i in result['items'])}" for d in dims)
          + ".")


def _sources_text(sources: list[dict]) -> str:
    parts = [f"{s['id']} {s['attribute']} {s['value']}" for s in sources[:_SHOWN_SOURCES]]
    more = len(sources) - _SHOWN_SOURCES
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _print_actions(acts: list[dict]) -> None:
    shown = acts[:_SHOWN_ACTIONS]
    print(f"\nFIRST STEPS ({len(shown)} of {len(acts)} distinct steps), by the severity of the gaps they fix")
    for n, a in enumerate(shown, start=1):
        print(f"{n:>3}. {a['text']}")
        print(f"     part of the fix for {len(a['fixes'])} gap(s), severity {a['severity']}"
              + (f"; helps with {len(a['helps'])} more" if a["helps"] else ""))


def _print_gaps(gaps: list[dict], total: int) -> None:
    shown = f", the first {len(gaps)}" if len(gaps) < total else ""
    print(f"\nGAPS ({total}{shown}), most severe first.  - part of the fix   ~ helps (mitigation, interim, find out)")
    said: dict[str, dict[str, int]] = {}  # item id → reason or step text → the gap number it was printed under
    for n, x in enumerate(gaps, start=1):
        before = said.setdefault(x["id"], {})
        attrs = "; ".join(f"{a} {x[a]}" for a in ("criticality", "classification", "personal_data") if a in x)
        print(f"\n{n:>3}. {x['id']} {x['name']} [{x['kind']}{'; ' + attrs if attrs else ''}]")
        print(f"     {dimension_label(x['dimension'])}: requires {level_label(x['required'])}, "
              f"is {level_label(x['actual'])} (severity {x['severity']})")
        print(f"     required by: {_sources_text(x['required_by'])}")
        why = distinct((r["text"] for r in x["reasons"] if r["tone"] != "good"))
        steps = merged_steps(x["steps"])
        repeated = sorted({before[t] for t in [*why, *steps] if t in before})
        for i, text in enumerate(t for t in why if t not in before):
            print(f"     {'why:' if i == 0 else '':5} {text}")
        for i, (text, closes) in enumerate((t, c) for t, c in steps.items() if t not in before):
            print(f"     {'do:' if i == 0 else '':5} {'-' if closes else '~'} {text}")
        if repeated:
            print(f"     and the reasons and steps for this {x['kind']} given under gap "
                  + ", ".join(str(m) for m in repeated))
        for t in [*why, *steps]:
            before.setdefault(t, n)


def merged_steps(steps: list[dict]) -> dict[str, bool]:
    """One gap's steps, each text once, in order: text → whether it is part of the fix (any of its repeats is).

    >>> merged_steps([{"text": "a", "closes": False}, {"text": "b", "closes": True}, {"text": "a", "closes": True}])
    {'a': True, 'b': True}
    """
    out: dict[str, bool] = {}
    for s in steps:
        out[s["text"]] = out.get(s["text"], False) or bool(s["closes"])
    return out


def _print_gap_lines(gaps: list[dict], total: int) -> None:
    """The most severe gaps, one line each."""
    print(f"\nGAPS ({total}{f', the {len(gaps)} most severe' if len(gaps) < total else ''})")
    for n, x in enumerate(gaps, start=1):
        level = x.get("criticality") or x.get("classification")
        print(f"{n:>3}. {x['id']} {x['name']} [{x['kind']}{'; ' + level if level else ''}] "
              f"{dimension_label(x['dimension'])}: requires {level_label(x['required'])}, "
              f"is {level_label(x['actual'])} (severity {x['severity']})")


def _print_changes(acquire: list[str], changes: list[dict]) -> None:
    print(f"\nWHAT IF {', '.join(acquire)}: {len(changes)} level(s) change (the gaps below are after the sale)")
    for c in changes:
        gap = " (new gap)" if c["gap_after"] and not c["gap_before"] else ""
        print(f"    {c['id']} {c['name']} [{c['kind']}] {dimension_label(c['dimension'])}: "
              f"{level_label(c['before'])} -> {level_label(c['after'])}{gap}")


def _print_csf(csf: dict) -> None:
    fw = csf["framework"]
    qids = [q["id"] for q in csf["questions"]]
    print(f"\nEU {fw['name']} {fw['version']} ({fw['publisher']}, {fw['date']}): SEAL per question, "
          "0 (no sovereignty) to 4 (full digital sovereignty); ? = the inventory cannot tell.")
    print("  " + "; ".join(f"{q['id']} {q['title']}" for q in csf["questions"]))
    print(f"\n{'system':22}" + "".join(f"{q:>9}" for q in qids) + f"{'lowest':>8}  name")
    for row in csf["systems"]:
        seals = "".join(f"{'?' if row['scores'][q]['seal'] is None else row['scores'][q]['seal']:>9}" for q in qids)
        low = "?" if row["lowest_seal"] is None else row["lowest_seal"]
        print(f"{row['id']:22}{seals}{low:>8}  {row['name']}")
    print(f"\nSource: {fw['source']}")


def assess(
    path: PathArg = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="A policy YAML file with the required level per "
                                                "classification, personal data and criticality (default: the built-in "
                                                "policy).", show_default=False)] = None,
    gaps_only: Annotated[bool, typer.Option("--gaps-only", help="Show only the gaps, not the summary.")] = False,
    csf: Annotated[bool, typer.Option("--csf", help="Add per-system scores on the EU Cloud Sovereignty Framework's "
                                      "SEAL scale (version 1.2.1).")] = False,
    top: Annotated[int, typer.Option("--top", help=f"Show only the N most severe gaps (default: {SUMMARY_TOP} in the "
                                     "summary, all with --details or --json).")] = 0,
    details: DetailsOpt = False,
    kinds: KindsOpt = "",
    demo: DemoOpt = False,
    neo4j: Neo4jOpt = None,
    source: SourceOpt = None,
    acquire: AcquireOpt = [],
    json_: JsonOpt = False,
) -> None:
    """Are processes, data and systems geographically, legally and operationally in control? Gaps against the policy, with steps."""
    wanted = parse_kinds(kinds)
    pol = _load_policy(policy)
    today = load_graph(path, demo, neo4j, source)
    g = apply_acquisitions(today, acquire)
    facts = assessment_facts(g, pol)
    result = assess_graph(g, pol, facts)
    changes = level_changes(assess_graph(today, pol), result) if acquire else None
    if wanted is not None:
        result = {**result, "items": [i for i in result["items"] if i["kind"] in wanted],
                  "gaps": [x for x in result["gaps"] if x["kind"] in wanted]}
        changes = None if changes is None else [c for c in changes if c["kind"] in wanted]
    cov = coverage(g, read_note(path))
    total = len(result["gaps"])
    if not top and not (details or json_):
        top = SUMMARY_TOP
    gaps = result["gaps"][:top] if top else result["gaps"]
    if json_:
        out = {"gaps": gaps} if gaps_only else {"items": result["items"], "gaps": gaps, "actions": actions(result)}
        if csf:
            out["csf"] = csf_scores(g, facts)
        if changes is not None:
            out["whatif"] = {"acquisitions": acquire, "changes": changes}
        if not gaps_only:
            out["coverage"] = cov
        emit_json(out)
    else:
        if not gaps_only:
            print(f"Sovereignty assessment; policy: {pol.name}")
        if changes is not None:
            _print_changes(acquire, changes)
        if not gaps_only:
            print()
            _print_matrix(result)
            _print_actions(actions(result))
        if details:
            _print_gaps(gaps, total)
        else:
            _print_gap_lines(gaps, total)
        if csf:
            _print_csf(csf_scores(g, facts))
        if not details:
            print("\n" + details_hint("assess"))
    by_actual = Counter(x["actual"] for x in result["gaps"])
    err(f"{len(result['items'])} items assessed against {pol.name}: {total} gap(s)"
        + (" (" + ", ".join(f"{by_actual[lv]} {level_label(lv)}" for lv in [*levels(), UNKNOWN] if by_actual[lv]) + ")"
           if total else "") + ".")
    err(coverage_text(cov, "assess"))


def register(app: typer.Typer) -> None:
    app.command()(assess)
