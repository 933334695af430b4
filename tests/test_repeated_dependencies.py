"""A dependency listed more than once (required and in groups, or in several groups) keeps every row's meaning.

Through validation, the graph, propagation, the inventory files written back, RDF and Neo4j.
"""

from __future__ import annotations

import io

import networkx as nx
import pyshacl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from sovmap.graph.model import build_graph, edge_meaning, graph_signature
from sovmap.graph.propagation import propagate, reference_fixpoint
from sovmap.graph.rdf import from_rdf, to_rdf
from sovmap.graph.serialise import serialise
from sovmap.ingest.problems import has_errors
from sovmap.ingest.validate import load, load_files
from sovmap.ingest.write import inventory_tables, write_csv_folder
from sovmap.ontology.shapes import packaged_shapes
from sovmap.ontology.vocab import ontology_graph
from sovmap.store import neo4j as store

HEADER = "from_id,to_id,alternative_group,min_required\n"


def inventory(dependencies: str, systems: str = "A,B,C,D", processes: str = "P") -> tuple:
    """Load processes and systems (ids comma-separated) with the given dependencies rows (without header)."""
    files = [("processes.csv", ("id,name\n" + "".join(f"{p},{p}\n" for p in processes.split(","))).encode()),
             ("systems.csv", ("id,name\n" + "".join(f"{s},{s}\n" for s in systems.split(","))).encode()),
             ("dependencies.csv", (HEADER + dependencies).encode())]
    return load_files(files)


def dependency_problems(problems):
    """The problems reported on the dependencies file (English or Dutch name)."""
    return [p for p in problems if (p.file or "").startswith(("dependencies", "afhankelijkheden"))]


class TestRequiredAndInAGroup:
    ROWS = "P,A,,\nP,A,alt,1\nP,B,alt,1\n"

    def test_both_rows_are_kept_without_a_warning(self):
        inv, problems = inventory(self.ROWS)
        assert dependency_problems(problems) == []
        assert [(e.target, e.group) for e in inv.edges] == [("A", None), ("A", "alt"), ("B", "alt")]
        g = build_graph(inv)
        assert edge_meaning(g.edges["P", "A", "uses"]) == (True, (("alt", 1),))
        assert edge_meaning(g.edges["P", "B", "uses"]) == (False, (("alt", 1),))

    def test_cutting_the_alternative_only_degrades(self):
        g = build_graph(inventory(self.ROWS)[0])
        r = propagate(g, ["B"])
        assert r.failed == [] and r.degraded == ["P"]

    def test_cutting_the_required_member_fails(self):
        g = build_graph(inventory(self.ROWS)[0])
        assert propagate(g, ["A"]).failed == ["P"]
        assert reference_fixpoint(g, ["A"]) == ({"P"}, set())

    def test_the_order_of_the_rows_does_not_matter(self):
        forward = build_graph(inventory(self.ROWS)[0])
        backward = build_graph(inventory("".join(reversed(self.ROWS.splitlines(keepends=True))))[0])
        assert graph_signature(forward) == graph_signature(backward)


class TestInTwoGroups:
    ROWS = "P,A,g1,1\nP,B,g1,1\nP,A,g2,1\nP,C,g2,1\n"

    def test_the_node_is_a_member_of_both(self):
        inv, problems = inventory(self.ROWS)
        assert dependency_problems(problems) == []
        assert edge_meaning(build_graph(inv).edges["P", "A", "uses"]) == (False, (("g1", 1), ("g2", 1)))

    @pytest.mark.parametrize(("cut", "failed", "degraded"), [
        (["A"], [], ["P"]),
        (["B", "C"], [], ["P"]),  # A still covers both groups
        (["A", "B"], ["P"], []),
        (["A", "C"], ["P"], []),
    ])
    def test_each_group_counts_it(self, cut, failed, degraded):
        g = build_graph(inventory(self.ROWS)[0])
        r = propagate(g, cut)
        assert (r.failed, r.degraded) == (failed, degraded)

    def test_groups_of_different_sizes_each_keep_their_min_required(self):
        g = build_graph(inventory("P,A,g1,1\nP,B,g1,1\nP,A,g2,2\nP,C,g2,2\nP,D,g2,2\n")[0])
        assert edge_meaning(g.edges["P", "A", "uses"]) == (False, (("g1", 1), ("g2", 2)))
        assert propagate(g, ["A"]).degraded == ["P"]
        assert propagate(g, ["A", "C"]).failed == ["P"]  # g2 keeps only D


