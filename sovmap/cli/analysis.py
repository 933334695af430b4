"""Commands that answer "what breaks if...": impact, spof, rank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.concentration import blast_radius, rank_supplier_groups, reaching_members, single_points_of_failure
from sovmap.graph.coverage import coverage, coverage_text, left_out, left_out_text
from sovmap.graph.errors import SovmapError
from sovmap.graph.impact import impact as impact_of
from sovmap.graph.ownership import ownership_chain
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.unmapped import read_note

from .assess import _load_policy
from .ids import resolve_ids
from .common import AcquireOpt, DemoOpt, apply_acquisitions, JsonOpt, Neo4jOpt, PathArg, SourceOpt, emit_json, err, load_graph
from .summary_text import (SUMMARY_TOP, DetailsOpt, KindsOpt, OnlyOpt, check_only, counts_text, details_hint,
                           parse_kinds)

__all__ = ["register"]

_EU_SHORT = {True: "yes", False: "NO", None: "?"}
ReachOpt = Annotated[Path | None, typer.Option("--policy", help="A policy YAML file whose reach section says whose law "
                                               "reaches a supplier: headquarters, listing, owners, co-owners from which "
                                               "share (default: the built-in policy; see docs/ownership.md).",
                                               show_default=False)]
KIND_TITLES = {"process": "Processes", "dataset": "Data sets", "system": "Systems", "location": "Locations",
               "supplier": "Suppliers", "organisation": "Organisations"}


def _european_word(european: bool | None) -> str:
    return {True: "European", False: "NON-EUROPEAN", None: "OWNERSHIP UNKNOWN"}[european]


def _level(row: dict) -> str:
    return row.get("criticality") or row.get("classification") or ""


_LEVELS = ("vital", "high", "medium", "low", "secret", "confidential", "internal", "public")


def _print_summary(title: str, rows: list[dict], top: int) -> None:
    """Counts per kind and level, then the first ``top`` items of each kind (most critical first)."""
    print(f"\n{title.upper()} ({len(rows)})")
    for kind in KIND_TITLES:
        of_kind = [r for r in rows if r["kind"] == kind]
        if not of_kind:
            continue
        levels = counts_text([_level(r) or None for r in of_kind], _LEVELS) if any(_level(r) for r in of_kind) else ""
        print(f"  {KIND_TITLES[kind]} {len(of_kind)}" + (f" ({levels})" if levels else ""))
        shown = of_kind[:top]
        print("    " + ", ".join(r["id"] for r in shown) + (f", and {len(of_kind) - len(shown)} more"
                                                           if len(of_kind) > len(shown) else ""))


def _via(g, process: str, spof: dict) -> str:
    """" via A → B" naming the group's members through which ``process`` reaches it (empty when only the root)."""
    root = spof["supplier_group"]
    paths = []
    for m in reaching_members(g, process, spof["members"]):
        if m == root:
            continue
        chain = ownership_chain(g, m)
        chain = chain[:chain.index(root)] if root in chain else chain
        paths.append(" → ".join(g.nodes[n].get("name") or n for n in chain))
    return f" via {'; '.join(paths)}" if paths else ""


def _print_items(title: str, rows: list[dict]) -> None:
    print(f"\n{title.upper()} ({len(rows)})")
    kind = None
    for r in rows:
        if r["kind"] != kind:
            kind = r["kind"]
            print(f"  {KIND_TITLES.get(kind, kind)}")
        level = f" [{_level(r)}]" if _level(r) else ""
        print(f"    {r['id']}{level} {r['name']}")
        print(f"        why: {r['why_text']}")


