"""Stored answers: what every reader asks of a pushed version, computed once at push and read back.

At the end of a push, :func:`store_answers` computes under the built-in
policy the single points of failure per process (vital and high, and every
criticality for ``spof --all``), the supplier-group ranking, the assessment
(the number of items at each level per kind and
dimension, the merged actions, and the most severe gaps with their reasons
and steps: :func:`assess_summary`), the coverage figures, and what the
dashboard's pages show besides (``overview``: the items per kind and the
jurisdictions' legal reach, :func:`overview_answer`; ``via``: the members
through which a process reaches a supplier group, :func:`spof_via`),
and writes them on one ``SovmapAnswers`` node under the version's tag, each as
gzip-compressed JSON. The node carries the tag, so it belongs to exactly one
version: readers ask for the answers of the tag that is current
(:func:`stored_answer`), and a version pushed without them (by an earlier
sovmap, or while they were still being written) has none, and the reader
recomputes. Answers of other tags are removed when new ones are written.

Only the default policy without ``--acquire`` is stored; another policy, or a
what-if sale, is computed from the graph.
"""

from __future__ import annotations

import gzip
import json
import warnings

import networkx as nx

from .cypher import INTERNAL, NODE_LABEL, SOURCE, SOURCE_LABEL, TAG, label_of, type_of
from .neo4j import _consistent, _kw

__all__ = ["ANSWERS", "ANSWERS_LABEL", "ANSWERS_LAYOUT", "after_push", "assess_summary", "compute_answers",
           "coverage_in_store", "jurisdictions", "overview_answer", "spof_rows", "spof_via", "pack", "stored_answer",
           "stored_answers", "store_answers", "unpack"]

ANSWERS_LABEL = "SovmapAnswers"
ANSWERS_LAYOUT = 2  # the format of the stored answers; answers of another layout are not read
ANSWERS = ("spof", "spof_all", "rank", "assess", "coverage", "overview", "via")
_LEVELS_ALL = ("vital", "high", "medium", "low", None)
SUMMARY_GAPS = 100  # the most severe gaps stored; `assess --top N` up to this reads them
SUMMARY_ACTIONS = 10  # the merged actions the summary shows


def compute_answers(g: nx.MultiDiGraph, names=ANSWERS) -> dict[str, object]:
    """The answers every reader asks, under the built-in policy, as plain JSON values.

    ``spof``: :func:`spof_rows` for vital and high processes;
    ``spof_all``: for every criticality; ``rank``: :func:`rank_supplier_groups`
    (every group); ``assess``: :func:`sovmap.graph.assessment.assess`;
    ``coverage``: :func:`sovmap.graph.coverage.coverage` (no unmapped count);
    ``overview``: :func:`overview_answer`; ``via``: :func:`spof_via` of every
    process. ``names``: which of them.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Permits", criticality="vital")
    >>> g.add_node("SYS", kind="system", name="Cases")
    >>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
    >>> _ = g.add_edge("P", "SYS", key="uses"); _ = g.add_edge("SYS", "S", key="provided_by")
    >>> a = compute_answers(g)
    >>> [s["supplier_group"] for s in a["spof"][0]["single_points_of_failure"]], a["rank"][0]["failed_processes"]
    (['S'], 1)
    """
    from sovmap.graph.assessment import assess, assessment_facts
    from sovmap.graph.concentration import blast_radius, rank_supplier_groups
    from sovmap.graph.coverage import coverage
    from sovmap.graph.policy import default_policy

    policy = default_policy()
    blasts = blast_radius(g) if {"spof", "spof_all", "rank", "via"} & set(names) else None
    done: dict[str, object] = {}

    def once(key, fn):
        if key not in done:
            done[key] = fn()
        return done[key]

    def result():
        return once("result", lambda: assess(g, policy, assessment_facts(g, policy), texts=False, lean=True))

    def every():
        return once("spof_all", lambda: spof_rows(g, _LEVELS_ALL, blasts=blasts, policy=policy.reach))

    make = {
        "spof": lambda: spof_rows(g, blasts=blasts, policy=policy.reach),
        "spof_all": every,
        "rank": lambda: rank_supplier_groups(g, blasts, policy=policy.reach),
        "assess": lambda: assess_summary(result()),
        "coverage": lambda: coverage(g),
        "overview": lambda: overview_answer(g, result()),
        "via": lambda: spof_via(g, every()),
    }
    out = {name: make[name]() for name in names}
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))  # as a reader gets them back


