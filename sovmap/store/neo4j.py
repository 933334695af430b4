"""Neo4j as the shared graph store: push an inventory graph, pull it back, query neighbourhoods.

Each inventory is a *source* (a name such as ``gemeente-zuiderwaard``). A push
takes the source's lease (:mod:`sovmap.store.lease`: one push of a source at a
time, the others wait), writes the whole graph under a new *tag*, then switches
the source's current tag in one transaction, then removes the nodes of every
other tag. Readers only see the current tag, the last *completed* push, so a
push that fails half-way leaves the earlier state readable and complete; its
leftovers are removed by the next push. A reader checks after reading that the
tag it read is still current (the old tag's nodes are removed right after a
switch), and its revision too (an incremental push, :mod:`sovmap.store.incremental`,
changes the current tag's items in one transaction that bumps it), and reads
again when either moved, so it never returns half of a state.

The store's own properties (``_sov_uid``, ``_sov_source``, ``_sov_tag`` and the
derived ``_sov_…`` answers) live apart from the inventory's columns, which are
stored under their own names and come back unchanged by :func:`pull`.

Every value travels as a query parameter; labels and relationship types come
from the ontology through :mod:`sovmap.store.cypher`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections import defaultdict
from itertools import repeat
from dataclasses import dataclass

import networkx as nx

from sovmap.graph.model import build_graph, edge_rows
from sovmap.ingest.validate import EdgeRecord, Inventory, NodeRecord
from sovmap.ingest.read import gc_paused
from sovmap.ontology.vocab import vocabulary

from .cypher import (CONSTRAINTS, INTERNAL, NODE_LABEL, SCHEMA_NAMES, SOURCE, SOURCE_LABEL, TAG, UID, node_merge,
                     node_pages, reach_query, relationship_merge, relationship_pages)
from .lease import HELD, LEASE_S, WAIT_S, Lease, PushConflict
from . import writers
from .writers import Batches, in_batches

__all__ = ["Connection", "PushResult", "PushConflict", "SourceUnreadable", "connect", "derived_properties", "push",
           "pull", "sources", "neighbourhood", "search", "outward", "reach"]

# Rows per write transaction. Smaller transactions cost the server less CPU per element (less transaction state
# to hold and sort at commit): side by side at 250 organisations, 2,500 took 0.6-0.8x the server CPU of 10,000 in
# each of 5 rounds; 5,000 and 1,000 took more than 2,500 in every round (docs/benchmarks.md, Neo4j store).
BATCH = 2_500
PAGE = 20_000  # nodes per record that pull reads (with their outgoing relationships in one more record)
LAYOUT = 2  # SovmapSource.layout; absent: pushed by an earlier sovmap with plain uid/source/tag properties
READ_ATTEMPTS = 5  # reads of a source that a push keeps replacing before a reader gives up
# Derived answers, written for Neo4j Browser users as _sov_<name> and dropped again on pull.
DERIVED = ("supplier_group", "european", "single_points_of_failure", "non_european_spof", "unknown_ownership_spof")
_ESCAPE = INTERNAL + "user_"  # a column whose name starts with _sov_ is stored as _sov_user_<name>


class SourceUnreadable(LookupError):
    """The source's current state cannot be read whole (stored by another sovmap version, or incomplete)."""


class _ReadAgain(Exception):
    """A read met an item that a push removed while it was reading: :func:`_consistent` reads again."""


@dataclass
class Connection:
    """Where the Neo4j server is: options first, then NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE."""

    uri: str | None = None
    username: str | None = None
    password: str | None = None
    database: str | None = None

    def resolved(self) -> "Connection":
        return Connection(
            uri=self.uri or os.environ.get("NEO4J_URI") or "bolt://127.0.0.1:7687",
            username=self.username or os.environ.get("NEO4J_USERNAME"),
            password=self.password or os.environ.get("NEO4J_PASSWORD"),
            database=self.database or os.environ.get("NEO4J_DATABASE"),
        )


def connect(conn: Connection):
    """Open a driver (the official neo4j driver) and check that the server answers."""
    import neo4j

    c = conn.resolved()
    auth = (c.username, c.password or "") if c.username else None
    # The server's query notifications (e.g. "the property `share` does not exist" when no co-ownership was pushed)
    # would reach users as multi-line log warnings from the driver: they say nothing a user can act on.
    driver = neo4j.GraphDatabase.driver(c.uri, auth=auth, notifications_min_severity="OFF")
    driver.verify_connectivity()
    return driver


