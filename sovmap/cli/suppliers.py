"""`sovmap suppliers ...`: match an inventory's suppliers to the supplier catalogue, or refresh them from GLEIF files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.model import build_graph
from sovmap.ingest.catalogue import CatalogueError, default_catalogue_text, load_catalogue
from sovmap.ingest.gleif import apply_gleif, apply_gleif_to_catalogue, read_gleif
from sovmap.ingest.matching import DEFAULT_MIN_SCORE, Match, apply_matches, match_suppliers, resolve_catalogue_ids
from sovmap.ingest.problems import has_errors, problems_table
from sovmap.ingest.read import read_path
from sovmap.ingest.unmapped import carry_note
from sovmap.ingest.validate import load, validate

from .common import DemoOpt, JsonOpt, PathArg, check_not_one_file, emit_json, err, load_graph, report_problems, stop_on_errors
from .listing import print_table
from .texts import TextLangOpt, column_label, t, value_label
from .convert import Lang, LangOpt, check_output, write_inventory

__all__ = ["app"]

app = typer.Typer(help="Match the inventory's suppliers to the supplier catalogue, or refresh them from GLEIF's files "
                       "(countries and owners, with sources).",
                  no_args_is_help=True)


def _status(m: Match, min_score: float) -> str:
    if m.best is None:
        return "no match"
    if m.ambiguous:
        return "ambiguous"
    return "apply" if m.best.score >= min_score else "review"


def _row(m: Match, cat, min_score: float) -> dict:
    best = m.best
    chain = cat.chain(best.entry.id) if best else []
    return {
        "supplier_id": m.supplier_id, "name": m.name, "status": _status(m, min_score),
        "catalogue_id": best.entry.id if best else None, "catalogue_name": best.entry.name if best else None,
        "score": best.score if best else None, "matched": best.matched if best else None,
        "country": best.entry.country if best else None,
        "owners": [f"{i} ({cat.get(i).country})" for i in chain[1:]],
        "other_candidates": [{"catalogue_id": c.entry.id, "name": c.entry.name, "score": c.score} for c in m.candidates[1:]],
    }


@app.command()
def match(
    path: Annotated[Path, typer.Argument(help="Inventory: a folder of CSV files, a .zip or an .xlsx workbook (e.g. written by `sovmap convert`).",
                                         show_default=False)],
    min_score: Annotated[float, typer.Option("--min-score", help="Apply only matches scoring at least this (0-100).")] = DEFAULT_MIN_SCORE,
    apply: Annotated[bool, typer.Option("--apply", help="Write a reviewed inventory with the accepted matches filled in (needs -o).")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where --apply writes: a folder, or a file ending in .xlsx or .zip.")] = None,
    catalogue: Annotated[Path | None, typer.Option("--catalogue", help="Another catalogue file (YAML) instead of the bundled one.")] = None,
    lang: LangOpt = Lang.en,
    json_: JsonOpt = False,
) -> None:
    """List, for every supplier, the catalogue entry it most likely is, with a score.

    "apply" means the match scores at least --min-score and is unambiguous; only
    those are applied by --apply, which fills in empty countries, LEIs and
    ownership chains (owners are added as suppliers). Your own values are never
    overwritten; where they differ from the catalogue this is reported.
    """
    if apply and output is None:
        err("--apply writes a new inventory: give it a place with -o DIR (or -o FILE.xlsx).")
        raise typer.Exit(2)
    if output is not None:
        check_output(output)
    if not 0 <= min_score <= 100:
        err("--min-score is a score from 0 to 100.")
        raise typer.Exit(2)
    try:
        cat = load_catalogue(catalogue)
    except (CatalogueError, OSError) as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    check_not_one_file(path)
    tables, problems = read_path(path)
    tables, more = resolve_catalogue_ids(tables, cat)
    inv, problems = validate(tables, problems + more)
    stop_on_errors(path, inv, problems, "matched")
    g = build_graph(inv)
    matches = match_suppliers(g, cat)
    rows = [_row(m, cat, min_score) for m in matches]
    result: dict = {"min_score": min_score, "suppliers": rows}
    if apply:
        g2, applied, disagreements = apply_matches(g, matches, cat, min_score=min_score, source=str(path))
        written = write_inventory(g2, output, lang.value)
        carry_note(path, output)  # what the import left out stays part of the answer's coverage
        check, check_problems = load(output)
        result.update({"written": written, "valid": check is not None,
                       "applied": [{"supplier_id": a.supplier_id, "catalogue_id": a.entry_id, "filled": a.filled,
                                    "added_suppliers": a.added, "merged_suppliers": a.merged} for a in applied],
                       "disagreements": problems_table(disagreements)})
    if json_:
        emit_json(result)
    else:
        print(f"{'supplier':28} {'status':9} {'score':>5}  {'catalogue entry':42} country  owners")
        for r in rows:
            name = f"{r['supplier_id']} {r['name']}"[:28]
            entry = f"{r['catalogue_id']} {r['catalogue_name']}"[:42] if r["catalogue_id"] else "-"
            score = f"{r['score']:.0f}" if r["score"] is not None else "-"
            print(f"{name:28} {r['status']:9} {score:>5}  {entry:42} {r['country'] or '-':7}  {' → '.join(r['owners'])}")
            if r["status"] in ("review", "ambiguous"):
                for c in r["other_candidates"]:
                    print(f"{'':28} {'  or':9} {c['score']:>5.0f}  {c['catalogue_id']} {c['name']}")
        if apply:
            print(f"\nApplied ({len(result['applied'])}):")
            for a in result["applied"]:
                extra = f"; added {', '.join(a['added_suppliers'])}" if a["added_suppliers"] else ""
                extra += f"; merged {', '.join(a['merged_suppliers'])} into it" if a["merged_suppliers"] else ""
                print(f"  {a['supplier_id']} = {a['catalogue_id']}: {', '.join(a['filled']) or 'nothing to fill in'}{extra}")
            if disagreements:
                print(f"\nTo check ({len(disagreements)}):")
                for p in disagreements:
                    print(f"  {p.message}")
    counts = {s: sum(r["status"] == s for r in rows) for s in ("apply", "review", "ambiguous", "no match")}
    err(f"\n{len(rows)} suppliers: {counts['apply']} to apply (score ≥ {min_score:g}), {counts['review']} to review, "
        f"{counts['ambiguous']} ambiguous, {counts['no match']} without a match.")
    if apply:
        err(f"Wrote {result['written']}" + (": valid." if result["valid"] else ": NOT valid, run `sovmap validate`."))
        if not result["valid"]:
            report_problems(check_problems, show_warnings=False)
            raise typer.Exit(1)
    elif counts["apply"]:
        err(f"Apply them with: sovmap suppliers match {path} --apply --min-score {min_score:g} -o REVIEWED")


def _same_place(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@app.command()
def refresh(
    path: Annotated[Path, typer.Argument(help="Inventory: a folder of CSV files, a .zip or an .xlsx workbook.", show_default=False)],
    gleif_lei: Annotated[Path, typer.Option("--gleif-lei", help="GLEIF golden copy, level 1 (LEI-CDF 3.1, CSV or .csv.zip), "
                                            "as downloaded: …-gleif-goldencopy-lei2-golden-copy.csv.", show_default=False)],
    gleif_rr: Annotated[Path, typer.Option("--gleif-rr", help="GLEIF golden copy, level 2 relationship records (RR-CDF 2.1, "
                                           "CSV or .csv.zip): …-gleif-goldencopy-rr-golden-copy.csv.", show_default=False)],
    gleif_repex: Annotated[Path | None, typer.Option("--gleif-repex", help="Optional: GLEIF level-2 reporting exceptions "
                                                     "(…-repex-golden-copy.csv): why an entity reports no parent.",
                                                     show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the refreshed inventory here: a folder, or a "
                                                "file ending in .xlsx or .zip (never the input).")] = None,
    catalogue_out: Annotated[Path | None, typer.Option("--catalogue-out", help="Also write a copy of the supplier catalogue "
                                                       "(YAML) with the GLEIF facts of its entries that carry an LEI.",
                                                       show_default=False)] = None,
    catalogue: Annotated[Path | None, typer.Option("--catalogue", help="With --catalogue-out: the catalogue to start from "
                                                   "instead of the bundled one.")] = None,
    lang: LangOpt = Lang.en,
    json_: JsonOpt = False,
) -> None:
    """Fill in or update LEIs, countries and owners from GLEIF's golden-copy files, and list what changed.

    Suppliers are matched by their lei column, else by exact legal name. GLEIF's
    values replace the inventory's: the LEI, the country of the legal address,
    the headquarters country (hq_country) where it differs, the direct parent
    and up the chain to the ultimate parent (parents are added as suppliers
    where missing). Ownership becomes verified, with the files as source and
    their publication date. The files are read from disk; nothing is
    downloaded. Without -o nothing is written.
    """
    for option, file in (("--gleif-lei", gleif_lei), ("--gleif-rr", gleif_rr), ("--gleif-repex", gleif_repex)):
        if file is not None and not file.is_file():
            err(f"{option} {file}: no such file. Download the golden copy from "
                "https://www.gleif.org/en/lei-data/gleif-golden-copy and give the .csv (or .csv.zip) file.")
            raise typer.Exit(2)
    if output is not None:
        check_output(output)
        if _same_place(output, path):
            err(f"-o {output} is the inventory itself; write the refreshed inventory somewhere else (the input is never overwritten).")
            raise typer.Exit(2)
    if catalogue_out is not None and catalogue is not None and _same_place(catalogue_out, catalogue):
        err(f"--catalogue-out {catalogue_out} is the catalogue itself; write the copy somewhere else.")
        raise typer.Exit(2)
    raw_catalogue = None
    if catalogue_out is not None:
        import yaml

        try:
            raw_catalogue = yaml.safe_load(catalogue.read_text("utf-8") if catalogue else default_catalogue_text())
        except (OSError, yaml.YAMLError) as exc:
            err(f"The catalogue cannot be read: {exc}")
            raise typer.Exit(2) from None
    check_not_one_file(path)
    inv, problems = load(path)
    stop_on_errors(path, inv, problems, "refreshed")
    g = build_graph(inv)
    extra = [e.get("lei") for e in (raw_catalogue or {}).get("suppliers") or [] if isinstance(e, dict)]
    data = read_gleif(g, gleif_lei, gleif_rr, gleif_repex, extra_leis=extra)
    if has_errors(data.problems):
        report_problems(data.problems, show_warnings=False)
        err("\nThe GLEIF files could not be used; nothing was refreshed.")
        raise typer.Exit(1)
    g2, changes, found = apply_gleif(g, data)
    result: dict = {"files": {"lei": data.lei_file, "rr": data.rr_file, "repex": data.repex_file,
                              "published": data.published},
                    "changes": [c.as_dict() for c in changes], "problems": problems_table(found)}
    check_problems: list = []
    if output is not None:
        result["written"] = write_inventory(g2, output, lang.value)
        carry_note(path, output)
        check, check_problems = load(output)
        result["valid"] = check is not None and not has_errors(check_problems)
    cat_changes = []
    if raw_catalogue is not None:
        import yaml

        new_cat, cat_changes = apply_gleif_to_catalogue(raw_catalogue, data)
        catalogue_out.parent.mkdir(parents=True, exist_ok=True)
        catalogue_out.write_text(yaml.safe_dump(new_cat, sort_keys=False, allow_unicode=True, width=120), "utf-8")
        result["catalogue_written"] = str(catalogue_out)
        result["catalogue_changes"] = [c.as_dict() for c in cat_changes]
    if json_:
        emit_json(result)
    else:
        print(f"Changes ({len(changes)}):" if changes else "No changes: the inventory agrees with GLEIF where it matched.")
        for c in changes:
            print(f"  {c}")
        if raw_catalogue is not None:
            print(f"\nCatalogue changes ({len(cat_changes)}):")
            for c in cat_changes:
                print(f"  {c}")
        if found:
            print(f"\nTo check ({len(found)}):")
            for p in found:
                print(f"  {p.severity.upper():7} {p}")
    touched = len({c.supplier_id for c in changes})
    err(f"\n{touched} supplier(s) changed from {data.lei_file} and {data.rr_file}"
        + (f" (published {data.published})" if data.published else "") + f"; {len(found)} finding(s) to check.")
    if output is None:
        err("Nothing was written; give -o DIR (or -o FILE.xlsx) to write the refreshed inventory.")
    else:
        err(f"Wrote {result['written']}" + (": valid." if result["valid"] else ": NOT valid, run `sovmap validate`."))
        if not result["valid"]:
            report_problems(check_problems, show_warnings=False)
            raise typer.Exit(1)
    if raw_catalogue is not None:
        err(f"Wrote the catalogue copy {catalogue_out} ({len(cat_changes)} change(s)); comments of the original are not kept.")


def supplier_rows(g) -> list[dict]:
    """Every supplier: id, name, country, group (ultimate parent), ownership status and how many vital/high
    processes depend on it (fail, or lose an alternative, when it and what it owns cut access).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("S-X", kind="supplier", name="X B.V.", country="NL")
    >>> g.add_node("SYS-A", kind="system", name="Mail")
    >>> g.add_node("P-1", kind="process", name="Pay", criticality="vital")
    >>> _ = g.add_edge("SYS-A", "S-X", key="provided_by"); _ = g.add_edge("P-1", "SYS-A", key="depends_on")
    >>> [(r["id"], r["group"], r["ownership_status"], r["vital_high_fail"]) for r in supplier_rows(g)]
    [('S-X', 'S-X', 'stated', 1)]
    """
    from sovmap.graph.model import nodes_of_kind
    from sovmap.graph.ownership import ownership_status, root_of
    from sovmap.graph.propagation import dependency_index, propagate
    from sovmap.graph.scenarios import supplier_cut

    index = dependency_index(g)
    roots = root_of(g)
    important = {n for n in nodes_of_kind(g, "process") if g.nodes[n].get("criticality") in ("vital", "high")}
    rows = []
    for s in nodes_of_kind(g, "supplier"):
        d = g.nodes[s]
        hit = propagate(g, supplier_cut(g, [s]), index, explain=False)
        fail = important.intersection(hit.failed)
        rows.append({"id": s, "name": d.get("name") or "", "country": d.get("country") or None,
                     "group": roots.get(s, s), "ownership_status": ownership_status(g, s),
                     "vital_high_fail": len(fail), "vital_high_degraded": len(important.intersection(hit.degraded)),
                     "vital_high_processes": sorted(fail | important.intersection(hit.degraded))})
    return rows


@app.command("list")
def list_suppliers(
    path: PathArg = None,
    demo: DemoOpt = False,
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """List the suppliers: id, name, country, group, ownership status, and the vital/high processes that depend on them.

    "v/h fail" counts the vital and high processes that stop working when the
    supplier (and what it owns) cuts access; "v/h degraded" those that still
    work but lose an alternative. Ownership "unknown" is not counted as European.
    """
    lang = getattr(lang, "value", lang)
    g = load_graph(path, demo)
    rows = supplier_rows(g)
    if json_:
        emit_json({"suppliers": rows})
    else:
        table = [{"id": r["id"], "name": r["name"], "country": r["country"], "group": r["group"],
                  "ownership": value_label("ownership", r["ownership_status"], lang),
                  "v/h fail": str(r["vital_high_fail"]), "v/h degraded": str(r["vital_high_degraded"])} for r in rows]
        columns = ["id", "name", "country", "group", "ownership", "v/h fail", "v/h degraded"]
        heads = columns if lang == "en" else [
            t("col.id", lang), t("col.name", lang), t("col.country", lang), t("suppliers.group", lang),
            column_label("supplier", "ownership", lang), t("suppliers.vh_fail", lang), t("suppliers.vh_degraded", lang)]
        print_table(table, columns, heads)
        err(t("suppliers.legend", lang))
    unknown = sum(r["ownership_status"] == "unknown" for r in rows)
    err(t("suppliers.done", lang, n=len(rows), unknown=unknown))