def spof_rows(g: nx.MultiDiGraph, criticalities=("vital", "high"), blasts=None, policy=None) -> list[dict]:
    """:func:`single_points_of_failure` rows with each process's blind spots, as `spof` shows them.

    ``systems_without_party``: the systems without supplier, operator or location it depends on
    (:func:`sovmap.graph.coverage.blind_spots`); ``depends_on_nothing``: it depends on nothing in the inventory.
    """
    from sovmap.graph.concentration import single_points_of_failure
    from sovmap.graph.coverage import blind_spots, without_dependencies

    rows = single_points_of_failure(g, criticalities, blasts=blasts, policy=policy)
    ids = [p["id"] for p in rows]
    blind, bare = blind_spots(g, ids), set(without_dependencies(g, ids))
    return [{**p, "systems_without_party": blind.get(p["id"], []), "depends_on_nothing": p["id"] in bare} for p in rows]


def spof_via(g: nx.MultiDiGraph, rows: list[dict]) -> dict[str, dict[str, list[str]]]:
    """Per process, per supplier group of its single points of failure, the members other than the group's root
    that the process depends on (:func:`sovmap.graph.concentration.reaching_members`); only non-empty lists.

    What the dashboard's SPOF page names a group by ("Nordhost B.V. (owned by Kynetic Corp, US)").

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("P", "S-NL", key="provided_by"); _ = g.add_edge("S-NL", "S-US", key="owned_by")
    >>> spof_via(g, [{"id": "P", "single_points_of_failure": [{"supplier_group": "S-US",
    ...                                                        "members": ["S-US", "S-NL"]}]}])
    {'P': {'S-US': ['S-NL']}}
    """
    from sovmap.graph.concentration import reaching_members

    out: dict[str, dict[str, list[str]]] = {}
    for p in rows:
        for s in p["single_points_of_failure"]:
            root = s["supplier_group"]
            if len(s.get("members", [root])) > 1:
                used = [m for m in reaching_members(g, p["id"], s["members"]) if m != root]
                if used:
                    out.setdefault(p["id"], {})[root] = used
    return out


def jurisdictions(items: list[dict]) -> dict:
    """Per jurisdiction, the number of assessed items of each kind within its legal reach, and its laws.

    ``reach``: country code → kind → number of items; ``laws``: country code → the ids of its laws
    that apply to some item. From the items of :func:`sovmap.graph.assessment.assess`.

    >>> jurisdictions([{"kind": "system", "legal": {"jurisdictions": ["US"],
    ...                                            "laws": [{"id": "CLOUD", "country": "US"}]}}])
    {'reach': {'US': {'system': 1}}, 'laws': {'US': ['CLOUD']}}
    """
    reach: dict[str, dict[str, int]] = {}
    laws: dict[str, set[str]] = {}
    for i in items:
        for code in i["legal"].get("jurisdictions", []):
            kinds = reach.setdefault(code, {})
            kinds[i["kind"]] = kinds.get(i["kind"], 0) + 1
        for law in i["legal"].get("laws", []):
            laws.setdefault(law["country"], set()).add(law["id"])
    return {"reach": reach, "laws": {c: sorted(x) for c, x in sorted(laws.items())}}


def overview_answer(g: nx.MultiDiGraph, result: dict) -> dict:
    """What the dashboard's overview shows besides the other answers: the items per kind (``counts``) and the
    jurisdictions' legal reach (:func:`jurisdictions` of the assessment ``result``)."""
    from sovmap.graph.model import kind_counts
    from sovmap.ontology.vocab import vocabulary

    counts = kind_counts(g)
    return {"counts": {k.id: counts.get(k.id, 0) for k in vocabulary().kinds}, **jurisdictions(result["items"])}