class TestExactDuplicates:
    def test_an_exact_repeat_in_a_group_is_a_warning_naming_both_lines(self):
        inv, problems = inventory("P,A,alt,1\nP,B,alt,1\nP,A,alt,1\n")
        (p,) = dependency_problems(problems)
        assert (p.rule, p.severity, p.file, p.line, p.value) == ("duplicate-dependency", "warning", "dependencies.csv",
                                                                  4, "A")
        assert "line 2" in p.message and '"alt"' in p.message
        assert [(e.target, e.group) for e in inv.edges] == [("A", "alt"), ("B", "alt")]

    def test_an_exact_repeat_of_a_required_row_is_a_warning(self):
        inv, problems = inventory("P,A,,\nP,A,,\n")
        (p,) = dependency_problems(problems)
        assert (p.rule, p.line) == ("duplicate-dependency", 3) and "line 2" in p.message

    def test_a_repeat_with_another_min_required_is_still_an_error(self):
        inv, problems = inventory("P,A,alt,1\nP,B,alt,1\nP,A,alt,2\n")
        assert inv is None and "min-required-disagrees" in {p.rule for p in problems}

    def test_one_node_through_two_relations_is_one_alternative(self):
        files = [("suppliers.csv", b"id,name\nS-1,Kynthos\nS-2,Rijnstroom\n"),
                 ("systems.csv", b"id,name\nSYS,Mail\n"),
                 ("dependencies.csv", b"from_id,to_id,type,alternative_group,min_required\n"
                                      b"SYS,S-1,provided_by,g,2\nSYS,S-1,operated_by,g,2\n")]
        inv, problems = load_files(files)
        too_large = next(p for p in problems if p.rule == "min-required-too-large")
        assert inv is None and "only 1 alternatives" in too_large.message


def test_an_importer_keeps_a_link_that_is_required_and_in_two_groups():
    from sovmap.ingest.draft import Draft

    d = Draft("model.xml")
    p = d.add("process", "Post", line=2)
    a, b, c = (d.add("system", name, line=3) for name in ("Mail", "Webmail", "Archief"))
    for target, group in [(a, None), (a, "g1"), (b, "g1"), (a, "g2"), (c, "g2"), (a, "g1")]:
        assert d.link(p, target, group=group, min_required=1 if group else None)
    inv, problems = d.load()
    assert not has_errors(problems)
    assert edge_meaning(build_graph(inv).edges[p, a, "uses"]) == (True, (("g1", 1), ("g2", 1)))


# --- the engine agrees with a plain fixpoint over the rows themselves -------------------------------

@st.composite
def inventories_with_repeats(draw):
    """Dependencies rows among a few systems, with the same dependency repeated as required and across groups."""
    n = draw(st.integers(2, 7))
    ids = [f"S{i}" for i in range(n)]
    rows: list[tuple[str, str, str | None]] = []
    for u in ids:
        others = [t for t in ids if t != u]
        rows += draw(st.lists(st.tuples(st.just(u), st.sampled_from(others), st.sampled_from([None, "a", "b", "c"])),
                              max_size=6))
    rows = draw(st.permutations(rows))
    need: dict[tuple[str, str], int] = {}
    for u, _, g in rows:
        if g and (u, g) not in need:
            size = len({t for uu, t, gg in rows if (uu, gg) == (u, g)})
            need[(u, g)] = draw(st.integers(1, size))
    cuts = draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True), min_size=1, max_size=4))
    return ids, rows, need, cuts