@dataclass
class PushResult:
    source: str
    tag: str
    version: str
    nodes: int
    relationships: int
    removed_tags: int
    mode: str = "full"  # or "incremental" (sovmap.store.incremental): then the counts below
    reason: str = ""  # why a full push was done where an incremental one was asked for
    added: int = 0
    changed: int = 0
    removed_nodes: int = 0
    relationships_written: int = 0
    relationships_removed: int = 0


def _kw(database: str | None) -> dict:
    return {"database_": database} if database else {}


def _uid(source: str, tag: str, node: str) -> str:
    return f"{source}\x1f{tag}\x1f{node}"


def _stored(column: str) -> str:
    """The property name of an inventory column: its own name, escaped only if it starts like ours.

    >>> _stored("tag"), _stored("_sov_tag")
    ('tag', '_sov_user__sov_tag')
    """
    return _ESCAPE + column if column.startswith(INTERNAL) else column


def _columns(props: dict) -> dict:
    """A stored property map without the store's own properties, with escaped column names restored.

    >>> _columns({"id": "S", "tag": "t", "_sov_tag": "x", "_sov_user__sov_tag": "y"})
    {'id': 'S', 'tag': 't', '_sov_tag': 'y'}
    """
    out = {}
    for k, v in props.items():
        if k.startswith(_ESCAPE):
            out[k[len(_ESCAPE):]] = v
        elif not k.startswith(INTERNAL):
            out[k] = v
    return out


def _scalar(value):
    if isinstance(value, list):
        return [str(x) for x in value]
    return value if isinstance(value, (str, int, float, bool)) else str(value)


@gc_paused()  # tens of thousands of small dicts and lists, no cycles: young collections walked them for a second
def derived_properties(g: nx.MultiDiGraph) -> dict[str, dict]:
    """Answers of the in-memory engine stored on nodes so that plain Cypher can ask for them.

    Suppliers get ``supplier_group`` (the ultimate parent) and ``european``
    (true, false, or null — absent in Neo4j — when the group's ownership is
    unknown); vital and high processes get ``single_points_of_failure``
    (supplier group ids), ``non_european_spof`` and ``unknown_ownership_spof``.
    :func:`push` stores them as ``_sov_<name>``.
    """
    from sovmap.graph.concentration import group_infos, single_points_of_failure
    from sovmap.graph.ownership import supplier_groups

    out: dict[str, dict] = defaultdict(dict)
    groups = supplier_groups(g)
    for root, info in group_infos(g, groups).items():  # all verdicts in one linear pass
        for m in groups[root]:
            out[m].update(supplier_group=root, european=info["european"])
    for p in single_points_of_failure(g):
        spofs = p["single_points_of_failure"]
        out[p["id"]].update(single_points_of_failure=[s["supplier_group"] for s in spofs],
                            non_european_spof=any(s["european"] is False for s in spofs),
                            unknown_ownership_spof=any(s["european"] is None for s in spofs))
    return out


def _ensure_schema(driver, kw: dict) -> None:
    """Create the constraints and index; another push that creates (or drops) the same at the same moment is fine."""
    import neo4j

    try:  # every push asks, and each schema statement is a transaction of its own: one look first
        records, _, _ = driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names", **kw)
        names = set(records[0]["names"])
        if names >= SCHEMA_NAMES and "sovmap_node_uid" not in names:  # (an earlier sovmap's, dropped below)
            return
    except neo4j.exceptions.ClientError:  # e.g. a user without the privilege to list indexes: just create them
        pass
    for stmt in CONSTRAINTS:
        try:
            driver.execute_query(stmt, **kw)
        except neo4j.exceptions.ClientError as exc:
            code = exc.code or ""
            if not (code.startswith("Neo.ClientError.Schema.") and code.endswith(("AlreadyExists", "NotFound"))):
                raise