def assess_summary(result: dict, gaps: int = SUMMARY_GAPS, steps: int = SUMMARY_ACTIONS) -> dict:
    """What the assessment's summary shows, from :func:`sovmap.graph.assessment.assess`'s result.

    ``matrix``: per kind, the number of items and per dimension the number at
    each level; ``incomplete``: per dimension the items whose level rests on
    incomplete data; ``actions``: the first ``steps`` merged actions (of
    ``actions_total``); ``gaps``: the ``gaps`` most severe gaps with their
    reasons and steps (of ``gaps_total``; ``by_actual``: the gaps per actual
    level). The whole result of a national inventory runs to gigabytes; this
    stays small.

    >>> r = {"items": [{"kind": "system", "geographic": {"level": "in_control", "complete": False},
    ...                 "legal": {"level": "unknown", "complete": True},
    ...                 "operational": {"level": "unknown", "complete": True}}], "gaps": []}
    >>> s = assess_summary(r)
    >>> s["matrix"]["system"]["n"], s["matrix"]["system"]["geographic"], s["incomplete"]["geographic"]
    (1, {'in_control': 1}, 1)
    """
    from sovmap.graph.assessment import actions
    from sovmap.graph.levels import fill_texts

    dims = ("geographic", "legal", "operational")
    matrix: dict[str, dict] = {}
    for item in result["items"]:
        row = matrix.setdefault(item["kind"], {"n": 0, **{d: {} for d in dims}})
        row["n"] += 1
        for d in dims:
            level = item[d]["level"]
            row[d][level] = row[d].get(level, 0) + 1
    acts = actions(result) if steps else []
    for x in result["gaps"][:gaps]:  # a result assessed without texts: write those of the gaps shown
        fill_texts(x["reasons"])
        fill_texts(x["steps"])
    by_actual: dict[str, int] = {}
    for x in result["gaps"]:
        by_actual[x["actual"]] = by_actual.get(x["actual"], 0) + 1
    return {"items": len(result["items"]), "matrix": matrix,
            "incomplete": {d: sum(not i[d]["complete"] for i in result["items"]) for d in dims},
            "actions": acts[:steps], "actions_total": len(acts),
            "gaps": result["gaps"][:gaps], "gaps_total": len(result["gaps"]), "by_actual": by_actual}


def pack(value) -> bytes:
    """An answer as stored: gzip-compressed JSON.

    >>> unpack(pack({"a": [1, None]}))
    {'a': [1, None]}
    """
    return gzip.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=5)


def unpack(data: bytes):
    return json.loads(gzip.decompress(bytes(data)))


def _shared(rows: list[dict]) -> dict:
    """Single-points-of-failure rows with each group's description once (a national inventory repeats them a lot).

    >>> rows = [{"id": "P", "single_points_of_failure": [{"supplier_group": "S", "name": "Kynthos"}]}]
    >>> _shared(rows)
    {'groups': {'S': {'supplier_group': 'S', 'name': 'Kynthos'}}, 'processes': [{'id': 'P', 'single_points_of_failure': ['S']}]}
    >>> _unshared(_shared(rows)) == rows
    True
    """
    groups: dict[str, dict] = {}
    processes = []
    for p in rows:
        for x in p["single_points_of_failure"]:
            groups.setdefault(x["supplier_group"], x)
        processes.append({**p, "single_points_of_failure": [x["supplier_group"] for x in p["single_points_of_failure"]]})
    return {"groups": groups, "processes": processes}


def _unshared(packed: dict) -> list[dict]:
    groups = packed["groups"]
    return [{**p, "single_points_of_failure": [groups[x] for x in p["single_points_of_failure"]]}
            for p in packed["processes"]]


_SHARED = ("spof", "spof_all")


def store_answers(driver, g: nx.MultiDiGraph, source: str, tag: str, database: str | None = None,
                  names=ANSWERS, revision: int | None = None) -> bool:
    """Compute the answers ``names`` of ``g`` and store them under ``tag``, if that is still ``source``'s current tag.

    With ``revision``, only while that is still the source's revision too (an
    incremental push changes a tag's items in place and bumps the revision).
    Removes the answers of the source's other tags. Returns whether they were
    stored (False when a later push became current meanwhile).
    """
    answers = {name: pack(_shared(value) if name in _SHARED else value)
               for name, value in compute_answers(g, names).items()}
    kw = _kw(database)
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) SET s._lock = true REMOVE s._lock "  # under the source's lock
        "WITH s WHERE s.current_tag = $tag AND ($revision IS NULL OR coalesce(s.revision, 0) = $revision) "
        f"MERGE (a:{ANSWERS_LABEL} {{{SOURCE}: $source, {TAG}: $tag}}) "
        f"SET a += $answers, a.{INTERNAL}layout = $layout RETURN count(a) AS n",
        source=source, tag=tag, answers=answers, layout=ANSWERS_LAYOUT, revision=revision, **kw)
    driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL} {{name: $source}}) "
        f"MATCH (a:{ANSWERS_LABEL} {{{SOURCE}: $source}}) WHERE a.{TAG} <> s.current_tag DELETE a",
        source=source, **kw)
    return bool(records and records[0]["n"])


def after_push(driver, g: nx.MultiDiGraph, source: str, tag: str, database: str | None = None,
               revision: int | None = None) -> bool:
    """:func:`store_answers` at the end of a push that has completed: a failure only warns (readers then compute)."""
    try:
        return store_answers(driver, g, source, tag, database, revision=revision)
    except Exception as exc:  # the push itself is done and current; its answers are an optimisation
        warnings.warn(f'The answers of "{source}" were not stored ({exc}); spof, rank and assess compute them.',
                      stacklevel=2)
        return False


