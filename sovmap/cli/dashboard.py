"""`sovmap dashboard`: start the web dashboard on this computer, offline, over a versioned workspace."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from sovmap.store import Workspace, demo_files

from .common import err

__all__ = ["register", "dashboard", "streamlit_args", "DEFAULT_WORKSPACE"]

DEFAULT_WORKSPACE = Path("~/.sovmap/workspace")
ENV_WORKSPACE = "SOVMAP_WORKSPACE"  # read by sovmap.dashboard.data, as are the two below
ENV_NEO4J = "SOVMAP_NEO4J"
ENV_NEO4J_SOURCE = "SOVMAP_NEO4J_SOURCE"


def streamlit_args(app: Path, port: int, host: str) -> list[str]:
    """The `streamlit run` command line: local only, no usage statistics, no file watcher, no developer menu."""
    return ["streamlit", "run", str(app),
            "--server.port", str(port), "--server.address", host, "--server.headless", "true",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--server.maxUploadSize", "512",
            "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal", "--client.showErrorDetails", "false", "--theme.base", "light"]


def dashboard(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Folder that keeps every uploaded version of the inventory "
        f"(default: $SOVMAP_WORKSPACE or {DEFAULT_WORKSPACE}).", show_default=False)] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Load the bundled demo inventory (a fictional municipality) when the workspace is empty.")] = False,
    port: Annotated[int, typer.Option("--port", "-p", help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on; 127.0.0.1 serves only this computer.")] = "127.0.0.1",
    neo4j: Annotated[str | None, typer.Option(
        "--neo4j", help="Read the inventory from this Neo4j server (bolt://...) instead of the workspace; "
        "credentials from NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE. Uploads still go to the workspace.",
        show_default=False)] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="With --neo4j: the inventory to show first (see `sovmap neo4j sources`; "
        "default: the first). The sidebar offers the others.", show_default=False)] = None,
) -> None:
    """Start the dashboard in the browser: upload inventories, explore the graph, ask what breaks if a supplier cuts access."""
    if source is not None and neo4j is None:
        err("--source names an inventory in Neo4j: give --neo4j bolt://... too.")
        raise typer.Exit(2)
    root = (workspace or Path(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE)).expanduser().resolve()
    ws = Workspace(root)
    if demo and not ws.versions():
        version, _ = ws.add(demo_files())
        err(f"Loaded the demo inventory into {root} as version {version.id}.")
    err(f"Workspace: {root}")
    if neo4j is not None:
        err(f"Neo4j: {neo4j}, inventory {source or '(the first)'}; uploads go to the workspace.")
    err(f"Open http://{'localhost' if host in ('127.0.0.1', 'localhost') else host}:{port} in your browser; "
        "stop with Ctrl+C.")
    os.environ[ENV_WORKSPACE] = str(root)
    for name, value in ((ENV_NEO4J, neo4j), (ENV_NEO4J_SOURCE, source)):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    from streamlit.web import cli as streamlit_cli

    with resources.as_file(resources.files("sovmap.dashboard").joinpath("app.py")) as app:
        sys.argv = streamlit_args(app, port, host)
        streamlit_cli.main()


def register(app: typer.Typer) -> None:
    app.command()(dashboard)
