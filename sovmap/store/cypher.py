"""Cypher for the Neo4j store, built from the vocabulary in one place.

Only labels and relationship types from the ontology enter query text (they
are checked against the vocabulary); every value travels as a parameter. The
store's own properties on nodes and relationships start with ``_sov_`` (see
:data:`INTERNAL`), so they never meet an inventory's columns.

Examples
--------
>>> print(node_merge("system"))
UNWIND $rows AS row
CREATE (n:SovmapNode:System)
SET n = row, n._sov_uid = $prefix + row.id, n._sov_source = $source, n._sov_tag = $tag
RETURN collect(row.id) AS keys, collect(id(n)) AS ids
>>> print(relationship_merge("provided_by"))
MATCH (l:SovmapLease {name: $source}) SET l._lock = true REMOVE l._lock WITH l WHERE l.tag = $tag
UNWIND range(0, size($a) - 1) AS i
MATCH (a:SovmapNode) WHERE id(a) = $a[i]
MATCH (b:SovmapNode) WHERE id(b) = $b[i]
CREATE (a)-[r:PROVIDED_BY]->(b)
RETURN count(r) AS created
"""

from __future__ import annotations

import re

from sovmap.ontology.vocab import vocabulary

__all__ = [
    "NODE_LABEL",
    "SOURCE_LABEL",
    "LEASE_LABEL",
    "HELD",
    "INTERNAL",
    "UID",
    "SOURCE",
    "TAG",
    "CONSTRAINTS",
    "SCHEMA_NAMES",
    "node_merge",
    "relationship_merge",
    "node_pages",
    "relationship_pages",
    "label_of",
    "type_of",
    "reach_query",
]

NODE_LABEL = "SovmapNode"
SOURCE_LABEL = "SovmapSource"
LEASE_LABEL = "SovmapLease"

# Statements that run only while this push holds the lease start with HELD (parameters source, tag): its
# SET/REMOVE pair takes the lease's write lock before anything reads who holds it (no lost update).
HELD = f"MATCH (l:{LEASE_LABEL} {{name: $source}}) SET l._lock = true REMOVE l._lock WITH l WHERE l.tag = $tag "
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

INTERNAL = "_sov_"  # the store's own properties start with this; an inventory column that does is escaped
UID = INTERNAL + "uid"  # source, tag and node id in one text: unique over the database
SOURCE = INTERNAL + "source"
TAG = INTERNAL + "tag"

CONSTRAINTS = [
    # Earlier versions stored plain uid/source/tag; their uid constraint would now bind a column named "uid".
    "DROP CONSTRAINT sovmap_node_uid IF EXISTS",
    f"CREATE CONSTRAINT sovmap_node_sov_uid IF NOT EXISTS FOR (n:{NODE_LABEL}) REQUIRE n.{UID} IS UNIQUE",
    f"CREATE CONSTRAINT sovmap_source_name IF NOT EXISTS FOR (s:{SOURCE_LABEL}) REQUIRE s.name IS UNIQUE",
    f"CREATE CONSTRAINT sovmap_lease_name IF NOT EXISTS FOR (l:{LEASE_LABEL}) REQUIRE l.name IS UNIQUE",
    f"CREATE INDEX sovmap_node_sov_source_tag IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.{SOURCE}, n.{TAG})",
]
# The indexes that the constraints and index above make, by name (a uniqueness constraint owns an index of its name).
SCHEMA_NAMES = frozenset({"sovmap_node_sov_uid", "sovmap_source_name", "sovmap_lease_name", "sovmap_node_sov_source_tag"})


def _checked(name: str) -> str:
    if not _NAME.match(name):  # vocabulary mistake: fail loudly, never build odd query text
        raise ValueError(f"{name!r} is not a plain Neo4j name; fix it in ontology/sovmap.ttl")
    return name


def label_of(kind: str) -> str:
    """The Neo4j label of a node kind (from the ontology's sov:neo4jLabel)."""
    return _checked(vocabulary().kind(kind).neo4j_label)


def type_of(relation: str) -> str:
    """The Neo4j relationship type of a relation (from the ontology's sov:neo4jLabel)."""
    return _checked(vocabulary().relation(relation).neo4j_type)