def stored_answer(driver, source: str, name: str, database: str | None = None):
    """The stored answer ``name`` (one of :data:`ANSWERS`) of ``source``'s current version, or None when absent.

    Raises LookupError (as :func:`sovmap.store.neo4j.pull` does) when the source is not in Neo4j.
    """
    if name not in ANSWERS:
        raise ValueError(f"{name!r} is not a stored answer; one of {', '.join(ANSWERS)}")

    def read(tag: str):
        records, _, _ = driver.execute_query(
            f"MATCH (a:{ANSWERS_LABEL} {{{SOURCE}: $source, {TAG}: $tag}}) "
            f"WHERE a.{INTERNAL}layout = $layout RETURN a[$name] AS data",
            source=source, tag=tag, layout=ANSWERS_LAYOUT, name=name, **_kw(database))
        return unpack(records[0]["data"]) if records and records[0]["data"] is not None else None

    value = _consistent(driver, source, database, read)[0]
    return _unshared(value) if value is not None and name in _SHARED else value


def stored_answers(driver, source: str, names=ANSWERS, database: str | None = None) -> dict | None:
    """The stored answers ``names`` of ``source``'s current version, read together; None when one is absent.

    Raises LookupError (as :func:`sovmap.store.neo4j.pull` does) when the source is not in Neo4j.
    """
    unknown = [n for n in names if n not in ANSWERS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a stored answer; one of {', '.join(ANSWERS)}")

    def read(tag: str):
        records, _, _ = driver.execute_query(
            f"MATCH (a:{ANSWERS_LABEL} {{{SOURCE}: $source, {TAG}: $tag}}) "
            f"WHERE a.{INTERNAL}layout = $layout RETURN [name IN $names | a[name]] AS data",
            source=source, tag=tag, layout=ANSWERS_LAYOUT, names=list(names), **_kw(database))
        return records[0]["data"] if records else None

    data = _consistent(driver, source, database, read)[0]
    if data is None or any(x is None for x in data):
        return None
    return {name: _unshared(unpack(x)) if name in _SHARED else unpack(x) for name, x in zip(names, data)}


def coverage_in_store(driver, source: str, database: str | None = None) -> dict:
    """:func:`sovmap.graph.coverage.coverage` of ``source``'s current version: stored, else counted in Neo4j.

    Counting needs the processes' criticality, the suppliers' ownership and
    country, and whether a system has a supplier, operator or location, not
    the whole graph.
    """
    stored = stored_answer(driver, source, "coverage", database)
    if stored is not None:
        return stored
    from sovmap.graph.coverage import _PARTY_RELATIONS, DERIVED_MARK
    from sovmap.graph.ownership import ownership_status

    where = f"{{{SOURCE}: $source, {TAG}: $tag}}"
    parties = "|".join(type_of(r) for r in _PARTY_RELATIONS)
    queries = {
        "process": (f"MATCH (n:{NODE_LABEL}:{label_of('process')} {where}) "
                    "WITH n, coalesce(n.criticality, '') <> '' AS rated "
                    "RETURN count(n) AS n, collect(CASE WHEN NOT rated THEN n.id END) AS none, "
                    f"collect(CASE WHEN rated AND coalesce(n.{DERIVED_MARK}, '') <> '' THEN n.id END) AS derived"),
        "supplier": (f"MATCH (n:{NODE_LABEL}:{label_of('supplier')} {where}) "
                     "RETURN count(n) AS n, collect([n.id, n.ownership, n.country]) AS none, [] AS derived"),
        "system": (f"MATCH (n:{NODE_LABEL}:{label_of('system')} {where}) "
                   f"RETURN count(n) AS n, collect(CASE WHEN NOT EXISTS {{(n)-[:{parties}]->(:{NODE_LABEL})}} "
                   "THEN n.id END) AS none, [] AS derived"),
    }

    def read(tag: str):
        return {kind: driver.execute_query(q, source=source, tag=tag, **_kw(database))[0][0]
                for kind, q in queries.items()}

    found = _consistent(driver, source, database, read)[0]
    suppliers = nx.MultiDiGraph()
    for n, ownership, country in found["supplier"]["none"]:
        suppliers.add_node(n, kind="supplier", **{k: v for k, v in (("ownership", ownership), ("country", country)) if v})
    return {"processes": found["process"]["n"], "processes_without_criticality": sorted(found["process"]["none"]),
            "processes_criticality_derived": sorted(found["process"]["derived"]),
            "suppliers": found["supplier"]["n"],
            "ownership_unknown": sorted(n for n in suppliers if ownership_status(suppliers, n) == "unknown"),
            "systems": found["system"]["n"], "systems_without_party": sorted(found["system"]["none"]),
            "unmapped": None}
