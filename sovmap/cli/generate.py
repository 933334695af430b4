"""The generate command: write a synthetic inventory shaped like the Dutch public sector, for scale tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sovmap.ingest.synthetic import FULL_SIZE, relation_counts, synthetic_tables, write_tables

from .common import JsonOpt, emit_json, err

__all__ = ["register", "generate"]


def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Empty (or new) folder to write the CSV files into.",
                                         show_default=False)],
    organisations: Annotated[int, typer.Option(
        "--organisations", "-n", min=1,
        help=f"Number of public bodies; {FULL_SIZE} gives the national inventory (about 600,000 items).")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")] = 1,
    json_: JsonOpt = False,
) -> None:
    """Write a synthetic inventory (fictional suppliers, ownership chains, shared platforms, redundancy) for scale tests."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        err(f"{output} exists and is not an empty folder; choose another folder with -o.")
        raise typer.Exit(2)
    tables = synthetic_tables(organisations, seed)
    written = write_tables(output, tables)
    counts = relation_counts(tables)
    files = {p.name: len(tables[p.stem]) - 1 for p in written}
    if json_:
        emit_json({"output": str(output), "organisations": organisations, "seed": seed, "rows": files, **counts})
    else:
        for name, n in files.items():
            print(f"{name:20} {n:9,} rows")
    err(f"Wrote {output}: {counts['items']:,} items and {counts['dependency_relations']:,} dependency relations "
        f"({counts['dependency_rows']:,} rows in dependencies.csv, the rest in the systems' and locations' "
        f"supplier, operator and location columns).")


def register(app: typer.Typer) -> None:
    app.command()(generate)
