"""The offline path for a FIRST load: ``neo4j-admin database import full`` into a new database, timed end to end.

Writes the graph as the importer's CSV files (one node file per kind, one relationship file per type, with the
store's ``_sov_uid``, ``_sov_source`` and ``_sov_tag`` on the nodes, as ``sovmap neo4j push`` writes them), runs the importer
from the embedded server's jars (tests/neo4j/lib) into a fresh Neo4j home, starts the server on it, creates the
store's constraints and index and the ``SovmapSource`` node that makes the import the source's current version,
and checks that ``pull`` reads it back whole. Used by ``bench/bench_neo4j.py --import-tool``.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

from sovmap.graph.model import edge_rows
from sovmap.store import neo4j as store
from sovmap.store.cypher import NODE_LABEL, SOURCE, SOURCE_LABEL, TAG, UID, label_of, type_of
from tests.neo4j_server import LIB_DIR, Neo4jServer

ARRAY = "\x1e"  # the importer's array delimiter (record separator: never in an inventory's text)


def _type(values) -> str:
    """The importer's header type for a column's values: string[], boolean, long, double or string."""
    kinds = {type(v) for v in values}
    if kinds == {list}:
        return ":string[]"
    if kinds == {bool}:
        return ":boolean"
    if kinds == {int}:
        return ":long"
    if kinds <= {int, float}:
        return ":double"
    return ""


def _cell(value) -> str:
    return ARRAY.join(value) if isinstance(value, list) else str(value).lower() if isinstance(value, bool) else value


def _write(path: Path, rows: list[dict], fixed: list[str]) -> None:
    """One CSV file: the ``fixed`` importer columns first, then every property that occurs, typed."""
    columns = sorted({k for r in rows for k in r} - set(fixed))
    header = fixed + [c + _type([r[c] for r in rows if c in r]) for c in columns]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        keys = fixed + columns
        w.writerows([_cell(r[k]) if k in r else None for k in keys] for r in rows)


def write_csv(g, folder: Path, source: str, tag: str) -> tuple[list[str], list[str]]:
    """The importer's --nodes and --relationships arguments for ``g`` written to ``folder``."""
    uid = f"{UID}:ID"
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        props = {store._stored(k): store._scalar(v) for k, v in d.items() if v is not None}
        props.update({"id": n, uid: store._uid(source, tag, n), SOURCE: source, TAG: tag})
        by_kind[d["kind"]].append(props)
    nodes = []
    for kind, rows in by_kind.items():
        path = folder / f"nodes-{kind}.csv"
        _write(path, rows, [uid])
        nodes.append(f"--nodes={NODE_LABEL}:{label_of(kind)}={path}")
    del by_kind
    by_type: dict[str, list[dict]] = defaultdict(list)
    for u, v, rel, d in g.edges(keys=True, data=True):
        props = {store._stored(k): store._scalar(x) for k, x in d.items() if x is not None and k not in
                 ("required", "groups")}
        ends = {":START_ID": store._uid(source, tag, u), ":END_ID": store._uid(source, tag, v)}  # no store properties
        for group, k in edge_rows(d):
            by_type[rel].append({**props, **ends, **({"group": group, "min_required": k} if group else {})})
    relationships = []
    for rel, rows in by_type.items():
        path = folder / f"relationships-{rel}.csv"
        _write(path, rows, [":START_ID", ":END_ID"])
        relationships.append(f"--relationships={type_of(rel)}={path}")
    return nodes, relationships


def import_tool(g, source: str, heap: str, pagecache: str) -> dict:
    """Seconds per step of a first load through the importer, and the counts ``pull`` found afterwards."""
    home = Path(tempfile.mkdtemp(prefix="sovmap-import-"))
    tag = uuid.uuid4().hex
    times = {}
    try:
        t = time.perf_counter()
        (home / "csv").mkdir()
        nodes, relationships = write_csv(g, home / "csv", source, tag)
        times["write the CSV files"] = time.perf_counter() - t
        t = time.perf_counter()
        java = shutil.which("java") or "java"
        out = subprocess.run(
            [java, f"-Xmx{heap}", "-cp", f"{LIB_DIR}/*", "org.neo4j.cli.AdminTool", "database", "import", "full",
             "--id-type=string", f"--array-delimiter=U+{ord(ARRAY):04X}", *nodes, *relationships],
            env=dict(os.environ, NEO4J_HOME=str(home)), cwd=home, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError((out.stdout + out.stderr)[-4000:])
        times["neo4j-admin database import full"] = time.perf_counter() - t
        shutil.rmtree(home / "csv")
        t = time.perf_counter()
        with Neo4jServer(heap=heap, pagecache=pagecache, data_dir=home, startup_timeout=300) as server:
            import neo4j

            driver = neo4j.GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")
            times["start the server on it"] = time.perf_counter() - t
            t = time.perf_counter()
            store._ensure_schema(driver, {})
            driver.execute_query("CALL db.awaitIndexes(3600)")
            times["create the constraints and index"] = time.perf_counter() - t
            driver.execute_query(
                f"CREATE (s:{SOURCE_LABEL} {{name: $source, current_tag: $tag, layout: $layout, version: 'import', "
                "nodes: $n, relationships: $r, revision: 1})", source=source, tag=tag, layout=store.LAYOUT,
                n=g.number_of_nodes(), r=sum(len(edge_rows(d)) for _, _, d in g.edges(data=True)))
            t = time.perf_counter()
            pulled = store.pull(driver, source)
            times["pull (check)"] = time.perf_counter() - t
            driver.close()
        return {"times": times, "nodes": pulled.number_of_nodes(), "relationships": pulled.number_of_edges()}
    finally:
        shutil.rmtree(home, ignore_errors=True)