def node_merge(kind: str) -> str:
    """Batched write of nodes of one kind: each row is the node's property map (with its ``id``).

    Parameters ``prefix`` (the uid's source and tag part), ``source`` and
    ``tag`` are the same for every row, so they travel once per batch. Returns
    the new nodes' internal ids by node id: the relationships of the same push
    find their ends by internal id (a seek on an integer) instead of two uid
    index lookups (or parsing a 45-character ``elementId`` per end).

    CREATE, not MERGE: every push writes under a fresh tag (part of the uid), so
    nothing can exist yet, and a failed batch is rolled back as a whole; the
    uid's uniqueness constraint still guards against duplicates.
    """
    return (
        "UNWIND $rows AS row\n"
        f"CREATE (n:{NODE_LABEL}:{label_of(kind)})\n"
        f"SET n = row, n.{UID} = $prefix + row.id, n.{SOURCE} = $source, n.{TAG} = $tag\n"
        "RETURN collect(row.id) AS keys, collect(id(n)) AS ids"
    )


def relationship_merge(relation: str, props: bool = False) -> str:
    """Batched write of relationships of one type between nodes of one push, while the push holds its lease.

    Parameters in columns: ``a`` and ``b`` (lists of the ends' internal ids,
    as :func:`node_merge` returned them), with ``props`` also ``p`` (a list of
    property maps, one per relationship); ``source`` and ``tag`` (the push's).
    Returns how many relationships were created, which the push checks against
    the batch.

    The batch's first clause is the lease check (:data:`HELD`, as in every statement of
    :mod:`sovmap.store.lease` that needs the lease):
    it takes the lease's write lock and goes on only if the push's ``tag``
    still holds the lease. That makes the internal ids safe without a check of
    each end: a node's id is reused only after the node was deleted, and this
    push's nodes are deleted only by a push that holds the source's lease (the
    next push's clean-up after it took over, or this push's own clean-up after
    a failure). If the tag still holds the lease, nobody took it over since
    this push took it (a takeover writes another tag into the lease, and a tag
    is never reused), so every id still names this push's node; and nobody can
    take it over before this batch commits, as the lease's write lock is held
    until then. If the tag lost the lease, nothing is created and the push
    stops. The relationships carry no ``_sov_source``/``_sov_tag`` of their own:
    their ends carry them, and every reader reaches relationships through
    their ends.
    """
    return (
        HELD.rstrip() + "\n"
        "UNWIND range(0, size($a) - 1) AS i\n"
        f"MATCH (a:{NODE_LABEL}) WHERE id(a) = $a[i]\n"
        f"MATCH (b:{NODE_LABEL}) WHERE id(b) = $b[i]\n"
        f"CREATE (a)-[r:{type_of(relation)}]->(b)\n"
        + ("SET r = $p[i]\n" if props else "")
        + "RETURN count(r) AS created"
    )


def node_pages() -> str:
    """The nodes of one source and tag as records of ``$page`` property maps each (parameters source, tag, page)."""
    return (
        f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $tag}})\n"
        "WITH collect(n) AS nodes\n"
        "UNWIND range(0, size(nodes) - 1, $page) AS i\n"
        "RETURN [n IN nodes[i..i + $page] | properties(n)] AS page"
    )


def relationship_pages() -> str:
    """The relationships of one source and tag in columns: start id, type, end id, group, min_required, share.

    One record per ``$page`` start nodes; list comprehensions keep nulls, so the columns stay aligned.
    """
    return (
        f"MATCH (n:{NODE_LABEL} {{{SOURCE}: $source, {TAG}: $tag}})\n"
        "WITH collect(n) AS nodes\n"
        "UNWIND range(0, size(nodes) - 1, $page) AS i\n"
        "CALL (nodes, i) {\n"
        "  UNWIND nodes[i..i + $page] AS a\n"
        f"  MATCH (a)-[r]->(:{NODE_LABEL})\n"
        "  RETURN collect(r) AS rs\n"
        "}\n"
        "RETURN [r IN rs | startNode(r).id], [r IN rs | type(r)], [r IN rs | endNode(r).id], [r IN rs | r.group],\n"
        "       [r IN rs | r.min_required], [r IN rs | r.share]"
    )


def reach_query() -> str:
    """Everything that (transitively) depends on the cut nodes, ignoring redundancy.

    For comparing a Cypher reachability query with the in-memory engine.
    """
    types = "|".join(type_of(r.id) for r in vocabulary().relations if r.propagates)
    return (
        f"MATCH (c:{NODE_LABEL}) WHERE c.{UID} IN $cut\n"
        f"MATCH (n:{NODE_LABEL})-[:{types}*1..]->(c)\n"
        "RETURN DISTINCT n.id AS id"
    )