def plain_fixpoint(rows, need, cut) -> tuple[set[str], set[str]]:
    """The rule stated on the rows: a node fails when a required dependency failed or one of its groups has fewer
    than min_required working members (distinct nodes). Least fixpoint from the cut; returns (failed, degraded)."""
    required = {(u, t) for u, t, g in rows if g is None}
    groups: dict[tuple[str, str], set[str]] = {}
    for u, t, g in rows:
        if g is not None:
            groups.setdefault((u, g), set()).add(t)
    down = set(cut)
    while True:
        more = {u for u, t in required if t in down} | {u for (u, g), ms in groups.items()
                                                        if len(ms - down) < need[(u, g)]}
        if more <= down:
            break
        down |= more
    degraded = {u for u, t, _ in rows if t in down and u not in down}
    return down - set(cut), degraded


@settings(max_examples=200, deadline=None)
@given(inventories_with_repeats())
def test_propagation_keeps_every_rows_meaning(case):
    ids, rows, need, cuts = case
    text = "".join(f"{u},{t},{g or ''},{need[(u, g)] if g else ''}\n" for u, t, g in rows)
    inv, problems = inventory(text, systems=",".join(ids), processes="P")
    assert inv is not None, [str(p) for p in problems if p.severity == "error"]
    g = build_graph(inv)
    for cut in cuts:
        r = propagate(g, cut)
        assert (set(r.failed), set(r.degraded)) == plain_fixpoint(rows, need, cut), cut
        assert reference_fixpoint(g, cut) == plain_fixpoint(rows, need, cut)


# --- the files written back, RDF and GraphML keep every membership -------------------------------------

MIXED = {
    "suppliers.csv": "id,name,country\nS-1,Kynthos,US\nS-2,Rijnstroom,DE\n",
    "systems.csv": "id,name,supplier_id\nA,Mail,S-1\nB,Webmail,S-2\nC,Archief,S-2\n",
    "processes.csv": "id,name\nP,Post\n",
    # S-1 is A's supplier (column) and also one of two alternatives; A is required, and in two groups of P.
    "dependencies.csv": "from_id,to_id,type,alternative_group,min_required\n"
                        "A,S-1,provided_by,lev,1\nA,S-2,provided_by,lev,1\n"
                        "P,A,,,\nP,A,,alt,1\nP,B,,alt,1\nP,A,,two,2\nP,B,,two,2\nP,C,,two,2\n",
}


@pytest.fixture
def mixed(tmp_path):
    from tests.conftest import write_inventory

    inv, problems = load(write_inventory(tmp_path / "in", MIXED))
    assert not has_errors(problems) and not dependency_problems(problems)
    return build_graph(inv)


def test_the_mixed_inventory_holds_every_meaning(mixed):
    assert edge_meaning(mixed.edges["A", "S-1", "provided_by"]) == (True, (("lev", 1),))
    assert edge_meaning(mixed.edges["P", "A", "uses"]) == (True, (("alt", 1), ("two", 2)))
    assert edge_meaning(mixed.edges["P", "C", "uses"]) == (False, (("two", 2),))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_write_then_read_gives_the_same_graph(mixed, tmp_path, lang):
    write_csv_folder(mixed, tmp_path / "out", lang=lang)
    inv, problems = load(tmp_path / "out")
    assert not has_errors(problems) and not dependency_problems(problems)
    assert graph_signature(build_graph(inv)) == graph_signature(mixed)


def test_writing_gives_one_row_per_meaning(mixed):
    tables = inventory_tables(mixed)
    deps = [tuple(r[:2] + r[3:]) for r in tables["dependencies"][1:]]
    assert sorted(d for d in deps if d[0] == "P") == sorted([("P", "A", "", ""), ("P", "A", "alt", "1"),
                                                              ("P", "B", "alt", "1"), ("P", "A", "two", "2"),
                                                              ("P", "B", "two", "2"), ("P", "C", "two", "2")])
    assert ("A", "S-1", "lev", "1") in deps
    systems = {r[0]: r for r in tables["systems"][1:]}
    assert "S-1" in systems["A"]  # the required meaning stays in the supplier column


def test_rdf_round_trip_keeps_every_membership(mixed):
    rdf = to_rdf(mixed)
    parsed = Graph().parse(data=rdf.serialize(format="turtle"), format="turtle")
    assert graph_signature(from_rdf(parsed)) == graph_signature(mixed)
    conforms, _, report = pyshacl.validate(parsed, shacl_graph=packaged_shapes(), ont_graph=ontology_graph(),
                                           inference="none")
    assert conforms, report[:2000]