def push(driver, g: nx.MultiDiGraph, source: str, version: str = "", database: str | None = None,
         batch_size: int = BATCH, derived: bool = True, lease_s: float = LEASE_S, wait_s: float = WAIT_S,
         answers: bool = True, prepared: tuple[dict, dict] | None = None) -> PushResult:
    """Write ``g`` as the new current state of ``source``; see the module docstring for the steps.

    With ``derived`` the engine's ownership groups and single points of failure
    are stored on the nodes too (see :func:`derived_properties`), and with ``answers`` as
    well the answers every reader asks (:mod:`sovmap.store.answers`; without them
    readers compute from the graph). While another
    push of ``source`` runs, this one waits up to ``wait_s`` seconds; a push that
    made no progress for ``lease_s`` seconds is taken to have crashed. Raises
    PushConflict when the wait runs out or another push took over. ``prepared``:
    the derived properties and content hashes of ``g`` when the caller has them
    already (an incremental push falling back to a full one).
    """
    from .incremental import HASH_FORMAT

    kw = _kw(database)
    extra, digests = prepared if prepared is not None else (derived_properties(g) if derived else {}, None)
    _ensure_schema(driver, kw)
    tag = uuid.uuid4().hex
    lease = Lease(driver, source, tag, lease_s, database)
    lease.acquire(wait_s)
    switched = False
    try:
        common = {"source": source, "tag": tag, **kw}
        element = _write_nodes(driver, lease, _node_batches(g, extra, digests, batch_size),
                               prefix=_uid(source, tag, ""), **common)
        relationships = _write_relationships(driver, lease, g, element, batch_size, **common)
        # Switch atomically, and only while this push holds the lease: from here on readers see the new tag.
        pushed_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        records, _, _ = driver.execute_query(
            HELD + f"MERGE (s:{SOURCE_LABEL} {{name: $source}}) "
            "WITH s, s.current_tag IS NOT NULL AND s.layout IS NULL AS earlier "
            "SET s.current_tag = $tag, s.layout = $layout, s.version = $version, s.pushed_at = $at, s.nodes = $n, "
            "s.relationships = $r, s.hash_format = $hash_format, s.revision = coalesce(s.revision, 0) + 1 "
            "RETURN earlier, s.revision AS revision",
            source=source, tag=tag, layout=LAYOUT, version=version, at=pushed_at, n=g.number_of_nodes(),
            r=relationships, hash_format=HASH_FORMAT, **kw)
        if not records:
            raise lease.lost()
        switched = True
        revision = records[0]["revision"]
        removed = _remove_stale(driver, lease, batch_size, earlier_layout=records[0]["earlier"])
    except BaseException as exc:
        _abandon(driver, lease, switched, exc, batch_size)
        raise
    lease.release()
    if derived and answers:  # the answers every reader asks, stored under this version's tag (sovmap.store.answers)
        from .answers import after_push
        after_push(driver, g, source, tag, database, revision=revision)
    return PushResult(source, tag, version, g.number_of_nodes(), relationships, removed)


def _node_batches(g: nx.MultiDiGraph, extra: dict[str, dict], digests: dict[str, str] | None, batch_size: int):
    """(kind, rows) in batches of ``batch_size`` nodes of one kind, each row a node's stored properties.

    Built one batch at a time, while earlier batches are written: with ``digests`` None, the content hashes
    (which let a later push write only what changed, :mod:`sovmap.store.incremental`) are computed a batch at
    a time too, instead of all before the first batch goes out.
    """
    from .incremental import HASH, node_hashes

    by_kind: dict[str, list[str]] = defaultdict(list)
    for n, kind in g.nodes(data="kind"):
        by_kind[kind].append(n)
    attrs = g._node
    for kind, ids in by_kind.items():
        for i in range(0, len(ids), batch_size):
            chunk = ids[i:i + batch_size]
            hashes = digests if digests is not None else node_hashes(g, extra, chunk)
            rows = []
            for n in chunk:
                props = {_stored(k): _scalar(v) for k, v in attrs[n].items() if v is not None}
                props.update({INTERNAL + k: v for k, v in extra.get(n, {}).items()})
                props["id"] = n
                props[HASH] = hashes[n]
                rows.append(props)
            yield kind, rows


def _write_nodes(driver, lease: Lease, batches_by_kind, **params) -> dict[str, int]:
    """Create the nodes, batches of one kind several at a time (:mod:`.writers`); return their internal ids by node id.

    ``batches_by_kind``: (kind, rows) pairs, built while the earlier batches are written.
    """
    element: dict[str, int] = {}

    def done(records):
        element.update(zip(records[0]["keys"], records[0]["ids"]))

    queries: dict[str, str] = {}
    with Batches(driver, lease) as batches:
        for kind, rows in batches_by_kind:
            if kind not in queries:
                queries[kind] = node_merge(kind)
            batches.submit(queries[kind], rows, done, **params)
    return element


