"""The graph browser on Neo4j: a small local graph around a node, fetched with Cypher, never the whole inventory.

:func:`surroundings` asks the store for the neighbourhood of the focus (and of
every expanded node): the graph browser's own
:func:`sovmap.dashboard.graphview.neighbourhood` picks the same view from it as
from the whole graph, as long as Neo4j had no more nodes within reach than one
query brings (nearest first). :func:`with_context` then adds everything the
drawn nodes point to (what they run on, their suppliers, operators and owners),
so that the non-European marks and the details panel are those of the whole
graph too. No Streamlit here: :mod:`sovmap.dashboard.data` caches the results.

Examples
--------
>>> g = local_graph([([{"id": "SYS", "kind": "system", "name": "Zaken"}, {"id": "S", "kind": "supplier"}],
...                   [{"source": "SYS", "target": "S", "type": "PROVIDED_BY", "props": {"tag": "x"}}])])
>>> sorted(g.edges(keys=True)), g.nodes["SYS"]
([('SYS', 'S', 'provided_by')], {'kind': 'system', 'name': 'Zaken'})
>>> option_labels([{"id": "S-KYN", "name": "Kynthos", "kind": "supplier"}], "en")
{'S-KYN': 'Kynthos (S-KYN) · Supplier'}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from sovmap.graph.model import add_meaning
from sovmap.ontology.vocab import vocabulary
from sovmap.store import neo4j as store

from .i18n import country_label, kind_label

__all__ = ["Surroundings", "local_graph", "surroundings", "with_context", "lookup", "option_labels"]


@dataclass(frozen=True)
class Surroundings:
    """The nodes within reach of ``focus`` and the relationships among them; ``truncated`` when Neo4j had more."""

    g: nx.MultiDiGraph
    focus: str
    truncated: bool


def local_graph(parts: Iterable[tuple[Sequence[dict], Sequence[dict]]]) -> nx.MultiDiGraph:
    """One graph from (nodes, edges) rows as :func:`sovmap.store.neo4j.neighbourhood` returns them.

    Nodes and edges are shaped as :func:`sovmap.store.neo4j.pull` shapes them, so the graph/ and
    dashboard functions read them the same way.
    """
    return _add(nx.MultiDiGraph(), parts)


def _add(g: nx.MultiDiGraph, parts: Iterable[tuple[Sequence[dict], Sequence[dict]]]) -> nx.MultiDiGraph:
    rel_of = {r.neo4j_type: r.id for r in vocabulary().relations}
    edges: list[dict] = []
    for nodes, part_edges in parts:
        for n in nodes:
            props = dict(n)
            g.add_node(props.pop("id"), **props)
        edges.extend(part_edges)
    for e in edges:
        if e["source"] in g and e["target"] in g:
            props = e.get("props") or {}
            u, v, rel = e["source"], e["target"], rel_of[e["type"]]
            # One relationship per meaning (required, or a member of a group): merged into one edge as pull does.
            if g.has_edge(u, v, rel):
                add_meaning(g.edges[u, v, rel], props.get("group"), props.get("min_required"))
            elif props.get("group"):
                g.add_edge(u, v, key=rel, required=False, groups=((props["group"], props.get("min_required") or 1),))
            else:
                g.add_edge(u, v, key=rel)
    return g


def surroundings(driver, source: str, focus: str, radius: int, expanded: Sequence[str] = (), limit: int = 6000,
                 database: str | None = None) -> Surroundings:
    """The nodes within ``radius`` steps of ``focus`` and the neighbours of ``expanded``, from Neo4j.

    Each neighbourhood query brings at most ``limit`` nodes, nearest first. Raises LookupError when ``focus``
    is not in ``source``; expanded nodes that are no longer there are skipped.
    """
    first = store.neighbourhood(driver, source, focus, 1, limit, database)
    # Nearest first: when the direct neighbours alone fill a query, more steps would bring the same nodes.
    parts = [first if radius == 1 or first[2] else store.neighbourhood(driver, source, focus, radius, limit, database)]
    for node in expanded:
        try:
            parts.append(store.neighbourhood(driver, source, node, 1, limit, database))
        except LookupError:
            continue
    g = local_graph((nodes, edges) for nodes, edges, _ in parts)
    return Surroundings(g, focus, any(truncated for _, _, truncated in parts))


def with_context(driver, source: str, near: Surroundings, nodes: Iterable[str],
                 database: str | None = None) -> nx.MultiDiGraph:
    """A copy of ``near.g`` with everything ``nodes`` point to, directly or further on, from Neo4j.

    That is what judging who controls a node needs (:func:`sovmap.dashboard.graphview.non_european_control`)
    and what the details panel shows (:func:`sovmap.dashboard.details.node_details`).
    """
    return _add(near.g.copy(), [store.outward(driver, source, list(nodes), database)])


def lookup(driver, source: str, node: str, database: str | None = None) -> dict | None:
    """The search row (id, name, kind, code) of ``node``; None when it is not in ``source``.

    An index lookup (no search through every name), for a node named by the URL or chosen before.
    """
    nodes, _ = store.outward(driver, source, [node], database)
    row = next((n for n in nodes if n["id"] == node), None)
    return None if row is None else {k: row.get(k) for k in ("id", "name", "kind", "code")}


def option_labels(rows: Iterable[dict], lang: str) -> dict[str, str]:
    """Labels "name (id) · kind" for search results (rows of :func:`sovmap.store.neo4j.search`), as the embedded
    chooser shows them; a country is named in ``lang``."""
    def name(r: dict) -> str:
        if r.get("kind") == "country" and r.get("code"):
            return country_label(r["code"], lang)
        return r.get("name") or r["id"]

    return {r["id"]: f"{name(r)} ({r['id']}) · {kind_label(r['kind'], lang)}" for r in rows}