def impact(
    path: PathArg = None,
    supplier: Annotated[list[str], typer.Option("--supplier", "-s", help="Supplier id or name to cut (repeatable). Its subsidiaries are cut too.")] = [],
    only_entity: Annotated[bool, typer.Option("--only-entity", help="Cut only the named suppliers, not what they own.")] = False,
    country: Annotated[list[str], typer.Option("--country", "-c", help="Cut every supplier within this country's legal reach (repeatable), e.g. US.")] = [],
    location: Annotated[list[str], typer.Option("--location", "-l", help="Location id to cut (repeatable).")] = [],
    system: Annotated[list[str], typer.Option("--system", help="System id to cut (repeatable).")] = [],
    demo: DemoOpt = False,
    neo4j: Neo4jOpt = None,
    source: SourceOpt = None,
    acquire: AcquireOpt = [],
    policy: ReachOpt = None,
    full_chains: Annotated[bool, typer.Option("--full-chains", help="Give every why-chain in full; by default a long "
                                              "chain shows its first and last 3 steps and how many lie between.")] = False,
    details: DetailsOpt = False,
    top: Annotated[int, typer.Option("--top", help=f"In the summary, show the first N items of each kind (default {SUMMARY_TOP}).")] = 0,
    kinds: KindsOpt = "",
    json_: JsonOpt = False,
) -> None:
    """What breaks if a supplier, a country's legal reach, a location or a system cuts access."""
    sc = Scenario(suppliers=supplier, countries=country, locations=location, systems=system,
                  include_subsidiaries=not only_entity)
    if not (supplier or country or location or system):
        err("Say what to cut: --supplier ID, --country CC, --location ID or --system ID.")
        raise typer.Exit(2)
    wanted = parse_kinds(kinds)
    reach = _load_policy(policy).reach
    today = load_graph(path, demo, neo4j, source)
    g = apply_acquisitions(today, acquire)
    try:
        sc = Scenario(suppliers=resolve_ids(today, supplier, "supplier", by_name=True), countries=country,
                      locations=resolve_ids(today, location, "location"), systems=resolve_ids(today, system, "system"),
                      include_subsidiaries=not only_entity)
        result = impact_of(g, sc, reach, full_chains=full_chains)
        if acquire:
            before = {r["id"] for r in impact_of(today, Scenario(**vars(sc)), reach)["failed"]}
            after = {r["id"] for r in result["failed"]}
            result["whatif"] = {"acquisitions": acquire, "newly_failed": sorted(after - before),
                                "no_longer_failed": sorted(before - after)}
    except SovmapError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    if wanted is not None:
        for key in ("failed", "degraded"):
            result[key] = [r for r in result[key] if r["kind"] in wanted]
    cov = coverage(g, read_note(path))
    if json_:
        emit_json({**result, "coverage": cov})
    else:
        print(f"Scenario: cut {result['scenario']}")
        if acquire:
            w = result["whatif"]
            print(f"\nWHAT IF {', '.join(acquire)}: {len(w['newly_failed'])} more fail"
                  + (": " + ", ".join(w["newly_failed"]) if w["newly_failed"] else "")
                  + (f"; {len(w['no_longer_failed'])} no longer fail" if w["no_longer_failed"] else ""))
        if details:
            print("Cut: " + ", ".join(r["id"] for r in result["cut"]))
            _print_items("Fails (stops working)", result["failed"])
            _print_items("Degraded (still works, lost alternatives)", result["degraded"])
        else:
            cut = result["cut"]
            print(f"Cut: {len(cut)} supplier(s), location(s) or system(s): "
                  + ", ".join(r["id"] for r in cut[:top or SUMMARY_TOP])
                  + (f", and {len(cut) - (top or SUMMARY_TOP)} more" if len(cut) > (top or SUMMARY_TOP) else ""))
            _print_summary("Fails (stops working)", result["failed"], top or SUMMARY_TOP)
            _print_summary("Degraded (still works, lost alternatives)", result["degraded"], top or SUMMARY_TOP)
            print("\n" + details_hint("impact"))
    err(f"{len(result['failed'])} failed, {len(result['degraded'])} degraded.")
    err(coverage_text(cov, "impact"))


