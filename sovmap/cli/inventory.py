"""Commands over an inventory as a whole: validate, show, export."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.summary import inventory_summary
from sovmap.graph.serialise import write as write_graph
from sovmap.ingest.problems import has_errors, ordered, problems_table
from sovmap.ingest.validate import load
from sovmap.ontology.countries import country

from .common import (DemoOpt, JsonOpt, PathArg, demo_path, emit_json, err, inventory_path, load_graph,
                     problem_text)
from .texts import TextLangOpt, kind_label, note_text, severity_word, t

__all__ = ["register"]


class Format(str, Enum):
    ttl = "ttl"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"


def validate(path: PathArg = None, demo: DemoOpt = False, lang: TextLangOpt = "en", json_: JsonOpt = False) -> None:
    """Check an inventory and print every problem (file, line, column, value, hint).

    Exits with 1 when there are errors, 0 when there are none (warnings do not fail).
    With --lang nl the severities, places and summary are in Dutch; the problems' own sentences stay English.
    """
    lang = getattr(lang, "value", lang)
    path = inventory_path(path, demo)
    inv, problems = load(path)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if json_:
        emit_json({"valid": not has_errors(problems), "errors": errors, "warnings": warnings,
                   "problems": problems_table(problems)})
    else:
        width = max(len(severity_word(s, lang)) for s in ("error", "warning"))  # the severities line up
        for p in ordered(problems):
            print(f"{severity_word(p.severity, lang):{width}} {problem_text(p, lang)}")
    if inv is not None:
        err(t("validate.valid", lang, path=path, items=len(inv.nodes), relations=len(inv.edges), warnings=warnings))
    else:
        err(t("validate.invalid", lang, path=path, errors=errors, warnings=warnings))
    raise typer.Exit(1 if has_errors(problems) else 0)


def show(path: PathArg = None, demo: DemoOpt = False, lang: TextLangOpt = "en", json_: JsonOpt = False) -> None:
    """Summarise an inventory: counts per kind, suppliers by country, and ownership chains ending outside the EU/EEA."""
    g = load_graph(path, demo)
    summary = inventory_summary(g)
    if json_:
        emit_json(summary)
        return
    print(t("show.counts", lang))
    for kind, n in summary["counts"].items():
        print(f"  {kind:14} {n:6}" if lang == "en" else f"  {kind_label(kind, lang).lower():20} {n:6}")
    print("\n" + t("show.by_country", lang))
    for row in summary["suppliers_by_country"]:
        mark = t({True: "show.eea", False: "show.non_eea", None: "show.country_unknown"}[row["european"]], lang)
        print(f"  {row['country']}  {_country_name(row, lang):28} {row['suppliers']:4}  ({mark})")
    print("\n" + t("show.chains", lang))
    if not summary["non_european_chains"]:
        print("  " + t("show.none", lang))
    for row in summary["non_european_chains"]:
        chain = " → ".join(f"{s['id']} ({s['country'] or '?'})" for s in row["chain"])
        print(f"  {chain}" if len(row["chain"]) > 1 else f"  {note_text(row['reason'], lang)}")
    if summary["ownership_unknown"]:
        print("\n" + t("show.unknown", lang))
        for row in summary["ownership_unknown"]:
            print(f"  {row['supplier']:16} {note_text(row['reason'], lang)}")


def _country_name(row: dict, lang: str) -> str:
    """The country's name in ``lang`` (the summary's own name when the code is not a known country)."""
    try:
        return country(row["country"]).label(lang)
    except (KeyError, TypeError):
        return row["name"]


def export(
    path: PathArg = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="ttl (Turtle), jsonld, graphml or gexf.")] = Format.ttl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; standard output when left out.")] = None,
    demo: DemoOpt = False,
) -> None:
    """Write the knowledge graph as RDF (Turtle, JSON-LD, in the sovmap ontology) or GraphML/GEXF."""
    g = load_graph(path, demo)
    if output is None:
        write_graph(g, format.value, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    partial = output.with_name(output.name + ".partial")  # a failed export leaves no half-written file behind
    try:
        with open(partial, "wb") as f:
            write_graph(g, format.value, f)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    err(f"Wrote {output} ({format.value}, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges).")


def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the demo inventory into.")] = Path("sovmap-demo"),
) -> None:
    """Copy the bundled demo inventory (a fictional Dutch municipality) into a folder, to look at or edit.

    The folder also gets ``flatlist/``: the municipality's application list
    (``applicaties.xlsx``), the input of the ``sovmap convert`` examples.
    """
    if output.exists() and any(output.iterdir()):
        err(f"{output} exists and is not empty; choose another folder with -o.")
        raise typer.Exit(2)
    output.mkdir(parents=True, exist_ok=True)
    _copy_files(demo_path(), output)
    _copy_files(demo_path().parent / "flatlist", output / "flatlist")
    print(output)
    err(f"Wrote the demo inventory to {output}/ and its application list to {output / 'flatlist'}/. "
        f"Try: sovmap show {output}")


def _copy_files(source: Path, target: Path) -> None:
    """Copy the files (not the folders, nor Python's package marker) of ``source`` into ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(source.iterdir()):
        if f.is_file() and f.suffix != ".py":
            shutil.copyfile(f, target / f.name)


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(validate)
    app.command()(show)
    app.command()(export)
