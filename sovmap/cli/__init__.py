"""The `sovmap` command: thin commands over the ingest and graph packages."""

from __future__ import annotations

import typer

from . import analysis, dashboard, inventory
from . import neo4j as neo4j_cli
from . import assess as assess_cli
from . import convert as convert_cli
from . import suppliers as suppliers_cli
from . import generate as generate_cli

__all__ = ["app", "main"]

app = typer.Typer(
    name="sovmap",
    help="sovmap maps which processes, systems and data depend on which suppliers, "
    "and what breaks if a supplier cuts access. PATH is an inventory: a folder of CSV files, a .zip or an .xlsx workbook.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

inventory.register(app)
analysis.register(app)
assess_cli.register(app)
app.add_typer(neo4j_cli.app, name="neo4j")
convert_cli.register(app)
app.add_typer(suppliers_cli.app, name="suppliers")
dashboard.register(app)
generate_cli.register(app)


def main() -> None:
    app()
