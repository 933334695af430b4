"""What the graph browser's chain view needs from Neo4j: one item's dependency closure, never the whole inventory.

The chain view (:func:`sovmap.graph.paths.chain_view`) follows dependencies from
a focus to the ultimate owner and its country (``"down"``), or back to
everything that depends on it (``"up"``). :func:`closure` fetches exactly that
part, level by level (one query per step, so the fetch stops as soon as it
reaches ``limit`` nodes), with every outgoing relationship of the nodes it
brings (their badges, k-of-N groups and owners) and, for ``"up"``, what those
nodes themselves run on (who controls them). A level brings only each node's id
and kind; the properties of the nodes kept come in one query at the end.
:func:`neighbours` adds what a double-click expands; :func:`dependants` counts
what depends on an item (the detail panel) in one query. The dashboard builds a networkx graph from the rows and
runs the same graph/ functions on it as on the whole graph.

Only labels and relationship types from the vocabulary enter query text
(:mod:`sovmap.store.cypher`); every value (ids, sources, types) is a parameter.

Examples
--------
>>> sorted(CHAIN_TYPES)[:3]
['DEPENDS_ON', 'HOSTED_AT', 'OPERATED_BY']
>>> HUB_LABELS
('Country', 'Organisation')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sovmap.graph.paths import CHAIN_RELATIONS, HUB_KINDS

from .cypher import NODE_LABEL, UID, label_of, type_of
from .neo4j import _columns, _consistent, _edge_rows, _kw, _uid

__all__ = ["CHAIN_TYPES", "HUB_LABELS", "FETCH_LIMIT", "COUNT_TIMEOUT", "Rows", "Dependants", "closure",
           "neighbours", "dependants"]

CHAIN_TYPES = frozenset(type_of(r) for r in CHAIN_RELATIONS)
HUB_LABELS = tuple(sorted(label_of(k) for k in HUB_KINDS))
FETCH_LIMIT = 3000  # most nodes one closure brings from Neo4j (a view draws at most ~150, aggregated beyond)

# One step outward from the frontier: every relationship, with the id and kind of the node at its end (its
# other properties come in one query for the nodes kept, see _fill: a hub's level brings far more than the cap).
_OUT = (f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $uids "
        f"MATCH (c)-[r]->(m:{NODE_LABEL}) "
        "RETURN c.id AS source, m.id AS target, type(r) AS type, properties(r) AS props, m.id AS id, m.kind AS kind")
# One step back: what depends on the frontier (along dependency types; any relationship into the focus when it
# is a hub, as a country or organisation is depended on through every relationship that points at it).
_IN = (f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $uids "
       f"MATCH (c)<-[r]-(m:{NODE_LABEL}) WHERE type(r) IN $types OR c.{UID} = $hub "
       "RETURN m.id AS source, c.id AS target, type(r) AS type, properties(r) AS props, m.id AS id, m.kind AS kind")
_NODES = f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $uids RETURN properties(c) AS node"
_BARE = object()  # marks a node a walk kept with only its id and kind (see _fill)
COUNT_TIMEOUT = 30.0  # seconds the server may spend counting what depends on one item (then: Neo4jUnavailable)
# What depends on the focus, counted on the server: the direct dependants (along dependency types; for a hub,
# everything pointing at it), then every process that reaches one of them along dependency types. DISTINCT
# endpoints let Neo4j expand each level once (a pruning breadth-first expand), not path by path.
_DEPENDANTS = (
    f"MATCH (c:{NODE_LABEL} {{{UID}: $uid}}) "
    f"OPTIONAL MATCH (d:{NODE_LABEL})-[r]->(c) WHERE $hub OR type(r) IN $types "
    "WITH c, collect(DISTINCT d) AS direct "
    "CALL (c, direct) { UNWIND direct AS d "
    f"MATCH (p:{NODE_LABEL}:{label_of('process')})-[:{'|'.join(sorted(CHAIN_TYPES))}*0..]->(d) WHERE p <> c "
    "RETURN count(DISTINCT p) AS processes } "
    "CALL (direct) { UNWIND direct AS d WITH d ORDER BY d.id LIMIT $shown RETURN collect(properties(d)) AS shown } "
    "RETURN size(direct) AS direct, processes, shown")


@dataclass
class Dependants:
    """What depends on one item, as the detail panel says it: how many items depend on it directly, the first
    ``shown`` of them (node rows, by id), and how many processes depend on it directly or through others."""

    direct: int
    processes: int
    shown: list[dict] = field(default_factory=list)


@dataclass
class Rows:
    """Nodes and relationships as :func:`sovmap.store.neo4j.neighbourhood` returns them; ``capped`` when Neo4j had
    more than the fetch limit allowed."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    capped: bool = False


def _hub(node: dict) -> bool:
    return node.get("kind") in HUB_KINDS