def spof(
    path: PathArg = None,
    all_levels: Annotated[bool, typer.Option("--all", help="Include processes of every criticality and those without "
                                             "one (marked [no criticality]), not only vital and high.")] = False,
    demo: DemoOpt = False,
    neo4j: Neo4jOpt = None,
    source: SourceOpt = None,
    acquire: AcquireOpt = [],
    policy: ReachOpt = None,
    details: DetailsOpt = False,
    top: Annotated[int, typer.Option("--top", help=f"In the summary, show the first N processes and groups (default {SUMMARY_TOP}).")] = 0,
    only: OnlyOpt = "",
    json_: JsonOpt = False,
) -> None:
    """Single points of failure: for each vital or high process, the supplier groups whose cut alone breaks it."""
    non_eu_only = check_only(only)
    reach = _load_policy(policy).reach
    today = load_graph(path, demo, neo4j, source)
    g = apply_acquisitions(today, acquire)
    levels = ("vital", "high", "medium", "low", None) if all_levels else ("vital", "high")
    analysis = "spof --all" if all_levels else "spof"
    rows = single_points_of_failure(g, levels, policy=reach)
    whatif = None
    if acquire:
        def non_eu(rs):
            return {p["id"]: {s["supplier_group"] for s in p["single_points_of_failure"] if s["european"] is False}
                    for p in rs}
        before, after = non_eu(single_points_of_failure(today, levels, policy=reach)), non_eu(rows)
        whatif = {"acquisitions": acquire,
                  "new_non_european_spof": {p: sorted(after[p] - before.get(p, set()))
                                            for p in after if after[p] - before.get(p, set())}}
    all_rows = rows
    if non_eu_only:
        rows = [{**p, "single_points_of_failure": [s for s in p["single_points_of_failure"] if s["european"] is False]}
                for p in rows]
    cov = coverage(g, read_note(path))
    if json_:
        emit_json({"processes": rows, **({"whatif": whatif} if whatif else {}), "left_out": left_out(cov, analysis),
                   "coverage": cov})
    else:
        if whatif:
            changed = whatif["new_non_european_spof"]
            print(f"WHAT IF {', '.join(acquire)}: {len(changed)} process(es) get a new non-European single point of failure")
            for p, groups in changed.items():
                print(f"    {p}: {', '.join(groups)}")
            print()
        note = left_out_text(cov, analysis)
        if details:
            _print_spof_details(g, rows)
            if note:
                print("\n" + note)
        else:
            _print_spof_summary(rows, top or SUMMARY_TOP, non_eu_only, all_levels, note)
    rows = all_rows
    n = sum(bool(p["single_points_of_failure"]) for p in rows)
    ne = sum(any(s["european"] is False for s in p["single_points_of_failure"]) for p in rows)
    nu = sum(any(s["european"] is None for s in p["single_points_of_failure"]) for p in rows)
    err(f"{n} of {len(rows)} {'' if all_levels else 'vital/high '}processes have a single point of failure; "
        f"{ne} a non-European one"
        + (f"; {nu} one of unknown ownership (not counted as European)." if nu else "."))
    err(coverage_text(cov, analysis))


def _print_spof_details(g, rows: list[dict]) -> None:
    for p in rows:
        spofs = p["single_points_of_failure"]
        print(f"{p['id']} [{_crit(p)}] {p['name']}: "
              + ("no single supplier group" if not spofs else f"{len(spofs)} single point(s) of failure"))
        for s in spofs:
            where = _european_word(s["european"])
            print(f"    {s['supplier_group']} {s['name']} ({where}: {', '.join(s['countries']) or '?'})"
                  + _via(g, p["id"], s))
            if s["european"] is not True:
                print(f"        why: {s['european_reason']}")


def _crit(p: dict) -> str:
    """A process's criticality ("high, derived" when an importer derived it), or "no criticality" (spof --all)."""
    if not p["criticality"]:
        return "no criticality"
    return p["criticality"] + (", derived" if p.get("criticality_source") else "")


