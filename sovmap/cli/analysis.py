"""Commands that answer "what breaks if...": impact, spof, rank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.concentration import blast_radius, rank_supplier_groups, reaching_members, single_points_of_failure
from sovmap.graph.coverage import coverage, coverage_text, left_out, left_out_text
from sovmap.store.answers import spof_rows
from sovmap.graph.errors import SovmapError
from sovmap.graph.impact import ImpactRows, impact as impact_of
from sovmap.graph.ownership import ownership_chain
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.unmapped import read_note

from .assess import _load_policy
from .ids import resolve_ids
from .stored import closure_impact, stored_answers
from .common import AcquireOpt, DemoOpt, apply_acquisitions, JsonOpt, Neo4jOpt, PathArg, SourceOpt, emit_json, err, load_graph
from .summary_text import SUMMARY_TOP, DetailsOpt, KindsOpt, OnlyOpt, check_only, parse_kinds
from .texts import TextLangOpt, counts_text, european_word, kinds_label, level_word, note_text, scenario_text, t

__all__ = ["print_impact", "register"]

ReachOpt = Annotated[Path | None, typer.Option("--policy", help="A policy YAML file whose reach section says whose law "
                                               "reaches a supplier: headquarters, listing, owners, co-owners from which "
                                               "share (default: the built-in policy; see docs/ownership.md).",
                                               show_default=False)]
KINDS = ("process", "dataset", "system", "location", "supplier", "organisation")


def _eu_short(european: bool | None, lang: str) -> str:
    """The EU column of `rank`: yes, NO (capitals: the worrying answer), or ? (ownership unknown)."""
    return "?" if european is None else t("yes", lang) if european else t("no", lang).upper()


def _level(row: dict) -> str:
    return row.get("criticality") or row.get("classification") or ""


_LEVELS = ("vital", "high", "medium", "low", "secret", "confidential", "internal", "public")


def _print_summary(title: str, rows: ImpactRows, top: int, lang: str = "en") -> None:
    """Counts per kind and level, then the first ``top`` items of each kind (most critical first).

    Read from the rows' columns: no row (chain, why-text) is built.
    """
    print(f"\n{title.upper()} ({len(rows)})")
    for kind in KINDS:
        of_kind = rows.of_kinds([kind])
        if not len(of_kind):
            continue
        levels = of_kind.levels()
        counts = counts_text(levels, None, lang, _LEVELS) if any(levels) else ""
        print(f"  {kinds_label(kind, lang)} {len(of_kind)}" + (f" ({counts})" if counts else ""))
        shown = of_kind.ids(top)
        print("    " + ", ".join(shown) + (", " + t("and_more", lang, n=len(of_kind) - len(shown))
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


def _print_items(title: str, rows: list[dict], lang: str = "en") -> None:
    print(f"\n{title.upper()} ({len(rows)})")
    kind = None
    for r in rows:
        if r["kind"] != kind:
            kind = r["kind"]
            print(f"  {kinds_label(kind, lang)}")
        level = f" [{level_word(None, _level(r), lang)}]" if _level(r) else ""
        print(f"    {r['id']}{level} {r['name']}")
        print(f"        {t('col.why', lang)}: {note_text(r['why_text'], lang)}")


def print_impact(result: dict, sc: Scenario, lang: str = "en", details: bool = False, top: int = 0) -> None:
    """The text `sovmap impact` prints: the scenario, then a summary (counts and first ids) or, with ``details``,
    every row with its why-chain. The summary reads the rows' columns and builds no row."""
    print(t("scenario", lang, what=scenario_text(sc.suppliers, sc.countries, sc.locations, sc.systems,
                                                 sc.include_subsidiaries, lang)))
    w = result.get("whatif")
    if w:
        print("\n" + t("whatif.impact", lang, acquire=", ".join(w["acquisitions"]), n=len(w["newly_failed"]))
              + (": " + ", ".join(w["newly_failed"]) if w["newly_failed"] else "")
              + ("; " + t("whatif.no_longer", lang, n=len(w["no_longer_failed"])) if w["no_longer_failed"] else ""))
    if details:
        print(t("cut.list", lang, ids=", ".join(r["id"] for r in result["cut"])))
        _print_items(t("fails", lang), result["failed"], lang)
        _print_items(t("degraded", lang), result["degraded"], lang)
    else:
        cut = result["cut"]
        print(t("cut.count", lang, n=len(cut), ids=", ".join(r["id"] for r in cut[:top or SUMMARY_TOP]))
              + (", " + t("and_more", lang, n=len(cut) - (top or SUMMARY_TOP))
                 if len(cut) > (top or SUMMARY_TOP) else ""))
        _print_summary(t("fails", lang), result["failed"], top or SUMMARY_TOP, lang)
        _print_summary(t("degraded", lang), result["degraded"], top or SUMMARY_TOP, lang)
        print("\n" + t("details_hint", lang, command="impact"))


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
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """What breaks if a supplier, a country's legal reach, a location or a system cuts access."""
    lang = getattr(lang, "value", lang)
    sc = Scenario(suppliers=supplier, countries=country, locations=location, systems=system,
                  include_subsidiaries=not only_entity)
    if not (supplier or country or location or system):
        err(t("say_what", lang))
        raise typer.Exit(2)
    wanted = parse_kinds(kinds)
    reach = _load_policy(policy).reach

    def resolved(today, sc):
        return Scenario(suppliers=resolve_ids(today, sc.suppliers, "supplier", by_name=True), countries=sc.countries,
                        locations=resolve_ids(today, sc.locations, "location"),
                        systems=resolve_ids(today, sc.systems, "system"), include_subsidiaries=sc.include_subsidiaries)

    # On Neo4j, what breaks is answered from the closure of the cut alone (--acquire changes the whole graph).
    closure = neo4j is not None and source and not (path or demo or acquire)
    try:
        if closure:
            g, sc, cov = closure_impact(neo4j, source, sc, reach, resolved)
        else:
            today = load_graph(path, demo, neo4j, source)
            g = apply_acquisitions(today, acquire)
            sc = resolved(today, sc)
        result = impact_of(g, sc, reach, full_chains=full_chains)
        if acquire:
            before = set(impact_of(today, Scenario(**vars(sc)), reach)["failed"].ids())
            after = set(result["failed"].ids())
            result["whatif"] = {"acquisitions": acquire, "newly_failed": sorted(after - before),
                                "no_longer_failed": sorted(before - after)}
    except SovmapError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    if wanted is not None:
        for key in ("failed", "degraded"):
            result[key] = result[key].of_kinds(wanted)
    if not closure:
        cov = coverage(g, read_note(path))
    if json_:
        emit_json({**result, "failed": list(result["failed"]), "degraded": list(result["degraded"]), "coverage": cov})
    else:
        print_impact(result, sc, lang, details, top)
    err(t("impact.done", lang, failed=len(result["failed"]), degraded=len(result["degraded"])))
    err(coverage_text(cov, "impact", lang))


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
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Single points of failure: for each vital or high process, the supplier groups whose cut alone breaks it."""
    lang = getattr(lang, "value", lang)
    non_eu_only = check_only(only)
    reach = _load_policy(policy).reach
    levels = ("vital", "high", "medium", "low", None) if all_levels else ("vital", "high")
    analysis = "spof --all" if all_levels else "spof"
    # --details names the members through which a process reaches a group: that needs the graph
    stored = None if path or demo or details else stored_answers(neo4j, source, policy, acquire,
                                                                 "spof_all" if all_levels else "spof", "coverage")
    if stored:
        rows, cov = stored
    else:
        today = load_graph(path, demo, neo4j, source)
        g = apply_acquisitions(today, acquire)
        rows = spof_rows(g, levels, policy=reach)  # with the blind spots of each process
        cov = coverage(g, read_note(path))
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
    if json_:
        emit_json({"processes": rows, **({"whatif": whatif} if whatif else {}), "left_out": left_out(cov, analysis),
                   "coverage": cov})
    else:
        if whatif:
            changed = whatif["new_non_european_spof"]
            print(t("spof.whatif", lang, acquire=", ".join(acquire), n=len(changed)))
            for p, groups in changed.items():
                print(f"    {p}: {', '.join(groups)}")
            print()
        note = left_out_text(cov, analysis, lang)
        if details:
            _print_spof_details(g, rows, lang)
            if note:
                print("\n" + note)
        else:
            _print_spof_summary(rows, top or SUMMARY_TOP, non_eu_only, lang, all_levels, note)
    rows = all_rows
    n = sum(bool(p["single_points_of_failure"]) for p in rows)
    ne = sum(any(s["european"] is False for s in p["single_points_of_failure"]) for p in rows)
    nu = sum(any(s["european"] is None for s in p["single_points_of_failure"]) for p in rows)
    err(t("spof.done" if all_levels else "spof.done_vh", lang, n=n, total=len(rows), ne=ne)
        + (t("spof.done_unknown", lang, nu=nu) if nu else "."))
    err(coverage_text(cov, analysis, lang))


def _print_spof_details(g, rows: list[dict], lang: str = "en") -> None:
    for p in rows:
        spofs = p["single_points_of_failure"]
        blind = p.get("systems_without_party") or []
        print(f"{p['id']} [{_crit(p, lang)}] {p['name']}: "
              + (t("spof.none", lang) if not spofs else t("spof.n", lang, n=len(spofs)))
              + (t("spof.blind", lang, n=len(blind), ids=", ".join(blind[:5]) + (", …" if len(blind) > 5 else ""))
                 if blind else "")
              + (t("spof.bare", lang) if p.get("depends_on_nothing") else ""))
        for s in spofs:
            where = european_word(s["european"], lang)
            print(f"    {s['supplier_group']} {s['name']} ({where}: {', '.join(s['countries']) or '?'})"
                  + _via(g, p["id"], s))
            if s["european"] is not True:
                print(f"        {t('col.why', lang)}: {note_text(s['european_reason'], lang)}")


def _crit(p: dict, lang: str = "en") -> str:
    """A process's criticality ("high, derived" when an importer derived it), or "no criticality" (spof --all)."""
    if not p["criticality"]:
        return t("no_criticality", lang)
    return level_word("criticality", p["criticality"], lang) + (f", {t('derived', lang)}" if p.get("criticality_source")
                                                                  else "")