def _relationship_batches(g: nx.MultiDiGraph, element: dict[str, int], batch_size: int):
    """(relation, has properties, ends a, ends b, property maps or None) in batches of ``batch_size`` relationships.

    One relationship per meaning, as the dependencies file has one row per meaning: the required one and one per
    group of alternatives (with group and min_required); pull merges them again. Relationships without
    properties (most of them) travel as two columns of internal ids only.
    """
    def rows():
        for u, v, rel, d in g.edges(keys=True, data=True):
            a, b = element[u], element[v]
            if not d:
                yield (rel, False), (a, b, None)
                continue
            props = {_stored(k): _scalar(x) for k, x in d.items() if x is not None and k not in ("required", "groups")}
            for group, k in edge_rows(d):
                p = {**props, "group": group, "min_required": k} if group else props
                yield (rel, bool(p)), (a, b, p or None)

    for key, batch in in_batches(rows(), batch_size):
        a, b, p = zip(*batch)
        yield key, list(a), list(b), list(p) if key[1] else None


def _write_relationships(driver, lease: Lease, g: nx.MultiDiGraph, element: dict[str, int], batch_size: int,
                         **params) -> int:
    """Create the relationships in batches of one type, ends found by internal id; return how many.

    Rows are built while earlier batches are written (:mod:`.writers`). Each batch checks once that this push
    still holds the lease (:func:`sovmap.store.cypher.relationship_merge` says why that keeps the ids safe), and
    a batch that created fewer relationships than it was given (another push took over) stops the push.
    """
    total = 0
    queries: dict[tuple[str, bool], str] = {}
    with Batches(driver, lease, writers.RELATIONSHIP_WORKERS) as batches:
        for key, a, b, p in _relationship_batches(g, element, batch_size):
            if key not in queries:
                queries[key] = relationship_merge(*key)
            total += len(a)

            def done(records, n=len(a)):
                if records[0]["created"] != n:  # the lease is lost: another push took over
                    raise lease.lost()

            batches.submit(queries[key], None, done, a=a, b=b, **({"p": p} if p is not None else {}), **params)
    return total


def _abandon(driver, lease: Lease, switched: bool, exc: BaseException, batch_size: int) -> None:
    """After a failed push: remove what it wrote (unless it became current) and give the lease back.

    Only while it still holds the lease (else the push that took over removes them), and not when the server
    cannot be reached: then the lease expires by itself and the next push removes the rest.
    """
    import neo4j

    if isinstance(exc, neo4j.exceptions.DriverError):
        return
    try:
        while not switched:
            # Guarded by the source's current tag too: if the switch did commit before a failure, keep the nodes.
            records, _, _ = driver.execute_query(
                HELD + f"OPTIONAL MATCH (s:{SOURCE_LABEL} {{name: $source}}) "
                "WITH s WHERE coalesce(s.current_tag, '') <> $tag "
                f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $tag}}) "
                "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
                source=lease.source, tag=lease.tag, limit=batch_size, **lease.kw)
            if not records or records[0]["deleted"] == 0:
                break
        lease.release()
    except Exception:  # noqa: S110  (best effort: the original error is the one to report)
        pass


def _remove_stale(driver, lease: Lease, batch_size: int, earlier_layout: bool) -> int:
    """Delete the nodes (and their relationships) of every other tag of the lease's source; return how many tags.

    Each batch runs only while the push still holds the lease, so it never removes the nodes of a push that
    took over after this one's lease expired. With ``earlier_layout`` also the nodes an earlier sovmap pushed.
    """
    params = {"source": lease.source, "tag": lease.tag, **lease.kw}
    records, _, _ = driver.execute_query(
        f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source}}) WHERE n.{TAG} <> $tag RETURN collect(DISTINCT n.{TAG}) AS tags",
        **params)
    stale = records[0]["tags"] if records else []
    # One tag at a time, found by equality on the (source, tag) index: a `tag <> $tag` filter would walk past
    # the current tag's nodes again in every batch.
    deletes = [(f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $old}})", old) for old in stale]
    if earlier_layout:
        deletes.append((f"MATCH (n:{NODE_LABEL} {{source: $source}}) WHERE n.{TAG} IS NULL", None))
    for match, old in deletes:
        while True:
            try:
                lease.renew_if_due()
            except PushConflict:
                return len(deletes)  # this push is current; the push that took over removes the rest
            recs, _, _ = driver.execute_query(
                HELD + match + " WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
                limit=batch_size, old=old, **params)
            if not recs or recs[0]["deleted"] == 0:
                break
    return len(deletes)


def sources(driver, database: str | None = None) -> list[dict]:
    """Every pushed source with its version, time and size."""
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL}) RETURN s.name AS name, s.version AS version, s.pushed_at AS pushed_at, "
        "s.nodes AS nodes, s.relationships AS relationships ORDER BY name", **_kw(database))
    return [dict(r) for r in records]


