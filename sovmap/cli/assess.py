"""The `assess` command: geographic, legal and operational control per process, data set and system, and the gaps."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.assessment import ASSESSED_KINDS, actions, assess as assess_graph, assessment_facts, level_changes
from sovmap.graph.coverage import coverage, coverage_text
from sovmap.graph.csf import csf_scores
from sovmap.graph.levels import UNKNOWN, dimension_label, level_label, levels, reason_text
from sovmap.graph.policy import Policy, default_policy, parse_policy
from sovmap.ingest.unmapped import read_note

from .common import (AcquireOpt, DemoOpt, JsonOpt, Neo4jOpt, PathArg, SourceOpt, apply_acquisitions, emit_json,
                     err, load_graph)
from sovmap.store.answers import SUMMARY_GAPS, assess_summary

from .stored import stored_answers
from .summary_text import SUMMARY_TOP, DetailsOpt, KindsOpt, distinct, parse_kinds
from .texts import TextLangOpt, column_label, kind_label, kinds_label, level_word, t

__all__ = ["register"]

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


def _short(level: str, lang: str) -> str:
    return t(f"assess.short.{level}", lang)


def _print_matrix(summary: dict, lang: str = "en") -> None:
    """The number of items at each level, per kind and dimension (``summary``: see :func:`assess_summary`)."""
    dims = ("geographic", "legal", "operational")
    cols = [*levels(), UNKNOWN]
    cell = max(5, *(len(_short(c, lang)) + 1 for c in cols))
    width = cell * len(cols)
    head = max(14, *(len(kinds_label(k, lang)) + 1 for k in ASSESSED_KINDS))
    print((" " * (head + 6) + "".join(f"{dimension_label(d, lang):<{width + 3}}" for d in dims)).rstrip())
    print(f"{'':{head}}{'n':>5} " + "   ".join("".join(f"{_short(c, lang):>{cell}}" for c in cols) for _ in dims))
    for kind in ASSESSED_KINDS:
        row = summary["matrix"].get(kind, {"n": 0, **{d: {} for d in dims}})
        cells = "   ".join("".join(f"{row[d].get(c, 0):>{cell}}" for c in cols) for d in dims)
        print(f"{kinds_label(kind, lang).lower():{head}}{row['n']:>5} {cells}")
    print("\n" + ", ".join(f"{_short(c, lang)} = {level_label(c, lang)}" for c in cols)
          + f". {t('assess.incomplete', lang)}: "
          + ", ".join(f"{dimension_label(d, lang)} {summary['incomplete'][d]}" for d in dims)
          + ".")


def _sources_text(sources: list[dict], lang: str = "en") -> str:
    parts = [f"{s['id']} {_attribute(s['attribute'], lang)} {_value(s['attribute'], s['value'], lang)}"
             for s in sources[:_SHOWN_SOURCES]]
    more = len(sources) - _SHOWN_SOURCES
    return "; ".join(parts) + ("; " + t("and_more", lang, n=more) if more > 0 else "")


def _attribute(attribute: str, lang: str) -> str:
    """A level column as the inventory names it in English; in Dutch the ontology's label."""
    if lang == "en":
        return attribute
    return column_label("process" if attribute == "criticality" else "dataset", attribute, lang)


def _value(attribute: str, value, lang: str) -> str:
    return str(value) if lang == "en" else level_word(attribute, value, lang)


def _text(item: dict, lang: str) -> str:
    """A reason's or step's text in ``lang`` (rendered again from its code where it has one)."""
    return reason_text(item, lang) if lang != "en" and "code" in item else item["text"]


def _print_actions(acts: list[dict], total: int, lang: str = "en") -> None:
    shown = acts[:_SHOWN_ACTIONS]
    print("\n" + t("assess.steps", lang, shown=len(shown), total=total))
    for n, a in enumerate(shown, start=1):
        print(f"{n:>3}. {_text(a, lang)}")
        print("     " + t("assess.step_fixes", lang, n=len(a["fixes"]), severity=a["severity"])
              + (t("assess.step_helps", lang, n=len(a["helps"])) if a["helps"] else ""))


def _attrs(x: dict, lang: str) -> str:
    """The kind of a gap's item and its levels, labelled: "process; criticality vital"."""
    return "; ".join([kind_label(x["kind"], lang).lower() if lang != "en" else x["kind"],
                      *(f"{_attribute(a, lang)} {_value(a, x[a], lang)}"
                        for a in ("criticality", "classification", "personal_data") if a in x)])


def _print_gaps(gaps: list[dict], total: int, lang: str = "en") -> None:
    shown = t("assess.gaps_first", lang, n=len(gaps)) if len(gaps) < total else ""
    print("\n" + t("assess.gaps", lang, total=total, shown=shown) + t("assess.gaps_legend", lang))
    said: dict[str, dict[str, int]] = {}  # item id → reason or step text → the gap number it was printed under
    for n, x in enumerate(gaps, start=1):
        before = said.setdefault(x["id"], {})
        print(f"\n{n:>3}. {x['id']} {x['name']} [{_attrs(x, lang)}]")
        print("     " + _requires(x, lang))
        print(f"     {t('assess.required_by', lang)}: {_sources_text(x['required_by'], lang)}")
        why = distinct((_text(r, lang) for r in x["reasons"] if r["tone"] != "good"))
        steps = merged_steps([{**s, "text": _text(s, lang)} for s in x["steps"]])
        repeated = sorted({before[w] for w in [*why, *steps] if w in before})
        pad = max(5, len(t("assess.why", lang)), len(t("assess.do", lang)))
        for i, text in enumerate(w for w in why if w not in before):
            print(f"     {t('assess.why', lang) if i == 0 else '':{pad}} {text}")
        for i, (text, closes) in enumerate((w, c) for w, c in steps.items() if w not in before):
            print(f"     {t('assess.do', lang) if i == 0 else '':{pad}} {'-' if closes else '~'} {text}")
        if repeated:
            print("     " + t("assess.repeated", lang, kind=x["kind"], gaps=", ".join(str(m) for m in repeated)))
        for w in [*why, *steps]:
            before.setdefault(w, n)


