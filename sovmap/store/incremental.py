"""Incremental push: write only the items that changed since the source's current version.

Every pushed node carries ``_sov_hash``, a content hash
(:func:`sovmap.store.content_hash.node_hashes`, computed in bulk) of its stored
row: its columns, its derived ``_sov_…`` answers and its outgoing relationships
with their properties. So a changed edge, or a changed derived answer (a
supplier group that is no longer European), changes the hash of its start
node. The source node carries ``hash_format``, the recipe the hashes were made by.

:func:`push_changes` takes the source's lease, reads the current version's
``(id, _sov_hash)`` pairs in pages (one Bolt record per page, as pull does)
while it computes the new graph's derived answers and hashes, compares the two
and then, **in one transaction** on the current tag: removes the outgoing
relationships of removed nodes and of changed nodes whose relationships
changed (the second half of the hash, :func:`~sovmap.store.content_hash.edges_changed`),
removes the removed nodes, rewrites the changed nodes' properties (and kind
label), creates the new nodes, creates the outgoing relationships of new nodes
and of those changed ones, removes the
version's stored answers (they belong to the old content) and bumps the
source's ``revision``, ``version`` and counts. Readers compare tag *and*
revision before and after reading (:func:`sovmap.store.neo4j._consistent`), so
a read that overlapped the commit is repeated: they see the old or the new version, complete. A push that fails
or is killed half-way rolls back as a whole; the previous version stays as it
was. The lease serialises it with every other push of the source; the
transaction's first statement takes the lease's and the source's write locks
and checks that neither the tag nor the revision moved since the hashes were
read.

It falls back to a full push (:func:`sovmap.store.neo4j.push`, a new tag and a
switch) and says why, when the source is not there yet, was pushed by a sovmap
without content hashes or with hashes of another recipe (``hash_format``), is
incomplete, or when more than ``max_change`` of the nodes changed (then one big
transaction would cost more than a rewrite).

Every value is a parameter; only the ontology's labels and types enter query text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import networkx as nx

from sovmap.graph.model import edge_rows
from sovmap.ontology.vocab import vocabulary

from .answers import ANSWERS_LABEL
from .content_hash import HASH_FORMAT, edges_changed, node_hashes
from .cypher import INTERNAL, NODE_LABEL, SOURCE, SOURCE_LABEL, TAG, UID, label_of, node_merge, type_of
from .lease import HELD, LEASE_S, WAIT_S, Lease
from .neo4j import (BATCH, LAYOUT, PAGE, PushResult, _ensure_schema, _kw, _scalar, _stored, _uid,
                    derived_properties, push)

__all__ = ["HASH", "HASH_FORMAT", "MAX_CHANGE", "node_hashes", "push_changes"]

HASH = INTERNAL + "hash"
MAX_CHANGE = 0.2  # above this share of changed nodes, a full push (new tag, switch) is done instead


def _hash_pages() -> str:
    return (
        f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $current}})\n"
        "WITH collect(n) AS nodes\n"
        "UNWIND range(0, size(nodes) - 1, $page) AS i\n"
        f"RETURN [n IN nodes[i..i + $page] | n.id] AS ids, [n IN nodes[i..i + $page] | n.{HASH}] AS hashes"
    )


def _stored_hashes(driver, source: str, database: str | None) -> tuple[dict | None, dict[str, str], str]:
    """(the source's state, {id: stored hash}, why a full push is needed instead or "")."""
    kw = _kw(database)
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) RETURN s.current_tag AS tag, s.layout AS layout, "
        "s.nodes AS nodes, s.relationships AS relationships, coalesce(s.revision, 0) AS revision, "
        "coalesce(s.hash_format, 1) AS hash_format",
        source=source, **kw)
    if not records or records[0]["tag"] is None:
        return None, {}, "first push of this inventory"
    state = dict(records[0])
    if state["layout"] != LAYOUT:
        return state, {}, "the earlier push was made by another version of sovmap"
    if state["hash_format"] != HASH_FORMAT:
        return state, {}, ("the earlier push computed its content hashes another way (another version of sovmap), "
                           "so they cannot be compared")
    stored: dict[str, str] = {}
    session_kw = {"database": database} if database else {}
    with driver.session(fetch_size=2, **session_kw) as session:
        for ids, hashes in session.run(_hash_pages(), source=source, current=state["tag"], page=PAGE):
            stored.update(zip(ids, hashes))
    if None in stored.values():
        return state, {}, "the earlier push has no content hashes (pushed by an earlier sovmap)"
    if len(stored) != state["nodes"]:
        return state, {}, f"the earlier push is incomplete ({len(stored)} of {state['nodes']} nodes)"
    return state, stored, ""


