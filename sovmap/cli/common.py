"""What every command shares: loading an inventory, printing problems and JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer

from sovmap.graph.model import build_graph
from sovmap.ingest.problems import Problem, has_errors
from sovmap.ingest.validate import load

__all__ = ["PathArg", "JsonOpt", "load_graph", "emit_json", "report_problems", "err"]

PathArg = Annotated[
    Path,
    typer.Argument(help="Inventory: a folder of CSV files, a .zip of such a folder, or an .xlsx workbook."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON (for scripts).")]


def err(text: str = "") -> None:
    """Print to stderr (summaries and problems; results go to stdout)."""
    print(text, file=sys.stderr)


def report_problems(problems: list[Problem], *, show_warnings: bool = True) -> None:
    for p in problems:
        if p.severity == "error" or show_warnings:
            err(f"{p.severity.upper():7} {p}")


def load_graph(path: Path) -> nx.MultiDiGraph:
    """Load and validate an inventory; on errors print them and exit with status 1."""
    inv, problems = load(path)
    if inv is None or has_errors(problems):
        report_problems(problems, show_warnings=False)
        n = sum(p.severity == "error" for p in problems)
        err(f"\n{path}: {n} error(s); nothing was loaded. Run `sovmap validate {path}` for the full report.")
        raise typer.Exit(1)
    return build_graph(inv)


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
