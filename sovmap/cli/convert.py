"""`sovmap convert`: turn an application list, an ArchiMate model or GEMMA data into an inventory to review."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.model import build_graph, kind_counts
from sovmap.graph.coverage import coverage
from sovmap.ingest.archimate_roles import roles_yaml
from sovmap.ingest.convert import convert_path
from sovmap.ingest.draft import Conversion
from sovmap.ingest.flatlist import FIELDS, load_mapping, mapping_yaml
from sovmap.ingest.problems import Problem, has_errors, ordered, problems_table
from sovmap.ingest.unmapped import write_note
from sovmap.ingest.write import inventory_tables, write_csv_folder, xlsx_bytes, zip_bytes
from sovmap.ontology.vocab import vocabulary

from .common import JsonOpt, emit_json, err, report_problems

__all__ = ["register", "Source", "Lang", "check_output", "write_inventory"]


class Source(str, Enum):
    flat = "flat"
    archimate = "archimate"
    gemma = "gemma"
    inventory = "inventory"


class Lang(str, Enum):
    en = "en"
    nl = "nl"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Headers and values of the written inventory: en (English) or nl (Dutch).")]

_TARGET = {f.id: f.target for f in FIELDS}


def check_output(output: Path) -> None:
    """A usage error (exit 2) for an output that is neither a folder nor an .xlsx or .zip file."""
    if output.suffix.lower() in (".csv", ".json", ".xml", ".xls", ".txt") or (output.is_file() and output.suffix.lower() not in (".xlsx", ".zip")):
        err(f"{output}: write the inventory to a folder, or to a file ending in .xlsx or .zip.")
        raise typer.Exit(2)


def write_inventory(g, output: Path, lang: str) -> str:
    """Write the graph as a CSV folder, or a workbook (.xlsx) or archive (.zip) of CSV files; return what was written."""
    if output.suffix.lower() == ".xlsx":
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(xlsx_bytes(inventory_tables(g, lang)))
        return str(output)
    if output.suffix.lower() == ".zip":
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(zip_bytes(g, lang=lang, folder=output.stem))
        return str(output)
    files = write_csv_folder(g, output, lang=lang)
    return f"{output}/ ({', '.join(p.name for p in files)})"


def _print_mapping(conv: Conversion) -> None:
    print(f"Columns of {conv.source}:")
    width = max((len(c) for c, _ in conv.mapping), default=0) + 2
    for col, fid in conv.mapping:
        where = _TARGET.get(fid, "kept as an extra column of the systems" if fid == "extra" else "left out")
        quoted = f'"{col}"'
        print(f"  {quoted:{width}} → {fid:18} {where}")


def _print_actors(conv: Conversion) -> None:
    print(f"Business actors of {conv.source}:")
    width = max((len(a.name or a.id) for a in conv.actors), default=0) + 2
    for a in conv.actors:
        quoted = f'"{a.name or a.id}"'
        print(f"  {quoted:{width}} → {'TO CHECK' if a.role == 'unknown' else a.role:13} {a.why}")


def _print_report(problems: list[Problem]) -> None:
    if not problems:
        return
    print(f"\nNot mapped or to check ({len(problems)}):")
    for p in ordered(problems):
        print(f"  {p.severity.upper():7} {p}")


def convert(
    source: Annotated[Path, typer.Argument(help="What to convert: an application list (.xlsx/.csv), an ArchiMate exchange "
                                                "file (.xml), GEMMA Softwarecatalogus JSON (a file or a folder), or an inventory.",
                                           show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the inventory: a folder (CSV files), or a file ending in .xlsx or .zip.",
                                         show_default=False)],
    from_: Annotated[Source | None, typer.Option("--from", help="The kind of SOURCE, when it is not recognised: flat, archimate, gemma or inventory.")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="A mapping (YAML) that corrects how a flat list's columns, or an ArchiMate model's actors (actors: name: supplier | organisation | team | other), are read.")] = None,
    save_mapping: Annotated[Path | None, typer.Option("--save-mapping", help="Write the column mapping (or the ArchiMate actors' roles) used to this YAML file, to correct and pass back with --mapping.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet of an application list workbook to read (default: the one that looks like the list).")] = None,
    lang: LangOpt = Lang.en,
    json_: JsonOpt = False,
) -> None:
    """Convert what you already have into an inventory to review and edit, and report what could not be mapped.

    Flat application lists are read by their column names (Dutch or English); the
    mapping is shown and can be corrected with --mapping. Supplier catalogue ids
    (CAT-...) become supplier rows with their owners. Exits with 1 when the result
    has errors (nothing is written), 0 otherwise.
    """
    check_output(output)
    mapping_data = None
    if mapping is not None:
        mapping_data, problems = load_mapping(mapping)
        if problems:
            report_problems(problems)
            err(f"\n{mapping}: the mapping file has {len(problems)} problem(s); nothing was converted.")
            raise typer.Exit(2)
    conv = convert_path(source, from_.value if from_ else None, mapping=mapping_data, lang=lang.value, sheet=sheet)
    if save_mapping is not None and (conv.mapping or conv.actors):
        text = mapping_yaml(conv.mapping, conv.source) if conv.mapping else roles_yaml(conv.actors, conv.source)
        save_mapping.write_text(text, encoding="utf-8")
    inv, problems = conv.load()
    written = note = None
    counts: dict[str, int] = {}
    if inv is not None and not has_errors(problems):
        g = build_graph(inv)
        counts = {vocabulary().kind(k).files[0]: n for k, n in kind_counts(g).items() if k != "country"}
        written = write_inventory(g, output, lang.value)
        note = write_note(output, problems)
    if json_:
        emit_json({"source": str(source), "kind": conv.kind, "written": written, "counts": counts,
                   "mapping": [{"column": c, "field": f} for c, f in conv.mapping],
                   "relationships": ({"in_file": conv.relationships, "imported": len(conv.imported_relationships)}
                                     if getattr(conv, "relationships", 0) else None),
                   "actors": [{"id": a.id, "name": a.name, "role": a.role, "main": a.main, "why": a.why} for a in conv.actors],
                   "problems": problems_table(problems)})
    else:
        if conv.mapping:
            _print_mapping(conv)
        if conv.actors:
            _print_actors(conv)
        _print_report(problems)
    errors = sum(p.severity == "error" for p in problems)
    if written is None:
        err(f"\n{source}: {errors} error(s); nothing was written.")
        raise typer.Exit(1)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    err(f"\nWrote {written}: {summary}; {len(problems)} item(s) to check.")
    if getattr(conv, "relationships", 0):
        imported = len(conv.imported_relationships)
        err(f"ArchiMate {conv.version} relationships: {conv.relationships} in the file, {imported} imported, "
            f"{conv.relationships - imported} reported above (one by one).")
    if note is not None:
        err(f"The items that could not be imported are listed in {note}; the analyses count them in their coverage line.")
    lacking = len(coverage(g)["processes_without_criticality"])
    if lacking:
        err(f"{lacking} of {counts.get(vocabulary().kind('process').files[0], lacking)} processes have no criticality: "
            "spof leaves them out until you set one (processes.csv, column criticality) or run it with --all.")
    if save_mapping is not None and (conv.mapping or conv.actors):
        what = "Column mapping" if conv.mapping else "Actors' roles"
        err(f"{what} written to {save_mapping}; correct it and convert again with --mapping {save_mapping}.")
    if conv.kind != "inventory":
        err(f"Next: review the inventory, then match its suppliers to the catalogue: sovmap suppliers match {output}")


def register(app: typer.Typer) -> None:
    app.command()(convert)