def _node_row(n: str, d: dict, extra: dict, digest: str) -> dict:
    props = {_stored(k): _scalar(v) for k, v in d.items() if v is not None}
    props.update({INTERNAL + k: v for k, v in extra.get(n, {}).items()})
    props["id"] = n
    props[HASH] = digest
    return props


def _relationship_rows(g: nx.MultiDiGraph, starts) -> dict[str, list[dict]]:
    """The outgoing relationships of ``starts`` as push writes them (one per meaning), by relation."""
    by_rel: dict[str, list[dict]] = defaultdict(list)
    for u in starts:
        for _, v, rel, d in g.out_edges(u, keys=True, data=True):
            props = {_stored(k): _scalar(x) for k, x in d.items() if x is not None and k not in ("required", "groups")}
            for group, k in edge_rows(d):
                by_rel[rel].append({"a": u, "b": v,
                                    "props": {**props, "group": group, "min_required": k} if group else props})
    return by_rel


def _batches(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _guard() -> str:
    """First statement of the delta: holds the lease, locks the source, checks nothing moved since the read."""
    return (HELD + f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) "
            "WITH l, s WHERE s.current_tag = $current AND coalesce(s.revision, 0) = $revision "
            "SET l.expires = datetime() + duration({seconds: $ttl}) RETURN count(s) AS held")


def _queries() -> dict[str, str]:
    match = f"MATCH (n:{NODE_LABEL} {{{UID}: $prefix + id}}) "
    kinds = ":".join(label_of(k.id) for k in vocabulary().kinds)
    q = {
        "unlink": "UNWIND $ids AS id " + match + "MATCH (n)-[r]->() DELETE r RETURN count(r) AS n",
        "delete": ("UNWIND $ids AS id " + match + "WITH n, COUNT { (n)--() } AS rels DETACH DELETE n "
                   "RETURN count(*) AS n, sum(rels) AS rels"),
        "answers": f"MATCH (a:{ANSWERS_LABEL} {{{SOURCE}: $source, {TAG}: $current}}) DELETE a",
        # Last, so the source's lock (which readers wait for) is held only from here to the end of the commit.
        "bump": (f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) SET s._lock = true REMOVE s._lock "
                 "WITH s WHERE s.current_tag = $current AND coalesce(s.revision, 0) = $revision "
                 "SET s.revision = $revision + 1, s.version = $version, s.hash_format = $hash_format, "
                 "s.pushed_at = $at, s.nodes = $n, s.relationships = $r RETURN count(s) AS n"),
    }
    for k in vocabulary().kinds:
        # The rows carry uid, source and tag unchanged, so the (source, tag) index is not touched: readers
        # that find nodes by it never miss a changed one. Labels change only where the kind did.
        q["relabel:" + k.id] = (
            "UNWIND $rows AS row WITH row, row.id AS id " + match +
            f"WITH n, row WHERE n.kind <> row.kind REMOVE n:{kinds} SET n:{label_of(k.id)}")
        q["update:" + k.id] = ("UNWIND $rows AS row WITH row, row.id AS id " + match +
                               "SET n = row RETURN count(n) AS n")
    for r in vocabulary().relations:
        q["link:" + r.id] = (
            f"UNWIND $rows AS row MATCH (a:{NODE_LABEL} {{{UID}: $prefix + row.a}}) "
            f"MATCH (b:{NODE_LABEL} {{{UID}: $prefix + row.b}}) CREATE (a)-[r:{type_of(r.id)}]->(b) "
            "SET r = row.props RETURN count(r) AS n")  # as a full push: no _sov_source/_sov_tag on relationships
    return q


class _Interrupted(RuntimeError):
    """A statement of the delta touched fewer items than expected: the stored version is not what was read."""


