"""What every command shares: loading an inventory, printing problems and JSON."""

from __future__ import annotations

import gc

import io
import json
import re
import sys
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer

from sovmap.graph.model import build_graph
from sovmap.ingest.problems import Problem, has_errors
from sovmap.ingest.validate import load

from .texts import current_lang, severity_word, t

__all__ = ["AcquireOpt", "apply_acquisitions", "PathArg", "DemoOpt", "Neo4jOpt", "SourceOpt", "JsonOpt", "demo_path", "inventory_path", "check_not_one_file", "load_graph", "emit_json", "report_problems", "err",
           "term_safe", "safe_output"]

PathArg = Annotated[
    Path | None,
    typer.Argument(help="Inventory: a folder of CSV files, a .zip of such a folder, or an .xlsx workbook.",
                   show_default=False),
]
Neo4jOpt = Annotated[str | None, typer.Option(
    "--neo4j", help="Run on the graph in this Neo4j server (bolt://...) instead of PATH; name it with --source.",
    show_default=False)]
SourceOpt = Annotated[str | None, typer.Option("--source", help="With --neo4j: the name of the inventory in Neo4j.")]
AcquireOpt = Annotated[list[str], typer.Option(
    "--acquire", help="What if SUPPLIER is bought: SUPPLIER=PARENT, where PARENT is a supplier id or a country code "
    "(repeatable). Shows the answer after the sale and what changed.", show_default=False)]
DemoOpt = Annotated[bool, typer.Option("--demo", help="Use the bundled demo inventory (a fictional municipality) instead of PATH.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON (for scripts).")]


# C0 controls but tab and newline (ESC, CR, BEL, backspace...), DEL, C1 controls (CSI \x9b...), and the bidi
# overrides and isolates that reorder what a terminal shows (U+202A-U+202E, U+2066-U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def term_safe(text: str) -> str:
    r"""``text`` with every character that could steer a terminal written as a visible ``\uXXXX`` escape.

    A name holding an ESC sequence could recolour, hide or overwrite what
    the terminal shows; tab and newline are kept. The escape is also valid
    inside a JSON string, so ``--json`` output stays valid and decodes to the
    original text.

    >>> print(term_safe("Kynthos\x1b[2J\x1b]0;owned\x07 Cloud\u202e"))
    Kynthos\u001b[2J\u001b]0;owned\u0007 Cloud\u202e
    >>> term_safe("line\tone\n")
    'line\tone\n'
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _SafeText(io.TextIOBase):
    """A text stream that writes through :func:`term_safe`; binary writes (``.buffer``) pass unchanged."""

    def __init__(self, raw):
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(term_safe(text))
        return len(text)

    def flush(self) -> None:
        self._raw.flush()

    def isatty(self) -> bool:
        return False  # so that nothing writes colour codes only to see them escaped

    def __getattr__(self, name):  # buffer, encoding, fileno, ... of the stream underneath
        return getattr(self._raw, name)


@contextmanager
def safe_output():
    """Run a command with standard output and error written through :func:`term_safe`."""
    out, error = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeText(out), _SafeText(error)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, error


def err(text: str = "") -> None:
    """Print to stderr (summaries and problems; results go to stdout)."""
    print(text, file=sys.stderr)


def problem_text(p: Problem, lang: str) -> str:
    """A problem as ``str(p)`` writes it, with the place (line, column) in ``lang``; its sentence stays English."""
    if lang == "en":
        return str(p)
    where = p.file
    if p.line is not None:
        where += f" {t('problem.line', lang)} {p.line}"
    if p.column:
        where += f", {t('problem.column', lang)} {p.column}"
    text = f"{where}: {p.message}"
    return f"{text} {p.hint}" if p.hint else text


def report_problems(problems: list[Problem], *, show_warnings: bool = True) -> None:
    lang = current_lang()
    for p in problems:
        if p.severity == "error" or show_warnings:
            err(f"{severity_word(p.severity, lang) if lang != 'en' else p.severity.upper():7} {problem_text(p, lang)}")


def demo_path() -> Path:
    """The bundled demo inventory inside the installed package."""
    return Path(str(resources.files("sovmap") / "demo" / "municipality"))


def inventory_path(path: Path | None, demo: bool) -> Path:
    """PATH, or the demo with --demo; a usage error (exit 2) when neither or both are given."""
    if demo and path is not None:
        err(t("usage.path_and_demo", current_lang()))
        raise typer.Exit(2)
    if demo:
        return demo_path()
    if path is None:
        err(t("usage.no_path", current_lang()))
        raise typer.Exit(2)
    check_not_one_file(path)
    return path


def check_not_one_file(path: Path) -> None:
    """A usage error (exit 2) naming the folder to use when PATH is one CSV file of an inventory, not the inventory.

    That is: a CSV file next to other CSV files (a lone CSV file is still read as given).
    """
    suffixes = (".csv", ".tsv", ".txt")
    if path.suffix.lower() not in suffixes or not path.is_file():
        return
    try:
        siblings = [x for x in path.parent.iterdir() if x.is_file() and x.suffix.lower() in suffixes and x.name != path.name]
    except OSError:
        return
    if siblings:
        folder = path.parent if str(path.parent) else Path(".")
        err(t("usage.one_file", current_lang(), path=path, folder=folder))
        raise typer.Exit(2)


ONE_SHOT = False  # set by the `sovmap` command (sovmap.cli.main): this process answers one command and exits


def kept(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g``, and when this process answers one command and exits (:data:`ONE_SHOT`), everything alive now frozen out
    of the cyclic garbage collector (``gc.freeze``): the graph's millions of dicts live until the process ends, so
    the full collections the analysis would trigger could free nothing of them yet walk them all (about 0.7 s
    nationally each time). Never in a long-running process (the dashboard, tests calling the CLI in-process):
    what is frozen there is never collected again."""
    if ONE_SHOT:
        gc.freeze()
    return g


