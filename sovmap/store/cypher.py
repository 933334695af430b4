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
RETURN collect(row.id) AS keys, collect(elementId(n)) AS ids
>>> print(relationship_merge("provided_by"))
UNWIND $rows AS row
MATCH (a:SovmapNode) WHERE elementId(a) = row.a AND a._sov_tag = $tag
MATCH (b:SovmapNode) WHERE elementId(b) = row.b AND b._sov_tag = $tag
CREATE (a)-[r:PROVIDED_BY]->(b)
SET r = row.props, r._sov_source = $source, r._sov_tag = $tag
RETURN count(r) AS created
"""

from __future__ import annotations

import re

from sovmap.ontology.vocab import vocabulary

__all__ = [
    "NODE_LABEL",
    "SOURCE_LABEL",
    "LEASE_LABEL",
    "INTERNAL",
    "UID",
    "SOURCE",
    "TAG",
    "CONSTRAINTS",
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
    the new nodes' element ids by node id: the relationships of the same push
    find their ends by element id (a seek) instead of two uid index lookups.

    CREATE, not MERGE: every push writes under a fresh tag (part of the uid), so
    nothing can exist yet, and a failed batch is rolled back as a whole; the
    uid's uniqueness constraint still guards against duplicates.
    """
    return (
        "UNWIND $rows AS row\n"
        f"CREATE (n:{NODE_LABEL}:{label_of(kind)})\n"
        f"SET n = row, n.{UID} = $prefix + row.id, n.{SOURCE} = $source, n.{TAG} = $tag\n"
        "RETURN collect(row.id) AS keys, collect(elementId(n)) AS ids"
    )


def relationship_merge(relation: str) -> str:
    """Batched write of relationships of one type: rows of {a, b, props} (a, b: element ids of this push's nodes).

    Both ends must carry the push's ``tag``: an element id of a node that was
    removed meanwhile (by a push that took over) may be reused, and then names
    another node. Returns how many relationships were created, which the push
    checks against the batch.
    """
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{NODE_LABEL}) WHERE elementId(a) = row.a AND a.{TAG} = $tag\n"
        f"MATCH (b:{NODE_LABEL}) WHERE elementId(b) = row.b AND b.{TAG} = $tag\n"
        f"CREATE (a)-[r:{type_of(relation)}]->(b)\n"
        f"SET r = row.props, r.{SOURCE} = $source, r.{TAG} = $tag\n"
        "RETURN count(r) AS created"
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
