"""`sovmap dashboard`: start the web dashboard on this computer, offline, over a versioned workspace."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path
from collections.abc import Sequence
from typing import Annotated

import typer

from sovmap.store import Workspace, demo_files

from .common import err

__all__ = ["register", "dashboard", "streamlit_args", "allowed_hosts", "DEFAULT_WORKSPACE", "UPLOAD_LIMIT_MB", "upload_limit_mb"]

DEFAULT_WORKSPACE = Path("~/.sovmap/workspace")
ENV_WORKSPACE = "SOVMAP_WORKSPACE"  # read by sovmap.dashboard.data, as are the two below
ENV_NEO4J = "SOVMAP_NEO4J"
ENV_NEO4J_SOURCE = "SOVMAP_NEO4J_SOURCE"
ENV_DEBUG = "SOVMAP_DEBUG"  # read by sovmap.dashboard.guard


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def upload_limit_mb() -> int:
    """Streamlit's upload limit in MB: the ingest limit (``SOVMAP_MAX_INPUT_MB``, see sovmap.ingest.limits).

    A file larger than what one inventory may hold could never load, so the browser refuses it before the
    server holds it.

    >>> upload_limit_mb() >= 1
    True
    """
    from sovmap.ingest.limits import Limits

    return max(1, Limits.from_env().max_bytes // (1024 * 1024))


UPLOAD_LIMIT_MB = upload_limit_mb()  # at import; streamlit_args reads the setting again when it starts
REMOTE_WARNING = (
    "Serving beyond this computer: the dashboard has no sign-in. Anyone who can reach {host}:{port} can read "
    "the inventory, upload new versions and make an earlier one current. Put it behind a reverse proxy that "
    "authenticates users (see docs/dashboard.md) and let only the proxy reach this port.")


def allowed_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The Host names the dashboard answers to (against DNS rebinding): this computer's, ``host``, and ``extra``.

    >>> allowed_hosts("127.0.0.1")
    ['127.0.0.1', 'localhost', '::1']
    >>> allowed_hosts("0.0.0.0", ["sovmap.example.nl"])
    ['127.0.0.1', 'localhost', '::1', 'sovmap.example.nl']
    """
    names = [*LOCAL_HOSTS, *([] if host in WILDCARD_HOSTS else [host.strip("[]")]), *extra]
    return list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))


def streamlit_args(app: Path, port: int, host: str, hosts: Sequence[str] = (),
                   server_address: str | None = None) -> list[str]:
    """The `streamlit run` command line: local only, no usage statistics, no file watcher, no developer menu.

    Cross-site protection stays on (CORS limited to this origin, XSRF tokens), the WebSocket answers only
    to the Host names of :func:`allowed_hosts`, and Streamlit's own table export is off (the pages offer
    downloads with neutralised formulas instead).
    """
    args = ["streamlit", "run", str(app),
            "--server.port", str(port), "--server.address", host, "--server.headless", "true",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--server.maxUploadSize", str(upload_limit_mb()),
            "--server.enableCORS", "true", "--server.enableXsrfProtection", "true",
            "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal", "--client.showErrorDetails", "false",
            "--client.disableDataExport", "true", "--theme.base", "light"]
    for name in allowed_hosts(host, hosts):
        args += ["--server.allowedHosts", name]
    if server_address:  # the name users type; Streamlit then shows it instead of looking up an external IP
        args += ["--browser.serverAddress", server_address]
    return args


def dashboard(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Folder that keeps every uploaded version of the inventory "
        f"(default: $SOVMAP_WORKSPACE or {DEFAULT_WORKSPACE}).", show_default=False)] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Load the bundled demo inventory (a fictional municipality) when the workspace is empty.")] = False,
    port: Annotated[int, typer.Option("--port", "-p", help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on; 127.0.0.1 serves only this computer. Any other address needs "
        "--allow-remote.")] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Allow --host to serve other computers. The dashboard has no sign-in: put it "
        "behind a reverse proxy that authenticates (docs/dashboard.md).")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="A host name users type to reach the dashboard, e.g. through a reverse proxy "
        "(repeatable). Requests for other names are refused, against DNS rebinding.", show_default=False)] = None,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the technical details of an unexpected error on the page, not only in this window.")
    ] = False,
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
    hosts = list(allowed_host or [])
    remote = host.strip("[]") not in LOCAL_HOSTS
    if remote and not allow_remote:
        err(f"--host {host} would serve the dashboard to other computers, and it has no sign-in: anyone who can "
            "reach it could read and replace the inventory. Put it behind a reverse proxy that authenticates "
            "(docs/dashboard.md) and add --allow-remote, or leave out --host to serve only this computer.")
        raise typer.Exit(2)
    if remote and host in WILDCARD_HOSTS and not hosts:
        err(f"--host {host} listens on every address: name the host names users type with --allowed-host "
            "(e.g. --allowed-host sovmap.example.nl), so that requests for other names are refused.")
        raise typer.Exit(2)
    root = (workspace or Path(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE)).expanduser().resolve()
    ws = Workspace(root)
    if demo and not ws.versions():
        version, _ = ws.add(demo_files())
        err(f"Loaded the demo inventory into {root} as version {version.id}.")
    err(f"Workspace: {root}")
    if neo4j is not None:
        err(f"Neo4j: {neo4j}, inventory {source or '(the first)'}; uploads go to the workspace.")
    if remote:
        err(REMOTE_WARNING.format(host=host, port=port))
    if hosts:
        err(f"Answers to the host names {', '.join(allowed_hosts(host, hosts))} only.")
    err(f"Open http://{host if remote and host not in WILDCARD_HOSTS else 'localhost'}:{port} in your browser"
        f"{' (or through the reverse proxy)' if hosts else ''}; stop with Ctrl+C.")
    os.environ[ENV_WORKSPACE] = str(root)
    for name, value in ((ENV_NEO4J, neo4j), (ENV_NEO4J_SOURCE, source), (ENV_DEBUG, "1" if debug else None)):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    from streamlit import net_util
    from streamlit.web import cli as streamlit_cli

    # Streamlit looks up this computer's external IP address at checkip.amazonaws.com to allow it as an origin;
    # nothing may go out at run time, so it is told the answer (an address it allows anyway).
    net_util._external_ip = "127.0.0.1"
    with resources.as_file(resources.files("sovmap.dashboard").joinpath("app.py")) as app:
        sys.argv = streamlit_args(app, port, host, hosts, hosts[0] if hosts else None)
        streamlit_cli.main()


def register(app: typer.Typer) -> None:
    app.command()(dashboard)
