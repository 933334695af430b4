"""`sovmap neo4j ...`: push an inventory to Neo4j, pull it back, list what is there."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from sovmap.graph.summary import inventory_summary
from sovmap.ingest.write import write_csv_folder

from .common import DemoOpt, JsonOpt, PathArg, emit_json, err, inventory_path, load_graph

__all__ = ["app", "Neo4jOpts", "open_driver", "pull_graph"]

app = typer.Typer(help="Share the graph through a Neo4j server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).",
                  no_args_is_help=True)

UriOpt = Annotated[str | None, typer.Option("--uri", envvar="NEO4J_URI", help="Bolt URI, e.g. bolt://127.0.0.1:7687.")]
UserOpt = Annotated[str | None, typer.Option("--username", envvar="NEO4J_USERNAME", help="User name.")]
PasswordOpt = Annotated[str | None, typer.Option("--password", envvar="NEO4J_PASSWORD", help="Password.")]
DatabaseOpt = Annotated[str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Database (default: the server's).")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Name of the inventory in Neo4j (default: the folder or file name).")]


class Neo4jOpts:
    """The connection options, bundled once."""

    def __init__(self, uri, username, password, database):
        from sovmap.store.neo4j import Connection

        self.conn = Connection(uri, username, password, database)


def open_driver(conn):
    """Connect, turning a connection failure into a message and exit status 2."""
    from sovmap.store.neo4j import connect

    try:
        return connect(conn)
    except Exception as exc:  # the driver raises several kinds; all mean "cannot reach the server"
        err(f"Cannot reach Neo4j at {conn.resolved().uri}: {exc}. Check --uri/NEO4J_URI and the credentials.")
        raise typer.Exit(2) from None


def pull_graph(conn, source: str):
    """The current graph of ``source`` from Neo4j (exit 2 with a message when it is not there)."""
    from sovmap.store.neo4j import pull

    driver = open_driver(conn)
    try:
        return pull(driver, source, conn.resolved().database)
    except LookupError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    finally:
        driver.close()


def _checksum(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@app.command()
def push(
    path: PathArg = None,
    workspace: Annotated[Path | None, typer.Option("--workspace", help="Push the current version of this dashboard workspace.")] = None,
    source: SourceOpt = None,
    uri: UriOpt = None, username: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
    demo: DemoOpt = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait while another push of the same inventory runs.")] = 900,
    answers: Annotated[bool, typer.Option("--answers/--no-answers", help="Also store the answers every reader asks "
                                          "(spof, rank, assess, coverage), so they are read instead of computed; "
                                          "--no-answers makes a large push faster, and readers then compute.")] = True,
    full: Annotated[bool, typer.Option("--full", help="Rewrite the whole inventory under a new tag instead of "
                                       "writing only what changed since its current version.")] = False,
) -> None:
    """Write an inventory into Neo4j: only what changed since its current version, or all of it with --full.

    Readers see the earlier version, complete, until the new one is there complete.
    """
    from sovmap.store.incremental import push_changes
    from sovmap.store.neo4j import PushConflict
    from sovmap.store.neo4j import push as push_full

    if workspace is not None:
        from sovmap.store.workspace import Workspace

        ws = Workspace(workspace)
        current = ws.current()
        if current is None:
            err(f"The workspace {workspace} has no current version yet; upload an inventory first.")
            raise typer.Exit(2)
        g = ws.load_graph()
        name, version = source or workspace.resolve().name, current.id
    else:
        p = inventory_path(path, demo)
        g = load_graph(path, demo)
        name, version = source or p.resolve().name.removesuffix(".zip").removesuffix(".xlsx"), _checksum(p)
    conn = Neo4jOpts(uri, username, password, database).conn
    driver = open_driver(conn)
    try:
        push_graph = push_full if full else push_changes
        result = push_graph(driver, g, name, version, conn.resolved().database, wait_s=wait, answers=answers)
    except PushConflict as exc:  # another push of the same source holds the lease
        err(str(exc))
        raise typer.Exit(2) from None
    finally:
        driver.close()
    print(f"{result.source}: {result.nodes} nodes, {result.relationships} relationships (version {result.version}).")
    if result.mode == "incremental":
        print(f"Incremental push: {result.added} nodes added, {result.changed} changed, {result.removed_nodes} removed; "
              f"{result.relationships_written} relationships written, {result.relationships_removed} removed.")
    else:
        print(f"Full push: all {result.nodes} nodes and {result.relationships} relationships written"
              + (f" ({result.reason})." if result.reason else "."))
    if result.removed_tags:
        err(f"Removed {result.removed_tags} earlier state(s) of {result.source}.")


@app.command()
def pull(
    source: Annotated[str, typer.Option("--source", help="Name of the inventory in Neo4j.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the inventory as CSV files into this folder.")] = None,
    uri: UriOpt = None, username: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Rebuild the graph from Neo4j; print its summary, or write it as an inventory with -o."""
    g = pull_graph(Neo4jOpts(uri, username, password, database).conn, source)
    if output is not None:
        write_csv_folder(g, output)
        err(f"Wrote {output}/ ({g.number_of_nodes()} nodes, {g.number_of_edges()} relationships).")
    summary = inventory_summary(g)
    if json_:
        emit_json(summary)
    else:
        for kind, n in summary["counts"].items():
            print(f"  {kind:14} {n:6}")


@app.command("sources")
def list_sources(
    uri: UriOpt = None, username: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
    json_: JsonOpt = False,
) -> None:
    """List the inventories in Neo4j with their version and time of push."""
    from sovmap.store.neo4j import sources

    conn = Neo4jOpts(uri, username, password, database).conn
    driver = open_driver(conn)
    try:
        rows = sources(driver, conn.resolved().database)
    finally:
        driver.close()
    if json_:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['name']:30} {r['version']:18} {r['pushed_at']}  {r['nodes']} nodes, {r['relationships']} relationships")
