"""The `sovmap` command: thin commands over the ingest and graph packages."""

from __future__ import annotations

import io
import os
import sys
from importlib.metadata import version as _version
from typing import Annotated

import click
import typer
from typer.core import TyperCommand, TyperGroup

from sovmap.graph.errors import SovmapError

from . import analysis, common, dashboard, inventory
from .texts import forget_lang
from . import neo4j as neo4j_cli
from . import assess as assess_cli
from . import convert as convert_cli
from . import suppliers as suppliers_cli
from . import generate as generate_cli
from . import listing as listing_cli
from . import plan as plan_cli

__all__ = ["app", "main", "INTERNAL_ERROR"]

INTERNAL_ERROR = 3  # exit status of an unexpected exception: a bug in sovmap, not in the input or the options
BROKEN_PIPE = 141  # the reader of standard output went away; 128 + SIGPIPE, as a Unix tool killed by it reports

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
listing_cli.register(app)
plan_cli.register(app)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"sovmap {_version('sovmap')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the installed sovmap version and exit.", is_eager=True,
        callback=_print_version)] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full traceback when sovmap fails unexpectedly "
        "(also SOVMAP_DEBUG=1).")] = False,
) -> None:
    """Options for every command (given before the command: sovmap --debug impact ...)."""
    forget_lang()  # a command's own --lang sets it again (messages from sovmap/cli/common.py follow it)


def _debugging(ctx: click.Context) -> bool:
    flag = ctx.find_root().params.get("debug")
    return bool(flag) or os.environ.get("SOVMAP_DEBUG", "").lower() in ("1", "true", "yes")


def _flags_without_metavar(params: list) -> list:
    """A flag takes no value, so its help shows no ``<bool>`` after the option name."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class QuietFlagsGroup(TyperGroup):
    """A command group whose help lists its flags (``--debug``, ``--help``) without a value placeholder."""

    def get_params(self, ctx: click.Context) -> list:
        return _flags_without_metavar(super().get_params(ctx))


# Exceptions that end a command as click means them to (a message, exit status 1 or 2). Recent typer
# carries its own copy of click, whose usage errors (typer.BadParameter) do not derive from click's.
_PASS_THROUGH = (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException,
                 *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


class GuardedCommand(TyperCommand):
    """A command whose output is escaped for the terminal and whose unexpected exceptions become one line.

    Exit status 3 says "sovmap failed" apart from 1 (the inventory has
    errors) and 2 (a usage error); ``--debug`` re-raises with the traceback.
    A :class:`SovmapError` that a command left uncaught is a request that
    cannot be answered: its message and exit status 2.
    """

    def invoke(self, ctx: click.Context):
        with common.safe_output():
            try:
                return super().invoke(ctx)
            except _PASS_THROUGH:
                raise
            except BrokenPipeError:  # the reader stopped reading (sovmap ... | head): end quietly, as Unix tools do
                _silence_stdout()
                raise typer.Exit(BROKEN_PIPE) from None
            except Exception as exc:
                if _debugging(ctx):
                    raise
                text = " ".join(str(exc).split())
                if len(text) > 300:
                    text = text[:300] + "…"
                if isinstance(exc, SovmapError):
                    common.err(text)
                    raise typer.Exit(2) from None
                common.err(f"sovmap: internal error: {type(exc).__name__}: {text} — "
                           "run again with --debug (or SOVMAP_DEBUG=1) for details.")
                raise typer.Exit(INTERNAL_ERROR) from None

    def get_params(self, ctx: click.Context) -> list:
        return _flags_without_metavar(super().get_params(ctx))


def _silence_stdout() -> None:
    """Point standard output at the null device, so that flushing what is left cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _guard(t: typer.Typer) -> None:
    if t.info.cls in (None, TyperGroup) or not isinstance(t.info.cls, type):
        t.info.cls = QuietFlagsGroup
    for command in t.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = GuardedCommand
        elif not issubclass(command.cls, GuardedCommand):
            raise TypeError(f"{command.callback.__name__}: a command class must derive from GuardedCommand")
    for group in t.registered_groups:
        _guard(group.typer_instance)


_guard(app)


def main() -> None:
    from . import common

    common.ONE_SHOT = True  # the `sovmap` command: one command per process (see common.kept)
    try:
        app()
    finally:
        try:
            sys.stdout.flush()  # output still buffered when the reader went away: end quietly too
        except BrokenPipeError:
            _silence_stdout()