def _print_spof_summary(rows: list[dict], top: int, non_eu_only: bool, lang: str = "en", all_levels: bool = False,
                        note: str = "") -> None:
    what = t("spof.what_non_eu" if non_eu_only else "spof.what", lang)
    hit = [p for p in rows if p["single_points_of_failure"]]
    if rows:
        levels = counts_text([p["criticality"] for p in rows if p["criticality"]], "criticality", lang, _LEVELS)
        unrated = sum(not p["criticality"] for p in rows)
        levels = ", ".join(x for x in (levels, f"{unrated} {t('no_criticality', lang)}" if unrated else "") if x)
        print(t("spof.headline", lang, hit=len(hit), total=len(rows), what=what, levels=levels))
    else:
        print(t("spof.headline_none" if not all_levels else "spof.headline_none_all", lang))
    if note:
        print(note)
    blind = sum(bool(p.get("systems_without_party")) for p in rows)
    if blind:
        print(t("spof.blind_summary", lang, n=blind, total=len(rows)))
    bare = sum(bool(p.get("depends_on_nothing")) for p in rows)
    if bare:
        print(t("spof.bare_summary", lang, n=bare, total=len(rows)))
    groups: dict[str, dict] = {}
    procs: dict[str, list[str]] = {}
    for p in rows:
        for s in p["single_points_of_failure"]:
            groups.setdefault(s["supplier_group"], s)
            procs.setdefault(s["supplier_group"], []).append(p["id"])
    order = sorted(groups, key=lambda k: (-len(procs[k]), k))
    print("\n" + t("spof.groups", lang, n=len(order)))
    for k in order[:top]:
        s = groups[k]
        print(f"  {k} {s['name']} ({european_word(s['european'], lang)}: {', '.join(s['countries']) or '?'}): "
              + t("spof.group_line", lang, n=len(procs[k])))
    if len(order) > top:
        print("  " + t("and_more", lang, n=len(order) - top))
    worst = sorted(hit, key=lambda p: -sum(s["european"] is not True for s in p["single_points_of_failure"]))
    print("\n" + t("spof.worst", lang))
    for p in worst[:top]:
        spofs = p["single_points_of_failure"]
        risky = [s["supplier_group"] for s in spofs if s["european"] is not True]
        print(f"  {p['id']} [{_crit(p, lang)}] {p['name']}: {len(spofs)}"
              + (f" ({t('spof.not_european', lang, n=len(risky), ids=', '.join(risky))})" if risky
                 else f" ({t('spof.all_european', lang)})"))
    if len(worst) > top:
        print("  " + t("and_more", lang, n=len(worst) - top))
    print("\n" + t("details_hint", lang, command="spof"))


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
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Supplier groups ranked by blast radius, weighted by the criticality of the processes that fail."""
    lang = getattr(lang, "value", lang)
    non_eu_only = check_only(only)
    reach = _load_policy(policy).reach
    stored = None if path or demo else stored_answers(neo4j, source, policy, acquire, "rank", "coverage")
    if stored:
        rows, cov = stored
    else:
        g = apply_acquisitions(load_graph(path, demo, neo4j, source), acquire)
        rows = rank_supplier_groups(g, blast_radius(g), policy=reach)
        cov = coverage(g, read_note(path))
    if non_eu_only:
        rows = [r for r in rows if r["european"] is False]
    total = len(rows)
    if top or not (details or json_):
        rows = rows[:top or SUMMARY_TOP]
    if json_:
        emit_json({"supplier_groups": rows, "coverage": cov})
        return
    _print_rank_table(rows, lang)
    if len(rows) < total:
        print(t("rank.more", lang, n=total - len(rows)) + " " + t("details_hint", lang, command="rank"))
    print(t("rank.legend", lang))
    unknown = sum(r["european"] is None for r in rows)
    if unknown:
        err(t("rank.unknown", lang, n=unknown))
    err(coverage_text(cov, "rank", lang))


def _print_rank_table(rows: list[dict], lang: str = "en") -> None:
    """The ranking as columns sized to their longest cell; the countries and the name, of any length, come last."""
    heads = ["#", t("rank.group", lang), t("rank.score", lang), t("rank.proc", lang), t("rank.vh", lang),
             t("rank.sys", lang), t("rank.data", lang), t("rank.eu", lang), t("col.countries", lang),
             t("col.name", lang)]
    cells = [[str(r["rank"]), r["supplier_group"], str(r["score"]), str(r["failed_processes"]),
              str(r["failed_vital_high"]), str(r["failed_systems"]), str(r["failed_datasets"]),
              _eu_short(r["european"], lang), ",".join(r["countries"]) or "?", r["name"]] for r in rows]
    widths = [max(len(row[i]) for row in [heads, *cells]) for i in range(len(heads))]
    right = {0, 2, 3, 4, 5, 6}  # numbers align right
    for row in [heads, *cells]:
        print(" ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths)))
              .rstrip())


def register(app: typer.Typer) -> None:
    app.command()(impact)
    app.command()(spof)
    app.command()(rank)