def _state(driver, source: str, database: str | None) -> dict:
    """The source's current tag (its last completed push) with the size that push wrote."""
    # Taking the source's write lock (and giving it back at once) waits for a push's transaction that changed
    # the source to finish applying: a reader never compares against a half-applied commit.
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) SET s._lock = true REMOVE s._lock "
        "RETURN s.current_tag AS tag, s.layout AS layout, s.nodes AS nodes, s.relationships AS relationships, "
        "coalesce(s.revision, 0) AS revision",
        source=source, **_kw(database))
    if not records:
        known = ", ".join(s["name"] for s in sources(driver, database)) or "none"
        raise LookupError(f'No inventory "{source}" in Neo4j. Pushed inventories: {known}.')
    state = dict(records[0])
    if state["layout"] != LAYOUT:
        raise SourceUnreadable(f'Inventory "{source}" in Neo4j was pushed by another version of sovmap, which '
                               f'stores it differently. Push it again (sovmap neo4j push ... --source "{source}").')
    return state


def _consistent(driver, source: str, database: str | None, read):
    """``read(tag)`` on the current tag, and (its result, the state) once tag and revision were unchanged after it.

    A push removes the old tag's nodes right after its switch, so a read that overlapped a switch may have
    missed some; it is repeated on the new tag. An incremental push (:mod:`sovmap.store.incremental`)
    changes the current tag's items in one transaction and bumps the source's revision in it, so a read
    that overlapped its commit (part old, part new) is repeated too.
    """
    for _ in range(READ_ATTEMPTS):
        state = _state(driver, source, database)
        try:
            result = read(state["tag"])
        except _ReadAgain:
            continue
        after = _state(driver, source, database)
        if (after["tag"], after["revision"]) == (state["tag"], state["revision"]):
            return result, state
    raise SourceUnreadable(f'Inventory "{source}" in Neo4j was replaced by {READ_ATTEMPTS} pushes while it was '
                           "being read. Try again when the pushes have finished.")


def pull(driver, source: str, database: str | None = None) -> nx.MultiDiGraph:
    """Rebuild the in-memory graph of ``source``'s current state (its last completed push)."""
    rel_of = {r.neo4j_type: r.id for r in vocabulary().relations}
    session_kw = {"database": database} if database else {}

    def read(tag: str):
        nodes: list[NodeRecord] = []
        edges: list[EdgeRecord] = []
        # Pages of PAGE nodes (and of those nodes' outgoing relationships) as lists in one record each: far
        # fewer, larger Bolt records than one per element. The server holds only the node references.
        with driver.session(fetch_size=2, **session_kw) as session:
            for (page,) in session.run(node_pages(), source=source, tag=tag, page=PAGE):
                for p in page:
                    if "id" not in p:  # removed after the page's nodes were found (a push committed meanwhile)
                        raise _ReadAgain
                    node = p.pop("id")
                    p = _columns(p)
                    nodes.append(NodeRecord(node, p.pop("kind"), p.pop("name"), p))
            for a, t, b, group, k, share in session.run(relationship_pages(), source=source, tag=tag, page=PAGE):
                if None in t or None in a or None in b:  # likewise
                    raise _ReadAgain
                edges.extend(map(EdgeRecord, a, map(rel_of.__getitem__, t), b, group, k, repeat("", len(a)),
                                 repeat(0, len(a)), share))
        return nodes, edges

    (records, edges), state = _consistent(driver, source, database, read)
    if (len(records), len(edges)) != (state["nodes"], state["relationships"]):
        raise SourceUnreadable(
            f'Inventory "{source}" in Neo4j is incomplete: its push wrote {state["nodes"]} nodes and '
            f'{state["relationships"]} relationships, {len(records)} and {len(edges)} are there. Push it again.')
    nodes = {r.id: r for r in records}
    # Countries are nodes of their own in Neo4j; build_graph adds the same nodes from the edges.
    countries = {n: r for n, r in nodes.items() if r.kind == "country"}
    for n in countries:
        del nodes[n]
    g = build_graph(Inventory(nodes=nodes, edges=edges, files=[]))
    for n, r in countries.items():
        g.add_node(n, kind=r.kind, name=r.name, **r.attrs)  # updates the node when build_graph made it
    del g.graph["files"]
    return g


def _edge_rows(records) -> list[dict]:
    return [{**dict(e), "props": _columns(e["props"])} for e in records]