def _requires(x: dict, lang: str) -> str:
    return t("assess.requires", lang, dimension=dimension_label(x["dimension"], lang),
             required=level_label(x["required"], lang), actual=level_label(x["actual"], lang), severity=x["severity"])


def merged_steps(steps: list[dict]) -> dict[str, bool]:
    """One gap's steps, each text once, in order: text → whether it is part of the fix (any of its repeats is).

    >>> merged_steps([{"text": "a", "closes": False}, {"text": "b", "closes": True}, {"text": "a", "closes": True}])
    {'a': True, 'b': True}
    """
    out: dict[str, bool] = {}
    for s in steps:
        out[s["text"]] = out.get(s["text"], False) or bool(s["closes"])
    return out


def _print_gap_lines(gaps: list[dict], total: int, lang: str = "en") -> None:
    """The most severe gaps, one line each."""
    print("\n" + t("assess.gaps", lang, total=total,
                   shown=t("assess.gaps_most", lang, n=len(gaps)) if len(gaps) < total else ""))
    for n, x in enumerate(gaps, start=1):
        level = level_word(None, x.get("criticality") or x.get("classification"), lang)
        kind = kind_label(x["kind"], lang).lower() if lang != "en" else x["kind"]
        print(f"{n:>3}. {x['id']} {x['name']} [{kind}{'; ' + level if level else ''}] " + _requires(x, lang))


def _print_changes(acquire: list[str], changes: list[dict], lang: str = "en") -> None:
    print("\n" + t("assess.whatif", lang, acquire=", ".join(acquire), n=len(changes)))
    for c in changes:
        gap = t("assess.new_gap", lang) if c["gap_after"] and not c["gap_before"] else ""
        kind = kind_label(c["kind"], lang).lower() if lang != "en" else c["kind"]
        print(f"    {c['id']} {c['name']} [{kind}] {dimension_label(c['dimension'], lang)}: "
              f"{level_label(c['before'], lang)} -> {level_label(c['after'], lang)}{gap}")


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
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Are processes, data and systems geographically, legally and operationally in control? Gaps against the policy, with steps."""
    lang = getattr(lang, "value", lang)
    wanted = parse_kinds(kinds)
    pol = _load_policy(policy)
    # The summary is stored; --details, --json and --kinds show more of it, --csf the facts behind it.
    stored = (None if path or demo or csf or details or json_ or kinds or top > SUMMARY_GAPS
              else stored_answers(neo4j, source, policy, acquire, "assess", "coverage"))
    if stored:
        summary, cov = stored
        total, top = summary["gaps_total"], top or SUMMARY_TOP
        if not gaps_only:
            print(t("assess.title", lang, policy=pol.name) + "\n")
            _print_matrix(summary, lang)
            _print_actions(summary["actions"], summary["actions_total"], lang)
        _print_gap_lines(summary["gaps"][:top], total, lang)
        print("\n" + t("details_hint", lang, command="assess"))
        _print_done(summary["items"], total, summary["by_actual"], pol, cov, lang)
        return
    today = load_graph(path, demo, neo4j, source)
    g = apply_acquisitions(today, acquire)
    facts = assessment_facts(g, pol)
    result = assess_graph(g, pol, facts, texts=details or json_)  # the summary shows no reason texts
    cov = coverage(g, read_note(path))
    changes = level_changes(assess_graph(today, pol, texts=False), result) if acquire else None
    if wanted is not None:
        result = {**result, "items": [i for i in result["items"] if i["kind"] in wanted],
                  "gaps": [x for x in result["gaps"] if x["kind"] in wanted]}
        changes = None if changes is None else [c for c in changes if c["kind"] in wanted]
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
            print(t("assess.title", lang, policy=pol.name))
        if changes is not None:
            _print_changes(acquire, changes, lang)
        if not gaps_only:
            print()
            _print_matrix(assess_summary(result, 0, 0), lang)
            acts = actions(result)
            _print_actions(acts, len(acts), lang)
        if details:
            _print_gaps(gaps, total, lang)
        else:
            _print_gap_lines(gaps, total, lang)
        if csf:
            _print_csf(csf_scores(g, facts))
        if not details:
            print("\n" + t("details_hint", lang, command="assess"))
    _print_done(len(result["items"]), total, Counter(x["actual"] for x in result["gaps"]), pol, cov, lang)


def _print_done(n: int, total: int, by_actual: dict, pol: Policy, cov: dict, lang: str) -> None:
    """The summary line on standard error: items assessed, gaps per actual level, coverage."""
    err(t("assess.done", lang, n=n, policy=pol.name, total=total)
        + (" (" + ", ".join(f"{by_actual.get(lv, 0)} {level_label(lv, lang)}" for lv in [*levels(), UNKNOWN]
                            if by_actual.get(lv, 0)) + ")" if total else "") + ".")
    err(coverage_text(cov, "assess", lang))


def register(app: typer.Typer) -> None:
    app.command()(assess)