def load_graph(path: Path | None, demo: bool = False, neo4j: str | None = None,
               source: str | None = None) -> nx.MultiDiGraph:
    """Load and validate an inventory (or pull it from Neo4j); on errors print them and exit with status 1."""
    if neo4j is not None:
        if path is not None or demo or not source:
            err(t("usage.neo4j_source", current_lang()))
            raise typer.Exit(2)
        from sovmap.store.neo4j import Connection

        from .neo4j import pull_graph

        return kept(pull_graph(Connection(uri=neo4j), source))
    path = inventory_path(path, demo)
    if (path / "CURRENT").is_file() and (path / "versions").is_dir():  # a dashboard workspace: its current version
        from sovmap.store.workspace import Workspace, WorkspaceError

        try:
            return kept(Workspace(path).load_graph())  # from the version's snapshot when that is usable
        except WorkspaceError as exc:
            err(f"{path}: {exc}")
            raise typer.Exit(1) from None
    inv, problems = load(path)
    stop_on_errors(path, inv, problems, "loaded")
    return kept(build_graph(inv))


def stop_on_errors(path: Path, inv, problems: list[Problem], verb: str) -> None:
    """Report the errors and exit 1 when the inventory did not load ("nothing was <verb>")."""
    if inv is not None and not has_errors(problems):
        return
    report_problems(problems, show_warnings=False)
    n = sum(p.severity == "error" for p in problems)
    lang = current_lang()
    err("\n" + t("load.errors", lang, path=path, n=n, verb=t(f"load.verb.{verb}", lang) if lang != "en" else verb))
    if path.is_file() and path.suffix.lower() in (".csv", ".tsv", ".txt"):
        err(t("load.one_file", lang))
    raise typer.Exit(1)


def apply_acquisitions(g: nx.MultiDiGraph, acquisitions: list[str]) -> nx.MultiDiGraph:
    """The graph after the --acquire sales (the same graph when there are none); usage errors exit 2."""
    from sovmap.graph.errors import SovmapError
    from sovmap.graph.whatif import acquire, parse_acquisition

    from .ids import resolve_id

    try:
        for text in acquisitions:
            supplier, parent = parse_acquisition(text)
            supplier = resolve_id(g, supplier, "supplier", by_name=True)
            if parent.casefold() in {n.casefold() for n, k in g.nodes(data="kind") if k == "supplier"}:
                parent = resolve_id(g, parent, "supplier")
            g = acquire(g, supplier, parent)
    except SovmapError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    return g


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