def neighbourhood(driver, source: str, node: str, hops: int = 1, limit: int = 1500,
                  database: str | None = None) -> tuple[list[dict], list[dict], bool]:
    """Nodes and relationships within ``hops`` (1–3) of ``node``, at most ``limit`` nodes.

    Returns (nodes, edges, truncated); runs in Neo4j so a national graph need not be in memory.
    """
    hops = max(1, min(int(hops), 3))
    queries = {h: (f"MATCH (c:{NODE_LABEL} {{{UID}: $uid}}) "
                   f"OPTIONAL MATCH (c)-[*1..{h}]-(m:{NODE_LABEL}) "
                   "WITH c, collect(DISTINCT m) AS ms "
                   "WITH [c] + [x IN ms WHERE x <> c] AS found "
                   "RETURN [x IN found[0..$limit] | properties(x)] AS nodes, size(found) > $limit AS truncated")
               for h in (1, 2, 3)}

    def read(tag: str):
        records, _, _ = driver.execute_query(queries[hops], uid=_uid(source, tag, node), limit=limit, **_kw(database))
        if not records or not records[0]["nodes"]:
            return None
        nodes = records[0]["nodes"]
        edges, _, _ = driver.execute_query(
            f"MATCH (a:{NODE_LABEL})-[r]->(b:{NODE_LABEL}) WHERE a.{UID} IN $uids AND b.{UID} IN $uids "
            "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props",
            uids=[n[UID] for n in nodes], **_kw(database))
        return [_columns(n) for n in nodes], _edge_rows(edges), bool(records[0]["truncated"])

    found, _ = _consistent(driver, source, database, read)
    if found is None:
        raise LookupError(f'"{node}" is not in inventory "{source}".')
    return found


def search(driver, source: str, text: str, limit: int = 50, database: str | None = None) -> list[dict]:
    """Nodes whose id or name contains every word of ``text`` (ignoring case): rows of id, name, kind and code.

    Best matches first: an exact id, then names that start with the text, then shorter names. Empty text
    finds nothing.
    """
    words = text.split()
    if not words:
        return []

    def read(tag: str):
        records, _, _ = driver.execute_query(
            f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $tag}}) "
            "WITH n, toLower(n.id) AS id, toLower(coalesce(n.name, '')) AS name, toLower($text) AS text "
            "WHERE all(w IN $words WHERE id CONTAINS toLower(w) OR name CONTAINS toLower(w)) "
            "RETURN n.id AS id, n.name AS name, n.kind AS kind, n.code AS code "
            "ORDER BY id = text DESC, name STARTS WITH text DESC, size(name), name, n.id LIMIT $limit",
            source=source, tag=tag, text=" ".join(words), words=words, limit=int(limit), **_kw(database))
        return [dict(r) for r in records]

    return _consistent(driver, source, database, read)[0]


def outward(driver, source: str, nodes: list[str], database: str | None = None) -> tuple[list[dict], list[dict]]:
    """The given nodes and everything they point to, directly or further on, with those nodes' outgoing relationships.

    What they use and run on, their suppliers, operators and locations up to the ultimate owners: what
    judging who controls a node needs. Returns (nodes, edges) shaped as :func:`neighbourhood` returns them.
    """
    def read(tag: str):
        # Grouped with count(*): Neo4j 5.26 drops a DISTINCT after a pruning var-length expand from several nodes.
        records, _, _ = driver.execute_query(
            f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $uids "
            f"MATCH (c)-[*0..]->(m:{NODE_LABEL}) WITH m, count(*) AS paths "
            f"RETURN properties(m) AS node, [(m)-[r]->(b:{NODE_LABEL}) | "
            "{source: m.id, target: b.id, type: type(r), props: properties(r)}] AS out",
            uids=[_uid(source, tag, n) for n in nodes], **_kw(database))
        found = {r["node"]["id"]: r for r in records}
        return [_columns(r["node"]) for r in found.values()], _edge_rows(e for r in found.values() for e in r["out"])

    return _consistent(driver, source, database, read)[0]


def reach(driver, source: str, cut: list[str], database: str | None = None) -> set[str]:
    """Ids of everything that depends on ``cut`` (Cypher reachability, no redundancy)."""
    def read(tag: str):
        records, _, _ = driver.execute_query(reach_query(), cut=[_uid(source, tag, c) for c in cut], **_kw(database))
        return {r["id"] for r in records} - set(cut)

    return _consistent(driver, source, database, read)[0]