def _print_spof_summary(rows: list[dict], top: int, non_eu_only: bool, all_levels: bool = False,
                        note: str = "") -> None:
    what = "non-European single point(s) of failure" if non_eu_only else "single point(s) of failure"
    hit = [p for p in rows if p["single_points_of_failure"]]
    levels = counts_text([p["criticality"] or "no criticality" for p in rows], [*_LEVELS, "no criticality"])
    print(f"{len(hit)} of {len(rows)} {'' if all_levels else 'vital/high '}processes"
          + (f" ({levels})" if rows else "") + f" have {what}.")
    if note:
        print(note)
    groups: dict[str, dict] = {}
    procs: dict[str, list[str]] = {}
    for p in rows:
        for s in p["single_points_of_failure"]:
            groups.setdefault(s["supplier_group"], s)
            procs.setdefault(s["supplier_group"], []).append(p["id"])
    order = sorted(groups, key=lambda k: (-len(procs[k]), k))
    print(f"\nSUPPLIER GROUPS that alone break the most processes ({len(order)} groups)")
    for k in order[:top]:
        s = groups[k]
        print(f"  {k} {s['name']} ({_european_word(s['european'])}: {', '.join(s['countries']) or '?'}): "
              f"{len(procs[k])} process(es)")
    if len(order) > top:
        print(f"  and {len(order) - top} more")
    worst = sorted(hit, key=lambda p: -sum(s["european"] is not True for s in p["single_points_of_failure"]))
    print("\nPROCESSES with the most single points of failure not known to be European")
    for p in worst[:top]:
        spofs = p["single_points_of_failure"]
        risky = [s["supplier_group"] for s in spofs if s["european"] is not True]
        print(f"  {p['id']} [{_crit(p)}] {p['name']}: {len(spofs)}"
              + (f" ({len(risky)} not European: {', '.join(risky)})" if risky else " (all European)"))
    if len(worst) > top:
        print(f"  and {len(worst) - top} more")
    print("\n" + details_hint("spof"))


def rank(
    path: PathArg = None,
    top: Annotated[int, typer.Option("--top", help=f"Show only the first N groups (default: {SUMMARY_TOP}; all with --details).")] = 0,
    demo: DemoOpt = False,
    neo4j: Neo4jOpt = None,
    source: SourceOpt = None,
    acquire: AcquireOpt = [],
    policy: ReachOpt = None,
    details: DetailsOpt = False,
    only: OnlyOpt = "",
    json_: JsonOpt = False,
) -> None:
    """Supplier groups ranked by blast radius, weighted by the criticality of the processes that fail."""
    non_eu_only = check_only(only)
    reach = _load_policy(policy).reach
    g = apply_acquisitions(load_graph(path, demo, neo4j, source), acquire)
    rows = rank_supplier_groups(g, blast_radius(g), policy=reach)
    if non_eu_only:
        rows = [r for r in rows if r["european"] is False]
    total = len(rows)
    if top or not (details or json_):
        rows = rows[:top or SUMMARY_TOP]
    cov = coverage(g, read_note(path))
    if json_:
        emit_json({"supplier_groups": rows, "coverage": cov})
        return
    print(f"{'#':>3} {'group':18} {'score':>6} {'proc':>5} {'v/h':>4} {'sys':>5} {'data':>5}  EU  countries  name")
    for r in rows:
        print(f"{r['rank']:>3} {r['supplier_group']:18} {r['score']:>6} {r['failed_processes']:>5} "
              f"{r['failed_vital_high']:>4} {r['failed_systems']:>5} {r['failed_datasets']:>5}  "
              f"{_EU_SHORT[r['european']]:3} {','.join(r['countries']):10} {r['name']}")
    if len(rows) < total:
        print(f"... and {total - len(rows)} more group(s). " + details_hint("rank"))
    print("proc: processes that fail if the group is cut; v/h: of which vital or high; sys: systems; data: data sets; "
          "EU: yes, NO, or ? (ownership unknown).")
    unknown = sum(r["european"] is None for r in rows)
    if unknown:
        err(f"{unknown} group(s) of unknown ownership (EU '?'): not counted as European; see `sovmap spof` for why.")
    err(coverage_text(cov, "rank"))


def register(app: typer.Typer) -> None:
    app.command()(impact)
    app.command()(spof)
    app.command()(rank)