def push_changes(driver, g: nx.MultiDiGraph, source: str, version: str = "", database: str | None = None,
                 batch_size: int = BATCH, derived: bool = True, lease_s: float = LEASE_S, wait_s: float = WAIT_S,
                 answers: bool = True, max_change: float = MAX_CHANGE) -> PushResult:
    """Push ``g`` as the new version of ``source``, writing only what changed (see the module docstring).

    Returns a PushResult whose ``mode`` says "incremental" (with ``added``,
    ``changed``, ``removed_nodes``, ``relationships_written`` and
    ``relationships_removed``) or "full" (with ``reason``, why no incremental
    push was possible). Same arguments as :func:`sovmap.store.neo4j.push`.
    """
    kw = _kw(database)
    _ensure_schema(driver, kw)
    lease = Lease(driver, source, uuid.uuid4().hex, lease_s, database)
    lease.acquire(wait_s)
    try:
        # The server reads the stored hashes while this process computes the new ones (own session, own thread).
        with ThreadPoolExecutor(1, thread_name_prefix="sovmap-hashes") as pool:
            reading = pool.submit(_stored_hashes, driver, source, database)
            extra = derived_properties(g) if derived else {}
            digests = node_hashes(g, extra)
            state, stored, reason = reading.result()
        lease.renew_if_due()
        if not reason:
            added = [n for n in digests if n not in stored]
            removed = [n for n in stored if n not in digests]
            changed = [n for n, h in digests.items() if n in stored and stored[n] != h]
            share = (len(added) + len(removed) + len(changed)) / max(len(digests), 1)
            if share > max_change:
                reason = f"{share:.0%} of the nodes changed (more than {max_change:.0%})"
        if reason:
            lease.release()
            result = push(driver, g, source, version, database, batch_size, derived, lease_s, wait_s, answers,
                          prepared=(extra, digests))
            result.reason = reason
            return result
        rewired = [n for n in changed if edges_changed(stored[n], digests[n])]
        result = _apply(driver, lease, g, extra, digests, state, added, changed, rewired, removed, version,
                        batch_size)
    except BaseException as exc:
        import neo4j

        if not isinstance(exc, neo4j.exceptions.DriverError):  # unreachable server: the lease expires by itself
            try:
                lease.release()
            except Exception:  # noqa: S110  (best effort: the original error is the one to report)
                pass
        raise
    lease.release()
    if derived and answers:
        from .answers import after_push
        after_push(driver, g, source, state["tag"], database, revision=state["revision"] + 1)
    return result


def _apply(driver, lease: Lease, g, extra, digests, state, added, changed, rewired, removed, version,
           batch_size) -> PushResult:
    """The delta in one transaction on the current tag; see the module docstring.

    ``rewired``: the changed nodes whose outgoing relationships changed (only theirs are removed and written again).
    """
    source, current = lease.source, state["tag"]
    params = {"source": source, "tag": lease.tag, "current": current, "prefix": _uid(source, current, ""),
              "revision": state["revision"], "ttl": lease.lease_s}
    q = _queries()
    nodes_by_kind: dict[str, list[dict]] = defaultdict(list)
    updates_by_kind: dict[str, list[dict]] = defaultdict(list)
    for n in added:
        nodes_by_kind[g.nodes[n]["kind"]].append(_node_row(n, g.nodes[n], extra, digests[n]))
    mine = {UID: None, SOURCE: source, TAG: current}
    for n in changed:
        mine[UID] = params["prefix"] + n
        updates_by_kind[g.nodes[n]["kind"]].append({**_node_row(n, g.nodes[n], extra, digests[n]), **mine})
    links = _relationship_rows(g, added + rewired)
    unlinked = deleted_rels = created = 0
    session_kw = {"database": lease.kw["database_"]} if lease.kw else {}
    with driver.session(**session_kw) as session, session.begin_transaction() as tx:
        if not tx.run(_guard(), params).single()["held"]:
            raise lease.lost()
        for ids in _batches(rewired + removed, batch_size):
            unlinked += tx.run(q["unlink"], params, ids=ids).single()["n"]
        for ids in _batches(removed, batch_size):
            rec = tx.run(q["delete"], params, ids=ids).single()
            if rec["n"] != len(ids):
                raise _Interrupted(f"{len(ids) - rec['n']} nodes to remove were not there")
            deleted_rels += rec["rels"]
        for kind, rows in updates_by_kind.items():
            for batch in _batches(rows, batch_size):
                tx.run(q["relabel:" + kind], params, rows=batch).consume()
                if tx.run(q["update:" + kind], params, rows=batch).single()["n"] != len(batch):
                    raise _Interrupted("a node to update was not there")
        for kind, rows in nodes_by_kind.items():
            for batch in _batches(rows, batch_size):
                tx.run(node_merge(kind), params, rows=batch, tag=current).consume()
        for rel, rows in links.items():
            for batch in _batches(rows, batch_size):
                n = tx.run(q["link:" + rel], params, rows=batch).single()["n"]
                if n != len(batch):
                    raise _Interrupted("an end of a relationship to create was not there")
                created += n
        relationships = state["relationships"] - unlinked - deleted_rels + created
        at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if not tx.run(q["bump"], params, version=version, at=at, n=g.number_of_nodes(), r=relationships,
                      hash_format=HASH_FORMAT).single()["n"]:
            raise lease.lost()
        # After the source's lock, as store_answers takes them (source, then answers): no deadlock with it.
        tx.run(q["answers"], params).consume()
        tx.commit()
    return PushResult(source, current, version, g.number_of_nodes(), relationships, 0, mode="incremental",
                      added=len(added), changed=len(changed), removed_nodes=len(removed),
                      relationships_written=created, relationships_removed=unlinked + deleted_rels)
