"""Shared fixtures: paths to the bundled inventories and a small inventory writer."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.neo4j_server import neo4j_server  # noqa: F401  (session fixture: a real Neo4j)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_path() -> Path:
    """The demo municipality as installed in the package."""
    return Path(str(resources.files("sovmap") / "demo" / "municipality"))


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return FIXTURES / "mini"


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> Path:
    """A workspace holding the demo municipality as v0001 (read-only for the tests that use it)."""
    from sovmap.store import Workspace, demo_files

    root = tmp_path_factory.mktemp("demo-ws")
    Workspace(root).add(demo_files())
    return root


@pytest.fixture(scope="module")
def demo_g():
    """The demo municipality's graph, one per test module (a module may change it)."""
    from sovmap.graph.model import build_graph
    from sovmap.ingest.validate import load_files
    from sovmap.store import demo_files

    return build_graph(load_files(demo_files())[0])


def write_inventory(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write {file name: text} into ``folder`` (text as UTF-8) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def driver(neo4j_server):  # noqa: F811
    """A driver on the session's Neo4j server, with an empty database."""
    import neo4j

    from tests.neo4j_server import clean_database

    d = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None)
    clean_database(d)
    yield d
    d.close()


@pytest.fixture(autouse=True, scope="module")
def dashboard_caches_released():
    """After each test module, the dashboard's cached resources are released: the dashboard keeps a cached graph
    frozen out of the garbage collector (sovmap.dashboard.data.graph) until its cache drops it, and a later module
    (tests/test_snapshot.py) checks the collector's generations."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_resource.clear()