def _walk(driver, source: str, tag: str, start: Iterable[str], query: str, limit: int, database: str | None,
          rows: Rows, seen: dict[str, dict], params: dict | None = None, walk_hubs: Iterable[str] = ()) -> None:
    """Breadth-first over ``query`` from ``start``: nodes into ``seen``, relationships into ``rows``.

    Hubs (countries, organisations) end a walk, except those in ``walk_hubs``.
    """
    through = set(walk_hubs)
    frontier = [n for n in dict.fromkeys(start) if n in through or not _hub(seen.get(n, {}))]
    done: set[str] = set()
    while frontier:
        done.update(frontier)
        records, _, _ = driver.execute_query(query, uids=[_uid(source, tag, n) for n in frontier],
                                             **(params or {}), **_kw(database))
        nxt: list[str] = []
        for r in records:
            other = r["id"]
            rows.edges.append({"source": r["source"], "target": r["target"], "type": r["type"], "props": r["props"]})
            if other not in seen:
                if len(seen) >= limit:
                    rows.capped = True
                    continue
                seen[other] = {"id": other, "kind": r["kind"], _BARE: True}
                if not _hub(seen[other]) and other not in done:
                    nxt.append(other)
        frontier = list(dict.fromkeys(n for n in nxt if n not in done))


def _fill(driver, source: str, tag: str, seen: dict[str, dict], database: str | None) -> None:
    """Every property of the nodes a walk kept with only their id and kind, in one query."""
    bare = [n for n, d in seen.items() if d.get(_BARE)]
    if bare:
        seen.update(_start(driver, source, tag, bare, database))


def _finish(rows: Rows, seen: dict[str, dict]) -> Rows:
    rows.nodes = list(seen.values())
    rows.edges = _edge_rows(e for e in {(e["source"], e["type"], e["target"], repr(sorted(e["props"].items()))): e
                                        for e in rows.edges if e["source"] in seen and e["target"] in seen}.values())
    return rows


def _start(driver, source: str, tag: str, nodes: list[str], database: str | None) -> dict[str, dict]:
    records, _, _ = driver.execute_query(_NODES, uids=[_uid(source, tag, n) for n in nodes], **_kw(database))
    return {r["node"]["id"]: _columns(r["node"]) for r in records}


def closure(driver, source: str, focus: str, direction: str = "down", limit: int = FETCH_LIMIT,
            context: bool = True, database: str | None = None) -> Rows:
    """The part of ``source`` a chain view of ``focus`` needs, at most ``limit`` nodes (nearest first).

    ``"down"``: everything the focus depends on, to the ultimate owners and their countries, with every
    relationship going out of those nodes. ``"up"``: everything that depends on the focus, then (within the
    same limit) everything those nodes depend on, for who controls them (``context``; without it only what
    counting the dependants needs). Raises LookupError when ``focus`` is not in ``source``.
    """
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not {direction!r}")

    def read(tag: str) -> Rows:
        seen = _start(driver, source, tag, [focus], database)
        if focus not in seen:
            raise LookupError(f'"{focus}" is not in inventory "{source}".')
        rows = Rows()
        if direction == "up":
            _walk(driver, source, tag, [focus], _IN, limit, database, rows, seen,
                  {"types": sorted(CHAIN_TYPES), "hub": _uid(source, tag, focus) if _hub(seen[focus]) else None},
                  walk_hubs=[focus])
            if context:
                _walk(driver, source, tag, list(seen), _OUT, limit, database, rows, seen, walk_hubs=[focus])
        else:
            _walk(driver, source, tag, [focus], _OUT, limit, database, rows, seen, walk_hubs=[focus])
        _fill(driver, source, tag, seen, database)
        return _finish(rows, seen)

    return _consistent(driver, source, database, read)[0]


def neighbours(driver, source: str, nodes: list[str], limit: int = FETCH_LIMIT,
               database: str | None = None) -> Rows:
    """What expanding ``nodes`` adds: every node next to them (either direction), and what those depend on.

    Nodes no longer in ``source`` are skipped.
    """
    def read(tag: str) -> Rows:
        seen = _start(driver, source, tag, nodes, database)
        rows = Rows()
        uids = [_uid(source, tag, n) for n in seen]
        records, _, _ = driver.execute_query(
            f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $uids MATCH (c)-[r]-(m:{NODE_LABEL}) "
            "RETURN startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, properties(r) AS props, "
            "properties(m) AS node", uids=uids, **_kw(database))
        for r in records:
            rows.edges.append({"source": r["source"], "target": r["target"], "type": r["type"], "props": r["props"]})
            other = r["node"]["id"]
            if other not in seen:
                if len(seen) >= limit:
                    rows.capped = True
                    continue
                seen[other] = _columns(r["node"])
        _walk(driver, source, tag, [*seen], _OUT, limit, database, rows, seen, walk_hubs=[*seen])
        _fill(driver, source, tag, seen, database)
        return _finish(rows, seen)

    return _consistent(driver, source, database, read)[0]


def dependants(driver, source: str, node: str, shown: int = 5, database: str | None = None) -> Dependants:
    """What depends on ``node`` in ``source``, counted by the server in one query (never fetched node by node).

    The same numbers as :func:`sovmap.dashboard.graphview_panel.dependants` on the whole graph. The server
    gives up after :data:`COUNT_TIMEOUT` seconds. Raises LookupError when ``node`` is not in ``source``.
    """
    import neo4j

    def read(tag: str) -> Dependants:
        start = _start(driver, source, tag, [node], database)
        if node not in start:
            raise LookupError(f'"{node}" is not in inventory "{source}".')
        records, _, _ = driver.execute_query(
            neo4j.Query(_DEPENDANTS, timeout=COUNT_TIMEOUT), uid=_uid(source, tag, node), hub=_hub(start[node]),
            types=sorted(CHAIN_TYPES), shown=shown, **_kw(database))
        r = records[0]
        return Dependants(r["direct"], r["processes"], [_columns(n) for n in r["shown"]])

    return _consistent(driver, source, database, read)[0]