def test_rdf_states_only_required_dependencies_as_plain_triples(mixed):
    from sovmap.graph.rdf import node_iri
    from sovmap.ontology.vocab import SOV

    rdf = to_rdf(mixed)
    assert (node_iri("P"), SOV.uses, node_iri("A")) in rdf
    assert (node_iri("P"), SOV.uses, node_iri("C")) not in rdf  # C is only an alternative
    two = [gi for gi in rdf.subjects(SOV.alternativeGroup, None) if str(rdf.value(gi, SOV.alternativeGroup)) == "two"]
    assert len(two) == 1 and set(rdf.objects(two[0], SOV.uses)) == {node_iri(x) for x in "ABC"}


def test_rdf_written_before_memberships_named_their_relation_still_reads(mixed):
    """Older exports had a plain triple for every member and a bare groupMember; they meant group-only."""
    from rdflib import URIRef

    from sovmap.graph.rdf import node_iri
    from sovmap.ontology.vocab import SOV

    g = nx.MultiDiGraph(mixed)
    for u, t, k in [("P", "A", "uses"), ("P", "B", "uses"), ("P", "C", "uses"), ("A", "S-1", "provided_by"),
                    ("A", "S-2", "provided_by")]:
        g.edges[u, t, k].clear()
    g.edges["P", "A", "uses"].update(groups=(("two", 2),))  # old exports: one group per edge
    g.edges["P", "B", "uses"].update(groups=(("two", 2),))
    g.edges["P", "C", "uses"].update(groups=(("two", 2),))
    old = to_rdf(g)
    for gi in set(old.subjects(SOV.groupOf, None)):
        for p, o in list(old.predicate_objects(gi)):
            if p in (SOV.uses, SOV.provided_by):
                old.remove((gi, p, o))
                old.add((URIRef(str(old.value(gi, SOV.groupOf))), p, o))
    back = from_rdf(old)
    assert edge_meaning(back.edges["P", "C", "uses"]) == (False, (("two", 2),))
    assert graph_signature(back) == graph_signature(g)
    assert (node_iri("P"), SOV.uses, node_iri("C")) in old


def test_graphml_has_one_edge_per_meaning(mixed):
    text = serialise(mixed, "graphml").decode()
    back = nx.read_graphml(io.StringIO(text), force_multigraph=True)
    meanings = sorted((d["relation"], d.get("group", "")) for u, v, d in back.edges(data=True) if (u, v) == ("P", "A"))
    assert meanings == [("uses", ""), ("uses", "alt"), ("uses", "two")]


# --- Neo4j (a real embedded server; slow) --------------------------------------------------------------

def test_neo4j_push_then_pull_keeps_every_membership(driver, mixed):
    result = store.push(driver, mixed, "mixed", "v1")
    assert result.relationships == sum(len(edge_meaning(d)[1]) + edge_meaning(d)[0] for *_, d in mixed.edges(data=True))
    rows, _, _ = driver.execute_query(
        "MATCH (:SovmapNode {id: 'P', _sov_source: 'mixed'})-[r:USES]->(b:SovmapNode {id: 'A'}) "
        "RETURN r.group AS group, r.min_required AS k ORDER BY group")
    assert [(r["group"], r["k"]) for r in rows] == [("alt", 1), ("two", 2), (None, None)]
    pulled = store.pull(driver, "mixed")
    assert graph_signature(pulled) == graph_signature(mixed)
    assert propagate(pulled, ["B"]).degraded == ["P"] and propagate(pulled, ["A"]).failed == ["P"]


def test_the_dashboard_reads_every_membership_from_neo4j(driver, mixed):
    from sovmap.dashboard.remote import local_graph

    store.push(driver, mixed, "mixed", "v1")
    near = store.neighbourhood(driver, "mixed", "P", hops=2)
    g = local_graph([near[:2], near[:2]])  # the same relationships twice, as overlapping queries bring them
    assert edge_meaning(g.edges["P", "A", "uses"]) == (True, (("alt", 1), ("two", 2)))
    assert edge_meaning(g.edges["P", "C", "uses"]) == (False, (("two", 2),))

